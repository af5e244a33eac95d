//! Boundary ring in headless Chromium: the same tests as in Node, plus the
//! gadget's timers, which run on the browser's event loop.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common {
    pub mod boundary;
}
