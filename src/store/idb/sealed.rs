//! The encrypted form of the IndexedDB store (see `store::vault` for the scheme): preparing a
//! write, and turning encryption on, off, unlocking and changing the passphrase.
//!
//! Every crypto call is asynchronous and an IndexedDB transaction commits as soon as it has no
//! request left, so nothing is encrypted or decrypted *inside* a transaction: reads decrypt
//! after theirs completed, and a write encrypts everything first ([`prepare`]) and then queues
//! its requests in one go. What a write read before its transaction (a group's record for
//! `ExpectGroup`, the inventory's blocks) is checked again inside it, by IV: every record
//! written gets a fresh one, so "the same IV" is "the same record".

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{
    idbBlocksOpened, map_error, vaultCreate, vaultEditBlocks, vaultRandomId, vaultRewrap,
    vaultSeal, vaultUnlock, Form, IdbStore, Keys, Prepared, Vault,
};
use crate::store::activity::{ActivityEvent, EventName, Source};
use crate::store::backup::{self, Contents};
use crate::store::records::{GroupRecord, ResourceRecord};
use crate::store::settings::SettingKey;
use crate::store::sync_state::{ConflictRecord, TombstoneRecord};
use crate::store::vault::{
    self, VaultFailure, VaultRecord, VaultState, VaultStatus, Wrapped, KDF_ITERATIONS,
};
use crate::store::{Batch, Op, OutboxEntry, RecordKind, Store, StoreError};

/// What one stored value of a batch is, in the order `IdbStore::write` takes them.
pub(super) enum Slot {
    Group(String),
    Base(String),
    Conflict(String),
    Tombstone(String),
    Resource,
    Outbox,
    Setting(String),
    Event,
}

/// Every value a batch stores, as JSON text, with what it is.
pub(super) fn slots(batch: &Batch) -> Result<Vec<(Slot, String)>, serde_json::Error> {
    let mut out = Vec::new();
    for op in &batch.ops {
        let slot = match op {
            Op::PutGroup(g) => (
                Slot::Group(g.name.clone()),
                serde_json::to_string(&GroupRecord::from(g))?,
            ),
            Op::PutResource(r) => (
                Slot::Resource,
                serde_json::to_string(&ResourceRecord::from(r))?,
            ),
            Op::PutBase(g) => (
                Slot::Base(g.name.clone()),
                serde_json::to_string(&GroupRecord::from(g))?,
            ),
            Op::Enqueue(e) => {
                let e = OutboxEntry {
                    seq: 0,
                    ..e.clone()
                };
                (Slot::Outbox, serde_json::to_string(&e)?)
            }
            Op::PutConflict(c) => (
                Slot::Conflict(c.group_name.clone()),
                serde_json::to_string(&ConflictRecord::from(c))?,
            ),
            Op::PutTombstone(t) => (
                Slot::Tombstone(t.group.name.clone()),
                serde_json::to_string(&TombstoneRecord::from(t))?,
            ),
            Op::PutSetting(k, v) => (Slot::Setting(k.clone()), serde_json::to_string(v)?),
            _ => continue,
        };
        out.push(slot);
    }
    for e in &batch.events {
        out.push((Slot::Event, serde_json::to_string(e)?));
    }
    Ok(out)
}

async fn wait(promise: js_sys::Promise) -> Result<JsValue, StoreError> {
    JsFuture::from(promise).await.map_err(|e| map_error(&e))
}

