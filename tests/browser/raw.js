// Raw IndexedDB access for the browser tests (tests/browser/store.rs and vault.rs): databases
// of older versions, dumps of what is on disk, ciphertexts moved around.
//
// One file for all of them on purpose: each JS snippet is a file that the test page fetches
// together with the others, and with more than four at once the page server of
// wasm-bindgen-test-runner can hang (see scripts/wasm-test-runner.sh).
// ---- store.rs: old database versions and quota errors
export function rawOpenV1(name) {
  return new Promise((ok, err) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => { r.result.createObjectStore('groups', { keyPath: 'name' }); r.result.createObjectStore('meta'); };
    r.onsuccess = () => ok(r.result);
    r.onerror = () => err(r.error);
  });
}
export function rawClose(db) { db.close(); }
export function rawOpenV1Clashing(name) {
  // A v1 database in which some other code already made a store that v2 creates: the upgrade
  // cannot run. Holds one group and one setting.
  return new Promise((ok, err) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => {
      const groups = r.result.createObjectStore('groups', { keyPath: 'name' });
      groups.put({ name: 'web', description: 'private words', queryType: 'TAG_FILTERS_1_0', query: '{"ResourceTypeFilters":["AWS::AllSupported"],"TagFilters":[{"Key":"Stage","Values":["Prod"]}]}', tags: [{ Key: '環境', Value: '本番' }] });
      r.result.createObjectStore('meta').put('25', 'page-size');
      r.result.createObjectStore('resources', { keyPath: 'arn' });
    };
    r.onsuccess = () => { r.result.close(); ok(); };
    r.onerror = () => err(r.error);
  });
}
export function quotaError() { return new DOMException('The quota has been exceeded.', 'QuotaExceededError'); }

// ---- vault.rs: reading and moving the raw encrypted records
// Every value of every store, as text: strings as they are, bytes as their characters (so a
// plaintext kept anywhere, even inside an encrypted value's bytes, would be found).
export function rawDump(name) {
  return new Promise((ok, err) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => {
      const db = r.result;
      const names = Array.from(db.objectStoreNames);
      const tx = db.transaction(names, 'readonly');
      const parts = [];
      const text = (v) => {
        if (v instanceof Uint8Array) return new TextDecoder('latin1').decode(v);
        if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => k + ':' + text(x)).join(',');
        return String(v);
      };
      for (const n of names) {
        const c = tx.objectStore(n).openCursor();
        c.onsuccess = () => { const cur = c.result; if (!cur) return; parts.push(n + ' ' + String(cur.key) + ' ' + text(cur.value)); cur.continue(); };
      }
      tx.oncomplete = () => { db.close(); ok(parts.join('\n')); };
      tx.onabort = () => err(tx.error);
    };
    r.onerror = () => err(r.error);
  });
}
// Swaps the stored values of two keys of a store (an attacker moving ciphertexts around).
export function rawSwap(name, store, a, b) {
  return new Promise((ok, err) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => {
      const db = r.result;
      const tx = db.transaction([store], 'readwrite');
      const os = tx.objectStore(store);
      const ga = os.get(a), gb = os.get(b);
      gb.onsuccess = () => {
        const va = ga.result, vb = gb.result;
        const field = os.keyPath;
        if (field) { const t = va[field]; va[field] = vb[field]; vb[field] = t; }
        os.put(va, field ? undefined : b); os.put(vb, field ? undefined : a);
      };
      tx.oncomplete = () => { db.close(); ok(); };
      tx.onabort = () => err(tx.error);
    };
    r.onerror = () => err(r.error);
  });
}
export function storedKeys(name, store) {
  return new Promise((ok, err) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => {
      const db = r.result;
      const q = db.transaction([store], 'readonly').objectStore(store).getAllKeys();
      q.onsuccess = () => { db.close(); ok(q.result.map(String)); };
      q.onerror = () => err(q.error);
    };
    r.onerror = () => err(r.error);
  });
}
