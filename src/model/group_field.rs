//! The parts of a group that a change or a sync conflict is about, named once for the store,
//! the sync engine and the conflict page.
//!
//! The spellings are stored (conflict records, activity events) and exported: they never
//! change. A new field gets a new variant and a new spelling; a spelling this version does not
//! know is what an older version reads from a newer one, so readers use [`GroupField::parse`]
//! and skip what it does not recognise rather than refuse the record.

use serde::{Deserialize, Serialize};

/// What a change or a conflict is about. The order (`Ord`) is the order of the fields on the
/// page and in merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GroupField {
    Description,
    DisplayName,
    Owner,
    Criticality,
    /// The resource query, or the configuration of a service-linked group.
    ResourceQuery,
    Tags,
    /// The group as a whole: one side deleted it while the other changed it.
    Group,
}

impl GroupField {
    /// Every field, in order.
    pub const ALL: [GroupField; 7] = [
        GroupField::Description,
        GroupField::DisplayName,
        GroupField::Owner,
        GroupField::Criticality,
        GroupField::ResourceQuery,
        GroupField::Tags,
        GroupField::Group,
    ];

    /// The stored spelling (the same as serde's).
    pub const fn as_str(self) -> &'static str {
        match self {
            GroupField::Description => "Description",
            GroupField::DisplayName => "DisplayName",
            GroupField::Owner => "Owner",
            GroupField::Criticality => "Criticality",
            GroupField::ResourceQuery => "ResourceQuery",
            GroupField::Tags => "Tags",
            GroupField::Group => "Group",
        }
    }

    /// The field of a stored spelling; `None` for one this version does not know.
    pub fn parse(s: &str) -> Option<Self> {
        GroupField::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl AsRef<str> for GroupField {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for GroupField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_todays() {
        let json = serde_json::to_string(&GroupField::ALL).unwrap();
        assert_eq!(
            json,
            r#"["Description","DisplayName","Owner","Criticality","ResourceQuery","Tags","Group"]"#
        );
        let back: Vec<GroupField> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, GroupField::ALL);
        for f in GroupField::ALL {
            assert_eq!(GroupField::parse(f.as_str()), Some(f));
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{f}\""));
        }
        assert_eq!(GroupField::parse("Configuration"), None);
        assert_eq!(
            GroupField::parse("ApplicationTag"),
            None,
            "read-only, never a change"
        );
        assert_eq!(
            GroupField::parse("description"),
            None,
            "spellings are exact"
        );
    }
}
