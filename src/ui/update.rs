//! The app's side of the service worker (`public/sw.js`, registered by the boot script that
//! `scripts/postbuild.mjs` writes): "A new version is ready — Reload" when a new release has
//! installed and waits, and asking the browser to keep this site's data (persistent storage).
//!
//! A new version is never applied by itself. The notice offers "Reload"; when changes are
//! still waiting to be sent or a form holds unsaved input, the notice says so and the first
//! click only asks again — the outbox survives a reload (it is stored), typed input does not.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::browser::{call_async, prop};
use super::flash::{FlashAction, FlashKind, Flashes};

/// Header of the notice (the e2e tests look for it).
pub const NOTICE: &str = "A new version is ready";

/// Cheap to copy; get it with `expect_context::<UpdateCtl>()`.
#[derive(Clone, Copy)]
pub struct UpdateCtl {
    flashes: Flashes,
    /// The notice shown, if any.
    notice: StoredValue<Option<u32>>,
    /// "Reload" was clicked once while something would be lost: the next click reloads.
    warned: StoredValue<bool>,
    /// Pending outbox entries (set by the sync controller's view).
    pending: RwSignal<usize>,
    /// Whether persistent storage was asked for in this tab already.
    asked_persist: StoredValue<bool>,
}

impl UpdateCtl {
    pub fn start(flashes: Flashes) -> Self {
        let ctl = UpdateCtl {
            flashes,
            notice: StoredValue::new(None),
            warned: StoredValue::new(false),
            pending: RwSignal::new(0),
            asked_persist: StoredValue::new(false),
        };
        let w = window();
        // The release may have been found before the app started.
        if prop(&w, "gcUpdateReady").is_truthy() {
            ctl.announce();
        }
        let handle = window_event_listener_untyped("gc-update-ready", move |_| ctl.announce());
        on_cleanup(move || handle.remove());
        ctl
    }

    /// How many changes wait for the backend (kept in step by the sync controller).
    pub fn set_pending(&self, n: usize) {
        self.pending.set(n);
    }

    fn announce(&self) {
        if self
            .notice
            .get_value()
            .is_some_and(|id| self.flashes.shown(id))
        {
            return;
        }
        let id = self.flashes.push_with_action(
            FlashKind::Info,
            NOTICE,
            "Reload to use it. Your data stays as it is.",
            FlashAction::ApplyUpdate,
        );
        self.notice.set_value(Some(id));
    }

    /// "Reload": applies the new version, unless something would be lost, which it says first.
    pub fn apply(&self) {
        let unsaved = unsaved_input();
        let pending = self.pending.get_untracked();
        if (unsaved || pending > 0) && !self.warned.get_value() {
            self.warned.set_value(true);
            let mut why = Vec::new();
            if unsaved {
                why.push("a form has input you have not saved: it would be lost".to_owned());
            }
            if pending > 0 {
                why.push(format!(
                    "{pending} change(s) wait to be sent (they are kept and sent after the reload)"
                ));
            }
            self.flashes.push_once_per_run(
                FlashKind::Warning,
                "Reload now?",
                &format!(
                    "{}. Save or cancel first, or choose Reload again to reload anyway.",
                    capitalise(&why.join("; "))
                ),
            );
            return;
        }
        let event = web_sys::Event::new("gc-apply-update").ok();
        match event {
            Some(e) => {
                let _ = window().dispatch_event(&e);
            }
            None => {
                let _ = window().location().reload();
            }
        }
    }

    /// Asks the browser to keep this site's data even when space runs low (once per tab,
    /// after the first saved change; browsers may grant it silently, ask the person, or say
    /// no). Says in one sentence why, the first time it is granted or refused.
    pub fn ask_persist(&self) {
        if self.asked_persist.get_value() {
            return;
        }
        self.asked_persist.set_value(true);
        let flashes = self.flashes;
        spawn_local(async move {
            let Some(storage) = storage_manager() else {
                return;
            };
            if call_async(&storage, "persisted", &[])
                .await
                .is_ok_and(|v| v.is_truthy())
            {
                return;
            }
            let granted = call_async(&storage, "persist", &[])
                .await
                .is_ok_and(|v| v.is_truthy());
            flashes.push_once(
                "gc.notice.persist",
                FlashKind::Info,
                if granted {
                    "This browser will keep your data"
                } else {
                    "This browser may clear your data when space runs low"
                },
                if granted {
                    "Group Console asked the browser to keep what you save here even when space runs low, because this browser holds the only copy. Settings shows the storage used."
                } else {
                    "Group Console asked the browser to keep what you save here, because this browser holds the only copy, and it did not agree. Make backups (Settings \u{2192} Backup)."
                },
            );
        });
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `navigator.storage`, if the browser has it.
pub fn storage_manager() -> Option<JsValue> {
    let storage = prop(&window().navigator().into(), "storage");
    (!storage.is_undefined() && !storage.is_null()).then_some(storage)
}

/// Whether storage is persistent, and usage and quota in bytes (what Settings shows).
pub async fn storage_state() -> Option<(bool, Option<crate::view::backup::StorageUse>)> {
    let storage = storage_manager()?;
    let persisted = call_async(&storage, "persisted", &[])
        .await
        .is_ok_and(|v| v.is_truthy());
    let estimate =
        call_async(&storage, "estimate", &[])
            .await
            .ok()
            .map(|e| crate::view::backup::StorageUse {
                usage: prop(&e, "usage").as_f64().unwrap_or(0.0),
                quota: prop(&e, "quota").as_f64().unwrap_or(0.0),
            });
    Some((persisted, estimate))
}

/// Whether a form on the page holds input that is not saved: forms say so with
/// `data-unsaved="true"` (the create and edit forms of a group, the tag editor).
pub fn unsaved_input() -> bool {
    document()
        .query_selector("[data-unsaved=\"true\"]")
        .ok()
        .flatten()
        .is_some()
}
