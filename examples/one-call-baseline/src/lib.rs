//! `examples/one-call` written by hand on gloo-net and serde_json, without
//! the crate: the same call (`GET .../accounts/{id}/status?apikey=…`), the
//! same answer (the status code, or a message). What it leaves out is what
//! the crate adds: input checks and encoding, timeouts, retries, the shape
//! check, drift, events, key scrubbing. Measured beside `one-call` by
//! `scripts/one-call-size.sh`, with the same allocator and pipeline.
#![cfg(target_arch = "wasm32")]

use gloo_net::http::Request;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

// The same choice as `one-call`: talc instead of std's dlmalloc.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[derive(Deserialize)]
struct Envelope {
    response: Status,
}

#[derive(Deserialize)]
struct Status {
    #[serde(default)]
    account_status: Option<String>,
}

/// The lifecycle status of account `id`, or the error's message.
#[wasm_bindgen]
pub async fn account_status(base_url: String, reseller: String, key: String, id: String) -> String {
    let url = format!("{base_url}/resellers/{reseller}/accounts/{id}/status?apikey={key}");
    let response = match Request::get(&url).send().await {
        Ok(response) => response,
        Err(error) => return error.to_string(),
    };
    if !response.ok() {
        return format!("getAccountStatus: HTTP {}", response.status());
    }
    let text = match response.text().await {
        Ok(text) => text,
        Err(error) => return error.to_string(),
    };
    match serde_json::from_str::<Envelope>(&text) {
        Ok(envelope) => envelope.response.account_status.unwrap_or_default(),
        Err(error) => error.to_string(),
    }
}
