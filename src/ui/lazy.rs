//! Pages loaded on demand. In the release build every page but the groups list lives in its own
//! wasm chunk (`scripts/build-split.mjs` cuts the module at the `wasm_split` markers these
//! loaders carry), so a first visit downloads the shell and the groups list only; the rest is
//! fetched the first time it is opened, or earlier on idle ([`preload_on_idle`]), and the
//! service worker precaches every chunk after the first visit.
//!
//! The markers exist only with `--cfg gc_split`: a wasm that carries them cannot start unsplit
//! (its loader imports are left dangling), so the browser tests and `trunk serve` build without
//! it and every loader is then an ordinary call. With or without it, a page is reached through
//! the same [`Part`], so both builds run the same UI code.
//!
//! A chunk that cannot be fetched never aborts the app: the loader is `fallible`, and the
//! placeholder says what happened and offers Retry (`view::lazy_part`).

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::view::lazy_part::PartState;

/// The attribute that marks a split point, and the runtime it expands to (`ws`, named short so
/// a marker fits on one line).
#[doc(hidden)]
pub use leptos::wasm_split as ws;
#[doc(hidden)]
pub use leptos::wasm_split::wasm_split as split_point;

/// A chunk could not be fetched or instantiated (the loader logs the cause to the console).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// What a loader hands back: the function that builds the page (its code is in the chunk).
pub type Build = fn() -> AnyView;
type Loading = Pin<Box<dyn Future<Output = Result<Build, ChunkError>>>>;

/// One page that is loaded on demand; a `static`, made by [`lazy_part!`].
pub struct Part {
    load: fn() -> Loading,
    built: OnceLock<Build>,
}

impl Part {
    #[doc(hidden)]
    pub const fn new(load: fn() -> Loading) -> Self {
        Part {
            load,
            built: OnceLock::new(),
        }
    }

    /// The page's builder if its chunk is already in (no placeholder flashes on a second
    /// visit).
    fn ready(&self) -> Option<Build> {
        self.built.get().copied()
    }

    /// Fetches the chunk (once; a failure is not remembered, so the next call tries again).
    async fn fetch(&'static self) -> Result<Build, ChunkError> {
        if let Some(build) = self.ready() {
            return Ok(build);
        }
        let build = (self.load)().await?;
        Ok(*self.built.get_or_init(|| build))
    }
}

/// Work whose code lives in a chunk (a sync run, a backend call): the future a split function
/// hands back.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;
pub type LocalTask = LocalFuture<()>;

/// Calls a split function (`#[cfg_attr(gc_split, wasm_split(…, fallible))]`): in the split
/// build the call fetches the chunk first and is awaited; otherwise it is a plain call. Use it
/// in an async block; it gives the function's `Result`.
#[macro_export]
macro_rules! split_call {
    ($($f:ident)::+($($arg:expr),* $(,)?)) => {{
        #[cfg(gc_split)]
        let called = $($f)::+($($arg),*).await;
        #[cfg(not(gc_split))]
        let called = $($f)::+($($arg),*);
        called
    }};
}

/// Declares `static $part: Part` for the page component `$page`, split into the chunk `$chunk`
/// in the release build.
#[macro_export]
macro_rules! lazy_part {
    ($part:ident, $chunk:ident, $page:path) => {
        mod $chunk {
            use super::*;
            #[cfg(gc_split)]
            use $crate::ui::lazy::{split_point, ws};
            use $crate::ui::lazy::{Build, ChunkError};

            // The split point: in the split build this function's body, and all the code only
            // it reaches, moves to the chunk; calling it fetches the chunk first.
            #[cfg_attr(gc_split, split_point($chunk, fallible, wasm_split_path = ws))]
            pub fn load() -> Result<Build, ChunkError> {
                // Untracked, as `view! { <Page /> }` would be: the page's body must not subscribe
                // the placeholder to what it reads, or every change would rebuild the page (and
                // dispose what its pending tasks still use).
                Ok(|| ::leptos::prelude::untrack(|| ::leptos::prelude::IntoAny::into_any($page())))
            }
        }
        pub static $part: $crate::ui::lazy::Part =
            $crate::ui::lazy::Part::new(|| Box::pin(async { $crate::split_call!($chunk::load()) }));
    };
}

/// A route's view: the page when its chunk is in, else a placeholder with the page's heading
/// that shows the page as soon as the chunk arrives, or a plain message and Retry.
///
/// `title`: the placeholder's heading outside the router (the lock screen); inside, it is the
/// page's own title (the last crumb: a group's name on its page), so the document title, the
/// breadcrumbs and focus agree while the chunk loads.
#[component]
pub fn Lazy(part: &'static Part, #[prop(optional)] title: Option<&'static str>) -> impl IntoView {
    if let Some(build) = part.ready() {
        return build();
    }
    let title: Signal<String> = match title {
        Some(t) => Signal::stored(t.to_owned()),
        None => {
            let app_path = super::links::use_app_path();
            Signal::derive(move || {
                crate::nav::breadcrumbs(&app_path.get())
                    .pop()
                    .map(|c| c.label)
                    .unwrap_or_default()
            })
        }
    };
    let state = RwSignal::new(PartState::start());
    let attempt = move || {
        let Some(n) = state.get_untracked().loading() else {
            return;
        };
        spawn_local(async move {
            let ok = part.fetch().await.is_ok();
            // After a navigation the shell focused the placeholder's heading; the page replaces
            // it, so focus moves on to the page's own heading.
            let refocus = ok && super::browser::page_title_has_focus();
            // The page may be gone (another navigation) by the time the chunk arrives.
            let _ = state.try_update(|s| *s = s.finished(n, ok));
            if refocus {
                request_animation_frame(|| super::browser::focus_id("page-title"));
            }
        });
    };
    attempt();
    let retry = move |_| {
        state.update(|s| *s = s.retry());
        attempt();
    };
    (move || match state.get() {
        PartState::Ready => part.ready().map(|build| build()).unwrap_or_else(|| ().into_any()),
        other => {
            let failed = matches!(other, PartState::Failed { .. });
            view! {
                <header class="page-header">
                    <h1 id="page-title" tabindex="-1">{title}</h1>
                </header>
                <div
                    id="part-status"
                    class=if failed { "flash flash-error part-status" } else { "part-status" }
                    role=if failed { "alert" } else { "status" }
                >
                    {failed.then(|| view! { <span class="flash-icon" aria-hidden="true"></span> })}
                    <div class="flash-body">
                        <span class="flash-content">{other.message()}</span>
                    </div>
                    {failed.then(|| view! {
                        <button type="button" id="part-retry" class="button flash-action" on:click=retry>
                            "Retry"
                        </button>
                    })}
                </div>
            }
            .into_any()
        }
    })
    .into_any()
}

/// Fetches these parts when the browser is idle, the likely next pages first, so opening them
/// is instant; a failure here is silent (the page itself retries when opened).
pub fn preload_on_idle(parts: &'static [&'static Part]) {
    request_idle_callback(move || {
        spawn_local(async move {
            for part in parts {
                let _ = part.fetch().await;
            }
        });
    });
}
