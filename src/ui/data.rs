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
use crate::store::vault::{VaultFailure, VaultStatus};
use crate::store::{
    Batch, MemoryStore, Quarantined, RecordKind, Store, StoreError, SyncState, TabMessage,
    Tombstone, Touched,
};
use crate::view::finder::FinderRows;
use crate::view::table::{patch_sorted, Haystacks, RowText};
use crate::view::vocabulary::Vocabulary;

/// Past this many touched group names, reading the whole list is quicker than one read each.
const PATCH_NAMES_MAX: usize = 64;

/// How long a change waits for the database to open (a click right after the page loads, an
/// upgrade held back by another tab) before it fails with a plain reason.
const OPEN_WAIT_MS: f64 = 10_000.0;

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

/// The finder's facts of every resource (see `view::finder::FinderRows`), shared, rebuilt
/// when the inventory changes; `generation` tells one inventory from the next.
#[derive(Clone)]
pub struct SharedFinderRows {
    pub rows: Arc<FinderRows>,
    pub generation: u64,
}

impl PartialEq for SharedFinderRows {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.rows, &other.rows)
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
    /// The inventory as the finder reads it (the Resources page).
    pub finder_rows: Memo<SharedFinderRows>,
    /// Keys the backend's Tagging API lists (after a pull), besides the inventory's own.
    pub backend_keys: RwSignal<Vec<String>>,
    /// Values the backend lists for a key (`GetTagValues`, asked when a value field of that
    /// key gets the focus), besides the inventory's own.
    pub backend_values: RwSignal<std::collections::HashMap<String, Vec<String>>>,
    /// What tag key and value fields suggest (see `view::vocabulary`).
    pub vocabulary: Memo<Arc<Vocabulary>>,
    /// Increases after every load, so pages that read the store directly refresh.
    pub revision: RwSignal<u64>,
    /// True once the inventory has loaded (it may take longer than the groups).
    pub resources_loaded: RwSignal<bool>,
    /// True once the groups have loaded.
    pub loaded: RwSignal<bool>,
    pub load_error: RwSignal<Option<String>>,
    /// Bumped whenever `resources` is replaced, so a background check of an older list stops.
    resources_generation: StoredValue<u64>,
    /// The generation whose background check has finished.
    checked_generation: StoredValue<u64>,
    /// How many group records the last full read set aside (for the one notice below).
    groups_quarantined: StoredValue<usize>,
    /// Whether the one notice about quarantined records was already considered.
    quarantine_noticed: StoredValue<bool>,
    flashes: Flashes,
    /// Rises whenever the guard's rules change in this tab (the person's own detectors).
    pub rules: RwSignal<u64>,
    /// The detectors installed, as encoded (to tell a change from the same list stored again).
    installed_detectors: StoredValue<String>,
    /// Sync mode: every group change also goes to the outbox, in the same transaction.
    pub sync_enabled: RwSignal<bool>,
    /// Changes saved by this tab (rises after each); the first one asks for persistent storage.
    pub commits: RwSignal<u64>,
    /// The latest sync message from another tab (its progress, its end): a signal of its
    /// own, so progress ticks re-render the status line and nothing else.
    pub sync_message: RwSignal<Option<TabMessage>>,
    /// Encryption at rest in this tab (see `store::vault`). While `Locked`, the app shows the
    /// lock screen and nothing else: no store is set, so nothing is read, written or synced.
    pub vault: RwSignal<VaultStatus>,
    /// The opened database while it waits to be unlocked.
    locked_store: StoredValue<Option<Rc<AnyStore>>, LocalStorage>,
}

