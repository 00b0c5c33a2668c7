//! Text as the scanners see it: each character normalised (fullwidth and other Unicode digits to
//! ASCII digits, look-alike letters to ASCII letters, Unicode dashes and spaces to `-` and ` `,
//! invisible characters and combining marks dropped) and remembering the byte range it came from
//! in the original, so a finding can point at exactly the characters the person typed.
//!
//! One character may fold to two: the enclosed numbers ⑩…⑳, ⑽…⒇, ⒑…⒛, ㉑…㊿ are two digits,
//! the way NFKC reads them. Both digits map to the whole source character, so any range the
//! scanners report still starts and ends on a character boundary of the original.

use std::ops::Range;

/// One normalised character and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapped {
    pub c: char,
    pub src: Range<usize>,
}

/// Normalised text with its mapping back to the original.
#[derive(Clone, Debug, Default)]
pub struct MappedText {
    pub chars: Vec<Mapped>,
}

impl MappedText {
    /// Normalises `text` for scanning.
    pub fn normalize(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut pending_start: Option<usize> = None;
        for (i, ch) in text.char_indices() {
            let end = i + ch.len_utf8();
            if ch.is_ascii() && pending_start.is_none() {
                // The common case, without the general folding.
                let c = if matches!(ch, '\t'..='\r') { ' ' } else { ch };
                chars.push(Mapped { c, src: i..end });
                continue;
            }
            let folded = fold(ch);
            if folded.is_empty() {
                // Invisible characters vanish, but a finding that spans them still covers them:
                // they are attached to the next visible character.
                pending_start.get_or_insert(i);
                continue;
            }
            let start = pending_start.take().unwrap_or(i);
            for c in folded {
                chars.push(Mapped { c, src: start..end });
            }
        }
        MappedText { chars }
    }

    /// The normalised characters `from..to` as text of their own; ranges still point into the
    /// original (a URL found inside a name is scanned like a URL on its own).
    pub fn sub(&self, from: usize, to: usize) -> Self {
        MappedText {
            chars: self.chars[from..to].to_vec(),
        }
    }

