//! The store the app runs on: IndexedDB, or memory where IndexedDB cannot be used.

use super::idb::IdbStore;
use super::{
    ActivityEvent, ActivityFilter, Batch, MemoryStore, Quarantined, RecordKind, Store, StoreError,
    SyncState, Tombstone, Touched,
};
use crate::model::{Group, Resource};

pub enum AnyStore {
    Idb(IdbStore),
    Memory(MemoryStore),
}

impl AnyStore {
    /// The IndexedDB store, where encryption at rest lives (memory keeps nothing).
    pub fn idb(&self) -> Option<&IdbStore> {
        match self {
            AnyStore::Idb(s) => Some(s),
            AnyStore::Memory(_) => None,
        }
    }
}

impl Store for AnyStore {
    async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.groups().await,
            AnyStore::Memory(s) => s.groups().await,
        }
    }

    async fn group(&self, name: &str) -> Result<Option<Group>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.group(name).await,
            AnyStore::Memory(s) => s.group(name).await,
        }
    }

    async fn resources(&self) -> Result<Vec<Resource>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.resources().await,
            AnyStore::Memory(s) => s.resources().await,
        }
    }

    async fn groups_and_quarantine(&self) -> Result<(Vec<Group>, Vec<Quarantined>), StoreError> {
        match self {
            AnyStore::Idb(s) => s.groups_and_quarantine().await,
            AnyStore::Memory(s) => s.groups_and_quarantine().await,
        }
    }

    async fn resources_by_arn(
        &self,
        arns: &std::collections::BTreeSet<String>,
    ) -> Result<Vec<(String, Option<Resource>)>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.resources_by_arn(arns).await,
            AnyStore::Memory(s) => s.resources_by_arn(arns).await,
        }
    }

    async fn resources_unchecked(&self) -> Result<Vec<Resource>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.resources_unchecked().await,
            AnyStore::Memory(s) => s.resources_unchecked().await,
        }
    }

    async fn activity(&self, filter: &ActivityFilter) -> Result<Vec<ActivityEvent>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.activity(filter).await,
            AnyStore::Memory(s) => s.activity(filter).await,
        }
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.setting(key).await,
            AnyStore::Memory(s) => s.setting(key).await,
        }
    }

    async fn sync_state(&self) -> Result<SyncState, StoreError> {
        match self {
            AnyStore::Idb(s) => s.sync_state().await,
            AnyStore::Memory(s) => s.sync_state().await,
        }
    }

    async fn tombstones(&self) -> Result<Vec<Tombstone>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.tombstones().await,
            AnyStore::Memory(s) => s.tombstones().await,
        }
    }

    async fn quarantine(&self, kinds: &[RecordKind]) -> Result<Vec<Quarantined>, StoreError> {
        match self {
            AnyStore::Idb(s) => s.quarantine(kinds).await,
            AnyStore::Memory(s) => s.quarantine(kinds).await,
        }
    }

    async fn apply(&self, batch: Batch) -> Result<Touched, StoreError> {
        match self {
            AnyStore::Idb(s) => s.apply(batch).await,
            AnyStore::Memory(s) => s.apply(batch).await,
        }
    }
}
