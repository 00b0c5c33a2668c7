//! A form field in the Cloudscape manner: label, the control, constraint text under it, and an
//! error (or warning) that replaces nothing and is announced to screen readers.

use leptos::prelude::*;

#[component]
pub fn FormField(
    /// The id of the control the label belongs to.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    /// What is allowed, always shown.
    #[prop(into, optional)]
    constraint: Option<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A warning (does not block), if any.
    #[prop(into, optional)]
    warning: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let constraint_id = format!("{id}-constraint");
    let error_id = format!("{id}-error");
    let has_constraint = constraint.is_some();
    view! {
        <div class="form-field" class:form-field-invalid=move || error.with(Option::is_some)>
            <label class="form-label" for=id.clone()>{label}</label>
            {children()}
            {has_constraint.then(|| view! { <p class="form-constraint" id=constraint_id.clone()>{constraint.clone()}</p> })}
            <div id=error_id aria-live="polite">
                {move || error.get().map(|e| view! { <p class="form-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}
                {move || warning.and_then(|w| w.get()).map(|w| view! { <p class="form-warning"><span class="visually-hidden">"Warning: "</span>{w}</p> })}
            </div>
        </div>
    }
}
