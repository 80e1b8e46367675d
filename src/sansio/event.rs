//! What an observer sees of each attempt (API.md, "Watching calls"): the
//! Rust face's `Config::on_event`, the same events as the npm face's
//! `onEvent`. No event holds the key.

use alloc::string::String;
use alloc::sync::Arc;
use core::fmt;
use core::time::Duration;

use crate::sansio::drift::Drift;
use crate::sansio::error::ErrorKind;

/// Which call and which attempt an event is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The method (`get_account_status`).
    pub operation: &'static str,
    /// The npm face's name of the method (`getAccountStatus`).
    pub js_operation: &'static str,
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: &'static str,
    /// The call's id, unique within the client: the same on every event of one call.
    pub call_id: u64,
    /// The attempt, 1 for the first.
    pub attempt: u32,
    /// The URL, the key's value replaced by `[redacted]`.
    pub url: String,
}

/// Why a retry was scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// The failed attempt's HTTP status (429, 502, 503, 504).
    Status(u16),
    /// It got no response: a network error or a timeout.
    Failure(ErrorKind),
}

/// One step of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// An attempt is sent.
    Request(Attempt),
    /// An attempt got an HTTP response.
    Response {
        /// The attempt.
        attempt: Attempt,
        /// Its HTTP status.
        status: u16,
        /// How long it took.
        elapsed: Duration,
    },
    /// A retry is scheduled.
    Retry {
        /// The attempt that failed.
        attempt: Attempt,
        /// The wait before the next attempt.
        delay: Duration,
        /// Why.
        reason: RetryReason,
        /// The wait the server asked for (`Retry-After`), when it did.
        retry_after: Option<Duration>,
    },
    /// An attempt got no response.
    Failure {
        /// The attempt.
        attempt: Attempt,
        /// `Network`, `Timeout` or `Aborted`.
        kind: ErrorKind,
        /// How long it took.
        elapsed: Duration,
    },
    /// A response held what the docs do not (see [`Drift`]); told once
    /// per client for each operation, path, kind and code. The result
    /// still carries what the server sent.
    Drift {
        /// The attempt whose response held it.
        attempt: Attempt,
        /// What, and where.
        drift: Drift,
    },
}

impl Event {
    /// The attempt the event is about.
    pub fn attempt(&self) -> &Attempt {
        match self {
            Event::Request(attempt)
            | Event::Response { attempt, .. }
            | Event::Retry { attempt, .. }
            | Event::Failure { attempt, .. }
            | Event::Drift { attempt, .. } => attempt,
        }
    }
}

/// An observer of events (`Config::on_event`), shared by a client's clones.
/// Two observers are equal when they are the same function.
#[derive(Clone)]
pub struct Observer(Arc<dyn Fn(&Event) + Send + Sync>);

impl Observer {
    /// Wraps `f`.
    pub fn new(f: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        Observer(Arc::new(f))
    }

    /// Shows `event` to the observer.
    pub fn notify(&self, event: &Event) {
        (self.0)(event);
    }
}

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer")
    }
}

impl PartialEq for Observer {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Observer {}
