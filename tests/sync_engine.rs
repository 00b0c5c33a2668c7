//! The sync engine's decisions against a scripted fake server and the in-memory store: outbox
//! order, idempotent replays, merges, conflicts and their resolution, failures mid-sync, and
//! server data that the model or the guard refuses.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};

use futures::executor::block_on;
use group_console::model::{Group, GroupField, ResourceQuery, TagFilter};
use group_console::store::{ops, ActivityFilter, MemoryStore, Source, Store};
use group_console::sync::api::RemoteError;
use group_console::sync::engine::{
    self, forget_backend, merge, merge_tags, resolve_conflict, with_outbox, Fetched, Keep, Listed,
    Merge, Progress, Remote, RunOptions,
};

/// A fake AWS Resource Groups server: groups in memory, a log of calls, and scripted failures
/// (`fail`: before the call; `lose`: the server applies the call but the answer is lost).
#[derive(Default)]
struct FakeServer {
    groups: RefCell<BTreeMap<String, Group>>,
    calls: RefCell<Vec<String>>,
    fail: RefCell<VecDeque<(String, RemoteError)>>,
    lose: RefCell<Vec<String>>,
    /// Server groups that come back invalid: name → reason.
    broken: RefCell<BTreeMap<String, String>>,
    /// When set, ListGroups gives ARNs in this account.
    account: RefCell<Option<String>>,
    /// Runs once, the next time a group is read: a person editing here while a sync runs.
    on_fetch: RefCell<Option<Box<dyn FnOnce()>>>,
}

impl FakeServer {
    fn call(&self, what: String) -> Result<(), RemoteError> {
        self.calls.borrow_mut().push(what.clone());
        let mut fail = self.fail.borrow_mut();
        if let Some(pos) = fail
            .iter()
            .position(|(op, _)| what.starts_with(op.as_str()))
        {
            return Err(fail.remove(pos).unwrap().1);
        }
        Ok(())
    }

    fn lost(&self, what: &str) -> Result<(), RemoteError> {
        let mut lose = self.lose.borrow_mut();
        if let Some(pos) = lose.iter().position(|op| what.starts_with(op.as_str())) {
            lose.remove(pos);
            return Err(RemoteError::Unreachable("connection reset".into()));
        }
        Ok(())
    }

    fn writes(&self) -> Vec<String> {
        self.calls
            .borrow()
            .iter()
            .filter(|c| !c.starts_with("Get") && !c.starts_with("List"))
            .cloned()
            .collect()
    }
}

impl Remote for FakeServer {
    async fn list(&self) -> Result<Vec<Listed>, RemoteError> {
        self.call("ListGroups".into())?;
        Ok(self
            .groups
            .borrow()
            .keys()
            .map(|n| Listed {
                name: n.clone(),
                arn: self
                    .account
                    .borrow()
                    .as_ref()
                    .map(|a| format!("arn:aws:resource-groups:us-east-1:{a}:group/{n}")),
                ..Listed::default()
            })
            .collect())
    }

    async fn fetch(&self, name: &str) -> Result<Option<Fetched>, RemoteError> {
        self.call(format!("GetGroup {name}"))?;
        let hook = self.on_fetch.borrow_mut().take();
        if let Some(hook) = hook {
            hook();
        }
        if let Some(why) = self.broken.borrow().get(name) {
            return Ok(Some(Fetched {
                name: name.into(),
                group: Err(why.clone()),
                as_read: None,
            }));
        }
        // As the real client does: a group the model or the guard blocks is refused, and
        // handed over as read for the audit.
        Ok(self
            .groups
            .borrow()
            .get(name)
            .map(|g| match g.blocking_errors().first() {
                Some(problem) => Fetched {
                    name: name.into(),
                    group: Err(problem.to_string()),
                    as_read: Some(g.clone()),
                },
                None => Fetched {
                    name: name.into(),
                    group: Ok(g.clone()),
                    as_read: None,
                },
            }))
    }

    async fn create(&self, g: &Group) -> Result<Option<String>, RemoteError> {
        let what = format!("CreateGroup {}", g.name);
        self.call(what.clone())?;
        if self.groups.borrow().contains_key(&g.name) {
            return Err(RemoteError::AlreadyExists);
        }
        let arn = format!(
            "arn:aws:resource-groups:us-east-1:000000000000:group/{}",
            g.name
        );
        let mut stored = g.clone();
        stored.arn = Some(arn.clone());
        (stored.created_at, stored.updated_at) = (0, 0);
        self.groups.borrow_mut().insert(g.name.clone(), stored);
        self.lost(&what)?;
        Ok(Some(arn))
    }

    async fn update(&self, base: &Group, new: &Group) -> Result<(), RemoteError> {
        let what = format!("UpdateGroup {}", new.name);
        self.call(what.clone())?;
        let mut groups = self.groups.borrow_mut();
        let g = groups.get_mut(&new.name).ok_or(RemoteError::NotFound)?;
        assert!(
            engine::same(Some(g), Some(base)),
            "updates start from the server's copy"
        );
        g.description = new.description.clone();
        g.display_name = new.display_name.clone();
        g.owner = new.owner.clone();
        // As the API: a criticality can be set or changed, never unset.
        g.criticality = new.criticality.or(g.criticality);
        g.spec = new.spec.clone();
        g.tags = new.tags.clone();
        drop(groups);
        self.lost(&what)
    }

    async fn delete(&self, name: &str) -> Result<(), RemoteError> {
        let what = format!("DeleteGroup {name}");
        self.call(what.clone())?;
        self.groups
            .borrow_mut()
            .remove(name)
            .ok_or(RemoteError::NotFound)?;
        self.lost(&what)
    }
}

