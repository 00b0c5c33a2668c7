//! Guided fixes of the audit's findings (`view::audit`): what a fix changes in a group, and the
//! batch that stores it. Pure, tested on the host; the Data protection page asks the person and
//! runs what this returns (with sync on, it also sends the change to the backend first).
//!
//! - **Where the group comes from** ([`Subject`]): stored here, a stored record set aside as
//!   quarantined (stored under older rules), or a backend group the last pull refused (held in
//!   memory, never stored). A fix starts from the group *as found* — not checked, since it holds
//!   what the guard refuses — and must end in a group the model and the guard accept: every
//!   fix is checked ([`fixed`]) before anything is written or sent.
//! - **In place**: a tag's value or key, a query filter's value or key, and the description are
//!   changed or removed where they are. The person types the new text; the old one is never
//!   shown (a description is offered with each match cut out, see [`cut_matches`]).
//! - **A name** cannot change (as in AWS): the fix is a copy under a new name, then the
//!   original is deleted after a typed confirmation ([`finish_copy`]).
//! - **The activity log** records one `FixSensitiveData` event per fix, naming the group only
//!   when its name is clean, and the fields changed, never the keys (a key may be what was
//!   found) or the values.

use crate::guard;
use crate::model::{Group, GroupField, GroupSpec, ResourceQuery};
use crate::store::activity::{ActivityEvent, EventName, Source};
use crate::store::{Batch, Op, Quarantined, SyncState};

pub use super::audit::Subject;

/// A change to one part of a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// The tag `key` gets `value`; `None` removes the tag.
    TagValue { key: String, value: Option<String> },
    /// The tag `key` is renamed to `new` (keeping its value); `None` removes the tag.
    TagKey { key: String, new: Option<String> },
    /// Value `index` of the query filter on `key` becomes `value`; `None` removes it.
    QueryValue {
        key: String,
        index: usize,
        value: Option<String>,
    },
    /// The query filter on `key` is renamed to `new`; `None` removes the filter.
    QueryKey { key: String, new: Option<String> },
    /// The description becomes this.
    Description(String),
}

impl Fix {
    /// The field of the group this changes (for the activity log).
    pub fn field(&self) -> GroupField {
        match self {
            Fix::TagValue { .. } | Fix::TagKey { .. } => GroupField::Tags,
            Fix::QueryValue { .. } | Fix::QueryKey { .. } => GroupField::ResourceQuery,
            Fix::Description(_) => GroupField::Description,
        }
    }
}

/// Why a fix cannot be made, in words for the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixError {
    /// What the fix points at is not in the group (changed meanwhile).
    Gone,
    /// The fixed group still has a problem; the first one, as the model says it (it never
    /// quotes a value the guard flags).
    Invalid(String),
}

impl std::fmt::Display for FixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixError::Gone => {
                f.write_str("What this finding points at is no longer there: run the audit again.")
            }
            FixError::Invalid(why) => write!(f, "Not fixed yet: {why}"),
        }
    }
}

/// `group` with every fix applied, checked: a group the model and the guard accept, or why
/// not. A group's findings are fixed together (one tag and one query value, say): each alone
/// would leave a group that still cannot be stored or sent.
pub fn fixed(group: &Group, fixes: &[Fix]) -> Result<Group, FixError> {
    let mut g = group.clone();
    for fix in in_order(fixes) {
        apply(&mut g, fix)?;
    }
    check(&g)?;
    Ok(g)
}

/// The fixes in an order where none undoes what another points at: values before keys (a key
/// renamed first would leave its value's fix pointing at the old key), and a filter's values
/// from the last to the first (removing one shifts the ones after it).
fn in_order(fixes: &[Fix]) -> Vec<&Fix> {
    let mut ordered: Vec<&Fix> = fixes.iter().collect();
    crate::sort::sort_by_key(&mut ordered, |f| match f {
        Fix::Description(_) | Fix::TagValue { .. } => (0, 0),
        Fix::QueryValue { index, .. } => (1, usize::MAX - index),
        Fix::TagKey { .. } | Fix::QueryKey { .. } => (2, 0),
    });
    ordered
}

