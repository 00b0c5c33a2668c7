//! "Undo" for destructive and bulk changes: the notice of such a change offers it for
//! [`UNDO_MS`](super::flash::UNDO_MS), and Ctrl+Z (Cmd+Z) outside text fields does the same
//! while the notice is shown. The logic is `store::undo` (pure, tested natively); this binds
//! it to the one write path and the notifications.
//!
//! Only the latest change can be undone (a newer undoable change replaces the older one's
//! notice). An undo is one transaction, logged as an `Undo` event; it is refused, with
//! nothing written, when what the change touched was changed again since.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::data::AppData;
use super::flash::{FlashKind, Flashes};
use crate::store::undo::{Keys, Snapshot, Undo};
use crate::store::{Batch, Store, StoreError, Touched};

/// The change the latest "Undo" notice is about.
struct Offered {
    flash: u32,
    undo: Undo,
    keys: Keys,
}

/// Cheap to copy; get it with `expect_context::<UndoCtl>()`.
#[derive(Clone, Copy)]
pub struct UndoCtl {
    data: AppData,
    flashes: Flashes,
    offered: StoredValue<Option<Offered>, LocalStorage>,
    /// An undo is being written (a second Ctrl+Z waits for nothing).
    busy: StoredValue<bool>,
}

impl UndoCtl {
    pub fn start(data: AppData, flashes: Flashes) -> Self {
        let ctl = UndoCtl {
            data,
            flashes,
            offered: StoredValue::new_local(None),
            busy: StoredValue::new(false),
        };
        // Ctrl+Z / Cmd+Z, but never where the browser's own undo of typing belongs.
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let z = ev.key() == "z" || ev.key() == "Z";
            if !z || ev.shift_key() || ev.alt_key() || !(ev.ctrl_key() || ev.meta_key()) {
                return;
            }
            if super::browser::event_in_text_field(&ev) {
                return;
            }
            if ctl.can_undo() {
                ev.prevent_default();
                ctl.undo();
            }
        });
        on_cleanup(move || handle.remove());
        ctl
    }

    /// Whether a change can be undone now (its notice is shown).
    pub fn can_undo(&self) -> bool {
        self.offered
            .with_value(|o| o.as_ref().is_some_and(|o| self.flashes.shown(o.flash)))
    }

    /// Writes `batch` through the one write path (`as_is`: with its own outbox entries, see
    /// [`AppData::commit_as_is`]) and shows the success notice with "Undo". `header` names
    /// the change in the notice and in the log of its undo.
    pub async fn commit(
        &self,
        batch: Batch,
        as_is: bool,
        header: &str,
        content: &str,
    ) -> Result<Touched, StoreError> {
        let keys = Keys::of(&batch);
        let store = self
            .data
            .with_store()
            .ok_or_else(|| StoreError::Failed("the storage is still opening".into()))?;
        let before = snapshot(store.clone(), keys.clone()).await?;
        let touched = if as_is {
            self.data.commit_as_is(batch).await?
        } else {
            self.data.commit(batch).await?
        };
        match snapshot(store, keys.clone()).await {
            Ok(after) => {
                let flash = self.flashes.push_undo(header, content);
                self.offered.set_value(Some(Offered {
                    flash,
                    undo: Undo::new(header, before, after),
                    keys,
                }));
            }
            // Saved, but what it left cannot be read back: no undo is offered rather than one
            // that could write over the wrong state.
            Err(_) => {
                self.flashes.push(FlashKind::Success, header, content);
            }
        }
        Ok(touched)
    }

    /// Forgets the change on offer (everything was replaced: a restore, "delete all data"),
    /// and withdraws its notice.
    pub fn forget(&self) {
        if let Some(o) = self.offered.try_update_value(Option::take).flatten() {
            self.flashes.dismiss(o.flash);
        }
    }

    /// Undoes the latest change, if its notice is still shown.
    pub fn undo(&self) {
        if self.busy.get_value() || !self.can_undo() {
            return;
        }
        let Some(offered) = self.offered.try_update_value(Option::take).flatten() else {
            return;
        };
        self.busy.set_value(true);
        self.flashes.dismiss(offered.flash);
        let ctl = *self;
        spawn_local(async move {
            // Working out and writing the inverse is a chunk of its own in the release build,
            // fetched on the first undo.
            let result = match crate::split_call!(undo_offered(ctl.data, offered.undo, offered.keys)) {
                Ok(undoing) => undoing.await,
                Err(_) => Err("The part of the app that undoes changes could not be loaded. Check your connection, then try again.".to_owned()),
            };
            ctl.busy.set_value(false);
            match result {
                Ok(label) => {
                    ctl.flashes
                        .push(FlashKind::Success, "Undone", format!("{label}: undone."));
                }
                Err(e) => {
                    ctl.flashes.push(FlashKind::Error, "Not undone", e);
                }
            }
        });
    }
}

