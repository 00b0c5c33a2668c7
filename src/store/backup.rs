//! Backup: one file with everything this browser holds — groups with their descriptions, the
//! inventory, the activity log, settings (saved filters and detectors among them), the sync
//! outbox, last-synced copies and conflicts, and Recently deleted — and the restore of such a
//! file, previewed first and applied all or nothing.
//!
//! The file is JSON, an envelope around a payload:
//!
//! ```json
//! {"format":"group-console-backup","version":1,"createdAt":1764547200000,"schema":5,
//!  "checksum":"sha256:<hex of the payload's bytes>","payload":"<the contents, as JSON text>"}
//! ```
//!
//! The payload is a string, not nested JSON, so the checksum covers exactly the bytes that are
//! read back: a file cut short, edited by hand or damaged on a disk is refused before anything
//! of it is believed. Protected by a passphrase, `encryption` says how (AES-GCM with a 256-bit
//! key derived by PBKDF2-SHA-256 from the passphrase, a random salt and `iterations`, and a
//! random IV) and the payload is the ciphertext in base64; the checksum then covers that text,
//! so damage is told apart from a wrong passphrase (which AES-GCM's tag refuses). The crypto
//! itself runs in the browser (WebCrypto, `ui::crypto`); this module only builds and checks
//! files.
//!
//! Records are in the shapes the store keeps them in (`records.rs`, `sync_state.rs`), and a
//! restore writes them through the one write path ([`Batch::check`] included): a backup
//! cannot put into the store what a form could not.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::records::{GroupRecord, ResourceRecord, SCHEMA_VERSION};
use super::settings::SettingKey;
use super::sync_state::{ConflictRecord, TombstoneRecord};
use super::{
    ActivityEvent, ActivityFilter, Batch, Conflict, EventName, Op, OutboxEntry, Source, Store,
    StoreError, Tombstone,
};
use crate::model::{Group, Resource};

pub const FORMAT: &str = "group-console-backup";
/// The version of the file format this code writes (and the newest it reads).
pub const VERSION: u32 = 1;
/// PBKDF2-SHA-256 iterations for a new protected file: OWASP's figure for 2023 on.
pub const KDF_ITERATIONS: u32 = 600_000;
/// Fewer than this in a file to restore is refused: such a file was not made by us, and a
/// weak derivation is not "protected".
pub const KDF_ITERATIONS_MIN: u32 = 100_000;
/// Past this, a file is refused rather than freezing the tab for minutes.
pub const KDF_ITERATIONS_MAX: u32 = 10_000_000;
pub const CIPHER: &str = "AES-GCM-256";
pub const KDF: &str = "PBKDF2-SHA-256";
/// The largest file read (a backup of 100,000 resources is about 20 MB).
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// How a protected file was encrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Encryption {
    pub cipher: String,
    pub kdf: String,
    pub iterations: u32,
    /// Base64.
    pub salt: String,
    /// Base64.
    pub iv: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    format: String,
    version: u32,
    created_at: i64,
    /// The store schema the records are in.
    schema: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encryption: Option<Encryption>,
    checksum: String,
    payload: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Payload {
    groups: Vec<GroupRecord>,
    resources: Vec<ResourceRecord>,
    /// Oldest first.
    activity: Vec<ActivityEvent>,
    settings: BTreeMap<String, String>,
    /// In order.
    outbox: Vec<OutboxEntry>,
    bases: Vec<GroupRecord>,
    conflicts: Vec<ConflictRecord>,
    deleted: Vec<TombstoneRecord>,
}

/// Everything a backup holds, as the app's types.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contents {
    pub groups: Vec<Group>,
    pub resources: Vec<Resource>,
    /// Oldest first, without the store's ids (a restore numbers them afresh).
    pub activity: Vec<ActivityEvent>,
    /// Without the settings about this browser's backups ([`SettingKey::this_browser_only`]).
    pub settings: BTreeMap<String, String>,
    /// In order, without sequence numbers (a restore numbers them afresh, in this order).
    pub outbox: Vec<OutboxEntry>,
    pub bases: Vec<Group>,
    pub conflicts: Vec<Conflict>,
    pub deleted: Vec<Tombstone>,
}

