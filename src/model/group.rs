//! A resource group and its validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::{describe_char, Field, ValidationError, ValidationProblem};
use super::limits::*;
use super::query::ResourceQuery;
use super::text::strip_prefix_ignore_ascii_case;
use crate::guard;

/// Tags by key (keys are unique, kept sorted).
pub type Tags = BTreeMap<String, String>;

/// One item of a group configuration (`AWS::EC2::CapacityReservationPool`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfigurationItem {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ConfigurationParameter>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfigurationParameter {
    pub name: String,
    #[serde(default)]
    pub values: Vec<String>,
}

/// What defines a group's members: a resource query, a service configuration, or both. Most
/// groups have one of the two; a group that Network Firewall rule groups reference has a tag
/// query *and* an `AWS::NetworkFirewall::RuleGroup` configuration, and keeping only one of
/// them would lose the other on the next push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupSpec {
    Query(ResourceQuery),
    Configuration(Vec<ConfigurationItem>),
    /// Never holds an empty configuration: that is `Query` (see [`GroupSpec::from_parts`]).
    QueryAndConfiguration(ResourceQuery, Vec<ConfigurationItem>),
}

impl GroupSpec {
    /// The spec of what a backend or a file holds; `None` when it has neither. An empty
    /// configuration is no configuration (moto answers `"Configuration": null` or `[]` for a
    /// query group).
    pub fn from_parts(
        query: Option<ResourceQuery>,
        configuration: Vec<ConfigurationItem>,
    ) -> Option<GroupSpec> {
        match (query, configuration.is_empty()) {
            (Some(q), true) => Some(GroupSpec::Query(q)),
            (Some(q), false) => Some(GroupSpec::QueryAndConfiguration(q, configuration)),
            (None, false) => Some(GroupSpec::Configuration(configuration)),
            (None, true) => None,
        }
    }

    pub fn query(&self) -> Option<&ResourceQuery> {
        match self {
            GroupSpec::Query(q) | GroupSpec::QueryAndConfiguration(q, _) => Some(q),
            GroupSpec::Configuration(_) => None,
        }
    }

    /// The configuration items; empty for a query-only group.
    pub fn configuration(&self) -> &[ConfigurationItem] {
        match self {
            GroupSpec::Query(_) => &[],
            GroupSpec::Configuration(c) | GroupSpec::QueryAndConfiguration(_, c) => c,
        }
    }

    /// The same spec with another query, the configuration kept.
    pub fn with_query(&self, query: ResourceQuery) -> GroupSpec {
        match self.configuration() {
            [] => GroupSpec::Query(query),
            c => GroupSpec::QueryAndConfiguration(query, c.to_vec()),
        }
    }
}

/// A resource group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Unique, immutable after creation.
    pub name: String,
    /// Private: never logged, never in the activity history.
    pub description: String,
    pub spec: GroupSpec,
    pub tags: Tags,
    /// Known once the group exists on a backend.
    pub arn: Option<String>,
    /// The name people see in AWS's consoles (myApplications); unlike `name` it can change.
    /// Empty: none. Not private (it is what the group is listed as).
    pub display_name: String,
    /// Who answers for the group: "a name, email address or other identifier" (AWS). Empty:
    /// none. Not private either: everyone who can list groups sees it.
    pub owner: String,
    /// 1 (the most critical) to 10 (the least); `None`: not set. AWS cannot unset it once set
    /// (the API's minimum is 1), so the forms only offer "not set" for a group that has none.
    pub criticality: Option<u8>,
    /// Read-only, set by AWS for application groups: `awsApplication` → the application's
    /// ARN. Never sent; a pull always takes the server's.
    pub application_tag: BTreeMap<String, String>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub updated_at: i64,
}

impl Group {
    pub fn new(name: impl Into<String>, query: ResourceQuery) -> Self {
        Group {
            name: name.into(),
            description: String::new(),
            spec: GroupSpec::Query(query),
            tags: Tags::new(),
            arn: None,
            display_name: String::new(),
            owner: String::new(),
            criticality: None,
            application_tag: BTreeMap::new(),
            created_at: 0,
            updated_at: 0,
        }
    }

