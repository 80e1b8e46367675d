//! The few host functions used, bound structurally so that any
//! fetch-compatible implementation (Node, workerd, a test double) works.

use js_sys::{JsString, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A `fetch` response, or anything shaped like one.
    pub type FetchResponse;

    #[wasm_bindgen(method, getter, structural)]
    pub fn status(this: &FetchResponse) -> JsValue;

    #[wasm_bindgen(method, getter, structural)]
    pub fn headers(this: &FetchResponse) -> JsValue;

    #[wasm_bindgen(method, structural, catch)]
    pub fn text(this: &FetchResponse) -> Result<Promise, JsValue>;

    /// `Headers`, or anything with a `get(name)`.
    pub type HeadersLike;

    #[wasm_bindgen(method, structural, catch)]
    pub fn get(this: &HeadersLike, name: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &js_sys::Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    /// `JSON.parse` on a JS string, without copying it into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
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
