//! From a received body to the payload: the host parses the JSON, the
//! envelope is removed, and the documented lists are checked.

use alloc::string::String;

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::bindings::json_parse;
use crate::error::Error;
use crate::money::quote_numbers;
use crate::operation::{ListShape, Operation};

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads an envelope field as text; numbers are printed by the host.
fn text_field(object: &JsValue, name: &str) -> Option<String> {
    let value = field(object, name);
    if value.is_null() || value.is_undefined() {
        None
    } else if let Some(s) = value.as_string() {
        Some(s)
    } else {
        super::bindings::to_js_string(&value).as_string()
    }
}

fn int_field(object: &JsValue, name: &str) -> Option<i64> {
    let value = field(object, name);
    match value.as_f64() {
        Some(n) if crate::wasm::js::is_whole(n) => Some(n as i64),
        Some(_) => None,
        None => value.as_string().and_then(|s| s.trim().parse().ok()),
    }
}

fn parse(op: &Operation, body: &JsString) -> Result<JsValue, JsValue> {
    let has_money = op.money.iter().any(|name| body.includes(name, 0));
    if has_money {
        let text = String::from(body);
        if let Some(fixed) = quote_numbers(&text, op.money) {
            return json_parse(&JsString::from(fixed.as_str()));
        }
    }
    json_parse(body)
}

/// Finds the first row of a documented list that is not an object.
fn check_lists(payload: &JsValue, lists: &[ListShape]) -> Result<(), String> {
    for list in lists {
        let value = field(payload, list.field);
        if value.is_null() || value.is_undefined() {
            continue;
        }
        if !value.is_array() {
            return Err(crate::error::join(&[list.field, " is not a list"]));
        }
        let rows: &Array = value.unchecked_ref();
        for index in 0..rows.length() {
            let row = rows.get(index);
            if !row.is_object() || row.is_array() {
                return Err(crate::error::join(&[
                    list.field,
                    " has a row that is not an object",
                ]));
            }
            check_lists(&row, list.rows)?;
        }
    }
    Ok(())
}

/// The payload of a successful call, or the error the response means.
pub fn payload(op: &'static Operation, status: u16, body: &JsString) -> Result<JsValue, Error> {
    let ok = (200..300).contains(&status);
    let undecodable = |message: &str| {
        if ok {
            Error::Decode {
                operation: op.name,
                status,
                message: String::from(message),
                body: String::from(body),
            }
        } else {
            Error::Api {
                operation: op.name,
                status,
                statuscode: None,
                errormessage: None,
                debugmessage: None,
            }
        }
    };
    let Ok(document) = parse(op, body) else {
        return Err(undecodable("the body is not JSON"));
    };
    let payload = field(&document, "response");
    if !payload.is_object() || payload.is_array() {
        return Err(undecodable(
            "the body has no {\"response\": {...}} envelope",
        ));
    }
    let is_error = field(&payload, "status").as_string().as_deref() == Some("ERROR");
    if is_error || !ok {
        return Err(Error::Api {
            operation: op.name,
            status,
            statuscode: int_field(&payload, "statuscode"),
            errormessage: text_field(&payload, "errormessage"),
            debugmessage: text_field(&payload, "debugmessage"),
        });
    }
    check_lists(&payload, op.lists).map_err(|message| undecodable(&message))?;
    Ok(payload)
}
