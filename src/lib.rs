//! # makecall
//!
//! Click-to-dial core for gadgets in a contact-center agent workspace (Acqueon
//! Workspace on Cisco Finesse): validates numbers against a dial plan, builds
//! MakeCall messages, parses the workspace's state-change and agent-state
//! messages tolerantly, tracks calls and settles each dial attempt once.
//!
//! Three layers in one crate:
//! - pure core modules ([`json`], [`dialplan`], [`make_call`], [`message`],
//!   [`finesse`], [`tracker`], [`gadget`], [`options`]): plain Rust, no JS types, tested with `cargo test`;
//! - one wasm boundary module (`wasm`, compiled for wasm32 only) that converts
//!   values and owns the timers;
//! - a thin JS glue (`js/` in the npm package) that wires a transport.
//!
//! Nothing reachable from JS panics: every fault is an [`Error`] with a stable code.
//!
//! # Dependencies, and why each one
//!
//! | crate | layer | what it does here |
//! |---|---|---|
//! | `serde` (derive only, no std) | core | every output shape (validation result, MakeCall message, parsed message, call, agent, tracker change, dial outcome, errors) is `#[derive(Serialize)]` or a `Serialize` impl that keeps the documented key order; host tests read them through `serde_json` (a dev-dependency only) |
//! | `serde-wasm-bindgen` | boundary | turns those shapes into plain JS objects (`Serializer::json_compatible()`); call variables are built by the boundary instead, since it fills objects by assignment and a variable named `__proto__` would be lost |
//! | `web-sys` (feature `Performance` only) | boundary | the monotonic clock of call snapshots and dial starts (`performance.timeOrigin + performance.now()`) |
//! | `wasm-bindgen` (pinned `=0.2.130`, with the CLI of the same version) | boundary | the exports; exports returning `Result` throw a `MakecallError` |
//! | `js-sys` | boundary | strings, the own-property walk of option objects (`Object.keys`, `Reflect.get`), `Reflect.construct` of `MakecallError` |
//! | `gloo-timers` | boundary | the dial deadline: dropping its handle clears the timeout |
//! | `lol_alloc` | boundary | a small coalescing free-list allocator: 7.8 KB less wasm than Rust's default dlmalloc, at 5-10% more time in allocation-heavy calls and the same memory in the tests |
//!
//! Inputs are not read with serde. Message text and options go through the
//! core's own tolerant reader ([`json`]): the workspace's documented sample
//! indents with no-break spaces and has trailing commas, which `serde_json`
//! refuses, and errors need a UTF-16 `index`. `serde-wasm-bindgen`'s
//! `from_value` would read inherited properties (a polluted
//! `Object.prototype` would change a plan), accept `[1,6,9]` as a range, let
//! throwing getters escape without a code, and cost about 30 KB gzip.
//!
//! # Release build
//!
//! `opt-level = "z"`, LTO, `panic = "abort"`, then `wasm-opt` with the flags
//! in `scripts/wasm-opt-flags` (`-O3`; against `-Oz`: +3.4 KB raw and +0.3 KB
//! gzip, 9-17% less CPU time for validation, parsing and `tracker.apply`,
//! measured in Node). Clippy denies `unwrap`, `expect`, `panic!`,
//! `unreachable!` and unchecked indexing or slicing outside tests. Fuzzing
//! (`scripts/fuzz.sh`) installs `cargo-fuzz` and builds on the stable
//! toolchain with `RUSTC_BOOTSTRAP=1`, without a sanitizer: the crate has no
//! `unsafe`.

#![deny(missing_docs)]

pub mod dialplan;
pub mod display;
pub mod error;
pub mod finesse;
pub mod gadget;
pub mod json;
pub mod make_call;
pub mod message;
pub mod model;
pub mod numbering;
pub mod options;
mod text;
pub mod tracker;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::Error;
