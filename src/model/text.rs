//! Text helpers that never slice a `str` at a byte index that might fall inside a character.
//!
//! Tag keys such as `環境` or `Café` come from real accounts: `key[..4]` on them panics because
//! byte 4 is in the middle of a character. Everything here goes through `str::get`, which
//! answers `None` instead of panicking, so a prefix test on any text is total.

/// `s` without `prefix` when `s` starts with it, ASCII letters compared case-insensitively
/// (`AWS:Name` starts with `aws:`); `None` otherwise, also when the prefix length falls inside
/// a multi-byte character of `s`.
pub fn strip_prefix_ignore_ascii_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

/// Invisible formatting characters: zero-width spaces and joiners, bidirectional embeddings,
/// overrides and isolates, the byte-order mark. In text from elsewhere (a backend's message)
/// they can reorder what is shown (`U+202E` turns the rest of a line around).
pub fn is_format_control(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
}

/// At most `max` characters of `s` (not bytes), with `…` when something was cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => {
            let mut out = s.get(..at).unwrap_or_default().to_owned();
            out.push('\u{2026}');
            out
        }
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_of_non_ascii_text() {
        assert_eq!(strip_prefix_ignore_ascii_case("環境", "aws:"), None);
        assert_eq!(strip_prefix_ignore_ascii_case("Café", "aws:"), None);
        assert_eq!(strip_prefix_ignore_ascii_case("aé", "aws:"), None);
        assert_eq!(
            strip_prefix_ignore_ascii_case("AWS:Name", "aws:"),
            Some("Name")
        );
        assert_eq!(
            strip_prefix_ignore_ascii_case("aws:環境", "aws:"),
            Some("環境")
        );
        assert_eq!(strip_prefix_ignore_ascii_case("aw", "aws:"), None);
    }

    #[test]
    fn truncates_on_characters() {
        assert_eq!(truncate_chars("環境環境", 2), "環境\u{2026}");
        assert_eq!(truncate_chars("ab", 2), "ab");
        assert_eq!(truncate_chars("👩‍👩‍👧", 1), "👩\u{2026}");
    }
}
