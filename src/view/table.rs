//! The headless table behind the list pages (Groups, Resources, a group's resources): filter,
//! sort, pages, visible columns, row selection and the saved preferences, as plain data and
//! pure functions. A page keeps a [`TableState`] in a signal, forwards events to its methods,
//! and renders the rows at the positions the pipeline picks. Nothing here knows Leptos.
//!
//! The pipeline: [`Haystacks`] (search text, when the rows change) and [`Order`] (when the rows
//! or the sort change), then [`Matches`] (each keystroke), then [`PageInfo`] (the page on
//! screen). [`RowModel::compute`] runs all of it in one call for pages that need no staging.
//!
//! - Rows are never cloned: every step works on positions into the page's `&[R]`, and only
//!   the rows of the page on screen are read.
//! - The filter is a substring match of the needle (trimmed, lower-cased) against one
//!   lower-cased string per row, built once when the rows change. A keystroke lower-cases the
//!   needle once and then only scans: no allocation per row. (`Resource::contains_text`
//!   lower-cased every field of every row on every keystroke.)
//! - A row's text pieces are joined with NUL, and NUL is removed from pieces and needles
//!   alike, so a needle never matches across two pieces: "the row's text contains the needle"
//!   is exactly "one of its pieces does", the rule of `contains_text`.
//! - Sort once, filter in order: a keystroke filters the sorted [`Order`] and keeps its order,
//!   so typing never re-sorts. The sort is stable from position order: rows that compare
//!   equal keep their original order in both directions (descending reverses the comparison,
//!   not the ties). A page that wants ties by name puts that in its comparator.
//! - Typing narrows: when the new needle starts with the previous one, [`Matches::update`]
//!   filters the previous matches instead of every row. A row containing the longer needle
//!   contains the shorter one, so nothing is lost, and the previous matches are already in
//!   order. Needles are compared after trimming and lower-casing, not as typed (`ΑΣ` becomes
//!   `ας` but `ΑΣΑ` becomes `ασα`), and only matches of the same `Order` and `Haystacks` are
//!   reused (each carries an id), so a stale result never leaks into a new one.
//! - The page index is the page the person asked for; every read clamps it to the pages
//!   there are (at least one: an empty table is on "page 1 of 1"), and
//!   [`TableState::clamp`] writes the clamped page back after rows disappear.
//! - Preferences keep the format the pages already save (`size=25;cols=type,tags`), so saved
//!   preferences keep working without a migration; what cannot be read falls back to the
//!   defaults, setting by setting.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::atomic::{self, AtomicU64};

/// Joins a row's text pieces. Removed from pieces and needles, so it never matches.
const SEPARATOR: char = '\u{0}';

/// Which way a column sorts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortDir {
    Ascending,
    Descending,
}

impl SortDir {
    /// The other direction.
    pub fn flip(self) -> Self {
        match self {
            SortDir::Ascending => SortDir::Descending,
            SortDir::Descending => SortDir::Ascending,
        }
    }

    /// The value of `aria-sort` for the column sorted this way.
    pub fn aria(self) -> &'static str {
        match self {
            SortDir::Ascending => "ascending",
            SortDir::Descending => "descending",
        }
    }

    /// An ascending comparison, turned this way.
    pub fn apply(self, ascending: Ordering) -> Ordering {
        match self {
            SortDir::Ascending => ascending,
            SortDir::Descending => ascending.reverse(),
        }
    }
}

/// The column a table is sorted by, and which way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort<K> {
    pub key: K,
    pub dir: SortDir,
}

/// The sort key of a table without sortable columns: it has no values, so a
/// `TableState<Unsorted>` keeps rows in their own order, and its comparator is `|_, _, k|
/// match k {}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unsorted {}

/// What the "select all on this page" checkbox shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageCheck {
    /// No row of the page is selected, or the page is empty.
    Unchecked,
    /// Some rows are selected: the checkbox is indeterminate (`aria-checked="mixed"`).
    Mixed,
    /// Every row of the page is selected.
    Checked,
}

/// What a table remembers between visits: the page size and the optional columns shown.
///
/// Column ids are the page's constants; they must be non-empty and contain neither `,` nor
/// `;`, the separators of the saved text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TablePrefs {
    pub page_size: usize,
    pub columns: BTreeSet<&'static str>,
}

impl TablePrefs {
    pub fn new(page_size: usize, columns: impl IntoIterator<Item = &'static str>) -> Self {
        TablePrefs {
            page_size,
            columns: columns.into_iter().collect(),
        }
    }

    /// The text to save: `size=25;cols=tags,type`, columns in alphabetical order (byte for
    /// byte what the Groups page saved before this module).
    pub fn encode(&self) -> String {
        let columns: Vec<&str> = self.columns.iter().copied().collect();
        format!("size={};cols={}", self.page_size, columns.join(","))
    }

