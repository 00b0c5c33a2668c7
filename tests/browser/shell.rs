//! The app shell mounted in a real page: routes, navigation, breadcrumbs, notifications.

use std::time::Duration;

use group_console::ui::App;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::util::*;

fn mount() -> Mounted {
    mount_app(App)
}

fn crumbs() -> Vec<String> {
    query_all(".breadcrumbs li")
        .into_iter()
        .filter_map(|li| li.text_content())
        .map(|t| t.trim().to_owned())
        .collect()
}

#[wasm_bindgen_test]
async fn the_root_redirects_to_groups() {
    set_path("/");
    let _app = mount();
    wait_for_heading("Groups").await;
    assert_eq!(path(), "/groups");
    assert_eq!(crumbs(), ["Group Console", "Groups"]);
    assert_eq!(document().title(), "Groups · Group Console");
}

#[wasm_bindgen_test]
async fn side_navigation_moves_between_sections() {
    set_path("/groups");
    let _app = mount();
    wait_for_heading("Groups").await;

    let labels: Vec<String> = query_all("#side-nav a")
        .iter()
        .filter_map(|a| a.text_content())
        .collect();
    assert_eq!(
        labels,
        [
            "Groups",
            "Resources",
            "Activity",
            "Data protection",
            "Recently deleted",
            "Settings"
        ]
    );

    for (label, url) in [
        ("Resources", "/resources"),
        ("Activity", "/activity"),
        ("Data protection", "/data-protection"),
        ("Recently deleted", "/recently-deleted"),
        ("Settings", "/settings"),
    ] {
        click_text("#side-nav a", label);
        wait_for_heading(label).await;
        assert_eq!(path(), url);
        // Exactly the current section is marked as the current page.
        let current: Vec<String> = query_all("#side-nav a[aria-current=page]")
            .iter()
            .filter_map(|a| a.text_content())
            .collect();
        assert_eq!(current, [label]);
        assert_eq!(crumbs(), ["Group Console", label]);
    }

    // The first breadcrumb leads back to Groups.
    click(".breadcrumbs a");
    wait_for_heading("Groups").await;
}

#[wasm_bindgen_test]
async fn unknown_paths_show_page_not_found() {
    set_path("/no/such/page");
    let _app = mount();
    wait_for_heading("Page not found").await;
    assert_eq!(text("code.path").as_deref(), Some("/no/such/page"));
    assert_eq!(crumbs(), ["Group Console", "Page not found"]);
    // The way out works.
    click_text("a", "Go to Groups");
    wait_for_heading("Groups").await;
}

#[wasm_bindgen_test]
async fn the_navigation_collapses_and_remembers_it() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("gc.nav").unwrap();
    set_path("/groups");
    let app = mount();
    wait_for_heading("Groups").await;

    let toggle = ".nav-toggle";
    assert_eq!(
        query(toggle)
            .unwrap()
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
    assert!(!query("#side-nav").unwrap().has_attribute("hidden"));

    click(toggle);
    wait_for("navigation hidden", Duration::from_secs(2), || {
        query("#side-nav")
            .unwrap()
            .has_attribute("hidden")
            .then_some(())
    })
    .await;
    assert_eq!(
        query(toggle)
            .unwrap()
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("false")
    );
    assert_eq!(
        query(toggle)
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("Open navigation")
    );
    assert_eq!(
        storage.get_item("gc.nav").unwrap().as_deref(),
        Some("closed")
    );

    // A new visit starts with the navigation closed.
    drop(app);
    let _app = mount();
    wait_for_heading("Groups").await;
    assert!(query("#side-nav").unwrap().has_attribute("hidden"));
    click(toggle);
    wait_for("navigation shown", Duration::from_secs(2), || {
        (!query("#side-nav").unwrap().has_attribute("hidden")).then_some(())
    })
    .await;
    assert_eq!(storage.get_item("gc.nav").unwrap().as_deref(), Some("open"));
}

#[wasm_bindgen_test]
async fn the_local_mode_notice_can_be_dismissed_for_good() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("gc.notice.local-mode").unwrap();
    set_path("/groups");
    let app = mount();
    wait_for_heading("Groups").await;

    let flashes = query_all(".flashbar .flash");
    assert_eq!(flashes.len(), 1);
    assert_eq!(flashes[0].get_attribute("role").as_deref(), Some("status"));
    assert!(text(".flash-header").unwrap().contains("Local mode"));

    click(".flash-dismiss");
    wait_for("flash gone", Duration::from_secs(2), || {
        query(".flashbar .flash").is_none().then_some(())
    })
    .await;

    drop(app);
    let _app = mount();
    wait_for_heading("Groups").await;
    assert!(
        query(".flashbar .flash").is_none(),
        "a dismissed notice must stay dismissed"
    );
}

#[wasm_bindgen_test]
fn an_unexpected_error_is_announced_on_the_page() {
    group_console::ui::browser::show_fatal_error();
    group_console::ui::browser::show_fatal_error(); // only once
    let notices = query_all("#fatal-error");
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].get_attribute("role").as_deref(), Some("alert"));
    assert!(notices[0]
        .text_content()
        .unwrap()
        .contains("Reload the page"));
    notices[0].remove();
}
