//! The IndexedDB store (wasm only), on web-sys plus a few lines of JavaScript that turn
//! IndexedDB's events into promises.
//!
//! Object stores (schema v2): `groups` (key path `name`), `resources` (key path `arn`, index
//! `type`), `activity` (key path `id`, auto-increment, index `group`), `meta` (settings,
//! out-of-line keys) and `outbox` (key path `seq`, auto-increment; for sync); v3 adds
//! `syncBase` (key path `name`: the last-synced copy of each group) and `conflicts` (key path
//! `groupName`); v4 adds `tombstones` (key path `name`: groups sync deleted here, restorable
//! for 30 days). Migrations run step by step in the one versionchange transaction of `open`.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbTransaction};

use super::load::{self, Quarantined, RecordKind};
use super::records::{migrate_group_v1_to_v2, GroupRecord, ResourceRecord, SCHEMA_VERSION};
use super::sync_state::{ConflictRecord, TombstoneRecord};
use super::{
    ActivityEvent, ActivityFilter, Batch, Op, OutboxEntry, Store, StoreError, SyncState, Tombstone,
    Touched, ACTIVITY_MAX,
};
use crate::model::{Group, Resource};

#[wasm_bindgen(inline_js = r#"
export function idbAvailable() {
  try { return typeof indexedDB !== 'undefined' && indexedDB !== null; } catch (e) { return false; }
}
export function idbOpen(name, version, upgrade, blocked, versionchange) {
  return new Promise((resolve, reject) => {
    let req;
    try { req = indexedDB.open(name, version); } catch (e) { reject(e); return; }
    req.onupgradeneeded = (e) => {
      try { upgrade(req.result, req.transaction, e.oldVersion); }
      catch (err) {
        // Aborting the versionchange transaction leaves the old database exactly as it was.
        try { req.transaction.abort(); } catch (_) {}
        const m = new Error(String((err && err.message) || err));
        m.name = 'GroupConsoleMigrationError';
        reject(m);
      }
    };
    req.onblocked = () => blocked();
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => { db.close(); versionchange(); };
      resolve(db);
    };
    req.onerror = (e) => { e.preventDefault(); reject(req.error); };
  });
}
export function idbOpenAsIs(name) {
  return new Promise((resolve, reject) => {
    let req;
    try { req = indexedDB.open(name); } catch (e) { reject(e); return; }
    req.onupgradeneeded = () => { try { req.transaction.abort(); } catch (_) {} };
    req.onsuccess = () => resolve(req.result);
    req.onerror = (e) => { e.preventDefault(); reject(req.error); };
  });
}
export function idbDumpJson(db) {
  const names = Array.from(db.objectStoreNames);
  const out = { database: db.name, version: db.version, stores: {} };
  if (names.length === 0) return Promise.resolve(JSON.stringify(out));
  return new Promise((ok, err) => {
    const tx = db.transaction(names, 'readonly');
    for (const n of names) {
      const store = tx.objectStore(n);
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        out.stores[n] = values.result.map((v, i) => ({ key: keys.result[i], value: v }));
      };
    }
    tx.oncomplete = () => { try { ok(JSON.stringify(out)); } catch (e) { err(e); } };
    tx.onabort = () => err(tx.error);
  });
}
export function idbDelete(name) {
  return new Promise((ok, err) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => ok();
    req.onerror = () => err(req.error);
  });
}
export function idbTx(db, names, mode, durability) {
  return db.transaction(names, mode, { durability });
}
export function idbDone(tx) {
  return new Promise((ok, err) => {
    tx.oncomplete = () => ok();
    tx.onabort = () => err(tx.error || new DOMException('The transaction was aborted.', 'AbortError'));
  });
}
function gcMark(name) { try { performance.mark(name); } catch (e) {} }
export function idbGetAllJson(source) {
  return new Promise((ok, err) => {
    const r = source.getAll();
    // Marks for the UI benchmark: the time IndexedDB takes, then the time JSON takes.
    r.onsuccess = () => { gcMark('gc:got:' + source.name); const text = JSON.stringify(r.result); gcMark('gc:json:' + source.name); ok(text); };
    r.onerror = (e) => { e.preventDefault(); err(r.error); };
  });
}
export function idbGetJson(store, key) {
  return new Promise((ok, err) => {
    const r = store.get(key);
    r.onsuccess = () => ok(r.result === undefined ? null : JSON.stringify(r.result));
    r.onerror = (e) => { e.preventDefault(); err(r.error); };
  });
}
export function idbMigrate(store, convert) {
  const c = store.openCursor();
  c.onsuccess = () => {
    const cur = c.result;
    if (!cur) return;
    cur.update(JSON.parse(convert(JSON.stringify(cur.value))));
    cur.continue();
  };
}
export function idbExpect(tx, store, key, expected, failed) {
  const r = store.get(key);
  r.onsuccess = () => {
    const got = r.result === undefined ? null : (r.result.updatedAt ?? 0);
    if (got !== expected) { failed.push(key); try { tx.abort(); } catch (_) {} }
  };
}
// The inventory (schema v5) is kept in BLOCKS records, not one record per resource: reading
// 100,000 small records costs IndexedDB about a second (it is per record, not per byte), while
// 256 texts of a few hundred resources each read in a few tens of milliseconds. A resource's
// block is FNV-1a over its ARN's UTF-16 code units, modulo BLOCKS; this is part of the stored
// format: changing it (or BLOCKS) needs a migration.
const BLOCKS = 256;
export function idbBlockOf(arn) {
  let h = 0x811c9dc5;
  for (let i = 0; i < arn.length; i++) h = Math.imul(h ^ arn.charCodeAt(i), 0x01000193) >>> 0;
  return h % BLOCKS;
}
function blockList(value) {
  if (typeof value !== 'string') return null;
  try { const list = JSON.parse(value); return Array.isArray(list) ? list : null; } catch (_) { return null; }
}
// Changes resources inside `tx`, in the order given: a record object puts it, an ARN string
// deletes it; `drops` are keys of whole blocks to delete (a quarantined block). Each touched
// block is read, changed and written back in ARN order, or deleted once empty. A damaged block
// (not a list) is never written over: the transaction is aborted and its key put in `damaged`.
export function idbBlockEdit(tx, store, ops, drops, damaged) {
  // Keys come back as text (see idbBlocks): the block may be stored under the number or, if
  // something else wrote it, under the text.
  for (const k of drops) { store.delete(k); const n = Number(k); if (String(n) === k) store.delete(n); }
  const edits = new Map();
  for (const op of ops) {
    const arn = typeof op === 'string' ? op : op.arn;
    const b = idbBlockOf(arn);
    if (!edits.has(b)) edits.set(b, new Map());
    edits.get(b).set(arn, typeof op === 'string' ? null : op);
  }
  for (const [b, changes] of edits) {
    const r = store.get(b);
    r.onsuccess = () => {
      const list = r.result === undefined ? [] : blockList(r.result);
      if (list === null) { damaged.push(String(b)); try { tx.abort(); } catch (_) {} return; }
      const odd = [];
      const byArn = new Map();
      for (const rec of list) {
        if (rec && typeof rec.arn === 'string') byArn.set(rec.arn, rec); else odd.push(rec);
      }
      for (const [arn, rec] of changes) { if (rec === null) byArn.delete(arn); else byArn.set(arn, rec); }
      const arns = [...byArn.keys()].sort();
      const out = odd.concat(arns.map((a) => byArn.get(a)));
      if (out.length === 0) store.delete(b); else store.put(JSON.stringify(out), b);
    };
  }
}
// The blocks that hold these ARNs, as idbBlocks gives them.
export function idbBlocksOf(store, arns) {
  const keys = [...new Set(arns.map(idbBlockOf))];
  return Promise.all(keys.map((k) => new Promise((ok, err) => {
    const r = store.get(k);
    r.onsuccess = () => ok(r.result === undefined ? null : [String(k), typeof r.result === 'string' ? r.result : null]);
    r.onerror = (e) => { e.preventDefault(); err(r.error); };
  }))).then((list) => list.filter((b) => b !== null));
}
// Every block as [key, text], text null when the stored value is not text.
export function idbBlocks(store) {
  return new Promise((ok, err) => {
    const out = [];
    const c = store.openCursor();
    c.onsuccess = () => {
      const cur = c.result;
      if (!cur) { ok(out); return; }
      out.push([String(cur.key), typeof cur.value === 'string' ? cur.value : null]);
      cur.continue();
    };
    c.onerror = (e) => { e.preventDefault(); err(c.error); };
  });
}
// Schema v4 → v5: every record of `resources` into its block of `inventory`, as it is (a record
// the app cannot read stays as unreadable, and is quarantined on load as before); then the old
// store goes. All inside the versionchange transaction: if anything throws, nothing changed.
export function idbMigrateInventory(db, tx) {
  const target = db.createObjectStore('inventory');
  const blocks = new Map();
  const c = tx.objectStore('resources').openCursor();
  c.onsuccess = () => {
    const cur = c.result;
    if (cur) {
      const v = cur.value;
      const b = idbBlockOf(v && typeof v.arn === 'string' ? v.arn : String(cur.key));
      if (!blocks.has(b)) blocks.set(b, []);
      blocks.get(b).push(v);
      cur.continue();
      return;
    }
    for (const [b, list] of blocks) target.put(JSON.stringify(list), b);
    db.deleteObjectStore('resources');
  };
}
export function idbTrim(store, keep) {
  const r = store.count();
  r.onsuccess = () => {
    let excess = r.result - keep;
    if (excess <= 0) return;
    const c = store.openCursor();
    c.onsuccess = () => {
      const cur = c.result;
      if (!cur || excess <= 0) return;
      cur.delete();
      excess -= 1;
      cur.continue();
    };
  };
}
"#)]
extern "C" {
    fn idbAvailable() -> bool;
    #[wasm_bindgen(catch)]
    fn idbOpen(
        name: &str,
        version: u32,
        upgrade: &JsValue,
        blocked: &JsValue,
        versionchange: &JsValue,
    ) -> Result<js_sys::Promise, JsValue>;
    fn idbDelete(name: &str) -> js_sys::Promise;
    #[wasm_bindgen(catch)]
    fn idbOpenAsIs(name: &str) -> Result<js_sys::Promise, JsValue>;
    fn idbDumpJson(db: &IdbDatabase) -> js_sys::Promise;
    #[wasm_bindgen(catch)]
    fn idbTx(
        db: &IdbDatabase,
        names: &Array,
        mode: &str,
        durability: &str,
    ) -> Result<IdbTransaction, JsValue>;
    fn idbDone(tx: &IdbTransaction) -> js_sys::Promise;
    fn idbGetAllJson(source: &JsValue) -> js_sys::Promise;
    fn idbGetJson(store: &IdbObjectStore, key: &str) -> js_sys::Promise;
    fn idbMigrate(store: &IdbObjectStore, convert: &JsValue);
    fn idbTrim(store: &IdbObjectStore, keep: u32);
    fn idbBlockEdit(
        tx: &IdbTransaction,
        store: &IdbObjectStore,
        ops: &Array,
        drops: &Array,
        damaged: &Array,
    );
    fn idbBlocks(store: &IdbObjectStore) -> js_sys::Promise;
    fn idbBlockOf(arn: &str) -> u32;
    fn idbBlocksOf(store: &IdbObjectStore, arns: &Array) -> js_sys::Promise;
    fn idbMigrateInventory(db: &IdbDatabase, tx: &IdbTransaction);
    fn idbExpect(
        tx: &IdbTransaction,
        store: &IdbObjectStore,
        key: &str,
        expected: &JsValue,
        failed: &Array,
    );
}