impl AppData {
    /// Opens the store and loads the data; call once, in the app root.
    pub fn start(flashes: Flashes, db_name: &'static str) -> Self {
        let resources = RwSignal::new(Vec::new());
        let backend_keys = RwSignal::new(Vec::new());
        let data = AppData {
            store: StoredValue::new_local(None),
            channel: StoredValue::new_local(None),
            mode: RwSignal::new(StorageMode::Opening),
            groups: RwSignal::new(Vec::new()),
            resources,
            index: Memo::new(move |_| {
                let index = SharedIndex(Arc::new(resources.with(|r| InventoryIndex::build(r))));
                crate::ui::browser::mark("gc:index-built");
                index
            }),
            resource_text: Memo::new(move |_| {
                ResourceText(Arc::new(
                    resources.with(|rs| Haystacks::build(rs, resource_text)),
                ))
            }),
            finder_rows: Memo::new(
                move |previous: Option<&SharedFinderRows>| SharedFinderRows {
                    rows: Arc::new(resources.with(|rs| FinderRows::build(rs))),
                    generation: previous.map_or(1, |p| p.generation + 1),
                },
            ),
            backend_keys,
            backend_values: RwSignal::new(std::collections::HashMap::new()),
            vocabulary: Memo::new(move |_| {
                Arc::new(resources.with(|rs| backend_keys.with(|k| Vocabulary::build(rs, k))))
            }),
            revision: RwSignal::new(0),
            loaded: RwSignal::new(false),
            resources_loaded: RwSignal::new(false),
            load_error: RwSignal::new(None),
            sync_enabled: RwSignal::new(false),
            commits: RwSignal::new(0),
            rules: RwSignal::new(0),
            installed_detectors: StoredValue::new(
                crate::guard::custom::Detectors::default().encode(),
            ),
            sync_message: RwSignal::new(None),
            vault: RwSignal::new(VaultStatus::Plain),
            locked_store: StoredValue::new_local(None),
            resources_generation: StoredValue::new(0),
            checked_generation: StoredValue::new(0),
            groups_quarantined: StoredValue::new(0),
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
            data.channel.set_value(Channel::open(CHANNEL).map(|c| {
                c.listen(move |text| match TabMessage::decode(&text) {
                    TabMessage::Changed(touched) => data.patch(touched),
                    // Nothing private stays in memory: the page goes, and comes back locked.
                    TabMessage::Lock => {
                        if data.vault.get_untracked() == VaultStatus::Unlocked {
                            crate::ui::browser::reload_page();
                        }
                    }
                    TabMessage::VaultChanged => crate::ui::browser::reload_page(),
                    other => {
                        data.sync_message.try_set(Some(other));
                    }
                })
            }));
            let status = store
                .idb()
                .map_or(VaultStatus::Plain, |idb| idb.vault_status());
            data.vault.try_set(status.clone());
            if matches!(status, VaultStatus::Locked | VaultStatus::Damaged(_)) {
                data.locked_store.set_value(Some(Rc::new(store)));
                return;
            }
            data.finish_start(Rc::new(store)).await;
        });
        data
    }

    /// Start, once the store can be read (at once, or after the unlock).
    async fn finish_start(&self, store: Rc<AnyStore>) {
        // The person's own detectors, before anything is read: the store's checks on reading
        // apply them like the built-in rules (a group they match is set aside).
        self.install_detectors(&store).await;
        self.store.try_set_value(Some(store));
        self.reload();
    }

    /// Unlocks encrypted data with the passphrase, then loads it. The key derivation's time
    /// (ms) on success; a wrong passphrase reads nothing.
    pub async fn unlock(&self, passphrase: &str) -> Result<f64, VaultFailure> {
        let Some(store) = self.locked_store.try_with_value(|s| s.clone()).flatten() else {
            return Err(VaultFailure::NotNow("the data is not locked"));
        };
        let idb = store
            .idb()
            .ok_or(VaultFailure::NotNow("the data is not encrypted"))?;
        crate::ui::browser::mark("gc:unlock-start");
        let kdf_ms = idb.unlock(passphrase).await?;
        crate::ui::browser::mark("gc:unlock-keys");
        self.locked_store.set_value(None);
        self.vault.set(VaultStatus::Unlocked);
        self.finish_start(store).await;
        Ok(kdf_ms)
    }

    /// The store while it is locked (the lock screen's "start over" closes it).
    pub fn locked_store(&self) -> Option<Rc<AnyStore>> {
        self.locked_store.try_with_value(|s| s.clone()).flatten()
    }

    /// Runs an encryption operation on the IndexedDB store, then shows its new state here and
    /// makes every other tab reload (their data is in the other form now). The data itself is
    /// the same, but its outbox entries were numbered afresh: this tab reads it again.
    pub async fn vault_op<F, Fut>(&self, op: F) -> Result<(), VaultFailure>
    where
        F: FnOnce(Rc<AnyStore>) -> Fut,
        Fut: std::future::Future<Output = Result<(), VaultFailure>>,
    {
        let store = self.open_store().await.map_err(VaultFailure::Store)?;
        if store.idb().is_none() {
            return Err(VaultFailure::NotNow(
                "this browser does not let the app store data, so there is nothing to encrypt",
            ));
        }
        let result = op(store.clone()).await;
        let status = store
            .idb()
            .map_or(VaultStatus::Plain, |idb| idb.vault_status());
        // Other tabs reload only when the data changed form (not for a start that failed, nor
        // a new passphrase: each reads the stored record when it needs it).
        let switched = status.is_encrypted() != self.vault.get_untracked().is_encrypted();
        self.vault.set(status);
        if switched {
            self.post(&TabMessage::VaultChanged);
            self.reload();
        }
        result
    }

    fn store(&self) -> Option<Rc<AnyStore>> {
        self.store.try_with_value(|s| s.clone()).flatten()
    }

    /// Reloads everything from the store into the signals, in the background.
    pub fn reload(&self) {
        let Some(store) = self.store() else { return };
        let data = *self;
        spawn_local(async move { data.reload_now(&store).await });
    }

    async fn reload_now(&self, store: &AnyStore) {
        let data = *self;
        // Both reads are asked for at once: IndexedDB reads the inventory while this thread
        // decodes the groups. The groups are shown as soon as they are decoded, so the groups
        // table is usable before a large inventory has loaded.
        let groups = async {
            match store.groups_and_quarantine().await {
                Ok((groups, set_aside)) => {
                    crate::ui::browser::mark("gc:groups-read");
                    data.groups.try_set(groups);
                    data.groups_quarantined.set_value(set_aside.len());
                    data.load_error.try_set(None);
                }
                Err(e) => {
                    data.load_error.try_set(Some(e.to_string()));
                }
            }
            data.loaded.try_set(true);
        };
        let ((), resources) = futures::join!(groups, store.resources_unchecked());
        data.take_resources(resources);
        data.revision.try_update(|r| *r += 1);
    }

    /// The inventory, shown at once and checked right after (see
    /// `Store::resources_unchecked`): checking 100,000 resources would otherwise hold the
    /// tables and counts back by about a second.
    async fn load_resources(&self, store: &AnyStore) {
        self.take_resources(store.resources_unchecked().await);
    }

    fn take_resources(&self, read: Result<Vec<Resource>, StoreError>) {
        match read {
            Ok(resources) => {
                crate::ui::browser::mark("gc:resources-read");
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
        // Checked for at most this long between two yields, so a keystroke meanwhile waits
        // for a few milliseconds at most (a fixed count of records would take longer on
        // slow machines and with many tags).
        const SLICE_MS: f64 = 6.0;
        const STEP: usize = 100;
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
                let started = js_sys::Date::now();
                let Some(done) = data.resources.try_with_untracked(|rs| {
                    while at < rs.len() && js_sys::Date::now() - started < SLICE_MS {
                        let step = rs.get(at..(at + STEP).min(rs.len())).unwrap_or_default();
                        bad.extend(
                            step.iter()
                                .filter(|r| crate::store::check_resource(r).is_err())
                                .map(|r| r.arn.clone()),
                        );
                        at += STEP;
                    }
                    at >= rs.len()
                }) else {
                    return;
                };
                if done {
                    break;
                }
            }
            crate::ui::browser::mark("gc:resources-checked");
            data.checked_generation.set_value(generation);
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
        // The groups were counted when they were read; the other kinds are small stores.
        let others = read_quarantine(
            &store,
            &[
                RecordKind::Base,
                RecordKind::Conflict,
                RecordKind::Tombstone,
                RecordKind::Outbox,
            ],
        )
        .await
        .map(|q| q.len())
        .unwrap_or(0);
        let count = resources + others + self.groups_quarantined.get_value();
        if count > 0 {
            self.flashes.push_sticky(
                FlashKind::Warning,
                "Some stored records were set aside",
                &format!("{count} record(s) could not be loaded and are quarantined: everything else works. Settings \u{2192} Quarantined records lists them, with an export."),
            );
        }
    }

    /// The store once it is open: a change made while the database is still opening waits
    /// for it rather than failing (nothing typed is lost either way).
    async fn open_store(&self) -> Result<Rc<AnyStore>, StoreError> {
        let started = js_sys::Date::now();
        loop {
            if let Some(store) = self.store() {
                return Ok(store);
            }
            if js_sys::Date::now() - started > OPEN_WAIT_MS {
                return Err(StoreError::Failed(
                    "the storage of this browser did not open in time (another tab may be holding an upgrade back)".into(),
                ));
            }
            crate::ui::browser::sleep(20).await;
        }
    }

    /// The one write path: applies a batch (in sync mode with its outbox entries, in the same
    /// transaction), then patches what it touched here and tells the other tabs, which patch
    /// the same. Nothing else writes to the store from the UI, so the signals never drift from
    /// what is stored. It returns once this tab's signals show the change, so the notice a
    /// page shows next never comes before the tables it speaks of, and a form that the page
    /// shows afresh after a save is not replaced under the person's next keystroke.
    pub async fn commit(&self, batch: Batch) -> Result<Touched, StoreError> {
        let store = self.open_store().await?;
        let outbox_at = self
            .sync_enabled
            .get_untracked()
            .then(|| js_sys::Date::now() as i64);
        let touched = write(store, batch, outbox_at).await?;
        self.commits.update(|n| *n += 1);
        self.settle(touched.clone()).await;
        Ok(touched)
    }

    /// [`AppData::commit`] for batches that carry their own outbox entries, or must not get
    /// any (conflict resolution, sync settings, switching accounts): applied as they are,
    /// then patched and told like every other change.
    pub async fn commit_as_is(&self, batch: Batch) -> Result<Touched, StoreError> {
        let store = self.open_store().await?;
        let touched = write(store, batch, None).await?;
        self.commits.update(|n| *n += 1);
        self.settle(touched.clone()).await;
        Ok(touched)
    }

    /// Runs `task` once, in the background, as soon as the data has loaded (start-up chores:
    /// the purge of Recently deleted, the backup reminder).
    pub fn once_loaded<F, Fut>(&self, task: F)
    where
        F: Fn(AppData) -> Fut + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        let data = *self;
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || !data.loaded.get() {
                return done.unwrap_or(false);
            }
            spawn_local(task(data));
            true
        });
    }

    /// [`AppData::commit`] for callers that only need to know it worked.
    pub async fn apply(&self, batch: Batch) -> Result<(), StoreError> {
        self.commit(batch).await.map(|_| ())
    }

    /// Tells the other tabs what changed in storage (written elsewhere than `commit`, such as
    /// by the sync engine), and patches this tab.
    pub fn changed(&self, touched: Touched) {
        let data = *self;
        spawn_local(async move { data.settle(touched).await });
    }

    async fn settle(&self, touched: Touched) {
        if touched.is_empty() {
            return;
        }
        let touched = touched.compact();
        self.post(&TabMessage::Changed(touched.clone()));
        self.patch_now(touched).await;
    }

    /// [`AppData::patch_now`], in the background (a message from another tab).
    pub fn patch(&self, touched: Touched) {
        let data = *self;
        spawn_local(async move { data.patch_now(touched).await });
    }

    /// Brings the signals up to date with what `touched` says changed: the touched groups and
    /// resources are read by key and replaced, inserted or removed in place (both lists stay
    /// in key order, as the store lists them), so the index is rebuilt from memory, never
    /// re-read. Everything is reloaded only for `all`, a long list of names, or a change of
    /// resources that does not list them.
    async fn patch_now(&self, touched: Touched) {
        match crate::split_call!(patch_touched(*self, touched)) {
            Ok(patching) => patching.await,
            // Without the code that patches, everything is read again: slower, never stale.
            Err(_) => {
                if let Some(store) = self.store() {
                    self.reload_now(&store).await;
                }
            }
        }
    }

    /// [`AppData::patch_now`]'s body, in the `write` chunk: only a change (here or in another
    /// tab) needs it.
    async fn patch_touched_now(&self, touched: Touched) {
        let Some(store) = self.store() else { return };
        // Settings changed (here or in another tab): the person's own detectors may be new, and
        // then everything is read again under them (a group they match is set aside).
        if (touched.meta || touched.all) && self.install_detectors(&store).await {
            self.reload_now(&store).await;
            return;
        }
        if touched.all {
            self.reload_now(&store).await;
            return;
        }
        if touched.groups.len() > PATCH_NAMES_MAX {
            if let Ok(groups) = store.groups().await {
                self.groups.try_set(groups);
            }
        } else if !touched.groups.is_empty() {
            let mut fresh = Vec::with_capacity(touched.groups.len());
            for name in &touched.groups {
                // A group that cannot be read (quarantined) is not data: it leaves the list.
                fresh.push((name.clone(), store.group(name).await.ok().flatten()));
            }
            self.groups.try_update(|groups| {
                for (name, group) in fresh {
                    patch_sorted(groups, &name, group, |g| g.name.as_str());
                }
            });
        }
        if touched.resources {
            let patched = match touched.listed_resources() {
                Some(arns) => match store.resources_by_arn(arns).await {
                    Ok(fresh) => {
                        self.resources.try_update(|rs| {
                            for (arn, r) in fresh {
                                patch_sorted(rs, &arn, r, |r| r.arn.as_str());
                            }
                        });
                        true
                    }
                    Err(_) => false,
                },
                None => false,
            };
            if patched {
                // Positions moved: a background check still running starts over on the new list.
                if self.checked_generation.get_value() != self.resources_generation.get_value() {
                    self.resources_generation.update_value(|g| *g += 1);
                    self.check_resources();
                }
            } else {
                self.load_resources(&store).await;
            }
        }
        self.revision.try_update(|r| *r += 1);
    }

    /// Installs the stored detectors if they differ from those installed; whether they did.
    /// `rules` rises then, so the audit starts afresh (its memo of clean texts is stale).
    async fn install_detectors(&self, store: &AnyStore) -> bool {
        let stored = store
            .setting(crate::store::settings::SettingKey::CustomDetectors.as_str())
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let detectors = crate::guard::custom::Detectors::decode(&stored);
        let encoded = detectors.encode();
        if self.installed_detectors.with_value(|d| *d == encoded) {
            return false;
        }
        crate::guard::custom::set_detectors(&detectors);
        self.installed_detectors.set_value(encoded);
        self.rules.try_update(|r| *r += 1);
        true
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

    /// What a value field for `key` suggests: the inventory's values, then the backend's.
    pub fn suggested_values(&self, key: &str) -> Vec<String> {
        let backend = self.backend_values;
        self.vocabulary.with(|v| {
            backend.with(|b| v.values_with(key, b.get(key).map(Vec::as_slice).unwrap_or_default()))
        })
    }

    /// The store, for reads such as the activity log.
    pub fn with_store(&self) -> Option<Rc<AnyStore>> {
        self.store()
    }
}

