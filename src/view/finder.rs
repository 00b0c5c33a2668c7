//! The finder's filter language (the Resources page), in the style of Cloudscape's property
//! filter: a line of tokens, all of which a resource must match.
//!
//! | token              | matches a resource that…                                   |
//! |--------------------|------------------------------------------------------------|
//! | `key=value`        | has the tag `key` with exactly `value`                     |
//! | `key=`             | has the tag `key` with an empty value                      |
//! | `key!=value`       | does not have `key` = `value` (untagged ones included)     |
//! | `key:prefix`       | has `key` with a value that starts with `prefix`           |
//! | `key exists`       | has the tag `key`, whatever the value                      |
//! | `key missing`      | is not tagged with `key`                                   |
//! | `type=…`           | is of this type (`AWS::EC2::Instance`; case does not matter) |
//! | `service=`, `region=`, `account=` | has this service, region or account in its ARN |
//! | anything else      | contains the text (any case) in its ARN, type, a key or a value |
//!
//! Tokens are separated by spaces; double quotes keep spaces and operators inside
//! (`"Cost Center"="R&D 2"`, with `\"` and `\\`). A quoted key is always a tag key, so a tag
//! called `type` is `"type"=x`. Tag keys often hold `:` (`aws:cloudformation:stack-name`), so
//! `=` and `!=` are looked for first, and `:` is the last one in the token. An ARN or a piece
//! of one (`arn:aws:s3`, `:::bucket`) is searched as text.
//!
//! [`Filter::to_text`] writes the canonical text, which [`Filter::parse`] reads back to the
//! same filter: what the URL's `?q=` holds.

use crate::model::arn::Arn;
use crate::model::index::InventoryIndex;
use crate::model::inventory::Resource;
use crate::model::query::{ResourceQuery, TagFilter, ALL_SUPPORTED};

/// A part of the ARN or the type, for `type=`, `service=`, `region=`, `account=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    Type,
    Service,
    Region,
    Account,
}

impl Property {
    pub const ALL: [Property; 4] = [
        Property::Type,
        Property::Service,
        Property::Region,
        Property::Account,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::Type => "type",
            Property::Service => "service",
            Property::Region => "region",
            Property::Account => "account",
        }
    }

    fn parse(word: &str) -> Option<Property> {
        Property::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(word))
    }
}

/// One token of a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Equals {
        key: String,
        value: String,
    },
    NotEquals {
        key: String,
        value: String,
    },
    Prefix {
        key: String,
        prefix: String,
    },
    Exists(String),
    Missing(String),
    /// `untagged`: no tag but AWS's own (`aws:`), which a person cannot add or remove.
    Untagged,
    Is {
        property: Property,
        value: String,
    },
    IsNot {
        property: Property,
        value: String,
    },
    Text(String),
}

impl Token {
    /// How the token reads in the filter line and on its chip.
    pub fn to_text(&self) -> String {
        match self {
            Token::Equals { key, value } => format!("{}={}", quote_key(key), quote(value)),
            Token::NotEquals { key, value } => format!("{}!={}", quote_key(key), quote(value)),
            Token::Prefix { key, prefix } => format!("{}:{}", quote_key(key), quote(prefix)),
            Token::Exists(key) => format!("{} exists", quote_key(key)),
            Token::Missing(key) => format!("{} missing", quote_key(key)),
            Token::Untagged => "untagged".to_owned(),
            Token::Is { property, value } => format!("{}={}", property.name(), quote(value)),
            Token::IsNot { property, value } => format!("{}!={}", property.name(), quote(value)),
            Token::Text(t) => quote_text(t),
        }
    }
}

/// Characters that need quotes in a value: spaces, quotes, backslashes, and (so that the text
/// reads back as the same token) the operators.
fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\\' | '=' | ':' | '!'))
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn quote(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else if needs_quotes(value) {
        quoted(value)
    } else {
        value.to_owned()
    }
}

/// A key is quoted when it needs it or when it reads as a property name.
fn quote_key(key: &str) -> String {
    if needs_quotes(key) || Property::parse(key).is_some() {
        quoted(key)
    } else {
        key.to_owned()
    }
}

/// Free text is quoted when it would read as something else.
fn quote_text(t: &str) -> String {
    if needs_quotes(t)
        || ["exists", "missing", "untagged"]
            .iter()
            .any(|w| t.eq_ignore_ascii_case(w))
    {
        quoted(t)
    } else {
        t.to_owned()
    }
}