/// What an open database tells the app while it is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbEvent {
    /// Our upgrade waits for another tab that keeps the old version open.
    UpgradeBlocked,
    /// Another tab upgraded the database; this connection was closed.
    VersionChanged,
}

const STORES: [&str; 8] = [
    "groups",
    "inventory",
    "activity",
    "meta",
    "outbox",
    "syncBase",
    "conflicts",
    "tombstones",
];

/// A store in IndexedDB.
pub struct IdbStore {
    db: IdbDatabase,
    stale: Rc<Cell<bool>>,
}

/// Maps a DOMException (or anything thrown) to a store error.
pub fn map_error(err: &JsValue) -> StoreError {
    if let Some(e) = err.dyn_ref::<web_sys::DomException>() {
        return match e.name().as_str() {
            "QuotaExceededError" => StoreError::QuotaExceeded,
            // Only `open` raises it: the stored database is of a newer version than this code.
            "VersionError" => StoreError::NewerVersion,
            "InvalidStateError" | "SecurityError" | "UnknownError"
                if e.message().contains("not allowed") =>
            {
                StoreError::Unavailable(e.message())
            }
            "SecurityError" => StoreError::Unavailable("storage is blocked for this site".into()),
            name => StoreError::Failed(format!("{name}: {}", e.message())),
        };
    }
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        if e.name() == "GroupConsoleMigrationError" {
            return StoreError::MigrationFailed(String::from(e.message()));
        }
        return StoreError::Failed(String::from(e.message()));
    }
    StoreError::Failed(err.as_string().unwrap_or_else(|| "unknown error".into()))
}

