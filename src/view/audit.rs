//! The data-protection audit: every text the app holds or can send, scanned by the guard, as a
//! list of findings that say where, which rule and how serious — and never what was found.
//! Pure, tested on the host; the Data protection page runs it in slices and renders it.
//!
//! - **Masking.** A finding's excerpt is the field around the match, with the match replaced by
//!   `•` except at most its last 4 characters, and fewer for short matches (a third, rounded
//!   down, and none below 6: a 6-character password shows 2, a 5-character one none), so no excerpt ever shows a
//!   whole secret or more than 4 characters of one. Other findings in the same text are masked
//!   the same way; the excerpt is at most [`EXCERPT_MAX`] characters around the first match;
//!   control and bidirectional formatting characters are dropped (the page shows it in a
//!   `<bdi>`).
//! - **Places never hold values.** A finding's place names the group or resource and the field
//!   — with the group name, tag key or ARN itself masked the same way when the guard flags it
//!   ([`Name`]) — so the page, the sort and the filter can show it. The exported report goes
//!   further: there each match is replaced by its rule (`billing-[AWS account ID]`), so not
//!   one character of it leaves in a file. A description
//!   is never quoted in a place; its excerpt is masked like any other.
//! - **Severity.** Findings that block a save today (names, tags, queries, the endpoint, and
//!   credentials anywhere) are `Blocked`; an account number in a description is a `Warning`
//!   (the guard's own rule: descriptions are private, so only credentials block there).
//! - **AWS's own values are not findings.** An account ID in the account field of an ARN (a
//!   stack identifier, an `aws:cloudformation:stack-id` tag, a resource's ARN) is AWS's naming,
//!   not a person's choice (`model::group::aws_written_findings`).
//! - **Rules version.** [`crate::guard::RULES_VERSION`] goes up when the guard finds more; the
//!   page re-audits on start when the stored audit is of an older version
//!   ([`needs_reaudit`]) and says how many findings are in data stored before.
//!
//! The audit works record by record ([`Audit::groups`], [`Audit::resources`]) so the page can
//! run it in slices of a few milliseconds.

use std::cmp::Ordering;

use crate::guard::{self, Finding, FindingKind};
use crate::model::group::aws_written_findings;
use crate::model::text::{is_format_control, truncate_chars};
use crate::model::{Group, Resource, ResourceQuery};

/// The longest excerpt, in characters.
pub const EXCERPT_MAX: usize = 48;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The guard refuses this today: it cannot be saved or sent as it is.
    Blocked,
    /// Allowed, but discouraged (an account number in a private description).
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Blocked => "Blocked",
            Severity::Warning => "Warning",
        }
    }
}

/// What a finding is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Description,
    TagKey,
    TagValue,
    /// A key of the group's tag query.
    QueryKey,
    /// A value of the group's tag query.
    QueryValue,
    StackIdentifier,
    /// A parameter value of a service configuration.
    ConfigurationValue,
    /// The backend URL in Settings.
    Endpoint,
    /// A text of a stored record that could not be read as what it should be (quarantined).
    StoredValue,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Description => "description",
            Field::TagKey => "tag key",
            Field::TagValue => "tag value",
            Field::QueryKey => "query key",
            Field::QueryValue => "query value",
            Field::StackIdentifier => "stack identifier",
            Field::ConfigurationValue => "configuration value",
            Field::Endpoint => "URL",
            Field::StoredValue => "stored value",
        }
    }
}

/// Where a finding is: the kind of record and its (masked) identity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// A group in this browser, by its name.
    Group(Name),
    /// A resource of the inventory, by its ARN.
    Resource(Name),
    /// The backend endpoint in Settings.
    Settings,
    /// A group on the backend that the last pull refused (never stored), by its masked name.
    BackendGroup(Name),
    /// A stored record set aside when it was read (`store::load`): its kind and key.
    Quarantined(&'static str, Name),
    /// A change waiting to be sent, by the name of its group.
    Outbox(Name),
    /// The backend's copy of a group in conflict.
    Conflict(Name),
    /// A group in Recently deleted.
    Deleted(Name),
}

impl Place {
    /// "Group web-••••9012", "Resource arn:aws:…", "Settings", "Backend group …".
    pub fn label(&self) -> String {
        match self {
            Place::Group(n) => format!("Group {n}"),
            Place::Resource(a) => format!("Resource {a}"),
            Place::Settings => "Settings".to_owned(),
            Place::BackendGroup(n) => format!("Backend group {n} (not stored)"),
            Place::Quarantined(kind, key) => format!("Quarantined {kind} {key}"),
            Place::Outbox(n) => format!("Pending change of group {n}"),
            Place::Conflict(n) => format!("Backend copy of group {n} (in conflict)"),
            Place::Deleted(n) => format!("Deleted group {n}"),
        }
    }

    /// The name, ARN or key of the record (nothing for Settings).
    pub fn record(&self) -> Option<&Name> {
        match self {
            Place::Group(n)
            | Place::Resource(n)
            | Place::BackendGroup(n)
            | Place::Quarantined(_, n)
            | Place::Outbox(n)
            | Place::Conflict(n)
            | Place::Deleted(n) => Some(n),
            Place::Settings => None,
        }
    }

    /// The kind of place, for filtering.
    pub fn kind(&self) -> &'static str {
        match self {
            Place::Group(_) => "group",
            Place::Resource(_) => "resource",
            Place::Settings => "settings",
            Place::BackendGroup(_) => "backend",
            Place::Quarantined(..) => "quarantined",
            Place::Outbox(_) => "outbox",
            Place::Conflict(_) => "conflict",
            Place::Deleted(_) => "deleted",
        }
    }
}

/// One finding of the audit. Nothing in it is the data found.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuditFinding {
    pub place: Place,
    pub field: Field,
    /// The tag or query key a value finding is under (masked when the key itself is flagged).
    pub key: Option<Name>,
    pub rule: FindingKind,
    pub severity: Severity,
    /// The field around the match, masked (see the module's notes).
    pub excerpt: String,
    /// The group to open from this finding: its name, when the name itself holds nothing the
    /// guard flags (then the page may link to it). Never exported.
    pub open_group: Option<String>,
    /// The group to fix, when the finding is in one that can be fixed from the page.
    pub subject: Option<Subject>,
    /// What in that group to fix.
    pub at: Locator,
}

/// How many characters of a match of `n` characters an excerpt may show: none of a match
/// shorter than 6, else a third, at most 4.
fn shown_of(n: usize) -> usize {
    if n < 6 {
        0
    } else {
        (n / 3).min(4)
    }
}