impl Contents {
    /// Everything the store holds (what it can read: quarantined records are not data and
    /// stay out; Settings lists and exports them apart).
    pub async fn read<S: Store>(store: &S) -> Result<Contents, StoreError> {
        let mut activity = store.activity(&ActivityFilter::default()).await?;
        activity.reverse();
        for e in &mut activity {
            e.id = 0;
        }
        let mut settings = BTreeMap::new();
        for key in SettingKey::ALL {
            if key.this_browser_only() {
                continue;
            }
            if let Some(v) = store.setting(key.as_str()).await? {
                settings.insert(key.as_str().to_owned(), v);
            }
        }
        let state = store.sync_state().await?;
        Ok(Contents {
            groups: store.groups().await?,
            resources: store.resources().await?,
            activity,
            settings,
            outbox: state
                .outbox
                .into_iter()
                .map(|e| OutboxEntry { seq: 0, ..e })
                .collect(),
            bases: state.bases.into_values().collect(),
            conflicts: state.conflicts.into_values().collect(),
            deleted: store.tombstones().await?,
        })
    }

    fn to_payload(&self) -> Payload {
        Payload {
            groups: self.groups.iter().map(GroupRecord::from).collect(),
            resources: self.resources.iter().map(ResourceRecord::from).collect(),
            activity: self.activity.clone(),
            settings: self.settings.clone(),
            outbox: self.outbox.clone(),
            bases: self.bases.iter().map(GroupRecord::from).collect(),
            conflicts: self.conflicts.iter().map(ConflictRecord::from).collect(),
            deleted: self.deleted.iter().map(TombstoneRecord::from).collect(),
        }
    }

    /// The payload text (deterministic: the same contents give the same bytes).
    pub fn payload_json(&self) -> String {
        serde_json::to_string(&self.to_payload()).unwrap_or_default()
    }

    fn from_payload(p: Payload) -> Result<Contents, BackupError> {
        // Which record, never what it holds (the model's message can quote a value).
        let bad = |what: &str, i: usize, _e: String| {
            BackupError::Unreadable(format!("{what} number {} is not readable", i + 1))
        };
        let groups = p
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| g.to_group().map_err(|e| bad("group", i, e)))
            .collect::<Result<_, _>>()?;
        let bases = p
            .bases
            .iter()
            .enumerate()
            .map(|(i, g)| g.to_group().map_err(|e| bad("last-synced copy", i, e)))
            .collect::<Result<_, _>>()?;
        let conflicts = p
            .conflicts
            .iter()
            .enumerate()
            .map(|(i, c)| c.to_conflict().map_err(|e| bad("conflict", i, e)))
            .collect::<Result<_, _>>()?;
        let deleted = p
            .deleted
            .iter()
            .enumerate()
            .map(|(i, t)| t.to_tombstone().map_err(|e| bad("deleted group", i, e)))
            .collect::<Result<_, _>>()?;
        Ok(Contents {
            groups,
            resources: p.resources.into_iter().map(Resource::from).collect(),
            activity: p
                .activity
                .into_iter()
                .filter(event_is_clean)
                .map(|e| ActivityEvent { id: 0, ..e })
                .collect(),
            settings: p
                .settings
                .into_iter()
                .filter(|(k, _)| {
                    !SettingKey::ALL
                        .iter()
                        .any(|s| s.this_browser_only() && s.as_str() == k)
                })
                .collect(),
            outbox: p
                .outbox
                .into_iter()
                .map(|e| OutboxEntry { seq: 0, ..e })
                .collect(),
            bases,
            conflicts,
            deleted,
        })
    }

    /// Reads a payload (the decrypted text of a protected file, or a plain file's payload).
    pub fn from_payload_json(text: &str) -> Result<Contents, BackupError> {
        let p: Payload = serde_json::from_str(text)
            // Only the position: serde's message can quote the file's values (descriptions).
            .map_err(|e| {
                BackupError::Unreadable(format!(
                    "its contents do not parse (line {}, column {})",
                    e.line(),
                    e.column()
                ))
            })?;
        Self::from_payload(p)
    }
}

/// Whether an event from a file holds only what the app itself writes into events: a group
/// name a group could have, field names and a host the guard finds nothing in, of sane
/// lengths. The store checks records, not events; events come only from the app's own
/// batches, except here, where a file (made elsewhere, edited, or crafted) could put any text
/// into the log. Others are left out of the restore.
fn event_is_clean(e: &ActivityEvent) -> bool {
    let short_and_clean =
        |s: &str| s.chars().count() <= 256 && crate::guard::scan_name(s).is_empty();
    e.group_name
        .as_deref()
        .is_none_or(|n| crate::model::group::check_name(n).is_empty())
        && e.fields.len() <= 64
        && e.fields.iter().all(|f| short_and_clean(f))
        && e.target.as_deref().is_none_or(short_and_clean)
}

