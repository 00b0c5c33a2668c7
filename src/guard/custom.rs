//! Detectors of a person's own: organisation-specific identifiers (customer numbers, internal
//! ticket IDs) that no built-in rule knows, as simple patterns or keywords. Once set
//! ([`set_detectors`]), every scan of a name, tag or description applies them, so the store,
//! the forms, the sync and the audit all refuse what they match — as for the built-in rules.
//!
//! **Patterns** are written with `#` for a digit, `A` for a letter (any case), and literal
//! characters that match themselves (letters without regard to case). A space, `-`, `_`, `.`
//! or `/` in a pattern is an optional separator: it matches any one of those, or nothing, so
//! `CUST-######` finds `CUST-123456`, `cust 123456` and `CUST123456`. `\` makes the next
//! character literal (`\#`, `\A`). A match stands on its own: no letter or digit right before
//! or after it (`CUST-######` does not fire inside `XCUST-1234567`).
//! **Keywords** match a whole word or phrase, without regard to case (`Project Falcon`).
//!
//! Each detector carries test strings that must and must not match; a detector whose own tests
//! fail is refused ([`check`]), so a typo cannot switch the guard off or make it fire
//! everywhere. The set lives in the store (`SettingKey::CustomDetectors`, in exactly the shape
//! [`Detectors::encode`] writes) and is installed per thread: wasm has one, and each native
//! test thread has its own.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::text::MappedText;

/// At most this many detectors.
pub const DETECTORS_MAX: usize = 50;
/// A pattern or keyword: 3–64 characters.
pub const PATTERN_MAX: usize = 64;
const NAME_MAX: usize = 40;
const TESTS_MAX: usize = 10;

/// What a detector looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DetectorKind {
    Pattern,
    Keyword,
}

/// One detector as the person wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Detector {
    pub name: String,
    pub kind: DetectorKind,
    pub text: String,
    #[serde(default)]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub must_not_match: Vec<String>,
}

/// Every detector, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detectors(pub Vec<Detector>);

impl Detectors {
    /// Reads the stored setting; a detector that does not pass [`check`] is left out (a damaged
    /// record never disables the others, nor makes the guard fire everywhere).
    pub fn decode(stored: &str) -> Self {
        let Ok(all) = serde_json::from_str::<Detectors>(stored) else {
            return Detectors::default();
        };
        Detectors(
            all.0
                .into_iter()
                .filter(|d| check(d).is_ok())
                .take(DETECTORS_MAX)
                .collect(),
        )
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why a detector cannot be used, for the field it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DetectorError {
    Name(String),
    Text(String),
    /// A test string (by its 1-based position) that should match and does not.
    MustMatch(usize),
    /// A test string that should not match and does.
    MustNotMatch(usize),
}

impl std::fmt::Display for DetectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DetectorError::Name(m) | DetectorError::Text(m) => f.write_str(m),
            DetectorError::MustMatch(i) => {
                write!(f, "Example {i} that must match does not match.")
            }
            DetectorError::MustNotMatch(i) => {
                write!(f, "Example {i} that must not match matches.")
            }
        }
    }
}

/// One element of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Element {
    Digit,
    Letter,
    /// Compared without regard to ASCII case.
    Literal(char),
    /// Any one separator, or none.
    Separator,
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '_' | '.' | '/')
}

/// A detector ready to scan.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Compiled {
    elements: Vec<Element>,
    name: String,
}

