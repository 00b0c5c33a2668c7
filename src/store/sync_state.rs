//! What the store keeps for sync: the outbox (local changes not yet confirmed by the backend),
//! the last-synced copy of each group (the base of three-way merges) and open conflicts.
//! Credentials are never here: they live in memory only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::records::GroupRecord;
use crate::model::{Group, GroupField};

/// One local change waiting for the backend. The change itself is not copied: pushing compares
/// the group as it is now with its base, so several edits of one group go out as one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    /// Assigned by the store, increasing (0 before it is stored).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    pub group_name: String,
    /// `CreateGroup`, `UpdateGroup` or `DeleteGroup` (for display).
    pub action: String,
    pub time: i64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl OutboxEntry {
    pub fn new(group_name: &str, action: &str, time: i64) -> Self {
        OutboxEntry {
            seq: 0,
            group_name: group_name.to_owned(),
            action: action.to_owned(),
            time,
        }
    }
}

/// Both sides changed a group since the last sync; the person decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub group_name: String,
    /// The server's version; `None` when the server deleted the group.
    pub remote: Option<Group>,
    /// The fields both sides changed differently, or [`GroupField::Group`] when one side
    /// deleted it.
    pub fields: Vec<GroupField>,
    pub detected_at: i64,
}

/// A conflict as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictRecord {
    pub group_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<GroupRecord>,
    /// The [`GroupField`] spellings, kept as strings here: a field a newer version added must
    /// not make the conflict unreadable (quarantined). Reading skips what this version does
    /// not know; the conflict itself, which is what the person has to decide, stays.
    #[serde(default)]
    pub fields: Vec<String>,
    pub detected_at: i64,
}

impl From<&Conflict> for ConflictRecord {
    fn from(c: &Conflict) -> Self {
        ConflictRecord {
            group_name: c.group_name.clone(),
            remote: c.remote.as_ref().map(GroupRecord::from),
            fields: c.fields.iter().map(|f| f.as_str().to_owned()).collect(),
            detected_at: c.detected_at,
        }
    }
}

impl ConflictRecord {
    pub fn to_conflict(&self) -> Result<Conflict, String> {
        Ok(Conflict {
            group_name: self.group_name.clone(),
            remote: self.remote.as_ref().map(|r| r.to_group()).transpose()?,
            fields: self
                .fields
                .iter()
                .filter_map(|f| GroupField::parse(f))
                .collect(),
            detected_at: self.detected_at,
        })
    }
}

/// How long a deleted group stays in Recently deleted.
pub const TOMBSTONE_DAYS: i64 = 30;

/// Who deleted a group that is in Recently deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeletedBy {
    /// Sync, because the backend no longer had it (a deletion nobody here meant: the wrong
    /// account, a script gone wrong on the server). Records of the version before this field
    /// were all of this kind, hence the default.
    #[default]
    Sync,
    /// A person, here.
    Here,
}

/// A deleted group, kept as it was for [`TOMBSTONE_DAYS`] days so it can be restored
/// (Recently deleted). Its description stays as private as a stored group's: shown nowhere,
/// logged nowhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tombstone {
    pub group: Group,
    pub deleted_at: i64,
    pub by: DeletedBy,
}

impl Tombstone {
    /// Whether it is older than [`TOMBSTONE_DAYS`] at `now` (ms).
    pub fn expired(&self, now: i64) -> bool {
        now.saturating_sub(self.deleted_at) > TOMBSTONE_DAYS * 24 * 3600 * 1000
    }
}

/// A tombstone as stored (key path `name`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TombstoneRecord {
    pub name: String,
    pub group: GroupRecord,
    pub deleted_at: i64,
    #[serde(default)]
    pub by: DeletedBy,
}

impl From<&Tombstone> for TombstoneRecord {
    fn from(t: &Tombstone) -> Self {
        TombstoneRecord {
            name: t.group.name.clone(),
            group: GroupRecord::from(&t.group),
            deleted_at: t.deleted_at,
            by: t.by,
        }
    }
}

impl TombstoneRecord {
    pub fn to_tombstone(&self) -> Result<Tombstone, String> {
        Ok(Tombstone {
            group: self.group.to_group()?,
            deleted_at: self.deleted_at,
            by: self.by,
        })
    }
}

/// Everything sync keeps, read at once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncState {
    /// In order.
    pub outbox: Vec<OutboxEntry>,
    /// The last-synced copy of each group, by name.
    pub bases: BTreeMap<String, Group>,
    pub conflicts: BTreeMap<String, Conflict>,
}

impl SyncState {
    /// Group names with pending changes, in the order of their first pending entry.
    pub fn pending_names(&self) -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        self.outbox
            .iter()
            .filter(|e| seen.insert(e.group_name.as_str()))
            .map(|e| e.group_name.clone())
            .collect()
    }

    /// The sequence numbers of a group's pending entries.
    pub fn seqs_of(&self, name: &str) -> Vec<u64> {
        self.outbox
            .iter()
            .filter(|e| e.group_name == name)
            .map(|e| e.seq)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Conflicts as the version before the enum stored them read back and are written out the
    /// same.
    #[test]
    fn conflict_fields_round_trip_with_todays_spellings() {
        for json in [
            r#"{"groupName":"web","fields":["Description","ResourceQuery","Tags"],"detectedAt":3}"#,
            r#"{"groupName":"web","fields":["Group"],"detectedAt":4}"#,
            r#"{"groupName":"web","fields":[],"detectedAt":5}"#,
        ] {
            let record: ConflictRecord = serde_json::from_str(json).unwrap();
            let conflict = record.to_conflict().unwrap();
            let again = serde_json::to_string(&ConflictRecord::from(&conflict)).unwrap();
            assert_eq!(again, json);
        }
        let c: ConflictRecord =
            serde_json::from_str(r#"{"groupName":"web","fields":["Group"],"detectedAt":4}"#)
                .unwrap();
        assert_eq!(c.to_conflict().unwrap().fields, [GroupField::Group]);
    }

    #[test]
    fn unknown_conflict_fields_are_skipped_not_fatal() {
        // From a newer version that knows a field this one does not.
        let json = r#"{"groupName":"web","fields":["Configuration","Tags"],"detectedAt":3}"#;
        let record: ConflictRecord = serde_json::from_str(json).unwrap();
        let conflict = record.to_conflict().unwrap();
        assert_eq!(conflict.group_name, "web");
        assert_eq!(conflict.fields, [GroupField::Tags]);
    }
}
