//! Resource queries: a tag query (`TAG_FILTERS_1_0`) or a CloudFormation stack query
//! (`CLOUDFORMATION_STACK_1_0`), as structured data that converts to and from the exact JSON
//! string AWS uses, with validation and evaluation against inventory resources.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::arn::Arn;
use super::error::{Field, ValidationError, ValidationProblem};
use super::inventory::Resource;
use super::limits::*;

/// The resource type that stands for every supported type.
pub const ALL_SUPPORTED: &str = "AWS::AllSupported";
/// The query type names on the wire.
pub const TAG_FILTERS_1_0: &str = "TAG_FILTERS_1_0";
pub const CLOUDFORMATION_STACK_1_0: &str = "CLOUDFORMATION_STACK_1_0";

/// One tag filter: the resource must have the key, and (if values are given) one of the values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagFilter {
    pub key: String,
    #[serde(default)]
    pub values: Vec<String>,
}

/// A group's resource query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceQuery {
    /// Resources of the given types whose tags match every filter (keys ANDed, values ORed).
    Tags {
        resource_types: Vec<String>,
        tag_filters: Vec<TagFilter>,
    },
    /// Resources of the given types created by a CloudFormation stack.
    Stack {
        resource_types: Vec<String>,
        /// The stack ARN; AWS allows it to be absent (the stack that created the group).
        stack_identifier: Option<String>,
    },
}

/// Why a query from the wire or an import could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    UnknownType(String),
    BadJson(String),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::UnknownType(t) => write!(
                f,
                "The query type \u{201c}{t}\u{201d} is not supported; use TAG_FILTERS_1_0 or CLOUDFORMATION_STACK_1_0."
            ),
            QueryError::BadJson(e) => write!(f, "The query is not valid JSON for its type: {e}"),
        }
    }
}

impl std::error::Error for QueryError {}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagQueryJson {
    #[serde(default)]
    resource_type_filters: Vec<String>,
    #[serde(default)]
    tag_filters: Vec<TagFilter>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StackQueryJson {
    #[serde(default)]
    resource_type_filters: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stack_identifier: Option<String>,
}

impl ResourceQuery {
    /// A tag query over all supported types.
    pub fn tags(filters: Vec<TagFilter>) -> Self {
        ResourceQuery::Tags {
            resource_types: vec![ALL_SUPPORTED.to_owned()],
            tag_filters: filters,
        }
    }

