//! Encryption at rest: what the store keeps in the clear so that a person can unlock the rest,
//! and the rules for it. Pure; the WebCrypto work is in `idb.rs`.
//!
//! The scheme. A random *data key* (AES-GCM, 256 bits) encrypts every record; a random *index
//! key* (HMAC-SHA-256) turns each group name into the opaque key its records are stored under
//! (so a group can still be read, replaced and deleted by name without the name on disk). Both
//! are wrapped (AES-GCM, fresh IV each) by a key derived from the passphrase with
//! PBKDF2-SHA-256, [`KDF_ITERATIONS`] iterations and a random 16-byte salt. The passphrase is
//! never stored; changing it re-wraps the two keys and touches no record. In memory the keys
//! are WebCrypto keys made non-extractable: even this page's scripts cannot read them out.
//!
//! What stays in the clear, and why (everything else is ciphertext):
//! - the database's schema version (IndexedDB needs it to open the database at all);
//! - this record ([`VaultRecord`]): the wrapped keys, the salt, the iteration count, an epoch;
//! - the names of the object stores and of the settings (they are this program's words);
//! - record counts, and the opaque keys: 22 characters of an HMAC per group (equal names give
//!   equal keys, nothing else can be learnt from them), the outbox's and the activity log's
//!   sequence numbers, and the inventory's 256 block numbers (FNV-1a of an ARN modulo 256: 8
//!   bits of a hash, the same for every ARN in a block);
//! - each record's 12-byte IV.
//!
//! Group names are encrypted too (the seed calls them "not private", but they are often what
//! makes a description readable: `payroll-2027-layoffs`).
//!
//! Every record is encrypted on its own, with a fresh random IV, and with its store and key as
//! AES-GCM's additional data: a ciphertext moved to another record does not decrypt. The
//! inventory is encrypted per block of a few hundred resources (the blocks it is already kept
//! in): 100,000 WebCrypto calls would cost seconds at every unlock, 256 cost milliseconds.

use serde::{Deserialize, Serialize};

/// The `meta` key of the record.
pub const META_KEY: &str = "vault";
/// PBKDF2-SHA-256 iterations for a new passphrase (OWASP's figure for 2023 on).
pub const KDF_ITERATIONS: u32 = 600_000;
/// A stored record outside these is refused (fewer: not ours, and weak; more: it would freeze
/// the tab for minutes).
pub const KDF_ITERATIONS_MIN: u32 = 600_000;
pub const KDF_ITERATIONS_MAX: u32 = 10_000_000;
pub const KDF: &str = "PBKDF2-SHA-256";
pub const CIPHER: &str = "AES-GCM-256";

/// A key as stored: wrapped by the passphrase's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    /// Base64 of the 12-byte IV of the wrap.
    pub iv: String,
    /// Base64 of the wrapped key (32 bytes of key, 16 of tag).
    pub key: String,
}

/// Whether the data is encrypted, or encryption was being turned on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VaultState {
    /// Every record is encrypted under these keys.
    On,
    /// Encryption was started and has not finished: the data is still all plain and whole
    /// (the switch is one transaction), and these keys are ready for it. The next start
    /// offers to finish (with the same passphrase) or to cancel.
    Sealing,
}

/// The one record kept in the clear (`meta`, key [`META_KEY`]), as JSON text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultRecord {
    pub version: u32,
    pub state: VaultState,
    pub cipher: String,
    pub kdf: String,
    pub iterations: u32,
    /// Base64 of the 16-byte salt.
    pub salt: String,
    pub data_key: Wrapped,
    pub index_key: Wrapped,
    /// A random text, new each time encryption is turned on: every write checks it in its own
    /// transaction, so a tab that has not noticed a switch made elsewhere cannot write a
    /// record in the wrong form.
    pub epoch: String,
    /// When encryption was turned on or started (ms since the epoch).
    pub since: i64,
    /// When the passphrase was last set.
    pub passphrase_at: i64,
}

/// Why a stored record cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultError {
    Unreadable,
    NewerVersion(u32),
    Unsupported(String),
}

impl std::fmt::Display for VaultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VaultError::Unreadable => f.write_str(
                "The record that unlocks the encrypted data here is damaged, so the data cannot be decrypted.",
            ),
            VaultError::NewerVersion(v) => write!(
                f,
                "The data here was encrypted by a newer version of Group Console (format {v}). Reload to get the newest version."
            ),
            VaultError::Unsupported(what) => {
                write!(f, "The data here is encrypted in a way this version does not use ({what}).")
            }
        }
    }
}

