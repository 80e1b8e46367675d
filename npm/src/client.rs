//! `ClientCore`, the wasm side of the JS class `ResellerClient`: it holds
//! each call's [`Exchange`] and answers `js/driver.js` in text.
//!
//! What crosses, per call: the inputs as one text in; the request as one
//! text out; the status, then the body's bytes in chunks, in; one step
//! text out per outcome (`w` wait, `d` done with the edits to apply, after
//! an `a` when every byte is ASCII (then JS may read it as Latin-1), `f`
//! failed with the error's record, `r` read on), followed, when the caller
//! watches, by `\u{1}` and the events as a JSON array. Nothing is read
//! from a JS value field by field; the key never leaves the wasm.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

use liveagent_reseller::sansio::call::{Clock, Failure};
use liveagent_reseller::sansio::config::Settings;
use liveagent_reseller::sansio::drift::Told;
use liveagent_reseller::sansio::exchange::{CallOptions, Exchange, Next, Output};

use crate::inputs;
use crate::records::{error_record, events, request};
use crate::text::{read, Writer};

/// A client: its checked settings, its calls in flight, the drifts it told.
#[wasm_bindgen]
#[derive(Debug)]
pub struct ClientCore {
    settings: Settings,
    told: Told,
    calls: Vec<(u64, Exchange)>,
    /// The last call that succeeded, for [`ClientCore::undecodable`].
    done: Option<(u64, Exchange)>,
}

fn clock(now_ms: f64, random: f64) -> Clock {
    Clock { now_ms, random }
}

/// A call id from JS (a counter: whole, well below 2^53).
fn id(id: f64) -> u64 {
    id as u64
}

#[wasm_bindgen]
impl ClientCore {
    /// Takes the settings text of `js/config.js`, checked there already
    /// (see `inputs::settings`); throws an error record (a string, see
    /// `js/error.js`) only for a text that is not one.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: &str) -> Result<ClientCore, JsValue> {
        match inputs::settings(settings) {
            Ok(settings) => Ok(ClientCore {
                settings,
                told: Told::default(),
                calls: Vec::new(),
                done: None,
            }),
            Err(error) => Err(JsValue::from_str(&error_record(&error))),
        }
    }

    /// Starts call `id` of the call text of `js/inputs.js`: `s` and the
    /// request (see `records::request`), or `f` and the error's record.
    /// `observed`: whether the caller watches (events). `aborted`: the
    /// caller's signal had fired already (1: aborted, 2: its deadline), so
    /// nothing is sent (the inputs are checked first all the same).
    pub fn start(
        &mut self,
        id: f64,
        inputs: &str,
        observed: bool,
        aborted: u8,
        now: f64,
    ) -> String {
        let id = self::id(id);
        let inputs = read(inputs);
        let exchange = inputs::call(inputs.as_ref()).and_then(|call| {
            let options = CallOptions {
                timeout_ms: call.timeout_ms,
                max_retries: call.max_retries,
                headers: call.headers,
            };
            Exchange::new(
                call.op,
                &self.settings,
                id,
                &call.args,
                &call.values,
                options,
                observed,
            )
        });
        let mut exchange = match exchange {
            Ok(exchange) => exchange,
            Err(error) => {
                let mut out = String::from("f");
                out.push_str(&error_record(&self.settings.scrub(error)));
                return out;
            }
        };
        if aborted != 0 {
            let failure = if aborted == 2 {
                Failure::Deadline
            } else {
                Failure::Aborted
            };
            let next = exchange.on_failure(failure, clock(now, 0.0));
            self.calls.push((id, exchange));
            return self.step(id, next).unwrap_or_else(lost);
        }
        exchange.start_attempt(now);
        let mut out = request(&exchange);
        events(&mut out, exchange.take_events());
        self.calls.push((id, exchange));
        out
    }

    /// After a wait: call `id` sends again. Its events, when watched.
    pub fn again(&mut self, id: f64, now: f64) -> Option<String> {
        let exchange = self.exchange(id)?;
        exchange.start_attempt(now);
        let mut out = String::new();
        events(&mut out, exchange.take_events());
        (!out.is_empty()).then_some(out)
    }

    /// The response's head arrived: `undefined` to read its body, or a step.
    /// `status` is the host's as given (`0` for a browser's opaque redirect).
    pub fn head(
        &mut self,
        id: f64,
        status: f64,
        retry_after: Option<String>,
        location: Option<String>,
        now: f64,
        random: f64,
    ) -> Option<String> {
        let exchange = self.exchange(id)?;
        let next = exchange.on_head(
            status,
            retry_after.as_deref(),
            location.as_deref(),
            clock(now, random),
        );
        self.step(self::id(id), next)
    }

    /// A chunk of the body: `undefined` to read on, or a step.
    pub fn chunk(&mut self, id: f64, bytes: &[u8]) -> Option<String> {
        let next = self.exchange(id)?.on_chunk(bytes);
        self.step(self::id(id), next)
    }

    /// The body ended: a step.
    pub fn end(&mut self, id: f64, now: f64, random: f64) -> String {
        let told = &mut self.told;
        let next = match self.calls.iter_mut().find(|(i, _)| *i == self::id(id)) {
            Some((_, exchange)) => exchange.on_end(clock(now, random), told),
            None => return lost(),
        };
        self.step(self::id(id), next).unwrap_or_else(lost)
    }

    /// The attempt got no (whole) response: `kind` is `"network"`,
    /// `"not_sent"` (nothing left: refused, no such host), `"timeout"`,
    /// `"aborted"` or `"deadline"` (the caller's own timeout); `message`
    /// what the host said. A step.
    pub fn fail(&mut self, id: f64, kind: &str, message: &str, now: f64, random: f64) -> String {
        let Some(exchange) = self.exchange(id) else {
            return lost();
        };
        let failure = match kind {
            "timeout" => Failure::Timeout(exchange.timeout_ms()),
            "aborted" => Failure::Aborted,
            "deadline" => Failure::Deadline,
            "not_sent" => Failure::NotSent(String::from(message)),
            _ => Failure::Network(String::from(message)),
        };
        let next = exchange.on_failure(failure, clock(now, random));
        self.step(self::id(id), next).unwrap_or_else(lost)
    }

    /// The body of call `id`, done, is not the JSON its check passed (the
    /// host's `JSON.parse` said `message`): the `decode` error's record.
    pub fn undecodable(&mut self, id: f64, message: &str) -> String {
        match &self.done {
            Some((done, exchange)) if *done == self::id(id) => {
                error_record(&exchange.decode_error(message))
            }
            _ => lost(),
        }
    }

    /// Call `id` is given up by its driver (it threw): forgotten.
    pub fn forget(&mut self, id: f64) {
        self.calls.retain(|(i, _)| *i != self::id(id));
    }

    /// `text` without the key, in any of its forms: for `js/driver.js`,
    /// which copies a host error's `cause` chain through it.
    pub fn scrub(&self, text: &str) -> String {
        liveagent_reseller::sansio::secret::scrub(text, self.settings.api_key().expose())
    }
}

