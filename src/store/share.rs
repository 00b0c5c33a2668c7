//! "Share safely": an export of groups that can be handed to someone else. Every AWS account
//! ID in the account field of an ARN (group ARNs, stack identifiers, configuration values, ARN
//! tag values) is replaced by an alias that is stable within that export (`account-1`,
//! `account-2`, … in order of first appearance), descriptions are left out, and the guard
//! runs over every text of the result before it is offered: an export it flags is refused
//! with the places, never written.
//!
//! The aliases' meaning stays on this device: [`AliasMap`]s are kept in the store under
//! `SettingKey::SharedAliases` (the one setting allowed to hold account IDs, and only as
//! bare 12-digit values: see [`AliasMaps::decode`]). Importing a shared export here maps the
//! aliases back ([`restore`]); on another device the aliases stay as they are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::arn::account_range;
use crate::model::Group;

/// The marker of a shared export.
pub const SHARED_FORMAT: &str = "group-console-shared";

/// How many alias maps are kept (the oldest go first).
pub const MAPS_MAX: usize = 50;

/// One export's aliases: alias → account ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasMap {
    pub id: String,
    pub aliases: BTreeMap<String, String>,
}

/// Every alias map kept on this device, newest last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasMaps(pub Vec<AliasMap>);

impl AliasMaps {
    /// Reads the stored setting. Only maps of `account-N` aliases to bare 12-digit account IDs
    /// are kept; anything else (damaged, or free text) reads as absent.
    pub fn decode(stored: &str) -> Self {
        let Ok(maps) = serde_json::from_str::<AliasMaps>(stored) else {
            return AliasMaps::default();
        };
        AliasMaps(
            maps.0
                .into_iter()
                .filter(AliasMap::is_well_formed)
                .collect(),
        )
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `self` with `map` added (the oldest dropped past [`MAPS_MAX`]).
    pub fn with(mut self, map: AliasMap) -> Self {
        self.0.retain(|m| m.id != map.id);
        self.0.push(map);
        let extra = self.0.len().saturating_sub(MAPS_MAX);
        self.0.drain(..extra);
        self
    }

    pub fn get(&self, id: &str) -> Option<&AliasMap> {
        self.0.iter().find(|m| m.id == id)
    }
}

impl AliasMap {
    /// Aliases are `account-N`, ids short and plain, accounts exactly 12 ASCII digits.
    pub fn is_well_formed(&self) -> bool {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        id_ok
            && self.aliases.iter().all(|(alias, account)| {
                alias
                    .strip_prefix("account-")
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                    && account.len() == 12
                    && account.chars().all(|c| c.is_ascii_digit())
            })
    }
}

/// A shared export: the file, and the aliases to keep here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub json: String,
    pub map: AliasMap,
}

