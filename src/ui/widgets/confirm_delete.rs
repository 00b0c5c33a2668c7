//! The delete confirmation modal (Cloudscape): names what is deleted in bold, warns of the
//! consequences, and enables Delete only once the person typed "confirm". Escape or Cancel
//! closes it; focus moves into it on open and back to where it was on close.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The word to type.
pub const CONFIRM_WORD: &str = "confirm";

#[component]
pub fn ConfirmDelete(
    /// Whether the modal is open.
    open: RwSignal<bool>,
    /// The title, e.g. "Delete group".
    #[prop(into)]
    title: String,
    /// What is deleted, shown in bold ("web-prod", "3 groups").
    #[prop(into)]
    subject: Signal<String>,
    /// What happens, in one sentence.
    #[prop(into)]
    consequence: String,
    /// Called when the person confirms.
    on_confirm: Callback<()>,
    /// The verb of the question and of the button ("Delete", "Remove").
    #[prop(into, default = "Delete".into())]
    action: String,
) -> impl IntoView {
    let action = StoredValue::new(action);
    let typed = RwSignal::new(String::new());
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    // On open: remember the focused element, clear the field, focus it. On close: focus back.
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if is_open && was_open != Some(true) {
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            opener.set_value(active);
            typed.set(String::new());
            request_animation_frame(|| crate::ui::browser::focus_id("confirm-delete-input"));
        } else if !is_open && was_open == Some(true) {
            opener.with_value(|o| {
                if let Some(el) = o {
                    let _ = el.focus();
                }
            });
        }
        is_open
    });
    let close = move || open.set(false);
    // Escape closes wherever the focus is: focus moves into the dialog on the next frame, and a
    // key pressed before that must not be lost.
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            open.set(false);
        }
    });
    on_cleanup(move || escape.remove());
    // Tab and Shift+Tab stay inside the dialog.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Tab" {
            return;
        }
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(list) = doc.query_selector_all(".modal input, .modal button:not([disabled])") else {
            return;
        };
        let items: Vec<web_sys::HtmlElement> = (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into().ok())
            .collect();
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = doc.active_element();
        let is = |el: &web_sys::HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
        };
        if ev.shift_key() && is(first) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && is(last) {
            ev.prevent_default();
            let _ = first.focus();
        }
    };
    let title = StoredValue::new(title);
    let consequence = StoredValue::new(consequence);
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:click=move |_| close()></div>
            <div
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="confirm-delete-title"
                on:keydown=on_keydown
            >
                <h2 id="confirm-delete-title">{title.get_value()}</h2>
                <p>{action.get_value()} " " <strong class="cell-name">{move || subject.get()}</strong> "?"</p>
                <div class="alert alert-warning">{consequence.get_value()}</div>
                <div class="form-field">
                    <label class="form-label" for="confirm-delete-input">
                        {format!("To avoid accidental deletions, type \u{201c}{CONFIRM_WORD}\u{201d} in the field.")}
                    </label>
                    <input
                        id="confirm-delete-input"
                        class="input"
                        type="text"
                        autocomplete="off"
                        placeholder=CONFIRM_WORD
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Enter" && typed.get_untracked() == CONFIRM_WORD {
                                ev.prevent_default();
                                on_confirm.run(());
                                close();
                            }
                        }
                    />
                </div>
                <div class="form-actions">
                    <button type="button" class="button button-normal" on:click=move |_| close()>"Cancel"</button>
                    <button
                        type="button"
                        class="button button-danger"
                        disabled=move || typed.get() != CONFIRM_WORD
                        on:click=move |_| {
                            on_confirm.run(());
                            close();
                        }
                    >
                        {action.get_value()}
                    </button>
                </div>
            </div>
        </Show>
    }
}
