//! The data-protection audit in the browser: runs `view::audit` over everything the app holds
//! or can reach, in slices of a few milliseconds so the page never freezes, and keeps the last
//! report for the Data protection page and the count in the top bar.
//!
//! When it runs:
//! - once after start, when the groups and the inventory have loaded and the page has settled;
//!   if the guard's rules are newer than those of the last audit in this browser
//!   (`guard::RULES_VERSION` against the `gc.audit.rules` preference), a notice says what the
//!   new rules found in data stored before;
//! - after every change to stored data (here or in another tab) and after every sync run, a
//!   moment later; only what changed is scanned again (`view::audit::AuditBook`);
//! - when the person asks ("Run audit again"), from scratch.
//!
//! A run that is overtaken by a newer one stops at its next slice. Nothing here sends a
//! request: the audit reads memory and IndexedDB only. The backend groups a pull refused are
//! read from the sync controller's memory; they are never stored.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use super::data::AppData;
use super::flash::{FlashKind, Flashes};
use super::sync::SyncCtl;
use crate::model::Group;
use crate::store::records::GroupRecord;
use crate::store::settings::SettingKey;
use crate::store::Quarantined;
use crate::store::{RecordKind, Store};
use crate::sync::endpoint::EndpointChoice;
use crate::sync::outgoing::Outgoing;
use crate::sync::remote::Remote;
use crate::view::audit::{needs_reaudit, Audit, AuditBook, AuditFinding, Subject};
use crate::view::audit_fix::{self, Fix};

/// The rules version of the last audit in this browser (a preference, not data).
const RULES_PREF: &str = "gc.audit.rules";
/// Longest stretch of audit work between two yields to the page.
const SLICE_MS: f64 = 6.0;
/// How long after a change the audit waits, so that a burst of changes is audited once.
const SETTLE_MS: i32 = 400;
/// After start, how long the audit waits once the data has loaded (the tables and their
/// counts are filled first).
const START_DELAY_MS: i32 = 1_200;

/// The last report, as the page and the top bar show it.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditReport {
    pub findings: Arc<Vec<AuditFinding>>,
    pub blocked: usize,
    pub groups: usize,
    pub resources: usize,
    pub others: usize,
    /// When it finished (ms since the epoch).
    pub at_ms: i64,
    /// How long the run took, waits between slices included.
    pub took_ms: f64,
    /// The export (places and rule names only).
    pub json: Arc<String>,
}

/// "Copy to a new name" in progress: the group as found (memory only, for this fix), and once
/// the create form has made the copy, its name.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyFix {
    pub subject: Subject,
    /// The create form's starting point: the group with what the guard flags taken out.
    pub start: Group,
    pub taken_out: audit_fix::TakenOut,
    pub created: Option<String>,
}

/// Cheap to copy; get it with `expect_context::<AuditCtl>()`.
#[derive(Clone, Copy)]
pub struct AuditCtl {
    pub report: RwSignal<Option<AuditReport>>,
    pub running: RwSignal<bool>,
    /// The audit's chunk could not be fetched for the last run (offline before the service
    /// worker had it, or a new version on the server mid-visit): the page says so instead of
    /// "running" forever. The next run that loads clears it.
    pub unavailable: RwSignal<bool>,
    /// Records audited so far in the run in flight, and how many there are.
    pub progress: RwSignal<(usize, usize)>,
    /// The copy under a new name being made, if any.
    pub copy: RwSignal<Option<CopyFix>>,
    book: StoredValue<AuditBook>,
    /// Raised by every new run; a run whose number is no longer current stops.
    run_id: StoredValue<u64>,
    /// Raised whenever the inventory changes, so the book knows when its findings are stale.
    inventory_version: StoredValue<u64>,
    /// Whether the first audit after start has finished.
    started: StoredValue<bool>,
    data: AppData,
    sync: SyncCtl,
    flashes: Flashes,
}

