//! The store contract: what every `Store` must do, written once and run against each store —
//! `MemoryStore` natively (tests/store.rs) and `IdbStore` in a real browser
//! (tests/browser/store.rs). The app and the sync engine only see the trait, so a behaviour
//! the two stores disagree on is a bug in one of them, whichever the tests happen to use.
//!
//! Each case takes a fresh, empty store. Included with `#[path]`, so no cargo target of its own.

use group_console::model::{Group, GroupField, Resource, ResourceQuery, TagFilter};
use group_console::store::{
    ops, ActivityFilter, Batch, Conflict, Op, OutboxEntry, Source, Store, StoreError, Tombstone,
    Touched,
};

fn group(name: &str) -> Group {
    let mut g = Group::new(
        name,
        ResourceQuery::tags(vec![TagFilter {
            key: "環境".into(),
            values: vec!["本番".into()],
        }]),
    );
    g.description = format!("private notes on {name}");
    g.tags.insert("Équipe".into(), "Données".into());
    g
}

fn resource(n: u32) -> Resource {
    Resource::new(
        &format!("arn:aws:ec2:us-east-1:123456789012:instance/i-{n:08x}"),
        None,
        vec![
            ("Team".into(), "web".into()),
            ("צוות".into(), "תשתית".into()),
        ],
    )
    .unwrap()
}

/// Groups: create, read back equal, update, list in name order, delete; what each batch
/// touched.
pub async fn groups_round_trip<S: Store>(store: &S) {
    let t = store
        .apply(ops::create_group(None, group("web"), 10, Source::Local).unwrap())
        .await
        .unwrap();
    assert_eq!(t.groups.iter().collect::<Vec<_>>(), ["web"]);
    assert!(t.activity && !t.resources && !t.all);
    store
        .apply(ops::create_group(None, group("api"), 11, Source::Local).unwrap())
        .await
        .unwrap();
    let web = store.group("web").await.unwrap().expect("stored");
    let mut want = group("web");
    want.created_at = 10;
    want.updated_at = 10;
    assert_eq!(web, want);
    let names: Vec<String> = store
        .groups()
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["api", "web"], "in name order");
    let mut changed = web.clone();
    changed.tags.insert("Owner".into(), "ops".into());
    store
        .apply(ops::update_group(&web, changed, 20, Source::Local).unwrap())
        .await
        .unwrap();
    assert_eq!(
        store.group("web").await.unwrap().unwrap().tags["Owner"],
        "ops"
    );
    let t = store
        .apply(ops::delete_groups(&["web".into()], 30, Source::Local))
        .await
        .unwrap();
    assert!(t.groups.contains("web"));
    assert_eq!(store.group("web").await.unwrap(), None);
    assert_eq!(store.groups().await.unwrap().len(), 1);
}