    /// Reads saved text. Each setting that is missing, unreadable or not allowed (a size
    /// not in `sizes`) keeps its default; unknown columns and unknown settings are dropped;
    /// `cols=` means "no optional column". A later setting wins over an earlier one.
    pub fn decode(
        saved: &str,
        sizes: &[usize],
        columns: &[&'static str],
        defaults: &TablePrefs,
    ) -> TablePrefs {
        let mut prefs = defaults.clone();
        for part in saved.split(';') {
            match part.split_once('=') {
                Some(("size", v)) => {
                    if let Some(n) = v.parse().ok().filter(|n| sizes.contains(n)) {
                        prefs.page_size = n;
                    }
                }
                Some(("cols", v)) => prefs.columns = known_columns(v, columns),
                _ => {}
            }
        }
        prefs
    }
}

/// The allowed columns named in `list` (comma-separated), as the page's own constants.
fn known_columns(list: &str, allowed: &[&'static str]) -> BTreeSet<&'static str> {
    list.split(',')
        .filter_map(|c| allowed.iter().copied().find(|a| *a == c))
        .collect()
}

/// The filter text as it is matched: NUL removed, trimmed, lower-cased (Unicode, so `İ`
/// becomes `i̇`). Empty matches every row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Needle(String);

impl Needle {
    pub fn new(raw: &str) -> Self {
        Needle(without_separator(raw).trim().to_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether every row matching `self` also matches `older`: `self` extends `older`.
    pub fn narrows(&self, older: &Needle) -> bool {
        self.0.starts_with(older.as_str())
    }
}

/// `s` without [`SEPARATOR`]; borrowed when there was none (nearly always).
fn without_separator(s: &str) -> Cow<'_, str> {
    if s.contains(SEPARATOR) {
        Cow::Owned(s.replace(SEPARATOR, ""))
    } else {
        Cow::Borrowed(s)
    }
}

/// Appends `piece` lower-cased. ASCII takes a fast path; anything else goes through
/// `str::to_lowercase`, which knows the context rules (a final `Σ` becomes `ς`).
fn push_lowercase(into: &mut String, piece: &str) {
    let piece = without_separator(piece);
    if piece.is_ascii() {
        into.extend(piece.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        into.push_str(&piece.to_lowercase());
    }
}

/// A fresh id for an [`Order`] or [`Haystacks`], so [`Matches`] can tell what it was made
/// from. Ids are never reused within a run.
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, atomic::Ordering::Relaxed)
}

/// The search text of one row while [`Haystacks::build`] collects it.
pub struct RowText {
    text: String,
    pieces: usize,
}

impl RowText {
    /// Adds a piece the filter searches (a name, a type, a tag key or value). A needle
    /// matches within one piece, never across two.
    pub fn push(&mut self, piece: &str) {
        if self.pieces > 0 {
            self.text.push(SEPARATOR);
        }
        push_lowercase(&mut self.text, piece);
        self.pieces += 1;
    }
}

/// The search text of every row: its pieces lower-cased and joined with NUL, one string per
/// row, in row order. Build it when the rows change, never per keystroke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Haystacks {
    id: u64,
    texts: Vec<Box<str>>,
}

impl Haystacks {
    /// `pieces` pushes the text of a row that the filter searches:
    /// `|g, text| { text.push(&g.name); for (k, v) in &g.tags { text.push(k); text.push(v) } }`.
    /// (A callback rather than a returned list, so pieces can borrow from the row.)
    pub fn build<R>(rows: &[R], pieces: impl Fn(&R, &mut RowText)) -> Self {
        let texts = rows
            .iter()
            .map(|r| {
                let mut text = RowText {
                    text: String::new(),
                    pieces: 0,
                };
                pieces(r, &mut text);
                text.text.into_boxed_str()
            })
            .collect();
        Haystacks {
            id: next_id(),
            texts,
        }
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Whether the row at `position` matches. A position without text (rows and haystacks
    /// out of step) never matches, even the empty needle.
    pub fn matches(&self, position: usize, needle: &Needle) -> bool {
        self.texts
            .get(position)
            .is_some_and(|t| needle.is_empty() || t.contains(needle.as_str()))
    }

    /// The positions of `positions` that match, in the same order. One allocation (the
    /// result); safe to call on every keystroke.
    pub fn filter(&self, positions: &[usize], needle: &Needle) -> Vec<usize> {
        positions
            .iter()
            .copied()
            .filter(|&p| self.matches(p, needle))
            .collect()
    }
}

/// Sorts `positions` (stably) by the rows they point at. Every position must be in `rows`.
fn sort_positions<R, K: Copy>(
    positions: &mut [usize],
    rows: &[R],
    sort: Option<Sort<K>>,
    cmp: impl Fn(&R, &R, K) -> Ordering,
) {
    if let Some(Sort { key, dir }) = sort {
        // Positions already: sorted as they are, no permutation step.
        crate::sort::sort_positions(positions, &mut |a, b| {
            dir.apply(cmp(&rows[a], &rows[b], key))
        });
    }
}

/// Every row's position in display order, before filtering. Make it when the rows or the
/// sort change; keystrokes only filter it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    id: u64,
    positions: Vec<usize>,
}

impl Order {
    /// All rows, sorted by `cmp` for the sort's key and direction (ties in row order); in row
    /// order when there is no sort.
    pub fn sorted<R, K: Copy>(
        rows: &[R],
        sort: Option<Sort<K>>,
        cmp: impl Fn(&R, &R, K) -> Ordering,
    ) -> Self {
        let mut positions: Vec<usize> = (0..rows.len()).collect();
        sort_positions(&mut positions, rows, sort, cmp);
        Self::from_positions(positions)
    }

    /// An order given by the page as it is, such as the resources a group's query matched.
    pub fn from_positions(positions: Vec<usize>) -> Self {
        Order {
            id: next_id(),
            positions,
        }
    }

    pub fn positions(&self) -> &[usize] {
        &self.positions
    }
}

/// The positions of an [`Order`] that match a needle, in that order, remembering what they
/// were computed from so the next keystroke can narrow them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matches {
    order: u64,
    haystacks: u64,
    needle: Needle,
    positions: Vec<usize>,
}

impl Matches {
    /// Filters the whole order.
    pub fn new(order: &Order, haystacks: &Haystacks, needle: &Needle) -> Self {
        Matches {
            order: order.id,
            haystacks: haystacks.id,
            needle: needle.clone(),
            positions: haystacks.filter(order.positions(), needle),
        }
    }

    /// The matches for `needle`, from `previous` when it can be narrowed (same order, same
    /// haystacks, and `needle` extends its needle), else from the whole order. Always equal
    /// to `Matches::new(order, haystacks, needle)`. Fits a memo that sees its last value.
    pub fn update(
        previous: Option<&Matches>,
        order: &Order,
        haystacks: &Haystacks,
        needle: &Needle,
    ) -> Self {
        match previous {
            Some(p) if p.narrows_to(order, haystacks, needle) => Matches {
                positions: haystacks.filter(&p.positions, needle),
                needle: needle.clone(),
                ..*p
            },
            _ => Self::new(order, haystacks, needle),
        }
    }

    /// Whether the matches for `needle` are a subset of these, in the same order.
    fn narrows_to(&self, order: &Order, haystacks: &Haystacks, needle: &Needle) -> bool {
        self.order == order.id && self.haystacks == haystacks.id && needle.narrows(&self.needle)
    }

    pub fn needle(&self) -> &Needle {
        &self.needle
    }

    pub fn positions(&self) -> &[usize] {
        &self.positions
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

/// How many pages `total` rows take: at least one, so an empty table is "page 1 of 1".
fn page_count(total: usize, page_size: usize) -> usize {
    total.div_ceil(page_size.max(1)).max(1)
}

/// The page on screen, clamped to the rows there are, with the numbers of its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageInfo {
    /// 0-based, always below `page_count`.
    pub page: usize,
    /// At least 1.
    pub page_count: usize,
    /// The first row shown, counted from 1 as people do; 0 when there are no rows.
    pub first_row: usize,
    /// The last row shown, counted from 1; 0 when there are no rows.
    pub last_row: usize,
    pub total: usize,
}

impl PageInfo {
    /// Page `page` (clamped) of `total` rows, `page_size` a page (0 counts as 1).
    pub fn new(page: usize, page_size: usize, total: usize) -> Self {
        let size = page_size.max(1);
        let page_count = page_count(total, size);
        let page = page.min(page_count - 1);
        // page < page_count, so page * size < total (or both are 0): no overflow.
        let start = page * size;
        let end = total.min(start + size);
        PageInfo {
            page,
            page_count,
            first_row: if total == 0 { 0 } else { start + 1 },
            last_row: end,
            total,
        }
    }

    /// The 0-based range of the page's rows among all matches.
    pub fn range(&self) -> Range<usize> {
        self.first_row.saturating_sub(1)..self.last_row
    }

    /// The page's part of `matches` (empty if `matches` is shorter than `total` said).
    pub fn slice<'a, T>(&self, matches: &'a [T]) -> &'a [T] {
        matches.get(self.range()).unwrap_or(&[])
    }

    pub fn has_previous(&self) -> bool {
        self.page > 0
    }

    pub fn has_next(&self) -> bool {
        self.page + 1 < self.page_count
    }

    /// "1–25 of 312"; "0 of 0" for an empty table.
    pub fn label(&self) -> String {
        if self.total == 0 {
            "0 of 0".to_owned()
        } else {
            format!("{}–{} of {}", self.first_row, self.last_row, self.total)
        }
    }
}

/// What a table shows and what the person did to it: filter, sort, page, preferences and
/// selection. Fields change only through methods, which keep the rules (a new filter or sort
/// goes back to the first page, a page size is at least 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableState<K> {
    filter: String,
    needle: Needle,
    sort: Option<Sort<K>>,
    /// As asked for; reads clamp it (see [`PageInfo::new`]).
    page: usize,
    prefs: TablePrefs,
    selected: BTreeSet<String>,
}

