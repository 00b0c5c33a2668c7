//! The sync engine: push the outbox in order, then pull the server's groups and merge.
//!
//! Decisions are pure functions ([`push_plan`], [`merge`], [`merge_tags`]); [`run`] drives
//! them over any [`Store`] and any [`Remote`], so native tests run it against a scripted fake
//! server and the in-memory store.
//!
//! - The outbox says *which* groups changed and in what order; what to send is the difference
//!   between the group now and its base (the last-synced copy), so replays are idempotent and
//!   several edits go out as one.
//! - Before an update or delete the server's copy is read: if it changed since the base, the
//!   fields are merged three-way; fields (or tag keys) that both sides changed differently, and
//!   a delete on one side against an edit on the other, become a [`Conflict`] for the person.
//!   Nothing is overwritten silently.
//! - An outbox entry is removed only after the server confirmed the change (in the same store
//!   transaction that records the new base). A CreateGroup answered "already exists" is
//!   reconciled by comparing.
//! - Groups from the server pass through the model and the guard: one that is invalid or
//!   flagged is reported with its reason and never stored.

use std::collections::{BTreeMap, BTreeSet};

use futures::stream::{self, StreamExt};

use super::remote::RemoteError;
// Re-exported: tests and the UI name these by their older path.
pub use super::remote::{Fetched, Listed, Remote};
use crate::model::{Group, GroupField, GroupSpec, Tags};
use crate::store::settings::SettingKey;
use crate::store::{
    ActivityEvent, Batch, Conflict, EventName, Op, OutboxAction, OutboxEntry, RecordKind, Source,
    Store, StoreError, SyncState, Tombstone,
};

/// Equal for sync purposes: name, description, display name, owner, criticality, query or
/// configuration, tags, application tag. (The application tag is the server's alone: it is in
/// here so that a change to it on the server is taken in, and every merge takes the server's.)
pub fn same(a: Option<&Group>, b: Option<&Group>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.name == b.name
                && a.description == b.description
                && a.display_name == b.display_name
                && a.owner == b.owner
                && a.criticality == b.criticality
                && a.spec == b.spec
                && a.tags == b.tags
                && a.application_tag == b.application_tag
        }
        _ => false,
    }
}

/// The three-way decision for one field: `Some(value)` to take (the local one when only this
/// browser changed it or both made the same change, the remote one when only the server did),
/// `None` when both changed it differently.
fn merge_field<T: PartialEq + Clone>(base: &T, local: &T, remote: &T) -> Option<T> {
    if local == remote || remote == base {
        Some(local.clone())
    } else if local == base {
        Some(remote.clone())
    } else {
        None
    }
}

/// The query and the configuration merged apart: a group with both (a Network Firewall rule
/// group's) may have its query edited here while the server changed its configuration, and a
/// group stored before this version read both as one `Query` while the server has had the
/// configuration all along. Either is no conflict; both sides changing the same part is.
fn merge_spec(base: &GroupSpec, local: &GroupSpec, remote: &GroupSpec) -> Option<GroupSpec> {
    let query = merge_field(&base.query(), &local.query(), &remote.query())?;
    let configuration = merge_field(
        &base.configuration(),
        &local.configuration(),
        &remote.configuration(),
    )?;
    GroupSpec::from_parts(query.cloned(), configuration.to_vec())
}

/// What a group's pending change needs on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushPlan {
    /// Nothing (changed back, or created and deleted before any sync).
    Nothing,
    Create,
    Update,
    Delete,
}

pub fn push_plan(local: Option<&Group>, base: Option<&Group>) -> PushPlan {
    match (local, base) {
        (None, None) => PushPlan::Nothing,
        (Some(_), None) => PushPlan::Create,
        (None, Some(_)) => PushPlan::Delete,
        (Some(l), Some(b)) if same(Some(l), Some(b)) => PushPlan::Nothing,
        (Some(_), Some(_)) => PushPlan::Update,
    }
}

/// The three-way decision for one group.
#[derive(Clone, Debug, PartialEq)]
pub enum Merge {
    /// Both sides agree.
    Same,
    /// Only the server changed: take its version (`None`: it deleted the group).
    TakeRemote(Option<Group>),
    /// Only this browser changed: push.
    PushLocal,
    /// Both changed different fields (or tag keys): this merged group goes to both sides.
    Combine(Group),
    /// Both changed the same field differently, or one side deleted what the other edited.
    Conflict(Vec<GroupField>),
}

/// Three-way merge of tags by key; `None` when a key was changed differently on both sides.
pub fn merge_tags(base: &Tags, local: &Tags, remote: &Tags) -> Option<Tags> {
    let keys: BTreeSet<&String> = base
        .keys()
        .chain(local.keys())
        .chain(remote.keys())
        .collect();
    let mut out = Tags::new();
    for k in keys {
        let (b, l, r) = (base.get(k), local.get(k), remote.get(k));
        let v = if l == b {
            r
        } else if r == b || l == r {
            l
        } else {
            return None;
        };
        if let Some(v) = v {
            out.insert(k.clone(), v.clone());
        }
    }
    Some(out)
}

