//! Credentials in a URL: a user name or password before the host, secret-bearing query,
//! fragment and path (`;name=value`) parameters, and URLs nested in any of these, plain or
//! percent-encoded (`?next=https%3A%2F%2Fu%3Ap%40evil`). Token shapes anywhere are found by
//! `keys` on the decoded URL.
//!
//! The split into scheme, authority, query and fragment follows the WHATWG URL standard as
//! browsers apply it: leading and trailing C0 controls and spaces are ignored, tabs and newlines
//! are removed anywhere, special schemes (http, https, ws, wss, ftp, file) accept any number of
//! `/` or `\` — or none — before the authority, and the *last* `@` of the authority ends the
//! user info. A native test checks this against the `url` crate on generated inputs.
//!
//! The same scanner reads URLs inside names and tag values ([`scan_embedded`]) and URLs nested in
//! another URL, more leniently (see [`Policy`]).

use std::ops::Range;

use super::settings::is_placeholder;
use super::text::{fold, Mapped, MappedText};
use super::FindingKind;

/// A finding as a byte range into the original text (URL scanning works on copies and decoded
/// versions of the text, whose indices differ; their byte ranges do not).
pub type SrcHit = (FindingKind, Range<usize>);

/// How strictly a URL is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// A URL given to a server (`scan_url`): any user info counts, and any value of a secret
    /// parameter.
    Endpoint,
    /// A URL inside a name or tag value, or nested in another URL: only a password counts in the
    /// user info (`postgres://admin@db` names an account, it reveals no secret; the name scanner
    /// still finds a token used as the user name by its shape), and placeholder values
    /// (`?token=none`) do not.
    Embedded,
}

/// How deep URLs nested in URLs are followed.
const MAX_DEPTH: u8 = 3;

const SPECIAL_SCHEMES: [&str; 6] = ["http", "https", "ws", "wss", "ftp", "file"];
/// Schemes whose "user@host" is an address, not credentials (`mailto:someone@example.com`,
/// WebFinger's `acct:alice@example.com`): they have no authority.
const OPAQUE_SCHEMES: [&str; 20] = [
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
    "acct",
    "news",
    "tag",
    "im",
    "pres",
    "cid",
    "mid",
    "magnet",
];

