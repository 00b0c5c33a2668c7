//! Where an import comes from: a file to choose or text to paste, and the "Preview import"
//! button. The page decides what a preview is.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::ui::browser;
use crate::ui::flash::{FlashKind, Flashes};

#[component]
pub fn ImportSource(
    /// Ids `{id}-file` and `{id}-text`.
    #[prop(into)]
    id: String,
    /// The file chooser's `accept`.
    #[prop(into)]
    accept: String,
    /// The label of the paste box ("Or paste JSON").
    #[prop(into)]
    paste_label: String,
    /// The text to import (typed, pasted or read from the file).
    text: RwSignal<String>,
    /// After the text changed; `true` when it came from a file.
    on_change: Callback<bool>,
    on_preview: Callback<()>,
    /// The file chooser's label.
    #[prop(into, default = "Choose a file".into())]
    file_label: String,
    /// The button's label.
    #[prop(into, default = "Preview import".into())]
    preview_label: String,
) -> impl IntoView {
    let flashes = expect_context::<Flashes>();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match browser::read_chosen_file(&input).await {
                Some(Ok(t)) => {
                    text.set(t);
                    on_change.run(true);
                }
                Some(Err(e)) => {
                    flashes.push(FlashKind::Error, "The file could not be read", e);
                }
                None => {}
            }
        });
    };
    let file_id = format!("{id}-file");
    let text_id = format!("{id}-text");
    view! {
        <div class="form-field">
            <label class="form-label" for=file_id.clone()>{file_label}</label>
            <input id=file_id class="input" type="file" accept=accept on:change=on_file />
        </div>
        <div class="form-field">
            <label class="form-label" for=text_id.clone()>{paste_label}</label>
            <textarea id=text_id class="input textarea mono" rows="6" spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| { text.set(event_target_value(&ev)); on_change.run(false); }
            ></textarea>
        </div>
        <button class="button button-normal" disabled=move || text.with(|t| t.trim().is_empty())
            on:click=move |_| on_preview.run(())>{preview_label}</button>
    }
}
