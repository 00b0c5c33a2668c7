//! The storage banner above the notifications: shown while the browser's storage cannot be
//! used as it should (unavailable, written by a newer version, an upgrade that failed and was
//! undone, an upgrade waiting for other tabs, an upgrade done by another tab). It cannot be
//! dismissed: it stays true until the cause is gone. When the stored data is there but this
//! version cannot read it, it offers the data as it is on disk, so nothing is held hostage.

use leptos::prelude::*;

use crate::store::idb::IdbStore;
use crate::ui::browser;
use crate::ui::data::{AppData, DB_NAME};
use crate::ui::flash::{FlashKind, Flashes};

#[component]
pub fn StorageBanner() -> impl IntoView {
    let data = expect_context::<AppData>();
    let flashes = expect_context::<Flashes>();
    let export = move |_| {
        leptos::task::spawn_local(async move {
            let result = IdbStore::export_as_is(DB_NAME)
                .await
                .map_err(|e| e.to_string());
            let name = format!("group-console-stored-data-{}.json", browser::today());
            if let Err(e) =
                result.and_then(|json| browser::download(&name, "application/json", &json))
            {
                flashes.push(FlashKind::Error, "Export failed", e);
            }
        });
    };
    move || {
        let mode = data.mode.get();
        mode.banner().map(|(title, text)| {
            let export_button = mode.can_export_as_is().then(|| {
                view! {
                    <button type="button" id="storage-export" class="button flash-action" on:click=export>
                        "Export stored data"
                    </button>
                }
            });
            view! {
                <div class="flash flash-warning storage-banner" id="storage-banner" role="alert">
                    <span class="flash-icon" aria-hidden="true"></span>
                    <div class="flash-body">
                        <span class="visually-hidden">"Warning: "</span>
                        <strong class="flash-header">{title}</strong>
                        " "
                        <span class="flash-content">{text}</span>
                    </div>
                    {export_button}
                </div>
            }
        })
    }
}
