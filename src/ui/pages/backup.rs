//! Settings → Storage (is this browser keeping the data for good, and how full is it) and
//! Settings → Backup (one file with everything; restore with a preview, all or nothing;
//! optionally protected by a passphrase). The file format is `store::backup`; the form state
//! `view::backup`; the crypto `ui::crypto`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::store::backup::{
    self, BackupError, Contents, Opened, RestorePreview, Sealed, KDF_ITERATIONS,
};
use crate::store::settings::SettingKey;
use crate::store::{Batch, Store};
use crate::ui::browser;
use crate::ui::crypto;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::widgets::ImportSource;
use crate::view::backup::{backup_due, days_ago, remind_days, PassphraseDraft};

/// Whether storage is persistent, and how full it is.
#[component]
pub fn StorageSection() -> impl IntoView {
    let data = expect_context::<AppData>();
    let state = LocalResource::new(move || {
        data.revision.track();
        crate::ui::update::storage_state()
    });
    let line = move || {
        state.get().map(|s| match s {
            None => view! { <p id="storage-persist">"This browser does not say whether it keeps this site's data."</p> }.into_any(),
            Some((persisted, estimate)) => view! {
                <p id="storage-persist">{if persisted {
                    "Persistent: this browser keeps the data even when space runs low (only you can clear it)."
                } else {
                    "Best effort: this browser may clear the data when space runs low, or after weeks without a visit (Safari). Group Console asks for persistent storage after your first change; make backups either way."
                }}</p>
                {estimate.map(|u| {
                    let warn = u.warn();
                    view! {
                        <p id="storage-usage">{format!("Used: {}.", u.describe())}</p>
                        {warn.then(|| view! {
                            <div class="alert alert-warning" role="alert" id="storage-warning">
                                "This site has used 80 % or more of the storage the browser allows it. A change that does not fit is not saved: make a backup, and delete what you no longer need (an old inventory pull, say)."
                            </div>
                        })}
                    }
                })}
            }.into_any(),
        })
    };
    view! { <div class="storage-state">{line}</div> }
}

/// The moment the last backup was made here, and the reminder interval.
async fn backup_settings(store: &impl Store) -> (Option<i64>, u32) {
    let last = store
        .setting(SettingKey::BackupLastAt.as_str())
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok());
    let days = remind_days(
        store
            .setting(SettingKey::BackupRemindDays.as_str())
            .await
            .ok()
            .flatten()
            .as_deref(),
    );
    (last, days)
}

/// At start, once the data has loaded: a reminder when the last backup is older than the
/// interval the person chose.
pub fn remind_when_due(data: AppData, flashes: Flashes) {
    data.once_loaded(move |data| async move {
        let Some(store) = data.with_store() else {
            return;
        };
        let (last, days) = backup_settings(store.as_ref()).await;
        let has_data = data.groups.with_untracked(|g| !g.is_empty())
            || data.resources.with_untracked(|r| !r.is_empty());
        let now = js_sys::Date::now() as i64;
        if backup_due(last, days, has_data, now) {
            flashes.push_once_per_run(
                FlashKind::Warning,
                "Time for a backup",
                &match last {
                    Some(t) => format!("The last backup was made {}. Settings \u{2192} Backup makes one.", days_ago(t, now)),
                    None => "No backup was made in this browser yet. Settings \u{2192} Backup makes one.".to_owned(),
                },
            );
        }
    });
}

/// A backup file opened as far as it goes.
#[derive(Clone)]
enum Restore {
    Nothing,
    Refused(String),
    /// Protected: the passphrase is asked for.
    Locked(Sealed, i64),
    Ready(Box<Contents>, RestorePreview, i64),
}

