//! The Resources table's own state beyond the finder: which columns it shows (the fixed
//! ones and one per tag key the person picked), how it is sorted, and how a sorted order and
//! the finder's matches give the rows of the page on screen. Pure, tested on the host.
//!
//! - The finder ([`super::finder::FinderMatches`]) gives matches in inventory order, the
//!   order the index is built in. Sorting is a separate [`ResourceOrder`], made when the
//!   inventory or the sort changes, never on a keystroke. The page is then found by walking
//!   the order and keeping the positions the finder matched (a bit per resource): linear in
//!   the inventory, about a millisecond at 100,000, and no re-sort while typing.
//! - Rows that compare equal are ordered by ARN, so an order is the same whatever the
//!   inventory's order was. A tag column puts resources without that tag last in both
//!   directions: "sort by Owner" shows owners, then the resources nobody owns.
//! - Comparison is by Unicode scalar values (Rust's `str` order), the same in every browser;
//!   locale-aware collation would make the order depend on the browser's language.
//! - The preferences are one line of text kept in this browser (`localStorage`): page size,
//!   the optional fixed columns, the tag columns and the sort, for example
//!   `size=50;cols=region,type;keys=Owner,Stage;sort=key:Owner:desc`. Tag keys are escaped
//!   (`%`, `,`, `;` and `:` as `%25`, `%2C`, `%3B`, `%3A`), so any key reads back as itself.

use std::cmp::Ordering;

use super::finder::{FinderMatches, FinderRows};
use super::table::{SortDir, TablePrefs};
use crate::model::Resource;

pub const PAGE_SIZES: [usize; 4] = [25, 50, 100, 200];
/// The fixed optional columns: (id, label). The ARN is always shown.
pub const COLUMNS: [(&str, &str); 5] = [
    ("type", "Type"),
    ("region", "Region"),
    ("account", "Account"),
    ("source", "Source"),
    ("tags", "Tags"),
];
/// At most this many tag columns (a wider table is not readable, and each costs a lookup
/// per row on screen).
pub const TAG_COLUMNS_MAX: usize = 12;
/// The longest tag key the API allows (characters).
const KEY_MAX_CHARS: usize = 128;

/// What a column sorts by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SortBy {
    Arn,
    Type,
    Region,
    Account,
    Source,
    /// The number of tags.
    Tags,
    /// The value of one tag key.
    Key(String),
}

impl SortBy {
    fn to_text(&self) -> String {
        match self {
            SortBy::Arn => "arn".into(),
            SortBy::Type => "type".into(),
            SortBy::Region => "region".into(),
            SortBy::Account => "account".into(),
            SortBy::Source => "source".into(),
            SortBy::Tags => "tags".into(),
            SortBy::Key(k) => format!("key:{}", escape(k)),
        }
    }

    fn from_text(text: &str) -> Option<SortBy> {
        Some(match text {
            "arn" => SortBy::Arn,
            "type" => SortBy::Type,
            "region" => SortBy::Region,
            "account" => SortBy::Account,
            "source" => SortBy::Source,
            "tags" => SortBy::Tags,
            other => SortBy::Key(unescape(other.strip_prefix("key:")?)?),
        })
    }
}

/// Why a tag column was not added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddColumnError {
    Empty,
    TooLong,
    AlreadyShown,
    TooMany,
}

impl std::fmt::Display for AddColumnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AddColumnError::Empty => "Enter a tag key.",
            AddColumnError::TooLong => "A tag key has at most 128 characters.",
            AddColumnError::AlreadyShown => "That tag key already has a column.",
            AddColumnError::TooMany => "At most 12 tag columns can be shown.",
        })
    }
}

/// The Resources table's preferences and sort.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourcePrefs {
    pub table: TablePrefs,
    /// Tag keys with a column, in the order shown.
    pub keys: Vec<String>,
    pub sort: Option<(SortBy, SortDir)>,
}

impl Default for ResourcePrefs {
    /// 50 rows, type, source and tags shown, in inventory order.
    fn default() -> Self {
        ResourcePrefs {
            table: TablePrefs::new(50, ["type", "source", "tags"]),
            keys: Vec::new(),
            sort: None,
        }
    }
}

