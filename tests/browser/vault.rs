//! Encryption at rest in a real browser: the raw database holds none of what was entered, a
//! reopened store is locked and a wrong passphrase reads nothing, writes of every kind work
//! encrypted, a ciphertext moved onto another record does not decrypt, a tab that missed the
//! switch cannot write, the passphrase changes without touching a record, turning off gives
//! the same data back, and an interrupted switch finishes without loss.

use group_console::model::Resource;
use group_console::store::backup::Contents;
use group_console::store::idb::IdbStore;
use group_console::store::vault::{VaultFailure, VaultStatus};
use group_console::store::{
    ops, ActivityEvent, Batch, EventName, Op, OutboxEntry, RecordKind, Source, Store, StoreError,
    Tombstone,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::util::{fresh_name, group};

const PASS: &str = "correct horse battery staple";

#[wasm_bindgen(module = "/tests/browser/raw.js")]
extern "C" {
    fn rawDump(name: &str) -> js_sys::Promise;
    fn rawSwap(name: &str, store: &str, a: &str, b: &str) -> js_sys::Promise;
    fn storedKeys(name: &str, store: &str) -> js_sys::Promise;
}

async fn dump(name: &str) -> String {
    wasm_bindgen_futures::JsFuture::from(rawDump(name))
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

async fn keys_of(name: &str, store: &str) -> Vec<String> {
    let list: js_sys::Array = wasm_bindgen_futures::JsFuture::from(storedKeys(name, store))
        .await
        .unwrap()
        .into();
    list.iter().filter_map(|k| k.as_string()).collect()
}

/// What each test enters: non-ASCII everywhere, every kind of record.
const SECRETS: [&str; 9] = [
    "Plans for 2027 - not for release",
    "環境",
    "本番ステージ",
    "payroll-layoffs",
    "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc",
    "Kostenstelle",
    "Équipe",
    "sync.example.net",
    "conflict-only-secret",
];

async fn seeded(name: &str) -> IdbStore {
    let store = IdbStore::open(name, |_| {}).await.unwrap();
    let mut g = group("payroll-layoffs");
    g.description = SECRETS[0].into();
    g.tags.insert(SECRETS[1].into(), SECRETS[2].into());
    let mut other = group("web-prod");
    other.tags.insert("Équipe".into(), "Ünïcode".into());
    let mut deleted = group("old-stack");
    deleted.description = "gone but restorable".into();
    let mut base = group("web-prod");
    base.description = "conflict-only-secret".into();
    let r = Resource::new(
        SECRETS[4],
        None,
        vec![("Kostenstelle".into(), "4711".into())],
    )
    .unwrap();
    let batch = Batch {
        ops: vec![
            Op::PutGroup(g.clone()),
            Op::PutGroup(other),
            Op::PutResource(r),
            Op::PutSetting(
                "sync.endpoint".into(),
                "custom:https://sync.example.net".into(),
            ),
            Op::Enqueue(OutboxEntry::new("payroll-layoffs", "CreateGroup", 5)),
            Op::PutBase(base),
            Op::PutTombstone(Tombstone {
                group: deleted,
                deleted_at: 7,
                by: Default::default(),
            }),
        ],
        events: vec![ActivityEvent::new(
            9,
            EventName::CreateGroup,
            Some("payroll-layoffs"),
            Source::Local,
        )],
        bulk: false,
    };
    store.apply(batch).await.unwrap();
    store
}

fn without_vault_events(mut c: Contents) -> Contents {
    c.activity.retain(|e| {
        !matches!(
            e.event_name,
            EventName::EncryptionOn | EventName::EncryptionOff | EventName::ChangePassphrase
        )
    });
    c
}

#[wasm_bindgen_test]
async fn encrypted_data_keeps_nothing_readable_and_reads_back_whole() {
    let name = fresh_name("vault");
    let store = seeded(&name).await;
    let before = Contents::read(&store).await.unwrap();
    let plain = dump(&name).await;
    for s in SECRETS.iter().take(8) {
        assert!(plain.contains(s), "the plain store holds {s}");
    }
    store.turn_on(PASS, 100).await.unwrap();
    assert_eq!(store.vault_status(), VaultStatus::Unlocked);
    let raw = dump(&name).await;
    for s in SECRETS {
        assert!(!raw.contains(s), "the encrypted store shows {s}");
    }
    // Group names are encrypted too: the keys are opaque.
    for k in keys_of(&name, "groups").await {
        assert_eq!(k.chars().count(), 22, "{k}");
    }
    let after = Contents::read(&store).await.unwrap();
    assert_eq!(without_vault_events(after.clone()), before);
    assert!(after
        .activity
        .iter()
        .any(|e| e.event_name == EventName::EncryptionOn));
    store.close();

    // A new tab: locked; nothing reads, nothing writes, a wrong passphrase reads nothing.
    let again = IdbStore::open(&name, |_| {}).await.unwrap();
    assert_eq!(again.vault_status(), VaultStatus::Locked);
    assert_eq!(again.groups().await, Err(StoreError::Locked));
    assert_eq!(again.resources().await, Err(StoreError::Locked));
    assert_eq!(
        again.setting("sync.endpoint").await,
        Err(StoreError::Locked)
    );
    assert_eq!(
        again
            .apply(ops::create_group(None, group("x"), 1, Source::Local).unwrap())
            .await,
        Err(StoreError::Locked)
    );
    assert_eq!(
        again.unlock("correct horse battery stapler").await,
        Err(VaultFailure::WrongPassphrase)
    );
    assert_eq!(again.vault_status(), VaultStatus::Locked);
    let kdf_ms = again.unlock(PASS).await.unwrap();
    assert!(kdf_ms > 0.0);
    assert_eq!(
        without_vault_events(Contents::read(&again).await.unwrap()),
        before
    );
    assert_eq!(
        again.setting("sync.endpoint").await.unwrap().as_deref(),
        Some("custom:https://sync.example.net")
    );
    assert_eq!(
        again
            .group("payroll-layoffs")
            .await
            .unwrap()
            .unwrap()
            .description,
        SECRETS[0]
    );
    assert!(again.quarantine(&RecordKind::ALL).await.unwrap().is_empty());
    again.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn every_kind_of_write_works_encrypted() {
    let name = fresh_name("vault");
    let store = seeded(&name).await;
    store.turn_on(PASS, 100).await.unwrap();
    // Create, then change with the right and with a stale precondition.
    let mut g = group("ny-stack");
    g.description = "brand new secret".into();
    store
        .apply(ops::create_group(None, g.clone(), 200, Source::Local).unwrap())
        .await
        .unwrap();
    let stored = store.group("ny-stack").await.unwrap().unwrap();
    let mut changed = stored.clone();
    changed.description = "changed secret".into();
    store
        .apply(ops::update_group(&stored, changed.clone(), 300, Source::Local).unwrap())
        .await
        .unwrap();
    // A write that read the old copy is refused.
    let mut stale = stored.clone();
    stale.description = "lost update".into();
    assert!(matches!(
        store
            .apply(ops::update_group(&stored, stale, 400, Source::Local).unwrap())
            .await,
        Err(StoreError::Changed(_))
    ));
    assert_eq!(
        store.group("ny-stack").await.unwrap().unwrap().description,
        "changed secret"
    );
    // Resources: add many (several blocks), change one, delete one.
    let many: Vec<Op> = (0..600)
        .map(|i| {
            Op::PutResource(
                Resource::new(
                    &format!("arn:aws:s3:::bucket-{i:04}-données"),
                    None,
                    vec![("Owner".into(), format!("équipe-{i}"))],
                )
                .unwrap(),
            )
        })
        .collect();
    store
        .apply(Batch {
            ops: many,
            events: vec![],
            bulk: true,
        })
        .await
        .unwrap();
    store
        .apply(Batch {
            ops: vec![
                Op::DeleteResource("arn:aws:s3:::bucket-0007-données".into()),
                Op::PutResource(
                    Resource::new(
                        "arn:aws:s3:::bucket-0008-données",
                        None,
                        vec![("Owner".into(), "changed".into())],
                    )
                    .unwrap(),
                ),
            ],
            events: vec![],
            bulk: false,
        })
        .await
        .unwrap();
    let all = store.resources().await.unwrap();
    assert_eq!(all.len(), 600);
    assert!(!all.iter().any(|r| r.arn.contains("bucket-0007")));
    assert_eq!(
        all.iter()
            .find(|r| r.arn.contains("bucket-0008"))
            .unwrap()
            .tags,
        vec![("Owner".to_string(), "changed".to_string())]
    );
    let raw = dump(&name).await;
    for s in ["bucket-0001", "équipe-3", "changed secret", "ny-stack"] {
        assert!(!raw.contains(s), "{s}");
    }
    // Delete, outbox settled, setting written.
    let ny = store.group("ny-stack").await.unwrap().unwrap();
    store
        .apply(ops::delete_groups(
            std::slice::from_ref(&ny.name),
            500,
            Source::Local,
        ))
        .await
        .unwrap();
    assert_eq!(store.group("ny-stack").await.unwrap(), None);
    let seq = store.sync_state().await.unwrap().outbox[0].seq;
    assert!(seq > 0);
    store
        .apply(Batch {
            ops: vec![
                Op::Dequeue(seq),
                Op::PutSetting("finder.saved".into(), "[]".into()),
            ],
            events: vec![],
            bulk: false,
        })
        .await
        .unwrap();
    assert!(store.sync_state().await.unwrap().outbox.is_empty());
    assert_eq!(
        store.setting("finder.saved").await.unwrap().as_deref(),
        Some("[]")
    );
    // The vault record cannot be written by a batch.
    assert!(matches!(
        store
            .apply(Batch {
                ops: vec![Op::PutSetting("vault".into(), "{}".into())],
                events: vec![],
                bulk: false
            })
            .await,
        Err(StoreError::Refused(_))
    ));
    store.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_moved_ciphertext_does_not_decrypt_and_is_set_aside() {
    let name = fresh_name("vault");
    let store = seeded(&name).await;
    store.turn_on(PASS, 100).await.unwrap();
    let keys = keys_of(&name, "groups").await;
    assert_eq!(keys.len(), 2);
    store.close();
    wasm_bindgen_futures::JsFuture::from(rawSwap(&name, "groups", &keys[0], &keys[1]))
        .await
        .unwrap();
    let again = IdbStore::open(&name, |_| {}).await.unwrap();
    again.unlock(PASS).await.unwrap();
    let (good, bad) = again.groups_and_quarantine().await.unwrap();
    assert!(good.is_empty());
    assert_eq!(bad.len(), 2);
    assert!(bad.iter().all(|q| keys.contains(&q.key)));
    // A switch would lose them: refused until they are dealt with.
    assert_eq!(
        again.turn_off(PASS, 5).await,
        Err(VaultFailure::Quarantined(2))
    );
    // Deleting one by its stored key works.
    again
        .apply(Batch {
            ops: vec![Op::DeleteQuarantined(RecordKind::Group, keys[0].clone())],
            events: vec![],
            bulk: false,
        })
        .await
        .unwrap();
    assert_eq!(again.groups_and_quarantine().await.unwrap().1.len(), 1);
    again.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_tab_that_missed_the_switch_cannot_write() {
    let name = fresh_name("vault");
    let a = seeded(&name).await;
    let b = IdbStore::open(&name, |_| {}).await.unwrap();
    a.turn_on(PASS, 100).await.unwrap();
    assert_eq!(
        b.apply(ops::create_group(None, group("late"), 1, Source::Local).unwrap())
            .await,
        Err(StoreError::VaultChanged)
    );
    // Nor read encrypted records as if they were plain.
    assert_eq!(b.groups().await, Err(StoreError::VaultChanged));
    a.turn_off(PASS, 200).await.unwrap();
    let c = IdbStore::open(&name, |_| {}).await.unwrap();
    assert_eq!(c.vault_status(), VaultStatus::Plain);
    assert_eq!(c.groups().await.unwrap().len(), 2);
    // `a`, now plain, writes as before; the tab that saw it encrypted cannot.
    a.apply(ops::create_group(None, group("after"), 1, Source::Local).unwrap())
        .await
        .unwrap();
    for s in [&a, &b, &c] {
        s.close();
    }
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_passphrase_changes_and_turning_off_gives_everything_back() {
    let name = fresh_name("vault");
    let store = seeded(&name).await;
    let before = Contents::read(&store).await.unwrap();
    store.turn_on(PASS, 100).await.unwrap();
    let groups_raw = dump(&name).await;
    assert_eq!(
        store
            .change_passphrase("not the passphrase", "a brand new passphrase", 200)
            .await,
        Err(VaultFailure::WrongPassphrase)
    );
    store
        .change_passphrase(PASS, "a brand new passphrase ✓", 200)
        .await
        .unwrap();
    // Only the vault record (and the log's event) changed: the groups are the same bytes.
    let group_lines = |dump: &str| -> Vec<String> {
        dump.lines()
            .filter(|l| l.starts_with("groups "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(group_lines(&dump(&name).await), group_lines(&groups_raw));
    store.close();
    let again = IdbStore::open(&name, |_| {}).await.unwrap();
    assert_eq!(again.unlock(PASS).await, Err(VaultFailure::WrongPassphrase));
    again.unlock("a brand new passphrase ✓").await.unwrap();
    assert_eq!(
        again.turn_off(PASS, 300).await,
        Err(VaultFailure::WrongPassphrase)
    );
    again
        .turn_off("a brand new passphrase ✓", 300)
        .await
        .unwrap();
    assert_eq!(again.vault_status(), VaultStatus::Plain);
    assert_eq!(
        without_vault_events(Contents::read(&again).await.unwrap()),
        before
    );
    let raw = dump(&name).await;
    assert!(raw.contains(SECRETS[0]));
    assert!(!raw.contains("dataKey"));
    again.close();
    let plain = IdbStore::open(&name, |_| {}).await.unwrap();
    assert_eq!(plain.vault_status(), VaultStatus::Plain);
    assert_eq!(plain.groups().await.unwrap().len(), 2);
    plain.close();
    IdbStore::delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn an_interrupted_switch_leaves_the_data_whole_and_finishes_later() {
    let name = fresh_name("vault");
    let store = seeded(&name).await;
    let before = Contents::read(&store).await.unwrap();
    // The tab closes after the keys were stored, before the switch committed.
    store.start_turn_on(PASS, 100).await.unwrap();
    store.close();
    let again = IdbStore::open(&name, |_| {}).await.unwrap();
    assert_eq!(again.vault_status(), VaultStatus::Interrupted);
    // Still plain and whole, and usable.
    assert_eq!(Contents::read(&again).await.unwrap(), before);
    assert_eq!(
        again.finish_turn_on("wrong one entirely", 200).await,
        Err(VaultFailure::WrongPassphrase)
    );
    again.finish_turn_on(PASS, 200).await.unwrap();
    assert_eq!(again.vault_status(), VaultStatus::Unlocked);
    assert!(!dump(&name).await.contains(SECRETS[0]));
    assert_eq!(
        without_vault_events(Contents::read(&again).await.unwrap()),
        before
    );
    again.close();
    let third = IdbStore::open(&name, |_| {}).await.unwrap();
    assert_eq!(third.vault_status(), VaultStatus::Locked);
    third.unlock(PASS).await.unwrap();
    assert_eq!(third.groups().await.unwrap().len(), 2);
    third.close();

    // Cancelling instead keeps the data plain.
    let other = fresh_name("vault");
    let s = seeded(&other).await;
    s.start_turn_on(PASS, 1).await.unwrap();
    s.close();
    let s = IdbStore::open(&other, |_| {}).await.unwrap();
    s.cancel_turn_on().await.unwrap();
    s.close();
    let s = IdbStore::open(&other, |_| {}).await.unwrap();
    assert_eq!(s.vault_status(), VaultStatus::Plain);
    assert_eq!(s.groups().await.unwrap().len(), 2);
    s.close();
    IdbStore::delete_database(&name).await.unwrap();
    IdbStore::delete_database(&other).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_tab_with_an_older_copy_of_the_keys_never_brings_the_old_passphrase_back() {
    let name = fresh_name("vault");
    let a = seeded(&name).await;
    a.turn_on(PASS, 100).await.unwrap();
    let b = IdbStore::open(&name, |_| {}).await.unwrap();
    b.unlock(PASS).await.unwrap();
    let locked = IdbStore::open(&name, |_| {}).await.unwrap();
    a.change_passphrase(PASS, "the new passphrase, long", 200)
        .await
        .unwrap();
    // `b` read the record before the change: its "delete all data" keeps the stored one.
    b.apply(Batch {
        ops: vec![Op::ClearAll],
        events: vec![],
        bulk: false,
    })
    .await
    .unwrap();
    // Nor do the old passphrase's operations work in it, or on a lock screen opened before.
    assert_eq!(
        b.turn_off(PASS, 300).await,
        Err(VaultFailure::WrongPassphrase)
    );
    assert_eq!(
        b.change_passphrase(PASS, "yet another passphrase", 300)
            .await,
        Err(VaultFailure::WrongPassphrase)
    );
    assert_eq!(
        locked.unlock(PASS).await,
        Err(VaultFailure::WrongPassphrase)
    );
    locked.unlock("the new passphrase, long").await.unwrap();
    let c = IdbStore::open(&name, |_| {}).await.unwrap();
    assert_eq!(c.unlock(PASS).await, Err(VaultFailure::WrongPassphrase));
    c.unlock("the new passphrase, long").await.unwrap();
    assert!(c.groups().await.unwrap().is_empty());
    for s in [&a, &b, &c, &locked] {
        s.close();
    }
    IdbStore::delete_database(&name).await.unwrap();
}
