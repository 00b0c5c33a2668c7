//! The form behind a group being edited: the draft as typed, the group it means, and what to
//! say about it, field by field and row by row. The Create group page, the Tags and Query tabs
//! of a group and the bulk tag editor of the Resources page each keep one [`GroupForm`] in a
//! signal, forward events to it, and render what it answers. Nothing here knows Leptos.
//!
//! - The draft keeps the text as typed; [`GroupDraft::to_group`] is the one projection onto
//!   the model: the name, tag keys, filter keys and the stack ARN are trimmed, tag values and
//!   the description are kept as typed, filter values are the chips plus the value being
//!   typed (split at commas, trimmed, empty ones dropped). This is byte for byte what the
//!   pages did before this module.
//! - Validation is the model's ([`Group::validate`], [`check_tags`],
//!   [`ResourceQuery::validate`]). The form only picks what applies to what is edited
//!   ([`Scope`]), checks the tag rows as the list they are (a map would merge a duplicate key
//!   away, so the error could not point at its second row), and adds what only a form knows:
//!   a stack group made here names its stack, and a new group's name must be free.
//! - Errors are known at every keystroke (for the guard's highlight and the state of the
//!   submit button) but shown per [`Part`] of the form: once the person left it (blur), or for
//!   every part after a submit attempt. Warnings (guard findings in a description that are
//!   not credentials, see [`ValidationError::is_blocking`]) show at once: they do not block,
//!   and the person should read them before deciding to save anyway.
//! - Positions in [`Checked`] are byte offsets into the text as typed, on its character
//!   boundaries: the model checks trimmed values, so positions in trimmed fields are moved by
//!   the whitespace the trim removed. Filter values have none: they are chips, not one text.
//! - Rows have ids that stay while rows are added and removed (element ids, keys of the
//!   rendered list); errors name rows by position, as the model reports them.
//! - A failed submit names the field to focus: the first field with a blocking error in the
//!   order of the form, not in the order the checks ran.

use std::collections::BTreeSet;
use std::ops::Range;

use super::display::split_list;
use crate::model::group::{
    check_configuration, check_criticality, check_display_name, check_owner, check_tags,
    ConfigurationItem,
};
use crate::model::limits::{CRITICALITY_MAX, CRITICALITY_MIN, TAGS_MAX, TAG_FILTERS_MAX};
use crate::model::query::{ResourceQuery, TagFilter, ALL_SUPPORTED};
use crate::model::service_config::{check_rules, read_only_reason, HostSettings, Template};
use crate::model::{Field, Group, GroupSpec, Tags, ValidationError, ValidationProblem};

/// The most rows of a list: tags per group and tag filters per query (both 50 in AWS).
pub const ROWS_MAX: usize = TAGS_MAX;
const _: () = assert!(TAGS_MAX == TAG_FILTERS_MAX);

/// Byte ranges to mark in one row: (key, value).
pub type RowMarks = (Vec<Range<usize>>, Vec<Range<usize>>);

/// The messages of one row: (key, value).
pub type RowMessages = (Option<String>, Option<String>);

/// One row of a list: a tag (key, value) or a tag filter (key, values as chips).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Stays while rows are added and removed.
    pub id: u32,
    pub key: String,
    /// A tag's value as typed; a filter's chips, joined with `", "`.
    pub value: String,
    /// A filter's value being typed, not yet a chip (it counts as a value all the same).
    pub draft: String,
}

impl Row {
    fn new(id: u32, key: &str, value: &str) -> Self {
        Row {
            id,
            key: key.to_owned(),
            value: value.to_owned(),
            draft: String::new(),
        }
    }

    /// A filter's chips.
    pub fn chips(&self) -> Vec<String> {
        split_list(&self.value)
    }

    /// A filter's values: the chips, and the value being typed.
    pub fn values(&self) -> Vec<String> {
        let mut values = self.chips();
        let draft = self.draft.trim();
        if !draft.is_empty() {
            values.push(draft.to_owned());
        }
        values
    }

    /// The text being typed becomes chips: each part between commas, trimmed, unless empty or
    /// already a chip.
    fn commit(&mut self) {
        let mut values = self.chips();
        for part in self.draft.split(',') {
            let v = part.trim();
            if !v.is_empty() && !values.iter().any(|x| x == v) {
                values.push(v.to_owned());
            }
        }
        self.value = values.join(", ");
        self.draft.clear();
    }

    /// Typing in a chips field: what comes before the last comma becomes chips.
    fn typing(&mut self, text: String) {
        match text.rsplit_once(',') {
            Some((done, rest)) => {
                let rest = rest.trim_start().to_owned();
                self.draft = done.to_owned();
                self.commit();
                self.draft = rest;
            }
            None => self.draft = text,
        }
    }

    fn remove_chip(&mut self, value: &str) {
        let values: Vec<String> = self.chips().into_iter().filter(|x| x != value).collect();
        self.value = values.join(", ");
    }
}

/// What the person did to a list of rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowEdit {
    /// Adds an empty row at the end, unless the list is full.
    Add,
    Remove(u32),
    Key(u32, String),
    /// A tag's value.
    Value(u32, String),
    /// Typing in a filter's values: the text before the last comma becomes chips.
    Typing(u32, String),
    /// Enter in a filter's values, or leaving them: what was typed becomes chips.
    Commit(u32),
    /// Backspace in a filter's values: with nothing typed, the last chip goes.
    Backspace(u32),
    /// The × of a chip.
    RemoveChip(u32, String),
}

/// The rows of a list, at most [`ROWS_MAX`] of them once the person adds any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rows {
    rows: Vec<Row>,
    /// Ids are never reused, so a removed row's id cannot name a new one.
    next_id: u32,
}

impl Rows {
    /// Rows of these (key, value) pairs, numbered from 1. More than [`ROWS_MAX`] are kept (a
    /// group from elsewhere may have them: the check says so); only adding stops.
    pub fn new<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let rows: Vec<Row> = pairs
            .into_iter()
            .zip(1..)
            .map(|((k, v), id)| Row::new(id, k.as_ref(), v.as_ref()))
            .collect();
        let next_id = rows.len() as u32 + 1;
        Rows { rows, next_id }
    }

    /// No rows.
    pub fn none() -> Self {
        Rows {
            rows: Vec::new(),
            next_id: 1,
        }
    }

    /// One empty row, where a list starts with one.
    pub fn one_empty() -> Self {
        Rows::new([("", "")])
    }

    pub fn as_slice(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether another row can be added.
    pub fn can_add(&self) -> bool {
        self.rows.len() < ROWS_MAX
    }

    /// How many more rows can be added.
    pub fn remaining(&self) -> usize {
        ROWS_MAX.saturating_sub(self.rows.len())
    }

    /// The id of the row at this position.
    pub fn id_at(&self, position: usize) -> Option<u32> {
        self.rows.get(position).map(|r| r.id)
    }

    /// Applies an edit; whether anything changed (edits of a row that is gone change nothing).
    pub fn apply(&mut self, edit: RowEdit) -> bool {
        let id = match &edit {
            RowEdit::Add => {
                if !self.can_add() {
                    return false;
                }
                self.rows.push(Row::new(self.next_id, "", ""));
                self.next_id += 1;
                return true;
            }
            RowEdit::Remove(id) => {
                let before = self.rows.len();
                self.rows.retain(|r| r.id != *id);
                return self.rows.len() != before;
            }
            RowEdit::Key(id, _)
            | RowEdit::Value(id, _)
            | RowEdit::Typing(id, _)
            | RowEdit::Commit(id)
            | RowEdit::Backspace(id)
            | RowEdit::RemoveChip(id, _) => *id,
        };
        let Some(row) = self.rows.iter_mut().find(|r| r.id == id) else {
            return false;
        };
        let before = row.clone();
        match edit {
            RowEdit::Key(_, text) => row.key = text,
            RowEdit::Value(_, text) => row.value = text,
            RowEdit::Typing(_, text) => row.typing(text),
            RowEdit::Commit(_) => row.commit(),
            RowEdit::Backspace(_) => {
                if row.draft.is_empty() {
                    if let Some(last) = row.chips().pop() {
                        row.remove_chip(&last);
                    }
                }
            }
            RowEdit::RemoveChip(_, value) => row.remove_chip(&value),
            RowEdit::Add | RowEdit::Remove(_) => {}
        }
        *row != before
    }

    /// The rows as tags, in order and with duplicates: keys trimmed, values as typed.
    pub fn tags(&self) -> Vec<(String, String)> {
        self.rows
            .iter()
            .map(|r| (r.key.trim().to_owned(), r.value.clone()))
            .collect()
    }

    /// The rows as a group's tags (of a duplicate key, the last row wins; the check reports
    /// the duplicate, so such tags are never saved).
    pub fn tag_map(&self) -> Tags {
        self.tags().into_iter().collect()
    }

    /// The rows as tag filters: keys trimmed, values as in [`Row::values`].
    pub fn filters(&self) -> Vec<TagFilter> {
        self.rows
            .iter()
            .map(|r| TagFilter {
                key: r.key.trim().to_owned(),
                values: r.values(),
            })
            .collect()
    }
}

