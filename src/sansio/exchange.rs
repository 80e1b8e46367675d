//! One call, from its checked inputs to its outcome: the only thing a
//! driver talks to.
//!
//! A driver (reqwest natively, gloo-net on wasm32, the npm package's JS, a
//! custom `Transport`) moves bytes and waits, nothing else:
//!
//! ```text
//! let mut ex = Exchange::new(op, &settings, id, &args, &values, options, observed)?;
//! loop {
//!     ex.start_attempt(now());                  // then send ex.request()
//!     let mut next = match send(ex.method(), ex.url(), ex.headers(), ex.body()) {
//!         Err(failure) => ex.on_failure(failure, clock()),
//!         Ok(head) => ex.on_head(head.status, head.retry_after, head.location, clock()),
//!     };
//!     while let Next::Read = next {
//!         next = match read_chunk() {
//!             Some(Ok(chunk)) => ex.on_chunk(&chunk), // keep the chunk (Rust, JS)
//!             Some(Err(failure)) => ex.on_failure(failure, clock()),
//!             None => ex.on_end(clock(), &mut told),
//!         };
//!     }
//!     emit(ex.take_events());
//!     match next {
//!         Next::Done(output) => return parse(output.apply(&body)).response,
//!         Next::Fail(error) => return Err(error),
//!         Next::Wait(ms) => sleep(ms),                // then loop: a new attempt
//!         Next::Read => unreachable,
//!     }
//! }
//! ```
//!
//! Headers (the client's, merged under the call's, the form's content
//! type ours), per-call options, the body size limit, the shown URL, the
//! checks of the response and every error are decided here, once.

use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::sansio::call::{Call, Clock, Failure, Step};
use crate::sansio::config::Settings;
use crate::sansio::drift::Told;
use crate::sansio::error::{Error, ErrorKind, BODY_EXCERPT_CHARS};
use crate::sansio::event::{Attempt, Event, RetryReason};
use crate::sansio::operation::{Method, Operation};
use crate::sansio::policy;
use crate::sansio::request::{self, WireRequest};
use crate::sansio::secret::{body_excerpt, char_count, ApiKey};
use crate::sansio::shape::Shape;
pub use crate::sansio::shape::{Edit, Output};

/// What one call changes of the client's settings (each `None` keeps the
/// client's), checked by the face that read them (each names them its
/// own way: `timeoutMs`, `timeout`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// The timeout of each attempt, in ms (1..=2147483647).
    pub timeout_ms: Option<u32>,
    /// Retries after the first attempt (0..=10; POST is never retried).
    pub max_retries: Option<u32>,
    /// Headers merged over the client's (a name the client set, in any
    /// case, takes the call's value).
    pub headers: Vec<(String, String)>,
}

/// What the driver does next.
#[derive(Debug, PartialEq)]
pub enum Next {
    /// Go on reading the body: give the next chunk to
    /// [`Exchange::on_chunk`], or its end to [`Exchange::on_end`].
    Read,
    /// Stop this attempt (cancel its body), wait this many ms, then
    /// [`Exchange::start_attempt`] and send the request again.
    Wait(u32),
    /// Success: the body with these edits is JSON whose `response` member
    /// is the result, every documented field of its documented type.
    Done(Output),
    /// The call's error (key scrubbed, call id set); stop reading.
    Fail(Error),
}

/// The attempt in flight.
#[derive(Debug)]
struct Flight {
    /// When it was sent (ms since the epoch, the driver's clock).
    started_ms: f64,
    /// Once its head arrived: what is read of it.
    body: Option<Reading>,
}

/// A response being read.
#[derive(Debug)]
struct Reading {
    status: u16,
    retry_after_ms: Option<u64>,
    /// How long the head took, in ms.
    head_ms: f64,
    /// Bytes read so far.
    read: u64,
    shape: Shape,
    /// The body is not JSON (the check stopped there; the rest is counted).
    malformed: Option<&'static str>,
    /// The first bytes, for an error's excerpt.
    first: Vec<u8>,
}

/// One call (see the module docs).
#[derive(Debug)]
pub struct Exchange {
    op: &'static Operation,
    call: Call,
    wire: WireRequest,
    headers: Vec<(String, String)>,
    timeout_ms: u32,
    max_bytes: u64,
    key: ApiKey,
    call_id: u64,
    observed: bool,
    events: Vec<Event>,
    flight: Option<Flight>,
}

