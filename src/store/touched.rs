//! What a batch changed, by kind and key, and the message that tells the other tabs.
//!
//! Readers patch what changed instead of reloading everything: at 10,000 groups and 100,000
//! resources a reload costs seconds (every group and resource decoded and checked, the
//! inventory index rebuilt), while a tag edit touches one group. [`Batch::touched`] is pure and
//! exact for the record kinds: a group name is in `groups` if the batch puts or deletes that
//! group; `resources` is set if any resource is put or deleted, and `resource_arns` lists them
//! when every one is known (a bulk tag edit of a few hundred resources is patched in place, not
//! a reload of 100,000). `all` (a `ClearAll`) means "reload everything".

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Batch, Op};

/// What a batch (or several) touched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Touched {
    /// Everything may have changed (`ClearAll`, or a change too large to list).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all: bool,
    /// Groups put or deleted, by name.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub groups: BTreeSet<String>,
    /// Any resource put or deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resources: bool,
    /// With `resources`: the ARNs put or deleted, when all are known and not too many; `None`
    /// means "reload the inventory" (and is what an older tab's message reads as).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_arns: Option<BTreeSet<String>>,
    /// Settings, sync records (outbox, bases, conflicts, tombstones) or quarantined records.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub meta: bool,
    /// Activity events were added.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub activity: bool,
}

/// Past this many group names a message says `all` instead (BroadcastChannel messages are
/// copied to every tab; a bulk import does not need its 10,000 names listed).
pub const TOUCHED_NAMES_MAX: usize = 500;

impl Touched {
    pub fn is_empty(&self) -> bool {
        *self == Touched::default()
    }

    /// Both changes.
    pub fn merge(&mut self, other: Touched) {
        self.all |= other.all;
        self.groups.extend(other.groups);
        self.resource_arns = match (self.resources, other.resources) {
            (_, false) => self.resource_arns.take(),
            (false, true) => other.resource_arns,
            (true, true) => match (self.resource_arns.take(), other.resource_arns) {
                (Some(mut a), Some(b)) => {
                    a.extend(b);
                    Some(a)
                }
                _ => None,
            },
        };
        self.resources |= other.resources;
        self.meta |= other.meta;
        self.activity |= other.activity;
    }

    /// As sent to other tabs: many names become `all`, many ARNs "reload the inventory".
    pub fn compact(mut self) -> Touched {
        if self.groups.len() > TOUCHED_NAMES_MAX {
            self.all = true;
            self.groups.clear();
        }
        if self
            .resource_arns
            .as_ref()
            .is_some_and(|a| a.len() > TOUCHED_NAMES_MAX)
        {
            self.resource_arns = None;
        }
        self
    }

    /// The resources to patch by ARN, or `None` when the inventory must be reloaded (or did
    /// not change).
    pub fn listed_resources(&self) -> Option<&BTreeSet<String>> {
        self.resource_arns.as_ref().filter(|_| self.resources)
    }
}

impl Batch {
    /// What applying this batch changes.
    pub fn touched(&self) -> Touched {
        let mut t = Touched {
            activity: !self.events.is_empty(),
            ..Touched::default()
        };
        let mut arns = BTreeSet::new();
        let mut unlisted = false;
        for op in &self.ops {
            match op {
                Op::PutGroup(g) => {
                    t.groups.insert(g.name.clone());
                }
                Op::DeleteGroup(name) => {
                    t.groups.insert(name.clone());
                }
                Op::PutResource(r) => {
                    t.resources = true;
                    arns.insert(r.arn.clone());
                }
                Op::DeleteResource(arn) => {
                    t.resources = true;
                    arns.insert(arn.clone());
                }
                Op::ClearAll => t.all = true,
                Op::DeleteQuarantined(kind, key) => {
                    t.meta = true;
                    match kind {
                        super::RecordKind::Group => {
                            t.groups.insert(key.clone());
                        }
                        super::RecordKind::Resource => {
                            // A quarantined record (or a whole block): not in memory, but
                            // reloading is the plain, safe answer.
                            t.resources = true;
                            unlisted = true;
                        }
                        _ => {}
                    }
                }
                Op::PutSetting(..)
                | Op::Enqueue(_)
                | Op::Dequeue(_)
                | Op::PutBase(_)
                | Op::DeleteBase(_)
                | Op::PutConflict(_)
                | Op::DeleteConflict(_)
                | Op::PutTombstone(_)
                | Op::DeleteTombstone(_) => t.meta = true,
                Op::ExpectGroup { .. } => {}
            }
        }
        if t.resources && !unlisted {
            t.resource_arns = Some(arns);
        }
        t
    }
}

