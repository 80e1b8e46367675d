//! Drivers: they move bytes and wait, nothing else. Each gives the Rust
//! face the same few things: send one attempt (its head, then its body
//! chunk by chunk), sleep, and read the clock. What the bytes mean, and
//! what to do next, is the core's ([`crate::sansio::exchange`]).

#[cfg(target_arch = "wasm32")]
mod gloo;
#[cfg(target_arch = "wasm32")]
pub use gloo::{clock, sleep, Body, Transport};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::{clock, sleep, Body, Transport};

pub mod seam;

use alloc::string::String;

/// An attempt's answer as it arrives: its head, and its body still to read.
#[derive(Debug)]
pub struct Head<B> {
    /// HTTP status, as the host gave it (the core checks it).
    pub status: f64,
    /// The `Retry-After` header, when sent.
    pub retry_after: Option<String>,
    /// The `Location` header, when sent (a redirect, never followed).
    pub location: Option<String>,
    /// The body, read with `next_chunk`.
    pub body: B,
}