pub fn merge(local: Option<&Group>, base: Option<&Group>, remote: Option<&Group>) -> Merge {
    if same(local, remote) {
        return Merge::Same;
    }
    if same(local, base) {
        return Merge::TakeRemote(remote.cloned());
    }
    if same(remote, base) {
        return Merge::PushLocal;
    }
    let (Some(l), Some(r)) = (local, remote) else {
        return Merge::Conflict(vec![GroupField::Group]);
    };
    let Some(b) = base else {
        // Created on both sides, differently: every differing field is a conflict. If only
        // what the server alone sets differs (the application tag), there is none.
        let fields = crate::store::ops::changed_fields(l, r);
        if fields.is_empty() {
            let mut merged = l.clone();
            merged.arn = r.arn.clone().or(merged.arn);
            merged.application_tag = r.application_tag.clone();
            return Merge::Combine(merged);
        }
        return Merge::Conflict(fields);
    };
    let mut merged = l.clone();
    let mut conflicts = Vec::new();
    // Field by field, in `GroupField` order: a conflict on one field never stops the others
    // from merging, and the conflict names exactly the fields both sides changed.
    macro_rules! field {
        ($f:ident, $which:expr) => {
            match merge_field(&b.$f, &l.$f, &r.$f) {
                Some(v) => merged.$f = v,
                None => conflicts.push($which),
            }
        };
    }
    field!(description, GroupField::Description);
    field!(display_name, GroupField::DisplayName);
    field!(owner, GroupField::Owner);
    field!(criticality, GroupField::Criticality);
    match merge_spec(&b.spec, &l.spec, &r.spec) {
        Some(v) => merged.spec = v,
        None => conflicts.push(GroupField::ResourceQuery),
    }
    match merge_tags(&b.tags, &l.tags, &r.tags) {
        Some(tags) => merged.tags = tags,
        None => conflicts.push(GroupField::Tags),
    }
    if conflicts.is_empty() {
        merged.arn = r.arn.clone().or(merged.arn);
        merged.application_tag = r.application_tag.clone();
        Merge::Combine(merged)
    } else {
        Merge::Conflict(conflicts)
    }
}

/// Which side to keep when resolving a conflict, for one field or for all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
}

/// The batch that resolves a conflict. `choices` names a side per field; fields not named take
/// `default`. Keeping mine makes the server's version the base, so the next push sends exactly
/// my changes; keeping theirs adopts the server's version and drops my pending entries.
pub fn resolve_conflict(
    local: Option<&Group>,
    conflict: &Conflict,
    state: &SyncState,
    default: Keep,
    choices: &BTreeMap<GroupField, Keep>,
    now: i64,
) -> Batch {
    let name = conflict.group_name.as_str();
    let remote = conflict.remote.as_ref();
    let keep = |field: GroupField| *choices.get(&field).unwrap_or(&default);
    let base = state.bases.get(name);
    let result: Option<Group> = match (local, remote) {
        (Some(l), Some(r)) => {
            let mut g = l.clone();
            // A field in the conflict takes the side chosen for it. Any other field merges as
            // a sync would: a change the server made to it meanwhile (its criticality, while
            // the conflict is about the owner) is taken, not overwritten by "keep mine".
            let in_conflict = |f: GroupField| conflict.fields.contains(&f);
            macro_rules! field {
                ($f:ident, $which:expr) => {
                    let merged = base
                        .filter(|_| !in_conflict($which))
                        .and_then(|b| merge_field(&b.$f, &l.$f, &r.$f));
                    g.$f = match merged {
                        Some(v) => v,
                        None if keep($which) == Keep::Theirs => r.$f.clone(),
                        None => l.$f.clone(),
                    };
                };
            }
            field!(description, GroupField::Description);
            field!(display_name, GroupField::DisplayName);
            field!(owner, GroupField::Owner);
            field!(criticality, GroupField::Criticality);
            let spec = base
                .filter(|_| !in_conflict(GroupField::ResourceQuery))
                .and_then(|b| merge_spec(&b.spec, &l.spec, &r.spec));
            g.spec = match spec {
                Some(v) => v,
                None if keep(GroupField::ResourceQuery) == Keep::Theirs => r.spec.clone(),
                None => l.spec.clone(),
            };
            let tags = base
                .filter(|_| !in_conflict(GroupField::Tags))
                .and_then(|b| merge_tags(&b.tags, &l.tags, &r.tags));
            g.tags = match tags {
                Some(t) => t,
                None if keep(GroupField::Tags) == Keep::Theirs => r.tags.clone(),
                None => l.tags.clone(),
            };
            // "Not set" cannot be sent (the API has no way to unset a criticality): keeping
            // mine when mine is unset and theirs is not would never reach the server.
            if g.criticality.is_none() {
                g.criticality = r.criticality;
            }
            g.arn = r.arn.clone().or(g.arn);
            g.application_tag = r.application_tag.clone();
            g.updated_at = now;
            Some(g)
        }
        _ => match keep(GroupField::Group) {
            Keep::Mine => local.cloned(),
            Keep::Theirs => remote.cloned(),
        },
    };
    let mut ops = Vec::new();
    match &result {
        Some(g) if !same(Some(g), local) || local.is_none() => {
            let mut g = g.clone();
            g.created_at = local.map_or(now, |l| l.created_at);
            ops.push(Op::PutGroup(g));
        }
        None if local.is_some() => ops.push(Op::DeleteGroup(name.to_owned())),
        _ => {}
    }
    match remote {
        Some(r) => ops.push(Op::PutBase(r.clone())),
        None => ops.push(Op::DeleteBase(name.to_owned())),
    }
    ops.push(Op::DeleteConflict(name.to_owned()));
    for seq in state.seqs_of(name) {
        ops.push(Op::Dequeue(seq));
    }
    if !same(result.as_ref(), remote) {
        let action = match (&result, remote) {
            (Some(_), None) => OutboxAction::Create,
            (None, _) => OutboxAction::Delete,
            _ => OutboxAction::Update,
        };
        ops.push(Op::Enqueue(OutboxEntry::new(name, action.as_str(), now)));
    }
    let how = match (default, choices.is_empty()) {
        (Keep::Mine, true) => "KeepMine",
        (Keep::Theirs, true) => "KeepTheirs",
        _ => "FieldByField",
    };
    // The conflicting fields, then how they were decided.
    let mut fields: Vec<&str> = conflict.fields.iter().map(|f| f.as_str()).collect();
    fields.push(how);
    Batch {
        ops,
        events: vec![ActivityEvent::new(
            now,
            EventName::ResolveConflict,
            Some(name),
            Source::Local,
        )
        .with_fields(&fields)],
        bulk: false,
    }
}

