//! The client: configuration, the retry loop, and the Rust methods' common path.

use std::rc::Rc;

use js_sys::Function;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use super::decode;
use super::transport::{self, Failed, Outgoing};
use crate::encode::push_segment;
use crate::error::Error;
use crate::operation::Operation;
use crate::request::{self, check_path_arg, Target};
use crate::retry::{backoff_ms, retry_after_seconds, MAX_WAIT_MS};
use crate::secret::ApiKey;

/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Upper bound for `max_retries`: beyond it a caller wants a queue, not a client.
pub const RETRY_LIMIT: u32 = 10;

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

/// Per-call options.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Cancels the call (every attempt and the waits between them).
    pub signal: Option<AbortSignal>,
    /// Overrides the client's per-attempt timeout for this call.
    pub timeout_ms: Option<u32>,
}

#[derive(Debug)]
struct Inner {
    base_url: String,
    reseller_segment: String,
    reseller: String,
    api_key: ApiKey,
    timeout_ms: u32,
    max_retries: u32,
    fetch: Option<Function>,
    headers: Vec<(String, String)>,
}

/// A LiveAgent Reseller API client. Cheap to clone; clones share the configuration.
///
/// # Examples
///
/// ```no_run
/// # async fn run() -> Result<(), liveagent_reseller::Error> {
/// use liveagent_reseller::{Client, Config};
/// let client = Client::new(Config::new(
///     "http://127.0.0.1:8080/api",
///     "reseller@example.com",
///     "sandbox-api-key",
/// ))?;
/// let accounts = client.list_accounts(None).await?;
/// for account in accounts.accounts.unwrap_or_default() {
///     println!("{:?}", account.domain);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Rc<Inner>,
}

const CONFIG: &str = "ResellerClient";

impl Client {
    /// Checks the configuration and builds a client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the base URL is not `http(s)://…` without
    /// query or fragment, the reseller id is not a usable path segment, the
    /// key is empty, the timeout is 0 or `max_retries` exceeds 10.
    pub fn new(config: Config) -> Result<Self, Error> {
        let base = config.base_url.trim_end_matches('/');
        let lower = base.get(..8).unwrap_or(base).to_ascii_lowercase();
        let has_scheme = lower.starts_with("http://") || lower.starts_with("https://");
        let has_host = base.split("//").nth(1).is_some_and(|rest| !rest.is_empty());
        if !has_scheme || !has_host || base.contains(['?', '#']) {
            return Err(Error::invalid_input(
                CONFIG,
                &["baseUrl must be an absolute http(s) URL without query or fragment"],
            ));
        }
        check_path_arg(CONFIG, "reseller", &config.reseller)?;
        if config.api_key.expose().is_empty() {
            return Err(Error::invalid_input(CONFIG, &["apiKey must not be empty"]));
        }
        if config.timeout_ms == 0 {
            return Err(Error::invalid_input(CONFIG, &["timeoutMs must be above 0"]));
        }
        if config.max_retries > RETRY_LIMIT {
            return Err(Error::invalid_input(
                CONFIG,
                &["maxRetries must be between 0 and 10"],
            ));
        }
        let mut reseller_segment = String::new();
        push_segment(&mut reseller_segment, &config.reseller);
        Ok(Client {
            inner: Rc::new(Inner {
                base_url: String::from(base),
                reseller_segment,
                reseller: config.reseller,
                api_key: config.api_key,
                timeout_ms: config.timeout_ms,
                max_retries: config.max_retries,
                fetch: config.fetch,
                headers: config.headers,
            }),
        })
    }

    /// The API root, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The reseller id.
    pub fn reseller(&self) -> &str {
        &self.inner.reseller
    }

    /// Sends a call and returns its payload (the envelope removed) as the
    /// host parsed it. Every error has the key scrubbed.
    pub(crate) async fn call(
        &self,
        op: &'static Operation,
        path_args: &[&str],
        params: &[Option<&str>],
        options: &CallOptions,
    ) -> Result<JsValue, Error> {
        let key = self.inner.api_key.expose();
        self.attempts(op, path_args, params, options)
            .await
            .map_err(|e| e.scrubbed(key))
    }

    async fn attempts(
        &self,
        op: &'static Operation,
        path_args: &[&str],
        params: &[Option<&str>],
        options: &CallOptions,
    ) -> Result<JsValue, Error> {
        let inner = &self.inner;
        let target = Target {
            base_url: &inner.base_url,
            reseller_segment: &inner.reseller_segment,
            api_key: inner.api_key.expose(),
        };
        let wire = request::build(op, target, path_args, params)?;
        let timeout_ms = options.timeout_ms.unwrap_or(inner.timeout_ms);
        let outgoing = Outgoing {
            fetch: inner.fetch.as_ref(),
            method: op.method,
            url: &wire.url,
            body: wire.body.as_deref(),
            headers: &inner.headers,
            timeout_ms,
            signal: options.signal.as_ref(),
        };
        let failed = |reason: Failed| match reason {
            Failed::Network(message) => Error::Network {
                operation: op.name,
                message,
            },
            Failed::Timeout => Error::Timeout {
                operation: op.name,
                timeout_ms,
            },
            Failed::Aborted => Error::Aborted { operation: op.name },
        };
        let retries = if op.method.is_idempotent() {
            inner.max_retries
        } else {
            0
        };
        let mut attempt = 0;
        loop {
            let (result, retry_after) = match transport::send(&outgoing).await {
                Ok(received) => {
                    let retry_after = received.retry_after.clone();
                    (decode::payload(op, received), retry_after)
                }
                Err(reason) => (Err(failed(reason)), None),
            };
            let error = match result {
                Ok(payload) => return Ok(payload),
                Err(error) if attempt < retries && error.is_retryable() => error,
                Err(error) => return Err(error),
            };
            let delay = retry_after
                .as_deref()
                .and_then(retry_after_ms)
                .unwrap_or_else(|| backoff_ms(attempt, js_sys::Math::random()));
            if delay > MAX_WAIT_MS {
                return Err(error);
            }
            transport::sleep(delay, options.signal.as_ref())
                .await
                .map_err(failed)?;
            attempt += 1;
        }
    }

    /// The common path of the generated Rust methods: call, then decode the
    /// payload into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        op: &'static Operation,
        path_args: &[&str],
        params: &[Option<&str>],
    ) -> Result<T, Error> {
        let payload = self
            .call(op, path_args, params, &CallOptions::default())
            .await?;
        serde_wasm_bindgen::from_value(payload.clone()).map_err(|e| {
            let body = js_sys::JSON::stringify(&payload)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            Error::Decode {
                operation: op.name,
                status: 200,
                message: e.to_string(),
                body,
            }
            .scrubbed(self.inner.api_key.expose())
        })
    }
}

/// `Retry-After` as a delay: seconds, or an HTTP date (parsed by the host).
/// `None` when it cannot be read (then the usual backoff applies).
fn retry_after_ms(value: &str) -> Option<u32> {
    retry_after_seconds(value).or_else(|| {
        let at = js_sys::Date::parse(value);
        if at.is_nan() {
            return None;
        }
        let wait = (at - js_sys::Date::now()).max(0.0);
        Some(wait.min(f64::from(u32::MAX)) as u32)
    })
}