fn group(name: &str, stage: &str) -> Group {
    let mut g = Group::new(
        name,
        ResourceQuery::tags(vec![TagFilter {
            key: "Stage".into(),
            values: vec![stage.into()],
        }]),
    );
    g.description = format!("notes on {name}");
    g.tags.insert("Team".into(), "A".into());
    g
}

/// A local change as the UI makes it in sync mode: the batch plus its outbox entries.
fn create_local(store: &MemoryStore, g: Group, now: i64) {
    let batch = ops::create_group(None, g, now, Source::Local).unwrap();
    block_on(store.apply(with_outbox(batch, now))).unwrap();
}

fn update_local(store: &MemoryStore, new: Group, now: i64) {
    let old = block_on(store.group(&new.name)).unwrap().unwrap();
    let batch = ops::update_group(&old, new, now, Source::Local).unwrap();
    block_on(store.apply(with_outbox(batch, now))).unwrap();
}

fn delete_local(store: &MemoryStore, name: &str, now: i64) {
    let batch = ops::delete_groups(&[name.to_owned()], now, Source::Local);
    block_on(store.apply(with_outbox(batch, now))).unwrap();
}

fn sync(store: &MemoryStore, server: &FakeServer) -> Result<engine::Report, engine::SyncError> {
    block_on(engine::run(
        store,
        server,
        1_000,
        RunOptions {
            concurrency: 3,
            chunk: 2,
            allow_mass_deletion: false,
        },
        &|_: Progress| {},
    ))
}

fn local(store: &MemoryStore, name: &str) -> Option<Group> {
    block_on(store.group(name)).unwrap()
}

fn outbox_len(store: &MemoryStore) -> usize {
    block_on(store.sync_state()).unwrap().outbox.len()
}

#[test]
fn offline_creates_are_pushed_in_order_and_the_outbox_empties() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    for (i, n) in ["gamma", "alpha", "beta"].iter().enumerate() {
        create_local(&store, group(n, "Prod"), i as i64);
    }
    assert_eq!(outbox_len(&store), 3);
    let report = sync(&store, &server).unwrap();
    assert_eq!(report.pushed, 3);
    assert_eq!(
        server.writes(),
        ["CreateGroup gamma", "CreateGroup alpha", "CreateGroup beta"]
    );
    assert_eq!(outbox_len(&store), 0);
    let state = block_on(store.sync_state()).unwrap();
    assert_eq!(state.bases.len(), 3);
    assert!(state.bases["alpha"]
        .arn
        .as_deref()
        .unwrap()
        .ends_with("group/alpha"));
    // A second sync changes nothing and writes nothing.
    server.calls.borrow_mut().clear();
    let report = sync(&store, &server).unwrap();
    assert_eq!((report.pushed, report.pulled), (0, 0));
    assert!(server.writes().is_empty());
}

#[test]
fn a_gate_that_says_no_holds_the_push_and_says_what_it_would_send_while_the_pull_runs() {
    use group_console::sync::outgoing::{Outgoing, SentField};
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    let mut web = group("web", "Prod");
    web.description = "Front end".into();
    create_local(&store, web, 1);
    server
        .groups
        .borrow_mut()
        .insert("theirs".into(), group("theirs", "Test"));
    let seen = RefCell::new(None::<Outgoing>);
    let held = block_on(engine::run_gated(
        &store,
        &server,
        1_000,
        RunOptions::default(),
        &|_: Progress| {},
        &|o: &Outgoing| {
            *seen.borrow_mut() = Some(o.clone());
            false
        },
    ))
    .unwrap();
    // Nothing was sent; the server's group came in; the change waits in the outbox.
    assert!(server.writes().is_empty(), "{:?}", server.writes());
    assert!(local(&store, "theirs").is_some());
    assert_eq!(outbox_len(&store), 1);
    let o = held.held.expect("held");
    assert_eq!(Some(&o), seen.borrow().as_ref());
    assert_eq!(o.groups[0].name, "web");
    // The test groups carry a tag.
    assert_eq!(
        o.groups[0].fields,
        [
            SentField::Name,
            SentField::Description,
            SentField::Query,
            SentField::Tags
        ]
    );
    assert!(held.sent.is_empty());
    // Agreed: the same push goes, and the report says what was sent.
    let report = block_on(engine::run_gated(
        &store,
        &server,
        1_000,
        RunOptions::default(),
        &|_: Progress| {},
        &|_| true,
    ))
    .unwrap();
    assert_eq!(server.writes(), ["CreateGroup web"]);
    assert_eq!(report.held, None);
    assert_eq!(report.sent.len(), 1);
    assert_eq!(report.sent[0].fields, o.groups[0].fields);
}

#[test]
fn several_edits_of_one_group_go_out_as_one_and_create_then_delete_sends_nothing() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    let mut g = local(&store, "web").unwrap();
    g.tags.insert("Cost".into(), "1".into());
    update_local(&store, g, 2);
    create_local(&store, group("tmp", "Prod"), 3);
    delete_local(&store, "tmp", 4);
    assert_eq!(outbox_len(&store), 4);
    sync(&store, &server).unwrap();
    assert_eq!(server.writes(), ["CreateGroup web"]);
    assert_eq!(server.groups.borrow()["web"].tags["Cost"], "1");
    assert_eq!(outbox_len(&store), 0);
}

