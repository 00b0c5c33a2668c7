//! The app's data: the store (IndexedDB, or memory when it is unavailable), the groups and
//! resources loaded from it as signals, and the link to the other open tabs. Pages read the
//! signals and write through [`AppData::apply`].

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::flash::{FlashKind, Flashes};
use crate::model::{Group, InventoryIndex, Resource};
use crate::store::any::AnyStore;
use crate::store::channel::{Channel, CHANNEL};
use crate::store::idb::{DbEvent, IdbStore};
use crate::store::{Batch, MemoryStore, RecordKind, Store, StoreError, TabMessage, Touched};
use crate::view::table::{Haystacks, RowText};

/// Past this many touched group names, reading the whole list is quicker than one read each.
const PATCH_NAMES_MAX: usize = 64;

/// The IndexedDB database of the app.
pub const DB_NAME: &str = "group-console";

/// Where data lives.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageMode {
    Opening,
    /// IndexedDB: kept on this device.
    Local,
    /// The database could not be opened (why: unavailable here, written by a newer version,
    /// or its upgrade failed and was undone): the app runs on memory until the tab closes.
    Memory(StoreError),
    /// Our upgrade waits for another tab that keeps the old version open.
    Blocked,
    /// Another tab upgraded the database: reload to continue.
    Stale,
}

impl StorageMode {
    /// The storage banner: title and what to do, or nothing while storage works.
    pub fn banner(&self) -> Option<(&'static str, String)> {
        match self {
            StorageMode::Opening | StorageMode::Local => None,
            StorageMode::Memory(e) => Some((crate::store::open_failure_title(e), e.to_string())),
            StorageMode::Blocked => {
                Some(("Waiting for other tabs", StoreError::Blocked.to_string()))
            }
            StorageMode::Stale => Some(("Reload needed", StoreError::VersionChanged.to_string())),
        }
    }

    /// Whether the stored data is there but unreadable by this version, so it can and should
    /// be exported as it is.
    pub fn can_export_as_is(&self) -> bool {
        matches!(
            self,
            StorageMode::Memory(StoreError::MigrationFailed(_) | StoreError::NewerVersion)
        )
    }
}

/// The inventory index shared by every page (rebuilt when the inventory changes).
#[derive(Clone)]
pub struct SharedIndex(pub Arc<InventoryIndex>);

impl PartialEq for SharedIndex {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The inventory's search text (see `view::table::Haystacks`), shared by every table of
/// resources: built once per change of the inventory, never per keystroke or per page.
#[derive(Clone)]
pub struct ResourceText(pub Arc<Haystacks>);

impl PartialEq for ResourceText {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What "Find resources" searches: the ARN, the type, and every tag key and value.
fn resource_text(r: &Resource, text: &mut RowText) {
    text.push(&r.arn);
    text.push(&r.resource_type);
    for (k, v) in &r.tags {
        text.push(k);
        text.push(v);
    }
}

/// Cheap to copy; get it with `expect_context::<AppData>()`.
#[derive(Clone, Copy)]
pub struct AppData {
    store: StoredValue<Option<Rc<AnyStore>>, LocalStorage>,
    channel: StoredValue<Option<Channel>, LocalStorage>,
    pub mode: RwSignal<StorageMode>,
    pub groups: RwSignal<Vec<Group>>,
    pub resources: RwSignal<Vec<Resource>>,
    /// The inventory, indexed for fast query evaluation.
    pub index: Memo<SharedIndex>,
    /// The inventory's search text, for filtering resource tables.
    pub resource_text: Memo<ResourceText>,
    /// Increases after every load, so pages that read the store directly refresh.
    pub revision: RwSignal<u64>,
    /// True once the inventory has loaded (it may take longer than the groups).
    pub resources_loaded: RwSignal<bool>,
    /// True once the groups have loaded.
    pub loaded: RwSignal<bool>,
    pub load_error: RwSignal<Option<String>>,
    /// Bumped whenever `resources` is replaced, so a background check of an older list stops.
    resources_generation: StoredValue<u64>,
    /// Whether the one notice about quarantined records was already considered.
    quarantine_noticed: StoredValue<bool>,
    flashes: Flashes,
    /// Sync mode: every group change also goes to the outbox, in the same transaction.
    pub sync_enabled: RwSignal<bool>,
    /// The latest sync message from another tab (its progress, its end): a signal of its
    /// own, so progress ticks re-render the status line and nothing else.
    pub sync_message: RwSignal<Option<TabMessage>>,
}

impl AppData {
    /// Opens the store and loads the data; call once, in the app root.
    pub fn start(flashes: Flashes, db_name: &'static str) -> Self {
        let resources = RwSignal::new(Vec::new());
        let data = AppData {
            store: StoredValue::new_local(None),
            channel: StoredValue::new_local(None),
            mode: RwSignal::new(StorageMode::Opening),
            groups: RwSignal::new(Vec::new()),
            resources,
            index: Memo::new(move |_| {
                SharedIndex(Arc::new(resources.with(|r| InventoryIndex::build(r))))
            }),
            resource_text: Memo::new(move |_| {
                ResourceText(Arc::new(
                    resources.with(|rs| Haystacks::build(rs, resource_text)),
                ))
            }),
            revision: RwSignal::new(0),
            loaded: RwSignal::new(false),
            resources_loaded: RwSignal::new(false),
            load_error: RwSignal::new(None),
            sync_enabled: RwSignal::new(false),
            sync_message: RwSignal::new(None),
            resources_generation: StoredValue::new(0),
            quarantine_noticed: StoredValue::new(false),
            flashes,
        };
        spawn_local(async move {
            let opened = IdbStore::open(db_name, move |event| match event {
                DbEvent::UpgradeBlocked => {
                    data.mode.try_set(StorageMode::Blocked);
                }
                DbEvent::VersionChanged => {
                    data.mode.try_set(StorageMode::Stale);
                }
            })
            .await;
            let store = match opened {
                Ok(idb) => {
                    data.mode.try_set(StorageMode::Local);
                    AnyStore::Idb(idb)
                }
                Err(e) => {
                    // The banner (see `StorageBanner`) says which failure and what to do.
                    data.mode.try_set(StorageMode::Memory(e));
                    AnyStore::Memory(MemoryStore::new())
                }
            };
            data.store.try_set_value(Some(Rc::new(store)));
            data.channel.set_value(Channel::open(CHANNEL).map(|c| {
                c.listen(move |text| match TabMessage::decode(&text) {
                    TabMessage::Changed(touched) => data.patch(touched),
                    other => {
                        data.sync_message.try_set(Some(other));
                    }
                })
            }));
            data.reload();
        });
        data
    }

