//! Secrets and account numbers given as settings: a password in a connection string or any other
//! `name=value` text (`Server=db;User Id=app;Password=…;`, `AccountKey=…`), and a tag's value
//! judged by its key (`AccountNumber` = `12345678`, `db_password` = `…`).
//!
//! Both hinge on the name, not on the value's shape: a password has no shape. So the names are
//! matched by whole words (`password`, `db_password`, `ClientSecret`; never `password_reset`,
//! `PasswordPolicy`, `SecretArn`), and values that are plainly not secrets are let through:
//! booleans and placeholders (`true`, `none`, `n/a`, `****`), and references to where a secret
//! lives (`/prod/db/password`, `arn:aws:secretsmanager:…`, `${DB_PASSWORD}`).

use super::numbers::{self, Hit};
use super::text::MappedText;
use super::url::split_words;
use super::FindingKind;

/// Whole names whose value is a secret, compared without separators and case.
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "passcode",
    "secret",
    "token",
    "apikey",
    "apisecret",
    "apitoken",
    "accesstoken",
    "authtoken",
    "clientsecret",
    "secretkey",
    "privatekey",
    "accountkey",
    "accesskey",
    "sharedaccesskey",
    "secretaccesskey",
];
/// Last words of a compound name that make it secret (`db_password`, `GithubToken`).
const SECRET_LAST_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "passcode",
    "secret",
    "token",
    "apikey",
    "secretkey",
    "privatekey",
    "accountkey",
    "accesskey",
];
/// Last two words that make a name secret (`api_key`, `SharedAccessKey`).
const SECRET_LAST_PAIRS: &[&str] = &[
    "api key",
    "secret key",
    "private key",
    "access key",
    "account key",
    "auth key",
    "signing key",
    "master key",
    "shared key",
    "app key",
    "encryption key",
];
/// Anti-forgery tokens: harmless as the name of a setting or tag (a form field's name), though
/// not in a URL, where `url.rs` keeps to its own paging words (`HARMLESS_TOKEN_KINDS`).
const HARMLESS_SETTING_TOKEN_KINDS: &[&str] = &["csrf", "xsrf"];

/// Whether a setting or tag named `name` holds a secret. Narrower than a URL's secret parameter
/// names (`auth`, `sig`, `otp` are too common as tag keys with harmless values).
pub fn is_secret_key(name: &str) -> bool {
    let words = split_words(name);
    let Some(last) = words.last().map(String::as_str) else {
        return false;
    };
    if SECRET_NAMES.contains(&words.concat().as_str()) {
        return true;
    }
    if words.len() < 2 {
        return false;
    }
    let before = words[words.len() - 2].as_str();
    if last == "token"
        && (super::url::HARMLESS_TOKEN_KINDS.contains(&before)
            || HARMLESS_SETTING_TOKEN_KINDS.contains(&before))
    {
        return false;
    }
    SECRET_LAST_WORDS.contains(&last)
        || SECRET_LAST_PAIRS.contains(&format!("{before} {last}").as_str())
}

/// Values that say something about a secret without being one (compared ignoring case).
const PLACEHOLDERS: &[&str] = &[
    "true",
    "false",
    "yes",
    "no",
    "y",
    "n",
    "on",
    "off",
    "0",
    "1",
    "none",
    "null",
    "nil",
    "nan",
    "n/a",
    "na",
    "tbd",
    "tba",
    "todo",
    "unset",
    "not-set",
    "not_set",
    "notset",
    "unknown",
    "empty",
    "blank",
    "redacted",
    "hidden",
    "masked",
    "removed",
    "required",
    "optional",
    "enabled",
    "disabled",
    "auto",
    "default",
    "managed",
    "rotated",
    "rotating",
    "generated",
    "random",
    "external",
    "vault",
    "sso",
    "iam",
    "kms",
    "ssm",
    "env",
    "1password",
    "keychain",
    "keyvault",
];
/// Starts of references to where a secret is kept.
const REFERENCE_PREFIXES: &[&str] = &[
    "${",
    "{{",
    "$(",
    "<",
    "%",
    "[",
    "/",
    "arn:",
    "ssm:",
    "secretsmanager:",
    "vault:",
    "op://",
    "env:",
    "kms:",
];

/// A value that is no secret: empty, a boolean or placeholder word, masked (`****`, `xxxx`), or a
/// reference (a path, an ARN, `${VAR}`, `$VAR`, `<password>`, a URL, a lower-case secret name
/// such as `prod/db/creds`).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDERS.contains(&lower.as_str()) {
        return true;
    }
    // Masked ("****", "xxxx", "•••") or punctuation only ("=", "-").
    let masked =
        |c: char| c.is_ascii_punctuation() || matches!(c, '\u{2022}' | '\u{25CF}' | 'x' | 'X');
    if v.chars().all(masked) {
        return true;
    }
    if REFERENCE_PREFIXES.iter().any(|p| lower.starts_with(p)) || lower.contains("://") {
        return true;
    }
    let env_var = v.strip_prefix('$').is_some_and(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    });
    let secret_name = v.contains('/')
        && v.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '/' | '-' | '_' | '.')
        });
    env_var || secret_name
}

