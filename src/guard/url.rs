//! Credentials in a URL: a user name or password before the host, secret-bearing query or
//! fragment parameters, and token shapes anywhere.
//!
//! The split into scheme, authority, query and fragment follows the WHATWG URL standard as
//! browsers apply it: leading and trailing C0 controls and spaces are ignored, tabs and newlines
//! are removed anywhere, special schemes (http, https, ws, wss, ftp, file) accept any number of
//! `/` or `\` — or none — before the authority, and the *last* `@` of the authority ends the
//! user info. A native test checks this against the `url` crate on generated inputs.

use super::numbers::Hit;
use super::text::{fold, Mapped, MappedText};
use super::FindingKind;

const SPECIAL_SCHEMES: [&str; 6] = ["http", "https", "ws", "wss", "ftp", "file"];
/// Schemes whose "user@host" is an address, not credentials (`mailto:someone@example.com`).
const OPAQUE_SCHEMES: [&str; 12] = [
    "mailto",
    "tel",
    "sms",
    "data",
    "urn",
    "javascript",
    "blob",
    "about",
    "geo",
    "xmpp",
    "sip",
    "sips",
];

/// The URL as WHATWG's parser reads it: folded characters, tabs and newlines removed, leading and
/// trailing C0 controls and spaces trimmed.
fn url_text(text: &str) -> MappedText {
    let mut chars: Vec<Mapped> = Vec::with_capacity(text.len());
    for (i, ch) in text.char_indices() {
        if matches!(ch, '\t' | '\n' | '\r') {
            continue;
        }
        if let Some(c) = fold(ch) {
            chars.push(Mapped {
                c,
                src: i..i + ch.len_utf8(),
            });
        }
    }
    let is_c0_or_space = |m: &Mapped| m.c <= ' ';
    let start = chars
        .iter()
        .position(|m| !is_c0_or_space(m))
        .unwrap_or(chars.len());
    let end = chars
        .iter()
        .rposition(|m| !is_c0_or_space(m))
        .map_or(start, |e| e + 1);
    MappedText {
        chars: chars[start..end].to_vec(),
    }
}

/// The parts of a URL, as normalised-character index ranges.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parts {
    pub userinfo: Option<(usize, usize)>,
    pub query: Option<(usize, usize)>,
    pub fragment: Option<(usize, usize)>,
}

/// Splits a URL per WHATWG. One deliberate difference: text that WHATWG reads as a scheme and
/// an opaque path but that reads like `user:pass@host/…` (a person pasting credentials without
/// `https://`) is treated as an authority with user info, so it is caught too. Well-known opaque
/// schemes (`mailto:` and the like) are left alone.
pub fn split(t: &MappedText) -> Parts {
    let n = t.len();
    let mut parts = Parts::default();

    // Scheme: ASCII letter, then letters, digits, "+", "-", "."; then ":".
    let mut scheme_end = None;
    if n > 0 && t.c(0).is_ascii_alphabetic() {
        let mut k = 1;
        while k < n && (t.c(k).is_ascii_alphanumeric() || matches!(t.c(k), '+' | '-' | '.')) {
            k += 1;
        }
        if k < n && t.c(k) == ':' {
            scheme_end = Some(k);
        }
    }
    let (special, authority_start) = match scheme_end {
        Some(k) => {
            let scheme = t.slice(0, k).to_ascii_lowercase();
            let special = SPECIAL_SCHEMES.contains(&scheme.as_str());
            let mut s = k + 1;
            if special {
                while s < n && matches!(t.c(s), '/' | '\\') {
                    s += 1;
                }
                (true, Some(s))
            } else if t.get(s) == Some('/') && t.get(s + 1) == Some('/') {
                (false, Some(s + 2))
            } else {
                (false, None)
            }
        }
        // No scheme: "host:port", "user:pass@host/path" and the like.
        None => (true, Some(0)),
    };
    // A scheme-less "localhost:8080" reads as scheme "localhost"; treat text with an "@" before
    // any "/" as an authority anyway, the way a person meant it.
    let authority_start = match (authority_start, scheme_end) {
        (None, Some(k))
            if !OPAQUE_SCHEMES.contains(&t.slice(0, k).to_ascii_lowercase().as_str()) =>
        {
            let first_at = (0..n).find(|&k| t.c(k) == '@');
            let first_slash = (0..n).find(|&k| matches!(t.c(k), '/' | '?' | '#'));
            // Only when something stands between the colon and the "@" ("user:pass@host");
            // "foo:@example.com" is an opaque path with nothing secret in it.
            let before_at_ok = |a: usize| a > k + 1;
            match (first_at, first_slash) {
                (Some(a), Some(s)) if a < s && before_at_ok(a) => Some(0),
                (Some(a), None) if before_at_ok(a) => Some(0),
                _ => None,
            }
        }
        (a, _) => a,
    };

    let mut rest_start = authority_start.unwrap_or(scheme_end.map_or(0, |k| k + 1));
    if let Some(a) = authority_start {
        let end = (a..n)
            .find(|&k| matches!(t.c(k), '/' | '?' | '#') || (special && t.c(k) == '\\'))
            .unwrap_or(n);
        if let Some(at) = (a..end).rev().find(|&k| t.c(k) == '@') {
            parts.userinfo = Some((a, at));
        }
        rest_start = end;
    }
    let hash = (rest_start..n).find(|&k| t.c(k) == '#');
    let path_end = hash.unwrap_or(n);
    if let Some(q) = (rest_start..path_end).find(|&k| t.c(k) == '?') {
        parts.query = Some((q + 1, path_end));
    }
    if let Some(h) = hash {
        parts.fragment = Some((h + 1, n));
    }
    parts
}

