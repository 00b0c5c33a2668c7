//! Reading stored records one at a time, so that one bad record cannot take the app down.
//!
//! Data on disk outlives the code that wrote it: an older version stored a group before the
//! guard knew a class of secret, a backend slipped in a record another version accepted, an
//! extension or a person with the developer tools edited IndexedDB. Each record is decoded and
//! then put through exactly the check a write goes through ([`super::check_op`]); one that
//! fails is *quarantined*: left untouched where it is, kept out of the app's data, and listed
//! in Settings with its reason so that the person can export it and delete it. The rest loads.
//!
//! Invariants: a quarantined record is never shown as data, never pushed and never silently
//! overwritten (sync skips its name; IndexedDB's `ExpectGroup` sees it as present). Reasons
//! never quote the record: they name the field and the rule.

use serde::de::DeserializeOwned;

use super::records::{GroupRecord, ResourceRecord};
use super::sync_state::{ConflictRecord, TombstoneRecord};
use super::{check_op, Conflict, Op, OutboxEntry, StoreError, Tombstone};
use crate::model::{Group, Resource};

/// Which kind of record (and so which IndexedDB object store) a quarantined record is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordKind {
    Group,
    Resource,
    /// A last-synced copy of a group.
    Base,
    Conflict,
    Tombstone,
    Outbox,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Group,
        RecordKind::Resource,
        RecordKind::Base,
        RecordKind::Conflict,
        RecordKind::Tombstone,
        RecordKind::Outbox,
    ];

    /// The IndexedDB object store.
    pub fn store_name(self) -> &'static str {
        match self {
            RecordKind::Group => "groups",
            RecordKind::Resource => "inventory",
            RecordKind::Base => "syncBase",
            RecordKind::Conflict => "conflicts",
            RecordKind::Tombstone => "tombstones",
            RecordKind::Outbox => "outbox",
        }
    }

    /// The record's key field in its stored JSON.
    fn key_field(self) -> &'static str {
        match self {
            RecordKind::Group | RecordKind::Base | RecordKind::Tombstone => "name",
            RecordKind::Resource => "arn",
            RecordKind::Conflict => "groupName",
            RecordKind::Outbox => "seq",
        }
    }

    /// What people call it, for Settings.
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Group => "Group",
            RecordKind::Resource => "Resource",
            RecordKind::Base => "Last-synced copy",
            RecordKind::Conflict => "Sync conflict",
            RecordKind::Tombstone => "Deleted group (restorable)",
            RecordKind::Outbox => "Pending change",
        }
    }

    /// Whether this kind belongs to a group of that name (sync skips such names).
    pub fn names_a_group(self) -> bool {
        !matches!(self, RecordKind::Resource)
    }
}

/// A stored record that failed to decode or to pass the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarantined {
    pub kind: RecordKind,
    /// The record's key as stored (a group name, an ARN, an outbox sequence number); empty
    /// when the record has none. Group names may be what the guard flags: show them masked.
    pub key: String,
    /// Why, in plain words, without quoting the record.
    pub reason: String,
    /// The record as stored (JSON), for the export. Contains the description: only the
    /// person's own download may carry it.
    pub raw: String,
}