/// The encrypted values of a batch (see [`Prepared`]).
pub(super) async fn prepare(
    store: &IdbStore,
    batch: &Batch,
    slots: Vec<(Slot, String)>,
    keys: &Keys,
) -> Result<Prepared, StoreError> {
    let mut names: Vec<&str> = Vec::new();
    for (slot, _) in &slots {
        if let Slot::Group(n) | Slot::Base(n) | Slot::Conflict(n) | Slot::Tombstone(n) = slot {
            names.push(n);
        }
    }
    for op in &batch.ops {
        match op {
            Op::DeleteGroup(n)
            | Op::DeleteBase(n)
            | Op::DeleteConflict(n)
            | Op::DeleteTombstone(n)
            | Op::ExpectGroup { name: n, .. } => names.push(n),
            // A record set aside after it decrypted is listed by the name it holds.
            Op::DeleteQuarantined(kind, key)
                if !matches!(kind, RecordKind::Resource | RecordKind::Outbox) =>
            {
                names.push(key)
            }
            _ => {}
        }
    }
    let ids = IdbStore::ids(keys, names).await?;
    let id = |n: &str| JsValue::from_str(ids.get(n).map(String::as_str).unwrap_or_default());
    let spec = |store: &str, field: &str, key: JsValue| -> JsValue {
        Array::of3(&JsValue::from_str(store), &JsValue::from_str(field), &key).into()
    };
    let specs = Array::new();
    let texts = Array::new();
    for (slot, text) in &slots {
        specs.push(&match slot {
            Slot::Group(n) => spec("groups", "name", id(n)),
            Slot::Base(n) => spec("syncBase", "name", id(n)),
            Slot::Conflict(n) => spec("conflicts", "groupName", id(n)),
            Slot::Tombstone(n) => spec("tombstones", "name", id(n)),
            // Encrypted by block, below.
            Slot::Resource => JsValue::NULL,
            // IndexedDB numbers them: the key is not known yet, and not in the additional data.
            Slot::Outbox => spec("outbox", "", JsValue::from_str("")),
            Slot::Event => spec("activity", "", JsValue::from_str("")),
            Slot::Setting(k) => spec("meta", "", JsValue::from_str(k)),
        });
        texts.push(&JsValue::from_str(text));
    }
    // Each ExpectGroup against the record as it is now; inside the transaction, by its IV.
    // Read while the values are encrypted: a save waits for one crypto round trip, not two.
    let expecting = async {
        let mut expects = Vec::new();
        for op in &batch.ops {
            let Op::ExpectGroup { name, updated_at } = op else {
                continue;
            };
            let stored_id = ids.get(name).cloned().unwrap_or_default();
            let (now, iv) = match store.opened_one("groups", keys, &stored_id).await? {
                None => (None, JsValue::NULL),
                Some((Some(text), iv)) => {
                    let at = serde_json::from_str::<serde_json::Value>(&text)
                        .ok()
                        .and_then(|v| v.get("updatedAt").and_then(serde_json::Value::as_i64))
                        .unwrap_or(0);
                    (Some(at), iv)
                }
                // Set aside as undecryptable: present, and not the copy anyone read.
                Some((None, _)) => return Err(StoreError::Changed(name.clone())),
            };
            if now != *updated_at {
                return Err(StoreError::Changed(name.clone()));
            }
            expects.push((stored_id, iv, name.clone()));
        }
        Ok::<_, StoreError>(expects)
    };
    let (values, expects) = futures::join!(wait(vaultSeal(&keys.0, &specs, &texts)), expecting);
    let values: Array = values?.unchecked_into();
    let expects = expects?;

    // The inventory: the blocks the change falls in, edited and encrypted again.
    let inventory_ops = Array::new();
    let mut arns = Array::new();
    let mut index = 0u32;
    for op in &batch.ops {
        match op {
            Op::PutResource(r) => {
                inventory_ops.push(&values.get(index));
                arns.push(&JsValue::from_str(&r.arn));
            }
            Op::DeleteResource(arn) => {
                inventory_ops.push(&JsValue::from_str(arn));
                arns.push(&JsValue::from_str(arn));
            }
            Op::DeleteQuarantined(RecordKind::Resource, key)
                if !key.starts_with(crate::store::load::BLOCK_KEY_PREFIX) =>
            {
                inventory_ops.push(&JsValue::from_str(key));
                arns.push(&JsValue::from_str(key));
            }
            _ => {}
        }
        if matches!(
            op,
            Op::PutGroup(_)
                | Op::PutResource(_)
                | Op::PutBase(_)
                | Op::Enqueue(_)
                | Op::PutConflict(_)
                | Op::PutTombstone(_)
                | Op::PutSetting(..)
        ) {
            index += 1;
        }
    }
    let blocks = if inventory_ops.length() == 0 {
        None
    } else {
        // After a ClearAll there is nothing to edit: the blocks are made anew.
        let current = if batch.ops.iter().any(|op| matches!(op, Op::ClearAll)) {
            arns = Array::new();
            Array::new()
        } else {
            let tx = store.tx(&["inventory"], "readonly", "default")?;
            let os = tx.object_store("inventory").map_err(|e| map_error(&e))?;
            wait(idbBlocksOpened(&os, &keys.0, &arns))
                .await?
                .unchecked_into()
        };
        let _ = arns;
        Some(
            wait(vaultEditBlocks(&keys.0, &current, &inventory_ops))
                .await?
                .unchecked_into(),
        )
    };

    Ok(Prepared {
        values,
        sealed: true,
        ids,
        expects,
        blocks,
    })
}