/// A step for a call the core does not hold (a driver's bug).
fn lost() -> String {
    String::from("f{\"message\":\"liveagent-reseller: a call step without its call\",\"kind\":\"network\",\"operation\":\"ResellerClient\"}")
}

impl ClientCore {
    fn exchange(&mut self, id: f64) -> Option<&mut Exchange> {
        let id = self::id(id);
        self.calls
            .iter_mut()
            .find(|(i, _)| *i == id)
            .map(|(_, exchange)| exchange)
    }

    /// The text of `next` for call `id` (`None`: read on, no events); a
    /// call that ends is let go (the last success kept for `undecodable`).
    fn step(&mut self, id: u64, next: Next) -> Option<String> {
        // Reading on: the events wait for the next step.
        if next == Next::Read {
            return None;
        }
        let at = self.calls.iter().position(|(i, _)| *i == id)?;
        let (_, exchange) = self.calls.get_mut(at)?;
        let happened = exchange.take_events();
        let mut out = String::new();
        let ends = match next {
            Next::Read => return None,
            Next::Wait(ms) => {
                let mut w = Writer(String::from("w"));
                w.number(u64::from(ms));
                out = w.0;
                false
            }
            Next::Done(output) => {
                out.push('d');
                if output.ascii {
                    out.push('a');
                }
                edits(&mut out, &output);
                true
            }
            Next::Fail(error) => {
                out.push('f');
                out.push_str(&error_record(&error));
                true
            }
        };
        events(&mut out, happened);
        if ends {
            let call = self.calls.swap_remove(at);
            if out.starts_with('d') {
                self.done = Some(call);
            }
        }
        Some(out)
    }
}

/// The edits of `output` as `[[start,end,"text"],…]` (nothing when none:
/// the body is parsed as it came).
fn edits(out: &mut String, output: &Output) {
    if output.is_empty() {
        return;
    }
    let mut w = Writer(core::mem::take(out));
    w.0.push('[');
    for (n, edit) in output.edits.iter().enumerate() {
        if n > 0 {
            w.0.push(',');
        }
        w.0.push('[');
        w.number(edit.start as u64);
        w.0.push(',');
        w.number(edit.end as u64);
        w.0.push(',');
        w.text(&edit.text);
        w.0.push(']');
    }
    w.0.push(']');
    *out = w.0;
}