/// The key of a raw record, as text.
fn key_of(kind: RecordKind, value: &serde_json::Value) -> String {
    match value.get(kind.key_field()) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// serde's messages can quote the offending value ("invalid type: string \"…\""), so only
/// where the problem is goes into the reason.
fn unreadable(e: &serde_json::Error) -> String {
    let _ = e;
    "It is not in the format this version stores: a field is missing or has the wrong type."
        .to_owned()
}

fn rejected(e: StoreError) -> String {
    match e {
        StoreError::Invalid { errors, .. } => errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        StoreError::Refused(m) => m,
        other => other.to_string(),
    }
}

/// Decodes a JSON array of stored records one by one: `decode` turns one record into an
/// [`Op`] that would write it (so [`check_op`] judges it as it would a write) and `take` gets
/// the value back out. Only a text that is not a JSON array at all fails as a whole.
fn decode_all<R: DeserializeOwned + serde::Serialize, T>(
    kind: RecordKind,
    json: &str,
    decode: impl Fn(&R) -> Result<Op, String>,
    take: impl Fn(Op) -> Option<T>,
) -> Result<(Vec<T>, Vec<Quarantined>), StoreError> {
    // The fast path: every record has the stored shape (the usual case), so the list decodes
    // straight into records, without a JSON tree per record (at 100,000 resources that tree
    // costs more than the checks). Only a record that fails the checks is turned back into
    // JSON, for its entry in the quarantine.
    if let Ok(records) = serde_json::from_str::<Vec<R>>(json) {
        let mut good = Vec::with_capacity(records.len());
        let mut bad = Vec::new();
        for record in &records {
            let op = decode(record).and_then(|op| check_op(&op).map(|()| op).map_err(rejected));
            match op.map(&take) {
                Ok(Some(t)) => good.push(t),
                Ok(None) => {}
                Err(reason) => {
                    let value = serde_json::to_value(record).unwrap_or(serde_json::Value::Null);
                    bad.push(Quarantined {
                        kind,
                        key: key_of(kind, &value),
                        reason,
                        raw: value.to_string(),
                    });
                }
            }
        }
        return Ok((good, bad));
    }
    // Some record is of another shape: decode one by one, so only that one is set aside.
    let values: Vec<serde_json::Value> = serde_json::from_str(json).map_err(|_| {
        StoreError::Failed(format!(
            "the stored {} could not be read as a list",
            kind.store_name()
        ))
    })?;
    let mut good = Vec::with_capacity(values.len());
    let mut bad = Vec::new();
    for value in values {
        // An encrypted record that did not decrypt (see `vault::UNDECRYPTABLE_PREFIX`).
        if let Some(key) = value
            .as_str()
            .and_then(|s| s.strip_prefix(super::vault::UNDECRYPTABLE_PREFIX))
        {
            bad.push(Quarantined {
                kind,
                key: key.to_owned(),
                reason: super::vault::UNDECRYPTABLE_REASON.to_owned(),
                raw: "\"(an encrypted record that could not be decrypted)\"".to_owned(),
            });
            continue;
        }
        let key = key_of(kind, &value);
        let raw = value.to_string();
        // Read again from its text, not from the tree: the wasm then carries one decoder per
        // record type (the fast path's, from text) instead of two (measured: GroupRecord's from
        // a tree alone was 5.4 KiB of the main module). This path is only for the rare list
        // with a record of another shape.
        let op = serde_json::from_str::<R>(&raw)
            .map_err(|e| unreadable(&e))
            .and_then(|r| decode(&r))
            .and_then(|op| check_op(&op).map(|()| op).map_err(rejected));
        match op.map(&take) {
            Ok(Some(t)) => good.push(t),
            Ok(None) => {}
            Err(reason) => bad.push(Quarantined {
                kind,
                key,
                reason,
                raw,
            }),
        }
    }
    Ok((good, bad))
}

type Loaded<T> = Result<(Vec<T>, Vec<Quarantined>), StoreError>;

pub fn groups(json: &str) -> Loaded<Group> {
    decode_all(
        RecordKind::Group,
        json,
        |r: &GroupRecord| r.to_group().map(Op::PutGroup),
        |op| match op {
            Op::PutGroup(g) => Some(g),
            _ => None,
        },
    )
}

pub fn bases(json: &str) -> Loaded<Group> {
    decode_all(
        RecordKind::Base,
        json,
        |r: &GroupRecord| r.to_group().map(Op::PutBase),
        |op| match op {
            Op::PutBase(g) => Some(g),
            _ => None,
        },
    )
}

pub fn resources(json: &str) -> Loaded<Resource> {
    decode_all(
        RecordKind::Resource,
        json,
        |r: &ResourceRecord| Ok(Op::PutResource(r.clone().into())),
        |op| match op {
            Op::PutResource(r) => Some(r),
            _ => None,
        },
    )
}

/// Resources decoded without their checks (see `Store::resources_unchecked`); when a record
/// is not of the stored shape, the strict path, so that record is left out here too.
pub fn resources_unchecked(json: &str) -> Result<Vec<Resource>, StoreError> {
    match serde_json::from_str::<Vec<ResourceRecord>>(json) {
        Ok(records) => Ok(records.into_iter().map(Resource::from).collect()),
        Err(_) => resources(json).map(|(good, _)| good),
    }
}

/// One stored block of the inventory (schema v5 keeps resources in blocks of a few hundred,
/// see `idbBlockOf` in `idb.rs`): its key, and its text (a JSON list of resource records), or
/// `None` when the stored value is not text at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub key: String,
    pub text: Option<String>,
}