/// What to forget when the backend changes: the last-synced copies and conflicts belong to the
/// old backend. Without them the first sync with the new one uploads every local group and
/// deletes nothing here (a group missing from a new backend is not a deletion).
pub fn forget_backend(state: &SyncState) -> Vec<Op> {
    state
        .bases
        .keys()
        .map(|n| Op::DeleteBase(n.clone()))
        .chain(
            state
                .conflicts
                .keys()
                .map(|n| Op::DeleteConflict(n.clone())),
        )
        .collect()
}

/// Adds outbox entries for the group changes of a batch (sync mode), in the same transaction.
/// Changes that came from the server (source `sync`) are not sent back.
pub fn with_outbox(mut batch: Batch, now: i64) -> Batch {
    let mut entries = Vec::new();
    for op in &batch.ops {
        let (name, action) = match op {
            Op::PutGroup(g) => {
                let created = batch.events.iter().any(|e| {
                    e.group_name.as_deref() == Some(g.name.as_str())
                        && e.event_name == EventName::CreateGroup
                });
                (
                    g.name.as_str(),
                    if created {
                        OutboxAction::Create
                    } else {
                        OutboxAction::Update
                    },
                )
            }
            Op::DeleteGroup(n) => (n.as_str(), OutboxAction::Delete),
            _ => continue,
        };
        let from_sync = batch
            .events
            .iter()
            .any(|e| e.source == Source::Sync && e.group_name.as_deref() == Some(name));
        if !from_sync {
            entries.push(Op::Enqueue(OutboxEntry::new(name, action.as_str(), now)));
        }
    }
    batch.ops.extend(entries);
    batch
}

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Pushing,
    Pulling,
}

/// Progress for the UI: `done` of `total` groups in `phase`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    pub done: usize,
    pub total: usize,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Groups whose changes the server confirmed.
    pub pushed: usize,
    /// Groups created, changed or deleted here from the server's data.
    pub pulled: usize,
    /// Groups in conflict after the run.
    pub conflicts: Vec<String>,
    /// Server groups not taken (invalid or flagged): name and reason.
    pub rejected: Vec<(String, String)>,
    /// Of those, the ones refused for what they hold (see `Fetched::as_read`), as the server
    /// gave them. Memory only: never stored, never logged; the audit reads them.
    pub rejected_groups: Vec<Group>,
    /// Changes the server refused (they stay in the outbox): name and message.
    pub refused: Vec<(String, String)>,
    /// What the backend took in this run: the groups and the fields sent (no values).
    pub sent: Vec<super::outgoing::OutgoingGroup>,
    /// A push the gate held back (the person is to be asked first): what it would send. The
    /// entries stay in the outbox; the pull ran.
    pub held: Option<super::outgoing::Outgoing>,
}

/// Why a run stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncError {
    Remote(RemoteError),
    Store(StoreError),
    /// The pull would delete `count` of the `synced` groups here: more than
    /// [`MASS_DELETION_COUNT`] or a fifth of them. Nothing was written; the person decides
    /// (run again with [`RunOptions::allow_mass_deletion`], or stop syncing).
    MassDeletion {
        count: usize,
        synced: usize,
    },
    /// The backend's groups belong to another account than the one this sync state was made
    /// with. Nothing was sent or written.
    AccountChanged {
        /// The bound account, masked (`…9012`).
        bound: String,
        /// The backend's account, masked.
        found: String,
    },
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncError::Remote(e) => e.fmt(f),
            SyncError::Store(e) => e.fmt(f),
            SyncError::MassDeletion { count, synced } => write!(
                f,
                "The backend no longer lists {count} of your {synced} synced groups. Nothing was deleted here. Delete them here too, or keep them here and stop syncing."
            ),
            SyncError::AccountChanged { bound, found } => write!(
                f,
                "These credentials reach another AWS account (\u{2026}{found}) than the one this data is synced with (\u{2026}{bound}). Nothing was sent. Switch account to start fresh with the new one (your groups stay here and are uploaded there), or cancel."
            ),
        }
    }
}

