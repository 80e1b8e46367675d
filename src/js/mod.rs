//! The npm face: `ClientCore`, which `js/transport.js` drives over the
//! host's (or the caller's) `fetch`.
//!
//! The JS loop only sends bytes and waits. Here, through the sans-IO core:
//! input checks and layout ([`ClientCore::prepare`]), and after each
//! attempt, what comes next ([`ClientCore::finish`], [`ClientCore::fail`]):
//! the payload, a `LiveAgentError`, or a number of ms to wait before
//! sending again. The API key never leaves the wasm.

mod bindings;
mod read;

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Array, Function, JsString, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::generated::config::SETTINGS;
use crate::generated::ops;
use crate::sansio::call::{body_excerpt, Body, Call, Clock, Failure, Step};
use crate::sansio::config::{from_js_config, JsConfig, Member, Settings, CONFIG};
use crate::sansio::drift::{self, Drift, Oddity, Told};
use crate::sansio::error::Error;
use crate::sansio::json_check::{Checker, Malformed, Number};
use crate::sansio::operation::{Field, FieldKind, Operation};
use crate::sansio::request;
use crate::wasm::json_parse;

use bindings::{all_text, make_error, oddities};
use read::own;

/// Longest body (in UTF-16 units) read for money text: beyond it, "too
/// large to read" (the core's check holds a chunk at a time, and JSON.parse
/// of the quoted copy the whole text again).
const MAX_SCAN_UNITS: u32 = 64 << 20;

/// UTF-16 units of a body's first chunk copied into the wasm for the JSON
/// check: small, as a hostile body is refused in its first bytes.
const CHECK_FIRST_UNITS: u32 = 1 << 10;
/// UTF-16 units of each next chunk: at most 768 KiB of UTF-8 held at once,
/// whatever the body's size, in few copies (each costs crossings).
const CHECK_CHUNK_UNITS: u32 = 256 << 10;

/// The `LiveAgentError` for `error`; `cause` is what the host reported.
fn to_js_error(error: &Error, cause: &JsValue) -> JsValue {
    let (statuscode, errormessage, debugmessage) = match error {
        Error::Api {
            statuscode,
            errormessage,
            debugmessage,
            ..
        } => (
            statuscode.map(|c| c as f64),
            errormessage.clone(),
            debugmessage.clone(),
        ),
        _ => (None, None, None),
    };
    make_error(
        &error.message(),
        error.kind().as_str(),
        error.operation(),
        error.is_retryable(),
        error.maybe_applied(),
        error.status(),
        statuscode,
        errormessage,
        debugmessage,
        error.body().map(String::from),
        error.retry_after_ms().map(|ms| ms as f64),
        cause,
    )
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Cannot fail on a plain object we just created.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn operation(name: &str) -> Result<&'static Operation, Error> {
    ops::ALL
        .iter()
        .copied()
        .find(|op| op.name == name)
        .ok_or_else(|| Error::invalid_input(CONFIG, &["unknown operation ", name]))
}

fn clock() -> Clock {
    Clock {
        now_ms: js_sys::Date::now(),
        random: js_sys::Math::random(),
    }
}

/// JS strings for the member names the core reads, made once per client:
/// making one from wasm memory costs about a microsecond (`TextDecoder`),
/// and a call reads a dozen (every field of a result, twice over with the
/// text fields' names). Keyed by where the names live in the module's
/// data and their length (they are the spec's, `&'static`; two names may
/// start at the same byte if the compiler shares a prefix), with a flag
/// for a table's text names.
#[derive(Debug, Default)]
struct Keys(RefCell<Vec<(Place, JsValue)>>);

/// Where a name (or a field table) lives: its address, its length, and
/// whether the entry is the table's text names.
type Place = (usize, usize, bool);

impl Keys {
    fn cached(&self, at: Place, make: impl FnOnce() -> JsValue) -> JsValue {
        let found = self.0.try_borrow().ok().and_then(|cache| {
            let (_, value) = cache.iter().find(|(p, _)| *p == at)?;
            Some(value.clone())
        });
        if let Some(value) = found {
            return value;
        }
        // Made before the cache is borrowed: `make` may ask for keys too.
        let value = make();
        if let Ok(mut cache) = self.0.try_borrow_mut() {
            cache.push((at, value.clone()));
        }
        value
    }

    fn key(&self, name: &'static str) -> JsValue {
        let at = (name.as_ptr() as usize, name.len(), false);
        self.cached(at, || JsValue::from_str(name))
    }

