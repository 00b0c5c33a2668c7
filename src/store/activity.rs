//! The activity log: every change as an event, in the spirit of CloudTrail — time, event name,
//! group, the names of the changed fields, and where the change came from. Descriptions are
//! private: their text never enters an event (only the field name "Description" does), and
//! neither do credentials.

use serde::{Deserialize, Serialize};

/// The log keeps the newest events only; older ones are removed in the same transaction.
pub const ACTIVITY_MAX: usize = 10_000;

/// Where a change came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Local,
    Import,
    Sync,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Local => "local",
            Source::Import => "import",
            Source::Sync => "sync",
        }
    }
}

/// What an event records. The names follow the AWS API where there is one (`CreateGroup`,
/// `UpdateGroupQuery`, `Tag`, …) and are stored and exported as they are spelled here: they
/// never change.
///
/// The log outlives versions: a database written by a newer version can hold names this one
/// has never heard of. They read as [`EventName::Other`] and are shown and exported as stored,
/// so one unknown event never makes the whole log unreadable. `Other` holds only names that
/// are none of the known ones ([`EventName::parse`] sees to that), so a name reads back as
/// the variant it was written from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EventName {
    CreateGroup,
    /// The description changed.
    UpdateGroup,
    /// The resource query (or configuration) changed.
    UpdateGroupQuery,
    /// Tags set on a group (fields: the keys).
    Tag,
    /// Tags removed from a group (fields: the keys).
    Untag,
    DeleteGroup,
    ImportGroups,
    ImportResources,
    /// Tags set on inventory resources (fields: the keys; count: the resources).
    TagResources,
    UntagResources,
    DeleteAllData,
    /// A sync conflict decided (fields: the conflicting fields, then how).
    ResolveConflict,
    /// Damaged stored records deleted from Settings.
    DeleteQuarantined,
    /// Groups sent to a backend by a sync (fields: what was sent; count: the groups; target:
    /// the host). Never values.
    SendGroups,
    /// A data-protection finding fixed from the Data protection page (fields: what changed;
    /// the group is named only when its name is clean; "Name" for a copy under a new name,
    /// whose original was then deleted).
    FixSensitiveData,
    /// A change taken back with "Undo" (fields: what was undone, as the notice named it;
    /// count: the records put back).
    Undo,
    /// Groups brought back from Recently deleted (count: the groups).
    RestoreGroup,
    /// Groups in Recently deleted for longer than it keeps them, removed for good (count).
    PurgeDeleted,
    /// Everything replaced by the contents of a backup file (count: the groups).
    RestoreBackup,
    /// Resources removed from this browser's inventory (count); the resources themselves, in
    /// AWS, are not touched.
    RemoveResources,
    /// Encryption at rest turned on (count: the groups encrypted).
    EncryptionOn,
    /// Encryption at rest turned off: the data is stored in the clear again (count).
    EncryptionOff,
    /// The passphrase of the encrypted data changed (the keys re-wrapped, no record touched).
    ChangePassphrase,
    /// A name this version does not know (written by a newer one), kept as stored.
    Other(String),
}

impl EventName {
    /// Every name this version writes. Keep in step with [`EventName::as_str`].
    pub const KNOWN: [EventName; 23] = [
        EventName::CreateGroup,
        EventName::UpdateGroup,
        EventName::UpdateGroupQuery,
        EventName::Tag,
        EventName::Untag,
        EventName::DeleteGroup,
        EventName::ImportGroups,
        EventName::ImportResources,
        EventName::TagResources,
        EventName::UntagResources,
        EventName::DeleteAllData,
        EventName::ResolveConflict,
        EventName::DeleteQuarantined,
        EventName::SendGroups,
        EventName::FixSensitiveData,
        EventName::Undo,
        EventName::RestoreGroup,
        EventName::PurgeDeleted,
        EventName::RestoreBackup,
        EventName::RemoveResources,
        EventName::EncryptionOn,
        EventName::EncryptionOff,
        EventName::ChangePassphrase,
    ];