pub fn scan(text: &str, hits: &mut Vec<Hit>) -> MappedText {
    let t = url_text(text);
    let parts = split(&t);

    if let Some((a, at)) = parts.userinfo {
        // Only non-empty user info counts ("https://@host" and "https://:@host" carry nothing).
        if (a..at).any(|k| t.c(k) != ':') {
            hits.push((FindingKind::UrlCredentials, a, at));
        }
    }
    for (from, to) in [parts.query, parts.fragment].into_iter().flatten() {
        scan_parameters(&t, from, to, hits);
    }
    t
}

/// `name=value` pairs separated by `&` or `;` (in a fragment also `?` and `#`, for
/// single-page-app routes such as `#/cb?access_token=…`).
fn scan_parameters(t: &MappedText, from: usize, to: usize, hits: &mut Vec<Hit>) {
    let mut k = from;
    while k < to {
        let end = (k..to)
            .find(|&j| matches!(t.c(j), '&' | ';' | '?' | '#'))
            .unwrap_or(to);
        if let Some(eq) = (k..end).find(|&j| t.c(j) == '=') {
            let name = decode_name(&t.slice(k, eq));
            if eq + 1 < end && is_secret_parameter(&name) {
                hits.push((FindingKind::UrlSecretParameter, eq + 1, end));
            }
        }
        k = end + 1;
    }
}

fn decode_name(raw: &str) -> String {
    let decoded = MappedText::normalize(raw).percent_decode();
    decoded
        .slice(0, decoded.len())
        .replace('+', " ")
        .trim()
        .to_owned()
}

/// Parameter names whose value is a credential or a signature, compared without separators.
const SECRET_NAMES: &[&str] = &[
    "token",
    "accesstoken",
    "idtoken",
    "refreshtoken",
    "authtoken",
    "apitoken",
    "sessiontoken",
    "securitytoken",
    "bearertoken",
    "apikey",
    "password",
    "passwd",
    "pwd",
    "secret",
    "clientsecret",
    "privatekey",
    "sig",
    "signature",
    "xamzcredential",
    "xamzsignature",
    "xamzsecuritytoken",
    "awsaccesskeyid",
    "accesskeyid",
    "awssecretaccesskey",
    "secretaccesskey",
    "xgoogsignature",
    "xgoogcredential",
    "googleaccessid",
    "accesskey",
    "secretkey",
    "auth",
    "authorization",
    "bearer",
    "jwt",
    "credential",
    "credentials",
    "passphrase",
    "apisecret",
    "appsecret",
    "consumersecret",
    "accountkey",
    "sharedaccesssignature",
    "xapikey",
    "otp",
    "sessionid",
    "sessid",
    "phpsessid",
    "jsessionid",
];
/// Last word of a compound name that makes it secret (`client_secret`, `userPassword`).
const SECRET_LAST_WORDS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "pwd",
    "apikey",
    "signature",
    "sig",
    "credential",
    "credentials",
    "passphrase",
    "jwt",
];
/// Last two words that make a name secret (`api_key`, `private-key`, `X-Amz-Credential`).
const SECRET_LAST_PAIRS: &[&str] = &[
    "api key",
    "access key",
    "secret key",
    "private key",
    "auth key",
    "signing key",
    "account key",
    "session key",
    "master key",
    "app key",
    "amz credential",
    "goog credential",
    "session id",
];
/// Words before "token" that make it a paging or anti-forgery value, not a credential.
const HARMLESS_TOKEN_KINDS: &[&str] = &[
    "page",
    "next",
    "continuation",
    "cursor",
    "sync",
    "resume",
    "pagination",
    "prev",
    "previous",
];