    /// The name to show: the display name when there is one, else the name.
    pub fn shown_name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.name
        } else {
            &self.display_name
        }
    }

    pub fn query(&self) -> Option<&ResourceQuery> {
        self.spec.query()
    }

    /// Every problem with the group. Guard findings in the description are included as
    /// warnings (see [`ValidationError::is_blocking`]); everything else blocks saving.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        errors.extend(check_name(&self.name));
        // AWS names the groups its services manage itself, with the prefix it reserves
        // (`AWS_AppRegistry_Application-shop`): for those, the prefix is not a person's mistake.
        let managed = super::service_config::read_only_reason(self.spec.configuration()).is_some();
        if managed {
            errors.retain(|e| !matches!(e.problem, ValidationProblem::ReservedPrefix { .. }));
        }
        errors.extend(check_description(&self.description));
        let tags: Vec<(String, String)> = self
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        errors.extend(check_tags(&tags));
        if let Some(q) = self.spec.query() {
            errors.extend(q.validate());
        }
        if !matches!(self.spec, GroupSpec::Query(_)) {
            errors.extend(check_configuration(self.spec.configuration()));
        }
        if let Some(arn) = &self.arn {
            errors.extend(check_group_arn(arn, &self.name));
        }
        errors.extend(check_display_name(&self.display_name));
        errors.extend(check_owner(&self.owner));
        errors.extend(check_criticality(self.criticality.map(i64::from)));
        errors.extend(check_application_tag(&self.application_tag));
        errors
    }

    /// Only the errors that block saving.
    pub fn blocking_errors(&self) -> Vec<ValidationError> {
        self.validate()
            .into_iter()
            .filter(ValidationError::is_blocking)
            .collect()
    }
}

fn guard_errors(value: &str, field: Field) -> Vec<ValidationError> {
    guard::scan_name(value)
        .into_iter()
        .map(|f| {
            ValidationError::new(
                field.clone(),
                ValidationProblem::Sensitive {
                    kind: f.kind,
                    range: f.range,
                },
                f.message,
            )
        })
        .collect()
}

/// Guard findings in text that AWS writes rather than a person types: configuration parameter
/// values and the values of `aws:` tags on resources (`aws:cloudformation:stack-id` is a stack
/// ARN). The account ID in the account field of an ARN is how AWS names things, so that one
/// finding is let through; an account number anywhere else, a key or a token still blocks.
pub fn aws_written_findings(value: &str) -> Vec<guard::Finding> {
    let account = super::arn::account_range(value);
    guard::scan_name(value)
        .into_iter()
        .filter(|f| {
            let in_account_field = account
                .as_ref()
                .is_some_and(|a| a.start <= f.range.start && f.range.end <= a.end);
            !(f.kind == guard::FindingKind::AwsAccountId && in_account_field)
        })
        .collect()
}

fn configuration_error(message: String) -> ValidationError {
    ValidationError::new(Field::Configuration, ValidationProblem::Invalid, message)
}