/// The parts `vaultCreate` and `vaultRewrap` give.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Parts {
    salt: String,
    data_key: Wrapped,
    index_key: Wrapped,
}

fn crypto_failure(e: &JsValue) -> VaultFailure {
    let name = js_sys::Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    match name.as_deref() {
        Some("GroupConsoleWrongPassphrase") => VaultFailure::WrongPassphrase,
        Some("GroupConsoleVaultChanged") => VaultFailure::Store(StoreError::VaultChanged),
        _ if js_sys::Reflect::get(&js_sys::global(), &"crypto".into())
            .map(|c| c.is_undefined())
            .unwrap_or(true) =>
        {
            VaultFailure::Unavailable
        }
        _ => VaultFailure::Crypto,
    }
}

async fn call(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, VaultFailure> {
    let promise = promise.map_err(|e| crypto_failure(&e))?;
    JsFuture::from(promise)
        .await
        .map_err(|e| crypto_failure(&e))
}

impl IdbStore {
    /// Where encryption at rest stands in this tab.
    pub fn vault_status(&self) -> VaultStatus {
        self.vault.borrow().status.clone()
    }

    /// The stored record (for Settings: when encryption was turned on, the passphrase set).
    pub fn vault_record(&self) -> Option<VaultRecord> {
        self.vault.borrow().record.clone()
    }

    /// Unlocks encrypted data with its passphrase; the time the key derivation took (ms).
    /// A wrong passphrase reads nothing.
    pub async fn unlock(&self, passphrase: &str) -> Result<f64, VaultFailure> {
        if let VaultStatus::Damaged(e) = self.vault_status() {
            return Err(VaultFailure::Damaged(e));
        }
        // As stored now: the passphrase may have changed in another tab since this one opened.
        let record = self.fresh_record().await?;
        let (keys, kdf_ms) = self.keys_of(&record, passphrase).await?;
        let mut v = self.vault.borrow_mut();
        v.keys = Some(keys);
        v.status = VaultStatus::Unlocked;
        Ok(kdf_ms)
    }

    /// The vault record as stored now, for an operation that needs the passphrase: another tab
    /// may have changed it since this one read it (with the same epoch, so the data's form is
    /// the same; otherwise the operation is refused as a switch made elsewhere).
    async fn fresh_record(&self) -> Result<VaultRecord, VaultFailure> {
        let stored = self
            .plain_meta(vault::META_KEY)
            .await
            .map_err(VaultFailure::Store)?
            .ok_or(VaultFailure::NotNow("the data here is not encrypted"))?;
        let record = VaultRecord::decode(&stored).map_err(VaultFailure::Damaged)?;
        let mut v = self.vault.borrow_mut();
        if v.record
            .as_ref()
            .is_some_and(|r| r.token() != record.token())
        {
            return Err(VaultFailure::Store(StoreError::VaultChanged));
        }
        v.record = Some(record.clone());
        Ok(record)
    }

    async fn keys_of(
        &self,
        record: &VaultRecord,
        passphrase: &str,
    ) -> Result<(Keys, f64), VaultFailure> {
        let pair: Array = call(vaultUnlock(passphrase, &record.encode()))
            .await?
            .unchecked_into();
        Ok((Keys::new(pair.get(0)), pair.get(1).as_f64().unwrap_or(0.0)))
    }

    /// Turns encryption on: new keys under this passphrase, then every record written again
    /// encrypted, in one transaction. Before it, the record of the new keys is stored in the
    /// "started" state: if the tab closes before the switch commits, the data is still whole
    /// and plain, and the next start offers to finish ([`IdbStore::finish_turn_on`]).
    pub async fn turn_on(&self, passphrase: &str, now: i64) -> Result<(), VaultFailure> {
        let (keys, record) = self.start_turn_on(passphrase, now).await?;
        self.switch(keys, record, now).await
    }

    /// The first step of [`IdbStore::turn_on`] alone: the new keys made and stored in the
    /// "started" state, no record encrypted yet — where a tab closed during the switch leaves
    /// the data (tests stop here to check that the next start finishes without loss).
    pub async fn start_turn_on(
        &self,
        passphrase: &str,
        now: i64,
    ) -> Result<(Keys, VaultRecord), VaultFailure> {
        if self.vault_status() != VaultStatus::Plain {
            return Err(VaultFailure::NotNow(
                "encryption is already on, or was started and not finished",
            ));
        }
        self.refuse_quarantine().await?;
        let pair: Array = call(vaultCreate(passphrase, KDF_ITERATIONS))
            .await?
            .unchecked_into();
        let parts: Parts = serde_json::from_str(&pair.get(0).as_string().unwrap_or_default())
            .map_err(|_| VaultFailure::Crypto)?;
        let record = VaultRecord {
            version: VaultRecord::VERSION,
            state: VaultState::Sealing,
            cipher: vault::CIPHER.into(),
            kdf: vault::KDF.into(),
            iterations: KDF_ITERATIONS,
            salt: parts.salt,
            data_key: parts.data_key,
            index_key: parts.index_key,
            epoch: vaultRandomId(),
            since: now,
            passphrase_at: now,
        };
        self.put_record(Some(&record), "plain", None).await?;
        {
            let mut v = self.vault.borrow_mut();
            v.status = VaultStatus::Interrupted;
            v.record = Some(record.clone());
        }
        Ok((Keys::new(pair.get(1)), record))
    }

    /// Finishes an encryption that was started and interrupted, with the passphrase chosen
    /// then (its keys are in the stored record).
    pub async fn finish_turn_on(&self, passphrase: &str, now: i64) -> Result<(), VaultFailure> {
        let record = match (self.vault_status(), self.vault_record()) {
            (VaultStatus::Interrupted, Some(r)) => r,
            _ => return Err(VaultFailure::NotNow("no encryption was interrupted")),
        };
        let (keys, _) = self.keys_of(&record, passphrase).await?;
        self.refuse_quarantine().await?;
        self.switch(keys, record, now).await
    }

    /// Forgets an interrupted encryption: the data stays plain, as it is.
    pub async fn cancel_turn_on(&self) -> Result<(), VaultFailure> {
        if self.vault_status() != VaultStatus::Interrupted {
            return Err(VaultFailure::NotNow("no encryption was interrupted"));
        }
        self.put_record(None, "plain", None).await?;
        let mut v = self.vault.borrow_mut();
        v.status = VaultStatus::Plain;
        v.record = None;
        Ok(())
    }

    /// Turns encryption off (the passphrase asked again): every record written again in the
    /// clear, in one transaction, and the keys forgotten.
    pub async fn turn_off(&self, passphrase: &str, now: i64) -> Result<(), VaultFailure> {
        if self.vault_status() != VaultStatus::Unlocked {
            return Err(VaultFailure::NotNow(
                "the data is not encrypted and unlocked",
            ));
        }
        let record = self.fresh_record().await?;
        self.keys_of(&record, passphrase).await?;
        self.refuse_quarantine().await?;
        self.rewrite_all(
            &Form::Plain,
            &record.token(),
            None,
            EventName::EncryptionOff,
            now,
        )
        .await?;
        *self.vault.borrow_mut() = Vault {
            status: VaultStatus::Plain,
            record: None,
            keys: None,
        };
        Ok(())
    }

    /// A new passphrase for the same keys: only the stored record changes.
    pub async fn change_passphrase(
        &self,
        current: &str,
        new: &str,
        now: i64,
    ) -> Result<(), VaultFailure> {
        if self.vault_status() != VaultStatus::Unlocked {
            return Err(VaultFailure::NotNow(
                "the data is not encrypted and unlocked",
            ));
        }
        let record = self.fresh_record().await?;
        let text = call(vaultRewrap(current, new, &record.encode(), KDF_ITERATIONS))
            .await?
            .as_string()
            .unwrap_or_default();
        let parts: Parts = serde_json::from_str(&text).map_err(|_| VaultFailure::Crypto)?;
        let next = VaultRecord {
            iterations: KDF_ITERATIONS,
            salt: parts.salt,
            data_key: parts.data_key,
            index_key: parts.index_key,
            passphrase_at: now,
            ..record.clone()
        };
        // Only over the record the new one was made from: a change made in another tab
        // meanwhile is not silently undone.
        self.put_record(Some(&next), &record.token(), Some(&record.encode()))
            .await?;
        self.vault.borrow_mut().record = Some(next);
        // The log says when, never anything about the passphrase. The change is made: if the
        // log cannot be written now, it is not undone for that.
        let event = ActivityEvent::new(now, EventName::ChangePassphrase, None, Source::Local);
        let _ = self
            .apply(Batch {
                ops: Vec::new(),
                events: vec![event],
                bulk: false,
            })
            .await;
        Ok(())
    }

    /// Switching needs every record readable: a record set aside as damaged would be lost
    /// (it cannot be written again in the other form).
    async fn refuse_quarantine(&self) -> Result<(), VaultFailure> {
        let set_aside = self
            .quarantine(&RecordKind::ALL)
            .await
            .map_err(VaultFailure::Store)?;
        if set_aside.is_empty() {
            Ok(())
        } else {
            Err(VaultFailure::Quarantined(set_aside.len()))
        }
    }

    /// Everything stored, this browser's own settings, and the count of writes when the read
    /// began (the switch is refused and read again if anything was written meanwhile).
    async fn read_all(&self) -> Result<(Contents, Vec<(String, String)>, f64), VaultFailure> {
        let writes = self
            .plain_meta("writes")
            .await
            .map_err(VaultFailure::Store)?
            .and_then(|w| w.parse::<f64>().ok())
            .unwrap_or(0.0);
        let contents = Contents::read(self).await.map_err(VaultFailure::Store)?;
        let mut own = Vec::new();
        for key in SettingKey::ALL {
            if key.this_browser_only() {
                if let Some(v) = self
                    .setting(key.as_str())
                    .await
                    .map_err(VaultFailure::Store)?
                {
                    own.push((key.as_str().to_owned(), v));
                }
            }
        }
        Ok((contents, own, writes))
    }

    /// Plain to encrypted under `keys`: reads everything, writes it again encrypted with the
    /// record in the "on" state, in one transaction that also checks nothing was written
    /// since the read (else it reads again).
    async fn switch(&self, keys: Keys, record: VaultRecord, now: i64) -> Result<(), VaultFailure> {
        let on = VaultRecord {
            state: VaultState::On,
            since: now,
            ..record
        };
        self.rewrite_all(
            &Form::Sealed(keys.clone()),
            "plain",
            Some(&on.encode()),
            EventName::EncryptionOn,
            now,
        )
        .await?;
        *self.vault.borrow_mut() = Vault {
            status: VaultStatus::Unlocked,
            record: Some(on),
            keys: Some(keys),
        };
        Ok(())
    }

    /// Everything read and written again in `form`, in one transaction that expects the data
    /// in the form `token` and nothing written since the read (else it reads again, twice at
    /// most), logged as `event`.
    async fn rewrite_all(
        &self,
        form: &Form,
        token: &str,
        vault_after: Option<&str>,
        event: EventName,
        now: i64,
    ) -> Result<(), VaultFailure> {
        for _ in 0..3 {
            let (contents, own, writes) = self.read_all().await?;
            let batch = backup::replace_batch(
                &contents,
                &own,
                ActivityEvent::new(now, event.clone(), None, Source::Local)
                    .with_count(contents.groups.len()),
            );
            batch.check().map_err(VaultFailure::Store)?;
            match self
                .apply_in(&batch, form, token, vault_after, Some(writes))
                .await
            {
                Ok(Some(_)) => return Ok(()),
                // Written meanwhile by another tab: read again.
                Ok(None) => continue,
                Err(e) => return Err(VaultFailure::Store(e)),
            }
        }
        Err(VaultFailure::Busy)
    }

    /// `expected`: the stored record must be exactly this text.
    async fn put_record(
        &self,
        record: Option<&VaultRecord>,
        token: &str,
        expected: Option<&str>,
    ) -> Result<(), VaultFailure> {
        let tx = self
            .tx(&["meta"], "readwrite", "default")
            .map_err(VaultFailure::Store)?;
        let meta = tx
            .object_store("meta")
            .map_err(|e| VaultFailure::Store(map_error(&e)))?;
        let done = JsFuture::from(super::idbDone(&tx));
        let failed = Array::new();
        super::idbExpectWrites(
            &tx,
            &meta,
            token,
            &JsValue::NULL,
            &expected.map_or(JsValue::NULL, JsValue::from_str),
            false,
            &failed,
        );
        let key = JsValue::from_str(vault::META_KEY);
        let queued = match record {
            Some(r) => meta.put_with_key(&JsValue::from_str(&r.encode()), &key),
            None => meta.delete(&key),
        };
        if let Err(e) = queued {
            let _ = tx.abort();
            let _ = done.await;
            return Err(VaultFailure::Store(map_error(&e)));
        }
        let result = done.await;
        if failed.length() > 0 {
            return Err(VaultFailure::Store(StoreError::VaultChanged));
        }
        result
            .map(|_| ())
            .map_err(|e| VaultFailure::Store(map_error(&e)))
    }
}