/// A piece of a word: its text and whether it came from quotes.
#[derive(Clone, Debug, Default, PartialEq)]
struct Piece {
    text: String,
    quoted: bool,
}

/// A word of the line, as characters tagged "inside quotes" or not.
type Word = Vec<(char, bool)>;

/// Splits a line into words on unquoted whitespace; quotes are dropped, escapes resolved.
/// An unclosed quote runs to the end of the line.
fn words(line: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut word: Word = Vec::new();
    let mut in_quotes = false;
    let mut had_quotes = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                had_quotes = true;
            }
            '\\' if in_quotes => {
                if let Some(n) = chars.next() {
                    word.push((n, true));
                }
            }
            c if c.is_whitespace() && !in_quotes => {
                if !word.is_empty() || had_quotes {
                    out.push(std::mem::take(&mut word));
                }
                had_quotes = false;
            }
            c => word.push((c, in_quotes)),
        }
    }
    if !word.is_empty() || had_quotes {
        out.push(word);
    }
    out
}

fn piece(chars: &[(char, bool)]) -> Piece {
    Piece {
        text: chars.iter().map(|(c, _)| *c).collect(),
        quoted: chars.iter().any(|(_, q)| *q),
    }
}

/// The operator of a word, outside quotes: the first `!=` or `=`, else the last `:`.
fn split(word: &[(char, bool)]) -> Option<(Piece, &'static str, Piece)> {
    let unquoted = |i: usize| word.get(i).is_some_and(|(_, q)| !q);
    if let Some(i) = (0..word.len()).find(|&i| unquoted(i) && word[i].0 == '=') {
        let key_end = if i > 0 && unquoted(i - 1) && word[i - 1].0 == '!' {
            i - 1
        } else {
            i
        };
        let op = if key_end < i { "!=" } else { "=" };
        return Some((piece(&word[..key_end]), op, piece(&word[i + 1..])));
    }
    let i = (0..word.len())
        .rev()
        .find(|&i| unquoted(i) && word[i].0 == ':')?;
    Some((piece(&word[..i]), ":", piece(&word[i + 1..])))
}

fn looks_like_arn(text: &str) -> bool {
    crate::model::text::strip_prefix_ignore_ascii_case(text, "arn:").is_some()
        || text.eq_ignore_ascii_case("arn")
}

/// A parsed filter: every token must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub tokens: Vec<Token>,
}

