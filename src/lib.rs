//! Group Console: a browser console for resource groups.
//!
//! Imports point one way: `ui → view → sync, store → model → guard`. Everything except `ui` is
//! plain Rust that compiles and is tested on the host; `ui` (Leptos) exists only for wasm32.

#![warn(clippy::string_slice)]

pub mod guard;
pub mod model;
pub mod sort;
pub mod store;
pub mod sync;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod ui;

// `nav` and `display` live in `view`; these keep their old paths working.
pub use view::{display, nav};
