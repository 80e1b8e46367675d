//! The sandbox's rules in-process (feature `testing`): a [`Sandbox`] is a
//! [`Transport`] that answers as the `sandbox` server and the npm
//! `testing` entry do (the same crate of rules), natively and on wasm32,
//! with no network and no server to start.
//!
//! # Examples
//!
//! ```
//! # async fn run() -> Result<(), liveagent_reseller::Error> {
//! use liveagent_reseller::testing::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::new();
//! let client = sandbox.client()?;
//! sandbox.fault(Fault::new("getAccount", 503).retry_after(0).times(2));
//! // Two 503s, retried by the client, then the account.
//! let account = client.get_account("9900a49c321c871cd1a572a1dc21a33c").await?;
//! assert_eq!(account.customer_email.as_deref(), Some("john@example.com"));
//! assert_eq!(sandbox.requests().len(), 3);
//! # Ok(()) }
//! ```

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use sandbox_rules::control::{self, ControlRequest};
use sandbox_rules::{Options, Request};

use crate::transport::seam::{
    HttpRequest, HttpResponse, Transport, TransportError, TransportFuture,
};
use crate::{Client, Config, Error};

/// The API root a [`Sandbox`] answers under (`.invalid`: never a host).
pub const BASE_URL: &str = "https://sandbox.liveagent-reseller.invalid/api";

/// A sandbox in memory; clones share its records, rules and log.
#[derive(Clone)]
pub struct Sandbox {
    rules: Arc<Mutex<sandbox_rules::Sandbox>>,
    now_unix: Option<i64>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("now_unix", &self.now_unix)
            .finish_non_exhaustive()
    }
}

impl Default for Sandbox {
    fn default() -> Sandbox {
        Sandbox::new()
    }
}

/// A fault rule: the next matching requests get this answer instead of
/// the API's (the `POST /_sandbox/faults` rule of the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    operation: String,
    status: u16,
    times: u32,
    retry_after: Option<u32>,
    delay_ms: u64,
}

impl Fault {
    /// Answers the call named `operation` (its JS name, `"getAccount"`)
    /// with `status` once; 200 only delays (see [`Fault::delay_ms`]).
    pub fn new(operation: &str, status: u16) -> Fault {
        Fault {
            operation: String::from(operation),
            status,
            times: 1,
            retry_after: None,
            delay_ms: 0,
        }
    }

    /// Applies to the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Fault {
        self.times = times;
        self
    }

    /// Sends `Retry-After: seconds`.
    pub fn retry_after(mut self, seconds: u32) -> Fault {
        self.retry_after = Some(seconds);
        self
    }

    /// Waits this long before answering (at most 300000).
    pub fn delay_ms(mut self, delay_ms: u64) -> Fault {
        self.delay_ms = delay_ms;
        self
    }

    fn json(&self) -> String {
        let mut json = String::from("{\"operation\":\"");
        for c in self.operation.chars() {
            match c {
                '"' | '\\' => {
                    json.push('\\');
                    json.push(c);
                }
                c if u32::from(c) < 0x20 => json.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => json.push(c),
            }
        }
        json.push_str(&format!(
            "\",\"status\":{},\"count\":{},\"delay_ms\":{}",
            self.status, self.times, self.delay_ms
        ));
        if let Some(seconds) = self.retry_after {
            json.push_str(&format!(",\"retry_after\":{seconds}"));
        }
        json.push('}');
        json
    }
}

/// A fault rule the sandbox refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRefused(pub String);

impl fmt::Display for FaultRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fault rule refused: {}", self.0)
    }
}

impl std::error::Error for FaultRefused {}

/// An API request the sandbox received (every `apikey` value shown as
/// `[redacted]`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// HTTP method.
    pub method: String,
    /// Raw path (`/api/resellers/…`).
    pub path: String,
    /// Raw query string.
    pub query: String,
    /// Raw body.
    pub body: Option<String>,
}

impl Sandbox {
    /// The vendor's example records, seed 0, the host's clock.
    pub fn new() -> Sandbox {
        Sandbox::with_options(0, 0, None)
    }

    /// `seed` for new ids (the same seed, the same ids), `seed_accounts`
    /// generated accounts more, and a fixed clock (`now_unix`, seconds)
    /// when given.
    pub fn with_options(seed: u64, seed_accounts: usize, now_unix: Option<i64>) -> Sandbox {
        let options = Options {
            seed,
            seed_accounts: seed_accounts.min(sandbox_rules::options::MAX_SEED_ACCOUNTS),
            ..Options::default()
        };
        Sandbox {
            rules: Arc::new(Mutex::new(sandbox_rules::Sandbox::new(options))),
            now_unix,
        }
    }

    fn rules(&self) -> MutexGuard<'_, sandbox_rules::Sandbox> {
        // A test that panicked mid-call leaves usable records behind.
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The configuration that reaches this sandbox: [`BASE_URL`], its
    /// reseller and key.
    pub fn config(&self) -> Config {
        let rules = self.rules();
        let options = rules.options();
        Config::new(
            BASE_URL,
            options.reseller.as_str(),
            options.api_key.as_str(),
        )
    }

    /// A client of this sandbox.
    ///
    /// # Errors
    ///
    /// None in practice: the configuration is the sandbox's own.
    pub fn client(&self) -> Result<Client, Error> {
        Client::with_transport(self.config(), self.clone())
    }