#[test]
fn server_changes_are_pulled_and_deletions_follow() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    server
        .groups
        .borrow_mut()
        .insert("remote".into(), group("remote", "Prod"));
    let report = sync(&store, &server).unwrap();
    assert_eq!(report.pulled, 1);
    assert_eq!(
        local(&store, "remote").unwrap().description,
        "notes on remote"
    );
    // Changed on the server, unchanged here: taken.
    server
        .groups
        .borrow_mut()
        .get_mut("remote")
        .unwrap()
        .description = "edited remotely".into();
    sync(&store, &server).unwrap();
    assert_eq!(
        local(&store, "remote").unwrap().description,
        "edited remotely"
    );
    // Deleted on the server, unchanged here: deleted here.
    server.groups.borrow_mut().remove("remote");
    sync(&store, &server).unwrap();
    assert_eq!(local(&store, "remote"), None);
    let events = block_on(store.activity(&ActivityFilter::default())).unwrap();
    let names: Vec<(&str, Source)> = events
        .iter()
        .map(|e| (e.event_name.as_str(), e.source))
        .collect();
    assert_eq!(
        names,
        [
            ("DeleteGroup", Source::Sync),
            ("UpdateGroup", Source::Sync),
            ("CreateGroup", Source::Sync)
        ]
    );
    assert!(events
        .iter()
        .all(|e| !format!("{e:?}").contains("edited remotely")));
    // Nothing the server sent was queued to go back.
    assert_eq!(outbox_len(&store), 0);
    assert!(server.writes().is_empty());
}

#[test]
fn local_edits_and_deletes_are_pushed_when_the_server_did_not_change() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    create_local(&store, group("db", "Prod"), 1);
    sync(&store, &server).unwrap();
    let mut g = local(&store, "web").unwrap();
    g.description = "new notes".into();
    g.tags.remove("Team");
    update_local(&store, g, 2);
    delete_local(&store, "db", 3);
    server.calls.borrow_mut().clear();
    sync(&store, &server).unwrap();
    assert_eq!(server.writes(), ["UpdateGroup web", "DeleteGroup db"]);
    let s = server.groups.borrow();
    assert_eq!(s["web"].description, "new notes");
    assert!(s["web"].tags.is_empty());
    assert!(!s.contains_key("db"));
}

#[test]
fn different_fields_changed_on_both_sides_are_merged() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    sync(&store, &server).unwrap();
    let mut g = local(&store, "web").unwrap();
    g.description = "mine".into();
    g.tags.insert("Owner".into(), "me".into());
    update_local(&store, g, 2);
    {
        let mut s = server.groups.borrow_mut();
        let r = s.get_mut("web").unwrap();
        r.spec = group("web", "Test").spec;
        r.tags.insert("Cost".into(), "7".into());
    }
    let report = sync(&store, &server).unwrap();
    assert!(report.conflicts.is_empty());
    let l = local(&store, "web").unwrap();
    let r = server.groups.borrow()["web"].clone();
    assert!(engine::same(Some(&l), Some(&r)), "{l:?} vs {r:?}");
    assert_eq!(l.description, "mine");
    assert_eq!(l.spec, group("web", "Test").spec);
    assert_eq!(l.tags.keys().collect::<Vec<_>>(), ["Cost", "Owner", "Team"]);
    assert_eq!(outbox_len(&store), 0);
}

fn conflicted(store: &MemoryStore, server: &FakeServer) {
    create_local(store, group("web", "Prod"), 1);
    sync(store, server).unwrap();
    let mut g = local(store, "web").unwrap();
    g.description = "mine".into();
    update_local(store, g, 2);
    server
        .groups
        .borrow_mut()
        .get_mut("web")
        .unwrap()
        .description = "theirs".into();
    let report = sync(store, server).unwrap();
    assert_eq!(report.conflicts, ["web"]);
    let state = block_on(store.sync_state()).unwrap();
    assert_eq!(state.conflicts["web"].fields, [GroupField::Description]);
    // Never silently overwritten: both sides keep their text.
    assert_eq!(local(store, "web").unwrap().description, "mine");
    assert_eq!(server.groups.borrow()["web"].description, "theirs");
    // A conflict stays put across syncs.
    sync(store, server).unwrap();
    assert_eq!(server.groups.borrow()["web"].description, "theirs");
}

fn resolve(store: &MemoryStore, keep: Keep, choices: &[(GroupField, Keep)]) {
    let state = block_on(store.sync_state()).unwrap();
    let batch = resolve_conflict(
        local(store, "web").as_ref(),
        &state.conflicts["web"],
        &state,
        keep,
        &choices.iter().copied().collect(),
        5,
    );
    block_on(store.apply(batch)).unwrap();
}

#[test]
fn a_conflict_resolved_keeping_mine_goes_to_the_server() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    conflicted(&store, &server);
    resolve(&store, Keep::Mine, &[]);
    sync(&store, &server).unwrap();
    assert_eq!(server.groups.borrow()["web"].description, "mine");
    assert_eq!(local(&store, "web").unwrap().description, "mine");
    let state = block_on(store.sync_state()).unwrap();
    assert!(state.conflicts.is_empty() && state.outbox.is_empty());
}

#[test]
fn a_conflict_resolved_keeping_theirs_is_taken_here() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    conflicted(&store, &server);
    resolve(&store, Keep::Theirs, &[]);
    assert_eq!(local(&store, "web").unwrap().description, "theirs");
    assert_eq!(outbox_len(&store), 0);
    server.calls.borrow_mut().clear();
    sync(&store, &server).unwrap();
    assert!(server.writes().is_empty());
    assert!(block_on(store.sync_state()).unwrap().conflicts.is_empty());
}

