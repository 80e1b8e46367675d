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
#![cfg_attr(not(test), no_std)]
#![deny(missing_docs)]
// The request path needs the host's fetch, so natively only its unit tests
// reach it; the wasm build (linted separately) keeps dead-code checks.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;
#[cfg(all(not(test), feature = "rust-api"))]
extern crate std;

#[cfg(all(feature = "npm", feature = "rust-api"))]
compile_error!("the `npm` feature is for the npm build: use it with --no-default-features");

mod encode;
mod error;
#[cfg(not(target_arch = "wasm32"))]
mod json_check;
mod money;
mod operation;
mod request;
mod secret;

mod generated;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorKind};
pub use generated::types::*;
pub use money::quote_numbers as keep_money_text;
pub use operation::ValueSet;
pub use secret::ApiKey;
#[cfg(all(target_arch = "wasm32", feature = "rust-api"))]
pub use wasm::client::Client;
#[cfg(target_arch = "wasm32")]
pub use wasm::core::Config;
#[cfg(target_arch = "wasm32")]
pub use wasm::js::ClientCore;

// Talc is a few KB smaller than the default dlmalloc (see bench/).
#[cfg(all(feature = "npm", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Library code does not panic (lints deny it); should std's code below it
/// ever do, trap at once: formatting a message would cost the wasm ~10 KB.
#[cfg(all(feature = "npm", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The documented value sets with the meaning of each code, for display.
pub fn value_sets() -> &'static [ValueSet] {
    generated::ops::VALUE_SETS
}
