//! Property tests for the guard: the scanners never panic, ranges are in bounds and on character
//! boundaries of the text they index (for tags: the key or the value, as the finding says),
//! messages never repeat what was found, a tag is its key and value scanned as names plus what
//! the key says about the value, and the URL splitting agrees with the WHATWG parser of the
//! `url` crate on user info.
#![cfg(not(target_arch = "wasm32"))]

use group_console::guard::{scan_name, scan_tag, scan_url, Finding, FindingKind, FindingPart};
use proptest::prelude::*;

/// Cases per property: a few thousand in the test suite; `GUARD_PROPTEST_CASES=200000` (see
/// scripts/bench.sh) for a long run.
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("GUARD_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

fn check_findings(text: &str, findings: &[Finding]) -> Result<(), TestCaseError> {
    for f in findings {
        prop_assert_eq!(f.part, FindingPart::Text);
        check_finding(text, f)?;
    }
    Ok(())
}

fn check_tag_findings(key: &str, value: &str, findings: &[Finding]) -> Result<(), TestCaseError> {
    for f in findings {
        let text = match f.part {
            FindingPart::Key => key,
            FindingPart::Value => value,
            FindingPart::Text => return Err(TestCaseError::fail("a tag finding in Text")),
        };
        check_finding(text, f)?;
    }
    Ok(())
}

fn check_finding(text: &str, f: &Finding) -> Result<(), TestCaseError> {
    prop_assert!(f.range.start < f.range.end, "empty range {:?}", f.range);
    prop_assert!(
        f.range.end <= text.len(),
        "range {:?} past the end {}",
        f.range,
        text.len()
    );
    prop_assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
    let Some(matched) = text.get(f.range.clone()) else {
        return Err(TestCaseError::fail(format!(
            "range {:?} off a character boundary",
            f.range
        )));
    };
    if matched.chars().count() >= 4 {
        prop_assert!(!f.message.contains(matched), "message repeats {matched:?}");
    }
    prop_assert!(!f.message.is_empty());
    prop_assert_eq!(&f.message, &message_of(f.kind));
    Ok(())
}

/// Messages depend on the kind only: they cannot repeat the data.
fn message_of(kind: FindingKind) -> String {
    let samples = [
        scan_name("123456789012"),
        scan_name("4111111111111111"),
        scan_name("DE89370400440532013000"),
        scan_name("account 12345678"),
        scan_name("routing 021000021"),
        scan_name("AKIAIOSFODNN7EXAMPLE"),
        scan_name("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        scan_name("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        scan_url("https://u:p@h/"),
        scan_url("https://h/?token=t"),
        scan_name("Password=p;"),
        scan_tag("password", "hunter2"),
    ];
    samples
        .iter()
        .flatten()
        .find(|f| f.kind == kind)
        .map(|f| f.message.clone())
        .unwrap_or_else(|| panic!("no sample for {kind:?}"))
}

/// Text that mixes the characters the scanners care about with arbitrary Unicode.
fn texty() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 \\-.]{0,40}",
        "[A-Z0-9]{0,30}",
        "[a-zA-Z0-9:/@?#&=%_.\\\\-]{0,60}",
        proptest::collection::vec(
            prop_oneof![
                Just("１".to_owned()),
                Just("٣".to_owned()),
                Just("\u{200B}".to_owned()),
                Just("–".to_owned()),
                Just("AKIA".to_owned()),
                Just("@".to_owned()),
                Just("%".to_owned()),
                Just("%4".to_owned()),
                Just("://".to_owned()),
                Just("eyJ".to_owned()),
                Just("DE89".to_owned()),
                "[0-9]{1,6}",
                "[a-z]{1,5}",
                Just("é".to_owned()),
                Just("\u{1F600}".to_owned()),
                Just("⑫".to_owned()),
                Just("⑴".to_owned()),
                Just("⒈".to_owned()),
                Just("\u{2028}".to_owned()),
                Just("\u{20E3}".to_owned()),
                Just("\u{0301}".to_owned()),
                Just("\u{FE0F}".to_owned()),
                Just("中文".to_owned()),
                Just("\u{05D0}\u{05D1}".to_owned()),
                Just("\u{202E}".to_owned()),
                Just(" - ".to_owned()),
                Just("_".to_owned()),
                Just("/".to_owned()),
                Just(":".to_owned()),
                Just(";".to_owned()),
                Just("=".to_owned()),
                Just("//".to_owned()),
                Just("jdbc:".to_owned()),
                Just("postgres://".to_owned()),
                Just("Password=".to_owned()),
                Just("pwd: ".to_owned()),
                Just("%3A".to_owned()),
                Just("%40".to_owned()),
                Just("%25".to_owned()),
                Just("ghp_".to_owned()),
                Just("sk_live_".to_owned()),
            ],
            0..24
        )
        .prop_map(|parts| parts.concat()),
    ]
}

