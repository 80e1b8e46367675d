//! Host functions that both wasm faces use: the host's JSON parser (no
//! parser in the module), and the [`Document`] view of what it returns.

use alloc::string::String;

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;

use crate::sansio::document::{parse_int, Document, Kind};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, without copying it into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;

    /// `String(value)`: how the host prints any value.
    #[wasm_bindgen(js_name = String)]
    pub fn to_js_string(value: &JsValue) -> JsString;
}

/// Whether `n` is a whole number (`f64::fract` is not in `core`).
pub fn is_whole(n: f64) -> bool {
    n == (n as i64) as f64
}

impl Document for JsValue {
    type Key = JsValue;
    fn key(name: &str) -> JsValue {
        JsValue::from_str(name)
    }
    /// One boundary call: no "is it an object" or "is it undefined" asked
    /// first (the checks run once per field of every row). `Reflect.get`
    /// throws on a non-object, which is `None`; an absent member comes back
    /// as `undefined`, which every reader takes as `null`.
    fn get(&self, key: &JsValue) -> Option<Self> {
        Reflect::get(self, key).ok()
    }
    fn is_text(&self) -> bool {
        self.is_string()
    }
    fn kind(&self) -> Kind {
        if self.is_string() {
            Kind::Text
        } else if self.as_f64().is_some() {
            Kind::Number
        } else if JsValue::is_null(self) || self.is_undefined() {
            Kind::Null
        } else if self.as_bool().is_some() {
            Kind::Bool
        } else if Array::is_array(self) {
            Kind::List
        } else if JsValue::is_object(self) {
            Kind::Object
        } else {
            // A function or a symbol cannot come out of JSON.parse.
            Kind::Null
        }
    }
    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !Array::is_array(self)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
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
    fn keys(&self) -> alloc::vec::Vec<String> {
        if !Document::is_object(self) {
            return alloc::vec::Vec::new();
        }
        let keys = js_sys::Object::keys(self.unchecked_ref::<js_sys::Object>());
        keys.iter().filter_map(|k| k.as_string()).collect()
    }
    fn int(&self) -> Option<i64> {
        match self.as_f64() {
            Some(n) if is_whole(n) => Some(n as i64),
            Some(_) => None,
            None => self.as_string().and_then(|s| parse_int(&s)),
        }
    }
}
