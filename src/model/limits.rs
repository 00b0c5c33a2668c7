//! The limits of AWS Resource Groups (user guide values where the API model is looser).

/// Group names: 1–128 characters.
pub const NAME_MAX: usize = 128;
/// Descriptions: up to 512 characters.
pub const DESCRIPTION_MAX: usize = 512;
/// Tag keys: 1–128 characters.
pub const TAG_KEY_MAX: usize = 128;
/// Tag values: 0–256 characters.
pub const TAG_VALUE_MAX: usize = 256;
/// Tags per group.
pub const TAGS_MAX: usize = 50;
/// Resource types per query.
pub const RESOURCE_TYPES_MAX: usize = 20;
/// Tag filters per query.
pub const TAG_FILTERS_MAX: usize = 50;
/// Values per tag filter.
pub const TAG_FILTER_VALUES_MAX: usize = 20;
/// Length of the query JSON string.
pub const QUERY_MAX: usize = 4096;
/// Configuration items per group.
pub const CONFIGURATION_ITEMS_MAX: usize = 2;
/// A configuration item's type (`AWS::EC2::CapacityReservationPool`): at most 40 characters.
pub const CONFIGURATION_TYPE_MAX: usize = 40;
/// A configuration parameter's name (`allowed-host-families`): 1–80 characters.
pub const CONFIGURATION_NAME_MAX: usize = 80;
/// A configuration parameter value: 1–256 characters.
pub const CONFIGURATION_VALUE_MAX: usize = 256;
/// Parameters per configuration item, and values per parameter. The API model sets no limit;
/// these are far above any service configuration AWS documents, so only junk hits them.
pub const CONFIGURATION_PARAMETERS_MAX: usize = 20;
pub const CONFIGURATION_VALUES_MAX: usize = 100;
/// A group ARN: at most 1,600 characters.
pub const GROUP_ARN_MAX: usize = 1600;
/// A group's display name and owner: 0–300 characters of what tag values allow.
pub const DISPLAY_NAME_MAX: usize = 300;
pub const OWNER_MAX: usize = 300;
/// Criticality: 1 (the most critical) to 10 (the least).
pub const CRITICALITY_MIN: u8 = 1;
pub const CRITICALITY_MAX: u8 = 10;
