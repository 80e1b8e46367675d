//! One call as a state machine that never does I/O.
//!
//! A driver sends the prepared request, reports what happened to each
//! attempt, and does what the call says next: hand the payload over, give
//! the error to the caller, or wait and send again. Every driver (gloo-net
//! on wasm, reqwest natively, the npm package's `transport.js`) runs this
//! same code, so the rules of retries, envelopes and errors exist once.

use alloc::string::String;

use crate::sansio::document::Document;
use crate::sansio::error::{excerpt, Error};
use crate::sansio::operation::{ListShape, Operation};
use crate::sansio::policy::{self, Decision};
use crate::sansio::secret::ApiKey;

/// How an attempt ended without a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: DNS, connection refused, CORS, a reset; what the host said.
    Network(String),
    /// The attempt's own timer, of this many ms, ran out.
    Timeout(u32),
    /// The caller cancelled (an abort signal, or a dropped future).
    Aborted,
    /// The caller's deadline passed (an abort whose reason is a `TimeoutError`).
    Deadline,
}

/// What the driver brings besides the outcome: the time and a random
/// number, so that the core stays deterministic under test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    /// Now, in ms since the Unix epoch (for `Retry-After` dates).
    pub now_ms: f64,
    /// A number in `[0, 1)` (for backoff jitter).
    pub random: f64,
}

/// What the driver does next.
#[derive(Debug, PartialEq)]
pub enum Step<P> {
    /// The call succeeded with this payload (the envelope removed).
    Done(P),
    /// The call failed; the error has the key scrubbed.
    Fail(Error),
    /// Wait this many ms, then send the same request again.
    Retry {
        /// The wait.
        delay_ms: u32,
        /// Why the last attempt failed (for logs and events).
        error: Error,
    },
}

/// The state of one call: which attempt this is, and how many may follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call {
    op: &'static Operation,
    attempt: u32,
    max_retries: u32,
}

impl Call {
    /// A call of `op` that may be retried `max_retries` times; POST never is.
    pub fn new(op: &'static Operation, max_retries: u32) -> Self {
        Call::resume(op, 0, max_retries)
    }

    /// A call whose attempt number `attempt` (1 for the first) was sent;
    /// for drivers that keep the count themselves.
    pub fn resume(op: &'static Operation, attempt: u32, max_retries: u32) -> Self {
        let max_retries = if op.method.is_idempotent() {
            max_retries
        } else {
            0
        };
        Call {
            op,
            attempt,
            max_retries,
        }
    }

    /// The operation.
    pub fn op(&self) -> &'static Operation {
        self.op
    }

    /// Counts an attempt about to be sent; returns its number (1 for the first).
    pub fn start_attempt(&mut self) -> u32 {
        self.attempt = self.attempt.saturating_add(1);
        self.attempt
    }

    /// The number of the last attempt sent.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Retries this call may still make after the current attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The next step after an HTTP response. `document` is the body parsed
    /// as JSON (`None` when it is not JSON), `body` gives its text for errors.
    pub fn on_response<D: Document>(
        &mut self,
        status: u16,
        retry_after: Option<&str>,
        document: Option<D>,
        body: impl FnOnce() -> String,
        clock: Clock,
        key: &ApiKey,
    ) -> Step<D> {
        let retry_after_ms =
            retry_after.and_then(|value| policy::retry_after_ms(value, clock.now_ms));
        match payload(self.op, status, document, body, retry_after_ms) {
            Ok(payload) => Step::Done(payload),
            Err(error) => self.after(error.scrubbed(key.expose()), retry_after_ms, clock),
        }
    }

    /// The next step after an attempt that got no response.
    pub fn on_failure<D>(&mut self, failure: Failure, clock: Clock, key: &ApiKey) -> Step<D> {
        let operation = self.op.name;
        let error = match failure {
            Failure::Network(message) => Error::Network { operation, message },
            Failure::Timeout(ms) => Error::Timeout {
                operation,
                timeout_ms: Some(ms),
            },
            Failure::Aborted => Error::Aborted { operation },
            Failure::Deadline => Error::Timeout {
                operation,
                timeout_ms: None,
            },
        };
        self.after(error.scrubbed(key.expose()), None, clock)
    }

    fn after<D>(&self, error: Error, retry_after_ms: Option<u64>, clock: Clock) -> Step<D> {
        let decision = policy::decide(
            self.attempt,
            self.max_retries,
            error.is_retryable(),
            retry_after_ms,
            clock.random,
        );
        match decision {
            Decision::Retry(delay_ms) => Step::Retry { delay_ms, error },
            Decision::GiveUp => Step::Fail(error),
        }
    }
}