fn schema_step(db: &IdbDatabase, tx: &IdbTransaction, from: u32, to: u32) -> Result<(), JsValue> {
    let params = |key_path: &str, auto: bool| {
        let p = web_sys::IdbObjectStoreParameters::new();
        if !key_path.is_empty() {
            p.set_key_path(&JsValue::from_str(key_path));
        }
        p.set_auto_increment(auto);
        p
    };
    if from < 1 && to >= 1 {
        db.create_object_store_with_optional_parameters("groups", &params("name", false))?;
        db.create_object_store("meta")?;
    }
    if from < 2 && to >= 2 {
        if from == 1 {
            // Rewrite every v1 group record into the v2 shape. An error aborts the upgrade.
            let convert =
                Closure::<dyn FnMut(String) -> Result<String, JsValue>>::new(|json: String| {
                    // serde's message can quote the record: only say which kind failed.
                    migrate_group_v1_to_v2(&json).map_err(|_| {
                        JsValue::from(js_sys::Error::new(
                            "a group record is not in the version 1 format",
                        ))
                    })
                });
            idbMigrate(&tx.object_store("groups")?, convert.as_ref());
            convert.forget(); // lives until the upgrade transaction ends; one per upgrade
        }
        let resources =
            db.create_object_store_with_optional_parameters("resources", &params("arn", false))?;
        resources.create_index_with_str("type", "type")?;
        let activity =
            db.create_object_store_with_optional_parameters("activity", &params("id", true))?;
        activity.create_index_with_str("group", "groupName")?;
        db.create_object_store_with_optional_parameters("outbox", &params("seq", true))?;
    }
    if from < 3 && to >= 3 {
        db.create_object_store_with_optional_parameters("syncBase", &params("name", false))?;
        db.create_object_store_with_optional_parameters("conflicts", &params("groupName", false))?;
    }
    if from < 4 && to >= 4 {
        db.create_object_store_with_optional_parameters("tombstones", &params("name", false))?;
    }
    if from < 5 && to >= 5 {
        // `resources` exists from v2 on (the v2 step above made it, empty, for a new database).
        idbMigrateInventory(db, tx);
    }
    Ok(())
}

