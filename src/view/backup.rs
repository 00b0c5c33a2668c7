//! Settings → Storage and Backup, as plain state: the passphrase form of a protected backup,
//! when a backup is due, and how full the browser's storage is. The page (`ui/pages/backup.rs`)
//! renders these; the file format is `store::backup`.

/// The shortest passphrase accepted for a backup. Length is what makes a passphrase strong
/// against a guessing attack on a stolen file; PBKDF2's iterations only slow each guess.
pub const PASSPHRASE_MIN_CHARS: usize = 12;

/// The passphrase fields of "Protect with a passphrase".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassphraseDraft {
    pub protect: bool,
    pub passphrase: String,
    pub confirm: String,
    /// Messages show once the person tried to make the file.
    pub submitted: bool,
}

/// What is wrong with the passphrase fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassphraseError {
    TooShort,
    Mismatch,
}

impl std::fmt::Display for PassphraseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PassphraseError::TooShort => write!(
                f,
                "Use at least {PASSPHRASE_MIN_CHARS} characters (a few unrelated words are easy to remember and hard to guess)."
            ),
            PassphraseError::Mismatch => f.write_str("The two passphrases differ."),
        }
    }
}

impl PassphraseDraft {
    /// The passphrase error of the first field, if any (characters counted, not bytes).
    pub fn passphrase_error(&self) -> Option<PassphraseError> {
        (self.protect && self.passphrase.chars().count() < PASSPHRASE_MIN_CHARS)
            .then_some(PassphraseError::TooShort)
    }

    pub fn confirm_error(&self) -> Option<PassphraseError> {
        (self.protect && self.passphrase_error().is_none() && self.confirm != self.passphrase)
            .then_some(PassphraseError::Mismatch)
    }

    /// What to show next to each field (nothing before the first try).
    pub fn shown_errors(&self) -> (Option<PassphraseError>, Option<PassphraseError>) {
        if !self.submitted {
            return (None, None);
        }
        (self.passphrase_error(), self.confirm_error())
    }

    /// Tries to make the file: the passphrase to use (`None`: a plain file), or the errors.
    pub fn submit(&mut self) -> Result<Option<String>, PassphraseError> {
        self.submitted = true;
        if let Some(e) = self.passphrase_error().or(self.confirm_error()) {
            return Err(e);
        }
        Ok(self.protect.then(|| self.passphrase.clone()))
    }

    /// After the file is made: the passphrase leaves memory as soon as it is not needed.
    pub fn clear_secret(&mut self) {
        self.passphrase.clear();
        self.confirm.clear();
        self.submitted = false;
    }
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The reminder interval as stored ("0" or absent: never); a damaged value is "never".
pub fn remind_days(stored: Option<&str>) -> u32 {
    stored.and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Whether a reminder is due at `now`: an interval is set, there is data to lose, and the last
/// backup (if any) is older than the interval.
pub fn backup_due(last: Option<i64>, remind_days: u32, has_data: bool, now: i64) -> bool {
    if remind_days == 0 || !has_data {
        return false;
    }
    match last {
        None => true,
        Some(t) => now.saturating_sub(t) > i64::from(remind_days) * DAY_MS,
    }
}

/// How long ago, in plain words ("today", "3 days ago").
pub fn days_ago(then: i64, now: i64) -> String {
    let days = now.saturating_sub(then) / DAY_MS;
    match days {
        d if d <= 0 => "today".to_owned(),
        1 => "yesterday".to_owned(),
        d => format!("{d} days ago"),
    }
}

/// The storage line of Settings: usage against the quota, and whether to warn (at 80 %).
#[derive(Clone, Debug, PartialEq)]
pub struct StorageUse {
    pub usage: f64,
    pub quota: f64,
}

impl StorageUse {
    pub const WARN_AT: f64 = 0.8;

    pub fn fraction(&self) -> f64 {
        if self.quota > 0.0 {
            (self.usage / self.quota).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    pub fn warn(&self) -> bool {
        self.quota > 0.0 && self.fraction() >= Self::WARN_AT
    }

    /// "12.3 MB of 2.1 GB (1 %)".
    pub fn describe(&self) -> String {
        format!(
            "{} of {} ({:.0} %)",
            bytes(self.usage),
            bytes(self.quota),
            self.fraction() * 100.0
        )
    }
}

/// Bytes in decimal units, as browsers and operating systems show sizes.
pub fn bytes(n: f64) -> String {
    let n = if n.is_finite() && n > 0.0 { n } else { 0.0 };
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut v = n;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{v:.0} {}", UNITS[0])
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrases_are_counted_in_characters_and_confirmed() {
        let mut d = PassphraseDraft {
            protect: true,
            passphrase: "短い".into(),
            ..Default::default()
        };
        assert_eq!(d.shown_errors(), (None, None), "quiet before the first try");
        assert_eq!(d.submit(), Err(PassphraseError::TooShort));
        // Twelve characters, 36 bytes: long enough.
        d.passphrase = "秘密の合言葉は青い空と海です".into();
        d.confirm = "秘密の合言葉は青い空と海".into();
        assert_eq!(d.submit(), Err(PassphraseError::Mismatch));
        assert_eq!(d.shown_errors(), (None, Some(PassphraseError::Mismatch)));
        d.confirm = d.passphrase.clone();
        assert_eq!(d.submit(), Ok(Some("秘密の合言葉は青い空と海です".into())));
        d.clear_secret();
        assert!(d.passphrase.is_empty() && d.confirm.is_empty());
        let mut plain = PassphraseDraft::default();
        assert_eq!(plain.submit(), Ok(None));
    }

    #[test]
    fn reminders_follow_the_interval() {
        let now = 100 * DAY_MS;
        assert!(!backup_due(None, 0, true, now), "never asked for");
        assert!(!backup_due(None, 7, false, now), "nothing to lose");
        assert!(backup_due(None, 7, true, now), "never made");
        assert!(!backup_due(Some(now - 6 * DAY_MS), 7, true, now));
        assert!(backup_due(Some(now - 8 * DAY_MS), 7, true, now));
        assert_eq!(remind_days(Some("x")), 0);
        assert_eq!(remind_days(Some("30")), 30);
        assert_eq!(days_ago(now - DAY_MS, now), "yesterday");
        assert_eq!(days_ago(now - 5 * DAY_MS, now), "5 days ago");
    }

    #[test]
    fn storage_warns_at_eighty_percent() {
        let u = StorageUse {
            usage: 800.0,
            quota: 1000.0,
        };
        assert!(u.warn());
        assert_eq!(u.describe(), "800 bytes of 1.0 kB (80 %)");
        assert!(!StorageUse {
            usage: 10.0,
            quota: 0.0
        }
        .warn());
        assert_eq!(bytes(f64::NAN), "0 bytes");
        assert_eq!(bytes(12_345_678.0), "12.3 MB");
    }
}

/// Whole days left before a group deleted at `deleted_at` leaves Recently deleted for good
/// (0 on its last day).
pub fn days_left(deleted_at: i64, now: i64) -> i64 {
    let end = deleted_at.saturating_add(crate::store::TOMBSTONE_DAYS * DAY_MS);
    (end.saturating_sub(now).max(0)) / DAY_MS
}

#[cfg(test)]
mod days_tests {
    #[test]
    fn days_left_counts_down_to_zero() {
        let day = 24 * 3600 * 1000;
        assert_eq!(super::days_left(0, 0), 30);
        assert_eq!(super::days_left(0, day + 1), 28);
        assert_eq!(super::days_left(0, 31 * day), 0);
        assert_eq!(super::days_left(i64::MAX, i64::MIN), i64::MAX / day);
    }
}
