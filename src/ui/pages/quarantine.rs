//! Settings → Quarantined records: stored records that failed to load (see `store/load.rs`),
//! with the reason, an export of them as stored, and a typed-confirmation delete. The list is
//! read from the store when the section mounts and after every change to the data.

use leptos::prelude::*;

use crate::display::masked_name;
use crate::store::load::{self, RecordKind};
use crate::store::{ops, Quarantined, Store};
use crate::ui::browser;
use crate::ui::data::AppData;
use crate::ui::flash::{FlashKind, Flashes};

/// The section; renders nothing while there is nothing quarantined.
#[component]
pub fn QuarantineSection() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let records = RwSignal::new(Vec::<Quarantined>::new());
    let confirm = RwSignal::new(String::new());

    Effect::new(move |_| {
        data.revision.track();
        let Some(store) = data.with_store() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(found) = store.quarantine(&RecordKind::ALL).await {
                records.try_set(found);
            }
        });
    });

    let export = move |_| {
        let json = records.with_untracked(|r| load::export(r));
        let name = format!("group-console-quarantined-{}.json", browser::today());
        if let Err(e) = browser::download(&name, "application/json", &json) {
            flashes.push(FlashKind::Error, "Export failed", e);
        }
    };
    let delete = move |_| {
        let all = records.get_untracked();
        let Some(store) = data.with_store() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let result = match store.sync_state().await {
                Ok(state) => {
                    data.apply(ops::delete_quarantined(
                        &all,
                        &state,
                        js_sys::Date::now() as i64,
                    ))
                    .await
                }
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    confirm.set(String::new());
                    flashes.push(
                        FlashKind::Success,
                        "Quarantined records deleted",
                        format!("{} record(s) deleted from this browser. Synced groups come back from the backend at the next sync.", all.len()),
                    );
                }
                Err(e) => {
                    flashes.push(FlashKind::Error, "Nothing was deleted", e.to_string());
                }
            };
        });
    };

    move || {
        let list = records.get();
        (!list.is_empty()).then(|| {
            let count = list.len();
            let rows = list
                .into_iter()
                .map(|q| {
                    let key = if q.kind.names_a_group() {
                        masked_name(&q.key)
                    } else {
                        q.key.clone()
                    };
                    view! {
                        <tr>
                            <td>{q.kind.label()}</td>
                            <td class="cell-name"><bdi>{key}</bdi></td>
                            <td>{q.reason}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="container" id="quarantine" aria-labelledby="quarantine-title">
                    <h2 id="quarantine-title">"Quarantined records"</h2>
                    <div class="alert alert-warning" role="status">
                        {format!("{count} stored record(s) could not be loaded: they are damaged, or contain what the guard now blocks (for example one written by an older version). They are kept as they were, left out of the app and not synced. Export them to keep or fix them, then delete them here.")}
                    </div>
                    <table class="table" id="quarantine-table">
                        <thead><tr><th scope="col">"Kind"</th><th scope="col">"Key"</th><th scope="col">"Why"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <div class="form-actions">
                        <button type="button" id="quarantine-export" class="button button-normal" on:click=export>"Export quarantined records"</button>
                    </div>
                    <div class="form-field">
                        <label class="form-label" for="quarantine-confirm">"To delete them all, type \u{201c}delete\u{201d}"</label>
                        <input id="quarantine-confirm" class="input" type="text" autocomplete="off" prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev)) />
                    </div>
                    <button type="button" id="quarantine-delete" class="button button-danger" disabled=move || confirm.get() != "delete" on:click=delete>
                        {format!("Delete {count} quarantined record(s)")}
                    </button>
                </section>
            }
        })
    }
}