impl IdbStore {
    /// Whether this browser offers IndexedDB at all.
    pub fn available() -> bool {
        idbAvailable()
    }

    /// Opens (creating or upgrading) the database at the current schema version.
    pub async fn open(
        name: &str,
        on_event: impl Fn(DbEvent) + 'static,
    ) -> Result<Self, StoreError> {
        Self::open_version(name, SCHEMA_VERSION, on_event).await
    }

    /// Opens at a given schema version (tests use it to create older databases).
    pub async fn open_version(
        name: &str,
        version: u32,
        on_event: impl Fn(DbEvent) + 'static,
    ) -> Result<Self, StoreError> {
        if !Self::available() {
            return Err(StoreError::Unavailable("IndexedDB is not available".into()));
        }
        let stale = Rc::new(Cell::new(false));
        let on_event = Rc::new(on_event);
        let upgrade = Closure::once_into_js(
            move |db: IdbDatabase, tx: IdbTransaction, old: f64| -> Result<(), JsValue> {
                schema_step(&db, &tx, old as u32, version)
            },
        );
        let blocked = {
            let on_event = on_event.clone();
            Closure::<dyn Fn()>::new(move || on_event(DbEvent::UpgradeBlocked))
        };
        let versionchange = {
            let (on_event, stale) = (on_event.clone(), stale.clone());
            Closure::<dyn Fn()>::new(move || {
                stale.set(true);
                on_event(DbEvent::VersionChanged)
            })
        };
        let promise = idbOpen(
            name,
            version,
            &upgrade,
            blocked.as_ref(),
            versionchange.as_ref(),
        )
        .map_err(|e| map_error(&e))?;
        // These may fire at any time while the database is open: they live as long as the page.
        blocked.forget();
        versionchange.forget();
        let db: IdbDatabase = JsFuture::from(promise)
            .await
            .map_err(|e| map_error(&e))?
            .unchecked_into();
        Ok(IdbStore { db, stale })
    }