/// A pull that would delete more than this many groups here stops and asks.
pub const MASS_DELETION_COUNT: usize = 10;

/// Whether deleting `count` of `synced` groups needs the person's word: more than
/// [`MASS_DELETION_COUNT`], or more than a fifth of the synced groups. A single deletion never
/// asks: one group gone on the server is the ordinary case, and asking each time would teach
/// people to click through the question.
pub fn is_mass_deletion(count: usize, synced: usize) -> bool {
    count > MASS_DELETION_COUNT || (count > 1 && count * 5 > synced)
}

/// The account ID in a resource ARN (`arn:aws:resource-groups:us-east-1:123456789012:group/x`).
pub fn account_of(arn: &str) -> Option<&str> {
    let account = arn.split(':').nth(4)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// The settings key of the account the sync state is bound to.
pub const ACCOUNT_KEY: &str = SettingKey::SyncAccount.as_str();

/// What is stored of the bound account: a SHA-256 of backend and account ID (so the account ID
/// itself is never stored: the guard would rightly refuse it), and its last four digits for
/// the masked `…9012` the top bar shows. `v1:<64 hex>:<4 digits>`.
pub fn account_binding(backend_id: &str, account: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{backend_id}\n{account}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let tail: String = account
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("v1:{hex}:{tail}")
}

/// The masked tail (`9012`) of a stored binding.
pub fn binding_tail(binding: &str) -> &str {
    binding.rsplit(':').next().unwrap_or_default()
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

impl From<RemoteError> for SyncError {
    fn from(e: RemoteError) -> Self {
        SyncError::Remote(e)
    }
}

/// How a run goes.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Groups whose results are written in one store transaction.
    pub chunk: usize,
    /// The person agreed that the pull may delete many groups here (see [`is_mass_deletion`]).
    pub allow_mass_deletion: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 6,
            chunk: 60,
            allow_mass_deletion: false,
        }
    }
}

/// The writes for one group, kept apart so that one group changed meanwhile can be left out.
struct Part {
    name: String,
    ops: Vec<Op>,
    events: Vec<ActivityEvent>,
}

/// Applies the parts in one transaction. Every part that overwrites or deletes a local group
/// carries an [`Op::ExpectGroup`] for the copy it was decided on; when the store answers that a
/// group changed meanwhile (the person, another tab), that group's part is left out and the
/// rest applied. The names left out are returned: their new edit made an outbox entry, so a
/// push that follows merges it three-way with the server's copy instead of overwriting it.
async fn apply_parts<S: Store>(
    store: &S,
    mut parts: Vec<Part>,
    extra: Vec<Op>,
) -> Result<Vec<String>, StoreError> {
    let mut deferred = Vec::new();
    loop {
        let mut batch = Batch {
            bulk: true,
            ops: extra.clone(),
            ..Batch::default()
        };
        for p in &parts {
            batch.ops.extend(p.ops.iter().cloned());
            batch.events.extend(p.events.iter().cloned());
        }
        match store.apply(batch).await {
            Ok(_) => return Ok(deferred),
            Err(StoreError::Changed(name)) if parts.iter().any(|p| p.name == name) => {
                parts.retain(|p| p.name != name);
                deferred.push(name);
            }
            Err(e) => return Err(e),
        }
    }
}

/// The precondition for a write decided on `local`.
fn expect(name: &str, local: Option<&Group>) -> Op {
    Op::ExpectGroup {
        name: name.to_owned(),
        updated_at: local.map(|l| l.updated_at),
    }
}

enum Pushed {
    /// Confirmed: the new base (`None`: deleted).
    Done(Option<Group>),
    /// Both sides' changes combined and sent: keep this group locally and as base.
    Merged(Group),
    Conflict(Conflict),
    /// The server refused; the entries stay.
    Refused(String),
}

fn sync_event(now: i64, name: &str, what: EventName, fields: &[GroupField]) -> ActivityEvent {
    ActivityEvent::new(now, what, Some(name), Source::Sync).with_fields(fields)
}

