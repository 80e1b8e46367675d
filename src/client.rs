//! The Rust face: [`Client`] and the per-call [`Request`] builder.
//!
//! The loop below is all a driver does: send, report the outcome to the
//! core's [`Call`], and obey. The transport ([`crate::transport`]) is
//! gloo-net on wasm32 and reqwest natively.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::future::{Future, IntoFuture};
use core::marker::PhantomData;
use core::pin::Pin;
use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use serde::de::DeserializeOwned;

use crate::sansio::call::{body_excerpt, Body, Call, Failure, Step};
use crate::sansio::config::{self, Config, Settings};
use crate::sansio::document::Document;
use crate::sansio::drift::{self, Told};
use crate::sansio::error::{Error, ErrorKind};
use crate::sansio::event::{Attempt, Event, RetryReason};
use crate::sansio::json_check::{Checker, Malformed, Number};
use crate::sansio::money::quote_numbers;
use crate::sansio::operation::Operation;
use crate::sansio::request;
use crate::transport::seam::{self, Driver};
use crate::transport::{self, Outcome, Transport};

/// A LiveAgent Reseller API client. Cheap to clone (the clones share one
/// configuration and, natively, one connection pool); `Send + Sync`.
///
/// # Examples
///
/// ```no_run
/// # async fn run() -> Result<(), liveagent_reseller::Error> {
/// use std::time::Duration;
/// use liveagent_reseller::{Client, Config};
///
/// let client = Client::new(Config::new(
///     "http://127.0.0.1:8080/api",
///     "reseller@example.com",
///     "sandbox-api-key",
/// ))?;
/// let accounts = client.list_accounts(None).await?;
/// for account in accounts.accounts.unwrap_or_default() {
///     println!("{:?}", account.domain);
/// }
/// let status = client
///     .get_account_status("9900a49c321c871cd1a572a1dc21a33c")
///     .timeout(Duration::from_secs(2))
///     .max_retries(0)
///     .await?;
/// # let _ = status;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Settings,
    transport: Driver,
    /// Calls made so far: the next call's id.
    calls: AtomicU64,
    /// The drifts told to the observer, each once.
    told: std::sync::Mutex<Told>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.inner.settings;
        f.debug_struct("Client")
            .field("base_url", &s.base_url())
            .field("reseller", &s.reseller())
            .field("timeout_ms", &s.timeout_ms())
            .field("max_retries", &s.max_retries())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Checks the configuration and builds a client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the base URL is not `http(s)://…`
    /// without credentials, query or fragment, the reseller id is not a
    /// usable path segment, the key is empty, the timeout is not within
    /// 1 ms..24 days, `max_retries` exceeds 10 or a header is malformed;
    /// natively, [`Error::Network`] when no HTTP client can be made.
    pub fn new(config: Config) -> Result<Self, Error> {
        let settings = Settings::named(config, &config::RUST_NAMES)?;
        let transport = Driver::Builtin(Transport::new()?);
        Ok(Client {
            inner: Arc::new(Inner {
                settings,
                transport,
                calls: AtomicU64::new(0),
                told: Default::default(),
            }),
        })
    }

    /// A client that sends through the application's own `reqwest::Client`
    /// (a proxy, a CA of its own, middleware). Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: the crate's own
    /// client never follows a redirect, but reqwest's default follows up to
    /// ten, and the next request would carry the key (in its query string
    /// or form) wherever the server points. Redirects that reach this
    /// crate are errors ([`Error::Api`] with the `Location`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the configuration is unusable (see
    /// [`Client::new`]).
    #[cfg(not(target_arch = "wasm32"))]
    #[cfg_attr(docsrs, doc(cfg(feature = "native")))]
    pub fn with_http_client(config: Config, http: reqwest::Client) -> Result<Self, Error> {
        let settings = Settings::named(config, &config::RUST_NAMES)?;
        Ok(Client {
            inner: Arc::new(Inner {
                settings,
                transport: Driver::Builtin(Transport::with(http)),
                calls: AtomicU64::new(0),
                told: Default::default(),
            }),
        })
    }

    /// A client whose requests go through `transport` (for tests:
    /// `testing::Sandbox`, feature `testing`); retries, timeouts'
    /// accounting and decoding are the same as with [`Client::new`].
    ///
    /// # Errors
    ///
    /// As [`Client::new`], for the configuration.
    pub fn with_transport(config: Config, transport: impl seam::Transport) -> Result<Self, Error> {
        let settings = Settings::named(config, &config::RUST_NAMES)?;
        Ok(Client {
            inner: Arc::new(Inner {
                settings,
                transport: Driver::Custom(Arc::new(transport)),
                calls: AtomicU64::new(0),
                told: Default::default(),
            }),
        })
    }

    /// The API root, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.inner.settings.base_url()
    }

    /// The reseller id.
    pub fn reseller(&self) -> &str {
        self.inner.settings.reseller()
    }

    /// The request of a generated method: inputs are copied, and checked
    /// when it is awaited.
    pub(crate) fn request<T>(
        &self,
        op: &'static Operation,
        path_args: &[&str],
        params: &[Option<&str>],
    ) -> Request<T> {
        Request {
            client: self.clone(),
            op,
            path_args: path_args.iter().map(|a| String::from(*a)).collect(),
            params: params.iter().map(|p| p.map(String::from)).collect(),
            timeout: None,
            max_retries: None,
            output: PhantomData,
        }
    }
}