    /// The wire type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            ResourceQuery::Tags { .. } => TAG_FILTERS_1_0,
            ResourceQuery::Stack { .. } => CLOUDFORMATION_STACK_1_0,
        }
    }

    pub fn resource_types(&self) -> &[String] {
        match self {
            ResourceQuery::Tags { resource_types, .. }
            | ResourceQuery::Stack { resource_types, .. } => resource_types,
        }
    }

    /// The `Query` string exactly as AWS stores it.
    pub fn to_query_json(&self) -> String {
        let json = match self {
            ResourceQuery::Tags {
                resource_types,
                tag_filters,
            } => serde_json::to_string(&TagQueryJson {
                resource_type_filters: resource_types.clone(),
                tag_filters: tag_filters.clone(),
            }),
            ResourceQuery::Stack {
                resource_types,
                stack_identifier,
            } => serde_json::to_string(&StackQueryJson {
                resource_type_filters: resource_types.clone(),
                stack_identifier: stack_identifier.clone(),
            }),
        };
        json.unwrap_or_default()
    }

    /// Reads a query from its wire type and `Query` string.
    pub fn from_aws(type_name: &str, query: &str) -> Result<Self, QueryError> {
        let bad = |e: serde_json::Error| {
            QueryError::BadJson(format!("line {}, column {}", e.line(), e.column()))
        };
        match type_name {
            TAG_FILTERS_1_0 => {
                let q: TagQueryJson = serde_json::from_str(query).map_err(bad)?;
                Ok(ResourceQuery::Tags {
                    resource_types: q.resource_type_filters,
                    tag_filters: q.tag_filters,
                })
            }
            CLOUDFORMATION_STACK_1_0 => {
                let q: StackQueryJson = serde_json::from_str(query).map_err(bad)?;
                Ok(ResourceQuery::Stack {
                    resource_types: q.resource_type_filters,
                    stack_identifier: q.stack_identifier,
                })
            }
            other => Err(QueryError::UnknownType(other.to_owned())),
        }
    }

    /// Checks the query against the AWS limits; every problem is reported.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        let types = self.resource_types();
        if types.is_empty() {
            errors.push(ValidationError::new(
                Field::ResourceTypes,
                ValidationProblem::Required,
                "Choose at least one resource type, or \u{201c}All supported resource types\u{201d}.",
            ));
        }
        if types.len() > RESOURCE_TYPES_MAX {
            errors.push(ValidationError::new(
                Field::ResourceTypes,
                ValidationProblem::TooMany { max: RESOURCE_TYPES_MAX, actual: types.len() },
                format!("A query can have at most {RESOURCE_TYPES_MAX} resource types; this one has {}.", types.len()),
            ));
        }
        if let Some(bad) = types.iter().find(|t| !is_resource_type(t)) {
            let _ = bad;
            errors.push(ValidationError::new(
                Field::ResourceTypes,
                ValidationProblem::Invalid,
                "Resource types look like AWS::EC2::Instance (AWS, the service and the type, separated by ::).",
            ));
        }
        if types.len() > 1 && types.iter().any(|t| t == ALL_SUPPORTED) {
            errors.push(ValidationError::new(
                Field::ResourceTypes,
                ValidationProblem::Invalid,
                "\u{201c}All supported resource types\u{201d} cannot be combined with specific types.",
            ));
        }
        match self {
            ResourceQuery::Tags { tag_filters, .. } => {
                if tag_filters.is_empty() {
                    errors.push(ValidationError::new(
                        Field::TagFilters,
                        ValidationProblem::Required,
                        "Add at least one tag filter: a tag key, and optionally values.",
                    ));
                }
                if tag_filters.len() > TAG_FILTERS_MAX {
                    errors.push(ValidationError::new(
                        Field::TagFilters,
                        ValidationProblem::TooMany { max: TAG_FILTERS_MAX, actual: tag_filters.len() },
                        format!("A query can have at most {TAG_FILTERS_MAX} tag filters; this one has {}.", tag_filters.len()),
                    ));
                }
                let mut seen = HashSet::new();
                for (i, f) in tag_filters.iter().enumerate() {
                    if let Some(e) =
                        super::group::check_tag_key(&f.key, Field::TagFilterKey(i), true)
                    {
                        errors.push(e);
                    } else if !seen.insert(f.key.as_str()) {
                        errors.push(ValidationError::new(
                            Field::TagFilterKey(i),
                            ValidationProblem::Duplicate,
                            "This tag key already has a filter; put all its values in one filter.",
                        ));
                    }
                    if f.values.len() > TAG_FILTER_VALUES_MAX {
                        errors.push(ValidationError::new(
                            Field::TagFilterValues(i),
                            ValidationProblem::TooMany { max: TAG_FILTER_VALUES_MAX, actual: f.values.len() },
                            format!("A tag filter can have at most {TAG_FILTER_VALUES_MAX} values; this one has {}.", f.values.len()),
                        ));
                    }
                    for v in &f.values {
                        if let Some(e) =
                            super::group::check_tag_pair_value(&f.key, v, Field::TagFilterValues(i))
                        {
                            errors.push(e);
                            break;
                        }
                    }
                }
            }
            ResourceQuery::Stack {
                stack_identifier, ..
            } => {
                if let Some(id) = stack_identifier {
                    let ok = Arn::parse(id).is_ok_and(|a| {
                        a.service == "cloudformation" && a.resource_kind() == "stack"
                    });
                    if !ok {
                        errors.push(ValidationError::new(
                            Field::StackIdentifier,
                            ValidationProblem::Invalid,
                            "Enter the stack's ARN, such as arn:aws:cloudformation:us-east-1:123456789012:stack/name/id.",
                        ));
                    }
                }
            }
        }
        let len = self.to_query_json().chars().count();
        if len > QUERY_MAX {
            errors.push(ValidationError::new(
                Field::Query,
                ValidationProblem::TooLong { max: QUERY_MAX, actual: len },
                format!("The query is {len} characters long as JSON; AWS allows at most {QUERY_MAX}. Remove some filters or values."),
            ));
        }
        errors
    }

    /// Prepares the query for evaluating it against many resources.
    pub fn matcher(&self) -> Matcher<'_> {
        let types = self.resource_types();
        let all = types.iter().any(|t| t == ALL_SUPPORTED);
        Matcher {
            query: self,
            all_types: all,
            types: types.iter().map(String::as_str).collect(),
        }
    }

    /// Whether one resource matches (for many resources, use [`ResourceQuery::matcher`]).
    pub fn matches(&self, resource: &Resource) -> bool {
        self.matcher().matches(resource)
    }
}

/// A query prepared for evaluation.
pub struct Matcher<'a> {
    query: &'a ResourceQuery,
    all_types: bool,
    /// At most 20 types: a linear scan beats hashing the type string of every resource.
    types: Vec<&'a str>,
}

/// The tag that CloudFormation puts on every resource of a stack.
pub const STACK_ID_TAG: &str = "aws:cloudformation:stack-id";

impl Matcher<'_> {
    pub fn matches(&self, r: &Resource) -> bool {
        if !self.all_types && !self.types.iter().any(|t| *t == r.resource_type) {
            return false;
        }
        match self.query {
            ResourceQuery::Tags { tag_filters, .. } => {
                tag_filters.iter().all(|f| match r.tag(&f.key) {
                    None => false,
                    Some(value) => f.values.is_empty() || f.values.iter().any(|v| v == value),
                })
            }
            ResourceQuery::Stack {
                stack_identifier, ..
            } => match (stack_identifier, r.tag(STACK_ID_TAG)) {
                (Some(stack), Some(tag)) => stack == tag,
                _ => false,
            },
        }
    }

    /// The resources of `resources` that match, in order.
    pub fn filter<'r>(&self, resources: &'r [Resource]) -> Vec<&'r Resource> {
        resources.iter().filter(|r| self.matches(r)).collect()
    }

    /// How many of `resources` match.
    pub fn count(&self, resources: &[Resource]) -> usize {
        resources.iter().filter(|r| self.matches(r)).count()
    }
}