async fn push_one<R: Remote>(
    remote: &R,
    name: &str,
    local: Option<&Group>,
    base: Option<&Group>,
    now: i64,
) -> Result<Pushed, RemoteError> {
    let conflict = |remote_group: Option<Group>, fields: Vec<GroupField>| {
        Pushed::Conflict(Conflict {
            group_name: name.to_owned(),
            remote: remote_group,
            fields,
            detected_at: now,
        })
    };
    // Nothing goes out that the store would not take in: a group written before the guard
    // learned a class, or by an older version, is checked again here, and stays in the outbox
    // (refused, with the reason) instead of being sent.
    if let Some(problem) = local.and_then(|l| l.blocking_errors().into_iter().next()) {
        return Ok(Pushed::Refused(format!("not sent: {problem}")));
    }
    let plan = push_plan(local, base);
    if plan == PushPlan::Nothing {
        return Ok(Pushed::Done(base.cloned()));
    }
    if plan == PushPlan::Create {
        let l = local.expect("create has a local group");
        match remote.create(l).await {
            Ok(arn) => {
                let mut b = l.clone();
                b.arn = arn.or(b.arn);
                return Ok(Pushed::Done(Some(b)));
            }
            Err(RemoteError::AlreadyExists) => {} // reconcile below by comparing
            Err(RemoteError::Rejected(m)) => return Ok(Pushed::Refused(m)),
            Err(e) => return Err(e),
        }
    }
    let current = match remote.fetch(name).await? {
        None => None,
        Some(Fetched { group: Ok(g), .. }) => Some(g),
        Some(Fetched {
            group: Err(why), ..
        }) => {
            return Ok(Pushed::Refused(format!(
                "the server's copy of this group cannot be used ({why})"
            )))
        }
    };
    if plan == PushPlan::Create && current.is_none() {
        // "Already exists", then gone: try once more next run.
        return Err(RemoteError::Server(409));
    }
    match merge(local, base, current.as_ref()) {
        Merge::Same => Ok(Pushed::Done(current)),
        // Local equals the base: nothing of ours to send; the pull takes the server's version.
        Merge::TakeRemote(_) => Ok(Pushed::Done(base.cloned())),
        Merge::PushLocal => match (local, current.as_ref()) {
            (Some(l), Some(r)) => match remote.update(r, l).await {
                Ok(()) => {
                    let mut b = l.clone();
                    b.arn = r.arn.clone().or(b.arn);
                    Ok(Pushed::Done(Some(b)))
                }
                Err(RemoteError::NotFound) => Ok(conflict(None, vec![GroupField::Group])),
                Err(RemoteError::Rejected(m)) => Ok(Pushed::Refused(m)),
                Err(e) => Err(e),
            },
            (None, Some(_)) => match remote.delete(name).await {
                Ok(()) | Err(RemoteError::NotFound) => Ok(Pushed::Done(None)),
                Err(RemoteError::Rejected(m)) => Ok(Pushed::Refused(m)),
                Err(e) => Err(e),
            },
            // Base and server both lack it: create.
            (Some(l), None) => match remote.create(l).await {
                Ok(arn) => {
                    let mut b = l.clone();
                    b.arn = arn.or(b.arn);
                    Ok(Pushed::Done(Some(b)))
                }
                Err(RemoteError::Rejected(m)) => Ok(Pushed::Refused(m)),
                Err(e) => Err(e),
            },
            (None, None) => Ok(Pushed::Done(None)),
        },
        Merge::Combine(merged) => {
            if let Some(problem) = merged.blocking_errors().into_iter().next() {
                return Ok(Pushed::Refused(format!("not sent: {problem}")));
            }
            let r = current.as_ref().expect("combine has a server group");
            match remote.update(r, &merged).await {
                Ok(()) => Ok(Pushed::Merged(merged)),
                Err(RemoteError::Rejected(m)) => Ok(Pushed::Refused(m)),
                Err(e) => Err(e),
            }
        }
        Merge::Conflict(fields) => Ok(conflict(current, fields)),
    }
}

/// The sync records and the local groups by name.
async fn read_local<S: Store>(
    store: &S,
) -> Result<(SyncState, BTreeMap<String, Group>), SyncError> {
    let state = store.sync_state().await?;
    let locals = store
        .groups()
        .await?
        .into_iter()
        .map(|g| (g.name.clone(), g))
        .collect();
    Ok((state, locals))
}

/// Names whose stored group, base or conflict is quarantined. Sync leaves them alone both
/// ways: the group *looks* absent here (it is kept out of the data), and pushing that would
/// delete it on the backend, while pulling over it would overwrite the person's only copy.
async fn quarantined_names<S: Store>(store: &S) -> Result<BTreeSet<String>, SyncError> {
    Ok(store
        .quarantine(&[RecordKind::Group, RecordKind::Base, RecordKind::Conflict])
        .await?
        .into_iter()
        .map(|q| q.key)
        .collect())
}

/// What the report says about a quarantined name.
const QUARANTINED: &str = "not synced: the copy stored here is quarantined (Settings \u{2192} Quarantined records). Export or delete it there, then sync again.";

