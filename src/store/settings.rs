//! The settings the app keeps in the store, by typed key, with their values encoded one way.
//!
//! The store itself takes any key and string ([`Op::PutSetting`], [`Store::setting`]); this is
//! the one place that says which keys exist and how their values are spelled. The spellings are
//! stored: they never change, and a value this version cannot read means "not set" (the
//! safe default), never an error.
//!
//! [`Op::PutSetting`]: super::Op::PutSetting
//! [`Store::setting`]: super::Store::setting

use super::Op;

/// A setting's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SettingKey {
    /// The chosen backend (`EndpointChoice::to_setting`).
    SyncEndpoint,
    /// Whether sync is on ([`SyncEnabled`]).
    SyncEnabled,
    /// The account the backend answered for on first sync (the sync engine's binding).
    SyncAccount,
    /// The finder's named saved filters (`view::finder::SavedFilters`).
    SavedFilters,
    /// What the aliases of each "Share safely" export stand for (`store::share::AliasMaps`):
    /// the one setting that holds account IDs, only as bare 12-digit values.
    SharedAliases,
    /// The person's own detectors (`guard::custom::Detectors`), which the guard applies
    /// everywhere; stored in exactly the shape that type writes.
    CustomDetectors,
    /// What the person agreed to send, per backend host (`sync::outgoing::Consent`).
    SyncConsent,
    /// When the last backup file was made here (ms since the epoch, decimal).
    BackupLastAt,
    /// After how many days without a backup Settings reminds ("0": never).
    BackupRemindDays,
}

impl SettingKey {
    /// The stored key.
    pub const fn as_str(self) -> &'static str {
        match self {
            SettingKey::SyncEndpoint => "sync.endpoint",
            SettingKey::SyncEnabled => "sync.enabled",
            SettingKey::SyncAccount => "sync.account",
            SettingKey::SavedFilters => "finder.saved",
            SettingKey::SharedAliases => "share.aliases",
            SettingKey::CustomDetectors => "guard.detectors",
            SettingKey::SyncConsent => "sync.consent",
            SettingKey::BackupLastAt => "backup.last",
            SettingKey::BackupRemindDays => "backup.remind",
        }
    }

    /// Every key, in a fixed order.
    pub const ALL: [SettingKey; 9] = [
        SettingKey::SyncEndpoint,
        SettingKey::SyncEnabled,
        SettingKey::SyncAccount,
        SettingKey::SavedFilters,
        SettingKey::SharedAliases,
        SettingKey::CustomDetectors,
        SettingKey::SyncConsent,
        SettingKey::BackupLastAt,
        SettingKey::BackupRemindDays,
    ];

    /// Whether the setting belongs to this browser rather than to the data: a backup leaves it
    /// out, and a restore keeps this browser's own value. The backup settings are about this
    /// browser's files; sync's switch and the approval to send without asking are decisions
    /// made here — a restored file (made elsewhere, or crafted) must never turn sync on or
    /// approve uploads to a host.
    pub fn this_browser_only(self) -> bool {
        matches!(
            self,
            SettingKey::BackupLastAt
                | SettingKey::BackupRemindDays
                | SettingKey::SyncEnabled
                | SettingKey::SyncConsent
        )
    }

    /// The operation that stores `value` under this key.
    pub fn put(self, value: impl Into<String>) -> Op {
        Op::PutSetting(self.as_str().to_owned(), value.into())
    }
}

/// Sync's on/off switch. Only "on" means on: absent, "off" or anything else is off, so a
/// damaged or unknown value never starts sending data anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncEnabled {
    On,
    Off,
}

impl SyncEnabled {
    /// The stored value.
    pub const fn as_str(self) -> &'static str {
        match self {
            SyncEnabled::On => "on",
            SyncEnabled::Off => "off",
        }
    }

    /// The switch from the stored value, if any.
    pub fn decode(stored: Option<&str>) -> Self {
        match stored {
            Some("on") => SyncEnabled::On,
            _ => SyncEnabled::Off,
        }
    }

    pub fn is_on(self) -> bool {
        self == SyncEnabled::On
    }

    /// The operation that stores it.
    pub fn put(self) -> Op {
        SettingKey::SyncEnabled.put(self.as_str())
    }
}

impl From<bool> for SyncEnabled {
    fn from(on: bool) -> Self {
        if on {
            SyncEnabled::On
        } else {
            SyncEnabled::Off
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_todays_spellings() {
        assert_eq!(SettingKey::SyncEndpoint.as_str(), "sync.endpoint");
        assert_eq!(SettingKey::SyncEnabled.as_str(), "sync.enabled");
        assert_eq!(SettingKey::SyncAccount.as_str(), "sync.account");
        assert_eq!(
            SyncEnabled::On.put(),
            Op::PutSetting("sync.enabled".into(), "on".into())
        );
        assert_eq!(
            SyncEnabled::Off.put(),
            Op::PutSetting("sync.enabled".into(), "off".into())
        );
        for v in [SyncEnabled::On, SyncEnabled::Off] {
            assert_eq!(SyncEnabled::decode(Some(v.as_str())), v);
        }
    }

    #[test]
    fn only_on_is_on() {
        assert!(SyncEnabled::decode(Some("on")).is_on());
        for stored in [
            None,
            Some("off"),
            Some(""),
            Some("ON"),
            Some("true"),
            Some("1"),
        ] {
            assert_eq!(SyncEnabled::decode(stored), SyncEnabled::Off, "{stored:?}");
        }
        assert_eq!(SyncEnabled::from(true), SyncEnabled::On);
        assert_eq!(SyncEnabled::from(false), SyncEnabled::Off);
    }
}
