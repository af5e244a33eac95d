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
