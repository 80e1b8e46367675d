//! wasm32 driver: gloo-net over the host's global `fetch` (browsers,
//! workers, Node, workerd), with a web-sys `AbortController` per attempt
//! for its timeout and for cancelling it when the future is dropped.

use alloc::rc::Rc;
use alloc::string::{String, ToString};
use core::cell::Cell;

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use js_sys::{Function, JsString, Promise};
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::{with_path, Outcome};
use crate::sansio::call::{Clock, Failure};
use crate::sansio::error::Error;
use crate::sansio::operation::Method;
use crate::sansio::request::WireRequest;

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

    /// Sends one attempt; its timeout covers the whole exchange, body included.
    pub async fn attempt(
        &self,
        method: Method,
        wire: &WireRequest,
        headers: &[(String, String)],
        timeout_ms: u32,
        max_bytes: u64,
    ) -> Outcome {
        let controller = match AbortController::new() {
            Ok(controller) => controller,
            Err(e) => return Outcome::Failed(Failure::Network(js_message(&e))),
        };
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
        let method = match method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
            Method::Put => HttpMethod::PUT,
            Method::Delete => HttpMethod::DELETE,
        };
        // Never follow a redirect: the next request would carry the key
        // wherever `Location` points. Browsers answer an opaque redirect
        // (status 0); Node and workerd show the 3xx and its `Location`.
        let mut builder = RequestBuilder::new(&wire.url)
            .method(method)
            .redirect(web_sys::RequestRedirect::Manual)
            .abort_signal(Some(&controller.signal()));
        for (name, value) in wire.headers(headers) {
            builder = builder.header(name, value);
        }
        let request = match &wire.body {
            Some(body) => builder.body(JsValue::from_str(body)),
            None => builder.build(),
        };
        let response = match request {
            Ok(request) => request.send().await,
            Err(e) => Err(e),
        };
        let response = match response {
            Ok(response) => response,
            Err(_) if timed_out.get() => return Outcome::Failed(Failure::Timeout(timeout_ms)),
            Err(e) => return Outcome::Failed(Failure::Network(e.to_string())),
        };
        let status = if response.type_() == web_sys::ResponseType::Opaqueredirect {
            0
        } else {
            response.status()
        };
        let retry_after = response.headers().get("retry-after");
        let location = response.headers().get("location");
        let body = match response.body() {
            Some(stream) => read_bounded(&stream, max_bytes).await,
            None => Ok(Some(alloc::vec::Vec::new())),
        };
        drop(timer);
        drop(guard);
        match body {
            Ok(Some(bytes)) => Outcome::Response {
                status: f64::from(status),
                retry_after,
                location,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            },
            Ok(None) => Outcome::Failed(Failure::TooLarge {
                status,
                limit: max_bytes,
            }),
            Err(_) if timed_out.get() => Outcome::Failed(Failure::Timeout(timeout_ms)),
            // A body cut mid-read: the request did arrive.
            Err(e) => Outcome::Failed(Failure::Network(js_message(&e))),
        }
    }
}

/// The body's bytes, read chunk by chunk and no further than `max_bytes`
/// (`None` beyond it: the stream is cancelled, memory stays bounded).
async fn read_bounded(
    stream: &web_sys::ReadableStream,
    max_bytes: u64,
) -> Result<Option<alloc::vec::Vec<u8>>, JsValue> {
    let reader: JsValue = stream.get_reader().into();
    let member = |object: &JsValue, name: &str| {
        js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let read: Function = member(&reader, "read").dyn_into()?;
    let mut bytes = alloc::vec::Vec::new();
    loop {
        let promise: Promise = read.call0(&reader)?.dyn_into()?;
        let chunk = JsFuture::from(promise).await?;
        if member(&chunk, "done").is_truthy() {
            return Ok(Some(bytes));
        }
        let value = js_sys::Uint8Array::new(&member(&chunk, "value"));
        let total = bytes.len().saturating_add(value.length() as usize);
        if u64::try_from(total).unwrap_or(u64::MAX) > max_bytes {
            if let Ok(cancel) = member(&reader, "cancel").dyn_into::<Function>() {
                let _ = cancel.call0(&reader);
            }
            return Ok(None);
        }
        let start = bytes.len();
        bytes.resize(total, 0);
        if let Some(slot) = bytes.get_mut(start..) {
            value.copy_to(slot);
        }
    }
}

fn js_message(value: &JsValue) -> String {
    crate::wasm::to_js_string(value).into()
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

/// The parsed document on wasm32: what `JSON.parse` returns.
pub type Doc = JsValue;

/// Parses a body with the host's `JSON.parse`.
pub fn parse(text: &str) -> Option<JsValue> {
    crate::wasm::json_parse(&JsString::from(text)).ok()
}

/// Decodes a parsed payload into `T` (serde-wasm-bindgen), naming the
/// failing field's path.
pub fn decode<T: DeserializeOwned>(payload: JsValue) -> Result<T, String> {
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(payload))
        .map_err(with_path)
}
