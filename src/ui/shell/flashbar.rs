//! The notifications area above the page content.

use leptos::prelude::*;

use crate::ui::flash::{FlashAction, Flashes};
use crate::ui::sync::SyncCtl;

#[component]
pub fn Flashbar() -> impl IntoView {
    let flashes = expect_context::<Flashes>();
    let sync = use_context::<SyncCtl>();
    let undo = use_context::<crate::ui::undo::UndoCtl>();
    let update = use_context::<crate::ui::update::UpdateCtl>();
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
                            }.into_any(),
                            FlashAction::ConfirmMassDeletion => view! {
                                <span class="flash-actions">
                                    <button class="button flash-action" id="confirm-deletions" on:click=move |_| {
                                        flashes.dismiss(id);
                                        if let Some(ctl) = sync {
                                            ctl.sync_allowing_deletions();
                                        }
                                    }>"Delete them here too"</button>
                                    <button class="button button-primary flash-action" id="keep-groups" on:click=move |_| {
                                        flashes.dismiss(id);
                                        if let Some(ctl) = sync {
                                            leptos::task::spawn_local(async move {
                                                let _ = ctl.turn_off().await;
                                            });
                                        }
                                    }>"Keep them here and stop syncing"</button>
                                </span>
                            }.into_any(),
                            FlashAction::SwitchAccount => view! {
                                <span class="flash-actions">
                                    <button class="button flash-action" id="switch-account" on:click=move |_| {
                                        flashes.dismiss(id);
                                        if let Some(ctl) = sync {
                                            ctl.switch_account();
                                        }
                                    }>"Switch account (start fresh here)"</button>
                                    <button class="button button-primary flash-action" id="cancel-switch" on:click=move |_| {
                                        flashes.dismiss(id);
                                        if let Some(ctl) = sync {
                                            ctl.sign_out();
                                        }
                                    }>"Cancel"</button>
                                </span>
                            }.into_any(),
                            FlashAction::Undo => view! {
                                <button class="button flash-action flash-undo" on:click=move |_| {
                                    if let Some(u) = undo {
                                        u.undo();
                                    }
                                }>"Undo"</button>
                            }.into_any(),
                            FlashAction::ApplyUpdate => view! {
                                <button class="button button-primary flash-action" id="apply-update" on:click=move |_| {
                                    if let Some(u) = update {
                                        u.apply();
                                    }
                                }>"Reload"</button>
                            }.into_any(),
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