/// Tag keys: arbitrary, and the words that change how a value is read.
fn tag_key() -> impl Strategy<Value = String> {
    prop_oneof![
        texty(),
        Just("AccountNumber".to_owned()),
        Just("customer_id".to_owned()),
        Just("CardNo".to_owned()),
        Just("IBAN".to_owned()),
        Just("db_password".to_owned()),
        Just("ApiKey".to_owned()),
        Just("CostCenter".to_owned()),
        "[a-zA-Z_:./ -]{0,20}",
    ]
}

proptest! {
    #![proptest_config(cases(3000))]

    #[test]
    fn scan_name_is_total_and_well_formed(text in texty()) {
        let findings = scan_name(&text);
        check_findings(&text, &findings)?;
    }

    #[test]
    fn scan_url_is_total_and_well_formed(text in texty()) {
        let findings = scan_url(&text);
        check_findings(&text, &findings)?;
    }

    #[test]
    fn scan_tag_is_total_and_well_formed(key in tag_key(), value in texty()) {
        let findings = scan_tag(&key, &value);
        check_tag_findings(&key, &value, &findings)?;
    }

    /// The key is scanned as a name; so is the value, and the key only ever adds findings.
    #[test]
    fn scan_tag_is_scan_name_plus_key_context(key in tag_key(), value in texty()) {
        let findings = scan_tag(&key, &value);
        let key_part: Vec<_> = findings.iter().filter(|f| f.part == FindingPart::Key).collect();
        let as_name = scan_name(&key);
        prop_assert_eq!(key_part.len(), as_name.len());
        for (a, b) in key_part.iter().zip(&as_name) {
            prop_assert_eq!((a.kind, &a.range), (b.kind, &b.range));
        }
        for f in scan_name(&value) {
            prop_assert!(
                findings.iter().any(|g| g.part == FindingPart::Value
                    && g.kind == f.kind
                    && g.range.start <= f.range.start
                    && f.range.end <= g.range.end),
                "{:?} of the value lost", f
            );
        }
        // Under a key that says nothing, the value is just a name.
        let plain: Vec<_> = scan_tag("Name", &value).into_iter().map(|f| (f.kind, f.range)).collect();
        let name: Vec<_> = scan_name(&value).into_iter().map(|f| (f.kind, f.range)).collect();
        prop_assert_eq!(plain, name);
    }
}

/// URL-like strings built from the pieces that matter for user info.
fn url_like() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("http"),
        Just("https"),
        Just("HTTPS"),
        Just("ftp"),
        Just("ws"),
        Just("foo")
    ];
    let slashes = prop_oneof![
        Just("://"),
        Just(":"),
        Just(":/"),
        Just(":\\\\"),
        Just(":///"),
        Just(":/\\")
    ];
    let user = "[a-z%0-9]{0,4}";
    let pass = proptest::option::of("[a-z0-9@]{0,4}");
    let at = prop_oneof![Just(""), Just("@"), Just("@@")];
    let host = prop_oneof![
        Just("example.com"),
        Just("127.0.0.1:8080"),
        Just("[::1]"),
        Just("h")
    ];
    let rest = "[/?#@a-z\\\\]{0,8}";
    (scheme, slashes, user, pass, at, host, rest).prop_map(|(s, sl, u, p, at, h, r)| {
        let userinfo = match p {
            Some(p) => format!("{u}:{p}"),
            None => u,
        };
        if at.is_empty() {
            format!("{s}{sl}{h}{r}")
        } else {
            format!("{s}{sl}{userinfo}{at}{h}{r}")
        }
    })
}

proptest! {
    #![proptest_config(cases(5000))]

    #[test]
    fn userinfo_agrees_with_whatwg(text in url_like()) {
        if let Ok(parsed) = url::Url::parse(&text) {
            let whatwg_has = !parsed.username().is_empty() || parsed.password().is_some_and(|p| !p.is_empty());
            let ours = scan_url(&text).iter().any(|f| f.kind == FindingKind::UrlCredentials);
            // The one deliberate difference (see guard::url::split): an opaque path that reads
            // like "user:pass@host" is flagged although WHATWG sees no user info.
            if parsed.cannot_be_a_base() && ours && !whatwg_has {
                return Ok(());
            }
            prop_assert_eq!(ours, whatwg_has, "{:?}: url crate user={:?} pass={:?}", text, parsed.username(), parsed.password());
        }
    }
}