impl Exchange {
    /// Checks and lays out a call of `op` (`args`: its path arguments;
    /// `values`: its documented params, in `op.params` order). An input
    /// error comes back here, key scrubbed, call id set; nothing is sent.
    /// `observed`: whether to make events ([`Exchange::take_events`]).
    pub fn new(
        op: &'static Operation,
        settings: &Settings,
        call_id: u64,
        args: &[&str],
        values: &[Option<&str>],
        options: CallOptions,
        observed: bool,
    ) -> Result<Exchange, Error> {
        let key = settings.api_key();
        let wire = request::build(op, settings.target(), args, values)
            .map_err(|e| e.scrubbed(key.expose()).for_call(op.name, call_id))?;
        let mut merged: Vec<(String, String)> = settings
            .headers()
            .iter()
            .filter(|(name, _)| {
                !options
                    .headers
                    .iter()
                    .any(|(mine, _)| mine.eq_ignore_ascii_case(name))
            })
            .cloned()
            .collect();
        merged.extend(options.headers);
        let headers = wire.headers(merged);
        Ok(Exchange {
            op,
            call: Call::new(op, options.max_retries.unwrap_or(settings.max_retries())),
            wire,
            headers,
            timeout_ms: options.timeout_ms.unwrap_or(settings.timeout_ms()),
            max_bytes: settings.max_response_bytes(),
            key: key.clone(),
            call_id,
            observed,
            events: Vec::new(),
            flight: None,
        })
    }