/// Which list of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum List {
    Filters,
    Tags,
}

impl List {
    pub fn part(self) -> Part {
        match self {
            List::Filters => Part::Filters,
            List::Tags => Part::Tags,
        }
    }
}

/// The kind of query a draft makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum QueryKind {
    /// `TAG_FILTERS_1_0`.
    #[default]
    Tags,
    /// `CLOUDFORMATION_STACK_1_0`.
    Stack,
    /// No query: a service configuration ([`ConfigDraft`]).
    Configuration,
}

/// Which service configuration a draft makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConfigKind {
    #[default]
    CapacityReservationPool,
    HostManagement,
}

/// A service configuration as typed: the template and, for host management, its settings
/// (families and license ARNs typed, separated by commas or spaces).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigDraft {
    pub kind: ConfigKind,
    pub auto_allocate: Option<bool>,
    pub auto_release: Option<bool>,
    pub families: String,
    pub licenses: String,
    pub any_license: bool,
    /// A configuration no template makes (a copy of an AWS-made group), kept as it is until
    /// the person picks a template: a copy must not quietly become another configuration.
    pub kept: Option<Vec<ConfigurationItem>>,
}

impl ConfigDraft {
    /// The template the draft makes.
    pub fn template(&self) -> Template {
        let list = |s: &str| -> Vec<String> {
            s.split(|c: char| c == ',' || c.is_whitespace())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match self.kind {
            ConfigKind::CapacityReservationPool => Template::CapacityReservationPool,
            ConfigKind::HostManagement => Template::HostManagement(HostSettings {
                auto_allocate: self.auto_allocate,
                auto_release: self.auto_release,
                families: list(&self.families),
                licenses: list(&self.licenses),
                any_license: self.any_license,
            }),
        }
    }

    /// The draft of a configuration made from a template; `None` for any other.
    pub fn of(items: &[ConfigurationItem]) -> Option<Self> {
        Some(match Template::of(items)? {
            Template::CapacityReservationPool => ConfigDraft::default(),
            Template::HostManagement(h) => ConfigDraft {
                kind: ConfigKind::HostManagement,
                auto_allocate: h.auto_allocate,
                auto_release: h.auto_release,
                families: h.families.join(", "),
                licenses: h.licenses.join(", "),
                any_license: h.any_license,
                kept: None,
            },
        })
    }

    pub fn items(&self) -> Vec<ConfigurationItem> {
        match &self.kept {
            Some(items) => items.clone(),
            None => self.template().items(),
        }
    }
}

/// The resource types, as the page lets the person give them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceTypes {
    /// Picked from a list (the Create page's type picker).
    Picked(Vec<String>),
    /// Typed, separated by commas (the Query tab).
    Typed(String),
}

impl ResourceTypes {
    /// The types the query gets.
    pub fn list(&self) -> Vec<String> {
        match self {
            ResourceTypes::Picked(types) => types.clone(),
            ResourceTypes::Typed(text) => split_list(text),
        }
    }

    /// The types as text to edit: as typed, or the picked ones separated by commas.
    pub fn text(&self) -> String {
        match self {
            ResourceTypes::Picked(types) => types.join(", "),
            ResourceTypes::Typed(text) => text.clone(),
        }
    }
}

/// A group as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDraft {
    pub name: String,
    pub description: String,
    /// Display name and owner as typed (trimmed into the group).
    pub display_name: String,
    pub owner: String,
    /// `None`: not set.
    pub criticality: Option<u8>,
    pub kind: QueryKind,
    pub resource_types: ResourceTypes,
    /// The stack's ARN, for a stack query.
    pub stack: String,
    pub filters: Rows,
    pub tags: Rows,
    /// The service configuration, for [`QueryKind::Configuration`].
    pub configuration: ConfigDraft,
    /// The configuration a query group carries beside its query (a Network Firewall rule
    /// group's `AWS::NetworkFirewall::RuleGroup`), kept as it is: a copy keeps it, a query
    /// edit never drops it. Not edited here.
    pub query_configuration: Vec<ConfigurationItem>,
}

impl GroupDraft {
    /// A new group: all supported types, one empty tag filter, no tags.
    pub fn new() -> Self {
        GroupDraft {
            name: String::new(),
            description: String::new(),
            display_name: String::new(),
            owner: String::new(),
            criticality: None,
            kind: QueryKind::Tags,
            resource_types: ResourceTypes::Picked(vec![ALL_SUPPORTED.to_owned()]),
            stack: String::new(),
            filters: Rows::one_empty(),
            tags: Rows::none(),
            configuration: ConfigDraft::default(),
            query_configuration: Vec::new(),
        }
    }

    /// An existing group, to edit. Resource types are typed text; filter values become chips.
    /// A configuration is not edited here: its draft has no filters, and only the parts a
    /// [`Scope`] edits go back into the group ([`GroupForm::edited`]).
    pub fn of(group: &Group) -> Self {
        // The query, whether or not a configuration sits beside it.
        let (kind, types, stack, filters) = match group.query() {
            Some(ResourceQuery::Tags {
                resource_types,
                tag_filters,
            }) => (
                QueryKind::Tags,
                resource_types.clone(),
                String::new(),
                tag_filters
                    .iter()
                    .map(|f| (f.key.clone(), f.values.join(", ")))
                    .collect(),
            ),
            Some(ResourceQuery::Stack {
                resource_types,
                stack_identifier,
            }) => (
                QueryKind::Stack,
                resource_types.clone(),
                stack_identifier.clone().unwrap_or_default(),
                Vec::new(),
            ),
            None => (
                QueryKind::Configuration,
                Vec::new(),
                String::new(),
                Vec::new(),
            ),
        };
        GroupDraft {
            name: group.name.clone(),
            description: group.description.clone(),
            display_name: group.display_name.clone(),
            owner: group.owner.clone(),
            criticality: group.criticality,
            kind,
            resource_types: ResourceTypes::Typed(types.join(", ")),
            stack,
            filters: Rows::new(filters),
            tags: Rows::new(group.tags.iter()),
            configuration: match &group.spec {
                GroupSpec::Configuration(items) => {
                    ConfigDraft::of(items).unwrap_or_else(|| ConfigDraft {
                        kept: Some(items.clone()),
                        ..ConfigDraft::default()
                    })
                }
                GroupSpec::Query(_) | GroupSpec::QueryAndConfiguration(..) => {
                    ConfigDraft::default()
                }
            },
            query_configuration: match &group.spec {
                GroupSpec::QueryAndConfiguration(_, items) => items.clone(),
                _ => Vec::new(),
            },
        }
    }

    /// The query the draft makes.
    pub fn query(&self) -> ResourceQuery {
        let resource_types = self.resource_types.list();
        match self.kind {
            QueryKind::Stack => ResourceQuery::Stack {
                resource_types,
                stack_identifier: Some(self.stack.trim().to_owned()).filter(|s| !s.is_empty()),
            },
            QueryKind::Tags | QueryKind::Configuration => ResourceQuery::Tags {
                resource_types,
                tag_filters: self.filters.filters(),
            },
        }
    }

    /// What defines the members: the query, or the configuration.
    pub fn spec(&self) -> GroupSpec {
        match self.kind {
            QueryKind::Configuration => GroupSpec::Configuration(self.configuration.items()),
            _ if self.query_configuration.is_empty() => GroupSpec::Query(self.query()),
            _ => GroupSpec::QueryAndConfiguration(self.query(), self.query_configuration.clone()),
        }
    }

    /// The group the draft means (not yet checked: see [`GroupForm::check`]).
    pub fn to_group(&self) -> Group {
        let mut group = Group::new(self.name.trim(), self.query());
        group.spec = self.spec();
        group.description = self.description.clone();
        group.tags = self.tags.tag_map();
        self.put_labels(&mut group);
        group
    }

