use leptos::prelude::*;

use super::backend::BackendSettings;
use super::detectors::DetectorsSection;
use super::quarantine::QuarantineSection;
use super::PageHeader;
use crate::store::settings::SettingKey;
use crate::store::transfer::{
    export_groups, import_batch, preview_import, ImportMode, ImportPreview,
};
use crate::store::{ops, share, Batch, Store};
use crate::ui::browser;
use crate::ui::data::{AppData, StorageMode};
use crate::ui::flash::{FlashKind, Flashes};
use crate::ui::widgets::{ImportSource, RejectedRow, RejectedTable};

/// `/settings`: storage mode, data management (export, import with a preview, delete all) and
/// a plain-words privacy panel.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let data = expect_context::<AppData>();
    let sync = expect_context::<crate::ui::sync::SyncCtl>();

    let mode_text = move || {
        match data.mode.get() {
        StorageMode::Opening => "Opening the browser's storage…".to_owned(),
        StorageMode::Local if sync.view.with(|v| v.enabled) => "Local with sync: your groups are kept in this browser on this device (IndexedDB) and synced with the backend below when you sync.".to_owned(),
        StorageMode::Local => "Local: your groups are kept in this browser on this device (IndexedDB). Nothing is sent to any server.".to_owned(),
        StorageMode::Memory(e) => format!("Memory only: your changes last until this tab is closed. {e}"),
        StorageMode::Blocked => "Waiting: another tab of Group Console keeps an older version of the storage open. Close or reload it.".to_owned(),
        StorageMode::Stale => "Another tab updated Group Console: reload this tab to continue.".to_owned(),
    }
    };

    view! {
        <PageHeader title="Settings" description="Where your data is kept, moving it in and out, and how it is protected." />
        <section class="container" aria-labelledby="storage-title">
            <h2 id="storage-title">"Storage"</h2>
            <p class="storage-mode">{mode_text}</p>
            <super::backup::StorageSection />
        </section>

        <QuarantineSection />
        <DetectorsSection />

        <BackendSettings />

        <ExportGroups />

        <ImportGroups />

        <super::encryption::EncryptionSection />

        <super::backup::BackupSection />

        <DeleteAllData />

        <section class="container" aria-labelledby="privacy-title">
            <h2 id="privacy-title">"Privacy"</h2>
            <ul class="plain-list">
                <li>"Local mode sends nothing anywhere: the app is a set of static files, and your data stays in this browser's storage (IndexedDB) on this device."</li>
                <li>"In sync mode your groups (descriptions included) go only to the backend you chose, signed with your credentials; the credentials stay in memory and are never stored."</li>
                <li>"Descriptions are private: they are stored with the group but never written to the activity log, exports leave them out unless you ask, and they never appear in error messages."</li>
                <li>"Account numbers (AWS account IDs, card numbers, IBANs, bank numbers) and credentials are blocked in names and tags before anything is saved."</li>
                <li>"Only interface preferences (such as whether the navigation is open) are kept in local storage; never data, never secrets."</li>
            </ul>
        </section>
    }
}

