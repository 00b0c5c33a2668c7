//! Settings → Encryption and the lock screen, as plain state: how strong a passphrase is, the
//! forms that turn encryption on, change its passphrase and turn it off, and when an idle tab
//! locks. The page (`ui/pages/encryption.rs`) renders these; the scheme is `store::vault`.

use super::backup::PASSPHRASE_MIN_CHARS;

/// How hard a passphrase is to guess, by an estimate of its entropy: length times the bits of
/// the alphabet it draws from, with repeats and runs counted as the little they add. Not a
/// dictionary check (that would cost a word list in the bundle): the advice is to use several
/// unrelated words, which this scores well.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    TooShort,
    Weak,
    Fair,
    Strong,
    VeryStrong,
}

impl Strength {
    pub fn of(passphrase: &str) -> Strength {
        let chars: Vec<char> = passphrase.chars().collect();
        if chars.len() < PASSPHRASE_MIN_CHARS {
            return Strength::TooShort;
        }
        let bits = entropy_bits(&chars);
        match bits {
            b if b < 50.0 => Strength::Weak,
            b if b < 70.0 => Strength::Fair,
            b if b < 100.0 => Strength::Strong,
            _ => Strength::VeryStrong,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strength::TooShort => "Too short",
            Strength::Weak => "Weak",
            Strength::Fair => "Fair",
            Strength::Strong => "Strong",
            Strength::VeryStrong => "Very strong",
        }
    }

    /// A hint for what to do next, or nothing when it is good.
    pub fn hint(self) -> &'static str {
        match self {
            Strength::TooShort => "Use at least 12 characters: a few unrelated words are easy to remember and hard to guess.",
            Strength::Weak => "Easy to guess: repeated or sequential characters add little. Add more unrelated words.",
            Strength::Fair => "Acceptable. One or two more words would make it much harder to guess.",
            Strength::Strong | Strength::VeryStrong => "",
        }
    }

    /// Accepted for encryption at rest: a stolen profile can be attacked offline forever.
    pub fn accepted(self) -> bool {
        self >= Strength::Fair
    }

    /// 0–4, for the meter.
    pub fn level(self) -> u8 {
        self as u8
    }
}

fn entropy_bits(chars: &[char]) -> f64 {
    let (mut lower, mut upper, mut digit, mut symbol, mut other) =
        (false, false, false, false, false);
    for c in chars {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            c if c.is_ascii() => symbol = true,
            _ => other = true,
        }
    }
    let pool = [
        (lower, 26.0),
        (upper, 26.0),
        (digit, 10.0),
        (symbol, 33.0),
        (other, 100.0),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, n)| n)
    .sum::<f64>()
    .max(2.0);
    let per_char = f64::log2(pool);
    let mut bits = 0.0;
    let mut prev: Option<char> = None;
    let mut seen = std::collections::HashSet::new();
    for &c in chars {
        let step = prev.map(|p| (c as i64) - (p as i64));
        bits += if step == Some(0) || step == Some(1) || step == Some(-1) {
            // "aaaa", "abcd", "4321": next to nothing.
            1.0
        } else if !seen.insert(c) {
            // A character used before: about half of a fresh one.
            per_char / 2.0
        } else {
            per_char
        };
        prev = Some(c);
    }
    bits
}

/// What is wrong with a field of these forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooWeak(Strength),
    Mismatch,
    NotAcknowledged,
    SameAsCurrent,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldError::Required => f.write_str("Enter the passphrase."),
            FieldError::TooWeak(s) => write!(f, "{}: {}", s.label(), s.hint()),
            FieldError::Mismatch => f.write_str("The two passphrases differ."),
            FieldError::NotAcknowledged => f.write_str(
                "Confirm that you understand a forgotten passphrase cannot be recovered.",
            ),
            FieldError::SameAsCurrent => {
                f.write_str("The new passphrase is the same as the current one.")
            }
        }
    }
}

/// "Turn on encryption" (`current` empty and unused) and "Change passphrase".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPassphrase {
    pub current: String,
    pub passphrase: String,
    pub confirm: String,
    /// Turning on: "I understand a forgotten passphrase cannot be recovered".
    pub acknowledged: bool,
    /// Messages show once the person tried.
    pub submitted: bool,
}

/// The errors of each field, for [`NewPassphrase`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NewPassphraseErrors {
    pub current: Option<FieldError>,
    pub passphrase: Option<FieldError>,
    pub confirm: Option<FieldError>,
    pub acknowledged: Option<FieldError>,
}

impl NewPassphraseErrors {
    pub fn is_empty(&self) -> bool {
        *self == NewPassphraseErrors::default()
    }
}

impl NewPassphrase {
    pub fn strength(&self) -> Strength {
        Strength::of(&self.passphrase)
    }

    /// Every error; `changing`: the current passphrase is asked too (and no acknowledgement).
    pub fn errors(&self, changing: bool) -> NewPassphraseErrors {
        let strength = self.strength();
        NewPassphraseErrors {
            current: (changing && self.current.is_empty()).then_some(FieldError::Required),
            passphrase: if !strength.accepted() {
                Some(FieldError::TooWeak(strength))
            } else if changing && self.passphrase == self.current {
                Some(FieldError::SameAsCurrent)
            } else {
                None
            },
            confirm: (strength.accepted() && self.confirm != self.passphrase)
                .then_some(FieldError::Mismatch),
            acknowledged: (!changing && !self.acknowledged).then_some(FieldError::NotAcknowledged),
        }
    }

