//! The npm package's WebAssembly: the JS face of `liveagent-reseller`.
//!
//! A cdylib of its own, so that the library crate stays a plain `rlib`
//! whose features are a Rust user's (`native`, `tsify`, …): the glue
//! between `js/` and the sans-IO core lives here, with what only a
//! shipped `.wasm` chooses (with `bundle`: the allocator, a panic handler
//! that traps, no std).
//!
//! Only text and bytes cross: the inputs as one text (`js/inputs.js`,
//! read by `inputs`), the request, steps, errors and events as text
//! (`records`), the body as bytes. The exports ([`ClientCore`]) are
//! wasm32's; the readers are tested natively too.
#![cfg_attr(feature = "bundle", no_std)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
// `Error` is the core's (see its crate): once per call, after the network.
#![allow(clippy::result_large_err)]
// Natively only the unit tests use the readers.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

extern crate alloc;

#[cfg(target_arch = "wasm32")]
mod client;
mod inputs;
#[cfg(target_arch = "wasm32")]
mod records;
mod text;

#[cfg(target_arch = "wasm32")]
pub use crate::client::ClientCore;

// Talc is a few KB smaller than the default dlmalloc (see bench/). Not
// lol_alloc (400 B smaller still): its lock would spin for ever after a trap
// inside the allocator, a hung page instead of an error.
#[cfg(all(feature = "bundle", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Library code does not panic (lints deny it); should std's code below it
/// ever do, trap at once: formatting a message would cost the wasm ~10 KB.
#[cfg(all(feature = "bundle", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}