/// `text` as characters with every range of `findings` (byte ranges on character boundaries)
/// masked and control characters dropped, and where the first masked character is.
fn masked_chars(text: &str, findings: &[Finding]) -> (Vec<char>, Option<usize>) {
    let mut out: Vec<char> = Vec::with_capacity(text.len().min(4096));
    let mut first: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if is_format_control(c) || c.is_control() {
            continue;
        }
        let hidden = findings.iter().any(|f| {
            if !f.range.contains(&at) {
                return false;
            }
            let (Some(from_here), Some(whole)) =
                (text.get(at..f.range.end), text.get(f.range.clone()))
            else {
                return true;
            };
            // Shown: only the last `shown_of(len)` characters of the match.
            from_here.chars().count() > shown_of(whole.chars().count())
        });
        if hidden && first.is_none() {
            first = Some(out.len());
        }
        out.push(if hidden { '\u{2022}' } else { c });
    }
    (out, first)
}

/// `text` with every range of `findings` masked, cut to at most [`EXCERPT_MAX`] characters
/// around the first finding, without control characters.
pub fn mask(text: &str, findings: &[Finding]) -> String {
    let (out, first) = masked_chars(text, findings);
    let total = out.len();
    if total <= EXCERPT_MAX {
        return out.into_iter().collect();
    }
    // A window that starts a little before the first masked character.
    let start = first.unwrap_or(0).saturating_sub(EXCERPT_MAX / 4);
    let start = start.min(total - EXCERPT_MAX);
    let mut s = String::new();
    if start > 0 {
        s.push('\u{2026}');
    }
    s.extend(&out[start..start + EXCERPT_MAX]); // ok: a Vec<char>, not a str
    if start + EXCERPT_MAX < total {
        s.push('\u{2026}');
    }
    s
}

/// A record's name, tag key or ARN as the audit may repeat it: `shown` masked like an excerpt
/// (for the page: the person recognises `billing-••••••••9012`), `redacted` with every match
/// replaced by its rule (for the exported report, which carries no character of a match:
/// `billing-[AWS account ID]`). Both without control characters, at most 80 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    pub shown: String,
    pub redacted: String,
}

impl Name {
    pub fn of(text: &str) -> Self {
        let found = guard::scan_name(text);
        if found.is_empty() {
            let clean: String = text
                .chars()
                .filter(|c| !(is_format_control(*c) || c.is_control()))
                .collect();
            let clean = truncate_chars(&clean, 80);
            return Name {
                shown: clean.clone(),
                redacted: clean,
            };
        }
        let (shown, _) = masked_chars(text, &found);
        let mut redacted = String::new();
        let mut in_match: Option<FindingKind> = None;
        for (at, c) in text.char_indices() {
            match found.iter().find(|f| f.range.contains(&at)) {
                Some(f) => {
                    if in_match != Some(f.kind) {
                        redacted.push('[');
                        redacted.push_str(f.kind.label());
                        redacted.push(']');
                    }
                    in_match = Some(f.kind);
                }
                None => {
                    in_match = None;
                    if !(is_format_control(c) || c.is_control()) {
                        redacted.push(c);
                    }
                }
            }
        }
        Name {
            shown: truncate_chars(&shown.into_iter().collect::<String>(), 80),
            redacted: truncate_chars(&redacted, 80),
        }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Where the group of a finding is, for a guided fix (`view::audit_fix`): real names and keys,
/// held in memory, never shown or exported.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A group stored here, by name.
    Stored(String),
    /// A quarantined group record, by its kind and stored key.
    Quarantined(crate::store::RecordKind, String),
    /// A backend group the last pull refused, by name.
    Backend(String),
}

impl Subject {
    /// The group's name as stored or on the backend (may be what the guard flags).
    pub fn name(&self) -> &str {
        match self {
            Subject::Stored(n) | Subject::Quarantined(_, n) | Subject::Backend(n) => n,
        }
    }
}

/// What in the group a finding is: the real tag or filter key, and the position of a filter
/// value. Memory only, like [`Subject`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Locator {
    pub key: Option<String>,
    pub index: Option<usize>,
}

/// The kinds of places, as [`Place::kind`] names them, for the page's filter.
pub const PLACE_KINDS: [(&str, &str); 8] = [
    ("group", "Groups"),
    ("resource", "Resources"),
    ("settings", "Settings"),
    ("backend", "Backend groups (not stored)"),
    ("quarantined", "Quarantined records"),
    ("outbox", "Pending changes"),
    ("conflict", "Conflicts"),
    ("deleted", "Recently deleted"),
];

/// Resource tags without findings, remembered within one audit: inventories repeat the same
/// pairs (`Stage` = `Prod` on thousands of resources) and the guard's answer depends on the
/// pair alone, so each distinct pair is scanned once. The key is length-prefixed, so no two
/// pairs share one. Capped so that a huge inventory of unique pairs cannot grow it unbounded.
#[derive(Clone, Debug, Default)]
struct CleanPairs {
    seen: std::collections::HashSet<String>,
    buf: String,
}

impl CleanPairs {
    const MAX: usize = 200_000;

    /// Writes the pair's key into the reused buffer (no allocation per lookup). AWS's own tags
    /// are scanned by other rules (`aws_written_findings`), so they are remembered apart.
    fn fill(buf: &mut String, k: &str, v: &str, aws: bool) {
        use std::fmt::Write;
        buf.clear();
        let _ = write!(buf, "{}{}:", if aws { 'a' } else { 'u' }, k.len());
        buf.push_str(k);
        buf.push_str(v);
    }

    fn contains(&mut self, k: &str, v: &str, aws: bool) -> bool {
        Self::fill(&mut self.buf, k, v, aws);
        self.seen.contains(self.buf.as_str())
    }

    fn insert(&mut self, k: &str, v: &str, aws: bool) {
        if self.seen.len() < Self::MAX {
            Self::fill(&mut self.buf, k, v, aws);
            self.seen.insert(self.buf.clone());
        }
    }
}

/// The audit's findings, gathered record by record.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    pub findings: Vec<AuditFinding>,
    /// Records looked at, of each kind.
    pub groups: usize,
    pub resources: usize,
    /// Everything else looked at: quarantined records, outbox entries, conflicts, deleted and
    /// backend groups, the endpoint.
    pub others: usize,
    clean: CleanPairs,
    /// The locator of the next [`Audit::push`].
    at: Locator,
}

impl Audit {
    fn push(
        &mut self,
        place: &Place,
        field: Field,
        key: Option<&str>,
        text: &str,
        found: Vec<Finding>,
        severity_of: impl Fn(FindingKind) -> Severity,
    ) {
        // Set by the caller for this one push.
        let at = std::mem::take(&mut self.at);
        if found.is_empty() {
            return;
        }
        let excerpt = mask(text, &found);
        let mut seen: Vec<FindingKind> = Vec::new();
        for f in &found {
            // One row per rule and field: three account IDs in one name are one fix.
            if seen.contains(&f.kind) {
                continue;
            }
            seen.push(f.kind);
            self.findings.push(AuditFinding {
                place: place.clone(),
                field,
                key: key.map(Name::of),
                rule: f.kind,
                severity: severity_of(f.kind),
                excerpt: excerpt.clone(),
                open_group: None,
                subject: None,
                at: at.clone(),
            });
        }
    }