#[cfg_attr(
    gc_split,
    leptos::wasm_split::wasm_split(audit, fallible, wasm_split_path = ::leptos::wasm_split)
)]
fn audit_run(
    ctl: AuditCtl,
    id: u64,
    after_start: bool,
) -> Result<super::lazy::LocalTask, super::lazy::ChunkError> {
    Ok(Box::pin(async move { ctl.run(id, after_start).await }))
}

impl AuditCtl {
    /// Starts the controller; call once, in the app root, after the data and sync controllers.
    pub fn start(data: AppData, sync: SyncCtl, flashes: Flashes) -> Self {
        let ctl = AuditCtl {
            report: RwSignal::new(None),
            running: RwSignal::new(false),
            unavailable: RwSignal::new(false),
            progress: RwSignal::new((0, 0)),
            copy: RwSignal::new(None),
            book: StoredValue::new(AuditBook::default()),
            run_id: StoredValue::new(0),
            inventory_version: StoredValue::new(0),
            started: StoredValue::new(false),
            data,
            sync,
            flashes,
        };
        Effect::new(move |_| {
            data.resources.track();
            ctl.inventory_version.update_value(|v| *v += 1);
        });
        // The first run, then one after every change: stored data (`revision`), or what the
        // last pull refused.
        // Only what the last sync refused, not every progress tick of the sync view.
        let refused = Memo::new(move |_| sync.view.with(|v| v.rejected.len()));
        Effect::new(move |first: Option<bool>| {
            data.revision.track();
            refused.track();
            let ready = data.loaded.get() && data.resources_loaded.get();
            if !ready {
                return first.unwrap_or(true);
            }
            let is_first = first.unwrap_or(true);
            let delay = if is_first { START_DELAY_MS } else { SETTLE_MS };
            ctl.schedule(delay);
            false
        });
        // New rules (the person's own detectors): what the audit remembered as clean may not be.
        Effect::new(move |seen: Option<u64>| {
            let now = data.rules.get();
            if seen.is_some_and(|s| s != now) {
                ctl.book.set_value(AuditBook::default());
            }
            now
        });
        ctl
    }

    /// Audits again after `delay_ms`, unless something newer asks first. The first audit after
    /// start (which records the rules version and may say what newer rules found) stays owed
    /// until one finishes, even when a change overtakes it.
    fn schedule(&self, delay_ms: i32) {
        let ctl = *self;
        let id = self.next_id();
        // The last report is out of date from now on: the page says "Auditing…" rather than
        // show it as current (a pull that refused groups a moment ago is not in it yet).
        self.running.try_set(true);
        spawn_local(async move {
            browser::sleep(delay_ms).await;
            if ctl.run_id.try_get_value() == Some(id) {
                let after_start = !ctl.started.get_value();
                ctl.run_loaded(id, after_start).await;
            }
        });
    }

    /// Whether sync is on (a fix then also goes to the backend).
    pub fn data_synced(&self) -> bool {
        self.data.sync_enabled.get_untracked()
    }

    /// The backend's host, when sync is on (where a fix is sent).
    pub fn sync_host(&self) -> Option<String> {
        self.data_synced().then(|| self.sync.host()).flatten()
    }

    /// "Run audit again": everything from scratch, now.
    pub fn run_now(&self) {
        self.book.set_value(AuditBook::default());
        let ctl = *self;
        let id = self.next_id();
        spawn_local(async move { ctl.run_loaded(id, false).await });
    }

    /// [`AuditCtl::run`] through the audit's split point: in the release build the scan (the
    /// guard's detectors over every record) is a chunk fetched for the first run, after the
    /// first page is up. If it cannot be fetched the page says so ([`AuditCtl::unavailable`])
    /// and the audit waits for the next change or "Run audit again".
    async fn run_loaded(self, id: u64, after_start: bool) {
        match crate::split_call!(audit_run(self, id, after_start)) {
            Ok(task) => {
                self.unavailable.try_set(false);
                task.await
            }
            Err(_) => {
                if self.current(id) {
                    self.running.try_set(false);
                    self.unavailable.try_set(true);
                }
            }
        }
    }

