//! What tag key and value fields suggest (a `<datalist>` under each): the keys and values of
//! the inventory — after a backend pull that is the account's — plus the keys the Tagging API
//! lists (`GetTagKeys`) for regions not pulled. Built once per change of the inventory.
//!
//! Bounded, because a datalist of 100,000 options makes typing slow: at most [`KEYS_MAX`]
//! keys (the most used first, then by name) and [`VALUES_MAX`] values per key (likewise), so
//! a `Name` tag with a different value on every resource still suggests quickly.

use std::collections::{BTreeMap, HashMap};

use crate::model::Resource;

pub const KEYS_MAX: usize = 500;
pub const VALUES_MAX: usize = 100;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vocabulary {
    keys: Vec<String>,
    values: BTreeMap<String, Vec<String>>,
}

/// The `max` most frequent of `counts`, most frequent first, ties by name.
fn top(counts: HashMap<&str, usize>, max: usize) -> Vec<String> {
    let mut list: Vec<(&str, usize)> = counts.into_iter().collect();
    crate::sort::sort_by(&mut list, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    list.into_iter()
        .take(max)
        .map(|(s, _)| s.to_owned())
        .collect()
}

impl Vocabulary {
    /// From the inventory, and further keys (the backend's) that are added after the
    /// inventory's own.
    pub fn build(resources: &[Resource], extra_keys: &[String]) -> Vocabulary {
        let mut keys: HashMap<&str, usize> = HashMap::new();
        let mut values: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for r in resources {
            for (k, v) in &r.tags {
                *keys.entry(k).or_default() += 1;
                if !v.is_empty() {
                    *values.entry(k).or_default().entry(v).or_default() += 1;
                }
            }
        }
        let mut list = top(keys, KEYS_MAX);
        let mut extra: Vec<&String> = extra_keys.iter().filter(|k| !list.contains(k)).collect();
        crate::sort::sort(&mut extra);
        extra.dedup();
        list.extend(
            extra
                .into_iter()
                .take(KEYS_MAX.saturating_sub(list.len()))
                .cloned(),
        );
        let values = values
            .into_iter()
            .filter(|(k, _)| list.iter().any(|l| l == k))
            .map(|(k, counts)| (k.to_owned(), top(counts, VALUES_MAX)))
            .collect();
        Vocabulary { keys: list, values }
    }

    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The values suggested for `key` (none for an unknown key).
    pub fn values(&self, key: &str) -> &[String] {
        self.values.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The values suggested for `key` with those the backend lists (`GetTagValues`) after
    /// the inventory's own, once each, at most [`VALUES_MAX`] in all.
    pub fn values_with(&self, key: &str, backend: &[String]) -> Vec<String> {
        let own = self.values(key);
        let mut list: Vec<String> = own.to_vec();
        let seen: std::collections::HashSet<&str> = own.iter().map(String::as_str).collect();
        let mut extra: Vec<&String> = backend
            .iter()
            .filter(|v| !v.is_empty() && !seen.contains(v.as_str()))
            .collect();
        crate::sort::sort(&mut extra);
        extra.dedup();
        list.extend(extra.into_iter().cloned());
        list.truncate(VALUES_MAX);
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_values_come_after_the_inventorys_once_each_and_bounded() {
        let v = Vocabulary::build(
            &[
                r(1, &[("環境", "本番")]),
                r(2, &[("環境", "開発")]),
                r(3, &[("環境", "本番")]),
            ],
            &[],
        );
        let backend: Vec<String> = ["ステージ", "", "本番", "ステージ", "a"]
            .map(String::from)
            .into();
        assert_eq!(
            v.values_with("環境", &backend),
            ["本番", "開発", "a", "ステージ"]
        );
        assert_eq!(v.values_with("Owner", &backend), ["a", "ステージ", "本番"]);
        let many: Vec<String> = (0..500).map(|i| format!("v{i:03}")).collect();
        assert_eq!(v.values_with("環境", &many).len(), VALUES_MAX);
    }

    fn r(i: usize, tags: &[(&str, &str)]) -> Resource {
        Resource::new(
            &format!("arn:aws:s3:::b{i}"),
            None,
            tags.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn the_most_used_first_and_bounded() {
        let mut rs = vec![
            r(0, &[("環境", "本番"), ("Team", "web")]),
            r(1, &[("環境", "開発")]),
        ];
        rs.extend((0..300).map(|i| r(i + 2, &[("Name", &format!("n{i:03}")), ("環境", "本番")])));
        let v = Vocabulary::build(
            &rs,
            &["Owner".to_owned(), "Team".to_owned(), "Owner".to_owned()],
        );
        assert_eq!(v.keys(), ["環境", "Name", "Team", "Owner"]);
        assert_eq!(v.values("環境"), ["本番", "開発"]);
        assert_eq!(v.values("Name").len(), VALUES_MAX);
        assert_eq!(v.values("Name")[0], "n000", "ties by name");
        assert!(v.values("Owner").is_empty() && v.values("absent").is_empty());
        let many: Vec<Resource> = (0..KEYS_MAX + 10)
            .map(|i| r(i, &[(&format!("k{i:04}"), "")]))
            .collect();
        let v = Vocabulary::build(&many, &["zz".to_owned()]);
        assert_eq!(v.keys().len(), KEYS_MAX);
        assert!(
            v.values("k0000").is_empty(),
            "empty values are not suggested"
        );
    }
}
