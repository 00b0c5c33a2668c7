//! The sensitive-data guard: finds customers' account numbers and credentials in text that
//! people type into free-form fields (names, tags, descriptions) and in URLs (a backend
//! endpoint), so that they are stopped before anything is stored or sent.
//!
//! A leaf module: it imports nothing else of this crate. No `regex`: the scanners are written by
//! hand to keep the WebAssembly bundle small.
//!
//! - [`scan_name`]: AWS account IDs (also grouped or inside longer names and ARNs), payment card
//!   numbers (Luhn + issuer prefix), IBANs (mod-97 + country length), US routing numbers (ABA
//!   checksum), long numbers next to words such as "account" or "customer", AWS access key IDs
//!   and secret keys, and common service tokens (also glued to a word: `runner-ghp_…`),
//!   passwords in connection strings and other `name=value` text (`Password=…;`), and URLs
//!   inside the text (`postgres://user:password@db/app`, `jdbc:mysql://…`) judged like
//!   [`scan_url`] does, except that a user name alone is let through (it reveals no secret).
//!   Fullwidth, circled and other compatibility digits and look-alike letters are normalised
//!   first.
//! - [`scan_url`]: user info before the host (WHATWG parsing, also scheme-relative `//u:p@host`,
//!   wrapped `jdbc:postgresql://…`, percent-encoded `u%3Ap%40`), secret-bearing query, fragment
//!   and path parameters, URLs nested in parameters or the fragment (plain or percent-encoded)
//!   that carry a password or secret parameter, and token shapes anywhere in the URL.
//! - [`scan_tag`]: a tag's key and value as names, and the value in the light of its key: under
//!   `AccountNumber` or `customer_id` a number of 8+ digits is an account number, under
//!   `db_password` or `ApiKey` a value that is no placeholder is a secret.
//!
//! Each [`Finding`] has a byte range (on character boundaries) into the scanned text, or into the
//! key or the value of a tag (see [`FindingPart`]), and a plain message that never repeats what
//! was found.

pub mod custom;
mod keys;
mod numbers;
mod settings;
mod text;
mod url;

use std::ops::Range;

use settings::KeyContext;
use text::MappedText;

/// The version of the rules below. Raise it whenever a change makes the guard find more (a new
/// kind, a wider shape): the app then audits stored data again on start and reports what the
/// new rules found in data saved under the old ones (`view::audit::needs_reaudit`).
pub const RULES_VERSION: u32 = 1;

/// What kind of sensitive data a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    /// A 12-digit AWS account ID.
    AwsAccountId,
    /// A payment card number.
    PaymentCard,
    /// An international bank account number.
    Iban,
    /// A bank or customer account number next to a word that says so.
    BankAccount,
    /// A US bank routing (ABA) number.
    RoutingNumber,
    /// An AWS access key ID (AKIA…, ASIA…).
    AwsAccessKeyId,
    /// An AWS secret access key.
    AwsSecretKey,
    /// An access token, API key or private key of some service.
    ApiToken,
    /// A user name and/or password before the host of a URL.
    UrlCredentials,
    /// A query, fragment or path parameter that carries a credential or signature.
    UrlSecretParameter,
    /// A password or key given as `name=value` in a connection string or other text
    /// (`Password=…;`, `Pwd=…`, `AccountKey=…`). Passwords in URL-style connection strings
    /// (`postgres://user:password@host`) are [`FindingKind::UrlCredentials`].
    ConnectionString,
    /// A tag value whose key names a password, token or secret (`db_password`, `ApiKey`).
    SecretTagValue,
    /// What one of the person's own detectors matches (`custom`): an organisation's
    /// customer number, ticket ID or code name.
    Custom,
    /// An email address: personal data. Found only in fields meant to name a person or team
    /// (a group's `Owner`, see [`scan_owner`]), where it is a warning: AWS documents the field
    /// as "a name, email address or other identifier", and its data-protection guidance still
    /// says to prefer a team alias or role to a person's address.
    EmailAddress,
}