    fn next_id(&self) -> u64 {
        self.run_id.update_value(|n| *n += 1);
        self.run_id.get_value()
    }

    fn current(&self, id: u64) -> bool {
        self.run_id.try_get_value() == Some(id)
    }

    async fn run(&self, id: u64, after_start: bool) {
        let Some(store) = self.data.with_store() else {
            self.running.try_set(false);
            return;
        };
        let started = js_sys::Date::now();
        browser::mark("gc:audit-start");
        self.running.try_set(true);

        // The small parts, read from the store as they are now.
        let mut others = Audit::default();
        if let Ok(q) = store.quarantine(&RecordKind::ALL).await {
            others.quarantined(&q);
        }
        if let Ok(state) = store.sync_state().await {
            others.outbox(&state.outbox);
            let conflicts: Vec<_> = state.conflicts.into_values().collect();
            others.conflicts(&conflicts);
        }
        if let Ok(t) = store.tombstones().await {
            others.deleted(&t);
        }
        if let Ok(Some(stored)) = store.setting(SettingKey::SyncEndpoint.as_str()).await {
            match EndpointChoice::from_setting(&stored) {
                Some(EndpointChoice::Custom { url, .. }) => others.endpoint(&url),
                // AWS's own endpoints are made from a region: nothing typed to scan.
                Some(EndpointChoice::Aws { .. }) => {}
                // Unreadable: scanned as it is stored.
                None => others.endpoint(&stored),
            }
        }
        self.sync.view.with_untracked(|v| {
            others.backend_groups(&v.rejected_groups);
            // Refused for another reason (an answer the model cannot read): only the name.
            for name in v.rejected.keys() {
                if !v.rejected_groups.iter().any(|g| &g.name == name) {
                    others.backend_group(name);
                }
            }
        });
        if !self.current(id) {
            return;
        }

        // The groups that changed since the last run, a slice at a time. A copy of the list:
        // the groups may change while this runs, and then a newer run follows anyway.
        let groups = self.data.groups.get_untracked();
        let stale = self.book.with_value(|b| b.stale_groups(&groups));
        let inventory_version = self.inventory_version.get_value();
        let inventory_fresh = self.book.with_value(|b| b.has_resources(inventory_version));
        let resources_total = if inventory_fresh {
            0
        } else {
            self.data.resources.with_untracked(Vec::len)
        };
        let total = stale.len() + resources_total;
        self.progress.try_set((0, total));
        let mut done = 0;
        let mut at = 0;
        while at < stale.len() {
            let slice_start = js_sys::Date::now();
            while at < stale.len() && js_sys::Date::now() - slice_start < SLICE_MS {
                let end = (at + 20).min(stale.len());
                let part = stale.get(at..end).unwrap_or_default();
                self.book.update_value(|b| b.audit_groups(&groups, part));
                done += end - at;
                at = end;
            }
            self.progress.try_set((done, total));
            browser::yield_now().await;
            if !self.current(id) {
                return;
            }
        }

        if !inventory_fresh {
            let mut audit = Audit::default();
            let mut at = 0;
            loop {
                let slice_start = js_sys::Date::now();
                let finished = self.data.resources.try_with_untracked(|rs| {
                    while at < rs.len() && js_sys::Date::now() - slice_start < SLICE_MS {
                        let end = (at + 200).min(rs.len());
                        audit.resources(rs.get(at..end).unwrap_or_default());
                        done += end - at;
                        at = end;
                    }
                    at >= rs.len()
                });
                self.progress.try_set((done, total));
                let Some(finished) = finished else { return };
                if finished {
                    break;
                }
                browser::yield_now().await;
                // The inventory was replaced meanwhile: positions moved, a newer run follows.
                if !self.current(id) || self.inventory_version.get_value() != inventory_version {
                    return;
                }
            }
            self.book
                .update_value(|b| b.put_resources(inventory_version, audit));
        }

        let Some(audit) = self.book.try_update_value(|b| b.report(&groups, others)) else {
            return;
        };
        let at_ms = js_sys::Date::now() as i64;
        let report = AuditReport {
            blocked: audit.blocked(),
            groups: audit.groups,
            resources: audit.resources,
            others: audit.others,
            at_ms,
            took_ms: js_sys::Date::now() - started,
            json: Arc::new(audit.report_json(crate::guard::RULES_VERSION, at_ms)),
            findings: Arc::new(audit.findings),
        };
        if !self.current(id) {
            return;
        }
        let count = report.findings.len();
        self.report.try_set(Some(report));
        self.running.try_set(false);
        browser::mark("gc:audit-done");
        if after_start {
            self.started.set_value(true);
            self.after_start(count);
        }
    }

