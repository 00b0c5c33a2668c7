//! Account numbers written into names: AWS account IDs, payment card numbers, IBANs, US routing
//! numbers, and long numbers next to a word such as "account".
//!
//! Digits are read from normalised text (see `text`), as runs of digits and as chains of runs
//! joined by short runs of separators (`1234-5678-9012`, `4111 1111 1111 1111`,
//! `1234 - 5678 - 9012`, `1234__5678/9012`).
//!
//! Loosely joined digits are also how harmless numbers are written, so a chain is judged as a
//! whole and by its maximal windows of one repeated separator (`1234-5678-9012 / 42` holds the
//! account ID `1234-5678-9012`), and these shapes are never account numbers:
//!
//! - an IPv4 address: exactly four groups of 1–3 digits, each at most 255, one separator
//!   throughout (`192.168.100.200`, EC2's `ip-10-0-12-7`). A 3-3-3-3 account ID whose four groups
//!   all happen to be ≤ 255 is missed: about 0.4% of 3-3-3-3 groupings, and 4-4-4 is the usual
//!   way account IDs are grouped;
//! - a date, optionally with a time (`2024.01.15`, `15.01.2024`, `01/15/2024 12.30`): see
//!   [`is_grouped_date`]; ungrouped dates and timestamps: [`is_timestamp`];
//! - a dotted version right after a `v` (`v100.200.300.400`);
//! - groups shorter than 3 digits never make an account ID or a card (versions `1.2.3`, times
//!   `12.30.45`, phone numbers `555-123-4567` have such groups).

use super::text::MappedText;
use super::FindingKind;

/// A finding before its message is attached: kind and normalised-character span.
pub type Hit = (FindingKind, usize, usize);

#[derive(Clone, Copy, Debug)]
struct Run {
    start: usize,
    end: usize,
}

impl Run {
    fn len(self) -> usize {
        self.end - self.start
    }
}

/// Digit groups joined by short runs of separators.
#[derive(Clone, Debug)]
struct Chain {
    runs: Vec<Run>,
}

/// Characters that may join digit groups, after normalisation (Unicode dashes are `-`; Unicode
/// spaces, tabs, newlines and line/paragraph separators are ` `).
const GROUP_SEPARATORS: [char; 5] = [' ', '-', '_', '/', '.'];
/// The longest run of separators between two groups: ` - ` is three.
const MAX_GAP: usize = 3;

fn start(runs: &[Run]) -> usize {
    runs[0].start
}

fn end(runs: &[Run]) -> usize {
    runs[runs.len() - 1].end
}

fn digits(t: &MappedText, runs: &[Run]) -> Vec<u8> {
    runs.iter()
        .flat_map(|r| (r.start..r.end).map(|i| t.c(i) as u8 - b'0'))
        .collect()
}

fn lens(runs: &[Run]) -> Vec<usize> {
    runs.iter().map(|r| r.len()).collect()
}

fn digit_count(runs: &[Run]) -> usize {
    runs.iter().map(|r| r.len()).sum()
}

/// The separators between runs `g` and `g + 1` are the same characters as between `h` and
/// `h + 1`.
fn same_gap(t: &MappedText, runs: &[Run], g: usize, h: usize) -> bool {
    let (a, b) = (
        runs[g].end..runs[g + 1].start,
        runs[h].end..runs[h + 1].start,
    );
    a.len() == b.len() && a.zip(b).all(|(x, y)| t.c(x) == t.c(y))
}

fn one_separator(t: &MappedText, runs: &[Run]) -> bool {
    (1..runs.len().saturating_sub(1)).all(|g| same_gap(t, runs, 0, g))
}

/// The windows of a chain to judge: the whole chain, and each maximal window whose separators
/// are all the same (when there is more than one).
fn windows<'a>(t: &MappedText, chain: &'a Chain) -> Vec<&'a [Run]> {
    let runs = &chain.runs[..];
    let mut out = vec![runs];
    if runs.len() < 3 || one_separator(t, runs) {
        return out;
    }
    let mut from = 0;
    for g in 1..runs.len() {
        // Gap g - 1 is in the current window; gap g (if any) continues it only if equal.
        let continues = g + 1 < runs.len() && same_gap(t, runs, g - 1, g);
        if !continues {
            if g + 1 - from >= 2 {
                out.push(&runs[from..=g]);
            }
            from = g;
        }
    }
    out
}

/// The number the digits spell, saturating (groups can be any length).
fn value(d: &[u8]) -> u32 {
    d.iter()
        .fold(0u32, |n, &x| n.saturating_mul(10).saturating_add(x as u32))
}

