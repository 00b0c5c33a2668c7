//! The sync controller: the chosen endpoint and on/off switch (settings), the credentials (in
//! memory only), when sync runs (on request, on an interval, when the browser comes back
//! online), one tab at a time (Web Locks), and what the UI shows about it.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use super::data::AppData;
use super::flash::{FlashAction, FlashKind, Flashes};
use crate::store::settings::{SettingKey, SyncEnabled};
use crate::store::touched::Recording;
use crate::store::{Batch, Store, SyncState, TabMessage, Touched};
use crate::sync::api::Client;
use crate::sync::endpoint::EndpointChoice;
use crate::sync::engine::{self, Phase, Progress, Report, RunOptions};
use crate::sync::http::{self, FetchTransport};
use crate::sync::sigv4::Credentials;

/// In localStorage (a preference, not data).
const INTERVAL_PREF: &str = "gc.sync.interval";
const LAST_SUCCESS_PREF: &str = "gc.sync.last";
const LOCK_NAME: &str = "group-console-sync";

use crate::sync::outgoing::{Ask, Consent, Outgoing, SentField};
pub use crate::view::sync_status::GroupSync;
use crate::view::sync_status::{self, NoticeAction, NoticeKind};

/// "name, description, tags".
pub fn field_list(fields: &[SentField]) -> String {
    fields
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the UI shows about sync.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncView {
    pub endpoint: Option<EndpointChoice>,
    pub enabled: bool,
    /// Credentials are held (in memory).
    pub signed_in: bool,
    /// The access key ID, shortened, for "signed in as".
    pub key_hint: String,
    pub running: bool,
    pub progress: Option<Progress>,
    /// Another tab holds the sync lock; its progress.
    pub other_tab: Option<String>,
    pub last_success: Option<i64>,
    pub last_error: Option<String>,
    /// The sync records could not be read the last time (their chunk could not be fetched):
    /// `pending`, `conflicts`, `synced` and `arns` are then unknown, not empty, and the page
    /// says "unknown" rather than "0 pending" or "Local only".
    pub records_unread: bool,
    /// Groups with changes waiting in the outbox.
    pub pending: BTreeSet<String>,
    pub conflicts: BTreeSet<String>,
    pub synced: BTreeSet<String>,
    /// The backend's ARN of each synced group.
    pub arns: BTreeMap<String, String>,
    /// Server groups not taken: name → reason.
    pub rejected: BTreeMap<String, String>,
    /// Of those, the ones refused for what they hold, as the server gave them: memory only,
    /// for the data-protection audit (`ui::audit`). Never stored, never shown unmasked.
    pub rejected_groups: Vec<crate::model::Group>,
    /// Changes the server refused: name → message.
    pub refused: BTreeMap<String, String>,
    /// Minutes between automatic syncs; 0 = off.
    pub interval_min: u32,
    /// Minutes without use after which credentials are forgotten.
    pub idle_min: u32,
    /// The last four digits of the account the sync state is bound to.
    pub account_tail: Option<String>,
    /// Groups sync deleted here (restorable).
    pub tombstones: Vec<crate::store::Tombstone>,
    /// What the person agreed to send, per host (`sync::outgoing`).
    pub consent: Consent,
    /// A push held back until the person agrees: what it would send, and why it asks.
    pub held: Option<(Outgoing, Ask)>,
    /// Runs finished in this tab (the page exposes it, so a test can wait for the next one).
    pub runs: u64,
}

/// Cheap to copy; get it with `expect_context::<SyncCtl>()`.
#[derive(Clone, Copy)]
pub struct SyncCtl {
    pub view: RwSignal<SyncView>,
    credentials: StoredValue<Option<Credentials>, LocalStorage>,
    data: AppData,
    flashes: Flashes,
    error_flash: StoredValue<Option<u32>>,
    timer: StoredValue<Option<IntervalHandle>, LocalStorage>,
    /// Set to stop the run in flight (its transport checks it before every request).
    cancel: StoredValue<Rc<Cell<bool>>, LocalStorage>,
    /// When the person last touched the page (ms), for forgetting idle credentials.
    last_activity: StoredValue<f64>,
    /// Whether this tab already asked the backend for its tag keys (see
    /// [`SyncCtl::fetch_tag_keys`]).
    keys_asked: StoredValue<bool>,
    /// The push the person agreed to, for the next run only: the gate lets through what it
    /// covers (`Outgoing::covers`), nothing added since.
    approved: StoredValue<Option<Outgoing>>,
}

/// Minutes without use after which credentials are forgotten (localStorage, a preference).
const IDLE_PREF: &str = "gc.sync.idle";
/// The default: 30 minutes.
pub const IDLE_DEFAULT_MIN: u32 = 30;
/// The choices offered in Settings.
pub const IDLE_CHOICES: [u32; 5] = [5, 15, 30, 60, 240];

fn short_key(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "…".into();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{}…{tail}", chars[..4].iter().collect::<String>()) // ok: a Vec<char>, not a str
}

/// What a backend call says when the sync chunk could not be fetched.
const CHUNK_FAILED: &str = "The part of the app that talks to the backend could not be loaded. Check your connection, then try again.";

/// [`SyncCtl::backend_filtered`]'s body, in the sync chunk.
#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(sync_engine, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn backend_filtered(
    ctl: SyncCtl,
    filters: crate::model::group_filters::GroupFilters,
) -> Result<super::lazy::LocalFuture<Result<Vec<String>, String>>, super::lazy::ChunkError> {
    Ok(Box::pin(async move {
        let listed = ctl
            .client()?
            .list_filtered(&filters)
            .await
            .map_err(|e| e.to_string())?;
        Ok(listed.into_iter().map(|l| l.name).collect())
    }))
}