    /// The names of `fields` and `also`, and `[name, [code, …], …]` for
    /// its code fields, as one cached pair (for `oddities`).
    fn documented(&self, fields: &'static [Field], also: &[&'static str]) -> Array {
        let at = (fields.as_ptr() as usize + 1, fields.len(), also.is_empty());
        let make = || {
            let names = Array::new();
            let codes = Array::new();
            for field in fields {
                names.push(&self.key(field.name));
                if let FieldKind::Code(set) = field.kind {
                    let known = Array::new();
                    for code in set {
                        known.push(&self.key(code));
                    }
                    codes.push(&self.key(field.name));
                    codes.push(&known);
                }
            }
            for name in also {
                names.push(&self.key(name));
            }
            Array::of2(&names, &codes).into()
        };
        self.cached(at, make).unchecked_into()
    }

    fn text_names(&self, fields: &'static [Field]) -> Array {
        let at = (fields.as_ptr() as usize, fields.len(), true);
        let make = || {
            let names = Array::new();
            for field in fields.iter().filter(|f| f.kind.is_text()) {
                names.push(&self.key(field.name));
            }
            names.into()
        };
        self.cached(at, make).unchecked_into()
    }
}

/// The wasm side of the JS class `ResellerClient` (`js/client.js`,
/// generated from the spec).
#[wasm_bindgen]
#[derive(Debug)]
pub struct ClientCore {
    settings: Settings,
    fetch: Option<Function>,
    on_event: Option<Function>,
    /// The IANA zone `Date` inputs are written in.
    time_zone: String,
    keys: Keys,
    /// The `Retry-After` of the last retry scheduled, for its event.
    retry_after_ms: core::cell::Cell<Option<u64>>,
    /// The drifts told so far, each once.
    told: RefCell<Told>,
    /// The drifts of the last response not told yet, for `takeDrift`.
    drift: RefCell<Vec<Drift>>,
}

