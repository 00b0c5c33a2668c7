//! The store logic on the in-memory store: batches, validation at the store, atomicity,
//! activity events without descriptions, and export → import round trips.
#![cfg(not(target_arch = "wasm32"))]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use group_console::model::{Group, GroupField, Resource, ResourceQuery, TagFilter};
use group_console::store::ops::{self, TagChanges};
use group_console::store::transfer::{export_groups, import_batch, preview_import, ImportMode};
use group_console::store::{
    ActivityFilter, Batch, MemoryStore, Op, Source, Store, StoreError, ACTIVITY_MAX,
};

/// The in-memory store's futures are ready at once: poll once.
fn run<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the in-memory store never waits"),
    }
}

fn group(name: &str) -> Group {
    let mut g = Group::new(
        name,
        ResourceQuery::tags(vec![TagFilter {
            key: "Stage".into(),
            values: vec!["Prod".into()],
        }]),
    );
    g.description = format!("private notes about {name}");
    g.tags.insert("Team".into(), "Platform".into());
    g
}

#[test]
fn create_update_delete_with_events() {
    let store = MemoryStore::new();
    run(store.apply(ops::create_group(None, group("web"), 10, Source::Local).unwrap())).unwrap();
    let existing = run(store.group("web")).unwrap();
    assert!(matches!(
        ops::create_group(existing.as_ref(), group("web"), 11, Source::Local),
        Err(StoreError::AlreadyExists(_))
    ));

    let old = existing.unwrap();
    let mut new = old.clone();
    new.description = "changed secret words".into();
    new.tags.insert("Owner".into(), "ops".into());
    new.tags.remove("Team");
    run(store.apply(ops::update_group(&old, new, 20, Source::Local).unwrap())).unwrap();
    run(store.apply(ops::delete_groups(&["web".into()], 30, Source::Local))).unwrap();
    assert!(run(store.groups()).unwrap().is_empty());

    let events = run(store.activity(&ActivityFilter::default())).unwrap();
    let names: Vec<&str> = events.iter().map(|e| e.event_name.as_str()).collect();
    assert_eq!(
        names,
        ["DeleteGroup", "Untag", "Tag", "UpdateGroup", "CreateGroup"]
    );
    assert_eq!(events[3].fields, ["Description"]);
    assert_eq!(events[2].fields, ["Owner"]);
    let log = serde_json::to_string(
        &events
            .iter()
            .map(|e| (&e.event_name, &e.fields))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let jsonl = group_console::store::activity::to_json_lines(&events);
    for text in [log, jsonl] {
        assert!(
            !text.contains("private notes") && !text.contains("secret words"),
            "descriptions never enter the log"
        );
    }
}

#[test]
fn the_store_refuses_guarded_and_invalid_records_and_writes_nothing() {
    let store = MemoryStore::new();
    run(store.apply(ops::create_group(None, group("keep"), 1, Source::Local).unwrap())).unwrap();
    // A batch where one record of three is bad: nothing of it is written.
    let batch = Batch {
        ops: vec![
            Op::PutGroup(group("ok-1")),
            Op::PutGroup(group("prod-123456789012")),
            Op::PutGroup(group("ok-2")),
        ],
        events: vec![],
        bulk: true,
    };
    let err = run(store.apply(batch)).unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }));
    assert!(
        !err.to_string().contains("123456789012"),
        "the message does not repeat the account number"
    );
    let names: Vec<String> = run(store.groups())
        .unwrap()
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["keep"]);

    let mut card = group("billing");
    card.tags
        .insert("Card".into(), "4111 1111 1111 1111".into());
    assert!(run(store.apply(Batch {
        ops: vec![Op::PutGroup(card)],
        ..Batch::default()
    }))
    .is_err());
    let secret_url = Op::PutSetting("endpoint".into(), "https://user:pw@example.com".into());
    assert!(run(store.apply(Batch {
        ops: vec![secret_url],
        ..Batch::default()
    }))
    .is_err());
    let bad_resource = Op::PutResource(Resource {
        arn: "arn:aws:s3:::b".into(),
        resource_type: "AWS::S3::Bucket".into(),
        tags: vec![("Acct".into(), "123456789012".into())],
        pulled_from: None,
    });
    assert!(run(store.apply(Batch {
        ops: vec![bad_resource],
        ..Batch::default()
    }))
    .is_err());
}

