//! The JS face of [`Client`]: reads JS values, checks them, and turns every
//! failure into a `LiveAgentError` rejection.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Array, Function, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::bindings::{make_error, own_entries};
use super::core::{
    Config, Core, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, MILLIS, RETRIES,
};
use crate::error::Error;
use crate::generated::ops;
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

/// Whether `n` is a whole number (`f64::fract` is not in `core`).
pub(crate) fn is_whole(n: f64) -> bool {
    n == (n as i64) as f64
}

/// Whether `value` is a plain object (`{…}` or `Object.create(null)`).
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let proto: JsValue = Object::get_prototype_of(value).into();
    proto.is_null() || proto == JsValue::from(Object::get_prototype_of(&Object::new()))
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
        Some(n) if is_whole(n) && (1.0..=f64::from(MAX_TIMEOUT_MS)).contains(&n) => {
            Ok(Some(n as u32))
        }
        _ => Err(invalid(operation, &[name, MILLIS])),
    }
}

/// The per-call timeout; the signal is only checked here (the request loop uses it).
fn read_options(operation: &'static str, options: &JsValue) -> Result<Option<u32>, Error> {
    if is_absent(options) {
        return Ok(None);
    }
    if !options.is_object() {
        return Err(invalid(operation, &["options must be an object"]));
    }
    let signal = get(options, "signal");
    let is_signal = get(&signal, "aborted").as_bool().is_some()
        && get(&signal, "addEventListener").is_function();
    if !is_absent(&signal) && !is_signal {
        return Err(invalid(
            operation,
            &["options.signal must be an AbortSignal"],
        ));
    }
    optional_millis(operation, "options.timeoutMs", &get(options, "timeoutMs"))
}

fn read_path_args(op: &'static Operation, values: &Array) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut index = 0;
    for segment in op.path {
        if let Segment::Arg(name) = *segment {
            let value = values.get(index);
            index += 1;
            match optional_string(op.name, name, &value)? {
                Some(text) => out.push(text),
                None => return Err(invalid(op.name, &[name, " is required"])),
            }
        }
    }
    Ok(out)
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
    let mut out = Vec::with_capacity(op.params.len());
    for param in op.params {
        out.push(optional_string(
            op.name,
            param.name,
            &get(params, param.name),
        )?);
    }
    Ok(out)
}

/// The wasm side of the JS class `ResellerClient` (`js/client.js`, generated
/// from the spec). Its 21 methods are one-line wrappers over
/// `run(core, "listAccounts", …)` (`js/transport.js`), which asks this object
/// to prepare each request and finish each response: one request path for
/// all calls, and the API key never leaves the wasm.
#[wasm_bindgen]
#[derive(Debug)]
pub struct ClientCore {
    core: Rc<Core>,
}

fn operation(name: &str) -> Result<&'static crate::operation::Operation, Error> {
    ops::ALL
        .iter()
        .copied()
        .find(|op| op.name == name)
        .ok_or_else(|| invalid(NEW, &["unknown operation ", name]))
}

#[wasm_bindgen]
impl ClientCore {
    /// Checks the configuration; throws a `LiveAgentError` (`invalid_input`) when it is unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ClientCore, JsValue> {
        Self::from_js(&config).map_err(|e| to_js_error(&e))
    }

    /// Checks the inputs of the operation named `op` and lays out its
    /// request; throws a `LiveAgentError` (`invalid_input`).
    pub fn prepare(
        &self,
        op: &str,
        path_args: Array,
        params: JsValue,
        options: JsValue,
    ) -> Result<Object, JsValue> {
        let prepared = operation(op).and_then(|op| {
            let path_args = read_path_args(op, &path_args)?;
            let values = read_params(op, &params)?;
            let timeout = read_options(op.name, &options)?;
            let args: Vec<&str> = path_args.iter().map(String::as_str).collect();
            let values: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
            self.core.prepare(op, &args, &values, timeout)
        });
        prepared.map_err(|e| to_js_error(&self.core.scrub(e)))
    }

    /// The payload of a response to `op`; throws the `LiveAgentError` it means.
    pub fn finish(&self, op: &str, status: u16, body: JsString) -> Result<JsValue, JsValue> {
        operation(op)
            .and_then(|op| self.core.finish(op, status, &body))
            .map_err(|e| to_js_error(&e))
    }

    /// The `LiveAgentError` for an attempt with no response (`kind`:
    /// `"network"`, `"timeout"` or `"aborted"`).
    pub fn failure(&self, op: &str, timeout_ms: u32, kind: &str, message: &str) -> JsValue {
        match operation(op) {
            Ok(op) => to_js_error(&self.core.failure(op, timeout_ms, kind, message)),
            Err(e) => to_js_error(&e),
        }
    }
}

#[cfg(feature = "rust-api")]
impl ClientCore {
    /// Wraps a checked configuration (shared with a Rust [`super::client::Client`]).
    pub(crate) fn with_core(core: Rc<Core>) -> Self {
        ClientCore { core }
    }
}

const NEW: &str = "ResellerClient";

impl ClientCore {
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
            Some(n) if is_whole(n) && (0.0..=10.0).contains(&n) => n as u32,
            _ => return Err(invalid(NEW, &[RETRIES])),
        };
        let fetch = get(config, "fetch");
        settings.fetch = match fetch.dyn_into::<Function>() {
            Ok(f) => Some(f),
            Err(v) if is_absent(&v) => None,
            Err(_) => return Err(invalid(NEW, &["fetch must be a function"])),
        };
        let headers = get(config, "headers");
        if !is_absent(&headers) {
            // A plain object only: a `Headers` instance has no own entries and
            // would silently send nothing.
            let not_strings = || invalid(NEW, &["headers must be a plain object of strings"]);
            if !is_plain_object(&headers) {
                return Err(not_strings());
            }
            let entries = own_entries(&headers).map_err(|_| not_strings())?;
            for index in 0..entries.length() {
                let pair: Array = entries.get(index).unchecked_into();
                let (name, value) = (pair.get(0).as_string(), pair.get(1).as_string());
                match (name, value) {
                    (Some(name), Some(value)) => settings.headers.push((name, value)),
                    _ => return Err(not_strings()),
                }
            }
        }
        Ok(ClientCore {
            core: Rc::new(Core::new(settings)?),
        })
    }
}