    /// The group a fix starts from, as found: stored here, a quarantined record decoded
    /// without its checks, or what the last pull read (memory). With the quarantined record
    /// itself, for deleting it.
    pub async fn group_of(&self, subject: &Subject) -> Option<(Group, Option<Quarantined>)> {
        match subject {
            Subject::Stored(name) => self.data.groups.with_untracked(|gs| {
                gs.binary_search_by(|g| g.name.as_str().cmp(name))
                    .ok()
                    .map(|i| (gs[i].clone(), None))
            }),
            Subject::Backend(name) => self.sync.view.with_untracked(|v| {
                v.rejected_groups
                    .iter()
                    .find(|g| &g.name == name)
                    .map(|g| (g.clone(), None))
            }),
            Subject::Quarantined(kind, key) => {
                let store = self.data.with_store()?;
                let found = store.quarantine(&[*kind]).await.ok()?;
                let q = found.into_iter().find(|q| &q.key == key)?;
                let g = serde_json::from_str::<GroupRecord>(&q.raw)
                    .ok()?
                    .to_group()
                    .ok()?;
                Some((g, Some(q)))
            }
        }
    }

    /// Applies in-place fixes to the group of `subject`; a plain message on failure, and then
    /// nothing was written or sent. A stored or quarantined group is saved here (with sync on,
    /// its change goes through the outbox like any other); a backend group is changed on the
    /// backend, then a sync brings it in.
    pub async fn fix_in_place(&self, subject: &Subject, fixes: &[Fix]) -> Result<String, String> {
        let (before, _) = self
            .group_of(subject)
            .await
            .ok_or("This group is no longer there: run the audit again.")?;
        let after = audit_fix::fixed(&before, fixes).map_err(|e| e.to_string())?;
        let now = js_sys::Date::now() as i64;
        match subject {
            Subject::Backend(_) => {
                // The panel said what goes where; it goes only with sync on, and is logged.
                if !self.data_synced() {
                    return Err(
                        "Sync is off: turn it on in Settings to fix a group on the backend.".into(),
                    );
                }
                let host = self.sync.host().unwrap_or_default();
                let sent = Outgoing::plan(
                    std::slice::from_ref(&after.name),
                    &BTreeMap::from([(after.name.clone(), after.clone())]),
                    &BTreeMap::from([(before.name.clone(), before.clone())]),
                );
                let client = self.sync.client()?;
                client
                    .update(&before, &after)
                    .await
                    .map_err(|e| format!("The backend did not take the change: {e}"))?;
                self.sync.log_sent(&sent.groups, &host).await;
                let batch = audit_fix::in_place_batch(subject, &before, after.clone(), fixes, now);
                // Only the event: the group itself comes in with the sync below.
                self.data
                    .commit_as_is(crate::store::Batch {
                        ops: Vec::new(),
                        ..batch
                    })
                    .await
                    .map_err(|e| e.to_string())?;
                self.sync.sync_and_wait(None).await.map_err(|e| {
                    format!("Fixed on the backend, but the sync after it failed: {e}")
                })?;
                Ok("Fixed on the backend; the group is now synced here.".into())
            }
            Subject::Stored(_) | Subject::Quarantined(..) => {
                let batch = audit_fix::in_place_batch(subject, &before, after, fixes, now);
                self.data.commit(batch).await.map_err(|e| e.to_string())?;
                Ok(if self.data.sync_enabled.get_untracked() {
                    "Fixed here; the change is sent with the next sync.".into()
                } else {
                    "Fixed.".into()
                })
            }
        }
    }

