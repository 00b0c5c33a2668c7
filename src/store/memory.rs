//! The in-memory store: used by native tests and as the fallback when IndexedDB is unavailable
//! (the UI then says that changes are not saved on this device).

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::{
    ActivityEvent, ActivityFilter, Batch, Op, Store, StoreError, SyncState, Tombstone, ACTIVITY_MAX,
};
use crate::model::{Group, Resource};

#[derive(Clone, Debug, Default)]
struct State {
    groups: BTreeMap<String, Group>,
    resources: BTreeMap<String, Resource>,
    settings: BTreeMap<String, String>,
    activity: Vec<ActivityEvent>,
    next_event_id: u64,
    sync: SyncState,
    tombstones: BTreeMap<String, Tombstone>,
    next_seq: u64,
}

/// Everything in memory; applying a batch works on a copy that replaces the state only when
/// every operation succeeded.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: RefCell<State>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        Ok(self.state.borrow().groups.values().cloned().collect())
    }

    async fn group(&self, name: &str) -> Result<Option<Group>, StoreError> {
        Ok(self.state.borrow().groups.get(name).cloned())
    }

    async fn resources(&self) -> Result<Vec<Resource>, StoreError> {
        Ok(self.state.borrow().resources.values().cloned().collect())
    }

    async fn activity(&self, filter: &ActivityFilter) -> Result<Vec<ActivityEvent>, StoreError> {
        Ok(self
            .state
            .borrow()
            .activity
            .iter()
            .rev()
            .filter(|e| filter.accepts(e))
            .cloned()
            .collect())
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.state.borrow().settings.get(key).cloned())
    }

    async fn sync_state(&self) -> Result<SyncState, StoreError> {
        Ok(self.state.borrow().sync.clone())
    }

    async fn tombstones(&self) -> Result<Vec<Tombstone>, StoreError> {
        let mut all: Vec<Tombstone> = self.state.borrow().tombstones.values().cloned().collect();
        all.sort_by_key(|t| t.deleted_at);
        Ok(all)
    }

    async fn apply(&self, batch: Batch) -> Result<(), StoreError> {
        batch.check()?;
        let mut next = self.state.borrow().clone();
        for op in batch.ops {
            match op {
                Op::PutGroup(g) => {
                    next.groups.insert(g.name.clone(), g);
                }
                Op::DeleteGroup(name) => {
                    next.groups.remove(&name);
                }
                Op::PutResource(r) => {
                    next.resources.insert(r.arn.clone(), r);
                }
                Op::DeleteResource(arn) => {
                    next.resources.remove(&arn);
                }
                Op::PutSetting(k, v) => {
                    next.settings.insert(k, v);
                }
                Op::ClearAll => {
                    next.groups.clear();
                    next.resources.clear();
                    next.settings.clear();
                    next.activity.clear();
                    next.sync = SyncState::default();
                    next.tombstones.clear();
                }
                Op::Enqueue(mut e) => {
                    next.next_seq += 1;
                    e.seq = next.next_seq;
                    next.sync.outbox.push(e);
                }
                Op::Dequeue(seq) => next.sync.outbox.retain(|e| e.seq != seq),
                Op::PutBase(g) => {
                    next.sync.bases.insert(g.name.clone(), g);
                }
                Op::DeleteBase(name) => {
                    next.sync.bases.remove(&name);
                }
                Op::PutConflict(c) => {
                    next.sync.conflicts.insert(c.group_name.clone(), c);
                }
                Op::DeleteConflict(name) => {
                    next.sync.conflicts.remove(&name);
                }
                Op::ExpectGroup { name, updated_at } => {
                    // Checked against the state before this batch, as IndexedDB checks it
                    // before the batch's writes.
                    let stored = self.state.borrow().groups.get(&name).map(|g| g.updated_at);
                    if stored != updated_at {
                        return Err(StoreError::Changed(name));
                    }
                }
                Op::PutTombstone(t) => {
                    next.tombstones.insert(t.group.name.clone(), t);
                }
                Op::DeleteTombstone(name) => {
                    next.tombstones.remove(&name);
                }
            }
        }
        for mut e in batch.events {
            next.next_event_id += 1;
            e.id = next.next_event_id;
            next.activity.push(e);
        }
        if next.activity.len() > ACTIVITY_MAX {
            let excess = next.activity.len() - ACTIVITY_MAX;
            next.activity.drain(..excess);
        }
        *self.state.borrow_mut() = next;
        Ok(())
    }
}