    /// What to show next to each field (nothing before the first try).
    pub fn shown_errors(&self, changing: bool) -> NewPassphraseErrors {
        if self.submitted {
            self.errors(changing)
        } else {
            NewPassphraseErrors::default()
        }
    }

    /// Tries: `Ok` when every field is right.
    pub fn submit(&mut self, changing: bool) -> Result<(), NewPassphraseErrors> {
        self.submitted = true;
        let errors = self.errors(changing);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Done (or abandoned): the secrets leave memory.
    pub fn clear(&mut self) {
        *self = NewPassphrase::default();
    }
}

/// The idle times a person can choose (minutes; 0: never).
pub const IDLE_CHOICES: [u32; 6] = [5, 15, 30, 60, 240, 0];
/// Without a choice.
pub const IDLE_DEFAULT_MIN: u32 = 15;

/// The idle time as stored (a UI preference in this browser); unreadable or not offered:
/// the default, never "never" (a damaged value must not switch the lock off).
pub fn idle_minutes(stored: Option<&str>) -> u32 {
    stored
        .and_then(|s| s.parse::<u32>().ok())
        .filter(|m| IDLE_CHOICES.contains(m))
        .unwrap_or(IDLE_DEFAULT_MIN)
}

pub fn idle_label(minutes: u32) -> String {
    match minutes {
        0 => "Never".to_owned(),
        m if m % 60 == 0 => format!("After {} hour{}", m / 60, if m == 60 { "" } else { "s" }),
        m => format!("After {m} minutes"),
    }
}

/// Whether a tab locks now: no input in any tab since `last_active` (ms) for `minutes`.
pub fn idle_lock_due(now: f64, last_active: f64, minutes: u32) -> bool {
    minutes > 0 && now - last_active >= f64::from(minutes) * 60_000.0
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strength_rewards_length_and_variety_not_repeats() {
        assert_eq!(Strength::of("short"), Strength::TooShort);
        // Twelve characters, but one repeated or a run: weak.
        assert_eq!(Strength::of("aaaaaaaaaaaa"), Strength::Weak);
        assert_eq!(Strength::of("abcdefghijkl"), Strength::Weak);
        assert_eq!(Strength::of("123456789012"), Strength::Weak);
        // Counted in characters, not bytes: twelve CJK characters are long enough.
        assert!(Strength::of("東京大阪京都名古屋札幌福岡神戸").accepted());
        assert!(Strength::of("correct horse battery staple").accepted());
        assert!(Strength::of("correct horse battery staple") >= Strength::Strong);
        assert!(Strength::of("Tr0ub4dor&3-plus-several words") > Strength::of("tr0ub4dor3plu"));
        assert!(!Strength::of("passwordpass").accepted());
    }

    #[test]
    fn the_turn_on_form_needs_a_strong_confirmed_acknowledged_passphrase() {
        let mut f = NewPassphrase::default();
        assert!(f.shown_errors(false).is_empty());
        let e = f.submit(false).unwrap_err();
        assert_eq!(e.passphrase, Some(FieldError::TooWeak(Strength::TooShort)));
        assert_eq!(e.acknowledged, Some(FieldError::NotAcknowledged));
        assert_eq!(e.current, None);
        f.passphrase = "correct horse battery staple".into();
        f.confirm = "correct horse battery stapel".into();
        assert_eq!(
            f.submit(false).unwrap_err().confirm,
            Some(FieldError::Mismatch)
        );
        f.confirm = f.passphrase.clone();
        f.acknowledged = true;
        assert_eq!(f.submit(false), Ok(()));
        f.clear();
        assert_eq!(f, NewPassphrase::default());
    }

    #[test]
    fn the_change_form_needs_the_current_one_and_a_different_new_one() {
        let mut f = NewPassphrase {
            passphrase: "correct horse battery staple".into(),
            confirm: "correct horse battery staple".into(),
            ..Default::default()
        };
        assert_eq!(
            f.submit(true).unwrap_err().current,
            Some(FieldError::Required)
        );
        f.current = "correct horse battery staple".into();
        assert_eq!(
            f.submit(true).unwrap_err().passphrase,
            Some(FieldError::SameAsCurrent)
        );
        f.current = "the old one, long enough".into();
        assert_eq!(f.submit(true), Ok(()));
    }

    #[test]
    fn idle_times_read_safely_and_lock_when_due() {
        assert_eq!(idle_minutes(None), IDLE_DEFAULT_MIN);
        assert_eq!(idle_minutes(Some("30")), 30);
        assert_eq!(idle_minutes(Some("0")), 0);
        assert_eq!(idle_minutes(Some("7")), IDLE_DEFAULT_MIN);
        assert_eq!(idle_minutes(Some("-1")), IDLE_DEFAULT_MIN);
        assert!(!idle_lock_due(1_000_000.0, 0.0, 0));
        assert!(idle_lock_due(900_000.0, 0.0, 15));
        assert!(!idle_lock_due(899_999.0, 0.0, 15));
        assert_eq!(idle_label(240), "After 4 hours");
        assert_eq!(idle_label(60), "After 1 hour");
        assert_eq!(idle_label(5), "After 5 minutes");
    }

    proptest! {
        #[test]
        fn any_text_gets_a_strength_without_panicking(text in any::<String>()) {
            let s = Strength::of(&text);
            prop_assert!(s.level() <= 4);
            let _ = idle_minutes(Some(&text));
        }
    }
}