impl FindingKind {
    /// A short label for badges and logs.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::AwsAccountId => "AWS account ID",
            FindingKind::PaymentCard => "payment card number",
            FindingKind::Iban => "IBAN",
            FindingKind::BankAccount => "account number",
            FindingKind::RoutingNumber => "bank routing number",
            FindingKind::AwsAccessKeyId => "AWS access key ID",
            FindingKind::AwsSecretKey => "AWS secret access key",
            FindingKind::ApiToken => "access token",
            FindingKind::UrlCredentials => "credentials in URL",
            FindingKind::UrlSecretParameter => "secret URL parameter",
            FindingKind::ConnectionString => "password in connection string",
            FindingKind::SecretTagValue => "secret tag value",
            FindingKind::Custom => "your own detector",
            FindingKind::EmailAddress => "email address",
        }
    }

    /// Whether this is a credential (as opposed to a customer's account number). Credentials
    /// block everywhere, also in descriptions, where account numbers only warn.
    pub fn is_credential(self) -> bool {
        // An exhaustive match, so that a new kind has to be decided here.
        match self {
            FindingKind::AwsAccountId
            | FindingKind::PaymentCard
            | FindingKind::Iban
            | FindingKind::BankAccount
            | FindingKind::RoutingNumber
            | FindingKind::Custom
            | FindingKind::EmailAddress => false,
            FindingKind::AwsAccessKeyId
            | FindingKind::AwsSecretKey
            | FindingKind::ApiToken
            | FindingKind::UrlCredentials
            | FindingKind::UrlSecretParameter
            | FindingKind::ConnectionString
            | FindingKind::SecretTagValue => true,
        }
    }

    /// Kinds found by a name alone (`Password=`, a tag key), not by the shape of the value: where
    /// a shape rule found a credential at the same place, that finding says more.
    fn by_name_only(self) -> bool {
        matches!(
            self,
            FindingKind::ConnectionString | FindingKind::SecretTagValue
        )
    }

    fn message(self) -> &'static str {
        match self {
            FindingKind::AwsAccountId => {
                "This looks like an AWS account ID (12 digits). Account numbers identify customers and must not be put in names or tags; use an alias instead."
            }
            FindingKind::PaymentCard => {
                "This looks like a payment card number (it passes the card checksum). Card numbers must never be put in names or tags."
            }
            FindingKind::Iban => {
                "This looks like an IBAN, a bank account number (its check digits are valid). Bank account numbers must not be put in names or tags."
            }
            FindingKind::BankAccount => {
                "This looks like a bank or customer account number (a long number next to a word such as \u{201c}account\u{201d}). Account numbers must not be put in names or tags."
            }
            FindingKind::RoutingNumber => {
                "This looks like a US bank routing number (9 digits with a valid ABA checksum). Bank numbers must not be put in names or tags."
            }
            FindingKind::AwsAccessKeyId => {
                "This looks like an AWS access key ID. Credentials must never be put in names, tags or URLs; if the key is real, deactivate it in IAM."
            }
            FindingKind::AwsSecretKey => {
                "This looks like an AWS secret access key (40 random characters). Credentials must never be put in names, tags or URLs; if the key is real, deactivate it in IAM."
            }
            FindingKind::ApiToken => {
                "This looks like an access token, API key or private key. Credentials must never be put in names, tags or URLs; if it is real, revoke it."
            }
            FindingKind::UrlCredentials => {
                "This URL has a user name or password before the host (user:password@). Credentials must not be put in a URL given to a server, nor in names or tags; remove them and enter credentials in the credentials form."
            }
            FindingKind::UrlSecretParameter => {
                "This URL parameter carries a credential, token or signature. Remove it: URLs are stored in settings and logged by servers and proxies."
            }
            FindingKind::ConnectionString => {
                "This looks like a connection string or setting with a password or key in it. Credentials must never be put in names, tags or descriptions; if it is real, change it."
            }
            FindingKind::SecretTagValue => {
                "The key of this tag says its value is a password, token or secret. Credentials must never be put in tags; if it is real, revoke it, and keep a reference to where the secret is stored instead."
            }
            FindingKind::Custom => {
                "This matches one of your own detectors (Settings \u{2192} Your own detectors). Identifiers of that kind must not be put in names or tags."
            }
            FindingKind::EmailAddress => {
                "This looks like a person's email address. The owner is visible to everyone who can list groups; a team name or a shared alias is safer than a personal address."
            }
        }
    }
}

/// Which text a finding's range indexes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingPart {
    /// The text given to [`scan_name`] or [`scan_url`].
    Text,
    /// The key given to [`scan_tag`].
    Key,
    /// The value given to [`scan_tag`].
    Value,
}

