//! Benchmark, not a test: 10,000 groups written in one transaction and read back, through our
//! IndexedDB store and with plain JavaScript IndexedDB calls in the same browser run. Prints
//! both times and their ratio. A test target with `test = false` (Cargo.toml), so the test run
//! leaves it out; `scripts/bench.sh` runs it with `--test idb_bench`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use group_console::model::{Group, ResourceQuery, TagFilter};
use group_console::store::idb::IdbStore;
use group_console::store::records::GroupRecord;
use group_console::store::{Batch, Op, Store};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen(inline_js = r#"
export async function plainJsBench(name, records) {
  const open = () => new Promise((ok, err) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('groups', { keyPath: 'name' });
    r.onsuccess = () => ok(r.result);
    r.onerror = () => err(r.error);
  });
  const db = await open();
  const items = JSON.parse(records);
  const t0 = performance.now();
  await new Promise((ok, err) => {
    const tx = db.transaction('groups', 'readwrite', { durability: 'relaxed' });
    const s = tx.objectStore('groups');
    for (const it of items) s.put(it);
    tx.oncomplete = ok;
    tx.onabort = () => err(tx.error);
  });
  const t1 = performance.now();
  const all = await new Promise((ok, err) => {
    const r = db.transaction('groups').objectStore('groups').getAll();
    r.onsuccess = () => ok(r.result);
    r.onerror = () => err(r.error);
  });
  const t2 = performance.now();
  db.close();
  await new Promise((ok) => { const d = indexedDB.deleteDatabase(name); d.onsuccess = ok; d.onerror = ok; });
  return [t1 - t0, t2 - t1, all.length];
}
export function now() { return performance.now(); }
"#)]
extern "C" {
    fn plainJsBench(name: &str, records: &str) -> js_sys::Promise;
    fn now() -> f64;
}

const N: usize = 10_000;

fn groups() -> Vec<Group> {
    (0..N)
        .map(|i| {
            let mut g = Group::new(
                format!("group-{i:05}"),
                ResourceQuery::tags(vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["Prod".into(), "Test".into()],
                }]),
            );
            g.description = format!("Group number {i} for the benchmark");
            g.tags.insert("Team".into(), format!("team-{}", i % 17));
            g.tags.insert("CostCenter".into(), format!("cc-{}", i % 5));
            g
        })
        .collect()
}

#[wasm_bindgen_test]
async fn bench_ten_thousand_groups() {
    let groups = groups();
    let name = format!("gc-bench-{}", js_sys::Date::now() as u64);
    let store = IdbStore::open(&name, |_| {}).await.unwrap();
    let batch = Batch {
        ops: groups.iter().cloned().map(Op::PutGroup).collect(),
        events: vec![],
        bulk: true,
    };
    let t0 = now();
    store.apply(batch).await.unwrap();
    let t1 = now();
    let back = store.groups().await.unwrap();
    let t2 = now();
    assert_eq!(back.len(), N);
    store.close();
    IdbStore::delete_database(&name).await.unwrap();

    let records: Vec<GroupRecord> = groups.iter().map(GroupRecord::from).collect();
    let json = serde_json::to_string(&records).unwrap();
    let result =
        wasm_bindgen_futures::JsFuture::from(plainJsBench(&format!("{name}-plain"), &json))
            .await
            .unwrap();
    let arr: js_sys::Array = result.into();
    let (js_write, js_read) = (arr.get(0).as_f64().unwrap(), arr.get(1).as_f64().unwrap());
    assert_eq!(arr.get(2).as_f64().unwrap() as usize, N);

    let (ours_write, ours_read) = (t1 - t0, t2 - t1);
    console_log!("IndexedDB, {N} groups in one transaction (Chromium, this run):");
    console_log!(
        "  write: group-console store {ours_write:.0} ms (validation + guard included), plain JS {js_write:.0} ms, ratio {:.2}",
        ours_write / js_write
    );
    console_log!(
        "  read all: group-console store {ours_read:.0} ms (parse into the model included), plain JS {js_read:.0} ms, ratio {:.2}",
        ours_read / js_read
    );
}