impl<K: Copy + Eq> TableState<K> {
    /// No filter, no sort, first page, nothing selected.
    pub fn new(prefs: TablePrefs) -> Self {
        let page_size = prefs.page_size.max(1);
        TableState {
            filter: String::new(),
            needle: Needle::default(),
            sort: None,
            page: 0,
            prefs: TablePrefs { page_size, ..prefs },
            selected: BTreeSet::new(),
        }
    }

    /// Starts sorted by `key`.
    pub fn with_sort(mut self, key: K, dir: SortDir) -> Self {
        self.sort = Some(Sort { key, dir });
        self
    }

    // --- Filter and sort.

    /// The filter as typed (for the input's value).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The filter as matched.
    pub fn needle(&self) -> &Needle {
        &self.needle
    }

    /// A new filter: back to the first page, where the best matches are.
    pub fn set_filter(&mut self, text: impl Into<String>) {
        self.filter = text.into();
        self.needle = Needle::new(&self.filter);
        self.page = 0;
    }

    pub fn sort(&self) -> Option<Sort<K>> {
        self.sort
    }

    /// A click on a column header: the sorted column flips, another column sorts ascending.
    /// Back to the first page.
    pub fn toggle_sort(&mut self, key: K) {
        let dir = match self.sort {
            Some(s) if s.key == key => s.dir.flip(),
            _ => SortDir::Ascending,
        };
        self.sort = Some(Sort { key, dir });
        self.page = 0;
    }

    /// The `aria-sort` of the column of `key`: "ascending", "descending" or "none".
    pub fn aria_sort(&self, key: K) -> &'static str {
        match self.sort {
            Some(s) if s.key == key => s.dir.aria(),
            _ => "none",
        }
    }

    // --- Pages.

    /// The page index as asked for, not clamped; see [`TableState::page_info`].
    pub fn page_index(&self) -> usize {
        self.page
    }

    pub fn set_page(&mut self, page: usize) {
        self.page = page;
    }

    pub fn page_count(&self, total: usize) -> usize {
        page_count(total, self.prefs.page_size)
    }

    /// The page on screen when `total` rows match.
    pub fn page_info(&self, total: usize) -> PageInfo {
        PageInfo::new(self.page, self.prefs.page_size, total)
    }

    /// Keeps the page within `total` rows (after a delete, a sync, a narrower filter).
    /// Whether it moved.
    pub fn clamp(&mut self, total: usize) -> bool {
        let page = self.page_info(total).page;
        let moved = page != self.page;
        self.page = page;
        moved
    }

    pub fn page_size(&self) -> usize {
        self.prefs.page_size
    }

    /// A new page size (0 counts as 1). The page becomes the one that holds the first row
    /// on screen before, so the person does not lose their place; page 0 without rows.
    pub fn set_page_size(&mut self, size: usize, total: usize) {
        let first = self.page_info(total).range().start;
        self.prefs.page_size = size.max(1);
        self.page = first / self.prefs.page_size;
    }

    // --- Columns and preferences.

    pub fn prefs(&self) -> &TablePrefs {
        &self.prefs
    }

    pub fn is_visible(&self, column: &str) -> bool {
        self.prefs.columns.contains(column)
    }

    pub fn set_column(&mut self, column: &'static str, visible: bool) {
        if visible {
            self.prefs.columns.insert(column);
        } else {
            self.prefs.columns.remove(column);
        }
    }

    pub fn toggle_column(&mut self, column: &'static str) {
        let visible = self.is_visible(column);
        self.set_column(column, !visible);
    }

    // --- Selection, by row id (a group name, an ARN). It survives filters, sorts and pages.

    pub fn selected(&self) -> &BTreeSet<String> {
        &self.selected
    }

    pub fn is_selected(&self, id: &str) -> bool {
        self.selected.contains(id)
    }

    /// A row checkbox's change: follows the box rather than toggling, so it cannot drift.
    pub fn set_selected(&mut self, id: &str, selected: bool) {
        if selected {
            self.selected.insert(id.to_owned());
        } else {
            self.selected.remove(id);
        }
    }

    pub fn toggle_row(&mut self, id: &str) {
        let selected = self.is_selected(id);
        self.set_selected(id, !selected);
    }

    /// The header checkbox for the rows `ids` of the page on screen.
    pub fn page_check<S: AsRef<str>>(&self, ids: &[S]) -> PageCheck {
        let n = ids
            .iter()
            .filter(|id| self.is_selected(id.as_ref()))
            .count();
        match n {
            0 => PageCheck::Unchecked,
            n if n == ids.len() => PageCheck::Checked,
            _ => PageCheck::Mixed,
        }
    }

    /// The header checkbox's click: a fully selected page is unselected, any other page is
    /// selected in full. Rows on other pages keep their selection.
    pub fn toggle_page<S: AsRef<str>>(&mut self, ids: &[S]) {
        let select = self.page_check(ids) != PageCheck::Checked;
        for id in ids {
            self.set_selected(id.as_ref(), select);
        }
    }

    /// Forgets selected rows that are not among `existing` (all ids of the table, not only
    /// the filtered ones). Whether anything was dropped. Moves ids, does not copy them.
    pub fn retain_selected<I>(&mut self, existing: I) -> bool
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        if self.selected.is_empty() {
            return false;
        }
        let mut kept = BTreeSet::new();
        for id in existing {
            kept.extend(self.selected.take(id.as_ref()));
        }
        // What is left were rows that no longer exist.
        let dropped = !self.selected.is_empty();
        self.selected = kept;
        dropped
    }

    pub fn clear_selection(&mut self) {
        self.selected.clear();
    }
}