#[wasm_bindgen]
impl ClientCore {
    /// Checks the configuration; throws a `LiveAgentError` (`invalid_input`) when it is unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ClientCore, JsValue> {
        Self::from_js(&config).map_err(|e| to_js_error(&e, &JsValue::UNDEFINED))
    }

    /// Checks the inputs of the operation named `op` and lays out its
    /// request: `{method, url, shownUrl, body?, headers, timeoutMs, retries,
    /// fetch?, onEvent?}`. Throws a `LiveAgentError` (`invalid_input`).
    pub fn prepare(
        &self,
        op: &str,
        path_args: Array,
        params: JsValue,
        options: JsValue,
    ) -> Result<Object, JsValue> {
        self.prepare_checked(op, &path_args, &params, &options)
            .map_err(|e| to_js_error(&self.settings.scrub(e), &JsValue::UNDEFINED))
    }

    /// After a response to attempt number `attempt`: the payload, the
    /// number of ms to wait before the next attempt, or (thrown) the
    /// `LiveAgentError` it means. `status` is the host's as given (a custom
    /// fetch can return anything; `0` for a browser's opaque redirect), and
    /// `location` its `Location` header (a redirect is never followed).
    #[allow(clippy::too_many_arguments)]
    pub fn finish(
        &self,
        op: &str,
        retries: u32,
        attempt: u32,
        status: f64,
        retry_after: Option<String>,
        location: Option<String>,
        body: JsString,
    ) -> Result<JsValue, JsValue> {
        let op = operation(op).map_err(|e| to_js_error(&e, &JsValue::UNDEFINED))?;
        let mut call = Call::resume(op, attempt, retries);
        let key = self.settings.api_key();
        let status = match call.on_head(status, location.as_deref(), clock(), key) {
            Ok(status) => status,
            Err(step) => return self.next(step, &JsValue::UNDEFINED),
        };
        if body.length() > MAX_SCAN_UNITS && op.money.iter().any(|name| body.includes(name, 0)) {
            let start = |chars| self.body(&body).start(chars);
            let error = Error::Decode {
                operation: op.name,
                call_id: None,
                status,
                message: String::from("the body is too large to read"),
                body: body_excerpt(start, self.settings.api_key()),
            };
            return Err(to_js_error(
                &self.settings.scrub(error),
                &JsValue::UNDEFINED,
            ));
        }
        let mut text = self.body(&body);
        let step = call.on_response(
            status,
            retry_after.as_deref(),
            &mut text,
            clock(),
            self.settings.api_key(),
        );
        if let (Step::Done(payload), Some(_)) = (&step, &self.on_event) {
            self.note_drift(op, payload, &text);
        }
        self.next(step, &JsValue::UNDEFINED)
    }

    /// The drifts the last `finish` found that this client had not told
    /// yet, as `[path, what, value, …]` (`value` undefined for a field),
    /// for the `drift` events `transport.js` sends right then (empty when
    /// `onEvent` is not set: then nothing is looked for).
    #[wasm_bindgen(js_name = takeDrift)]
    pub fn take_drift(&self) -> Array {
        let out = Array::new();
        if let Ok(mut pending) = self.drift.try_borrow_mut() {
            for drift in pending.drain(..) {
                out.push(&JsValue::from_str(&drift.path));
                out.push(&self.keys.key(drift.what.as_str()));
                out.push(
                    &drift
                        .value
                        .as_deref()
                        .map_or(JsValue::UNDEFINED, JsValue::from_str),
                );
            }
        }
        out
    }

    /// After attempt number `attempt` (0: none was sent) got no whole
    /// response (`kind`: `"network"`, `"not_sent"` (nothing left: refused,
    /// no such host), `"too_large"` (a body of `status` beyond
    /// `maxResponseBytes`), `"timeout"`, `"aborted"` or `"deadline"`, the
    /// caller's own timeout): the number of ms to wait before the next
    /// attempt, or (thrown) the `LiveAgentError`, with `cause` attached.
    #[allow(clippy::too_many_arguments)]
    pub fn fail(
        &self,
        op: &str,
        retries: u32,
        attempt: u32,
        kind: &str,
        message: &str,
        timeout_ms: u32,
        status: u16,
        cause: JsValue,
    ) -> Result<JsValue, JsValue> {
        let op = operation(op).map_err(|e| to_js_error(&e, &cause))?;
        let mut call = Call::resume(op, attempt, retries);
        let failure = match kind {
            "timeout" => Failure::Timeout(timeout_ms),
            "aborted" => Failure::Aborted,
            "deadline" => Failure::Deadline,
            "not_sent" => Failure::NotSent(String::from(message)),
            "too_large" => Failure::TooLarge {
                status,
                limit: self.settings.max_response_bytes(),
            },
            _ => Failure::Network(String::from(message)),
        };
        let step = call.on_failure(failure, clock(), self.settings.api_key());
        self.next(step, &cause)
    }

    /// The wait the server asked for (`Retry-After`, in ms) in the response
    /// that the last retry of this client was scheduled after, for the
    /// `retry` event `transport.js` sends right then.
    /// (A `JsValue`, `undefined` when none: the CSP fallback's wasm2js
    /// takes no export that returns a pair of an `i32` and an `f64`.)
    #[wasm_bindgen(getter, js_name = retryAfterMs)]
    pub fn retry_after_ms(&self) -> JsValue {
        match self.retry_after_ms.get() {
            Some(ms) => JsValue::from_f64(ms as f64),
            None => JsValue::UNDEFINED,
        }
    }

    /// `text` without the key, in any of its forms: for `transport.js`,
    /// which copies a host error's `cause` chain through it.
    pub fn scrub(&self, text: &str) -> String {
        crate::sansio::secret::scrub(text, self.settings.api_key().expose())
    }
}

/// A body as the npm face holds it: a JS string the host parses. It
/// crosses into the wasm only a chunk at a time, for the core's check;
/// numbers are quoted where the check saw them, in JS.
struct JsBody<'a> {
    text: &'a JsString,
    keys: &'a Keys,
    /// Per field table (by address): what `oddities` reported of this body.
    seen: RefCell<Vec<(usize, Array)>>,
}

impl JsBody<'_> {
    /// Parses with the `numbers` the check noted quoted (only money's,
    /// or all): the text is cut and joined as a JS string, never copied
    /// into the module, so the wasm's memory does not grow with the body.
    fn parse_quoted(&self, numbers: &[Number], money_only: bool) -> Option<JsValue> {
        let mut picked = numbers.iter().filter(|n| n.money || !money_only).peekable();
        if picked.peek().is_none() {
            return json_parse(self.text).ok();
        }
        let quote = JsString::from("\"");
        let mut out = JsString::from("");
        let mut at = 0;
        for number in picked {
            out = out
                .concat(&self.text.slice(at, number.start))
                .concat(&quote)
                .concat(&self.text.slice(number.start, number.end))
                .concat(&quote);
            at = number.end;
        }
        out = out.concat(&self.text.slice(at, self.text.length()));
        json_parse(&out).ok()
    }
}