/// The payload of a response, or the error it means.
fn payload<D: Document>(
    op: &Operation,
    status: u16,
    document: Option<D>,
    body: impl FnOnce() -> String,
    retry_after_ms: Option<u64>,
) -> Result<D, Error> {
    let ok = (200..300).contains(&status);
    let operation = op.name;
    let undecodable = |message: &str, body: String| {
        if ok {
            Error::Decode {
                operation,
                status,
                message: String::from(message),
                body: excerpt(&body),
            }
        } else {
            Error::Api {
                operation,
                status,
                statuscode: None,
                errormessage: None,
                debugmessage: None,
                retry_after_ms,
                body: Some(excerpt(&body)),
            }
        }
    };
    let Some(document) = document else {
        return Err(undecodable("the body is not JSON", body()));
    };
    let Some(payload) = document.member("response").filter(D::is_object) else {
        return Err(undecodable(
            "the body has no {\"response\": {...}} envelope",
            body(),
        ));
    };
    let is_error = payload.member("status").and_then(|s| s.text()).as_deref() == Some("ERROR");
    if is_error || !ok {
        let text = |name: &str| payload.member(name).and_then(|v| v.text());
        return Err(Error::Api {
            operation,
            status,
            statuscode: payload.member("statuscode").and_then(|v| v.int()),
            errormessage: text("errormessage"),
            debugmessage: text("debugmessage"),
            retry_after_ms,
            body: None,
        });
    }
    if let Err(message) = check_lists(&payload, op.lists) {
        return Err(undecodable(&message, body()));
    }
    Ok(payload)
}

