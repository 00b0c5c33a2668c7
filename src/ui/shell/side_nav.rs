//! The collapsible side navigation; the current section is marked with `aria-current="page"`.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::nav::SECTIONS;
use crate::ui::links::href;

#[component]
pub fn SideNav(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <nav id="side-nav" class="side-nav" aria-label="Side navigation" hidden=move || !open.get()>
            <h2 class="side-nav-title">"Resource groups"</h2>
            <ul>
                {SECTIONS
                    .iter()
                    .map(|s| view! { <li><A href=href(s.path)>{s.label}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}
