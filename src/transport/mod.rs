//! Drivers: they move bytes and wait, nothing else. Each gives the Rust
//! face the same few functions: send one attempt, sleep, read the clock,
//! parse JSON and decode a payload into a type.

use alloc::string::{String, ToString};

use crate::sansio::call::Failure;

#[cfg(target_arch = "wasm32")]
mod gloo;
#[cfg(target_arch = "wasm32")]
pub use gloo::{clock, decode, parse, sleep, Doc, Transport};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::{clock, decode, parse, sleep, Doc, Transport};

pub mod seam;

/// How one attempt ended.
#[derive(Debug)]
pub enum Outcome {
    /// An HTTP response, its body read in full (within `max_response_bytes`).
    Response {
        /// HTTP status, as the host gave it (the core checks it).
        status: f64,
        /// The `Retry-After` header, when sent.
        retry_after: Option<String>,
        /// The `Location` header, when sent (a redirect, never followed).
        location: Option<String>,
        /// The body.
        body: String,
    },
    /// No response.
    Failed(Failure),
}

/// Names the failing field of a serde error by its path
/// (`accounts[0].account_id: invalid type: …`).
fn with_path<E: core::fmt::Display>(error: serde_path_to_error::Error<E>) -> String {
    use core::fmt::Write;
    let mut message = String::new();
    let path = error.path().to_string();
    if path != "." {
        message.push_str(&path);
        message.push_str(": ");
    }
    let _ = write!(message, "{}", error.inner());
    message
}