    fn store(&self) -> Option<Rc<AnyStore>> {
        self.store.try_with_value(|s| s.clone()).flatten()
    }

    /// Reloads everything from the store into the signals.
    pub fn reload(&self) {
        let Some(store) = self.store() else { return };
        let data = *self;
        spawn_local(async move {
            // Groups first: the groups table is usable before a large inventory has loaded.
            match store.groups().await {
                Ok(groups) => {
                    data.groups.try_set(groups);
                    data.load_error.try_set(None);
                }
                Err(e) => {
                    data.load_error.try_set(Some(e.to_string()));
                }
            }
            data.loaded.try_set(true);
            data.load_resources(&store).await;
            data.revision.try_update(|r| *r += 1);
        });
    }

    /// The inventory, shown at once and checked right after (see
    /// `Store::resources_unchecked`): checking 100,000 resources would otherwise hold the
    /// tables and counts back by about a second.
    async fn load_resources(&self, store: &AnyStore) {
        match store.resources_unchecked().await {
            Ok(resources) => {
                self.resources_generation.update_value(|g| *g += 1);
                self.resources.try_set(resources);
            }
            Err(e) => {
                self.load_error.try_set(Some(e.to_string()));
            }
        }
        self.resources_loaded.try_set(true);
        self.check_resources();
    }

    /// Puts the loaded inventory through the store's check, a chunk between frames, and drops
    /// what fails (it stays in IndexedDB, listed in Settings as quarantined). Stops if the
    /// list is replaced meanwhile: the newer load runs its own check.
    fn check_resources(&self) {
        const CHUNK: usize = 2_000;
        let data = *self;
        let generation = self.resources_generation.get_value();
        spawn_local(async move {
            let mut bad: std::collections::HashSet<String> = Default::default();
            let mut at = 0;
            loop {
                crate::ui::browser::yield_now().await;
                if data.resources_generation.try_get_value() != Some(generation) {
                    return;
                }
                let Some(done) = data.resources.try_with_untracked(|rs| {
                    let chunk = rs.get(at..(at + CHUNK).min(rs.len())).unwrap_or_default();
                    bad.extend(
                        chunk
                            .iter()
                            .filter(|r| crate::store::check_resource(r).is_err())
                            .map(|r| r.arn.clone()),
                    );
                    at += CHUNK;
                    at >= rs.len()
                }) else {
                    return;
                };
                if done {
                    break;
                }
            }
            if !bad.is_empty() {
                data.resources
                    .try_update(|rs| rs.retain(|r| !bad.contains(&r.arn)));
            }
            data.notice_quarantine(bad.len()).await;
        });
    }

