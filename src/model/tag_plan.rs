//! A reviewed plan of tag changes over many resources, and the calls that carry it out.
//!
//! The Tag Editor turns "set these keys, remove those" over a selection into a plan: for each
//! resource exactly the keys that change *there* (a key already at that value is not sent, a
//! key the resource does not have is not removed), so the review shows the real diff and
//! applying a plan that is already in effect sends nothing. The same plan is applied to the
//! local inventory, sent to the Tagging API as `TagResources` / `UntagResources` calls within
//! its limits, or exported as AWS CLI input files.
//!
//! Invariants: a plan never holds a resource with nothing to change; `set` and `remove` of one
//! resource never share a key (setting wins, as `TagResources` replaces a value in place, so
//! untagging first would only open a window without the tag); calls list ARNs and keys in
//! sorted order, so the same plan always makes the same calls.

use std::collections::{BTreeMap, BTreeSet};

use super::inventory::Resource;

/// At most this many ARNs in one `TagResources` / `UntagResources` call (the API's limit).
pub const ARNS_PER_CALL: usize = 20;
/// At most this many tags (or keys) in one call (the API's limit, and a resource's).
pub const TAGS_PER_CALL: usize = 50;

/// What the person asked for over a selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagEdit {
    /// Keys to set, with their values.
    pub set: BTreeMap<String, String>,
    /// Keys to remove (a key also in `set` is set, not removed).
    pub remove: BTreeSet<String>,
}

/// The change to one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceChange {
    pub arn: String,
    /// Keys that are new or get another value here, with the new value.
    pub set: BTreeMap<String, String>,
    /// Keys this resource has and loses.
    pub remove: Vec<String>,
}

impl ResourceChange {
    /// The resource's tags after the change, in their original order (new keys at the end).
    pub fn apply(&self, tags: &[(String, String)]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = tags
            .iter()
            .filter(|(k, _)| !self.remove.contains(k))
            .map(|(k, v)| {
                (
                    k.clone(),
                    self.set.get(k).cloned().unwrap_or_else(|| v.clone()),
                )
            })
            .collect();
        for (k, v) in &self.set {
            if !tags.iter().any(|(tk, _)| tk == k) {
                out.push((k.clone(), v.clone()));
            }
        }
        out
    }
}

/// A plan: the resources that change, in ARN order, and how many of the selection do not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagPlan {
    pub changes: Vec<ResourceChange>,
    /// Selected resources that already are as asked.
    pub unchanged: usize,
}

/// One call to the Tagging API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagCall {
    /// `TagResources`: these tags onto every ARN listed.
    Tag {
        arns: Vec<String>,
        tags: BTreeMap<String, String>,
    },
    /// `UntagResources`: these keys off every ARN listed.
    Untag {
        arns: Vec<String>,
        keys: Vec<String>,
    },
}

impl TagCall {
    pub fn arns(&self) -> &[String] {
        match self {
            TagCall::Tag { arns, .. } | TagCall::Untag { arns, .. } => arns,
        }
    }

    /// The call as an AWS CLI input file (`aws resourcegroupstaggingapi tag-resources
    /// --cli-input-json file://…`, or `untag-resources`): the same request shape.
    pub fn cli_input_json(&self) -> String {
        let value = match self {
            TagCall::Tag { arns, tags } => {
                serde_json::json!({ "ResourceARNList": arns, "Tags": tags })
            }
            TagCall::Untag { arns, keys } => {
                serde_json::json!({ "ResourceARNList": arns, "TagKeys": keys })
            }
        };
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// The CLI command that reads [`TagCall::cli_input_json`].
    pub fn cli_command(&self) -> &'static str {
        match self {
            TagCall::Tag { .. } => "tag-resources",
            TagCall::Untag { .. } => "untag-resources",
        }
    }
}