    /// The operation.
    pub fn op(&self) -> &'static Operation {
        self.op
    }

    /// The request: its URL (for GET and DELETE it holds the key: never
    /// log it) and form body (POST, PUT; it holds the key).
    pub fn request(&self) -> &WireRequest {
        &self.wire
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.op.method
    }

    /// The headers to send: the client's, the call's over them, the
    /// form's content type (ours) when there is a body.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The URL as logs and events may show it (key scrubbed: a path
    /// argument may be the key too, so the whole URL is). Made when asked:
    /// only observed calls show it.
    pub fn shown_url(&self) -> String {
        crate::sansio::secret::scrub(&self.wire.shown_url(), self.key.expose())
    }

    /// Each attempt's timeout, in ms.
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// The longest body read: past it the call fails, read no further.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The call's id (on its events and errors).
    pub fn call_id(&self) -> u64 {
        self.call_id
    }

    /// The last attempt sent (1 for the first, 0 before any).
    pub fn attempt(&self) -> u32 {
        self.call.attempt()
    }

    /// An attempt is about to be sent at `now_ms`: its number (1 for the first).
    pub fn start_attempt(&mut self, now_ms: f64) -> u32 {
        let attempt = self.call.start_attempt();
        self.flight = Some(Flight {
            started_ms: now_ms,
            body: None,
        });
        if self.observed {
            self.events.push(Event::Request(self.about()));
        }
        attempt
    }

    /// Status and headers arrived: [`Next::Read`] the body, or the step
    /// for a redirect (never followed) or a status outside 200..=599.
    pub fn on_head(
        &mut self,
        status: f64,
        retry_after: Option<&str>,
        location: Option<&str>,
        clock: Clock,
    ) -> Next {
        let started_ms = self.started_ms();
        let head_ms = (clock.now_ms - started_ms).max(0.0);
        match self.call.on_head::<()>(status, location, clock, &self.key) {
            Ok(code) => {
                let retry_after_ms =
                    retry_after.and_then(|value| policy::retry_after_ms(value, clock.now_ms));
                if let Some(flight) = self.flight.as_mut() {
                    flight.body = Some(Reading {
                        status: code,
                        retry_after_ms,
                        head_ms,
                        read: 0,
                        shape: Shape::new(self.op),
                        malformed: None,
                        first: Vec::new(),
                    });
                }
                Next::Read
            }
            Err(step) => {
                // `as` saturates: a status a custom fetch made up is shown as it can be.
                self.response_event(status as u16, head_ms);
                self.obey(step)
            }
        }
    }

    /// The next chunk of the body, as it streams: [`Next::Read`] to go on,
    /// or the call's outcome when this chunk decides it (the body is longer
    /// than [`Exchange::max_response_bytes`], or a 2xx body is not JSON and
    /// its excerpt is kept: the rest is not read).
    pub fn on_chunk(&mut self, bytes: &[u8]) -> Next {
        let keep = self.excerpt_bytes();
        let max_bytes = self.max_bytes;
        let Some(reading) = self.flight.as_mut().and_then(|f| f.body.as_mut()) else {
            return Next::Read;
        };
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        reading.read = reading.read.saturating_add(len);
        if reading.read > max_bytes {
            let (status, head_ms) = (reading.status, reading.head_ms);
            self.response_event(status, head_ms);
            let failure = Failure::TooLarge {
                status,
                limit: max_bytes,
            };
            // No retry can come of it: the clock is not read.
            let step = self.call.on_failure::<()>(failure, NO_CLOCK, &self.key);
            return self.obey(step);
        }
        let room = keep.saturating_sub(reading.first.len());
        reading
            .first
            .extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or_default());
        if reading.malformed.is_none() {
            if let Err(problem) = reading.shape.feed(bytes) {
                reading.malformed = Some(problem.message());
            }
        }
        // A 2xx body that is not JSON fails once its excerpt is kept (a
        // decode error is never retried), not at the end of a long body;
        // another status waits for the end (it may be retried).
        if let Some(message) = reading.malformed {
            if (200..300).contains(&reading.status) && reading.first.len() >= keep {
                let (status, head_ms) = (reading.status, reading.head_ms);
                let error = self.undecodable(message);
                self.response_event(status, head_ms);
                let step = self.call.after::<()>(error, None, NO_CLOCK);
                return self.obey(step);
            }
        }
        Next::Read
    }

    /// The body ended: [`Next::Done`], [`Next::Wait`] or [`Next::Fail`].
    /// `told`: the client's memory of the drifts it told (each once).
    pub fn on_end(&mut self, clock: Clock, told: &mut Told) -> Next {
        let started_ms = self.started_ms();
        let Some(mut reading) = self.flight.as_mut().and_then(|f| f.body.take()) else {
            // No head: the driver skipped `on_head`.
            return self.on_failure(Failure::Network(String::from("no response")), clock);
        };
        self.response_event(reading.status, (clock.now_ms - started_ms).max(0.0));
        let verdict = self.verdict(&mut reading);
        let error = match verdict {
            Ok(output) => {
                let drifts = self.observed.then(|| reading.shape.drifts());
                for drift in drifts.into_iter().flatten() {
                    if told.first(self.op.name, &drift) {
                        self.events.push(Event::Drift {
                            attempt: self.about(),
                            drift,
                        });
                    }
                }
                // Kept for `decode_error`: the face's decoding comes next.
                if let Some(flight) = self.flight.as_mut() {
                    flight.body = Some(reading);
                }
                return Next::Done(output);
            }
            Err(error) => error,
        };
        // Put the reading back for `undecodable` (excerpts of later errors).
        let retry_after_ms = reading.retry_after_ms;
        if let Some(flight) = self.flight.as_mut() {
            flight.body = Some(reading);
        }
        let step = self
            .call
            .after::<()>(error.scrubbed(self.key.expose()), retry_after_ms, clock);
        self.obey(step)
    }

    /// The attempt got no (whole) response: a network error, its timeout,
    /// an abort (also while waiting between attempts).
    pub fn on_failure(&mut self, failure: Failure, clock: Clock) -> Next {
        if let Some(flight) = self.flight.take() {
            let ms = (clock.now_ms - flight.started_ms).max(0.0);
            match &failure {
                Failure::TooLarge { status, .. } => self.response_event(*status, ms),
                other => {
                    let kind = match other {
                        Failure::Timeout(_) | Failure::Deadline => ErrorKind::Timeout,
                        Failure::Aborted => ErrorKind::Aborted,
                        _ => ErrorKind::Network,
                    };
                    if self.observed {
                        self.events.push(Event::Failure {
                            attempt: self.about(),
                            kind,
                            elapsed: duration(ms),
                        });
                    }
                }
            }
        }
        let step = self.call.on_failure::<()>(failure, clock, &self.key);
        self.obey(step)
    }

    /// Events made since last asked (request, response, failure, retry,
    /// drift); always empty unless the exchange is observed.
    pub fn take_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }

    /// A `decode` error for the body just read that the face's own decoding
    /// refused after the check passed (`message`: what it said), with the
    /// body's excerpt; call id set, key scrubbed.
    pub fn decode_error(&self, message: &str) -> Error {
        let status = self.reading().map_or(200, |r| r.status);
        Error::Decode {
            operation: self.op.name,
            call_id: None,
            status,
            message: String::from(message),
            body: self.excerpt(),
        }
        .scrubbed(self.key.expose())
        .for_call(self.op.name, self.call_id)
    }

    /// The verdict on a whole body: its output, or the error it means.
    fn verdict(&self, reading: &mut Reading) -> Result<Output, Error> {
        let ok = (200..300).contains(&reading.status);
        if let Some(message) = reading.malformed {
            return Err(self.undecodable_in(reading, message));
        }
        if let Err(problem) = reading.shape.finish() {
            return Err(self.undecodable_in(reading, problem.message()));
        }
        let Some(envelope) = reading.shape.envelope().cloned() else {
            return Err(
                self.undecodable_in(reading, "the body has no {\"response\": {...}} envelope")
            );
        };
        if envelope.error || !ok {
            return Err(Error::Api {
                operation: self.op.name,
                call_id: None,
                status: reading.status,
                statuscode: envelope.statuscode,
                errormessage: envelope.errormessage,
                debugmessage: envelope.debugmessage,
                retry_after_ms: reading.retry_after_ms,
                body: None,
                location: None,
            });
        }
        if let Some(problem) = reading.shape.problem() {
            return Err(self.undecodable_in(reading, problem));
        }
        Ok(reading.shape.output())
    }

    /// The error for a body that is not what the API sends: `decode` under
    /// a 2xx, else `api` with the body's excerpt.
    fn undecodable(&self, message: &str) -> Error {
        match self.reading() {
            Some(reading) => self.undecodable_in(reading, message),
            None => self.decode_error(message),
        }
    }

    fn undecodable_in(&self, reading: &Reading, message: &str) -> Error {
        let body = excerpt_of(&reading.first, reading.read, &self.key);
        if (200..300).contains(&reading.status) {
            Error::Decode {
                operation: self.op.name,
                call_id: None,
                status: reading.status,
                message: String::from(message),
                body,
            }
        } else {
            Error::Api {
                operation: self.op.name,
                call_id: None,
                status: reading.status,
                statuscode: None,
                errormessage: None,
                debugmessage: None,
                retry_after_ms: reading.retry_after_ms,
                body: Some(body),
                location: None,
            }
        }
    }

    fn reading(&self) -> Option<&Reading> {
        self.flight.as_ref().and_then(|f| f.body.as_ref())
    }

    fn excerpt(&self) -> String {
        match self.reading() {
            Some(reading) => excerpt_of(&reading.first, reading.read, &self.key),
            None => String::new(),
        }
    }

    /// Bytes of a body kept for an excerpt: enough characters for the cut
    /// and every encoded form of the key that may straddle it, twice over
    /// (forms longer than the marker shrink the text when scrubbed).
    fn excerpt_bytes(&self) -> usize {
        let form = char_count(self.key.expose()).saturating_mul(12);
        BODY_EXCERPT_CHARS
            .saturating_add(form)
            .saturating_mul(4)
            .saturating_mul(2)
    }

    fn started_ms(&self) -> f64 {
        self.flight.as_ref().map_or(0.0, |f| f.started_ms)
    }

    /// The current attempt, for events.
    fn about(&self) -> Attempt {
        Attempt {
            operation: self.op.rust_name,
            js_operation: self.op.name,
            method: self.op.method.as_str(),
            call_id: self.call_id,
            attempt: self.call.attempt(),
            url: self.shown_url(),
        }
    }

    fn response_event(&mut self, status: u16, ms: f64) {
        if self.observed {
            self.events.push(Event::Response {
                attempt: self.about(),
                status,
                elapsed: duration(ms),
            });
        }
    }

    /// The driver's next move after a failed attempt's step.
    fn obey(&mut self, step: Step<()>) -> Next {
        match step {
            Step::Done(()) => Next::Read,
            Step::Fail(error) => {
                self.flight = None;
                Next::Fail(error.for_call(self.op.name, self.call_id))
            }
            Step::Retry { delay_ms, error } => {
                if self.observed {
                    self.events.push(Event::Retry {
                        attempt: self.about(),
                        delay: Duration::from_millis(u64::from(delay_ms)),
                        reason: match error.status() {
                            Some(status) => RetryReason::Status(status),
                            None => RetryReason::Failure(error.kind()),
                        },
                        retry_after: error.retry_after(),
                    });
                }
                self.flight = None;
                Next::Wait(delay_ms)
            }
        }
    }
}

