//! Host functions that both wasm faces use: the host's JSON parser (no
//! parser in the module), and the [`Document`] view of what it returns.

use alloc::string::String;

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;

use crate::sansio::document::{parse_int, Document};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, without copying it into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;

    /// `String(value)`: how the host prints any value.
    #[wasm_bindgen(js_name = String)]
    pub fn to_js_string(value: &JsValue) -> JsString;
}

/// Whether `text` is JSON, by the host's parser.
pub fn is_json(text: &str) -> bool {
    json_parse(&JsString::from(text)).is_ok()
}

/// Whether `n` is a whole number (`f64::fract` is not in `core`).
pub fn is_whole(n: f64) -> bool {
    n == (n as i64) as f64
}

impl Document for JsValue {
    fn member(&self, name: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        Reflect::get(self, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined())
    }
    fn is_null(&self) -> bool {
        JsValue::is_null(self)
    }
    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !Array::is_array(self)
    }
    fn array_len(&self) -> Option<u32> {
        Array::is_array(self).then(|| self.unchecked_ref::<Array>().length())
    }
    fn element(&self, index: u32) -> Option<Self> {
        Array::is_array(self).then(|| self.unchecked_ref::<Array>().get(index))
    }
    fn text(&self) -> Option<String> {
        if JsValue::is_null(self) || self.is_undefined() {
            None
        } else if let Some(s) = self.as_string() {
            Some(s)
        } else {
            to_js_string(self).as_string()
        }
    }
    fn int(&self) -> Option<i64> {
        match self.as_f64() {
            Some(n) if is_whole(n) => Some(n as i64),
            Some(_) => None,
            None => self.as_string().and_then(|s| parse_int(&s)),
        }
    }
}
