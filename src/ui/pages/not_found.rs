use leptos::prelude::*;
use leptos_router::components::A;

use super::PageHeader;
use crate::ui::links::{href, use_app_path};

/// Shown for any path that matches no route.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let path = use_app_path();
    view! {
        <PageHeader title="Page not found" description="There is no page at this address." />
        <section class="container">
            <p>
                "Nothing lives at "
                <code class="path">{move || path.get()}</code>
                ". Check the address, or go back to the list of groups."
            </p>
            <p><A href=href("/groups") attr:class="button button-primary">"Go to Groups"</A></p>
        </section>
    }
}
