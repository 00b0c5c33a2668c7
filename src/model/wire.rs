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

/// `Group` in GetGroup / CreateGroup / UpdateGroup responses. An absent optional field is
/// "not set": a GetGroup answer is the whole group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WireGroup {
    #[serde(default)]
    pub group_arn: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub criticality: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Output only (application groups).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub application_tag: BTreeMap<String, String>,
}

impl WireGroup {
    /// The group's own fields on the wire: what a GetGroup answer or an export says of it.
    pub fn of(g: &Group, include_description: bool) -> Self {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        WireGroup {
            group_arn: g.arn.clone().unwrap_or_default(),
            name: g.name.clone(),
            description: if include_description {
                some(&g.description)
            } else {
                None
            },
            criticality: g.criticality.map(i64::from),
            owner: some(&g.owner),
            display_name: some(&g.display_name),
            application_tag: g.application_tag.clone(),
        }
    }

    /// Criticality as the model keeps it: a value outside 1–10 (which the API never returns)
    /// is dropped rather than refusing the whole group over it.
    pub fn criticality_in_range(&self) -> Option<u8> {
        criticality_of(self.criticality)
    }
}

/// 1–10 as `u8`, anything else `None`.
pub fn criticality_of(v: Option<i64>) -> Option<u8> {
    v.filter(|c| crate::model::group::check_criticality(Some(*c)).is_none())
        .and_then(|c| u8::try_from(c).ok())
}

/// An integer field that a broken backend might send as text, a float or null: anything but a
/// JSON integer reads as absent instead of failing the whole answer.
fn lenient_int<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(v.as_i64())
}

/// A list that may come as `null`: empty.
fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// `GroupConfiguration` in responses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WireGroupConfiguration {
    /// moto answers a query group's GetGroupConfiguration with `"Configuration": null`: none.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
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

/// POST /update-group: exactly the fields that changed. An absent field is left as it is on
/// the server; an empty description, owner or display name clears it. Criticality cannot be
/// cleared (the API's minimum is 1), so a change to "not set" sends nothing for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateGroupRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    pub group: String,
    pub group_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

impl UpdateGroupRequest {
    /// The description alone.
    pub fn new(name: &str, description: &str) -> Self {
        UpdateGroupRequest {
            description: Some(description.to_owned()),
            ..Self::named(name)
        }
    }

    fn named(name: &str) -> Self {
        UpdateGroupRequest {
            group: name.to_owned(),
            group_name: name.to_owned(),
            ..Self::default()
        }
    }

    /// What turns `base` (the server's copy) into `new`; `None` when UpdateGroup has nothing
    /// to carry (only the query, the configuration or the tags changed, or only a
    /// criticality was unset).
    pub fn between(base: &Group, new: &Group) -> Option<Self> {
        let changed = |a: &String, b: &String| (a != b).then(|| b.clone());
        let req = UpdateGroupRequest {
            criticality: new
                .criticality
                .filter(|_| base.criticality != new.criticality),
            description: changed(&base.description, &new.description),
            display_name: changed(&base.display_name, &new.display_name),
            owner: changed(&base.owner, &new.owner),
            ..Self::named(&new.name)
        };
        let empty = req.criticality.is_none()
            && req.description.is_none()
            && req.display_name.is_none()
            && req.owner.is_none();
        (!empty).then_some(req)
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

/// POST /groups-list. Paging (`maxResults`, `nextToken`) goes in the query string. A sync's
/// pull sends no filters (every group is read: a filtered list would read as "the others were
/// deleted"); [`super::group_filters`] filters go here only for a filtered listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsRequest {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<super::group_filters::GroupFilter>,
}

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
    // Criticality, Owner and DisplayName are in this list too, but not ApplicationTag: the
    // labels are only ever taken from `Groups` (see `summaries`), so they are not read here.
}

/// What one entry of a ListGroups answer says of a group; `None` where the list did not say
/// (see [`ListGroupsResponse::summaries`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupSummary {
    pub name: String,
    pub arn: String,
    pub description: Option<String>,
    /// `Some` only when the page shows that the backend lists these fields.
    pub labels: Option<GroupLabels>,
}

