//! Persistence: one store interface used by the UI (and later by sync), an in-memory store
//! (native tests, and the fallback when IndexedDB is unavailable), and IndexedDB (wasm).
//!
//! Every change is a [`Batch`]: records to put or delete plus the activity events that describe
//! them, applied in one transaction — all or nothing. The store validates every batch through
//! the model and the guard before anything is written, so no code path can persist a group whose
//! name or tags the guard blocks.

pub mod activity;
pub mod memory;
pub mod ops;
pub mod records;
pub mod sync_state;
pub mod transfer;

#[cfg(target_arch = "wasm32")]
pub mod any;
#[cfg(target_arch = "wasm32")]
pub mod channel;
#[cfg(target_arch = "wasm32")]
pub mod idb;

use std::fmt;

use crate::model::{Group, Resource, ValidationError};
pub use activity::{ActivityEvent, ActivityFilter, Source, ACTIVITY_MAX};
pub use memory::MemoryStore;
pub use sync_state::{Conflict, OutboxEntry, SyncState, Tombstone, TOMBSTONE_DAYS};

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

    /// Refuses the batch if any record is invalid or carries sensitive data.
    pub fn check(&self) -> Result<(), StoreError> {
        for op in &self.ops {
            match op {
                Op::PutGroup(g) => {
                    let errors = g.blocking_errors();
                    if !errors.is_empty() {
                        return Err(StoreError::Invalid {
                            what: format!("group {}", display_name(&g.name)),
                            errors,
                        });
                    }
                }
                Op::PutResource(r) => {
                    crate::model::Resource::new(&r.arn, Some(&r.resource_type), Vec::new())
                        .map_err(|m| StoreError::Refused(format!("Resource ARN: {m}")))?;
                    crate::model::inventory::check_resource_tags(&r.tags)
                        .map_err(|m| StoreError::Refused(format!("Resource {}: {m}", r.arn)))?;
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
                | Op::Enqueue(_)
                | Op::Dequeue(_)
                | Op::PutBase(_)
                | Op::DeleteBase(_)
                | Op::PutConflict(_)
                | Op::DeleteConflict(_)
                | Op::ExpectGroup { .. }
                | Op::PutTombstone(_)
                | Op::DeleteTombstone(_) => {}
            }
        }
        Ok(())
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
    /// Another tab upgraded the database: this tab must reload.
    VersionChanged,
    /// The group was changed elsewhere (another tab, sync) after this copy was read; nothing
    /// was written.
    Changed(String),
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
            StoreError::VersionChanged => f.write_str(
                "Group Console was updated in another tab. Reload this tab to continue; nothing you saved is lost.",
            ),
            StoreError::Changed(name) => write!(f, "The group {} was changed elsewhere (in another tab or by sync) since this page read it, so your change was not saved over it. Your input is kept: review the group as it is now and save again.", display_name(name)),
            StoreError::Failed(m) => write!(f, "The change could not be saved: {m}. Your earlier data is intact."),
        }
    }
}

impl std::error::Error for StoreError {}

/// The store interface. Reads return everything (the app keeps it in memory for tables);
/// writes go through [`Store::apply`].
#[allow(async_fn_in_trait)]
pub trait Store {
    async fn groups(&self) -> Result<Vec<Group>, StoreError>;
    async fn group(&self, name: &str) -> Result<Option<Group>, StoreError>;
    async fn resources(&self) -> Result<Vec<Resource>, StoreError>;
    /// Events, newest first.
    async fn activity(&self, filter: &ActivityFilter) -> Result<Vec<ActivityEvent>, StoreError>;
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// The outbox, bases and conflicts.
    async fn sync_state(&self) -> Result<SyncState, StoreError>;
    /// Groups deleted here by sync, kept restorable; oldest first.
    async fn tombstones(&self) -> Result<Vec<Tombstone>, StoreError>;
    /// Applies a batch atomically after [`Batch::check`].
    async fn apply(&self, batch: Batch) -> Result<(), StoreError>;
}
