//! The sandbox's rules for JavaScript: one [`Rules`] object per sandbox,
//! whose answers are JSON text (`{status, headers, body}`), so that the JS
//! driver (`testing/`) builds its `Response` from one string and the
//! boundary stays a handful of functions. The driver owns the clock and
//! the waiting, as the axum server does.

use sandbox_rules::control::{self, ControlRequest};
use sandbox_rules::faults::MAX_DELAY_MS;
use sandbox_rules::options::MAX_SEED_ACCOUNTS;
use sandbox_rules::wire::{ApiError, Reply};
use sandbox_rules::{origin, Options, Request, Sandbox};
use wasm_bindgen::prelude::*;

/// One sandbox: records, fault rules and the request log.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Rules(Sandbox);

fn reply_json(reply: &Reply) -> String {
    serde_json::to_string(reply).unwrap_or_default()
}

fn request<'a>(
    method: &'a str,
    path: &'a str,
    query: &'a str,
    content_type: Option<&'a str>,
    body: Option<&'a [u8]>,
) -> Request<'a> {
    Request {
        method,
        path,
        query,
        content_type,
        body,
    }
}

#[wasm_bindgen]
impl Rules {
    /// A sandbox with the server's settings; a setting out of range is an
    /// error naming it, with the server's bounds.
    #[wasm_bindgen(constructor)]
    pub fn new(
        reseller: String,
        api_key: String,
        latency_ms: f64,
        fail_rate: f64,
        seed: u64,
        seed_accounts: f64,
    ) -> Result<Rules, JsError> {
        let whole = |n: f64| n.fract() == 0.0 && n >= 0.0;
        if reseller.is_empty() || api_key.is_empty() {
            return Err(JsError::new("reseller and apiKey may not be empty"));
        }
        if !whole(latency_ms) || latency_ms > MAX_DELAY_MS as f64 {
            return Err(JsError::new(&format!(
                "latencyMs must be a whole number from 0 to {MAX_DELAY_MS}"
            )));
        }
        if !(0.0..=1.0).contains(&fail_rate) {
            return Err(JsError::new("failRate must be between 0 and 1"));
        }
        if !whole(seed_accounts) || seed_accounts > MAX_SEED_ACCOUNTS as f64 {
            return Err(JsError::new(&format!(
                "seedAccounts must be a whole number from 0 to {MAX_SEED_ACCOUNTS}"
            )));
        }
        Ok(Rules(Sandbox::new(Options {
            reseller,
            api_key,
            // Checked above: whole and in range, so the casts are exact.
            latency_ms: latency_ms as u64,
            fail_rate,
            seed,
            seed_accounts: seed_accounts as usize,
        })))
    }

    /// Logs an API request and decides on delays and faults:
    /// `{"delayMs": n, "reply": reply or null}` (null: ask [`Rules::answer`]
    /// after the wait).
    pub fn arrive(
        &mut self,
        method: &str,
        path: &str,
        query: &str,
        content_type: Option<String>,
        body: &[u8],
    ) -> String {
        let arrival = self.0.arrive(&request(
            method,
            path,
            query,
            content_type.as_deref(),
            Some(body),
        ));
        let reply = arrival
            .reply
            .as_ref()
            .map_or_else(|| "null".to_owned(), reply_json);
        format!("{{\"delayMs\":{},\"reply\":{reply}}}", arrival.delay_ms)
    }

    /// The API's answer at Unix time `now_unix` (seconds).
    pub fn answer(
        &mut self,
        method: &str,
        path: &str,
        query: &str,
        content_type: Option<String>,
        body: &[u8],
        now_unix: f64,
    ) -> String {
        let request = request(method, path, query, content_type.as_deref(), Some(body));
        // Whole seconds of a JS time: far inside i64 for any real date.
        reply_json(&self.0.answer(&request, now_unix.floor() as i64))
    }

    /// Logs a request refused before its body was read (too large), and
    /// its error envelope.
    pub fn refuse(
        &mut self,
        method: &str,
        path: &str,
        query: &str,
        content_type: Option<String>,
        status: u16,
        message: &str,
    ) -> String {
        let request = request(method, path, query, content_type.as_deref(), None);
        reply_json(&self.0.refuse(&request, &ApiError::new(status, message)))
    }

    /// A control route's answer, or `undefined` when the path is none.
    pub fn control(
        &mut self,
        method: &str,
        path: &str,
        query: &str,
        body: &[u8],
        base_url: &str,
    ) -> Option<String> {
        let request = ControlRequest {
            method,
            path,
            query,
            body,
            base_url,
        };
        control::route(&mut self.0, &request).map(|reply| reply_json(&reply))
    }

    /// Back to the seeded records, no rules, an empty log.
    pub fn reset(&mut self) {
        self.0.reset();
    }
}

/// Whether a control request with this `Origin`, sent to this `Host`, is
/// served (the server's rule, for the Node server).
#[wasm_bindgen(js_name = controlAllowed)]
pub fn control_allowed(origin: Option<String>, host: Option<String>, allowed: Vec<String>) -> bool {
    origin::control_allowed(origin.as_deref(), host.as_deref(), &allowed)
}

/// Whether a path belongs to the control surface.
#[wasm_bindgen(js_name = isControlPath)]
pub fn is_control_path(path: &str) -> bool {
    control::is_control_path(path)
}