fn compile(d: &Detector) -> Result<Compiled, DetectorError> {
    let text = d.text.trim();
    let n = text.chars().count();
    if !(3..=PATTERN_MAX).contains(&n) {
        return Err(DetectorError::Text(format!(
            "Use 3 to {PATTERN_MAX} characters."
        )));
    }
    let mut elements = Vec::new();
    match d.kind {
        DetectorKind::Keyword => {
            for c in text.chars() {
                elements.push(if c.is_whitespace() || is_separator(c) {
                    Element::Separator
                } else {
                    Element::Literal(c)
                });
            }
        }
        DetectorKind::Pattern => {
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                elements.push(match c {
                    '#' => Element::Digit,
                    'A' => Element::Letter,
                    '\\' => match chars.next() {
                        // A literal separator next to an optional one would make matching
                        // ambiguous (and slow on hostile text); a separator matches it anyway.
                        Some(next) if is_separator(next) => {
                            return Err(DetectorError::Text(format!(
                                "\\{next} is not needed: {next} already matches any separator."
                            )))
                        }
                        Some(next) => Element::Literal(next),
                        None => {
                            return Err(DetectorError::Text(
                                "A \\ at the end escapes nothing.".into(),
                            ))
                        }
                    },
                    c if is_separator(c) => Element::Separator,
                    c => Element::Literal(c),
                });
            }
        }
    }
    elements.dedup_by(|a, b| *a == Element::Separator && *b == Element::Separator);
    let solid = elements
        .iter()
        .filter(|e| **e != Element::Separator)
        .count();
    if solid < 3 {
        return Err(DetectorError::Text(
            "It needs at least 3 digits, letters or other characters besides separators.".into(),
        ));
    }
    // A pattern of letters only would fire on ordinary words.
    if d.kind == DetectorKind::Pattern
        && !elements
            .iter()
            .any(|e| matches!(e, Element::Digit | Element::Literal(_)))
    {
        return Err(DetectorError::Text(
            "A pattern of A's alone matches any word: add digits (#) or literal characters.".into(),
        ));
    }
    Ok(Compiled {
        elements,
        name: d.name.trim().to_owned(),
    })
}

/// Checks a detector: its name, its pattern or keyword, and its own test strings. The name
/// and every example are also checked with the built-in rules: they are stored, and the name is
/// quoted in every finding's message, so they must hold no card number, key or account ID.
pub fn check(d: &Detector) -> Result<(), DetectorError> {
    let name = d.name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(DetectorError::Name(format!(
            "Give it a name of 1 to {NAME_MAX} characters."
        )));
    }
    if let Some(f) = super::scan_name_builtin(name).first() {
        return Err(DetectorError::Name(format!(
            "The name holds what the guard refuses ({}).",
            f.kind.label()
        )));
    }
    for (i, example) in d.must_match.iter().chain(&d.must_not_match).enumerate() {
        if let Some(f) = super::scan_name_builtin(example).first() {
            return Err(DetectorError::Text(format!(
                "Example {} holds what the guard refuses ({}): use made-up values.",
                i + 1,
                f.kind.label()
            )));
        }
    }
    let compiled = compile(d)?;
    if d.must_match.is_empty() {
        return Err(DetectorError::Text(
            "Add at least one example that must match.".into(),
        ));
    }
    if d.must_match.len() > TESTS_MAX || d.must_not_match.len() > TESTS_MAX {
        return Err(DetectorError::Text(format!(
            "At most {TESTS_MAX} examples of each kind."
        )));
    }
    let hits = |s: &str| !compiled.find(&MappedText::normalize(s)).is_empty();
    if let Some(i) = d.must_match.iter().position(|s| !hits(s)) {
        return Err(DetectorError::MustMatch(i + 1));
    }
    if let Some(i) = d.must_not_match.iter().position(|s| hits(s)) {
        return Err(DetectorError::MustNotMatch(i + 1));
    }
    Ok(())
}

