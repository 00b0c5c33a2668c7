//! How records look in storage, per schema version, and the pure conversions between them.
//!
//! Schema history (see `SCHEMA_VERSION`):
//! - v1: `groups` (key path `name`) with tags as an AWS-style list `[{Key, Value}]` and the query
//!   as separate `queryType`/`query` fields; `meta`.
//! - v2: groups with tags as a map and the query in AWS wire shape (`{Type, Query}`), or a
//!   configuration; new stores `resources` (key path `arn`, index `type`), `activity`
//!   (auto-increment, index `group`) and `outbox` (auto-increment, for sync).
//! - v3: new stores `syncBase` (the last-synced copy of each group, as a group record) and
//!   `conflicts` (see `sync_state.rs`); no record changes shape.
//! - v4: new store `tombstones` (groups deleted here by sync, restorable).
//! - v5: `resources` becomes `inventory`: the same resource records, kept as JSON text in 256
//!   blocks (key: FNV-1a of the ARN modulo 256, see `idbBlockOf` in `idb.rs`) instead of one
//!   IndexedDB record each. IndexedDB's cost is per record: at 100,000 resources a read of
//!   every record took ~1 s before the first count could be shown, 256 blocks a few tens of
//!   milliseconds. Blocks are also what encryption at rest will encrypt, one IV each.
//! - v6: group records (in `groups`, `syncBase`, `tombstones`, conflicts and backups) may
//!   carry `displayName`, `owner`, `criticality` and `applicationTag`. No record is rewritten:
//!   older records read as "none". The version goes up so that an older version of the app,
//!   which would drop the new fields on its next write, refuses this database (and a v6
//!   backup) instead of opening it.
//!
//! A new version adds a step to `MIGRATIONS` in `idb.rs` and, if records change shape, a pure
//! function here with a native test.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::group::ConfigurationItem;
use crate::model::wire::WireResourceQuery;
use crate::model::{Group, GroupSpec, Resource, ResourceQuery};

/// The current schema version.
pub const SCHEMA_VERSION: u32 = 6;

/// A group as stored (v2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRecord {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<WireResourceQuery>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configuration: Vec<ConfigurationItem>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// From v6 on; absent (older records): none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<u8>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub application_tag: BTreeMap<String, String>,
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

impl From<&Group> for GroupRecord {
    fn from(g: &Group) -> Self {
        let query = g.spec.query().map(Into::into);
        let configuration = g.spec.configuration().to_vec();
        GroupRecord {
            name: g.name.clone(),
            description: g.description.clone(),
            query,
            configuration,
            tags: g.tags.clone(),
            arn: g.arn.clone(),
            display_name: g.display_name.clone(),
            owner: g.owner.clone(),
            criticality: g.criticality,
            application_tag: g.application_tag.clone(),
            created_at: g.created_at,
            updated_at: g.updated_at,
        }
    }
}

impl GroupRecord {
    pub fn to_group(&self) -> Result<Group, String> {
        let query = match &self.query {
            Some(q) => Some(ResourceQuery::try_from(q).map_err(|e| e.to_string())?),
            None => None,
        };
        // Neither (never written by this code) stays an empty configuration, which validation
        // reports, rather than a record that cannot be opened.
        let spec = GroupSpec::from_parts(query, self.configuration.clone())
            .unwrap_or(GroupSpec::Configuration(Vec::new()));
        Ok(Group {
            name: self.name.clone(),
            description: self.description.clone(),
            spec,
            tags: self.tags.clone(),
            arn: self.arn.clone(),
            display_name: self.display_name.clone(),
            owner: self.owner.clone(),
            criticality: self.criticality,
            application_tag: self.application_tag.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A resource as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRecord {
    pub arn: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// The region of the backend pull that brought it (absent: imported or made here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pulled_from: Option<String>,
}

impl From<&Resource> for ResourceRecord {
    fn from(r: &Resource) -> Self {
        ResourceRecord {
            arn: r.arn.clone(),
            resource_type: r.resource_type.clone(),
            tags: r.tags.clone(),
            pulled_from: r.pulled_from.clone(),
        }
    }
}

impl From<ResourceRecord> for Resource {
    fn from(r: ResourceRecord) -> Self {
        Resource {
            arn: r.arn,
            resource_type: r.resource_type,
            tags: r.tags,
            pulled_from: r.pulled_from,
        }
    }
}

/// A group as schema v1 stored it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRecordV1 {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub query_type: String,
    pub query: String,
    #[serde(default)]
    pub tags: Vec<TagV1>,
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagV1 {
    pub key: String,
    #[serde(default)]
    pub value: String,
}

/// v1 → v2 for one group record (JSON text in, JSON text out).
pub fn migrate_group_v1_to_v2(v1_json: &str) -> Result<String, String> {
    let old: GroupRecordV1 = serde_json::from_str(v1_json).map_err(|e| e.to_string())?;
    let new = GroupRecord {
        name: old.name,
        description: old.description,
        query: Some(WireResourceQuery {
            kind: old.query_type,
            query: old.query,
        }),
        configuration: Vec::new(),
        tags: old.tags.into_iter().map(|t| (t.key, t.value)).collect(),
        arn: None,
        display_name: String::new(),
        owner: String::new(),
        criticality: None,
        application_tag: BTreeMap::new(),
        created_at: old.created_at,
        updated_at: old.updated_at,
    };
    serde_json::to_string(&new).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TagFilter;

    #[test]
    fn group_records_round_trip() {
        let mut g = Group::new(
            "web",
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec!["Prod".into()],
            }]),
        );
        g.tags.insert("Team".into(), "A".into());
        g.description = "d".into();
        let json = serde_json::to_string(&GroupRecord::from(&g)).unwrap();
        let back: GroupRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_group().unwrap(), g);
    }

    #[test]
    fn a_query_with_a_configuration_beside_it_round_trips() {
        let items = vec![crate::model::group::ConfigurationItem {
            kind: "AWS::NetworkFirewall::RuleGroup".into(),
            parameters: vec![],
        }];
        let mut g = Group::new("fw", ResourceQuery::tags(vec![]));
        g.spec = GroupSpec::QueryAndConfiguration(ResourceQuery::tags(vec![]), items);
        let json = serde_json::to_string(&GroupRecord::from(&g)).unwrap();
        let back: GroupRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_group().unwrap(), g);
        // And through an export file.
        let entry = crate::model::wire::ExportedGroup::from_group(&g, false);
        assert_eq!(entry.to_group().unwrap().spec, g.spec);
    }

    #[test]
    fn v1_records_migrate() {
        let v1 = r#"{"name":"web","description":"Web tier","queryType":"TAG_FILTERS_1_0","query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}","tags":[{"Key":"Team","Value":"A"}],"createdAt":5,"updatedAt":6}"#;
        let v2: GroupRecord = serde_json::from_str(&migrate_group_v1_to_v2(v1).unwrap()).unwrap();
        let g = v2.to_group().unwrap();
        assert_eq!(g.name, "web");
        assert_eq!(g.description, "Web tier");
        assert_eq!(g.tags["Team"], "A");
        assert_eq!((g.created_at, g.updated_at), (5, 6));
        assert!(g.validate().is_empty());
        assert!(migrate_group_v1_to_v2("{}").is_err());
    }
}