/// One sync run, handed to the sync engine's chunk: everything [`SyncCtl::run`] checked and
/// prepared in the main module.
struct EngineRun {
    ctl: SyncCtl,
    endpoint: crate::sync::endpoint::Endpoint,
    creds: Credentials,
    cancelled: Rc<Cell<bool>>,
    store: Rc<crate::store::any::AnyStore>,
    allow_mass_deletion: bool,
    manual: bool,
    /// Whether a push may go now (`sync::outgoing`); sets `asked` when it may not.
    gate: Box<dyn Fn(&Outgoing) -> bool>,
    asked: Rc<Cell<Option<Ask>>>,
    host: String,
}

/// The split point of sync: in the release build the engine, the AWS client and SigV4 live in
/// a chunk fetched on the first run (a person in local mode never downloads them). The future
/// it returns is the run; its code is in the chunk too.
#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(sync_engine, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn engine_run(run: EngineRun) -> Result<super::lazy::LocalTask, super::lazy::ChunkError> {
    let EngineRun {
        ctl,
        endpoint,
        creds,
        cancelled,
        store,
        allow_mass_deletion,
        manual,
        gate,
        asked,
        host,
    } = run;
    Ok(Box::pin(async move {
        let transport = FetchTransport {
            cancelled: Some(cancelled),
            ..FetchTransport::default()
        };
        let client = Client::new(endpoint, creds, transport);
        let progress = move |p: Progress| {
            ctl.view.try_update(|v| v.progress = Some(p));
            let phase = match p.phase {
                Phase::Pushing => "pushing",
                Phase::Pulling => "pulling",
            };
            ctl.data.post(&TabMessage::SyncProgress(format!(
                "{phase} {} of {}",
                p.done, p.total
            )));
        };
        // What the run writes is recorded, so the tables patch exactly that.
        let recording = Recording::new(&*store);
        let result = engine::run_gated(
            &recording,
            &client,
            js_sys::Date::now() as i64,
            RunOptions {
                allow_mass_deletion,
                ..RunOptions::default()
            },
            &progress,
            &*gate,
        )
        .await;
        ctl.after_push(&result, asked.get(), &host).await;
        // The counts are current before the status says the sync is over.
        ctl.load().await;
        ctl.finish(result, manual, recording.take());
    }))
}

impl SyncCtl {
    /// Starts the controller; call once, in the app root, after [`AppData::start`].
    pub fn start(data: AppData, flashes: Flashes) -> Self {
        let ctl = SyncCtl {
            view: RwSignal::new(SyncView {
                interval_min: browser::pref(INTERVAL_PREF)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
                last_success: browser::pref(LAST_SUCCESS_PREF).and_then(|v| v.parse().ok()),
                idle_min: browser::pref(IDLE_PREF)
                    .and_then(|v| v.parse().ok())
                    .filter(|m| IDLE_CHOICES.contains(m))
                    .unwrap_or(IDLE_DEFAULT_MIN),
                ..SyncView::default()
            }),
            credentials: StoredValue::new_local(None),
            data,
            flashes,
            error_flash: StoredValue::new(None),
            timer: StoredValue::new_local(None),
            cancel: StoredValue::new_local(Rc::new(Cell::new(false))),
            last_activity: StoredValue::new(js_sys::Date::now()),
            keys_asked: StoredValue::new(false),
            approved: StoredValue::new(None),
        };
        // Credentials are forgotten when the page goes away (also into the back/forward cache,
        // where the tab would otherwise keep them without anyone looking) ...
        let _ = window_event_listener(leptos::ev::pagehide, move |_| ctl.forget("pagehide"));
        // ... and after the idle time the person set, counted from the last key or pointer use.
        let touch = move || ctl.last_activity.set_value(js_sys::Date::now());
        let _ = window_event_listener(leptos::ev::keydown, move |_| touch());
        let _ = window_event_listener(leptos::ev::pointerdown, move |_| touch());
        let _ = set_interval_with_handle(
            move || {
                let (signed_in, running, idle_min) = ctl
                    .view
                    .with_untracked(|v| (v.signed_in, v.running, v.idle_min));
                let idle_ms = f64::from(idle_min) * 60_000.0;
                if signed_in
                    && !running
                    && js_sys::Date::now() - ctl.last_activity.get_value() > idle_ms
                {
                    ctl.forget("idle");
                }
            },
            std::time::Duration::from_secs(20),
        );
        // Settings and sync records load with the data, and again after every change (also
        // another tab's, which may have switched sync on or off).
        Effect::new(move |_| {
            data.revision.get();
            ctl.refresh();
        });
        // Another tab's progress, and its end.
        Effect::new(move |_| {
            let Some(msg) = data.sync_message.get() else {
                return;
            };
            if let TabMessage::SyncProgress(p) = &msg {
                ctl.view.update(|v| v.other_tab = Some(p.clone()));
                // A tab closed mid-sync sends no "done": forget its progress after a while.
                let seen = p.to_owned();
                set_timeout(
                    move || {
                        ctl.view.try_update(|v| {
                            if v.other_tab.as_deref() == Some(seen.as_str()) {
                                v.other_tab = None;
                            }
                        });
                    },
                    std::time::Duration::from_secs(30),
                );
            } else if msg == TabMessage::SyncDone {
                ctl.view.update(|v| v.other_tab = None);
                ctl.refresh();
            }
        });
        // Back online: sync.
        let online = leptos::ev::online;
        let _ = window_event_listener(online, move |_| ctl.sync_now(false));
        ctl.schedule();
        ctl
    }

