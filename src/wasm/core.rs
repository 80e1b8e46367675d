//! The client's state and the three steps the request loop asks of it:
//! prepare a request, finish a response, describe a failure.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Function, JsString, Object, Reflect};
use wasm_bindgen::JsValue;

use super::decode;
use crate::encode::push_segment;
use crate::error::Error;
use crate::operation::Operation;
use crate::request::{self, check_path_arg, Target};
use crate::secret::ApiKey;

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Upper bound for `max_retries`: beyond it a caller wants a queue, not a client.
pub const RETRY_LIMIT: u32 = 10;
/// The longest delay `setTimeout` honours; a longer one fires at once.
pub const MAX_TIMEOUT_MS: u32 = 2_147_483_647;
/// What a bad timeout is told (shared with the per-call option).
pub const MILLIS: &str = " must be a whole number of milliseconds from 1 to 2147483647";
/// What a bad `maxRetries` is told.
pub const RETRIES: &str = "maxRetries must be a whole number from 0 to 10";

/// How to reach the API. `Debug` shows everything but the key.
#[derive(Clone, Debug)]
pub struct Config {
    /// The API root as in the docs' example URLs (`https://x.ladesk.com/api`).
    pub base_url: String,
    /// `[reselleridentifier]`: the reseller's email or userid.
    pub reseller: String,
    /// The API key.
    pub api_key: ApiKey,
    /// Per-attempt timeout.
    pub timeout_ms: u32,
    /// Retries after the first attempt, for GET, PUT and DELETE.
    pub max_retries: u32,
    /// A fetch-compatible function to use instead of the global `fetch`.
    pub fetch: Option<Function>,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
}

impl Config {
    /// A configuration with the default timeout and retries.
    pub fn new(base_url: &str, reseller: &str, api_key: &str) -> Self {
        Config {
            base_url: String::from(base_url),
            reseller: String::from(reseller),
            api_key: ApiKey::new(String::from(api_key)),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_retries: DEFAULT_MAX_RETRIES,
            fetch: None,
            headers: Vec::new(),
        }
    }
}

/// A checked configuration.
#[derive(Debug)]
pub struct Core {
    base_url: String,
    reseller_segment: String,
    #[cfg(feature = "rust-api")]
    reseller: String,
    api_key: ApiKey,
    timeout_ms: u32,
    max_retries: u32,
    fetch: Option<Function>,
    headers: Vec<(String, String)>,
}

const CONFIG: &str = "ResellerClient";

fn set(target: &Object, key: &str, value: &JsValue) {
    // Cannot fail on a plain object we just created.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

impl Core {
    /// Checks the configuration.
    pub fn new(config: Config) -> Result<Self, Error> {
        let mut base = config.base_url.as_str();
        while let Some(trimmed) = base.strip_suffix('/') {
            base = trimmed;
        }
        let starts = |prefix: &str| {
            base.get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        };
        let scheme_len = if starts("https://") {
            8
        } else if starts("http://") {
            7
        } else {
            0
        };
        let has_host = scheme_len > 0 && base.len() > scheme_len;
        // No query, fragment, whitespace or control characters, and no
        // `user:pass@` (it would be sent, and echoed in errors).
        let has_credentials = base
            .bytes()
            .skip(scheme_len)
            .take_while(|&b| b != b'/')
            .any(|b| b == b'@');
        let bad_byte = |b: u8| matches!(b, b'?' | b'#' | b'\\') || b <= b' ' || b == 0x7f;
        if !has_host || has_credentials || base.bytes().any(bad_byte) {
            return Err(Error::invalid_input(
                CONFIG,
                &["baseUrl must be an absolute http(s) URL without credentials, query or fragment"],
            ));
        }
        check_path_arg(CONFIG, "reseller", &config.reseller)?;
        if config.api_key.expose().is_empty() {
            return Err(Error::invalid_input(CONFIG, &["apiKey must not be empty"]));
        }
        if !(1..=MAX_TIMEOUT_MS).contains(&config.timeout_ms) {
            return Err(Error::invalid_input(CONFIG, &["timeoutMs", MILLIS]));
        }
        if config.max_retries > RETRY_LIMIT {
            return Err(Error::invalid_input(CONFIG, &[RETRIES]));
        }
        let mut reseller_segment = String::new();
        push_segment(&mut reseller_segment, &config.reseller);
        Ok(Core {
            base_url: String::from(base),
            reseller_segment,
            #[cfg(feature = "rust-api")]
            reseller: config.reseller,
            api_key: config.api_key,
            timeout_ms: config.timeout_ms,
            max_retries: config.max_retries,
            fetch: config.fetch,
            headers: config.headers,
        })
    }

    /// The API root, without a trailing `/`.
    #[cfg(feature = "rust-api")]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The per-attempt timeout.
    #[cfg(feature = "rust-api")]
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// The reseller id.
    #[cfg(feature = "rust-api")]
    pub fn reseller(&self) -> &str {
        &self.reseller
    }

    /// `error` with the key removed from every text.
    pub fn scrub(&self, error: Error) -> Error {
        error.scrubbed(self.api_key.expose())
    }

    /// Checks the inputs and lays out the request for `js/transport.js`:
    /// `{method, url, body?, headers, timeoutMs, retries, fetch?}`.
    pub fn prepare(
        &self,
        op: &'static Operation,
        path_args: &[&str],
        params: &[Option<&str>],
        timeout_ms: Option<u32>,
    ) -> Result<Object, Error> {
        let target = Target {
            base_url: &self.base_url,
            reseller_segment: &self.reseller_segment,
            api_key: self.api_key.expose(),
        };
        let wire = request::build(op, target, path_args, params).map_err(|e| self.scrub(e))?;
        let out = Object::new();
        set(&out, "method", &JsValue::from_str(op.method.as_str()));
        set(&out, "url", &JsValue::from_str(&wire.url));
        let headers = Object::new();
        for (name, value) in &self.headers {
            // The form's content type is ours to set.
            if wire.body.is_none() || !name.eq_ignore_ascii_case("content-type") {
                set(&headers, name, &JsValue::from_str(value));
            }
        }
        if let Some(body) = &wire.body {
            set(
                &headers,
                "content-type",
                &JsValue::from_str("application/x-www-form-urlencoded"),
            );
            set(&out, "body", &JsValue::from_str(body));
        }
        set(&out, "headers", &headers);
        let timeout = timeout_ms.unwrap_or(self.timeout_ms);
        set(&out, "timeoutMs", &JsValue::from(timeout));
        let retries = if op.method.is_idempotent() {
            self.max_retries
        } else {
            0
        };
        set(&out, "retries", &JsValue::from(retries));
        if let Some(fetch) = &self.fetch {
            set(&out, "fetch", fetch);
        }
        Ok(out)
    }

    /// The payload of a response, or the error it means.
    pub fn finish(
        &self,
        op: &'static Operation,
        status: u16,
        body: &JsString,
    ) -> Result<JsValue, Error> {
        decode::payload(op, status, body).map_err(|e| self.scrub(e))
    }

    /// The error for an attempt that got no response: `kind` is `"network"`,
    /// `"timeout"` or `"aborted"`.
    pub fn failure(
        &self,
        op: &'static Operation,
        timeout_ms: u32,
        kind: &str,
        message: &str,
    ) -> Error {
        let operation = op.name;
        self.scrub(match kind {
            "timeout" => Error::Timeout {
                operation,
                timeout_ms,
            },
            "aborted" => Error::Aborted { operation },
            _ => Error::Network {
                operation,
                message: String::from(message),
            },
        })
    }
}