/// Checks that each documented list is an array of objects, rows' lists too.
fn check_lists<D: Document>(payload: &D, lists: &[ListShape]) -> Result<(), String> {
    for list in lists {
        let Some(value) = payload.member(list.field).filter(|v| !v.is_null()) else {
            continue;
        };
        let Some(len) = value.array_len() else {
            return Err(crate::sansio::error::join(&[list.field, " is not a list"]));
        };
        for index in 0..len {
            match value.element(index) {
                Some(row) if row.is_object() => check_lists(&row, list.rows)?,
                _ => {
                    return Err(crate::sansio::error::join(&[
                        list.field,
                        " has a row that is not an object",
                    ]))
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::ops;
    use crate::sansio::error::ErrorKind;
    use serde_json::{json, Value};

    const CLOCK: Clock = Clock {
        now_ms: 0.0,
        random: 0.0,
    };

    fn key() -> ApiKey {
        ApiKey::new("k3y/+".into())
    }

    fn respond(call: &mut Call, status: u16, retry_after: Option<&str>, body: &str) -> Step<Value> {
        call.start_attempt();
        let document = serde_json::from_str::<Value>(body).ok();
        call.on_response(status, retry_after, document, || body.into(), CLOCK, &key())
    }

    fn error(step: Step<Value>) -> Error {
        match step {
            Step::Fail(e) => e,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn the_envelope_is_removed() {
        let mut call = Call::new(&ops::GET_ACCOUNT_STATUS, 2);
        let step = respond(
            &mut call,
            200,
            None,
            r#"{"response":{"account_status":"a"}}"#,
        );
        assert_eq!(step, Step::Done(json!({"account_status": "a"})));
    }

    #[test]
    fn an_error_envelope_under_200_is_an_api_error_with_the_key_scrubbed() {
        let mut call = Call::new(&ops::GET_ACCOUNT_STATUS, 2);
        let body = r#"{"response":{"status":"ERROR","statuscode":"401","errormessage":"bad key k3y/+","debugmessage":"k3y\/+"}}"#;
        let e = error(respond(&mut call, 200, None, body));
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.status(), Some(200));
        match &e {
            Error::Api {
                statuscode,
                errormessage,
                ..
            } => {
                assert_eq!(*statuscode, Some(401));
                assert_eq!(errormessage.as_deref(), Some("bad key [redacted]"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!format!("{e:?}").contains("k3y"));
    }

    #[test]
    fn bodies_that_are_not_the_envelope() {
        // Under 200: a decode error that keeps the body.
        let mut call = Call::new(&ops::LIST_VARIATIONS, 0);
        let e = error(respond(&mut call, 200, None, "<html>oops</html>"));
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(e.body(), Some("<html>oops</html>"));
        let e = error(respond(&mut call, 200, None, r#"{"result":{}}"#));
        assert!(e.to_string().contains("envelope"), "{e}");
        // Under an error status: an API error that keeps the body.
        let e = error(respond(&mut call, 500, None, "<h1>Internal</h1>"));
        assert_eq!((e.kind(), e.status()), (ErrorKind::Api, Some(500)));
        assert_eq!(e.body(), Some("<h1>Internal</h1>"));
        // Bodies are cut at 4,096 characters.
        let long = "é".repeat(5000);
        let e = error(respond(&mut call, 200, None, &long));
        assert_eq!(e.body().map(|b| b.chars().count()), Some(4096));
    }

    #[test]
    fn documented_lists_must_hold_objects() {
        let mut call = Call::new(&ops::LIST_ACCOUNTS, 0);
        let e = error(respond(
            &mut call,
            200,
            None,
            r#"{"response":{"accounts":[{"account_id":"1"},7]}}"#,
        ));
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.to_string().contains("accounts has a row"), "{e}");
        let e = error(respond(
            &mut call,
            200,
            None,
            r#"{"response":{"accounts":"none"}}"#,
        ));
        assert!(e.to_string().contains("accounts is not a list"), "{e}");
        let step = respond(&mut call, 200, None, r#"{"response":{"accounts":null}}"#);
        assert!(matches!(step, Step::Done(_)));
    }

    #[test]
    fn get_put_delete_retry_on_the_documented_failures_then_give_up() {
        for op in [
            &ops::GET_ACCOUNT,
            &ops::SET_ACCOUNT_ATTRIBUTE,
            &ops::REMOVE_ACCOUNT_USER,
        ] {
            for status in [429, 502, 503, 504] {
                let mut call = Call::new(op, 2);
                for _ in 0..2 {
                    let step = respond(&mut call, status, None, "busy");
                    assert!(matches!(step, Step::Retry { .. }), "{} {status}", op.name);
                }
                let e = error(respond(&mut call, status, None, "busy"));
                assert!(e.is_retryable());
                assert_eq!(call.attempt(), 3, "attempts = 1 + max_retries");
            }
            for status in [400, 401, 404, 500, 501] {
                let mut call = Call::new(op, 2);
                let e = error(respond(&mut call, status, None, "no"));
                assert!(!e.is_retryable(), "{status}");
            }
        }
    }

    #[test]
    fn network_errors_and_timeouts_are_retried_aborts_and_deadlines_are_not() {
        let k = key();
        let mut call = Call::new(&ops::GET_ACCOUNT, 1);
        call.start_attempt();
        let step: Step<Value> = call.on_failure(Failure::Network("refused".into()), CLOCK, &k);
        assert!(matches!(step, Step::Retry { delay_ms: 125, .. }));
        call.start_attempt();
        let step: Step<Value> = call.on_failure(Failure::Timeout(50), CLOCK, &k);
        assert!(matches!(step, Step::Fail(Error::Timeout { .. })));
        for failure in [Failure::Aborted, Failure::Deadline] {
            let mut call = Call::new(&ops::GET_ACCOUNT, 5);
            call.start_attempt();
            let step: Step<Value> = call.on_failure(failure.clone(), CLOCK, &k);
            match step {
                Step::Fail(e) => assert!(!e.is_retryable(), "{failure:?}"),
                other => panic!("{failure:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn post_is_never_retried() {
        let mut call = Call::new(&ops::CREATE_ACCOUNT, 10);
        assert_eq!(call.max_retries(), 0);
        let e = error(respond(&mut call, 503, Some("0"), "busy"));
        assert!(e.is_retryable(), "the caller may still decide to retry");
        let mut call = Call::new(&ops::ADD_ACCOUNT_ADDON, 10);
        call.start_attempt();
        let step: Step<Value> = call.on_failure(Failure::Network("reset".into()), CLOCK, &key());
        assert!(matches!(step, Step::Fail(_)));
    }

    #[test]
    fn retry_after_is_honoured_up_to_a_minute() {
        let mut call = Call::new(&ops::GET_ACCOUNT, 3);
        let step = respond(&mut call, 429, Some("2"), "slow down");
        match step {
            Step::Retry { delay_ms, error } => {
                assert_eq!(delay_ms, 2000);
                assert_eq!(error.retry_after_ms(), Some(2000));
            }
            other => panic!("{other:?}"),
        }
        let step = respond(&mut call, 503, Some("Thu, 01 Jan 1970 00:00:03 GMT"), "{}");
        assert!(matches!(step, Step::Retry { delay_ms: 3000, .. }));
        // Beyond 60 s: the error comes back at once, still retryable.
        let e = error(respond(&mut call, 503, Some("61"), "busy"));
        assert_eq!(e.retry_after_ms(), Some(61_000));
        assert!(e.is_retryable());
        assert_eq!(call.attempt(), 3);
    }

    #[test]
    fn network_messages_lose_the_key() {
        let mut call = Call::new(&ops::GET_ACCOUNT, 0);
        call.start_attempt();
        let step: Step<Value> = call.on_failure(
            Failure::Network("failed: http://h/?apikey=k3y%2F%2B".into()),
            CLOCK,
            &key(),
        );
        match step {
            Step::Fail(e) => assert!(!e.to_string().contains("k3y"), "{e}"),
            other => panic!("{other:?}"),
        }
    }
}