    /// Reloads settings (if asked) and the sync records into the view.
    fn refresh(&self) {
        let ctl = *self;
        spawn_local(async move { ctl.load().await });
    }

    /// Reads the settings and, when sync is on, the sync records into the view.
    async fn load(self) {
        let Some(store) = self.data.with_store() else {
            return;
        };
        let endpoint = store
            .setting(SettingKey::SyncEndpoint.as_str())
            .await
            .ok()
            .flatten()
            .and_then(|s| EndpointChoice::from_setting(&s));
        let switch = store
            .setting(SettingKey::SyncEnabled.as_str())
            .await
            .ok()
            .flatten();
        let enabled = endpoint.is_some() && SyncEnabled::decode(switch.as_deref()).is_on();
        self.data.sync_enabled.try_set(enabled);
        if enabled {
            // "Nothing is sent anywhere" is no longer true.
            self.flashes.withdraw(super::shell::LOCAL_NOTICE);
        }
        let account_tail = store
            .setting(engine::ACCOUNT_KEY)
            .await
            .ok()
            .flatten()
            .filter(|b| !b.is_empty())
            .map(|b| engine::binding_tail(&b).to_owned());
        // Unreadable (the records chunk could not be fetched): the last list stays.
        let tombstones = crate::ui::data::read_tombstones(&store).await.ok();
        let consent = store
            .setting(SettingKey::SyncConsent.as_str())
            .await
            .ok()
            .flatten()
            .map(|c| Consent::decode(&c))
            .unwrap_or_default();
        self.view.try_update(|v| {
            v.consent = consent;
            v.endpoint = endpoint;
            v.enabled = enabled;
            v.account_tail = account_tail;
            if let Some(t) = tombstones {
                v.tombstones = t;
            }
        });
        // In local mode the records are not read at all (no cost on every change).
        let state = if enabled {
            match super::data::read_sync_state(&store).await {
                Ok(state) => state,
                Err(e) => {
                    // What is pending is unknown, not nothing: the view keeps what it had and
                    // says so; the next change, sync or Retry reads again.
                    self.view.try_update(|v| v.records_unread = true);
                    self.show_error("Sync status could not be read", e.to_string());
                    return;
                }
            }
        } else {
            SyncState::default()
        };
        // Read again after a failure: its notice no longer holds.
        if self.view.with_untracked(|v| v.records_unread) {
            if let Some(id) = self.error_flash.get_value() {
                self.flashes.dismiss(id);
            }
            self.view.try_update(|v| v.last_error = None);
        }
        self.view.try_update(|v| {
            v.records_unread = false;
            v.pending = crate::sort::set(state.pending_names());
            v.conflicts = crate::sort::set(state.conflicts.keys().cloned());
            v.arns = crate::sort::map(
                state
                    .bases
                    .iter()
                    .filter_map(|(n, g)| g.arn.clone().map(|a| (n.clone(), a))),
            );
            v.synced = crate::sort::set(state.bases.into_keys());
        });
    }

    /// The sync state of a local group (when sync is on).
    pub fn group_state(&self, name: &str) -> Option<GroupSync> {
        self.view.with(|v| {
            let read = !v.records_unread;
            GroupSync::of(name, v.enabled, read, &v.conflicts, &v.synced, &v.pending)
        })
    }