fn escape(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            '%' => out.push_str("%25"),
            ',' => out.push_str("%2C"),
            ';' => out.push_str("%3B"),
            ':' => out.push_str("%3A"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape`]; `None` for an escape it never writes.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let code: String = chars.by_ref().take(2).collect();
        out.push(match code.as_str() {
            "25" => '%',
            "2C" => ',',
            "3B" => ';',
            "3A" => ':',
            _ => return None,
        });
    }
    Some(out)
}

impl ResourcePrefs {
    pub fn encode(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(|k| escape(k)).collect();
        let mut text = format!("{};keys={}", self.table.encode(), keys.join(","));
        if let Some((by, dir)) = &self.sort {
            let dir = match dir {
                SortDir::Ascending => "asc",
                SortDir::Descending => "desc",
            };
            text.push_str(&format!(";sort={}:{dir}", by.to_text()));
        }
        text
    }

    /// The preferences without anything taken from the data: no tag-key columns, no sort by
    /// a tag's value. What is remembered in `localStorage` while encryption at rest is on
    /// (tag keys are data, and `localStorage` is not encrypted); the full set lives for the
    /// page's lifetime only.
    pub fn without_tag_keys(&self) -> ResourcePrefs {
        ResourcePrefs {
            table: self.table.clone(),
            keys: Vec::new(),
            sort: self
                .sort
                .clone()
                .filter(|(by, _)| !matches!(by, SortBy::Key(_))),
        }
    }

    /// Reads saved text; what cannot be read keeps its default, setting by setting (a sort
    /// by a key without a column is dropped, as are keys that do not read back).
    pub fn decode(saved: &str) -> ResourcePrefs {
        let defaults = ResourcePrefs::default();
        let ids: Vec<&'static str> = COLUMNS.iter().map(|(id, _)| *id).collect();
        let mut prefs = ResourcePrefs {
            table: TablePrefs::decode(saved, &PAGE_SIZES, &ids, &defaults.table),
            ..defaults
        };
        for part in saved.split(';') {
            match part.split_once('=') {
                Some(("keys", list)) => {
                    prefs.keys.clear();
                    for key in list.split(',').filter_map(unescape) {
                        // Through the same rules as adding one by hand.
                        let _ = prefs.add_key(&key);
                    }
                }
                Some(("sort", v)) => {
                    prefs.sort = v.rsplit_once(':').and_then(|(by, dir)| {
                        let dir = match dir {
                            "asc" => SortDir::Ascending,
                            "desc" => SortDir::Descending,
                            _ => return None,
                        };
                        Some((SortBy::from_text(by)?, dir))
                    });
                }
                _ => {}
            }
        }
        if let Some((SortBy::Key(k), _)) = &prefs.sort {
            if !prefs.keys.contains(k) {
                prefs.sort = None;
            }
        }
        prefs
    }

    /// Adds a column for `key` (trimmed) at the end.
    pub fn add_key(&mut self, key: &str) -> Result<(), AddColumnError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(AddColumnError::Empty);
        }
        if key.chars().count() > KEY_MAX_CHARS {
            return Err(AddColumnError::TooLong);
        }
        if self.keys.iter().any(|k| k == key) {
            return Err(AddColumnError::AlreadyShown);
        }
        if self.keys.len() >= TAG_COLUMNS_MAX {
            return Err(AddColumnError::TooMany);
        }
        self.keys.push(key.to_owned());
        Ok(())
    }

    /// Removes the column of `key`, and the sort by it.
    pub fn remove_key(&mut self, key: &str) {
        self.keys.retain(|k| k != key);
        if matches!(&self.sort, Some((SortBy::Key(k), _)) if k == key) {
            self.sort = None;
        }
    }

    /// Moves the column of `key` one place left (`-1`) or right (`1`).
    pub fn move_key(&mut self, key: &str, step: isize) {
        let Some(at) = self.keys.iter().position(|k| k == key) else {
            return;
        };
        let to = at as isize + step;
        if (0..self.keys.len() as isize).contains(&to) {
            self.keys.swap(at, to as usize);
        }
    }

    /// A click on a column's header: first ascending, then the other way.
    pub fn toggle_sort(&mut self, by: SortBy) {
        self.sort = match self.sort.take() {
            Some((current, dir)) if current == by => Some((by, dir.flip())),
            _ => Some((by, SortDir::Ascending)),
        };
    }

    /// `aria-sort` for a column's header.
    pub fn aria_sort(&self, by: &SortBy) -> &'static str {
        match &self.sort {
            Some((current, dir)) if current == by => dir.aria(),
            _ => "none",
        }
    }
}

/// The value of `key` on `r`.
fn tag<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    r.tags
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Every resource's position, sorted; `None` is inventory order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourceOrder(Option<Vec<u32>>);

impl ResourceOrder {
    /// Sorts `resources` (whose facts are `rows`, same order). Ties go by ARN, then by
    /// position.
    pub fn sorted(
        resources: &[Resource],
        rows: &FinderRows,
        sort: Option<&(SortBy, SortDir)>,
    ) -> ResourceOrder {
        let Some((by, dir)) = sort else {
            return ResourceOrder(None);
        };
        let n = resources.len().min(rows.len());
        let mut positions: Vec<u32> = (0..n as u32).collect();
        let at = |p: u32| &resources[p as usize];
        let arn = |a: u32, b: u32| at(a).arn.cmp(&at(b).arn);
        let dir = *dir;
        match by {
            SortBy::Key(key) => {
                // Look each value up once, not once per comparison.
                let values: Vec<Option<&str>> =
                    resources[..n].iter().map(|r| tag(r, key)).collect();
                crate::sort::sort_by(&mut positions, |&a, &b| {
                    match (values[a as usize], values[b as usize]) {
                        (Some(x), Some(y)) => dir.apply(x.cmp(y)).then_with(|| arn(a, b)),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => arn(a, b),
                    }
                });
            }
            by => {
                let parts = rows.parts();
                let key = |p: u32| -> &str {
                    let r = at(p);
                    match by {
                        SortBy::Type => &r.resource_type,
                        SortBy::Region => &parts[p as usize].region,
                        SortBy::Account => &parts[p as usize].account,
                        SortBy::Source => r.pulled_from.as_deref().unwrap_or(""),
                        _ => "",
                    }
                };
                crate::sort::sort_by(&mut positions, |&a, &b| {
                    let first = match by {
                        SortBy::Arn => Ordering::Equal,
                        SortBy::Tags => at(a).tags.len().cmp(&at(b).tags.len()),
                        _ => key(a).cmp(key(b)),
                    };
                    dir.apply(first.then_with(|| arn(a, b)))
                });
            }
        }
        ResourceOrder(Some(positions))
    }

    /// The positions of the page `range` (counted in matches) of `matches` in this order.
    /// `len` is the inventory's length.
    pub fn page(
        &self,
        matches: &FinderMatches,
        len: usize,
        range: std::ops::Range<usize>,
    ) -> Vec<usize> {
        let Some(order) = &self.0 else {
            return matches.positions().get(range).unwrap_or_default().to_vec();
        };
        if range.is_empty() {
            return Vec::new();
        }
        let mut member = vec![0u64; len.div_ceil(64)];
        for &p in matches.positions() {
            if let Some(word) = member.get_mut(p / 64) {
                *word |= 1 << (p % 64);
            }
        }
        order
            .iter()
            .map(|&p| p as usize)
            .filter(|&p| member.get(p / 64).is_some_and(|w| w & (1 << (p % 64)) != 0))
            .skip(range.start)
            .take(range.len())
            .collect()
    }
}

/// The value shown in a tag column: the tag's value, `(empty)` for an empty one, nothing
/// when the resource lacks the tag.
pub fn tag_cell(r: &Resource, key: &str) -> Option<String> {
    tag(r, key).map(|v| {
        if v.is_empty() {
            "(empty)".to_owned()
        } else {
            v.to_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InventoryIndex;
    use crate::view::finder::Filter;

    fn r(arn: &str, tags: &[(&str, &str)]) -> Resource {
        Resource::new(
            arn,
            None,
            tags.iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        )
        .unwrap()
    }

    fn inventory() -> Vec<Resource> {
        vec![
            r("arn:aws:sqs:us-east-1:111111111111:b", &[("Owner", "zoë")]),
            r("arn:aws:ec2:eu-west-1:222222222222:instance/i-1", &[]),
            r(
                "arn:aws:sns:us-east-1:111111111111:a",
                &[("Owner", "ана"), ("環境", "")],
            ),
            r(
                "arn:aws:ec2:eu-west-1:111111111111:instance/i-0",
                &[("Owner", "ana")],
            ),
        ]
    }

    fn arns(rs: &[Resource], positions: &[usize]) -> Vec<String> {
        positions.iter().map(|&p| rs[p].arn.clone()).collect()
    }

    fn all(rs: &[Resource], order: &ResourceOrder, filter: &str) -> Vec<String> {
        let rows = FinderRows::build(rs);
        let index = InventoryIndex::build(rs);
        let m = FinderMatches::update(None, 1, rs, &rows, &index, &Filter::parse(filter));
        arns(rs, &order.page(&m, rs.len(), 0..usize::MAX))
    }

    #[test]
    fn sorts_by_tag_with_missing_last_in_both_directions() {
        let rs = inventory();
        let rows = FinderRows::build(&rs);
        let key = SortBy::Key("Owner".into());
        let asc = ResourceOrder::sorted(&rs, &rows, Some(&(key.clone(), SortDir::Ascending)));
        assert_eq!(
            all(&rs, &asc, ""),
            [
                "arn:aws:ec2:eu-west-1:111111111111:instance/i-0",
                "arn:aws:sqs:us-east-1:111111111111:b",
                "arn:aws:sns:us-east-1:111111111111:a",
                "arn:aws:ec2:eu-west-1:222222222222:instance/i-1",
            ]
        );
        let desc = ResourceOrder::sorted(&rs, &rows, Some(&(key, SortDir::Descending)));
        assert_eq!(
            all(&rs, &desc, ""),
            [
                "arn:aws:sns:us-east-1:111111111111:a",
                "arn:aws:sqs:us-east-1:111111111111:b",
                "arn:aws:ec2:eu-west-1:111111111111:instance/i-0",
                "arn:aws:ec2:eu-west-1:222222222222:instance/i-1",
            ]
        );
    }

    #[test]
    fn sorts_by_arn_parts_with_ties_by_arn() {
        let rs = inventory();
        let rows = FinderRows::build(&rs);
        let by_account =
            ResourceOrder::sorted(&rs, &rows, Some(&(SortBy::Account, SortDir::Descending)));
        assert_eq!(
            all(&rs, &by_account, ""),
            [
                "arn:aws:ec2:eu-west-1:222222222222:instance/i-1",
                "arn:aws:sqs:us-east-1:111111111111:b",
                "arn:aws:sns:us-east-1:111111111111:a",
                "arn:aws:ec2:eu-west-1:111111111111:instance/i-0",
            ]
        );
        let by_tags = ResourceOrder::sorted(&rs, &rows, Some(&(SortBy::Tags, SortDir::Ascending)));
        assert_eq!(
            all(&rs, &by_tags, "")[0],
            "arn:aws:ec2:eu-west-1:222222222222:instance/i-1"
        );
        assert_eq!(
            all(&rs, &by_tags, "")[3],
            "arn:aws:sns:us-east-1:111111111111:a"
        );
    }

    #[test]
    fn a_page_of_sorted_matches_keeps_the_order_and_counts_in_matches() {
        let rs = inventory();
        let rows = FinderRows::build(&rs);
        let by_arn = ResourceOrder::sorted(&rs, &rows, Some(&(SortBy::Arn, SortDir::Ascending)));
        assert_eq!(
            all(&rs, &by_arn, "account=111111111111"),
            [
                "arn:aws:ec2:eu-west-1:111111111111:instance/i-0",
                "arn:aws:sns:us-east-1:111111111111:a",
                "arn:aws:sqs:us-east-1:111111111111:b",
            ]
        );
        let index = InventoryIndex::build(&rs);
        let m = FinderMatches::update(
            None,
            1,
            &rs,
            &rows,
            &index,
            &Filter::parse("account=111111111111"),
        );
        assert_eq!(
            arns(&rs, &by_arn.page(&m, rs.len(), 1..2)),
            ["arn:aws:sns:us-east-1:111111111111:a"]
        );
        assert!(by_arn.page(&m, rs.len(), 3..5).is_empty());
        // Unsorted: the finder's own order.
        assert_eq!(ResourceOrder::default().page(&m, rs.len(), 1..3), [2, 3]);
    }

    #[test]
    fn prefs_read_back_with_any_key_and_drop_what_they_cannot_read() {
        let mut p = ResourcePrefs::default();
        for k in ["Owner", "a,b;c:d%e", "環境 🌱", "مالك"] {
            p.add_key(k).unwrap();
        }
        p.table.columns.remove("tags");
        p.table.columns.insert("region");
        p.toggle_sort(SortBy::Key("a,b;c:d%e".into()));
        p.toggle_sort(SortBy::Key("a,b;c:d%e".into()));
        let back = ResourcePrefs::decode(&p.encode());
        assert_eq!(back, p);
        assert_eq!(
            back.sort,
            Some((SortBy::Key("a,b;c:d%e".into()), SortDir::Descending))
        );

        // A sort by a key without a column, a bad escape and an unknown size fall back.
        let odd = ResourcePrefs::decode("size=7;keys=Owner,%ZZ;sort=key:Stage:asc");
        assert_eq!(odd.keys, ["Owner"]);
        assert_eq!(odd.sort, None);
        assert_eq!(odd.table.page_size, 50);
        assert_eq!(ResourcePrefs::decode(""), ResourcePrefs::default());
        assert_eq!(ResourcePrefs::decode("sort=region:up").sort, None);
    }

    #[test]
    fn prefs_without_tag_keys_keep_nothing_from_the_data() {
        let mut p = ResourcePrefs::default();
        p.add_key("環境").unwrap();
        p.sort = Some((SortBy::Key("環境".into()), SortDir::Ascending));
        let bare = p.without_tag_keys();
        assert!(!bare.encode().contains("環境"));
        assert_eq!(bare.table, p.table);
        p.sort = Some((SortBy::Type, SortDir::Descending));
        assert_eq!(p.without_tag_keys().sort, p.sort);
    }

    #[test]
    fn columns_are_added_moved_and_removed_by_the_rules() {
        let mut p = ResourcePrefs::default();
        assert_eq!(p.add_key("  "), Err(AddColumnError::Empty));
        assert_eq!(p.add_key(&"é".repeat(129)), Err(AddColumnError::TooLong));
        p.add_key(&"é".repeat(128)).unwrap();
        p.add_key(" Owner ").unwrap();
        assert_eq!(p.add_key("Owner"), Err(AddColumnError::AlreadyShown));
        p.move_key("Owner", -1);
        assert_eq!(p.keys[0], "Owner");
        p.move_key("Owner", -1);
        assert_eq!(p.keys[0], "Owner");
        for i in 2..TAG_COLUMNS_MAX {
            p.add_key(&format!("k{i}")).unwrap();
        }
        assert_eq!(p.add_key("one more"), Err(AddColumnError::TooMany));
        p.toggle_sort(SortBy::Key("Owner".into()));
        assert_eq!(p.aria_sort(&SortBy::Key("Owner".into())), "ascending");
        assert_eq!(p.aria_sort(&SortBy::Arn), "none");
        p.remove_key("Owner");
        assert_eq!(p.sort, None);
        assert_eq!(p.keys.len(), TAG_COLUMNS_MAX - 1);
    }

    #[test]
    fn tag_cells_tell_empty_from_missing() {
        let rs = inventory();
        assert_eq!(tag_cell(&rs[2], "環境").as_deref(), Some("(empty)"));
        assert_eq!(tag_cell(&rs[1], "Owner"), None);
        assert_eq!(tag_cell(&rs[0], "Owner").as_deref(), Some("zoë"));
    }
}