    /// Display name, owner and criticality into `group`, trimmed as a name is.
    fn put_labels(&self, group: &mut Group) {
        group.display_name = self.display_name.trim().to_owned();
        group.owner = self.owner.trim().to_owned();
        group.criticality = self.criticality;
    }

    fn rows(&self, list: List) -> &Rows {
        match list {
            List::Filters => &self.filters,
            List::Tags => &self.tags,
        }
    }

    fn rows_mut(&mut self, list: List) -> &mut Rows {
        match list {
            List::Filters => &mut self.filters,
            List::Tags => &mut self.tags,
        }
    }

    /// How far `field`'s text as typed is ahead of the trimmed value the model checked.
    fn trimmed_offset(&self, field: &Field) -> usize {
        let lead = |s: &str| s.len() - s.trim_start().len();
        let row_key = |rows: &Rows, i: usize| rows.as_slice().get(i).map_or(0, |r| lead(&r.key));
        match field {
            Field::Name => lead(&self.name),
            Field::DisplayName => lead(&self.display_name),
            Field::Owner => lead(&self.owner),
            Field::StackIdentifier => lead(&self.stack),
            Field::TagKey(i) => row_key(&self.tags, *i),
            Field::TagFilterKey(i) => row_key(&self.filters, *i),
            _ => 0,
        }
    }
}

impl Default for GroupDraft {
    fn default() -> Self {
        GroupDraft::new()
    }
}

/// What a form edits, which decides what is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A whole new group; its name must not be taken.
    NewGroup,
    /// The tags of an existing group.
    Tags,
    /// The tag query of an existing group.
    Query,
    /// Tags to set on resources: rows left blank (no key, no value) are ignored.
    ResourceTags,
    /// The display name, owner and criticality of an existing group.
    Labels,
    /// The service configuration of an existing group made from a template.
    Configuration,
}

/// A place in the form that shows messages, in the order of the form. The rows of a list
/// belong to its part: leaving any row shows the messages of every row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Name,
    Description,
    DisplayName,
    Owner,
    Criticality,
    ResourceTypes,
    Stack,
    Filters,
    /// The service configuration (its template and settings).
    Configuration,
    Tags,
}

/// The part a field's messages show in. A query too long as JSON is told where its bulk is:
/// at the stack, or at the filters.
fn part_of(field: &Field, kind: QueryKind) -> Option<Part> {
    Some(match field {
        Field::Name => Part::Name,
        Field::Description => Part::Description,
        Field::DisplayName => Part::DisplayName,
        Field::Owner => Part::Owner,
        Field::Criticality => Part::Criticality,
        Field::ResourceTypes => Part::ResourceTypes,
        Field::StackIdentifier => Part::Stack,
        Field::Query if kind == QueryKind::Stack => Part::Stack,
        Field::TagFilterKey(_) | Field::TagFilterValues(_) | Field::TagFilters | Field::Query => {
            Part::Filters
        }
        Field::TagKey(_) | Field::TagValue(_) | Field::Tags => Part::Tags,
        Field::Configuration => Part::Configuration,
        Field::Arn | Field::ApplicationTag => return None,
    })
}

fn is_row_field(field: &Field) -> bool {
    matches!(
        field,
        Field::TagKey(_) | Field::TagValue(_) | Field::TagFilterKey(_) | Field::TagFilterValues(_)
    )
}

/// Where a field is in the form, for "the first field with an error": parts in order, rows in
/// order, a row's key before its value.
fn form_order(field: &Field, kind: QueryKind) -> (u8, usize, u8) {
    // Fields no form here edits (configuration, ARN) come last.
    let part = part_of(field, kind).map_or(u8::MAX, |p| p as u8);
    match field {
        Field::TagKey(i) | Field::TagFilterKey(i) => (part, *i, 0),
        Field::TagValue(i) | Field::TagFilterValues(i) => (part, *i, 1),
        // The list's own message comes after its rows.
        Field::Tags | Field::TagFilters | Field::Query => (part, usize::MAX, 0),
        _ => (part, 0, 0),
    }
}

/// The element a failed submit moves the focus to. Rows are named by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Focus {
    Name,
    Description,
    DisplayName,
    Owner,
    Criticality,
    ResourceTypes,
    Stack,
    FilterKey(u32),
    FilterValues(u32),
    /// The list of filters itself (no filter, or a query too long as JSON): its Add button.
    Filters,
    TagKey(u32),
    TagValue(u32),
    /// The list of tags itself: its Add button.
    Tags,
    /// The service configuration's first control.
    Configuration,
    /// The confirmation that a warning (the description's, the owner's) was read.
    SaveAnyway,
}

/// The result of checking a draft: every problem, blocking or not, with positions into the
/// text as typed. Cheap to compare, so a page can keep it in a memo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    kind: QueryKind,
    errors: Vec<ValidationError>,
    /// Rows per list, for the per-row answers.
    filter_rows: usize,
    tag_rows: usize,
}

impl Checked {
    /// Every problem, in the order the checks ran.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    fn blocking(&self) -> impl Iterator<Item = &ValidationError> {
        self.errors.iter().filter(|e| e.is_blocking())
    }

    /// Whether saving is allowed: no blocking error (warnings are for [`Focus::SaveAnyway`]).
    pub fn can_submit(&self) -> bool {
        self.blocking().next().is_none()
    }

    /// Whether the guard blocks saving: a blocking finding of sensitive data anywhere. The
    /// submit button is turned off while it does (other errors only show when submitted).
    pub fn guard_blocks(&self) -> bool {
        self.blocking()
            .any(|e| matches!(e.problem, ValidationProblem::Sensitive { .. }))
    }

    /// The first blocking message of a part (not of its rows), whether shown or not.
    pub fn message(&self, part: Part) -> Option<String> {
        self.blocking()
            .find(|e| !is_row_field(&e.field) && part_of(&e.field, self.kind) == Some(part))
            .map(|e| e.message.clone())
    }

    /// The first warning of a part.
    pub fn warning(&self, part: Part) -> Option<String> {
        self.errors
            .iter()
            .find(|e| !e.is_blocking() && part_of(&e.field, self.kind) == Some(part))
            .map(|e| e.message.clone())
    }

    fn first(&self, field: &Field) -> Option<String> {
        self.blocking()
            .find(|e| &e.field == field)
            .map(|e| e.message.clone())
    }

    fn row_count(&self, list: List) -> usize {
        match list {
            List::Filters => self.filter_rows,
            List::Tags => self.tag_rows,
        }
    }

    fn row_fields(list: List, i: usize) -> (Field, Field) {
        match list {
            List::Filters => (Field::TagFilterKey(i), Field::TagFilterValues(i)),
            List::Tags => (Field::TagKey(i), Field::TagValue(i)),
        }
    }

    /// The first blocking message of each row, whether shown or not.
    pub fn row_messages(&self, list: List) -> Vec<RowMessages> {
        (0..self.row_count(list))
            .map(|i| {
                let (key, value) = Checked::row_fields(list, i);
                (self.first(&key), self.first(&value))
            })
            .collect()
    }

    /// What the guard found in a field: byte ranges into its text as typed. Filter values have
    /// none (they are chips, not one text).
    pub fn marks(&self, field: &Field) -> Vec<Range<usize>> {
        if matches!(field, Field::TagFilterValues(_)) {
            return Vec::new();
        }
        self.errors
            .iter()
            .filter(|e| &e.field == field)
            .filter_map(|e| match &e.problem {
                ValidationProblem::Sensitive { range, .. } => Some(range.clone()),
                _ => None,
            })
            .collect()
    }

    /// [`Checked::marks`] of each row's key and value.
    pub fn row_marks(&self, list: List) -> Vec<RowMarks> {
        (0..self.row_count(list))
            .map(|i| {
                let (key, value) = Checked::row_fields(list, i);
                (self.marks(&key), self.marks(&value))
            })
            .collect()
    }
}

/// Moves an error's positions from the trimmed value onto the text as typed.
fn shift(error: &mut ValidationError, by: usize) {
    match &mut error.problem {
        ValidationProblem::Sensitive { range, .. } => *range = range.start + by..range.end + by,
        ValidationProblem::BadCharacter { at, .. } => *at += by,
        _ => {}
    }
}

