//! Links inside the app. leptos_router's `<A>` leaves absolute paths as they are, so under a
//! sub-path (`/console/`) every in-app link is built with [`href`], which adds the router base.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The router base (`""` at the site root, `/console` under a sub-path), provided by the app.
#[derive(Clone, Debug, Default)]
pub struct RouterBase(pub String);

/// The address of an app path (`/groups`) under the router base.
pub fn href(path: &str) -> String {
    let base = use_context::<RouterBase>().unwrap_or_default();
    crate::nav::join_base(&base.0, path)
}

/// The current path inside the app, without the router base (`/groups/web`).
pub fn use_app_path() -> Memo<String> {
    let base = use_context::<RouterBase>().unwrap_or_default();
    let location = use_location();
    Memo::new(move |_| {
        location
            .pathname
            .with(|p| crate::nav::strip_base(&base.0, p).to_owned())
    })
}
