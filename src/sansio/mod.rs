//! The sans-IO core: every rule of the API, and no I/O.
//!
//! Like rustls and quinn-proto, this never touches the network: a driver
//! makes an [`exchange::Exchange`] of a call, sends the request it lays
//! out, streams what comes back into it, and does what it says (hand over
//! the result, fail, or wait and send again). Every driver runs this same
//! code, so the rules are tested once, natively, with no JS.
//!
//! A newcomer's reading order: `exchange` (the call), `shape` (the body's
//! check, on `json_check`'s state machine), `call` and `policy` (attempts
//! and retries), `request` and `encode` (the wire), `error`, `secret`
//! (the key, and excerpts of bodies), `event` and `drift` (what observers
//! see). `document` holds the JSON kinds and the integer reader they share.

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