impl Filter {
    /// Reads a filter line. Never fails: what is not a token is free text.
    pub fn parse(line: &str) -> Filter {
        let words = words(line);
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let word = &words[i];
            let next = words.get(i + 1).map(|w| piece(w));
            let keyword = next
                .as_ref()
                .filter(|n| !n.quoted)
                .map(|n| n.text.to_ascii_lowercase());
            if let Some(k @ ("exists" | "missing")) = keyword.as_deref() {
                if split(word).is_none() && !word.is_empty() {
                    let key = piece(word).text;
                    tokens.push(if k == "exists" {
                        Token::Exists(key)
                    } else {
                        Token::Missing(key)
                    });
                    i += 2;
                    continue;
                }
            }
            tokens.push(match split(word) {
                Some((key, _, _)) if key.text.is_empty() => Token::Text(piece(word).text),
                // An ARN, or a piece of one (`arn:aws:s3`, `:::bucket`), is searched as text.
                Some((key, ":", _))
                    if !key.quoted
                        && (looks_like_arn(&key.text) || key.text.chars().all(|c| c == ':')) =>
                {
                    Token::Text(piece(word).text)
                }
                Some((key, op, value)) => {
                    let property = (!key.quoted)
                        .then(|| Property::parse(&key.text))
                        .flatten()
                        .filter(|_| op != ":");
                    match (property, op) {
                        (Some(property), "=") => Token::Is {
                            property,
                            value: value.text,
                        },
                        (Some(property), _) => Token::IsNot {
                            property,
                            value: value.text,
                        },
                        (None, "=") => Token::Equals {
                            key: key.text,
                            value: value.text,
                        },
                        (None, "!=") => Token::NotEquals {
                            key: key.text,
                            value: value.text,
                        },
                        (None, _) => Token::Prefix {
                            key: key.text,
                            prefix: value.text,
                        },
                    }
                }
                None => {
                    let p = piece(word);
                    if !p.quoted && p.text.eq_ignore_ascii_case("untagged") {
                        Token::Untagged
                    } else {
                        Token::Text(p.text)
                    }
                }
            });
            i += 1;
        }
        tokens.retain(|t| !matches!(t, Token::Text(s) if s.is_empty()));
        Filter { tokens }
    }

    /// The canonical line: [`Filter::parse`] of it gives this filter back.
    pub fn to_text(&self) -> String {
        self.tokens
            .iter()
            .map(Token::to_text)
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The filter without its token at `index` (a chip removed).
    pub fn without(&self, index: usize) -> Filter {
        let mut tokens = self.tokens.clone();
        if index < tokens.len() {
            tokens.remove(index);
        }
        Filter { tokens }
    }

    /// Whether a resource matches, given its precomputed [`RowFacts`]. For many resources,
    /// [`FinderMatches::update`] (the free text is lower-cased once, not per resource).
    pub fn matches(&self, r: &Resource, facts: &RowFacts) -> bool {
        let lower = self.lower_texts();
        self.tokens
            .iter()
            .zip(&lower)
            .all(|(t, l)| token_matches(t, l, r, &facts.parts, &facts.text))
    }

    /// The free-text tokens in lower case (empty for the others), in token order.
    fn lower_texts(&self) -> Vec<String> {
        self.tokens
            .iter()
            .map(|t| match t {
                Token::Text(t) => t.to_lowercase(),
                _ => String::new(),
            })
            .collect()
    }

    /// Whether everything this filter matches is also matched by `older`, so that its matches
    /// can be found among the older ones: it keeps every older token and adds some, or only
    /// its last token grew (free text that got longer, a prefix that got longer).
    pub fn narrows(&self, older: &Filter) -> bool {
        let n = older.tokens.len();
        if self.tokens.len() > n && self.tokens.get(..n) == Some(older.tokens.as_slice()) {
            return true;
        }
        if self.tokens.len() != n || n == 0 {
            return self.tokens == older.tokens;
        }
        if self.tokens.get(..n - 1) != older.tokens.get(..n - 1) {
            return false;
        }
        match (self.tokens.last(), older.tokens.last()) {
            (Some(Token::Text(new)), Some(Token::Text(old))) => {
                new.to_lowercase().contains(&old.to_lowercase())
            }
            (
                Some(Token::Prefix { key, prefix }),
                Some(Token::Prefix {
                    key: old_key,
                    prefix: old_prefix,
                }),
            ) => key == old_key && prefix.starts_with(old_prefix.as_str()),
            (a, b) => a == b,
        }
    }

    /// The same filter as a group query, where a query can say it: `key=value` (values of one
    /// key ORed when the key appears once per token kind), `key exists`, and `type=`. Anything
    /// else (`!=`, `missing`, prefixes, ARN parts, free text) has no query form: the reason
    /// names the first such token.
    pub fn to_query(&self) -> Result<ResourceQuery, String> {
        let mut filters: Vec<TagFilter> = Vec::new();
        let mut types: Vec<String> = Vec::new();
        for t in &self.tokens {
            match t {
                Token::Equals { key, .. } | Token::Exists(key) => {
                    if filters.iter().any(|f| &f.key == key) {
                        return Err(format!(
                            "\u{201c}{key}\u{201d} appears twice: a group query can only OR the values of one key, and this filter ANDs them."
                        ));
                    }
                    filters.push(TagFilter {
                        key: key.clone(),
                        values: match t {
                            Token::Equals { value, .. } => vec![value.clone()],
                            _ => Vec::new(),
                        },
                    });
                }
                Token::Is {
                    property: Property::Type,
                    value,
                } if types.is_empty() => types.push(value.clone()),
                other => {
                    return Err(format!(
                        "A group query cannot express \u{201c}{}\u{201d}: only key=value, key exists and one type= can become a query.",
                        other.to_text()
                    ))
                }
            }
        }
        if filters.is_empty() {
            return Err("A tag-based group needs at least one key=value or key exists.".into());
        }
        Ok(ResourceQuery::Tags {
            resource_types: if types.is_empty() {
                vec![ALL_SUPPORTED.to_owned()]
            } else {
                types
            },
            tag_filters: filters,
        })
    }
}