/// The URL as WHATWG's parser reads it: folded characters, tabs and newlines removed, leading and
/// trailing C0 controls and spaces trimmed.
fn url_text(text: &str) -> MappedText {
    let mut chars: Vec<Mapped> = Vec::with_capacity(text.len());
    for (i, ch) in text.char_indices() {
        if matches!(ch, '\t' | '\n' | '\r') {
            continue;
        }
        for c in fold(ch) {
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
    /// From the start of the authority to its end (before the path, query or fragment).
    pub authority: Option<(usize, usize)>,
    pub userinfo: Option<(usize, usize)>,
    /// Where the path starts (after the authority, or after the scheme when there is none).
    pub rest: usize,
    pub query: Option<(usize, usize)>,
    pub fragment: Option<(usize, usize)>,
}

fn scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

/// A scheme at `from` (an ASCII letter, then letters, digits, `+`, `-`, `.`) followed by `:`:
/// the index of the colon.
fn scheme_end_at(t: &MappedText, from: usize) -> Option<usize> {
    if !t.get(from).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let k = (from + 1..t.len())
        .find(|&k| !scheme_char(t.c(k)))
        .unwrap_or(t.len());
    (t.get(k) == Some(':')).then_some(k)
}

/// A scheme wrapped in others, `jdbc:mysql://…` or `view-source:https://…`: where the authority
/// of the innermost starts, if one follows `//`. The wrapped URL is what a driver connects to.
fn inner_authority(t: &MappedText, from: usize) -> Option<usize> {
    let mut p = from;
    for _ in 0..3 {
        let k = scheme_end_at(t, p)?;
        if t.get(k + 1) == Some('/') && t.get(k + 2) == Some('/') {
            return Some(k + 3);
        }
        p = k + 1;
    }
    None
}

fn slash(c: char) -> bool {
    c == '/' || c == '\\'
}

/// Splits a URL per WHATWG. Deliberate differences, each so that credentials a person meant are
/// caught:
/// - text that WHATWG reads as a scheme and an opaque path but that reads like `user:pass@host/…`
///   (a person pasting credentials without `https://`) is treated as an authority with user
///   info. Well-known opaque schemes (`mailto:` and the like) are left alone;
/// - a scheme-relative `//user:pass@host` (WHATWG needs a base URL for it) has an authority;
/// - a scheme wrapped in another (`jdbc:postgresql://u:p@host`) has the authority of the inner.
pub fn split(t: &MappedText) -> Parts {
    let n = t.len();
    let mut parts = Parts::default();

    let scheme_end = scheme_end_at(t, 0);
    let (special, authority_start) = match scheme_end {
        Some(k) => {
            let scheme = t.slice(0, k).to_ascii_lowercase();
            let special = SPECIAL_SCHEMES.contains(&scheme.as_str());
            let mut s = k + 1;
            if special {
                while s < n && slash(t.c(s)) {
                    s += 1;
                }
                (true, Some(s))
            } else if t.get(s) == Some('/') && t.get(s + 1) == Some('/') {
                (false, Some(s + 2))
            } else {
                (false, inner_authority(t, s))
            }
        }
        // Scheme-relative: "//host/…" (a special base reads "\\" the same way).
        None if n >= 2 && slash(t.c(0)) && slash(t.c(1)) => {
            let s = (0..n).find(|&k| !slash(t.c(k))).unwrap_or(n);
            (true, Some(s))
        }
        // No scheme: "host:port", "user:pass@host/path" and the like.
        None => (true, Some(0)),
    };
    // A scheme-less "localhost:8080" reads as scheme "localhost"; treat text with an "@" before
    // any "/" as an authority anyway, the way a person meant it.
    // JDBC URLs are not read this way: their credentials have a syntax of their own
    // (`jdbc:oracle:thin:user/password@host`, see `oracle_credentials`).
    let authority_start = match (authority_start, scheme_end) {
        (None, Some(k))
            if !OPAQUE_SCHEMES.contains(&t.slice(0, k).to_ascii_lowercase().as_str())
                && !t.slice(0, k).eq_ignore_ascii_case("jdbc") =>
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
        parts.authority = Some((a, end));
        rest_start = end;
    }
    parts.rest = rest_start;
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

/// Scans a URL given to a server; returns the URL as scanned, for the token scan.
pub fn scan(text: &str, out: &mut Vec<SrcHit>) -> MappedText {
    let t = url_text(text);
    scan_parsed(&t, Policy::Endpoint, 0, out);
    t
}

/// Scans the URLs inside a name or tag value: `postgres://u:p@db/app`, `jdbc:mysql://…`,
/// `//user:pass@host`. A URL runs from its scheme (or from `//` after a space, `=`, a quote…) to
/// the next space or quote. Text such as `team:web@prod` without `//` is no URL here: a name has
/// too many colons and at signs of its own.
pub fn scan_embedded(t: &MappedText, out: &mut Vec<SrcHit>) {
    for (s, e) in find_urls(t, 0, t.len(), true) {
        scan_parsed(&t.sub(s, e), Policy::Embedded, 1, out);
    }
}

fn push(out: &mut Vec<SrcHit>, t: &MappedText, kind: FindingKind, from: usize, to: usize) {
    if from < to && to <= t.len() {
        out.push((kind, t.src(from, to)));
    }
}

fn scan_parsed(t: &MappedText, policy: Policy, depth: u8, out: &mut Vec<SrcHit>) {
    let n = t.len();
    if n == 0 {
        return;
    }
    let parts = split(t);

    if let Some((a, at)) = parts.userinfo {
        let counts = match policy {
            // Only non-empty user info counts ("https://@host" and "https://:@host" carry
            // nothing).
            Policy::Endpoint => (a..at).any(|k| t.c(k) != ':'),
            Policy::Embedded => has_password(t, a, at),
        };
        if counts {
            push(out, t, FindingKind::UrlCredentials, a, at);
        }
    } else if let Some((a, b)) = oracle_credentials(t) {
        push(out, t, FindingKind::UrlCredentials, a, b);
    }

    // Path parameters (";jsessionid=…") and, for drivers such as SQL Server's
    // ("jdbc:sqlserver://host;user=sa;password=…"), parameters in the authority.
    let params_from = match (parts.userinfo, parts.authority) {
        (Some((_, at)), _) => at + 1,
        (None, Some((a, _))) => a,
        (None, None) => parts.rest,
    };
    let path_end = match (parts.query, parts.fragment) {
        (Some((q, _)), _) => q - 1,
        (None, Some((f, _))) => f - 1,
        (None, None) => n,
    };
    for k in params_from..path_end {
        if t.c(k) == ';' {
            let end = (k + 1..path_end)
                .find(|&j| matches!(t.c(j), ';' | '/'))
                .unwrap_or(path_end);
            scan_pair(t, k + 1, end, policy, out);
        }
    }
    for (from, to) in [parts.query, parts.fragment].into_iter().flatten() {
        scan_parameters(t, from, to, policy, out);
    }
    if depth < MAX_DEPTH {
        scan_nested(t, parts.rest, depth, out);
    }
}

/// User info with a password: `user:password`, `:password`, or a colon that was
/// percent-encoded (`u%3Ap%40`: WHATWG reads all of it as the user name, but it is a password).
/// A placeholder (`user:${DB_PASSWORD}@`, `user:****@`) is no password.
fn has_password(t: &MappedText, a: usize, at: usize) -> bool {
    let d = t.sub(a, at).percent_decode();
    (0..d.len())
        .find(|&k| d.c(k) == ':')
        .is_some_and(|c| c + 1 < d.len() && !is_placeholder(&d.slice(c + 1, d.len())))
}

/// Oracle's thin driver puts credentials after the last colon: `jdbc:oracle:thin:scott/tiger@…`.
fn oracle_credentials(t: &MappedText) -> Option<(usize, usize)> {
    if !starts_with_ci(t, 0, "jdbc:") {
        return None;
    }
    let at = (0..t.len()).find(|&k| t.c(k) == '@')?;
    let from = (0..at).rev().find(|&k| t.c(k) == ':')? + 1;
    let sep = (from..at).find(|&k| t.c(k) == '/')?;
    (sep > from && sep + 1 < at).then_some((from, at))
}

/// URLs nested after the authority (in a `next=` or `redirect_uri=` parameter, in the fragment,
/// in the path of an archive link), as written and percent-decoded once or twice (`%253A` is a
/// colon encoded twice). Nested URLs are judged as [`Policy::Embedded`].
fn scan_nested(t: &MappedText, from: usize, depth: u8, out: &mut Vec<SrcHit>) {
    let n = t.len();
    for (s, e) in find_urls(t, from, n, false) {
        scan_parsed(&t.sub(s, e), Policy::Embedded, depth + 1, out);
    }
    let mut d = t.sub(from, n);
    for _ in 0..2 {
        if !d.chars.iter().any(|m| m.c == '%') {
            break;
        }
        let decoded = d.percent_decode();
        if decoded.len() == d.len() {
            break;
        }
        for (s, e) in find_urls(&decoded, 0, decoded.len(), false) {
            scan_parsed(&decoded.sub(s, e), Policy::Embedded, depth + 1, out);
        }
        d = decoded;
    }
}

/// Characters after which `//` starts a scheme-relative URL.
fn url_boundary(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '=' | '"' | '\'' | '(' | '<' | '[' | ',' | ';' | '&' | '?' | '#' | '|' | '`'
        )
}

/// Characters that end a URL inside other text.
fn url_stop(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '|')
}

fn starts_with_ci(t: &MappedText, i: usize, prefix: &str) -> bool {
    (i..)
        .zip(prefix.chars())
        .all(|(k, p)| t.get(k).is_some_and(|c| c.eq_ignore_ascii_case(&p)))
}

/// The URLs in `from..to`, as index ranges: `scheme://…` (also wrapped, `jdbc:mysql://…`),
/// `jdbc:…` without `//` (Oracle), and `//…` after a boundary character (or at `from` if
/// `start_is_boundary`).
fn find_urls(
    t: &MappedText,
    from: usize,
    to: usize,
    start_is_boundary: bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = from;
    while k < to {
        let c = t.c(k);
        let start = if c == '/' && k + 1 < to && t.c(k + 1) == '/' {
            if k > from && t.c(k - 1) == ':' {
                scheme_start(t, from, k - 1)
            } else if (k == from && start_is_boundary) || (k > from && url_boundary(t.c(k - 1))) {
                Some(k)
            } else {
                None
            }
        } else if (c == 'j' || c == 'J')
            && starts_with_ci(t, k, "jdbc:")
            && !(k > from && t.c(k - 1).is_ascii_alphanumeric())
        {
            Some(k)
        } else {
            None
        };
        match start {
            Some(s) => {
                let e = (k..to).find(|&j| url_stop(t.c(j))).unwrap_or(to);
                if s < e {
                    out.push((s, e));
                }
                k = e.max(k + 1);
            }
            None => k += 1,
        }
    }
    out
}

/// The start of the scheme whose colon is at `colon`, including schemes it is wrapped in
/// (`jdbc:` of `jdbc:mysql:`), not before `from`.
fn scheme_start(t: &MappedText, from: usize, colon: usize) -> Option<usize> {
    let back = |mut s: usize| {
        while s > from && scheme_char(t.c(s - 1)) {
            s -= 1;
        }
        s
    };
    let mut s = back(colon);
    while s > from + 1 && t.c(s - 1) == ':' && scheme_char(t.c(s - 2)) {
        s = back(s - 1);
    }
    // A scheme starts with a letter ("2https" is no scheme, "https" in it is).
    while s < colon && !t.c(s).is_ascii_alphabetic() {
        s += 1;
    }
    (s < colon).then_some(s)
}

/// `name=value` pairs separated by `&` or `;` (also `?` and `#`, for single-page-app routes such
/// as `#/cb?access_token=…`).
fn scan_parameters(t: &MappedText, from: usize, to: usize, policy: Policy, out: &mut Vec<SrcHit>) {
    let mut k = from;
    while k < to {
        let end = (k..to)
            .find(|&j| matches!(t.c(j), '&' | ';' | '?' | '#'))
            .unwrap_or(to);
        scan_pair(t, k, end, policy, out);
        k = end + 1;
    }
}

/// One `name=value` pair in `from..to`: the value is found if the name is a secret one.
fn scan_pair(t: &MappedText, from: usize, to: usize, policy: Policy, out: &mut Vec<SrcHit>) {
    let Some(eq) = (from..to).find(|&j| t.c(j) == '=') else {
        return;
    };
    if eq + 1 >= to || !is_secret_parameter(&decode_name(&t.slice(from, eq))) {
        return;
    }
    if policy == Policy::Embedded && is_placeholder(&decode_name(&t.slice(eq + 1, to))) {
        return;
    }
    push(out, t, FindingKind::UrlSecretParameter, eq + 1, to);
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
/// Words before "token" that make it a paging value, not a credential (`settings.rs` adds the
/// anti-forgery ones for names outside URLs).
pub(super) const HARMLESS_TOKEN_KINDS: &[&str] = &[
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
pub fn split_words(name: &str) -> Vec<String> {
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