/// Every kind of record goes through the same check: sync's bases, conflicts, tombstones and
/// outbox entries, configurations, ARNs, tag-filter keys and AWS-written resource tags.
#[test]
fn every_record_kind_is_checked_before_it_is_stored() {
    use group_console::model::group::{ConfigurationItem, ConfigurationParameter};
    use group_console::model::GroupSpec;
    use group_console::store::{Conflict, OutboxEntry, Tombstone};

    let refused = |op: Op| {
        let store = MemoryStore::new();
        let result = run(store.apply(Batch {
            ops: vec![op.clone()],
            ..Batch::default()
        }));
        let nothing = run(store.sync_state()).unwrap() == Default::default()
            && run(store.groups()).unwrap().is_empty()
            && run(store.resources()).unwrap().is_empty()
            && run(store.tombstones()).unwrap().is_empty();
        assert!(nothing, "nothing written for {op:?}");
        result.err()
    };
    let flagged = group("prod-123456789012");
    let mut wrong_arn = group("web");
    wrong_arn.arn = Some("arn:aws:resource-groups:us-east-1:123456789012:group/other".into());
    let mut bad_filter = group("web");
    bad_filter.spec = GroupSpec::Query(ResourceQuery::tags(vec![TagFilter {
        key: "customer-987654321098".into(),
        values: vec![],
    }]));
    let mut bad_config = group("pool");
    bad_config.spec = GroupSpec::Configuration(vec![ConfigurationItem {
        kind: "AWS::EC2::CapacityReservationPool".into(),
        parameters: vec![ConfigurationParameter {
            name: "capacity-reservation-arns".into(),
            values: vec!["note-AKIAIOSFODNN7EXAMPLE".into()],
        }],
    }]);
    for op in [
        Op::PutBase(flagged.clone()),
        Op::PutBase(wrong_arn.clone()),
        Op::PutGroup(wrong_arn),
        Op::PutGroup(bad_filter.clone()),
        Op::PutBase(bad_filter),
        Op::PutGroup(bad_config),
        Op::PutTombstone(Tombstone {
            group: flagged.clone(),
            deleted_at: 1,
            by: Default::default(),
        }),
        Op::PutConflict(Conflict {
            group_name: "web".into(),
            remote: Some(flagged.clone()),
            fields: vec![GroupField::Tags],
            detected_at: 1,
        }),
        Op::PutConflict(Conflict {
            group_name: "prod-123456789012".into(),
            remote: None,
            fields: vec![GroupField::Group],
            detected_at: 1,
        }),
        Op::Enqueue(OutboxEntry::new("prod-123456789012", "UpdateGroup", 1)),
        Op::Enqueue(OutboxEntry::new("web", "DropTable", 1)),
        Op::PutResource(Resource {
            arn: "arn:aws:s3:::b".into(),
            resource_type: "AWS::S3::Bucket".into(),
            tags: vec![(
                "aws:cloudformation:logical-id".into(),
                "AKIAIOSFODNN7EXAMPLE".into(),
            )],
            pulled_from: None,
        }),
        Op::PutResource(Resource {
            arn: "arn:aws:s3:::b".into(),
            resource_type: "AWS::S3::Bucket".into(),
            tags: vec![(
                "aws:cloudformation:stack-name".into(),
                "acct-123456789012".into(),
            )],
            pulled_from: None,
        }),
    ] {
        let err = refused(op).expect("refused");
        assert!(
            !err.to_string().contains("123456789012") && !err.to_string().contains("AKIA"),
            "{err}"
        );
    }
    // What AWS itself writes, and a deletion of a group stored before the guard knew its name.
    let store = MemoryStore::new();
    run(store.apply(Batch {
        ops: vec![
            Op::PutResource(Resource {
                arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc".into(),
                resource_type: "AWS::EC2::Instance".into(),
                tags: vec![(
                    "aws:cloudformation:stack-id".into(),
                    "arn:aws:cloudformation:us-east-1:123456789012:stack/web/eebaf112-1416-47ea-8eeb-a956c95ee237".into(),
                )],
                pulled_from: None,
            }),
            Op::Enqueue(OutboxEntry::new("prod-123456789012", "DeleteGroup", 1)),
        ],
        ..Batch::default()
    }))
    .unwrap();
}

