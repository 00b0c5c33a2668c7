//! Editable rows of two text fields (tags: key and value; tag filters: key and values), with
//! add and remove buttons and per-row errors.

use leptos::prelude::*;

use super::Highlight;

/// Highlight ranges of one row: (key, value).
pub type RowRanges = (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>);

/// One row; `id` stays stable while rows are added and removed.
#[derive(Clone, Copy)]
pub struct Row {
    pub id: u32,
    pub key: RwSignal<String>,
    pub value: RwSignal<String>,
    /// With chips: the value being typed, not yet a chip.
    pub draft: RwSignal<String>,
}

impl Row {
    pub fn new(id: u32, key: &str, value: &str) -> Self {
        Row {
            id,
            key: RwSignal::new(key.to_owned()),
            value: RwSignal::new(value.to_owned()),
            draft: RwSignal::new(String::new()),
        }
    }
}

#[component]
pub fn KeyValueRows(
    /// Prefix for element ids (`tag`, `filter`).
    #[prop(into)]
    id_prefix: String,
    #[prop(into)] key_label: String,
    #[prop(into)] value_label: String,
    #[prop(into)] add_label: String,
    rows: RwSignal<Vec<Row>>,
    /// The most rows allowed.
    max: usize,
    /// The error of a row's key and value, by position.
    #[prop(into)]
    row_errors: Signal<Vec<(Option<String>, Option<String>)>>,
    /// Values as chips (tag filter values): each value becomes a removable chip; `value` holds
    /// them separated by commas, `draft` what is being typed.
    #[prop(optional)]
    chips: bool,
    /// Byte ranges to highlight in each row's key and value (guard findings).
    #[prop(optional, into)]
    row_ranges: Option<Signal<Vec<RowRanges>>>,
    /// Called when a field loses focus.
    #[prop(into)]
    on_blur: Callback<()>,
) -> impl IntoView {
    let next_id = StoredValue::new(1000u32);
    let add = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        rows.update(|r| r.push(Row::new(id, "", "")));
    };
    let prefix = StoredValue::new(id_prefix);
    let (key_label, value_label) = (StoredValue::new(key_label), StoredValue::new(value_label));
    let indexed_rows =
        move || -> Vec<(usize, Row)> { rows.get().into_iter().enumerate().collect() };
    view! {
        <div class="kv-rows">
            <For
                each=indexed_rows
                key=|(i, r)| (*i, r.id)
                children=move |(i, row)| {
                    let key_id = format!("{}-key-{}", prefix.get_value(), row.id);
                    let value_id = format!("{}-value-{}", prefix.get_value(), row.id);
                    let key_err = move || row_errors.with(|e| e.get(i).and_then(|(k, _)| k.clone()));
                    let value_err = move || row_errors.with(|e| e.get(i).and_then(|(_, v)| v.clone()));
                    view! {
                        <div class="kv-row">
                            <div class="kv-cell">
                                <label class="form-label" for=key_id.clone()>{format!("{} {}", key_label.get_value(), i + 1)}</label>
                                <div class="field-wrap">
                                {row_ranges.map(|r| view! { <Highlight value=row.key ranges=Signal::derive(move || r.with(|r| r.get(i).map(|x| x.0.clone()).unwrap_or_default())) /> })}
                                <input
                                    id=key_id
                                    class="input input-over"
                                    type="text"
                                    autocomplete="off"
                                    aria-invalid=move || key_err().is_some().to_string()
                                    prop:value=move || row.key.get()
                                    on:input=move |ev| row.key.set(event_target_value(&ev))
                                    on:blur=move |_| on_blur.run(())
                                />
                                </div>
                                {move || key_err().map(|e| view! { <p class="form-error">{e}</p> })}
                            </div>
                            <div class="kv-cell">
                                <label class="form-label" for=value_id.clone()>{format!("{} {}", value_label.get_value(), i + 1)}</label>
                                {if chips {
                                    view! { <ChipsField row=row id=value_id invalid=Signal::derive(move || value_err().is_some()) on_blur=on_blur /> }.into_any()
                                } else {
                                    view! {
                                        <div class="field-wrap">
                                        {row_ranges.map(|r| view! { <Highlight value=row.value ranges=Signal::derive(move || r.with(|r| r.get(i).map(|x| x.1.clone()).unwrap_or_default())) /> })}
                                        <input
                                            id=value_id
                                            class="input input-over"
                                            type="text"
                                            autocomplete="off"
                                            aria-invalid=move || value_err().is_some().to_string()
                                            prop:value=move || row.value.get()
                                            on:input=move |ev| row.value.set(event_target_value(&ev))
                                            on:blur=move |_| on_blur.run(())
                                        />
                                        </div>
                                    }.into_any()
                                }}
                                {move || value_err().map(|e| view! { <p class="form-error">{e}</p> })}
                            </div>
                            <button
                                type="button"
                                class="button button-normal kv-remove"
                                aria-label=format!("Remove row {}", i + 1)
                                on:click=move |_| rows.update(|r| r.retain(|x| x.id != row.id))
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                }
            />
            <button
                type="button"
                class="button button-normal"
                disabled=move || rows.with(|r| r.len() >= max)
                on:click=add
            >
                {add_label}
            </button>
            <p class="form-constraint">{move || format!("You can add {} more.", max.saturating_sub(rows.with(Vec::len)))}</p>
        </div>
    }
}

