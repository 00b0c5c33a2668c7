//! Persistence: one store interface used by the UI (and later by sync), an in-memory store
//! (native tests, and the fallback when IndexedDB is unavailable), and IndexedDB (wasm).
//!
//! Every change is a [`Batch`]: records to put or delete plus the activity events that describe
//! them, applied in one transaction — all or nothing. The store validates every batch through
//! the model and the guard before anything is written, so no code path can persist a group whose
//! name or tags the guard blocks.

pub mod activity;
pub mod backup;
pub mod load;
pub mod memory;
pub mod ops;
pub mod records;
pub mod settings;
pub mod share;
pub mod sync_state;
pub mod touched;
pub mod transfer;
pub mod undo;
pub mod vault;

#[cfg(target_arch = "wasm32")]
pub mod any;
#[cfg(target_arch = "wasm32")]
pub mod channel;
#[cfg(target_arch = "wasm32")]
pub mod idb;

use std::fmt;

use crate::model::{Group, Resource, ValidationError};
pub use activity::{ActivityEvent, ActivityFilter, EventName, Source, ACTIVITY_MAX};
pub use load::{Quarantined, RecordKind};
pub use memory::MemoryStore;
pub use sync_state::{Conflict, DeletedBy, OutboxEntry, SyncState, Tombstone, TOMBSTONE_DAYS};
pub use touched::{TabMessage, Touched};

/// One change to stored data.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    PutGroup(Group),
    DeleteGroup(String),
    PutResource(Resource),
    DeleteResource(String),
    /// Settings are UI and endpoint preferences; never secrets (URLs are scanned).
    PutSetting(String, String),
    /// Removes every group, resource, setting, event and sync record (the event of this batch
    /// is kept).
    ClearAll,
    /// Adds an outbox entry (the store assigns its `seq`).
    Enqueue(OutboxEntry),
    /// Removes an outbox entry once the backend confirmed it.
    Dequeue(u64),
    /// The last-synced copy of a group.
    PutBase(Group),
    DeleteBase(String),
    PutConflict(Conflict),
    DeleteConflict(String),
    /// A precondition, checked inside the write transaction before anything is written: the
    /// stored group `name` is absent (`None`) or was last changed at `updated_at`. If another
    /// tab, the person or the sync engine changed it since it was read, the whole batch is
    /// refused with [`StoreError::Changed`]: no lost updates, whoever writes.
    ExpectGroup {
        name: String,
        updated_at: Option<i64>,
    },
    /// A group that sync deleted here because the backend no longer has it, kept restorable.
    PutTombstone(Tombstone),
    DeleteTombstone(String),
    /// Deletes a quarantined record (see `load.rs`) by its kind and stored key. Unlike
    /// `DeleteGroup` it never goes to the outbox: it removes a damaged copy here, not the group
    /// on a backend.
    DeleteQuarantined(RecordKind, String),
}

/// Changes applied together, all or nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    pub ops: Vec<Op>,
    pub events: Vec<ActivityEvent>,
    /// Bulk writes (imports) may use relaxed durability.
    pub bulk: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty() && self.events.is_empty()
    }

    /// Refuses the batch if any record is invalid or carries sensitive data. Every kind of
    /// record is checked, not only what a person edits: the sync engine's bases, conflicts and
    /// tombstones hold groups that came from a backend, and they are stored (and shown) just
    /// the same, so a backend cannot slip in what a form would refuse.
    pub fn check(&self) -> Result<(), StoreError> {
        self.ops.iter().try_for_each(check_op)
    }
}