    /// A tag (of a group or a resource): key findings on the key, value findings on the value.
    fn tag(&mut self, place: &Place, (k, v): (&str, &str), fields: (Field, Field), aws: bool) {
        // Whether a key is AWS's follows from the key, so one memo serves both kinds.
        if self.clean.contains(k, v, aws) {
            return;
        }
        let found: Vec<Finding> = if aws {
            // AWS's own tags: only what is not AWS's naming.
            aws_written_findings(v)
                .into_iter()
                .map(|f| Finding {
                    part: guard::FindingPart::Value,
                    ..f
                })
                .collect()
        } else {
            guard::scan_tag(k, v)
        };
        if found.is_empty() {
            self.clean.insert(k, v, aws);
            return;
        }
        let (on_key, on_value): (Vec<Finding>, Vec<Finding>) = found
            .into_iter()
            .partition(|f| f.part == guard::FindingPart::Key);
        self.at = Locator {
            key: Some(k.to_owned()),
            index: None,
        };
        self.push(place, fields.0, None, k, on_key, |_| Severity::Blocked);
        self.at = Locator {
            key: Some(k.to_owned()),
            index: None,
        };
        self.push(place, fields.1, Some(k), v, on_value, |_| Severity::Blocked);
    }

    /// Audits groups: name, description, tags, query keys and values, stack identifier and
    /// configuration values.
    pub fn groups(&mut self, groups: &[Group]) {
        for g in groups {
            self.groups += 1;
            self.group_at(g, Place::Group(Name::of(&g.name)));
        }
    }

    /// Audits groups the last pull refused for what they hold, as the backend gave them.
    pub fn backend_groups(&mut self, groups: &[Group]) {
        for g in groups {
            self.others += 1;
            self.group_at(g, Place::BackendGroup(Name::of(&g.name)));
        }
    }

    /// Audits the backend's copies of groups in conflict.
    pub fn conflicts(&mut self, conflicts: &[crate::store::Conflict]) {
        for c in conflicts {
            self.others += 1;
            if let Some(g) = &c.remote {
                self.group_at(g, Place::Conflict(Name::of(&g.name)));
            }
        }
    }

    /// Audits the groups in Recently deleted.
    pub fn deleted(&mut self, tombstones: &[crate::store::Tombstone]) {
        for t in tombstones {
            self.others += 1;
            self.group_at(&t.group, Place::Deleted(Name::of(&t.group.name)));
        }
    }

    /// Audits pending outbox entries: the name each would send.
    pub fn outbox(&mut self, entries: &[crate::store::OutboxEntry]) {
        for e in entries {
            self.others += 1;
            let place = Place::Outbox(Name::of(&e.group_name));
            self.push(
                &place,
                Field::Name,
                None,
                &e.group_name,
                guard::scan_name(&e.group_name),
                |_| Severity::Blocked,
            );
        }
    }