/// A service configuration as AWS defines it: 1–2 items, each a type `AWS::Service::Kind` (at
/// most 40 characters) with parameters named in `[a-z-]` (1–80; AppRegistry's types also use
/// capitals) whose values are 1–256 of
/// `A-Z a-z 0-9 : / . _ -`, and no value the guard blocks ([`aws_written_findings`]: values
/// are often ARNs). Messages name the item and parameter by position, never quote a value.
pub fn check_configuration(items: &[ConfigurationItem]) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    if items.is_empty() || items.len() > CONFIGURATION_ITEMS_MAX {
        errors.push(ValidationError::new(
            Field::Configuration,
            ValidationProblem::TooMany {
                max: CONFIGURATION_ITEMS_MAX,
                actual: items.len(),
            },
            format!(
                "A configuration has 1 to {CONFIGURATION_ITEMS_MAX} items; this one has {}.",
                items.len()
            ),
        ));
    }
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        if !is_configuration_type(&item.kind) {
            errors.push(configuration_error(format!(
                "Item {n}: the type must look like AWS::EC2::CapacityReservationPool (AWS, the service and the kind, letters and digits, at most {CONFIGURATION_TYPE_MAX} characters)."
            )));
        }
        if item.parameters.len() > CONFIGURATION_PARAMETERS_MAX {
            errors.push(configuration_error(format!(
                "Item {n} has {} parameters; at most {CONFIGURATION_PARAMETERS_MAX} are accepted.",
                item.parameters.len()
            )));
        }
        for (j, p) in item.parameters.iter().enumerate() {
            let m = j + 1;
            let len = p.name.chars().count();
            // AWS's own types (AppRegistry's) spell their parameters `Name` and `Arn`, outside
            // the model's `[a-z-]+`: read them as AWS writes them (they are never made here).
            let capitals = super::service_config::capitalised_parameters(&item.kind);
            if len == 0
                || len > CONFIGURATION_NAME_MAX
                || !p.name.chars().all(|c| {
                    c.is_ascii_lowercase() || c == '-' || (capitals && c.is_ascii_uppercase())
                })
            {
                errors.push(configuration_error(format!(
                    "Item {n}, parameter {m}: the name must be 1 to {CONFIGURATION_NAME_MAX} lower-case letters and hyphens, such as allowed-host-families."
                )));
            }
            if p.values.len() > CONFIGURATION_VALUES_MAX {
                errors.push(configuration_error(format!(
                    "Item {n}, parameter {m} has {} values; at most {CONFIGURATION_VALUES_MAX} are accepted.",
                    p.values.len()
                )));
            }
            for (k, v) in p.values.iter().enumerate() {
                let o = k + 1;
                let len = v.chars().count();
                if len == 0
                    || len > CONFIGURATION_VALUE_MAX
                    || !v.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '.' | '_' | '-')
                    })
                {
                    errors.push(configuration_error(format!(
                        "Item {n}, parameter {m}, value {o}: values are 1 to {CONFIGURATION_VALUE_MAX} of letters A–Z and a–z, digits and : / . _ -."
                    )));
                } else if let Some(f) = aws_written_findings(v).into_iter().next() {
                    errors.push(ValidationError::new(
                        Field::Configuration,
                        ValidationProblem::Sensitive {
                            kind: f.kind,
                            range: f.range,
                        },
                        format!("Item {n}, parameter {m}, value {o}: {}", f.message),
                    ));
                }
            }
        }
    }
    errors
}

/// `AWS::[a-zA-Z0-9]+::[a-zA-Z0-9]+`, at most 40 characters.
fn is_configuration_type(t: &str) -> bool {
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric());
    t.len() <= CONFIGURATION_TYPE_MAX
        && t.strip_prefix("AWS::")
            .and_then(|rest| rest.split_once("::"))
            .is_some_and(|(service, kind)| word(service) && word(kind))
}

/// A group ARN as the backend gives it: `arn:<partition>:resource-groups:<region>:<12-digit
/// account>:group/<the group's name>`. Anything else (another group's ARN, a resource's, junk
/// a compromised or broken backend sent) is refused: the ARN is what sync binds to an account.
pub fn check_group_arn(arn: &str, name: &str) -> Option<ValidationError> {
    let invalid = || {
        Some(ValidationError::new(
            Field::Arn,
            ValidationProblem::Invalid,
            "The group ARN must look like arn:aws:resource-groups:REGION:ACCOUNT:group/NAME, with this group's name and a 12-digit account.",
        ))
    };
    if arn.len() > GROUP_ARN_MAX || arn.trim() != arn {
        return invalid();
    }
    let Ok(parsed) = super::arn::Arn::parse(arn) else {
        return invalid();
    };
    let ok = parsed.service == "resource-groups"
        && !parsed.region.is_empty()
        && parsed.account.len() == 12
        && parsed.account.bytes().all(|b| b.is_ascii_digit())
        && parsed.resource.strip_prefix("group/") == Some(name);
    if ok {
        None
    } else {
        invalid()
    }
}

