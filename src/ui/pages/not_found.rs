use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::PageHeader;

/// Shown for any path that matches no route.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let location = use_location();
    view! {
        <PageHeader title="Page not found" description="There is no page at this address." />
        <section class="container">
            <p>
                "Nothing lives at "
                <code class="path">{move || location.pathname.get()}</code>
                ". Check the address, or go back to the list of groups."
            </p>
            <p><A href="/groups" attr:class="button button-primary">"Go to Groups"</A></p>
        </section>
    }
}
