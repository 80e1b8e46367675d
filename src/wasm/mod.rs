//! Host functions of the Rust face on wasm32 (the npm face, `npm/`, imports
//! its own): how the host prints a value, for the messages of errors it
//! throws.

use js_sys::JsString;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `String(value)`: how the host prints any value. Caught: a hostile
    /// value's `toString` may throw, and must not unwind through the wasm.
    #[wasm_bindgen(catch, js_name = String)]
    pub fn to_js_string(value: &JsValue) -> Result<JsString, JsValue>;

    /// The host's global `fetch`, called directly rather than through
    /// gloo-net's `Request::send`, which panics (aborting the instance) when
    /// a page's `fetch` rejects with something other than an `Error` or
    /// answers with something other than a `Response`. Caught: a replaced
    /// `fetch` may throw.
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn fetch(request: &web_sys::Request) -> Result<js_sys::Promise, JsValue>;
}