/// Why unlocking, turning encryption on or off, or changing the passphrase did not happen.
/// In every case nothing was changed.
#[derive(Clone, Debug, PartialEq)]
pub enum VaultFailure {
    /// The passphrase does not unwrap the keys. Nothing was read.
    WrongPassphrase,
    /// No WebCrypto on this page (it needs HTTPS or localhost).
    Unavailable,
    /// The browser's crypto failed for another reason.
    Crypto,
    /// Not possible in the current state (the words say why).
    NotNow(&'static str),
    Damaged(VaultError),
    /// Records set aside as damaged would be lost by the switch.
    Quarantined(usize),
    /// Other tabs kept writing while the data was being switched.
    Busy,
    Store(super::StoreError),
}

impl std::fmt::Display for VaultFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VaultFailure::WrongPassphrase => f.write_str("That passphrase does not unlock this data. Nothing was read; check it and try again."),
            VaultFailure::Unavailable => f.write_str("This browser offers no encryption on this page (it needs HTTPS)."),
            VaultFailure::Crypto => f.write_str("The browser could not encrypt or decrypt. Nothing was changed."),
            VaultFailure::NotNow(why) => write!(f, "Not possible now: {why}."),
            VaultFailure::Damaged(e) => e.fmt(f),
            VaultFailure::Quarantined(n) => write!(f, "{n} stored record{} set aside as damaged (Settings \u{2192} Quarantined records) would be lost by this. Export or delete {}, then try again. Nothing was changed.", if *n == 1 { " is" } else { "s are" }, if *n == 1 { "it" } else { "them" }),
            VaultFailure::Busy => f.write_str("Other tabs kept changing the data meanwhile. Nothing was changed: close them, or try again."),
            VaultFailure::Store(e) => e.fmt(f),
        }
    }
}

fn decoded_len(b64: &str) -> Option<usize> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .ok()
        .map(|v| v.len())
}

impl VaultRecord {
    pub const VERSION: u32 = 1;

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the stored record and checks every parameter the key derivation and unwrapping
    /// will use, so that a damaged or crafted record gives a plain message, not a browser error
    /// (or a tab frozen by a billion iterations).
    pub fn decode(text: &str) -> Result<VaultRecord, VaultError> {
        let r: VaultRecord = serde_json::from_str(text).map_err(|_| VaultError::Unreadable)?;
        if r.version > Self::VERSION {
            return Err(VaultError::NewerVersion(r.version));
        }
        if r.cipher != CIPHER || r.kdf != KDF {
            return Err(VaultError::Unsupported(format!("{}, {}", r.cipher, r.kdf)));
        }
        if !(KDF_ITERATIONS_MIN..=KDF_ITERATIONS_MAX).contains(&r.iterations) {
            return Err(VaultError::Unsupported(format!(
                "{} iterations",
                r.iterations
            )));
        }
        let ok = decoded_len(&r.salt) == Some(16)
            && [&r.data_key, &r.index_key]
                .iter()
                .all(|w| decoded_len(&w.iv) == Some(12) && decoded_len(&w.key) == Some(48))
            && !r.epoch.is_empty()
            && r.epoch.chars().count() <= 64;
        if ok {
            Ok(r)
        } else {
            Err(VaultError::Unreadable)
        }
    }

    /// The token every write checks (see [`VaultRecord::epoch`]).
    pub fn token(&self) -> String {
        token_of(Some(self))
    }
}

/// The token of a store: `plain` unless every record is encrypted. The same rule is written
/// in JavaScript (`vaultToken` in `idb.rs`), which reads it inside each write transaction.
pub fn token_of(record: Option<&VaultRecord>) -> String {
    match record {
        Some(r) if r.state == VaultState::On => format!("on:{}", r.epoch),
        _ => "plain".to_owned(),
    }
}

/// Where a store stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultStatus {
    /// Nothing is encrypted.
    Plain,
    /// Encryption was started and did not finish (see [`VaultState::Sealing`]).
    Interrupted,
    /// Encrypted, and this tab holds no key: nothing can be read or written.
    Locked,
    /// Encrypted, and unlocked in this tab.
    Unlocked,
    /// Encrypted, and the record that unlocks it cannot be used.
    Damaged(VaultError),
}