/// Whether a query or fragment parameter name carries a secret. Matched on the whole name or on
/// its last `_`/`-`/`.`/camelCase-separated words, never on a substring: `keyword`, `author`,
/// `monkey`, `tokenizer` and `password_reset` are fine.
pub fn is_secret_parameter(name: &str) -> bool {
    let words = split_words(name);
    if words.is_empty() {
        return false;
    }
    let joined: String = words.concat();
    if SECRET_NAMES.contains(&joined.as_str()) {
        return true;
    }
    let last = words[words.len() - 1].as_str();
    if words.len() >= 2 {
        let before = words[words.len() - 2].as_str();
        if last == "token" && HARMLESS_TOKEN_KINDS.contains(&before) {
            return false;
        }
        let pair = format!("{before} {last}");
        if SECRET_LAST_PAIRS.contains(&pair.as_str()) {
            return true;
        }
    }
    words.len() >= 2 && SECRET_LAST_WORDS.contains(&last)
}

/// Splits `X-Amz-Signature`, `client_secret`, `userPassword`, `AWSAccessKeyId` into lower-case
/// words.
fn split_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && !cur.is_empty()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase)));
        if boundary {
            words.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_parameter_names() {
        assert_eq!(split_words("X-Amz-Signature"), ["x", "amz", "signature"]);
        assert_eq!(
            split_words("AWSAccessKeyId"),
            ["aws", "access", "key", "id"]
        );
        assert_eq!(split_words("userPassword"), ["user", "password"]);
        assert_eq!(split_words("client_secret"), ["client", "secret"]);
    }

    #[test]
    fn secret_parameter_names() {
        for yes in [
            "X-Amz-Signature",
            "X-Amz-Credential",
            "X-Amz-Security-Token",
            "AWSAccessKeyId",
            "Signature",
            "X-Goog-Signature",
            "sig",
            "access_token",
            "id_token",
            "refresh_token",
            "token",
            "api_key",
            "apikey",
            "apiKey",
            "password",
            "passwd",
            "pwd",
            "secret",
            "client_secret",
            "private_key",
            "user_password",
            "db-password",
            "accessToken",
            "x-api-key",
        ] {
            assert!(is_secret_parameter(yes), "{yes}");
        }
        for no in [
            "keyword",
            "author",
            "monkey",
            "tokenizer",
            "password_reset",
            "page",
            "sort",
            "q",
            "nextToken",
            "page_token",
            "key",
            "token_type",
            "signature_version",
            "redirect_uri",
            "state",
        ] {
            assert!(!is_secret_parameter(no), "{no}");
        }
    }

    fn userinfo(url: &str) -> Option<String> {
        let t = url_text(url);
        split(&t).userinfo.map(|(a, b)| t.slice(a, b))
    }

    #[test]
    fn whatwg_authority_rules() {
        assert_eq!(
            userinfo("https://user:pass@host/").as_deref(),
            Some("user:pass")
        );
        assert_eq!(userinfo("https://a@b@host/").as_deref(), Some("a@b"));
        assert_eq!(
            userinfo("https:user:pass@host").as_deref(),
            Some("user:pass")
        );
        assert_eq!(
            userinfo("https:\\\\user:pass@host").as_deref(),
            Some("user:pass")
        );
        assert_eq!(
            userinfo(" https://us\ner:p\tass@host ").as_deref(),
            Some("user:pass")
        );
        assert_eq!(userinfo("https://host/@path"), None);
        assert_eq!(userinfo("https://host?x=@y"), None);
        assert_eq!(userinfo("https://host#@y"), None);
        assert_eq!(userinfo("mailto:someone@example.com"), None);
        assert_eq!(userinfo("foo://user:pw@host/").as_deref(), Some("user:pw"));
        assert_eq!(
            userinfo("user:pass@host.example/x").as_deref(),
            Some("user:pass")
        );
        // Backslash ends the authority of special URLs only.
        assert_eq!(userinfo("https://host\\@evil"), None);
    }
}
