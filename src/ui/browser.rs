//! Small, failure-tolerant wrappers around browser APIs used by the shell.
//!
//! Every function here copes with the API being unavailable (storage blocked by the browser,
//! no document in a worker): it then does nothing or returns `None`.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;

// An import of the global, not an inline snippet: every snippet is one more file that a first
// visit fetches (and that the browser tests' page server must serve at once, see
// scripts/wasm-test-runner.sh).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark, catch)]
    fn performance_mark(name: &str) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
}

/// A `performance.mark` named `name` (names only, never data): the UI benchmark reads these to
/// print where the time to a full groups table goes (`gc:groups`, `gc:resources-read`…).
/// Without the API (or with a name it refuses) nothing happens.
pub fn mark(name: &str) {
    let _ = performance_mark(name);
}

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

/// Whether the page's heading has focus (the shell put it there after a navigation).
pub fn page_title_has_focus() -> bool {
    document()
        .and_then(|d| d.active_element())
        .is_some_and(|el| el.id() == "page-title")
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

/// Puts `value` in the address bar as the query parameter `name` (removed when empty), in
/// place (no history entry per keystroke, no navigation): a reload or a copied link then
/// shows the same view. Other parameters are not kept (the pages using this have one).
pub fn replace_query_param(name: &str, value: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(path) = window.location().pathname() else {
        return;
    };
    let url = if value.is_empty() {
        path
    } else {
        format!("{path}?{name}={}", js_sys::encode_uri_component(value))
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Whether the viewport is narrow (phone-sized), where the navigation starts closed.
pub fn is_narrow_viewport() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 688px)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// Offers `text` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let doc = document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the file could not be made")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the file could not be offered")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "no link")?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.set_hidden(true);
    let body = doc.body().ok_or("no body")?;
    let _ = body.append_child(&a);
    a.click();
    a.remove();
    // The browser has taken the blob for the download by now.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads the first file chosen in an `<input type=file>`.
pub async fn read_chosen_file(input: &web_sys::HtmlInputElement) -> Option<Result<String, String>> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
    Some(
        text.map(|t| t.as_string().unwrap_or_default())
            .map_err(|_| "the file could not be read".to_owned()),
    )
}

/// Today's date as YYYY-MM-DD, for file names.
pub fn today() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    iso.chars().take(10).collect()
}

/// A time for tables, in the browser's locale.
pub fn format_time(ms: i64) -> String {
    if ms <= 0 {
        return "—".to_owned();
    }
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    String::from(d.to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED))
}

/// Lets the browser render and handle input before the caller goes on (a zero-delay timer).
/// Waits until the browser has painted the next frame: an animation frame (which runs just
/// before the paint), then a task (which runs after it). Background work that starts here
/// never delays what the person is waiting to see.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let then = wasm_bindgen::closure::Closure::once_into_js(move || {
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                        resolve.unchecked_ref(),
                        0,
                    );
                }
            });
            let _ = w.request_animation_frame(then.unchecked_ref());
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds (a timer; the page stays responsive).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Logs where an internal error (a panic) happened — the location only, see
/// [`crate::display::panic_report`] — and shows the notice.
pub fn report_panic(at: Option<(&str, u32, u32)>) {
    web_sys::console::error_1(&crate::display::panic_report(at).into());
    show_fatal_error();
}

/// Shows a plain notice after an unexpected internal error (a panic), on top of the page.
pub fn show_fatal_error() {
    let Some(doc) = document() else { return };
    if doc.get_element_by_id("fatal-error").is_some() {
        return;
    }
    let Ok(el) = doc.create_element("div") else {
        return;
    };
    el.set_id("fatal-error");
    el.set_class_name("fatal-error");
    let _ = el.set_attribute("role", "alert");
    el.set_text_content(Some(
        "Group Console hit an unexpected error and stopped. Reload the page to continue: everything you saved is still stored in this browser.",
    ));
    if let Some(body) = doc.body() {
        let _ = body.prepend_with_node_1(&el);
    }
}

/// Whether a keyboard event happened where typing belongs (a text field, a text area, a
/// select or editable content): there the browser's own shortcuts (its undo of typing) win.
pub fn event_in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    if el.is_content_editable() {
        return true;
    }
    match el.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => {
            let kind = el
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            !matches!(
                kind.as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "range" | "color"
            )
        }
        _ => false,
    }
}

/// Calls `object[method](...args)` (browser APIs the app reaches without a web-sys binding
/// of their own: the service worker, storage persistence, WebCrypto).
pub fn call_method(
    object: &wasm_bindgen::JsValue,
    method: &str,
    args: &[wasm_bindgen::JsValue],
) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let f: js_sys::Function = js_sys::Reflect::get(object, &method.into())?.dyn_into()?;
    let list: js_sys::Array = args.iter().collect();
    f.apply(object, &list)
}

/// `object[name]`, or `undefined`.
pub fn prop(object: &wasm_bindgen::JsValue, name: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(object, &name.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

/// Awaits `object[method](...args)` when it answers a promise.
pub async fn call_async(
    object: &wasm_bindgen::JsValue,
    method: &str,
    args: &[wasm_bindgen::JsValue],
) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
    let value = call_method(object, method, args)?;
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&value)).await
}

/// Reloads the page: how a tab locks (the whole page goes, and with it everything decrypted in
/// memory; it comes back to the lock screen), and how it follows a switch of encryption.
pub fn reload_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// A measured figure in the console (for benchmarks; never data).
pub fn log_figure(what: &str, value: f64) {
    web_sys::console::log_1(&format!("gc figure: {what} {value:.0}").into());
}
