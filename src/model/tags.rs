//! The difference between two versions of a group's tags, in the terms of the AWS API: the
//! keys to Tag (with their new values) and the keys to Untag.
//!
//! One diff for everyone who needs it: the activity events of an edit (store) and the Tag and
//! Untag calls that send edits (sync) must agree on which keys a change sets and which it
//! removes, or the log would describe a change other than the one that went out.

use std::collections::BTreeMap;

use super::group::Tags;

/// What turns the old tags into the new ones. A key whose value changed is in `set`, not in
/// `remove`: Tag replaces a value, so untagging it first would only open a window in which
/// the group has no such tag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagDiff {
    /// Keys that are new or whose value changed, with the new value; sorted by key.
    pub set: BTreeMap<String, String>,
    /// Keys that are gone; sorted.
    pub remove: Vec<String>,
}

impl TagDiff {
    /// The diff from `old` to `new`. Keys compare as exact strings (no case folding or
    /// normalisation), as AWS compares them.
    pub fn between(old: &Tags, new: &Tags) -> Self {
        TagDiff {
            set: new
                .iter()
                .filter(|(k, v)| old.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            remove: old
                .keys()
                .filter(|k| !new.contains_key(*k))
                .cloned()
                .collect(),
        }
    }

    /// Whether the tags are the same.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }

    /// The keys in `set`, sorted.
    pub fn set_keys(&self) -> Vec<&str> {
        self.set.keys().map(String::as_str).collect()
    }

    /// The keys in `remove`, sorted.
    pub fn remove_keys(&self) -> Vec<&str> {
        self.remove.iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn same_tags_are_no_change() {
        let t = tags(&[("Team", "A"), ("Stage", "Prod")]);
        assert!(TagDiff::between(&t, &t).is_empty());
        assert!(TagDiff::between(&Tags::new(), &Tags::new()).is_empty());
    }

    #[test]
    fn added_changed_and_removed_keys() {
        let old = tags(&[("Old", "x"), ("Same", "1"), ("Team", "A")]);
        let new = tags(&[("New", "y"), ("Same", "1"), ("Team", "B")]);
        let d = TagDiff::between(&old, &new);
        assert_eq!(d.set, tags(&[("New", "y"), ("Team", "B")]));
        assert_eq!(d.remove, ["Old"]);
        assert_eq!(d.set_keys(), ["New", "Team"]);
        assert_eq!(d.remove_keys(), ["Old"]);
        assert!(!d.is_empty());
    }

    #[test]
    fn from_and_to_nothing() {
        let t = tags(&[("b", "2"), ("a", "1")]);
        let all_new = TagDiff::between(&Tags::new(), &t);
        assert_eq!(all_new.set, t);
        assert!(all_new.remove.is_empty());
        let all_gone = TagDiff::between(&t, &Tags::new());
        assert!(all_gone.set.is_empty());
        assert_eq!(all_gone.remove, ["a", "b"]);
    }

    #[test]
    fn an_emptied_value_is_a_change_not_a_removal() {
        let d = TagDiff::between(&tags(&[("Team", "A")]), &tags(&[("Team", "")]));
        assert_eq!(d.set, tags(&[("Team", "")]));
        assert!(d.remove.is_empty());
    }

    #[test]
    fn non_ascii_keys_compare_exactly() {
        // Precomposed "ü" and "u" + combining diaeresis look alike but are different keys to
        // AWS; case differs too. None of them is folded into another.
        let old = tags(&[
            ("Kostenstelle-ä", "Zürich"),
            ("K\u{fc}hl", "1"),
            ("Ωmega", "x"),
            ("部署", "開発"),
        ]);
        let new = tags(&[
            ("Kostenstelle-ä", "Zürich"),
            ("Ku\u{308}hl", "1"),
            ("ωmega", "x"),
            ("部署", "営業"),
        ]);
        let d = TagDiff::between(&old, &new);
        assert_eq!(
            d.set,
            tags(&[("Ku\u{308}hl", "1"), ("ωmega", "x"), ("部署", "営業")])
        );
        assert_eq!(d.remove, ["K\u{fc}hl", "Ωmega"]);
    }
}
