//! One sandbox: its records, fault rules and request log, and what it
//! answers to an API request. An answer comes in two steps so that a
//! driver can wait in between without the rules holding a clock:
//! [`Sandbox::arrive`] logs the request and decides on latency, fault
//! rules and the fail-rate coin; after waiting [`Arrival::delay_ms`], the
//! driver sends [`Arrival::reply`] when there is one, or else asks
//! [`Sandbox::answer`] (the records change only then, so a request whose
//! client gave up during the wait changes nothing, as on a real server).

use crate::clock;
use crate::dispatch::{ApiRequest, Credentials};
use crate::faults::{FaultRule, Faults, LoggedRequest, LOGGED_BODY_LIMIT, MAX_DELAY_MS};
use crate::options::Options;
use crate::records::State as Records;
use crate::redact;
use crate::wire::{respond, respond_error, ApiError, Format, Reply};

/// An API request as the driver received it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// Path as received, still percent-encoded (`/api/resellers/…`).
    pub path: &'a str,
    /// Query string as received, without `?` ("" when none).
    pub query: &'a str,
    /// `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The whole body; `None` when the driver could not or would not read
    /// it (too large, too slow).
    pub body: Option<&'a [u8]>,
}

/// What to do with a request that just arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// How long to wait before replying (latency and a fault rule's delay).
    pub delay_ms: u64,
    /// The reply a fault rule or the fail-rate coin decided on; `None`
    /// means: after the wait, let [`Sandbox::answer`] reply.
    pub reply: Option<Reply>,
}

/// The records, fault rules and request log of one sandbox.
#[derive(Debug)]
pub struct Sandbox {
    options: Options,
    records: Records,
    faults: Faults,
}

impl Sandbox {
    /// Fresh records seeded from `options`, no rules, an empty log.
    pub fn new(options: Options) -> Sandbox {
        Sandbox {
            records: Records::seeded(options.seed, options.seed_accounts),
            faults: Faults::new(options.fail_rate, options.seed),
            options,
        }
    }

    /// The options it was started with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Back to the seeded records (same seed, so the same ids again), no
    /// rules, an empty request log: a clean slate between tests.
    pub fn reset(&mut self) {
        *self = Sandbox::new(self.options.clone());
    }

    /// Fault rules and the request log.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Fault rules and the request log, to change them.
    pub fn faults_mut(&mut self) -> &mut Faults {
        &mut self.faults
    }

    /// Logs an API request and decides on delays and faults.
    pub fn arrive(&mut self, request: &Request<'_>) -> Arrival {
        self.faults.log(log_entry(request));
        let format = Format::of_path(request.path);
        let mut delay_ms = self.options.latency_ms.min(MAX_DELAY_MS);
        let operation = api_request(request).operation();
        if let Some(rule) = self.faults.take_rule(request.path, operation) {
            delay_ms = delay_ms.saturating_add(rule.delay_ms);
            if rule.replaces_answer() {
                return Arrival {
                    delay_ms,
                    reply: Some(fault_reply(format, &rule)),
                };
            }
        }
        let reply = self.faults.roll_failure().then(|| {
            let error = ApiError::new(503, "service temporarily unavailable")
                .with_debug("injected by the sandbox's --fail-rate");
            respond_error(format, &error).with_header("retry-after", "1")
        });
        Arrival { delay_ms, reply }
    }

    /// Logs a request the driver refused before reading it whole (its body
    /// too large or too slow), and the error envelope to send for it.
    pub fn refuse(&mut self, request: &Request<'_>, error: &ApiError) -> Reply {
        self.faults.log(log_entry(request));
        respond_error(Format::of_path(request.path), error)
    }

    /// The API's answer at Unix time `now_unix` (seconds).
    pub fn answer(&mut self, request: &Request<'_>, now_unix: i64) -> Reply {
        let format = Format::of_path(request.path);
        let api = api_request(request);
        let credentials = Credentials {
            reseller: &self.options.reseller,
            api_key: &self.options.api_key,
        };
        let now = clock::format_unix(now_unix);
        match api.answer(&mut self.records, credentials, &now) {
            Ok(node) => respond(format, 200, &node),
            Err(error) => respond_error(format, &error.scrubbed(&[&self.options.api_key])),
        }
    }

    /// [`arrive`](Sandbox::arrive) and [`answer`](Sandbox::answer) with no
    /// wait in between: the reply and how long to hold it.
    pub fn handle(&mut self, request: &Request<'_>, now_unix: i64) -> (u64, Reply) {
        let arrival = self.arrive(request);
        let reply = match arrival.reply {
            Some(reply) => reply,
            None => self.answer(request, now_unix),
        };
        (arrival.delay_ms, reply)
    }
}

fn api_request<'a>(request: &Request<'a>) -> ApiRequest<'a> {
    ApiRequest {
        method: request.method,
        raw_path: request.path,
        raw_query: request.query,
        content_type: request.content_type,
        body: request.body.unwrap_or_default(),
    }
}

/// The log's copy of a request: raw, except that every `apikey` value is
/// `[redacted]`, and the body cut at [`LOGGED_BODY_LIMIT`].
fn log_entry(request: &Request<'_>) -> LoggedRequest {
    let truncated = request.body.is_some_and(|b| b.len() > LOGGED_BODY_LIMIT);
    LoggedRequest {
        method: request.method.to_owned(),
        path: request.path.to_owned(),
        query: redact::form_fields(request.query),
        body: request.body.map(|b| {
            let kept = b.get(..LOGGED_BODY_LIMIT).unwrap_or(b);
            redact::form_fields(&String::from_utf8_lossy(kept))
        }),
        body_truncated: truncated,
        content_type: request.content_type.map(str::to_owned),
    }
}

/// The `errormessage` of an injected error: the API's own wording for the
/// statuses it answers with, so that a client sees what it would see for
/// real (a 401 reads as a wrong key).
fn fault_message(status: u16) -> String {
    match status {
        400 => "common processing error".to_owned(),
        401 => "authentication failed: wrong API key".to_owned(),
        404 => "not found".to_owned(),
        429 => "too many requests".to_owned(),
        500 => "fatal server error".to_owned(),
        502 => "bad gateway".to_owned(),
        503 => "service temporarily unavailable".to_owned(),
        504 => "gateway timeout".to_owned(),
        n => format!("error {n}"),
    }
}

/// The answer a fault rule asks for.
fn fault_reply(format: Format, rule: &FaultRule) -> Reply {
    let reply = match &rule.body {
        Some(body) => Reply::new(
            rule.status,
            rule.content_type.as_deref().unwrap_or("application/json"),
            body.clone(),
        ),
        None => {
            let error = ApiError::new(rule.status, fault_message(rule.status))
                .with_debug("injected by a sandbox fault rule (POST /_sandbox/faults)");
            respond_error(format, &error)
        }
    };
    match &rule.retry_after {
        Some(value) => reply.with_header("retry-after", value.clone()),
        None => reply,
    }
}