/// `AWS::Service::Type` (or `AWS::AllSupported`), letters and digits in each part.
pub fn is_resource_type(t: &str) -> bool {
    if t == ALL_SUPPORTED {
        return true;
    }
    let parts: Vec<&str> = t.split("::").collect();
    parts.len() == 3
        && parts[0] == "AWS"
        && parts[1..] // ok: a slice of parts, not a str
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(arn: &str, tags: &[(&str, &str)]) -> Resource {
        Resource::new(
            arn,
            None,
            tags.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn json_round_trip_is_exactly_what_aws_uses() {
        let q = ResourceQuery::tags(vec![TagFilter {
            key: "Stage".into(),
            values: vec!["Test".into()],
        }]);
        let json = q.to_query_json();
        assert_eq!(
            json,
            r#"{"ResourceTypeFilters":["AWS::AllSupported"],"TagFilters":[{"Key":"Stage","Values":["Test"]}]}"#
        );
        assert_eq!(ResourceQuery::from_aws(TAG_FILTERS_1_0, &json).unwrap(), q);
        let s = ResourceQuery::Stack {
            resource_types: vec![ALL_SUPPORTED.into()],
            stack_identifier: Some(
                "arn:aws:cloudformation:us-east-1:123456789012:stack/web/abc".into(),
            ),
        };
        assert_eq!(
            ResourceQuery::from_aws(CLOUDFORMATION_STACK_1_0, &s.to_query_json()).unwrap(),
            s
        );
        assert!(matches!(
            ResourceQuery::from_aws("X", "{}"),
            Err(QueryError::UnknownType(_))
        ));
        assert!(matches!(
            ResourceQuery::from_aws(TAG_FILTERS_1_0, "{"),
            Err(QueryError::BadJson(_))
        ));
    }

    #[test]
    fn keys_and_values_and_types() {
        let q = ResourceQuery::Tags {
            resource_types: vec!["AWS::EC2::Instance".into()],
            tag_filters: vec![
                TagFilter {
                    key: "Stage".into(),
                    values: vec!["Test".into(), "Prod".into()],
                },
                TagFilter {
                    key: "Team".into(),
                    values: vec![],
                },
            ],
        };
        let m = q.matcher();
        let i = "arn:aws:ec2:us-east-1:123456789012:instance/i-1";
        assert!(m.matches(&res(i, &[("Stage", "Prod"), ("Team", "a")])));
        assert!(
            !m.matches(&res(i, &[("Stage", "Dev"), ("Team", "a")])),
            "value not in list"
        );
        assert!(!m.matches(&res(i, &[("Stage", "Prod")])), "missing key");
        assert!(
            !m.matches(&res("arn:aws:s3:::b", &[("Stage", "Prod"), ("Team", "a")])),
            "wrong type"
        );
        let all = ResourceQuery::tags(vec![TagFilter {
            key: "Team".into(),
            values: vec![],
        }]);
        assert!(all.matches(&res("arn:aws:s3:::b", &[("Team", "")])));
    }

    #[test]
    fn stack_queries_match_the_stack_tag() {
        let stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/web/abc";
        let q = ResourceQuery::Stack {
            resource_types: vec![ALL_SUPPORTED.into()],
            stack_identifier: Some(stack.into()),
        };
        assert!(q.matches(&res("arn:aws:s3:::b", &[(STACK_ID_TAG, stack)])));
        assert!(!q.matches(&res("arn:aws:s3:::b", &[])));
        assert!(q.validate().is_empty());
    }

    #[test]
    fn limits_are_checked() {
        let many = ResourceQuery::Tags {
            resource_types: (0..21).map(|i| format!("AWS::S{i}::T")).collect(),
            tag_filters: vec![TagFilter {
                key: "k".into(),
                values: (0..21).map(|i| i.to_string()).collect(),
            }],
        };
        let errs = many.validate();
        assert!(errs.iter().any(|e| e.field == Field::ResourceTypes));
        assert!(errs.iter().any(|e| e.field == Field::TagFilterValues(0)));
        let none = ResourceQuery::Tags {
            resource_types: vec![],
            tag_filters: vec![],
        };
        assert_eq!(none.validate().len(), 2);
        let bad_type = ResourceQuery::Tags {
            resource_types: vec!["EC2".into()],
            tag_filters: vec![TagFilter {
                key: "k".into(),
                values: vec![],
            }],
        };
        assert_eq!(bad_type.validate().len(), 1);
    }
}