#[test]
fn a_conflict_resolved_field_by_field() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    conflicted(&store, &server);
    // Also a tag both changed differently.
    let mut g = local(&store, "web").unwrap();
    g.tags.insert("Team".into(), "Mine".into());
    update_local(&store, g, 3);
    server
        .groups
        .borrow_mut()
        .get_mut("web")
        .unwrap()
        .tags
        .insert("Team".into(), "Theirs".into());
    sync(&store, &server).unwrap();
    let fields = block_on(store.sync_state()).unwrap().conflicts["web"]
        .fields
        .clone();
    assert_eq!(
        fields,
        [GroupField::Description, GroupField::Tags],
        "the conflict follows the server"
    );
    resolve(
        &store,
        Keep::Mine,
        &[
            (GroupField::Description, Keep::Theirs),
            (GroupField::Tags, Keep::Mine),
        ],
    );
    sync(&store, &server).unwrap();
    let r = server.groups.borrow()["web"].clone();
    assert_eq!(r.description, "theirs");
    assert_eq!(r.tags["Team"], "Mine");
    assert!(engine::same(Some(&r), local(&store, "web").as_ref()));
}

/// Display name, owner and criticality merge field by field: a display name changed here and
/// a criticality changed on the server both land; an owner changed differently on both sides
/// is the only conflict, and resolving it keeps the other fields' merge.
#[test]
fn labels_merge_field_by_field_and_a_conflict_on_the_owner_alone_is_resolved_alone() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    let mut g = group("web", "Prod");
    g.owner = "team-web".into();
    g.criticality = Some(5);
    create_local(&store, g, 1);
    sync(&store, &server).unwrap();
    assert_eq!(server.groups.borrow()["web"].owner, "team-web");

    let mut mine = local(&store, "web").unwrap();
    mine.display_name = "ウェブ 本番".into();
    mine.owner = "Équipe web".into();
    update_local(&store, mine, 2);
    {
        let mut s = server.groups.borrow_mut();
        let r = s.get_mut("web").unwrap();
        r.criticality = Some(1);
        r.owner = "platform@example.com".into();
    }
    let report = sync(&store, &server).unwrap();
    assert_eq!(report.conflicts, ["web"]);
    let state = block_on(store.sync_state()).unwrap();
    assert_eq!(state.conflicts["web"].fields, [GroupField::Owner]);

    resolve(&store, Keep::Mine, &[(GroupField::Owner, Keep::Theirs)]);
    sync(&store, &server).unwrap();
    let r = server.groups.borrow()["web"].clone();
    let l = local(&store, "web").unwrap();
    assert!(engine::same(Some(&r), Some(&l)), "{l:?} vs {r:?}");
    assert_eq!(l.display_name, "ウェブ 本番", "my display name went out");
    assert_eq!(l.owner, "platform@example.com", "their owner was kept");
    assert_eq!(l.criticality, Some(1), "their criticality came in");
    assert!(block_on(store.sync_state()).unwrap().conflicts.is_empty());
    assert_eq!(outbox_len(&store), 0);
}

#[test]
fn the_application_tag_is_the_servers_and_never_a_conflict() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    sync(&store, &server).unwrap();
    let app =
        "arn:aws:resource-groups:us-east-1:123456789012:group/shop/0a1b2c3d4e5f6g7h8i9j0k1l2m";
    let mut mine = local(&store, "web").unwrap();
    mine.description = "mine".into();
    update_local(&store, mine, 2);
    server
        .groups
        .borrow_mut()
        .get_mut("web")
        .unwrap()
        .application_tag
        .insert("awsApplication".into(), app.into());
    let report = sync(&store, &server).unwrap();
    assert!(report.conflicts.is_empty());
    let l = local(&store, "web").unwrap();
    assert_eq!(l.description, "mine");
    assert_eq!(l.application_tag["awsApplication"], app);
}

#[test]
fn delete_against_edit_is_a_conflict_both_ways() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("a", "Prod"), 1);
    create_local(&store, group("b", "Prod"), 1);
    sync(&store, &server).unwrap();
    // a: edited here, deleted there. b: deleted here, edited there.
    let mut g = local(&store, "a").unwrap();
    g.description = "edited".into();
    update_local(&store, g, 2);
    server.groups.borrow_mut().remove("a");
    delete_local(&store, "b", 2);
    server.groups.borrow_mut().get_mut("b").unwrap().description = "edited there".into();
    let report = sync(&store, &server).unwrap();
    assert_eq!(report.conflicts, ["a", "b"]);
    let state = block_on(store.sync_state()).unwrap();
    assert_eq!(state.conflicts["a"].remote, None);
    assert_eq!(state.conflicts["a"].fields, [GroupField::Group]);
    assert!(state.conflicts["b"].remote.is_some());
    assert!(local(&store, "a").is_some() && server.groups.borrow().contains_key("b"));
    // Keep mine for a (re-created there), theirs for b (restored here).
    let batch = resolve_conflict(
        local(&store, "a").as_ref(),
        &state.conflicts["a"],
        &state,
        Keep::Mine,
        &BTreeMap::new(),
        3,
    );
    block_on(store.apply(batch)).unwrap();
    let state = block_on(store.sync_state()).unwrap();
    let batch = resolve_conflict(
        None,
        &state.conflicts["b"],
        &state,
        Keep::Theirs,
        &BTreeMap::new(),
        3,
    );
    block_on(store.apply(batch)).unwrap();
    sync(&store, &server).unwrap();
    assert_eq!(server.groups.borrow()["a"].description, "edited");
    assert_eq!(local(&store, "b").unwrap().description, "edited there");
    let state = block_on(store.sync_state()).unwrap();
    assert!(state.conflicts.is_empty() && state.outbox.is_empty());
}

