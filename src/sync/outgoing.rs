//! What leaves this device: before a sync pushes, the groups and the fields it would send and
//! the host they go to, and whether the person must be asked first. Pure, tested on the host.
//!
//! - [`Outgoing::plan`] is the push as the engine will make it (`engine::push_plan` per pending
//!   group): a new group sends its name, query, tags and (if any) description; a change sends
//!   the name and the fields that differ from the last-synced copy; a delete sends the name.
//! - [`Consent::ask`] decides: the first push to a host is always asked, and so is every push
//!   that carries a description, unless the person said "don't ask again" for that host. What
//!   the person agreed to is kept per host (`SettingKey::SyncConsent`); the engine's gate holds
//!   the push when asking is needed (the pull still runs) and reports what was held.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::engine::{push_plan, PushPlan};
use crate::model::{Group, GroupField};

/// A part of a group as it goes to the backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SentField {
    Name,
    Description,
    DisplayName,
    Owner,
    Criticality,
    Query,
    Tags,
}

impl SentField {
    pub fn label(self) -> &'static str {
        match self {
            SentField::Name => "name",
            SentField::Description => "description",
            SentField::DisplayName => "display name",
            SentField::Owner => "owner",
            SentField::Criticality => "criticality",
            SentField::Query => "query",
            SentField::Tags => "tags",
        }
    }
}

/// One group of a push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingGroup {
    pub name: String,
    pub plan: PushPlan,
    pub fields: Vec<SentField>,
}

impl OutgoingGroup {
    /// "create", "change", "delete".
    pub fn action(&self) -> &'static str {
        match self.plan {
            PushPlan::Create => "create",
            PushPlan::Update => "change",
            PushPlan::Delete => "delete",
            PushPlan::Nothing => "none",
        }
    }
}

/// What a push would send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outgoing {
    pub groups: Vec<OutgoingGroup>,
}

impl Outgoing {
    /// The push of the groups `names` (pending, in outbox order), from the local copies and
    /// the last-synced ones. Groups with nothing to send are left out.
    pub fn plan(
        names: &[String],
        locals: &BTreeMap<String, Group>,
        bases: &BTreeMap<String, Group>,
    ) -> Self {
        let groups = names
            .iter()
            .filter_map(|name| {
                let (local, base) = (locals.get(name), bases.get(name));
                let plan = push_plan(local, base);
                let mut fields = vec![SentField::Name];
                match (plan, local, base) {
                    (PushPlan::Nothing, ..) => return None,
                    (PushPlan::Create, Some(l), _) => {
                        if !l.description.is_empty() {
                            fields.push(SentField::Description);
                        }
                        if !l.display_name.is_empty() {
                            fields.push(SentField::DisplayName);
                        }
                        if !l.owner.is_empty() {
                            fields.push(SentField::Owner);
                        }
                        if l.criticality.is_some() {
                            fields.push(SentField::Criticality);
                        }
                        fields.push(SentField::Query);
                        if !l.tags.is_empty() {
                            fields.push(SentField::Tags);
                        }
                    }
                    (PushPlan::Update, Some(l), Some(b)) => {
                        for f in crate::store::ops::changed_fields(b, l) {
                            fields.push(match f {
                                GroupField::Description => SentField::Description,
                                GroupField::DisplayName => SentField::DisplayName,
                                GroupField::Owner => SentField::Owner,
                                GroupField::Criticality => SentField::Criticality,
                                GroupField::ResourceQuery => SentField::Query,
                                GroupField::Tags | GroupField::Group => SentField::Tags,
                            });
                        }
                    }
                    _ => {}
                }
                fields.dedup();
                Some(OutgoingGroup {
                    name: name.clone(),
                    plan,
                    fields,
                })
            })
            .collect();
        Outgoing { groups }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn includes_descriptions(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.fields.contains(&SentField::Description))
    }

    /// Every field sent, each once, in order.
    pub fn fields(&self) -> Vec<SentField> {
        let mut all: Vec<SentField> = self.groups.iter().flat_map(|g| g.fields.clone()).collect();
        crate::sort::sort(&mut all);
        all.dedup();
        all
    }

    /// Whether everything `other` would send was in this (approved) push: each of its groups
    /// with the same action and no field more. An approval covers what the person saw, never
    /// a group or a field added to the outbox since.
    pub fn covers(&self, other: &Outgoing) -> bool {
        other.groups.iter().all(|g| {
            self.groups.iter().any(|a| {
                a.name == g.name
                    && a.plan == g.plan
                    && g.fields.iter().all(|f| a.fields.contains(f))
            })
        })
    }

    /// Only the groups named in `confirmed` (what the backend took).
    pub fn only(&self, confirmed: &std::collections::BTreeSet<String>) -> Vec<OutgoingGroup> {
        self.groups
            .iter()
            .filter(|g| confirmed.contains(&g.name))
            .cloned()
            .collect()
    }
}