/// Why a file cannot be restored, in words a person can act on. Nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupError {
    NotABackup,
    /// Made by a newer version of Group Console.
    NewerVersion(u32),
    /// The checksum does not match: damaged, cut short or changed after it was made.
    Damaged,
    /// The passphrase does not open it (or the encrypted part was changed).
    WrongPassphrase,
    /// Protected, and no passphrase was given.
    NeedsPassphrase,
    /// The encryption parameters are not ones this version uses.
    UnknownEncryption(String),
    /// Parsed, but a record in it cannot be read.
    Unreadable(String),
    TooLarge,
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupError::NotABackup => f.write_str("This is not a Group Console backup file. (To bring in groups from another tool, use Import groups.)"),
            BackupError::NewerVersion(v) => write!(f, "This backup was made by a newer version of Group Console (file format {v}); this version reads format {VERSION}. Reload to get the newest version."),
            BackupError::Damaged => f.write_str("This backup file is damaged or was changed after it was made (its checksum does not match), so nothing of it is used. Try another copy."),
            BackupError::WrongPassphrase => f.write_str("The passphrase does not open this backup. Nothing was read; check the passphrase and try again."),
            BackupError::NeedsPassphrase => f.write_str("This backup is protected by a passphrase: enter it to open the file."),
            BackupError::UnknownEncryption(what) => write!(f, "This backup is protected in a way this version does not use ({what}), so it is not opened."),
            BackupError::Unreadable(why) => write!(f, "This backup cannot be restored: {why}. Nothing was changed."),
            BackupError::TooLarge => write!(f, "This file is larger than any backup ({} MB at most).", MAX_FILE_BYTES / (1024 * 1024)),
        }
    }
}

/// `sha256:` and the hex digest of `text`'s bytes.
pub fn checksum(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn seal(created_at: i64, encryption: Option<Encryption>, payload: String) -> String {
    let env = Envelope {
        format: FORMAT.to_owned(),
        version: VERSION,
        created_at,
        schema: SCHEMA_VERSION,
        encryption,
        checksum: checksum(&payload),
        payload,
    };
    serde_json::to_string_pretty(&env).unwrap_or_default()
}

/// A plain backup file of `contents`.
pub fn seal_plain(contents: &Contents, created_at: i64) -> String {
    seal(created_at, None, contents.payload_json())
}

/// A protected backup file: `ciphertext` is AES-GCM of [`Contents::payload_json`] under the
/// key derived with `salt` and `iterations`, with `iv`.
pub fn seal_encrypted(
    ciphertext: &[u8],
    salt: &[u8],
    iv: &[u8],
    iterations: u32,
    created_at: i64,
) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    seal(
        created_at,
        Some(Encryption {
            cipher: CIPHER.to_owned(),
            kdf: KDF.to_owned(),
            iterations,
            salt: b64.encode(salt),
            iv: b64.encode(iv),
        }),
        b64.encode(ciphertext),
    )
}

/// A protected file's parts, checked, ready to decrypt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub ciphertext: Vec<u8>,
    pub salt: Vec<u8>,
    pub iv: Vec<u8>,
    pub iterations: u32,
}

/// A file, opened as far as it can be without a passphrase.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    Plain { contents: Contents, created_at: i64 },
    Protected { sealed: Sealed, created_at: i64 },
}

impl Opened {
    pub fn created_at(&self) -> i64 {
        match self {
            Opened::Plain { created_at, .. } | Opened::Protected { created_at, .. } => *created_at,
        }
    }
}