#[test]
fn a_failure_mid_push_keeps_the_rest_and_a_replay_neither_loses_nor_duplicates() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    for n in ["a", "b", "c", "d", "e"] {
        create_local(&store, group(n, "Prod"), 1);
    }
    // c reaches the server but its answer is lost; d fails outright (after the client's
    // retries, as far as the engine knows).
    server.lose.borrow_mut().push("CreateGroup c".into());
    server.fail.borrow_mut().push_back((
        "CreateGroup d".into(),
        RemoteError::Unreachable("offline".into()),
    ));
    let err = sync(&store, &server).unwrap_err();
    assert!(err.to_string().contains("could not be reached"), "{err}");
    let pending: Vec<String> = block_on(store.sync_state())
        .unwrap()
        .outbox
        .iter()
        .map(|e| e.group_name.clone())
        .collect();
    assert_eq!(
        pending,
        ["c", "d", "e"],
        "only confirmed entries leave the outbox"
    );
    // The server is back: c answers "already exists" and is reconciled by comparing.
    let report = sync(&store, &server).unwrap();
    assert!(report.conflicts.is_empty(), "{report:?}");
    assert_eq!(outbox_len(&store), 0);
    assert_eq!(server.groups.borrow().len(), 5);
    let creates_of_c = server
        .calls
        .borrow()
        .iter()
        .filter(|c| *c == "CreateGroup c")
        .count();
    assert_eq!(creates_of_c, 2);
    assert_eq!(block_on(store.groups()).unwrap().len(), 5);
}

#[test]
fn a_create_that_meets_a_different_group_of_the_same_name_is_a_conflict() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    server
        .groups
        .borrow_mut()
        .insert("web".into(), group("web", "Test"));
    create_local(&store, group("web", "Prod"), 1);
    let report = sync(&store, &server).unwrap();
    assert_eq!(report.conflicts, ["web"]);
    let state = block_on(store.sync_state()).unwrap();
    assert_eq!(state.conflicts["web"].fields, [GroupField::ResourceQuery]);
    assert_eq!(
        server.groups.borrow()["web"].spec,
        group("web", "Test").spec
    );
}

#[test]
fn invalid_or_flagged_server_groups_are_reported_and_not_stored() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    server
        .groups
        .borrow_mut()
        .insert("ok".into(), group("ok", "Prod"));
    server
        .groups
        .borrow_mut()
        .insert("bad".into(), group("bad", "Prod"));
    server
        .broken
        .borrow_mut()
        .insert("bad".into(), "Name: contains an AWS account ID".into());
    let report = sync(&store, &server).unwrap();
    assert_eq!(
        report.rejected,
        [(
            "bad".to_owned(),
            "Name: contains an AWS account ID".to_owned()
        )]
    );
    assert!(local(&store, "ok").is_some());
    assert!(local(&store, "bad").is_none());
    // Refused for an invalid answer, not for what it holds: nothing to audit.
    assert!(report.rejected_groups.is_empty());
}

#[test]
fn server_groups_refused_for_what_they_hold_are_handed_over_for_the_audit_and_never_stored() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    let mut carded = group("billing", "Prod");
    carded
        .tags
        .insert("Card".into(), "4111 1111 1111 1111".into());
    for g in [
        group("web-123456789012", "Prod"),
        carded,
        group("ok", "Prod"),
    ] {
        server.groups.borrow_mut().insert(g.name.clone(), g);
    }
    let report = sync(&store, &server).unwrap();
    let mut names: Vec<&str> = report.rejected.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["billing", "web-123456789012"]);
    let mut held: Vec<&str> = report
        .rejected_groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    held.sort_unstable();
    assert_eq!(held, names);
    // The card number is in what is held (so the audit can say where), and nowhere stored.
    assert!(report
        .rejected_groups
        .iter()
        .any(|g| g.tags.get("Card").is_some_and(|v| v.starts_with("4111"))));
    assert!(local(&store, "billing").is_none());
    assert!(local(&store, "web-123456789012").is_none());
    let state = block_on(store.sync_state()).unwrap();
    assert!(!state.bases.contains_key("billing"));
    assert!(local(&store, "ok").is_some());
}

#[test]
fn credentials_errors_stop_the_run_and_keep_everything() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("a", "Prod"), 1);
    server
        .fail
        .borrow_mut()
        .push_back(("CreateGroup".into(), RemoteError::Credentials));
    let err = sync(&store, &server).unwrap_err();
    assert!(err.to_string().contains("rejected the credentials"));
    assert_eq!(outbox_len(&store), 1);
    assert!(server.groups.borrow().is_empty());
}

#[test]
fn local_groups_from_before_sync_was_turned_on_are_pushed_on_the_first_sync() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    // Created in local mode: no outbox entry.
    let batch = ops::create_group(None, group("old", "Prod"), 1, Source::Local).unwrap();
    block_on(store.apply(batch)).unwrap();
    assert_eq!(outbox_len(&store), 0);
    sync(&store, &server).unwrap();
    assert!(server.groups.borrow().contains_key("old"));
    assert_eq!(outbox_len(&store), 0);
}