    /// Starts "Copy to a new name" for `subject`: the create form opens with the group as found.
    pub async fn start_copy(&self, subject: &Subject) -> Result<(), String> {
        let (group, _) = self
            .group_of(subject)
            .await
            .ok_or("This group is no longer there: run the audit again.")?;
        let (start, taken_out) = audit_fix::copy_source(&group)?;
        self.copy.set(Some(CopyFix {
            subject: subject.clone(),
            start,
            taken_out,
            created: None,
        }));
        Ok(())
    }

    /// The last step of "Copy to a new name": the copy exists here; with sync on it is first
    /// sent (and must be on the backend), then the original is deleted there; then here.
    /// A failure between the two leaves both and says so.
    pub async fn finish_copy(&self) -> Result<String, String> {
        let Some(CopyFix {
            subject,
            created: Some(copy),
            ..
        }) = self.copy.get_untracked()
        else {
            return Err("There is no copy to finish.".into());
        };
        let synced = self.data.sync_enabled.get_untracked();
        let quarantined = match &subject {
            Subject::Quarantined(..) => self.group_of(&subject).await.and_then(|(_, q)| q),
            _ => None,
        };
        let store = self
            .data
            .with_store()
            .ok_or("The storage is still opening.")?;
        if synced {
            // Only the copy is let through without asking: the panel named it and its fields.
            let copy_group = self
                .data
                .groups
                .with_untracked(|gs| gs.iter().find(|g| g.name == copy).cloned());
            let approve = copy_group.map(|g| {
                Outgoing::plan(
                    std::slice::from_ref(&copy),
                    &BTreeMap::from([(copy.clone(), g)]),
                    &BTreeMap::new(),
                )
            });
            self.sync.sync_and_wait(approve).await.map_err(|e| {
                format!("The copy {copy} was not sent to the backend ({e}): the original was not deleted; both are kept.")
            })?;
            if !self.sync.view.with_untracked(|v| v.synced.contains(&copy)) {
                return Err(format!("The copy {copy} is not on the backend yet (see Settings \u{2192} Sync): the original was not deleted; both are kept."));
            }
            // Stored groups are deleted through the outbox (below); the others directly.
            if !matches!(subject, Subject::Stored(_)) {
                let client = self.sync.client()?;
                match client.delete(subject.name()).await {
                    Ok(()) | Err(crate::sync::remote::RemoteError::NotFound) => {}
                    Err(e) => {
                        return Err(format!("The copy {copy} was created, but deleting the original on the backend failed: {e}. Both groups exist; try again."));
                    }
                }
            }
        }
        let state = store.sync_state().await.map_err(|e| e.to_string())?;
        let batch = audit_fix::finish_copy(
            &subject,
            quarantined.as_ref(),
            &state,
            &copy,
            js_sys::Date::now() as i64,
        );
        self.data.commit(batch).await.map_err(|e| {
            format!("The copy {copy} was created, but the original could not be deleted here: {e}")
        })?;
        self.copy.set(None);
        if synced {
            self.sync
                .sync_and_wait(None)
                .await
                .map_err(|e| format!("The original was deleted; the sync after it failed: {e}"))?;
        }
        Ok(format!("The copy {copy} replaces the original."))
    }

    /// After the first audit of a start: record the rules version, and say what newer rules
    /// found in data stored before.
    fn after_start(&self, count: usize) {
        let stored = browser::pref(RULES_PREF).and_then(|v| v.parse::<u32>().ok());
        if needs_reaudit(stored) {
            browser::set_pref(RULES_PREF, &crate::guard::RULES_VERSION.to_string());
            if stored.is_some() && count > 0 {
                self.flashes.push_sticky(
                    FlashKind::Warning,
                    "The data-protection rules were updated",
                    &format!("The audit ran again with the new rules and found {count} finding(s) in data stored before. Data protection lists them, with where and how to fix them."),
                );
            }
        }
    }
}
