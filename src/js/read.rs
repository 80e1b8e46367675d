//! Reading what JS hands over: every value is checked, and anything that is
//! not what the contract says is an `invalid_input` error naming it.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::bindings::{format_for_core, has_own, is_well_formed, own_entries};
use crate::sansio::config::{check_header, max_retries, millis, MILLIS, RETRIES};
use crate::sansio::error::Error;
use crate::sansio::operation::{Operation, Param, ParamKind, ParamsObject, Segment};
use crate::sansio::request::{unknown_key, unknown_param};
use crate::wasm::is_whole;

/// Any member, inherited ones included: for the host's objects (an
/// error's `name`, a signal's `aborted`).
pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// An own member only: for the caller's objects (config, params, options),
/// so that what a page put on `Object.prototype` (`fetch`, `note`,
/// `headers`, `body`) is never used or sent.
pub fn own(object: &JsValue, key: &str) -> JsValue {
    if object.is_object() && has_own(object, key) == Ok(true) {
        get(object, key)
    } else {
        JsValue::UNDEFINED
    }
}

/// Every own key of `object` that is set (not `undefined`) must be one of
/// `known`: a misspelled option is an error naming the closest name.
pub fn check_keys(
    operation: &'static str,
    what: &str,
    object: &JsValue,
    known: &'static [&'static str],
) -> Result<(), Error> {
    let entries =
        own_entries(object).map_err(|_| invalid(operation, &[what, " must be an object"]))?;
    for index in 0..entries.length() {
        let pair: Array = entries.get(index).unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        if !pair.get(1).is_undefined() && !known.contains(&key.as_str()) {
            return Err(unknown_key(operation, what, &key, known));
        }
    }
    Ok(())
}

/// The per-call options' keys.
const OPTION_KEYS: &[&str] = &["signal", "timeoutMs", "maxRetries", "headers"];

pub fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn invalid(operation: &'static str, parts: &[&str]) -> Error {
    Error::invalid_input(operation, parts)
}

/// Whether `value` is a plain object (`{…}` or `Object.create(null)`).
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let proto: JsValue = Object::get_prototype_of(value).into();
    proto.is_null() || proto == JsValue::from(Object::get_prototype_of(&Object::new()))
}

/// A string value, or `None` when absent; anything else is an input error.
pub fn optional_string(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Option<String>, Error> {
    if is_absent(value) {
        return Ok(None);
    }
    // A lone surrogate would be sent as U+FFFD: another value than given.
    if value
        .dyn_ref::<js_sys::JsString>()
        .is_some_and(|s| is_well_formed(s) == Ok(false))
    {
        return Err(invalid(
            operation,
            &[
                name,
                " is not well-formed Unicode (it holds a lone surrogate)",
            ],
        ));
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| invalid(operation, &[name, " must be a string"]))
}

/// A whole number of milliseconds, in the range of [`millis`].
pub fn optional_millis(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Option<u32>, Error> {
    if is_absent(value) {
        return Ok(None);
    }
    match value.as_f64() {
        // `as` saturates: a huge number fails the range check.
        Some(n) if is_whole(n) && n >= 0.0 => millis(operation, name, n as u64).map(Some),
        _ => Err(invalid(operation, &[name, MILLIS])),
    }
}

/// A whole number of retries, in the range of [`max_retries`].
pub fn optional_retries(operation: &'static str, value: &JsValue) -> Result<Option<u32>, Error> {
    if is_absent(value) {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if is_whole(n) && n >= 0.0 => {
            max_retries(operation, "maxRetries", n as u32).map(Some)
        }
        _ => Err(invalid(operation, &["maxRetries", RETRIES])),
    }
}

/// A plain object of string headers (a `Headers` instance has no own
/// entries and would silently send nothing).
pub fn headers(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    if is_absent(value) {
        return Ok(out);
    }
    let not_strings = || invalid(operation, &[name, " must be a plain object of strings"]);
    if !is_plain_object(value) {
        return Err(not_strings());
    }
    let entries = own_entries(value).map_err(|_| not_strings())?;
    for index in 0..entries.length() {
        let pair: Array = entries.get(index).unchecked_into();
        match (pair.get(0).as_string(), pair.get(1).as_string()) {
            (Some(name), Some(value)) => {
                check_header(operation, &name, &value)?;
                out.push((name, value));
            }
            _ => return Err(not_strings()),
        }
    }
    Ok(out)
}

/// Per-call options: `{signal, timeoutMs, maxRetries, headers}`.
pub struct CallOptions {
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
    pub headers: Vec<(String, String)>,
}

pub fn options(operation: &'static str, options: &JsValue) -> Result<CallOptions, Error> {
    if is_absent(options) {
        return Ok(CallOptions {
            timeout_ms: None,
            max_retries: None,
            headers: Vec::new(),
        });
    }
    if !options.is_object() {
        return Err(invalid(operation, &["options must be an object"]));
    }
    check_keys(operation, "options", options, OPTION_KEYS)?;
    let signal = own(options, "signal");
    let is_signal = get(&signal, "aborted").as_bool().is_some()
        && get(&signal, "addEventListener").is_function();
    if !is_absent(&signal) && !is_signal {
        return Err(invalid(
            operation,
            &["options.signal must be an AbortSignal"],
        ));
    }
    Ok(CallOptions {
        timeout_ms: optional_millis(operation, "options.timeoutMs", &own(options, "timeoutMs"))?,
        max_retries: optional_retries(operation, &own(options, "maxRetries"))?,
        headers: headers(operation, "options.headers", &own(options, "headers"))?,
    })
}

pub fn path_args(op: &'static Operation, values: &Array) -> Result<Vec<String>, Error> {
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

/// A param's value: a string, or for a datetime a `Date`, written in
/// `time_zone`.
fn param_value(
    op: &'static Operation,
    param: &Param,
    value: &JsValue,
    time_zone: &str,
) -> Result<Option<String>, Error> {
    if param.kind == ParamKind::Datetime && value.is_instance_of::<js_sys::Date>() {
        return match format_for_core(value, time_zone) {
            Some(text) => Ok(Some(text)),
            None => Err(invalid(op.name, &[param.name, " must be a valid Date"])),
        };
    }
    optional_string(op.name, param.name, value)
}

/// The documented params, in `op.params` order; a key the docs do not
/// name is an error (a misspelled optional field must not be dropped).
/// A `Date` for a datetime is written in `time_zone`.
pub fn params(
    op: &'static Operation,
    params: &JsValue,
    time_zone: &str,
) -> Result<Vec<Option<String>>, Error> {
    if is_absent(params) {
        if op.params_object == ParamsObject::Required {
            return Err(invalid(op.name, &["the params object is required"]));
        }
        return Ok(vec![None; op.params.len()]);
    }
    if !params.is_object() || Array::is_array(params) {
        return Err(invalid(op.name, &["params must be an object"]));
    }
    let entries =
        own_entries(params).map_err(|_| invalid(op.name, &["params must be an object"]))?;
    for index in 0..entries.length() {
        let pair: Array = entries.get(index).unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        if !pair.get(1).is_undefined() && !op.params.iter().any(|p| p.name == key) {
            return Err(unknown_param(op, &key));
        }
    }
    let mut out = Vec::with_capacity(op.params.len());
    for param in op.params {
        out.push(param_value(op, param, &own(params, param.name), time_zone)?);
    }
    Ok(out)
}