#[test]
fn three_way_tag_merge_and_merge_decisions() {
    let t = |pairs: &[(&str, &str)]| -> group_console::model::Tags {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let base = t(&[("a", "1"), ("b", "1"), ("c", "1")]);
    let local = t(&[("a", "2"), ("b", "1")]); // a changed, c removed
    let remote = t(&[("a", "1"), ("b", "3"), ("c", "1"), ("d", "4")]); // b changed, d added
    assert_eq!(
        merge_tags(&base, &local, &remote),
        Some(t(&[("a", "2"), ("b", "3"), ("d", "4")]))
    );
    assert_eq!(
        merge_tags(&base, &t(&[("a", "2")]), &t(&[("a", "3")])),
        None
    );
    let g = group("x", "Prod");
    assert_eq!(merge(Some(&g), Some(&g), Some(&g)), Merge::Same);
    assert_eq!(merge(Some(&g), Some(&g), None), Merge::TakeRemote(None));
    assert_eq!(merge(None, Some(&g), Some(&g)), Merge::PushLocal);
    assert_eq!(merge(Some(&g), None, None), Merge::PushLocal);
}

#[test]
fn with_outbox_queues_local_changes_only() {
    let batch = ops::create_group(None, group("a", "Prod"), 1, Source::Local).unwrap();
    let enqueued = |b: &group_console::store::Batch| {
        b.ops
            .iter()
            .filter(|op| matches!(op, group_console::store::Op::Enqueue(_)))
            .count()
    };
    let queued = with_outbox(batch, 1);
    assert_eq!(enqueued(&queued), 1);
    let from_sync = ops::create_group(None, group("b", "Prod"), 1, Source::Sync).unwrap();
    assert_eq!(enqueued(&with_outbox(from_sync, 1)), 0);
    let deletes = ops::delete_groups(&["a".into(), "b".into()], 1, Source::Local);
    assert_eq!(with_outbox(deletes, 1).ops.len(), 4);
}

#[test]
fn a_new_backend_gets_every_local_group_and_deletes_nothing_here() {
    let (store, old) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("a", "Prod"), 1);
    create_local(&store, group("b", "Prod"), 1);
    sync(&store, &old).unwrap();
    // The person points sync at another, empty backend.
    let state = block_on(store.sync_state()).unwrap();
    let batch = group_console::store::Batch {
        ops: forget_backend(&state),
        ..Default::default()
    };
    block_on(store.apply(batch)).unwrap();
    let new = FakeServer::default();
    sync(&store, &new).unwrap();
    assert_eq!(
        block_on(store.groups()).unwrap().len(),
        2,
        "nothing deleted here"
    );
    assert_eq!(
        new.groups.borrow().keys().collect::<Vec<_>>(),
        ["a", "b"],
        "everything uploaded"
    );
}

#[test]
fn a_change_the_server_refuses_stays_in_the_outbox_and_the_rest_goes() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("bad", "Prod"), 1);
    create_local(&store, group("good", "Prod"), 1);
    server.fail.borrow_mut().push_back((
        "CreateGroup bad".into(),
        RemoteError::Rejected("Too many tags".into()),
    ));
    let report = sync(&store, &server).unwrap();
    assert_eq!(
        report.refused,
        [("bad".to_owned(), "Too many tags".to_owned())]
    );
    assert_eq!(report.pushed, 1);
    let pending: Vec<String> = block_on(store.sync_state())
        .unwrap()
        .outbox
        .iter()
        .map(|e| e.group_name.clone())
        .collect();
    assert_eq!(pending, ["bad"]);
    assert!(server.groups.borrow().contains_key("good"));
    assert!(local(&store, "bad").is_some(), "nothing is lost here");
}

fn sync_allowing_deletions(
    store: &MemoryStore,
    server: &FakeServer,
) -> Result<engine::Report, engine::SyncError> {
    block_on(engine::run(
        store,
        server,
        2_000,
        RunOptions {
            concurrency: 3,
            chunk: 2,
            allow_mass_deletion: true,
        },
        &|_: Progress| {},
    ))
}

/// `n` groups created here and synced.
fn synced_groups(store: &MemoryStore, server: &FakeServer, n: usize) -> Vec<String> {
    let names: Vec<String> = (0..n).map(|i| format!("g{i:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        create_local(store, group(name, "Prod"), i as i64);
    }
    sync(store, server).unwrap();
    assert_eq!(block_on(store.sync_state()).unwrap().bases.len(), n);
    names
}

#[test]
fn a_pull_that_would_delete_many_groups_stops_before_writing_and_asks() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    let names = synced_groups(&store, &server, 12);
    // The server "loses" 11 of 12 (a wrong account, a script gone wrong).
    for n in names.iter().skip(1) {
        server.groups.borrow_mut().remove(n);
    }
    let e = sync(&store, &server).unwrap_err();
    assert_eq!(
        e,
        engine::SyncError::MassDeletion {
            count: 11,
            synced: 12
        }
    );
    assert!(e.to_string().contains("no longer lists 11 of your 12"));
    assert_eq!(
        block_on(store.groups()).unwrap().len(),
        12,
        "nothing deleted"
    );
    assert!(block_on(store.tombstones()).unwrap().is_empty());
    // The person agrees: deleted here, and each kept restorable.
    let report = sync_allowing_deletions(&store, &server).unwrap();
    assert_eq!(report.pulled, 11);
    assert_eq!(block_on(store.groups()).unwrap().len(), 1);
    let tombs = block_on(store.tombstones()).unwrap();
    assert_eq!(tombs.len(), 11);
    assert_eq!(tombs[0].group.description, "notes on g01");
    assert_eq!(tombs[0].deleted_at, 2_000);
}

#[test]
fn the_mass_deletion_threshold() {
    assert!(
        !engine::is_mass_deletion(1, 1),
        "a single deletion never asks"
    );
    assert!(!engine::is_mass_deletion(1, 3));
    assert!(engine::is_mass_deletion(2, 9), "more than a fifth");
    assert!(!engine::is_mass_deletion(2, 10), "exactly a fifth");
    assert!(!engine::is_mass_deletion(10, 1_000));
    assert!(engine::is_mass_deletion(11, 1_000), "more than ten");
}

#[test]
fn a_few_remote_deletions_go_through_and_stay_restorable_for_30_days() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    synced_groups(&store, &server, 10);
    server.groups.borrow_mut().remove("g03");
    sync(&store, &server).unwrap();
    assert_eq!(local(&store, "g03"), None);
    let tombs = block_on(store.tombstones()).unwrap();
    assert_eq!(tombs.len(), 1);
    assert!(!tombs[0].expired(1_000 + 29 * 86_400_000));
    assert!(tombs[0].expired(1_000 + 31 * 86_400_000));
    // A run 31 days later purges it.
    block_on(engine::run(
        &store,
        &server,
        1_000 + 31 * 86_400_000,
        RunOptions::default(),
        &|_: Progress| {},
    ))
    .unwrap();
    assert!(block_on(store.tombstones()).unwrap().is_empty());
}