    /// Audits quarantined records. A group record that still decodes is audited field by field
    /// like any group; anything else is walked as JSON, each text scanned in the light of its
    /// key (a `description` warns, `tags` are tags, an ARN's account field is AWS's naming).
    pub fn quarantined(&mut self, records: &[crate::store::Quarantined]) {
        use crate::store::RecordKind;
        for q in records {
            self.others += 1;
            let place = Place::Quarantined(q.kind.label(), Name::of(&q.key));
            let as_group = matches!(
                q.kind,
                RecordKind::Group | RecordKind::Base | RecordKind::Tombstone
            )
            .then(|| serde_json::from_str::<crate::store::records::GroupRecord>(&q.raw).ok())
            .flatten()
            .and_then(|r| r.to_group().ok());
            match as_group {
                Some(g) => {
                    let first = self.findings.len();
                    self.group_at(&g, place);
                    // Only a group record is fixed from the page; a last-synced copy or a
                    // deleted group set aside is deleted in Settings.
                    let subject = (q.kind == RecordKind::Group)
                        .then(|| Subject::Quarantined(q.kind, q.key.clone()));
                    for f in self.findings.iter_mut().skip(first) {
                        f.subject.clone_from(&subject);
                    }
                }
                None => {
                    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&q.raw) {
                        self.walk(&place, None, &value, 0);
                    }
                }
            }
        }
    }

    /// The generic walk of [`Audit::quarantined`].
    fn walk(&mut self, place: &Place, under: Option<&str>, value: &serde_json::Value, depth: u32) {
        use serde_json::Value;
        // Stored records are a few levels deep; a hostile one is not followed further.
        if depth > 16 {
            return;
        }
        match value {
            Value::String(text) => {
                let (field, found, severity): (Field, Vec<Finding>, fn(FindingKind) -> Severity) =
                    match under {
                        Some("description") => (
                            Field::Description,
                            guard::scan_name(text),
                            description_severity,
                        ),
                        _ if text.starts_with("arn:") => {
                            (Field::StoredValue, aws_written_findings(text), |_| {
                                Severity::Blocked
                            })
                        }
                        _ => (Field::StoredValue, guard::scan_name(text), |_| {
                            Severity::Blocked
                        }),
                    };
                self.push(place, field, None, text, found, severity);
            }
            Value::Array(items) => {
                // `[key, value]` pairs (resource tags as stored).
                for item in items {
                    match item.as_array().map(Vec::as_slice) {
                        Some([Value::String(k), Value::String(v)]) if under == Some("tags") => {
                            self.tag(place, (k, v), (Field::TagKey, Field::TagValue), is_aws(k));
                        }
                        _ => self.walk(place, under, item, depth + 1),
                    }
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    match (under, v) {
                        (Some("tags"), Value::String(v)) => {
                            self.tag(place, (k, v), (Field::TagKey, Field::TagValue), is_aws(k));
                        }
                        _ => {
                            // Keys are text too (a damaged record may carry anything there).
                            let found = guard::scan_name(k);
                            self.push(place, Field::StoredValue, None, k, found, |_| {
                                Severity::Blocked
                            });
                            self.walk(place, Some(k), v, depth + 1);
                        }
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// One group's fields, found at `place`.
    fn group_at(&mut self, g: &Group, place: Place) {
        let first = self.findings.len();
        let openable = matches!(&place, Place::Group(n) if n.shown == g.name);
        let subject = match &place {
            Place::Group(_) => Some(Subject::Stored(g.name.clone())),
            Place::BackendGroup(_) => Some(Subject::Backend(g.name.clone())),
            _ => None,
        };
        self.group_fields(g, &place);
        for f in self.findings.iter_mut().skip(first) {
            if openable {
                f.open_group = Some(g.name.clone());
            }
            f.subject.clone_from(&subject);
        }
    }

    fn group_fields(&mut self, g: &Group, place: &Place) {
        let place = place.clone();
        self.push(
            &place,
            Field::Name,
            None,
            &g.name,
            guard::scan_name(&g.name),
            |_| Severity::Blocked,
        );
        self.push(
            &place,
            Field::Description,
            None,
            &g.description,
            guard::scan_name(&g.description),
            description_severity,
        );
        for (k, v) in &g.tags {
            self.tag(&place, (k, v), (Field::TagKey, Field::TagValue), false);
        }
        match g.spec.query() {
            Some(ResourceQuery::Tags { tag_filters, .. }) => {
                for f in tag_filters {
                    // A clean pair in the memo means a clean key and a clean value (the memo
                    // holds pairs `scan_tag` found nothing in; an empty value finds nothing).
                    if !self.clean.contains(&f.key, "", false) {
                        let key = guard::scan_name(&f.key);
                        if key.is_empty() {
                            self.clean.insert(&f.key, "", false);
                        }
                        self.at = Locator {
                            key: Some(f.key.clone()),
                            index: None,
                        };
                        self.push(&place, Field::QueryKey, None, &f.key, key, |_| {
                            Severity::Blocked
                        });
                    }
                    for (index, v) in f.values.iter().enumerate() {
                        if self.clean.contains(&f.key, v, false) {
                            continue;
                        }
                        let found: Vec<Finding> = guard::scan_tag(&f.key, v)
                            .into_iter()
                            .filter(|x| x.part == guard::FindingPart::Value)
                            .collect();
                        if found.is_empty() && self.clean.contains(&f.key, "", false) {
                            self.clean.insert(&f.key, v, false);
                        }
                        self.at = Locator {
                            key: Some(f.key.clone()),
                            index: Some(index),
                        };
                        self.push(&place, Field::QueryValue, Some(&f.key), v, found, |_| {
                            Severity::Blocked
                        });
                    }
                }
            }
            Some(ResourceQuery::Stack {
                stack_identifier: Some(stack),
                ..
            }) => {
                self.push(
                    &place,
                    Field::StackIdentifier,
                    None,
                    stack,
                    aws_written_findings(stack),
                    |_| Severity::Blocked,
                );
            }
            Some(ResourceQuery::Stack { .. }) | None => {}
        }
        for item in g.spec.configuration() {
            for p in &item.parameters {
                for v in &p.values {
                    // ARNs in configurations (capacity reservations) carry the account as AWS
                    // names it.
                    let found = aws_written_findings(v);
                    self.push(
                        &place,
                        Field::ConfigurationValue,
                        Some(&p.name),
                        v,
                        found,
                        |_| Severity::Blocked,
                    );
                }
            }
        }
    }

    /// Audits inventory resources: their tags (the ARN itself is AWS's naming).
    pub fn resources(&mut self, resources: &[Resource]) {
        for r in resources {
            self.resources += 1;
            let mut place = None;
            for (k, v) in &r.tags {
                let aws = crate::model::text::strip_prefix_ignore_ascii_case(k, "aws:").is_some();
                if self.clean.contains(k, v, aws) {
                    continue;
                }
                let found_any = if aws {
                    !aws_written_findings(v).is_empty()
                } else {
                    !guard::scan_tag(k, v).is_empty()
                };
                if !found_any {
                    self.clean.insert(k, v, aws);
                }
                if found_any {
                    let place = place.get_or_insert_with(|| Place::Resource(Name::of(&r.arn)));
                    let place = place.clone();
                    self.tag(&place, (k, v), (Field::TagKey, Field::TagValue), aws);
                }
            }
        }
    }

    /// Audits the backend endpoint as saved in Settings.
    pub fn endpoint(&mut self, url: &str) {
        self.others += 1;
        self.push(
            &Place::Settings,
            Field::Endpoint,
            None,
            url,
            guard::scan_url(url),
            |_| Severity::Blocked,
        );
    }

    /// A backend group the last pull refused: its name, as held in memory (never stored).
    pub fn backend_group(&mut self, name: &str) {
        self.others += 1;
        let place = Place::BackendGroup(Name::of(name));
        self.push(
            &place,
            Field::Name,
            None,
            name,
            guard::scan_name(name),
            |_| Severity::Blocked,
        );
    }

    /// The findings in a stable order: severity, then rule, then place, then field.
    pub fn sorted(mut self) -> Self {
        crate::sort::sort_by(&mut self.findings, compare(SortBy::Severity));
        self
    }

    /// How many findings block.
    pub fn blocked(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Blocked)
            .count()
    }

    /// The report to export: places, fields, rules and severities, never values or excerpts.
    pub fn report_json(&self, rules_version: u32, at_ms: i64) -> String {
        let findings: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "place": f.place.kind(),
                    // Redacted, not masked: not one character of what was found.
                    "record": f.place.record().map_or("endpoint", |n| n.redacted.as_str()),
                    "field": f.field.label(),
                    "key": f.key.as_ref().map(|k| k.redacted.as_str()),
                    "rule": f.rule.label(),
                    "severity": f.severity.label(),
                })
            })
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({
            "format": "group-console-audit",
            "version": 1,
            "rulesVersion": rules_version,
            "auditedAt": at_ms,
            "groups": self.groups,
            "resources": self.resources,
            "otherRecords": self.others,
            "findings": findings,
        }))
        .unwrap_or_default()
    }
}

/// What the last audit found, kept between audits so that the next one re-scans only what
/// changed: a group whose stored copy equals the one audited keeps its findings (a tag edit
/// at 10,000 groups audits one group), and the inventory's findings are kept while its
/// generation (`ui::data::SharedFinderRows::generation`) stays the same. Everything else
/// (quarantine, outbox, conflicts, deleted and backend groups, the endpoint) is small and
/// audited afresh every time.
#[derive(Clone, Debug, Default)]
pub struct AuditBook {
    groups: std::collections::HashMap<String, (Group, Vec<AuditFinding>)>,
    clean: CleanPairs,
    resources: Option<(u64, usize, Vec<AuditFinding>)>,
}

impl AuditBook {
    /// Positions of the groups whose findings are not known for what they hold now.
    pub fn stale_groups(&self, groups: &[Group]) -> Vec<usize> {
        groups
            .iter()
            .enumerate()
            .filter(|(_, g)| self.groups.get(&g.name).is_none_or(|(seen, _)| seen != *g))
            .map(|(i, _)| i)
            .collect()
    }

    /// Audits the groups at `positions` and remembers what they hold.
    pub fn audit_groups(&mut self, groups: &[Group], positions: &[usize]) {
        for &i in positions {
            let Some(g) = groups.get(i) else { continue };
            // The clean tags seen so far carry over from group to group (and run to run).
            let mut one = Audit {
                clean: std::mem::take(&mut self.clean),
                ..Audit::default()
            };
            one.groups(std::slice::from_ref(g));
            self.clean = one.clean;
            self.groups
                .insert(g.name.clone(), (g.clone(), one.findings));
        }
    }

