//! The zero-match state of a filtered table: what happened and a "Clear filter" button.

use leptos::prelude::*;

#[component]
pub fn NoMatches(
    #[prop(into)] title: String,
    /// One line under the title, if any.
    #[prop(into, optional)]
    message: Option<String>,
    on_clear: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h3>{title}</h3>
            {message.map(|m| view! { <p>{m}</p> })}
            <button class="button button-normal" on:click=move |_| on_clear.run(())>"Clear filter"</button>
        </div>
    }
}
