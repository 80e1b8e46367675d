//! The sans-IO core: every rule of the API, and no I/O.
//!
//! Like rustls and quinn-proto, this never touches the network: a driver
//! asks [`request::build`] for the bytes to send, tells a [`call::Call`]
//! what came back, and does what it says (hand over the payload, fail, or
//! wait and send again). The gloo-net driver (wasm), the reqwest driver
//! (native) and the npm package's `transport.js` all run this same code,
//! so the rules are tested once, natively, with no JS.

pub mod call;
pub mod config;
pub mod document;
pub mod drift;
pub mod encode;
pub mod error;
pub mod event;
pub mod exchange;
pub mod json_check;
pub mod money;
pub mod operation;
pub mod policy;
pub mod request;
pub mod secret;
pub mod shape;