/// One call, ready to be awaited; `.timeout()` and `.max_retries()` change
/// it for this call only. Dropping the future aborts the request in flight
/// and schedules nothing more.
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<T> {
    client: Client,
    op: &'static Operation,
    path_args: Vec<String>,
    params: Vec<Option<String>>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    output: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.op.name)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl<T> Request<T> {
    /// The timeout of each attempt of this call (default: the client's).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt for this call, at most 10 (default:
    /// the client's). POST is never retried.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }
}

impl<T: DeserializeOwned> Request<T> {
    /// The call; its errors name it as Rust does (`get_account_status`).
    /// With the `tracing` feature, a span `liveagent_reseller.call`.
    async fn send(self) -> Result<T, Error> {
        let rust_name = self.op.rust_name;
        #[cfg(feature = "tracing")]
        let method = self.op.method.as_str();
        let call_id = self.client.inner.calls.fetch_add(1, Ordering::Relaxed) + 1;
        let attempts = self.attempts(call_id);
        #[cfg(feature = "tracing")]
        let attempts = tracing::Instrument::instrument(
            attempts,
            tracing::info_span!(
                "liveagent_reseller.call",
                otel.name = rust_name,
                http.request.method = method,
                call_id,
            ),
        );
        attempts.await.map_err(|e| e.for_call(rust_name, call_id))
    }