/// Group name: 1–128 of `A-Z a-z 0-9 _ . -`, not starting with `AWS` or `aws`, and nothing the
/// guard blocks.
pub fn check_name(name: &str) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let len = name.chars().count();
    if len == 0 {
        errors.push(ValidationError::new(
            Field::Name,
            ValidationProblem::Required,
            "Enter a name for the group.",
        ));
        return errors;
    }
    if len > NAME_MAX {
        errors.push(ValidationError::new(
            Field::Name,
            ValidationProblem::TooLong {
                max: NAME_MAX,
                actual: len,
            },
            format!("The name is {len} characters long; it can have at most {NAME_MAX}."),
        ));
    }
    if let Some((at, ch)) = name
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        errors.push(ValidationError::new(
            Field::Name,
            ValidationProblem::BadCharacter { ch, at },
            format!(
                "The name can't contain {}. Use letters A–Z and a–z, digits, hyphens (-), underscores (_) and periods (.).",
                describe_char(ch)
            ),
        ));
    }
    for prefix in ["AWS", "aws"] {
        if name.starts_with(prefix) {
            errors.push(ValidationError::new(
                Field::Name,
                ValidationProblem::ReservedPrefix { prefix },
                format!("The name can't start with \u{201c}{prefix}\u{201d}: that prefix is reserved for AWS."),
            ));
        }
    }
    errors.extend(guard_errors(name, Field::Name));
    errors
}

/// Description: up to 512 of letters, digits, whitespace, `_ . -`. Guard findings are warnings.
pub fn check_description(description: &str) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let len = description.chars().count();
    if len > DESCRIPTION_MAX {
        errors.push(ValidationError::new(
            Field::Description,
            ValidationProblem::TooLong {
                max: DESCRIPTION_MAX,
                actual: len,
            },
            format!(
                "The description is {len} characters long; it can have at most {DESCRIPTION_MAX}."
            ),
        ));
    }
    if let Some((at, ch)) = description.char_indices().find(|(_, c)| {
        !(c.is_ascii_alphanumeric() || c.is_whitespace() || matches!(c, '_' | '.' | '-'))
    }) {
        errors.push(ValidationError::new(
            Field::Description,
            ValidationProblem::BadCharacter { ch, at },
            format!(
                "The description can't contain {}. Use letters A–Z and a–z, digits, spaces, hyphens, underscores and periods.",
                describe_char(ch)
            ),
        ));
    }
    errors.extend(guard_errors(description, Field::Description));
    errors
}

/// A display name or an owner: 0–`max` characters of what tag values allow (the API model
/// gives both the tag-value pattern, at most 300 characters).
fn check_label(value: &str, field: Field, max: usize, what: &str) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let len = value.chars().count();
    if len > max {
        errors.push(ValidationError::new(
            field.clone(),
            ValidationProblem::TooLong { max, actual: len },
            format!("The {what} is {len} characters long; it can have at most {max}."),
        ));
    }
    if let Some((at, ch)) = value.char_indices().find(|(_, c)| !tag_char_ok(*c)) {
        errors.push(ValidationError::new(
            field.clone(),
            ValidationProblem::BadCharacter { ch, at },
            format!(
                "The {what} can't contain {}. Use letters, digits, spaces and _ . : / = + - @.",
                describe_char(ch)
            ),
        ));
    }
    errors
}

/// Display name: 0–300 characters of letters (any script), digits, spaces and `_ . : / = + -
/// @`, and nothing the guard blocks (it is shown wherever the group is listed).
pub fn check_display_name(value: &str) -> Vec<ValidationError> {
    let mut errors = check_label(value, Field::DisplayName, DISPLAY_NAME_MAX, "display name");
    errors.extend(guard_errors(value, Field::DisplayName));
    errors
}

/// Owner: like a display name; an email address in it is a warning ([`guard::scan_owner`]),
/// an account number or a credential blocks.
pub fn check_owner(value: &str) -> Vec<ValidationError> {
    let mut errors = check_label(value, Field::Owner, OWNER_MAX, "owner");
    errors.extend(guard::scan_owner(value).into_iter().map(|f| {
        ValidationError::new(
            Field::Owner,
            ValidationProblem::Sensitive {
                kind: f.kind,
                range: f.range,
            },
            f.message,
        )
    }));
    errors
}

