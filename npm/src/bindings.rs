//! The host functions only the npm face uses: the `LiveAgentError` factory
//! of `js/error.js`, `Object.entries`, and the row checks of `js/document.js`
//! and `js/drift.js`.

use alloc::string::String;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, without copying it into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;

    /// `Object.entries`, catching what a getter or a proxy throws.
    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    pub fn own_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// `Object.hasOwn`, catching what a proxy throws: a member inherited
    /// from a polluted `Object.prototype` is never read.
    #[wasm_bindgen(js_namespace = Object, js_name = hasOwn, catch)]
    pub fn has_own(value: &JsValue, key: &str) -> Result<bool, JsValue>;

    /// `String.prototype.isWellFormed`: no lone surrogate (Node 20,
    /// browsers since 2023); throws where it is missing. Cheaper than
    /// js-sys' `is_valid_utf16`, which brings a UTF-16 decoder into the wasm.
    #[wasm_bindgen(js_namespace = ["String", "prototype", "isWellFormed"], js_name = call, catch)]
    pub fn is_well_formed(text: &js_sys::JsString) -> Result<bool, JsValue>;
}

#[wasm_bindgen(module = "/../js/error.js")]
extern "C" {
    /// Builds a `LiveAgentError` (see `js/error.js`).
    #[wasm_bindgen(js_name = makeError)]
    #[allow(clippy::too_many_arguments)]
    pub fn make_error(
        message: &str,
        kind: &str,
        operation: &str,
        retryable: bool,
        maybe_applied: bool,
        status: Option<u16>,
        statuscode: Option<f64>,
        errormessage: Option<String>,
        debugmessage: Option<String>,
        body: Option<String>,
        retry_after_ms: Option<f64>,
        cause: &JsValue,
    ) -> JsValue;
}

#[wasm_bindgen(module = "/../js/dates.js")]
extern "C" {
    /// A `Date` as `YYYY-MM-DD HH:MM:SS` in `time_zone` (the host's `Intl`
    /// knows the zone's rules); `None` for an invalid `Date`.
    #[wasm_bindgen(js_name = formatForCore)]
    pub fn format_for_core(date: &JsValue, time_zone: &str) -> Option<String>;

    /// Whether the host knows the IANA time zone `name`.
    #[wasm_bindgen(js_name = checkTimeZone)]
    pub fn check_time_zone(name: &str) -> bool;
}

#[wasm_bindgen(module = "/../js/document.js")]
extern "C" {
    /// Whether every member `names` of `object` is a string, `null` or
    /// absent (see [`crate::sansio::call::Body::all_text`]); `false` when
    /// reading one throws (a getter), so that the core reads each as before.
    #[wasm_bindgen(js_name = allText)]
    pub fn all_text(object: &JsValue, names: &js_sys::Array) -> bool;
}

// Its own module: wasm-bindgen imports a second function of
// `js/document.js` as a second copy of that module.
#[wasm_bindgen(module = "/../js/drift.js")]
extern "C" {
    /// What `object` holds beyond `names` and outside the sets of `codes`
    /// that `seen` does not hold yet (see
    /// [`crate::sansio::call::Body::oddities`]): `undefined`, or fields as
    /// names and codes as `[name, value]`.
    pub fn oddities(
        object: &JsValue,
        names: &js_sys::Array,
        codes: &js_sys::Array,
        seen: &js_sys::Array,
    ) -> JsValue;
}

/// Whether `n` is a whole number (`f64::fract` is not in `core`).
pub fn is_whole(n: f64) -> bool {
    n == (n as i64) as f64
}