    /// The stored spelling.
    pub fn as_str(&self) -> &str {
        match self {
            EventName::CreateGroup => "CreateGroup",
            EventName::UpdateGroup => "UpdateGroup",
            EventName::UpdateGroupQuery => "UpdateGroupQuery",
            EventName::Tag => "Tag",
            EventName::Untag => "Untag",
            EventName::DeleteGroup => "DeleteGroup",
            EventName::ImportGroups => "ImportGroups",
            EventName::ImportResources => "ImportResources",
            EventName::TagResources => "TagResources",
            EventName::UntagResources => "UntagResources",
            EventName::DeleteAllData => "DeleteAllData",
            EventName::ResolveConflict => "ResolveConflict",
            EventName::DeleteQuarantined => "DeleteQuarantined",
            EventName::FixSensitiveData => "FixSensitiveData",
            EventName::SendGroups => "SendGroups",
            EventName::Undo => "Undo",
            EventName::RestoreGroup => "RestoreGroup",
            EventName::PurgeDeleted => "PurgeDeleted",
            EventName::RestoreBackup => "RestoreBackup",
            EventName::RemoveResources => "RemoveResources",
            EventName::EncryptionOn => "EncryptionOn",
            EventName::EncryptionOff => "EncryptionOff",
            EventName::ChangePassphrase => "ChangePassphrase",
            EventName::Other(name) => name,
        }
    }

    /// The name of a stored spelling; never fails (unknown ones are [`EventName::Other`]).
    pub fn parse(s: &str) -> Self {
        EventName::KNOWN
            .into_iter()
            .find(|n| n.as_str() == s)
            .unwrap_or_else(|| EventName::Other(s.to_owned()))
    }
}

impl std::fmt::Display for EventName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// By hand rather than derived: a plain string both ways, and no name is refused on reading.
impl Serialize for EventName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(EventName::parse(&name))
    }
}

/// One event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEvent {
    /// Assigned by the store (increasing); 0 before it is stored (and then not written, so
    /// IndexedDB's key generator assigns it).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: u64,
    /// Milliseconds since the Unix epoch.
    pub time: i64,
    pub event_name: EventName,
    /// The group concerned, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Names of changed fields (never their values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    pub source: Source,
    /// How many records a bulk event concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Where data went, for `SendGroups`: the backend's host (never a URL with a path or query).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

impl ActivityEvent {
    pub fn new(time: i64, event_name: EventName, group_name: Option<&str>, source: Source) -> Self {
        ActivityEvent {
            id: 0,
            time,
            event_name,
            group_name: group_name.map(str::to_owned),
            fields: Vec::new(),
            source,
            count: None,
            target: None,
        }
    }

    /// The names of the changed fields: [`GroupField`]s, or tag keys for the tag events.
    ///
    /// [`GroupField`]: crate::model::GroupField
    pub fn with_fields<F: AsRef<str>>(mut self, fields: &[F]) -> Self {
        self.fields = fields.iter().map(|f| f.as_ref().to_owned()).collect();
        self
    }

