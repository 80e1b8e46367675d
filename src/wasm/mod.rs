//! The wasm side. The request loop (fetch, timeouts, aborts, retries) is the
//! host's: `js/transport.js`. Here: the configuration, the checks and layout
//! of each request, decoding, errors, and the two faces (JS and Rust).

mod bindings;
#[cfg(feature = "rust-api")]
pub mod client;
pub mod core;
mod decode;
pub mod js;

/// Whether `text` is JSON, by the host's parser.
pub fn is_json(text: &str) -> bool {
    bindings::json_parse(&js_sys::JsString::from(text)).is_ok()
}