    /// Every record of every object store of the database as it is on disk, at whatever
    /// version it is, without upgrading it: what "Export stored data" saves when this code
    /// cannot open the database (a migration failed, or a newer version wrote it). JSON:
    /// `{database, version, stores: {name: [{key, value}]}}`.
    pub async fn export_as_is(name: &str) -> Result<String, StoreError> {
        if !Self::available() {
            return Err(StoreError::Unavailable("IndexedDB is not available".into()));
        }
        let db: IdbDatabase = JsFuture::from(idbOpenAsIs(name).map_err(|e| map_error(&e))?)
            .await
            .map_err(|e| map_error(&e))?
            .unchecked_into();
        let json = JsFuture::from(idbDumpJson(&db)).await;
        db.close();
        Ok(json
            .map_err(|e| map_error(&e))?
            .as_string()
            .unwrap_or_default())
    }

    /// Closes the connection.
    pub fn close(&self) {
        self.db.close();
    }

    /// Deletes a database (tests, "delete all data" at the storage level).
    pub async fn delete_database(name: &str) -> Result<(), StoreError> {
        JsFuture::from(idbDelete(name))
            .await
            .map(|_| ())
            .map_err(|e| map_error(&e))
    }

    fn check_open(&self) -> Result<(), StoreError> {
        if self.stale.get() {
            Err(StoreError::VersionChanged)
        } else {
            Ok(())
        }
    }

    fn tx(
        &self,
        names: &[&str],
        mode: &str,
        durability: &str,
    ) -> Result<IdbTransaction, StoreError> {
        self.check_open()?;
        let array: Array = names.iter().map(|n| JsValue::from_str(n)).collect();
        idbTx(&self.db, &array, mode, durability).map_err(|e| map_error(&e))
    }

    /// The inventory's blocks as stored (see `idbBlockOf`): all of them, or those that hold
    /// the given ARNs.
    async fn blocks_holding(&self, arns: Option<&Array>) -> Result<Vec<load::Block>, StoreError> {
        let tx = self.tx(&["inventory"], "readonly", "default")?;
        let os = tx.object_store("inventory").map_err(|e| map_error(&e))?;
        let read = match arns {
            Some(arns) => idbBlocksOf(&os, arns),
            None => idbBlocks(&os),
        };
        let list: Array = JsFuture::from(read)
            .await
            .map_err(|e| map_error(&e))?
            .unchecked_into();
        Ok(list
            .iter()
            .map(|pair| {
                let pair: Array = pair.unchecked_into();
                load::Block {
                    key: pair.get(0).as_string().unwrap_or_default(),
                    text: pair.get(1).as_string(),
                }
            })
            .collect())
    }

    async fn blocks(&self) -> Result<Vec<load::Block>, StoreError> {
        self.blocks_holding(None).await
    }

    /// The block a resource is stored in (tests).
    pub fn block_of(arn: &str) -> u32 {
        idbBlockOf(arn)
    }

    /// Writes a whole block as stored, any JSON value (tests plant damaged blocks).
    pub async fn put_raw_block(&self, block: u32, json: &str) -> Result<(), StoreError> {
        let tx = self.tx(&["inventory"], "readwrite", "default")?;
        let os = tx.object_store("inventory").map_err(|e| map_error(&e))?;
        let value = JSON::parse(json).map_err(|e| map_error(&e))?;
        os.put_with_key(&value, &JsValue::from_f64(block as f64))
            .map_err(|e| map_error(&e))?;
        JsFuture::from(idbDone(&tx))
            .await
            .map(|_| ())
            .map_err(|e| map_error(&e))
    }

    /// Writes a resource record as stored JSON into its block, bypassing the model (tests plant
    /// damaged or old records).
    pub async fn put_raw_resource_json(&self, json: &str) -> Result<(), StoreError> {
        let tx = self.tx(&["inventory"], "readwrite", "default")?;
        let os = tx.object_store("inventory").map_err(|e| map_error(&e))?;
        let value = JSON::parse(json).map_err(|e| map_error(&e))?;
        let ops = Array::of1(&value);
        idbBlockEdit(&tx, &os, &ops, &Array::new(), &Array::new());
        JsFuture::from(idbDone(&tx))
            .await
            .map(|_| ())
            .map_err(|e| map_error(&e))
    }

