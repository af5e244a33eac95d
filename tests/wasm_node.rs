//! Boundary ring in Node: the exported functions with real JS values.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common {
    pub mod boundary;
}