/// Pushes the outbox; the names confirmed. Stops at the first failure that is not about one
/// group (unreachable after retries, credentials, …), after saving what was confirmed.
async fn push<S: Store, R: Remote>(
    store: &S,
    remote: &R,
    now: i64,
    options: RunOptions,
    report: &mut Report,
    progress: &dyn Fn(Progress),
    gate: &dyn Fn(&super::outgoing::Outgoing) -> bool,
) -> Result<BTreeSet<String>, SyncError> {
    let (state, locals) = read_local(store).await?;
    let quarantined = quarantined_names(store).await?;
    let names: Vec<String> = state
        .pending_names()
        .into_iter()
        .filter(|n| !state.conflicts.contains_key(n))
        .filter(|n| {
            let skip = quarantined.contains(n);
            if skip {
                report.refused.push((n.clone(), QUARANTINED.to_owned()));
            }
            !skip
        })
        .collect();
    // What leaves this device, shown to the gate before anything is sent.
    let outgoing = super::outgoing::Outgoing::plan(&names, &locals, &state.bases);
    if !outgoing.is_empty() && !gate(&outgoing) {
        report.held = Some(outgoing);
        return Ok(BTreeSet::new());
    }
    let total = names.len();
    let mut confirmed = BTreeSet::new();
    progress(Progress {
        phase: Phase::Pushing,
        done: 0,
        total,
    });
    let mut done = 0;
    let (locals_ref, bases_ref) = (&locals, &state.bases);
    for chunk in names.chunks(options.chunk.max(1)) {
        let results: Vec<(String, Result<Pushed, RemoteError>)> = stream::iter(chunk)
            .map(|name| async move {
                let r =
                    push_one(remote, name, locals_ref.get(name), bases_ref.get(name), now).await;
                (name.clone(), r)
            })
            .buffered(options.concurrency.max(1))
            .collect()
            .await;
        let mut parts = Vec::new();
        let mut fatal = None;
        for (name, result) in results {
            let mut part = Part {
                name: name.clone(),
                ops: Vec::new(),
                events: Vec::new(),
            };
            match result {
                Ok(Pushed::Done(b)) => {
                    part.ops.push(match b {
                        Some(b) => Op::PutBase(b),
                        None => Op::DeleteBase(name.clone()),
                    });
                    part.ops
                        .extend(state.seqs_of(&name).into_iter().map(Op::Dequeue));
                    report.pushed += 1;
                    confirmed.insert(name);
                }
                Ok(Pushed::Merged(g)) => {
                    let local = locals.get(&name);
                    let fields: Vec<GroupField> = local
                        .map(|l| crate::store::ops::changed_fields(l, &g))
                        .unwrap_or_default();
                    part.events
                        .push(sync_event(now, &name, EventName::UpdateGroup, &fields));
                    let mut g2 = g.clone();
                    g2.updated_at = now;
                    part.ops.push(expect(&name, local));
                    part.ops.push(Op::PutGroup(g2));
                    part.ops.push(Op::PutBase(g));
                    part.ops
                        .extend(state.seqs_of(&name).into_iter().map(Op::Dequeue));
                    report.pushed += 1;
                    confirmed.insert(name);
                }
                Ok(Pushed::Conflict(c)) => {
                    report.conflicts.push(name);
                    part.ops.push(Op::PutConflict(c));
                }
                Ok(Pushed::Refused(m)) => report.refused.push((name, m)),
                Err(e) => {
                    if fatal.is_none() {
                        fatal = Some(e);
                    }
                }
            }
            if !part.ops.is_empty() {
                parts.push(part);
            }
        }
        for name in apply_parts(store, parts, Vec::new()).await? {
            // Edited here while its merge was on the way: its new outbox entry goes next run.
            if confirmed.remove(&name) {
                report.pushed -= 1;
            }
        }
        done += chunk.len();
        progress(Progress {
            phase: Phase::Pushing,
            done,
            total,
        });
        if let Some(e) = fatal {
            report.sent.extend(outgoing.only(&confirmed));
            return Err(SyncError::Remote(e));
        }
    }
    report.sent.extend(outgoing.only(&confirmed));
    Ok(confirmed)
}