/// One piece of sensitive data found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// Byte range into the scanned text (see `part`), on character boundaries.
    pub range: Range<usize>,
    /// What was found and why it is not allowed, in plain words, without the data itself.
    pub message: String,
    /// Which text `range` indexes into: [`FindingPart::Text`] for [`scan_name`] and
    /// [`scan_url`], the key or the value for [`scan_tag`].
    pub part: FindingPart,
}

impl Finding {
    fn new(kind: FindingKind, range: Range<usize>, part: FindingPart) -> Self {
        Finding {
            kind,
            range,
            message: kind.message().to_owned(),
            part,
        }
    }
}

/// Scans a free-form field: a group name, a tag key or value, a description.
pub fn scan_name(text: &str) -> Vec<Finding> {
    scan_text(text, FindingPart::Text, KeyContext::default())
}

/// Scans a tag: the key and the value as names, and the value in the light of the key (see
/// `settings::scan_value`): `AccountNumber` = `12345678` and `db_password` = `hunter2` are
/// found, `CostCenter` = `87654321` and `BuildNumber` = `123456789` are not. Ranges index into
/// `value` for findings with [`FindingPart::Value`], into `key` for [`FindingPart::Key`]; key
/// findings come first.
pub fn scan_tag(key: &str, value: &str) -> Vec<Finding> {
    let mut findings = scan_text(key, FindingPart::Key, KeyContext::default());
    findings.extend(scan_text(value, FindingPart::Value, KeyContext::of(key)));
    findings
}

/// [`scan_name`] with the built-in rules only, without the person's own detectors: what the
/// detectors' own names and examples are checked with (they would match themselves).
pub fn scan_name_builtin(text: &str) -> Vec<Finding> {
    scan_text_with(text, FindingPart::Text, KeyContext::default(), false)
}

fn scan_text(text: &str, part: FindingPart, ctx: KeyContext) -> Vec<Finding> {
    scan_text_with(text, part, ctx, true)
}

fn scan_text_with(text: &str, part: FindingPart, ctx: KeyContext, own: bool) -> Vec<Finding> {
    let t = MappedText::normalize(text);
    let masked = mask_identifiers(&t);
    let mut hits = Vec::new();
    numbers::scan(&t, &masked, &mut hits);
    keys::scan(&t, &mut hits);
    settings::scan_assignments(&t, &mut hits);
    settings::scan_value(&t, &masked, ctx, &mut hits);
    let mut findings = to_findings(&t, hits, part);
    let mut mine = Vec::new();
    if own {
        custom::scan(&t, &mut mine);
    }
    findings.extend(mine.into_iter().map(|(a, b, name)| Finding {
        kind: FindingKind::Custom,
        range: t.src(a, b),
        message: format!("This matches your detector \u{201c}{name}\u{201d} (Settings \u{2192} Your own detectors). Identifiers of that kind must not be put in names or tags."),
        part,
    }));
    // Names hold URLs too (a tag value with a link, a connection string): a URL's credentials
    // count here as well.
    let mut url_hits = Vec::new();
    url::scan_embedded(&t, &mut url_hits);
    findings.extend(
        url_hits
            .into_iter()
            .map(|(kind, range)| Finding::new(kind, range, part)),
    );
    dedupe(findings)
}

/// Scans a group's `Owner`: everything [`scan_name`] finds, and email addresses
/// ([`FindingKind::EmailAddress`], a warning there).
pub fn scan_owner(text: &str) -> Vec<Finding> {
    let mut findings = scan_name(text);
    findings.extend(
        email_ranges(text)
            .into_iter()
            .map(|r| Finding::new(FindingKind::EmailAddress, r, FindingPart::Text)),
    );
    dedupe(findings)
}

/// Byte ranges of what looks like an email address: a local part of letters (any script, as
/// internationalised addresses allow), digits and `. _ % + -`, an `@`, and a domain of at least two dot-separated labels (letters, digits,
/// hyphens; any Unicode letter, for internationalised domains) whose last label has two or
/// more letters. Deliberately plain: it is a hint for a person, not an RFC 5322 parser, and it
/// must not need the `regex` crate in the wasm build.
fn email_ranges(text: &str) -> Vec<Range<usize>> {
    let local_ok = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain_ok = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-');
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        // `get` never panics; `at` and every index `char_indices` gives are boundaries anyway.
        let before = text.get(..at).unwrap_or("");
        let after = text.get(at + 1..).unwrap_or("");
        let local_len: usize = before
            .chars()
            .rev()
            .take_while(|c| local_ok(*c))
            .map(char::len_utf8)
            .sum();
        let local = before
            .get(before.len() - local_len..)
            .unwrap_or("")
            .trim_start_matches('.');
        let domain_len = after
            .char_indices()
            .find(|(_, c)| !domain_ok(*c))
            .map_or(after.len(), |(i, _)| i);
        let domain = after
            .get(..domain_len)
            .unwrap_or("")
            .trim_end_matches(['.', '-']);
        let labels: Vec<&str> = domain.split('.').collect();
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.chars().count() >= 2 && t.chars().all(char::is_alphabetic));
        if !local.is_empty() && labels.len() >= 2 && labels.iter().all(|l| !l.is_empty()) && tld_ok
        {
            out.push(at - local.len()..at + 1 + domain.len());
        }
    }
    out
}