/// A quarantined block (rather than one resource) has this prefix before its key.
pub const BLOCK_KEY_PREFIX: &str = "block:";

/// Why a write that touches a damaged block is refused (it would write over it).
pub const DAMAGED_BLOCK_WRITE: &str = "A stored block of the inventory is damaged, and this change would write over it. Settings \u{2192} Quarantined records lists it: export it, delete it, then try again.";

const DAMAGED_BLOCK: &str = "This block of the stored inventory is not a list of resources (damaged, or written by something else): every resource in it is set aside.";

fn damaged_block(block: &Block) -> Quarantined {
    Quarantined {
        kind: RecordKind::Resource,
        key: format!("{BLOCK_KEY_PREFIX}{}", block.key),
        reason: DAMAGED_BLOCK.to_owned(),
        raw: block
            .text
            .as_deref()
            .map(|t| serde_json::Value::String(t.to_owned()).to_string())
            .unwrap_or_else(|| "null".to_owned()),
    }
}

/// Resources in ARN order, once each (blocks are disjoint by construction; a planted duplicate
/// keeps its first copy).
fn in_arn_order(mut resources: Vec<Resource>) -> Vec<Resource> {
    crate::sort::sort_by(&mut resources, |a, b| a.arn.cmp(&b.arn));
    resources.dedup_by(|later, first| later.arn == first.arn);
    resources
}

/// The inventory from its blocks, each record checked as [`resources`] checks it. A block
/// that is not a list is quarantined whole; inside a list, record by record.
pub fn resources_in_blocks(blocks: &[Block]) -> (Vec<Resource>, Vec<Quarantined>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for block in blocks {
        match block.text.as_deref().map(resources) {
            Some(Ok((g, b))) => {
                good.extend(g);
                bad.extend(b);
            }
            Some(Err(_)) | None => bad.push(damaged_block(block)),
        }
    }
    (in_arn_order(good), bad)
}

/// The inventory from its blocks without the checks (see `Store::resources_unchecked`);
/// records of another shape and damaged blocks are left out, as the checked path would.
pub fn resources_in_blocks_unchecked(blocks: &[Block]) -> Vec<Resource> {
    let mut all = Vec::new();
    for text in blocks.iter().filter_map(|b| b.text.as_deref()) {
        if let Ok(list) = resources_unchecked(text) {
            all.extend(list);
        }
    }
    in_arn_order(all)
}

pub fn conflicts(json: &str) -> Loaded<Conflict> {
    decode_all(
        RecordKind::Conflict,
        json,
        |r: &ConflictRecord| r.to_conflict().map(Op::PutConflict),
        |op| match op {
            Op::PutConflict(c) => Some(c),
            _ => None,
        },
    )
}

pub fn tombstones(json: &str) -> Loaded<Tombstone> {
    decode_all(
        RecordKind::Tombstone,
        json,
        |r: &TombstoneRecord| r.to_tombstone().map(Op::PutTombstone),
        |op| match op {
            Op::PutTombstone(t) => Some(t),
            _ => None,
        },
    )
}