/// Pulls every server group and merges; returns whether new outbox entries were made.
async fn pull<S: Store, R: Remote>(
    store: &S,
    remote: &R,
    now: i64,
    options: RunOptions,
    fresh: &BTreeSet<String>,
    report: &mut Report,
    progress: &dyn Fn(Progress),
) -> Result<bool, SyncError> {
    let listed = remote.list().await?;
    let (state, locals) = read_local(store).await?;
    let quarantined = quarantined_names(store).await?;
    let pending: BTreeSet<String> = state.pending_names().into_iter().collect();
    // Groups just confirmed by the push are as their base on the server: no need to read them.
    let to_fetch: Vec<&Listed> = listed
        .iter()
        .filter(|l| {
            let n = &l.name;
            state.conflicts.contains_key(n) || (!fresh.contains(n) && !pending.contains(n))
        })
        .collect();
    let total = to_fetch.len();
    progress(Progress {
        phase: Phase::Pulling,
        done: 0,
        total,
    });
    let mut remote_groups: BTreeMap<String, Result<Group, String>> = BTreeMap::new();
    let mut as_read: BTreeMap<String, Group> = BTreeMap::new();
    let mut done = 0;
    for chunk in to_fetch.chunks(options.chunk.max(1)) {
        let results: Vec<Result<Option<Fetched>, RemoteError>> = stream::iter(chunk)
            .map(|l| remote.fetch_listed(l))
            .buffered(options.concurrency.max(1))
            .collect()
            .await;
        for r in results {
            if let Some(f) = r? {
                if let Some(g) = f.as_read {
                    as_read.insert(f.name.clone(), g);
                }
                remote_groups.insert(f.name, f.group);
            }
        }
        done += chunk.len();
        progress(Progress {
            phase: Phase::Pulling,
            done,
            total,
        });
    }
    let listed_names: BTreeSet<&String> = listed.iter().map(|l| &l.name).collect();
    let all: BTreeSet<&String> = locals
        .keys()
        .chain(state.bases.keys())
        .chain(listed_names.iter().copied())
        .collect();
    let tombstones = store.tombstones().await?;
    let mut parts: Vec<Part> = Vec::new();
    let mut deletions = 0;
    let mut enqueued = false;
    for name in all {
        let mut part = Part {
            name: name.clone(),
            ops: Vec::new(),
            events: Vec::new(),
        };
        let batch = &mut part;
        // One labelled block per group: `break 'decide` ends the decision for this group, and
        // whatever it wrote is collected below.
        'decide: {
            if quarantined.contains(name) {
                if !report.refused.iter().any(|(n, _)| n == name) {
                    report.refused.push((name.clone(), QUARANTINED.to_owned()));
                }
                break 'decide;
            }
            let in_conflict = state.conflicts.contains_key(name);
            if !in_conflict && (pending.contains(name) || fresh.contains(name)) {
                break 'decide;
            }
            let local = locals.get(name);
            let base = state.bases.get(name);
            let remote_group = match remote_groups.get(name) {
                Some(Ok(g)) => Some(g),
                Some(Err(why)) => {
                    report.rejected.push((name.clone(), why.clone()));
                    if let Some(g) = as_read.remove(name) {
                        report.rejected_groups.push(g);
                    }
                    break 'decide;
                }
                // Listed but gone by the time it was read: treat as absent.
                None => None,
            };
            if listed_names.contains(name) && !remote_groups.contains_key(name) {
                // Listed, but not read (deleted meanwhile): decide next run.
                break 'decide;
            }
            if let Some(c) = state.conflicts.get(name) {
                if same(local, remote_group) {
                    batch.ops.push(Op::DeleteConflict(name.clone()));
                    match remote_group {
                        Some(r) => batch.ops.push(Op::PutBase(r.clone())),
                        None => batch.ops.push(Op::DeleteBase(name.clone())),
                    }
                } else {
                    if !same(c.remote.as_ref(), remote_group) {
                        // The server moved on: the conflict now shows its newest version.
                        let fields = match merge(local, base, remote_group) {
                            Merge::Conflict(f) => f,
                            _ => c.fields.clone(),
                        };
                        batch.ops.push(Op::PutConflict(Conflict {
                            remote: remote_group.cloned(),
                            fields,
                            detected_at: now,
                            ..c.clone()
                        }));
                    }
                    report.conflicts.push(name.clone());
                }
                break 'decide;
            }
            match merge(local, base, remote_group) {
                Merge::Same => {
                    if let Some(r) = remote_group {
                        if base != Some(r) {
                            batch.ops.push(Op::PutBase(r.clone()));
                        }
                    } else if base.is_some() {
                        batch.ops.push(Op::DeleteBase(name.clone()));
                    }
                }
                Merge::TakeRemote(Some(r)) => {
                    let mut g = r.clone();
                    g.created_at = local.map_or(now, |l| l.created_at);
                    g.updated_at = now;
                    let event = match local {
                        None => sync_event(now, name, EventName::CreateGroup, &[]),
                        Some(l) => sync_event(
                            now,
                            name,
                            EventName::UpdateGroup,
                            &crate::store::ops::changed_fields(l, &r),
                        ),
                    };
                    batch.events.push(event);
                    batch.ops.push(expect(name, local));
                    batch.ops.push(Op::PutGroup(g));
                    batch.ops.push(Op::PutBase(r));
                    report.pulled += 1;
                }
                Merge::TakeRemote(None) => {
                    batch
                        .events
                        .push(sync_event(now, name, EventName::DeleteGroup, &[]));
                    if let Some(l) = local {
                        // Deleted on the server: kept restorable here for 30 days.
                        deletions += 1;
                        batch.ops.push(expect(name, local));
                        batch.ops.push(Op::PutTombstone(Tombstone {
                            group: l.clone(),
                            deleted_at: now,
                            by: crate::store::DeletedBy::Sync,
                        }));
                    }
                    batch.ops.push(Op::DeleteGroup(name.clone()));
                    batch.ops.push(Op::DeleteBase(name.clone()));
                    report.pulled += 1;
                }
                Merge::PushLocal => {
                    let action = match (local, remote_group) {
                        (None, _) => OutboxAction::Delete,
                        (Some(_), None) => OutboxAction::Create,
                        _ => OutboxAction::Update,
                    };
                    batch
                        .ops
                        .push(Op::Enqueue(OutboxEntry::new(name, action.as_str(), now)));
                    enqueued = true;
                }
                Merge::Combine(merged) => {
                    let r = remote_group.expect("combine has a server group");
                    let fields = local
                        .map(|l| crate::store::ops::changed_fields(l, &merged))
                        .unwrap_or_default();
                    batch
                        .events
                        .push(sync_event(now, name, EventName::UpdateGroup, &fields));
                    let mut g = merged.clone();
                    g.updated_at = now;
                    batch.ops.push(expect(name, local));
                    batch.ops.push(Op::PutGroup(g));
                    batch.ops.push(Op::PutBase(r.clone()));
                    batch.ops.push(Op::Enqueue(OutboxEntry::new(
                        name,
                        OutboxAction::Update.as_str(),
                        now,
                    )));
                    enqueued = true;
                    report.pulled += 1;
                }
                Merge::Conflict(fields) => {
                    report.conflicts.push(name.clone());
                    batch.ops.push(Op::PutConflict(Conflict {
                        group_name: name.clone(),
                        remote: remote_group.cloned(),
                        fields,
                        detected_at: now,
                    }));
                }
            }
        }
        if !part.ops.is_empty() || !part.events.is_empty() {
            parts.push(part);
        }
    }
    if is_mass_deletion(deletions, state.bases.len()) && !options.allow_mass_deletion {
        // Before anything is written: the person says whether these deletions are meant.
        return Err(SyncError::MassDeletion {
            count: deletions,
            synced: state.bases.len(),
        });
    }
    // Recently deleted entries older than their time go (the same rule as at start).
    let purge = crate::store::ops::purge_expired(&tombstones, now)
        .map(|b| b.ops)
        .unwrap_or_default();
    let deferred = apply_parts(store, parts, purge).await?;
    // Changed here meanwhile: their new outbox entries are pushed (and merged) right after.
    Ok(enqueued || !deferred.is_empty())
}

