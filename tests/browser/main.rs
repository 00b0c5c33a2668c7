//! Browser tests: run in headless Chromium by wasm-bindgen-test
//! (`cargo test --target wasm32-unknown-unknown --tests`, see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod crypto;
mod shell;
mod store;
mod sync;
mod util;
mod vault;
