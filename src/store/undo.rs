//! Undo: taking back a destructive or bulk change (deleting groups, a bulk tag change, an
//! import, resolving a conflict) as one more change, in one transaction, logged like any other.
//!
//! How it works: before a change is applied, the records it will touch are read
//! ([`Snapshot::read`], keyed by [`Keys::of`] the batch); after, the same records again, and
//! the outbox entries the change added. The [`Undo`] keeps both. Undoing writes the "before"
//! copies back, but only over the "after" ones: if anything the change touched was changed
//! again since (another edit, another tab), the undo is refused rather than undoing that
//! newer change too ([`UndoError::ChangedSince`]); the group preconditions are re-checked
//! inside the write transaction like every other write.
//!
//! With sync, what the backend was told matters:
//! - the change is still in the outbox (offline, or before the next push): its entries are
//!   cancelled and the last-synced copies stay — nothing is ever sent for it;
//! - it was pushed: the undo is a new local change the next push sends — a group deleted on
//!   the backend is created again there (with a new ARN: the old one names nothing any more),
//!   an edit is edited back. A resolved conflict cannot be taken back once its choice went
//!   out: the backend's copy is no longer the one the conflict was about.
//!
//! Pure: the reading is async over the [`Store`] trait, so native tests run it on the memory
//! store.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    ActivityEvent, Batch, Conflict, EventName, Op, OutboxAction, OutboxEntry, Source, Store,
    StoreError, Tombstone,
};
use crate::model::{Group, Resource};

/// Past this many groups, one read of them all is quicker than one read each.
const READ_ALL_PAST: usize = 16;

/// The records a batch touches: groups by name (their last-synced copy, conflict and
/// Recently-deleted entry go with the name), resources by ARN.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    pub groups: BTreeSet<String>,
    pub resources: BTreeSet<String>,
}

impl Keys {
    pub fn of(batch: &Batch) -> Keys {
        let mut k = Keys::default();
        for op in &batch.ops {
            match op {
                Op::PutGroup(g) | Op::PutBase(g) => {
                    k.groups.insert(g.name.clone());
                }
                Op::DeleteGroup(n)
                | Op::DeleteBase(n)
                | Op::DeleteConflict(n)
                | Op::DeleteTombstone(n)
                | Op::ExpectGroup { name: n, .. } => {
                    k.groups.insert(n.clone());
                }
                Op::PutConflict(c) => {
                    k.groups.insert(c.group_name.clone());
                }
                Op::PutTombstone(t) => {
                    k.groups.insert(t.group.name.clone());
                }
                Op::Enqueue(e) => {
                    k.groups.insert(e.group_name.clone());
                }
                Op::PutResource(r) => {
                    k.resources.insert(r.arn.clone());
                }
                Op::DeleteResource(a) => {
                    k.resources.insert(a.clone());
                }
                Op::PutSetting(..) | Op::ClearAll | Op::Dequeue(_) | Op::DeleteQuarantined(..) => {}
            }
        }
        k
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.resources.is_empty()
    }
}

/// The state of some records at one moment (`None`: absent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub groups: BTreeMap<String, Option<Group>>,
    pub bases: BTreeMap<String, Option<Group>>,
    pub conflicts: BTreeMap<String, Option<Conflict>>,
    pub tombstones: BTreeMap<String, Option<Tombstone>>,
    pub resources: BTreeMap<String, Option<Resource>>,
    /// The whole outbox, in order (small: one entry per pending change).
    pub outbox: Vec<OutboxEntry>,
}

impl Snapshot {
    /// Reads the records `keys` names.
    pub async fn read<S: Store>(store: &S, keys: &Keys) -> Result<Snapshot, StoreError> {
        let mut snap = Snapshot::default();
        if keys.groups.len() > READ_ALL_PAST {
            let all: BTreeMap<String, Group> = crate::sort::map(
                store
                    .groups()
                    .await?
                    .into_iter()
                    .map(|g| (g.name.clone(), g)),
            );
            for n in &keys.groups {
                snap.groups.insert(n.clone(), all.get(n).cloned());
            }
        } else {
            for n in &keys.groups {
                snap.groups.insert(n.clone(), store.group(n).await?);
            }
        }
        let state = store.sync_state().await?;
        let tombs: BTreeMap<String, Tombstone> = crate::sort::map(
            store
                .tombstones()
                .await?
                .into_iter()
                .map(|t| (t.group.name.clone(), t)),
        );
        for n in &keys.groups {
            snap.bases.insert(n.clone(), state.bases.get(n).cloned());
            snap.conflicts
                .insert(n.clone(), state.conflicts.get(n).cloned());
            snap.tombstones.insert(n.clone(), tombs.get(n).cloned());
        }
        if !keys.resources.is_empty() {
            snap.resources = crate::sort::map(store.resources_by_arn(&keys.resources).await?);
        }
        snap.outbox = state.outbox;
        Ok(snap)
    }

