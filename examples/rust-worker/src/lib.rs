//! An edge function in Rust: `GET /accounts/<id>/status` answers with the
//! account's lifecycle status, `GET /accounts` with how many accounts there
//! are by status, through liveagent-reseller's Rust `Client`
//! (gloo-net over the runtime's `fetch`). The reseller key stays in the
//! worker's environment; answers carry only what the caller may see.
//!
//! `worker.mjs` is the module workerd (or Cloudflare) loads: it
//! instantiates this wasm and hands each request to [`handle`].
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use js_sys::Reflect;
use liveagent_reseller::{Client, Config, Error};
use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::{Request, Response, ResponseInit, Url};

/// One text binding of the worker's environment.
fn binding(env: &JsValue, name: &str) -> Option<String> {
    Reflect::get(env, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

fn reply(status: u16, body: &serde_json::Value) -> Result<Response, JsValue> {
    let init = ResponseInit::new();
    init.set_status(status);
    let response = Response::new_with_opt_str_and_init(Some(&body.to_string()), &init)?;
    response
        .headers()
        .set("content-type", "application/json; charset=utf-8")?;
    Ok(response)
}

/// What a caller may learn from a failed call: its kind, never the key or
/// the vendor's debug text.
fn failure(error: &Error) -> (u16, serde_json::Value) {
    let status = match error {
        Error::Api { status: 404, .. } => 404,
        Error::InvalidInput { .. } => 400,
        Error::Timeout { .. } => 504,
        _ => 502,
    };
    let body =
        json!({ "ok": false, "error": error.kind().as_str(), "retryable": error.is_retryable() });
    (status, body)
}

/// Handles one request (the `fetch` handler of the worker module).
#[wasm_bindgen]
pub async fn handle(request: Request, env: JsValue) -> Result<Response, JsValue> {
    let url = Url::new(&request.url())?;
    let path = url.pathname();
    let id = path
        .strip_prefix("/accounts/")
        .and_then(|rest| rest.strip_suffix("/status"))
        .filter(|id| !id.is_empty() && !id.contains('/'));
    let is_list = path == "/accounts";
    if request.method() != "GET" || (id.is_none() && !is_list) {
        return reply(404, &json!({ "ok": false, "error": "not_found" }));
    }
    let (Some(base), Some(reseller), Some(key)) = (
        binding(&env, "RESELLER_API_URL"),
        binding(&env, "RESELLER_ID"),
        binding(&env, "RESELLER_API_KEY"),
    ) else {
        return reply(500, &json!({ "ok": false, "error": "not_configured" }));
    };
    let client = match Client::new(Config::new(&base, &reseller, &key)) {
        Ok(client) => client,
        Err(error) => {
            let (status, body) = failure(&error);
            return reply(status, &body);
        }
    };
    let Some(id) = id else {
        return match client.list_accounts(None).await {
            Ok(list) => {
                let mut by_status = serde_json::Map::new();
                for account in list.accounts.unwrap_or_default() {
                    let code = account.status.as_ref().map_or("?", |s| s.code()).to_owned();
                    let n = by_status.get(&code).and_then(|v| v.as_u64()).unwrap_or(0);
                    by_status.insert(code, json!(n + 1));
                }
                reply(200, &json!({ "ok": true, "by_status": by_status }))
            }
            Err(error) => {
                let (status, body) = failure(&error);
                reply(status, &body)
            }
        };
    };
    // An edge function answers fast or not at all: 3 s per attempt, one retry.
    let call = client
        .get_account_status(id)
        .timeout(Duration::from_secs(3))
        .max_retries(1);
    match call.await {
        Ok(found) => {
            let status = found.account_status;
            reply(
                200,
                &json!({
                    "ok": true,
                    "account_id": id,
                    "status": status.as_ref().map(|s| s.code()),
                    "meaning": status.as_ref().and_then(|s| s.meaning()),
                }),
            )
        }
        Err(error) => {
            let (status, body) = failure(&error);
            reply(status, &body)
        }
    }
}
