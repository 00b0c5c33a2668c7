//! The IndexedDB store in a real browser: round trips, the v1 → v2 migration, atomic batches,
//! refusal of guarded records, the activity log, export → import, blocked upgrades and other
//! tabs' upgrades, and error mapping.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use group_console::model::Resource;
use group_console::store::idb::{map_error, DbEvent, IdbStore};
use group_console::store::ops;
use group_console::store::transfer::{export_groups, import_batch, preview_import, ImportMode};
use group_console::store::{
    ActivityEvent, ActivityFilter, Batch, EventName, Op, Source, Store, StoreError, ACTIVITY_MAX,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::util::{fresh_name, group, wait_for};

#[wasm_bindgen(module = "/tests/browser/raw.js")]
extern "C" {
    fn rawOpenV1(name: &str) -> js_sys::Promise;
    fn rawClose(db: &JsValue);
    fn rawOpenV1Clashing(name: &str) -> js_sys::Promise;
    fn quotaError() -> JsValue;
}

async fn open(name: &str) -> IdbStore {
    IdbStore::open(name, |_| {}).await.expect("database opens")
}

#[wasm_bindgen_test]
async fn groups_resources_and_settings_round_trip() {
    let name = fresh_name("crud");
    let store = open(&name).await;
    store
        .apply(ops::create_group(None, group("web"), 100, Source::Local).unwrap())
        .await
        .unwrap();
    let got = store.group("web").await.unwrap().expect("stored");
    let mut want = group("web");
    want.created_at = 100;
    want.updated_at = 100;
    assert_eq!(got, want);

    let mut changed = got.clone();
    changed.tags.insert("Owner".into(), "ops".into());
    store
        .apply(ops::update_group(&got, changed.clone(), 200, Source::Local).unwrap())
        .await
        .unwrap();
    assert_eq!(store.groups().await.unwrap()[0].tags["Owner"], "ops");

    let r = Resource::new(
        "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
        None,
        vec![("Stage".into(), "Prod".into())],
    )
    .unwrap();
    store
        .apply(ops::import_resources(vec![r.clone()], 300))
        .await
        .unwrap();
    assert_eq!(store.resources().await.unwrap(), vec![r]);

    store
        .apply(Batch {
            ops: vec![Op::PutSetting("page-size".into(), "25".into())],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(
        store.setting("page-size").await.unwrap().as_deref(),
        Some("25")
    );
    assert_eq!(store.setting("missing").await.unwrap(), None);

    store
        .apply(ops::delete_groups(&["web".into()], 400, Source::Local))
        .await
        .unwrap();
    assert!(store.group("web").await.unwrap().is_none());

    // A new connection (a reload) sees the same data.
    store.close();
    let again = open(&name).await;
    assert_eq!(again.resources().await.unwrap().len(), 1);
    again.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_v1_database_is_migrated_and_every_record_survives() {
    let name = fresh_name("migrate");
    let v1 = IdbStore::open_version(&name, 1, |_| {}).await.unwrap();
    let q = r#"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"#;
    for (i, n) in ["alpha", "beta", "gamma"].iter().enumerate() {
        let record = format!(
            r#"{{"name":"{n}","description":"notes {i}","queryType":"TAG_FILTERS_1_0","query":"{q}","tags":[{{"Key":"Team","Value":"T{i}"}}],"createdAt":{i},"updatedAt":{i}}}"#
        );
        v1.put_raw_json("groups", &record, None).await.unwrap();
    }
    v1.put_raw_json("meta", r#""dark""#, Some("theme"))
        .await
        .unwrap();
    assert_eq!(v1.store_names(), ["groups", "meta"]);
    v1.close();

    let v2 = open(&name).await;
    assert_eq!(
        v2.store_names(),
        [
            "activity",
            "conflicts",
            "groups",
            "inventory",
            "meta",
            "outbox",
            "syncBase",
            "tombstones"
        ]
    );
    let groups = v2.groups().await.unwrap();
    assert_eq!(groups.len(), 3);
    for (i, g) in groups.iter().enumerate() {
        assert_eq!(g.description, format!("notes {i}"));
        assert_eq!(g.tags["Team"], format!("T{i}"));
        assert_eq!(g.created_at, i as i64);
        assert_eq!(
            g.query().unwrap().to_query_json().replace('\\', ""),
            q.replace('\\', "")
        );
        assert!(g.validate().is_empty());
    }
    assert_eq!(v2.setting("theme").await.unwrap().as_deref(), Some("dark"));
    v2.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_batch_that_fails_inside_the_transaction_writes_nothing() {
    let name = fresh_name("atomic");
    let store = open(&name).await;
    store
        .apply(ops::create_group(None, group("keep"), 1, Source::Local).unwrap())
        .await
        .unwrap();
    let first_id = store.activity(&ActivityFilter::default()).await.unwrap()[0].id;

    // Two good groups, then an event whose key already exists: IndexedDB rejects the third
    // write and the whole transaction rolls back.
    let mut clash = ActivityEvent::new(2, EventName::CreateGroup, Some("x"), Source::Local);
    clash.id = first_id;
    let batch = Batch {
        ops: vec![Op::PutGroup(group("one")), Op::PutGroup(group("two"))],
        events: vec![clash],
        bulk: true,
    };
    let err = store.apply(batch).await.unwrap_err();
    assert!(matches!(err, StoreError::Failed(_)), "{err:?}");
    let names: Vec<String> = store
        .groups()
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["keep"], "nothing of the failed batch was written");
    assert_eq!(
        store
            .activity(&ActivityFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_store_itself_refuses_guarded_names_and_tags() {
    let name = fresh_name("guard");
    let store = open(&name).await;
    let mut tagged = group("billing");
    tagged
        .tags
        .insert("Card".into(), "4111 1111 1111 1111".into());
    for g in [
        group("prod-123456789012"),
        group("AKIAIOSFODNN7EXAMPLE"),
        tagged,
    ] {
        let err = store
            .apply(Batch {
                ops: vec![Op::PutGroup(g)],
                ..Batch::default()
            })
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }));
    }
    assert!(store.groups().await.unwrap().is_empty());
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn activity_is_recorded_without_descriptions_and_bounded() {
    let name = fresh_name("activity");
    let store = open(&name).await;
    let g = group("web");
    store
        .apply(ops::create_group(None, g.clone(), 1, Source::Local).unwrap())
        .await
        .unwrap();
    let stored = store.group("web").await.unwrap().unwrap();
    let mut edited = stored.clone();
    edited.description = "even more confidential words".into();
    store
        .apply(ops::update_group(&stored, edited, 2, Source::Local).unwrap())
        .await
        .unwrap();

    let events = store.activity(&ActivityFilter::default()).await.unwrap();
    assert_eq!(
        events
            .iter()
            .map(|e| e.event_name.as_str())
            .collect::<Vec<_>>(),
        ["UpdateGroup", "CreateGroup"]
    );
    assert_eq!(events[0].fields, ["Description"]);
    let raw = store.raw_json("activity").await.unwrap();
    assert!(
        !raw.contains("confidential"),
        "no description text in the stored log: {raw}"
    );

    // Bounded: the newest ACTIVITY_MAX stay.
    let many: Vec<ActivityEvent> = (0..ACTIVITY_MAX)
        .map(|i| ActivityEvent::new(10 + i as i64, EventName::TagResources, None, Source::Local))
        .collect();
    store
        .apply(Batch {
            ops: vec![],
            events: many,
            bulk: true,
        })
        .await
        .unwrap();
    let all = store.activity(&ActivityFilter::default()).await.unwrap();
    assert_eq!(all.len(), ACTIVITY_MAX);
    assert!(
        all.iter().all(|e| e.event_name == EventName::TagResources),
        "the two oldest events were removed"
    );
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn export_then_import_into_a_new_database_is_equal() {
    let (a, b) = (fresh_name("export"), fresh_name("import"));
    let source = open(&a).await;
    for n in ["a", "b", "c"] {
        source
            .apply(ops::create_group(None, group(n), 7, Source::Local).unwrap())
            .await
            .unwrap();
    }
    let original = source.groups().await.unwrap();
    let json = export_groups(&original, true);

    let target = open(&b).await;
    let preview = preview_import(&json, &[]).unwrap();
    target
        .apply(import_batch(&preview, &[], ImportMode::AllOrNothing, 7).unwrap())
        .await
        .unwrap();
    assert_eq!(target.groups().await.unwrap(), original);
    source.close();
    target.close();
    IdbStore::delete_database(&a).await.unwrap();
    IdbStore::delete_database(&b).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_another_tab_is_reported_not_hung() {
    let name = fresh_name("blocked");
    // "Another tab" holding version 1 open without listening for version changes.
    let other = wasm_bindgen_futures::JsFuture::from(rawOpenV1(&name))
        .await
        .unwrap();
    let blocked = Rc::new(Cell::new(false));
    let flag = blocked.clone();
    let result: Rc<std::cell::RefCell<Option<Result<IdbStore, StoreError>>>> = Default::default();
    let slot = result.clone();
    let name2 = name.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let r = IdbStore::open(&name2, move |e| {
            if e == DbEvent::UpgradeBlocked {
                flag.set(true)
            }
        })
        .await;
        *slot.borrow_mut() = Some(r);
    });
    wait_for("the blocked notice", Duration::from_secs(5), || {
        blocked.get().then_some(())
    })
    .await;
    assert!(result.borrow().is_none(), "still waiting for the other tab");
    rawClose(&other);
    wait_for("the open to finish", Duration::from_secs(5), || {
        result.borrow().is_some().then_some(())
    })
    .await;
    let store = result
        .borrow_mut()
        .take()
        .unwrap()
        .expect("opens once the other tab is gone");
    assert!(store.store_names().contains(&"activity".to_owned()));
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_upgrade_in_another_tab_closes_this_connection_with_a_notice() {
    let name = fresh_name("versionchange");
    let changed = Rc::new(Cell::new(false));
    let flag = changed.clone();
    let old = IdbStore::open_version(&name, 1, move |e| {
        if e == DbEvent::VersionChanged {
            flag.set(true)
        }
    })
    .await
    .unwrap();
    let new = open(&name).await; // not blocked: the old connection closes itself
    assert!(changed.get());
    assert_eq!(old.groups().await.unwrap_err(), StoreError::VersionChanged);
    assert!(StoreError::VersionChanged
        .to_string()
        .contains("Reload this tab"));
    new.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
fn quota_errors_say_so_in_plain_words() {
    let e = map_error(&quotaError());
    assert_eq!(e, StoreError::QuotaExceeded);
    let text = e.to_string();
    assert!(
        text.contains("storage for this site is full") && text.contains("earlier data is intact")
    );
}

#[wasm_bindgen_test]
async fn a_save_over_a_changed_group_is_refused_inside_the_transaction() {
    let name = fresh_name("expect");
    let store = open(&name).await;
    store
        .apply(ops::create_group(None, group("web"), 1, Source::Local).unwrap())
        .await
        .unwrap();
    let stale = store.group("web").await.unwrap().unwrap();
    // Another tab saves first.
    let mut other = stale.clone();
    other.description = "other tab".into();
    store
        .apply(ops::update_group(&stale, other, 2, Source::Local).unwrap())
        .await
        .unwrap();
    // A save from the first copy (and a tombstone with it) is refused, and writes nothing.
    let mut mine = stale.clone();
    mine.description = "this tab".into();
    let mut batch = ops::update_group(&stale, mine, 3, Source::Local).unwrap();
    batch
        .ops
        .push(Op::PutTombstone(group_console::store::Tombstone {
            group: group("gone"),
            deleted_at: 3,
            by: Default::default(),
        }));
    let err = store.apply(batch).await.unwrap_err();
    assert_eq!(err, StoreError::Changed("web".into()));
    assert_eq!(
        store.group("web").await.unwrap().unwrap().description,
        "other tab"
    );
    assert!(store.tombstones().await.unwrap().is_empty());
    // From the current copy it goes through, tombstone included.
    let current = store.group("web").await.unwrap().unwrap();
    let mut mine = current.clone();
    mine.description = "this tab".into();
    let mut batch = ops::update_group(&current, mine, 4, Source::Local).unwrap();
    batch
        .ops
        .push(Op::PutTombstone(group_console::store::Tombstone {
            group: group("gone"),
            deleted_at: 4,
            by: Default::default(),
        }));
    store.apply(batch).await.unwrap();
    assert_eq!(
        store.group("web").await.unwrap().unwrap().description,
        "this tab"
    );
    assert_eq!(store.tombstones().await.unwrap()[0].group.name, "gone");
    store.close();
}

#[wasm_bindgen_test]
async fn a_bad_record_is_quarantined_and_the_rest_loads() {
    use group_console::store::RecordKind;
    let name = fresh_name("quarantine");
    let store = open(&name).await;
    store
        .apply(ops::create_group(None, group("web"), 1, Source::Local).unwrap())
        .await
        .unwrap();
    // What an older version (or another tool) may have left: a key in a description, a record
    // of the wrong shape, a resource with an account number in a tag.
    let query = r#"{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}"#;
    let keyed = format!(
        r#"{{"name":"keyed","description":"AKIAIOSFODNN7EXAMPLE","query":{query},"updatedAt":5}}"#
    );
    store.put_raw_json("groups", &keyed, None).await.unwrap();
    store
        .put_raw_json("groups", r#"{"name":"shape","tags":[1,2]}"#, None)
        .await
        .unwrap();
    store
        .put_raw_resource_json(
            r#"{"arn":"arn:aws:s3:::b","type":"AWS::S3::Bucket","tags":[["Acct","123456789012"]]}"#,
        )
        .await
        .unwrap();
    let names: Vec<String> = store
        .groups()
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["web"]);
    let (loaded, set_aside) = store.groups_and_quarantine().await.unwrap();
    assert_eq!((loaded.len(), set_aside.len()), (1, 2));
    assert!(store.resources().await.unwrap().is_empty());
    assert!(matches!(
        store.group("keyed").await,
        Err(StoreError::Refused(_))
    ));
    let q = store.quarantine(&RecordKind::ALL).await.unwrap();
    let keys: Vec<(RecordKind, &str)> = q.iter().map(|q| (q.kind, q.key.as_str())).collect();
    assert_eq!(
        keys,
        [
            (RecordKind::Group, "keyed"),
            (RecordKind::Group, "shape"),
            (RecordKind::Resource, "arn:aws:s3:::b")
        ]
    );
    assert!(q
        .iter()
        .all(|q| !q.reason.contains("AKIA") && !q.reason.contains("123456789012")));
    // A write over a quarantined group is refused like one over a changed group.
    let over = ops::create_group(None, group("keyed"), 6, Source::Local).unwrap();
    assert_eq!(
        store.apply(over).await.unwrap_err(),
        StoreError::Changed("keyed".into())
    );
    let state = store.sync_state().await.unwrap();
    store
        .apply(ops::delete_quarantined(&q, &state, 7))
        .await
        .unwrap();
    assert!(store.quarantine(&RecordKind::ALL).await.unwrap().is_empty());
    assert_eq!(store.groups().await.unwrap().len(), 1);
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn v4_resources_move_into_blocks_and_a_damaged_block_is_set_aside() {
    use group_console::store::RecordKind;
    let name = fresh_name("inventory-blocks");
    // A v4 database as the previous version left it: one record per resource, one of them
    // unreadable by the checks (an account number in a tag).
    let v4 = IdbStore::open_version(&name, 4, |_| {}).await.unwrap();
    for i in 0..300 {
        let record = format!(
            r#"{{"arn":"arn:aws:s3:::bucket-{i:03}","type":"AWS::S3::Bucket","tags":[["環境","本番 {i}"],["Émoji","ü é"]]}}"#
        );
        v4.put_raw_json("resources", &record, None).await.unwrap();
    }
    v4.put_raw_json(
        "resources",
        r#"{"arn":"arn:aws:s3:::acct","type":"AWS::S3::Bucket","tags":[["Acct","123456789012"]]}"#,
        None,
    )
    .await
    .unwrap();
    v4.close();

    let store = open(&name).await;
    assert!(!store.store_names().contains(&"resources".to_owned()));
    let loaded = store.resources().await.unwrap();
    assert_eq!(loaded.len(), 300);
    assert!(loaded.windows(2).all(|w| w[0].arn < w[1].arn));
    assert_eq!(loaded[7].tags[0], ("環境".to_owned(), "本番 7".to_owned()));
    assert_eq!(store.resources_unchecked().await.unwrap().len(), 301);
    let q = store.quarantine(&[RecordKind::Resource]).await.unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].key, "arn:aws:s3:::acct");

    // A damaged block: its resources are set aside whole, a write into it is refused (it
    // would write over it), and deleting it from the quarantine lets writes in again.
    let victim = "arn:aws:s3:::bucket-042";
    let block = IdbStore::block_of(victim);
    store.put_raw_block(block, r#""[not json""#).await.unwrap();
    let after = store.resources().await.unwrap();
    assert!(after.len() < 300 && !after.iter().any(|r| r.arn == victim));
    let q = store.quarantine(&[RecordKind::Resource]).await.unwrap();
    assert!(q.iter().any(|q| q.key == format!("block:{block}")));
    let put = Resource::new(victim, None, vec![("k".into(), "v".into())]).unwrap();
    let err = store
        .apply(ops::import_resources(vec![put.clone()], 9))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    let state = store.sync_state().await.unwrap();
    store
        .apply(ops::delete_quarantined(&q, &state, 10))
        .await
        .unwrap();
    assert!(store
        .quarantine(&[RecordKind::Resource])
        .await
        .unwrap()
        .is_empty());
    store
        .apply(ops::import_resources(vec![put], 11))
        .await
        .unwrap();
    assert!(store
        .resources()
        .await
        .unwrap()
        .iter()
        .any(|r| r.arn == victim));
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_failed_migration_leaves_the_old_data_untouched_and_exportable() {
    let name = fresh_name("migration-fails");
    wasm_bindgen_futures::JsFuture::from(rawOpenV1Clashing(&name))
        .await
        .unwrap();
    let err = match IdbStore::open(&name, |_| {}).await {
        Err(e) => e,
        Ok(_) => panic!("the upgrade cannot succeed"),
    };
    assert!(matches!(err, StoreError::MigrationFailed(_)), "{err:?}");
    assert!(err.to_string().contains("untouched"));
    let dump: serde_json::Value =
        serde_json::from_str(&IdbStore::export_as_is(&name).await.unwrap()).unwrap();
    assert_eq!(dump["version"], 1, "still the old version");
    let group = &dump["stores"]["groups"][0]["value"];
    assert_eq!(group["name"], "web");
    assert_eq!(group["description"], "private words");
    assert_eq!(group["tags"][0]["Key"], "環境");
    assert_eq!(dump["stores"]["meta"][0]["key"], "page-size");
    // And again: nothing changed by the failed attempt.
    assert!(IdbStore::open(&name, |_| {}).await.is_err());
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_database_from_a_newer_version_is_told_apart() {
    let name = fresh_name("newer");
    let store = open(&name).await;
    store
        .apply(ops::create_group(None, group("web"), 1, Source::Local).unwrap())
        .await
        .unwrap();
    store.close();
    let err = match IdbStore::open_version(&name, 2, |_| {}).await {
        Err(e) => e,
        Ok(_) => panic!("an older version cannot open it"),
    };
    assert_eq!(err, StoreError::NewerVersion);
    assert!(IdbStore::export_as_is(&name)
        .await
        .unwrap()
        .contains("\"web\""));
    IdbStore::delete_database(&name).await.unwrap();
}

// --- The store contract (tests/contract/store_contract.rs), on IndexedDB -----------------------

#[path = "../contract/store_contract.rs"]
mod contract;

#[wasm_bindgen_test]
async fn contract_on_indexeddb() {
    macro_rules! case {
        ($f:ident) => {{
            let name = fresh_name(stringify!($f));
            let store = open(&name).await;
            contract::$f(&store).await;
            store.close();
            IdbStore::delete_database(&name).await.unwrap();
        }};
    }
    case!(groups_round_trip);
    case!(batches_are_atomic_and_checked);
    case!(creates_are_conditional);
    case!(resources_settings_and_activity);
    case!(sync_records);
    case!(clear_all);
}

#[wasm_bindgen_test]
async fn v5_groups_open_in_v6_with_no_labels_and_keep_the_ones_a_save_adds() {
    let name = fresh_name("labels-v6");
    // A v5 database as the previous version wrote it: a group record without the fields v6
    // knows, in the `groups` store and as the sync base.
    let v5 = IdbStore::open_version(&name, 5, |_| {}).await.unwrap();
    let record = r#"{"name":"web","description":"Front end","query":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"環境\",\"Values\":[\"本番\"]}]}"},"tags":{"Équipe":"Web"},"arn":"arn:aws:resource-groups:us-east-1:123456789012:group/web","createdAt":1,"updatedAt":2}"#;
    v5.put_raw_json("groups", record, None).await.unwrap();
    v5.put_raw_json("syncBase", record, None).await.unwrap();
    v5.close();

    let store = open(&name).await;
    let groups = store.groups().await.unwrap();
    assert_eq!(groups.len(), 1);
    let old = groups[0].clone();
    assert_eq!(old.description, "Front end");
    assert_eq!(old.tags["Équipe"], "Web");
    assert_eq!(
        (
            old.display_name.as_str(),
            old.owner.as_str(),
            old.criticality
        ),
        ("", "", None)
    );
    assert!(old.application_tag.is_empty());
    assert_eq!(store.sync_state().await.unwrap().bases["web"], old);

    let mut new = old.clone();
    new.display_name = "ウェブ 本番".into();
    new.owner = "Équipe plateforme".into();
    new.criticality = Some(2);
    store
        .apply(ops::update_group(&old, new, 3, Source::Local).unwrap())
        .await
        .unwrap();
    store.close();
    // What was saved is read back whole, and a v5 app can no longer open the database (it
    // would drop the new fields on its next write).
    let store = open(&name).await;
    let g = store.groups().await.unwrap().remove(0);
    assert_eq!(
        (g.display_name.as_str(), g.owner.as_str(), g.criticality),
        ("ウェブ 本番", "Équipe plateforme", Some(2))
    );
    store.close();
    let err = match IdbStore::open_version(&name, 5, |_| {}).await {
        Err(e) => e,
        Ok(_) => panic!("a v5 app cannot open a v6 database"),
    };
    assert_eq!(err, StoreError::NewerVersion);
    IdbStore::delete_database(&name).await.unwrap();
}