impl VaultStatus {
    pub fn is_encrypted(&self) -> bool {
        matches!(
            self,
            VaultStatus::Locked | VaultStatus::Unlocked | VaultStatus::Damaged(_)
        )
    }
}

/// The status a stored `meta` value gives at start (`None`: no record).
pub fn status_at_start(stored: Option<&str>) -> (VaultStatus, Option<VaultRecord>) {
    let Some(text) = stored else {
        return (VaultStatus::Plain, None);
    };
    match VaultRecord::decode(text) {
        Ok(r) if r.state == VaultState::On => (VaultStatus::Locked, Some(r)),
        Ok(r) => (VaultStatus::Interrupted, Some(r)),
        // A damaged record: is the data encrypted? Only a record in the "on" state could say,
        // and it is unreadable — so the store treats the data as encrypted (reading it as
        // plain would set every record aside as damaged, and a write would mix forms).
        Err(e) => (VaultStatus::Damaged(e), None),
    }
}

/// What an undecryptable record reads as (a JSON string, so no record type accepts it): this
/// prefix, then the record's stored key. `load.rs` sets such records aside with
/// [`UNDECRYPTABLE_REASON`].
pub const UNDECRYPTABLE_PREFIX: &str = "\u{0}gc-undecryptable:";
pub const UNDECRYPTABLE_REASON: &str = "It could not be decrypted with this data's key: it was changed or damaged outside Group Console, or moved from another record.";

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(state: VaultState) -> VaultRecord {
        let w = Wrapped {
            iv: "AAAAAAAAAAAAAAAA".into(),
            key: "A".repeat(64),
        };
        VaultRecord {
            version: 1,
            state,
            cipher: CIPHER.into(),
            kdf: KDF.into(),
            iterations: KDF_ITERATIONS,
            salt: "AAAAAAAAAAAAAAAAAAAAAA==".into(),
            data_key: w.clone(),
            index_key: w,
            epoch: "e1".into(),
            since: 5,
            passphrase_at: 5,
        }
    }

    #[test]
    fn records_round_trip_and_give_the_status() {
        let on = record(VaultState::On);
        assert_eq!(VaultRecord::decode(&on.encode()), Ok(on.clone()));
        assert_eq!(status_at_start(None).0, VaultStatus::Plain);
        assert_eq!(
            status_at_start(Some(&on.encode())),
            (VaultStatus::Locked, Some(on.clone()))
        );
        let sealing = record(VaultState::Sealing);
        assert_eq!(
            status_at_start(Some(&sealing.encode())).0,
            VaultStatus::Interrupted
        );
        assert_eq!(on.token(), "on:e1");
        assert_eq!(sealing.token(), "plain");
        assert_eq!(token_of(None), "plain");
    }

    #[test]
    fn weak_damaged_or_newer_records_are_refused() {
        let mut r = record(VaultState::On);
        r.iterations = 1000;
        assert!(matches!(
            VaultRecord::decode(&r.encode()),
            Err(VaultError::Unsupported(_))
        ));
        r.iterations = KDF_ITERATIONS_MAX + 1;
        assert!(VaultRecord::decode(&r.encode()).is_err());
        let mut r = record(VaultState::On);
        r.salt = "AAAA".into();
        assert_eq!(
            VaultRecord::decode(&r.encode()),
            Err(VaultError::Unreadable)
        );
        let mut r = record(VaultState::On);
        r.data_key.key = "not base64!".into();
        assert_eq!(
            VaultRecord::decode(&r.encode()),
            Err(VaultError::Unreadable)
        );
        let mut r = record(VaultState::On);
        r.version = 2;
        assert_eq!(
            VaultRecord::decode(&r.encode()),
            Err(VaultError::NewerVersion(2))
        );
        let mut r = record(VaultState::On);
        r.kdf = "scrypt".into();
        assert!(matches!(
            VaultRecord::decode(&r.encode()),
            Err(VaultError::Unsupported(_))
        ));
        // Damaged means "treat as encrypted": never read sealed records as plain ones.
        let (status, rec) = status_at_start(Some("{"));
        assert!(status.is_encrypted());
        assert!(rec.is_none());
    }

    proptest! {
        #[test]
        fn any_stored_text_gives_a_status_without_panicking(text in any::<String>()) {
            let _ = status_at_start(Some(&text));
            let _ = VaultRecord::decode(&text);
        }
    }
}