/// Criticality: 1 to 10 when set. Takes the wire's width so that a backend's 0 or 4711 is
/// judged, not wrapped.
pub fn check_criticality(value: Option<i64>) -> Option<ValidationError> {
    let v = value?;
    let (min, max) = (i64::from(CRITICALITY_MIN), i64::from(CRITICALITY_MAX));
    (v < min || v > max).then(|| {
        ValidationError::new(
            Field::Criticality,
            ValidationProblem::Invalid,
            format!("Criticality is a whole number from {min} (the most critical) to {max} (the least)."),
        )
    })
}

/// The read-only application tag as a backend gave it: `awsApplication` mapped to a group ARN
/// of at most 1,600 characters, with nothing the guard blocks beyond the ARN's account.
pub fn check_application_tag(tag: &BTreeMap<String, String>) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    for (k, v) in tag {
        let arn_ok = v.len() <= GROUP_ARN_MAX
            && super::arn::Arn::parse(v).is_ok_and(|a| a.service == "resource-groups");
        if k != "awsApplication" || !arn_ok {
            errors.push(ValidationError::new(
                Field::ApplicationTag,
                ValidationProblem::Invalid,
                "The application tag must be awsApplication with an application's group ARN.",
            ));
        }
        // Scanned whatever its shape: a shape this check does not know only warns (see
        // `ValidationError::is_blocking`), so a credential or card number in it must still
        // block. The ARN's own account position is AWS's naming, not a finding.
        let findings = if arn_ok {
            aws_written_findings(v)
        } else {
            crate::guard::scan_tag(k, v)
        };
        if let Some(f) = findings.into_iter().next() {
            errors.push(ValidationError::new(
                Field::ApplicationTag,
                ValidationProblem::Sensitive {
                    kind: f.kind,
                    range: f.range,
                },
                f.message,
            ));
        }
    }
    errors
}

