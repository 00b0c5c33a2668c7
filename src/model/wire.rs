//! The AWS Resource Groups wire shapes (REST-JSON, PascalCase), as the API sends them and as
//! the AWS CLI prints them, and conversions to and from [`Group`].
//!
//! Unknown fields are ignored when reading, so newer API versions and CLI output still import.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::group::{ConfigurationItem, Group, GroupSpec};
use super::query::{QueryError, ResourceQuery};

/// `ResourceQuery` on the wire: the type and the query as a JSON string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WireResourceQuery {
    #[serde(rename = "Type")]
    pub kind: String,
    pub query: String,
}

impl From<&ResourceQuery> for WireResourceQuery {
    fn from(q: &ResourceQuery) -> Self {
        WireResourceQuery {
            kind: q.type_name().to_owned(),
            query: q.to_query_json(),
        }
    }
}

impl TryFrom<&WireResourceQuery> for ResourceQuery {
    type Error = QueryError;
    fn try_from(w: &WireResourceQuery) -> Result<Self, QueryError> {
        ResourceQuery::from_aws(&w.kind, &w.query)
    }
}

/// `Group` in GetGroup / CreateGroup / UpdateGroup responses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WireGroup {
    #[serde(default)]
    pub group_arn: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `GroupConfiguration` in responses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WireGroupConfiguration {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configuration: Vec<ConfigurationItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

/// POST /groups
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateGroupRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_query: Option<WireResourceQuery>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configuration: Vec<ConfigurationItem>,
}

/// A group by name: the body of GetGroup, GetGroupQuery, GetGroupConfiguration and
/// DeleteGroup. The name goes under both `Group` (current) and `GroupName` (deprecated by AWS,
/// still accepted), so a backend that reads only one of them still finds the group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupNameRequest {
    pub group: String,
    pub group_name: String,
}

impl GroupNameRequest {
    pub fn new(name: &str) -> Self {
        GroupNameRequest {
            group: name.to_owned(),
            group_name: name.to_owned(),
        }
    }
}

/// POST /update-group. The description is always sent: an empty one clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateGroupRequest {
    pub description: String,
    pub group: String,
    pub group_name: String,
}

impl UpdateGroupRequest {
    pub fn new(name: &str, description: &str) -> Self {
        UpdateGroupRequest {
            description: description.to_owned(),
            group: name.to_owned(),
            group_name: name.to_owned(),
        }
    }
}

/// POST /update-group-query
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateGroupQueryRequest {
    pub group: String,
    pub group_name: String,
    pub resource_query: WireResourceQuery,
}

impl UpdateGroupQueryRequest {
    pub fn new(name: &str, query: &ResourceQuery) -> Self {
        UpdateGroupQueryRequest {
            group: name.to_owned(),
            group_name: name.to_owned(),
            resource_query: query.into(),
        }
    }
}

/// POST /put-group-configuration: replaces the group's configuration with this one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutGroupConfigurationRequest {
    pub configuration: Vec<ConfigurationItem>,
    pub group: String,
}

/// PUT /resources/{arn}/tags: adds tags or replaces their values; other tags stay.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagRequest {
    pub tags: BTreeMap<String, String>,
}

/// PATCH /resources/{arn}/tags: removes tags by key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagRequest {
    pub keys: Vec<String>,
}

/// POST /groups-list. Empty: paging (`maxResults`, `nextToken`) goes in the query string, and
/// no filters are used (every group is read, the filtering happens here).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListGroupsRequest {}

/// POST /list-group-resources
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupResourcesRequest {
    pub group: String,
    pub max_results: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateGroupResponse {
    pub group: WireGroup,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_query: Option<WireResourceQuery>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_configuration: Option<WireGroupConfiguration>,
}

/// What `aws resource-groups get-group` prints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetGroupResponse {
    pub group: WireGroup,
}

