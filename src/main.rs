//! The WebAssembly entry point: mounts the app, nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    // A bug must never leave a blank or frozen page without a word: after logging the panic,
    // say so on the page (the message has no data in it).
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        group_console::ui::browser::show_fatal_error();
    }));
    group_console::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Group Console runs in a browser: build it with `trunk build` (see README.md).");
}