/// The highest `account-N` already in `value`'s ARNs (a group imported from another browser's
/// shared export keeps its aliases): this export's aliases start above it, so the two never mix.
fn highest_alias(value: &Value) -> usize {
    match value {
        Value::String(s) if s.starts_with('{') => serde_json::from_str::<Value>(s)
            .map(|v| highest_alias(&v))
            .unwrap_or(0),
        Value::String(s) => alias_range(s)
            .and_then(|r| s.get(r))
            .and_then(|a| a.strip_prefix("account-"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        Value::Array(items) => items.iter().map(highest_alias).max().unwrap_or(0),
        Value::Object(map) => map.values().map(highest_alias).max().unwrap_or(0),
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
    }
}

/// Replaces the account field of every ARN among `value`'s texts, assigning aliases in order
/// from `base + 1`. Only 12-digit account IDs: AWS's own `aws` (managed policies) and aliases
/// already there stay as they are.
fn alias_texts(value: &mut Value, aliases: &mut Vec<String>, base: usize) {
    match value {
        // A query is JSON inside a text (`GroupQuery.ResourceQuery.Query`): its stack
        // identifier is an ARN too.
        Value::String(s) if s.starts_with('{') => {
            if let Ok(mut inner) = serde_json::from_str::<Value>(s) {
                alias_texts(&mut inner, aliases, base);
                *s = inner.to_string();
            }
        }
        Value::String(s) => {
            let Some(range) = account_range(s) else {
                return;
            };
            let account = s.get(range.clone()).unwrap_or_default().to_owned();
            if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
                return;
            }
            let n = match aliases.iter().position(|a| *a == account) {
                Some(i) => i + 1,
                None => {
                    aliases.push(account);
                    aliases.len()
                }
            };
            s.replace_range(range, &format!("account-{}", base + n));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| alias_texts(v, aliases, base)),
        Value::Object(map) => map.values_mut().for_each(|v| alias_texts(v, aliases, base)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Every text of `value` the guard flags, as "record N: rule" (never the text).
fn flagged(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            for f in crate::guard::scan_name(s) {
                out.push(format!("{path}: {}", f.kind.label()));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flagged(v, &format!("{path} {}", i + 1), out);
            }
        }
        Value::Object(map) => {
            // The export's own field names only: a tag key may be what was found.
            const FIELDS: [&str; 9] = [
                "Group",
                "GroupArn",
                "Name",
                "Description",
                "GroupQuery",
                "GroupName",
                "ResourceQuery",
                "Query",
                "Type",
            ];
            for (i, (k, v)) in map.iter().enumerate() {
                let part = if FIELDS.contains(&k.as_str()) {
                    k.clone()
                } else {
                    format!("entry {}", i + 1)
                };
                flagged(v, &format!("{path} {part}"), out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The shared export of `groups` under the export id `id`, or the places the guard still flags
/// in it (then nothing should be written).
pub fn export_shared(groups: &[Group], id: &str) -> Result<Shared, Vec<String>> {
    let exported = super::transfer::export_groups(groups, false);
    let mut doc: Value = serde_json::from_str(&exported).map_err(|e| vec![e.to_string()])?;
    let mut accounts = Vec::new();
    let base = doc.get("Groups").map_or(0, highest_alias);
    if let Some(list) = doc.get_mut("Groups") {
        alias_texts(list, &mut accounts, base);
    }
    // An owner that is a person's email address is left out, as descriptions are: a shared
    // file goes to someone else, and the address is personal data (`guard::scan_owner`).
    if let Some(Value::Array(list)) = doc.get_mut("Groups") {
        for g in list.iter_mut() {
            let personal = g
                .pointer("/Group/Owner")
                .and_then(|o| o.as_str())
                .is_some_and(|o| !crate::guard::scan_owner(o).is_empty());
            if personal {
                if let Some(Value::Object(group)) = g.get_mut("Group") {
                    group.remove("Owner");
                }
            }
        }
    }
    let mut problems = Vec::new();
    if let Some(Value::Array(list)) = doc.get("Groups") {
        for (i, g) in list.iter().enumerate() {
            flagged(g, &format!("group {}", i + 1), &mut problems);
        }
    }
    // Keys too (tag keys are texts a person chose; an application tag's, a backend's).
    if let Some(Value::Array(list)) = doc.get("Groups") {
        for (i, g) in list.iter().enumerate() {
            if let Some(Value::Object(app)) = g.pointer("/Group/ApplicationTag") {
                for k in app.keys() {
                    for f in crate::guard::scan_name(k) {
                        problems.push(format!(
                            "group {}: application tag: {}",
                            i + 1,
                            f.kind.label()
                        ));
                    }
                }
            }
            if let Some(Value::Object(tags)) = g.get("Tags") {
                for (j, k) in tags.keys().enumerate() {
                    for f in crate::guard::scan_name(k) {
                        problems.push(format!(
                            "group {}: tag key {}: {}",
                            i + 1,
                            j + 1,
                            f.kind.label()
                        ));
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Value::Object(map) = &mut doc {
        map.insert(
            "SharedExport".into(),
            serde_json::json!({
                "Format": SHARED_FORMAT,
                "Id": id,
                "Note": "AWS account IDs are replaced by aliases (account-1, ...) and descriptions are left out. Imported in the browser that made it, the aliases are mapped back.",
            }),
        );
    }
    let aliases = accounts
        .into_iter()
        .enumerate()
        .map(|(i, a)| (format!("account-{}", base + i + 1), a))
        .collect();
    Ok(Shared {
        json: serde_json::to_string_pretty(&doc).unwrap_or_default(),
        map: AliasMap {
            id: id.to_owned(),
            aliases,
        },
    })
}

/// What an import file becomes before its preview: a shared export made here gets its account
/// IDs back; anything else is returned as it is. `Some(true)` when aliases were mapped back,
/// `Some(false)` for a shared export from elsewhere (its aliases stay), `None` for any other
/// file.
pub fn restore(text: &str, maps: &AliasMaps) -> (String, Option<bool>) {
    let Ok(mut doc) = serde_json::from_str::<Value>(text) else {
        return (text.to_owned(), None);
    };
    let id = doc
        .get("SharedExport")
        .filter(|s| s.get("Format").and_then(Value::as_str) == Some(SHARED_FORMAT))
        .and_then(|s| s.get("Id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let Some(id) = id else {
        return (text.to_owned(), None);
    };
    let Some(map) = maps.get(&id) else {
        return (text.to_owned(), Some(false));
    };
    fn back(value: &mut Value, map: &AliasMap) {
        match value {
            Value::String(s) if s.starts_with('{') => {
                if let Ok(mut inner) = serde_json::from_str::<Value>(s) {
                    back(&mut inner, map);
                    *s = inner.to_string();
                }
            }
            Value::String(s) => {
                if let Some(range) = alias_range(s) {
                    let alias = s.get(range.clone()).unwrap_or_default().to_owned();
                    if let Some(account) = map.aliases.get(&alias) {
                        s.replace_range(range, account);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| back(v, map)),
            Value::Object(m) => m.values_mut().for_each(|v| back(v, map)),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    if let Some(list) = doc.get_mut("Groups") {
        back(list, map);
    }
    (doc.to_string(), Some(true))
}

/// The range of the account field of an ARN-shaped text, whatever it holds (an alias here).
fn alias_range(s: &str) -> Option<std::ops::Range<usize>> {
    let rest = s.strip_prefix("arn:")?;
    let mut at = 4;
    let mut parts = rest.splitn(5, ':');
    for _ in 0..3 {
        at += parts.next()?.len() + 1;
    }
    let account = parts.next()?;
    parts.next()?;
    account
        .starts_with("account-")
        .then_some(at..at + account.len())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::{ResourceQuery, TagFilter};

    fn groups() -> Vec<Group> {
        let mut web = Group::new(
            "web",
            ResourceQuery::tags(vec![TagFilter {
                key: "Stage".into(),
                values: vec!["Prod".into()],
            }]),
        );
        web.arn = Some("arn:aws:resource-groups:us-east-1:318420957164:group/web".into());
        web.description = "Front end of the shop".into();
        let mut stack = Group::new(
            "stack",
            ResourceQuery::Stack {
                resource_types: vec!["AWS::AllSupported".into()],
                stack_identifier: Some(
                    "arn:aws:cloudformation:eu-west-1:555566667777:stack/shop/1a2b".into(),
                ),
            },
        );
        stack.arn = Some("arn:aws:resource-groups:eu-west-1:318420957164:group/stack".into());
        vec![stack, web]
    }

    #[test]
    fn a_shared_export_has_aliases_instead_of_accounts_and_no_descriptions_and_maps_back_here() {
        let shared = export_shared(&groups(), "x1").unwrap();
        for secret in ["318420957164", "555566667777", "Front end"] {
            assert!(!shared.json.contains(secret), "{secret}");
        }
        // Stable within the export, in order of first appearance.
        assert!(shared
            .json
            .contains("arn:aws:resource-groups:eu-west-1:account-1:group/stack"));
        assert!(shared
            .json
            .contains("arn:aws:cloudformation:eu-west-1:account-2:stack/shop/1a2b"));
        assert!(shared
            .json
            .contains("arn:aws:resource-groups:us-east-1:account-1:group/web"));
        assert_eq!(
            shared.map.aliases,
            BTreeMap::from([
                ("account-1".to_owned(), "318420957164".to_owned()),
                ("account-2".to_owned(), "555566667777".to_owned()),
            ])
        );

        // Imported here: the accounts come back, and the import reads the same groups.
        let maps = AliasMaps::default().with(shared.map.clone());
        let (restored, mapped) = restore(&shared.json, &maps);
        assert_eq!(mapped, Some(true));
        let preview = super::super::transfer::preview_import(&restored, &[]).unwrap();
        assert!(preview.rejected.is_empty(), "{:?}", preview.rejected);
        let mut back = preview.new.clone();
        crate::sort::sort_by(&mut back, |a, b| a.name.cmp(&b.name));
        let mut want = groups();
        for g in &mut want {
            g.description.clear();
        }
        assert_eq!(back, want);
        // Elsewhere (no map): the aliases stay and the file says so.
        let (elsewhere, mapped) = restore(&shared.json, &AliasMaps::default());
        assert_eq!(mapped, Some(false));
        assert!(elsewhere.contains("account-2"));
        // Any other file is left alone.
        assert_eq!(restore("{\"Groups\": []}", &maps).1, None);
    }

    #[test]
    fn aliases_leave_aws_and_earlier_aliases_alone_and_never_name_what_was_found() {
        let mut gs = groups();
        // Imported earlier from another browser's shared export: its alias stays its own.
        gs[1].arn = Some("arn:aws:resource-groups:us-east-1:account-1:group/web".into());
        let shared = export_shared(&gs, "x2").unwrap();
        assert!(shared
            .json
            .contains("arn:aws:resource-groups:us-east-1:account-1:group/web"));
        assert!(shared
            .json
            .contains("arn:aws:resource-groups:eu-west-1:account-2:group/stack"));
        assert_eq!(
            shared.map.aliases.keys().collect::<Vec<_>>(),
            ["account-2", "account-3"]
        );
        assert!(shared.map.is_well_formed());
        // Back here, only this export's aliases map back.
        let (back, _) = restore(&shared.json, &AliasMaps::default().with(shared.map));
        assert!(back.contains("account-1:group/web"));
        assert!(back.contains("318420957164:group/stack"));
        // A flagged tag key is reported by position, not quoted.
        let mut bad = groups();
        bad[0].tags.insert("acct-318420957164".into(), "x".into());
        let problems = export_shared(&bad, "x3").unwrap_err();
        assert!(
            problems.iter().all(|p| !p.contains("318420957164")),
            "{problems:?}"
        );
    }

    #[test]
    fn only_well_formed_maps_are_kept() {
        let good = AliasMap {
            id: "x1".into(),
            aliases: BTreeMap::from([("account-1".to_owned(), "318420957164".to_owned())]),
        };
        let maps = AliasMaps::default().with(good.clone());
        assert_eq!(AliasMaps::decode(&maps.encode()), maps);
        for bad in [
            ("account-1", "card 4111111111111111"),
            ("name", "318420957164"),
            ("account-1", "31842095716"),
        ] {
            let m = AliasMap {
                id: "x2".into(),
                aliases: BTreeMap::from([(bad.0.to_owned(), bad.1.to_owned())]),
            };
            assert!(!m.is_well_formed());
            assert_eq!(
                AliasMaps::decode(&AliasMaps(vec![good.clone(), m]).encode()),
                maps
            );
        }
        assert_eq!(AliasMaps::decode("not json"), AliasMaps::default());
        let many = (0..60).fold(AliasMaps::default(), |acc, i| {
            acc.with(AliasMap {
                id: format!("e{i}"),
                aliases: BTreeMap::new(),
            })
        });
        assert_eq!(many.0.len(), MAPS_MAX);
        assert_eq!(many.0[0].id, "e10");
    }

    #[test]
    fn the_store_keeps_alias_maps_and_nothing_else_under_their_key() {
        use crate::store::settings::SettingKey;
        use crate::store::{Batch, Op};
        let put = |v: &str| Batch {
            ops: vec![Op::PutSetting(
                SettingKey::SharedAliases.as_str().into(),
                v.into(),
            )],
            ..Batch::default()
        };
        let maps = AliasMaps::default().with(export_shared(&groups(), "x1").unwrap().map);
        assert!(put(&maps.encode()).check().is_ok());
        // Free text with an account ID, or a map with more than aliases, is refused.
        assert!(put("acct 318420957164").check().is_err());
        assert!(
            put(r#"[{"id":"x","aliases":{"account-1":"318420957164 note"}}]"#)
                .check()
                .is_err()
        );
        // Any other setting still goes through the guard.
        let other = Batch {
            ops: vec![Op::PutSetting("finder.saved".into(), maps.encode())],
            ..Batch::default()
        };
        assert!(other.check().is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_text_restores_without_panicking(text in proptest::prelude::any::<String>()) {
            let maps = AliasMaps::default();
            let _ = restore(&text, &maps);
            let _ = alias_range(&text);
            let _ = AliasMaps::decode(&text);
        }
    }
}
