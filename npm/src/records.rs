//! What the core tells JS, as JSON text: an error's record (which
//! `js/error.js` turns into a `LiveAgentError`), a call's events (which
//! `js/driver.js` hands to `onEvent`), and the request to send.

use alloc::string::String;
use alloc::vec::Vec;

use liveagent_reseller::sansio::error::Error;
use liveagent_reseller::sansio::event::{Attempt, Event, RetryReason};
use liveagent_reseller::sansio::exchange::Exchange;

use crate::text::Writer;

/// An error as `{message, kind, operation, retryable, maybeApplied,
/// status?, statuscode?, errormessage?, debugmessage?, body?, retryAfterMs?}`.
pub fn error_record(error: &Error) -> String {
    let mut w = Writer(String::from("{"));
    w.field_text("message", Some(&error.message()));
    w.field_text("kind", Some(error.kind().as_str()));
    w.field_text("operation", Some(error.operation()));
    w.field_bool("retryable", error.is_retryable());
    w.field_bool("maybeApplied", error.maybe_applied());
    w.field_number("status", error.status().map(u64::from));
    if let Error::Api {
        statuscode,
        errormessage,
        debugmessage,
        ..
    } = error
    {
        if let Some(code) = statuscode {
            // A negative code is kept as the server wrote it.
            w.key("statuscode");
            if *code < 0 {
                w.0.push('-');
            }
            w.number(code.unsigned_abs());
        }
        w.field_text("errormessage", errormessage.as_deref());
        w.field_text("debugmessage", debugmessage.as_deref());
    }
    w.field_text("body", error.body());
    w.field_number("retryAfterMs", error.retry_after_ms());
    w.0.push('}');
    w.0
}

/// `s` and the request of `exchange`: `[method, url, timeoutMs, body or
/// null, [[name, value], …]]`.
pub fn request(exchange: &Exchange) -> String {
    let wire = exchange.request();
    let mut w = Writer(String::from("s["));
    w.text(exchange.method().as_str());
    w.0.push(',');
    w.text(&wire.url);
    w.0.push(',');
    w.number(u64::from(exchange.timeout_ms()));
    w.0.push(',');
    match &wire.body {
        Some(body) => w.text(body),
        None => w.0.push_str("null"),
    }
    w.0.push_str(",[");
    for (n, (name, value)) in exchange.headers().iter().enumerate() {
        if n > 0 {
            w.0.push(',');
        }
        w.0.push('[');
        w.text(name);
        w.0.push(',');
        w.text(value);
        w.0.push(']');
    }
    w.0.push_str("]]");
    w.0
}

/// Appends `\u{1}` and `happened` as the JSON array of the events JS
/// sends to `onEvent` (nothing when there are none).
pub fn events(out: &mut String, happened: Vec<Event>) {
    if happened.is_empty() {
        return;
    }
    let mut w = Writer(core::mem::take(out));
    w.0.push_str("\u{1}[");
    for (n, event) in happened.iter().enumerate() {
        if n > 0 {
            w.0.push(',');
        }
        w.0.push('{');
        match event {
            Event::Request(attempt) => about(&mut w, "request", attempt, true),
            Event::Response {
                attempt,
                status,
                elapsed,
            } => {
                about(&mut w, "response", attempt, true);
                w.field_number("status", Some(u64::from(*status)));
                w.field_number("ms", Some(elapsed.as_millis() as u64));
            }
            Event::Failure {
                attempt,
                kind,
                elapsed,
            } => {
                about(&mut w, "failure", attempt, true);
                w.field_text("kind", Some(kind.as_str()));
                w.field_number("ms", Some(elapsed.as_millis() as u64));
            }
            Event::Retry {
                attempt,
                delay,
                reason,
                retry_after,
            } => {
                about(&mut w, "retry", attempt, true);
                w.field_number("delayMs", Some(delay.as_millis() as u64));
                match reason {
                    RetryReason::Status(status) => {
                        w.field_number("reason", Some(u64::from(*status)))
                    }
                    RetryReason::Failure(kind) => w.field_text("reason", Some(kind.as_str())),
                    _ => {}
                }
                w.field_number(
                    "retryAfterMs",
                    retry_after.map(|after| after.as_millis() as u64),
                );
            }
            Event::Drift { attempt, drift } => {
                about(&mut w, "drift", attempt, false);
                w.field_text("path", Some(&drift.path));
                w.field_text("what", Some(drift.what.as_str()));
                w.field_text("value", drift.value.as_deref());
            }
            _ => about(&mut w, "other", event.attempt(), true),
        }
        w.0.push('}');
    }
    w.0.push(']');
    *out = w.0;
}

/// The fields every event has: `type`, `operation`, `method`, `callId`
/// (a string, as the npm face's `callId` always was), `url` (not on a
/// drift), `attempt`.
fn about(w: &mut Writer, kind: &str, attempt: &Attempt, url: bool) {
    w.field_text("type", Some(kind));
    w.field_text("operation", Some(attempt.js_operation));
    w.field_text("method", Some(attempt.method));
    w.key("callId");
    w.0.push('"');
    w.number(attempt.call_id);
    w.0.push('"');
    if url {
        w.field_text("url", Some(&attempt.url));
    }
    w.field_number("attempt", Some(u64::from(attempt.attempt)));
}
