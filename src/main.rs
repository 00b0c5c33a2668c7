//! The WebAssembly entry point: mounts the app, nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    // A bug must never leave a blank or frozen page without a word: log where it happened and
    // say so on the page. The panic's payload is never written anywhere: it can quote the text
    // that caused it (a tag key, a description).
    //
    // The release build has no panic machinery at all (`-Cpanic=immediate-abort`, see
    // scripts/build-split.mjs): a panic is a bare `unreachable` trap, no hook runs, and the boot
    // script (scripts/postbuild.mjs) shows the same notice when it sees the trap. The hook is for
    // the builds that still have it (browser tests, `trunk serve`).
    #[cfg(not(panic = "immediate-abort"))]
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| (l.file(), l.line(), l.column()));
        group_console::ui::browser::report_panic(at);
    }));
    group_console::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Group Console runs in a browser: build it with `trunk build` (see README.md).");
}