/// A message between tabs of the app (over BroadcastChannel), typed; on the wire it is JSON
/// (`{"changed":{…}}`, `{"syncProgress":"pulling 3 of 10"}`, `{"syncDone":null}`). A message
/// this version does not know (from a newer tab) reads as "everything changed": reloading is
/// always safe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TabMessage {
    /// Stored data changed.
    Changed(Touched),
    /// Another tab's sync is at this step (for the status line).
    SyncProgress(String),
    /// Another tab's sync ended.
    SyncDone,
    /// "Lock now" (or the idle time) in another tab: every tab locks. It carries nothing else:
    /// no key, no passphrase; each tab unlocks with the passphrase itself.
    Lock,
    /// Encryption was turned on or off in another tab: this tab reloads (its data is in the
    /// other form now).
    VaultChanged,
}

impl TabMessage {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"changed":{"all":true}}"#.to_owned())
    }

    pub fn decode(text: &str) -> TabMessage {
        serde_json::from_str(text).unwrap_or(TabMessage::Changed(Touched {
            all: true,
            ..Touched::default()
        }))
    }
}

/// A store that remembers what every batch applied through it touched: the UI runs the sync
/// engine on it, and afterwards patches exactly what the run changed — even when the run
/// stopped with an error halfway (what it wrote until then is in the record).
pub struct Recording<'a, S> {
    inner: &'a S,
    touched: std::cell::RefCell<Touched>,
}

impl<'a, S: super::Store> Recording<'a, S> {
    pub fn new(inner: &'a S) -> Self {
        Recording {
            inner,
            touched: Default::default(),
        }
    }

    /// What was touched so far (and forget it).
    pub fn take(&self) -> Touched {
        self.touched.take()
    }
}