    async fn attempts(self, call_id: u64) -> Result<T, Error> {
        let op = self.op;
        let inner = &self.client.inner;
        let settings = &inner.settings;
        let timeout_ms = match self.timeout {
            Some(timeout) => config::timeout_ms(op.name, "timeout", timeout)?,
            None => settings.timeout_ms(),
        };
        let retries = match self.max_retries {
            Some(retries) => config::max_retries(op.name, "max_retries", retries)?,
            None => settings.max_retries(),
        };
        let args: Vec<&str> = self.path_args.iter().map(String::as_str).collect();
        let values: Vec<Option<&str>> = self.params.iter().map(Option::as_deref).collect();
        let wire =
            request::build(op, settings.target(), &args, &values).map_err(|e| settings.scrub(e))?;
        let mut call = Call::new(op, retries);
        let url = crate::sansio::secret::scrub(&wire.shown_url(), settings.api_key().expose());
        let about = |attempt| Attempt {
            operation: op.rust_name,
            js_operation: op.name,
            method: op.method.as_str(),
            call_id,
            attempt,
            url: url.clone(),
        };
        loop {
            let attempt = call.start_attempt();
            self.emit(&Event::Request(about(attempt)));
            let started = transport::clock().now_ms;
            let outcome = inner
                .transport
                .attempt(
                    op.method,
                    &wire,
                    settings.headers(),
                    timeout_ms,
                    settings.max_response_bytes(),
                )
                .await;
            let elapsed_ms = (transport::clock().now_ms - started).max(0.0);
            let elapsed = Duration::from_millis(elapsed_ms as u64);
            self.emit(&match &outcome {
                Outcome::Response { status, .. } => Event::Response {
                    attempt: about(attempt),
                    status: *status as u16,
                    elapsed,
                },
                Outcome::Failed(Failure::TooLarge { status, .. }) => Event::Response {
                    attempt: about(attempt),
                    status: *status,
                    elapsed,
                },
                Outcome::Failed(failure) => Event::Failure {
                    attempt: about(attempt),
                    kind: match failure {
                        Failure::Timeout(_) | Failure::Deadline => ErrorKind::Timeout,
                        Failure::Aborted => ErrorKind::Aborted,
                        _ => ErrorKind::Network,
                    },
                    elapsed,
                },
            });
            let (status, body, step) = match outcome {
                Outcome::Response {
                    status,
                    retry_after,
                    location,
                    body,
                } => {
                    let clock = transport::clock();
                    let key = settings.api_key();
                    match call.on_head(status, location.as_deref(), clock, key) {
                        Ok(status) => {
                            let mut text = TextBody { text: &body, op };
                            let step = call.on_response(
                                status,
                                retry_after.as_deref(),
                                &mut text,
                                clock,
                                key,
                            );
                            if let Step::Done(payload) = &step {
                                self.tell_drift(about(attempt), payload, &text);
                            }
                            (status, body, step)
                        }
                        Err(step) => (0, body, step),
                    }
                }
                Outcome::Failed(failure) => {
                    let step = call.on_failure(failure, transport::clock(), settings.api_key());
                    (0, String::new(), step)
                }
            };
            match step {
                Step::Done(payload) => {
                    return transport::decode(payload).map_err(|message| {
                        let text = TextBody { text: &body, op };
                        let start = |chars| text.start(chars);
                        settings.scrub(Error::Decode {
                            operation: op.name,
                            call_id: None,
                            status,
                            message,
                            body: body_excerpt(start, settings.api_key()),
                        })
                    })
                }
                Step::Fail(error) => return Err(error),
                Step::Retry { delay_ms, error } => {
                    self.emit(&Event::Retry {
                        attempt: about(attempt),
                        delay: Duration::from_millis(u64::from(delay_ms)),
                        reason: match error.status() {
                            Some(status) => RetryReason::Status(status),
                            None => RetryReason::Failure(error.kind()),
                        },
                        retry_after: error.retry_after(),
                    });
                    transport::sleep(delay_ms).await
                }
            }
        }
    }
}

impl<T> Request<T> {
    /// Tells the observer (and `tracing`) what `payload` holds that the
    /// docs do not, each drift once per client; nothing is looked for when
    /// nobody listens.
    fn tell_drift(&self, attempt: Attempt, payload: &transport::Doc, body: &TextBody<'_>) {
        if self.client.inner.settings.on_event().is_none() && !cfg!(feature = "tracing") {
            return;
        }
        for drift in drift::find(self.op, payload, body) {
            let first = match self.client.inner.told.lock() {
                Ok(mut told) => told.first(self.op.name, &drift),
                // An observer that panicked while told was held: tell again
                // rather than never.
                Err(poisoned) => poisoned.into_inner().first(self.op.name, &drift),
            };
            if first {
                self.emit(&Event::Drift {
                    attempt: attempt.clone(),
                    drift,
                });
            }
        }
    }

