//! Client for the LiveAgent Reseller API v1.
//!
//! Compiled to wasm it is the `liveagent-reseller` npm package (the
//! `ResellerClient` JS class) and a Rust client (`Client`, on wasm32) for Rust on
//! wasm (edge functions, browser apps). Each of the 21 calls is described
//! once, in `spec/openapi.json`; the types, the operation table and the
//! methods are generated from it by the `codegen` crate (`src/generated/`).
//!
//! On other targets the crate offers the types, so that servers and tests
//! can share them; sending needs the host's `fetch`.
#![deny(missing_docs)]
// The request path needs the host's fetch, so natively only its unit tests
// reach it; the wasm build (linted separately) keeps dead-code checks.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod encode;
mod error;
mod json_check;
mod money;
mod operation;
mod request;
mod retry;
mod secret;

mod generated;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorKind};
pub use generated::types::*;
pub use money::quote_numbers as keep_money_text;
pub use operation::ValueSet;
pub use secret::ApiKey;
#[cfg(target_arch = "wasm32")]
pub use wasm::client::{CallOptions, Client, Config};
#[cfg(target_arch = "wasm32")]
pub use wasm::js::{value_set, ResellerClient};

/// The documented value sets with the meaning of each code, for display.
pub fn value_sets() -> &'static [ValueSet] {
    generated::ops::VALUE_SETS
}