/// A batch is all or nothing, and the store refuses what the checks refuse.
pub async fn batches_are_atomic_and_checked<S: Store>(store: &S) {
    let bad = Batch {
        ops: vec![
            Op::PutGroup(group("ok-1")),
            Op::PutGroup(group("prod-123456789012")),
        ],
        ..Batch::default()
    };
    assert!(matches!(
        store.apply(bad).await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(store.groups().await.unwrap().is_empty());
    // A failed precondition inside the transaction undoes the batch too.
    let guarded = Batch {
        ops: vec![
            Op::PutGroup(group("first")),
            Op::ExpectGroup {
                name: "absent".into(),
                updated_at: Some(1),
            },
        ],
        ..Batch::default()
    };
    assert_eq!(
        store.apply(guarded).await,
        Err(StoreError::Changed("absent".into()))
    );
    assert!(store.groups().await.unwrap().is_empty());
    assert_eq!(
        store.apply(Batch::default()).await.unwrap(),
        Touched::default()
    );
}

/// Creating over an existing group is refused by the precondition, whoever wrote it first.
pub async fn creates_are_conditional<S: Store>(store: &S) {
    store
        .apply(ops::create_group(None, group("web"), 1, Source::Local).unwrap())
        .await
        .unwrap();
    let again = ops::create_group(None, group("web"), 2, Source::Import).unwrap();
    assert_eq!(
        store.apply(again).await,
        Err(StoreError::Changed("web".into()))
    );
    assert_eq!(store.group("web").await.unwrap().unwrap().created_at, 1);
}

/// Resources, settings, activity (newest first, without descriptions).
pub async fn resources_settings_and_activity<S: Store>(store: &S) {
    let t = store
        .apply(ops::import_resources(vec![resource(1), resource(2)], 5))
        .await
        .unwrap();
    assert!(t.resources);
    assert_eq!(t.listed_resources().map(|a| a.len()), Some(2));
    // Listed in ARN order, whatever the order of the import.
    store
        .apply(ops::import_resources(vec![resource(9), resource(0)], 5))
        .await
        .unwrap();
    let got = store.resources().await.unwrap();
    assert_eq!(got, [resource(0), resource(1), resource(2), resource(9)]);
    assert_eq!(store.resources_unchecked().await.unwrap().len(), 4);
    // Read by ARN: what is stored, and `None` for what is not.
    let absent = "arn:aws:s3:::nowhere-😀".to_owned();
    let arns = [resource(2).arn, absent.clone(), resource(9).arn].into();
    let by_arn = store.resources_by_arn(&arns).await.unwrap();
    assert_eq!(
        by_arn,
        [
            (resource(2).arn, Some(resource(2))),
            (resource(9).arn, Some(resource(9))),
            (absent, None),
        ]
    );
    let t = store
        .apply(Batch {
            ops: vec![
                Op::DeleteResource(resource(0).arn),
                Op::DeleteResource(resource(9).arn),
            ],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(t.listed_resources().map(|a| a.len()), Some(2));
    assert_eq!(store.resources().await.unwrap(), [resource(1), resource(2)]);
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
    assert_eq!(store.setting("absent").await.unwrap(), None);
    store
        .apply(ops::create_group(None, group("web"), 6, Source::Local).unwrap())
        .await
        .unwrap();
    let events = store.activity(&ActivityFilter::default()).await.unwrap();
    let names: Vec<&str> = events.iter().map(|e| e.event_name.as_str()).collect();
    assert_eq!(
        names,
        ["CreateGroup", "ImportResources", "ImportResources"],
        "newest first"
    );
    let json = serde_json::to_string(&events).unwrap();
    assert!(!json.contains("private notes"), "no description in events");
}

/// The sync records: outbox in order with store-given sequence numbers, bases, conflicts,
/// tombstones oldest first.
pub async fn sync_records<S: Store>(store: &S) {
    let mut base = group("web");
    base.arn = Some("arn:aws:resource-groups:us-east-1:123456789012:group/web".into());
    store
        .apply(Batch {
            ops: vec![
                Op::Enqueue(OutboxEntry::new("web", "UpdateGroup", 1)),
                Op::Enqueue(OutboxEntry::new("api", "CreateGroup", 2)),
                Op::PutBase(base.clone()),
                Op::PutConflict(Conflict {
                    group_name: "web".into(),
                    remote: Some(base.clone()),
                    fields: vec![GroupField::Tags],
                    detected_at: 3,
                }),
                Op::PutTombstone(Tombstone {
                    group: group("old-2"),
                    deleted_at: 9,
                    by: Default::default(),
                }),
                Op::PutTombstone(Tombstone {
                    group: group("old-1"),
                    deleted_at: 4,
                    by: Default::default(),
                }),
            ],
            ..Batch::default()
        })
        .await
        .unwrap();
    let state = store.sync_state().await.unwrap();
    assert_eq!(state.pending_names(), ["web", "api"]);
    assert!(state.outbox[0].seq < state.outbox[1].seq && state.outbox[0].seq > 0);
    assert_eq!(state.bases["web"], base);
    assert_eq!(state.conflicts["web"].remote.as_ref(), Some(&base));
    let tombs: Vec<String> = store
        .tombstones()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.group.name)
        .collect();
    assert_eq!(tombs, ["old-1", "old-2"], "oldest first");
    let seq = state.outbox[0].seq;
    store
        .apply(Batch {
            ops: vec![
                Op::Dequeue(seq),
                Op::DeleteBase("web".into()),
                Op::DeleteConflict("web".into()),
            ],
            ..Batch::default()
        })
        .await
        .unwrap();
    let state = store.sync_state().await.unwrap();
    assert_eq!(state.pending_names(), ["api"]);
    assert!(state.bases.is_empty() && state.conflicts.is_empty());
    assert!(store
        .quarantine(&group_console::store::RecordKind::ALL)
        .await
        .unwrap()
        .is_empty());
}

/// Deleting all data empties every kind of record and says so.
pub async fn clear_all<S: Store>(store: &S) {
    store
        .apply(ops::create_group(None, group("web"), 1, Source::Local).unwrap())
        .await
        .unwrap();
    store
        .apply(ops::import_resources(vec![resource(3)], 2))
        .await
        .unwrap();
    let t = store.apply(ops::delete_all_data(3)).await.unwrap();
    assert!(t.all);
    assert!(store.groups().await.unwrap().is_empty());
    assert!(store.resources().await.unwrap().is_empty());
    assert_eq!(store.sync_state().await.unwrap(), Default::default());
}