/// The rows a table shows, in one call: the matching positions in display order and the page
/// on screen. Sorts on every call; a page that filters per keystroke over many rows stages
/// [`Order`] and [`Matches`] instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowModel {
    /// Every matching position, in display order.
    pub matches: Vec<usize>,
    pub page: PageInfo,
}

impl RowModel {
    /// `haystacks` must be built from `rows`; `cmp` compares two rows ascending by a key.
    pub fn compute<R, K: Copy + Eq>(
        state: &TableState<K>,
        rows: &[R],
        haystacks: &Haystacks,
        cmp: impl Fn(&R, &R, K) -> Ordering,
    ) -> Self {
        // Filter first, then sort fewer rows: the positions start in row order, and the sort
        // is stable, so this equals sorting everything and then filtering.
        let all: Vec<usize> = (0..rows.len()).collect();
        let mut matches = haystacks.filter(&all, state.needle());
        sort_positions(&mut matches, rows, state.sort(), cmp);
        let page = state.page_info(matches.len());
        RowModel { matches, page }
    }

    pub fn total_matches(&self) -> usize {
        self.matches.len()
    }

    /// The positions on the page on screen.
    pub fn page_positions(&self) -> &[usize] {
        self.page.slice(&self.matches)
    }

    /// The rows on the page on screen.
    pub fn page_rows<'a, R>(&'a self, rows: &'a [R]) -> impl Iterator<Item = &'a R> + 'a {
        self.page_positions().iter().filter_map(|&p| rows.get(p))
    }
}

