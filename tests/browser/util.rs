//! Helpers for browser tests: mounting the app, waiting for the DOM, reading it.

use std::time::Duration;

use group_console::model::{Group, ResourceQuery, TagFilter};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

pub fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Waits for `ms` milliseconds without blocking the browser.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Polls `check` every 10 ms until it returns `Some`, for at most `limit`.
pub async fn wait_for<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let rounds = (limit.as_millis() / 10).max(1);
    for _ in 0..rounds {
        if let Some(v) = check() {
            return v;
        }
        sleep(10).await;
    }
    panic!("timed out after {limit:?} waiting for {what}");
}

/// Sets the address bar path (as a deep link would) before the app is mounted.
pub fn set_path(path: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

pub fn path() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

/// A fresh, empty element to mount one app into.
pub fn fresh_container() -> HtmlElement {
    // The test runner keeps its own output elements in <body>: leave them alone and replace
    // only the app's container.
    let doc = document();
    if let Some(old) = doc.get_element_by_id("app-under-test") {
        old.remove();
    }
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    div.set_id("app-under-test");
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

pub fn query(selector: &str) -> Option<Element> {
    document().query_selector(selector).unwrap()
}

pub fn query_all(selector: &str) -> Vec<Element> {
    let list = document().query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn text(selector: &str) -> Option<String> {
    query(selector)
        .and_then(|e| e.text_content())
        .map(|t| t.trim().to_owned())
}

/// Waits until the page heading reads `title`.
pub async fn wait_for_heading(title: &str) {
    wait_for(
        &format!("heading {title:?}"),
        Duration::from_secs(3),
        || (text("h1#page-title").as_deref() == Some(title)).then_some(()),
    )
    .await;
}

pub fn click(selector: &str) {
    query(selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

/// Clicks the link or button whose text is `label`.
pub fn click_text(selector: &str, label: &str) {
    let el = query_all(selector)
        .into_iter()
        .find(|e| e.text_content().map(|t| t.trim() == label).unwrap_or(false))
        .unwrap_or_else(|| panic!("no {selector} reads {label:?}"));
    el.unchecked_into::<HtmlElement>().click();
}

/// An app mounted for one test. Dropping it unmounts the app and runs every cleanup of its
/// reactive owner, so window listeners (the router's click and popstate handlers) do not
/// outlive the test and intercept the next test's clicks.
pub struct Mounted {
    owner: Owner,
    handle: Option<Box<dyn std::any::Any>>,
}

pub fn mount_app<F, N>(f: F) -> Mounted
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let owner = Owner::new();
    let handle = owner.with(|| leptos::mount::mount_to(fresh_container(), f));
    Mounted {
        owner,
        handle: Some(Box::new(handle)),
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.take();
        self.owner.cleanup();
    }
}

/// A database name no other test uses.
pub fn fresh_name(prefix: &str) -> String {
    format!(
        "gc-test-{prefix}-{}-{}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e9) as u64
    )
}

/// A valid group with a private description and a tag.
pub fn group(name: &str) -> Group {
    let mut g = Group::new(
        name,
        ResourceQuery::tags(vec![TagFilter {
            key: "Stage".into(),
            values: vec!["Prod".into()],
        }]),
    );
    g.description = format!("confidential plans for {name}");
    g.tags.insert("Team".into(), "Platform".into());
    g
}
