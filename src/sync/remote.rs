//! The backend as sync sees it: the [`Remote`] trait, what it answers ([`Listed`],
//! [`Fetched`]) and why a call failed ([`RemoteError`]).
//!
//! Its own module so that the dependencies run one way: the engine decides over any
//! [`Remote`] (a scripted fake in native tests), the HTTP client in [`super::api`] is one, and
//! neither depends on the other. Nothing here sends a request or touches the store.

use std::fmt;

use crate::model::Group;

/// A group as read from the server: the model's group, or why it cannot be taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    pub name: String,
    pub group: Result<Group, String>,
    /// When `group` is refused only because the model or the guard blocks what it holds (a
    /// name with an account ID, a card number in a tag): the group as the backend gave it. It
    /// is never stored; the engine hands it to the UI in [`crate::sync::engine::Report`] so the
    /// data-protection audit can say where the problem is and "Copy to a new name" can fix it.
    pub as_read: Option<Group>,
}

/// One group as ListGroups names it: what the list already says saves reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub arn: Option<String>,
    /// `None`: the list did not say.
    pub description: Option<String>,
    /// Display name, owner, criticality and application tag; `None`: the list did not say.
    pub labels: Option<crate::model::wire::GroupLabels>,
    /// The backend said this group has no configuration beside its query (it was left out of
    /// a ListGroups filtered by `AWS::NetworkFirewall::RuleGroup`, the configuration type AWS
    /// documents beside a query), so a read may skip GetGroupConfiguration. `false`: not
    /// known, read it.
    pub query_only: bool,
}

/// The backend, as the engine sees it.
#[allow(async_fn_in_trait)]
pub trait Remote {
    /// Every group (all pages), sorted by name.
    async fn list(&self) -> Result<Vec<Listed>, RemoteError>;
    /// Every group's name and ARN, for what needs no more (which account the backend is):
    /// may skip what `list` adds to save reads.
    async fn list_names(&self) -> Result<Vec<Listed>, RemoteError> {
        self.list().await
    }
    /// One group with its query and tags; `None` if it does not exist.
    async fn fetch(&self, name: &str) -> Result<Option<Fetched>, RemoteError>;
    /// A listed group in full; may skip reading what the list already gave.
    async fn fetch_listed(&self, listed: &Listed) -> Result<Option<Fetched>, RemoteError> {
        self.fetch(&listed.name).await
    }
    /// Creates a group; its ARN.
    async fn create(&self, group: &Group) -> Result<Option<String>, RemoteError>;
    /// Changes the server's `base` into `new` (description, labels, query, tags).
    async fn update(&self, base: &Group, new: &Group) -> Result<(), RemoteError>;
    async fn delete(&self, name: &str) -> Result<(), RemoteError>;
    /// Which backend this is (endpoint and region), for binding the sync state to one account.
    fn backend_id(&self) -> String {
        String::new()
    }
}

/// Why a call to the backend failed, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoteError {
    /// No answer: offline, DNS, TLS or CORS.
    Unreachable(String),
    Throttled,
    Server(u16),
    /// The signature does not match, or the key is unknown or expired.
    Credentials,
    /// Valid credentials without permission.
    Forbidden,
    NotFound,
    AlreadyExists,
    /// The backend lacks this operation.
    NotSupported(&'static str),
    /// The backend refused the request (validation); its message.
    Rejected(String),
    /// The answer could not be read.
    BadResponse(String),
}

impl RemoteError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            RemoteError::Unreachable(_) | RemoteError::Throttled | RemoteError::Server(_)
        )
    }
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteError::Unreachable(why) => write!(
                f,
                "The backend could not be reached ({why}). Check the network connection and the endpoint URL; your changes wait in the outbox."
            ),
            RemoteError::Throttled => f.write_str(
                "The backend is throttling requests (too many requests). Sync will try again later; your changes wait in the outbox.",
            ),
            RemoteError::Server(status) => write!(
                f,
                "The backend failed (HTTP {status}). Sync will try again later; your changes wait in the outbox."
            ),
            RemoteError::Credentials => f.write_str(
                "The backend rejected the credentials: the signature does not match, or the access key is unknown or expired. Check the access key ID, the secret access key and the session token, then sign in again.",
            ),
            RemoteError::Forbidden => f.write_str(
                "The backend accepted the credentials but denied access. Check the IAM permissions for AWS Resource Groups.",
            ),
            RemoteError::NotFound => f.write_str("The group does not exist on the backend."),
            RemoteError::AlreadyExists => {
                f.write_str("A group with this name already exists on the backend.")
            }
            RemoteError::NotSupported(op) => {
                write!(f, "This backend does not support {op}.")
            }
            RemoteError::Rejected(m) => write!(f, "The backend refused the change: {m}"),
            RemoteError::BadResponse(m) => {
                write!(f, "The backend's answer could not be read ({m}).")
            }
        }
    }
}

impl std::error::Error for RemoteError {}
