//! The Leptos user interface (wasm32 only). Components stay thin: what to show comes from the
//! plain modules (`crate::nav`, later the model and the store).

pub mod audit;
pub mod browser;
pub mod crypto;
pub mod data;
pub mod flash;
pub mod lazy;
pub mod links;
pub mod pages;
pub mod shell;
pub mod sync;
pub mod undo;
pub mod update;
pub mod widgets;

pub use shell::App;

/// Mounts the app on the page's `<body>` and removes the "Loading…" placeholder.
pub fn start() {
    browser::remove_boot_placeholder();
    leptos::mount::mount_to_body(App);
}