    /// Decodes `%XX` escapes (and nothing else) of already-mapped text; each decoded character
    /// maps to the whole escape sequence(s) it came from.
    pub fn percent_decode(&self) -> Self {
        // Decode to bytes first, each byte with its source range, then rebuild characters.
        let mut bytes: Vec<(u8, Range<usize>)> = Vec::with_capacity(self.chars.len());
        let mut i = 0;
        while i < self.chars.len() {
            let m = &self.chars[i];
            if m.c == '%' && i + 2 < self.chars.len() {
                let (h, l) = (self.chars[i + 1].c, self.chars[i + 2].c);
                if let (Some(h), Some(l)) = (h.to_digit(16), l.to_digit(16)) {
                    bytes.push(((h * 16 + l) as u8, m.src.start..self.chars[i + 2].src.end));
                    i += 3;
                    continue;
                }
            }
            let mut buf = [0u8; 4];
            for b in m.c.encode_utf8(&mut buf).bytes() {
                bytes.push((b, m.src.clone()));
            }
            i += 1;
        }
        let mut chars = Vec::with_capacity(bytes.len());
        let mut j = 0;
        while j < bytes.len() {
            let len = utf8_len(bytes[j].0);
            let decoded = (len > 0 && j + len <= bytes.len())
                .then(|| {
                    let raw: Vec<u8> = bytes[j..j + len].iter().map(|(b, _)| *b).collect();
                    std::str::from_utf8(&raw)
                        .ok()
                        .and_then(|s| s.chars().next())
                })
                .flatten();
            match decoded {
                Some(c) => {
                    let src = bytes[j].1.start..bytes[j + len - 1].1.end;
                    for c in fold(c) {
                        chars.push(Mapped {
                            c,
                            src: src.clone(),
                        });
                    }
                    j += len;
                }
                None => {
                    chars.push(Mapped {
                        c: char::REPLACEMENT_CHARACTER,
                        src: bytes[j].1.clone(),
                    });
                    j += 1;
                }
            }
        }
        MappedText { chars }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn c(&self, i: usize) -> char {
        self.chars[i].c
    }

    /// The character at `i`, or `None` past either end (`i` may be "-1" as `usize::MAX`).
    pub fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|m| m.c)
    }

    /// The original byte range covered by normalised characters `from..to`.
    pub fn src(&self, from: usize, to: usize) -> Range<usize> {
        debug_assert!(from < to && to <= self.chars.len());
        self.chars[from].src.start..self.chars[to - 1].src.end
    }

    /// The normalised characters `from..to` as a string.
    pub fn slice(&self, from: usize, to: usize) -> String {
        self.chars[from..to].iter().map(|m| m.c).collect()
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Zero points of Unicode decimal-digit blocks (general category Nd): `zero..=zero+9`.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
    0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x116D0, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0,
    0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The ASCII digit value of any Unicode decimal digit, superscript/subscript or enclosed digit
/// 0–9 (circled, parenthesised, with a full stop or comma, dingbat). Enclosed numbers 10 and up
/// are two digits: see [`number_value`].
pub fn digit_value(ch: char) -> Option<u8> {
    let cp = ch as u32;
    if ch.is_ascii_digit() {
        return Some(cp as u8 - b'0');
    }
    if cp < 0x80 {
        return None;
    }
    for &zero in DIGIT_ZEROS {
        if (zero..zero + 10).contains(&cp) {
            return Some((cp - zero) as u8);
        }
    }
    number_value(ch).filter(|&v| v <= 9)
}

/// The value of a compatibility number character: superscripts and subscripts, and the enclosed
/// forms Unicode keeps for compatibility with older character sets (NFKC folds each to its
/// digits, sometimes with a bracket or a full stop, which the scanners do not need).
pub fn number_value(ch: char) -> Option<u8> {
    let cp = ch as u32;
    let from = |first: u32, value: u32| Some((cp - first + value) as u8);
    match cp {
        0x00B9 => Some(1),
        0x00B2 => Some(2),
        0x00B3 => Some(3),
        0x2070 => Some(0),
        0x2074..=0x2079 => from(0x2070, 0),
        0x2080..=0x2089 => from(0x2080, 0),
        0x2460..=0x2473 => from(0x2460, 1),     // ① … ⑳
        0x2474..=0x2487 => from(0x2474, 1),     // ⑴ … ⒇
        0x2488..=0x249B => from(0x2488, 1),     // ⒈ … ⒛
        0x24EA | 0x24FF => Some(0),             // ⓪ ⓿
        0x24EB..=0x24F4 => from(0x24EB, 11),    // ⓫ … ⓴
        0x24F5..=0x24FE => from(0x24F5, 1),     // ⓵ … ⓾
        0x2776..=0x277F => from(0x2776, 1),     // ❶ … ❿
        0x2780..=0x2789 => from(0x2780, 1),     // ➀ … ➉
        0x278A..=0x2793 => from(0x278A, 1),     // ➊ … ➓
        0x3251..=0x325F => from(0x3251, 21),    // ㉑ … ㉟
        0x32B1..=0x32BF => from(0x32B1, 36),    // ㊱ … ㊿
        0x1F100 | 0x1F10B | 0x1F10C => Some(0), // 🄀 🄋 🄌
        0x1F101..=0x1F10A => from(0x1F101, 0),  // 🄁 … 🄊 (digit comma)
        _ => None,
    }
}

/// What one character folds to: nothing (an invisible character), one character, or the two
/// digits of an enclosed number such as ⑫.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Folded {
    chars: [char; 2],
    len: u8,
}

impl Folded {
    const NONE: Folded = Folded {
        chars: ['\0', '\0'],
        len: 0,
    };