/// Replaces, inserts or removes the item keyed `key` in a list kept in key order: `Some` puts
/// it (in place, or where it belongs), `None` removes it. How the app patches its groups and
/// resources after a change, instead of reloading them.
pub fn patch_sorted<T>(list: &mut Vec<T>, key: &str, item: Option<T>, key_of: impl Fn(&T) -> &str) {
    match (list.binary_search_by(|x| key_of(x).cmp(key)), item) {
        (Ok(i), Some(x)) => list[i] = x,
        (Ok(i), None) => {
            list.remove(i);
        }
        (Err(i), Some(x)) => list.insert(i, x),
        (Err(_), None) => {}
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // --- Fixtures.

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Key {
        Name,
        Count,
    }

    #[derive(Clone, Debug)]
    struct Row {
        name: String,
        tags: Vec<(String, String)>,
        count: u8,
    }

    fn row(name: &str, tags: &[(&str, &str)], count: u8) -> Row {
        Row {
            name: name.to_owned(),
            tags: tags
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            count,
        }
    }

    fn pieces(r: &Row) -> Vec<&str> {
        let mut p = vec![r.name.as_str()];
        for (k, v) in &r.tags {
            p.push(k);
            p.push(v);
        }
        p
    }

    fn push_pieces(r: &Row, text: &mut RowText) {
        for p in pieces(r) {
            text.push(p);
        }
    }

    fn cmp(a: &Row, b: &Row, key: Key) -> Ordering {
        match key {
            Key::Name => a.name.cmp(&b.name),
            Key::Count => a.count.cmp(&b.count),
        }
    }

    const SIZES: [usize; 4] = [10, 25, 50, 100];
    const COLUMNS: [&str; 4] = ["type", "tags", "matching", "updated"];

    fn defaults() -> TablePrefs {
        TablePrefs::new(25, COLUMNS)
    }

    fn state(page_size: usize) -> TableState<Key> {
        TableState::new(TablePrefs::new(page_size, [])).with_sort(Key::Name, SortDir::Ascending)
    }

    /// The old rule (`Resource::contains_text`): some piece, lower-cased, contains the
    /// trimmed, lower-cased needle; plus this module's one addition, NUL is ignored.
    fn brute_matches(r: &Row, raw: &str) -> bool {
        let needle = raw.replace('\u{0}', "").trim().to_lowercase();
        needle.is_empty()
            || pieces(r)
                .iter()
                .any(|p| p.replace('\u{0}', "").to_lowercase().contains(&needle))
    }

    /// Filter, then a stable sort, then the clamped page: what the tables did before.
    fn brute_model(
        rows: &[Row],
        raw: &str,
        sort: Option<Sort<Key>>,
        page: usize,
        size: usize,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut all: Vec<usize> = (0..rows.len())
            .filter(|&i| brute_matches(&rows[i], raw))
            .collect();
        if let Some(s) = sort {
            crate::sort::sort_positions(&mut all, &mut |a, b| {
                s.dir.apply(cmp(&rows[a], &rows[b], s.key))
            });
        }
        let pages = all.len().div_ceil(size).max(1);
        let p = page.min(pages - 1);
        let on_page = all.iter().copied().skip(p * size).take(size).collect();
        (all, on_page)
    }

    /// Characters that make filters hit, and the awkward ones: Greek sigma forms, `İ` (whose
    /// lower case is longer), combining marks, CJK, emoji, Hebrew (RTL), NUL and spaces.
    const ALPHABET: [char; 22] = [
        'a', 'A', 'b', 'B', 'σ', 'Σ', 'ς', 'İ', 'i', '\u{307}', 'e', '\u{301}', 'é', '日', '本',
        '😀', 'א', 'ב', ' ', '\u{0}', ',', ';',
    ];

    fn text(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(&ALPHABET[..]), 0..max)
            .prop_map(|cs| cs.into_iter().collect())
    }

    fn rows_strategy() -> impl Strategy<Value = Vec<Row>> {
        let tag = (text(4), text(4));
        let one = (text(6), proptest::collection::vec(tag, 0..3), 0u8..4)
            .prop_map(|(name, tags, count)| Row { name, tags, count });
        proptest::collection::vec(one, 0..40)
    }

    fn sort_strategy() -> impl Strategy<Value = Option<Sort<Key>>> {
        let key = prop_oneof![Just(Key::Name), Just(Key::Count)];
        let dir = prop_oneof![Just(SortDir::Ascending), Just(SortDir::Descending)];
        proptest::option::of((key, dir).prop_map(|(key, dir)| Sort { key, dir }))
    }

    fn state_with(sort: Option<Sort<Key>>, raw: &str, page: usize, size: usize) -> TableState<Key> {
        let mut s = TableState::new(TablePrefs::new(size, []));
        if let Some(sort) = sort {
            s = s.with_sort(sort.key, sort.dir);
        }
        s.set_filter(raw);
        s.set_page(page);
        s
    }

    // --- State transitions.

    #[test]
    fn a_new_filter_goes_back_to_the_first_page() {
        let mut s = state(10);
        s.set_page(4);
        s.set_filter("  Web ");
        assert_eq!(s.page_index(), 0);
        assert_eq!(s.filter(), "  Web ");
        assert_eq!(s.needle().as_str(), "web");
    }

    #[test]
    fn sorting_flips_the_same_column_and_starts_others_ascending() {
        let mut s = state(10);
        assert_eq!(s.aria_sort(Key::Name), "ascending");
        assert_eq!(s.aria_sort(Key::Count), "none");
        s.set_page(3);
        s.toggle_sort(Key::Name);
        assert_eq!(s.page_index(), 0, "a new sort goes back to the first page");
        assert_eq!(s.aria_sort(Key::Name), "descending");
        s.toggle_sort(Key::Count);
        assert_eq!(
            s.sort(),
            Some(Sort {
                key: Key::Count,
                dir: SortDir::Ascending
            })
        );
        assert_eq!(s.aria_sort(Key::Name), "none");
        s.toggle_sort(Key::Count);
        s.toggle_sort(Key::Count);
        assert_eq!(s.aria_sort(Key::Count), "ascending");
    }

    #[test]
    fn a_table_without_sort_starts_sorting_on_a_click() {
        let mut s: TableState<Key> = TableState::new(defaults());
        assert_eq!(s.sort(), None);
        assert_eq!(s.aria_sort(Key::Name), "none");
        s.toggle_sort(Key::Count);
        assert_eq!(s.aria_sort(Key::Count), "ascending");
    }

    #[test]
    fn a_new_page_size_keeps_the_first_row_on_screen() {
        let mut s = state(10);
        s.set_page(3); // rows 31–40
        s.set_page_size(25, 100);
        assert_eq!((s.page_index(), s.page_size()), (1, 25)); // 26–50 holds row 31
        s.set_page_size(10, 100);
        assert_eq!(s.page_index(), 2); // 21–30 holds row 26
        s.set_page_size(100, 100);
        assert_eq!(s.page_index(), 0);
    }

    #[test]
    fn a_new_page_size_without_rows_or_past_the_end() {
        let mut s = state(10);
        s.set_page(7);
        s.set_page_size(25, 0);
        assert_eq!(s.page_index(), 0);
        s.set_page(99); // past the end: the last page's first row counts
        s.set_page_size(10, 45); // last page of 25 a page: rows 26–45
        assert_eq!(s.page_index(), 2);
        s.set_page_size(0, 45);
        assert_eq!(s.page_size(), 1, "a page has at least one row");
        assert_eq!(s.page_index(), 20);
    }

    #[test]
    fn a_zero_page_size_counts_as_one() {
        let s: TableState<Key> = TableState::new(TablePrefs::new(0, []));
        assert_eq!(s.page_size(), 1);
        assert_eq!(s.page_count(3), 3);
        assert_eq!(PageInfo::new(0, 0, 3).last_row, 1);
    }

    #[test]
    fn columns_show_and_hide() {
        let mut s: TableState<Key> = TableState::new(TablePrefs::new(25, ["type"]));
        assert!(s.is_visible("type") && !s.is_visible("tags"));
        s.toggle_column("tags");
        s.set_column("type", false);
        assert_eq!(s.prefs().encode(), "size=25;cols=tags");
        s.set_page(2);
        s.toggle_column("tags");
        assert_eq!(s.page_index(), 2, "columns do not move the page");
        assert_eq!(s.prefs().encode(), "size=25;cols=");
    }

    #[test]
    fn rows_toggle_and_follow_their_checkbox() {
        let mut s = state(10);
        s.toggle_row("web");
        assert!(s.is_selected("web"));
        s.toggle_row("web");
        assert!(!s.is_selected("web"));
        s.set_selected("db", true);
        s.set_selected("db", true);
        assert_eq!(s.selected().len(), 1);
        s.set_selected("db", false);
        assert!(s.selected().is_empty());
    }

    #[test]
    fn the_page_checkbox_selects_all_or_none_of_the_page() {
        let mut s = state(10);
        let page = ["a", "b", "c"];
        s.toggle_row("elsewhere");
        assert_eq!(s.page_check(&page), PageCheck::Unchecked);
        s.toggle_row("b");
        assert_eq!(s.page_check(&page), PageCheck::Mixed);
        s.toggle_page(&page); // mixed: select the rest
        assert_eq!(s.page_check(&page), PageCheck::Checked);
        s.toggle_page(&page); // all: unselect the page
        assert_eq!(s.page_check(&page), PageCheck::Unchecked);
        assert!(
            s.is_selected("elsewhere"),
            "other pages keep their selection"
        );
        let empty: [&str; 0] = [];
        assert_eq!(s.page_check(&empty), PageCheck::Unchecked);
        s.toggle_page(&empty);
        assert_eq!(s.selected().len(), 1);
    }

    #[test]
    fn selection_forgets_rows_that_are_gone() {
        let mut s = state(10);
        for id in ["a", "b", "c"] {
            s.toggle_row(id);
        }
        assert!(
            !s.retain_selected(["c", "a", "b", "z", "a"]),
            "all still exist"
        );
        assert_eq!(s.selected().len(), 3);
        assert!(s.retain_selected(vec!["c".to_owned(), "x".to_owned(), "a".to_owned()]));
        let left: Vec<&str> = s.selected().iter().map(String::as_str).collect();
        assert_eq!(left, ["a", "c"]);
        assert!(s.retain_selected(std::iter::empty::<&str>()));
        assert!(s.selected().is_empty());
        assert!(
            !s.retain_selected(["a"]),
            "nothing selected, nothing dropped"
        );
        s.toggle_row("q");
        s.clear_selection();
        assert!(s.selected().is_empty());
    }

    #[test]
    fn a_filter_or_sort_keeps_the_selection() {
        let mut s = state(10);
        s.toggle_row("web");
        s.set_filter("db");
        s.toggle_sort(Key::Count);
        assert!(s.is_selected("web"));
    }

    // --- Pages.

    #[test]
    fn page_info_without_rows() {
        let p = PageInfo::new(3, 25, 0);
        assert_eq!(
            p,
            PageInfo {
                page: 0,
                page_count: 1,
                first_row: 0,
                last_row: 0,
                total: 0
            }
        );
        assert_eq!(p.label(), "0 of 0");
        assert_eq!(p.range(), 0..0);
        assert!(p.slice(&[1, 2, 3]).is_empty());
        assert!(!p.has_previous() && !p.has_next());
    }

    #[test]
    fn page_info_labels_and_edges() {
        let p = PageInfo::new(0, 25, 312);
        assert_eq!((p.label(), p.page_count), ("1–25 of 312".to_owned(), 13));
        assert!(!p.has_previous() && p.has_next());
        let last = PageInfo::new(12, 25, 312);
        assert_eq!(last.label(), "301–312 of 312");
        assert_eq!(last.range(), 300..312);
        assert!(last.has_previous() && !last.has_next());
        assert_eq!(
            PageInfo::new(usize::MAX, 25, 312),
            last,
            "past the end: the last page"
        );
        let exact = PageInfo::new(1, 25, 50);
        assert_eq!(
            (exact.page_count, exact.label()),
            (2, "26–50 of 50".to_owned())
        );
        let rows: Vec<usize> = (0..10).collect();
        assert_eq!(
            PageInfo::new(0, 25, 50).slice(&rows),
            &[] as &[usize],
            "short input"
        );
    }

    #[test]
    fn clamping_after_deletions() {
        let mut s = state(10);
        s.set_page(4); // rows 41–50 of 50
        assert!(!s.clamp(50));
        assert!(s.clamp(31), "rows 41–50 are gone");
        assert_eq!(s.page_index(), 3);
        assert!(!s.clamp(31));
        assert!(s.clamp(0));
        assert_eq!(s.page_index(), 0);
        assert_eq!(s.page_count(0), 1);
        assert_eq!(s.page_info(0).label(), "0 of 0");
    }

    // --- Filtering and the row model.

    #[test]
    fn filtering_ignores_case_and_edges_and_never_spans_pieces() {
        let rows = vec![
            row("Web-Prod", &[("Team", "Platform")], 1),
            row("İstanbul", &[], 2),
            row("ΟΔΟΣ", &[("日本", "😀")], 3),
            row("db", &[("a", "b")], 4),
        ];
        let hs = Haystacks::build(&rows, push_pieces);
        let found = |raw: &str| hs.filter(&[0, 1, 2, 3], &Needle::new(raw));
        assert_eq!(found(""), [0, 1, 2, 3]);
        assert_eq!(found("   "), [0, 1, 2, 3]);
        assert_eq!(found(" web-PROD "), [0]);
        assert_eq!(found("platform"), [0]);
        assert_eq!(found("İSTAN"), [1]);
        assert_eq!(found("i\u{307}stan"), [1]);
        assert_eq!(
            found("οδος"),
            [2],
            "a final Σ lower-cases to ς on both sides"
        );
        assert_eq!(found("本"), [2]);
        assert_eq!(
            found("ab"),
            Vec::<usize>::new(),
            "`a` and `b` are two pieces"
        );
        assert_eq!(
            found("a\u{0}b"),
            Vec::<usize>::new(),
            "NUL is ignored, not a joint"
        );
        assert_eq!(
            found("\u{0}"),
            [0, 1, 2, 3],
            "a needle of NUL only is empty"
        );
    }

    #[test]
    fn positions_out_of_step_never_match_and_never_panic() {
        let rows = vec![row("a", &[], 0)];
        let hs = Haystacks::build(&rows, push_pieces);
        assert_eq!(hs.filter(&[0, 7, usize::MAX], &Needle::default()), [0]);
        assert!(!hs.matches(1, &Needle::new("a")));
    }

    #[test]
    fn the_row_model_sorts_stably_and_pages() {
        let rows = vec![
            row("c", &[], 1),
            row("a", &[], 2),
            row("b", &[], 1),
            row("d", &[], 2),
        ];
        let hs = Haystacks::build(&rows, push_pieces);
        let mut s = state(3);
        let m = RowModel::compute(&s, &rows, &hs, cmp);
        assert_eq!(m.matches, [1, 2, 0, 3]);
        assert_eq!(m.page_positions(), [1, 2, 0]);
        let names: Vec<&str> = m.page_rows(&rows).map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        s.toggle_sort(Key::Count);
        s.toggle_sort(Key::Count);
        s.set_page(1);
        let m = RowModel::compute(&s, &rows, &hs, cmp);
        assert_eq!(m.matches, [1, 3, 0, 2], "descending; ties keep row order");
        assert_eq!((m.page_positions(), m.total_matches()), (&[2][..], 4));
    }

    #[test]
    fn an_unsorted_table_keeps_row_order() {
        let rows = vec![row("b", &[], 0), row("a", &[], 0), row("ab", &[], 0)];
        let hs = Haystacks::build(&rows, push_pieces);
        let mut s: TableState<Unsorted> = TableState::new(TablePrefs::new(10, []));
        s.set_filter("A");
        let m = RowModel::compute(&s, &rows, &hs, |_, _, k| match k {});
        assert_eq!(m.matches, [1, 2]);
        let order = Order::sorted(&rows, None::<Sort<Unsorted>>, |_, _, k| match k {});
        assert_eq!(order.positions(), [0, 1, 2]);
    }

    #[test]
    fn a_given_order_is_filtered_as_it_is() {
        // A group's resources: positions from its query, over the inventory's haystacks.
        let rows: Vec<Row> = ["x1", "y2", "x3", "x4"]
            .iter()
            .map(|n| row(n, &[], 0))
            .collect();
        let hs = Haystacks::build(&rows, push_pieces);
        let order = Order::from_positions(vec![3, 0, 1]);
        assert_eq!(
            Matches::new(&order, &hs, &Needle::new("X")).positions(),
            [3, 0]
        );
    }

    #[test]
    fn narrowing_reuses_only_matches_of_the_same_order_and_haystacks() {
        let rows: Vec<Row> = ["ab", "abc", "abd"]
            .iter()
            .map(|n| row(n, &[], 0))
            .collect();
        let hs = Haystacks::build(&rows, push_pieces);
        let order = Order::sorted(
            &rows,
            Some(Sort {
                key: Key::Name,
                dir: SortDir::Ascending,
            }),
            cmp,
        );
        let mut prev = Matches::new(&order, &hs, &Needle::new("a"));
        // Pretend the previous matches had left out row 1: reuse shows by keeping it out.
        prev.positions.retain(|&p| p != 1);
        let narrowed = Matches::update(Some(&prev), &order, &hs, &Needle::new("ab"));
        assert_eq!(
            narrowed.positions(),
            [0, 2],
            "filtered from the previous matches"
        );
        let other = Order::sorted(
            &rows,
            Some(Sort {
                key: Key::Name,
                dir: SortDir::Ascending,
            }),
            cmp,
        );
        let fresh = Matches::update(Some(&prev), &other, &hs, &Needle::new("ab"));
        assert_eq!(fresh.positions(), [0, 1, 2], "another order: from scratch");
        let rebuilt = Haystacks::build(&rows, push_pieces);
        let fresh = Matches::update(Some(&prev), &order, &rebuilt, &Needle::new("ab"));
        assert_eq!(
            fresh.positions(),
            [0, 1, 2],
            "other haystacks: from scratch"
        );
        let wider = Matches::update(Some(&prev), &order, &hs, &Needle::new("b"));
        assert_eq!(
            wider.positions(),
            [0, 1, 2],
            "not an extension: from scratch"
        );
    }

    #[test]
    fn narrowing_compares_needles_as_matched_not_as_typed() {
        // `ΑΣ` lower-cases to `ας`, `ΑΣΑ` to `ασα`: typing extended, the needle did not.
        assert!(!Needle::new("ΑΣΑ").narrows(&Needle::new("ΑΣ")));
        assert!(Needle::new("ab ").narrows(&Needle::new("ab")));
        assert!(Needle::new(" AB c").narrows(&Needle::new("a")));
        assert!(Needle::new("x").narrows(&Needle::new("   ")));
    }

    // --- Preferences.

    #[test]
    fn prefs_keep_the_saved_format() {
        assert_eq!(
            TablePrefs::new(25, ["type", "tags"]).encode(),
            "size=25;cols=tags,type"
        );
        assert_eq!(
            defaults().encode(),
            "size=25;cols=matching,tags,type,updated"
        );
        assert_eq!(TablePrefs::new(10, []).encode(), "size=10;cols=");
    }

    #[test]
    fn prefs_read_what_users_saved() {
        let read = |s: &str| TablePrefs::decode(s, &SIZES, &COLUMNS, &defaults());
        assert_eq!(
            read("size=25;cols=type,tags"),
            TablePrefs::new(25, ["type", "tags"])
        );
        assert_eq!(read("size=50;cols="), TablePrefs::new(50, []));
        assert_eq!(
            read("cols=updated;size=100"),
            TablePrefs::new(100, ["updated"])
        );
        assert_eq!(
            read("size=10"),
            TablePrefs::new(10, COLUMNS),
            "columns default"
        );
        assert_eq!(read(""), defaults());
    }

    #[test]
    fn prefs_ignore_junk() {
        let read = |s: &str| TablePrefs::decode(s, &SIZES, &COLUMNS, &defaults());
        assert_eq!(
            read("size=7;cols=bogus,tags,,TYPE"),
            TablePrefs::new(25, ["tags"])
        );
        assert_eq!(read("size=abc"), defaults());
        assert_eq!(read("size=-10;size=99999999999999999999999999"), defaults());
        assert_eq!(read("SIZE=50;Cols=tags;x=y;;=;size;cols"), defaults());
        assert_eq!(
            read("size=10;size=50"),
            TablePrefs::new(50, COLUMNS),
            "the last wins"
        );
        assert_eq!(
            read("size=50;size=7"),
            TablePrefs::new(50, COLUMNS),
            "a bad one is skipped"
        );
        assert_eq!(read("{\"size\":50}"), defaults());
        assert_eq!(
            read("size=10;cols=tags=x,type"),
            TablePrefs::new(10, ["type"])
        );
    }

    fn prefs_like() -> impl Strategy<Value = String> {
        let part = prop_oneof![
            Just("size=".to_owned()),
            Just("cols=".to_owned()),
            (
                Just("size="),
                proptest::sample::select(&[0usize, 10, 25, 7, 100][..])
            )
                .prop_map(|(k, n)| format!("{k}{n}")),
            proptest::sample::subsequence(&COLUMNS[..], 0..=4)
                .prop_map(|c| format!("cols={}", c.join(","))),
            any::<String>(),
        ];
        proptest::collection::vec(part, 0..5).prop_map(|p| p.join(";"))
    }

    proptest! {
        // --- Preferences.

        #[test]
        fn decoding_never_panics_and_keeps_to_what_is_allowed(
            saved in prop_oneof![any::<String>(), prefs_like()],
        ) {
            let p = TablePrefs::decode(&saved, &SIZES, &COLUMNS, &defaults());
            prop_assert!(SIZES.contains(&p.page_size));
            prop_assert!(p.columns.iter().all(|c| COLUMNS.contains(c)));
        }

        #[test]
        fn encoding_then_decoding_is_identity(
            size in proptest::sample::select(&SIZES[..]),
            columns in proptest::sample::subsequence(&COLUMNS[..], 0..=4),
            default_size in proptest::sample::select(&SIZES[..]),
        ) {
            let prefs = TablePrefs::new(size, columns);
            let other = TablePrefs::new(default_size, ["tags"]);
            prop_assert_eq!(TablePrefs::decode(&prefs.encode(), &SIZES, &COLUMNS, &other), prefs);
        }

        // --- Row model.

        #[test]
        fn any_text_builds_and_filters_without_panicking(
            texts in proptest::collection::vec(any::<String>(), 0..8),
            raw in any::<String>(),
        ) {
            let hs = Haystacks::build(&texts, |t, text| {
                text.push(t);
                text.push(t);
            });
            let positions: Vec<usize> = (0..texts.len()).collect();
            let found = hs.filter(&positions, &Needle::new(&raw));
            let needle = raw.replace('\u{0}', "").trim().to_lowercase();
            let want: Vec<usize> = positions
                .iter()
                .copied()
                .filter(|&i| texts[i].replace('\u{0}', "").to_lowercase().contains(&needle))
                .collect();
            prop_assert_eq!(found, want);
        }

        #[test]
        fn the_row_model_is_filter_then_stable_sort_then_page(
            rows in rows_strategy(),
            raw in text(3),
            sort in sort_strategy(),
            page in 0usize..6,
            size in 1usize..8,
        ) {
            let (all, on_page) = brute_model(&rows, &raw, sort, page, size);
            let s = state_with(sort, &raw, page, size);
            let hs = Haystacks::build(&rows, push_pieces);
            let m = RowModel::compute(&s, &rows, &hs, cmp);
            prop_assert_eq!(&m.matches, &all);
            prop_assert_eq!(m.page_positions(), &on_page[..]);
            prop_assert_eq!(m.page.total, all.len());
            // The staged pipeline gives the same.
            let order = Order::sorted(&rows, sort, cmp);
            let matches = Matches::new(&order, &hs, s.needle());
            prop_assert_eq!(matches.positions(), &all[..]);
            prop_assert_eq!(s.page_info(matches.len()).slice(matches.positions()), &on_page[..]);
        }

        #[test]
        fn narrowing_equals_filtering_from_scratch(
            rows in rows_strategy(),
            old in text(3),
            added in text(3),
            sort in sort_strategy(),
        ) {
            let hs = Haystacks::build(&rows, push_pieces);
            let order = Order::sorted(&rows, sort, cmp);
            let prev = Matches::new(&order, &hs, &Needle::new(&old));
            let needle = Needle::new(&format!("{old}{added}"));
            let next = Matches::update(Some(&prev), &order, &hs, &needle);
            prop_assert_eq!(next, Matches::new(&order, &hs, &needle));
        }

        /// Typing and deleting, each keystroke from the previous result.
        #[test]
        fn keystrokes_equal_filtering_from_scratch(
            rows in rows_strategy(),
            keys in proptest::collection::vec(
                proptest::option::of(proptest::sample::select(&ALPHABET[..])), 0..12),
        ) {
            let hs = Haystacks::build(&rows, push_pieces);
            let order = Order::sorted(&rows, Some(Sort { key: Key::Count, dir: SortDir::Descending }), cmp);
            let mut typed = String::new();
            let mut prev: Option<Matches> = None;
            for key in keys {
                match key {
                    Some(c) => typed.push(c),
                    None => { typed.pop(); } // backspace
                }
                let needle = Needle::new(&typed);
                let next = Matches::update(prev.as_ref(), &order, &hs, &needle);
                prop_assert_eq!(&next, &Matches::new(&order, &hs, &needle));
                prev = Some(next);
            }
        }

        // --- Pages.

        #[test]
        fn a_new_page_size_shows_the_old_first_row(
            page in 0usize..50,
            old in 1usize..30,
            new in 0usize..30,
            total in 0usize..300,
        ) {
            let mut s = state(old);
            s.set_page(page);
            let first = s.page_info(total).range().start;
            s.set_page_size(new, total);
            let info = s.page_info(total);
            prop_assert_eq!(info.page, s.page_index(), "already within range");
            if total > 0 {
                prop_assert!(info.range().contains(&first));
            } else {
                prop_assert_eq!(s.page_index(), 0);
            }
        }

        #[test]
        fn page_info_is_consistent(page in any::<usize>(), size in 0usize..40, total in 0usize..500) {
            let p = PageInfo::new(page, size, total);
            let size = size.max(1);
            prop_assert!(p.page < p.page_count);
            prop_assert_eq!(p.page_count, total.div_ceil(size).max(1));
            prop_assert!(p.range().len() <= size);
            prop_assert!(p.last_row <= total);
            prop_assert_eq!(p.range().is_empty(), total == 0);
            prop_assert_eq!(p.has_next(), p.last_row < total);
        }
    }

    #[test]
    fn patch_sorted_keeps_key_order() {
        let mut list: Vec<String> = ["b", "d", "f"].iter().map(|s| s.to_string()).collect();
        patch_sorted(&mut list, "a", Some("a".into()), |s| s.as_str());
        patch_sorted(&mut list, "e", Some("e".into()), |s| s.as_str());
        patch_sorted(&mut list, "d", None, |s| s.as_str());
        patch_sorted(&mut list, "zz", None, |s| s.as_str());
        patch_sorted(&mut list, "b", Some("b".into()), |s| s.as_str());
        patch_sorted(&mut list, "環", Some("環".into()), |s| s.as_str());
        assert_eq!(list, ["a", "b", "e", "f", "環"]);
    }
}
