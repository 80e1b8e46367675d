//! The smallest app on the Rust `Client`: one call, its answer as text.
//! Built for wasm32 and measured (release, `wasm-opt -Oz`, gzip -9) against
//! issue 16's budget for the Rust face: what a user pays for the crate.
#![cfg(target_arch = "wasm32")]

use liveagent_reseller::{Client, Config};
use wasm_bindgen::prelude::*;

// The app's choice, not the library's: talc is smaller than std's dlmalloc.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The lifecycle status of account `id`, or the error's message.
#[wasm_bindgen]
pub async fn account_status(base_url: String, reseller: String, key: String, id: String) -> String {
    let client = match Client::new(Config::new(&base_url, &reseller, &key)) {
        Ok(client) => client,
        Err(error) => return error.message(),
    };
    match client.get_account_status(&id).await {
        Ok(status) => status
            .account_status
            .map(|s| s.code().to_owned())
            .unwrap_or_default(),
        Err(error) => error.message(),
    }
}
