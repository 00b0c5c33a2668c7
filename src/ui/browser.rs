//! Small, failure-tolerant wrappers around browser APIs used by the shell.
//!
//! Every function here copes with the API being unavailable (storage blocked by the browser,
//! no document in a worker): it then does nothing or returns `None`.

use wasm_bindgen::JsCast;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The raw `href` of the page's `<base>` element, written at build time.
pub fn base_href() -> Option<String> {
    document()?
        .query_selector("base")
        .ok()??
        .get_attribute("href")
}

/// The router base derived from `<base href>` (`""` at the site root, `/console` under a sub-path).
pub fn router_base() -> String {
    base_href()
        .map(|href| crate::nav::router_base(&href))
        .unwrap_or_default()
}

/// Removes the static "Loading Group Console…" text that `index.html` shows until we start.
pub fn remove_boot_placeholder() {
    if let Some(el) = document().and_then(|d| d.get_element_by_id("boot")) {
        el.remove();
    }
}

/// Sets the document title.
pub fn set_title(title: &str) {
    if let Some(doc) = document() {
        doc.set_title(title);
    }
}

/// Moves keyboard focus to the element with this id, if it exists and can take focus.
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A remembered UI preference (never data, never secrets).
pub fn pref(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

/// Remembers a UI preference; silently does nothing where storage is blocked.
pub fn set_pref(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Whether the viewport is narrow (phone-sized), where the navigation starts closed.
pub fn is_narrow_viewport() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 688px)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}