    /// Registers a fault rule.
    ///
    /// # Errors
    ///
    /// [`FaultRefused`] for an operation none of the 21 calls has, a
    /// status outside 200-599 or a delay over 300000 ms.
    pub fn try_fault(&self, fault: Fault) -> Result<(), FaultRefused> {
        let body = fault.json();
        let request = ControlRequest {
            method: "POST",
            path: "/_sandbox/faults",
            query: "",
            body: body.as_bytes(),
            base_url: BASE_URL,
        };
        match control::route(&mut self.rules(), &request) {
            Some(reply) if reply.status == 200 => Ok(()),
            Some(reply) => Err(FaultRefused(reply.body)),
            None => Err(FaultRefused(String::from("no fault route"))),
        }
    }

    /// Registers a fault rule that is known to be valid; an invalid one is
    /// ignored (see [`Sandbox::try_fault`] to be told).
    pub fn fault(&self, fault: Fault) {
        let _ = self.try_fault(fault);
    }

    /// The API requests received, oldest first (the last 200).
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.rules()
            .faults()
            .logged("")
            .into_iter()
            .map(|r| ReceivedRequest {
                method: r.method,
                path: r.path,
                query: r.query,
                body: r.body,
            })
            .collect()
    }

    /// Back to the seeded records, no rules, an empty log.
    pub fn reset(&self) {
        self.rules().reset();
    }

    async fn answer(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let Some(rest) = request.url.strip_prefix(BASE_URL) else {
            return Err(TransportError::Network(String::from(
                "the sandbox answers only under its BASE_URL",
            )));
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = format!("/api{path}");
        let content_type = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.as_str());
        let wire = Request {
            method: request.method,
            path: &path,
            query,
            content_type,
            body: Some(request.body.as_deref().unwrap_or_default().as_bytes()),
        };
        let arrival = self.rules().arrive(&wire);
        if arrival.delay_ms >= u64::from(request.timeout_ms) {
            crate::transport::sleep(request.timeout_ms).await;
            return Err(TransportError::Timeout);
        }
        if arrival.delay_ms > 0 {
            // Below the timeout, so within u32.
            crate::transport::sleep(u32::try_from(arrival.delay_ms).unwrap_or(u32::MAX)).await;
        }
        let reply = match arrival.reply {
            Some(reply) => reply,
            None => {
                let now = self.now_unix.unwrap_or_else(|| {
                    // Whole seconds of the host's clock (ms as f64).
                    (crate::transport::clock().now_ms / 1000.0) as i64
                });
                self.rules().answer(&wire, now)
            }
        };
        Ok(HttpResponse {
            status: reply.status,
            headers: reply
                .headers
                .into_iter()
                .map(|(name, value)| (String::from(name), value))
                .collect(),
            body: reply.body,
        })
    }
}

impl Transport for Sandbox {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        alloc::boxed::Box::pin(self.answer(request))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use core::time::Duration;

    use super::*;
    use crate::ErrorKind;

    const ACCOUNT: &str = "9900a49c321c871cd1a572a1dc21a33c";

    fn signup() -> crate::CreateAccountParams {
        crate::CreateAccountParams {
            variation_id: "r7g4y7ya".into(),
            customer_email: "new@shop.test".into(),
            customer_name: "New Shop".into(),
            subdomain: "newshop".into(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn records_change_the_clock_is_fixed_and_reset_restores() {
        // 2024-01-15 12:00:00 UTC is 04:00:00 in the vendor's time zone.
        let sandbox = Sandbox::with_options(7, 0, Some(1_705_320_000));
        let client = sandbox.client().unwrap();
        let created = client.create_account(&signup()).await.unwrap();
        let id = created.account_id.unwrap();
        let account = client.get_account(&id).await.unwrap();
        assert_eq!(account.date_created.as_deref(), Some("2024-01-15 04:00:00"));
        // The same seed gives the same id in another sandbox.
        let twin = Sandbox::with_options(7, 0, Some(1_705_320_000))
            .client()
            .unwrap();
        let again = twin.create_account(&signup()).await.unwrap();
        assert_eq!(again.account_id.as_deref(), Some(id.as_str()));
        let log = sandbox.requests();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].method, "POST");
        let body = log[0].body.as_deref().unwrap();
        assert!(body.contains("apikey=[redacted]") && !body.contains("sandbox-api-key"));
        assert_eq!(log[1].query, "apikey=[redacted]");
        sandbox.reset();
        assert!(sandbox.requests().is_empty());
        let gone = client.get_account(&id).await.unwrap_err();
        assert_eq!(gone.status(), Some(404));
    }

    #[tokio::test]
    async fn faults_reach_the_client_as_from_a_server() {
        let sandbox = Sandbox::new();
        let client = sandbox.client().unwrap();
        sandbox.fault(Fault::new("getAccountStatus", 503).retry_after(0).times(5));
        let error = client
            .get_account_status(ACCOUNT)
            .max_retries(1)
            .await
            .unwrap_err();
        assert_eq!((error.kind(), error.status()), (ErrorKind::Api, Some(503)));
        assert_eq!(sandbox.requests().len(), 2);
        sandbox.fault(Fault::new("getAccount", 200).delay_ms(5_000));
        let slow = client
            .get_account(ACCOUNT)
            .timeout(Duration::from_millis(50))
            .max_retries(0)
            .await
            .unwrap_err();
        assert_eq!(slow.kind(), ErrorKind::Timeout);
        assert!(sandbox.try_fault(Fault::new("getAcount", 503)).is_err());
        assert!(sandbox.try_fault(Fault::new("getAccount", 99)).is_err());
    }
}