/// Settings → Backup.
#[component]
pub fn BackupSection() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let draft = RwSignal::new(PassphraseDraft::default());
    let making = RwSignal::new(false);
    let settings = LocalResource::new(move || {
        data.revision.track();
        let store = data.with_store();
        async move {
            match store {
                Some(s) => backup_settings(s.as_ref()).await,
                None => (None, 0),
            }
        }
    });

    let make = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if making.get_untracked() {
            return;
        }
        let Some(Ok(passphrase)) = draft.try_update(PassphraseDraft::submit) else {
            return;
        };
        let Some(store) = data.with_store() else {
            return;
        };
        making.set(true);
        spawn_local(async move {
            let now = js_sys::Date::now() as i64;
            let result = async {
                let contents = Contents::read(store.as_ref())
                    .await
                    .map_err(|e| e.to_string())?;
                let file = match &passphrase {
                    None => backup::seal_plain(&contents, now),
                    Some(p) => {
                        let salt = crypto::random_bytes(16).map_err(|e| e.to_string())?;
                        let iv = crypto::random_bytes(12).map_err(|e| e.to_string())?;
                        let key = crypto::derive_key(p, &salt, KDF_ITERATIONS)
                            .await
                            .map_err(|e| e.to_string())?;
                        let sealed = crypto::encrypt(&key, &iv, contents.payload_json().as_bytes())
                            .await
                            .map_err(|e| e.to_string())?;
                        backup::seal_encrypted(&sealed, &salt, &iv, KDF_ITERATIONS, now)
                    }
                };
                let name = format!("group-console-backup-{}.json", browser::today());
                browser::download(&name, "application/json", &file)?;
                // Kept as this browser's own setting (no outbox, not in backups).
                data.commit_as_is(Batch {
                    ops: vec![SettingKey::BackupLastAt.put(now.to_string())],
                    ..Batch::default()
                })
                .await
                .map_err(|e| e.to_string())?;
                Ok::<_, String>((contents.groups.len(), contents.resources.len()))
            }
            .await;
            making.set(false);
            draft.update(PassphraseDraft::clear_secret);
            match result {
                Ok((g, r)) => {
                    flashes.push(
                        FlashKind::Success,
                        "Backup downloaded",
                        format!(
                            "{g} group(s) with their descriptions, {r} resource(s), the activity log, settings and sync records{}. Keep the file somewhere safe: it holds your private descriptions.",
                            if passphrase.is_some() { ", protected by your passphrase" } else { "" }
                        ),
                    );
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "No backup was made", e);
                }
            }
        });
    };

    let set_remind = move |ev: leptos::ev::Event| {
        let days = event_target_value(&ev);
        spawn_local(async move {
            let _ = data
                .commit_as_is(Batch {
                    ops: vec![SettingKey::BackupRemindDays.put(days)],
                    ..Batch::default()
                })
                .await;
        });
    };

    let last_line = move || {
        settings.get().map(|(last, days)| {
            let now = js_sys::Date::now() as i64;
            let has_data = data.groups.with(|g| !g.is_empty());
            let due = backup_due(last, days, has_data, now);
            view! {
                <p id="backup-last">{match last {
                    Some(t) => format!("Last backup made here: {} ({}).", browser::format_time(t), days_ago(t, now)),
                    None => "No backup was made in this browser yet.".to_owned(),
                }}</p>
                {due.then(|| view! {
                    <div class="alert alert-warning" role="alert" id="backup-due">
                        {format!("Your last backup is older than {days} day(s): make one now.")}
                    </div>
                })}
            }
        })
    };
    let remind_value = move || {
        settings
            .get()
            .map(|(_, d)| d.to_string())
            .unwrap_or_default()
    };

    // With encryption at rest on, a backup file is protected too: a plain copy of encrypted
    // data would undo the point of it.
    let encrypted = move || data.vault.get().is_encrypted();
    Effect::new(move |_| {
        if encrypted() {
            draft.update(|d| d.protect = true);
        }
    });
    let (pass_error, confirm_error) = (
        Memo::new(move |_| draft.with(|d| d.shown_errors().0)),
        Memo::new(move |_| draft.with(|d| d.shown_errors().1)),
    );

    view! {
        <section class="container" aria-labelledby="backup-title" id="backup">
            <h2 id="backup-title">"Backup"</h2>
            <p>"One file with everything this browser holds: groups with their descriptions, the inventory, the activity log, settings (saved filters and your own detectors among them), and sync's pending changes, conflicts and last-synced copies, and Recently deleted. Credentials are never in it."</p>
            {last_line}
            <div class="form-field">
                <label class="form-label" for="backup-remind">"Remind me to make a backup"</label>
                <select id="backup-remind" class="input" on:change=set_remind prop:value=remind_value>
                    <option value="0">"Never"</option>
                    <option value="1">"Every day"</option>
                    <option value="7">"Every week"</option>
                    <option value="30">"Every 30 days"</option>
                </select>
            </div>
            <form id="backup-form" on:submit=make novalidate=true
                data-unsaved=move || draft.with(|d| (!d.passphrase.is_empty()).to_string())>
                <label class="checkbox">
                    <input type="checkbox" id="backup-protect" prop:checked=move || draft.with(|d| d.protect)
                        disabled=encrypted
                        on:change=move |ev| draft.update(|d| d.protect = event_target_checked(&ev)) />
                    " Protect with a passphrase (AES-GCM; the key is derived with 600,000 rounds of PBKDF2-SHA-256)"
                </label>
                <Show when=encrypted>
                    <p class="form-constraint" id="backup-protect-required">"Encryption is on here, so backups are protected too. The passphrase can differ from the one that unlocks this browser."</p>
                </Show>
                <Show when=move || draft.with(|d| d.protect)>
                    <div class="form-field">
                        <label class="form-label" for="backup-passphrase">"Passphrase"</label>
                        <input id="backup-passphrase" class="input" type="password" autocomplete="new-password"
                            aria-describedby="backup-passphrase-error"
                            aria-invalid=move || pass_error.get().is_some().to_string()
                            prop:value=move || draft.with(|d| d.passphrase.clone())
                            on:input=move |ev| draft.update(|d| d.passphrase = event_target_value(&ev)) />
                        <p class="form-constraint">"Nobody can open the file without it, not even you: it cannot be recovered."</p>
                        <p class="form-error" id="backup-passphrase-error" role="alert">{move || pass_error.get().map(|e| e.to_string())}</p>
                    </div>
                    <div class="form-field">
                        <label class="form-label" for="backup-confirm">"Passphrase again"</label>
                        <input id="backup-confirm" class="input" type="password" autocomplete="new-password"
                            aria-describedby="backup-confirm-error"
                            aria-invalid=move || confirm_error.get().is_some().to_string()
                            prop:value=move || draft.with(|d| d.confirm.clone())
                            on:input=move |ev| draft.update(|d| d.confirm = event_target_value(&ev)) />
                        <p class="form-error" id="backup-confirm-error" role="alert">{move || confirm_error.get().map(|e| e.to_string())}</p>
                    </div>
                </Show>
                <button type="submit" id="backup-make" class="button button-primary" disabled=move || making.get()>
                    {move || if making.get() { "Making the backup\u{2026}" } else { "Download backup" }}
                </button>
            </form>
            <RestoreBackup />
        </section>
    }
}