/// One entry of ListGroups' `GroupIdentifiers`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupIdentifier {
    pub group_name: String,
    #[serde(default)]
    pub group_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What `aws resource-groups list-groups` prints (and POST /groups-list returns).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsResponse {
    #[serde(default)]
    pub group_identifiers: Vec<GroupIdentifier>,
    /// Deprecated by AWS but still sent (moto sends only this one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<WireGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl ListGroupsResponse {
    /// Name, ARN and (when the server says) description of each group. An absent
    /// `Description` is unknown, never empty: AWS documents it as optional in both lists, and
    /// taking "absent" for "empty" would make the merge clear a description that the server
    /// still has (and push the clearing back on the next change).
    pub fn summaries(&self) -> Vec<(String, String, Option<String>)> {
        if !self.groups.is_empty() {
            self.groups
                .iter()
                .map(|g| (g.name.clone(), g.group_arn.clone(), g.description.clone()))
                .collect()
        } else {
            self.group_identifiers
                .iter()
                .map(|g| {
                    (
                        g.group_name.clone(),
                        g.group_arn.clone(),
                        g.description.clone(),
                    )
                })
                .collect()
        }
    }

    /// Group names from whichever list the server filled.
    pub fn names(&self) -> Vec<String> {
        if !self.group_identifiers.is_empty() {
            self.group_identifiers
                .iter()
                .map(|g| g.group_name.clone())
                .collect()
        } else {
            self.groups.iter().map(|g| g.name.clone()).collect()
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupQuery {
    pub group_name: String,
    pub resource_query: WireResourceQuery,
}

/// What `aws resource-groups get-group-query` prints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetGroupQueryResponse {
    pub group_query: GroupQuery,
}

/// What `aws resource-groups get-tags` prints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTagsResponse {
    #[serde(default)]
    pub arn: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// One group in our export: the three CLI outputs side by side, so scripts that expect AWS
/// shapes can read it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportedGroup {
    pub group: WireGroup,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_query: Option<GroupQuery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_configuration: Option<WireGroupConfiguration>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Why wire data could not become a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    Query(QueryError),
    NoQueryOrConfiguration,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::Query(e) => e.fmt(f),
            WireError::NoQueryOrConfiguration => {
                f.write_str("The group has neither a resource query nor a configuration.")
            }
        }
    }
}

impl ExportedGroup {
    /// The export entry of a group; the description only when asked for (it is private).
    pub fn from_group(g: &Group, include_description: bool) -> Self {
        let (group_query, group_configuration) = match &g.spec {
            GroupSpec::Query(q) => (
                Some(GroupQuery {
                    group_name: g.name.clone(),
                    resource_query: q.into(),
                }),
                None,
            ),
            GroupSpec::Configuration(items) => (
                None,
                Some(WireGroupConfiguration {
                    configuration: items.clone(),
                    status: None,
                    failure_reason: None,
                }),
            ),
        };
        ExportedGroup {
            group: WireGroup {
                group_arn: g.arn.clone().unwrap_or_default(),
                name: g.name.clone(),
                description: (include_description && !g.description.is_empty())
                    .then(|| g.description.clone()),
            },
            group_query,
            group_configuration,
            tags: g.tags.clone(),
        }
    }

    /// The group this entry describes (not validated: the caller runs `Group::validate`).
    pub fn to_group(&self) -> Result<Group, WireError> {
        let spec = match (&self.group_query, &self.group_configuration) {
            (Some(q), _) => GroupSpec::Query(
                ResourceQuery::try_from(&q.resource_query).map_err(WireError::Query)?,
            ),
            (None, Some(c)) if !c.configuration.is_empty() => {
                GroupSpec::Configuration(c.configuration.clone())
            }
            _ => return Err(WireError::NoQueryOrConfiguration),
        };
        Ok(Group {
            name: self.group.name.clone(),
            description: self.group.description.clone().unwrap_or_default(),
            spec,
            tags: self.tags.clone(),
            arn: (!self.group.group_arn.is_empty()).then(|| self.group.group_arn.clone()),
            created_at: 0,
            updated_at: 0,
        })
    }
}

impl CreateGroupRequest {
    pub fn from_group(g: &Group) -> Self {
        let (resource_query, configuration) = match &g.spec {
            GroupSpec::Query(q) => (Some(q.into()), Vec::new()),
            GroupSpec::Configuration(items) => (None, items.clone()),
        };
        CreateGroupRequest {
            name: g.name.clone(),
            description: (!g.description.is_empty()).then(|| g.description.clone()),
            resource_query,
            tags: g.tags.clone(),
            configuration,
        }
    }
}