/// The parts of a resource's ARN the filter reads (`service=`, `region=`, `account=`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArnParts {
    pub service: Box<str>,
    pub region: Box<str>,
    pub account: Box<str>,
}

impl ArnParts {
    pub fn of(arn: &str) -> ArnParts {
        match Arn::parse(arn) {
            Ok(a) => ArnParts {
                service: a.service.into(),
                region: a.region.into(),
                account: a.account.into(),
            },
            Err(_) => ArnParts::default(),
        }
    }
}

/// What the filter reads of a resource besides its tags: the ARN's parts, found once per
/// change of the inventory rather than per keystroke, and the search text in lower case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowFacts {
    pub parts: ArnParts,
    /// ARN, type, keys and values, lower-cased, separated by U+0000.
    pub text: Box<str>,
}

impl RowFacts {
    pub fn of(r: &Resource) -> RowFacts {
        RowFacts {
            parts: ArnParts::of(&r.arn),
            text: search_text(r),
        }
    }
}

fn search_text(r: &Resource) -> Box<str> {
    let mut text = String::with_capacity(r.arn.len() + r.resource_type.len() + 32);
    for piece in [r.arn.as_str(), r.resource_type.as_str()]
        .into_iter()
        .chain(r.tags.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]))
    {
        if !text.is_empty() {
            text.push('\u{0}');
        }
        text.push_str(&piece.to_lowercase());
    }
    text.into_boxed_str()
}

/// AWS's own keys (`aws:…`, any case): written by AWS, reserved for it.
fn is_aws_key(key: &str) -> bool {
    crate::model::text::strip_prefix_ignore_ascii_case(key, "aws:").is_some()
}

fn tag<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    r.tags
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn property<'a>(p: Property, r: &'a Resource, parts: &'a ArnParts) -> &'a str {
    match p {
        Property::Type => &r.resource_type,
        Property::Service => &parts.service,
        Property::Region => &parts.region,
        Property::Account => &parts.account,
    }
}

/// One token against one resource; `lower` is the token's text in lower case (free text
/// only), `text` the resource's search text.
fn token_matches(t: &Token, lower: &str, r: &Resource, parts: &ArnParts, text: &str) -> bool {
    match t {
        Token::Equals { key, value } => tag(r, key) == Some(value.as_str()),
        Token::NotEquals { key, value } => tag(r, key) != Some(value.as_str()),
        Token::Prefix { key, prefix } => {
            tag(r, key).is_some_and(|v| v.starts_with(prefix.as_str()))
        }
        Token::Exists(key) => tag(r, key).is_some(),
        Token::Missing(key) => tag(r, key).is_none(),
        Token::Untagged => r.tags.iter().all(|(k, _)| is_aws_key(k)),
        Token::Is { property: p, value } => property(*p, r, parts).eq_ignore_ascii_case(value),
        Token::IsNot { property: p, value } => !property(*p, r, parts).eq_ignore_ascii_case(value),
        Token::Text(_) => text.contains(lower),
    }
}

/// The [`RowFacts`] of every resource of the inventory, in its order, kept as two lists (the
/// search texts alone are what free text scans, so they stay small and close together): built
/// once per change of the inventory, never per keystroke.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinderRows {
    texts: Vec<Box<str>>,
    parts: Vec<ArnParts>,
}

