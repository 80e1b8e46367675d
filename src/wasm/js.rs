//! `ResellerClient`, the JS face of [`Client`]: reads JS values, checks them,
//! and turns every failure into a `LiveAgentError` rejection.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::bindings::make_error;
use super::client::{CallOptions, Client, Config, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS};
use crate::error::Error;
use crate::operation::{Operation, ParamsObject, Segment};
use crate::secret::ApiKey;

/// The `LiveAgentError` for `error`.
pub fn to_js_error(error: &Error) -> JsValue {
    let (statuscode, errormessage, debugmessage, body) = match error {
        Error::Api {
            statuscode,
            errormessage,
            debugmessage,
            ..
        } => (
            statuscode.map(|c| c as f64),
            errormessage.clone(),
            debugmessage.clone(),
            None,
        ),
        Error::Decode { body, .. } => (None, None, None, Some(body.clone())),
        _ => (None, None, None, None),
    };
    make_error(
        &error.message(),
        error.kind().as_str(),
        error.operation(),
        error.is_retryable(),
        error.status(),
        statuscode,
        errormessage,
        debugmessage,
        body,
    )
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn invalid(operation: &'static str, parts: &[&str]) -> Error {
    Error::invalid_input(operation, parts)
}

/// A string value, or `None` when absent; anything else is an input error.
fn optional_string(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Option<String>, Error> {
    if is_absent(value) {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| invalid(operation, &[name, " must be a string"]))
}

/// A whole number of milliseconds in `1..=2^31-1` (the range `setTimeout` honours).
fn optional_millis(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Option<u32>, Error> {
    if is_absent(value) {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (1.0..=2_147_483_647.0).contains(&n) => Ok(Some(n as u32)),
        _ => Err(invalid(
            operation,
            &[
                name,
                " must be a whole number of milliseconds from 1 to 2147483647",
            ],
        )),
    }
}

fn read_options(
    operation: &'static str,
    options: Option<JsCallOptions>,
) -> Result<CallOptions, Error> {
    let Some(options) = options.map(JsValue::from).filter(|o| !o.is_null()) else {
        return Ok(CallOptions::default());
    };
    if !options.is_object() {
        return Err(invalid(operation, &["options must be an object"]));
    }
    let signal = get(&options, "signal");
    let signal = if is_absent(&signal) {
        None
    } else if get(&signal, "aborted").as_bool().is_some()
        && get(&signal, "addEventListener").is_function()
    {
        Some(signal.unchecked_into::<AbortSignal>())
    } else {
        return Err(invalid(
            operation,
            &["options.signal must be an AbortSignal"],
        ));
    };
    Ok(CallOptions {
        signal,
        timeout_ms: optional_millis(operation, "options.timeoutMs", &get(&options, "timeoutMs"))?,
    })
}

fn read_path_args(op: &'static Operation, values: &[JsValue]) -> Result<Vec<String>, Error> {
    let names = op.path.iter().filter_map(|s| match s {
        Segment::Arg(name) => Some(*name),
        Segment::Literal(_) => None,
    });
    names
        .zip(values)
        .map(|(name, value)| {
            optional_string(op.name, name, value)?
                .ok_or_else(|| invalid(op.name, &[name, " is required"]))
        })
        .collect()
}

fn read_params(op: &'static Operation, params: &JsValue) -> Result<Vec<Option<String>>, Error> {
    if is_absent(params) {
        if op.params_object == ParamsObject::Required {
            return Err(invalid(op.name, &["the params object is required"]));
        }
        return Ok(vec![None; op.params.len()]);
    }
    if !params.is_object() || params.is_array() {
        return Err(invalid(op.name, &["params must be an object"]));
    }
    op.params
        .iter()
        .map(|p| optional_string(op.name, p.name, &get(params, p.name)))
        .collect()
}

#[wasm_bindgen]
extern "C" {
    /// The per-call options object; named so that TypeScript shows `options?: CallOptions`.
    #[wasm_bindgen(typescript_type = "CallOptions")]
    pub type JsCallOptions;
}

#[wasm_bindgen(typescript_custom_section)]
const CONFIG_TYPES: &str = r#"
/** How a ResellerClient reaches the API. */
export interface ResellerClientConfig {
  /** The API root, as in the docs' example URLs: `https://<you>.ladesk.com/api`. A trailing `/` is fine. */
  baseUrl: string;
  /** `[reselleridentifier]`: the reseller's email or userid. */
  reseller: string;
  /** The API key. It stays inside the wasm; it is never a property of the client. */
  apiKey: string;
  /** Per-attempt timeout in milliseconds (default 30000). */
  timeoutMs?: number | undefined;
  /** Retries of GET, PUT and DELETE on 502/503/504, network errors and timeouts (default 2, at most 10). POST is never retried. */
  maxRetries?: number | undefined;
  /** A fetch-compatible function to use instead of the global `fetch` (tests, proxies, service bindings). */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** Options of one call, always the last argument. */
export interface CallOptions {
  /** Cancels the call: the request in flight and any wait before a retry. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout for this call, overriding the client's. */
  timeoutMs?: number | undefined;
}
"#;

/// A LiveAgent Reseller API client.
///
/// Every method returns a Promise of the documented return fields (the
/// `{"response": …}` envelope removed) and rejects with a `LiveAgentError`.
/// The API key stays inside the wasm: it is not a property of this object.
#[wasm_bindgen]
#[derive(Debug)]
pub struct ResellerClient {
    client: Client,
}

#[wasm_bindgen]
impl ResellerClient {
    /// Checks the configuration; throws a `LiveAgentError` (`invalid_input`) when it is unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ResellerClientConfig")] config: JsValue,
    ) -> Result<ResellerClient, JsValue> {
        Self::from_js(&config).map_err(|e| to_js_error(&e))
    }

    /// The API root this client calls, without a trailing `/`.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        String::from(self.client.base_url())
    }

    /// The reseller id this client acts as.
    #[wasm_bindgen(getter)]
    pub fn reseller(&self) -> String {
        String::from(self.client.reseller())
    }

    /// What `JSON.stringify` shows: the endpoint, never the key.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ baseUrl: string; reseller: string }")]
    pub fn to_json(&self) -> JsValue {
        let out = Object::new();
        let _ = Reflect::set(&out, &"baseUrl".into(), &self.base_url().into());
        let _ = Reflect::set(&out, &"reseller".into(), &self.reseller().into());
        out.into()
    }
}

const NEW: &str = "ResellerClient";

impl ResellerClient {
    fn from_js(config: &JsValue) -> Result<Self, Error> {
        if !config.is_object() {
            return Err(invalid(NEW, &["the config object is required"]));
        }
        let required = |name: &str| {
            optional_string(NEW, name, &get(config, name))?
                .ok_or_else(|| invalid(NEW, &[name, " is required"]))
        };
        let mut settings = Config::new(&required("baseUrl")?, &required("reseller")?, "");
        settings.api_key = ApiKey::new(required("apiKey")?);
        settings.timeout_ms = optional_millis(NEW, "timeoutMs", &get(config, "timeoutMs"))?
            .unwrap_or(DEFAULT_TIMEOUT_MS);
        let retries = get(config, "maxRetries");
        settings.max_retries = match retries.as_f64() {
            _ if is_absent(&retries) => DEFAULT_MAX_RETRIES,
            Some(n) if n.fract() == 0.0 && (0.0..=10.0).contains(&n) => n as u32,
            _ => {
                return Err(invalid(
                    NEW,
                    &["maxRetries must be a whole number from 0 to 10"],
                ))
            }
        };
        let fetch = get(config, "fetch");
        settings.fetch = match fetch.dyn_into::<Function>() {
            Ok(f) => Some(f),
            Err(v) if is_absent(&v) => None,
            Err(_) => return Err(invalid(NEW, &["fetch must be a function"])),
        };
        let headers = get(config, "headers");
        if !is_absent(&headers) {
            if !headers.is_object() || headers.is_array() {
                return Err(invalid(NEW, &["headers must be an object of strings"]));
            }
            for entry in Object::entries(headers.unchecked_ref::<Object>()).iter() {
                let pair: Array = entry.unchecked_into();
                let (name, value) = (pair.get(0).as_string(), pair.get(1).as_string());
                match (name, value) {
                    (Some(name), Some(value)) => settings.headers.push((name, value)),
                    _ => return Err(invalid(NEW, &["headers must be an object of strings"])),
                }
            }
        }
        Ok(ResellerClient {
            client: Client::new(settings)?,
        })
    }

    /// The common path of the generated JS methods.
    pub(crate) fn dispatch(
        &self,
        op: &'static Operation,
        path_args: &[JsValue],
        params: JsValue,
        options: Option<JsCallOptions>,
    ) -> Promise {
        let client = self.client.clone();
        let path_args = read_path_args(op, path_args);
        future_to_promise(async move {
            let result = async {
                let path_args = path_args?;
                let values = read_params(op, &params)?;
                let options = read_options(op.name, options)?;
                let args: Vec<&str> = path_args.iter().map(String::as_str).collect();
                let values: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
                client.call(op, &args, &values, &options).await
            }
            .await;
            result.map_err(|e| to_js_error(&e))
        })
    }
}

/// The codes of a documented value set with their meanings, in the
/// documented order (for legends and pickers); empty for an unknown name.
#[wasm_bindgen(js_name = valueSet, unchecked_return_type = "Array<[code: string, meaning: string]>")]
pub fn value_set(#[wasm_bindgen(unchecked_param_type = "ValueSetName")] name: &str) -> Array {
    let out = Array::new();
    if let Some(set) = crate::value_sets().iter().find(|s| s.name == name) {
        for (code, meaning) in set.codes {
            out.push(&Array::of2(
                &JsValue::from_str(code),
                &JsValue::from_str(meaning),
            ));
        }
    }
    out
}