/// An IPv4 address: four groups of 1–3 digits, each ≤ 255, one separator throughout.
fn is_ipv4(t: &MappedText, runs: &[Run]) -> bool {
    let group = |r: &Run| (r.start..r.end).fold(0, |n, i| n * 10 + (t.c(i) as u32 - '0' as u32));
    runs.len() == 4
        && runs
            .iter()
            .all(|r| (1..=3).contains(&r.len()) && group(r) <= 255)
        && one_separator(t, runs)
}

/// A dotted version: `v` (not ending a word) right before groups joined by single dots.
fn is_version(t: &MappedText, runs: &[Run]) -> bool {
    let s = start(runs);
    let v = s.checked_sub(1).and_then(|i| t.get(i));
    let word_before = s.checked_sub(2).and_then(|i| t.get(i));
    matches!(v, Some('v' | 'V'))
        && !word_before.is_some_and(|c| c.is_ascii_alphabetic())
        && (0..runs.len() - 1)
            .all(|g| runs[g + 1].start == runs[g].end + 1 && t.c(runs[g].end) == '.')
}

/// A grouped date, year first (`2024.01.15`) or last (`15.01.2024`, `01/15/2024`), years
/// 1900–2099, optionally followed by groups of at most 2 digits (a time: `15.01.2024 12.30`).
pub fn is_grouped_date(lens: &[usize], d: &[u8]) -> bool {
    if lens.len() < 3 || lens[3..].iter().any(|&l| l > 2) {
        return false;
    }
    let (a, b, c) = (lens[0], lens[1], lens[2]);
    if d.len() < a + b + c {
        return false;
    }
    let (x, y, z) = (
        value(&d[..a]),
        value(&d[a..a + b]),
        value(&d[a + b..a + b + c]),
    );
    let short = |l: usize| (1..=2).contains(&l);
    let year = |v: u32| (1900..=2099).contains(&v);
    let month_day = |m: u32, day: u32| (1..=12).contains(&m) && (1..=31).contains(&day);
    (a == 4 && short(b) && short(c) && year(x) && month_day(y, z))
        || (c == 4 && short(a) && short(b) && year(z) && (month_day(y, x) || month_day(x, y)))
}

/// Whether a long number is some ordinary number rather than an account of some kind. Only a
/// dotted IPv4 address counts here: `12-34-56-78` next to "account" is an account number.
fn is_harmless_shape(t: &MappedText, runs: &[Run], d: &[u8]) -> bool {
    let dotted = t.get(runs[0].end) == Some('.');
    is_timestamp(d)
        || is_grouped_date(&lens(runs), d)
        || (dotted && is_ipv4(t, runs))
        || is_version(t, runs)
}

pub fn scan(t: &MappedText, masked: &[bool], hits: &mut Vec<Hit>) {
    let runs = digit_runs(t);
    let chains = chains(t, &runs);
    let is_masked = |r: &Run| (r.start..r.end).all(|i| masked[i]);

    for r in runs.iter().filter(|r| !is_masked(r)) {
        let digits: Vec<u8> = (r.start..r.end).map(|i| t.c(i) as u8 - b'0').collect();
        match digits.len() {
            12 if !is_timestamp(&digits) => hits.push((FindingKind::AwsAccountId, r.start, r.end)),
            9 if is_aba_routing(&digits) => hits.push((FindingKind::RoutingNumber, r.start, r.end)),
            13..=19 if is_card(&digits) => hits.push((FindingKind::PaymentCard, r.start, r.end)),
            _ => {}
        }
    }

    // Accounts IDs have 12 digits, cards 13–19: shorter chains need no closer look.
    for chain in chains
        .iter()
        .filter(|c| c.runs.len() >= 2 && digit_count(&c.runs) >= 12)
    {
        for w in windows(t, chain) {
            if w.len() < 2 || digit_count(w) < 12 || w.iter().any(is_masked) {
                continue;
            }
            let lens = lens(w);
            let digits = digits(t, w);
            if is_ipv4(t, w) || is_version(t, w) {
                continue;
            }
            // Grouped account IDs (1234-5678-9012, 123 456 789 012, 123-456-789012): groups of at
            // least 3 digits (phone numbers and versions have shorter groups).
            if digits.len() == 12 && lens.iter().all(|&l| l >= 3) && !is_timestamp(&digits) {
                hits.push((FindingKind::AwsAccountId, start(w), end(w)));
            }
            // Grouped card numbers (4-4-4-4, 4-6-5, 4-4-4-4-3): groups of 3 to 6.
            if (13..=19).contains(&digits.len())
                && lens.iter().all(|&l| (3..=6).contains(&l))
                && is_card(&digits)
            {
                hits.push((FindingKind::PaymentCard, start(w), end(w)));
            }
        }
    }

    scan_ibans(t, hits);
    scan_keyword_numbers(t, &chains, masked, hits);
}

