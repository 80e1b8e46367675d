//! The sandbox's rules with no I/O (in the manner of rustls and
//! quinn-proto): the records, the 21 calls, the wire in JSON and XML, fault
//! rules, the request log and the control routes. A driver (the axum
//! server in `sandbox`, the wasm build behind the npm `testing` entry)
//! moves bytes, reads the clock and does the waiting; everything an answer
//! depends on is decided here, so every driver answers byte for byte alike.

pub mod calls;
pub mod clock;
pub mod control;
mod dispatch;
pub mod faults;
pub mod options;
pub mod origin;
pub mod records;
mod redact;
mod sandbox;
pub mod wire;

pub use options::Options;
pub use sandbox::{Arrival, Request, Sandbox};
pub use wire::Reply;
