//! Pure helpers for showing text: splitting a value around highlighted ranges.

use std::ops::Range;

/// Splits `text` into (plain, marked) pieces by byte ranges on character boundaries.
pub fn pieces(text: &str, ranges: &[Range<usize>]) -> Vec<(String, bool)> {
    // Ranges off character boundaries or out of bounds are dropped: `str::get` answers `None`
    // for them, so a wrong range from anywhere can never panic here.
    let mut sorted: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| r.start < r.end && text.get(r.start..r.end).is_some())
        .cloned()
        .collect();
    crate::sort::sort_by_key(&mut sorted, |r| r.start);
    let mut out = Vec::new();
    let mut at = 0;
    let mut push = |range: Range<usize>, marked: bool| {
        if let Some(piece) = text.get(range) {
            out.push((piece.to_owned(), marked));
        }
    };
    for r in sorted {
        if r.start < at {
            continue;
        }
        if r.start > at {
            push(at..r.start, false);
        }
        at = r.end;
        push(r, true);
    }
    if at < text.len() {
        push(at..text.len(), false);
    }
    out
}

/// The longest name shown for a record that was refused, in characters.
pub const MASKED_NAME_MAX: usize = 64;

/// A name from elsewhere (a backend group the guard refused) made safe to show: every stretch
/// the guard flags becomes `•` except its last four characters (`acme-••••••••9012-prod`), so
/// the person can recognise the record without the page repeating the data; invisible and
/// bidirectional control characters are dropped (shown in a `<bdi>` so right-to-left text
/// cannot reorder the row either), and the result is capped at [`MASKED_NAME_MAX`] characters.
pub fn masked_name(name: &str) -> String {
    let findings = crate::guard::scan_name(name);
    let mut out = String::with_capacity(name.len());
    for (at, c) in name.char_indices() {
        if crate::model::text::is_format_control(c) || c.is_control() {
            continue;
        }
        let hidden = findings.iter().any(|f| {
            f.range.contains(&at)
                && name
                    .get(at..f.range.end)
                    .is_some_and(|rest| rest.chars().count() > 4)
        });
        out.push(if hidden { '\u{2022}' } else { c });
    }
    crate::model::text::truncate_chars(&out, MASKED_NAME_MAX)
}

/// The console line for an internal error (a panic): where it happened, never what it said.
/// The payload of a panic can quote user or backend text (`byte index 4 is not a char boundary;
/// it is inside '境' of `環境``), so it is not an argument here at all: nothing can leak it.
pub fn panic_report(at: Option<(&str, u32, u32)>) -> String {
    match at {
        Some((file, line, column)) => format!(
            "Group Console stopped on an internal error at {file}:{line}:{column}. The details are not logged: they may quote your data."
        ),
        None => "Group Console stopped on an internal error. The details are not logged: they may quote your data.".to_owned(),
    }
}

/// A count with thousands separators, as people read it: `2,300`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The items of a comma-separated list, trimmed, without empty ones.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

#[cfg(test)]
// One range in a list is what these cases are about.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::{panic_report, pieces};

    #[test]
    fn masked_names_hide_what_the_guard_flags() {
        use super::masked_name;
        assert_eq!(
            masked_name("acme-123456789012-prod"),
            "acme-\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}\u{2022}9012-prod"
        );
        assert_eq!(masked_name("web-prod"), "web-prod");
        assert_eq!(masked_name("evil\u{202e}txt.exe"), "eviltxt.exe");
        assert_eq!(masked_name(&"環".repeat(100)).chars().count(), 65);
    }

    #[test]
    fn panic_report_has_the_place_only() {
        let line = panic_report(Some(("src/model/group.rs", 251, 26)));
        assert!(line.contains("src/model/group.rs:251:26"), "{line}");
        assert!(panic_report(None).contains("internal error"));
    }

    #[test]
    fn pieces_ignore_ranges_inside_characters() {
        // 環 is bytes 0..3: a range ending at 1 or starting at 2 is dropped, not a panic.
        assert_eq!(pieces("環境", &[0..1, 2..6]), vec![("環境".into(), false)]);
        assert_eq!(
            pieces("環境", &[3..6]),
            vec![("環".into(), false), ("境".into(), true)]
        );
        assert_eq!(pieces("ab", &[1..9]), vec![("ab".into(), false)]);
    }

    #[test]
    fn lists() {
        assert_eq!(super::split_list(" a, b ,,c,"), ["a", "b", "c"]);
        assert!(super::split_list(" , ").is_empty());
    }

    #[test]
    fn splits_around_ranges() {
        assert_eq!(
            pieces("prod-123-web", &[5..8]),
            vec![
                ("prod-".into(), false),
                ("123".into(), true),
                ("-web".into(), false)
            ]
        );
        assert_eq!(pieces("abc", &[0..3]), vec![("abc".into(), true)]);
        assert_eq!(
            pieces("é1", &[1..3]),
            vec![("é1".into(), false)],
            "not on a char boundary: ignored"
        );
    }
}
