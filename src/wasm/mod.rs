//! Host functions of the Rust face on wasm32 (the npm face, `npm/`, imports
//! its own): how the host prints a value, for the messages of errors it
//! throws.

use js_sys::JsString;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `String(value)`: how the host prints any value.
    #[wasm_bindgen(js_name = String)]
    pub fn to_js_string(value: &JsValue) -> JsString;
}
