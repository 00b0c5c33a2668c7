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