    /// Saves the endpoint and turns sync on.
    pub async fn save_endpoint(&self, choice: EndpointChoice) -> Result<(), String> {
        let target = choice.resolve().map_err(|e| e.to_string())?;
        let store = self
            .data
            .with_store()
            .ok_or("the storage is still opening")?;
        let previous = self
            .view
            .with_untracked(|v| v.endpoint.clone())
            .and_then(|e| e.resolve().ok());
        // The rules (what another backend forgets) are `engine::save_backend`'s.
        let state = if engine::is_other_backend(previous.as_ref(), &target) {
            super::data::read_sync_state(&store)
                .await
                .map_err(|e| e.to_string())?
        } else {
            SyncState::default()
        };
        let batch = Batch {
            ops: engine::save_backend(previous.as_ref(), &target, choice.to_setting(), &state),
            ..Batch::default()
        };
        self.data
            .commit_as_is(batch)
            .await
            .map_err(|e| e.to_string())?;
        self.data.sync_enabled.set(true);
        self.view.update(|v| {
            v.endpoint = Some(choice);
            v.enabled = true;
        });
        Ok(())
    }

    /// Back to local mode: the data stays, nothing more is sent.
    pub async fn turn_off(&self) -> Result<(), String> {
        self.data
            .commit_as_is(Batch {
                ops: vec![SyncEnabled::Off.put()],
                ..Batch::default()
            })
            .await
            .map_err(|e| e.to_string())?;
        self.data.sync_enabled.set(false);
        self.view.update(|v| v.enabled = false);
        Ok(())
    }

    /// Holds credentials in memory for this tab's lifetime.
    pub fn sign_in(&self, creds: Credentials) {
        let hint = short_key(&creds.access_key_id);
        self.last_activity.set_value(js_sys::Date::now());
        self.credentials.set_value(Some(creds));
        self.view.update(|v| {
            v.signed_in = true;
            v.key_hint = hint;
            v.last_error = None;
        });
    }

    /// Forgets the credentials, and stops a run in flight: no request is sent with them after
    /// this (a request already on the wire completes; its answer is not used).
    pub fn sign_out(&self) {
        self.cancel.with_value(|c| c.set(true));
        // Dropping the last copy wipes it (`Credentials` zeroises on drop).
        self.credentials.set_value(None);
        self.view.try_update(|v| {
            v.signed_in = false;
            v.key_hint.clear();
        });
    }

    /// Forgets credentials by itself (`idle`, `pagehide`), and says so when it was idle.
    fn forget(&self, why: &str) {
        if !self.view.with_untracked(|v| v.signed_in) {
            return;
        }
        self.sign_out();
        if why == "idle" {
            let minutes = self.view.with_untracked(|v| v.idle_min);
            self.flashes.push(
                FlashKind::Info,
                "Credentials forgotten",
                format!("The credentials were not used for {minutes} minutes, so they were removed from memory. Enter them again in Settings → Backend to sync."),
            );
        }
    }

    pub fn set_idle_minutes(&self, minutes: u32) {
        browser::set_pref(IDLE_PREF, &minutes.to_string());
        self.view.update(|v| v.idle_min = minutes);
    }

    pub fn set_interval_minutes(&self, minutes: u32) {
        browser::set_pref(INTERVAL_PREF, &minutes.to_string());
        self.view.update(|v| v.interval_min = minutes);
        self.schedule();
    }

    fn schedule(&self) {
        if let Some(Some(h)) = self.timer.try_get_value() {
            h.clear();
        }
        let minutes = self.view.with_untracked(|v| v.interval_min);
        let handle = if minutes > 0 {
            let ctl = *self;
            set_interval_with_handle(
                move || ctl.sync_now(false),
                std::time::Duration::from_secs(u64::from(minutes) * 60),
            )
            .ok()
        } else {
            None
        };
        self.timer.set_value(handle);
    }

    fn show_error(&self, header: &str, message: String) {
        if let Some(id) = self.error_flash.get_value() {
            self.flashes.dismiss(id);
        }
        let id = self.flashes.push_with_action(
            FlashKind::Error,
            header,
            &message,
            FlashAction::RetrySync,
        );
        self.error_flash.set_value(Some(id));
        self.view.update(|v| v.last_error = Some(message));
    }

    /// A question in the flashbar (replacing an earlier error or question).
    fn ask(&self, kind: FlashKind, header: &str, message: String, action: FlashAction) {
        if let Some(id) = self.error_flash.get_value() {
            self.flashes.dismiss(id);
        }
        let id = self
            .flashes
            .push_with_action(kind, header, &message, action);
        self.error_flash.set_value(Some(id));
        self.view.update(|v| v.last_error = Some(message));
    }

    fn clear_error(&self) {
        if let Some(id) = self.error_flash.get_value() {
            self.flashes.dismiss(id);
            self.error_flash.set_value(None);
        }
        self.view.update(|v| v.last_error = None);
    }

    /// The person agreed that the pull deletes the groups the backend no longer lists.
    pub fn sync_allowing_deletions(&self) {
        self.run(true, true);
    }