#[test]
fn the_activity_log_is_bounded() {
    let store = MemoryStore::new();
    let events = (0..ACTIVITY_MAX + 5)
        .map(|i| {
            group_console::store::ActivityEvent::new(
                i as i64,
                group_console::store::EventName::TagResources,
                None,
                Source::Local,
            )
        })
        .collect();
    run(store.apply(Batch {
        ops: vec![],
        events,
        bulk: true,
    }))
    .unwrap();
    let all = run(store.activity(&ActivityFilter::default())).unwrap();
    assert_eq!(all.len(), ACTIVITY_MAX);
    assert_eq!(all[0].time, (ACTIVITY_MAX + 4) as i64, "newest first");
    assert_eq!(all.last().unwrap().time, 5, "the oldest five are gone");
}

#[test]
fn bulk_tagging_of_resources() {
    let store = MemoryStore::new();
    let r = |arn: &str, tags: &[(&str, &str)]| {
        Resource::new(
            arn,
            None,
            tags.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap()
    };
    let resources = vec![
        r("arn:aws:s3:::a", &[("Stage", "Dev")]),
        r("arn:aws:s3:::b", &[("Stage", "Prod"), ("Old", "x")]),
    ];
    run(store.apply(ops::import_resources(resources.clone(), 1))).unwrap();
    let changes = TagChanges {
        set: vec![("Stage".into(), "Prod".into())],
        remove: vec!["Old".into()],
    };
    let batch = ops::tag_resources(&resources, &changes, 2);
    assert_eq!(batch.ops.len(), 2);
    run(store.apply(batch)).unwrap();
    let now = run(store.resources()).unwrap();
    assert!(now
        .iter()
        .all(|r| r.tag("Stage") == Some("Prod") && r.tag("Old").is_none()));
}

#[test]
fn export_then_import_gives_back_the_same_groups() {
    let store = MemoryStore::new();
    for name in ["a", "b", "c"] {
        run(store.apply(ops::create_group(None, group(name), 5, Source::Local).unwrap())).unwrap();
    }
    let groups = run(store.groups()).unwrap();
    let with = export_groups(&groups, true);
    let without = export_groups(&groups, false);
    assert!(with.contains("private notes about a"));
    assert!(
        !without.contains("private notes"),
        "descriptions are left out unless asked for"
    );

    // Into an empty store: all new; applied, the groups are equal to the originals.
    let fresh = MemoryStore::new();
    let preview = preview_import(&with, &[]).unwrap();
    assert_eq!(
        (
            preview.new.len(),
            preview.changed.len(),
            preview.rejected.len()
        ),
        (3, 0, 0)
    );
    run(fresh.apply(import_batch(&preview, &[], ImportMode::AllOrNothing, 5).unwrap())).unwrap();
    assert_eq!(run(fresh.groups()).unwrap(), groups);

    // Into the same store: unchanged, even without descriptions in the file.
    let preview = preview_import(&without, &groups).unwrap();
    assert_eq!(preview.unchanged.len(), 3);
}

#[test]
fn import_preview_reports_each_record_and_modes() {
    let existing = vec![group("a")];
    let text = r#"{"Groups": [
        {"Group": {"GroupArn": "", "Name": "a", "Description": "new words"}, "GroupQuery": {"GroupName": "a", "ResourceQuery": {"Type": "TAG_FILTERS_1_0", "Query": "{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"}}, "Tags": {"Team": "Platform"}},
        {"Group": {"GroupArn": "", "Name": "prod-123456789012"}, "GroupQuery": {"GroupName": "x", "ResourceQuery": {"Type": "TAG_FILTERS_1_0", "Query": "{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"k\"}]}"}}},
        {"Group": {"GroupArn": "", "Name": "noquery"}},
        {"Group": {"GroupArn": "", "Name": "fresh"}, "GroupQuery": {"GroupName": "fresh", "ResourceQuery": {"Type": "TAG_FILTERS_1_0", "Query": "{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"k\"}]}"}}}
    ]}"#;
    let p = preview_import(text, &existing).unwrap();
    assert_eq!(p.changed.len(), 1);
    assert_eq!(p.new.len(), 1);
    assert_eq!(
        p.rejected.iter().map(|r| r.record).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(p.rejected[0].name, None, "a flagged name is not repeated");
    assert!(p.rejected[0].reasons[0].contains("AWS account ID"));
    assert!(import_batch(&p, &existing, ImportMode::AllOrNothing, 9).is_err());
    let b = import_batch(&p, &existing, ImportMode::ValidOnly, 9).unwrap();
    let puts = b.ops.iter().filter(|op| matches!(op, Op::PutGroup(_)));
    assert_eq!(puts.count(), 2);
    // Each put is conditional on the group being as the preview saw it.
    let expects = b
        .ops
        .iter()
        .filter(|op| matches!(op, Op::ExpectGroup { .. }));
    assert_eq!(expects.count(), 2);

    let err = preview_import("{\n  \"Groups\": [\n    {,\n  ]\n}", &[]).unwrap_err();
    assert_eq!((err.line, err.column), (3, 6));
}

