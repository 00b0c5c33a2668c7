//! Previous/next page buttons with "Page n of m". The page shown is clamped to the last page,
//! so a shrinking list (a filter, a delete) never leaves the table on an empty page; the
//! table's state (see `view::table`) owns the page, this only asks for another.

use leptos::prelude::*;

#[component]
pub fn Pagination(
    /// The page index (0-based) the table shows.
    #[prop(into)]
    page: Signal<usize>,
    /// How many pages there are (at least 1).
    #[prop(into)]
    pages: Signal<usize>,
    /// Asks for another page.
    on_page: Callback<usize>,
) -> impl IntoView {
    let current = move || page.get().min(pages.get().max(1) - 1);
    let is_first = move || current() == 0;
    let is_last = move || current() + 1 >= pages.get();
    view! {
        <nav class="pagination" aria-label="Pages">
            <button class="button button-normal" disabled=is_first on:click=move |_| on_page.run(current().saturating_sub(1))>"Previous page"</button>
            <span>{move || format!("Page {} of {}", current() + 1, pages.get().max(1))}</span>
            <button class="button button-normal" disabled=is_last on:click=move |_| on_page.run(current() + 1)>"Next page"</button>
        </nav>
    }
}
