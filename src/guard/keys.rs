//! Credentials by their shape: AWS access key IDs and secret keys, and the tokens of common
//! services (JWTs, GitHub, GitLab, Stripe, Slack, Discord and Telegram webhooks, Google and npm
//! keys, PEM private keys).
//!
//! Names glue words to credentials (`runner-ghp_…`, `ci_AKIA…`, `deploy_sk_live_…`,
//! `buildghp_…`), so a token prefix counts wherever it starts. Where the prefix is glued straight
//! to a letter or digit, the part after the prefix must also look generated (letters and digits
//! mixed): `task_test_abcdefghijklmnop` holds "sk_test_" but no Stripe key.

use super::numbers::Hit;
use super::text::MappedText;
use super::FindingKind;

/// Prefixes of AWS access key IDs: long-term (AKIA), temporary (ASIA), and the two used by
/// AWS's own services and certificates (ABIA, ACCA).
const AWS_KEY_PREFIXES: [&str; 4] = ["AKIA", "ASIA", "ABIA", "ACCA"];

fn upper_alnum(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn url_safe(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn base64_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '/' || c == '+'
}

/// Does normalised text at `i` start with `prefix` (exact case)?
fn starts_with(t: &MappedText, i: usize, prefix: &str) -> bool {
    (i..).zip(prefix.chars()).all(|(k, p)| t.get(k) == Some(p))
}

/// Same, ignoring ASCII case.
fn starts_with_ci(t: &MappedText, i: usize, prefix: &str) -> bool {
    (i..)
        .zip(prefix.chars())
        .all(|(k, p)| t.get(k).is_some_and(|c| c.eq_ignore_ascii_case(&p)))
}

/// Counts characters from `i` that satisfy `ok`.
fn span(t: &MappedText, i: usize, ok: impl Fn(char) -> bool) -> usize {
    let mut k = i;
    while k < t.len() && ok(t.c(k)) {
        k += 1;
    }
    k - i
}

fn before_is(t: &MappedText, i: usize, ok: impl Fn(char) -> bool) -> bool {
    i > 0 && ok(t.c(i - 1))
}

pub fn scan(t: &MappedText, hits: &mut Vec<Hit>) {
    let n = t.len();
    let mut i = 0;
    while i < n {
        match match_at(t, i) {
            Some((kind, start, end)) => {
                hits.push((kind, start, end));
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    scan_aws_secret_keys(t, hits);
}

/// A token that starts at `i`, as (kind, start, end).
fn match_at(t: &MappedText, i: usize) -> Option<Hit> {
    let c = t.c(i);
    // Every shape below starts with one of these characters; most positions of a name start
    // none, and this keeps the scan about as fast as when tokens had to stand alone.
    if !matches!(c, 'A' | 'e' | 'g' | 's' | 'r' | 'x' | 'n' | '-' | '0'..='9') {
        return webhook_at(t, i);
    }
    // AWS access key ID: prefix + 16 upper-case letters or digits, standing alone.
    if c == 'A' && !before_is(t, i, upper_alnum) {
        // "A3T" + one more character is an older prefix (gitleaks' rule knows it too).
        if starts_with(t, i, "A3T") && span(t, i, upper_alnum) == 20 {
            return Some((FindingKind::AwsAccessKeyId, i, i + 20));
        }
        for p in AWS_KEY_PREFIXES {
            if starts_with(t, i, p) && span(t, i + 4, upper_alnum) == 16 {
                let tail = t.slice(i + 4, i + 20);
                // "ASIA" starts ordinary words (ASIAPACIFICSOUTHEAST): real keys carry digits.
                if p != "ASIA" || tail.chars().any(|c| c.is_ascii_digit()) {
                    return Some((FindingKind::AwsAccessKeyId, i, i + 20));
                }
            }
        }
    }
    // Glued straight to a letter or digit ("buildghp_…"): the token must look generated.
    let glued = before_is(t, i, alnum);
    let token = |prefix_len: usize, min: usize, ok: fn(char) -> bool| {
        let len = span(t, i + prefix_len, ok);
        let tail = || t.slice(i + prefix_len, i + prefix_len + len);
        (len >= min && (!glued || looks_generated(&tail()))).then_some((
            FindingKind::ApiToken,
            i,
            i + prefix_len + len,
        ))
    };
    if c == 'e' && starts_with(t, i, "eyJ") {
        // JWT: base64url header "eyJ…", a dot, a base64url payload "eyJ…", a dot, a signature.
        // The shape is distinctive enough to count even when glued to a word.
        let h = span(t, i, url_safe);
        if h >= 10 && t.get(i + h) == Some('.') && starts_with(t, i + h + 1, "eyJ") {
            let p = span(t, i + h + 1, url_safe);
            if p >= 10 && t.get(i + h + 1 + p) == Some('.') {
                let s = span(t, i + h + 2 + p, url_safe);
                return Some((FindingKind::ApiToken, i, i + h + 2 + p + s));
            }
        }
    }
    let c2 = t.get(i + 1);
    for p in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        if c == 'g' && c2 == Some('h') && starts_with(t, i, p) {
            if let Some(hit) = token(4, 36, alnum) {
                return Some(hit);
            }
        }
    }
    if c == 'g' && c2 == Some('i') && starts_with(t, i, "github_pat_") {
        if let Some(hit) = token(11, 22, |c| alnum(c) || c == '_') {
            return Some(hit);
        }
    }
    // GitLab personal, runner, deploy and pipeline-trigger tokens.
    for p in ["glpat-", "glrt-", "gldt-", "glptt-"] {
        if c == 'g' && c2 == Some('l') && starts_with(t, i, p) {
            if let Some(hit) = token(p.len(), 20, url_safe) {
                return Some(hit);
            }
        }
    }
    for p in ["sk_live_", "rk_live_", "sk_test_", "rk_test_"] {
        if (c == 's' || c == 'r') && c2 == Some('k') && starts_with(t, i, p) {
            if let Some(hit) = token(8, 16, alnum) {
                return Some(hit);
            }
        }
    }
    // Slack: every token shape has numeric parts ("xoxb-1234…"); "xoxo-gossip-girl" has none.
    if c == 'x'
        && starts_with(t, i, "xox")
        && t.get(i + 3).is_some_and(|c| "abposre".contains(c))
        && t.get(i + 4) == Some('-')
    {
        let len = span(t, i + 5, |c| alnum(c) || c == '-');
        let has_digit = (i + 5..i + 5 + len).any(|k| t.c(k).is_ascii_digit());
        if has_digit {
            if let Some(hit) = token(5, 10, |c| alnum(c) || c == '-') {
                return Some(hit);
            }
        }
    }
    if c == 'A' && starts_with(t, i, "AIza") {
        let len = span(t, i + 4, url_safe);
        if len == 35 && (!glued || looks_generated(&t.slice(i + 4, i + 39))) {
            return Some((FindingKind::ApiToken, i, i + 39));
        }
    }
    if c == 'n' && starts_with(t, i, "npm_") {
        if let Some(hit) = token(4, 36, alnum) {
            return Some(hit);
        }
    }
    if c == '-' && starts_with(t, i, "-----BEGIN") {
        let rest = t.slice(i, (i + 60).min(t.len()));
        if rest.contains("PRIVATE KEY") {
            let end = (i..t.len())
                .find(|&k| starts_with(t, k, "-----END"))
                .map_or(t.len(), |k| {
                    let tail = span(t, k + 8, |c| c != '\n');
                    (k + 8 + tail).min(t.len())
                });
            return Some((FindingKind::ApiToken, i, end));
        }
    }
    // A Telegram bot token: 8–10 digits (the whole run), a colon, "AA" and 33 more characters.
    if c.is_ascii_digit() && !before_is(t, i, |c| c.is_ascii_digit()) {
        let d = span(t, i, |c| c.is_ascii_digit());
        if (8..=10).contains(&d) && t.get(i + d) == Some(':') && starts_with(t, i + d + 1, "AA") {
            let len = span(t, i + d + 1, url_safe);
            if len >= 35 {
                return Some((FindingKind::ApiToken, i, i + d + 1 + len));
            }
        }
    }
    webhook_at(t, i)
}

/// Webhook URLs whose path is the secret: Slack, Discord, Telegram bots. The hit covers the
/// secret part of the path.
fn webhook_at(t: &MappedText, i: usize) -> Option<Hit> {
    if !matches!(t.c(i), 'h' | 'H' | 'd' | 'D' | 'a' | 'A') {
        return None;
    }
    if starts_with_ci(t, i, "hooks.slack.com/services/") {
        let s = i + "hooks.slack.com/services/".len();
        let len = span(t, s, |c| alnum(c) || c == '/');
        if len >= 20 {
            return Some((FindingKind::ApiToken, s, s + len));
        }
    }
    for host in ["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"] {
        if starts_with_ci(t, i, host) {
            let s = i + host.len();
            let id = span(t, s, |c| c.is_ascii_digit());
            if id >= 5 && t.get(s + id) == Some('/') {
                let tok = span(t, s + id + 1, url_safe);
                if tok >= 20 {
                    return Some((FindingKind::ApiToken, s, s + id + 1 + tok));
                }
            }
        }
    }
    if starts_with_ci(t, i, "api.telegram.org/bot") {
        let s = i + "api.telegram.org/bot".len();
        let id = span(t, s, |c| c.is_ascii_digit());
        if id >= 5 && t.get(s + id) == Some(':') {
            let tok = span(t, s + id + 1, url_safe);
            if tok >= 20 {
                return Some((FindingKind::ApiToken, s, s + id + 1 + tok));
            }
        }
    }
    None
}

/// AWS secret access keys: exactly 40 characters of `[A-Za-z0-9/+]`, standing alone, with upper
/// case, lower case and digits mixed the way random keys are (and unlike words or hex hashes).
fn scan_aws_secret_keys(t: &MappedText, hits: &mut Vec<Hit>) {
    let n = t.len();
    let mut i = 0;
    while i < n {
        if !base64_char(t.c(i)) {
            i += 1;
            continue;
        }
        let len = span(t, i, base64_char);
        if len == 40 && looks_random(&t.slice(i, i + 40)) {
            hits.push((FindingKind::AwsSecretKey, i, i + 40));
        } else if (42..=52).contains(&len) {
            // Glued to a lower-case word ("secretwJalr…", "ci" + key): the word, then 40
            // random-looking characters.
            let word = len - 40;
            let k = i + word;
            if (i..k).all(|j| t.c(j).is_ascii_lowercase()) && looks_random(&t.slice(k, k + 40)) {
                hits.push((FindingKind::AwsSecretKey, k, k + 40));
            }
        }
        i += len;
    }
}

/// Generated-looking: letters and digits mixed, as in every service token (and unlike words).
fn looks_generated(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && s.chars().any(|c| c.is_ascii_alphabetic())
}

/// Random-looking: upper case, lower case and digits all present; at least two digits or `/`/`+`;
/// at least two pairs of adjacent capitals (random keys have about six, camelCase names about
/// none); and high character entropy. A real key fails this about 1.6% of the time; names and
/// hex hashes (no capitals) do not pass.
pub fn looks_random(s: &str) -> bool {
    let has = |f: fn(&char) -> bool| s.chars().any(|c| f(&c));
    if !(has(char::is_ascii_uppercase)
        && has(char::is_ascii_lowercase)
        && has(char::is_ascii_digit))
    {
        return false;
    }
    let non_letters = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '/' || *c == '+')
        .count();
    let chars: Vec<char> = s.chars().collect();
    let capital_pairs = chars
        .windows(2)
        .filter(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase())
        .count();
    if non_letters < 2 || capital_pairs < 2 {
        return false;
    }
    let mut counts = [0u32; 128];
    let mut total = 0u32;
    for c in s.chars().filter(|c| c.is_ascii()) {
        counts[c as usize] += 1;
        total += 1;
    }
    let entropy: f64 = counts
        .iter()
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = k as f64 / total as f64;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_separates_keys_from_words() {
        assert!(looks_random("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(!looks_random("ThisIsMyVeryLongGroupNameForProduction12"));
        assert!(!looks_random("ProdWebServersInUsEast1AndUsWest2Backups"));
        assert!(!looks_random("3f786850e387550fdab836ed7e6dc881de23001b"));
    }
}
