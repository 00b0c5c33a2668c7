//! The groups table's filters asked of the backend: ListGroups with the same `Filters`
//! (`Client::list_filtered`), and what its answer says next to the groups here.
//!
//! The table filters the groups stored here; the backend may hold groups this browser has not
//! pulled yet (made elsewhere since the last sync), and may lack groups made here and not yet
//! pushed. A person who filters by owner wants to know both, without a full sync. The answer
//! is compared, never merged: only a sync changes what is stored.
//!
//! A backend may ignore the filters (moto 5.2.5 does). `list_filtered` filters again by what a
//! list entry carries (owner, display name, criticality), but resource and configuration
//! types are not in a list entry: a listed group that is here and fails those filters here is
//! reported as "listed there, not matching here", never silently counted as a match.

use std::collections::BTreeSet;

use crate::model::group_filters::GroupFilters;
use crate::model::Group;

/// How many names each sentence spells out before "and N more".
pub const NAMES_SHOWN: usize = 10;

/// The backend's answer for the filters, set against the groups here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackendMatches {
    /// How many groups the backend listed.
    pub listed: usize,
    /// Listed there, and here they pass the filters too.
    pub matching: Vec<String>,
    /// Listed there, not stored here: made (or renamed) elsewhere since the last pull.
    pub not_here: Vec<String>,
    /// Listed there, stored here, but the copy here fails the filters: the backend ignored a
    /// filter, or the group changed there.
    pub differ: Vec<String>,
    /// Pass the filters here, not listed there: not pushed yet, or changed or deleted there.
    pub not_there: Vec<String>,
}

impl BackendMatches {
    /// `listed`: the names the backend gave (any order, repeats allowed); `groups`: every
    /// group stored here.
    pub fn compare(listed: &[String], groups: &[Group], filters: &GroupFilters) -> Self {
        let there: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
        let mut m = BackendMatches {
            listed: there.len(),
            ..BackendMatches::default()
        };
        let here: BTreeSet<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        for g in groups {
            let keeps = filters.keeps(g);
            match (there.contains(g.name.as_str()), keeps) {
                (true, true) => m.matching.push(g.name.clone()),
                (true, false) => m.differ.push(g.name.clone()),
                (false, true) => m.not_there.push(g.name.clone()),
                (false, false) => {}
            }
        }
        m.not_here = there
            .iter()
            .filter(|n| !here.contains(**n))
            .map(|n| (*n).to_owned())
            .collect();
        crate::sort::sort(&mut m.matching);
        crate::sort::sort(&mut m.differ);
        crate::sort::sort(&mut m.not_there);
        m
    }

    /// Whether the backend and this browser agree on the filters.
    pub fn agrees(&self) -> bool {
        self.not_here.is_empty() && self.differ.is_empty() && self.not_there.is_empty()
    }

    /// Plain sentences, first the count, then each difference with its names.
    pub fn sentences(&self) -> Vec<String> {
        let mut out = vec![match self.listed {
            0 => "The backend lists no group with these filters.".to_owned(),
            1 => "The backend lists 1 group with these filters.".to_owned(),
            n => format!("The backend lists {n} groups with these filters."),
        }];
        if self.agrees() {
            out.push("They are the groups that match here.".to_owned());
            return out;
        }
        let part = |names: &[String], one: &str, many: &str| -> Option<String> {
            if names.is_empty() {
                return None;
            }
            let what = if names.len() == 1 { one } else { many };
            Some(format!("{} {what}: {}.", names.len(), name_list(names)))
        };
        out.extend(part(
            &self.not_here,
            "is not here yet (made elsewhere since the last sync; sync to bring it)",
            "are not here yet (made elsewhere since the last sync; sync to bring them)",
        ));
        out.extend(part(
            &self.not_there,
            "matches here but is not listed there (not pushed yet, or changed or deleted there)",
            "match here but are not listed there (not pushed yet, or changed or deleted there)",
        ));
        out.extend(part(
            &self.differ,
            "is listed there but does not match here (the backend may ignore a filter, or it changed there)",
            "are listed there but do not match here (the backend may ignore a filter, or they changed there)",
        ));
        out
    }
}

/// `a, b, c` — at most [`NAMES_SHOWN`] names, then "and N more".
fn name_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if names.len() > NAMES_SHOWN {
        s.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::group_filters::FilterName;
    use crate::model::ResourceQuery;

    fn group(name: &str, owner: &str, types: &[&str]) -> Group {
        let mut g = Group::new(
            name,
            ResourceQuery::Tags {
                resource_types: types.iter().map(|t| (*t).to_owned()).collect(),
                tag_filters: vec![],
            },
        );
        g.owner = owner.into();
        g
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn an_answer_that_agrees_says_so() {
        let groups = [
            group("web", "Équipe web", &[]),
            group("data", "données", &[]),
        ];
        let mut f = GroupFilters::default();
        f.set(FilterName::Owner, "Équipe web");
        let m = BackendMatches::compare(&names(&["web"]), &groups, &f);
        assert!(m.agrees());
        assert_eq!(m.matching, ["web"]);
        assert_eq!(
            m.sentences(),
            [
                "The backend lists 1 group with these filters.",
                "They are the groups that match here."
            ]
        );
    }

    #[test]
    fn each_difference_is_named() {
        let groups = [
            group("web", "Équipe web", &["AWS::EC2::Instance"]),
            group("local-only", "Équipe web", &["AWS::EC2::Instance"]),
            group("bucket", "Équipe web", &["AWS::S3::Bucket"]),
        ];
        let mut f = GroupFilters::default();
        f.set(FilterName::ResourceType, "AWS::EC2::Instance");
        // The backend ignored the type filter (bucket), knows a group made elsewhere (新しい),
        // and lacks one not pushed yet (local-only).
        let listed = names(&["web", "bucket", "新しい", "web"]);
        let m = BackendMatches::compare(&listed, &groups, &f);
        assert_eq!(m.listed, 3);
        assert_eq!(m.matching, ["web"]);
        assert_eq!(m.not_here, ["新しい"]);
        assert_eq!(m.not_there, ["local-only"]);
        assert_eq!(m.differ, ["bucket"]);
        let s = m.sentences();
        assert_eq!(s[0], "The backend lists 3 groups with these filters.");
        assert!(s[1].starts_with("1 is not here yet") && s[1].ends_with(": 新しい."));
        assert!(s[2].starts_with("1 matches here but is not listed there"));
        assert!(s[3].contains("may ignore a filter") && s[3].ends_with(": bucket."));
    }

    #[test]
    fn long_lists_are_cut_with_a_count() {
        let listed: Vec<String> = (0..25).map(|i| format!("g{i:02}")).collect();
        let m = BackendMatches::compare(&listed, &[], &GroupFilters::default());
        assert_eq!(m.not_here.len(), 25);
        let s = m.sentences();
        assert!(s[1].starts_with("25 are not here yet"));
        assert!(s[1].ends_with("g09 and 15 more."), "{}", s[1]);
        assert_eq!(
            BackendMatches::compare(&[], &[], &GroupFilters::default()).sentences(),
            [
                "The backend lists no group with these filters.",
                "They are the groups that match here."
            ]
        );
    }
}