/// Values of a row as chips, with an input for the next one.
pub fn row_values(row: &Row) -> Vec<String> {
    let mut values = crate::display::split_list(&row.value.get());
    let draft = row.draft.get();
    if !draft.trim().is_empty() {
        values.push(draft.trim().to_owned());
    }
    values
}

#[component]
fn ChipsField(
    row: Row,
    id: String,
    #[prop(into)] invalid: Signal<bool>,
    on_blur: Callback<()>,
) -> impl IntoView {
    let commit = move || {
        let d = row.draft.get_untracked();
        let mut values = crate::display::split_list(&row.value.get_untracked());
        for part in d.split(',') {
            let v = part.trim();
            if !v.is_empty() && !values.iter().any(|x| x == v) {
                values.push(v.to_owned());
            }
        }
        row.value.set(values.join(", "));
        row.draft.set(String::new());
    };
    let remove = move |v: String| {
        let values: Vec<String> = crate::display::split_list(&row.value.get_untracked())
            .into_iter()
            .filter(|x| *x != v)
            .collect();
        row.value.set(values.join(", "));
    };
    let hint_id = format!("{id}-hint");
    view! {
        <div class="chips-input" class:chips-invalid=move || invalid.get()>
            {move || crate::display::split_list(&row.value.get()).into_iter().map(|v| {
                let v2 = v.clone();
                view! {
                    <span class="chip">
                        {v.clone()}
                        <button type="button" class="chip-remove" aria-label=format!("Remove value {v}") on:click=move |_| remove(v2.clone())>"×"</button>
                    </span>
                }
            }).collect_view()}
            <input
                id=id
                class="chips-field"
                type="text"
                autocomplete="off"
                aria-describedby=hint_id.clone()
                aria-invalid=move || invalid.get().to_string()
                prop:value=move || row.draft.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    if let Some((done, rest)) = text.rsplit_once(',') {
                        row.draft.set(done.to_owned());
                        commit();
                        row.draft.set(rest.trim_start().to_owned());
                    } else {
                        row.draft.set(text);
                    }
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        commit();
                    } else if ev.key() == "Backspace" && row.draft.with_untracked(String::is_empty) {
                        if let Some(last) = crate::display::split_list(&row.value.get_untracked()).pop() {
                            remove(last);
                        }
                    }
                }
                on:blur=move |_| {
                    commit();
                    on_blur.run(());
                }
            />
        </div>
        <p class="form-constraint" id=hint_id>"Press Enter or type a comma after each value. No values: any value."</p>
    }
}
