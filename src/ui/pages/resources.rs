use leptos::prelude::*;

use super::PageHeader;

/// `/resources`: the inventory of resources that group queries are evaluated against.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Resources"
            description="The inventory of resources (ARN, type and tags) that group queries match against."
        />
        <section class="container empty-state" aria-labelledby="resources-empty">
            <h2 id="resources-empty">"No resources yet"</h2>
            <p>"Imported resources will be listed here."</p>
        </section>
    }
}
