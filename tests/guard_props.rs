//! Property tests for the guard: the scanners never panic, ranges are in bounds and on character
//! boundaries, messages never repeat what was found, and the URL splitting agrees with the
//! WHATWG parser of the `url` crate on user info.
#![cfg(not(target_arch = "wasm32"))]

use group_console::guard::{scan_name, scan_url, Finding, FindingKind};
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
        prop_assert!(f.range.start < f.range.end, "empty range {:?}", f.range);
        prop_assert!(
            f.range.end <= text.len(),
            "range {:?} past the end {}",
            f.range,
            text.len()
        );
        prop_assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
        let matched = &text[f.range.clone()];
        if matched.chars().count() >= 4 {
            prop_assert!(!f.message.contains(matched), "message repeats {matched:?}");
        }
        prop_assert!(!f.message.is_empty());
    }
    Ok(())
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
            ],
            0..20
        )
        .prop_map(|parts| parts.concat()),
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
