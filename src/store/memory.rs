//! The in-memory store: used by native tests and as the fallback when IndexedDB is unavailable
//! (the UI then says that changes are not saved on this device).

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::load::{self, Quarantined, RecordKind};
use super::{
    ActivityEvent, ActivityFilter, Batch, Op, Store, StoreError, SyncState, Tombstone, Touched,
    ACTIVITY_MAX,
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
    /// Records that `load_raw` set aside, by kind and key (as IndexedDB keeps them in place).
    quarantined: BTreeMap<(RecordKind, String), Quarantined>,
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

    /// Loads records as stored JSON (an array, as IndexedDB's `getAll` gives it), through the
    /// same one-by-one decoding as the IndexedDB store: what passes is added, the rest is
    /// quarantined. Tests use it for data an older version or another tool wrote.
    pub fn load_raw(&self, kind: RecordKind, json: &str) -> Result<(), StoreError> {
        let mut st = self.state.borrow_mut();
        let bad = match kind {
            RecordKind::Group => {
                let (good, bad) = load::groups(json)?;
                st.groups
                    .extend(good.into_iter().map(|g| (g.name.clone(), g)));
                bad
            }
            RecordKind::Base => {
                let (good, bad) = load::bases(json)?;
                st.sync
                    .bases
                    .extend(good.into_iter().map(|g| (g.name.clone(), g)));
                bad
            }
            RecordKind::Resource => {
                let (good, bad) = load::resources(json)?;
                st.resources
                    .extend(good.into_iter().map(|r| (r.arn.clone(), r)));
                bad
            }
            RecordKind::Conflict => {
                let (good, bad) = load::conflicts(json)?;
                st.sync
                    .conflicts
                    .extend(good.into_iter().map(|c| (c.group_name.clone(), c)));
                bad
            }
            RecordKind::Tombstone => {
                let (good, bad) = load::tombstones(json)?;
                st.tombstones
                    .extend(good.into_iter().map(|t| (t.group.name.clone(), t)));
                bad
            }
            RecordKind::Outbox => {
                let (good, bad) = load::outbox(json)?;
                for e in good {
                    st.next_seq = st.next_seq.max(e.seq);
                    st.sync.outbox.push(e);
                }
                bad
            }
        };
        for q in bad {
            st.quarantined.insert((q.kind, q.key.clone()), q);
        }
        Ok(())
    }
}

impl Store for MemoryStore {
    async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        Ok(self.state.borrow().groups.values().cloned().collect())
    }

    async fn group(&self, name: &str) -> Result<Option<Group>, StoreError> {
        let state = self.state.borrow();
        if let Some(q) = state.quarantined.get(&(RecordKind::Group, name.to_owned())) {
            return Err(StoreError::Refused(format!(
                "This group is quarantined (see Settings): {}",
                q.reason
            )));
        }
        Ok(state.groups.get(name).cloned())
    }

    async fn resources(&self) -> Result<Vec<Resource>, StoreError> {
        Ok(self.state.borrow().resources.values().cloned().collect())
    }

    async fn resources_by_arn(
        &self,
        arns: &std::collections::BTreeSet<String>,
    ) -> Result<Vec<(String, Option<Resource>)>, StoreError> {
        let state = self.state.borrow();
        Ok(arns
            .iter()
            .map(|a| (a.clone(), state.resources.get(a).cloned()))
            .collect())
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
        crate::sort::sort_by_key(&mut all, |t| t.deleted_at);
        Ok(all)
    }

    async fn quarantine(&self, kinds: &[RecordKind]) -> Result<Vec<Quarantined>, StoreError> {
        Ok(self
            .state
            .borrow()
            .quarantined
            .values()
            .filter(|q| kinds.contains(&q.kind))
            .cloned()
            .collect())
    }

    async fn apply(&self, batch: Batch) -> Result<Touched, StoreError> {
        batch.check()?;
        let touched = batch.touched();
        let mut next = self.state.borrow().clone();
        for op in batch.ops {
            match op {
                // A put or delete replaces a quarantined record of that key, as in IndexedDB,
                // where both live in the same object store.
                Op::PutGroup(g) => {
                    next.quarantined
                        .remove(&(RecordKind::Group, g.name.clone()));
                    next.groups.insert(g.name.clone(), g);
                }
                Op::DeleteGroup(name) => {
                    next.quarantined.remove(&(RecordKind::Group, name.clone()));
                    next.groups.remove(&name);
                }
                Op::DeleteQuarantined(kind, key) => {
                    next.quarantined.remove(&(kind, key));
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
                    let state = self.state.borrow();
                    let quarantined = state
                        .quarantined
                        .get(&(RecordKind::Group, name.clone()))
                        .map(|q| quarantined_updated_at(&q.raw));
                    let stored = state
                        .groups
                        .get(&name)
                        .map(|g| g.updated_at)
                        .or(quarantined);
                    drop(state);
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
        Ok(touched)
    }
}

/// `updatedAt` of a raw group record (0 when absent), as IndexedDB's precondition reads it.
fn quarantined_updated_at(raw: &str) -> i64 {
    serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| v.get("updatedAt").and_then(serde_json::Value::as_i64))
        .unwrap_or(0)
}
