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
    /// `CreateGroup`, `UpdateGroup`, `DeleteGroup`, `TagResource`, `UntagResource`,
    /// `ImportGroups`, `ImportResources`, `DeleteResources`, `DeleteAllData`, …
    pub event_name: String,
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
}

impl ActivityEvent {
    pub fn new(time: i64, event_name: &str, group_name: Option<&str>, source: Source) -> Self {
        ActivityEvent {
            id: 0,
            time,
            event_name: event_name.to_owned(),
            group_name: group_name.map(str::to_owned),
            fields: Vec::new(),
            source,
            count: None,
        }
    }

    pub fn with_fields(mut self, fields: &[&str]) -> Self {
        self.fields = fields.iter().map(|f| (*f).to_owned()).collect();
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
    pub event_name: Option<String>,
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
        let a = ActivityEvent::new(1, "CreateGroup", Some("web"), Source::Local);
        let b = ActivityEvent::new(2, "UpdateGroup", Some("db"), Source::Import)
            .with_fields(&["Description"]);
        let f = ActivityFilter {
            group_name: Some("db".into()),
            event_name: None,
        };
        assert!(!f.accepts(&a) && f.accepts(&b));
        let jsonl = to_json_lines(&[a, b]);
        assert_eq!(jsonl.lines().count(), 2);
        assert!(jsonl.contains(r#""eventName":"UpdateGroup""#));
        assert!(jsonl.contains(r#""fields":["Description"]"#));
    }
}
