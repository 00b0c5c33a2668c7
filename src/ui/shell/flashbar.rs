//! The notifications area above the page content.

use leptos::prelude::*;

use crate::ui::flash::{FlashAction, Flashes};
use crate::ui::sync::SyncCtl;

#[component]
pub fn Flashbar() -> impl IntoView {
    let flashes = expect_context::<Flashes>();
    let sync = use_context::<SyncCtl>();
    view! {
        <section class="flashbar" aria-label="Notifications">
            <For each=move || flashes.items().get() key=|f| f.id children=move |f| {
                let id = f.id;
                view! {
                    <div class=f.kind.class() role=f.kind.role()>
                        <span class="flash-icon" aria-hidden="true"></span>
                        <div class="flash-body">
                            <span class="visually-hidden">{f.kind.label()}": "</span>
                            <strong class="flash-header">{f.header.clone()}</strong>
                            " "
                            <span class="flash-content">{f.content.clone()}</span>
                        </div>
                        {f.action.map(|action| match action {
                            FlashAction::RetrySync => view! {
                                <button class="button flash-action" on:click=move |_| {
                                    flashes.dismiss(id);
                                    if let Some(ctl) = sync {
                                        ctl.sync_now(true);
                                    }
                                }>"Retry"</button>
                            },
                        })}
                        {f.dismissible.then(|| view! {
                            <button
                                class="icon-button flash-dismiss"
                                aria-label="Dismiss notification"
                                on:click=move |_| flashes.dismiss(id)
                            >
                                "×"
                            </button>
                        })}
                    </div>
                }
            } />
        </section>
    }
}