fn name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// `name=value` or `name: value` with a secret name anywhere in a text: ADO.NET and ODBC
/// connection strings (`Password=…;`, `Pwd=…`), Azure's (`AccountKey=…;`), `.env` lines, command
/// lines, notes in a description (`Password: …`). The value runs to `;`, `&`, `,`, a space or a
/// quote, or is quoted. A URL's query parameters are found again here; the finding of the URL
/// scanner is kept (see `dedupe`).
///
/// `=` is an assignment whatever the value. A colon is more often prose or part of an
/// identifier, so `name: value` counts only if the name does not continue an ARN or URN
/// (`…:secret:db-1`), the value is not followed by `@` or `:` (`user:pass@` is a URL's) and the
/// value looks made up ([`looks_made_up`]): `Password: hunter2` is found, `Password: see the
/// vault` and `Token: none` are not, nor is `Password: changeme` (a miss).
pub fn scan_assignments(t: &MappedText, hits: &mut Vec<Hit>) {
    let n = t.len();
    for op in 0..n {
        let colon = match t.c(op) {
            '=' => false,
            ':' => true,
            _ => continue,
        };
        // The name: letters, digits, `_`, `-`, `.` right before, perhaps after a space or two.
        let mut e = op;
        while e > 0 && op - e < 2 && t.c(e - 1) == ' ' {
            e -= 1;
        }
        let spaced = e < op;
        let mut s = e;
        while s > 0 && name_char(t.c(s - 1)) && e - s < 64 {
            s -= 1;
        }
        if s == e || (s > 0 && name_char(t.c(s - 1))) {
            continue;
        }
        if colon && (s > 0 && matches!(t.c(s - 1), ':' | '/') || t.get(op + 1) == Some(':')) {
            continue;
        }
        if !is_secret_key(&t.slice(s, e)) {
            continue;
        }
        // Spaces after the operator: any after a colon; after `=` only as many as before it
        // (`Password = x`), so that "reset the password= field" is no assignment.
        let mut v = op + 1;
        while v < n && v - op <= 2 && t.c(v) == ' ' && (colon || spaced) {
            v += 1;
        }
        let (from, to) = match t.get(v) {
            Some(q @ ('"' | '\'')) => (v + 1, (v + 1..n).find(|&k| t.c(k) == q).unwrap_or(n)),
            _ => (
                v,
                (v..n)
                    .find(|&k| matches!(t.c(k), ';' | '&' | ',' | ' ' | '"' | '\''))
                    .unwrap_or(n),
            ),
        };
        if from >= to {
            continue;
        }
        let value = t.slice(from, to);
        let ok = if colon {
            !matches!(t.get(to), Some('@' | ':')) && looks_made_up(&value)
        } else {
            true
        };
        if ok && !is_placeholder(&value) {
            hits.push((FindingKind::ConnectionString, from, to));
        }
    }
}

/// A word nobody writes in prose: with a digit, a symbol, or a capital after the first letter
/// (`hunter2`, `p@ss`, `pAss`), at least 4 characters, and not ending a sentence with a symbol
/// only (`vault!`).
fn looks_made_up(v: &str) -> bool {
    let v = v.trim_end_matches(['.', '!', '?', ')']);
    let symbol = |c: char| c.is_ascii_punctuation() && !matches!(c, '-' | '_' | '.' | '\'');
    v.chars().count() >= 4
        && (v.chars().any(|c| c.is_ascii_digit() || symbol(c))
            || v.chars().skip(1).any(|c| c.is_uppercase()))
}

/// Key words that say a tag's number is something other than an account, even next to an
/// account word (`CardCount`, `ClientVersion`, `CustomerPhone`).
const NOT_ACCOUNT_WORDS: &[&str] = &[
    "version",
    "build",
    "port",
    "count",
    "size",
    "limit",
    "quota",
    "max",
    "min",
    "timeout",
    "ttl",
    "date",
    "time",
    "timestamp",
    "year",
    "epoch",
    "ip",
    "cidr",
    "vlan",
    "zip",
    "postcode",
    "postal",
    "phone",
    "tel",
    "fax",
    "mobile",
    "revision",
    "rev",
    "release",
    "commit",
    "pid",
    "seq",
    "sequence",
    "index",
    "idx",
    "priority",
    "weight",
];

