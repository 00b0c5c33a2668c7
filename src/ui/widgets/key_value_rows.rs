//! Editable rows of two text fields (tags: key and value; tag filters: key and values), with
//! add and remove buttons and per-row errors. The rows and what an edit does to them are the
//! form's ([`crate::view::group_form::Rows`]); this renders them and sends the edits back.

use leptos::prelude::*;

use super::Highlight;
use crate::view::group_form::{RowEdit, RowMarks, RowMessages, Rows};

/// One row, as the form holds it.
pub use crate::view::group_form::Row;

/// Highlight ranges of one row: (key, value).
pub type RowRanges = RowMarks;

/// A filter row's values: its chips and the value being typed ([`Row::values`]).
pub fn row_values(row: &Row) -> Vec<String> {
    row.values()
}

#[component]
pub fn KeyValueRows(
    /// Prefix for element ids (`tag`, `filter`): `{prefix}-key-{id}`, `{prefix}-value-{id}`,
    /// and `{prefix}-add` for the Add button.
    #[prop(into)]
    id_prefix: String,
    #[prop(into)] key_label: String,
    #[prop(into)] value_label: String,
    #[prop(into)] add_label: String,
    /// The rows (a memo of the form's rows, so typing elsewhere does not touch them).
    #[prop(into)]
    rows: Signal<Rows>,
    /// Receives every edit of the rows.
    on_edit: Callback<RowEdit>,
    /// The error of a row's key and value, by position.
    #[prop(into)]
    row_errors: Signal<Vec<RowMessages>>,
    /// Values as chips (tag filter values): each value becomes a removable chip.
    #[prop(optional)]
    chips: bool,
    /// Byte ranges to highlight in each row's key and value (guard findings).
    #[prop(optional, into)]
    row_ranges: Option<Signal<Vec<RowRanges>>>,
    /// Called when a field loses focus.
    #[prop(into)]
    on_blur: Callback<()>,
) -> impl IntoView {
    // Suggestions (a datalist) from the inventory's keys and values, where the app provides
    // its data; the value list of a row follows that row's key.
    // Value fields also ask the backend for the values of their key (`GetTagValues`) when
    // they get the focus, with sync on.
    let app = use_context::<crate::ui::data::AppData>();
    let vocabulary = app.map(|d| d.vocabulary);
    let sync = use_context::<crate::ui::sync::SyncCtl>();
    let keys_list = format!("{id_prefix}-key-suggestions");
    let prefix = StoredValue::new(id_prefix);
    let (key_label, value_label) = (StoredValue::new(key_label), StoredValue::new(value_label));
    // Keyed by position and id: a row keeps its elements (and the focus) while it is edited,
    // and rows after a removed one are renumbered.
    let indexed_rows = move || -> Vec<(usize, u32)> {
        rows.with(|r| r.as_slice().iter().map(|r| r.id).enumerate().collect())
    };
    let key_options = move || {
        vocabulary.map(|v| {
            v.with(|v| {
                v.keys()
                    .iter()
                    .map(|k| view! { <option value=k.clone() /> })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="kv-rows">
            <datalist id=keys_list.clone()>{key_options}</datalist>
            <For
                each=indexed_rows
                key=|key| *key
                children=move |(i, id)| {
                    let key_id = format!("{}-key-{id}", prefix.get_value());
                    let value_id = format!("{}-value-{id}", prefix.get_value());
                    let text = move |pick: fn(&Row) -> &String| {
                        Signal::derive(move || rows.with(|r| r.as_slice().get(i).map(|r| pick(r).clone()).unwrap_or_default()))
                    };
                    let (key, value) = (text(|r| &r.key), text(|r| &r.value));
                    let key_err = move || row_errors.with(|e| e.get(i).and_then(|(k, _)| k.clone()));
                    let values_list = format!("{}-value-suggestions-{id}", prefix.get_value());
                    let value_options = move || {
                        app.map(|d| {
                            let k = key.get();
                            d.suggested_values(&k).into_iter().map(|x| view! { <option value=x /> }).collect_view()
                        })
                    };
                    let fetch_values = move || {
                        if let Some(ctl) = sync {
                            ctl.fetch_tag_values(&key.get_untracked());
                        }
                    };
                    let value_err = move || row_errors.with(|e| e.get(i).and_then(|(_, v)| v.clone()));
                    view! {
                        <div class="kv-row">
                            <div class="kv-cell">
                                <label class="form-label" for=key_id.clone()>{format!("{} {}", key_label.get_value(), i + 1)}</label>
                                <div class="field-wrap">
                                {row_ranges.map(|r| view! { <Highlight value=key ranges=Signal::derive(move || r.with(|r| r.get(i).map(|x| x.0.clone()).unwrap_or_default())) /> })}
                                <input
                                    id=key_id
                                    class="input input-over"
                                    type="text"
                                    autocomplete="off"
                                    list=vocabulary.map(|_| keys_list.clone())
                                    on:focus=move |_| { if let Some(ctl) = sync { ctl.fetch_tag_keys(); } }
                                    aria-invalid=move || key_err().is_some().to_string()
                                    prop:value=move || key.get()
                                    on:input=move |ev| on_edit.run(RowEdit::Key(id, event_target_value(&ev)))
                                    on:blur=move |_| on_blur.run(())
                                />
                                </div>
                                {move || key_err().map(|e| view! { <p class="form-error">{e}</p> })}
                            </div>
                            <div class="kv-cell">
                                <label class="form-label" for=value_id.clone()>{format!("{} {}", value_label.get_value(), i + 1)}</label>
                                {if chips {
                                    view! {
                                        <datalist id=values_list.clone()>{value_options}</datalist>
                                        <ChipsField rows=rows i=i id=id element_id=value_id invalid=Signal::derive(move || value_err().is_some()) on_edit=on_edit on_blur=on_blur
                                            list=vocabulary.map(|_| values_list.clone()) on_focus=Callback::new(move |()| fetch_values()) />
                                    }.into_any()
                                } else {
                                    view! {
                                        <div class="field-wrap">
                                        {row_ranges.map(|r| view! { <Highlight value=value ranges=Signal::derive(move || r.with(|r| r.get(i).map(|x| x.1.clone()).unwrap_or_default())) /> })}
                                        <datalist id=values_list.clone()>{value_options}</datalist>
                                        <input
                                            id=value_id
                                            class="input input-over"
                                            type="text"
                                            autocomplete="off"
                                            list=vocabulary.map(|_| values_list.clone())
                                            aria-invalid=move || value_err().is_some().to_string()
                                            prop:value=move || value.get()
                                            on:focus=move |_| fetch_values()
                                            on:input=move |ev| on_edit.run(RowEdit::Value(id, event_target_value(&ev)))
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
                                on:click=move |_| on_edit.run(RowEdit::Remove(id))
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                }
            />
            <button
                type="button"
                id=format!("{}-add", prefix.get_value())
                class="button button-normal"
                disabled=move || !rows.with(Rows::can_add)
                on:click=move |_| on_edit.run(RowEdit::Add)
            >
                {add_label}
            </button>
            <p class="form-constraint">{move || format!("You can add {} more.", rows.with(Rows::remaining))}</p>
        </div>
    }
}

/// Values of a row as chips, with an input for the next one.
#[component]
fn ChipsField(
    rows: Signal<Rows>,
    /// The row's position and id.
    i: usize,
    id: u32,
    element_id: String,
    #[prop(into)] invalid: Signal<bool>,
    on_edit: Callback<RowEdit>,
    on_blur: Callback<()>,
    /// The id of the datalist of suggested values, if any.
    list: Option<String>,
    on_focus: Callback<()>,
) -> impl IntoView {
    let row = move |f: fn(&Row) -> Vec<String>| {
        rows.with(|r| r.as_slice().get(i).map(f).unwrap_or_default())
    };
    let draft = move || {
        rows.with(|r| {
            r.as_slice()
                .get(i)
                .map(|r| r.draft.clone())
                .unwrap_or_default()
        })
    };
    let hint_id = format!("{element_id}-hint");
    view! {
        <div class="chips-input" class:chips-invalid=move || invalid.get()>
            {move || row(Row::chips).into_iter().map(|v| {
                let v2 = v.clone();
                view! {
                    <span class="chip">
                        {v.clone()}
                        <button type="button" class="chip-remove" aria-label=format!("Remove value {v}") on:click=move |_| on_edit.run(RowEdit::RemoveChip(id, v2.clone()))>"×"</button>
                    </span>
                }
            }).collect_view()}
            <input
                id=element_id
                class="chips-field"
                type="text"
                autocomplete="off"
                aria-describedby=hint_id.clone()
                aria-invalid=move || invalid.get().to_string()
                list=list
                prop:value=draft
                on:focus=move |_| on_focus.run(())
                on:input=move |ev| on_edit.run(RowEdit::Typing(id, event_target_value(&ev)))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        on_edit.run(RowEdit::Commit(id));
                    } else if ev.key() == "Backspace" {
                        on_edit.run(RowEdit::Backspace(id));
                    }
                }
                on:blur=move |_| {
                    on_edit.run(RowEdit::Commit(id));
                    on_blur.run(());
                }
            />
        </div>
        <p class="form-constraint" id=hint_id>"Press Enter or type a comma after each value. No values: any value."</p>
    }
}
