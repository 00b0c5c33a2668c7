//! Text as the scanners see it: each character normalised (fullwidth and other Unicode digits to
//! ASCII digits, look-alike letters to ASCII letters, Unicode dashes and spaces to `-` and ` `,
//! invisible characters dropped) and remembering the byte range it came from in the original,
//! so a finding can point at exactly the characters the person typed.

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
            match fold(ch) {
                Some(c) => {
                    let start = pending_start.take().unwrap_or(i);
                    chars.push(Mapped { c, src: start..end });
                }
                // Invisible characters vanish, but a finding that spans them still covers them:
                // they are attached to the next visible character.
                None => {
                    pending_start.get_or_insert(i);
                }
            }
        }
        MappedText { chars }
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
                    if let Some(c) = fold(c) {
                        chars.push(Mapped { c, src });
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
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The ASCII digit value of any Unicode decimal digit, superscript/subscript or circled digit.
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
    match cp {
        0x00B9 => Some(1),
        0x00B2 => Some(2),
        0x00B3 => Some(3),
        0x2070 => Some(0),
        0x2074..=0x2079 => Some((cp - 0x2070) as u8),
        0x2080..=0x2089 => Some((cp - 0x2080) as u8),
        0x2460..=0x2468 => Some((cp - 0x2460 + 1) as u8), // circled 1-9
        0x24EA => Some(0),
        0x2776..=0x277E => Some((cp - 0x2776 + 1) as u8), // dingbat negative circled 1-9
        0x2780..=0x2788 => Some((cp - 0x2780 + 1) as u8),
        0x278A..=0x2792 => Some((cp - 0x278A + 1) as u8),
        _ => None,
    }
}

/// Maps one character to what the scanners compare, or `None` for invisible characters.
pub fn fold(ch: char) -> Option<char> {
    let cp = ch as u32;
    if cp < 0x80 {
        // Tabs and newlines count as spaces between digit groups.
        return Some(if ch == '\t' || ch == '\n' || ch == '\r' {
            ' '
        } else {
            ch
        });
    }
    if let Some(d) = digit_value(ch) {
        return Some((b'0' + d) as char);
    }
    let folded = match cp {
        // Invisible: soft hyphen, zero-width space/joiners, word joiner, BOM, bidi marks.
        0x00AD | 0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0x202A..=0x202E | 0x2066..=0x2069 => {
            return None
        }
        // Spaces.
        0x00A0 | 0x1680 | 0x2000..=0x200A | 0x202F | 0x205F | 0x3000 => ' ',
        // Dashes and minus signs.
        0x2010..=0x2015 | 0x2212 | 0xFE58 | 0xFE63 | 0xFF0D | 0x2043 => '-',
        // Dots.
        0x2024 | 0xFF0E | 0x3002 | 0xFF61 => '.',
        0xFF0F => '/',
        0xFF1A => ':',
        0xFF20 => '@',
        0xFF3F => '_',
        0xFF0B => '+',
        0xFF1D => '=',
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
    Some(folded)
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
    fn percent_decoding_keeps_ranges() {
        let t = MappedText::normalize("a%3Ab%E2%82%AC%zz").percent_decode();
        assert_eq!(t.slice(0, t.len()), "a:b€%zz");
        assert_eq!(t.src(1, 2), 1..4);
        assert_eq!(t.src(3, 4), 5..14);
    }
}
