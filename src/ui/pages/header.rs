//! The page header: the focusable `<h1>` and a one-line description.

use leptos::prelude::*;

#[component]
pub fn PageHeader(
    /// The page title.
    #[prop(into)]
    title: String,
    /// What the page is for, in one sentence.
    #[prop(into)]
    description: String,
) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1 id="page-title" tabindex="-1">{title}</h1>
            <p class="page-description">{description}</p>
        </header>
    }
}