impl TagPlan {
    /// The plan for `edit` over `selected`.
    pub fn build(selected: &[Resource], edit: &TagEdit) -> TagPlan {
        let mut plan = TagPlan::default();
        for r in selected {
            let set: BTreeMap<String, String> = edit
                .set
                .iter()
                .filter(|(k, v)| !r.tags.iter().any(|(tk, tv)| tk == *k && tv == *v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut remove: Vec<String> = r
                .tags
                .iter()
                .filter(|(k, _)| edit.remove.contains(k) && !edit.set.contains_key(k))
                .map(|(k, _)| k.clone())
                .collect();
            crate::sort::sort(&mut remove);
            remove.dedup();
            if set.is_empty() && remove.is_empty() {
                plan.unchanged += 1;
            } else {
                plan.changes.push(ResourceChange {
                    arn: r.arn.clone(),
                    set,
                    remove,
                });
            }
        }
        crate::sort::sort_by(&mut plan.changes, |a, b| a.arn.cmp(&b.arn));
        plan.changes.dedup_by(|later, first| later.arn == first.arn);
        plan
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The keys set and the keys removed anywhere in the plan (for the activity log: keys and
    /// counts, never values).
    pub fn keys(&self) -> (Vec<&str>, Vec<&str>) {
        let set: BTreeSet<&str> = self
            .changes
            .iter()
            .flat_map(|c| c.set.keys().map(String::as_str))
            .collect();
        let remove: BTreeSet<&str> = self
            .changes
            .iter()
            .flat_map(|c| c.remove.iter().map(String::as_str))
            .collect();
        (set.into_iter().collect(), remove.into_iter().collect())
    }

    /// The calls that carry the plan out: resources that get the same tags share a
    /// `TagResources` call (up to 20 ARNs and 50 tags each), and likewise for the keys they
    /// lose. All tag calls come before the untag calls.
    pub fn calls(&self) -> Vec<TagCall> {
        let mut by_tags: BTreeMap<&BTreeMap<String, String>, Vec<String>> = BTreeMap::new();
        let mut by_keys: BTreeMap<&Vec<String>, Vec<String>> = BTreeMap::new();
        for c in &self.changes {
            if !c.set.is_empty() {
                by_tags.entry(&c.set).or_default().push(c.arn.clone());
            }
            if !c.remove.is_empty() {
                by_keys.entry(&c.remove).or_default().push(c.arn.clone());
            }
        }
        let mut calls = Vec::new();
        for (tags, arns) in by_tags {
            let pairs: Vec<(&String, &String)> = tags.iter().collect();
            for arns in arns.chunks(ARNS_PER_CALL) {
                for part in pairs.chunks(TAGS_PER_CALL) {
                    calls.push(TagCall::Tag {
                        arns: arns.to_vec(),
                        tags: part
                            .iter()
                            .map(|(k, v)| ((*k).clone(), (*v).clone()))
                            .collect(),
                    });
                }
            }
        }
        for (keys, arns) in by_keys {
            for arns in arns.chunks(ARNS_PER_CALL) {
                for part in keys.chunks(TAGS_PER_CALL) {
                    calls.push(TagCall::Untag {
                        arns: arns.to_vec(),
                        keys: part.to_vec(),
                    });
                }
            }
        }
        calls
    }

    /// The plan as a shell script of AWS CLI calls, one `tag-resources` / `untag-resources`
    /// per call with its input JSON in a quoted here-document (nothing in it is expanded by
    /// the shell), for `region`: what local mode offers to run against the real account.
    pub fn cli_script(&self, region: &str) -> String {
        let mut out = String::from(
            "#!/bin/sh\n# Tag changes reviewed in Group Console. Run with AWS credentials for the account.\nset -e\n",
        );
        for call in self.calls() {
            out.push_str(&format!(
                "aws resourcegroupstaggingapi {} --region {} --cli-input-json file:///dev/stdin <<'GROUP_CONSOLE_JSON'\n{}\nGROUP_CONSOLE_JSON\n",
                call.cli_command(),
                shell_word(region),
                call.cli_input_json()
            ));
        }
        out
    }

    /// [`TagPlan::cli_script`] for a plan over several regions: the calls of each region
    /// (read from the ARN) under its own `--region`. ARNs without a region (S3 buckets, IAM)
    /// go to us-east-1, with a comment: a bucket is tagged in its own region.
    pub fn cli_script_by_region(&self) -> String {
        let mut by_region: BTreeMap<String, TagPlan> = BTreeMap::new();
        for c in &self.changes {
            let region = super::arn::Arn::parse(&c.arn)
                .map(|a| a.region)
                .unwrap_or_default();
            by_region.entry(region).or_default().changes.push(c.clone());
        }
        let mut out = String::new();
        for (i, (region, part)) in by_region.iter().enumerate() {
            let mut script = if region.is_empty() {
                part.cli_script("us-east-1").replacen(
                    "set -e\n",
                    "set -e\n# ARNs without a region: S3 buckets are tagged in the region they live in; change --region for those.\n",
                    1,
                )
            } else {
                part.cli_script(region)
            };
            if i > 0 {
                // One header for the whole script.
                script = script.splitn(4, '\n').nth(3).unwrap_or_default().to_owned();
            }
            out.push_str(&script);
        }
        out
    }

    /// The part of the plan for these ARNs ("Retry failed").
    pub fn only(&self, arns: &BTreeSet<String>) -> TagPlan {
        TagPlan {
            changes: self
                .changes
                .iter()
                .filter(|c| arns.contains(&c.arn))
                .cloned()
                .collect(),
            unchanged: 0,
        }
    }

    /// The plan split by where each resource lives: by the region a backend pull brought it
    /// from (those changes go to the Tagging API of that region), and the rest (imported or
    /// made here: changed in this browser only).
    pub fn by_origin(&self, selected: &[Resource]) -> (BTreeMap<String, TagPlan>, TagPlan) {
        let mut remote: BTreeMap<String, TagPlan> = BTreeMap::new();
        let mut local = TagPlan::default();
        for c in &self.changes {
            let region = selected
                .iter()
                .find(|r| r.arn == c.arn)
                .and_then(|r| r.pulled_from.clone());
            match region {
                Some(region) => remote.entry(region).or_default().changes.push(c.clone()),
                None => local.changes.push(c.clone()),
            }
        }
        (remote, local)
    }

    /// The selected resources as the plan leaves them: only those that change, new tags in.
    pub fn applied(&self, selected: &[Resource]) -> Vec<Resource> {
        self.changes
            .iter()
            .filter_map(|c| {
                let r = selected.iter().find(|r| r.arn == c.arn)?;
                Some(Resource {
                    tags: c.apply(&r.tags),
                    ..r.clone()
                })
            })
            .collect()
    }
}

/// A region name for the shell: as it is when it is made of letters, digits and dashes (all
/// real ones are), else single-quoted.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(n: usize, tags: &[(&str, &str)]) -> Resource {
        Resource::new(
            &format!("arn:aws:sqs:eu-west-1:123456789012:queue-{n:03}"),
            None,
            tags.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
        .unwrap()
    }

    fn edit(set: &[(&str, &str)], remove: &[&str]) -> TagEdit {
        TagEdit {
            set: set
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            remove: remove.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    /// The plan against a brute force: apply the edit to each resource's tags as a map.
    fn brute(selected: &[Resource], e: &TagEdit) -> Vec<(String, BTreeMap<String, String>)> {
        selected
            .iter()
            .filter_map(|r| {
                let before: BTreeMap<String, String> = r.tags.iter().cloned().collect();
                let mut after = before.clone();
                for k in &e.remove {
                    after.remove(k);
                }
                after.extend(e.set.clone());
                (after != before).then(|| (r.arn.clone(), after))
            })
            .collect()
    }

    #[test]
    fn only_what_changes_is_planned() {
        let selected = vec![
            resource(1, &[("環境", "本番"), ("Team", "web")]),
            resource(2, &[("環境", "開発")]),
            resource(3, &[]),
            resource(4, &[("環境", "本番")]),
        ];
        let e = edit(&[("環境", "本番")], &["Team", "Absent"]);
        let plan = TagPlan::build(&selected, &e);
        let arns: Vec<&str> = plan.changes.iter().map(|c| c.arn.as_str()).collect();
        assert_eq!(arns.len(), 3);
        assert_eq!(plan.unchanged, 1, "queue-004 already is as asked");
        assert_eq!(plan.changes[0].remove, ["Team"], "only keys it has");
        assert!(plan.changes[0].set.is_empty(), "本番 is already there");
        assert_eq!(plan.changes[1].set["環境"], "本番");
        let got: Vec<(String, BTreeMap<String, String>)> = plan
            .applied(&selected)
            .into_iter()
            .map(|r| (r.arn, r.tags.into_iter().collect()))
            .collect();
        assert_eq!(got, brute(&selected, &e));
        // Applied again, the plan is empty and makes no call.
        let after: Vec<Resource> = selected
            .iter()
            .map(|r| {
                plan.applied(std::slice::from_ref(r))
                    .pop()
                    .unwrap_or_else(|| r.clone())
            })
            .collect();
        let again = TagPlan::build(&after, &e);
        assert!(again.is_empty() && again.calls().is_empty());
        assert_eq!(again.unchanged, 4);
    }

    #[test]
    fn a_key_set_and_removed_is_set() {
        let selected = vec![resource(1, &[("k", "old")])];
        let plan = TagPlan::build(&selected, &edit(&[("k", "new")], &["k"]));
        assert_eq!(plan.changes[0].remove, Vec::<String>::new());
        assert_eq!(plan.changes[0].set["k"], "new");
        // Order kept, value replaced in place.
        let selected = vec![resource(2, &[("a", "1"), ("k", "old"), ("z", "2")])];
        let plan = TagPlan::build(&selected, &edit(&[("k", "new"), ("b", "3")], &["z"]));
        let tags = &plan.applied(&selected)[0].tags;
        let keys: Vec<&str> = tags.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "k", "b"]);
    }

    #[test]
    fn calls_stay_within_the_limits_and_cover_the_plan() {
        // 250 resources: half lack the tag, a third have a key to lose.
        let selected: Vec<Resource> = (0..250)
            .map(|i| match i % 3 {
                0 => resource(i, &[("Old", "x")]),
                1 => resource(i, &[("Stage", "prod")]),
                _ => resource(i, &[("Stage", "dev"), ("Old", "y")]),
            })
            .collect();
        let e = edit(&[("Stage", "prod"), ("Équipe", "données")], &["Old"]);
        let plan = TagPlan::build(&selected, &e);
        let calls = plan.calls();
        assert!(calls.iter().all(|c| c.arns().len() <= ARNS_PER_CALL));
        let mut tagged: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut untagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut seen_untag = false;
        for c in &calls {
            match c {
                TagCall::Tag { arns, tags } => {
                    assert!(!seen_untag, "tag calls first");
                    assert!(tags.len() <= TAGS_PER_CALL);
                    for a in arns {
                        tagged.entry(a.clone()).or_default().extend(tags.clone());
                    }
                }
                TagCall::Untag { arns, keys } => {
                    seen_untag = true;
                    for a in arns {
                        untagged.entry(a.clone()).or_default().extend(keys.clone());
                    }
                }
            }
        }
        for c in &plan.changes {
            assert_eq!(tagged.get(&c.arn).cloned().unwrap_or_default(), c.set);
            let removed: Vec<String> = untagged
                .get(&c.arn)
                .map(|k| k.iter().cloned().collect())
                .unwrap_or_default();
            assert_eq!(removed, c.remove);
        }
        // Deterministic: the same plan makes the same calls.
        assert_eq!(TagPlan::build(&selected, &e).calls(), calls);
        // Retry: the failed part only.
        let failed: BTreeSet<String> =
            [plan.changes[3].arn.clone(), plan.changes[9].arn.clone()].into();
        let retry = plan.only(&failed);
        assert_eq!(retry.changes.len(), 2);
        assert!(retry
            .calls()
            .iter()
            .all(|c| c.arns().iter().all(|a| failed.contains(a))));
    }

    #[test]
    fn more_than_fifty_tags_split_into_several_calls() {
        let set: Vec<(String, String)> =
            (0..60).map(|i| (format!("k{i:02}"), "v".into())).collect();
        let e = TagEdit {
            set: set.into_iter().collect(),
            remove: BTreeSet::new(),
        };
        let plan = TagPlan::build(&[resource(1, &[])], &e);
        let calls = plan.calls();
        assert_eq!(calls.len(), 2);
        let json: serde_json::Value = serde_json::from_str(&calls[0].cli_input_json()).unwrap();
        assert_eq!(json["Tags"].as_object().unwrap().len(), 50);
        assert_eq!(json["ResourceARNList"][0], plan.changes[0].arn);
        assert_eq!(calls[0].cli_command(), "tag-resources");
        let untag = TagCall::Untag {
            arns: vec!["arn:aws:s3:::b".into()],
            keys: vec!["環境".into()],
        };
        let json: serde_json::Value = serde_json::from_str(&untag.cli_input_json()).unwrap();
        assert_eq!(json["TagKeys"][0], "環境");
    }

    #[test]
    fn a_plan_splits_by_the_region_each_resource_was_pulled_from() {
        let mut a = resource(1, &[]);
        a.pulled_from = Some("eu-west-1".into());
        let mut b = resource(2, &[]);
        b.pulled_from = Some("us-east-1".into());
        let c = resource(3, &[]);
        let mut d = resource(4, &[("k", "v")]);
        d.pulled_from = Some("eu-west-1".into());
        let selected = vec![a, b, c, d];
        let plan = TagPlan::build(&selected, &edit(&[("k", "v")], &[]));
        let (remote, local) = plan.by_origin(&selected);
        let regions: Vec<(&str, usize)> = remote
            .iter()
            .map(|(r, p)| (r.as_str(), p.changes.len()))
            .collect();
        assert_eq!(
            regions,
            [("eu-west-1", 1), ("us-east-1", 1)],
            "queue-004 is already as asked"
        );
        assert_eq!(local.changes.len(), 1);
        assert_eq!(local.changes[0].arn, selected[2].arn);
    }

    #[test]
    fn the_cli_script_carries_every_call_unexpanded() {
        let selected: Vec<Resource> = (0..25).map(|i| resource(i, &[("Old", "x")])).collect();
        let plan = TagPlan::build(
            &selected,
            &edit(&[("環境", "$(rm -rf /) `x` 'q'")], &["Old"]),
        );
        let script = plan.cli_script("eu-west-1");
        assert!(script.starts_with("#!/bin/sh\n"));
        assert_eq!(
            script
                .matches("aws resourcegroupstaggingapi tag-resources --region eu-west-1")
                .count(),
            2
        );
        assert_eq!(script.matches("untag-resources").count(), 2);
        // Each call's JSON sits between the quoted delimiters, exactly as the API takes it.
        let bodies: Vec<&str> = script.split("<<'GROUP_CONSOLE_JSON'\n").skip(1).collect();
        assert_eq!(bodies.len(), 4);
        for (body, call) in bodies.iter().zip(plan.calls()) {
            let json = body.split("\nGROUP_CONSOLE_JSON\n").next().unwrap();
            assert_eq!(json, call.cli_input_json());
        }
        assert_eq!(shell_word("x'y"), "'x'\\''y'");
    }

    #[test]
    fn a_script_over_several_regions_has_one_header_and_a_region_each() {
        let mk = |arn: &str| Resource::new(arn, None, vec![]).unwrap();
        let selected = vec![
            mk("arn:aws:s3:::bucket"),
            mk("arn:aws:sqs:eu-west-1:123456789012:q"),
            mk("arn:aws:sqs:us-east-1:123456789012:q"),
        ];
        let script = TagPlan::build(&selected, &edit(&[("k", "v")], &[])).cli_script_by_region();
        assert_eq!(script.matches("#!/bin/sh").count(), 1);
        assert_eq!(script.matches("set -e").count(), 1);
        for region in ["eu-west-1", "us-east-1"] {
            assert!(script.contains(&format!("--region {region} ")), "{script}");
        }
        assert!(script.contains("S3 buckets are tagged in the region they live in"));
        assert_eq!(script.matches("tag-resources").count(), 3);
    }
}