/// Checks a file (format, version, checksum) and reads it if it is plain.
pub fn open(text: &str) -> Result<Opened, BackupError> {
    use base64::Engine;
    if text.len() > MAX_FILE_BYTES {
        return Err(BackupError::TooLarge);
    }
    // The format first, leniently, so that another file gets "not a backup", not a parse error.
    let probe: serde_json::Value =
        serde_json::from_str(text).map_err(|_| BackupError::NotABackup)?;
    if probe.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(BackupError::NotABackup);
    }
    if let Some(v) = probe.get("version").and_then(|v| v.as_u64()) {
        if v > u64::from(VERSION) {
            return Err(BackupError::NewerVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
    }
    let env: Envelope = serde_json::from_value(probe).map_err(|_| BackupError::Damaged)?;
    if env.checksum != checksum(&env.payload) {
        return Err(BackupError::Damaged);
    }
    // Records of a newer schema may carry fields this version would silently drop.
    if env.schema > SCHEMA_VERSION {
        return Err(BackupError::NewerVersion(env.version));
    }
    match env.encryption {
        None => Ok(Opened::Plain {
            contents: Contents::from_payload_json(&env.payload)?,
            created_at: env.created_at,
        }),
        Some(e) => {
            if e.cipher != CIPHER || e.kdf != KDF {
                return Err(BackupError::UnknownEncryption(format!(
                    "{} with {}",
                    e.cipher, e.kdf
                )));
            }
            if !(KDF_ITERATIONS_MIN..=KDF_ITERATIONS_MAX).contains(&e.iterations) {
                return Err(BackupError::UnknownEncryption(format!(
                    "{} iterations",
                    e.iterations
                )));
            }
            let b64 = base64::engine::general_purpose::STANDARD;
            let decode = |s: &str| b64.decode(s).map_err(|_| BackupError::Damaged);
            let sealed = Sealed {
                ciphertext: decode(&env.payload)?,
                salt: decode(&e.salt)?,
                iv: decode(&e.iv)?,
                iterations: e.iterations,
            };
            if sealed.salt.len() < 16 || sealed.iv.len() != 12 || sealed.ciphertext.len() < 16 {
                return Err(BackupError::Damaged);
            }
            Ok(Opened::Protected {
                sealed,
                created_at: env.created_at,
            })
        }
    }
}

/// What a restore changes, compared with what is here now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestorePreview {
    pub groups_added: usize,
    pub groups_changed: usize,
    pub groups_removed: usize,
    pub groups_same: usize,
    pub resources_added: usize,
    pub resources_changed: usize,
    pub resources_removed: usize,
    pub activity_now: usize,
    pub activity_after: usize,
    pub settings_changed: usize,
    pub outbox_after: usize,
    pub conflicts_after: usize,
    pub deleted_after: usize,
    /// Groups in the file that no longer pass the checks (the guard's rules grew since it was
    /// made): the restore is then refused as a whole, and this says how many.
    pub refused: usize,
}

impl RestorePreview {
    pub fn between(now: &Contents, backup: &Contents) -> RestorePreview {
        let mut p = RestorePreview::default();
        let here: BTreeMap<&str, &Group> =
            now.groups.iter().map(|g| (g.name.as_str(), g)).collect();
        let there: BTreeMap<&str, &Group> =
            backup.groups.iter().map(|g| (g.name.as_str(), g)).collect();
        for (name, g) in &there {
            match here.get(name) {
                None => p.groups_added += 1,
                Some(h) if h == g => p.groups_same += 1,
                Some(_) => p.groups_changed += 1,
            }
        }
        p.groups_removed = here.keys().filter(|n| !there.contains_key(*n)).count();
        let here_r: BTreeMap<&str, &Resource> =
            now.resources.iter().map(|r| (r.arn.as_str(), r)).collect();
        let there_r: BTreeMap<&str, &Resource> = backup
            .resources
            .iter()
            .map(|r| (r.arn.as_str(), r))
            .collect();
        for (arn, r) in &there_r {
            match here_r.get(arn) {
                None => p.resources_added += 1,
                Some(h) if h == r => {}
                Some(_) => p.resources_changed += 1,
            }
        }
        p.resources_removed = here_r.keys().filter(|a| !there_r.contains_key(*a)).count();
        p.activity_now = now.activity.len();
        p.activity_after = backup.activity.len();
        let keys: std::collections::BTreeSet<&String> =
            now.settings.keys().chain(backup.settings.keys()).collect();
        p.settings_changed = keys
            .into_iter()
            .filter(|k| now.settings.get(*k) != backup.settings.get(*k))
            .count();
        p.outbox_after = backup.outbox.len();
        p.conflicts_after = backup.conflicts.len();
        p.deleted_after = backup.deleted.len();
        p.refused = backup
            .groups
            .iter()
            .filter(|g| !g.blocking_errors().is_empty())
            .count();
        p
    }

    pub fn changes_anything(&self) -> bool {
        self.groups_added + self.groups_changed + self.groups_removed > 0
            || self.resources_added + self.resources_changed + self.resources_removed > 0
            || self.activity_now != self.activity_after
            || self.settings_changed > 0
            || self.outbox_after > 0
            || self.conflicts_after > 0
            || self.deleted_after > 0
    }
}

