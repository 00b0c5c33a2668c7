//! The top bar: navigation toggle and product name.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::nav::PRODUCT;
use crate::store::vault::VaultStatus;
use crate::ui::audit::AuditCtl;
use crate::ui::data::AppData;
use crate::ui::links::href;
use crate::ui::sync::SyncCtl;

#[component]
pub fn TopBar(nav_open: RwSignal<bool>) -> impl IntoView {
    let sync = expect_context::<SyncCtl>();
    let data = expect_context::<AppData>();
    let audit = expect_context::<AuditCtl>();
    // The audit's count, when there is something to fix.
    let findings = move || {
        audit
            .report
            .with(|r| r.as_ref().map_or(0, |r| r.findings.len()))
    };
    // Local, or sync with its state at a glance (the details are in Settings).
    let badge = move || {
        sync.view.with(|v| {
            if !v.enabled {
                (
                    "Local".to_owned(),
                    "Data is kept in this browser only".to_owned(),
                )
            } else if v.running || v.other_tab.is_some() {
                let text = match v.progress {
                    Some(p) if p.total > 0 => format!("Syncing {}/{}", p.done, p.total),
                    _ => "Syncing…".to_owned(),
                };
                (text, "Sync is running".to_owned())
            } else if v.last_error.is_some() {
                (
                    "Sync failed".to_owned(),
                    "The last sync failed: see Settings".to_owned(),
                )
            } else if !v.conflicts.is_empty() {
                (
                    "Conflicts".to_owned(),
                    format!("{} group(s) in conflict", v.conflicts.len()),
                )
            } else if !v.pending.is_empty() {
                (
                    "Sync pending".to_owned(),
                    format!("{} group(s) with changes to send", v.pending.len()),
                )
            } else {
                ("Synced".to_owned(), "Sync is on".to_owned())
            }
        })
    };
    view! {
        <header class="top-bar">
            <button
                class="icon-button nav-toggle"
                aria-controls="side-nav"
                aria-expanded=move || nav_open.get().to_string()
                aria-label=move || if nav_open.get() { "Close navigation" } else { "Open navigation" }
                on:click=move |_| nav_open.update(|open| *open = !*open)
            >
                <span class="burger" aria-hidden="true"></span>
            </button>
            <A href=href("/groups") attr:class="product-name">
                <img class="product-logo" src="favicon.svg" alt="" width="24" height="24" />
                {PRODUCT}
            </A>
            {move || sync.view.with(|v| v.enabled.then(|| v.account_tail.clone()).flatten()).map(|tail| view! {
                <span class="account-badge" id="account-badge" title="The AWS account this data is synced with (last four digits)">
                    "Account \u{2026}"{tail}
                </span>
            })}
            {move || (data.vault.get() == VaultStatus::Unlocked).then(|| view! {
                <button type="button" class="button lock-now" id="lock-now"
                    title="Lock every tab of Group Console: the passphrase is asked again"
                    on:click=move |_| crate::ui::pages::encryption::lock_now(data)>
                    "Lock now"
                </button>
            })}
            {move || (findings() > 0).then(|| {
                let n = findings();
                view! {
                    <A href=href("/data-protection") attr:class="audit-badge" attr:id="audit-badge"
                        attr:title="What the data-protection audit found: see Data protection">
                        {format!("{n} data-protection finding{}", if n == 1 { "" } else { "s" })}
                    </A>
                }
            })}
            <A href=href("/settings") attr:class="mode-badge" attr:title=move || badge().1 attr:id="mode-badge">{move || badge().0}</A>
        </header>
    }
}
