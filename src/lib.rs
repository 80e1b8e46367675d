//! Client for the LiveAgent Reseller API v1.
//!
//! One sans-IO core (`sansio`, not public API: input checks, request layout, envelope
//! and decoding rules, retry policy, errors, key scrubbing) and thin faces
//! over it:
//!
//! - `Client`, the Rust face: on wasm32 it sends through gloo-net over
//!   the host's `fetch` (browsers, workers, Node, workerd); natively, with
//!   the `native` feature, through reqwest on tokio.
//! - the npm package `liveagent-reseller`: its own crate in this
//!   workspace (`npm/`), a cdylib over the same core.
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

// Not public API: for the npm crate (`npm/`) and drivers of this
// workspace; it may change in any release.
#[doc(hidden)]
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
#[cfg(any(
    all(target_arch = "wasm32", feature = "rust-api"),
    all(not(target_arch = "wasm32"), feature = "native")
))]
mod transport;
#[cfg(all(target_arch = "wasm32", feature = "rust-api"))]
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
// The table of the 21 operations. Not public API: for the npm crate
// (`npm/`), which drives the core too; it may change in any release.
#[doc(hidden)]
pub use generated::ops;
pub use generated::types::*;
pub use sansio::config::Config;
pub use sansio::drift::{Drift, DriftKind};
pub use sansio::error::{Error, ErrorKind};
pub use sansio::event::{Attempt, Event, RetryReason};
pub use sansio::money::quote_numbers as keep_money_text;
pub use sansio::operation::ValueSet;
pub use sansio::secret::ApiKey;

// The README's Rust snippets are compiled (natively, with the `native`
// feature) as doctests, so that the README cannot rot.
#[cfg(all(doctest, feature = "native"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The documented value sets with the meaning of each code, for display.
pub fn value_sets() -> &'static [ValueSet] {
    generated::ops::VALUE_SETS
}