    fn one(c: char) -> Self {
        Folded {
            chars: [c, '\0'],
            len: 1,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

impl IntoIterator for Folded {
    type Item = char;
    type IntoIter = std::iter::Take<std::array::IntoIter<char, 2>>;

    fn into_iter(self) -> Self::IntoIter {
        self.chars.into_iter().take(self.len as usize)
    }
}

/// Maps one character to what the scanners compare.
pub fn fold(ch: char) -> Folded {
    let cp = ch as u32;
    if cp < 0x80 {
        // Tabs, newlines, vertical tabs and form feeds count as spaces between digit groups.
        return Folded::one(if matches!(cp, 0x09..=0x0D) { ' ' } else { ch });
    }
    if let Some(d) = digit_value(ch) {
        return Folded::one((b'0' + d) as char);
    }
    if let Some(v) = number_value(ch) {
        // 10–50: two digits.
        return Folded {
            chars: [(b'0' + v / 10) as char, (b'0' + v % 10) as char],
            len: 2,
        };
    }
    let folded = match cp {
        // Invisible: soft hyphen, zero-width space/joiners, word joiner, BOM, bidi marks,
        // variation selectors and tag characters.
        0x00AD
        | 0x200B..=0x200F
        | 0x2060..=0x2064
        | 0xFEFF
        | 0x202A..=0x202E
        | 0x2066..=0x2069
        | 0xFE00..=0xFE0F
        | 0xE0000..=0xE007F
        | 0xE0100..=0xE01EF => return Folded::NONE,
        // Combining marks: an underline, a keycap (1️⃣) or an enclosing circle (1⃝) drawn over a
        // digit leaves the digit. Dropping them from letters does no harm to the scanners.
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F => {
            return Folded::NONE
        }
        // Spaces, and line breaks: NEL and the Unicode line and paragraph separators.
        0x0085 | 0x00A0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000 => {
            ' '
        }
        // Dashes and minus signs.
        0x2010..=0x2015
        | 0x2212
        | 0xFE58
        | 0xFE63
        | 0xFF0D
        | 0x2043
        | 0x2E3A
        | 0x2E3B
        | 0xFE31
        | 0xFE32 => '-',
        // Dots.
        0x00B7 | 0x2024 | 0x2027 | 0xFE52 | 0xFF0E | 0x3002 | 0xFF61 => '.',
        0xFF0F | 0x2044 | 0x2215 => '/',
        0xFF1A => ':',
        0xFF20 => '@',
        0xFF3F | 0xFE4D..=0xFE4F => '_',
        0xFF0B => '+',
        0xFF1D => '=',
        0xFF1B => ';',
        // Fullwidth ASCII letters.
        0xFF21..=0xFF3A => char::from(b'A' + (cp - 0xFF21) as u8),
        0xFF41..=0xFF5A => char::from(b'a' + (cp - 0xFF41) as u8),
        // Mathematical alphanumeric letters (bold, italic, script, …): 52 letters per style.
        0x1D400..=0x1D6A3 => {
            let k = (cp - 0x1D400) % 52;
            if k < 26 {
                char::from(b'A' + k as u8)
            } else {
                char::from(b'a' + (k - 26) as u8)
            }
        }
        _ => confusable(ch).unwrap_or(ch),
    };
    Folded::one(folded)
}

/// Cyrillic and Greek letters that look like Latin ones.
fn confusable(ch: char) -> Option<char> {
    Some(match ch {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' | 'Ϲ' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' | 'Ӏ' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ζ' => 'Z',
        'а' => 'a',
        'с' | 'ϲ' => 'c',
        'е' => 'e',
        'һ' => 'h',
        'і' => 'i',
        'ј' => 'j',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'х' => 'x',
        'у' => 'y',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_and_other_digits_become_ascii() {
        let t = MappedText::normalize("１２３٤٥۶");
        assert_eq!(t.slice(0, t.len()), "123456");
        assert_eq!(t.src(0, 1), 0..3);
        assert_eq!(t.src(3, 6), 9..15);
    }

    #[test]
    fn invisible_characters_vanish_but_stay_covered() {
        let t = MappedText::normalize("1\u{200B}2");
        assert_eq!(t.slice(0, t.len()), "12");
        assert_eq!(t.src(0, 2), 0..5);
    }

    #[test]
    fn lookalikes_and_dashes_fold() {
        let t = MappedText::normalize("АКІА\u{2013}x");
        assert_eq!(t.slice(0, t.len()), "AKIA-x");
    }

    #[test]
    fn enclosed_numbers_fold_to_their_digits() {
        let t = MappedText::normalize("①⑫⑴⒇⒈❿➉➓⓫㉑㊿🄁０\u{1D7D9}");
        assert_eq!(t.slice(0, t.len()), "1121201101010112150001");
        // Both digits of ⑫ map to the whole character.
        assert_eq!(t.src(1, 2), 3..6);
        assert_eq!(t.src(2, 3), 3..6);
    }

    #[test]
    fn keycaps_marks_and_line_separators() {
        let t = MappedText::normalize("1\u{FE0F}\u{20E3}2\u{0332}\u{2028}3\u{2029}4\u{0B}5");
        assert_eq!(t.slice(0, t.len()), "12 3 4 5");
    }

    #[test]
    fn percent_decoding_keeps_ranges() {
        let t = MappedText::normalize("a%3Ab%E2%82%AC%zz").percent_decode();
        assert_eq!(t.slice(0, t.len()), "a:b€%zz");
        assert_eq!(t.src(1, 2), 1..4);
        assert_eq!(t.src(3, 4), 5..14);
    }
}