impl Body for JsBody<'_> {
    type Doc = JsValue;

    fn feed(&self, checker: &mut Checker) -> Result<(), Malformed> {
        let length = self.text.length();
        let mut from = 0;
        let mut chunk = CHECK_FIRST_UNITS;
        while from < length {
            // A cut between the halves of a pair gives two U+FFFD: text
            // only a string may hold, so the verdict is the same.
            let to = from.saturating_add(chunk).min(length);
            chunk = CHECK_CHUNK_UNITS;
            checker.feed(String::from(self.text.slice(from, to)).as_bytes())?;
            from = to;
        }
        Ok(())
    }

    fn document(&mut self, numbers: &[Number]) -> Option<JsValue> {
        self.parse_quoted(numbers, true)
    }

    fn requoted(&mut self, _: &[&str], numbers: &[Number]) -> Option<JsValue> {
        self.parse_quoted(numbers, false)
    }

    fn start(&self, chars: usize) -> (String, bool) {
        // UTF-16 units: at least `chars` characters' worth.
        let units = u32::try_from(chars).unwrap_or(u32::MAX);
        (
            String::from(self.text.slice(0, units)),
            units >= self.text.length(),
        )
    }

    fn set_int(&self, object: &JsValue, key: &JsValue, value: i64) {
        // Cannot fail on an object JSON.parse made.
        let _ = Reflect::set(object, key, &JsValue::from_f64(value as f64));
    }

    fn key(&self, name: &'static str) -> JsValue {
        self.keys.key(name)
    }

    fn all_text(&self, object: &JsValue, fields: &'static [Field]) -> bool {
        all_text(object, &self.keys.text_names(fields))
    }

    /// One host call per row, `undefined` for the common row; what this
    /// body already reported for the table is left out (`seen`), so a new
    /// field in every row of a long list is copied into the wasm once.
    fn oddities(
        &self,
        object: &JsValue,
        fields: &'static [Field],
        also: &[&'static str],
    ) -> Vec<Oddity> {
        let documented = self.keys.documented(fields, also);
        let seen = self.seen(fields);
        let found = oddities(
            object,
            &documented.get(0).unchecked_into(),
            &documented.get(1).unchecked_into(),
            &seen,
        );
        let mut out = Vec::new();
        if found.is_undefined() {
            return out;
        }
        let found: Array = found.unchecked_into();
        for at in (0..found.length()).step_by(2) {
            let name = found.get(at).as_string().unwrap_or_default();
            match found.get(at + 1).as_string() {
                None => out.push(Oddity::Field(name)),
                Some(value) => {
                    if let Some(field) = fields.iter().find(|f| f.name == name) {
                        out.push(Oddity::Code(field.name, value));
                    }
                }
            }
        }
        out
    }
}

impl JsBody<'_> {
    /// What this body already reported for the table `fields`.
    fn seen(&self, fields: &'static [Field]) -> Array {
        let at = fields.as_ptr() as usize;
        let Ok(mut seen) = self.seen.try_borrow_mut() else {
            return Array::new();
        };
        if let Some((_, found)) = seen.iter().find(|(p, _)| *p == at) {
            return found.clone();
        }
        let found = Array::new();
        seen.push((at, found.clone()));
        found
    }
}

impl ClientCore {
    /// Keeps the drifts of `payload` (a successful response of `op`) that
    /// this client has not told yet, for [`ClientCore::take_drift`].
    fn note_drift(&self, op: &'static Operation, payload: &JsValue, body: &JsBody<'_>) {
        let found = drift::find(op, payload, body);
        if let (Ok(mut told), Ok(mut pending)) =
            (self.told.try_borrow_mut(), self.drift.try_borrow_mut())
        {
            pending.clear();
            pending.extend(found.into_iter().filter(|d| told.first(op.name, d)));
        }
    }

    fn body<'a>(&'a self, text: &'a JsString) -> JsBody<'a> {
        JsBody {
            text,
            keys: &self.keys,
            seen: RefCell::default(),
        }
    }

    fn next(&self, step: Step<JsValue>, cause: &JsValue) -> Result<JsValue, JsValue> {
        match step {
            Step::Done(payload) => Ok(payload),
            Step::Retry { delay_ms, error } => {
                self.retry_after_ms.set(error.retry_after_ms());
                Ok(JsValue::from(delay_ms))
            }
            Step::Fail(error) => Err(to_js_error(&error, cause)),
        }
    }

