//! Pure helpers for showing text: splitting a value around highlighted ranges.

use std::ops::Range;

/// Splits `text` into (plain, marked) pieces by byte ranges on character boundaries.
pub fn pieces(text: &str, ranges: &[Range<usize>]) -> Vec<(String, bool)> {
    let mut sorted: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| {
            r.start < r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    sorted.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    let mut at = 0;
    for r in sorted {
        if r.start < at {
            continue;
        }
        if r.start > at {
            out.push((text[at..r.start].to_owned(), false));
        }
        out.push((text[r.start..r.end].to_owned(), true));
        at = r.end;
    }
    if at < text.len() {
        out.push((text[at..].to_owned(), false));
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
    use super::pieces;

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