/// The check of one operation: [`Batch::check`] for writes, and `load.rs` for each stored
/// record read back (as the operation that would write it).
pub(crate) fn check_op(op: &Op) -> Result<(), StoreError> {
    match op {
        Op::PutGroup(g) => check_group(g, "group")?,
        Op::PutBase(g) => check_group(g, "last-synced copy of group")?,
        Op::PutTombstone(t) => check_group(&t.group, "deleted group")?,
        Op::PutConflict(c) => {
            check_name_only(&c.group_name, "conflict of group")?;
            if let Some(remote) = &c.remote {
                if remote.name != c.group_name {
                    return Err(StoreError::Refused(
                        "A conflict must be about one group: the server's copy has another name."
                            .into(),
                    ));
                }
                check_group(remote, "server's copy of group")?;
            }
        }
        Op::Enqueue(e) => match OutboxAction::parse(&e.action) {
            None => {
                return Err(StoreError::Refused(
                    "An outbox entry must create, update or delete a group.".into(),
                ))
            }
            // Deleting sends only the name of a group the backend already has, and
            // must stay possible for a group stored before the guard knew its name.
            Some(OutboxAction::Delete) if !e.group_name.is_empty() => {}
            Some(_) => check_name_only(&e.group_name, "pending change of group")?,
        },
        Op::PutResource(r) => check_resource(r)?,
        // Account IDs as AWS names them, kept so a shared export can be imported back here:
        // allowed only in exactly the shape `share::AliasMaps` writes, nothing else.
        Op::PutSetting(key, value) if key == settings::SettingKey::SharedAliases.as_str() => {
            if share::AliasMaps::decode(value).encode() != *value {
                return Err(StoreError::Refused(
                    "Setting share.aliases: only the aliases of shared exports can be kept here."
                        .into(),
                ));
            }
        }
        // The detectors' own examples are what they match: kept, but only in the shape
        // `guard::custom::Detectors` writes, every detector passing its own checks.
        Op::PutSetting(key, value) if key == settings::SettingKey::CustomDetectors.as_str() => {
            if crate::guard::custom::Detectors::decode(value).encode() != *value {
                return Err(StoreError::Refused(
                    "Setting guard.detectors: only detectors that pass their own examples can be kept here."
                        .into(),
                ));
            }
        }
        // The one record kept in the clear: only the encryption code writes it, never a batch
        // (a restored file or a crafted change could otherwise replace the keys).
        Op::PutSetting(key, _) if key == vault::META_KEY => {
            return Err(StoreError::Refused(
                "Setting vault: it is written only when encryption is turned on, off or its passphrase changed.".into(),
            ))
        }
        Op::PutSetting(key, value) => {
            let findings = if value.contains("://") {
                crate::guard::scan_url(value)
            } else {
                crate::guard::scan_name(value)
            };
            if let Some(f) = findings.first() {
                return Err(StoreError::Refused(format!("Setting {key}: {}", f.message)));
            }
        }
        Op::DeleteGroup(_)
        | Op::DeleteResource(_)
        | Op::ClearAll
        | Op::Dequeue(_)
        | Op::DeleteBase(_)
        | Op::DeleteConflict(_)
        | Op::ExpectGroup { .. }
        | Op::DeleteTombstone(_)
        | Op::DeleteQuarantined(..) => {}
    }
    Ok(())
}

/// The check of one resource: a valid ARN, and tags the model and the guard accept.
pub fn check_resource(r: &Resource) -> Result<(), StoreError> {
    crate::model::Resource::new(&r.arn, Some(&r.resource_type), Vec::new())
        .map_err(|m| StoreError::Refused(format!("Resource ARN: {m}")))?;
    crate::model::inventory::check_resource_tags(&r.tags)
        .map_err(|m| StoreError::Refused(format!("Resource {}: {m}", r.arn)))
}

/// What an outbox entry asks the backend to do. Stored as today's spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxAction {
    Create,
    Update,
    Delete,
}

impl OutboxAction {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "CreateGroup" => Some(OutboxAction::Create),
            "UpdateGroup" => Some(OutboxAction::Update),
            "DeleteGroup" => Some(OutboxAction::Delete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxAction::Create => "CreateGroup",
            OutboxAction::Update => "UpdateGroup",
            OutboxAction::Delete => "DeleteGroup",
        }
    }
}

fn check_group(g: &Group, what: &str) -> Result<(), StoreError> {
    let errors = g.blocking_errors();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            what: format!("{what} {}", display_name(&g.name)),
            errors,
        })
    }
}