    /// Says once, after the first load, how many stored records were set aside.
    async fn notice_quarantine(&self, resources: usize) {
        if self.quarantine_noticed.try_get_value() != Some(false) {
            return;
        }
        self.quarantine_noticed.set_value(true);
        let Some(store) = self.store() else { return };
        let others = store
            .quarantine(&[
                RecordKind::Group,
                RecordKind::Base,
                RecordKind::Conflict,
                RecordKind::Tombstone,
                RecordKind::Outbox,
            ])
            .await
            .map(|q| q.len())
            .unwrap_or(0);
        let count = resources + others;
        if count > 0 {
            self.flashes.push_sticky(
                FlashKind::Warning,
                "Some stored records were set aside",
                &format!("{count} record(s) could not be loaded and are quarantined: everything else works. Settings \u{2192} Quarantined records lists them, with an export."),
            );
        }
    }

    /// The one write path: applies a batch (in sync mode with its outbox entries, in the same
    /// transaction), then patches what it touched here and tells the other tabs, which patch
    /// the same. Nothing else writes to the store from the UI, so the signals never drift from
    /// what is stored.
    pub async fn commit(&self, batch: Batch) -> Result<Touched, StoreError> {
        let store = self
            .store()
            .ok_or_else(|| StoreError::Failed("the storage is still opening".into()))?;
        let batch = if self.sync_enabled.get_untracked() {
            crate::sync::engine::with_outbox(batch, js_sys::Date::now() as i64)
        } else {
            batch
        };
        let touched = store.apply(batch).await?;
        self.changed(touched.clone());
        Ok(touched)
    }

    /// [`AppData::commit`] for batches that carry their own outbox entries, or must not get
    /// any (conflict resolution, sync settings, switching accounts): applied as they are,
    /// then patched and told like every other change.
    pub async fn commit_as_is(&self, batch: Batch) -> Result<Touched, StoreError> {
        let store = self
            .store()
            .ok_or_else(|| StoreError::Failed("the storage is still opening".into()))?;
        let touched = store.apply(batch).await?;
        self.changed(touched.clone());
        Ok(touched)
    }

    /// [`AppData::commit`] for callers that only need to know it worked.
    pub async fn apply(&self, batch: Batch) -> Result<(), StoreError> {
        self.commit(batch).await.map(|_| ())
    }

    /// Tells the other tabs what changed in storage (written elsewhere than `commit`, such as
    /// by the sync engine), and patches this tab.
    pub fn changed(&self, touched: Touched) {
        if touched.is_empty() {
            return;
        }
        let touched = touched.compact();
        self.post(&TabMessage::Changed(touched.clone()));
        self.patch(touched);
    }

    /// Brings the signals up to date with what `touched` says changed: the touched groups are
    /// read by key and replaced, inserted or removed in place (kept in name order, as the
    /// store lists them); the inventory (and so its index) is reloaded only when resources
    /// changed. Everything is reloaded only for `all` or a long list of names.
    pub fn patch(&self, touched: Touched) {
        if touched.all {
            self.reload();
            return;
        }
        let Some(store) = self.store() else { return };
        let data = *self;
        spawn_local(async move {
            if touched.groups.len() > PATCH_NAMES_MAX {
                if let Ok(groups) = store.groups().await {
                    data.groups.try_set(groups);
                }
            } else if !touched.groups.is_empty() {
                let mut fresh = Vec::with_capacity(touched.groups.len());
                for name in &touched.groups {
                    // A group that cannot be read (quarantined) is not data: it leaves the list.
                    fresh.push((name.clone(), store.group(name).await.ok().flatten()));
                }
                data.groups.try_update(|groups| {
                    for (name, group) in fresh {
                        match (
                            groups.binary_search_by(|g| g.name.as_str().cmp(&name)),
                            group,
                        ) {
                            (Ok(i), Some(g)) => groups[i] = g,
                            (Ok(i), None) => {
                                groups.remove(i);
                            }
                            (Err(i), Some(g)) => groups.insert(i, g),
                            (Err(_), None) => {}
                        }
                    }
                });
            }
            if touched.resources {
                data.load_resources(&store).await;
            }
            data.revision.try_update(|r| *r += 1);
        });
    }

    /// Posts a message to the other tabs.
    pub fn post(&self, message: &TabMessage) {
        let text = message.encode();
        self.channel.try_with_value(|c| {
            if let Some(c) = c {
                c.post(&text);
            }
        });
    }

    /// The store, for reads such as the activity log.
    pub fn with_store(&self) -> Option<Rc<AnyStore>> {
        self.store()
    }
}