/// What a tag's key says about its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyContext {
    /// A word of the key says account (`AccountNumber`, `customer_id`, `bank-acct`, `IBAN`,
    /// `CardNo`, `routing`, `SortCode`): a number of 8+ digits in the value is an account number.
    pub account: bool,
    /// The key names a password, token or secret (`db_password`, `ApiKey`, `GithubToken`).
    pub secret: bool,
}

impl KeyContext {
    pub fn of(key: &str) -> Self {
        let t = MappedText::normalize(key);
        let key = t.slice(0, t.len());
        let words: Vec<String> = split_words(&key)
            .into_iter()
            .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned())
            .collect();
        let account_word = words.iter().any(|w| numbers::is_account_compound(w))
            || words.windows(2).any(|p| p[0] == "sort" && p[1] == "code");
        let something_else = words
            .iter()
            .any(|w| NOT_ACCOUNT_WORDS.contains(&w.as_str()));
        KeyContext {
            account: account_word && !something_else,
            secret: is_secret_key(&key),
        }
    }
}

/// Findings a tag value has because of its key.
///
/// - Account keys: every number of 8+ digits (`numbers::long_numbers`: not dates, timestamps,
///   IPv4 addresses, versions, UUID or hash digits) is a [`FindingKind::BankAccount`].
/// - Secret keys: the whole value (trimmed) is a [`FindingKind::SecretTagValue`] unless it is a
///   placeholder or reference ([`is_placeholder`]), holds a space, or is a lower-case identifier
///   of several words ([`is_identifier`]): prose such as "kept in the vault" and the name of a
///   secret such as `prod-db-password` are let through, at the price of missing passphrases of
///   several words.
pub fn scan_value(t: &MappedText, masked: &[bool], ctx: KeyContext, hits: &mut Vec<Hit>) {
    if ctx.account {
        for (a, b) in numbers::long_numbers(t, masked) {
            hits.push((FindingKind::BankAccount, a, b));
        }
    }
    if ctx.secret {
        let Some(from) = (0..t.len()).find(|&k| t.c(k) != ' ') else {
            return;
        };
        let to = (0..t.len())
            .rposition(|k| t.c(k) != ' ')
            .map_or(from, |k| k + 1);
        let value = t.slice(from, to);
        if !value.contains(' ') && !is_placeholder(&value) && !is_identifier(&value) {
            hits.push((FindingKind::SecretTagValue, from, to));
        }
    }
}

/// Lower-case words joined by `-`, `_` or `.`, at least two, no digits: `prod-db-password`,
/// `my_secret_name`. A generated secret has digits or capitals; a chosen one this shape
/// (`correct-horse-battery`) is missed.
fn is_identifier(v: &str) -> bool {
    let words: Vec<&str> = v.split(['-', '_', '.']).collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_names() {
        for yes in [
            "password",
            "Password",
            "PWD",
            "db_password",
            "DbPassword",
            "api_key",
            "ApiKey",
            "client_secret",
            "GithubToken",
            "AccountKey",
            "SharedAccessKey",
            "private-key",
        ] {
            assert!(is_secret_key(yes), "{yes}");
        }
        for no in [
            "PasswordPolicy",
            "password_reset",
            "SecretArn",
            "SecretName",
            "TokenType",
            "NextToken",
            "page_token",
            "key",
            "Owner",
            "keyword",
            "auth",
            "",
        ] {
            assert!(!is_secret_key(no), "{no}");
        }
    }

    #[test]
    fn placeholders_and_references() {
        for yes in [
            "",
            "  ",
            "true",
            "FALSE",
            "n/a",
            "None",
            "****",
            "xxxxxx",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "{{resolve:secretsmanager:db}}",
            "/prod/db/password",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
            "<password>",
            "prod/db/creds",
            "https://vault.example.com/v1/secret/db",
        ] {
            assert!(is_placeholder(yes), "{yes:?}");
        }
        for no in ["hunter2", "p", "S3cr3t!", "changeme", "Prod/Db+Key=="] {
            assert!(!is_placeholder(no), "{no:?}");
        }
    }

    #[test]
    fn key_context() {
        let ctx = |k: &str| KeyContext::of(k);
        assert!(ctx("AccountNumber").account);
        assert!(ctx("customer_id").account);
        assert!(ctx("bank-acct").account);
        assert!(ctx("IBAN").account);
        assert!(ctx("SortCode").account);
        assert!(ctx("accountid").account);
        assert!(!ctx("CostCenter").account);
        assert!(!ctx("BuildNumber").account);
        assert!(!ctx("CustomField").account);
        assert!(!ctx("AccessLevel").account);
        assert!(!ctx("CardCount").account);
        assert!(!ctx("ClientVersion").account);
        assert!(ctx("db_password").secret);
        assert!(!ctx("PasswordPolicy").secret);
    }
}