/// Scans a URL typed or pasted by the person, e.g. a backend endpoint.
pub fn scan_url(text: &str) -> Vec<Finding> {
    let mut url_hits = Vec::new();
    let t = url::scan(text, &mut url_hits);
    let mut findings: Vec<Finding> = url_hits
        .into_iter()
        .map(|(kind, range)| Finding::new(kind, range, FindingPart::Text))
        .collect();
    // Token shapes anywhere, also when percent-encoded.
    let decoded = t.percent_decode();
    let mut token_hits = Vec::new();
    keys::scan(&decoded, &mut token_hits);
    findings.extend(to_findings(&decoded, token_hits, FindingPart::Text));
    dedupe(findings)
}

/// Digits inside UUIDs and long hexadecimal hashes are not account numbers.
fn mask_identifiers(t: &MappedText) -> Vec<bool> {
    let n = t.len();
    let mut masked = vec![false; n];
    let mut i = 0;
    while i < n {
        if !t.c(i).is_ascii_hexdigit() || (i > 0 && t.c(i - 1).is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        // A UUID: 8-4-4-4-12 hex digits.
        let mut k = i;
        let mut ok = true;
        for (g, len) in [8, 4, 4, 4, 12].into_iter().enumerate() {
            if g > 0 {
                if t.get(k) != Some('-') {
                    ok = false;
                    break;
                }
                k += 1;
            }
            let start = k;
            while k < n && t.c(k).is_ascii_hexdigit() {
                k += 1;
            }
            if k - start != len {
                ok = false;
                break;
            }
        }
        if ok && !t.get(k).is_some_and(|c| c.is_ascii_alphanumeric()) {
            masked[i..k].fill(true);
            i = k;
            continue;
        }
        // A hex hash: 16+ hex digits with at least one letter, standing alone.
        let mut k = i;
        while k < n && t.c(k).is_ascii_hexdigit() {
            k += 1;
        }
        let standalone = !t.get(k).is_some_and(|c| c.is_ascii_alphanumeric());
        if k - i >= 16 && standalone && (i..k).any(|j| t.c(j).is_ascii_alphabetic()) {
            masked[i..k].fill(true);
        }
        i = k.max(i + 1);
    }
    masked
}

fn to_findings(t: &MappedText, hits: Vec<numbers::Hit>, part: FindingPart) -> Vec<Finding> {
    hits.into_iter()
        .filter(|(_, a, b)| a < b && *b <= t.len())
        .map(|(kind, a, b)| Finding::new(kind, t.src(a, b), part))
        .collect()
}

/// Sorts by position and drops findings contained in another finding of the same kind.
fn dedupe(mut findings: Vec<Finding>) -> Vec<Finding> {
    // At the same place, the generic kinds come after the specific ones.
    let generic = |k: FindingKind| k == FindingKind::BankAccount || k.by_name_only();
    crate::sort::sort_by_key(&mut findings, |f| {
        (
            f.range.start,
            std::cmp::Reverse(f.range.end),
            generic(f.kind),
            f.kind,
        )
    });
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        // The same kind inside a larger finding adds nothing; nor does the generic "account
        // number next to a keyword" where a specific rule (account ID, card…) already matched,
        // nor a secret found by its name where a rule found the credential itself by its shape
        // (generic kinds sort last, so the specific one is already in `out`).
        let covered = out.iter().any(|o| {
            (o.kind == f.kind
                || f.kind == FindingKind::BankAccount
                || (f.kind.by_name_only() && o.kind.is_credential() && !o.kind.by_name_only()))
                && o.range.start <= f.range.start
                && f.range.end <= o.range.end
        });
        if !covered {
            out.push(f);
        }
    }
    out
}