    async fn get_all_json(&self, store: &str) -> Result<String, StoreError> {
        let tx = self.tx(&[store], "readonly", "default")?;
        let os = tx.object_store(store).map_err(|e| map_error(&e))?;
        let json = JsFuture::from(idbGetAllJson(&os))
            .await
            .map_err(|e| map_error(&e))?;
        Ok(json.as_string().unwrap_or_else(|| "[]".into()))
    }

    /// Writes a record as stored JSON into a store, bypassing the model (tests create v1 data).
    pub async fn put_raw_json(
        &self,
        store: &str,
        json: &str,
        key: Option<&str>,
    ) -> Result<(), StoreError> {
        let tx = self.tx(&[store], "readwrite", "default")?;
        let os = tx.object_store(store).map_err(|e| map_error(&e))?;
        let value = JSON::parse(json).map_err(|e| map_error(&e))?;
        match key {
            Some(k) => os.put_with_key(&value, &JsValue::from_str(k)),
            None => os.put(&value),
        }
        .map_err(|e| map_error(&e))?;
        JsFuture::from(idbDone(&tx))
            .await
            .map(|_| ())
            .map_err(|e| map_error(&e))
    }

    /// Every record of a store as JSON text (tests).
    pub async fn raw_json(&self, store: &str) -> Result<String, StoreError> {
        self.get_all_json(store).await
    }

    /// The object store names of the open database.
    pub fn store_names(&self) -> Vec<String> {
        let list = self.db.object_store_names();
        (0..list.length()).filter_map(|i| list.get(i)).collect()
    }

    fn write(
        tx: &IdbTransaction,
        batch: &Batch,
        failed: &Array,
        damaged: &Array,
    ) -> Result<(), JsValue> {
        let to_js_err = |e: serde_json::Error| JsValue::from_str(&e.to_string());
        // Serialise every record once and let the browser parse them in one JSON.parse call:
        // much cheaper than a parse per record.
        let mut json = String::from("[");
        for op in &batch.ops {
            let record = match op {
                Op::PutGroup(g) => {
                    serde_json::to_string(&GroupRecord::from(g)).map_err(to_js_err)?
                }
                Op::PutResource(r) => {
                    serde_json::to_string(&ResourceRecord::from(r)).map_err(to_js_err)?
                }
                Op::PutBase(g) => {
                    serde_json::to_string(&GroupRecord::from(g)).map_err(to_js_err)?
                }
                Op::Enqueue(e) => {
                    let e = OutboxEntry {
                        seq: 0,
                        ..e.clone()
                    };
                    serde_json::to_string(&e).map_err(to_js_err)?
                }
                Op::PutConflict(c) => {
                    serde_json::to_string(&ConflictRecord::from(c)).map_err(to_js_err)?
                }
                Op::PutTombstone(t) => {
                    serde_json::to_string(&TombstoneRecord::from(t)).map_err(to_js_err)?
                }
                _ => continue,
            };
            if json.len() > 1 {
                json.push(',');
            }
            json.push_str(&record);
        }
        for e in &batch.events {
            if json.len() > 1 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(e).map_err(to_js_err)?);
        }
        json.push(']');
        let values: Array = JSON::parse(&json)?.unchecked_into();
        let mut next = 0u32;
        let mut take = || {
            next += 1;
            values.get(next - 1)
        };