/// Checks, before anything is sent, that the backend's groups belong to the account this sync
/// state was made with, and binds the state to it on first sight. The account is read from
/// the ARNs that ListGroups returns (an empty backend says nothing, and nothing of another
/// account can be overwritten there). Without this, new credentials for account B would push
/// A's outbox into B, and the pull would "delete" every group of A here.
async fn bind_account<S: Store, R: Remote>(store: &S, remote: &R) -> Result<(), SyncError> {
    // An empty value: unbound (after "Switch account").
    let bound = store.setting(ACCOUNT_KEY).await?.filter(|b| !b.is_empty());
    let listed = remote.list_names().await?;
    let Some(account) = listed
        .iter()
        .find_map(|l| l.arn.as_deref().and_then(account_of))
    else {
        return Ok(());
    };
    let binding = account_binding(&remote.backend_id(), account);
    match bound {
        Some(b) if b == binding => Ok(()),
        Some(b) => Err(SyncError::AccountChanged {
            bound: binding_tail(&b).to_owned(),
            found: binding_tail(&binding).to_owned(),
        }),
        None => {
            store
                .apply(Batch {
                    ops: vec![Op::PutSetting(ACCOUNT_KEY.into(), binding)],
                    ..Batch::default()
                })
                .await?;
            Ok(())
        }
    }
}

/// Whether moving from `previous` to `next` is another backend for sync's purposes: another
/// URL or another signing region is another set of groups (same-named groups there are other
/// groups), so what was synced with the old one must not count there.
pub fn is_other_backend(
    previous: Option<&super::endpoint::Endpoint>,
    next: &super::endpoint::Endpoint,
) -> bool {
    previous.is_some_and(|p| p.base_url != next.base_url || p.region != next.region)
}

/// Saving a backend: its setting, sync on, and — for another backend — forgetting the bases,
/// conflicts and account binding of the old one (as [`switch_account`] does), in one batch.
/// The outbox stays: local changes not yet sent go to the new backend.
pub fn save_backend(
    previous: Option<&super::endpoint::Endpoint>,
    next: &super::endpoint::Endpoint,
    setting: String,
    state: &SyncState,
) -> Vec<Op> {
    let mut ops = vec![
        SettingKey::SyncEndpoint.put(setting),
        crate::store::settings::SyncEnabled::On.put(),
    ];
    if is_other_backend(previous, next) {
        ops.extend(switch_account(state, None));
    }
    ops
}

/// What switching to another account does: forget the old backend's bases and conflicts (as
/// for a new endpoint: local groups are uploaded, nothing is deleted here) and bind to
/// `binding`.
pub fn switch_account(state: &SyncState, binding: Option<String>) -> Vec<Op> {
    let mut ops = forget_backend(state);
    ops.push(Op::PutSetting(
        ACCOUNT_KEY.into(),
        binding.unwrap_or_default(),
    ));
    ops
}

/// One sync: push the outbox, pull and merge, and push again what the merge queued (first
/// sync of local groups, combined edits).
pub async fn run<S: Store, R: Remote>(
    store: &S,
    remote: &R,
    now: i64,
    options: RunOptions,
    progress: &dyn Fn(Progress),
) -> Result<Report, SyncError> {
    run_gated(store, remote, now, options, progress, &|_| true).await
}

/// [`run`], with a gate that sees what each push would send before it is sent
/// (`sync::outgoing`): when it answers `false` the push is held (reported in
/// [`Report::held`], the entries stay) and only the pull runs.
pub async fn run_gated<S: Store, R: Remote>(
    store: &S,
    remote: &R,
    now: i64,
    options: RunOptions,
    progress: &dyn Fn(Progress),
    gate: &dyn Fn(&super::outgoing::Outgoing) -> bool,
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    bind_account(store, remote).await?;
    let mut fresh = push(store, remote, now, options, &mut report, progress, gate).await?;
    let enqueued = pull(store, remote, now, options, &fresh, &mut report, progress).await?;
    if enqueued && report.held.is_none() {
        fresh.extend(push(store, remote, now, options, &mut report, progress, gate).await?);
    }
    crate::sort::sort(&mut report.conflicts);
    report.conflicts.dedup();
    Ok(report)
}