/// A group being edited: the draft, which parts were left, whether a submit was tried, and
/// whether the description's warning was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupForm {
    scope: Scope,
    pub draft: GroupDraft,
    touched: BTreeSet<Part>,
    submitted: bool,
    /// The person read the description's warning and saves anyway.
    pub save_anyway: bool,
}

impl GroupForm {
    fn with(scope: Scope, draft: GroupDraft) -> Self {
        GroupForm {
            scope,
            draft,
            touched: BTreeSet::new(),
            submitted: false,
            save_anyway: false,
        }
    }

    /// The Create group form.
    pub fn new_group() -> Self {
        GroupForm::with(Scope::NewGroup, GroupDraft::new())
    }

    /// Whether a new group's form holds anything typed (leaving would lose it).
    pub fn has_input(&self) -> bool {
        self.draft != GroupDraft::new()
    }

    /// The Create group form as a copy of `group` ("Copy to a new name" on the Data protection
    /// page): everything as the group has it, its name included, with every message showing at
    /// once, so the form marks what the guard flags and the person changes it there.
    pub fn copy_of(group: &Group) -> Self {
        let mut draft = GroupDraft::of(group);
        if let Some(q) = group.query() {
            draft.resource_types = ResourceTypes::Picked(q.resource_types().to_vec());
        }
        let mut form = GroupForm::with(Scope::NewGroup, draft);
        form.touched = [
            Part::Name,
            Part::Description,
            Part::DisplayName,
            Part::Owner,
            Part::Criticality,
            Part::ResourceTypes,
            Part::Stack,
            Part::Filters,
            Part::Tags,
        ]
        .into_iter()
        .collect();
        form
    }

    /// The tags of `group`.
    pub fn tags_of(group: &Group) -> Self {
        GroupForm::with(Scope::Tags, GroupDraft::of(group))
    }

    /// The query of `group`, if it is a tag query (the others are shown, not edited).
    pub fn query_of(group: &Group) -> Option<Self> {
        matches!(group.query(), Some(ResourceQuery::Tags { .. }))
            .then(|| GroupForm::with(Scope::Query, GroupDraft::of(group)))
    }

    /// Tags to set on resources, starting with one empty row.
    pub fn resource_tags() -> Self {
        let mut draft = GroupDraft::new();
        draft.tags = Rows::one_empty();
        GroupForm::with(Scope::ResourceTags, draft)
    }

    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Applies an edit to a list of rows; whether anything changed.
    pub fn edit_rows(&mut self, list: List, edit: RowEdit) -> bool {
        self.draft.rows_mut(list).apply(edit)
    }

    /// The person left a part: its messages show from now on. Whether that is new.
    pub fn touch(&mut self, part: Part) -> bool {
        self.touched.insert(part)
    }

    /// Whether a part's messages show.
    pub fn shows(&self, part: Part) -> bool {
        self.submitted || self.touched.contains(&part)
    }

    /// Every problem of what this form edits. `name_taken` says whether a group of that name
    /// exists already (only a new group asks).
    pub fn check(&self, name_taken: impl Fn(&str) -> bool) -> Checked {
        let draft = &self.draft;
        let mut errors = match self.scope {
            Scope::NewGroup => {
                let group = draft.to_group();
                let mut errors = group.validate();
                // The tag rows are checked as edited (duplicates included), not as the map.
                errors.retain(|e| {
                    !matches!(e.field, Field::TagKey(_) | Field::TagValue(_) | Field::Tags)
                });
                errors.extend(check_tags(&draft.tags.tags()));
                // AWS takes a stack query without a stack (the one that created the group);
                // a group made here has none, so it must name one.
                if draft.kind == QueryKind::Configuration {
                    errors.extend(check_rules(&draft.configuration.items()));
                }
                if draft.kind == QueryKind::Stack && draft.stack.trim().is_empty() {
                    errors.push(ValidationError::new(
                        Field::StackIdentifier,
                        ValidationProblem::Required,
                        "Enter the ARN of the CloudFormation stack whose resources the group collects.",
                    ));
                }
                if name_taken(&group.name) {
                    errors.push(ValidationError::new(
                        Field::Name,
                        ValidationProblem::Duplicate,
                        "A group with this name already exists. Choose another name.",
                    ));
                }
                errors
            }
            Scope::Tags => check_tags(&draft.tags.tags()),
            Scope::Query => draft.query().validate(),
            Scope::Configuration => {
                let items = draft.configuration.items();
                let mut errors = check_configuration(&items);
                errors.extend(check_rules(&items));
                errors
            }
            Scope::Labels => {
                let mut group = Group::new("", draft.query());
                draft.put_labels(&mut group);
                let mut errors = check_display_name(&group.display_name);
                errors.extend(check_owner(&group.owner));
                errors.extend(check_criticality(group.criticality.map(i64::from)));
                errors
            }
            Scope::ResourceTags => {
                // Blank rows are skipped; positions go back to the rows they came from, so a
                // duplicate still points at its own row.
                let tags = draft.tags.tags();
                let filled: Vec<usize> = (0..tags.len())
                    .filter(|&i| !(tags[i].0.is_empty() && tags[i].1.is_empty()))
                    .collect();
                let pairs: Vec<(String, String)> =
                    filled.iter().map(|&i| tags[i].clone()).collect();
                let mut errors = check_tags(&pairs);
                for e in &mut errors {
                    e.field = match e.field {
                        Field::TagKey(j) => Field::TagKey(filled[j]),
                        Field::TagValue(j) => Field::TagValue(filled[j]),
                        ref other => other.clone(),
                    };
                }
                errors
            }
        };
        for e in &mut errors {
            let by = draft.trimmed_offset(&e.field);
            shift(e, by);
        }
        Checked {
            kind: draft.kind,
            errors,
            filter_rows: draft.filters.len(),
            tag_rows: draft.tags.len(),
        }
    }

    /// The message to show under a part, if it shows.
    pub fn error(&self, checked: &Checked, part: Part) -> Option<String> {
        self.shows(part).then(|| checked.message(part)).flatten()
    }

    /// The messages to show in each row of a list (none until the list shows).
    pub fn row_errors(&self, checked: &Checked, list: List) -> Vec<RowMessages> {
        if self.shows(list.part()) {
            checked.row_messages(list)
        } else {
            vec![(None, None); self.draft.rows(list).len()]
        }
    }

    /// The person tries to save: every message shows from now on. `Ok` to go ahead, else the
    /// element to focus: the first field with a blocking error, in form order, or the
    /// confirmation of the description's warning.
    pub fn submit(&mut self, checked: &Checked) -> Result<(), Focus> {
        self.submitted = true;
        let kind = self.draft.kind;
        if let Some(first) = checked
            .blocking()
            .min_by_key(|e| form_order(&e.field, kind))
        {
            return Err(self.focus_for(&first.field));
        }
        let warned = [Part::Description, Part::Owner]
            .into_iter()
            .any(|p| checked.warning(p).is_some());
        if warned && !self.save_anyway {
            return Err(Focus::SaveAnyway);
        }
        Ok(())
    }

    fn focus_for(&self, field: &Field) -> Focus {
        let (filters, tags) = (&self.draft.filters, &self.draft.tags);
        let row = |rows: &Rows, i: usize, focus: fn(u32) -> Focus, list: Focus| {
            rows.id_at(i).map_or(list, focus)
        };
        match field {
            Field::Name | Field::Arn | Field::ApplicationTag => Focus::Name,
            Field::Configuration => Focus::Configuration,
            Field::Description => Focus::Description,
            Field::DisplayName => Focus::DisplayName,
            Field::Owner => Focus::Owner,
            Field::Criticality => Focus::Criticality,
            Field::ResourceTypes => Focus::ResourceTypes,
            Field::StackIdentifier => Focus::Stack,
            Field::Query if self.draft.kind == QueryKind::Stack => Focus::Stack,
            Field::TagFilterKey(i) => row(filters, *i, Focus::FilterKey, Focus::Filters),
            Field::TagFilterValues(i) => row(filters, *i, Focus::FilterValues, Focus::Filters),
            Field::TagFilters | Field::Query => Focus::Filters,
            Field::TagKey(i) => row(tags, *i, Focus::TagKey, Focus::Tags),
            Field::TagValue(i) => row(tags, *i, Focus::TagValue, Focus::Tags),
            Field::Tags => Focus::Tags,
        }
    }

