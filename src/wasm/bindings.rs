//! The host functions used: `JSON.parse`, the `LiveAgentError` factory and
//! the request loop of `js/transport.js`.

use alloc::string::String;

use js_sys::JsString;
#[cfg(feature = "rust-api")]
use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, without copying it into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// `Object.entries`, catching what a getter or a proxy throws.
    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    pub fn own_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// `String(value)`: how the host prints any value.
    #[wasm_bindgen(js_name = String)]
    pub fn to_js_string(value: &JsValue) -> JsString;
}

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// Builds a `LiveAgentError` (see `js/error.js`).
    #[wasm_bindgen(js_name = makeError)]
    #[allow(clippy::too_many_arguments)]
    pub fn make_error(
        message: &str,
        kind: &str,
        operation: &str,
        retryable: bool,
        status: Option<u16>,
        statuscode: Option<f64>,
        errormessage: Option<String>,
        debugmessage: Option<String>,
        body: Option<String>,
    ) -> JsValue;
}

#[cfg(feature = "rust-api")]
#[wasm_bindgen(module = "/js/transport.js")]
extern "C" {
    /// Runs an operation on a `ClientCore` object: the request loop.
    pub fn run(
        core: &JsValue,
        op: &str,
        args: &JsValue,
        params: &JsValue,
        options: &JsValue,
    ) -> Promise;
}
