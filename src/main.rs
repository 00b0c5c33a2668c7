//! The WebAssembly entry point: mounts the app, nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    group_console::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Group Console runs in a browser: build it with `trunk build` (see README.md).");
}