/// "Restore from a backup": the file, its passphrase if it has one, the preview, and the
/// restore itself (one transaction: everything here is replaced, or nothing is).
#[component]
fn RestoreBackup() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let text = RwSignal::new(String::new());
    let state = RwSignal::new(Restore::Nothing);
    let passphrase = RwSignal::new(String::new());
    let working = RwSignal::new(false);

    // Compares the file with what is here, and shows what a restore changes.
    let show = move |contents: Contents, created_at: i64| {
        let Some(store) = data.with_store() else {
            return;
        };
        spawn_local(async move {
            match Contents::read(store.as_ref()).await {
                Ok(now) => {
                    let preview = RestorePreview::between(&now, &contents);
                    state.set(Restore::Ready(Box::new(contents), preview, created_at));
                }
                Err(e) => state.set(Restore::Refused(e.to_string())),
            }
        });
    };
    let open = move |()| {
        passphrase.set(String::new());
        match backup::open(&text.get_untracked()) {
            Err(e) => state.set(Restore::Refused(e.to_string())),
            Ok(Opened::Plain {
                contents,
                created_at,
            }) => show(contents, created_at),
            Ok(Opened::Protected { sealed, created_at }) => {
                state.set(Restore::Locked(sealed, created_at))
            }
        }
    };
    let unlock = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Restore::Locked(sealed, created_at) = state.get_untracked() else {
            return;
        };
        let p = passphrase.get_untracked();
        if p.is_empty() {
            flashes.push(
                FlashKind::Error,
                "Not opened",
                BackupError::NeedsPassphrase.to_string(),
            );
            return;
        }
        working.set(true);
        spawn_local(async move {
            let result = async {
                let key = crypto::derive_key(&p, &sealed.salt, sealed.iterations)
                    .await
                    .map_err(|e| e.to_string())?;
                let plain = crypto::decrypt(&key, &sealed.iv, &sealed.ciphertext)
                    .await
                    .map_err(|e| match e {
                        crypto::CryptoError::Refused => BackupError::WrongPassphrase.to_string(),
                        other => other.to_string(),
                    })?;
                let text =
                    String::from_utf8(plain).map_err(|_| BackupError::Damaged.to_string())?;
                Contents::from_payload_json(&text).map_err(|e| e.to_string())
            }
            .await;
            working.set(false);
            passphrase.set(String::new());
            match result {
                Ok(contents) => show(contents, created_at),
                Err(e) => {
                    // Still locked: another try with the right passphrase.
                    flashes.push(FlashKind::Error, "Not opened", e);
                }
            }
        });
    };
    let restore = move |_| {
        let Restore::Ready(contents, _, created_at) = state.get_untracked() else {
            return;
        };
        let Some(store) = data.with_store() else {
            return;
        };
        working.set(true);
        spawn_local(async move {
            let result = async {
                // This browser's own backup settings stay as they are.
                let mut keep = Vec::new();
                for key in SettingKey::ALL.iter().filter(|k| k.this_browser_only()) {
                    if let Some(v) = store
                        .setting(key.as_str())
                        .await
                        .map_err(|e| e.to_string())?
                    {
                        keep.push((key.as_str().to_owned(), v));
                    }
                }
                let batch = backup::restore_batch(&contents, &keep, js_sys::Date::now() as i64);
                data.commit_as_is(batch).await.map_err(|e| e.to_string())
            }
            .await;
            working.set(false);
            match result {
                Ok(_) => {
                    undo.forget();
                    state.set(Restore::Nothing);
                    text.set(String::new());
                    // Sync's switch and endpoint may have changed with the settings.
                    data.reload();
                    flashes.push(
                        FlashKind::Success,
                        "Backup restored",
                        format!(
                            "Everything here is now as it was on {}: {} group(s), {} resource(s).",
                            browser::format_time(created_at),
                            contents.groups.len(),
                            contents.resources.len()
                        ),
                    );
                }
                Err(e) => {
                    flashes.push(
                        FlashKind::Error,
                        "Nothing was restored",
                        format!("{e} Everything here is as it was."),
                    );
                }
            }
        });
    };

    let body = move || {
        match state.get() {
        Restore::Nothing => ().into_any(),
        Restore::Refused(why) => {
            view! { <div class="alert alert-error" role="alert" id="restore-error">{why}</div> }
                .into_any()
        }
        Restore::Locked(_, created_at) => view! {
            <form id="restore-unlock" on:submit=unlock>
                <p>{format!("This backup, made on {}, is protected by a passphrase.", browser::format_time(created_at))}</p>
                <div class="form-field">
                    <label class="form-label" for="restore-passphrase">"Passphrase of this backup"</label>
                    <input id="restore-passphrase" class="input" type="password" autocomplete="current-password"
                        prop:value=move || passphrase.get()
                        on:input=move |ev| passphrase.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button button-normal" id="restore-open" disabled=move || working.get()>
                    {move || if working.get() { "Opening\u{2026}" } else { "Open" }}
                </button>
            </form>
        }
        .into_any(),
        Restore::Ready(_, p, created_at) => {
            let refused = p.refused;
            let blocked = refused > 0 || !p.changes_anything();
            view! {
                <div class="import-preview" id="restore-preview" role="status" aria-live="polite">
                    <h4>{format!("Backup of {}", browser::format_time(created_at))}</h4>
                    <p>"Restoring replaces everything here with the backup, in one step: if any part of it cannot be saved, nothing changes. Quarantined records (Settings lists them, if any) are deleted too: export them first. Sync is left on or off as it is here, and a backend is never approved by a file."</p>
                    <ul class="summary">
                        <li id="restore-groups">{format!("Groups: {} added, {} changed, {} removed, {} the same", p.groups_added, p.groups_changed, p.groups_removed, p.groups_same)}</li>
                        <li id="restore-resources">{format!("Resources: {} added, {} changed, {} removed", p.resources_added, p.resources_changed, p.resources_removed)}</li>
                        <li>{format!("Activity: {} event(s) now, {} after", p.activity_now, p.activity_after)}</li>
                        <li>{format!("Settings changed: {}", p.settings_changed)}</li>
                        <li>{format!("Pending changes for sync: {}; conflicts: {}; recently deleted: {}", p.outbox_after, p.conflicts_after, p.deleted_after)}</li>
                    </ul>
                    {(refused > 0).then(|| view! {
                        <div class="alert alert-warning" role="alert">
                            {format!("{refused} group(s) in this file no longer pass the checks (the sensitive-data rules have grown since it was made), so the restore would be refused as a whole. Restore it into an older version, fix them there, and make a new backup.")}
                        </div>
                    })}
                    <div class="form-actions">
                        <button type="button" class="button button-normal" on:click=move |_| state.set(Restore::Nothing)>"Cancel"</button>
                        <button type="button" id="restore-apply" class="button button-danger"
                            disabled=move || working.get() || blocked
                            on:click=restore>"Replace everything with this backup"</button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
    };

    view! {
        <h3>"Restore from a backup"</h3>
        <ImportSource id="restore" accept=".json,application/json" paste_label="Or paste the backup file's text" text=text
            file_label="Backup file" preview_label="Open backup"
            on_change=Callback::new(move |_| state.set(Restore::Nothing)) on_preview=Callback::new(open) />
        {body}
    }
}