    pub fn with_count(mut self, count: usize) -> Self {
        self.count = Some(count as u32);
        self
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Which events to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub group_name: Option<String>,
    pub event_name: Option<EventName>,
}

impl ActivityFilter {
    pub fn accepts(&self, e: &ActivityEvent) -> bool {
        self.group_name
            .as_ref()
            .is_none_or(|g| e.group_name.as_ref() == Some(g))
            && self.event_name.as_ref().is_none_or(|n| &e.event_name == n)
    }
}

/// Events as JSON Lines, one event per line, oldest first.
pub fn to_json_lines(events: &[ActivityEvent]) -> String {
    let mut out = String::new();
    for e in events {
        if let Ok(line) = serde_json::to_string(e) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_and_json_lines() {
        let a = ActivityEvent::new(1, EventName::CreateGroup, Some("web"), Source::Local);
        let b = ActivityEvent::new(2, EventName::UpdateGroup, Some("db"), Source::Import)
            .with_fields(&[crate::model::GroupField::Description]);
        let f = ActivityFilter {
            group_name: Some("db".into()),
            event_name: None,
        };
        assert!(!f.accepts(&a) && f.accepts(&b));
        let by_name = ActivityFilter {
            group_name: None,
            event_name: Some(EventName::CreateGroup),
        };
        assert!(by_name.accepts(&a) && !by_name.accepts(&b));
        let jsonl = to_json_lines(&[a, b]);
        assert_eq!(jsonl.lines().count(), 2);
        assert!(jsonl.contains(r#""eventName":"UpdateGroup""#));
        assert!(jsonl.contains(r#""fields":["Description"]"#));
    }

    /// Events as the version before the enum wrote them read back into it and are written
    /// out byte for byte the same: stored logs and exports need no migration.
    #[test]
    fn stored_events_read_and_write_back_unchanged() {
        let stored = [
            r#"{"id":7,"time":1,"eventName":"CreateGroup","groupName":"web","source":"local"}"#,
            r#"{"time":2,"eventName":"UpdateGroup","groupName":"web","fields":["Description"],"source":"import"}"#,
            r#"{"time":3,"eventName":"UpdateGroupQuery","groupName":"web","fields":["ResourceQuery"],"source":"sync"}"#,
            r#"{"time":4,"eventName":"Tag","groupName":"web","fields":["Owner"],"source":"local"}"#,
            r#"{"time":5,"eventName":"Untag","groupName":"web","fields":["Team"],"source":"local"}"#,
            r#"{"time":6,"eventName":"DeleteGroup","groupName":"web","source":"sync"}"#,
            r#"{"time":7,"eventName":"ImportGroups","source":"import","count":2}"#,
            r#"{"time":8,"eventName":"ImportResources","source":"import","count":3}"#,
            r#"{"time":9,"eventName":"TagResources","fields":["Env"],"source":"local","count":4}"#,
            r#"{"time":10,"eventName":"UntagResources","fields":["Env"],"source":"local","count":4}"#,
            r#"{"time":11,"eventName":"DeleteAllData","source":"local"}"#,
            r#"{"time":12,"eventName":"ResolveConflict","groupName":"web","fields":["Tags","KeepMine"],"source":"local"}"#,
            r#"{"time":13,"eventName":"DeleteQuarantined","source":"local","count":1}"#,
            r#"{"time":14,"eventName":"SendGroups","fields":["name","tags"],"source":"sync","count":2,"target":"rg.example.com"}"#,
            r#"{"time":15,"eventName":"FixSensitiveData","groupName":"web","fields":["Name"],"source":"local"}"#,
            r#"{"time":16,"eventName":"Undo","groupName":"web","fields":["Groups deleted"],"source":"local","count":1}"#,
            r#"{"time":17,"eventName":"RestoreGroup","groupName":"web","source":"local","count":1}"#,
            r#"{"time":18,"eventName":"PurgeDeleted","source":"local","count":3}"#,
            r#"{"time":19,"eventName":"RestoreBackup","source":"import","count":2}"#,
            r#"{"time":20,"eventName":"RemoveResources","source":"local","count":5}"#,
            r#"{"time":21,"eventName":"EncryptionOn","source":"local","count":2}"#,
            r#"{"time":22,"eventName":"EncryptionOff","source":"local","count":2}"#,
            r#"{"time":23,"eventName":"ChangePassphrase","source":"local"}"#,
        ];
        let mut seen = Vec::new();
        for json in stored {
            let e: ActivityEvent = serde_json::from_str(json).unwrap();
            assert!(!matches!(e.event_name, EventName::Other(_)), "{json}");
            assert_eq!(serde_json::to_string(&e).unwrap(), json);
            seen.push(e.event_name);
        }
        assert_eq!(seen, EventName::KNOWN, "every known name is covered");
    }

    #[test]
    fn unknown_names_survive() {
        // From a newer version: read, shown and written back as stored.
        let json = r#"[{"time":1,"eventName":"ArchiveGroup","groupName":"web","source":"sync"},{"time":2,"eventName":"CreateGroup","source":"local"}]"#;
        let events: Vec<ActivityEvent> = serde_json::from_str(json).unwrap();
        assert_eq!(
            events[0].event_name,
            EventName::Other("ArchiveGroup".into())
        );
        assert_eq!(events[0].event_name.to_string(), "ArchiveGroup");
        assert_eq!(events[1].event_name, EventName::CreateGroup);
        assert_eq!(serde_json::to_string(&events).unwrap(), json);
        // Spellings are exact: another case is another (unknown) name, kept as it is.
        assert_eq!(
            EventName::parse("creategroup"),
            EventName::Other("creategroup".into())
        );
        // An event name that is not a string is a damaged record, not an unknown name.
        assert!(serde_json::from_str::<ActivityEvent>(
            r#"{"time":1,"eventName":5,"source":"local"}"#
        )
        .is_err());
    }

    #[test]
    fn names_parse_back_to_their_variant() {
        for n in EventName::KNOWN {
            assert_eq!(EventName::parse(n.as_str()), n);
        }
    }
}