/// The part named when the code that writes a change could not be fetched. The form or dialog
/// keeps what was typed, so trying again loses nothing.
pub const WRITE_PART: &str = "saves changes";

/// Writes a batch: the store's write path (every kind of record, the activity log, and in sync
/// mode the outbox entries, made here when `outbox_at` gives the time). Nothing before the first
/// change needs this code, so in the release build it is a chunk of its own (`write`), fetched
/// on idle once the groups are on screen ([`preload_writer`]) or by the first change at the
/// latest. Every write of the UI goes through here: [`AppData::commit`] and
/// [`AppData::commit_as_is`].
async fn write(
    store: Rc<AnyStore>,
    batch: Batch,
    outbox_at: Option<i64>,
) -> Result<Touched, StoreError> {
    match crate::split_call!(write_batch(store, batch, outbox_at)) {
        Ok(writing) => writing.await,
        Err(_) => Err(StoreError::NotLoaded(WRITE_PART)),
    }
}

/// [`write`]'s body, in the `write` chunk.
#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(write, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn write_batch(
    store: Rc<AnyStore>,
    batch: Batch,
    outbox_at: Option<i64>,
) -> Result<super::lazy::LocalFuture<Result<Touched, StoreError>>, super::lazy::ChunkError> {
    Ok(Box::pin(async move {
        let batch = match outbox_at {
            Some(now) => crate::sync::engine::with_outbox(batch, now),
            None => batch,
        };
        store.apply(batch).await
    }))
}