    fn prepare_checked(
        &self,
        op: &str,
        path_args: &Array,
        params: &JsValue,
        options: &JsValue,
    ) -> Result<Object, Error> {
        let op = operation(op)?;
        let path_args = read::path_args(op, path_args)?;
        let values = read::params(op, params, &self.time_zone)?;
        let options = read::options(op.name, options)?;
        let args: Vec<&str> = path_args.iter().map(String::as_str).collect();
        let values: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let wire = request::build(op, self.settings.target(), &args, &values)?;

        // Its member names are made once per client (see `Keys`). A write
        // cannot fail on a plain object of ours but for a setter a page put
        // on `Object.prototype`; that one is its own.
        let out = Object::new();
        let put = |key: &'static str, value: &JsValue| {
            let _ = Reflect::set(&out, &self.keys.key(key), value);
        };
        put("method", &self.keys.key(op.method.as_str()));
        put("url", &JsValue::from_str(&wire.url));
        // A path argument may be the key too: scrub the whole URL shown.
        let shown =
            crate::sansio::secret::scrub(&wire.shown_url(), self.settings.api_key().expose());
        put("shownUrl", &JsValue::from_str(&shown));
        // A plain object, as a custom fetch may expect; the caller names
        // its members, so each write may meet an inherited setter.
        let headers = Object::new();
        let client_headers = self.settings.headers().iter();
        for (name, value) in wire.headers(client_headers.chain(options.headers.iter())) {
            set(&headers, name, &JsValue::from_str(value));
        }
        if let Some(body) = &wire.body {
            put("body", &JsValue::from_str(body));
        }
        put("headers", &headers);
        let timeout = options.timeout_ms.unwrap_or(self.settings.timeout_ms());
        put("timeoutMs", &JsValue::from(timeout));
        let retries = Call::new(
            op,
            options.max_retries.unwrap_or(self.settings.max_retries()),
        )
        .max_retries();
        put("retries", &JsValue::from(retries));
        if let Some(fetch) = &self.fetch {
            put("fetch", fetch);
        }
        if let Some(on_event) = &self.on_event {
            put("onEvent", on_event);
        }
        put(
            "maxBytes",
            &JsValue::from_f64(self.settings.max_response_bytes() as f64),
        );
        Ok(out)
    }

    /// The config checked by the core's table of rules (the message a
    /// key quotes scrubbed there), as `js/config.js` checked it already.
    fn from_js(js: &JsValue) -> Result<Self, Error> {
        let known = |zone: &str| bindings::check_time_zone(zone);
        let (settings, time_zone) = from_js_config(&read_config(js), &known)?;
        let function = |key| own(js, key).dyn_into::<Function>().ok();
        let (fetch, on_event) = (function("fetch"), function("onEvent"));
        Ok(ClientCore {
            settings,
            fetch,
            on_event,
            time_zone,
            keys: Keys::default(),
            retry_after_ms: core::cell::Cell::new(None),
            told: RefCell::default(),
            drift: RefCell::default(),
        })
    }
}

/// What the config's own members are, as the core's table checks them
/// (`sansio::config::from_js_config`).
fn read_config(js: &JsValue) -> JsConfig {
    if !js.is_object() {
        return JsConfig::NotObject;
    }
    let Some(entries) = own_pairs(js) else {
        return JsConfig::Unlisted;
    };
    let mut keys = Vec::new();
    for (key, value) in entries {
        if !value.is_undefined() {
            keys.push(key);
        }
    }
    let mut members = Vec::new();
    for setting in SETTINGS {
        members.push(member(&own(js, setting.js)));
    }
    JsConfig::Object { keys, members }
}

/// `Object.entries(value)`, keys as the wasm reads text (a lone surrogate
/// as U+FFFD); `None` when listing them threw.
fn own_pairs(value: &JsValue) -> Option<Vec<(String, JsValue)>> {
    let entries = bindings::own_entries(value).ok()?;
    let mut out = Vec::new();
    for index in 0..entries.length() {
        let pair: Array = entries.get(index).unchecked_into();
        out.push((pair.get(0).as_string().unwrap_or_default(), pair.get(1)));
    }
    Some(out)
}

/// A member's value as the rules see it.
fn member(value: &JsValue) -> Member {
    if read::is_absent(value) {
        return Member::Absent;
    }
    if let Some(text) = value.dyn_ref::<JsString>() {
        return match (bindings::is_well_formed(text), value.as_string()) {
            (Ok(false), _) => Member::IllFormed,
            (_, Some(text)) => Member::Text(text),
            _ => Member::Other,
        };
    }
    if let Some(n) = value.as_f64() {
        return Member::Number(n);
    }
    if value.is_function() {
        return Member::Function;
    }
    let plain = value.is_object() && {
        let proto: JsValue = Object::get_prototype_of(value).into();
        proto.is_null() || proto == JsValue::from(Object::get_prototype_of(&Object::new()))
    };
    if !plain {
        return Member::Other;
    }
    let Some(pairs) = own_pairs(value) else {
        return Member::Object(None);
    };
    let mut headers = Vec::new();
    for (name, value) in pairs {
        headers.push((name, value.as_string()));
    }
    Member::Object(Some(headers))
}
