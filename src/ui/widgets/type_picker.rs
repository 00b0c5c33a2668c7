//! Choosing resource types: "All supported resource types", or up to 20 types picked from a
//! searchable list (common types plus those in the inventory), shown as removable chips.

use leptos::prelude::*;

use crate::model::limits::RESOURCE_TYPES_MAX;
use crate::model::query::{is_resource_type, ALL_SUPPORTED};
use crate::model::resource_types::COMMON;

#[component]
pub fn TypePicker(
    /// The chosen types (`[AWS::AllSupported]` for all).
    selected: RwSignal<Vec<String>>,
    /// Types seen in the inventory, offered too.
    #[prop(into)]
    known: Signal<Vec<String>>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let all = move || selected.with(|s| s.iter().any(|t| t == ALL_SUPPORTED));
    let options = move || {
        let q = search.get().trim().to_lowercase();
        let mut list: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
        list.extend(known.get());
        crate::sort::sort(&mut list);
        list.dedup();
        list.retain(|t| q.is_empty() || t.to_lowercase().contains(&q));
        list
    };
    let toggle = move |t: String, on: bool| {
        selected.update(|s| {
            s.retain(|x| x != ALL_SUPPORTED);
            if on {
                if !s.contains(&t) && s.len() < RESOURCE_TYPES_MAX {
                    s.push(t);
                }
            } else {
                s.retain(|x| *x != t);
            }
        })
    };
    let custom = move || {
        let q = search.get().trim().to_owned();
        (is_resource_type(&q) && q != ALL_SUPPORTED && !options().contains(&q)).then_some(q)
    };
    view! {
        <fieldset class="type-picker" aria-describedby="types-error">
            <legend class="form-label">"Resource types"</legend>
            <label class="checkbox">
                <input type="checkbox" prop:checked=all
                    on:change=move |ev| selected.set(if event_target_checked(&ev) { vec![ALL_SUPPORTED.to_owned()] } else { Vec::new() }) />
                " All supported resource types"
            </label>
            {move || (!all()).then(|| view! {
                <div class="chips" aria-label="Chosen resource types" role="list">
                    {move || selected.get().into_iter().map(|t| {
                        let t2 = t.clone();
                        view! {
                            <span class="chip" role="listitem">
                                {t.clone()}
                                <button type="button" class="chip-remove" aria-label=format!("Remove {t}") on:click=move |_| toggle(t2.clone(), false)>"×"</button>
                            </span>
                        }
                    }).collect_view()}
                </div>
                <label class="form-label" for="type-search">"Search resource types"</label>
                <input id="type-search" class="input" type="search" autocomplete="off" placeholder="e.g. EC2 or Bucket"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                <p class="form-constraint">{move || format!("{} of {RESOURCE_TYPES_MAX} chosen.", selected.with(Vec::len))}</p>
                <div class="type-options">
                    {move || options().into_iter().map(|t| {
                        let checked = { let t = t.clone(); move || selected.with(|s| s.contains(&t)) };
                        let disabled = { let c = checked.clone(); move || !c() && selected.with(|s| s.len() >= RESOURCE_TYPES_MAX) };
                        let t2 = t.clone();
                        view! {
                            <label class="checkbox type-option">
                                <input type="checkbox" prop:checked=checked disabled=disabled
                                    on:change=move |ev| toggle(t2.clone(), event_target_checked(&ev)) />
                                {format!(" {t}")}
                            </label>
                        }
                    }).collect_view()}
                    {move || custom().map(|t| {
                        let t2 = t.clone();
                        view! { <button type="button" class="button button-normal" on:click=move |_| { toggle(t2.clone(), true); search.set(String::new()); }>{format!("Add {t}")}</button> }
                    })}
                </div>
            })}
            <div id="types-error">{move || error.get().map(|e| view! { <p class="form-error">{e}</p> })}</div>
        </fieldset>
    }
}
