//! What every handler shares (the rules' [`Sandbox`] under one lock, the
//! settings, the base URL) and the limits every request lives under. The
//! clock is read here, once per answer, unless `--now` fixed it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sandbox_rules::faults::MAX_DELAY_MS;
use sandbox_rules::Sandbox;

use crate::config::Config;

/// Largest request body the API reads; larger ones get a 413 envelope.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Largest body a control route reads (a fault rule is a few hundred bytes).
pub(crate) const CONTROL_BODY_LIMIT: usize = 64 * 1024;

/// Longest pause between two parts of a request body: a client that stops
/// sending its body mid-way gets a 408 instead of holding the request open.
pub(crate) const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest a control route or a static file may take to answer.
pub(crate) const CONTROL_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest an API request may take: whatever delay the sandbox was told to
/// add (latency plus a fault rule's delay, each bounded) and a minute more
/// for the body. It only cuts off a client that trickles its body.
pub(crate) fn api_timeout(config: &Config) -> Duration {
    Duration::from_millis(config.latency_ms.saturating_add(MAX_DELAY_MS)) + Duration::from_secs(60)
}

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    pub(crate) config: Config,
    /// `http://host:port/api`, as printed at start.
    pub(crate) base_url: String,
    sandbox: Mutex<Sandbox>,
}

/// The state handlers receive.
pub(crate) type App = Arc<Shared>;

impl Shared {
    /// Seeds the records for `config`; `addr` is where it listens.
    pub fn new(config: Config, addr: SocketAddr) -> Shared {
        Shared {
            base_url: format!("{}/api", crate::origin(addr)),
            sandbox: Mutex::new(Sandbox::new(config.options())),
            config,
        }
    }

    /// The records, rules and log. Every call runs under this one lock,
    /// start to end, so concurrent writes to one account are applied one
    /// after the other.
    pub(crate) fn sandbox(&self) -> MutexGuard<'_, Sandbox> {
        // A poisoned lock only means another request panicked mid-way; the
        // data is still the best we have, so keep serving rather than crash.
        self.sandbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Seconds since the Unix epoch: `--now` when given, else the clock
    /// (0 if it is before 1970).
    pub(crate) fn now_unix(&self) -> i64 {
        self.config.now.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
                .unwrap_or(0)
        })
    }
}