/// A group from the three read calls (GetGroup, GetGroupQuery, GetTags).
pub fn group_from_responses(
    group: &GetGroupResponse,
    query: Option<&GetGroupQueryResponse>,
    tags: Option<&GetTagsResponse>,
) -> Result<Group, WireError> {
    ExportedGroup {
        group: group.group.clone(),
        group_query: query.map(|q| q.group_query.clone()),
        group_configuration: None,
        tags: tags.map(|t| t.tags.clone()).unwrap_or_default(),
    }
    .to_group()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_cli_prints() {
        let get: GetGroupResponse = serde_json::from_str(
            r#"{"Group": {"GroupArn": "arn:aws:resource-groups:us-east-1:123456789012:group/web", "Name": "web", "Description": "Web tier", "Criticality": 1}}"#,
        )
        .unwrap();
        let query: GetGroupQueryResponse = serde_json::from_str(
            r#"{"GroupQuery": {"GroupName": "web", "ResourceQuery": {"Type": "TAG_FILTERS_1_0", "Query": "{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Test\"]}]}"}}}"#,
        )
        .unwrap();
        let tags: GetTagsResponse =
            serde_json::from_str(r#"{"Arn": "arn:aws:resource-groups:us-east-1:123456789012:group/web", "Tags": {"Team": "Platform"}}"#).unwrap();
        let g = group_from_responses(&get, Some(&query), Some(&tags)).unwrap();
        assert_eq!(g.name, "web");
        assert_eq!(g.description, "Web tier");
        assert_eq!(g.tags["Team"], "Platform");
        assert_eq!(g.query().unwrap().resource_types(), ["AWS::AllSupported"]);
        assert!(g.validate().is_empty());
    }

    #[test]
    fn list_groups_from_either_list() {
        let aws: ListGroupsResponse =
            serde_json::from_str(r#"{"GroupIdentifiers": [{"GroupName": "a", "GroupArn": "x"}], "Groups": [{"GroupArn": "x", "Name": "a"}], "NextToken": "t"}"#).unwrap();
        assert_eq!(aws.names(), ["a"]);
        assert_eq!(aws.next_token.as_deref(), Some("t"));
        let moto: ListGroupsResponse =
            serde_json::from_str(r#"{"Groups": [{"GroupArn": "x", "Name": "b"}]}"#).unwrap();
        assert_eq!(moto.names(), ["b"]);
    }

    #[test]
    fn requests_are_sent_as_aws_spells_them() {
        fn body<B: Serialize>(b: &B) -> String {
            serde_json::to_string(b).unwrap()
        }
        assert_eq!(
            body(&GroupNameRequest::new("web")),
            r#"{"Group":"web","GroupName":"web"}"#
        );
        assert_eq!(
            body(&UpdateGroupRequest::new("web", "")),
            r#"{"Description":"","Group":"web","GroupName":"web"}"#
        );
        let q = ResourceQuery::tags(vec![crate::model::TagFilter {
            key: "Stage".into(),
            values: vec!["Prod".into()],
        }]);
        assert_eq!(
            body(&UpdateGroupQueryRequest::new("web", &q)),
            r#"{"Group":"web","GroupName":"web","ResourceQuery":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}}"#
        );
        assert_eq!(
            body(&PutGroupConfigurationRequest {
                configuration: vec![ConfigurationItem {
                    kind: "AWS::EC2::CapacityReservationPool".into(),
                    parameters: vec![],
                }],
                group: "pool".into(),
            }),
            r#"{"Configuration":[{"Type":"AWS::EC2::CapacityReservationPool"}],"Group":"pool"}"#
        );
        assert_eq!(
            body(&PutGroupConfigurationRequest::default()),
            r#"{"Configuration":[],"Group":""}"#
        );
        assert_eq!(
            body(&TagRequest {
                tags: [("Team", "B"), ("Ω-key", "ß")]
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            }),
            r#"{"Tags":{"Team":"B","Ω-key":"ß"}}"#
        );
        assert_eq!(
            body(&UntagRequest {
                keys: vec!["Kostenstelle-ä".into(), "Old".into()],
            }),
            r#"{"Keys":["Kostenstelle-ä","Old"]}"#
        );
        assert_eq!(body(&ListGroupsRequest {}), "{}");
        let mut page = ListGroupResourcesRequest {
            group: "web".into(),
            max_results: 50,
            next_token: None,
        };
        assert_eq!(body(&page), r#"{"Group":"web","MaxResults":50}"#);
        page.next_token = Some("n\"1".into());
        assert_eq!(
            body(&page),
            r#"{"Group":"web","MaxResults":50,"NextToken":"n\"1"}"#
        );
    }

    #[test]
    fn export_round_trip_and_private_descriptions() {
        let mut g = Group::new(
            "web",
            ResourceQuery::tags(vec![crate::model::TagFilter {
                key: "Stage".into(),
                values: vec![],
            }]),
        );
        g.description = "secret plans".into();
        g.tags.insert("Team".into(), "A".into());
        let without = serde_json::to_string(&ExportedGroup::from_group(&g, false)).unwrap();
        assert!(!without.contains("secret plans"));
        let with = ExportedGroup::from_group(&g, true);
        let back: ExportedGroup =
            serde_json::from_str(&serde_json::to_string(&with).unwrap()).unwrap();
        assert_eq!(back.to_group().unwrap(), g);
        let req = serde_json::to_value(CreateGroupRequest::from_group(&g)).unwrap();
        assert_eq!(req["ResourceQuery"]["Type"], "TAG_FILTERS_1_0");
        assert_eq!(req["Tags"]["Team"], "A");
    }
}