        let groups = tx.object_store("groups")?;
        // Resource changes are collected in order and applied to their blocks at the end.
        let inventory_ops = Array::new();
        let dropped_blocks = Array::new();
        let meta = tx.object_store("meta")?;
        let outbox = tx.object_store("outbox")?;
        let bases = tx.object_store("syncBase")?;
        let conflicts = tx.object_store("conflicts")?;
        let tombstones = tx.object_store("tombstones")?;
        // Preconditions first: their reads are queued before any write of the batch, and a
        // failed one aborts the transaction, which undoes whatever was queued after it.
        for op in &batch.ops {
            if let Op::ExpectGroup { name, updated_at } = op {
                let expected = updated_at.map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64));
                idbExpect(tx, &groups, name, &expected, failed);
            }
        }
        for op in &batch.ops {
            match op {
                Op::PutGroup(_) => {
                    groups.put(&take())?;
                }
                Op::DeleteGroup(name) => {
                    groups.delete(&JsValue::from_str(name))?;
                }
                Op::PutResource(_) => {
                    inventory_ops.push(&take());
                }
                Op::DeleteResource(arn) => {
                    inventory_ops.push(&JsValue::from_str(arn));
                }
                Op::PutSetting(k, v) => {
                    meta.put_with_key(&JsValue::from_str(v), &JsValue::from_str(k))?;
                }
                Op::ClearAll => {
                    for n in STORES {
                        tx.object_store(n)?.clear()?;
                    }
                }
                Op::Enqueue(_) => {
                    outbox.add(&take())?;
                }
                Op::Dequeue(seq) => {
                    outbox.delete(&JsValue::from_f64(*seq as f64))?;
                }
                Op::PutBase(_) => {
                    bases.put(&take())?;
                }
                Op::DeleteBase(name) => {
                    bases.delete(&JsValue::from_str(name))?;
                }
                Op::PutConflict(_) => {
                    conflicts.put(&take())?;
                }
                Op::DeleteConflict(name) => {
                    conflicts.delete(&JsValue::from_str(name))?;
                }
                Op::ExpectGroup { .. } => {}
                Op::PutTombstone(_) => {
                    tombstones.put(&take())?;
                }
                Op::DeleteTombstone(name) => {
                    tombstones.delete(&JsValue::from_str(name))?;
                }
                Op::DeleteQuarantined(RecordKind::Resource, key) => {
                    match key.strip_prefix(load::BLOCK_KEY_PREFIX) {
                        Some(block) => dropped_blocks.push(&JsValue::from_str(block)),
                        None => inventory_ops.push(&JsValue::from_str(key)),
                    };
                }
                Op::DeleteQuarantined(kind, key) => {
                    // Outbox keys are numbers; every other store is keyed by text.
                    let key = match (kind, key.parse::<f64>()) {
                        (RecordKind::Outbox, Ok(n)) => JsValue::from_f64(n),
                        _ => JsValue::from_str(key),
                    };
                    tx.object_store(kind.store_name())?.delete(&key)?;
                }
            }
        }
        if inventory_ops.length() > 0 || dropped_blocks.length() > 0 {
            let inventory = tx.object_store("inventory")?;
            idbBlockEdit(tx, &inventory, &inventory_ops, &dropped_blocks, damaged);
        }
        if !batch.events.is_empty() {
            let activity = tx.object_store("activity")?;
            for _ in &batch.events {
                activity.add(&take())?;
            }
            idbTrim(&activity, ACTIVITY_MAX as u32);
        }
        Ok(())
    }
}