/// Brings the `write` chunk in while the browser is idle, so the first change does not wait
/// for it: an empty batch on a memory store writes nothing and touches nothing.
pub fn preload_writer() {
    request_idle_callback(|| {
        spawn_local(async {
            let scratch = Rc::new(AnyStore::Memory(MemoryStore::new()));
            let _ = write(scratch, Batch::default(), None).await;
        });
    });
}

#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(write, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn patch_touched(
    data: AppData,
    touched: Touched,
) -> Result<super::lazy::LocalTask, super::lazy::ChunkError> {
    Ok(Box::pin(
        async move { data.patch_touched_now(touched).await },
    ))
}

/// The part named when the code that reads the records other than groups and resources could
/// not be fetched.
const RECORDS_PART: &str = "reads the sync records and Recently deleted";

/// The sync records as stored (outbox, last-synced copies, conflicts: `Store::sync_state`).
/// Only sync mode, its settings and its checks read them, never the groups list, so in the
/// release build their decoding is a chunk of its own (`records`).
pub async fn read_sync_state(store: &Rc<AnyStore>) -> Result<SyncState, StoreError> {
    match crate::split_call!(sync_state_read(store.clone())) {
        Ok(reading) => reading.await,
        Err(_) => Err(StoreError::NotLoaded(RECORDS_PART)),
    }
}