/// The fields the fixes change, each once (for the activity log).
pub fn fields_of(fixes: &[Fix]) -> Vec<GroupField> {
    let mut fields: Vec<GroupField> = Vec::new();
    for f in fixes {
        if !fields.contains(&f.field()) {
            fields.push(f.field());
        }
    }
    fields
}

fn apply(g: &mut Group, fix: &Fix) -> Result<(), FixError> {
    fn blank(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    match fix {
        Fix::TagValue { key, value } => {
            if !g.tags.contains_key(key) {
                return Err(FixError::Gone);
            }
            match value {
                Some(v) => {
                    g.tags.insert(key.clone(), v.trim().to_owned());
                }
                None => {
                    g.tags.remove(key);
                }
            }
        }
        Fix::TagKey { key, new } => {
            let Some(value) = g.tags.remove(key) else {
                return Err(FixError::Gone);
            };
            if let Some(new) = blank(new) {
                if g.tags.contains_key(new) {
                    return Err(FixError::Invalid(
                        "the group already has a tag with that key.".into(),
                    ));
                }
                g.tags.insert(new.to_owned(), value);
            }
        }
        Fix::QueryValue { key, index, value } => {
            let filter = tag_filters(g)
                .and_then(|fs| fs.iter_mut().find(|f| &f.key == key))
                .ok_or(FixError::Gone)?;
            if *index >= filter.values.len() {
                return Err(FixError::Gone);
            }
            match blank(value) {
                Some(v) => filter.values[*index] = v.to_owned(),
                None => {
                    filter.values.remove(*index);
                }
            }
        }
        Fix::QueryKey { key, new } => {
            let filters = tag_filters(g).ok_or(FixError::Gone)?;
            let at = filters
                .iter()
                .position(|f| &f.key == key)
                .ok_or(FixError::Gone)?;
            match blank(new) {
                Some(new) => filters[at].key = new.to_owned(),
                None => {
                    filters.remove(at);
                }
            }
        }
        Fix::Description(text) => g.description = text.trim().to_owned(),
    }
    Ok(())
}

fn tag_filters(g: &mut Group) -> Option<&mut Vec<crate::model::query::TagFilter>> {
    // A configuration beside the query (a Network Firewall rule group's) does not change
    // where the query's filters are.
    match &mut g.spec {
        GroupSpec::Query(ResourceQuery::Tags { tag_filters, .. })
        | GroupSpec::QueryAndConfiguration(ResourceQuery::Tags { tag_filters, .. }, _) => {
            Some(tag_filters)
        }
        _ => None,
    }
}

/// The model's and the guard's verdict on a fixed group: its first blocking problem.
pub fn check(g: &Group) -> Result<(), FixError> {
    match g.blocking_errors().first() {
        Some(e) => Err(FixError::Invalid(e.to_string())),
        None => Ok(()),
    }
}

/// `text` with every part the guard flags cut out (and the spaces around a cut merged), for an
/// editor that must not show what was found: "Deploy with ghp_… today" → "Deploy with today".
pub fn cut_matches(text: &str) -> String {
    let found = guard::scan_name(text);
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if found.iter().any(|f| f.range.contains(&at)) {
            continue;
        }
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_owned()
}

/// The one event of a fix. It names the group only when the name is clean.
fn event(name: &str, fields: &[&str], now: i64) -> ActivityEvent {
    let shown = guard::scan_name(name).is_empty().then_some(name);
    let mut e = ActivityEvent::new(now, EventName::FixSensitiveData, shown, Source::Local);
    e.fields = fields.iter().map(|f| (*f).to_owned()).collect();
    e
}

/// The batch that stores an in-place fix made here (local mode, or a group the backend does
/// not have): the fixed group over the stored one. A stored group is written only over the
/// copy the fix started from (another tab or sync may have changed it); a quarantined group
/// record is replaced under its own key, and its last-synced copy and pending changes stay.
pub fn in_place_batch(
    subject: &Subject,
    before: &Group,
    after: Group,
    fixes: &[Fix],
    now: i64,
) -> Batch {
    let mut after = after;
    after.updated_at = now;
    let mut ops = Vec::new();
    if let Subject::Stored(name) = subject {
        ops.push(Op::ExpectGroup {
            name: name.clone(),
            updated_at: Some(before.updated_at),
        });
    }
    let name = after.name.clone();
    ops.push(Op::PutGroup(after));
    Batch {
        ops,
        events: vec![event(
            &name,
            &fields_of(fixes)
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>(),
            now,
        )],
        bulk: false,
    }
}

/// The last step of "Copy to a new name": the copy `copy_name` exists (here, and with sync on
/// also on the backend); the original goes. For a stored group, a delete (which sync sends);
/// for a quarantined record, the record, its last-synced copy and its pending changes (as
/// Settings → Quarantined records deletes them); a backend group has nothing here to delete
/// (the caller deletes it on the backend). One event records the fix.
pub fn finish_copy(
    subject: &Subject,
    quarantined: Option<&Quarantined>,
    sync: &SyncState,
    copy_name: &str,
    now: i64,
) -> Batch {
    let mut ops = Vec::new();
    match subject {
        Subject::Stored(name) => ops.push(Op::DeleteGroup(name.clone())),
        Subject::Quarantined(..) => {
            if let Some(q) = quarantined {
                ops.extend(
                    crate::store::ops::delete_quarantined(std::slice::from_ref(q), sync, now).ops,
                );
            }
        }
        Subject::Backend(_) => {}
    }
    Batch {
        ops,
        events: vec![event(copy_name, &["Name"], now)],
        bulk: false,
    }
}

/// What the copy's starting point left out, for the create form's notice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakenOut {
    pub name: bool,
    pub description: bool,
    /// Tags dropped (their key was flagged) or emptied (their value was).
    pub tags: usize,
    /// Query values removed, and filters whose key was flagged (removed with their values).
    pub query: usize,
}

