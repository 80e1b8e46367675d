//! wasm32 driver: gloo-net over the host's global `fetch` (browsers,
//! workers, Node, workerd), with a web-sys `AbortController` per attempt
//! for its timeout and for cancelling it when the future is dropped.

use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::Cell;

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::Head;
use crate::sansio::call::{Clock, Failure};
use crate::sansio::error::Error;
use crate::sansio::exchange::Exchange;
use crate::sansio::operation::Method;

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout` (no `window` in workers and Node).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    /// The global `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// A host timer that runs `f` once after `ms`, unless dropped before.
struct Timer {
    id: JsValue,
    _f: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(ms: u32, f: impl FnOnce() + 'static) -> Self {
        let f = Closure::once(f);
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let id = set_timeout(f.as_ref().unchecked_ref(), ms);
        Timer { id, _f: f }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// Aborts the fetch when the attempt's future is dropped (or ends: an abort
/// after the body was read does nothing).
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// No state: the host's `fetch` is global.
#[derive(Debug)]
pub struct Transport;

impl Transport {
    /// The host's `fetch`.
    pub fn new() -> Result<Self, Error> {
        Ok(Transport)
    }

    /// Sends the exchange's request; its timeout covers the whole
    /// exchange, body included.
    pub async fn send(&self, exchange: &Exchange) -> Result<Head<Body>, Failure> {
        let timeout_ms = exchange.timeout_ms();
        let controller = AbortController::new().map_err(|e| Failure::NotSent(js_message(&e)))?;
        let guard = AbortOnDrop(controller.clone());
        let timed_out = Rc::new(Cell::new(false));
        let timer = Timer::start(timeout_ms, {
            let controller = controller.clone();
            let timed_out = Rc::clone(&timed_out);
            move || {
                timed_out.set(true);
                controller.abort();
            }
        });
        let method = match exchange.method() {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
            Method::Put => HttpMethod::PUT,
            Method::Delete => HttpMethod::DELETE,
        };
        let wire = exchange.request();
        // Never follow a redirect: the next request would carry the key
        // wherever `Location` points. Browsers answer an opaque redirect
        // (status 0); Node and workerd show the 3xx and its `Location`.
        let mut builder = RequestBuilder::new(&wire.url)
            .method(method)
            .redirect(web_sys::RequestRedirect::Manual)
            .abort_signal(Some(&controller.signal()));
        for (name, value) in exchange.headers() {
            builder = builder.header(name, value);
        }
        let request = match &wire.body {
            Some(body) => builder.body(JsValue::from_str(body)),
            None => builder.build(),
        };
        let response = match request {
            Ok(request) => fetch(request, &timed_out, timeout_ms).await?,
            // Built synchronously: the timer cannot have fired yet.
            Err(e) => return Err(Failure::Network(e.to_string())),
        };
        let status = if response.type_() == web_sys::ResponseType::Opaqueredirect {
            0
        } else {
            response.status()
        };
        let reader = match response.body() {
            Some(stream) => {
                let reader: JsValue = stream.get_reader().into();
                let read = member(&reader, "read").dyn_into::<Function>().ok();
                read.map(|read| (reader, read))
            }
            None => None,
        };
        Ok(Head {
            status: f64::from(status),
            retry_after: response.headers().get("retry-after"),
            location: response.headers().get("location"),
            body: Body {
                reader,
                timed_out,
                timeout_ms,
                _timer: timer,
                _guard: guard,
            },
        })
    }
}

/// A response's body, read as it streams; dropping it cancels the fetch
/// and its timer.
pub struct Body {
    /// The stream's reader and its `read` method (`None`: no body).
    reader: Option<(JsValue, Function)>,
    timed_out: Rc<Cell<bool>>,
    timeout_ms: u32,
    _timer: Timer,
    _guard: AbortOnDrop,
}

impl core::fmt::Debug for Body {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Body { .. }")
    }
}

impl Body {
    /// Appends the next chunk to `body`: `false` at the end.
    pub async fn next_chunk(&mut self, body: &mut Vec<u8>) -> Result<bool, Failure> {
        let Some((reader, read)) = &self.reader else {
            return Ok(false);
        };
        match read_chunk(reader, read, body).await {
            Ok(more) => Ok(more),
            Err(_) if self.timed_out.get() => Err(Failure::Timeout(self.timeout_ms)),
            // A body cut mid-read: the request did arrive.
            Err(e) => Err(Failure::Network(js_message(&e))),
        }
    }
}

fn member(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Appends the reader's next chunk to `body`: `false` when the stream is done.
async fn read_chunk(
    reader: &JsValue,
    read: &Function,
    body: &mut Vec<u8>,
) -> Result<bool, JsValue> {
    let promise: Promise = read.call0(reader)?.dyn_into()?;
    let chunk = JsFuture::from(promise).await?;
    if member(&chunk, "done").is_truthy() {
        return Ok(false);
    }
    let value = js_sys::Uint8Array::new(&member(&chunk, "value"));
    let start = body.len();
    body.resize(start.saturating_add(value.length() as usize), 0);
    if let Some(slot) = body.get_mut(start..) {
        value.copy_to(slot);
    }
    Ok(true)
}

fn js_message(value: &JsValue) -> String {
    match crate::wasm::to_js_string(value) {
        Ok(text) => text.into(),
        Err(_) => String::from("a value that cannot be shown as text"),
    }
}

/// Sends a request gloo-net built through the host's `fetch`: every way a
/// host can fail it (a throw, a rejection with any value, an answer that is
/// no `Response`) is a `Failure`, never a panic.
async fn fetch(
    request: gloo_net::http::Request,
    timed_out: &Cell<bool>,
    timeout_ms: u32,
) -> Result<gloo_net::http::Response, Failure> {
    let request: web_sys::Request = request.into();
    let answer = match crate::wasm::fetch(&request) {
        Ok(promise) => JsFuture::from(promise).await,
        Err(thrown) => Err(thrown),
    };
    match answer {
        Ok(answer) => answer
            .dyn_into::<web_sys::Response>()
            .map(gloo_net::http::Response::from)
            .map_err(|_| {
                Failure::Network(String::from(
                    "fetch answered with something that is not a Response",
                ))
            }),
        Err(_) if timed_out.get() => Err(Failure::Timeout(timeout_ms)),
        // `String(error)`, as gloo-net shows an `Error`.
        Err(e) => Err(Failure::Network(js_message(&e))),
    }
}

/// Waits on the host's timer; dropping the future clears it.
pub async fn sleep(ms: u32) {
    let mut timer = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        timer = Some(Timer::start(ms, move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }));
    });
    let _ = JsFuture::from(promise).await;
    drop(timer);
}

/// The host's clock and `Math.random` for the core.
pub fn clock() -> Clock {
    Clock {
        now_ms: js_sys::Date::now(),
        random: js_sys::Math::random(),
    }
}
