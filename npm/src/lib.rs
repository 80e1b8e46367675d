//! The npm package's WebAssembly: the JS face of `liveagent-reseller`.
//!
//! A cdylib of its own, so that the library crate stays a plain `rlib`
//! whose features are a Rust user's (`native`, `tsify`, …): the glue
//! between `js/` and the sans-IO core lives here, with what only a
//! shipped `.wasm` chooses (with `bundle`: the allocator, a panic handler
//! that traps, no std). Everything is behind `wasm32`: natively this is
//! empty.
#![cfg_attr(feature = "bundle", no_std)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod client_core;
#[cfg(target_arch = "wasm32")]
mod read;

#[cfg(target_arch = "wasm32")]
pub use crate::client_core::ClientCore;

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