    /// Shows `event` to the client's observer (a panic in it is caught and
    /// dropped where the target unwinds) and, with the `tracing` feature,
    /// to `tracing`.
    fn emit(&self, event: &Event) {
        if let Some(observer) = self.client.inner.settings.on_event() {
            let notify = core::panic::AssertUnwindSafe(|| observer.notify(event));
            let _ = std::panic::catch_unwind(notify);
        }
        #[cfg(feature = "tracing")]
        trace(event);
    }
}

/// An attempt as a `tracing` event, with OpenTelemetry's field names.
#[cfg(feature = "tracing")]
fn trace(event: &Event) {
    let a = event.attempt();
    match event {
        Event::Request(_) => tracing::debug!(
            attempt = a.attempt,
            url.full = %a.url,
            "request"
        ),
        Event::Response {
            status, elapsed, ..
        } => tracing::debug!(
            attempt = a.attempt,
            http.response.status_code = status,
            elapsed_ms = elapsed.as_millis() as u64,
            "response"
        ),
        Event::Failure { kind, elapsed, .. } => tracing::warn!(
            attempt = a.attempt,
            error.type = kind.as_str(),
            elapsed_ms = elapsed.as_millis() as u64,
            "no response"
        ),
        Event::Drift { drift, .. } => tracing::warn!(
            attempt = a.attempt,
            path = %drift.path,
            what = drift.what.as_str(),
            value = drift.value.as_deref(),
            "the response holds what the docs do not"
        ),
        Event::Retry { delay, reason, .. } => tracing::info!(
            attempt = a.attempt,
            delay_ms = delay.as_millis() as u64,
            reason = ?reason,
            "retry"
        ),
    }
}

/// A body as the Rust face holds it: the text, parsed with every text
/// field's numbers quoted (so their exact text is kept), ints converted by
/// serde ([`crate::sansio::de::int`]).
struct TextBody<'a> {
    text: &'a str,
    op: &'static Operation,
}

impl Body for TextBody<'_> {
    type Doc = transport::Doc;

    fn feed(&self, checker: &mut Checker) -> Result<(), Malformed> {
        checker.feed(self.text.as_bytes())
    }

    fn document(&mut self, _: &[Number]) -> Option<Self::Doc> {
        let quoted = quote_numbers(self.text, self.op.text_fields);
        transport::parse(quoted.as_deref().unwrap_or(self.text))
    }

    fn requoted(&mut self, _: &[&str], _: &[Number]) -> Option<Self::Doc> {
        // Every text field was quoted already.
        None
    }

    fn start(&self, chars: usize) -> (String, bool) {
        // One copy of the bytes, not a push per character.
        let end = self.text.char_indices().nth(chars).map(|(at, _)| at);
        let text = self.text.get(..end.unwrap_or(self.text.len()));
        (String::from(text.unwrap_or_default()), end.is_none())
    }

    fn set_int(&self, _: &Self::Doc, _: &<Self::Doc as Document>::Key, _: i64) {
        // serde's `de::int` reads digit strings.
    }
}

/// What awaiting a [`Request`] gives: on wasm32 a local, `!Send` future (it
/// holds JS values; spawn it with `wasm_bindgen_futures::spawn_local`, in
/// Leptos use `LocalResource`); natively a `Send` one that must run on a
/// tokio runtime (reqwest's sockets and timers are tokio's).
#[cfg(target_arch = "wasm32")]
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>>>>;

/// What awaiting a [`Request`] gives: on wasm32 a local, `!Send` future (it
/// holds JS values; spawn it with `wasm_bindgen_futures::spawn_local`, in
/// Leptos use `LocalResource`); natively a `Send` one that must run on a
/// tokio runtime (reqwest's sockets and timers are tokio's).
#[cfg(not(target_arch = "wasm32"))]
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

#[cfg(target_arch = "wasm32")]
impl<T: DeserializeOwned + 'static> IntoFuture for Request<T> {
    type Output = Result<T, Error>;
    type IntoFuture = ResponseFuture<T>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<T: DeserializeOwned + Send + 'static> IntoFuture for Request<T> {
    type Output = Result<T, Error>;
    type IntoFuture = ResponseFuture<T>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
