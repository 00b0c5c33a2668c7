//! Marks the characters a guard finding is about, inside a text field: a mirror of the field's
//! text, behind the (transparent) input, with the offending ranges in `<mark>`. Hidden from
//! screen readers: the message under the field says what is wrong.

use std::ops::Range;

use leptos::prelude::*;

use crate::display::pieces;

/// The mirror; put it and the input inside an element with class `field-wrap`.
#[component]
pub fn Highlight(
    #[prop(into)] value: Signal<String>,
    #[prop(into)] ranges: Signal<Vec<Range<usize>>>,
) -> impl IntoView {
    view! {
        <div class="field-mirror" aria-hidden="true">
            {move || {
                let text = value.get();
                ranges.with(|r| pieces(&text, r))
                    .into_iter()
                    .map(|(s, marked)| if marked { view! { <mark>{s}</mark> }.into_any() } else { view! { <span>{s}</span> }.into_any() })
                    .collect_view()
            }}
        </div>
    }
}
