//! The wasm side: the transport over the host's `fetch`, the Rust client and
//! the `ResellerClient` class for JS.

mod bindings;
pub mod client;
mod decode;
pub mod js;
mod transport;