impl Store for IdbStore {
    async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        Ok(load::groups(&self.get_all_json("groups").await?)?.0)
    }

    async fn groups_and_quarantine(&self) -> Result<(Vec<Group>, Vec<Quarantined>), StoreError> {
        load::groups(&self.get_all_json("groups").await?)
    }

    async fn group(&self, name: &str) -> Result<Option<Group>, StoreError> {
        let tx = self.tx(&["groups"], "readonly", "default")?;
        let os = tx.object_store("groups").map_err(|e| map_error(&e))?;
        let json = JsFuture::from(idbGetJson(&os, name))
            .await
            .map_err(|e| map_error(&e))?;
        match json.as_string() {
            None => Ok(None),
            Some(j) => {
                let (mut good, bad) = load::groups(&format!("[{j}]"))?;
                match (good.pop(), bad.into_iter().next()) {
                    (Some(g), _) => Ok(Some(g)),
                    (None, Some(q)) => Err(StoreError::Refused(format!(
                        "This group is quarantined (see Settings): {}",
                        q.reason
                    ))),
                    (None, None) => Ok(None),
                }
            }
        }
    }

    async fn resources(&self) -> Result<Vec<Resource>, StoreError> {
        Ok(load::resources_in_blocks(&self.blocks().await?).0)
    }

    async fn resources_by_arn(
        &self,
        arns: &std::collections::BTreeSet<String>,
    ) -> Result<Vec<(String, Option<Resource>)>, StoreError> {
        let list: Array = arns.iter().map(|a| JsValue::from_str(a)).collect();
        let blocks = self.blocks_holding(Some(&list)).await?;
        Ok(super::pick_by_arn(
            &load::resources_in_blocks(&blocks).0,
            arns,
        ))
    }

    async fn resources_unchecked(&self) -> Result<Vec<Resource>, StoreError> {
        Ok(load::resources_in_blocks_unchecked(&self.blocks().await?))
    }

    async fn activity(&self, filter: &ActivityFilter) -> Result<Vec<ActivityEvent>, StoreError> {
        let json = self.get_all_json("activity").await?;
        let mut events: Vec<ActivityEvent> =
            serde_json::from_str(&json).map_err(|e| StoreError::Failed(e.to_string()))?;
        events.reverse();
        events.retain(|e| filter.accepts(e));
        Ok(events)
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.tx(&["meta"], "readonly", "default")?;
        let os = tx.object_store("meta").map_err(|e| map_error(&e))?;
        let json = JsFuture::from(idbGetJson(&os, key))
            .await
            .map_err(|e| map_error(&e))?;
        Ok(json
            .as_string()
            .and_then(|j| serde_json::from_str::<String>(&j).ok()))
    }

    async fn sync_state(&self) -> Result<SyncState, StoreError> {
        let names = ["outbox", "syncBase", "conflicts"];
        let tx = self.tx(&names, "readonly", "default")?;
        let mut json = Vec::with_capacity(3);
        for n in names {
            let os = tx.object_store(n).map_err(|e| map_error(&e))?;
            let text = JsFuture::from(idbGetAllJson(&os))
                .await
                .map_err(|e| map_error(&e))?;
            json.push(text.as_string().unwrap_or_else(|| "[]".into()));
        }
        Ok(SyncState {
            outbox: load::outbox(&json[0])?.0,
            bases: load::bases(&json[1])?
                .0
                .into_iter()
                .map(|g| (g.name.clone(), g))
                .collect(),
            conflicts: load::conflicts(&json[2])?
                .0
                .into_iter()
                .map(|c| (c.group_name.clone(), c))
                .collect(),
        })
    }

    async fn tombstones(&self) -> Result<Vec<Tombstone>, StoreError> {
        let mut all = load::tombstones(&self.get_all_json("tombstones").await?)?.0;
        all.sort_by_key(|t| t.deleted_at);
        Ok(all)
    }

    async fn quarantine(&self, kinds: &[RecordKind]) -> Result<Vec<Quarantined>, StoreError> {
        let mut all = Vec::new();
        for &kind in kinds {
            if kind == RecordKind::Resource {
                all.extend(load::resources_in_blocks(&self.blocks().await?).1);
                continue;
            }
            let json = self.get_all_json(kind.store_name()).await?;
            let bad = match kind {
                RecordKind::Group => load::groups(&json)?.1,
                RecordKind::Resource => Vec::new(), // above
                RecordKind::Base => load::bases(&json)?.1,
                RecordKind::Conflict => load::conflicts(&json)?.1,
                RecordKind::Tombstone => load::tombstones(&json)?.1,
                RecordKind::Outbox => load::outbox(&json)?.1,
            };
            all.extend(bad);
        }
        Ok(all)
    }

    async fn apply(&self, batch: Batch) -> Result<Touched, StoreError> {
        batch.check()?;
        if batch.is_empty() {
            return Ok(Touched::default());
        }
        let touched = batch.touched();
        let durability = if batch.bulk { "relaxed" } else { "default" };
        let tx = self.tx(&STORES, "readwrite", durability)?;
        let done = JsFuture::from(idbDone(&tx));
        let failed = Array::new();
        let damaged = Array::new();
        if let Err(e) = Self::write(&tx, &batch, &failed, &damaged) {
            let _ = tx.abort();
            let _ = done.await;
            return Err(map_error(&e));
        }
        let result = done.await.map(|_| ());
        // A precondition that failed aborted the transaction: say which group changed.
        if let Some(name) = failed.get(0).as_string() {
            return Err(StoreError::Changed(name));
        }
        if damaged.length() > 0 {
            return Err(StoreError::Refused(load::DAMAGED_BLOCK_WRITE.to_owned()));
        }
        result.map(|()| touched).map_err(|e| map_error(&e))
    }
}