    /// "Switch account (start fresh here)": the old account's bases and conflicts are
    /// forgotten (local groups stay and are uploaded to the new account; nothing is deleted
    /// here), and the next run binds to the account the credentials reach.
    pub fn switch_account(&self) {
        let Some(store) = self.data.with_store() else {
            return;
        };
        let ctl = *self;
        spawn_local(async move {
            let result = async {
                let state = super::data::read_sync_state(&store).await?;
                ctl.data
                    .commit_as_is(Batch {
                        ops: engine::switch_account(&state, None),
                        ..Batch::default()
                    })
                    .await
            }
            .await;
            match result {
                Ok(_) => {
                    ctl.sync_now(true);
                }
                Err(e) => ctl.show_error("Could not switch account", e.to_string()),
            }
        });
    }

    /// Restores a group that sync deleted here (see Recently deleted, which lists it too):
    /// stored again as it was and, in sync mode, created again on the backend by the next
    /// push, with a new ARN.
    pub fn restore(&self, name: String) {
        let ctl = *self;
        spawn_local(async move {
            match crate::ui::undo::restore_deleted(ctl.data, std::slice::from_ref(&name)).await {
                Ok(new_arn) => {
                    let mut text =
                        format!("The group {} is back.", crate::display::masked_name(&name));
                    if !new_arn.is_empty() {
                        text.push_str(
                            " The next sync creates it on the backend again, with a new ARN.",
                        );
                    }
                    ctl.flashes.push(FlashKind::Success, "Group restored", text);
                }
                Err(e) => {
                    ctl.flashes
                        .push(FlashKind::Error, "Not restored", e.to_string());
                }
            }
        });
    }

    /// Syncs now. `manual`: the person asked (a result is always reported).
    pub fn sync_now(&self, manual: bool) {
        self.run(manual, false);
    }

    /// Starts a run; whether it started.
    fn run(&self, manual: bool, allow_mass_deletion: bool) -> bool {
        // An approval is for this run only, whether or not it starts.
        let approved = self.approved.get_value();
        self.approved.set_value(None);
        let (enabled, running, endpoint) = self
            .view
            .with_untracked(|v| (v.enabled, v.running, v.endpoint.clone()));
        if !enabled || running {
            return false;
        }
        let Some(endpoint) = endpoint.and_then(|e| e.resolve().ok()) else {
            return false;
        };
        let Some(creds) = self.credentials.get_value() else {
            if manual {
                self.show_error(
                    "Sign in to sync",
                    "Enter your access key in Settings → Backend credentials. Credentials are kept in memory only, so they are asked again after a reload.".into(),
                );
            }
            return false;
        };
        let Some(store) = self.data.with_store() else {
            return false;
        };
        let ctl = *self;
        self.view.update(|v| {
            v.running = true;
            v.progress = None;
        });
        // The gate: what a push sends is shown to the person before the first push to this
        // host, and whenever it carries descriptions (unless they said not to ask again).
        let host = endpoint.host.clone();
        let consent = self.view.with_untracked(|v| v.consent.clone());
        let asked = Rc::new(Cell::new(None::<Ask>));
        let asked_in_gate = asked.clone();
        let gate_host = host.clone();
        let gate = move |o: &Outgoing| {
            if approved.as_ref().is_some_and(|a| a.covers(o)) {
                return true;
            }
            let ask = consent.ask(o, &gate_host);
            asked_in_gate.set(ask);
            ask.is_none()
        };
        // A fresh stop flag for this run; "Forget credentials" sets it.
        let cancelled = Rc::new(Cell::new(false));
        self.cancel.set_value(cancelled.clone());
        let run = EngineRun {
            ctl,
            endpoint,
            creds,
            cancelled,
            store,
            allow_mass_deletion,
            manual,
            gate: Box::new(gate),
            asked,
            host,
        };
        spawn_local(async move {
            let task = async move {
                // The engine, its HTTP client and the request signing load on the first run.
                match crate::split_call!(engine_run(run)) {
                    Ok(running) => running.await,
                    Err(_) => {
                        ctl.view.try_update(|v| v.running = false);
                        ctl.show_error("Sync could not start", CHUNK_FAILED.into());
                    }
                }
            };
            let ran = http::with_lock(LOCK_NAME, task).await;
            if !ran {
                ctl.view.try_update(|v| {
                    v.running = false;
                    v.other_tab.get_or_insert_with(|| "syncing".into());
                });
                if manual {
                    ctl.flashes.push(
                        FlashKind::Info,
                        "Another tab is syncing",
                        "Group Console is syncing in another tab; this tab shows the result when it finishes.",
                    );
                }
            }
        });
        true
    }