fn digit_runs(t: &MappedText) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if t.c(i).is_ascii_digit() {
            let start = i;
            while i < t.len() && t.c(i).is_ascii_digit() {
                i += 1;
            }
            runs.push(Run { start, end: i });
        } else {
            i += 1;
        }
    }
    runs
}

/// Groups runs separated by 1–3 separator characters, in any mix.
fn chains(t: &MappedText, runs: &[Run]) -> Vec<Chain> {
    let mut out: Vec<Chain> = Vec::new();
    for (k, r) in runs.iter().enumerate() {
        let joined = k > 0 && {
            let prev = runs[k - 1];
            let gap = prev.end..r.start;
            (1..=MAX_GAP).contains(&gap.len())
                && gap.clone().all(|i| GROUP_SEPARATORS.contains(&t.c(i)))
        };
        if joined {
            out.last_mut().expect("a chain to extend").runs.push(*r);
        } else {
            out.push(Chain { runs: vec![*r] });
        }
    }
    out
}

/// Numbers of 8 or more digits (grouped or not) that are not dates, timestamps, IPv4 addresses,
/// versions, or digits of a UUID or hash: what a word such as "account" next to it, or a tag key
/// such as `AccountNumber`, makes an account number. As normalised-character spans.
pub fn long_numbers(t: &MappedText, masked: &[bool]) -> Vec<(usize, usize)> {
    chains(t, &digit_runs(t))
        .iter()
        .filter(|c| is_long_number(t, &c.runs, masked))
        .map(|c| (start(&c.runs), end(&c.runs)))
        .collect()
}

/// Also not an international phone number (`+1 555 123 4567`), a hexadecimal number
/// (`0x12345678`), nor digits of an email address or handle (`alice12345678@example.com`).
fn is_long_number(t: &MappedText, runs: &[Run], masked: &[bool]) -> bool {
    if digit_count(runs) < 8 {
        return false;
    }
    let d = digits(t, runs);
    let (s, e) = (start(runs), end(runs));
    let before = |k: usize| s.checked_sub(k).and_then(|i| t.get(i));
    let hex = matches!(before(1), Some('x' | 'X')) && before(2) == Some('0');
    d.len() >= 8
        && !is_harmless_shape(t, runs, &d)
        && !(s..e).all(|i| masked[i])
        && !matches!(before(1), Some('+' | '@'))
        && !hex
        && t.get(e) != Some('@')
}

/// A plausible date or timestamp: YYYYMMDD, YYYYMMDDhhmm or YYYYMMDDhhmmss (years 1900–2099).
pub fn is_timestamp(d: &[u8]) -> bool {
    let num = |a: usize, b: usize| d[a..b].iter().fold(0u32, |n, &x| n * 10 + x as u32);
    if !matches!(d.len(), 8 | 12 | 14) {
        return false;
    }
    let (year, month, day) = (num(0, 4), num(4, 6), num(6, 8));
    let date_ok =
        (1900..=2099).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    let time_ok = match d.len() {
        12 => num(8, 10) <= 23 && num(10, 12) <= 59,
        14 => num(8, 10) <= 23 && num(10, 12) <= 59 && num(12, 14) <= 60,
        _ => true,
    };
    date_ok && time_ok
}

/// The Luhn checksum used by payment cards.
pub fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = x as u32;
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    !d.is_empty() && sum % 10 == 0
}

/// A card number: a real issuer prefix with a length that issuer uses, and a valid Luhn digit.
pub fn is_card(d: &[u8]) -> bool {
    let len = d.len();
    let p = |n: usize| d.iter().take(n).fold(0u32, |acc, &x| acc * 10 + x as u32);
    let issuer = match d.first() {
        Some(4) => matches!(len, 13 | 16 | 19), // Visa
        Some(5) => {
            (51..=55).contains(&p(2)) && len == 16
                || (p(2) == 50 || (56..=58).contains(&p(2))) && (12..=19).contains(&len)
        } // Mastercard, Maestro
        Some(2) => {
            (2221..=2720).contains(&p(4)) && len == 16
                || (2200..=2204).contains(&p(4)) && (16..=19).contains(&len)
        } // Mastercard 2-series, Mir
        Some(3) => {
            (p(2) == 34 || p(2) == 37) && len == 15                                        // Amex
                || ((300..=305).contains(&p(3)) || p(4) == 3095 || p(2) == 36 || p(2) == 38 || p(2) == 39) && (14..=19).contains(&len) // Diners
                || (3528..=3589).contains(&p(4)) && (16..=19).contains(&len) // JCB
        }
        Some(6) => (12..=19).contains(&len), // Discover, UnionPay, Maestro, RuPay
        Some(8) => (p(2) == 81 || p(2) == 82) && len == 16, // RuPay
        _ => false,
    };
    issuer && luhn(d)
}

