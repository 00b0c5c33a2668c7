//! The app shell: top bar, collapsible side navigation, breadcrumbs, notifications and the
//! routed page content.

mod breadcrumbs;
mod flashbar;
mod side_nav;
mod storage_banner;
mod top_bar;

use leptos::prelude::*;

use crate::store::vault::VaultStatus;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use super::browser;
use super::data::{AppData, DB_NAME};
use super::flash::{FlashKind, Flashes};
use super::lazy::{preload_on_idle, Lazy, Part};
use super::links::{use_app_path, RouterBase};
use super::pages::{self, GroupsPage, NotFoundPage};
use breadcrumbs::Breadcrumbs;
use flashbar::Flashbar;
use side_nav::SideNav;
use storage_banner::StorageBanner;
use top_bar::TopBar;

/// Key under which the open/closed state of the side navigation is remembered.
const NAV_PREF: &str = "gc.nav";

/// The key of the one-time "local mode" notice.
pub const LOCAL_NOTICE: &str = "gc.notice.local-mode";

/// The whole app: router, shell and pages.
#[component]
pub fn App() -> impl IntoView {
    let flashes = Flashes::new();
    provide_context(flashes);
    flashes.push_once(
        LOCAL_NOTICE,
        FlashKind::Info,
        "Local mode",
        "Everything you create is kept in this browser on this device. Nothing is sent anywhere.",
    );

    let data = AppData::start(flashes, DB_NAME);
    provide_context(data);
    let sync = super::sync::SyncCtl::start(data, flashes);
    provide_context(sync);
    provide_context(super::audit::AuditCtl::start(data, sync, flashes));
    provide_context(super::undo::UndoCtl::start(data, flashes));
    super::undo::purge_when_loaded(data);
    super::pages::backup::remind_when_due(data, flashes);
    let update = super::update::UpdateCtl::start(flashes);
    provide_context(update);
    // Persistent storage is asked for after the first saved change (not on a first look).
    Effect::new(move |_| {
        if data.commits.get() > 0 {
            update.ask_persist();
        }
    });
    // A new version waits while changes are unsent: the notice says how many.
    Effect::new(move |_| update.set_pending(sync.view.with(|v| v.pending.len())));

    let base = browser::router_base();
    provide_context(RouterBase(base.clone()));

    // Encrypted data: the lock screen until this tab unlocks it, then the idle lock.
    let locked = Memo::new(move |_| {
        matches!(
            data.vault.get(),
            VaultStatus::Locked | VaultStatus::Damaged(_)
        )
    });
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || data.vault.get() != VaultStatus::Unlocked {
            return started.unwrap_or(false);
        }
        crate::ui::pages::encryption::start_idle_lock(data);
        true
    });

    view! {
        <Show when=move || !locked.get() fallback=|| view! { <Lazy part=&pages::LOCK_SCREEN title="Group Console is locked" /> }>
            <Router base=base.clone()>
                <Shell />
            </Router>
        </Show>
    }
}

/// The layout around every page.
#[component]
fn Shell() -> impl IntoView {
    let nav_open = RwSignal::new(match browser::pref(NAV_PREF).as_deref() {
        Some("open") => true,
        Some("closed") => false,
        _ => !browser::is_narrow_viewport(),
    });
    Effect::new(move |_| {
        browser::set_pref(NAV_PREF, if nav_open.get() { "open" } else { "closed" })
    });

    // Keep the document title in step with the page, and after a navigation move focus to the
    // new page's heading so keyboard and screen-reader users land on the content.
    let app_path = use_app_path();
    Effect::new(move |previous: Option<String>| {
        let path = app_path.get();
        browser::set_title(&crate::nav::page_title(&path));
        // Not after the redirect from "/" on the first load: nobody navigated yet.
        if previous.is_some_and(|p| p != path && p != "/") {
            request_animation_frame(|| browser::focus_id("page-title"));
        }
        path
    });

    // The pages people open next from the groups list, fetched while the browser is idle
    // after the first page is up, then the rest; the service worker caches them all.
    static NEXT: [&Part; 7] = [
        &pages::GROUP_DETAILS,
        &pages::CREATE_GROUP,
        &pages::RESOURCES,
        &pages::SETTINGS,
        &pages::DATA_PROTECTION,
        &pages::ACTIVITY,
        &pages::RECENTLY_DELETED,
    ];
    // Not before the stored groups are on screen: the first page comes first.
    let data = expect_context::<AppData>();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !data.loaded.get() {
            return done.unwrap_or(false);
        }
        // The write path first: any change needs it, whatever page it is made on.
        super::data::preload_writer();
        preload_on_idle(&NEXT);
        true
    });

    let skip_to_content = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        browser::focus_id("page-title");
    };

    view! {
        <button class="skip-link" on:click=skip_to_content>"Skip to main content"</button>
        <TopBar nav_open />
        <div class=move || if nav_open.get() { "layout nav-open" } else { "layout nav-closed" }>
            <SideNav open=nav_open />
            <main id="main" class="content">
                <Breadcrumbs />
                <StorageBanner />
                <Flashbar />
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=|| view! { <Redirect path="/groups" /> } />
                    <Route path=path!("/groups") view=GroupsPage />
                    <Route path=path!("/groups/new") view=|| view! { <Lazy part=&pages::CREATE_GROUP /> } />
                    <Route path=path!("/groups/:name") view=|| view! { <Lazy part=&pages::GROUP_DETAILS /> } />
                    <Route path=path!("/resources") view=|| view! { <Lazy part=&pages::RESOURCES /> } />
                    <Route path=path!("/activity") view=|| view! { <Lazy part=&pages::ACTIVITY /> } />
                    <Route path=path!("/data-protection") view=|| view! { <Lazy part=&pages::DATA_PROTECTION /> } />
                    <Route path=path!("/recently-deleted") view=|| view! { <Lazy part=&pages::RECENTLY_DELETED /> } />
                    <Route path=path!("/settings") view=|| view! { <Lazy part=&pages::SETTINGS /> } />
                </Routes>
            </main>
        </div>
    }
}