    /// `original` with what this form edits put in: the tags (Tags), the query (Query). A new
    /// group is the draft's group; tags for resources are no group, so `original` stays.
    pub fn edited(&self, original: &Group) -> Group {
        let mut group = original.clone();
        match self.scope {
            Scope::NewGroup => group = self.draft.to_group(),
            Scope::Tags => group.tags = self.draft.tags.tag_map(),
            Scope::Query => group.spec = original.spec.with_query(self.draft.query()),
            Scope::Labels => self.draft.put_labels(&mut group),
            Scope::Configuration => {
                group.spec = GroupSpec::Configuration(self.draft.configuration.items())
            }
            Scope::ResourceTags => {}
        }
        group
    }

    /// The configuration of `group`, if it is one a template makes and AWS lets people change
    /// (see [`read_only_reason`]); any other is shown, not edited.
    pub fn configuration_of(group: &Group) -> Option<Self> {
        match &group.spec {
            GroupSpec::Configuration(items)
                if read_only_reason(items).is_none() && ConfigDraft::of(items).is_some() =>
            {
                Some(GroupForm::with(Scope::Configuration, GroupDraft::of(group)))
            }
            _ => None,
        }
    }

    /// The display name, owner and criticality of `group`.
    pub fn labels_of(group: &Group) -> Self {
        GroupForm::with(Scope::Labels, GroupDraft::of(group))
    }

    /// The criticalities the form offers for a group that has `saved`: 1–10, and "not set"
    /// (`None`) only while the group has none: AWS cannot unset a criticality.
    pub fn criticality_choices(saved: Option<u8>) -> Vec<Option<u8>> {
        let unset = saved.is_none().then_some(None);
        unset
            .into_iter()
            .chain((CRITICALITY_MIN..=CRITICALITY_MAX).map(Some))
            .collect()
    }

    /// Whether what this form edits differs from `original`.
    pub fn changed(&self, original: &Group) -> bool {
        match self.scope {
            Scope::Tags => original.tags != self.draft.tags.tag_map(),
            Scope::Query => original.query() != Some(&self.draft.query()),
            Scope::Labels | Scope::Configuration => self.edited(original) != *original,
            Scope::NewGroup | Scope::ResourceTags => self.edited(original) != *original,
        }
    }