    fn finish(&self, result: Result<Report, engine::SyncError>, manual: bool, touched: Touched) {
        let now = js_sys::Date::now() as i64;
        self.view.try_update(|v| {
            v.running = false;
            v.progress = None;
            v.runs += 1;
        });
        // What to say is decided in `view::sync_status`; here it becomes flashes.
        for notice in sync_status::notices(&result, manual) {
            let kind = match notice.kind {
                NoticeKind::Success => FlashKind::Success,
                NoticeKind::Warning => FlashKind::Warning,
                NoticeKind::Error => FlashKind::Error,
            };
            match notice.action {
                Some(NoticeAction::Retry) => self.show_error(notice.title, notice.text),
                Some(NoticeAction::ConfirmMassDeletion) => self.ask(
                    kind,
                    notice.title,
                    notice.text,
                    FlashAction::ConfirmMassDeletion,
                ),
                Some(NoticeAction::SwitchAccount) => {
                    self.ask(kind, notice.title, notice.text, FlashAction::SwitchAccount)
                }
                None if notice.once_per_run => {
                    self.flashes
                        .push_once_per_run(kind, notice.title, &notice.text)
                }
                None => {
                    self.flashes.push(kind, notice.title, notice.text);
                }
            }
        }
        if let Ok(report) = result {
            browser::set_pref(LAST_SUCCESS_PREF, &now.to_string());
            self.clear_error();
            self.view.try_update(|v| {
                v.last_success = Some(now);
                v.rejected = report.rejected.iter().cloned().collect();
                v.rejected_groups = report.rejected_groups;
                v.refused = report.refused.iter().cloned().collect();
            });
        }
        self.data.post(&TabMessage::SyncDone);
        self.data.changed(touched);
    }

    /// What the run sent or held: a held push waits for the person (Settings shows it); what
    /// was sent is logged as one `SendGroups` event (fields and host, never values).
    async fn after_push(
        &self,
        result: &Result<Report, engine::SyncError>,
        ask: Option<Ask>,
        host: &str,
    ) {
        let Ok(report) = result else { return };
        let held = report.held.clone().zip(ask);
        if let Some((o, why)) = &held {
            let what = match why {
                Ask::FirstPush => {
                    format!("This is the first time data from this browser would go to {host}.")
                }
                Ask::Descriptions => {
                    format!("It includes descriptions, which are private, and would go to {host}.")
                }
            };
            self.flashes.push_once_per_run(
                FlashKind::Info,
                "Nothing was sent yet",
                &format!("{what} {} group(s) are waiting (fields: {}). Review what leaves this device in Settings \u{2192} Sync, then send.", o.groups.len(), field_list(&o.fields())),
            );
        }
        self.view.try_update(|v| v.held = held);
        self.log_sent(&report.sent, host).await;
    }

    /// Records what went to `host` as one `SendGroups` event: the fields and the count, never
    /// values (also for what a data-protection fix sends outside a sync run).
    pub async fn log_sent(&self, sent: &[crate::sync::outgoing::OutgoingGroup], host: &str) {
        if !sent.is_empty() {
            let fields: Vec<SentField> = {
                let mut f: Vec<SentField> = sent.iter().flat_map(|g| g.fields.clone()).collect();
                crate::sort::sort(&mut f);
                f.dedup();
                f
            };
            let mut event = crate::store::ActivityEvent::new(
                js_sys::Date::now() as i64,
                crate::store::EventName::SendGroups,
                None,
                crate::store::Source::Sync,
            )
            .with_fields(&fields.iter().map(|f| f.label()).collect::<Vec<_>>())
            .with_count(sent.len());
            event.target = Some(host.to_owned());
            let _ = self
                .data
                .commit_as_is(Batch {
                    events: vec![event],
                    ..Batch::default()
                })
                .await;
        }
    }

    /// The person agreed to the held push: it is sent now; with `quiet`, this host is not asked
    /// again (also for descriptions).
    pub fn send_held(&self, quiet: bool) {
        let Some(host) = self.host() else { return };
        // What the person reviewed: only that is let through.
        let Some((reviewed, _)) = self.view.with_untracked(|v| v.held.clone()) else {
            return;
        };
        let mut consent = self.view.with_untracked(|v| v.consent.clone());
        consent.agree(&host, quiet);
        let ctl = *self;
        spawn_local(async move {
            let batch = Batch {
                ops: vec![SettingKey::SyncConsent.put(consent.encode())],
                ..Batch::default()
            };
            if let Err(e) = ctl.data.commit_as_is(batch).await {
                ctl.flashes
                    .push(FlashKind::Error, "Not sent", e.to_string());
                return;
            }
            ctl.view.update(|v| {
                v.consent = consent;
                v.held = None;
            });
            ctl.approved.set_value(Some(reviewed));
            ctl.run(true, false);
        });
    }

    /// Settings: for this host, `Some(true)` never ask, `Some(false)` ask only for
    /// descriptions, `None` forget it (ask before the next push, as for a new host).
    pub fn set_consent(&self, quiet: Option<bool>) {
        let Some(host) = self.host() else { return };
        let mut consent = self.view.with_untracked(|v| v.consent.clone());
        match quiet {
            Some(q) => {
                consent.hosts.insert(host, q);
            }
            None => {
                consent.hosts.remove(&host);
            }
        }
        let ctl = *self;
        spawn_local(async move {
            let batch = Batch {
                ops: vec![SettingKey::SyncConsent.put(consent.encode())],
                ..Batch::default()
            };
            match ctl.data.commit_as_is(batch).await {
                Ok(_) => ctl.view.update(|v| v.consent = consent),
                Err(e) => {
                    ctl.flashes
                        .push(FlashKind::Error, "Not saved", e.to_string());
                }
            }
        });
    }