/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`
fn tag_char_ok(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
        || matches!(
            c,
            ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
        )
}

/// Tag key: 1–128 allowed characters, not starting with `aws:`, nothing the guard blocks.
pub fn check_tag_key(key: &str, field: Field, guarded: bool) -> Option<ValidationError> {
    let len = key.chars().count();
    if len == 0 {
        return Some(ValidationError::new(
            field,
            ValidationProblem::Required,
            "Enter a tag key.",
        ));
    }
    if len > TAG_KEY_MAX {
        return Some(ValidationError::new(
            field,
            ValidationProblem::TooLong {
                max: TAG_KEY_MAX,
                actual: len,
            },
            format!("The tag key is {len} characters long; it can have at most {TAG_KEY_MAX}."),
        ));
    }
    if let Some((at, ch)) = key.char_indices().find(|(_, c)| !tag_char_ok(*c)) {
        return Some(ValidationError::new(
            field,
            ValidationProblem::BadCharacter { ch, at },
            format!(
                "Tag keys can't contain {}. Use letters, digits, spaces and _ . : / = + - @.",
                describe_char(ch)
            ),
        ));
    }
    if strip_prefix_ignore_ascii_case(key, "aws:").is_some() {
        return Some(ValidationError::new(
            field,
            ValidationProblem::ReservedPrefix { prefix: "aws:" },
            "Tag keys can't start with \u{201c}aws:\u{201d}: that prefix is reserved for AWS.",
        ));
    }
    if guarded {
        return guard_errors(key, field).into_iter().next();
    }
    None
}

/// Tag value: 0–256 allowed characters, nothing the guard blocks.
pub fn check_tag_value(value: &str, field: Field) -> Option<ValidationError> {
    check_tag_value_form(value, field.clone())
        .or_else(|| guard_errors(value, field).into_iter().next())
}

/// Tag value as part of the tag `key`: like [`check_tag_value`], and judged in the context of
/// its key by [`guard::scan_tag`] (`AccountNumber=87654321` is an account number, while
/// `CostCenter=87654321` is not; `db_password=…` is a credential).
pub fn check_tag_pair_value(key: &str, value: &str, field: Field) -> Option<ValidationError> {
    check_tag_value_form(value, field.clone()).or_else(|| {
        guard::scan_tag(key, value)
            .into_iter()
            .find(|f| f.part == guard::FindingPart::Value)
            .map(|f| {
                ValidationError::new(
                    field,
                    ValidationProblem::Sensitive {
                        kind: f.kind,
                        range: f.range,
                    },
                    f.message,
                )
            })
    })
}

/// Tag value length and characters only (for AWS-managed `aws:` tags on resources).
pub fn check_tag_value_form(value: &str, field: Field) -> Option<ValidationError> {
    let len = value.chars().count();
    if len > TAG_VALUE_MAX {
        return Some(ValidationError::new(
            field,
            ValidationProblem::TooLong {
                max: TAG_VALUE_MAX,
                actual: len,
            },
            format!("The tag value is {len} characters long; it can have at most {TAG_VALUE_MAX}."),
        ));
    }
    if let Some((at, ch)) = value.char_indices().find(|(_, c)| !tag_char_ok(*c)) {
        return Some(ValidationError::new(
            field,
            ValidationProblem::BadCharacter { ch, at },
            format!(
                "Tag values can't contain {}. Use letters, digits, spaces and _ . : / = + - @.",
                describe_char(ch)
            ),
        ));
    }
    None
}

/// Tags as edited (a list, so duplicates can be pointed at): at most 50, unique keys, each key
/// and value valid.
pub fn check_tags(tags: &[(String, String)]) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    if tags.len() > TAGS_MAX {
        errors.push(ValidationError::new(
            Field::Tags,
            ValidationProblem::TooMany {
                max: TAGS_MAX,
                actual: tags.len(),
            },
            format!(
                "A group can have at most {TAGS_MAX} tags; remove {}.",
                tags.len() - TAGS_MAX
            ),
        ));
    }
    for (i, (k, v)) in tags.iter().enumerate() {
        if let Some(e) = check_tag_key(k, Field::TagKey(i), true) {
            errors.push(e);
        } else if tags[..i].iter().any(|(other, _)| other == k) {
            errors.push(ValidationError::new(
                Field::TagKey(i),
                ValidationProblem::Duplicate,
                "This tag key is already used; each key can appear once.",
            ));
        }
        if let Some(e) = check_tag_pair_value(k, v, Field::TagValue(i)) {
            errors.push(e);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::query::TagFilter;

    /// AWS writes the application tag; one of a shape the API model does not describe is
    /// reported but never refuses the group (it is never sent from here either).
    #[test]
    fn an_application_tag_of_another_shape_warns_and_never_blocks() {
        let mut g = Group::new(
            "shop",
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec!["Prod".into()],
            }]),
        );
        assert!(g.validate().is_empty());
        g.application_tag
            .insert("awsApplication".into(), "アプリ/not-an-arn".into());
        let errors = g.validate();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, Field::ApplicationTag);
        assert!(g.blocking_errors().is_empty());
        g.application_tag.clear();
        g.application_tag.insert("other".into(), "x".into());
        assert!(g.blocking_errors().is_empty());
        // Whatever the shape, what the guard blocks still blocks.
        g.application_tag
            .insert("other".into(), "4111 1111 1111 1111".into());
        assert!(!g.blocking_errors().is_empty());
    }

    #[test]
    fn credentials_in_a_description_block_and_account_numbers_warn() {
        let mut g = Group::new(
            "web",
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec!["Prod".into()],
            }]),
        );
        assert!(g.validate().is_empty());
        g.description = "Billing for 123456789012".into();
        assert!(!g.validate().is_empty() && g.blocking_errors().is_empty());
        g.description = "deploy key AKIAIOSFODNN7EXAMPLE".into();
        assert!(!g.blocking_errors().is_empty());
    }

    #[test]
    fn tag_values_are_judged_with_their_key() {
        let tags = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
        assert!(!check_tags(&tags("AccountNumber", "87654321")).is_empty());
        assert!(check_tags(&tags("CostCenter", "87654321")).is_empty());
        assert!(check_tags(&tags("BuildNumber", "123456789")).is_empty());
        // The same in a query's tag filter.
        let q = ResourceQuery::tags(vec![TagFilter {
            key: "customer-account".into(),
            values: vec!["12345678".into()],
        }]);
        assert!(q
            .validate()
            .iter()
            .any(|e| e.field == Field::TagFilterValues(0)));
        // Non-ASCII keys are fine, and never panic.
        assert!(check_tags(&tags("環境", "本番")).is_empty());
    }

    fn item(kind: &str, name: &str, values: &[&str]) -> ConfigurationItem {
        ConfigurationItem {
            kind: kind.into(),
            parameters: vec![ConfigurationParameter {
                name: name.into(),
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            }],
        }
    }

    #[test]
    fn configurations_follow_the_aws_model() {
        let ok = item(
            "AWS::EC2::CapacityReservationPool",
            "allowed-host-families",
            &[
                "c5",
                "m5.large",
                "arn:aws:ec2:us-east-1:123456789012:capacity-reservation/cr-0abc",
            ],
        );
        assert_eq!(check_configuration(std::slice::from_ref(&ok)), vec![]);
        for bad in [
            item("EC2::Pool", "a", &["x"]),
            item("AWS::EC2", "a", &["x"]),
            item("AWS::EC2::Pool-x", "a", &["x"]),
            item(&format!("AWS::EC2::{}", "P".repeat(40)), "a", &["x"]),
            item("AWS::EC2::Pool", "Allowed", &["x"]),
            item("AWS::EC2::Pool", "", &["x"]),
            item("AWS::EC2::Pool", "a", &[""]),
            item("AWS::EC2::Pool", "a", &["has space"]),
            item("AWS::EC2::Pool", "a", &["環境"]),
            item("AWS::EC2::Pool", "a", &[&"v".repeat(257)]),
            // An account number outside an ARN's account field, a key anywhere.
            item("AWS::EC2::Pool", "a", &["acct-123456789012"]),
            item(
                "AWS::EC2::Pool",
                "a",
                &["arn:aws:ec2:us-east-1:123456789012:thing/AKIAIOSFODNN7EXAMPLE"],
            ),
        ] {
            let errors = check_configuration(std::slice::from_ref(&bad));
            assert!(!errors.is_empty(), "{bad:?}");
            assert!(errors
                .iter()
                .all(|e| e.field == Field::Configuration && e.is_blocking()));
        }
        assert!(!check_configuration(&[]).is_empty());
        assert!(!check_configuration(&[ok.clone(), ok.clone(), ok]).is_empty());
    }

    #[test]
    fn group_arns_must_name_this_group_in_resource_groups() {
        let good = "arn:aws:resource-groups:us-east-1:123456789012:group/web";
        assert_eq!(check_group_arn(good, "web"), None);
        assert_eq!(
            check_group_arn(
                "arn:aws-cn:resource-groups:cn-north-1:123456789012:group/web",
                "web"
            ),
            None
        );
        for bad in [
            "arn:aws:resource-groups:us-east-1:123456789012:group/other",
            "arn:aws:ec2:us-east-1:123456789012:group/web",
            "arn:aws:resource-groups:us-east-1:12345:group/web",
            "arn:aws:resource-groups:us-east-1:123456789012:web",
            "arn:aws:resource-groups::123456789012:group/web",
            " arn:aws:resource-groups:us-east-1:123456789012:group/web",
            "web",
            "",
        ] {
            assert!(check_group_arn(bad, "web").is_some(), "{bad}");
        }
        let mut g = group("web");
        g.arn = Some("arn:aws:resource-groups:us-east-1:123456789012:group/other".into());
        assert!(g.blocking_errors().iter().any(|e| e.field == Field::Arn));
        g.arn = Some(good.into());
        assert!(g.validate().is_empty());
    }

    #[test]
    fn aws_written_values_let_only_the_arn_account_field_through() {
        let stack = "arn:aws:cloudformation:ap-northeast-1:123456789012:stack/web-stack/eebaf112-1416-47ea-8eeb-a956c95ee237";
        assert!(aws_written_findings(stack).is_empty());
        assert!(!aws_written_findings("123456789012").is_empty());
        assert!(!aws_written_findings("stack-123456789012").is_empty());
        assert!(!aws_written_findings(
            "arn:aws:cloudformation:us-east-1:123456789012:stack/s-210987654321/x"
        )
        .is_empty());
        assert!(!aws_written_findings("AKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(aws_written_findings("環境").is_empty());
    }

    #[test]
    fn tag_filter_keys_are_guarded() {
        let q = ResourceQuery::tags(vec![TagFilter {
            key: "acct-123456789012".into(),
            values: vec![],
        }]);
        assert!(q
            .validate()
            .iter()
            .any(|e| e.field == Field::TagFilterKey(0)));
    }

    fn group(name: &str) -> Group {
        Group::new(
            name,
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec!["Test".into()],
            }]),
        )
    }

    #[test]
    fn a_good_group_passes() {
        let mut g = group("web-prod_1.0");
        g.description = "Web servers in production".into();
        g.tags.insert("Team".into(), "Platform".into());
        assert_eq!(g.validate(), vec![]);
    }

    #[test]
    fn names() {
        assert!(matches!(
            check_name("")[0].problem,
            ValidationProblem::Required
        ));
        assert!(matches!(
            check_name(&"a".repeat(129))[0].problem,
            ValidationProblem::TooLong {
                max: 128,
                actual: 129
            }
        ));
        assert!(check_name(&"a".repeat(128)).is_empty());
        let e = &check_name("web prod")[0];
        assert_eq!(
            e.problem,
            ValidationProblem::BadCharacter { ch: ' ', at: 3 }
        );
        assert!(e.message.contains("U+0020"));
        assert!(matches!(
            check_name("AWSGroup")[0].problem,
            ValidationProblem::ReservedPrefix { .. }
        ));
        assert!(matches!(
            check_name("aws-group")[0].problem,
            ValidationProblem::ReservedPrefix { .. }
        ));
        assert!(check_name("Awsome").is_empty());
        let e = &check_name("prod-123456789012")[0];
        assert!(matches!(
            e.problem,
            ValidationProblem::Sensitive {
                kind: guard::FindingKind::AwsAccountId,
                range: _
            }
        ));
        assert!(e.is_blocking());
    }

    #[test]
    fn descriptions_warn_but_do_not_block() {
        let mut g = group("web");
        g.description = "Owned by account 123456789012".into();
        let errors = g.validate();
        assert_eq!(errors.len(), 1);
        assert!(!errors[0].is_blocking());
        assert!(g.blocking_errors().is_empty());
        assert!(!check_description("a;b").is_empty());
        assert!(!check_description(&"a".repeat(513)).is_empty());
    }

    #[test]
    fn tags() {
        let t = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert!(check_tags(&[t("Team", "Platform"), t("Cost Center", "a/b:c=d+e-f@g")]).is_empty());
        assert!(check_tags(&[t("Équipe", "Données 1")]).is_empty());
        assert_eq!(check_tags(&[t("", "x")])[0].field, Field::TagKey(0));
        assert!(matches!(
            check_tags(&[t("aws:x", "")])[0].problem,
            ValidationProblem::ReservedPrefix { .. }
        ));
        assert!(matches!(
            check_tags(&[t("AWS:x", "")])[0].problem,
            ValidationProblem::ReservedPrefix { .. }
        ));
        assert!(matches!(
            check_tags(&[t("a", "1"), t("a", "2")])[0].problem,
            ValidationProblem::Duplicate
        ));
        assert!(matches!(
            check_tags(&[t("a", "x;y")])[0].problem,
            ValidationProblem::BadCharacter { .. }
        ));
        assert_eq!(
            check_tags(&[t("a", &"v".repeat(257))])[0].field,
            Field::TagValue(0)
        );
        let card = check_tags(&[t("billing", "4111 1111 1111 1111")]);
        assert!(matches!(
            card[0].problem,
            ValidationProblem::Sensitive {
                kind: guard::FindingKind::PaymentCard,
                ..
            }
        ));
        let many: Vec<_> = (0..51).map(|i| t(&format!("k{i}"), "")).collect();
        assert_eq!(check_tags(&many)[0].field, Field::Tags);
    }
}