// --- The store contract (tests/contract/store_contract.rs), on the in-memory store ------------

#[path = "contract/store_contract.rs"]
mod contract;

#[test]
fn contract_on_the_memory_store() {
    run(contract::groups_round_trip(&MemoryStore::new()));
    run(contract::batches_are_atomic_and_checked(&MemoryStore::new()));
    run(contract::creates_are_conditional(&MemoryStore::new()));
    run(contract::resources_settings_and_activity(
        &MemoryStore::new(),
    ));
    run(contract::sync_records(&MemoryStore::new()));
    run(contract::clear_all(&MemoryStore::new()));
}

#[test]
fn a_pull_replaces_its_regions_and_leaves_imports_alone() {
    let store = MemoryStore::new();
    let r = |arn: &str, v: &str| Resource::new(arn, None, vec![("環境".into(), v.into())]).unwrap();
    let regions = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    // An import, then a pull of two regions.
    run(store.apply(ops::import_resources(
        vec![r("arn:aws:s3:::imported", "x")],
        1,
    )))
    .unwrap();
    let first = vec![
        (
            "us-east-1".to_owned(),
            r("arn:aws:sqs:us-east-1:123456789012:a", "本番"),
        ),
        (
            "us-east-1".to_owned(),
            r("arn:aws:sqs:us-east-1:123456789012:b", "本番"),
        ),
        (
            "eu-west-1".to_owned(),
            r("arn:aws:sqs:eu-west-1:123456789012:c", "開発"),
        ),
    ];
    let existing = run(store.resources()).unwrap();
    let batch = ops::replace_pulled(
        &existing,
        &regions(&["us-east-1", "eu-west-1"]),
        first.clone(),
        2,
    )
    .unwrap();
    run(store.apply(batch)).unwrap();
    let after = run(store.resources()).unwrap();
    assert_eq!(after.len(), 4);
    assert_eq!(after[0].pulled_from, None, "the import is kept apart");
    assert!(after[1..].iter().all(|x| x.pulled_from.is_some()));
    // The same pull again changes nothing.
    assert!(ops::replace_pulled(&after, &regions(&["us-east-1", "eu-west-1"]), first, 3).is_none());
    // A new pull of us-east-1 only: b is gone there, a changed; eu-west-1 and the import stay.
    let second = vec![(
        "us-east-1".to_owned(),
        r("arn:aws:sqs:us-east-1:123456789012:a", "開発"),
    )];
    let batch = ops::replace_pulled(&after, &regions(&["us-east-1"]), second, 4).unwrap();
    assert_eq!(batch.events[0].source, Source::Sync);
    run(store.apply(batch)).unwrap();
    let arns: Vec<(String, Option<String>)> = run(store.resources())
        .unwrap()
        .into_iter()
        .map(|x| (x.arn, x.pulled_from))
        .collect();
    assert_eq!(
        arns,
        [
            ("arn:aws:s3:::imported".to_owned(), None),
            (
                "arn:aws:sqs:eu-west-1:123456789012:c".to_owned(),
                Some("eu-west-1".to_owned())
            ),
            (
                "arn:aws:sqs:us-east-1:123456789012:a".to_owned(),
                Some("us-east-1".to_owned())
            ),
        ]
    );
}