    /// Whether the inventory of `generation` was audited.
    pub fn has_resources(&self, generation: u64) -> bool {
        self.resources
            .as_ref()
            .is_some_and(|(g, ..)| *g == generation)
    }

    /// The findings of the whole inventory of `generation`.
    pub fn put_resources(&mut self, generation: u64, audited: Audit) {
        self.resources = Some((generation, audited.resources, audited.findings));
    }

    /// The report: the groups of `groups` (findings of groups no longer there are dropped
    /// here), the inventory, and `others`, sorted.
    pub fn report(&mut self, groups: &[Group], mut others: Audit) -> Audit {
        let names: std::collections::HashSet<&str> =
            groups.iter().map(|g| g.name.as_str()).collect();
        self.groups.retain(|name, _| names.contains(name.as_str()));
        others.groups = groups.len();
        for g in groups {
            if let Some((_, found)) = self.groups.get(&g.name) {
                others.findings.extend(found.iter().cloned());
            }
        }
        if let Some((_, count, found)) = &self.resources {
            others.resources = *count;
            others.findings.extend(found.iter().cloned());
        }
        others.sorted()
    }
}

/// Whether a tag key is AWS's own (`aws:…`, any case): its values are AWS's naming.
fn is_aws(key: &str) -> bool {
    crate::model::text::strip_prefix_ignore_ascii_case(key, "aws:").is_some()
}

/// A description may hold an account number (a warning: descriptions are private); a
/// credential blocks there too.
fn description_severity(kind: FindingKind) -> Severity {
    if kind.is_credential() {
        Severity::Blocked
    } else {
        Severity::Warning
    }
}

/// What the findings table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Severity,
    Rule,
    Place,
}

/// A comparison of findings by `by`, then by the others, so that the order is total.
pub fn compare(by: SortBy) -> impl Fn(&AuditFinding, &AuditFinding) -> Ordering {
    move |a, b| {
        let severity = a.severity.cmp(&b.severity);
        let rule = a.rule.label().cmp(b.rule.label());
        let place = a
            .place
            .cmp(&b.place)
            .then(a.field.cmp(&b.field))
            .then(a.key.cmp(&b.key));
        match by {
            SortBy::Severity => severity.then(rule).then(place),
            SortBy::Rule => rule.then(severity).then(place),
            SortBy::Place => place.then(severity).then(rule),
        }
    }
}

/// Whether a finding passes the page's filters: a rule (by label), a severity, a kind of place
/// (`group`, `resource`…), and text found in the place, field, key or rule (never the data:
/// the excerpt is masked, and searching it would tell what is under the dots).
pub fn keep(
    f: &AuditFinding,
    rule: Option<FindingKind>,
    severity: Option<Severity>,
    place_kind: Option<&str>,
    text: &str,
) -> bool {
    let text = text.trim().to_lowercase();
    rule.is_none_or(|r| r == f.rule)
        && severity.is_none_or(|s| s == f.severity)
        && place_kind.is_none_or(|k| k == f.place.kind())
        && (text.is_empty()
            || [
                f.place.label(),
                f.field.label().to_owned(),
                f.key.as_ref().map(|k| k.shown.clone()).unwrap_or_default(),
                f.rule.label().to_owned(),
            ]
            .iter()
            .any(|s| s.to_lowercase().contains(&text)))
}

/// Findings on one page of the table.
pub const FINDINGS_PAGE: usize = 25;

/// The findings table of the Data protection page: filters, sort and page over the last
/// report. The page keeps its filters when a newer report arrives (an audit after a fix).
#[derive(Clone, Debug, Default)]
pub struct FindingsView {
    all: std::sync::Arc<Vec<AuditFinding>>,
    pub rule: Option<FindingKind>,
    pub severity: Option<Severity>,
    pub place_kind: Option<&'static str>,
    pub text: String,
    pub sort: Option<SortBy>,
    page: usize,
    /// Positions in `all` that pass the filters, in the sort order.
    shown: Vec<usize>,
}

impl FindingsView {
    /// A newer report; the filters stay, the page is clamped.
    pub fn replace(&mut self, findings: std::sync::Arc<Vec<AuditFinding>>) {
        self.all = findings;
        self.refresh();
    }

    pub fn set_rule(&mut self, rule: Option<FindingKind>) {
        self.rule = rule;
        self.page = 0;
        self.refresh();
    }

    pub fn set_severity(&mut self, severity: Option<Severity>) {
        self.severity = severity;
        self.page = 0;
        self.refresh();
    }

    /// `kind` as [`Place::kind`] names it; anything else clears the filter.
    pub fn set_place_kind(&mut self, kind: &str) {
        self.place_kind = PLACE_KINDS.iter().map(|(k, _)| *k).find(|k| *k == kind);
        self.page = 0;
        self.refresh();
    }

    pub fn set_text(&mut self, text: &str) {
        self.text = text.to_owned();
        self.page = 0;
        self.refresh();
    }

    pub fn set_sort(&mut self, sort: SortBy) {
        self.sort = Some(sort);
        self.refresh();
    }

    pub fn set_page(&mut self, page: usize) {
        self.page = page;
        self.page = self.info().page;
    }

    pub fn clear_filters(&mut self) {
        self.rule = None;
        self.severity = None;
        self.place_kind = None;
        self.text.clear();
        self.page = 0;
        self.refresh();
    }

    fn refresh(&mut self) {
        let all = &self.all;
        let mut shown: Vec<usize> = (0..all.len())
            .filter(|&i| {
                keep(
                    &all[i],
                    self.rule,
                    self.severity,
                    self.place_kind,
                    &self.text,
                )
            })
            .collect();
        let by = compare(self.sort.unwrap_or(SortBy::Severity));
        crate::sort::sort_positions(&mut shown, &mut |a, b| by(&all[a], &all[b]));
        self.shown = shown;
        self.page = self.info().page;
    }

    /// Every finding of the report (not only those shown).
    pub fn total(&self) -> usize {
        self.all.len()
    }

    pub fn shown_len(&self) -> usize {
        self.shown.len()
    }

    pub fn info(&self) -> super::table::PageInfo {
        super::table::PageInfo::new(self.page, FINDINGS_PAGE, self.shown.len())
    }

    /// The findings on the page on screen.
    pub fn page_rows(&self) -> Vec<AuditFinding> {
        let info = self.info();
        let from = info.first_row.saturating_sub(1);
        self.shown
            .get(from..info.last_row)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.all.get(i).cloned())
            .collect()
    }

    /// The rules that occur in the report, for the rule menu.
    pub fn rule_options(&self) -> Vec<FindingKind> {
        let mut rules: Vec<FindingKind> = self.all.iter().map(|f| f.rule).collect();
        crate::sort::sort_by_key(&mut rules, |r| r.label());
        rules.dedup();
        rules
    }
}