impl TakenOut {
    /// "the flagged part of the name, 1 tag value and 1 query value", or empty.
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if self.name {
            parts.push("the flagged part of the name".to_owned());
        }
        if self.description {
            parts.push("the flagged parts of the description".to_owned());
        }
        if self.tags > 0 {
            parts.push(format!("{} tag(s)", self.tags));
        }
        if self.query > 0 {
            parts.push(format!("{} query value(s) or key(s)", self.query));
        }
        parts.join(", ")
    }
}

/// The copy's starting point for the create form: the same query, tags and description, with
/// everything the guard flags taken out — the form never shows what was found. The name and
/// the description lose the flagged parts ([`cut_matches`]); a tag whose key is flagged is
/// dropped and one whose value is flagged is kept with an empty value; a flagged query value is
/// removed, and a filter whose key is flagged goes with its values. What was taken out is
/// returned for the form to say. A configuration cannot be copied through the form.
pub fn copy_source(group: &Group) -> Result<(Group, TakenOut), &'static str> {
    let Some(query) = group.spec.query() else {
        return Err("A group defined by a service configuration cannot be copied here: create the copy with the AWS CLI or console, then delete the original.");
    };
    let mut out = TakenOut::default();
    let mut g = group.clone();
    g.arn = None;
    let name = cut_matches(&g.name);
    out.name = name != g.name;
    g.name = name;
    let description = cut_matches(&g.description);
    out.description = description != g.description.trim_end();
    g.description = description;
    let mut tags = crate::model::Tags::new();
    for (k, v) in &group.tags {
        let found = guard::scan_tag(k, v);
        if found.iter().any(|f| f.part == guard::FindingPart::Key) {
            out.tags += 1;
        } else if found.is_empty() {
            tags.insert(k.clone(), v.clone());
        } else {
            out.tags += 1;
            tags.insert(k.clone(), String::new());
        }
    }
    g.tags = tags;
    if let ResourceQuery::Tags {
        resource_types,
        tag_filters,
    } = query
    {
        let mut filters = Vec::new();
        for f in tag_filters {
            if !guard::scan_name(&f.key).is_empty() {
                out.query += 1;
                continue;
            }
            let values: Vec<String> = f
                .values
                .iter()
                .filter(|v| {
                    let flagged = guard::scan_tag(&f.key, v)
                        .iter()
                        .any(|x| x.part == guard::FindingPart::Value);
                    if flagged {
                        out.query += 1;
                    }
                    !flagged
                })
                .cloned()
                .collect();
            filters.push(crate::model::query::TagFilter {
                key: f.key.clone(),
                values,
            });
        }
        // The configuration beside the query, if any, is kept as it is.
        g.spec = group.spec.with_query(ResourceQuery::Tags {
            resource_types: resource_types.clone(),
            tag_filters: filters,
        });
    }
    Ok((g, out))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::query::TagFilter;
    use crate::store::RecordKind;

    fn group(name: &str) -> Group {
        let mut g = Group::new(
            name,
            ResourceQuery::Tags {
                resource_types: vec!["AWS::AllSupported".into()],
                tag_filters: vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["prod".into(), "acct-123456789012".into()],
                }],
            },
        );
        g.tags.insert("Card".into(), "4111 1111 1111 1111".into());
        g.tags.insert("Team".into(), "web".into());
        g.updated_at = 7;
        g
    }

    /// A Network Firewall rule group's group: its query is fixed (and copied) like any tag
    /// query, and the configuration beside it stays.
    #[test]
    fn a_query_beside_a_configuration_is_fixed_and_copied_with_it() {
        let items = vec![crate::model::group::ConfigurationItem {
            kind: "AWS::NetworkFirewall::RuleGroup".into(),
            parameters: vec![],
        }];
        let mut g = group("fw");
        g.tags.clear();
        g.spec = GroupSpec::QueryAndConfiguration(g.query().unwrap().clone(), items.clone());
        let fix = Fix::QueryValue {
            key: "Stage".into(),
            index: 1,
            value: None,
        };
        let clean = fixed(&g, &[fix]).unwrap();
        assert_eq!(clean.spec.configuration(), items.as_slice());
        let (copy, out) = copy_source(&g).unwrap();
        assert_eq!(copy.spec.configuration(), items.as_slice());
        assert_eq!(out.query, 1);
    }

    #[test]
    fn each_fix_changes_only_its_part_and_is_checked() {
        let g = group("web");
        let card = |value: Option<&str>| Fix::TagValue {
            key: "Card".into(),
            value: value.map(str::to_owned),
        };
        // Another card number is still refused; a plain value or removal is taken — but the
        // query still holds an account ID, so the group is not clean until that goes too.
        assert!(matches!(
            fixed(&g, &[card(Some("5500 0000 0000 0004"))]),
            Err(FixError::Invalid(_))
        ));
        // One finding fixed, the other left: still refused; both together: taken.
        assert!(matches!(
            fixed(&g, &[card(None)]),
            Err(FixError::Invalid(_))
        ));
        let query_fix = Fix::QueryValue {
            key: "Stage".into(),
            index: 1,
            value: None,
        };
        let clean = fixed(&g, &[card(None), query_fix.clone()]).unwrap();
        assert_eq!(
            fields_of(&[card(None), query_fix.clone(), card(None)]),
            [GroupField::Tags, GroupField::ResourceQuery]
        );
        assert_eq!(
            clean.spec,
            GroupSpec::Query(ResourceQuery::Tags {
                resource_types: vec!["AWS::AllSupported".into()],
                tag_filters: vec![TagFilter {
                    key: "Stage".into(),
                    values: vec!["prod".into()]
                }]
            })
        );
        assert_eq!(clean.tags.len(), 1);
        let mut only_card = g.clone();
        only_card.spec = clean.spec.clone();
        let done = fixed(&only_card, &[card(Some("on file"))]).unwrap();
        assert_eq!(done.tags["Card"], "on file");
        assert_eq!(fixed(&only_card, &[card(None)]).unwrap().tags.len(), 1);
        // Renaming a key keeps the value; removing drops the tag; a taken key is refused.
        let mut keyed = only_card.clone();
        keyed.tags.remove("Card");
        keyed.tags.insert("acct-123456789012".into(), "x".into());
        let renamed = fixed(
            &keyed,
            &[Fix::TagKey {
                key: "acct-123456789012".into(),
                new: Some("Account".into()),
            }],
        )
        .unwrap();
        assert_eq!(renamed.tags["Account"], "x");
        assert!(matches!(
            fixed(
                &keyed,
                &[Fix::TagKey {
                    key: "acct-123456789012".into(),
                    new: Some("Team".into())
                }]
            ),
            Err(FixError::Invalid(_))
        ));
        // Pointing at what is not there.
        assert_eq!(
            fixed(
                &g,
                &[Fix::TagValue {
                    key: "Nope".into(),
                    value: None
                }]
            ),
            Err(FixError::Gone)
        );
        assert_eq!(
            fixed(
                &g,
                &[Fix::QueryValue {
                    key: "Stage".into(),
                    index: 9,
                    value: None
                }]
            ),
            Err(FixError::Gone)
        );
    }

    #[test]
    fn a_description_is_offered_without_what_was_found() {
        let token = format!("ghp_{}", "x7Yq2Lm9Pw4Rt6Zb1Nc8Vd3Kf5Hj0Gs2Ae4B");
        let text = format!("Deploy with {token} every day");
        let cut = cut_matches(&text);
        assert_eq!(cut, "Deploy with every day");
        assert!(guard::scan_name(&cut).is_empty());
        assert_eq!(cut_matches("acct 123456789012"), "acct");
        assert_eq!(cut_matches("nothing here"), "nothing here");
        let mut g = group("web");
        g.tags.clear();
        g.spec = Group::new(
            "x",
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec![],
            }]),
        )
        .spec;
        g.description = text;
        let done = fixed(&g, &[Fix::Description(cut)]).unwrap();
        assert_eq!(done.description, "Deploy with every day");
    }

    #[test]
    fn batches_write_the_fix_and_one_event_that_names_no_flagged_name() {
        let before = group("web");
        let mut after = before.clone();
        after.tags.remove("Card");
        let fix = Fix::TagValue {
            key: "Card".into(),
            value: None,
        };
        let fix = [fix];
        let b = in_place_batch(
            &Subject::Stored("web".into()),
            &before,
            after.clone(),
            &fix,
            99,
        );
        assert_eq!(
            b.ops[0],
            Op::ExpectGroup {
                name: "web".into(),
                updated_at: Some(7)
            }
        );
        assert!(
            matches!(&b.ops[1], Op::PutGroup(g) if g.updated_at == 99 && !g.tags.contains_key("Card"))
        );
        assert_eq!(b.events.len(), 1);
        assert_eq!(b.events[0].event_name, EventName::FixSensitiveData);
        assert_eq!(b.events[0].group_name.as_deref(), Some("web"));
        assert_eq!(b.events[0].fields, ["Tags"]);
        // A quarantined record is replaced under its key, without a precondition.
        let q = in_place_batch(
            &Subject::Quarantined(RecordKind::Group, "web".into()),
            &before,
            after,
            &fix,
            99,
        );
        assert_eq!(q.ops.len(), 1);

        // The copy's last step: the original goes, the event names the copy.
        let b = finish_copy(
            &Subject::Stored("web-123456789012".into()),
            None,
            &SyncState::default(),
            "web-prod",
            5,
        );
        assert_eq!(b.ops, [Op::DeleteGroup("web-123456789012".into())]);
        assert_eq!(b.events[0].group_name.as_deref(), Some("web-prod"));
        assert_eq!(b.events[0].fields, ["Name"]);
        let quarantined = Quarantined {
            kind: RecordKind::Group,
            key: "web-123456789012".into(),
            reason: String::new(),
            raw: String::new(),
        };
        let b = finish_copy(
            &Subject::Quarantined(RecordKind::Group, quarantined.key.clone()),
            Some(&quarantined),
            &SyncState::default(),
            "web-prod",
            5,
        );
        assert!(b.ops.contains(&Op::DeleteQuarantined(
            RecordKind::Group,
            "web-123456789012".into()
        )));
        assert!(b.ops.contains(&Op::DeleteBase("web-123456789012".into())));
        let b = finish_copy(
            &Subject::Backend("x".into()),
            None,
            &SyncState::default(),
            "acct-123456789012",
            5,
        );
        assert!(b.ops.is_empty());
        assert_eq!(b.events[0].group_name, None, "a flagged name is not logged");
        assert!(b.check().is_ok());
    }

    #[test]
    fn a_copy_starts_without_anything_the_guard_flags_and_says_what_went() {
        let mut g = group("web-123456789012");
        g.arn = Some("arn:aws:resource-groups:us-east-1:000000000000:group/web".into());
        g.description = "Owned by 210987654321 team".into();
        g.tags.insert("acct-123456789012".into(), "x".into());
        let (copy, out) = copy_source(&g).unwrap();
        assert_eq!(copy.arn, None);
        assert_eq!(copy.name, "web-");
        assert_eq!(copy.description, "Owned by team");
        // The card value emptied, the flagged key dropped, the clean tag kept.
        assert_eq!(
            copy.tags
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
            [("Card", ""), ("Team", "web")]
        );
        let GroupSpec::Query(ResourceQuery::Tags { tag_filters, .. }) = &copy.spec else {
            panic!("a tag query");
        };
        assert_eq!(tag_filters[0].values, ["prod"]);
        assert_eq!(
            out,
            TakenOut {
                name: true,
                description: true,
                tags: 2,
                query: 1
            }
        );
        assert!(out.sentence().contains("2 tag(s)"));
        // Nothing of what was found is left anywhere in the copy.
        let all = format!("{copy:?}");
        for secret in ["123456789012", "210987654321", "4111"] {
            assert!(!all.contains(secret), "{secret}");
        }
        g.spec = GroupSpec::Configuration(vec![]);
        assert!(copy_source(&g).is_err());
    }

    #[test]
    fn fixes_of_a_key_and_its_value_and_of_several_values_apply_in_any_order() {
        let mut g = group("web");
        g.tags.clear();
        g.tags
            .insert("acct-318420957164".into(), "318420957164".into());
        let GroupSpec::Query(ResourceQuery::Tags { tag_filters, .. }) = &mut g.spec else {
            panic!()
        };
        tag_filters[0].values = vec![
            "a-318420957164".into(),
            "b-318420957164".into(),
            "prod".into(),
        ];
        // As the report lists them: the key before its value, values in order.
        let fixes = [
            Fix::TagKey {
                key: "acct-318420957164".into(),
                new: Some("Account".into()),
            },
            Fix::TagValue {
                key: "acct-318420957164".into(),
                value: Some("billing".into()),
            },
            Fix::QueryValue {
                key: "Stage".into(),
                index: 0,
                value: None,
            },
            Fix::QueryValue {
                key: "Stage".into(),
                index: 1,
                value: None,
            },
        ];
        let done = fixed(&g, &fixes).unwrap();
        assert_eq!(done.tags["Account"], "billing");
        let GroupSpec::Query(ResourceQuery::Tags { tag_filters, .. }) = &done.spec else {
            panic!()
        };
        assert_eq!(tag_filters[0].values, ["prod"]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_cuts_and_fixes_without_panicking(
            text in proptest::prelude::any::<String>(),
            index in 0usize..4,
        ) {
            let cut = cut_matches(&text);
            proptest::prop_assert!(cut.chars().count() <= text.chars().count());
            let g = group("web");
            for fix in [
                Fix::Description(text.clone()),
                Fix::TagValue { key: "Team".into(), value: Some(text.clone()) },
                Fix::TagKey { key: "Team".into(), new: Some(text.clone()) },
                Fix::QueryValue { key: "Stage".into(), index, value: Some(text.clone()) },
                Fix::QueryKey { key: "Stage".into(), new: Some(text.clone()) },
            ] {
                if let Ok(done) = fixed(&g, &[fix]) {
                    proptest::prop_assert!(done.blocking_errors().is_empty());
                }
            }
        }
    }
}
