//! The Rust face: typed methods (generated) over the same request loop the
//! JS class uses.

use alloc::borrow::ToOwned;
use alloc::rc::Rc;
use alloc::string::ToString;

use js_sys::{Array, Object, Reflect};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::bindings::run;
pub use super::core::Config;
use super::core::Core;
use super::js::ClientCore;
use crate::error::Error;
use crate::operation::Operation;

/// A LiveAgent Reseller API client for Rust on wasm. Cheap to clone.
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
    core: Rc<Core>,
    /// The `ClientCore` JS object the request loop calls back into.
    js: JsValue,
}

impl Client {
    /// Checks the configuration and builds a client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the base URL is not `http(s)://…` without
    /// query or fragment, the reseller id is not a usable path segment, the
    /// key is empty, the timeout is 0 or `max_retries` exceeds 10.
    pub fn new(config: Config) -> Result<Self, Error> {
        let core = Rc::new(Core::new(config)?);
        let js = JsValue::from(ClientCore::with_core(Rc::clone(&core)));
        Ok(Client { core, js })
    }

    /// The API root, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

    /// The reseller id.
    pub fn reseller(&self) -> &str {
        self.core.reseller()
    }

    /// The common path of the generated methods: run the call, decode the
    /// payload into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        op: &'static Operation,
        path_args: &[&str],
        params: &[Option<&str>],
    ) -> Result<T, Error> {
        let args: Array = path_args.iter().map(|a| JsValue::from_str(a)).collect();
        let values = Object::new();
        for (param, value) in op.params.iter().zip(params) {
            if let Some(value) = value {
                let _ = Reflect::set(&values, &param.name.into(), &JsValue::from_str(value));
            }
        }
        let promise = run(&self.js, op.name, &args, &values, &JsValue::UNDEFINED);
        let payload = JsFuture::from(promise)
            .await
            .map_err(|e| from_js_error(op, self.core.timeout_ms(), &e))?;
        serde_wasm_bindgen::from_value(payload.clone()).map_err(|e| {
            let body = js_sys::JSON::stringify(&payload)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            self.core.scrub(Error::Decode {
                operation: op.name,
                status: 200,
                message: e.to_string(),
                body,
            })
        })
    }
}

/// The Rust error for a `LiveAgentError` that came back through JS.
fn from_js_error(op: &'static Operation, timeout_ms: u32, error: &JsValue) -> Error {
    let text = |key: &str| {
        Reflect::get(error, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let number = |key: &str| {
        Reflect::get(error, &key.into())
            .ok()
            .and_then(|v| v.as_f64())
    };
    let operation = op.name;
    let message = text("message").unwrap_or_default();
    // The message is "<operation>: <detail>"; keep the detail.
    let detail = message
        .split_once(": ")
        .map_or(message.as_str(), |(_, d)| d)
        .to_owned();
    match text("kind").as_deref() {
        Some("api") => Error::Api {
            operation,
            status: number("status").unwrap_or_default() as u16,
            statuscode: number("statuscode").map(|c| c as i64),
            errormessage: text("errormessage"),
            debugmessage: text("debugmessage"),
        },
        Some("timeout") => Error::Timeout {
            operation,
            timeout_ms,
        },
        Some("aborted") => Error::Aborted { operation },
        Some("decode") => Error::Decode {
            operation,
            status: number("status").unwrap_or_default() as u16,
            message: detail,
            body: text("body").unwrap_or_default(),
        },
        Some("invalid_input") => Error::InvalidInput {
            operation,
            message: detail,
        },
        _ => Error::Network {
            operation,
            message: detail.trim_start_matches("network error: ").to_owned(),
        },
    }
}
