//! Client for the LiveAgent Reseller API v1.
//!
//! One sans-IO core ([`sansio`]: input checks, request layout, envelope
//! and decoding rules, retry policy, errors, key scrubbing) and thin faces
//! over it:
//!
//! - `Client`, the Rust face: on wasm32 it sends through gloo-net over
//!   the host's `fetch` (browsers, workers, Node, workerd); natively, with
//!   the `native` feature, through reqwest on tokio.
//! - the npm package `liveagent-reseller` (feature `js`): a `ClientCore`
//!   class that `js/transport.js` drives over the host's `fetch`.
//!
//! Each of the 21 calls is described once, in `spec/openapi.json`; the
//! types, the operation table and the methods are generated from it by the
//! `codegen` crate (`src/generated/`).
#![cfg_attr(not(test), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
// `Error` (up to ~150 bytes: an API error keeps the envelope's texts, the
// body's start and a redirect's `Location`) comes back once per call, after
// the network: boxing it would save nothing that matters and would break
// the documented patterns (`Err(Error::Api { status: 404, .. })`).
#![allow(clippy::result_large_err)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;
#[cfg(all(not(test), feature = "rust-api"))]
extern crate std;

#[cfg(all(feature = "npm", feature = "rust-api"))]
compile_error!("the `npm` feature is for the npm build: use it with --no-default-features");

pub mod sansio;

#[cfg(any(
    all(target_arch = "wasm32", feature = "rust-api"),
    all(not(target_arch = "wasm32"), feature = "native")
))]
mod client;
#[cfg(feature = "jiff")]
#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
pub mod dates;
mod generated;
#[cfg(all(target_arch = "wasm32", feature = "js"))]
mod js;
#[cfg(any(
    all(target_arch = "wasm32", feature = "rust-api"),
    all(not(target_arch = "wasm32"), feature = "native")
))]
mod transport;
#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(any(
    all(target_arch = "wasm32", feature = "rust-api"),
    all(not(target_arch = "wasm32"), feature = "native")
))]
pub use client::{Client, Request};
/// The transport seam, for [`Client::with_transport`].
#[cfg(any(
    all(target_arch = "wasm32", feature = "rust-api"),
    all(not(target_arch = "wasm32"), feature = "native")
))]
pub use transport::seam::{HttpRequest, HttpResponse, Transport, TransportError, TransportFuture};
#[cfg(all(feature = "testing", any(target_arch = "wasm32", feature = "native")))]
pub mod testing;
/// The table of the 21 operations, for drivers of [`sansio`] of your own.
pub use generated::ops;
pub use generated::types::*;
#[cfg(all(target_arch = "wasm32", feature = "js"))]
pub use js::ClientCore;
pub use sansio::config::Config;
pub use sansio::drift::{Drift, DriftKind};
pub use sansio::error::{Error, ErrorKind};
pub use sansio::event::{Attempt, Event, RetryReason};
pub use sansio::money::quote_numbers as keep_money_text;
pub use sansio::operation::ValueSet;
pub use sansio::secret::ApiKey;

// Talc is a few KB smaller than the default dlmalloc (see bench/). Not
// lol_alloc (400 B smaller still): its lock would spin for ever after a trap
// inside the allocator, a hung page instead of an error.
#[cfg(all(feature = "npm", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Library code does not panic (lints deny it); should std's code below it
/// ever do, trap at once: formatting a message would cost the wasm ~10 KB.
#[cfg(all(feature = "npm", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}

// The README's Rust snippets are compiled (natively, with the `native`
// feature) as doctests, so that the README cannot rot.
#[cfg(all(doctest, feature = "native"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The documented value sets with the meaning of each code, for display.
pub fn value_sets() -> &'static [ValueSet] {
    generated::ops::VALUE_SETS
}