impl Compiled {
    /// Every match in `t`, as normalised character ranges.
    fn find(&self, t: &MappedText) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < t.len() {
            let boundary_before = i == 0 || !t.c(i - 1).is_alphanumeric();
            if boundary_before {
                if let Some(end) = self.match_at(t, i, 0) {
                    out.push((i, end));
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    /// Where a match of `elements[e..]` starting at `i` ends (the longest: separators are
    /// tried present first), with nothing alphanumeric right after it.
    fn match_at(&self, t: &MappedText, i: usize, e: usize) -> Option<usize> {
        let Some(element) = self.elements.get(e) else {
            let after = t.get(i);
            return (!after.is_some_and(char::is_alphanumeric)).then_some(i);
        };
        let c = t.get(i);
        match element {
            Element::Separator => {
                if c.is_some_and(is_separator) {
                    if let Some(end) = self.match_at(t, i + 1, e + 1) {
                        return Some(end);
                    }
                }
                self.match_at(t, i, e + 1)
            }
            Element::Digit if c.is_some_and(|c| c.is_ascii_digit()) => {
                self.match_at(t, i + 1, e + 1)
            }
            Element::Letter if c.is_some_and(|c| c.is_alphabetic()) => {
                self.match_at(t, i + 1, e + 1)
            }
            Element::Literal(l)
                if c.is_some_and(|c| c == *l || c.to_lowercase().eq(l.to_lowercase())) =>
            {
                self.match_at(t, i + 1, e + 1)
            }
            _ => None,
        }
    }
}

thread_local! {
    static INSTALLED: RefCell<Rc<Vec<Compiled>>> = RefCell::new(Rc::new(Vec::new()));
}

/// Installs the detectors every scan applies from now on (on this thread). Those that do not
/// pass [`check`] are left out; the names of the ones installed are returned.
pub fn set_detectors(detectors: &Detectors) -> Vec<String> {
    let compiled: Vec<Compiled> = detectors
        .0
        .iter()
        .filter(|d| check(d).is_ok())
        .filter_map(|d| compile(d).ok())
        .take(DETECTORS_MAX)
        .collect();
    let names = compiled.iter().map(|c| c.name.clone()).collect();
    INSTALLED.with(|i| *i.borrow_mut() = Rc::new(compiled));
    names
}

/// The installed detectors' matches in `t`, with the detector's name for the message.
pub(super) fn scan(t: &MappedText, hits: &mut Vec<(usize, usize, String)>) {
    let installed = INSTALLED.with(|i| i.borrow().clone());
    for d in installed.iter() {
        for (a, b) in d.find(t) {
            hits.push((a, b, d.name.clone()));
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::guard::FindingKind;

    fn pattern(text: &str, yes: &[&str], no: &[&str]) -> Detector {
        Detector {
            name: "Customer number".into(),
            kind: DetectorKind::Pattern,
            text: text.into(),
            must_match: yes.iter().map(|s| (*s).to_owned()).collect(),
            must_not_match: no.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn finds(d: &Detector, s: &str) -> Vec<String> {
        let t = MappedText::normalize(s);
        compile(d)
            .unwrap()
            .find(&t)
            .into_iter()
            .map(|(a, b)| t.slice(a, b))
            .collect()
    }

    #[test]
    fn patterns_match_digits_letters_literals_and_optional_separators_on_their_own() {
        let d = pattern("CUST-######", &["CUST-123456"], &[]);
        assert_eq!(finds(&d, "orders CUST-123456 x"), ["CUST-123456"]);
        assert_eq!(finds(&d, "cust 123456"), ["cust 123456"]);
        assert_eq!(finds(&d, "cust123456-web"), ["cust123456"]);
        // Fullwidth digits are digits (the guard normalises first).
        assert_eq!(finds(&d, "CUST-１２３４５６"), ["CUST-123456"]);
        // Not inside a longer word or number.
        assert!(finds(&d, "XCUST-123456").is_empty());
        assert!(finds(&d, "CUST-1234567").is_empty());
        assert!(finds(&d, "CUST-12345").is_empty());
        let ticket = pattern("AA-####", &["OP-1234"], &["OPS-1234"]);
        assert!(check(&ticket).is_ok());
        assert_eq!(
            finds(&ticket, "see op-1234, OP 9999"),
            ["op-1234", "OP 9999"]
        );
        // Escapes make # and A literal.
        let hash = pattern("\\#A##", &["#x12"], &["x12"]);
        assert!(check(&hash).is_ok());
        let kw = Detector {
            kind: DetectorKind::Keyword,
            text: "Project Falcon".into(),
            must_match: vec!["the project falcon team".into()],
            must_not_match: vec!["Project Falconry".into()],
            ..pattern("x", &[], &[])
        };
        assert!(check(&kw).is_ok(), "{:?}", check(&kw));
        assert_eq!(finds(&kw, "PROJECT-FALCON"), ["PROJECT-FALCON"]);
    }

    #[test]
    fn a_detector_must_pass_its_own_examples_and_not_match_everything() {
        assert_eq!(
            check(&pattern("CUST-######", &["CUST-12345"], &[])),
            Err(DetectorError::MustMatch(1))
        );
        assert_eq!(
            check(&pattern(
                "CUST-######",
                &["CUST-123456"],
                &["a", "CUST123456"]
            )),
            Err(DetectorError::MustNotMatch(2))
        );
        assert!(matches!(
            check(&pattern("AAAA", &["abcd"], &[])),
            Err(DetectorError::Text(_))
        ));
        assert!(matches!(
            check(&pattern("#-", &["1"], &[])),
            Err(DetectorError::Text(_))
        ));
        assert!(matches!(
            check(&pattern("CUST-######", &[], &[])),
            Err(DetectorError::Text(_))
        ));
        assert!(matches!(
            check(&Detector {
                name: " ".into(),
                ..pattern("###", &["123"], &[])
            }),
            Err(DetectorError::Name(_))
        ));
        // Stored detectors that fail their checks are left out on reading.
        let good = pattern("CUST-######", &["CUST-123456"], &[]);
        let bad = pattern("CUST-######", &["nope"], &[]);
        let stored = Detectors(vec![good.clone(), bad]).encode();
        assert_eq!(Detectors::decode(&stored), Detectors(vec![good]));
        assert_eq!(Detectors::decode("garbage"), Detectors::default());
    }

    #[test]
    fn no_detector_backtracks_on_hostile_text_and_examples_hold_no_real_data() {
        // A keyword of dashes and spaces: every separator is one optional separator.
        let kw = Detector {
            kind: DetectorKind::Keyword,
            text: format!("xy{}z", " - -".repeat(15)),
            must_match: vec!["xy - z".into()],
            must_not_match: vec![],
            ..pattern("x", &[], &[])
        };
        let c = compile(&kw).unwrap();
        let hostile = format!("xy{}q", "-".repeat(5_000));
        assert!(c.find(&MappedText::normalize(&hostile)).is_empty());
        assert_eq!(c.find(&MappedText::normalize("xy-z")).len(), 1);
        // An escaped separator is refused with the reason.
        assert!(
            matches!(check(&pattern("CUST\\-###", &["CUST-123"], &[])), Err(DetectorError::Text(m)) if m.contains("not needed"))
        );
        // Real data in an example or the name is refused.
        assert!(matches!(
            check(&pattern("CUST-######", &["CUST-123456"], &["4111 1111 1111 1111"])),
            Err(DetectorError::Text(m)) if m.contains("payment card")
        ));
        assert!(matches!(
            check(&Detector {
                name: "acct 123456789012".into(),
                ..pattern("CUST-######", &["CUST-123456"], &[])
            }),
            Err(DetectorError::Name(_))
        ));
    }

    #[test]
    fn installed_detectors_are_applied_by_every_scan() {
        use crate::guard::{scan_name, scan_tag};
        assert!(scan_name("orders-CUST-123456").is_empty());
        let names = set_detectors(&Detectors(vec![pattern(
            "CUST-######",
            &["CUST-123456"],
            &[],
        )]));
        assert_eq!(names, ["Customer number"]);
        let found = scan_name("orders-CUST-123456");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FindingKind::Custom);
        assert_eq!(found[0].range, 7..18);
        assert!(found[0].message.contains("Customer number"));
        assert!(!found[0].message.contains("123456"));
        assert_eq!(scan_tag("Ticket", "cust 654321").len(), 1);
        // Descriptions warn, as for account numbers (not a credential).
        assert!(!FindingKind::Custom.is_credential());
        set_detectors(&Detectors::default());
        assert!(scan_name("orders-CUST-123456").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_pattern_and_text_never_panic(
            text in "[#A\\\\ a-z0-9._/-]{0,20}",
            sample in proptest::prelude::any::<String>(),
        ) {
            let d = pattern(&text, &[sample.as_str()], &[]);
            let _ = check(&d);
            if let Ok(c) = compile(&d) {
                let t = MappedText::normalize(&sample);
                for (a, b) in c.find(&t) {
                    proptest::prop_assert!(a < b && b <= t.len());
                }
            }
        }
    }
}