impl FinderRows {
    pub fn build(resources: &[Resource]) -> Self {
        FinderRows {
            texts: resources.iter().map(search_text).collect(),
            parts: resources.iter().map(|r| ArnParts::of(&r.arn)).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// The ARN parts of every resource, in inventory order.
    pub fn parts(&self) -> &[ArnParts] {
        &self.parts
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// The positions (in inventory order) of the resources a filter matches. A keystroke that
/// narrows the filter (see [`Filter::narrows`]) looks only at the last matches, so typing a
/// longer word gets quicker, not slower.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinderMatches {
    filter: Filter,
    /// Which inventory the positions are of (the caller's counter): older matches of another
    /// inventory are never narrowed.
    generation: u64,
    positions: Vec<usize>,
}

/// A token compiled against the inventory's index: tag keys and values become ids, a value
/// prefix the set of values that have it, so that checking a resource is integer
/// comparisons, not string scans.
enum Check {
    /// `key=value` (`negate`: `!=`); `None` ids: no resource has that key or value.
    Value {
        key: Option<u32>,
        value: Option<u32>,
        negate: bool,
    },
    /// `key exists` (`negate`: `missing`).
    Has { key: Option<u32>, negate: bool },
    Prefix {
        key: Option<u32>,
        values: std::collections::HashSet<u32>,
    },
    /// Tokens on the ARN's parts or the type: as [`token_matches`].
    Other(usize),
    /// Free text, lower-cased.
    Text(String),
}

fn compile(filter: &Filter, index: &InventoryIndex) -> Vec<Check> {
    filter
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| match t {
            Token::Equals { key, value } | Token::NotEquals { key, value } => Check::Value {
                key: index.string_id(key),
                value: index.string_id(value),
                negate: matches!(t, Token::NotEquals { .. }),
            },
            Token::Exists(key) | Token::Missing(key) => Check::Has {
                key: index.string_id(key),
                negate: matches!(t, Token::Missing(_)),
            },
            Token::Prefix { key, prefix } => Check::Prefix {
                key: index.string_id(key),
                values: index.ids_with_prefix(prefix),
            },
            Token::Text(text) => Check::Text(text.to_lowercase()),
            Token::Is { .. } | Token::IsNot { .. } | Token::Untagged => Check::Other(i),
        })
        .collect()
}

impl FinderMatches {
    /// The matches of `filter`. `index` must be the index of `resources` (same order), as
    /// `rows` must be their facts.
    pub fn update(
        previous: Option<&FinderMatches>,
        generation: u64,
        resources: &[Resource],
        rows: &FinderRows,
        index: &InventoryIndex,
        filter: &Filter,
    ) -> FinderMatches {
        let checks = compile(filter, index);
        let hit = |i: usize| {
            checks.iter().all(|c| match c {
                Check::Value { key, value, negate } => {
                    let found = match (key, value) {
                        (Some(k), Some(v)) => index.tag_value(i, *k) == Some(*v),
                        _ => false,
                    };
                    found != *negate
                }
                Check::Has { key, negate } => {
                    key.is_some_and(|k| index.tag_value(i, k).is_some()) != *negate
                }
                Check::Prefix { key, values } => key
                    .and_then(|k| index.tag_value(i, k))
                    .is_some_and(|v| values.contains(&v)),
                Check::Text(lower) => rows
                    .texts
                    .get(i)
                    .is_some_and(|t| t.contains(lower.as_str())),
                Check::Other(t) => {
                    match (filter.tokens.get(*t), resources.get(i), rows.parts.get(i)) {
                        (Some(token), Some(r), Some(parts)) => {
                            token_matches(token, "", r, parts, "")
                        }
                        _ => false,
                    }
                }
            })
        };
        let positions = match previous {
            Some(p) if p.generation == generation && filter.narrows(&p.filter) => {
                p.positions.iter().copied().filter(|&i| hit(i)).collect()
            }
            _ => (0..resources.len().min(rows.len()))
                .filter(|&i| hit(i))
                .collect(),
        };
        FinderMatches {
            filter: filter.clone(),
            generation,
            positions,
        }
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

/// A named filter line the person saved (kept in the store's settings, so in a backup and in
/// every tab).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SavedFilter {
    pub name: String,
    pub q: String,
}

/// The saved filters, by name (a name is unique; saving under it again replaces the line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavedFilters(pub Vec<SavedFilter>);

/// At most this many saved filters (the setting stays small).
pub const SAVED_MAX: usize = 50;

impl SavedFilters {
    /// From the stored setting; absent or unreadable means none (never an error).
    pub fn decode(stored: Option<&str>) -> SavedFilters {
        let mut list: Vec<SavedFilter> = stored
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        list.retain(|f| !f.name.trim().is_empty());
        list.truncate(SAVED_MAX);
        SavedFilters(list)
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into())
    }

    /// With `q` saved under `name` (trimmed; replacing a filter of that name, else added and
    /// kept in name order). `None` when the name is empty or the list is full.
    pub fn with(&self, name: &str, q: &str) -> Option<SavedFilters> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut list = self.0.clone();
        let full = list.len() >= SAVED_MAX;
        match list.iter_mut().find(|f| f.name == name) {
            Some(f) => f.q = q.to_owned(),
            None if full => return None,
            None => list.push(SavedFilter {
                name: name.to_owned(),
                q: q.to_owned(),
            }),
        }
        crate::sort::sort_by(&mut list, |a, b| a.name.cmp(&b.name));
        Some(SavedFilters(list))
    }

    pub fn without(&self, name: &str) -> SavedFilters {
        SavedFilters(self.0.iter().filter(|f| f.name != name).cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(key: &str, value: &str) -> Token {
        Token::Equals {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn the_language_reads_as_documented() {
        let f = Filter::parse(
            r#"Stage=prod 環境!=本番 Name:web- Owner exists CostCenter missing type=AWS::S3::Bucket region=eu-west-1 db "Cost Center"="R&D 2" Empty= aws:cloudformation:stack-name=my-stack "type"=x"#,
        );
        assert_eq!(
            f.tokens,
            [
                eq("Stage", "prod"),
                Token::NotEquals {
                    key: "環境".into(),
                    value: "本番".into()
                },
                Token::Prefix {
                    key: "Name".into(),
                    prefix: "web-".into()
                },
                Token::Exists("Owner".into()),
                Token::Missing("CostCenter".into()),
                Token::Is {
                    property: Property::Type,
                    value: "AWS::S3::Bucket".into()
                },
                Token::Is {
                    property: Property::Region,
                    value: "eu-west-1".into()
                },
                Token::Text("db".into()),
                eq("Cost Center", "R&D 2"),
                eq("Empty", ""),
                eq("aws:cloudformation:stack-name", "my-stack"),
                eq("type", "x"),
            ]
        );
        assert_eq!(Filter::parse("   ").tokens, []);
        assert_eq!(
            Filter::parse(r#""exists" "a \"b\" \\ c""#).tokens,
            [
                Token::Text("exists".into()),
                Token::Text(r#"a "b" \ c"#.into())
            ]
        );
        assert_eq!(Filter::parse("=x").tokens, [Token::Text("=x".into())]);
        for arn in ["arn:aws:s3:::logs", ":::b", "ARN:aws", "arn:"] {
            assert_eq!(
                Filter::parse(arn).tokens,
                [Token::Text(arn.into())],
                "{arn}"
            );
        }
        assert_eq!(
            Filter::parse("account!=123456789012").tokens,
            [Token::IsNot {
                property: Property::Account,
                value: "123456789012".into()
            }]
        );
        // An unclosed quote runs to the end.
        assert_eq!(
            Filter::parse(r#""open ended"#).tokens,
            [Token::Text("open ended".into())]
        );
    }

    #[test]
    fn the_canonical_text_reads_back() {
        for line in [
            r#"Stage=prod 環境!=本番 Name:web- Owner exists CostCenter missing type=AWS::S3::Bucket"#,
            r#""Cost Center"="R&D 2" Empty= "type"=x "exists" "a=b":c region!=us-east-1 😀 مرحبا"#,
            r#"k="" "quote\"d"=v "x y" missing"#,
        ] {
            let f = Filter::parse(line);
            assert_eq!(Filter::parse(&f.to_text()), f, "{}", f.to_text());
        }
        let f = Filter::parse("a=1 b=2 c exists");
        assert_eq!(f.without(1).to_text(), "a=1 c exists");
        assert_eq!(f.without(9), f);
    }

    fn resources() -> Vec<Resource> {
        let mk = |arn: &str, tags: &[(&str, &str)]| {
            Resource::new(
                arn,
                None,
                tags.iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            )
            .unwrap()
        };
        vec![
            mk(
                "arn:aws:s3:::logs-bucket",
                &[("Stage", "prod"), ("Empty", "")],
            ),
            mk(
                "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
                &[("Stage", "dev"), ("Name", "web-1"), ("環境", "本番")],
            ),
            mk("arn:aws:sqs:us-east-1:210987654321:jobs", &[]),
            mk(
                "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
                &[("Name", "Web-Orders")],
            ),
        ]
    }

    fn matching(line: &str) -> Vec<usize> {
        let rs = resources();
        let f = Filter::parse(line);
        rs.iter()
            .enumerate()
            .filter(|(_, r)| f.matches(r, &RowFacts::of(r)))
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn tokens_match_as_documented() {
        assert_eq!(matching("Stage=prod"), [0]);
        assert_eq!(matching("Stage!=prod"), [1, 2, 3]);
        assert_eq!(matching("Name:web"), [1], "prefix, case kept");
        assert_eq!(matching("Name exists"), [1, 3]);
        assert_eq!(matching("Stage missing"), [2, 3]);
        assert_eq!(matching("Empty="), [0]);
        assert_eq!(matching("region=eu-west-1"), [1, 3]);
        assert_eq!(matching("region="), [0], "S3 ARNs have no region");
        assert_eq!(matching("account=123456789012 service=dynamodb"), [3]);
        assert_eq!(matching("type=aws::ec2::instance"), [1]);
        assert_eq!(matching("WEB"), [1, 3], "free text in any case");
        assert_eq!(matching("本番"), [1]);
        assert_eq!(matching(":::logs"), [0]);
        assert_eq!(matching("arn:aws:ec2"), [1]);
        assert_eq!(matching(""), [0, 1, 2, 3]);
        assert_eq!(matching("untagged"), [2]);
        assert_eq!(matching("UNTAGGED service=sqs"), [2]);
        assert_eq!(
            matching("\"untagged\""),
            [] as [usize; 0],
            "quoted: free text"
        );
        let only_aws = Resource::new(
            "arn:aws:sns:us-east-1:123456789012:t",
            None,
            vec![("aws:cloudformation:stack-name".into(), "web".into())],
        )
        .unwrap();
        assert!(Filter::parse("untagged").matches(&only_aws, &RowFacts::of(&only_aws)));
        assert_eq!(
            Filter::parse("untagged \"untagged\"").to_text(),
            "untagged \"untagged\""
        );
        assert!(Filter::parse("untagged").to_query().is_err());
    }

    #[test]
    fn what_a_query_can_say_becomes_one() {
        let q = Filter::parse("Stage=prod Owner exists type=AWS::EC2::Instance")
            .to_query()
            .unwrap();
        assert_eq!(
            q.to_query_json(),
            r#"{"ResourceTypeFilters":["AWS::EC2::Instance"],"TagFilters":[{"Key":"Stage","Values":["prod"]},{"Key":"Owner","Values":[]}]}"#
        );
        for line in [
            "Stage missing",
            "Stage!=x",
            "Name:w",
            "web",
            "region=x",
            "a=1 a=2",
            "",
        ] {
            assert!(Filter::parse(line).to_query().is_err(), "{line}");
        }
    }

    #[test]
    fn narrowing_finds_the_same_as_a_full_scan() {
        let rs = resources();
        let rows = FinderRows::build(&rs);
        let mut previous: Option<FinderMatches> = None;
        for line in [
            "w",
            "we",
            "web",
            "web Name exists",
            "web Name:W",
            "web Name:We",
            "Stage",
            "",
            "本",
            "本番",
            "ec2 region=eu-west-1",
        ] {
            let f = Filter::parse(line);
            let got = FinderMatches::update(
                previous.as_ref(),
                1,
                &rs,
                &rows,
                &InventoryIndex::build(&rs),
                &f,
            );
            let full = FinderMatches::update(None, 1, &rs, &rows, &InventoryIndex::build(&rs), &f);
            assert_eq!(got.positions(), full.positions(), "{line}");
            assert_eq!(got.positions(), matching(line).as_slice(), "{line}");
            previous = Some(got);
        }
        // Another inventory: never narrowed from the old positions.
        let shorter = rs[..1].to_vec();
        let rows = FinderRows::build(&shorter);
        let f = Filter::parse("");
        let got = FinderMatches::update(
            previous.as_ref(),
            2,
            &shorter,
            &rows,
            &InventoryIndex::build(&shorter),
            &f,
        );
        assert_eq!(got.len(), 1);
        assert!(Filter::parse("web x").narrows(&Filter::parse("web")));
        assert!(Filter::parse("Web").narrows(&Filter::parse("we")));
        assert!(!Filter::parse("we").narrows(&Filter::parse("web")));
        assert!(!Filter::parse("a=1").narrows(&Filter::parse("a=12")));
        assert!(!Filter::parse("").narrows(&Filter::parse("x")));
    }

    /// The benchmark's inventory shape (Team and Stage on every resource, Name on every one,
    /// some without Stage, some with an empty Team): untagged, missing-key and empty-value
    /// filters against a brute force written from the table in the module comment.
    #[test]
    fn untagged_missing_and_empty_filters_match_a_brute_force() {
        let teams = ["web", "data", "mobile", "", "security"];
        let stages = ["Dev", "Test", "Prod", "Staging"];
        let rs: Vec<Resource> = (0..2_000)
            .map(|i| {
                let mut tags = vec![("Team".to_owned(), teams[i % 5].to_owned())];
                if i % 7 != 0 {
                    tags.push(("Stage".to_owned(), stages[(i >> 3) % 4].to_owned()));
                }
                tags.push(("Name".to_owned(), format!("r{i}")));
                // Some with only AWS's own tag, some with none at all.
                if i % 11 == 0 {
                    tags = vec![("aws:cloudformation:stack-name".to_owned(), "web".to_owned())];
                }
                if i % 13 == 0 {
                    tags.clear();
                }
                let region = if i % 2 == 0 { "us-east-1" } else { "eu-west-1" };
                Resource::new(
                    &format!("arn:aws:ec2:{region}:000000000000:instance/i-{i:017x}"),
                    None,
                    tags,
                )
                .unwrap()
            })
            .collect();
        let get = |r: &Resource, k: &str| {
            r.tags
                .iter()
                .find(|(tk, _)| tk == k)
                .map(|(_, v)| v.clone())
        };
        type Keep<'a> = Box<dyn Fn(&Resource) -> bool + 'a>;
        let cases: Vec<(&str, Keep)> = vec![
            ("Stage missing", Box::new(|r| get(r, "Stage").is_none())),
            ("Owner missing", Box::new(|_| true)),
            (
                "untagged",
                Box::new(|r| r.tags.iter().all(|(k, _)| k.starts_with("aws:"))),
            ),
            (
                "untagged region=us-east-1",
                Box::new(|r| {
                    r.tags.iter().all(|(k, _)| k.starts_with("aws:"))
                        && r.arn.contains(":us-east-1:")
                }),
            ),
            ("Team=", Box::new(|r| get(r, "Team").as_deref() == Some(""))),
            (
                "Stage!=Prod",
                Box::new(|r| get(r, "Stage").as_deref() != Some("Prod")),
            ),
            (
                "Stage exists Team=web",
                Box::new(|r| get(r, "Stage").is_some() && get(r, "Team").as_deref() == Some("web")),
            ),
            (
                "Name:r19",
                Box::new(|r| get(r, "Name").is_some_and(|n| n.starts_with("r19"))),
            ),
            (
                "region=eu-west-1 Stage missing",
                Box::new(|r| r.arn.contains(":eu-west-1:") && get(r, "Stage").is_none()),
            ),
        ];
        let rows = FinderRows::build(&rs);
        let index = InventoryIndex::build(&rs);
        for (line, keep) in cases {
            let got = FinderMatches::update(None, 1, &rs, &rows, &index, &Filter::parse(line));
            let want: Vec<usize> = (0..rs.len()).filter(|&i| keep(&rs[i])).collect();
            assert_eq!(got.positions(), want.as_slice(), "{line}");
            assert!(
                !want.is_empty() || line == "Team=",
                "{line} should find something"
            );
        }
    }

    #[test]
    fn saved_filters_round_trip_and_replace_by_name() {
        let none = SavedFilters::decode(None);
        assert!(none.0.is_empty());
        assert_eq!(SavedFilters::decode(Some("not json")), none);
        let a = none
            .with(" 本番 untagged ", "環境=本番 Owner missing")
            .unwrap();
        let b = a.with("all queues", "service=sqs").unwrap();
        let c = b.with("本番 untagged", "環境=本番").unwrap();
        let names: Vec<&str> = c.0.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["all queues", "本番 untagged"]);
        assert_eq!(c.0[1].q, "環境=本番");
        assert_eq!(SavedFilters::decode(Some(&c.encode())), c);
        assert_eq!(c.without("all queues").0.len(), 1);
        assert!(c.with("   ", "x").is_none());
        let mut full = SavedFilters::default();
        for i in 0..SAVED_MAX {
            full = full.with(&format!("f{i:02}"), "x").unwrap();
        }
        assert!(full.with("one more", "x").is_none());
        assert!(
            full.with("f00", "y").is_some(),
            "replacing is always possible"
        );
    }
}
