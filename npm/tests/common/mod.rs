//! What the wasm test binaries (`wasm.rs`, `faults.rs`) share: the
//! sandbox's address and seeded names, the npm package's request loop, the
//! sandbox's control routes, the host's timer, and small readers of JS values.

use std::fmt::Debug;
use std::future::Future;
use std::task::Poll;

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Fixed at compile time: `make test` starts the sandbox there.
pub const SANDBOX: &str = match option_env!("SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:18080",
};

// What the native tests share too: the seeded names, a new account's
// params, the account checks, the deep bodies and the `Answering` transport.
#[path = "../../../tests/support/mod.rs"]
mod support;
pub use support::*;

#[wasm_bindgen(module = "/../js/driver.js")]
extern "C" {
    /// The request loop the package's `ResellerClient` methods call.
    #[wasm_bindgen(js_name = run)]
    pub fn run_loop(
        client: &JsValue,
        op: &str,
        args: &JsValue,
        params: &JsValue,
        options: &JsValue,
    ) -> Promise;

    /// A client of checked settings as the package makes one: its
    /// `ClientCore` (`make(text)`) and what stays in JS. Throws a
    /// `LiveAgentError`.
    #[wasm_bindgen(catch)]
    fn connect(settings: &JsValue, make: &Function) -> Result<JsValue, JsValue>;
}

// The modules driver.js imports, so that wasm-bindgen puts them beside it.
#[wasm_bindgen(module = "/../js/inputs.js")]
extern "C" {
    #[wasm_bindgen(js_name = encodeCall)]
    fn encode_call(
        op: &str,
        args: &JsValue,
        params: &JsValue,
        options: &JsValue,
        time_zone: &str,
    ) -> String;
}
#[wasm_bindgen(module = "/../js/text.js")]
extern "C" {
    /// How the driver reads a body's bytes (`ascii`: the core saw only ASCII).
    #[wasm_bindgen(js_name = bodyText)]
    pub fn body_text(bytes: &[u8], ascii: bool) -> String;
}
#[wasm_bindgen(module = "/../js/error.js")]
extern "C" {
    /// The `LiveAgentError` of a record the core wrote.
    #[wasm_bindgen(js_name = fromRecord)]
    pub fn from_record(record: &str) -> JsValue;
}
#[wasm_bindgen(module = "/../js/dates.js")]
extern "C" {
    #[wasm_bindgen(js_name = checkTimeZone)]
    fn check_time_zone(name: &str) -> bool;
}
#[wasm_bindgen(module = "/../js/config.js")]
extern "C" {
    /// The settings of `config`, as the constructor checks and reads them.
    /// Throws a `LiveAgentError`.
    #[wasm_bindgen(catch, js_name = checkConfig)]
    fn check_config(config: &JsValue) -> Result<JsValue, JsValue>;
}
// config.js imports it: named here so that wasm-bindgen puts it beside.
#[wasm_bindgen(module = "/../js/config-rules.js")]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = CLIENT)]
    static _CLIENT: JsValue;
}

/// A client of the npm face for `config` (a JS object), as the package's
/// `ResellerClient` makes one; `Err` is the `LiveAgentError` thrown.
pub fn new_client(config: JsValue) -> Result<JsValue, JsValue> {
    let make = Closure::<dyn Fn(String) -> Result<JsValue, JsValue>>::new(|text: String| {
        liveagent_reseller_npm::ClientCore::new(&text).map(JsValue::from)
    });
    connect(&check_config(&config)?, make.as_ref().unchecked_ref())
}

/// The call text `js/inputs.js` makes of these inputs.
#[allow(dead_code)] // not every test binary asks
pub fn call_text(op: &str, args: &JsValue, params: &JsValue) -> String {
    assert!(check_time_zone("UTC"));
    encode_call(op, args, params, &JsValue::UNDEFINED, "UTC")
}

/// A call to the sandbox's control routes (`/_sandbox/…`); its JSON answer.
/// A refused request (a bad fault rule) fails the test.
pub async fn control(method: &str, path: &str, body: Option<&str>) -> JsValue {
    let init = Object::new();
    set(&init, "method", &method.into());
    if let Some(body) = body {
        set(&init, "body", &body.into());
    }
    let fetch: Function = get(&js_sys::global(), "fetch").unchecked_into();
    let promise: Promise = fetch
        .call2(&JsValue::NULL, &format!("{SANDBOX}{path}").into(), &init)
        .unwrap()
        .unchecked_into();
    let response = JsFuture::from(promise)
        .await
        .expect("the sandbox is not running");
    let read: Function = get(&response, "text").unchecked_into();
    let promise: Promise = read.call0(&response).unwrap().unchecked_into();
    let body = JsFuture::from(promise).await.unwrap().as_string().unwrap();
    assert!(get(&response, "ok").is_truthy(), "{method} {path}: {body}");
    json(&body)
}

/// How many API requests whose path contains `needle` the sandbox logged.
pub async fn sandbox_saw(needle: &str) -> u32 {
    let log = control(
        "GET",
        &format!("/_sandbox/requests?path_contains={needle}"),
        None,
    )
    .await;
    let rows: Array = get(&log, "requests").unchecked_into();
    rows.length()
}

pub fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|e| panic!("bad JSON in test: {text}: {e:?}"))
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).unwrap();
}

pub fn text(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// A fresh suffix, so that tests, faces and hosts (Node, Chromium) sharing
/// one sandbox never share a path.
pub fn unique() -> String {
    format!("{:08x}", (js_sys::Math::random() * 4_294_967_295.0) as u32)
}

/// Resolves after `ms` on the host's timer.
pub async fn wait(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let set_timeout: Function = get(&js_sys::global(), "setTimeout").unchecked_into();
        set_timeout
            .call2(&JsValue::NULL, &resolve, &JsValue::from(ms))
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Polls `call` until `ms` have passed, then drops it; returns when. A
/// call that ends before fails the test `name`.
pub async fn drop_after<F: Future<Output: Debug>>(call: F, ms: i32, name: &str) -> f64 {
    let mut call = Box::pin(call);
    let mut timer = Box::pin(wait(ms));
    let dropped_at = std::future::poll_fn(|cx| {
        if let Poll::Ready(result) = call.as_mut().poll(cx) {
            panic!("{name}: the call ended before the drop: {result:?}");
        }
        timer.as_mut().poll(cx).map(|()| js_sys::Date::now())
    })
    .await;
    drop(call);
    dropped_at
}