/// Export of every group, descriptions only when asked for.
#[component]
fn ExportGroups() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let include_descriptions = RwSignal::new(false);
    let export = move |_| {
        let json = data
            .groups
            .with_untracked(|g| export_groups(g, include_descriptions.get_untracked()));
        let name = format!("group-console-groups-{}.json", browser::today());
        match browser::download(&name, "application/json", &json) {
            Ok(()) => flashes.push(
                FlashKind::Success,
                "Export ready",
                format!(
                    "{} group(s) exported.",
                    data.groups.with_untracked(Vec::len)
                ),
            ),
            Err(e) => flashes.push(FlashKind::Error, "Export failed", e),
        };
    };

    let share = move |_| {
        let Some(store) = data.with_store() else {
            return;
        };
        leptos::task::spawn_local(async move {
            // Unique enough for this browser's maps: the time and a random part.
            let id = format!(
                "s{}-{}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e9) as u64
            );
            let shared = data.groups.with_untracked(|g| share::export_shared(g, &id));
            let shared = match shared {
                Ok(s) => s,
                Err(problems) => {
                    flashes.push(
                        FlashKind::Error,
                        "Not exported",
                        format!("The guard still finds sensitive data in the file: {}. Fix it first (Data protection lists it).", problems.join("; ")),
                    );
                    return;
                }
            };
            let maps = match store.setting(SettingKey::SharedAliases.as_str()).await {
                Ok(v) => share::AliasMaps::decode(&v.unwrap_or_default()),
                Err(_) => share::AliasMaps::default(),
            };
            let count = shared.map.aliases.len();
            let batch = Batch {
                ops: vec![SettingKey::SharedAliases.put(maps.with(shared.map).encode())],
                ..Batch::default()
            };
            if let Err(e) = data.commit_as_is(batch).await {
                flashes.push(
                    FlashKind::Error,
                    "Not exported",
                    format!("The aliases could not be kept in this browser: {e}"),
                );
                return;
            }
            let name = format!("group-console-shared-{}.json", browser::today());
            match browser::download(&name, "application/json", &shared.json) {
                Ok(()) => flashes.push(
                    FlashKind::Success,
                    "Export to share ready",
                    format!(
                        "{} group(s), {count} account ID(s) replaced by aliases, no descriptions.",
                        data.groups.with_untracked(Vec::len)
                    ),
                ),
                Err(e) => flashes.push(FlashKind::Error, "Export failed", e),
            };
        });
    };

    view! {
        <section class="container" aria-labelledby="export-title">
            <h2 id="export-title">"Export groups"</h2>
            <p>"One JSON file in the shapes the AWS CLI prints (get-group, get-group-query, get-tags), one entry per group."</p>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || include_descriptions.get() on:change=move |ev| include_descriptions.set(event_target_checked(&ev)) />
                " Include descriptions (they are private: only tick this for a file you keep safe)"
            </label>
            <div><button class="button button-normal" on:click=export>"Export all groups"</button></div>
            <h3>"Share safely"</h3>
            <p>"A file to hand to someone else: every AWS account ID in an ARN or stack identifier is replaced by an alias (account-1, account-2, \u{2026}), descriptions are left out, and the guard checks the whole file before it is offered. What the aliases stand for stays in this browser: importing the file here maps them back."</p>
            <div><button id="share-export" class="button button-normal" on:click=share>"Export to share"</button></div>
        </section>
    }
}

