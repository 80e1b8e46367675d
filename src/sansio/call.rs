//! The attempts of one call as a state machine that never does I/O: which
//! attempt this is, what a failed one's error is, and whether another may
//! follow (and after how long). The [`Exchange`](crate::sansio::exchange)
//! holds one and drives it; what a response's bytes mean is
//! [`shape`](crate::sansio::shape)'s.

use alloc::string::String;

use crate::sansio::error::Error;
use crate::sansio::operation::Operation;
use crate::sansio::policy::{self, Decision};
use crate::sansio::secret::ApiKey;

/// How an attempt ended without a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer, or a body cut mid-read: a reset, CORS, a lost
    /// connection; what the host said. The request may have arrived.
    Network(String),
    /// No request left: connection refused, no such host; what the host
    /// said. Even a POST may be sent again.
    NotSent(String),
    /// A response of this status whose body is longer than `limit` bytes:
    /// the read stopped there.
    TooLarge {
        /// HTTP status.
        status: u16,
        /// The configured `max_response_bytes`.
        limit: u64,
    },
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
        let max_retries = if op.method.is_idempotent() {
            max_retries
        } else {
            0
        };
        Call {
            op,
            attempt: 0,
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

    /// What the status and `Location` of a response say before its body is
    /// read: `Ok(status)` when the body is to be read, or the step for a
    /// redirect (never followed: it would carry the key wherever it
    /// points) and for a status that is not a whole number from 200 to 599
    /// (a custom fetch can return anything; `0` is a browser's opaque
    /// redirect, whose target it hides).
    pub fn on_head<D>(
        &mut self,
        status: f64,
        location: Option<&str>,
        clock: Clock,
        key: &ApiKey,
    ) -> Result<u16, Step<D>> {
        let operation = self.op.name;
        // `as` saturates (NaN is 0): the round trip tells a whole u16.
        let code = status as u16;
        let whole = f64::from(code) == status;
        let error = match code {
            0 | 300..=399 if whole => Error::Api {
                operation,
                call_id: None,
                status: code,
                statuscode: None,
                errormessage: None,
                debugmessage: None,
                retry_after_ms: None,
                body: None,
                location: Some(String::from(location.unwrap_or_default())),
            },
            200..=599 if whole => return Ok(code),
            _ => {
                let mut message = String::from("the response's status ");
                if status.is_finite() {
                    crate::sansio::error::push_int(&mut message, status as i64);
                } else {
                    message.push_str("(not a number)");
                }
                message.push_str(" is not an HTTP status from 200 to 599");
                Error::Network {
                    operation,
                    call_id: None,
                    message,
                    maybe_applied: true,
                }
            }
        };
        Err(self.after(error.scrubbed(key.expose()), None, clock))
    }

    /// The next step after an attempt that got no response.
    pub fn on_failure<D>(&mut self, failure: Failure, clock: Clock, key: &ApiKey) -> Step<D> {
        let operation = self.op.name;
        let error = match failure {
            Failure::Network(message) => Error::Network {
                operation,
                call_id: None,
                message,
                maybe_applied: true,
            },
            Failure::NotSent(message) => Error::Network {
                operation,
                call_id: None,
                message,
                maybe_applied: false,
            },
            Failure::TooLarge { status, limit } => {
                let mut message = String::from("the body is longer than the limit of ");
                crate::sansio::error::push_int(
                    &mut message,
                    i64::try_from(limit).unwrap_or(i64::MAX),
                );
                message.push_str(" bytes set for responses; the read stopped there");
                Error::Decode {
                    operation,
                    call_id: None,
                    status,
                    message,
                    body: String::new(),
                }
            }
            Failure::Timeout(ms) => Error::Timeout {
                operation,
                call_id: None,
                timeout_ms: Some(ms),
            },
            Failure::Aborted => Error::Aborted {
                operation,
                call_id: None,
                maybe_applied: self.attempt > 0,
            },
            Failure::Deadline => Error::Timeout {
                operation,
                call_id: None,
                timeout_ms: None,
            },
        };
        self.after(error.scrubbed(key.expose()), None, clock)
    }

    /// The step after an attempt that failed with `error` (key scrubbed):
    /// a retry when the policy allows one, else the error.
    pub(crate) fn after<D>(
        &self,
        error: Error,
        retry_after_ms: Option<u64>,
        clock: Clock,
    ) -> Step<D> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::ops;
    use crate::sansio::error::ErrorKind;
    use crate::sansio::policy;
    use serde_json::Value;

    const CLOCK: Clock = Clock {
        now_ms: 0.0,
        random: 0.0,
    };

    fn key() -> ApiKey {
        ApiKey::new("k3y/+".into())
    }

    /// An attempt answered with `status` (the error the exchange makes of
    /// it: the state machine decides from the error alone).
    fn respond(call: &mut Call, status: u16, retry_after: Option<&str>, body: &str) -> Step<Value> {
        call.start_attempt();
        let retry_after_ms = retry_after.and_then(|v| policy::retry_after_ms(v, CLOCK.now_ms));
        let error = Error::Api {
            operation: call.op().name,
            call_id: None,
            status,
            statuscode: None,
            errormessage: None,
            debugmessage: None,
            retry_after_ms,
            body: Some(String::from(body)),
            location: None,
        };
        call.after(error, retry_after_ms, CLOCK)
    }

    fn error<D: core::fmt::Debug>(step: Step<D>) -> Error {
        match step {
            Step::Fail(e) => e,
            other => panic!("expected a failure, got {other:?}"),
        }
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

    #[test]
    fn redirects_are_never_followed_and_name_the_scrubbed_location() {
        for op in [&ops::GET_ACCOUNT, &ops::CREATE_ACCOUNT] {
            let mut call = Call::new(op, 2);
            call.start_attempt();
            let step: Result<u16, Step<Value>> = call.on_head(
                302.0,
                Some("http://other.example/api?apikey=k3y%2F%2B"),
                CLOCK,
                &key(),
            );
            let Err(Step::Fail(e)) = step else {
                panic!("{step:?}")
            };
            assert_eq!((e.kind(), e.status()), (ErrorKind::Api, Some(302)));
            let message = e.to_string();
            assert!(
                message.contains("redirected to http://other.example/api?apikey=[redacted]"),
                "{message}"
            );
            assert!(message.contains("point baseUrl at"), "{message}");
            assert!(!e.is_retryable() && !e.maybe_applied());
        }
        // A browser's opaque redirect: status 0, the target hidden.
        let mut call = Call::new(&ops::GET_ACCOUNT, 2);
        let step: Result<u16, Step<Value>> = call.on_head(0.0, None, CLOCK, &key());
        let Err(Step::Fail(e)) = step else {
            panic!("{step:?}")
        };
        assert_eq!(e.status(), Some(0));
        assert!(e.to_string().contains("target this host hides"), "{e}");
    }

    #[test]
    fn statuses_outside_200_to_599_are_network_errors() {
        for status in [65736.0, 600.0, 199.0, 100.0, -1.0, 200.5, f64::NAN] {
            let mut call = Call::new(&ops::CREATE_ACCOUNT, 0);
            call.start_attempt();
            let step: Result<u16, Step<Value>> = call.on_head(status, None, CLOCK, &key());
            let Err(Step::Fail(e)) = step else {
                panic!("{status}: {step:?}")
            };
            assert_eq!(e.kind(), ErrorKind::Network, "{status}");
            assert!(e.maybe_applied() && !e.is_retryable(), "{status}");
        }
        let mut call = Call::new(&ops::GET_ACCOUNT, 0);
        assert_eq!(call.on_head::<Value>(404.0, None, CLOCK, &key()), Ok(404));
        assert_eq!(call.on_head::<Value>(200.0, None, CLOCK, &key()), Ok(200));
    }

    /// API.md's table of `retryable` and `maybe_applied`, for an idempotent
    /// call and for a POST.
    #[test]
    fn retryable_and_maybe_applied_follow_the_table() {
        let k = key();
        // (what happened, GET retryable, POST retryable, maybe applied)
        let api = |status| format!("HTTP {status}");
        let mut rows: Vec<(String, bool, bool, bool)> = Vec::new();
        for (status, get, post, applied) in [
            (429, true, true, false),
            (503, true, true, false),
            (502, true, false, true),
            (504, true, false, true),
            (500, false, false, false),
            (404, false, false, false),
        ] {
            rows.push((api(status), get, post, applied));
        }
        rows.push(("network, maybe sent".into(), true, false, true));
        rows.push(("network, not sent".into(), true, true, false));
        rows.push(("timeout".into(), true, false, true));
        rows.push(("too large".into(), false, false, true));
        for (what, get, post, applied) in rows {
            for (op, retryable) in [(&ops::GET_ACCOUNT, get), (&ops::CREATE_ACCOUNT, post)] {
                let mut call = Call::new(op, 0);
                let e = if let Some(status) = what.strip_prefix("HTTP ") {
                    let status: u16 = status.parse().unwrap_or_default();
                    error(respond(&mut call, status, None, "busy"))
                } else {
                    call.start_attempt();
                    let failure = match what.as_str() {
                        "network, maybe sent" => Failure::Network("reset".into()),
                        "network, not sent" => Failure::NotSent("refused".into()),
                        "timeout" => Failure::Timeout(10),
                        _ => Failure::TooLarge {
                            status: 200,
                            limit: 10,
                        },
                    };
                    error::<Value>(call.on_failure(failure, CLOCK, &k))
                };
                assert_eq!(e.is_retryable(), retryable, "{}: {what}", op.name);
                assert_eq!(e.maybe_applied(), applied, "{}: {what}", op.name);
            }
        }
        // An abort: applied only if an attempt had left.
        let mut call = Call::new(&ops::CREATE_ACCOUNT, 0);
        let e = error::<Value>(call.on_failure(Failure::Aborted, CLOCK, &k));
        assert!(!e.maybe_applied());
        call.start_attempt();
        let e = error::<Value>(call.on_failure(Failure::Aborted, CLOCK, &k));
        assert!(e.maybe_applied() && !e.is_retryable());
    }
}
