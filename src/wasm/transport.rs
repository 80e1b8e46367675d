//! One attempt over `fetch`, bounded by a timeout and the caller's signal.

use js_sys::{Array, Function, JsString, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use super::bindings::{clear_timeout, set_timeout, FetchResponse, HeadersLike};
use crate::operation::Method;

/// What came back from one attempt.
pub struct Received {
    /// HTTP status.
    pub status: u16,
    /// `Retry-After` header, when present.
    pub retry_after: Option<String>,
    /// The body, still a JS string.
    pub body: JsString,
}

/// Why an attempt produced no response.
pub enum Failed {
    /// Host-reported failure, with its message.
    Network(String),
    /// The per-attempt timer fired.
    Timeout,
    /// The caller's signal fired.
    Aborted,
}

/// What one attempt sends.
pub struct Outgoing<'a> {
    /// The fetch function to call (`globalThis.fetch` when `None`).
    pub fetch: Option<&'a Function>,
    /// HTTP method.
    pub method: Method,
    /// Absolute URL.
    pub url: &'a str,
    /// Form body.
    pub body: Option<&'a str>,
    /// Extra headers from the configuration.
    pub headers: &'a [(String, String)],
    /// Per-attempt timeout.
    pub timeout_ms: u32,
    /// Caller's signal.
    pub signal: Option<&'a AbortSignal>,
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Cannot fail on a plain object we just created.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Owns the timer and the listener of one attempt: whatever way the attempt
/// ends (including the Rust future being dropped), they are released, and an
/// unfinished request is aborted.
struct Attempt<'a> {
    controller: AbortController,
    abort: Function,
    timer: JsValue,
    signal: Option<&'a AbortSignal>,
    finished: bool,
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let Some(signal) = self.signal {
            let _ = signal.remove_event_listener_with_callback("abort", &self.abort);
        }
        if !self.finished {
            self.controller.abort();
        }
    }
}

fn message_of(error: &JsValue) -> String {
    if let Some(s) = error.as_string() {
        return s;
    }
    let text = |key: &str| {
        Reflect::get(error, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
    };
    let mut message = text("message").unwrap_or_else(|| String::from("fetch failed"));
    // Node puts the real reason ("ECONNREFUSED") in `cause`.
    if let Ok(cause) = Reflect::get(error, &JsValue::from_str("cause")) {
        if let Some(detail) = Reflect::get(&cause, &JsValue::from_str("message"))
            .ok()
            .and_then(|v| v.as_string())
            .or_else(|| {
                Reflect::get(&cause, &JsValue::from_str("code"))
                    .ok()
                    .and_then(|v| v.as_string())
            })
        {
            message.push_str(" (");
            message.push_str(&detail);
            message.push(')');
        }
    }
    message
}

/// Sends one request and reads its whole body.
pub async fn send(out: &Outgoing<'_>) -> Result<Received, Failed> {
    if out.signal.is_some_and(AbortSignal::aborted) {
        return Err(Failed::Aborted);
    }
    let controller = AbortController::new().map_err(|e| Failed::Network(message_of(&e)))?;
    let abort: Function = Reflect::get(&controller, &JsValue::from_str("abort"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .map(|f| f.bind0(&controller))
        .ok_or_else(|| Failed::Network(String::from("AbortController has no abort()")))?;
    let timer = set_timeout(&abort, f64::from(out.timeout_ms));
    let mut attempt = Attempt {
        controller,
        abort,
        timer,
        signal: out.signal,
        finished: false,
    };
    if let Some(signal) = out.signal {
        let _ = signal.add_event_listener_with_callback("abort", &attempt.abort);
    }
    let own_signal = attempt.controller.signal();
    // Settles (rejects) when the attempt is aborted for any reason, so that a
    // fetch implementation that ignores signals still cannot hang us.
    let deadline = Promise::new(&mut |_resolve, reject| {
        let _ = own_signal.add_event_listener_with_callback("abort", &reject);
    });

    let init = Object::new();
    set(&init, "method", &JsValue::from_str(out.method.as_str()));
    let headers = Object::new();
    for (name, value) in out.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    if let Some(body) = out.body {
        set(
            &headers,
            "content-type",
            &JsValue::from_str("application/x-www-form-urlencoded"),
        );
        set(&init, "body", &JsValue::from_str(body));
    }
    set(&init, "headers", &headers);
    set(&init, "signal", &own_signal);

    let outcome = async {
        let global = js_sys::global();
        let fetch = match out.fetch {
            Some(f) => f.clone(),
            None => Reflect::get(&global, &JsValue::from_str("fetch"))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or_else(|| JsValue::from_str("this host has no global fetch"))?,
        };
        let pending = fetch.call2(&global, &JsValue::from_str(out.url), &init)?;
        let race = Promise::race(&Array::of2(&Promise::resolve(&pending), &deadline));
        let response: FetchResponse = JsFuture::from(race).await?.unchecked_into();
        let status = response
            .status()
            .as_f64()
            .filter(|s| (100.0..=599.0).contains(s))
            .ok_or_else(|| {
                JsValue::from_str("fetch resolved to something that is not a Response")
            })? as u16;
        let retry_after = response
            .headers()
            .dyn_into::<Object>()
            .ok()
            .and_then(|h| h.unchecked_into::<HeadersLike>().get("retry-after").ok())
            .and_then(|v| v.as_string());
        let text = response.text()?;
        let race = Promise::race(&Array::of2(&text, &deadline));
        let body: JsString = JsFuture::from(race)
            .await?
            .dyn_into()
            .map_err(|_| JsValue::from_str("response body is not text"))?;
        Ok::<_, JsValue>(Received {
            status,
            retry_after,
            body,
        })
    }
    .await;
    attempt.finished = true;
    outcome.map_err(|error| {
        if out.signal.is_some_and(AbortSignal::aborted) {
            Failed::Aborted
        } else if attempt.controller.signal().aborted() {
            Failed::Timeout
        } else {
            Failed::Network(message_of(&error))
        }
    })
}

/// Waits `ms`, or less if the caller's signal fires (then `Err`).
pub async fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Result<(), Failed> {
    let mut wake: Option<Function> = None;
    let mut timer = JsValue::UNDEFINED;
    let promise = Promise::new(&mut |resolve, _reject| {
        timer = set_timeout(&resolve, f64::from(ms));
        if let Some(signal) = signal {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        }
        wake = Some(resolve);
    });
    if signal.is_some_and(AbortSignal::aborted) {
        clear_timeout(&timer);
        return Err(Failed::Aborted);
    }
    let _ = JsFuture::from(promise).await;
    clear_timeout(&timer);
    if let (Some(signal), Some(wake)) = (signal, wake) {
        let _ = signal.remove_event_listener_with_callback("abort", &wake);
    }
    if signal.is_some_and(AbortSignal::aborted) {
        Err(Failed::Aborted)
    } else {
        Ok(())
    }
}