    fn records_equal(&self, other: &Snapshot) -> bool {
        self.groups == other.groups
            && self.resources == other.resources
            && self.tombstones == other.tombstones
    }
}

/// Why an undo was not done; nothing was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UndoError {
    /// Something the change touched was changed again since.
    ChangedSince,
    /// A resolved conflict whose choice was already sent to the backend.
    AlreadySent,
}

impl std::fmt::Display for UndoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UndoError::ChangedSince => "It was not undone: what it changed has been changed again since (here, in another tab or by sync). Nothing was written.",
            UndoError::AlreadySent => "It was not undone: the choice was already sent to the backend, so the conflict it resolved no longer exists there. Nothing was written.",
        })
    }
}

/// A change that can be taken back.
#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    /// What the notice called the change ("Groups deleted"); logged with the undo.
    pub label: String,
    pub before: Snapshot,
    pub after: Snapshot,
}

impl Undo {
    pub fn new(label: &str, before: Snapshot, after: Snapshot) -> Self {
        Undo {
            label: label.to_owned(),
            before,
            after,
        }
    }

    /// The outbox entries the change added (in `after`, not in `before`).
    fn added_entries(&self) -> Vec<&OutboxEntry> {
        let old: BTreeSet<u64> = crate::sort::set(self.before.outbox.iter().map(|e| e.seq));
        self.after
            .outbox
            .iter()
            .filter(|e| !old.contains(&e.seq))
            .collect()
    }

    /// How many records it changed.
    pub fn count(&self) -> usize {
        let g = self
            .before
            .groups
            .iter()
            .filter(|(n, b)| self.after.groups.get(*n) != Some(b))
            .count();
        let r = self
            .before
            .resources
            .iter()
            .filter(|(a, b)| self.after.resources.get(*a) != Some(b))
            .count();
        g + r
    }