#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(records, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn sync_state_read(
    store: Rc<AnyStore>,
) -> Result<super::lazy::LocalFuture<Result<SyncState, StoreError>>, super::lazy::ChunkError> {
    Ok(Box::pin(async move { store.sync_state().await }))
}

/// The records of `kinds` that the store's checks set aside (`Store::quarantine`), through
/// the `records` chunk like [`read_sync_state`].
pub async fn read_quarantine(
    store: &Rc<AnyStore>,
    kinds: &[RecordKind],
) -> Result<Vec<Quarantined>, StoreError> {
    match crate::split_call!(quarantine_read(store.clone(), kinds.to_vec())) {
        Ok(reading) => reading.await,
        Err(_) => Err(StoreError::NotLoaded(RECORDS_PART)),
    }
}

#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(records, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn quarantine_read(
    store: Rc<AnyStore>,
    kinds: Vec<RecordKind>,
) -> Result<super::lazy::LocalFuture<Result<Vec<Quarantined>, StoreError>>, super::lazy::ChunkError>
{
    Ok(Box::pin(async move { store.quarantine(&kinds).await }))
}

/// Recently deleted as stored (`Store::tombstones`), through the `records` chunk like
/// [`read_sync_state`]: the groups list never needs it; the sync status and the start-up purge
/// read it once the groups are on screen.
pub async fn read_tombstones(store: &Rc<AnyStore>) -> Result<Vec<Tombstone>, StoreError> {
    match crate::split_call!(tombstones_read(store.clone())) {
        Ok(reading) => reading.await,
        Err(_) => Err(StoreError::NotLoaded(RECORDS_PART)),
    }
}

#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(records, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn tombstones_read(
    store: Rc<AnyStore>,
) -> Result<super::lazy::LocalFuture<Result<Vec<Tombstone>, StoreError>>, super::lazy::ChunkError> {
    Ok(Box::pin(async move { store.tombstones().await }))
}