/// Import of groups (ours, or what the AWS CLI prints), with a preview before anything is written.
#[component]
fn ImportGroups() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let import_text = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<Result<ImportPreview, String>>);
    // Whether the file is a shared export: made here (aliases mapped back) or elsewhere.
    let shared_from = RwSignal::new(None::<bool>);
    let make_preview = move |()| {
        let text = import_text.get_untracked();
        let store = data.with_store();
        leptos::task::spawn_local(async move {
            let maps = match store {
                Some(store) => match store.setting(SettingKey::SharedAliases.as_str()).await {
                    Ok(v) => share::AliasMaps::decode(&v.unwrap_or_default()),
                    Err(_) => share::AliasMaps::default(),
                },
                None => share::AliasMaps::default(),
            };
            let (text, mapped) = share::restore(&text, &maps);
            shared_from.set(mapped);
            let result = data
                .groups
                .with_untracked(|g| preview_import(&text, g))
                .map_err(|e| e.to_string());
            preview.set(Some(result));
        });
    };
    let run_import = move |mode: ImportMode| {
        let Some(Ok(p)) = preview.get_untracked() else {
            return;
        };
        let existing = data.groups.get_untracked();
        leptos::task::spawn_local(async move {
            let text = format!(
                "{} new and {} changed group(s) imported.",
                p.new.len(),
                p.changed.len()
            );
            let result = match import_batch(&p, &existing, mode, js_sys::Date::now() as i64) {
                Ok(batch) => undo.commit(batch, false, "Import complete", &text).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(_) => {
                    preview.set(None);
                    import_text.set(String::new());
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was imported", e.to_string());
                }
            };
        });
    };

    let preview_view = move || {
        preview.get().map(|p| match p {
            Err(e) => view! { <div class="alert alert-error" role="alert">{format!("The file could not be read. {e}")}</div> }.into_any(),
            Ok(p) => {
                let valid = p.new.len() + p.changed.len();
                let rejected = p.rejected.clone();
                let has_rejected = !rejected.is_empty();
                view! {
                    <div class="import-preview" role="status" aria-live="polite">
                        <h3>"Preview"</h3>
                        {move || shared_from.get().map(|here| view! {
                            <p id="import-shared">{if here {
                                "A shared export made in this browser: its account aliases were mapped back to the account IDs."
                            } else {
                                "A shared export from another browser: its account aliases (account-1, \u{2026}) stay as they are."
                            }}</p>
                        })}
                        <ul class="summary">
                            <li>{format!("{} new", p.new.len())}</li>
                            <li>{format!("{} changed", p.changed.len())}</li>
                            <li>{format!("{} unchanged", p.unchanged.len())}</li>
                            <li>{format!("{} rejected", rejected.len())}</li>
                        </ul>
                        {has_rejected.then(|| {
                            let rows: Vec<RejectedRow> = rejected
                                .into_iter()
                                .map(|r| (r.record, r.name.unwrap_or_else(|| "(hidden)".into()), r.reasons.join(" ")))
                                .collect();
                            view! { <RejectedTable what="Name" rows=rows /> }
                        })}
                        <div class="form-actions">
                            <button class="button button-normal" disabled=!has_rejected || valid == 0 on:click=move |_| run_import(ImportMode::ValidOnly)>
                                {format!("Import only the valid ones ({valid})")}
                            </button>
                            <button class="button button-primary" disabled=has_rejected || valid == 0 on:click=move |_| run_import(ImportMode::AllOrNothing)>
                                {format!("Import all ({valid})")}
                            </button>
                        </div>
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="container" aria-labelledby="import-title">
            <h2 id="import-title">"Import groups"</h2>
            <p>"Our export, or the JSON that aws resource-groups get-group prints. You see what would change before anything is written."</p>
            <ImportSource id="import" accept=".json,application/json" paste_label="Or paste JSON" text=import_text
                on_change=Callback::new(move |_| preview.set(None)) on_preview=Callback::new(make_preview) />
            {preview_view}
        </section>
    }
}

/// Deleting every record of this browser, after typing \u{201c}delete\u{201d}.
#[component]
fn DeleteAllData() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let undo = expect_context::<crate::ui::undo::UndoCtl>();
    let confirm_text = RwSignal::new(String::new());
    let delete_all = move |_| {
        leptos::task::spawn_local(async move {
            match data
                .apply(ops::delete_all_data(js_sys::Date::now() as i64))
                .await
            {
                Ok(()) => {
                    undo.forget();
                    confirm_text.set(String::new());
                    flashes.push(
                        FlashKind::Success,
                        "All data deleted",
                        "Every group, resource and setting was deleted from this browser.",
                    );
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was deleted", e.to_string());
                }
            };
        });
    };

    view! {
        <section class="container" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete all data"</h2>
            <p>"Deletes every group, resource, setting and event from this browser. This cannot be undone: export first if you want to keep anything."</p>
            <div class="form-field">
                <label class="form-label" for="delete-confirm">"To confirm, type \u{201c}delete\u{201d}"</label>
                <input id="delete-confirm" class="input" type="text" autocomplete="off" prop:value=move || confirm_text.get() on:input=move |ev| confirm_text.set(event_target_value(&ev)) />
            </div>
            <button class="button button-danger" disabled=move || confirm_text.get() != "delete" on:click=delete_all>"Delete all data"</button>
        </section>
    }
}
