use leptos::prelude::*;

use super::PageHeader;

/// `/activity`: the log of changes.
#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Activity"
            description="Every change to your groups, newest first. Descriptions never appear here."
        />
        <section class="container empty-state" aria-labelledby="activity-empty">
            <h2 id="activity-empty">"No activity yet"</h2>
            <p>"Changes you make will be recorded here."</p>
        </section>
    }
}