/// The batch that replaces everything here by `backup`, in one transaction: all or nothing.
/// `keep`: this browser's own settings about backups, kept as they are.
pub fn restore_batch(backup: &Contents, keep: &[(String, String)], now: i64) -> Batch {
    replace_batch(
        backup,
        keep,
        ActivityEvent::new(now, EventName::RestoreBackup, None, Source::Import)
            .with_count(backup.groups.len()),
    )
}

/// The batch that replaces everything stored by `contents` (and `keep`), then logs `event`:
/// a restore, and the switch of encryption at rest on or off (the same data written again in
/// the other form, in one transaction).
pub fn replace_batch(
    contents: &Contents,
    keep: &[(String, String)],
    event: ActivityEvent,
) -> Batch {
    let backup = contents;
    let mut ops = vec![Op::ClearAll];
    ops.extend(backup.groups.iter().cloned().map(Op::PutGroup));
    ops.extend(backup.resources.iter().cloned().map(Op::PutResource));
    ops.extend(
        backup
            .settings
            .iter()
            .chain(keep.iter().map(|(k, v)| (k, v)))
            .map(|(k, v)| Op::PutSetting(k.clone(), v.clone())),
    );
    ops.extend(backup.outbox.iter().cloned().map(Op::Enqueue));
    ops.extend(backup.bases.iter().cloned().map(Op::PutBase));
    ops.extend(backup.conflicts.iter().cloned().map(Op::PutConflict));
    ops.extend(backup.deleted.iter().cloned().map(Op::PutTombstone));
    let mut events = backup.activity.clone();
    events.push(event);
    Batch {
        ops,
        events,
        bulk: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ResourceQuery, TagFilter};
    use crate::store::{ops, MemoryStore};
    use futures::executor::block_on;

    fn seeded() -> MemoryStore {
        let store = MemoryStore::new();
        let mut g = Group::new(
            "web-prod",
            ResourceQuery::tags(vec![TagFilter {
                key: "環境".into(),
                values: vec!["本番".into(), "ステージ".into()],
            }]),
        );
        g.description = "private notes".into();
        g.tags.insert("Équipe".into(), "Ünïcode שלום".into());
        block_on(store.apply(ops::create_group(None, g.clone(), 10, Source::Local).unwrap()))
            .unwrap();
        let r = Resource::new(
            "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc",
            None,
            vec![("環境".into(), "本番".into())],
        )
        .unwrap();
        block_on(store.apply(ops::import_resources(vec![r], 11))).unwrap();
        block_on(store.apply(Batch {
            ops: vec![
                SettingKey::SavedFilters.put(r#"[{"name":"prod","line":"環境=本番"}]"#),
                SettingKey::BackupRemindDays.put("7"),
                Op::PutBase(g.clone()),
                Op::Enqueue(OutboxEntry::new(&g.name, "UpdateGroup", 12)),
            ],
            ..Batch::default()
        }))
        .unwrap();
        let mut gone = g.clone();
        gone.name = "old-one".into();
        block_on(store.apply(Batch {
            ops: vec![Op::PutGroup(gone.clone())],
            ..Batch::default()
        }))
        .unwrap();
        block_on(store.apply(ops::delete_groups_keeping(&[gone], 13, Source::Local))).unwrap();
        store
    }

    #[test]
    fn a_round_trip_is_lossless() {
        let store = seeded();
        let before = block_on(Contents::read(&store)).unwrap();
        assert!(
            !before.settings.contains_key("backup.remind"),
            "about this browser, not data"
        );
        let file = seal_plain(&before, 99);
        let Opened::Plain {
            contents,
            created_at,
        } = open(&file).unwrap()
        else {
            panic!("plain file")
        };
        assert_eq!(created_at, 99);
        assert_eq!(contents, before);
        // Restored into another browser, then backed up again: the same payload, byte for
        // byte, but for the restore's own event.
        let other = MemoryStore::new();
        block_on(other.apply(restore_batch(&contents, &[], 100))).unwrap();
        let mut again = block_on(Contents::read(&other)).unwrap();
        let last = again.activity.pop().unwrap();
        assert_eq!(last.event_name, EventName::RestoreBackup);
        assert_eq!(again.payload_json(), before.payload_json());
    }

    #[test]
    fn damage_and_tampering_are_refused() {
        let store = seeded();
        let file = seal_plain(&block_on(Contents::read(&store)).unwrap(), 1);
        // One character of the payload changed (a description edited by hand).
        let tampered = file.replace("private notes", "private notez");
        assert_ne!(tampered, file);
        assert_eq!(open(&tampered), Err(BackupError::Damaged));
        // Cut short.
        let cut: String = file.chars().take(file.chars().count() / 2).collect();
        assert_eq!(open(&cut), Err(BackupError::NotABackup));
        assert_eq!(
            open("{\"format\":\"something else\"}"),
            Err(BackupError::NotABackup)
        );
        assert_eq!(open("not json"), Err(BackupError::NotABackup));
        let newer = file.replace("\"version\": 1", "\"version\": 7");
        assert_eq!(open(&newer), Err(BackupError::NewerVersion(7)));
    }

    #[test]
    fn protected_files_check_their_parameters() {
        let file = seal_encrypted(&[7; 40], &[1; 16], &[2; 12], KDF_ITERATIONS, 5);
        assert!(!file.contains("private"));
        match open(&file).unwrap() {
            Opened::Protected { sealed, created_at } => {
                assert_eq!(created_at, 5);
                assert_eq!(sealed.iterations, 600_000);
                assert_eq!(sealed.salt, [1; 16]);
                assert_eq!(sealed.iv, [2; 12]);
                assert_eq!(sealed.ciphertext, [7; 40]);
            }
            other => panic!("{other:?}"),
        }
        let weak = seal_encrypted(&[7; 40], &[1; 16], &[2; 12], 1_000, 5);
        assert!(matches!(
            open(&weak),
            Err(BackupError::UnknownEncryption(_))
        ));
        let short_iv = seal_encrypted(&[7; 40], &[1; 16], &[2; 8], KDF_ITERATIONS, 5);
        assert_eq!(open(&short_iv), Err(BackupError::Damaged));
    }

    #[test]
    fn the_preview_says_what_changes() {
        let store = seeded();
        let backup = block_on(Contents::read(&store)).unwrap();
        let mut now = backup.clone();
        now.groups[0].description = "edited since".into();
        now.groups
            .push(Group::new("new-here", ResourceQuery::tags(vec![])));
        now.resources.clear();
        let p = RestorePreview::between(&now, &backup);
        assert_eq!(p.groups_changed, 1);
        assert_eq!(p.groups_removed, 1);
        assert_eq!(p.groups_added, 0);
        assert_eq!(p.resources_added, 1);
        assert_eq!(p.outbox_after, 1);
        assert_eq!(p.deleted_after, 1);
        assert!(p.changes_anything());
        let same = RestorePreview::between(&backup, &backup);
        assert_eq!(same.groups_same, 1);
    }

    #[test]
    fn a_file_never_turns_sync_on_approves_uploads_or_writes_odd_text_into_the_log() {
        let mut c = Contents::default();
        c.settings.insert("sync.enabled".into(), "on".into());
        c.settings
            .insert("sync.consent".into(), "evil.example.com".into());
        c.settings.insert("finder.saved".into(), "[]".into());
        let mut forged = ActivityEvent::new(
            1,
            EventName::CreateGroup,
            Some("acct 123456789012"),
            Source::Local,
        );
        forged.fields = vec!["AKIAIOSFODNN7EXAMPLE".into()];
        c.activity = vec![
            forged,
            ActivityEvent::new(2, EventName::CreateGroup, Some("web"), Source::Local),
        ];
        let Opened::Plain { contents, .. } = open(&seal_plain(&c, 1)).unwrap() else {
            panic!("plain")
        };
        assert_eq!(
            contents.settings.keys().collect::<Vec<_>>(),
            ["finder.saved"]
        );
        assert_eq!(contents.activity.len(), 1);
        assert_eq!(contents.activity[0].group_name.as_deref(), Some("web"));
        // A newer schema is refused, not half-read.
        let newer = seal_plain(&Contents::default(), 1)
            .replace(&format!("\"schema\": {SCHEMA_VERSION}"), "\"schema\": 99");
        assert!(matches!(open(&newer), Err(BackupError::NewerVersion(_))));
        // Parse errors name a position, never the file's text.
        let e =
            Contents::from_payload_json(r#"{"groups":[{"name":"secret-words-here"#).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }

    #[test]
    fn a_restore_keeps_this_browsers_backup_settings() {
        let store = seeded();
        let backup = block_on(Contents::read(&store)).unwrap();
        let keep = vec![("backup.remind".to_owned(), "30".to_owned())];
        block_on(store.apply(restore_batch(&backup, &keep, 50))).unwrap();
        assert_eq!(
            block_on(store.setting("backup.remind")).unwrap().as_deref(),
            Some("30")
        );
    }
}
