//! The top bar: navigation toggle and product name.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::nav::PRODUCT;
use crate::ui::links::href;

#[component]
pub fn TopBar(nav_open: RwSignal<bool>) -> impl IntoView {
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
            <span class="mode-badge" title="Data is kept in this browser only">"Local"</span>
        </header>
    }
}
