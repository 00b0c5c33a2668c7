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
//!   and secret keys, and common service tokens. Fullwidth digits and look-alike letters are
//!   normalised first.
//! - [`scan_url`]: user info before the host (WHATWG parsing), secret-bearing query and fragment
//!   parameters, and token shapes anywhere in the URL.
//!
//! Each [`Finding`] has a byte range into the scanned text (on character boundaries) and a plain
//! message that never repeats what was found.

mod keys;
mod numbers;
mod text;
mod url;

use std::ops::Range;

use text::MappedText;

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
    /// A query or fragment parameter that carries a credential or signature.
    UrlSecretParameter,
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
        }
    }

    /// Whether this is a credential (as opposed to a customer's account number).
    pub fn is_credential(self) -> bool {
        matches!(
            self,
            FindingKind::AwsAccessKeyId
                | FindingKind::AwsSecretKey
                | FindingKind::ApiToken
                | FindingKind::UrlCredentials
                | FindingKind::UrlSecretParameter
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
                "This URL has a user name or password before the host (user:password@). Credentials must not be put in a URL given to a server; remove them and enter credentials in the credentials form."
            }
            FindingKind::UrlSecretParameter => {
                "This URL parameter carries a credential, token or signature. Remove it: URLs are stored in settings and logged by servers and proxies."
            }
        }
    }
}

/// One piece of sensitive data found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// Byte range into the scanned text, on character boundaries.
    pub range: Range<usize>,
    /// What was found and why it is not allowed, in plain words, without the data itself.
    pub message: String,
}

/// Scans a free-form field: a group name, a tag key or value, a description.
pub fn scan_name(text: &str) -> Vec<Finding> {
    let t = MappedText::normalize(text);
    let masked = mask_identifiers(&t);
    let mut hits = Vec::new();
    numbers::scan(&t, &masked, &mut hits);
    keys::scan(&t, &mut hits);
    // Names may hold URLs too (a tag value with a link): a URL's credentials count here as well.
    finish(&t, hits)
}

/// Scans a URL typed or pasted by the person, e.g. a backend endpoint.
pub fn scan_url(text: &str) -> Vec<Finding> {
    let mut hits = Vec::new();
    let t = url::scan(text, &mut hits);
    let mut findings = finish(&t, hits);
    // Token shapes anywhere, also when percent-encoded.
    let decoded = t.percent_decode();
    let mut token_hits = Vec::new();
    keys::scan(&decoded, &mut token_hits);
    findings.extend(finish(&decoded, token_hits));
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

fn finish(t: &MappedText, hits: Vec<numbers::Hit>) -> Vec<Finding> {
    let findings = hits
        .into_iter()
        .filter(|(_, a, b)| a < b && *b <= t.len())
        .map(|(kind, a, b)| Finding {
            kind,
            range: t.src(a, b),
            message: kind.message().to_owned(),
        })
        .collect();
    dedupe(findings)
}

/// Sorts by position and drops findings contained in another finding of the same kind.
fn dedupe(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| {
        (a.range.start, std::cmp::Reverse(a.range.end), a.kind).cmp(&(
            b.range.start,
            std::cmp::Reverse(b.range.end),
            b.kind,
        ))
    });
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        // The same kind inside a larger finding adds nothing; nor does the generic "account
        // number next to a keyword" where a specific rule (account ID, card…) already matched.
        let covered = out.iter().any(|o| {
            (o.kind == f.kind || f.kind == FindingKind::BankAccount)
                && o.range.start <= f.range.start
                && f.range.end <= o.range.end
        });
        if !covered {
            out.push(f);
        }
    }
    out
}
