//! The IndexedDB store (wasm only), on web-sys plus a few lines of JavaScript that turn
//! IndexedDB's events into promises.
//!
//! Object stores (schema v2): `groups` (key path `name`), `resources` (key path `arn`, index
//! `type`), `activity` (key path `id`, auto-increment, index `group`), `meta` (settings,
//! out-of-line keys) and `outbox` (key path `seq`, auto-increment; for sync); v3 adds
//! `syncBase` (key path `name`: the last-synced copy of each group) and `conflicts` (key path
//! `groupName`); v4 adds `tombstones` (key path `name`: groups sync deleted here, restorable
//! for 30 days). Migrations run step by step in the one versionchange transaction of `open`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbTransaction};

use super::load::{self, Quarantined, RecordKind};
use super::records::{migrate_group_v1_to_v2, SCHEMA_VERSION};
use super::vault::{self, VaultRecord, VaultStatus};
use super::{
    ActivityEvent, ActivityFilter, Batch, Op, Store, StoreError, SyncState, Tombstone, Touched,
    ACTIVITY_MAX,
};
use crate::model::{Group, Resource};

mod sealed;

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
export function idbGetAllJson(source, strict) {
  return new Promise((ok, err) => {
    const r = source.getAll();
    // Marks for the UI benchmark: the time IndexedDB takes, then the time JSON takes.
    r.onsuccess = () => {
      gcMark('gc:got:' + source.name);
      // Encrypted records read as plain ones would be nonsense: another tab turned
      // encryption on since this one opened the data (see vaultToken).
      if (strict && r.result.length > 0 && isSealed(r.result[0])) { err(vaultChanged()); return; }
      const text = JSON.stringify(r.result); gcMark('gc:json:' + source.name); ok(text);
    };
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
  for (const [b, changes] of blockChanges(ops)) {
    const r = store.get(b);
    r.onsuccess = () => {
      const list = r.result === undefined ? [] : blockList(r.result);
      if (list === null) { damaged.push(String(b)); try { tx.abort(); } catch (_) {} return; }
      const out = blockEdited(list, changes);
      if (out.length === 0) store.delete(b); else store.put(JSON.stringify(out), b);
    };
  }
}
// Resource changes grouped by the block they fall in: block -> (ARN -> record, or null to delete).
function blockChanges(ops) {
  const edits = new Map();
  for (const op of ops) {
    const arn = typeof op === 'string' ? op : op.arn;
    const b = idbBlockOf(arn);
    if (!edits.has(b)) edits.set(b, new Map());
    edits.get(b).set(arn, typeof op === 'string' ? null : op);
  }
  return edits;
}
// A block's list with these changes, in ARN order (records without an ARN kept first, as found).
function blockEdited(list, changes) {
  const odd = [];
  const byArn = new Map();
  for (const rec of list) {
    if (rec && typeof rec.arn === 'string') byArn.set(rec.arn, rec); else odd.push(rec);
  }
  for (const [arn, rec] of changes) { if (rec === null) byArn.delete(arn); else byArn.set(arn, rec); }
  const arns = [...byArn.keys()].sort();
  return odd.concat(arns.map((a) => byArn.get(a)));
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
      if (isSealed(cur.value)) { err(vaultChanged()); return; }
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

// ---- Encryption at rest (see store/vault.rs for the scheme and what stays in the clear) ----
const te = new TextEncoder();
const td = new TextDecoder('utf-8', { fatal: true });
function b64(u8) {
  let s = '';
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
  return btoa(s);
}
function unb64(s) {
  const b = atob(s);
  const u = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
  return u;
}
function b64url(u8) { return b64(u8).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); }
function vaultChanged() { const e = new Error('encryption was turned on or off elsewhere'); e.name = 'GroupConsoleVaultChanged'; return e; }
// A record's additional data: its store and stored key, so a ciphertext copied over another
// record (or into another store) does not decrypt.
function aad(store, id) { return te.encode('gc-vault-1\u0000' + store + '\u0000' + id); }
function isSealed(v) { return v !== null && typeof v === 'object' && v.iv instanceof Uint8Array && v.ct instanceof Uint8Array; }
const DATA_ALG = { name: 'AES-GCM', length: 256 };
const INDEX_ALG = { name: 'HMAC', hash: 'SHA-256', length: 256 };
const DATA_LABEL = 'gc-vault-1 data key';
const INDEX_LABEL = 'gc-vault-1 index key';
async function passKey(pass, salt, iterations) {
  const base = await crypto.subtle.importKey('raw', te.encode(pass), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base,
    { name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
}
async function wrapOne(kek, key, label) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const w = await crypto.subtle.wrapKey('raw', key, kek, { name: 'AES-GCM', iv, additionalData: te.encode(label) });
  return { iv: b64(iv), key: b64(new Uint8Array(w)) };
}
async function wrapBoth(kek, keys) {
  return { dataKey: await wrapOne(kek, keys.data, DATA_LABEL), indexKey: await wrapOne(kek, keys.index, INDEX_LABEL) };
}
// A wrong passphrase gives a wrong wrapping key, and AES-GCM refuses to unwrap with it.
async function unwrapBoth(kek, parts, extractable) {
  const one = (w, label, alg, usages) => crypto.subtle.unwrapKey('raw', unb64(w.key), kek,
    { name: 'AES-GCM', iv: unb64(w.iv), additionalData: te.encode(label) }, alg, extractable, usages);
  try {
    return {
      data: await one(parts.dataKey, DATA_LABEL, DATA_ALG, ['encrypt', 'decrypt']),
      index: await one(parts.indexKey, INDEX_LABEL, INDEX_ALG, ['sign']),
    };
  } catch (_) {
    const e = new Error('wrong passphrase'); e.name = 'GroupConsoleWrongPassphrase'; throw e;
  }
}
export function vaultRandomId() { return b64url(crypto.getRandomValues(new Uint8Array(16))); }
// New keys. WebCrypto wraps only extractable keys, so they are made extractable, wrapped, and
// unwrapped again as non-extractable; the extractable copies go out of scope here.
export async function vaultCreate(pass, iterations) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await passKey(pass, salt, iterations);
  const fresh = {
    data: await crypto.subtle.generateKey(DATA_ALG, true, ['encrypt', 'decrypt']),
    index: await crypto.subtle.generateKey(INDEX_ALG, true, ['sign']),
  };
  const parts = await wrapBoth(kek, fresh);
  parts.salt = b64(salt);
  return [JSON.stringify(parts), await unwrapBoth(kek, parts, false)];
}
// The keys of a stored record, and the time the key derivation took (ms).
export async function vaultUnlock(pass, recordJson) {
  const r = JSON.parse(recordJson);
  const t0 = performance.now();
  const kek = await passKey(pass, unb64(r.salt), r.iterations);
  const kdf = performance.now() - t0;
  return [await unwrapBoth(kek, r, false), kdf];
}
// The same keys wrapped under a new passphrase (new salt): no record changes. The keys are
// unwrapped extractable only for this, and never leave this function.
export async function vaultRewrap(oldPass, newPass, recordJson, iterations) {
  const r = JSON.parse(recordJson);
  const keys = await unwrapBoth(await passKey(oldPass, unb64(r.salt), r.iterations), r, true);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const parts = await wrapBoth(await passKey(newPass, salt, iterations), keys);
  parts.salt = b64(salt);
  return JSON.stringify(parts);
}
// The stored key of each group name: 16 bytes of HMAC-SHA-256 under the index key, base64url.
export function vaultIds(keys, names) {
  return Promise.all(names.map(async (n) =>
    b64url(new Uint8Array(await crypto.subtle.sign('HMAC', keys.index, te.encode('group name\u0000' + n))).subarray(0, 16))));
}
async function sealText(keys, store, id, text) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(store, id) }, keys.data, te.encode(text)));
  return { iv, ct };
}
async function openText(keys, store, id, v) {
  if (!isSealed(v)) return null;
  try {
    return td.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: v.iv, additionalData: aad(store, id) }, keys.data, v.ct));
  } catch (_) { return null; }
}
// The values to store for `texts` (JSON texts): specs[i] is [store, field, id] to encrypt the
// i-th as a record of that store (field: the key path it carries, '' for none) or null to keep
// it plain (resources: they are encrypted by block, see vaultEditBlocks).
export function vaultSeal(keys, specs, texts) {
  return Promise.all(texts.map(async (t, i) => {
    const s = specs[i];
    if (s === null || s === undefined) return JSON.parse(t);
    const v = await sealText(keys, s[0], s[2], t);
    if (s[1]) v[s[1]] = s[2];
    return v;
  }));
}
const UNDECRYPTABLE = '\u0000gc-undecryptable:';
// One stored value as the JSON text of the plain record. `field`: its key path; `auto`: the key
// is IndexedDB's own number (outbox, activity), not in the additional data, put back in the
// record; a value that does not decrypt reads as UNDECRYPTABLE + its key (or null if `drop`).
async function openRecord(keys, store, field, auto, drop, v) {
  const key = v !== null && typeof v === 'object' ? v[field] : undefined;
  const text = await openText(keys, store, auto ? '' : String(key ?? ''), v);
  if (text === null) return drop ? null : JSON.stringify(UNDECRYPTABLE + String(key ?? ''));
  if (!auto) return text;
  const o = JSON.parse(text);
  o[field] = key;
  return JSON.stringify(o);
}
// Records decrypted per round: WebCrypto runs its jobs in the order they were asked for, so
// 10,000 decrypts asked for at once would queue every other read's decrypts (the inventory's
// 256 blocks at unlock) behind them. A slice this size keeps the crypto threads busy and lets
// other work in between.
const OPEN_SLICE = 512;
// Every record of several stores, read in one transaction and then decrypted: for each spec
// [store, field, auto, drop], the JSON text of the list a plain store gives.
export function idbGetAllOpened(tx, keys, specs) {
  return Promise.all(specs.map((s) => new Promise((ok, err) => {
    const r = tx.objectStore(s[0]).getAll();
    r.onsuccess = () => ok(r.result);
    r.onerror = (e) => { e.preventDefault(); err(r.error); };
  }))).then((lists) => Promise.all(lists.map(async (values, i) => {
    const [store, field, auto, drop] = specs[i];
    const texts = [];
    for (let at = 0; at < values.length; at += OPEN_SLICE) {
      const slice = values.slice(at, at + OPEN_SLICE);
      texts.push(...await Promise.all(slice.map((v) => openRecord(keys, store, field, auto, drop, v))));
    }
    return '[' + texts.filter((t) => t !== null).join(',') + ']';
  })));
}
// One record by its stored key: [text, iv] (text null if it does not decrypt; both null if
// there is none).
export function idbGetOpened(source, keys, id) {
  return new Promise((ok, err) => {
    const r = source.get(id);
    r.onsuccess = () => ok(r.result);
    r.onerror = (e) => { e.preventDefault(); err(r.error); };
  }).then(async (v) => {
    if (v === undefined) return [null, null];
    return [await openText(keys, source.name, id, v), isSealed(v) ? b64(v.iv) : '?'];
  });
}
// The inventory's blocks (all, or those holding `arns`), decrypted: [key, text|null, iv].
export function idbBlocksOpened(source, keys, arns) {
  const read = new Promise((ok, err) => {
    const out = [];
    if (arns !== null) {
      const wanted = [...new Set(arns.map(idbBlockOf))];
      let left = wanted.length;
      if (left === 0) { ok(out); return; }
      for (const k of wanted) {
        const r = source.get(k);
        r.onsuccess = () => { if (r.result !== undefined) out.push([k, r.result]); if (--left === 0) ok(out); };
        r.onerror = (e) => { e.preventDefault(); err(r.error); };
      }
      return;
    }
    const c = source.openCursor();
    c.onsuccess = () => {
      const cur = c.result;
      if (!cur) { ok(out); return; }
      out.push([cur.key, cur.value]);
      cur.continue();
    };
    c.onerror = (e) => { e.preventDefault(); err(c.error); };
  });
  return read.then((list) => Promise.all(list.map(async ([k, v]) =>
    [String(k), await openText(keys, 'inventory', String(k), v), isSealed(v) ? b64(v.iv) : '?'])));
}
// The encrypted blocks a change of resources writes: `current` as idbBlocksOpened gives them
// (empty after a ClearAll), `ops` as idbBlockEdit takes them. Each: [block, value|null (delete),
// iv of the block read, or null if there was none]. A block that did not decrypt is never
// written over: the change is refused, as for a damaged plain block.
export async function vaultEditBlocks(keys, current, ops) {
  const byKey = new Map(current.map((b) => [Number(b[0]), b]));
  const out = [];
  for (const [b, changes] of blockChanges(ops)) {
    const cur = byKey.get(b);
    const list = cur === undefined ? [] : blockList(cur[1]);
    if (list === null) { const e = new Error('damaged block'); e.name = 'GroupConsoleDamagedBlock'; throw e; }
    const edited = blockEdited(list, changes);
    const value = edited.length === 0 ? null : await sealText(keys, 'inventory', String(b), JSON.stringify(edited));
    out.push([b, value, cur === undefined ? null : cur[2]]);
  }
  return out;
}
// Writes prepared blocks inside `tx`, each only if it is still the block read (same IV):
// otherwise another tab changed it meanwhile, the transaction is aborted and the change is
// prepared again from the new block (`raced`).
export function idbPutBlocks(tx, store, prepared, raced) {
  for (const [b, value, iv] of prepared) {
    const r = store.get(b);
    r.onsuccess = () => {
      const now = r.result === undefined ? null : (isSealed(r.result) ? b64(r.result.iv) : '?');
      if (now !== iv) { raced.push(String(b)); try { tx.abort(); } catch (_) {} return; }
      if (value === null) store.delete(b); else store.put(value, b);
    };
  }
}
// ExpectGroup on an encrypted store: the record is still the one read before the transaction
// (the same IV: every write gives a fresh one), or still absent.
export function idbExpectIv(tx, store, id, iv, failed, label) {
  const r = store.get(id);
  r.onsuccess = () => {
    const now = r.result === undefined ? null : (isSealed(r.result) ? b64(r.result.iv) : '?');
    if (now !== iv) { failed.push(label); try { tx.abort(); } catch (_) {} }
  };
}
// The form every record of the database is in, from the stored vault record: the rule of
// `vault::token_of`. Every write checks it inside its own transaction.
function vaultToken(v) {
  if (v === undefined) return 'plain';
  if (typeof v !== 'string') return 'damaged';
  try { const r = JSON.parse(v); return r && r.state === 'on' ? 'on:' + r.epoch : 'plain'; } catch (_) { return 'damaged'; }
}
// Every write checks, inside its own transaction, the form of the data (`token`) and, for the
// switch of encryption on or off, that nothing was written since it read everything (`expect`:
// the count of writes then, or null); then counts itself. The count is a number kept in the
// clear: it says how often, never what.
// `record`: the vault record the writer expects, exactly (a change of the passphrase), or null;
// `keep`: a ClearAll that is not a switch puts back the vault record read here, in this
// transaction (the request lands after the clear), never a tab's older copy of it.
export function idbExpectWrites(tx, meta, token, expect, record, keep, failed) {
  const v = meta.get('vault');
  const w = meta.get('writes');
  w.onsuccess = () => {
    if (vaultToken(v.result) !== token || (record !== null && v.result !== record)) { failed.push('\u0001vault'); try { tx.abort(); } catch (_) {} return; }
    const n = typeof w.result === 'number' ? w.result : 0;
    if (expect !== null && n !== expect) { failed.push('\u0001writes'); try { tx.abort(); } catch (_) {} return; }
    meta.put(n + 1, 'writes');
    if (keep && v.result !== undefined) meta.put(v.result, 'vault');
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
    fn idbGetAllJson(source: &JsValue, strict: bool) -> js_sys::Promise;
    fn vaultRandomId() -> String;
    #[wasm_bindgen(catch)]
    fn vaultCreate(pass: &str, iterations: u32) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn vaultUnlock(pass: &str, record: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn vaultRewrap(
        old: &str,
        new: &str,
        record: &str,
        iterations: u32,
    ) -> Result<js_sys::Promise, JsValue>;
    fn vaultIds(keys: &JsValue, names: &Array) -> js_sys::Promise;
    fn vaultSeal(keys: &JsValue, specs: &Array, texts: &Array) -> js_sys::Promise;
    fn idbGetAllOpened(tx: &IdbTransaction, keys: &JsValue, specs: &Array) -> js_sys::Promise;
    fn idbGetOpened(source: &IdbObjectStore, keys: &JsValue, id: &str) -> js_sys::Promise;
    fn idbBlocksOpened(source: &IdbObjectStore, keys: &JsValue, arns: &JsValue) -> js_sys::Promise;
    fn vaultEditBlocks(keys: &JsValue, current: &Array, ops: &Array) -> js_sys::Promise;
    fn idbPutBlocks(tx: &IdbTransaction, store: &IdbObjectStore, prepared: &Array, raced: &Array);
    fn idbExpectIv(
        tx: &IdbTransaction,
        store: &IdbObjectStore,
        id: &str,
        iv: &JsValue,
        failed: &Array,
        label: &str,
    );
    fn idbExpectWrites(
        tx: &IdbTransaction,
        meta: &IdbObjectStore,
        token: &str,
        expect: &JsValue,
        record: &JsValue,
        keep: bool,
        failed: &Array,
    );
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
    /// Encryption at rest (see `store::vault`): whether the records are encrypted, and the
    /// keys once this tab has unlocked them.
    vault: RefCell<Vault>,
}

/// The keys of unlocked data: a JavaScript object `{data, index}` of two WebCrypto keys,
/// non-extractable (see `vaultCreate`).
#[derive(Clone)]
pub struct Keys(JsValue, Rc<RefCell<HashMap<String, String>>>);

impl Keys {
    fn new(keys: JsValue) -> Keys {
        Keys(keys, Rc::default())
    }
}

struct Vault {
    status: VaultStatus,
    record: Option<VaultRecord>,
    keys: Option<Keys>,
}

impl Vault {
    /// The token writes check, and the record a `ClearAll` must put back.
    fn write_terms(&self) -> (String, Option<String>) {
        (
            vault::token_of(self.record.as_ref()),
            self.record.as_ref().map(VaultRecord::encode),
        )
    }
}

/// How records are read and written: as JSON values, or encrypted under these keys.
#[derive(Clone)]
enum Form {
    Plain,
    Sealed(Keys),
}

/// A marker in `failed` (never a group name: those have no control characters).
const VAULT_CHANGED: &str = "\u{1}vault";
const WRITES_CHANGED: &str = "\u{1}writes";

/// An encrypted store's key path, whether its key is IndexedDB's own number (then it is not in
/// the additional data, and is put back into the record on reading), and whether a record that
/// does not decrypt is left out of the list (the activity log: a list of events, not records a
/// person repairs) instead of read as undecryptable.
fn sealed_spec(store: &str) -> (&'static str, bool, bool) {
    match store {
        "conflicts" => ("groupName", false, false),
        "outbox" => ("seq", true, false),
        "activity" => ("id", true, true),
        _ => ("name", false, false),
    }
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
        if e.name() == "GroupConsoleVaultChanged" {
            return StoreError::VaultChanged;
        }
        if e.name() == "GroupConsoleDamagedBlock" {
            return StoreError::Refused(load::DAMAGED_BLOCK_WRITE.to_owned());
        }
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
    // v6 (display name, owner, criticality and application tag in group records) changes no
    // store and rewrites no record: the fields are optional, so v5 records read as "none",
    // also when they are encrypted. The step exists in the version number only, which is what
    // keeps an older version of the app (which would drop the fields) out of the database.
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
        let store = IdbStore {
            db,
            stale,
            vault: RefCell::new(Vault {
                status: VaultStatus::Plain,
                record: None,
                keys: None,
            }),
        };
        if version >= 1 {
            let stored = store.plain_meta(vault::META_KEY).await?;
            let (status, record) = vault::status_at_start(stored.as_deref());
            *store.vault.borrow_mut() = Vault {
                status,
                record,
                keys: None,
            };
        }
        Ok(store)
    }

    /// A `meta` value as stored, as JSON text.
    async fn meta_json(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.tx(&["meta"], "readonly", "default")?;
        let os = tx.object_store("meta").map_err(|e| map_error(&e))?;
        let json = JsFuture::from(idbGetJson(&os, key))
            .await
            .map_err(|e| map_error(&e))?;
        Ok(json.as_string())
    }

    /// A `meta` value as stored in the clear (the vault record, the write counter).
    async fn plain_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .meta_json(key)
            .await?
            .and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok())
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            }))
    }

    /// How this tab reads and writes now; `Locked` while the data is encrypted and locked.
    fn form(&self) -> Result<Form, StoreError> {
        let v = self.vault.borrow();
        match (&v.status, &v.keys) {
            (VaultStatus::Plain | VaultStatus::Interrupted, _) => Ok(Form::Plain),
            (VaultStatus::Unlocked, Some(k)) => Ok(Form::Sealed(k.clone())),
            _ => Err(StoreError::Locked),
        }
    }

    /// Every record of these stores, decrypted, as the JSON lists a plain store gives; one
    /// transaction for all of them.
    async fn opened(&self, stores: &[&str], keys: &Keys) -> Result<Vec<String>, StoreError> {
        let tx = self.tx(stores, "readonly", "default")?;
        let specs: Array = stores
            .iter()
            .map(|s| {
                let (field, auto, drop) = sealed_spec(s);
                JsValue::from(Array::of4(
                    &JsValue::from_str(s),
                    &JsValue::from_str(field),
                    &JsValue::from_bool(auto),
                    &JsValue::from_bool(drop),
                ))
            })
            .collect();
        let lists: Array = JsFuture::from(idbGetAllOpened(&tx, &keys.0, &specs))
            .await
            .map_err(|e| map_error(&e))?
            .unchecked_into();
        Ok(lists
            .iter()
            .map(|t| t.as_string().unwrap_or_else(|| "[]".into()))
            .collect())
    }

    /// The stored keys of these group names under the index key. Each is an HMAC, the same
    /// for the same name: once computed it is kept with the keys (in memory, while unlocked),
    /// so saving a group again costs no crypto round trip for it.
    async fn ids<'a>(
        keys: &Keys,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, String>, StoreError> {
        let mut unique: Vec<&str> = names.into_iter().collect();
        crate::sort::sort(&mut unique);
        unique.dedup();
        let mut out = HashMap::with_capacity(unique.len());
        let mut missing = Vec::new();
        {
            let cache = keys.1.borrow();
            for n in unique {
                match cache.get(n) {
                    Some(id) => {
                        out.insert(n.to_owned(), id.clone());
                    }
                    None => missing.push(n),
                }
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let list: Array = missing.iter().map(|n| JsValue::from_str(n)).collect();
        let ids: Array = JsFuture::from(vaultIds(&keys.0, &list))
            .await
            .map_err(|e| map_error(&e))?
            .unchecked_into();
        let mut cache = keys.1.borrow_mut();
        for (n, id) in missing.iter().zip(ids.iter()) {
            let id = id.as_string().unwrap_or_default();
            cache.insert((*n).to_owned(), id.clone());
            out.insert((*n).to_owned(), id);
        }
        Ok(out)
    }

    /// One record of an encrypted store by its stored key: its decrypted text (`None` if it
    /// does not decrypt) and IV, or `None` if there is none.
    async fn opened_one(
        &self,
        store: &str,
        keys: &Keys,
        id: &str,
    ) -> Result<Option<(Option<String>, JsValue)>, StoreError> {
        let tx = self.tx(&[store], "readonly", "default")?;
        let os = tx.object_store(store).map_err(|e| map_error(&e))?;
        let pair: Array = JsFuture::from(idbGetOpened(&os, &keys.0, id))
            .await
            .map_err(|e| map_error(&e))?
            .unchecked_into();
        let iv = pair.get(1);
        if iv.is_null() {
            return Ok(None);
        }
        Ok(Some((pair.get(0).as_string(), iv)))
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
        let form = self.form()?;
        let tx = self.tx(&["inventory"], "readonly", "default")?;
        let os = tx.object_store("inventory").map_err(|e| map_error(&e))?;
        let read = match (&form, arns) {
            (Form::Sealed(keys), arns) => idbBlocksOpened(
                &os,
                &keys.0,
                &arns.map_or(JsValue::NULL, |a| JsValue::from(a.clone())),
            ),
            (Form::Plain, Some(arns)) => idbBlocksOf(&os, arns),
            (Form::Plain, None) => idbBlocks(&os),
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
        if let Form::Sealed(keys) = self.form()? {
            return Ok(self.opened(&[store], &keys).await?.remove(0));
        }
        self.stored_json(store, true).await
    }

    /// Every record of a store as stored; `strict`: refuse encrypted records (reading them as
    /// plain ones would be nonsense).
    async fn stored_json(&self, store: &str, strict: bool) -> Result<String, StoreError> {
        let tx = self.tx(&[store], "readonly", "default")?;
        let os = tx.object_store(store).map_err(|e| map_error(&e))?;
        let json = JsFuture::from(idbGetAllJson(&os, strict))
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

    /// Every record of a store as JSON text, as stored (tests; encrypted values show their
    /// bytes as JSON objects).
    pub async fn raw_json(&self, store: &str) -> Result<String, StoreError> {
        self.stored_json(store, false).await
    }

    /// The object store names of the open database.
    pub fn store_names(&self) -> Vec<String> {
        let list = self.db.object_store_names();
        (0..list.length()).filter_map(|i| list.get(i)).collect()
    }

    /// Queues every request of `batch` in `tx`, with the values `prepared` made for it (see
    /// [`Prepared`]). Nothing here awaits: IndexedDB commits a transaction as soon as it has
    /// no request left, so every crypto step happened before.
    #[allow(clippy::too_many_arguments)]
    fn write(
        tx: &IdbTransaction,
        batch: &Batch,
        prepared: &Prepared,
        token: &str,
        vault_after: Option<&str>,
        expect_writes: Option<f64>,
        marks: &Marks,
    ) -> Result<(), JsValue> {
        let values = &prepared.values;
        let mut next = 0u32;
        let mut take = || {
            next += 1;
            values.get(next - 1)
        };
        let sealed = prepared.sealed;

        let groups = tx.object_store("groups")?;
        // Resource changes are collected in order and applied to their blocks at the end.
        let inventory_ops = Array::new();
        let dropped_blocks = Array::new();
        let meta = tx.object_store("meta")?;
        let outbox = tx.object_store("outbox")?;
        let bases = tx.object_store("syncBase")?;
        let conflicts = tx.object_store("conflicts")?;
        let tombstones = tx.object_store("tombstones")?;
        // The form of the data first: a tab that missed a switch of encryption writes nothing.
        // A switch (`expect_writes`) writes its own vault record after a ClearAll; any other
        // ClearAll keeps the one stored.
        let switching = expect_writes.is_some();
        let clears = batch.ops.iter().any(|op| matches!(op, Op::ClearAll));
        idbExpectWrites(
            tx,
            &meta,
            token,
            &expect_writes.map_or(JsValue::NULL, JsValue::from_f64),
            &JsValue::NULL,
            clears && !switching,
            &marks.failed,
        );
        // Preconditions next: their reads are queued before any write of the batch, and a
        // failed one aborts the transaction, which undoes whatever was queued after it.
        if sealed {
            for (id, iv, name) in &prepared.expects {
                idbExpectIv(tx, &groups, id, iv, &marks.failed, name);
            }
        } else {
            for op in &batch.ops {
                if let Op::ExpectGroup { name, updated_at } = op {
                    let expected =
                        updated_at.map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64));
                    idbExpect(tx, &groups, name, &expected, &marks.failed);
                }
            }
        }
        for op in &batch.ops {
            match op {
                Op::PutGroup(_) => {
                    groups.put(&take())?;
                }
                Op::DeleteGroup(name) => {
                    groups.delete(&prepared.key(name))?;
                }
                Op::PutResource(_) => {
                    let value = take();
                    if !sealed {
                        inventory_ops.push(&value);
                    }
                }
                Op::DeleteResource(arn) => {
                    if !sealed {
                        inventory_ops.push(&JsValue::from_str(arn));
                    }
                }
                Op::PutSetting(k, v) => {
                    let value = if sealed { take() } else { JsValue::from_str(v) };
                    meta.put_with_key(&value, &JsValue::from_str(k))?;
                }
                Op::ClearAll => {
                    for n in STORES {
                        tx.object_store(n)?.clear()?;
                    }
                    // The keys come when encryption is turned on (otherwise the record read
                    // in this transaction is put back, see idbExpectWrites).
                    if let Some(record) = vault_after.filter(|_| switching) {
                        meta.put_with_key(
                            &JsValue::from_str(record),
                            &JsValue::from_str(vault::META_KEY),
                        )?;
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
                    bases.delete(&prepared.key(name))?;
                }
                Op::PutConflict(_) => {
                    conflicts.put(&take())?;
                }
                Op::DeleteConflict(name) => {
                    conflicts.delete(&prepared.key(name))?;
                }
                Op::ExpectGroup { .. } => {}
                Op::PutTombstone(_) => {
                    tombstones.put(&take())?;
                }
                Op::DeleteTombstone(name) => {
                    tombstones.delete(&prepared.key(name))?;
                }
                Op::DeleteQuarantined(RecordKind::Resource, key) => {
                    match key.strip_prefix(load::BLOCK_KEY_PREFIX) {
                        Some(block) => {
                            dropped_blocks.push(&JsValue::from_str(block));
                        }
                        // Encrypted: in the prepared blocks.
                        None if sealed => {}
                        None => {
                            inventory_ops.push(&JsValue::from_str(key));
                        }
                    };
                }
                Op::DeleteQuarantined(kind, key) => {
                    // Outbox keys are numbers; every other store is keyed by text. Encrypted,
                    // the quarantine lists a record that does not decrypt by its stored key,
                    // and one that decrypts but fails the checks by the name it holds: both
                    // are deleted.
                    let os = tx.object_store(kind.store_name())?;
                    match (kind, key.parse::<f64>()) {
                        (RecordKind::Outbox, Ok(n)) => {
                            os.delete(&JsValue::from_f64(n))?;
                        }
                        _ => {
                            os.delete(&JsValue::from_str(key))?;
                            if sealed && prepared.ids.contains_key(key) {
                                os.delete(&prepared.key(key))?;
                            }
                        }
                    };
                }
            }
        }
        let inventory = tx.object_store("inventory")?;
        if let Some(blocks) = &prepared.blocks {
            idbPutBlocks(tx, &inventory, blocks, &marks.raced);
        }
        if inventory_ops.length() > 0 || dropped_blocks.length() > 0 {
            idbBlockEdit(
                tx,
                &inventory,
                &inventory_ops,
                &dropped_blocks,
                &marks.damaged,
            );
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

    /// One attempt at a batch in `form`: `None` when an encrypted block changed in another
    /// tab between its read and the write (nothing was written; prepare again).
    async fn apply_in(
        &self,
        batch: &Batch,
        form: &Form,
        token: &str,
        vault_after: Option<&str>,
        expect_writes: Option<f64>,
    ) -> Result<Option<Touched>, StoreError> {
        let prepared = Prepared::new(self, batch, form).await?;
        let touched = batch.touched();
        let durability = if batch.bulk { "relaxed" } else { "default" };
        let tx = self.tx(&STORES, "readwrite", durability)?;
        let done = JsFuture::from(idbDone(&tx));
        let marks = Marks::default();
        if let Err(e) = Self::write(
            &tx,
            batch,
            &prepared,
            token,
            vault_after,
            expect_writes,
            &marks,
        ) {
            let _ = tx.abort();
            let _ = done.await;
            return Err(map_error(&e));
        }
        let result = done.await.map(|_| ());
        // A precondition that failed aborted the transaction: say which.
        match marks.failed.get(0).as_string().as_deref() {
            Some(VAULT_CHANGED) => return Err(StoreError::VaultChanged),
            Some(WRITES_CHANGED) => return Ok(None),
            Some(name) => return Err(StoreError::Changed(name.to_owned())),
            None => {}
        }
        if marks.raced.length() > 0 {
            return Ok(None);
        }
        if marks.damaged.length() > 0 {
            return Err(StoreError::Refused(load::DAMAGED_BLOCK_WRITE.to_owned()));
        }
        result.map(|()| Some(touched)).map_err(|e| map_error(&e))
    }
}

/// What the requests of a write transaction report: the precondition that failed (a group
/// name, or a marker), damaged blocks, blocks that changed since they were read.
#[derive(Default)]
struct Marks {
    failed: Array,
    damaged: Array,
    raced: Array,
}

/// Everything a write needs that takes an `await` (the transaction cannot wait): the stored
/// values, in the order [`IdbStore::write`] takes them, and, encrypted, the stored keys of the
/// names, the state of each `ExpectGroup`'s record and the inventory's new blocks.
struct Prepared {
    values: Array,
    sealed: bool,
    ids: HashMap<String, String>,
    expects: Vec<(String, JsValue, String)>,
    blocks: Option<Array>,
}

impl Prepared {
    /// The stored key of a group's records.
    fn key(&self, name: &str) -> JsValue {
        match self.ids.get(name) {
            Some(id) if self.sealed => JsValue::from_str(id),
            _ => JsValue::from_str(name),
        }
    }

    async fn new(store: &IdbStore, batch: &Batch, form: &Form) -> Result<Prepared, StoreError> {
        let slots = sealed::slots(batch).map_err(|e| StoreError::Failed(e.to_string()))?;
        match form {
            Form::Plain => {
                // Serialise every record once and let the browser parse them in one JSON.parse
                // call: much cheaper than a parse per record. Settings are stored as text.
                let mut json = String::from("[");
                for (slot, text) in &slots {
                    if matches!(slot, sealed::Slot::Setting(_)) {
                        continue;
                    }
                    if json.len() > 1 {
                        json.push(',');
                    }
                    json.push_str(text);
                }
                json.push(']');
                let values: Array = JSON::parse(&json)
                    .map_err(|e| map_error(&e))?
                    .unchecked_into();
                Ok(Prepared {
                    values,
                    sealed: false,
                    ids: HashMap::new(),
                    expects: Vec::new(),
                    blocks: None,
                })
            }
            Form::Sealed(keys) => sealed::prepare(store, batch, slots, keys).await,
        }
    }
}

impl Store for IdbStore {
    async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        Ok(self.groups_and_quarantine().await?.0)
    }

    async fn groups_and_quarantine(&self) -> Result<(Vec<Group>, Vec<Quarantined>), StoreError> {
        let (mut groups, bad) = load::groups(&self.get_all_json("groups").await?)?;
        // In name order, as a plain store keeps them (encrypted, the keys are in HMAC order);
        // already sorted, this is one pass.
        crate::sort::sort_by(&mut groups, |a, b| a.name.cmp(&b.name));
        Ok((groups, bad))
    }

    async fn group(&self, name: &str) -> Result<Option<Group>, StoreError> {
        let text = match self.form()? {
            Form::Sealed(keys) => {
                let id = Self::ids(&keys, [name])
                    .await?
                    .remove(name)
                    .unwrap_or_default();
                match self.opened_one("groups", &keys, &id).await? {
                    None => None,
                    Some((Some(text), _)) => Some(text),
                    Some((None, _)) => Some(
                        serde_json::Value::String(format!("{}{id}", vault::UNDECRYPTABLE_PREFIX))
                            .to_string(),
                    ),
                }
            }
            Form::Plain => {
                let tx = self.tx(&["groups"], "readonly", "default")?;
                let os = tx.object_store("groups").map_err(|e| map_error(&e))?;
                JsFuture::from(idbGetJson(&os, name))
                    .await
                    .map_err(|e| map_error(&e))?
                    .as_string()
            }
        };
        match text {
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
        if let Form::Sealed(keys) = self.form()? {
            return Ok(match self.opened_one("meta", &keys, key).await? {
                Some((Some(text), _)) => serde_json::from_str::<String>(&text).ok(),
                _ => None,
            });
        }
        Ok(self
            .meta_json(key)
            .await?
            .and_then(|j| serde_json::from_str::<String>(&j).ok()))
    }

    async fn sync_state(&self) -> Result<SyncState, StoreError> {
        let names = ["outbox", "syncBase", "conflicts"];
        let json = match self.form()? {
            Form::Sealed(keys) => self.opened(&names, &keys).await?,
            Form::Plain => {
                let tx = self.tx(&names, "readonly", "default")?;
                let mut json = Vec::with_capacity(3);
                for n in names {
                    let os = tx.object_store(n).map_err(|e| map_error(&e))?;
                    let text = JsFuture::from(idbGetAllJson(&os, true))
                        .await
                        .map_err(|e| map_error(&e))?;
                    json.push(text.as_string().unwrap_or_else(|| "[]".into()));
                }
                json
            }
        };
        Ok(SyncState {
            outbox: load::outbox(&json[0])?.0,
            bases: crate::sort::map(
                load::bases(&json[1])?
                    .0
                    .into_iter()
                    .map(|g| (g.name.clone(), g)),
            ),
            conflicts: crate::sort::map(
                load::conflicts(&json[2])?
                    .0
                    .into_iter()
                    .map(|c| (c.group_name.clone(), c)),
            ),
        })
    }

    async fn tombstones(&self) -> Result<Vec<Tombstone>, StoreError> {
        let mut all = load::tombstones(&self.get_all_json("tombstones").await?)?.0;
        crate::sort::sort_by_key(&mut all, |t| t.deleted_at);
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
        let form = self.form()?;
        let (token, vault_after) = self.vault.borrow().write_terms();
        // Encrypted, a change of resources is prepared from the blocks as read; if another
        // tab wrote one of them meanwhile, the write is refused whole and prepared again.
        for _ in 0..4 {
            if let Some(touched) = self
                .apply_in(&batch, &form, &token, vault_after.as_deref(), None)
                .await?
            {
                return Ok(touched);
            }
        }
        Err(StoreError::Failed(
            "the inventory kept changing in another tab while this change was saved; try again"
                .into(),
        ))
    }
}