#[test]
fn another_account_behind_the_same_endpoint_stops_the_sync_before_anything_is_sent() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    *server.account.borrow_mut() = Some("111111119012".into());
    synced_groups(&store, &server, 3);
    // The first run with ARNs binds the state to the account (stored hashed + last 4 digits).
    sync(&store, &server).unwrap();
    let binding = block_on(store.setting(engine::ACCOUNT_KEY))
        .unwrap()
        .expect("bound");
    assert!(!binding.contains("111111119012"), "{binding}");
    assert_eq!(engine::binding_tail(&binding), "9012");
    // New credentials reach account B, which has a group of its own.
    *server.account.borrow_mut() = Some("222222223456".into());
    server.groups.borrow_mut().clear();
    server
        .groups
        .borrow_mut()
        .insert("b-only".into(), group("b-only", "Prod"));
    let mut g = local(&store, "g00").unwrap();
    g.description = "edited for A".into();
    update_local(&store, g, 50);
    server.calls.borrow_mut().clear();
    let e = sync(&store, &server).unwrap_err();
    assert_eq!(
        e,
        engine::SyncError::AccountChanged {
            bound: "9012".into(),
            found: "3456".into()
        }
    );
    assert!(server.writes().is_empty(), "nothing of A went to B");
    assert_eq!(
        block_on(store.groups()).unwrap().len(),
        3,
        "nothing deleted"
    );
    assert_eq!(outbox_len(&store), 1, "A's change still waits");
    // "Switch account": the old bases go, and the next run binds to B and uploads.
    let state = block_on(store.sync_state()).unwrap();
    block_on(store.apply(group_console::store::Batch {
        ops: engine::switch_account(&state, None),
        ..Default::default()
    }))
    .unwrap();
    sync(&store, &server).unwrap();
    assert_eq!(server.groups.borrow().len(), 4);
    assert_eq!(
        engine::binding_tail(
            &block_on(store.setting(engine::ACCOUNT_KEY))
                .unwrap()
                .unwrap()
        ),
        "3456"
    );
}

#[test]
fn an_edit_made_while_a_sync_runs_is_never_overwritten() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    sync(&store, &server).unwrap();
    // The server changes the description; while the pull reads the group, the person adds a
    // tag here (the scripted interleaving).
    server
        .groups
        .borrow_mut()
        .get_mut("web")
        .unwrap()
        .description = "from the server".into();
    let store = std::rc::Rc::new(store);
    let s2 = store.clone();
    *server.on_fetch.borrow_mut() = Some(Box::new(move || {
        use futures::FutureExt;
        let old = s2.group("web").now_or_never().unwrap().unwrap().unwrap();
        let mut new = old.clone();
        new.tags.insert("Edited".into(), "mid-sync".into());
        let batch = ops::update_group(&old, new, 500, Source::Local).unwrap();
        s2.apply(with_outbox(batch, 500))
            .now_or_never()
            .unwrap()
            .unwrap();
    }));
    sync(&store, &server).unwrap();
    let here = local(&store, "web").unwrap();
    assert_eq!(here.tags["Edited"], "mid-sync", "the edit survived");
    assert_eq!(
        here.description, "from the server",
        "and the server's change too"
    );
    assert_eq!(server.groups.borrow()["web"].tags["Edited"], "mid-sync");
    assert_eq!(outbox_len(&store), 0);
}

#[test]
fn a_save_from_an_older_copy_is_refused() {
    let store = MemoryStore::new();
    create_local(&store, group("web", "Prod"), 1);
    let stale = local(&store, "web").unwrap();
    // Another tab saves first.
    let mut other = stale.clone();
    other.description = "other tab".into();
    update_local(&store, other, 2);
    // This tab still holds the first copy.
    let mut mine = stale.clone();
    mine.description = "this tab".into();
    let batch = ops::update_group(&stale, mine, 3, Source::Local).unwrap();
    let e = block_on(store.apply(batch)).unwrap_err();
    assert_eq!(e, group_console::store::StoreError::Changed("web".into()));
    assert_eq!(local(&store, "web").unwrap().description, "other tab");
}

