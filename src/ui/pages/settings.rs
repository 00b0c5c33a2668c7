use leptos::prelude::*;

use super::PageHeader;

/// `/settings`: storage mode, data management and privacy.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <PageHeader title="Settings" description="Where your data is kept and how it is protected." />
        <section class="container" aria-labelledby="storage-title">
            <h2 id="storage-title">"Storage"</h2>
            <p>
                "Local mode: your groups are kept in this browser on this device. "
                "Nothing is sent to any server."
            </p>
        </section>
    }
}