/// A US ABA routing number: 9 digits, a Federal Reserve prefix and the 3-7-1 checksum.
pub fn is_aba_routing(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let prefix = d[0] as u32 * 10 + d[1] as u32;
    let prefix_ok = matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80);
    let w = |i: usize| d[i] as u32;
    let sum = 3 * (w(0) + w(3) + w(6)) + 7 * (w(1) + w(4) + w(7)) + (w(2) + w(5) + w(8));
    // All zeros passes the checksum but is no routing number.
    prefix_ok && sum % 10 == 0 && d.iter().any(|&x| x != 0)
}

/// IBAN lengths per country (SWIFT IBAN registry).
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

fn iban_length(cc: &str) -> Option<usize> {
    IBAN_LENGTHS.iter().find(|(c, _)| *c == cc).map(|(_, n)| *n)
}

/// The ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1.
pub fn iban_checksum_ok(iban: &str) -> bool {
    let b = iban.as_bytes();
    if b.len() < 5 {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

fn scan_ibans(t: &MappedText, hits: &mut Vec<Hit>) {
    let n = t.len();
    let mut i = 0;
    while i + 4 <= n {
        let (a, b) = (t.c(i), t.c(i + 1));
        if !(a.is_ascii_alphabetic()
            && b.is_ascii_alphabetic()
            && t.c(i + 2).is_ascii_digit()
            && t.c(i + 3).is_ascii_digit())
        {
            i += 1;
            continue;
        }
        let cc: String = [a.to_ascii_uppercase(), b.to_ascii_uppercase()]
            .iter()
            .collect();
        let Some(want) = iban_length(&cc) else {
            i += 1;
            continue;
        };
        // Collect alphanumerics, allowing a short run of separators between groups
        // ("GB82 WEST 1234", "DE89-3704-0044", "DE89 / 3704 / 0044").
        let mut chars = String::new();
        let mut j = i;
        while j < n && chars.len() < want {
            let c = t.c(j);
            if c.is_ascii_alphanumeric() {
                chars.push(c.to_ascii_uppercase());
                j += 1;
                continue;
            }
            let gap = span_separators(t, j);
            if (1..=MAX_GAP).contains(&gap)
                && t.get(j + gap).is_some_and(|c| c.is_ascii_alphanumeric())
                && !chars.is_empty()
            {
                j += gap;
            } else {
                break;
            }
        }
        let followed_by_digit = t.get(j).is_some_and(|c| c.is_ascii_digit());
        if chars.len() == want
            && !followed_by_digit
            && mostly_digits(&chars)
            && iban_checksum_ok(&chars)
        {
            hits.push((FindingKind::Iban, i, j));
            i = j;
        } else {
            i += 1;
        }
    }
}

fn span_separators(t: &MappedText, from: usize) -> usize {
    (from..t.len())
        .take_while(|&k| GROUP_SEPARATORS.contains(&t.c(k)))
        .count()
}

/// At least half of the account part (after country and check digits) is digits: true of every
/// country's IBAN format (the most letters are Malta's and Qatar's, 45%), not of words and paths
/// that happen to start like an IBAN ("de12/prod/web/logs…").
fn mostly_digits(iban: &str) -> bool {
    let bban = iban.chars().skip(4);
    let (len, digits) = bban.fold((0, 0), |(n, d), c| (n + 1, d + c.is_ascii_digit() as usize));
    digits * 2 >= len
}

/// Words that say the number next to them is an account of some kind.
const ACCOUNT_WORDS: &[&str] = &[
    "account", "acct", "acc", "acnt", "accno", "bank", "iban", "routing", "aba", "customer",
    "cust", "client", "card", "member", "sortcode", "bsb",
];
/// Words allowed between the keyword and the number ("account no 12345678").
const FILLER_WORDS: &[&str] = &["no", "nr", "num", "number", "id", "nbr", "s"];

fn scan_keyword_numbers(t: &MappedText, chains: &[Chain], masked: &[bool], hits: &mut Vec<Hit>) {
    let lower: Vec<char> = t.chars.iter().map(|m| m.c.to_ascii_lowercase()).collect();
    for chain in chains {
        if !is_long_number(t, &chain.runs, masked) {
            continue;
        }
        let chain_start = start(&chain.runs);
        // Walk back over separators and filler words to find a keyword ending right before.
        let mut k = chain_start;
        let mut found = false;
        for _ in 0..4 {
            // Skip separators.
            let mut s = k;
            while s > 0 && !t.c(s - 1).is_alphanumeric() && chain_start - (s - 1) <= 12 {
                s -= 1;
            }
            // The word (letters only) ending at s.
            let mut w = s;
            while w > 0 && lower[w - 1].is_ascii_alphabetic() {
                w -= 1;
                // A camelCase boundary ends the word: "myAcct" → "Acct".
                if t.c(w).is_ascii_uppercase() && w > 0 && t.c(w - 1).is_ascii_lowercase() {
                    break;
                }
            }
            if w == s {
                break;
            }
            let word: String = lower[w..s].iter().collect();
            if ends_with_keyword(&word) {
                found = true;
                break;
            }
            if FILLER_WORDS.contains(&word.as_str()) {
                k = w;
                continue;
            }
            break;
        }
        if found {
            hits.push((FindingKind::BankAccount, chain_start, end(&chain.runs)));
        }
    }
}

/// `word` (lower case) is made of account keywords, optionally ending in a filler word:
/// "account", "accounts", "accountid", "bankacct", "custno". Not "access", "custom",
/// "cardinality": a keyword must be followed by another keyword, a filler word or nothing.
pub fn is_account_compound(word: &str) -> bool {
    fn rest_ok(rest: &str, depth: u8) -> bool {
        rest.is_empty()
            || FILLER_WORDS.contains(&rest)
            || (depth < 3
                && ACCOUNT_WORDS
                    .iter()
                    .any(|k| rest.strip_prefix(k).is_some_and(|r| rest_ok(r, depth + 1))))
    }
    ACCOUNT_WORDS
        .iter()
        .any(|k| word.strip_prefix(k).is_some_and(|r| rest_ok(r, 0)))
}

/// `word` is a keyword, or a compound ending in one ("bankacct", "custacct"), but not an
/// ordinary word that merely ends in the same letters ("discard" is not "card").
fn ends_with_keyword(word: &str) -> bool {
    if ACCOUNT_WORDS.contains(&word) {
        return true;
    }
    ACCOUNT_WORDS.iter().any(|k| {
        k.len() >= 4
            && word.len() > k.len()
            && word.ends_with(k)
            && word
                .strip_suffix(k)
                .is_some_and(|head| ACCOUNT_WORDS.iter().any(|p| head.ends_with(p)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn luhn_and_card_prefixes() {
        assert!(is_card(&digits("4111111111111111")));
        assert!(is_card(&digits("5500005555555559")));
        assert!(is_card(&digits("378282246310005")));
        assert!(is_card(&digits("6011111111111117")));
        assert!(is_card(&digits("3530111333300000")));
        assert!(is_card(&digits("2223003122003222")));
        assert!(is_card(&digits("30569309025904")));
        assert!(!is_card(&digits("4111111111111112")), "bad check digit");
        assert!(
            !is_card(&digits("1234567812345670")),
            "no issuer starts with 1"
        );
        assert!(!is_card(&digits("9111111111111111")));
    }

    #[test]
    fn aba_routing_checksum() {
        assert!(is_aba_routing(&digits("011000015")));
        assert!(is_aba_routing(&digits("021000021")));
        assert!(!is_aba_routing(&digits("021000022")));
        assert!(!is_aba_routing(&digits("123456789")));
        assert!(!is_aba_routing(&digits("000000000")));
    }

    #[test]
    fn iban_checksums() {
        assert!(iban_checksum_ok("DE89370400440532013000"));
        assert!(iban_checksum_ok("GB82WEST12345698765432"));
        assert!(!iban_checksum_ok("DE89370400440532013001"));
    }

    #[test]
    fn timestamps() {
        assert!(is_timestamp(&digits("20261128")));
        assert!(is_timestamp(&digits("202611281230")));
        assert!(is_timestamp(&digits("20261128123059")));
        assert!(!is_timestamp(&digits("123456789012")));
        assert!(!is_timestamp(&digits("202613281230")));
    }

    #[test]
    fn compound_keywords() {
        assert!(ends_with_keyword("acct"));
        assert!(ends_with_keyword("bankacct"));
        assert!(!ends_with_keyword("discard"));
        assert!(!ends_with_keyword("backup"));
    }
}