/// A group whose stored record is quarantined looks absent here. Sync must not read that as
/// "deleted here" (and delete it on the backend), nor overwrite it with the server's copy.
#[test]
fn a_quarantined_group_is_neither_pushed_as_deleted_nor_overwritten() {
    use group_console::store::{Batch, Op, RecordKind};
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    sync(&store, &server).unwrap();
    assert!(server.groups.borrow().contains_key("web"));
    // An older version stored a key in the description; on load it is set aside.
    block_on(store.apply(Batch {
        ops: vec![Op::DeleteGroup("web".into())],
        ..Batch::default()
    }))
    .unwrap();
    block_on(store.apply(with_outbox(
        Batch {
            ops: vec![Op::PutGroup(group("other", "Prod"))],
            ..Batch::default()
        },
        2,
    )))
    .unwrap();
    let raw = r#"[{"name":"web","description":"key AKIAIOSFODNN7EXAMPLE","query":{"Type":"TAG_FILTERS_1_0","Query":"{\"ResourceTypeFilters\":[\"AWS::AllSupported\"],\"TagFilters\":[{\"Key\":\"Stage\",\"Values\":[\"Prod\"]}]}"},"updatedAt":1}]"#;
    store.load_raw(RecordKind::Group, raw).unwrap();
    // Pending too, as if it had been edited before.
    block_on(store.apply(Batch {
        ops: vec![Op::Enqueue(group_console::store::OutboxEntry::new(
            "web",
            "UpdateGroup",
            3,
        ))],
        ..Batch::default()
    }))
    .unwrap();
    server
        .groups
        .borrow_mut()
        .get_mut("web")
        .unwrap()
        .tags
        .insert("Changed".into(), "on the server".into());
    let report = sync(&store, &server).unwrap();
    assert!(server.groups.borrow().contains_key("web"), "not deleted");
    assert!(
        server.groups.borrow().contains_key("other"),
        "the rest goes"
    );
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].0, "web");
    assert!(!report.refused[0].1.contains("AKIA"));
    let q = block_on(store.quarantine(&[RecordKind::Group])).unwrap();
    assert_eq!(q.len(), 1, "the quarantined copy is untouched");
    assert!(q[0].raw.contains("AKIAIOSFODNN7EXAMPLE"));
    assert!(block_on(store.group("web")).is_err());
    // Deleting the quarantined record leaves the backend alone; the next sync takes its copy.
    let state = block_on(store.sync_state()).unwrap();
    block_on(store.apply(with_outbox(ops::delete_quarantined(&q, &state, 4), 4))).unwrap();
    sync(&store, &server).unwrap();
    assert_eq!(
        local(&store, "web")
            .unwrap()
            .tags
            .get("Changed")
            .map(String::as_str),
        Some("on the server")
    );
}

/// Each side's tags are valid, their merge is not (over 50 tags): the push checks again and
/// sends nothing; the change stays in the outbox with the reason.
#[test]
fn a_merge_the_model_refuses_is_not_sent() {
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    sync(&store, &server).unwrap();
    let mut mine = local(&store, "web").unwrap();
    for i in 0..30 {
        mine.tags.insert(format!("mine{i}"), "x".into());
    }
    update_local(&store, mine, 2);
    {
        let mut groups = server.groups.borrow_mut();
        let theirs = groups.get_mut("web").unwrap();
        for i in 0..30 {
            theirs.tags.insert(format!("theirs{i}"), "y".into());
        }
    }
    let before = server.groups.borrow().get("web").cloned();
    let report = sync(&store, &server).unwrap();
    assert_eq!(server.groups.borrow().get("web").cloned(), before);
    assert_eq!(report.refused.len(), 1);
    assert!(
        report.refused[0].1.starts_with("not sent: "),
        "{:?}",
        report.refused
    );
    assert!(outbox_len(&store) > 0);
}

/// Saving a backend: another URL or region forgets what was synced with the old one (bases,
/// conflicts, the account binding) but keeps the outbox; the same backend forgets nothing.
#[test]
fn saving_another_backend_forgets_the_old_ones_sync_state() {
    use group_console::store::Op;
    use group_console::sync::endpoint::EndpointChoice;
    let aws = |region: &str| {
        EndpointChoice::Aws {
            region: region.into(),
            fips: false,
        }
        .resolve()
        .unwrap()
    };
    let (store, server) = (MemoryStore::new(), FakeServer::default());
    create_local(&store, group("web", "Prod"), 1);
    sync(&store, &server).unwrap();
    create_local(&store, group("new", "Prod"), 2);
    let state = block_on(store.sync_state()).unwrap();
    let (eu, us) = (aws("eu-west-1"), aws("us-east-1"));

    let same = engine::save_backend(Some(&eu), &eu, "aws:eu-west-1".into(), &state);
    assert_eq!(same.len(), 2, "the setting and sync on: {same:?}");
    assert!(
        !engine::is_other_backend(None, &eu),
        "a first backend is not another one"
    );

    let other = engine::save_backend(Some(&eu), &us, "aws:us-east-1".into(), &state);
    assert!(engine::is_other_backend(Some(&eu), &us));
    assert!(other.contains(&Op::DeleteBase("web".into())));
    assert!(
        !other.iter().any(|op| matches!(op, Op::Dequeue(_))),
        "the outbox stays"
    );
    block_on(store.apply(group_console::store::Batch {
        ops: other,
        ..Default::default()
    }))
    .unwrap();
    let after = block_on(store.sync_state()).unwrap();
    assert!(after.bases.is_empty());
    assert_eq!(after.pending_names(), ["new"]);
}

/// A Network Firewall rule group's query and configuration merge apart: a query edited here
/// while the server had (or changed) the configuration is no conflict; both sides editing the
/// query is, and names the query.
#[test]
fn a_query_and_the_configuration_beside_it_merge_apart() {
    use group_console::model::group::ConfigurationItem;
    use group_console::model::GroupSpec;
    let items = vec![ConfigurationItem {
        kind: "AWS::NetworkFirewall::RuleGroup".into(),
        parameters: vec![],
    }];
    let base = group("fw", "Prod");
    // Stored before this version as a plain query; the server has the configuration.
    let mut remote = base.clone();
    remote.spec = GroupSpec::QueryAndConfiguration(base.query().unwrap().clone(), items.clone());
    let mut local = base.clone();
    local.spec = group("fw", "Préprod").spec;
    let Merge::Combine(m) = merge(Some(&local), Some(&base), Some(&remote)) else {
        panic!("no conflict expected");
    };
    assert_eq!(m.spec.query(), local.query());
    assert_eq!(m.spec.configuration(), items.as_slice());
    // Both sides changed the query: a conflict on the query alone.
    let mut theirs = remote.clone();
    theirs.spec = theirs
        .spec
        .with_query(group("fw", "Dev").query().unwrap().clone());
    assert_eq!(
        merge(Some(&local), Some(&base), Some(&theirs)),
        Merge::Conflict(vec![GroupField::ResourceQuery])
    );
}