    /// The tags to set on resources: the rows that are not blank, keys trimmed.
    pub fn tags_to_set(&self) -> Vec<(String, String)> {
        self.draft
            .tags
            .tags()
            .into_iter()
            .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
            .collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
// One range in a list is what the marks are about.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use crate::guard::FindingKind;
    use proptest::prelude::*;

    // --- Fixtures.

    fn free(_: &str) -> bool {
        false
    }

    /// A new group with a valid name and one valid filter.
    fn valid() -> GroupForm {
        let mut f = GroupForm::new_group();
        f.draft.name = "web-prod".into();
        let id = f.draft.filters.id_at(0).unwrap();
        f.edit_rows(List::Filters, RowEdit::Key(id, "Stage".into()));
        f
    }

    fn add_tag(f: &mut GroupForm, key: &str, value: &str) -> u32 {
        let list = List::Tags;
        assert!(f.edit_rows(list, RowEdit::Add));
        let id = f.draft.tags.as_slice().last().unwrap().id;
        f.edit_rows(list, RowEdit::Key(id, key.into()));
        f.edit_rows(list, RowEdit::Value(id, value.into()));
        id
    }

    fn sensitive_kind(e: &ValidationError) -> Option<FindingKind> {
        match e.problem {
            ValidationProblem::Sensitive { kind, .. } => Some(kind),
            _ => None,
        }
    }

    // --- Service configurations.

    #[test]
    fn a_configuration_group_is_made_from_a_template_and_checked_by_its_rules() {
        let mut f = GroupForm::new_group();
        f.draft.name = "hosts".into();
        f.draft.kind = QueryKind::Configuration;
        f.draft.configuration.kind = ConfigKind::HostManagement;
        // Neither license choice yet: the rule says one of the two.
        let c = f.check(free);
        assert!(c
            .message(Part::Configuration)
            .unwrap()
            .contains("one of the two"));
        assert_eq!(f.submit(&c), Err(Focus::Configuration));
        f.draft.configuration.any_license = true;
        f.draft.configuration.families = "c5, m5 r5d".into();
        f.draft.configuration.auto_allocate = Some(true);
        let c = f.check(free);
        assert!(c.can_submit(), "{:?}", c.errors());
        let g = f.draft.to_group();
        let GroupSpec::Configuration(items) = &g.spec else {
            panic!("a configuration group")
        };
        assert_eq!(items[0].kind, "AWS::EC2::HostManagement");
        assert_eq!(items[0].parameters[1].values, ["c5", "m5", "r5d"]);
        assert_eq!(items[1].kind, "AWS::ResourceGroups::Generic");
        // Its page opens the same settings, edits them, and puts back only the configuration.
        let mut edit = GroupForm::configuration_of(&g).expect("made from a template");
        assert!(!edit.changed(&g));
        edit.draft.configuration.auto_allocate = Some(false);
        let c = edit.check(free);
        assert!(c.can_submit());
        let changed = edit.edited(&g);
        assert_ne!(changed.spec, g.spec);
        assert_eq!((changed.name.as_str(), changed.tags.len()), ("hosts", 0));
    }

    #[test]
    fn a_copy_keeps_a_configuration_no_template_makes() {
        let items = vec![ConfigurationItem {
            kind: "AWS::AppRegistry::Application".into(),
            parameters: vec![],
        }];
        let mut g = Group::new("shop", ResourceQuery::tags(vec![]));
        g.spec = GroupSpec::Configuration(items.clone());
        let copy = GroupForm::copy_of(&g);
        assert_eq!(copy.draft.to_group().spec, GroupSpec::Configuration(items));
    }

    /// A Network Firewall rule group's group: a tag query and a configuration beside it. The
    /// query editor changes the query only; a copy keeps both.
    #[test]
    fn a_configuration_beside_a_query_survives_query_edits_and_copies() {
        let items = vec![ConfigurationItem {
            kind: crate::model::service_config::NETWORK_FIREWALL_RULE_GROUP.into(),
            parameters: vec![],
        }];
        let query = ResourceQuery::tags(vec![crate::model::TagFilter {
            key: "Réseau".into(),
            values: vec!["sécurité".into()],
        }]);
        let mut g = Group::new("fw-targets", query.clone());
        g.spec = GroupSpec::QueryAndConfiguration(query, items.clone());
        assert!(g.validate().is_empty(), "{:?}", g.validate());
        let mut edit = GroupForm::query_of(&g).expect("a tag query is edited here");
        let id = edit.draft.filters.id_at(0).unwrap();
        edit.edit_rows(List::Filters, RowEdit::Key(id, "Réseau-2".into()));
        assert!(edit.check(free).can_submit());
        let changed = edit.edited(&g);
        assert_eq!(changed.spec.configuration(), items.as_slice());
        let Some(ResourceQuery::Tags { tag_filters, .. }) = changed.query() else {
            panic!("a tag query")
        };
        assert_eq!(tag_filters[0].key, "Réseau-2");
        let copy = GroupForm::copy_of(&g).draft.to_group();
        assert_eq!(copy.spec.configuration(), items.as_slice());
        assert_eq!(copy.query(), g.query());
        // The configuration-type filter sees it.
        let mut filters = crate::model::group_filters::GroupFilters::default();
        filters.set(
            crate::model::group_filters::FilterName::ConfigurationType,
            crate::model::service_config::NETWORK_FIREWALL_RULE_GROUP,
        );
        assert!(filters.keeps(&g));
    }

    #[test]
    fn aws_managed_configurations_open_no_editor() {
        let mut g = Group::new(
            "AWS_AppRegistry_Application-shop",
            ResourceQuery::tags(vec![]),
        );
        g.spec = GroupSpec::Configuration(vec![ConfigurationItem {
            kind: "AWS::AppRegistry::Application".into(),
            parameters: vec![],
        }]);
        assert!(GroupForm::configuration_of(&g).is_none());
        g.spec = GroupSpec::Configuration(Template::CapacityReservationPool.items());
        assert!(GroupForm::configuration_of(&g).is_some());
    }

    // --- Display name, owner, criticality.

    #[test]
    fn labels_are_edited_checked_and_put_back_alone() {
        let mut g = Group::new("web", ResourceQuery::tags(vec![]));
        g.description = "private".into();
        g.tags.insert("Team".into(), "A".into());
        let mut f = GroupForm::labels_of(&g);
        assert!(!f.changed(&g));
        f.draft.display_name = "  ストアフロント 本番 ".into();
        f.draft.owner = "Équipe plateforme".into();
        f.draft.criticality = Some(3);
        let c = f.check(free);
        assert!(c.can_submit(), "{:?}", c.errors());
        assert_eq!(f.submit(&c), Ok(()));
        let edited = f.edited(&g);
        assert_eq!(edited.display_name, "ストアフロント 本番", "trimmed");
        assert_eq!(edited.criticality, Some(3));
        assert_eq!(
            (edited.description.as_str(), edited.tags.len()),
            ("private", 1)
        );
        assert!(f.changed(&g));

        // A bad character is placed in the text as typed; an email address warns and asks.
        f.draft.display_name = "  web (prod)".into();
        let c = f.check(free);
        let e = c
            .errors()
            .iter()
            .find(|e| e.field == Field::DisplayName)
            .unwrap();
        assert_eq!(
            e.problem,
            ValidationProblem::BadCharacter { ch: '(', at: 6 }
        );
        assert_eq!(f.submit(&c), Err(Focus::DisplayName));
        f.draft.display_name.clear();
        f.draft.owner = "ops@example.com".into();
        let c = f.check(free);
        assert!(c.can_submit());
        assert!(c.warning(Part::Owner).unwrap().contains("email address"));
        assert_eq!(f.submit(&c), Err(Focus::SaveAnyway));
        f.save_anyway = true;
        assert_eq!(f.submit(&c), Ok(()));
    }

    #[test]
    fn criticality_can_be_unset_only_while_it_is_unset() {
        let unset = GroupForm::criticality_choices(None);
        assert_eq!(unset.len(), 11);
        assert_eq!(unset[0], None);
        let set = GroupForm::criticality_choices(Some(4));
        assert_eq!(set, (1..=10).map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn the_create_form_sends_the_labels_with_the_group() {
        let mut f = valid();
        f.draft.owner = " team-web ".into();
        f.draft.criticality = Some(10);
        let g = f.draft.to_group();
        assert_eq!((g.owner.as_str(), g.criticality), ("team-web", Some(10)));
        f.draft.owner = "acct 123456789012".into();
        let c = f.check(free);
        assert!(c.guard_blocks());
        assert_eq!(f.submit(&c), Err(Focus::Owner));
    }

    // --- The projection.

    #[test]
    fn a_tag_query_draft_is_trimmed_as_the_pages_did() {
        let mut f = GroupForm::new_group();
        f.draft.name = "  web-prod \t".into();
        f.draft.description = " Front end ".into();
        f.draft.resource_types = ResourceTypes::Picked(vec!["AWS::EC2::Instance".into()]);
        let id = f.draft.filters.id_at(0).unwrap();
        f.edit_rows(List::Filters, RowEdit::Key(id, " Stage ".into()));
        f.edit_rows(List::Filters, RowEdit::Typing(id, "Prod, Test,  De".into()));
        add_tag(&mut f, " Team ", " web ");
        let g = f.draft.to_group();
        assert_eq!(g.name, "web-prod");
        assert_eq!(
            g.description, " Front end ",
            "the description is kept as typed"
        );
        assert_eq!(
            g.query(),
            Some(&ResourceQuery::Tags {
                resource_types: vec!["AWS::EC2::Instance".into()],
                tag_filters: vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["Prod".into(), "Test".into(), "De".into()],
                }],
            })
        );
        assert_eq!(g.tags.get("Team").map(String::as_str), Some(" web "));
        assert_eq!(f.edited(&Group::new("x", ResourceQuery::tags(vec![]))), g);
    }

    #[test]
    fn a_stack_draft_names_its_stack_or_must() {
        let stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1a2b";
        let mut f = valid();
        f.draft.kind = QueryKind::Stack;
        f.draft.stack = format!("  {stack} ");
        assert_eq!(
            f.draft.query(),
            ResourceQuery::Stack {
                resource_types: vec![ALL_SUPPORTED.into()],
                stack_identifier: Some(stack.into()),
            }
        );
        assert!(f.check(free).can_submit());
        f.draft.stack = "   ".into();
        assert_eq!(
            f.draft.query(),
            ResourceQuery::Stack {
                resource_types: vec![ALL_SUPPORTED.into()],
                stack_identifier: None,
            }
        );
        let c = f.check(free);
        assert!(c
            .message(Part::Stack)
            .unwrap()
            .contains("ARN of the CloudFormation stack"));
        assert_eq!(f.submit(&c), Err(Focus::Stack));
        assert!(f.error(&c, Part::Stack).is_some());
        // The filters of a stack group are not part of it.
        assert!(!c
            .errors()
            .iter()
            .any(|e| part_of(&e.field, c.kind) == Some(Part::Filters)));
    }

    #[test]
    fn an_existing_group_round_trips_through_its_draft() {
        let mut g = Group::new(
            "web",
            ResourceQuery::Tags {
                resource_types: vec!["AWS::EC2::Instance".into(), "AWS::S3::Bucket".into()],
                tag_filters: vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["Prod".into(), "Dev".into()],
                }],
            },
        );
        g.tags.insert("環境".into(), "本番".into());
        let tags = GroupForm::tags_of(&g);
        assert!(!tags.changed(&g));
        assert_eq!(tags.edited(&g), g);
        let query = GroupForm::query_of(&g).unwrap();
        assert_eq!(
            query.draft.resource_types,
            ResourceTypes::Typed("AWS::EC2::Instance, AWS::S3::Bucket".into())
        );
        assert!(!query.changed(&g));
        assert_eq!(query.edited(&g), g);
        assert!(query.check(free).errors().is_empty());
        let stack = Group::new(
            "s",
            ResourceQuery::Stack {
                resource_types: vec![],
                stack_identifier: None,
            },
        );
        assert_eq!(GroupForm::query_of(&stack), None);
    }

    #[test]
    fn the_query_tab_edits_only_the_query() {
        let g = Group::new(
            "web",
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec![],
            }]),
        );
        let mut f = GroupForm::query_of(&g).unwrap();
        f.draft.resource_types =
            ResourceTypes::Typed("AWS::EC2::Instance, ,AWS::S3::Bucket,".into());
        let id = f.draft.filters.id_at(0).unwrap();
        f.edit_rows(List::Filters, RowEdit::Typing(id, "Prod, Dev".into()));
        assert!(f.changed(&g));
        let new = f.edited(&g);
        assert_eq!(new.name, "web");
        assert_eq!(
            new.query().unwrap().resource_types(),
            [
                "AWS::EC2::Instance".to_owned(),
                "AWS::S3::Bucket".to_owned()
            ]
        );
        f.draft.resource_types = ResourceTypes::Typed("EC2".into());
        let c = f.check(free);
        assert!(c.message(Part::ResourceTypes).is_some());
        assert_eq!(f.error(&c, Part::ResourceTypes), None);
        f.touch(Part::ResourceTypes);
        assert!(f.error(&c, Part::ResourceTypes).is_some());
    }

    // --- Errors per field and per row.

    #[test]
    fn a_duplicate_tag_key_points_at_the_second_row() {
        let mut f = valid();
        add_tag(&mut f, "Team", "a");
        add_tag(&mut f, "Owner", "b");
        let second = add_tag(&mut f, " Team", "c");
        let c = f.check(free);
        let rows = c.row_messages(List::Tags);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], (None, None));
        assert_eq!(rows[1], (None, None));
        assert!(rows[2].0.as_deref().unwrap().contains("already used"));
        assert_eq!(f.submit(&c), Err(Focus::TagKey(second)));
    }

    #[test]
    fn blank_resource_tag_rows_are_skipped_and_errors_stay_on_their_rows() {
        let mut f = GroupForm::resource_tags();
        let first = f.draft.tags.id_at(0).unwrap();
        f.edit_rows(List::Tags, RowEdit::Key(first, "Team".into()));
        f.edit_rows(List::Tags, RowEdit::Add); // left blank
        add_tag(&mut f, "Team", "x");
        add_tag(&mut f, "Account", "123456789012");
        assert_eq!(f.tags_to_set().len(), 3);
        let c = f.check(free);
        let rows = c.row_messages(List::Tags);
        assert_eq!(rows[0], (None, None));
        assert_eq!(rows[1], (None, None), "the blank row");
        assert!(rows[2].0.as_deref().unwrap().contains("already used"));
        assert!(rows[3].1.as_deref().unwrap().contains("AWS account ID"));
        assert_eq!(c.row_marks(List::Tags)[3], (vec![], vec![0..12]));
        assert!(!c.can_submit());
        // Nothing shows before the editor was left or a review was asked for.
        assert!(f
            .row_errors(&c, List::Tags)
            .iter()
            .all(|r| *r == (None, None)));
        assert!(f.submit(&c).is_err());
        assert_eq!(f.row_errors(&c, List::Tags), rows);
    }

    #[test]
    fn an_account_id_in_the_name_blocks_and_is_marked_where_typed() {
        let mut f = valid();
        f.draft.name = "prod-123456789012".into();
        let c = f.check(free);
        let e = c.errors().iter().find(|e| e.field == Field::Name).unwrap();
        assert_eq!(sensitive_kind(e), Some(FindingKind::AwsAccountId));
        assert!(e.is_blocking() && !c.can_submit() && c.guard_blocks());
        assert_eq!(c.marks(&Field::Name), vec![5..17]);
        // Leading whitespace is trimmed before the check; the mark stays on the digits.
        f.draft.name = "\u{3000} prod-123456789012".into();
        let c = f.check(free);
        let marks = c.marks(&Field::Name);
        assert_eq!(marks, vec![9..21]);
        assert_eq!(f.draft.name.get(marks[0].clone()), Some("123456789012"));
        assert_eq!(f.submit(&c), Err(Focus::Name));
    }

    #[test]
    fn an_account_number_in_the_description_warns_and_a_credential_blocks() {
        let mut f = valid();
        f.draft.description = "Billing for account 123456789012".into();
        let c = f.check(free);
        assert!(c.can_submit() && !c.guard_blocks());
        assert!(c
            .warning(Part::Description)
            .unwrap()
            .contains("AWS account ID"));
        assert_eq!(c.message(Part::Description), None);
        assert_eq!(f.submit(&c), Err(Focus::SaveAnyway));
        f.save_anyway = true;
        assert_eq!(f.submit(&c), Ok(()));

        let mut f = valid();
        f.draft.description = "deploy key AKIAIOSFODNN7EXAMPLE".into();
        let c = f.check(free);
        assert!(!c.can_submit() && c.guard_blocks());
        assert_eq!(c.warning(Part::Description), None);
        assert!(c.message(Part::Description).is_some());
        assert_eq!(
            f.error(&c, Part::Description),
            None,
            "not shown before the blur"
        );
        f.touch(Part::Description);
        assert!(f.error(&c, Part::Description).is_some());
        f.save_anyway = true;
        assert_eq!(
            f.submit(&c),
            Err(Focus::Description),
            "a credential is never saved anyway"
        );
    }

    #[test]
    fn a_taken_name_is_an_error_of_the_name() {
        let mut f = valid();
        let c = f.check(|n| n == "web-prod");
        assert!(c.message(Part::Name).unwrap().contains("already exists"));
        assert!(!c.guard_blocks(), "only the guard turns the button off");
        assert_eq!(f.submit(&c), Err(Focus::Name));
    }

    #[test]
    fn a_copy_starts_as_the_group_with_what_the_guard_flags_marked_at_once() {
        let mut g = Group::new(
            "billing-318420957164",
            ResourceQuery::Tags {
                resource_types: vec!["AWS::EC2::Instance".into()],
                tag_filters: vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["Prod".into(), "Test".into()],
                }],
            },
        );
        g.description = "Billing".into();
        g.tags.insert("Team".into(), "pay".into());
        let mut f = GroupForm::copy_of(&g);
        assert_eq!(f.scope(), Scope::NewGroup);
        let c = f.check(free);
        // Shown before anything is touched, with the digits marked in the name.
        assert!(f.shows(Part::Name));
        assert!(c.guard_blocks());
        assert_eq!(c.marks(&Field::Name), [8..20]);
        // Changing the name is all it takes; the copy is the same group otherwise.
        f.draft.name = "billing-prod".into();
        let c = f.check(free);
        assert!(!c.guard_blocks());
        assert_eq!(f.submit(&c), Ok(()));
        let copy = f.draft.to_group();
        assert_eq!(
            (
                copy.spec.clone(),
                copy.tags.clone(),
                copy.description.clone()
            ),
            (g.spec, g.tags, g.description)
        );
    }

    #[test]
    fn no_filter_is_a_message_of_the_list() {
        let mut f = valid();
        let id = f.draft.filters.id_at(0).unwrap();
        assert!(f.edit_rows(List::Filters, RowEdit::Remove(id)));
        let c = f.check(free);
        assert!(c
            .message(Part::Filters)
            .unwrap()
            .contains("at least one tag filter"));
        assert_eq!(c.row_messages(List::Filters), vec![]);
        assert_eq!(f.submit(&c), Err(Focus::Filters));
    }

    // --- What shows when, and the focus.

    #[test]
    fn messages_show_once_their_part_was_left_or_after_a_submit() {
        let mut f = GroupForm::new_group();
        add_tag(&mut f, "", "x");
        let c = f.check(free);
        assert!(c.message(Part::Name).is_some());
        assert!(c.row_messages(List::Filters)[0].0.is_some());
        for part in [Part::Name, Part::Filters, Part::Tags] {
            assert_eq!(f.error(&c, part), None);
        }
        assert!(f
            .row_errors(&c, List::Filters)
            .iter()
            .all(|r| *r == (None, None)));
        assert!(f.touch(Part::Name));
        assert!(!f.touch(Part::Name), "touching again changes nothing");
        assert!(f.error(&c, Part::Name).is_some());
        assert!(f.row_errors(&c, List::Tags)[0].0.is_none());
        assert_eq!(f.submit(&c), Err(Focus::Name));
        assert!(f.row_errors(&c, List::Tags)[0].0.is_some());
        assert!(f.row_errors(&c, List::Filters)[0].0.is_some());
    }

    #[test]
    fn the_focus_goes_to_the_first_field_in_form_order() {
        // The taken name is checked last, a tag row before the stack; the form order wins.
        let mut f = valid();
        f.draft.kind = QueryKind::Stack;
        add_tag(&mut f, "", "x");
        let c = f.check(|_| true);
        assert_eq!(f.submit(&c), Err(Focus::Name));

        let mut f = valid();
        f.draft.kind = QueryKind::Stack;
        let tag = add_tag(&mut f, "", "x");
        assert_eq!(f.submit(&f.check(free)), Err(Focus::Stack));
        f.draft.stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1a2b".into();
        assert_eq!(f.submit(&f.check(free)), Err(Focus::TagKey(tag)));

        // A value's error focuses the value; an earlier row comes first.
        let mut f = valid();
        let first = f.draft.filters.id_at(0).unwrap();
        f.edit_rows(List::Filters, RowEdit::Add);
        let second = f.draft.filters.id_at(1).unwrap();
        f.edit_rows(List::Filters, RowEdit::Key(second, "aws:x".into()));
        f.edit_rows(List::Filters, RowEdit::Key(first, "Account".into()));
        f.edit_rows(List::Filters, RowEdit::Typing(first, "123456789012".into()));
        assert_eq!(f.submit(&f.check(free)), Err(Focus::FilterValues(first)));
        f.draft.resource_types = ResourceTypes::Picked(vec![]);
        assert_eq!(f.submit(&f.check(free)), Err(Focus::ResourceTypes));
    }

    // --- The rows editor.

    #[test]
    fn rows_are_added_up_to_the_limit_and_keep_their_ids() {
        let mut rows = Rows::one_empty();
        while rows.can_add() {
            assert!(rows.apply(RowEdit::Add));
        }
        assert_eq!((rows.len(), rows.remaining()), (ROWS_MAX, 0));
        assert!(!rows.apply(RowEdit::Add));
        let ids: Vec<u32> = rows.as_slice().iter().map(|r| r.id).collect();
        assert!(rows.apply(RowEdit::Remove(ids[3])));
        assert!(!rows.apply(RowEdit::Remove(ids[3])));
        assert!(!rows.apply(RowEdit::Key(ids[3], "gone".into())));
        assert_eq!(rows.id_at(3), Some(ids[4]));
        assert!(rows.apply(RowEdit::Add));
        let new = rows.as_slice().last().unwrap().id;
        assert!(!ids.contains(&new), "ids are not reused");
        // A list from elsewhere may be over the limit: kept, and nothing more can be added.
        let many = Rows::new((0..60).map(|i| (format!("k{i}"), String::new())));
        assert_eq!(
            (many.len(), many.remaining(), many.can_add()),
            (60, 0, false)
        );
    }

    #[test]
    fn filter_values_are_chips() {
        let mut rows = Rows::one_empty();
        let id = rows.id_at(0).unwrap();
        let row = |rows: &Rows| rows.as_slice()[0].clone();
        assert!(rows.apply(RowEdit::Typing(id, "Prod".into())));
        assert_eq!(
            (row(&rows).chips(), row(&rows).values()),
            (vec![], vec!["Prod".to_owned()])
        );
        rows.apply(RowEdit::Typing(id, "Prod, Test,  De".into()));
        assert_eq!(
            (row(&rows).value, row(&rows).draft),
            ("Prod, Test".into(), "De".into())
        );
        rows.apply(RowEdit::Commit(id));
        assert_eq!(row(&rows).value, "Prod, Test, De");
        rows.apply(RowEdit::Typing(id, "Test,".into()));
        assert_eq!(
            row(&rows).chips(),
            ["Prod", "Test", "De"],
            "no duplicate chips"
        );
        assert!(
            !rows.apply(RowEdit::Commit(id)),
            "nothing typed: nothing changes"
        );
        rows.apply(RowEdit::Typing(id, "x".into()));
        assert!(
            !rows.apply(RowEdit::Backspace(id)),
            "Backspace deletes typed text first"
        );
        rows.apply(RowEdit::Typing(id, String::new()));
        assert!(rows.apply(RowEdit::Backspace(id)));
        assert_eq!(row(&rows).chips(), ["Prod", "Test"]);
        assert!(rows.apply(RowEdit::RemoveChip(id, "Prod".into())));
        assert_eq!(row(&rows).values(), ["Test"]);
    }

    // --- Text from everywhere.

    #[test]
    fn non_ascii_text_is_checked_on_characters() {
        let mut f = valid();
        add_tag(&mut f, "環境", "本番");
        add_tag(&mut f, "צוות", "תשתית");
        add_tag(&mut f, " Café", "Crème brûlée");
        assert_eq!(f.check(free).errors(), &[]);

        add_tag(&mut f, "mood", "😀");
        f.draft.name = " 環境".into();
        let c = f.check(free);
        let name = c.errors().iter().find(|e| e.field == Field::Name).unwrap();
        // Positions are into the text as typed: after the space, on the character.
        assert_eq!(
            name.problem,
            ValidationProblem::BadCharacter { ch: '環', at: 1 }
        );
        assert!(c.row_messages(List::Tags)[3]
            .1
            .as_deref()
            .unwrap()
            .contains("😀"));
        // A bidirectional override in a description is refused.
        f.draft.description = "abc\u{202e}def".into();
        assert!(f.check(free).message(Part::Description).is_some());
    }

    /// Characters that trigger the guard (digits, key prefixes), whitespace the trim removes
    /// (ASCII, ideographic space), commas (chips) and text from everywhere: CJK, emoji with a
    /// joiner, Hebrew and an RTL override, combining marks.
    const ALPHABET: [char; 24] = [
        '1', '2', '0', '9', 'A', 'K', 'I', 'a', 'w', 's', ':', '-', ' ', '\t', '\u{3000}', ',',
        '環', '境', '😀', '\u{200d}', 'ש', '\u{202e}', '\u{301}', '=',
    ];

    fn text(max: usize) -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(proptest::sample::select(&ALPHABET[..]), 0..max)
                .prop_map(|cs| cs.into_iter().collect::<String>()),
            // Real findings with whitespace around them.
            proptest::sample::select(
                &[
                    "123456789012",
                    "AKIAIOSFODNN7EXAMPLE",
                    "4111 1111 1111 1111"
                ][..]
            )
            .prop_flat_map(
                |s| (text_plain(), text_plain()).prop_map(move |(a, b)| format!("{a}{s}{b}"))
            ),
        ]
    }

    fn text_plain() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(&ALPHABET[..]), 0..4)
            .prop_map(|cs| cs.into_iter().collect())
    }

    fn edit(ids: u32) -> impl Strategy<Value = (bool, RowEdit)> {
        let id = 1..ids + 3;
        let e = prop_oneof![
            3 => Just(RowEdit::Add),
            1 => id.clone().prop_map(RowEdit::Remove),
            3 => (id.clone(), text(16)).prop_map(|(i, t)| RowEdit::Key(i, t)),
            3 => (id.clone(), text(16)).prop_map(|(i, t)| RowEdit::Value(i, t)),
            3 => (id.clone(), text(16)).prop_map(|(i, t)| RowEdit::Typing(i, t)),
            1 => id.clone().prop_map(RowEdit::Commit),
            1 => id.clone().prop_map(RowEdit::Backspace),
            1 => (id, text(6)).prop_map(|(i, t)| RowEdit::RemoveChip(i, t)),
        ];
        (any::<bool>(), e)
    }

    fn scope() -> impl Strategy<Value = Scope> {
        prop_oneof![
            Just(Scope::NewGroup),
            Just(Scope::Tags),
            Just(Scope::Query),
            Just(Scope::ResourceTags)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever is typed, nothing panics, and every mark lies on character boundaries of
        /// the text it marks.
        #[test]
        fn no_input_panics_and_marks_lie_on_characters(
            scope in scope(),
            name in text(24),
            description in text(24),
            stack in text(16),
            stack_kind in any::<bool>(),
            types in text(16),
            edits in proptest::collection::vec(edit(4), 0..32),
            touched in proptest::collection::vec(0usize..6, 0..4),
            taken in any::<bool>(),
            submit in any::<bool>(),
        ) {
            let mut f = GroupForm::with(scope, GroupDraft::new());
            f.draft.name = name;
            f.draft.description = description;
            f.draft.stack = stack;
            if stack_kind {
                f.draft.kind = QueryKind::Stack;
            }
            if scope == Scope::Query {
                f.draft.resource_types = ResourceTypes::Typed(types);
            }
            for (tags, e) in edits {
                f.edit_rows(if tags { List::Tags } else { List::Filters }, e);
            }
            let parts = [Part::Name, Part::Description, Part::ResourceTypes, Part::Stack, Part::Filters, Part::Tags];
            for i in touched {
                f.touch(parts[i]);
            }
            let c = f.check(|_| taken);
            let on_chars = |text: &str, r: &Range<usize>| r.start < r.end && text.get(r.clone()).is_some();
            for r in c.marks(&Field::Name) {
                prop_assert!(on_chars(&f.draft.name, &r), "{r:?} in {:?}", f.draft.name);
            }
            for r in c.marks(&Field::Description) {
                prop_assert!(on_chars(&f.draft.description, &r));
            }
            for (list, rows) in [(List::Tags, &f.draft.tags), (List::Filters, &f.draft.filters)] {
                let marks = c.row_marks(list);
                prop_assert_eq!(marks.len(), rows.len());
                for (row, (key, value)) in rows.as_slice().iter().zip(marks) {
                    for r in key {
                        prop_assert!(on_chars(&row.key, &r), "{r:?} in key {:?}", row.key);
                    }
                    for r in value {
                        prop_assert!(on_chars(&row.value, &r), "{r:?} in value {:?}", row.value);
                    }
                }
                prop_assert_eq!(f.row_errors(&c, list).len(), rows.len());
            }
            for e in c.errors() {
                if let ValidationProblem::BadCharacter { ch, at } = e.problem {
                    let text = match e.field {
                        Field::Name => Some(&f.draft.name),
                        Field::TagKey(i) => f.draft.tags.as_slice().get(i).map(|r| &r.key),
                        Field::TagFilterKey(i) => f.draft.filters.as_slice().get(i).map(|r| &r.key),
                        _ => None,
                    };
                    if let Some(text) = text {
                        prop_assert_eq!(text.get(at..).and_then(|t| t.chars().next()), Some(ch));
                    }
                }
            }
            // Saving is allowed exactly when nothing blocks (and a warning was confirmed).
            if submit {
                f.save_anyway = true;
                prop_assert_eq!(f.submit(&c).is_ok(), c.can_submit());
            }
            let _ = f.draft.to_group();
            let _ = f.tags_to_set();
        }
    }
}