/// Why the person is asked before a push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// Nothing was ever sent to this host from here.
    FirstPush,
    /// Descriptions are private: every push that carries one is asked.
    Descriptions,
}

/// What the person agreed to, per host.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Host → "don't ask again" (also for descriptions).
    pub hosts: BTreeMap<String, bool>,
}

impl Consent {
    pub fn decode(stored: &str) -> Self {
        serde_json::from_str(stored).unwrap_or_default()
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether to ask before sending `outgoing` to `host`.
    pub fn ask(&self, outgoing: &Outgoing, host: &str) -> Option<Ask> {
        if outgoing.is_empty() {
            return None;
        }
        match self.hosts.get(host) {
            None => Some(Ask::FirstPush),
            Some(false) if outgoing.includes_descriptions() => Some(Ask::Descriptions),
            Some(_) => None,
        }
    }

    /// After the person agreed: sending to `host` is known, quietly from now on if `quiet`.
    pub fn agree(&mut self, host: &str, quiet: bool) {
        let entry = self.hosts.entry(host.to_owned()).or_insert(false);
        *entry = *entry || quiet;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::{ResourceQuery, TagFilter};

    fn group(name: &str) -> Group {
        Group::new(
            name,
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec!["Prod".into()],
            }]),
        )
    }

    #[test]
    fn the_plan_names_each_group_and_the_fields_it_sends() {
        let mut new = group("new");
        new.description = "Front end".into();
        let mut changed = group("changed");
        let base_changed = changed.clone();
        changed.tags.insert("Team".into(), "web".into());
        let same = group("same");
        let locals: BTreeMap<String, Group> = [new.clone(), changed, same.clone()]
            .into_iter()
            .map(|g| (g.name.clone(), g))
            .collect();
        let bases: BTreeMap<String, Group> = [base_changed, same, group("gone")]
            .into_iter()
            .map(|g| (g.name.clone(), g))
            .collect();
        let names: Vec<String> = ["new", "changed", "same", "gone"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let o = Outgoing::plan(&names, &locals, &bases);
        let rows: Vec<(&str, &str, Vec<&str>)> = o
            .groups
            .iter()
            .map(|g| {
                (
                    g.name.as_str(),
                    g.action(),
                    g.fields.iter().map(|f| f.label()).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("new", "create", vec!["name", "description", "query"]),
                ("changed", "change", vec!["name", "tags"]),
                ("gone", "delete", vec!["name"]),
            ]
        );
        assert!(o.includes_descriptions());
        assert_eq!(
            o.fields(),
            [
                SentField::Name,
                SentField::Description,
                SentField::Query,
                SentField::Tags
            ]
        );
        let confirmed = ["gone".to_owned()].into_iter().collect();
        assert_eq!(o.only(&confirmed).len(), 1);
        // An approval covers what was seen, and no more.
        assert!(o.covers(&o));
        let fewer = Outgoing {
            groups: o.groups[1..].to_vec(), // ok: a Vec, not a str
        };
        assert!(o.covers(&fewer));
        assert!(!fewer.covers(&o), "a group added since is not approved");
        let mut more_fields = fewer.clone();
        more_fields.groups[0].fields.push(SentField::Description);
        assert!(!fewer.covers(&more_fields), "nor a field added since");
    }

    #[test]
    fn the_first_push_to_a_host_and_every_description_are_asked_unless_told_not_to() {
        let with_description = Outgoing {
            groups: vec![OutgoingGroup {
                name: "a".into(),
                plan: PushPlan::Create,
                fields: vec![SentField::Name, SentField::Description],
            }],
        };
        let without = Outgoing {
            groups: vec![OutgoingGroup {
                name: "a".into(),
                plan: PushPlan::Update,
                fields: vec![SentField::Name, SentField::Tags],
            }],
        };
        let mut c = Consent::default();
        assert_eq!(c.ask(&without, "h"), Some(Ask::FirstPush));
        assert_eq!(c.ask(&Outgoing::default(), "h"), None, "nothing to send");
        c.agree("h", false);
        assert_eq!(c.ask(&without, "h"), None);
        assert_eq!(c.ask(&with_description, "h"), Some(Ask::Descriptions));
        assert_eq!(c.ask(&without, "other"), Some(Ask::FirstPush));
        c.agree("h", true);
        assert_eq!(c.ask(&with_description, "h"), None);
        // Agreeing again without "don't ask" keeps the earlier "don't ask".
        c.agree("h", false);
        assert_eq!(c.ask(&with_description, "h"), None);
        assert_eq!(Consent::decode(&c.encode()), c);
        assert_eq!(Consent::decode("junk"), Consent::default());
    }
}