/// A record that names a group (an outbox entry, a conflict) needs a name that a group could
/// have: the same rules and the same guard.
fn check_name_only(name: &str, what: &str) -> Result<(), StoreError> {
    let errors = crate::model::group::check_name(name);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            what: format!("{what} {}", display_name(name)),
            errors,
        })
    }
}

/// A name for messages: names the guard flags are not repeated.
fn display_name(name: &str) -> String {
    if crate::guard::scan_name(name).is_empty() {
        format!("\u{201c}{name}\u{201d}")
    } else {
        "(name hidden: it contains sensitive data)".to_owned()
    }
}

/// The banner title for a database that could not be opened.
pub fn open_failure_title(e: &StoreError) -> &'static str {
    match e {
        StoreError::MigrationFailed(_) => "Your data could not be upgraded",
        StoreError::NewerVersion => "Data from a newer version",
        StoreError::Blocked => "Waiting for other tabs",
        StoreError::VersionChanged => "Reload needed",
        StoreError::QuotaExceeded => "The browser's storage is full",
        _ => "Changes are not saved on this device",
    }
}

/// Why a store operation failed, in words a person can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreError {
    /// A record failed validation or the guard; nothing was written.
    Invalid {
        what: String,
        errors: Vec<ValidationError>,
    },
    /// Refused for a reason stated in the message; nothing was written.
    Refused(String),
    NotFound(String),
    AlreadyExists(String),
    /// The browser's storage quota is used up; nothing was written.
    QuotaExceeded,
    /// IndexedDB cannot be used here (some private modes); the app keeps data in memory.
    Unavailable(String),
    /// Another tab keeps an older version of the database open.
    Blocked,
    /// The database on this device was written by a newer version of Group Console (the site
    /// was rolled back, or an old copy is cached); this version cannot read it. Nothing was
    /// changed.
    NewerVersion,
    /// Upgrading the stored data to this version failed; the upgrade was undone and the data
    /// is as the older version left it. The message says what failed, never a record.
    MigrationFailed(String),
    /// Another tab upgraded the database: this tab must reload.
    VersionChanged,
    /// The group was changed elsewhere (another tab, sync) after this copy was read; nothing
    /// was written.
    Changed(String),
    /// The data is encrypted and this tab has not unlocked it: nothing was read or written.
    Locked,
    /// Encryption was turned on or off (in another tab) since this tab opened the data;
    /// nothing was written. The tab must reload.
    VaultChanged,
    /// The part of the app that reads or writes these records (a chunk of the split release)
    /// could not be fetched: nothing was read or written. Names the part, in plain words.
    NotLoaded(&'static str),
    Failed(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Invalid { what, errors } => {
                write!(f, "The {what} was not saved: ")?;
                let msgs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                f.write_str(&msgs.join(" "))
            }
            StoreError::Refused(m) => write!(f, "Not saved. {m}"),
            StoreError::NotFound(what) => write!(f, "{what} does not exist (any more)."),
            StoreError::AlreadyExists(what) => write!(f, "{what} already exists; choose another name."),
            StoreError::QuotaExceeded => f.write_str(
                "The browser's storage for this site is full, so the change was not saved. Your earlier data is intact. Export and delete data you no longer need, or allow this site more storage.",
            ),
            StoreError::Unavailable(why) => write!(f, "This browser does not let the app store data ({why}). Changes are not saved on this device."),
            StoreError::Blocked => f.write_str(
                "Another tab of Group Console is open with an older version. Close or reload the other tabs to continue.",
            ),
            StoreError::NewerVersion => f.write_str(
                "The data in this browser was saved by a newer version of Group Console, which this version cannot read. Nothing was changed. Reload to get the newest version (if it persists, the site serves an old copy: tell whoever hosts it). Meanwhile you can export the stored data.",
            ),
            StoreError::MigrationFailed(why) => write!(f, "Your stored data could not be upgraded to this version of Group Console ({why}). The upgrade was undone: your data is untouched, as the earlier version left it. Export it to keep a copy, then report the problem. Until then, changes here last only until this tab is closed."),
            StoreError::VersionChanged => f.write_str(
                "Group Console was updated in another tab. Reload this tab to continue; nothing you saved is lost.",
            ),
            StoreError::Changed(name) => write!(f, "The group {} was changed elsewhere (in another tab or by sync) since this page read it, so your change was not saved over it. Your input is kept: review the group as it is now and save again.", display_name(name)),
            StoreError::Locked => f.write_str("The data here is encrypted and locked: unlock it with your passphrase first. Nothing was read or changed."),
            StoreError::VaultChanged => f.write_str("Encryption was turned on or off in another tab, so this tab's change was not saved (it would have been stored in the wrong form). Reload this tab to continue; nothing saved is lost."),
            StoreError::NotLoaded(part) => write!(f, "The part of the app that {part} could not be loaded, so nothing was read or changed. Check your connection, then try again."),
            StoreError::Failed(m) => write!(f, "The change could not be saved: {m}. Your earlier data is intact."),
        }
    }
}

