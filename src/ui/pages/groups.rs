use leptos::prelude::*;

use super::PageHeader;

/// `/groups`: the table of resource groups.
#[component]
pub fn GroupsPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Groups"
            description="Resource groups collect the resources that share tags or a CloudFormation stack."
        />
        <section class="container empty-state" aria-labelledby="groups-empty">
            <h2 id="groups-empty">"No groups yet"</h2>
            <p>"The groups you create will be listed here. They are kept in this browser."</p>
        </section>
    }
}