    /// "Not now": the held push stays in the outbox, nothing is sent.
    pub fn keep_held(&self) {
        self.view.update(|v| v.held = None);
    }

    /// The host the backend is reached at, if one is set up.
    pub fn host(&self) -> Option<String> {
        self.view
            .with_untracked(|v| v.endpoint.clone())
            .and_then(|e| e.resolve().ok())
            .map(|e| e.host)
    }

    /// What the next push would send, from the outbox as stored (nothing is sent).
    pub async fn preview_outgoing(&self) -> Option<Outgoing> {
        let store = self.data.with_store()?;
        let state = super::data::read_sync_state(&store).await.ok()?;
        let names: Vec<String> = state
            .pending_names()
            .into_iter()
            .filter(|n| !state.conflicts.contains_key(n))
            .collect();
        let locals: BTreeMap<String, crate::model::Group> = self.data.groups.with_untracked(|gs| {
            gs.iter()
                .filter(|g| names.contains(&g.name))
                .map(|g| (g.name.clone(), g.clone()))
                .collect()
        });
        Some(Outgoing::plan(&names, &locals, &state.bases))
    }

    /// A Tagging API client for `region` with the credentials held in memory; `stop` ends it
    /// before its next request ("Cancel").
    pub fn tagging(
        &self,
        region: &str,
        stop: Rc<Cell<bool>>,
    ) -> Result<crate::sync::tagging::Tagging<FetchTransport>, String> {
        let choice = self
            .view
            .with_untracked(|v| v.endpoint.clone())
            .ok_or("No backend is set up: choose one in Settings → Backend.")?;
        let endpoint =
            crate::sync::tagging::endpoint(&choice, region).map_err(|e| e.to_string())?;
        let creds = self.credentials.get_value().ok_or(
            "Enter your access key in Settings → Backend credentials (kept in memory only).",
        )?;
        self.last_activity.set_value(js_sys::Date::now());
        Ok(crate::sync::tagging::Tagging::new(
            endpoint,
            creds,
            FetchTransport {
                cancelled: Some(stop),
                ..FetchTransport::default()
            },
        ))
    }

    /// A Resource Groups client for the configured backend with the credentials held in
    /// memory, for the few calls made outside a sync run (a data-protection fix).
    pub fn client(&self) -> Result<Client<FetchTransport>, String> {
        let choice = self
            .view
            .with_untracked(|v| v.endpoint.clone())
            .ok_or("No backend is set up: choose one in Settings \u{2192} Backend.")?;
        let endpoint = choice.resolve().map_err(|e| e.to_string())?;
        let creds = self.credentials.get_value().ok_or(
            "Enter your access key in Settings \u{2192} Backend credentials (kept in memory only).",
        )?;
        self.last_activity.set_value(js_sys::Date::now());
        Ok(Client::new(endpoint, creds, FetchTransport::default()))
    }

    /// Syncs now and waits until the run is over: `Ok` when it ended without an error. A run
    /// already going (here or in another tab) is waited for, then one more is made.
    pub async fn sync_and_wait(&self, approve: Option<Outgoing>) -> Result<(), String> {
        async fn idle(ctl: &SyncCtl) {
            while ctl
                .view
                .with_untracked(|v| v.running || v.other_tab.is_some())
            {
                browser::sleep(100).await;
            }
        }
        if !self.view.with_untracked(|v| v.enabled) {
            return Err("Sync is off.".into());
        }
        if self.credentials.get_value().is_none() {
            return Err(
                "Sign in first: enter your access key in Settings \u{2192} Backend credentials."
                    .into(),
            );
        }
        idle(self).await;
        // A fix the person confirmed on a page that said what is sent where: what it sends
        // (and nothing else) needs no second question.
        let sending = approve.is_some();
        self.approved.set_value(approve);
        let runs = self.view.with_untracked(|v| v.runs);
        if !self.run(false, false) {
            return Err("The sync could not start (check Settings \u{2192} Sync).".into());
        }
        // The run sets `running` at once when it starts.
        idle(self).await;
        let (after, error, held) = self
            .view
            .with_untracked(|v| (v.runs, v.last_error.clone(), v.held.is_some()));
        match error {
            Some(e) => Err(e),
            None if after == runs => Err("The sync did not run to its end.".into()),
            // What was to be sent is held: it did not go.
            None if held && sending => Err("Some changes wait for your agreement before they are sent: see Settings \u{2192} Sync.".into()),
            None => Ok(()),
        }
    }

    /// The regions whose Tagging API suggestions come from: those the inventory was pulled
    /// from, else the backend's own region; none without a backend.
    fn suggestion_regions(&self) -> Vec<String> {
        let mut regions: Vec<String> = self.data.resources.with_untracked(|rs| {
            let set: BTreeSet<&str> = rs.iter().filter_map(|r| r.pulled_from.as_deref()).collect();
            set.into_iter().map(str::to_owned).collect()
        });
        if regions.is_empty() {
            if let Some(
                crate::sync::endpoint::EndpointChoice::Aws { region, .. }
                | crate::sync::endpoint::EndpointChoice::Custom { region, .. },
            ) = self.view.with_untracked(|v| v.endpoint.clone())
            {
                regions.push(region);
            }
        }
        regions
    }