    /// The batch that takes the change back, given the records as they are `now` (read with
    /// the same keys). To be applied as it is: it carries its own outbox operations.
    pub fn batch(&self, now: &Snapshot, time: i64) -> Result<Batch, UndoError> {
        if !now.records_equal(&self.after) {
            return Err(UndoError::ChangedSince);
        }
        let pending: BTreeSet<u64> = crate::sort::set(now.outbox.iter().map(|e| e.seq));
        let added = self.added_entries();
        let mut ops = Vec::new();
        for (name, before) in &self.before.groups {
            let after = self.after.groups.get(name).cloned().flatten();
            let mine: Vec<&&OutboxEntry> = added.iter().filter(|e| &e.group_name == name).collect();
            let sent = mine.iter().any(|e| !pending.contains(&e.seq));
            let base_now = now.bases.get(name).cloned().flatten();
            let conflict_before = self.before.conflicts.get(name).cloned().flatten();
            let conflict_now = now.conflicts.get(name).cloned().flatten();
            if sent && conflict_before.is_some() && conflict_before != conflict_now {
                return Err(UndoError::AlreadySent);
            }
            // The group itself, over the copy the change left.
            ops.push(Op::ExpectGroup {
                name: name.clone(),
                updated_at: after.as_ref().map(|g| g.updated_at),
            });
            let mut restored = before.clone();
            if sent {
                if let Some(g) = restored.as_mut() {
                    if base_now.is_none() {
                        // Created again on the backend: the old ARN names nothing now.
                        g.arn = None;
                    }
                }
            }
            match &restored {
                Some(g) => ops.push(Op::PutGroup(g.clone())),
                None => ops.push(Op::DeleteGroup(name.clone())),
            }
            // Recently deleted, as it was.
            let tomb_before = self.before.tombstones.get(name).cloned().flatten();
            let tomb_now = now.tombstones.get(name).cloned().flatten();
            if tomb_before != tomb_now {
                ops.push(match tomb_before {
                    Some(t) => Op::PutTombstone(t),
                    None => Op::DeleteTombstone(name.clone()),
                });
            }
            // The conflict, as it was (before the choice went out).
            if conflict_before != conflict_now {
                ops.push(match conflict_before {
                    Some(c) => Op::PutConflict(c),
                    None => Op::DeleteConflict(name.clone()),
                });
            }
            if !sent {
                // Never sent: cancel the change's entries, and put back the last-synced copy
                // if the change moved it (resolving a conflict does).
                ops.extend(mine.iter().map(|e| Op::Dequeue(e.seq)));
                // And the entries the change itself took out (resolving a conflict settles
                // the group's pending changes) come back, in their order.
                let after_seqs: BTreeSet<u64> =
                    crate::sort::set(self.after.outbox.iter().map(|e| e.seq));
                ops.extend(
                    self.before
                        .outbox
                        .iter()
                        .filter(|e| &e.group_name == name && !after_seqs.contains(&e.seq))
                        .map(|e| {
                            Op::Enqueue(OutboxEntry {
                                seq: 0,
                                ..e.clone()
                            })
                        }),
                );
                let base_before = self.before.bases.get(name).cloned().flatten();
                if base_before != base_now {
                    ops.push(match base_before {
                        Some(b) => Op::PutBase(b),
                        None => Op::DeleteBase(name.clone()),
                    });
                }
            } else {
                // Sent: the backend holds the change; the undo is a change of its own.
                let action = match (&restored, &base_now) {
                    (Some(_), None) => Some(OutboxAction::Create),
                    (Some(_), Some(_)) => Some(OutboxAction::Update),
                    (None, Some(_)) => Some(OutboxAction::Delete),
                    (None, None) => None,
                };
                if let Some(a) = action {
                    ops.push(Op::Enqueue(OutboxEntry::new(name, a.as_str(), time)));
                }
            }
        }
        for (arn, before) in &self.before.resources {
            ops.push(match before {
                Some(r) => Op::PutResource(r.clone()),
                None => Op::DeleteResource(arn.clone()),
            });
        }
        let count = self.count();
        let single = (self.before.groups.len() == 1 && self.before.resources.is_empty())
            .then(|| self.before.groups.keys().next())
            .flatten()
            .filter(|n| crate::guard::scan_name(n).is_empty());
        let event = ActivityEvent::new(
            time,
            EventName::Undo,
            single.map(String::as_str),
            Source::Local,
        )
        .with_fields(&[self.label.as_str()])
        .with_count(count);
        Ok(Batch {
            ops,
            events: vec![event],
            bulk: count > 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ops, MemoryStore, SyncState};
    use futures::executor::block_on;

    fn group(name: &str, t: i64) -> Group {
        let mut g = Group::new(
            name,
            crate::model::ResourceQuery::tags(vec![crate::model::TagFilter {
                key: "環境".into(),
                values: vec![],
            }]),
        );
        g.description = "private words".into();
        g.created_at = t;
        g.updated_at = t;
        g.tags.insert("環境".into(), "本番".into());
        g
    }

    fn seeded(n: usize) -> (MemoryStore, Vec<Group>) {
        let store = MemoryStore::new();
        let groups: Vec<Group> = (0..n)
            .map(|i| group(&format!("g-{i:03}"), 1000 + i as i64))
            .collect();
        block_on(store.apply(Batch {
            ops: groups.iter().cloned().map(Op::PutGroup).collect(),
            ..Batch::default()
        }))
        .unwrap();
        (store, groups)
    }

    /// Applies `batch` the way the app does, and answers the undo.
    fn change(store: &MemoryStore, batch: Batch) -> Undo {
        let keys = Keys::of(&batch);
        let before = block_on(Snapshot::read(store, &keys)).unwrap();
        block_on(store.apply(batch)).unwrap();
        let after = block_on(Snapshot::read(store, &keys)).unwrap();
        Undo::new("Groups deleted", before, after)
    }

    fn undo(store: &MemoryStore, u: &Undo) -> Result<(), UndoError> {
        let keys = Keys {
            groups: u.before.groups.keys().cloned().collect(),
            resources: u.before.resources.keys().cloned().collect(),
        };
        let now = block_on(Snapshot::read(store, &keys)).unwrap();
        let batch = u.batch(&now, 9_999)?;
        block_on(store.apply(batch)).unwrap();
        Ok(())
    }

    #[test]
    fn deleting_fifty_groups_and_undoing_gives_them_back_exactly() {
        let (store, groups) = seeded(60);
        let doomed: Vec<Group> = groups.iter().take(50).cloned().collect();
        let u = change(
            &store,
            ops::delete_groups_keeping(&doomed, 5_000, Source::Local),
        );
        assert_eq!(block_on(store.groups()).unwrap().len(), 10);
        assert_eq!(block_on(store.tombstones()).unwrap().len(), 50);
        undo(&store, &u).unwrap();
        // Deep-equal, timestamps included, and Recently deleted is as before (empty).
        assert_eq!(block_on(store.groups()).unwrap(), groups);
        assert!(block_on(store.tombstones()).unwrap().is_empty());
        let events = block_on(store.activity(&Default::default())).unwrap();
        assert_eq!(events[0].event_name, EventName::Undo);
        assert_eq!(events[0].count, Some(50));
    }

    #[test]
    fn an_undo_over_a_newer_change_is_refused() {
        let (store, groups) = seeded(2);
        let mut edited = groups[0].clone();
        edited.tags.insert("Stage".into(), "Prod".into());
        let u = change(
            &store,
            ops::update_group(&groups[0], edited.clone(), 2_000, Source::Local).unwrap(),
        );
        // Edited again since.
        let again = block_on(store.group(&edited.name)).unwrap().unwrap();
        let mut third = again.clone();
        third.tags.clear();
        block_on(store.apply(ops::update_group(&again, third, 3_000, Source::Local).unwrap()))
            .unwrap();
        assert_eq!(undo(&store, &u), Err(UndoError::ChangedSince));
    }

    #[test]
    fn with_sync_an_undo_before_the_push_cancels_the_entries() {
        let (store, groups) = seeded(3);
        // Synced before: the bases are there.
        block_on(store.apply(Batch {
            ops: groups.iter().cloned().map(Op::PutBase).collect(),
            ..Batch::default()
        }))
        .unwrap();
        let batch = crate::sync::engine::with_outbox(
            ops::delete_groups_keeping(&groups[..2], 5_000, Source::Local),
            5_000,
        );
        let u = change(&store, batch);
        assert_eq!(block_on(store.sync_state()).unwrap().outbox.len(), 2);
        undo(&store, &u).unwrap();
        let state: SyncState = block_on(store.sync_state()).unwrap();
        assert!(state.outbox.is_empty(), "nothing left to send");
        assert_eq!(state.bases.len(), 3);
        assert_eq!(block_on(store.groups()).unwrap(), groups);
    }

    #[test]
    fn with_sync_an_undo_after_the_push_creates_the_group_again() {
        let (store, groups) = seeded(1);
        let mut synced = groups[0].clone();
        synced.arn = Some("arn:aws:resource-groups:eu-west-1:123456789012:group/g-000".into());
        block_on(store.apply(Batch {
            ops: vec![Op::PutGroup(synced.clone()), Op::PutBase(synced.clone())],
            ..Batch::default()
        }))
        .unwrap();
        let batch = crate::sync::engine::with_outbox(
            ops::delete_groups_keeping(std::slice::from_ref(&synced), 5_000, Source::Local),
            5_000,
        );
        let u = change(&store, batch);
        // The push: the backend confirmed the deletion; the entry and the base go.
        let seq = block_on(store.sync_state()).unwrap().outbox[0].seq;
        block_on(store.apply(Batch {
            ops: vec![Op::Dequeue(seq), Op::DeleteBase(synced.name.clone())],
            ..Batch::default()
        }))
        .unwrap();
        undo(&store, &u).unwrap();
        let state = block_on(store.sync_state()).unwrap();
        assert_eq!(state.outbox.len(), 1);
        assert_eq!(state.outbox[0].action, "CreateGroup");
        let back = block_on(store.group(&synced.name)).unwrap().unwrap();
        assert_eq!(back.arn, None, "a new ARN comes with the new group");
        assert_eq!(back.tags, synced.tags);
    }

    /// Resolving a conflict settles the group's pending entries; undoing it (before the push)
    /// puts the conflict, the base and those entries back.
    #[test]
    fn an_undone_conflict_resolution_gives_back_the_pending_changes() {
        let (store, groups) = seeded(1);
        let mut theirs = groups[0].clone();
        theirs.description = "their words".into();
        let conflict = Conflict {
            group_name: theirs.name.clone(),
            remote: Some(theirs.clone()),
            fields: vec![crate::model::GroupField::Description],
            detected_at: 3,
        };
        block_on(store.apply(Batch {
            ops: vec![
                Op::PutBase(groups[0].clone()),
                Op::PutConflict(conflict.clone()),
                Op::Enqueue(OutboxEntry::new(&theirs.name, "UpdateGroup", 2)),
            ],
            ..Batch::default()
        }))
        .unwrap();
        let before_state = block_on(store.sync_state()).unwrap();
        let batch = crate::sync::engine::resolve_conflict(
            Some(&groups[0]),
            &conflict,
            &before_state,
            crate::sync::engine::Keep::Theirs,
            &Default::default(),
            4,
        );
        let u = change(&store, batch);
        assert!(block_on(store.sync_state()).unwrap().conflicts.is_empty());
        undo(&store, &u).unwrap();
        let state = block_on(store.sync_state()).unwrap();
        assert_eq!(state.conflicts.get(&theirs.name), Some(&conflict));
        assert_eq!(state.bases.get(&theirs.name), Some(&groups[0]));
        let actions: Vec<&str> = state.outbox.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["UpdateGroup"]);
        assert_eq!(block_on(store.groups()).unwrap(), groups);
    }

    #[test]
    fn a_bulk_tag_change_of_resources_is_undone() {
        let store = MemoryStore::new();
        let mut rs: Vec<Resource> = (0..30)
            .map(|i| {
                Resource::new(
                    &format!("arn:aws:sqs:eu-west-1:123456789012:q{i}"),
                    None,
                    vec![("Équipe".into(), "Fusée".into())],
                )
                .unwrap()
            })
            .collect();
        crate::sort::sort_by(&mut rs, |a, b| a.arn.cmp(&b.arn)); // the store's order
        block_on(store.apply(ops::import_resources(rs.clone(), 1))).unwrap();
        let changes = ops::TagChanges {
            set: vec![("Stage".into(), "Prod".into())],
            remove: vec!["Équipe".into()],
        };
        let u = change(&store, ops::tag_resources(&rs, &changes, 2));
        assert_ne!(block_on(store.resources()).unwrap(), rs);
        undo(&store, &u).unwrap();
        assert_eq!(block_on(store.resources()).unwrap(), rs);
    }

    #[test]
    fn removed_resources_come_back() {
        let store = MemoryStore::new();
        let rs: Vec<Resource> = ["a", "b", "c"]
            .iter()
            .map(|n| {
                Resource::new(
                    &format!("arn:aws:sns:ap-northeast-1:123456789012:{n}"),
                    None,
                    vec![("東京".into(), "本番".into())],
                )
                .unwrap()
            })
            .collect();
        block_on(store.apply(ops::import_resources(rs.clone(), 1))).unwrap();
        let arns = rs.iter().take(2).map(|r| r.arn.clone()).collect();
        let u = change(&store, ops::remove_resources(&arns, 2));
        assert_eq!(block_on(store.resources()).unwrap().len(), 1);
        undo(&store, &u).unwrap();
        assert_eq!(block_on(store.resources()).unwrap(), rs);
    }

    #[test]
    fn an_import_of_new_resources_is_undone_by_deleting_them() {
        let store = MemoryStore::new();
        let r = Resource::new("arn:aws:sns:eu-west-1:123456789012:t", None, vec![]).unwrap();
        let u = change(&store, ops::import_resources(vec![r], 1));
        undo(&store, &u).unwrap();
        assert!(block_on(store.resources()).unwrap().is_empty());
    }
}