/// For steps that cannot retry: no time or randomness is read.
const NO_CLOCK: Clock = Clock {
    now_ms: 0.0,
    random: 0.0,
};

fn duration(ms: f64) -> Duration {
    Duration::from_millis(ms.max(0.0) as u64)
}

/// The excerpt of a body whose first bytes are `first`, of `read` bytes
/// in all: scrubbed, then cut ([`body_excerpt`]). When the kept bytes run
/// out before the cut, the last characters that could start a form of the
/// key are left out.
fn excerpt_of(first: &[u8], read: u64, key: &ApiKey) -> String {
    let text = String::from_utf8_lossy(first);
    let whole = u64::try_from(first.len()).unwrap_or(u64::MAX) >= read;
    let form = char_count(key.expose()).saturating_mul(12);
    body_excerpt(
        |chars| match text.char_indices().nth(chars) {
            Some((at, _)) => (String::from(text.get(..at).unwrap_or_default()), false),
            None if whole => (String::from(text.as_ref()), true),
            None => {
                let count = char_count(&text);
                let keep = count.saturating_sub(form);
                let at = text
                    .char_indices()
                    .nth(keep)
                    .map_or(text.len(), |(at, _)| at);
                (String::from(text.get(..at).unwrap_or_default()), true)
            }
        },
        key,
    )
}

#[cfg(test)]
#[path = "exchange_tests.rs"]
mod tests;