/// Outbox entries keep the `seq` IndexedDB gave them (an `Enqueue` is checked with it).
pub fn outbox(json: &str) -> Loaded<OutboxEntry> {
    decode_all(
        RecordKind::Outbox,
        json,
        |e: &OutboxEntry| Ok(Op::Enqueue(e.clone())),
        |op| match op {
            Op::Enqueue(e) => Some(e),
            _ => None,
        },
    )
}

/// Everything quarantined, as one JSON file for the person to keep or fix: each record as
/// stored, with its kind and reason.
pub fn export(quarantined: &[Quarantined]) -> String {
    let items: Vec<serde_json::Value> = quarantined
        .iter()
        .map(|q| {
            serde_json::json!({
                "store": q.kind.store_name(),
                "key": q.key,
                "reason": q.reason,
                "record": serde_json::from_str::<serde_json::Value>(&q.raw)
                    .unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "quarantined": items }))
        .unwrap_or_else(|_| "{}".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bad_group_is_set_aside_and_the_rest_loads() {
        let json = r#"[
            {"name":"web","description":"","query":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"},"tags":{"環境":"本番"}},
            {"name":"prod-123456789012","description":"","query":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}},
            {"name":"keyed","description":"deploy key AKIAIOSFODNN7EXAMPLE","query":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}},
            {"name":"broken","tags":"not a map"},
            {"name":"badquery","query":{"Type":"TAG_FILTERS_1_0","Query":"{not json"}},
            42
        ]"#;
        let (good, bad) = groups(json).unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(good[0].tags["環境"], "本番");
        let keys: Vec<&str> = bad.iter().map(|q| q.key.as_str()).collect();
        assert_eq!(
            keys,
            ["prod-123456789012", "keyed", "broken", "badquery", ""]
        );
        for q in &bad {
            assert_eq!(q.kind, RecordKind::Group);
            assert!(!q.reason.is_empty());
            // Reasons never quote the record.
            for secret in ["123456789012", "AKIA", "not a map", "deploy key"] {
                assert!(!q.reason.contains(secret), "{}", q.reason);
            }
        }
        // The export keeps each record exactly as stored.
        let file: serde_json::Value = serde_json::from_str(&export(&bad)).unwrap();
        assert_eq!(
            file["quarantined"][1]["record"]["description"],
            "deploy key AKIAIOSFODNN7EXAMPLE"
        );
        assert_eq!(file["quarantined"][0]["store"], "groups");
        assert!(groups("{}").is_err());
    }

    #[test]
    fn an_undecryptable_record_is_set_aside_under_its_stored_key() {
        let marker = format!("{}k4Zx_opaque", crate::store::vault::UNDECRYPTABLE_PREFIX);
        let json = serde_json::to_string(&serde_json::json!([
            {"name":"web","query":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}},
            marker,
        ]))
        .unwrap();
        let (good, bad) = groups(&json).unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].key, "k4Zx_opaque");
        assert_eq!(bad[0].reason, crate::store::vault::UNDECRYPTABLE_REASON);
        let (good, bad) = outbox(&serde_json::to_string(&[marker]).unwrap()).unwrap();
        assert!(good.is_empty());
        assert_eq!(bad[0].kind, RecordKind::Outbox);
    }

    #[test]
    fn resources_and_sync_records_are_checked_one_by_one() {
        let (good, bad) = resources(
            r#"[{"arn":"arn:aws:s3:::ok","type":"AWS::S3::Bucket","tags":[["Café","crème"]]},
                {"arn":"not-an-arn","type":"AWS::S3::Bucket"},
                {"arn":"arn:aws:s3:::b","type":"AWS::S3::Bucket","tags":[["Acct","123456789012"]]}]"#,
        )
        .unwrap();
        assert_eq!((good.len(), bad.len()), (1, 2));
        assert_eq!(bad[0].key, "not-an-arn");
        let (good, bad) = outbox(
            r#"[{"seq":1,"groupName":"web","action":"UpdateGroup","time":1},
                {"seq":2,"groupName":"web","action":"Rm","time":1}]"#,
        )
        .unwrap();
        assert_eq!(good[0].seq, 1);
        assert_eq!((bad.len(), bad[0].key.as_str()), (1, "2"));
        let (good, bad) =
            conflicts(r#"[{"groupName":"a-123456789012","fields":["Group"],"detectedAt":1}]"#)
                .unwrap();
        assert!(good.is_empty() && bad.len() == 1);
        let (_, bad) = tombstones(r#"[{"name":"x","group":{"name":"x"},"deletedAt":1}]"#).unwrap();
        assert_eq!(
            bad.len(),
            1,
            "a group without query or configuration is not a group"
        );
    }

    fn block(key: &str, text: Option<&str>) -> Block {
        Block {
            key: key.to_owned(),
            text: text.map(str::to_owned),
        }
    }

    #[test]
    fn blocks_load_in_arn_order_and_a_damaged_block_is_set_aside_whole() {
        let blocks = [
            block(
                "7",
                Some(
                    r#"[{"arn":"arn:aws:s3:::zeta","type":"AWS::S3::Bucket","tags":[["環境","本番"]]},
                        {"arn":"arn:aws:s3:::acct","type":"AWS::S3::Bucket","tags":[["Acct","123456789012"]]},
                        {"arn":"arn:aws:s3:::odd","tags":"no"}]"#,
                ),
            ),
            block("3", Some(r#"{"not":"a list"}"#)),
            block("12", None),
            block(
                "200",
                Some(r#"[{"arn":"arn:aws:s3:::alpha-😀","type":"AWS::S3::Bucket","tags":[]}]"#),
            ),
            block("9", Some("[oops")),
        ];
        let (good, bad) = resources_in_blocks(&blocks);
        let arns: Vec<&str> = good.iter().map(|r| r.arn.as_str()).collect();
        assert_eq!(arns, ["arn:aws:s3:::alpha-😀", "arn:aws:s3:::zeta"]);
        let keys: Vec<&str> = bad.iter().map(|q| q.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "arn:aws:s3:::acct",
                "arn:aws:s3:::odd",
                "block:3",
                "block:12",
                "block:9"
            ]
        );
        for q in &bad {
            assert_eq!(q.kind, RecordKind::Resource);
            assert!(!q.reason.contains("123456789012"));
        }
        // A damaged block's export keeps its text exactly, as a JSON string.
        let dumped: serde_json::Value = serde_json::from_str(&bad[4].raw).unwrap();
        assert_eq!(dumped, "[oops");
        assert_eq!(bad[3].raw, "null");
        // Unchecked: a block with a record of another shape takes the checked path (so the
        // account ID stays out); a block of well-shaped records is taken as it is.
        let unchecked = resources_in_blocks_unchecked(&blocks);
        let arns: Vec<&str> = unchecked.iter().map(|r| r.arn.as_str()).collect();
        assert_eq!(arns, ["arn:aws:s3:::alpha-😀", "arn:aws:s3:::zeta"]);
        let shaped = [block(
            "7",
            Some(
                r#"[{"arn":"arn:aws:s3:::acct","type":"AWS::S3::Bucket","tags":[["Acct","123456789012"]]}]"#,
            ),
        )];
        assert_eq!(resources_in_blocks_unchecked(&shaped).len(), 1);
        assert!(resources_in_blocks(&shaped).0.is_empty());
        assert!(resources_in_blocks(&[]).0.is_empty());
    }

    #[test]
    fn a_resource_planted_twice_loads_once() {
        let text = r#"[{"arn":"arn:aws:s3:::b","type":"AWS::S3::Bucket","tags":[["k","1"]]}]"#;
        let blocks = [block("1", Some(text)), block("2", Some(text))];
        assert_eq!(resources_in_blocks(&blocks).0.len(), 1);
        assert_eq!(resources_in_blocks_unchecked(&blocks).len(), 1);
    }
}
