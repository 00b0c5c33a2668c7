//! Sync's browser parts: the outbox, bases and conflicts in IndexedDB (written with the group
//! change in one transaction, all or nothing), the Web Locks API (one tab syncs at a time), and
//! the fetch transport's plain failure for an unreachable backend.

use std::cell::Cell;
use std::rc::Rc;

use group_console::model::GroupField;
use group_console::store::idb::IdbStore;
use group_console::store::{
    ops, ActivityEvent, Batch, Conflict, EventName, Op, OutboxEntry, Source, Store,
};
use group_console::sync::api::{HttpRequest, Transport};
use group_console::sync::engine::with_outbox;
use group_console::sync::http::{self, FetchTransport};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::util::{fresh_name, group};

#[wasm_bindgen_test]
async fn outbox_bases_and_conflicts_are_kept_in_indexeddb_with_the_change() {
    let name = fresh_name("sync-state");
    let store = IdbStore::open(&name, |_| {}).await.unwrap();
    let batch = ops::create_group(None, group("web"), 1, Source::Local).unwrap();
    store.apply(with_outbox(batch, 1)).await.unwrap();
    let mut other = group("db");
    other.description = "another".into();
    other.arn = Some("arn:aws:resource-groups:us-east-1:000000000000:group/db".into());
    store
        .apply(Batch {
            ops: vec![
                Op::PutBase(other.clone()),
                Op::PutConflict(Conflict {
                    group_name: "db".into(),
                    remote: Some(other.clone()),
                    fields: vec![GroupField::Description],
                    detected_at: 7,
                }),
                Op::Enqueue(OutboxEntry::new("db", "UpdateGroup", 2)),
            ],
            ..Batch::default()
        })
        .await
        .unwrap();
    let state = store.sync_state().await.unwrap();
    let entries: Vec<(&str, &str)> = state
        .outbox
        .iter()
        .map(|e| (e.group_name.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(entries, [("web", "CreateGroup"), ("db", "UpdateGroup")]);
    assert!(state.outbox[0].seq < state.outbox[1].seq);
    assert_eq!(state.bases["db"], other);
    assert_eq!(state.conflicts["db"].remote.as_ref(), Some(&other));

    // A failing batch takes its outbox entry with it.
    let mut clash = ActivityEvent::new(3, EventName::UpdateGroup, Some("web"), Source::Local);
    clash.id = store.activity(&Default::default()).await.unwrap()[0].id;
    let failing = Batch {
        ops: vec![
            Op::PutGroup(group("web")),
            Op::Enqueue(OutboxEntry::new("web", "UpdateGroup", 3)),
        ],
        events: vec![clash],
        bulk: false,
    };
    assert!(store.apply(failing).await.is_err());
    assert_eq!(store.sync_state().await.unwrap().outbox.len(), 2);

    // Confirmed entries leave; "delete all data" clears the sync records too.
    let seq = state.outbox[0].seq;
    store
        .apply(Batch {
            ops: vec![Op::Dequeue(seq), Op::DeleteConflict("db".into())],
            ..Batch::default()
        })
        .await
        .unwrap();
    let state = store.sync_state().await.unwrap();
    assert_eq!(state.outbox.len(), 1);
    assert!(state.conflicts.is_empty());
    store.apply(ops::delete_all_data(9)).await.unwrap();
    let state = store.sync_state().await.unwrap();
    assert!(state.outbox.is_empty() && state.bases.is_empty());
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn only_one_holder_of_the_sync_lock_at_a_time() {
    assert!(http::locks_available());
    let name = fresh_name("lock");
    let inner_ran = Rc::new(Cell::new(None));
    let flag = inner_ran.clone();
    let lock_name = name.clone();
    let outer = http::with_lock(&name, async move {
        // While held, a second request for the same lock does not run its task.
        let ran = http::with_lock(&lock_name, async {}).await;
        flag.set(Some(ran));
    })
    .await;
    assert!(outer);
    assert_eq!(inner_ran.get(), Some(false));
    // Released afterwards.
    assert!(http::with_lock(&name, async {}).await);
}

#[wasm_bindgen_test]
async fn an_unreachable_backend_is_a_plain_network_failure() {
    let t = FetchTransport {
        timeout_ms: 5_000,
        ..FetchTransport::default()
    };
    // Port 9 (discard) on loopback: nothing listens there.
    let err = t
        .send(HttpRequest {
            method: "POST",
            url: "http://127.0.0.1:9/groups".into(),
            headers: vec![("content-type", "application/json".into())],
            body: Some("{}".into()),
        })
        .await
        .unwrap_err();
    assert!(err.contains("network error"), "{err}");
    assert!(
        !err.contains("127.0.0.1"),
        "the reason does not repeat the URL: {err}"
    );
    let start = js_sys::Date::now();
    t.sleep(30).await;
    assert!(js_sys::Date::now() - start >= 25.0);
}

#[wasm_bindgen_test]
async fn an_answer_over_the_cap_is_not_read_and_a_normal_one_is() {
    use group_console::sync::api::BODY_MAX;
    let t = FetchTransport::default();
    let get = |url: String| HttpRequest {
        method: "GET",
        url,
        headers: vec![],
        body: None,
    };
    let blob_url = |text: &str| {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let blob = web_sys::Blob::new_with_str_sequence(&parts).unwrap();
        web_sys::Url::create_object_url_with_blob(&blob).unwrap()
    };
    let small = r#"{"GroupIdentifiers":[{"GroupName":"環境-web"}]}"#;
    let resp = t.send(get(blob_url(small))).await.unwrap();
    assert!(!resp.oversized);
    assert_eq!(resp.body, small);
    let huge = "x".repeat(BODY_MAX + 1);
    let resp = t.send(get(blob_url(&huge))).await.unwrap();
    assert!(resp.oversized);
    assert!(resp.body.is_empty());
    let err = group_console::sync::api::classify(&resp, "ListGroups").unwrap_err();
    assert!(err.to_string().contains("larger than 4 MiB"), "{err}");
    // A data: URL (no Content-Length here): the streamed count stops it as well.
    let data_url = format!("data:text/plain,{}", "y".repeat(BODY_MAX + 10));
    let resp = t.send(get(data_url)).await.unwrap();
    assert!(resp.oversized);
}