    /// Sync is on and credentials are in memory: the Tagging API can be asked.
    fn can_suggest(&self) -> bool {
        self.view.with_untracked(|v| v.enabled) && self.credentials.with_value(Option::is_some)
    }

    /// Asks the backend for its tag keys (`GetTagKeys`) once per visit, when a tag key field
    /// first gets the focus with sync on, for the backend's region unless it was pulled (a
    /// complete pull has every key of its regions in the inventory already).
    pub fn fetch_tag_keys(&self) {
        if !self.can_suggest() || self.keys_asked.get_value() {
            return;
        }
        self.keys_asked.set_value(true);
        let pulled = self
            .data
            .resources
            .with_untracked(|rs| rs.iter().any(|r| r.pulled_from.is_some()));
        if pulled {
            return;
        }
        let ctl = *self;
        leptos::task::spawn_local(async move {
            for region in ctl.suggestion_regions() {
                let Ok(client) = ctl.tagging(&region, Rc::new(Cell::new(false))) else {
                    return;
                };
                if let Ok(keys) = client.tag_keys().await {
                    ctl.data.backend_keys.update(|all| {
                        all.extend(keys);
                        crate::sort::sort(all);
                        all.dedup();
                    });
                }
            }
        });
    }

    /// Asks the backend for the values of `key` (`GetTagValues`), for the suggestions of value
    /// fields; once per key and page visit, only with sync on and credentials in memory, in the
    /// regions the inventory was pulled from (else the backend's own region). Best effort:
    /// a failure leaves the inventory's suggestions.
    pub fn fetch_tag_values(&self, key: &str) {
        let key = key.trim().to_owned();
        if key.is_empty() || !self.can_suggest() {
            return;
        }
        if self
            .data
            .backend_values
            .with_untracked(|m| m.contains_key(&key))
        {
            return;
        }
        // Marked at once, so focusing the field again does not ask again.
        self.data.backend_values.update(|m| {
            m.insert(key.clone(), Vec::new());
        });
        let mut regions: Vec<String> = self.data.resources.with_untracked(|rs| {
            let set: std::collections::BTreeSet<&str> =
                rs.iter().filter_map(|r| r.pulled_from.as_deref()).collect();
            set.into_iter().map(str::to_owned).collect()
        });
        if regions.is_empty() {
            match self.view.with_untracked(|v| v.endpoint.clone()) {
                Some(
                    crate::sync::endpoint::EndpointChoice::Aws { region, .. }
                    | crate::sync::endpoint::EndpointChoice::Custom { region, .. },
                ) => regions.push(region),
                None => return,
            }
        }
        let ctl = *self;
        leptos::task::spawn_local(async move {
            let mut found = Vec::new();
            for region in regions {
                let Ok(client) = ctl.tagging(&region, Rc::new(Cell::new(false))) else {
                    return;
                };
                if let Ok(values) = client.tag_values(&key).await {
                    found.extend(values);
                }
            }
            ctl.data.backend_values.update(|m| {
                m.insert(key, found);
            });
        });
    }

    /// Adds resources to a static group or removes them, or why not, in plain words.
    pub async fn set_membership(
        &self,
        name: &str,
        arns: &[String],
        action: crate::sync::api::GroupingAction,
    ) -> Result<crate::sync::api::Grouping, String> {
        self.client()?
            .set_membership(name, arns, action)
            .await
            .map_err(|e| match e {
                crate::sync::api::RemoteError::NotSupported(_) => {
                    "Not supported by this backend: it does not offer GroupResources and UngroupResources (static membership).".to_owned()
                }
                other => other.to_string(),
            })
    }

    /// The names the backend's ListGroups gives for the table's filters (sent as `Filters`,
    /// filtered again by what the list carries: see `Client::list_filtered`).
    /// (The groups list offers this check, so it goes through the sync chunk's split point:
    /// the client stays out of the main module.)
    pub async fn backend_filtered(
        &self,
        filters: &crate::model::group_filters::GroupFilters,
    ) -> Result<Vec<String>, String> {
        match crate::split_call!(backend_filtered(*self, filters.clone())) {
            Ok(listing) => listing.await,
            Err(_) => Err(CHUNK_FAILED.into()),
        }
    }

    /// A group's members as the backend lists them, or why not, in plain words.
    pub async fn backend_members(&self, name: &str) -> Result<Vec<String>, String> {
        self.client()?
            .list_group_resources(name)
            .await
            .map_err(|e| match e {
                crate::sync::api::RemoteError::NotSupported(_) => {
                    "Not supported by this backend: it does not offer ListGroupResources. The Resources tab shows the members from your imported inventory instead.".to_owned()
                }
                other => other.to_string(),
            })
    }
}