impl std::error::Error for StoreError {}

/// The resources of `sorted` (in ARN order) with these ARNs, in the order of `arns`; `None`
/// for an ARN it does not hold. What [`Store::resources_by_arn`] answers from what was read.
pub fn pick_by_arn(
    sorted: &[Resource],
    arns: &std::collections::BTreeSet<String>,
) -> Vec<(String, Option<Resource>)> {
    arns.iter()
        .map(|a| {
            let found = sorted
                .binary_search_by(|r| r.arn.as_str().cmp(a))
                .ok()
                .and_then(|i| sorted.get(i).cloned());
            (a.clone(), found)
        })
        .collect()
}

/// The store interface. Reads return everything (the app keeps it in memory for tables);
/// writes go through [`Store::apply`].
#[allow(async_fn_in_trait)]
pub trait Store {
    async fn groups(&self) -> Result<Vec<Group>, StoreError>;
    async fn group(&self, name: &str) -> Result<Option<Group>, StoreError>;
    /// The groups, and the group records set aside (quarantined) while reading them: one read
    /// where the app needs both at start (reading 10,000 groups twice costs a fifth of a
    /// second of a busy page).
    async fn groups_and_quarantine(&self) -> Result<(Vec<Group>, Vec<Quarantined>), StoreError> {
        Ok((
            self.groups().await?,
            self.quarantine(&[RecordKind::Group]).await?,
        ))
    }
    /// Every resource, in ARN order.
    async fn resources(&self) -> Result<Vec<Resource>, StoreError>;
    /// Resources as stored, decoded but not yet checked, for the first paint of a large
    /// inventory: checking 100,000 resources' tags takes about a second, decoding them a tenth
    /// of that. The caller must put them through [`check_resource`] soon after (the app does,
    /// in the background, between frames) and drop what fails; writes are checked anyway, so
    /// nothing unchecked is ever stored again or sent. Stores without a faster way answer
    /// [`Store::resources`].
    async fn resources_unchecked(&self) -> Result<Vec<Resource>, StoreError> {
        self.resources().await
    }
    /// The current state of these resources, by ARN: `None` for one that is not stored (or
    /// is quarantined). What a tab patches after a change of a few resources, instead of
    /// reading the whole inventory; in the order of `arns`.
    async fn resources_by_arn(
        &self,
        arns: &std::collections::BTreeSet<String>,
    ) -> Result<Vec<(String, Option<Resource>)>, StoreError> {
        Ok(pick_by_arn(&self.resources().await?, arns))
    }
    /// Events, newest first.
    async fn activity(&self, filter: &ActivityFilter) -> Result<Vec<ActivityEvent>, StoreError>;
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// The outbox, bases and conflicts.
    async fn sync_state(&self) -> Result<SyncState, StoreError>;
    /// Groups deleted here by sync, kept restorable; oldest first.
    async fn tombstones(&self) -> Result<Vec<Tombstone>, StoreError>;
    /// Stored records of these kinds that failed to decode or to pass the checks, set aside
    /// on load (see `load.rs`).
    async fn quarantine(&self, kinds: &[RecordKind]) -> Result<Vec<Quarantined>, StoreError>;
    /// Applies a batch atomically after [`Batch::check`]; what it touched.
    async fn apply(&self, batch: Batch) -> Result<Touched, StoreError>;
}