/// Display name, owner, criticality and application tag as a list gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupLabels {
    pub display_name: String,
    pub owner: String,
    pub criticality: Option<u8>,
    pub application_tag: BTreeMap<String, String>,
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
    /// Name, ARN and (when the server says) description and labels of each group. An absent
    /// `Description` is unknown, never empty: AWS documents it as optional in both lists, and
    /// taking "absent" for "empty" would make the merge clear a description that the server
    /// still has (and push the clearing back on the next change).
    ///
    /// The labels (display name, owner, criticality, application tag) are absent when unset,
    /// and also from a backend that does not know them; they are taken as known only from the
    /// `Groups` list (full `Group` shapes, the only list that can carry `ApplicationTag`) on a
    /// page where some entry has one. Everything else is unknown, and the group is read with
    /// GetGroup: a wrong "not set" would make the merge clear what the server has.
    pub fn summaries(&self) -> Vec<GroupSummary> {
        if !self.groups.is_empty() {
            let labelled = self.groups.iter().any(|g| {
                g.criticality.is_some()
                    || g.owner.is_some()
                    || g.display_name.is_some()
                    || !g.application_tag.is_empty()
            });
            return self
                .groups
                .iter()
                .map(|g| GroupSummary {
                    name: g.name.clone(),
                    arn: g.group_arn.clone(),
                    description: g.description.clone(),
                    labels: labelled.then(|| GroupLabels {
                        display_name: g.display_name.clone().unwrap_or_default(),
                        owner: g.owner.clone().unwrap_or_default(),
                        criticality: g.criticality_in_range(),
                        application_tag: g.application_tag.clone(),
                    }),
                })
                .collect();
        }
        self.group_identifiers
            .iter()
            .map(|g| GroupSummary {
                name: g.group_name.clone(),
                arn: g.group_arn.clone(),
                description: g.description.clone(),
                labels: None,
            })
            .collect()
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
        let group_query = g.spec.query().map(|q| GroupQuery {
            group_name: g.name.clone(),
            resource_query: q.into(),
        });
        let items = g.spec.configuration();
        let group_configuration = (!items.is_empty()).then(|| WireGroupConfiguration {
            configuration: items.to_vec(),
            status: None,
            failure_reason: None,
        });
        ExportedGroup {
            group: WireGroup::of(g, include_description),
            group_query,
            group_configuration,
            tags: g.tags.clone(),
        }
    }

    /// The group this entry describes (not validated: the caller runs `Group::validate`).
    pub fn to_group(&self) -> Result<Group, WireError> {
        let query = match &self.group_query {
            Some(q) => Some(ResourceQuery::try_from(&q.resource_query).map_err(WireError::Query)?),
            None => None,
        };
        let configuration = self
            .group_configuration
            .as_ref()
            .map(|c| c.configuration.clone())
            .unwrap_or_default();
        let spec =
            GroupSpec::from_parts(query, configuration).ok_or(WireError::NoQueryOrConfiguration)?;
        Ok(Group {
            name: self.group.name.clone(),
            description: self.group.description.clone().unwrap_or_default(),
            spec,
            tags: self.tags.clone(),
            arn: (!self.group.group_arn.is_empty()).then(|| self.group.group_arn.clone()),
            display_name: self.group.display_name.clone().unwrap_or_default(),
            owner: self.group.owner.clone().unwrap_or_default(),
            criticality: self.group.criticality_in_range(),
            application_tag: self.group.application_tag.clone(),
            created_at: 0,
            updated_at: 0,
        })
    }
}

impl CreateGroupRequest {
    pub fn from_group(g: &Group) -> Self {
        let resource_query = g.spec.query().map(Into::into);
        let configuration = g.spec.configuration().to_vec();
        CreateGroupRequest {
            name: g.name.clone(),
            description: (!g.description.is_empty()).then(|| g.description.clone()),
            resource_query,
            tags: g.tags.clone(),
            configuration,
            criticality: g.criticality,
            owner: (!g.owner.is_empty()).then(|| g.owner.clone()),
            display_name: (!g.display_name.is_empty()).then(|| g.display_name.clone()),
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
        assert_eq!(body(&ListGroupsRequest::default()), "{}");
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