/// What `keys` name, as stored now (the state an undo goes back to or from). Read only around
/// a change, so in the release build it lives in the `write` chunk with the write path.
async fn snapshot(
    store: std::rc::Rc<crate::store::any::AnyStore>,
    keys: Keys,
) -> Result<Snapshot, StoreError> {
    match crate::split_call!(snapshot_read(store, keys)) {
        Ok(reading) => reading.await,
        Err(_) => Err(StoreError::NotLoaded(super::data::WRITE_PART)),
    }
}

#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(write, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn snapshot_read(
    store: std::rc::Rc<crate::store::any::AnyStore>,
    keys: Keys,
) -> Result<super::lazy::LocalFuture<Result<Snapshot, StoreError>>, super::lazy::ChunkError> {
    Ok(Box::pin(async move {
        Snapshot::read(store.as_ref(), &keys).await
    }))
}

/// Undoes one change: reads what it touched as it is now, works out the inverse and writes it
/// through the one write path; gives the change's label.
#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(undo, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn undo_offered(
    data: AppData,
    undo: Undo,
    keys: Keys,
) -> Result<super::lazy::LocalFuture<Result<String, String>>, super::lazy::ChunkError> {
    Ok(Box::pin(async move {
        let store = data
            .with_store()
            .ok_or_else(|| "the storage is still opening".to_owned())?;
        let now = Snapshot::read(store.as_ref(), &keys)
            .await
            .map_err(|e| e.to_string())?;
        let batch = undo
            .batch(&now, js_sys::Date::now() as i64)
            .map_err(|e| e.to_string())?;
        data.commit_as_is(batch).await.map_err(|e| e.to_string())?;
        Ok(undo.label)
    }))
}

/// Brings groups back from Recently deleted (one batch; see `store::ops::restore_deleted`):
/// the names of those the backend will create again, with a new ARN.
pub async fn restore_deleted(data: AppData, names: &[String]) -> Result<Vec<String>, StoreError> {
    let store = data
        .with_store()
        .ok_or_else(|| StoreError::Failed("the storage is still opening".into()))?;
    let tombs: Vec<crate::store::Tombstone> = store
        .tombstones()
        .await?
        .into_iter()
        .filter(|t| names.contains(&t.group.name))
        .collect();
    if tombs.is_empty() {
        return Err(StoreError::NotFound("The deleted group".into()));
    }
    let state = if data.sync_enabled.get_untracked() {
        Some(super::data::read_sync_state(&store).await?)
    } else {
        None
    };
    let existing: std::collections::BTreeSet<String> = data.groups.with_untracked(|gs| {
        gs.iter()
            .filter(|g| names.contains(&g.name))
            .map(|g| g.name.clone())
            .collect()
    });
    let (batch, new_arn) = crate::store::ops::restore_deleted(
        &tombs,
        |n| existing.contains(n),
        state.as_ref(),
        js_sys::Date::now() as i64,
    )?;
    data.commit_as_is(batch).await?;
    Ok(new_arn)
}

/// Removes from Recently deleted what is older than it keeps (once the data has loaded, at
/// start): the sync engine does the same on every run, this covers local mode.
pub fn purge_when_loaded(data: AppData) {
    data.once_loaded(|data| async move {
        let Some(store) = data.with_store() else {
            return;
        };
        if let Ok(tombs) = crate::ui::data::read_tombstones(&store).await {
            if let Some(batch) =
                crate::store::ops::purge_expired(&tombs, js_sys::Date::now() as i64)
            {
                let _ = data.commit_as_is(batch).await;
            }
        }
    });
}