impl<S: super::Store> super::Store for Recording<'_, S> {
    async fn groups(&self) -> Result<Vec<crate::model::Group>, super::StoreError> {
        self.inner.groups().await
    }
    async fn group(&self, name: &str) -> Result<Option<crate::model::Group>, super::StoreError> {
        self.inner.group(name).await
    }
    async fn resources(&self) -> Result<Vec<crate::model::Resource>, super::StoreError> {
        self.inner.resources().await
    }
    async fn resources_by_arn(
        &self,
        arns: &BTreeSet<String>,
    ) -> Result<Vec<(String, Option<crate::model::Resource>)>, super::StoreError> {
        self.inner.resources_by_arn(arns).await
    }
    async fn activity(
        &self,
        filter: &super::ActivityFilter,
    ) -> Result<Vec<super::ActivityEvent>, super::StoreError> {
        self.inner.activity(filter).await
    }
    async fn setting(&self, key: &str) -> Result<Option<String>, super::StoreError> {
        self.inner.setting(key).await
    }
    async fn sync_state(&self) -> Result<super::SyncState, super::StoreError> {
        self.inner.sync_state().await
    }
    async fn tombstones(&self) -> Result<Vec<super::Tombstone>, super::StoreError> {
        self.inner.tombstones().await
    }
    async fn quarantine(
        &self,
        kinds: &[super::RecordKind],
    ) -> Result<Vec<super::Quarantined>, super::StoreError> {
        self.inner.quarantine(kinds).await
    }
    async fn apply(&self, batch: Batch) -> Result<Touched, super::StoreError> {
        let t = self.inner.apply(batch).await?;
        self.touched.borrow_mut().merge(t.clone());
        Ok(t)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::{Group, ResourceQuery, TagFilter};
    use crate::store::{ops, Source};

    fn group(name: &str) -> Group {
        Group::new(
            name,
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec![],
            }]),
        )
    }

    #[test]
    fn batches_say_what_they_touch() {
        let b = ops::create_group(None, group("環境-web"), 1, Source::Local).unwrap();
        let t = b.touched();
        assert_eq!(t.groups.iter().collect::<Vec<_>>(), ["環境-web"]);
        assert!(t.activity && !t.resources && !t.all && !t.meta);
        let t = ops::delete_all_data(1).touched();
        assert!(t.all);
        let r = crate::model::Resource::new("arn:aws:s3:::café", None, vec![]).unwrap();
        let t = ops::import_resources(vec![r.clone()], 1).touched();
        assert!(t.resources && t.groups.is_empty());
        let arns: Vec<&str> = t
            .listed_resources()
            .unwrap()
            .iter()
            .map(|a| a.as_str())
            .collect();
        assert_eq!(arns, ["arn:aws:s3:::café"]);
        // ARNs add up; a change of unknown resources (a quarantined block) means reload.
        let mut both = t.clone();
        both.merge(
            ops::create_group(None, group("g"), 1, Source::Local)
                .unwrap()
                .touched(),
        );
        assert_eq!(both.listed_resources(), t.listed_resources());
        let q = crate::store::Quarantined {
            kind: crate::store::RecordKind::Resource,
            key: "block:7".into(),
            reason: "damaged".into(),
            raw: "null".into(),
        };
        let dropped = Batch {
            ops: vec![Op::DeleteQuarantined(q.kind, q.key)],
            ..Batch::default()
        }
        .touched();
        assert!(dropped.resources && dropped.listed_resources().is_none());
        both.merge(dropped);
        assert!(both.resources && both.listed_resources().is_none());
        let many = Touched {
            resources: true,
            resource_arns: Some(
                (0..=TOUCHED_NAMES_MAX)
                    .map(|i| format!("arn:aws:s3:::b{i}"))
                    .collect(),
            ),
            ..Touched::default()
        };
        assert!(many.compact().listed_resources().is_none());
        let mut queued = ops::create_group(None, group("a"), 1, Source::Local).unwrap();
        queued.ops.push(Op::Enqueue(crate::store::OutboxEntry::new(
            "a",
            "CreateGroup",
            1,
        )));
        let t = queued.touched();
        assert!(t.meta, "the outbox entry");
        let mut sum = Touched::default();
        sum.merge(ops::delete_groups(&["x".into()], 1, Source::Local).touched());
        sum.merge(ops::delete_groups(&["y".into()], 1, Source::Local).touched());
        assert_eq!(sum.groups.len(), 2);
    }

    #[test]
    fn tab_messages_round_trip_and_unknown_ones_mean_reload() {
        let t = Touched {
            groups: ["web".to_owned(), "Café".to_owned()].into(),
            resources: true,
            ..Touched::default()
        };
        for m in [
            TabMessage::Changed(t.clone()),
            TabMessage::SyncProgress("pulling 3 of 10".into()),
            TabMessage::SyncDone,
        ] {
            assert_eq!(TabMessage::decode(&m.encode()), m);
        }
        assert_eq!(
            TabMessage::Changed(t).encode(),
            r#"{"changed":{"groups":["Café","web"],"resources":true}}"#
        );
        let reload = TabMessage::Changed(Touched {
            all: true,
            ..Touched::default()
        });
        for junk in ["changed", "", "{\"fromTheFuture\":1}", "[]", "\u{0}"] {
            assert_eq!(TabMessage::decode(junk), reload);
        }
        let store = crate::store::MemoryStore::new();
        let rec = Recording::new(&store);
        let run = |f| futures::executor::block_on(f);
        use crate::store::Store;
        run(rec.apply(ops::create_group(None, group("a"), 1, Source::Local).unwrap())).unwrap();
        assert!(run(
            rec.apply(ops::create_group(None, group("a-123456789012"), 1, Source::Local).unwrap())
        )
        .is_err());
        run(rec.apply(ops::delete_groups(&["b".into()], 1, Source::Local))).unwrap();
        let t = rec.take();
        assert_eq!(t.groups.into_iter().collect::<Vec<_>>(), ["a", "b"]);
        assert!(rec.take().is_empty());
        let many = Touched {
            groups: (0..=TOUCHED_NAMES_MAX).map(|i| i.to_string()).collect(),
            ..Touched::default()
        };
        assert!(many.compact().all);
    }
}