/// Whether the app should audit again on start: never audited, or audited under older rules.
pub fn needs_reaudit(stored_version: Option<u32>) -> bool {
    stored_version.is_none_or(|v| v < guard::RULES_VERSION)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::query::TagFilter;

    fn group(name: &str) -> Group {
        Group::new(
            name,
            ResourceQuery::Tags {
                resource_types: vec!["AWS::AllSupported".into()],
                tag_filters: vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["prod".into()],
                }],
            },
        )
    }

    #[test]
    fn the_masker_never_shows_more_than_four_characters_of_a_match_nor_a_whole_secret() {
        let name = "acme-123456789012-prod";
        let m = mask(name, &guard::scan_name(name));
        assert_eq!(
            m,
            "acme-\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}9012-prod"
        );
        // A short secret shows less; a 3-character one nothing at all.
        let f = |len: usize| Finding {
            kind: FindingKind::ConnectionString,
            range: 9..9 + len,
            message: String::new(),
            part: guard::FindingPart::Text,
        };
        assert_eq!(
            mask("Password=abc;", &[f(3)]),
            "Password=\u{2022}\u{2022}\u{2022};"
        );
        assert_eq!(
            mask("Password=abcdef;", &[f(6)]),
            "Password=\u{2022}\u{2022}\u{2022}\u{2022}ef;"
        );
        // Multi-byte text, and a match at the end of a long field: a window with ellipses.
        let long = format!(
            "{}本番 token ghp_{}",
            "説明".repeat(40),
            "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
        );
        let found = guard::scan_name(&long);
        assert!(!found.is_empty());
        let m = mask(&long, &found);
        assert!(m.starts_with('\u{2026}'), "{m}");
        assert!(m.chars().count() <= EXCERPT_MAX + 2);
        assert!(!m.contains("a1B2c3"), "{m}");
        let tail: String = m.chars().rev().take_while(|c| *c != '\u{2022}').collect();
        assert!(tail.chars().count() <= 4, "{m}");
        // Controls and bidi overrides are dropped.
        assert_eq!(mask("a\u{202e}b\u{7}c", &[]), "abc");
    }

    #[test]
    fn the_audit_finds_each_field_and_says_where_without_the_data() {
        let mut g = group("web-123456789012");
        g.description = "Owned by account 210987654321. Key AKIAIOSFODNN7EXAMPLE".into();
        g.tags
            .insert("CardNumber".into(), "4111 1111 1111 1111".into());
        g.tags.insert("Team".into(), "web".into());
        let mut clean = group("clean");
        clean.description = "nothing here".into();
        let stack = Group::new(
            "from-stack",
            ResourceQuery::Stack {
                resource_types: vec![],
                stack_identifier: Some(
                    "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1".into(),
                ),
            },
        );
        let mut a = Audit::default();
        a.groups(&[g, clean, stack]);
        let r = Resource::new(
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
            None,
            vec![
                (
                    "aws:cloudformation:stack-id".into(),
                    "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1".into(),
                ),
                ("Owner".into(), "acct 123456789012".into()),
            ],
        )
        .unwrap();
        a.resources(&[r]);
        a.endpoint("https://user:secret@proxy.example.com/");
        let a = a.sorted();
        let summary: Vec<(String, Field, FindingKind, Severity)> = a
            .findings
            .iter()
            .map(|f| (f.place.label(), f.field, f.rule, f.severity))
            .collect();
        let group =
            "Group web-\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}9012"
                .to_owned();
        assert!(summary.contains(&(
            group.clone(),
            Field::Name,
            FindingKind::AwsAccountId,
            Severity::Blocked
        )));
        assert!(summary.contains(&(
            group.clone(),
            Field::Description,
            FindingKind::AwsAccountId,
            Severity::Warning
        )));
        assert!(summary.contains(&(
            group.clone(),
            Field::Description,
            FindingKind::AwsAccessKeyId,
            Severity::Blocked
        )));
        assert!(summary.contains(&(
            group,
            Field::TagValue,
            FindingKind::PaymentCard,
            Severity::Blocked
        )));
        assert!(
            summary
                .iter()
                .any(|s| s.0.starts_with("Resource arn:aws:ec2") && s.1 == Field::TagValue),
            "{summary:?}"
        );
        assert!(summary
            .iter()
            .any(|s| s.0 == "Settings" && s.2 == FindingKind::UrlCredentials));
        // Not findings: a clean group, the stack ARN's account field, AWS's own tag.
        assert!(!summary
            .iter()
            .any(|s| s.0.contains("clean") || s.0.contains("from-stack")));
        assert_eq!(
            summary
                .iter()
                .filter(|s| s.0.starts_with("Resource"))
                .count(),
            1
        );
        assert_eq!((a.groups, a.resources), (3, 1));
        // A finding of a group whose name is clean opens the group; one whose name is flagged
        // does not (the address would show it).
        assert!(a.findings.iter().all(|f| f.open_group.is_none()));
        let mut b = Audit::default();
        let mut warned = super::tests::group("web");
        warned.description = "acct 123456789012".into();
        b.groups(&[warned]);
        assert_eq!(b.findings[0].open_group.as_deref(), Some("web"));
        // Blocked first.
        assert_eq!(
            a.findings.last().map(|f| f.severity),
            Some(Severity::Warning)
        );

        // Nothing shown or exported repeats the data.
        for f in &a.findings {
            for text in [
                f.place.label(),
                f.excerpt.clone(),
                f.key.as_ref().map(|k| k.shown.clone()).unwrap_or_default(),
            ] {
                for secret in [
                    "123456789012",
                    "210987654321",
                    "AKIAIOSFODNN7EXAMPLE",
                    "4111 1111 1111 1111",
                    "secret@",
                ] {
                    assert!(!text.contains(secret), "{text}");
                }
            }
        }
        let report = a.report_json(guard::RULES_VERSION, 5);
        assert!(report.contains("web-[AWS account ID]"), "{report}");
        for secret in [
            "9012",
            "\u{2022}",
            "123456789012",
            "210987654321",
            "AKIAIOSFODNN7",
            "4111",
            "secret",
            "Owned by",
        ] {
            assert!(!report.contains(secret), "{secret} in the report");
        }
        let back: serde_json::Value = serde_json::from_str(&report).unwrap();
        assert_eq!(
            back["findings"].as_array().map(Vec::len),
            Some(a.findings.len())
        );
        assert_eq!(back["rulesVersion"], guard::RULES_VERSION);
    }

    #[test]
    fn sorting_and_filtering_by_rule_severity_and_place() {
        let mut a = Audit::default();
        let mut g = group("b-123456789012");
        g.description = "acct 123456789012".into();
        a.groups(&[g, group("a-4111111111111111")]);
        a.backend_group("refused-123456789012");
        let by_rule = {
            let mut f = a.findings.clone();
            crate::sort::sort_by(&mut f, compare(SortBy::Rule));
            f.iter().map(|f| f.rule.label()).collect::<Vec<_>>()
        };
        assert_eq!(by_rule.first(), Some(&"AWS account ID"));
        assert_eq!(by_rule.last(), Some(&"payment card number"));
        let mut by_place = a.findings.clone();
        crate::sort::sort_by(&mut by_place, compare(SortBy::Place));
        assert!(by_place[0].place.label().starts_with("Group a-"));
        assert_eq!(by_place.last().map(|f| f.place.kind()), Some("backend"));

        let n = |rule, sev, kind, text: &str| {
            a.findings
                .iter()
                .filter(|f| keep(f, rule, sev, kind, text))
                .count()
        };
        assert_eq!(n(None, None, None, ""), 4);
        assert_eq!(n(Some(FindingKind::PaymentCard), None, None, ""), 1);
        assert_eq!(n(None, Some(Severity::Warning), None, ""), 1);
        assert_eq!(n(None, None, Some("backend"), ""), 1);
        assert_eq!(n(None, None, None, "DESCRIPTION"), 1);
        // The data under the dots cannot be searched for.
        assert_eq!(n(None, None, None, "1234"), 0);
    }

    #[test]
    fn stored_records_set_aside_pending_changes_and_deleted_groups_are_audited_too() {
        use crate::store::records::GroupRecord;
        use crate::store::{OutboxEntry, Quarantined, RecordKind, Tombstone};
        let mut flagged = group("team-123456789012");
        flagged
            .tags
            .insert("Card".into(), "4111 1111 1111 1111".into());
        let quarantined = [
            // A group stored under older rules: decoded and audited field by field.
            Quarantined {
                kind: RecordKind::Group,
                key: flagged.name.clone(),
                reason: "blocked".into(),
                raw: serde_json::to_string(&GroupRecord::from(&flagged)).unwrap(),
            },
            // A block of resources as stored: walked as JSON. The ARN's account is AWS's.
            Quarantined {
                kind: RecordKind::Resource,
                key: "block-7".into(),
                reason: "blocked".into(),
                raw: r#"[{"arn":"arn:aws:ec2:us-east-1:123456789012:instance/i-1","type":"AWS::EC2::Instance","tags":[["Team","web"],["Owner","acct 210987654321"]],"description":"key AKIAIOSFODNN7EXAMPLE"}]"#.into(),
            },
            // Not JSON at all: nothing to say beyond the quarantine's own reason.
            Quarantined {
                kind: RecordKind::Outbox,
                key: "9".into(),
                reason: "damaged".into(),
                raw: "{not json".into(),
            },
        ];
        let mut a = Audit::default();
        a.quarantined(&quarantined);
        a.outbox(&[
            OutboxEntry::new("db-123456789012", "DeleteGroup", 1),
            OutboxEntry::new("fine", "CreateGroup", 1),
        ]);
        a.deleted(&[Tombstone {
            group: flagged.clone(),
            deleted_at: 1,
            by: Default::default(),
        }]);
        let rows: Vec<(&str, Field, FindingKind, Severity)> = a
            .findings
            .iter()
            .map(|f| (f.place.kind(), f.field, f.rule, f.severity))
            .collect();
        use FindingKind::*;
        assert_eq!(
            rows,
            [
                ("quarantined", Field::Name, AwsAccountId, Severity::Blocked),
                (
                    "quarantined",
                    Field::TagValue,
                    PaymentCard,
                    Severity::Blocked
                ),
                (
                    "quarantined",
                    Field::Description,
                    AwsAccessKeyId,
                    Severity::Blocked
                ),
                (
                    "quarantined",
                    Field::TagValue,
                    AwsAccountId,
                    Severity::Blocked
                ),
                ("outbox", Field::Name, AwsAccountId, Severity::Blocked),
                ("deleted", Field::Name, AwsAccountId, Severity::Blocked),
                ("deleted", Field::TagValue, PaymentCard, Severity::Blocked),
            ],
            "{:?}",
            a.findings
        );
        assert_eq!(a.others, 6);
        assert_eq!(
            a.findings[3].key.as_ref().map(|k| k.shown.as_str()),
            Some("Owner"),
            "the tag key a value is under"
        );
        for f in &a.findings {
            for secret in [
                "123456789012",
                "210987654321",
                "AKIAIOSFODNN7EXAMPLE",
                "4111 1111",
            ] {
                assert!(!f.place.label().contains(secret) && !f.excerpt.contains(secret));
            }
        }
    }

    #[test]
    fn a_resource_tag_seen_clean_once_is_not_scanned_again_and_findings_are_not_remembered() {
        let r = |i: usize, owner: &str| {
            Resource::new(
                &format!("arn:aws:ec2:us-east-1:000000000000:instance/i-{i}"),
                None,
                vec![
                    ("Stage".into(), "Prod".into()),
                    ("Owner".into(), owner.into()),
                ],
            )
            .unwrap()
        };
        let mut a = Audit::default();
        a.resources(&[
            r(1, "web"),
            r(2, "acct 123456789012"),
            r(3, "acct 123456789012"),
        ]);
        // Both flagged resources are found: only clean pairs are remembered.
        assert_eq!(a.findings.len(), 2);
        // Length-prefixed keys: ("ab", "c") and ("a", "bc") are different pairs.
        let mut clean = CleanPairs::default();
        clean.insert("ab", "c", false);
        assert!(clean.contains("ab", "c", false));
        assert!(!clean.contains("a", "bc", false));
        assert!(
            !clean.contains("ab", "c", true),
            "AWS's tags are remembered apart"
        );
    }

    #[test]
    fn the_book_audits_again_only_what_changed() {
        let mut groups = vec![group("a-123456789012"), group("b"), group("c")];
        let mut book = AuditBook::default();
        assert_eq!(book.stale_groups(&groups), [0, 1, 2]);
        book.audit_groups(&groups, &[0, 1, 2]);
        assert!(book.stale_groups(&groups).is_empty());
        let r = Resource::new(
            "arn:aws:ec2:us-east-1:000000000000:instance/i-1",
            None,
            vec![("Owner".into(), "acct 123456789012".into())],
        )
        .unwrap();
        let mut inventory = Audit::default();
        inventory.resources(&[r]);
        book.put_resources(7, inventory);
        assert!(book.has_resources(7) && !book.has_resources(8));
        let report = book.report(&groups, Audit::default());
        assert_eq!(
            (report.groups, report.resources, report.findings.len()),
            (3, 1, 2)
        );

        // A tag added to b: only b is stale; its finding joins the report.
        groups[1]
            .tags
            .insert("Card".into(), "4111 1111 1111 1111".into());
        assert_eq!(book.stale_groups(&groups), [1]);
        book.audit_groups(&groups, &[1]);
        assert_eq!(book.report(&groups, Audit::default()).findings.len(), 3);
        // a deleted: its findings leave with it.
        groups.remove(0);
        let report = book.report(&groups, Audit::default());
        assert_eq!(report.findings.len(), 2);
        assert!(report
            .findings
            .iter()
            .all(|f| !f.place.label().contains("a-")));
    }

    #[test]
    fn the_findings_table_filters_sorts_and_pages_and_keeps_its_filters_across_reports() {
        let mut a = Audit::default();
        let gs: Vec<Group> = (0..40)
            .map(|i| group(&format!("g{i:02}-1234567890{:02}", i)))
            .collect();
        a.groups(&gs);
        a.backend_group("refused-123456789012");
        let mut v = FindingsView::default();
        v.replace(std::sync::Arc::new(a.sorted().findings));
        assert_eq!((v.total(), v.shown_len()), (41, 41));
        assert_eq!(v.page_rows().len(), FINDINGS_PAGE);
        v.set_page(1);
        assert_eq!(v.page_rows().len(), 41 - FINDINGS_PAGE);
        v.set_page(9);
        assert_eq!(v.info().page, 1, "clamped");
        v.set_place_kind("backend");
        assert_eq!(v.shown_len(), 1);
        assert_eq!(v.info().page, 0);
        // A newer report (a fix removed the backend group): the filter stays.
        let mut b = Audit::default();
        b.groups(&gs);
        v.replace(std::sync::Arc::new(b.sorted().findings));
        assert_eq!(v.place_kind, Some("backend"));
        assert_eq!(v.shown_len(), 0);
        v.set_place_kind("nonsense");
        assert_eq!(v.place_kind, None);
        v.set_sort(SortBy::Place);
        let rows = v.page_rows();
        assert!(rows[0].place.label() < rows[1].place.label());
        v.set_text("g07");
        assert_eq!(v.shown_len(), 1);
        v.clear_filters();
        assert_eq!(v.shown_len(), 40);
        assert_eq!(v.rule_options(), [FindingKind::AwsAccountId]);
    }

    #[test]
    fn a_finding_knows_which_group_and_which_part_to_fix_and_never_shows_it() {
        let mut g = Group::new(
            "web",
            ResourceQuery::Tags {
                resource_types: vec![],
                tag_filters: vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["prod".into(), "acct-123456789012".into()],
                }],
            },
        );
        g.tags.insert("Card".into(), "4111 1111 1111 1111".into());
        let mut a = Audit::default();
        a.groups(std::slice::from_ref(&g));
        a.backend_groups(std::slice::from_ref(&g));
        a.outbox(&[crate::store::OutboxEntry::new(
            "x-123456789012",
            "CreateGroup",
            0,
        )]);
        type Row<'a> = (Option<Subject>, Field, Option<&'a str>, Option<usize>);
        let at: Vec<Row> = a
            .findings
            .iter()
            .map(|f| (f.subject.clone(), f.field, f.at.key.as_deref(), f.at.index))
            .collect();
        let stored = Some(Subject::Stored("web".into()));
        let backend = Some(Subject::Backend("web".into()));
        assert_eq!(
            at,
            [
                (stored.clone(), Field::TagValue, Some("Card"), None),
                (stored, Field::QueryValue, Some("Stage"), Some(1)),
                (backend.clone(), Field::TagValue, Some("Card"), None),
                (backend, Field::QueryValue, Some("Stage"), Some(1)),
                (None, Field::Name, None, None),
            ]
        );
    }

    #[test]
    fn the_rules_version_decides_a_reaudit() {
        assert!(needs_reaudit(None));
        assert!(needs_reaudit(Some(guard::RULES_VERSION - 1)));
        assert!(!needs_reaudit(Some(guard::RULES_VERSION)));
        assert!(!needs_reaudit(Some(guard::RULES_VERSION + 1)));
    }

    // Hostile text anywhere: the audit never panics, an excerpt never exceeds its window, and
    // no excerpt or label shows more than 4 characters of a digit run the guard flagged.
    proptest::proptest! {
        #[test]
        fn any_text_audits_without_panicking_and_masks_what_it_finds(
            name in proptest::prelude::any::<String>(),
            description in proptest::prelude::any::<String>(),
            key in proptest::prelude::any::<String>(),
            value in proptest::prelude::any::<String>(),
            digits in "[0-9]{12}",
        ) {
            // Separators make the digits a run of their own, whatever the name ends with.
            let mut g = group(&format!("{name}-{digits}-"));
            g.description = description;
            g.tags.insert(key.clone(), value.clone());
            let mut a = Audit::default();
            a.groups(&[g]);
            a.backend_group(&name);
            a.endpoint(&value);
            if let Ok(r) = Resource::new(
                "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
                None,
                vec![(key, value)],
            ) {
                a.resources(&[r]);
            }
            let a = a.sorted();
            let _ = a.report_json(1, 0);
            for f in &a.findings {
                proptest::prop_assert!(f.excerpt.chars().count() <= EXCERPT_MAX + 2);
                proptest::prop_assert!(f.place.label().chars().count() <= 100);
                for shown in [f.excerpt.as_str(), &f.place.label()] {
                    proptest::prop_assert!(!shown.contains(&digits), "{}", shown);
                }
            }
        }
    }

    proptest::proptest! {
        // The memo of clean pairs is only a shortcut: one audit over many records finds exactly
        // what a fresh audit of each record finds, whatever repeats, AWS keys or findings.
        #[test]
        fn remembering_clean_pairs_never_changes_what_is_found(
            picks in proptest::collection::vec((0usize..6, 0usize..6, 0usize..3), 1..40),
        ) {
            let keys = ["Stage", "aws:cloudformation:stack-id", "Owner", "AccountNumber", "Team", "aws:x"];
            let values = [
                "Prod",
                "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1",
                "acct 123456789012",
                "12345678",
                "",
                "web",
            ];
            let resources: Vec<Resource> = picks
                .iter()
                .enumerate()
                .filter_map(|(i, &(k, v, n))| {
                    let tags = (0..=n)
                        .map(|j| (keys[(k + j) % 6].to_owned(), values[(v + j) % 6].to_owned()))
                        .collect();
                    Resource::new(&format!("arn:aws:ec2:us-east-1:000000000000:instance/i-{i}"), None, tags).ok()
                })
                .collect();
            let groups: Vec<Group> = picks
                .iter()
                .enumerate()
                .map(|(i, &(k, v, _))| {
                    let mut g = group(&format!("g{i}"));
                    g.tags.insert(keys[k].replace("aws:", "x-"), values[v].to_owned());
                    g
                })
                .collect();
            let mut together = Audit::default();
            together.groups(&groups);
            together.resources(&resources);
            let mut apart = Vec::new();
            for g in &groups {
                let mut a = Audit::default();
                a.groups(std::slice::from_ref(g));
                apart.extend(a.findings);
            }
            for r in &resources {
                let mut a = Audit::default();
                a.resources(std::slice::from_ref(r));
                apart.extend(a.findings);
            }
            proptest::prop_assert_eq!(together.findings, apart);
        }
    }
}
