//! The Rust face: [`Client`] and the per-call [`Request`] builder.
//!
//! The loop below is all a driver does: send, stream what comes back into
//! the core's [`Exchange`], and obey. The transport ([`crate::transport`])
//! is gloo-net on wasm32 and reqwest natively.

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

use crate::sansio::config::{self, Config, Settings};
use crate::sansio::drift::Told;
use crate::sansio::error::Error;
#[cfg(feature = "tracing")]
use crate::sansio::event::Event;
use crate::sansio::exchange::{CallOptions, Exchange, Next};
use crate::sansio::operation::Operation;
use crate::transport::seam::{self, Driver};
use crate::transport::{self, Head, Transport};

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
                transport: Driver::custom(Arc::new(transport)),
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
    /// With the `tracing` feature, a span `liveagent_reseller.call`. Only
    /// the decoding is generic: the attempts' code is one for every call.
    async fn send(self) -> Result<T, Error> {
        let Request {
            client,
            op,
            path_args,
            params,
            timeout,
            max_retries,
            ..
        } = self;
        let rust_name = op.rust_name;
        #[cfg(feature = "tracing")]
        let method = op.method.as_str();
        let call_id = client.inner.calls.fetch_add(1, Ordering::Relaxed) + 1;
        let call = Call {
            client,
            op,
            path_args,
            params,
            timeout,
            max_retries,
        };
        let attempts = call.run(call_id);
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
        let named = |e: Error| e.for_call(rust_name, call_id);
        let (exchange, body) = attempts.await.map_err(named)?;
        decode(&exchange, &body).map_err(named)
    }
}

/// A call's inputs, out of its typed [`Request`].
struct Call {
    client: Client,
    op: &'static Operation,
    path_args: Vec<String>,
    params: Vec<Option<String>>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
}

impl Call {
    /// The attempts: the exchange that succeeded and the body to decode
    /// (its edits made), or the call's error.
    async fn run(self, call_id: u64) -> Result<(Exchange, Vec<u8>), Error> {
        let op = self.op;
        let inner = &self.client.inner;
        let settings = &inner.settings;
        let options = CallOptions {
            timeout_ms: match self.timeout {
                Some(timeout) => Some(config::timeout_ms(op.name, "timeout", timeout)?),
                None => None,
            },
            max_retries: match self.max_retries {
                Some(retries) => Some(config::max_retries(op.name, "max_retries", retries)?),
                None => None,
            },
            headers: Vec::new(),
        };
        let args: Vec<&str> = self.path_args.iter().map(String::as_str).collect();
        let values: Vec<Option<&str>> = self.params.iter().map(Option::as_deref).collect();
        let observed = settings.on_event().is_some() || cfg!(feature = "tracing");
        let mut exchange = Exchange::new(op, settings, call_id, &args, &values, options, observed)?;
        loop {
            exchange.start_attempt(transport::clock().now_ms);
            self.emit(&mut exchange);
            let mut body = Vec::new();
            let next = match inner.transport.send(&exchange).await {
                Err(failure) => exchange.on_failure(failure, transport::clock()),
                Ok(head) => {
                    let Head {
                        status,
                        retry_after,
                        location,
                        body: mut stream,
                    } = head;
                    let clock = transport::clock();
                    let mut next = exchange.on_head(
                        status,
                        retry_after.as_deref(),
                        location.as_deref(),
                        clock,
                    );
                    while next == Next::Read {
                        let start = body.len();
                        next = match stream.next_chunk(&mut body).await {
                            Ok(true) => exchange.on_chunk(body.get(start..).unwrap_or_default()),
                            Ok(false) => self.end(&mut exchange),
                            Err(failure) => exchange.on_failure(failure, transport::clock()),
                        };
                    }
                    next
                }
            };
            self.emit(&mut exchange);
            match next {
                Next::Done(output) if output.is_empty() => return Ok((exchange, body)),
                Next::Done(output) => {
                    let edited = output.apply(&body);
                    return Ok((exchange, edited));
                }
                Next::Fail(error) => return Err(error),
                Next::Wait(delay_ms) => transport::sleep(delay_ms).await,
                // The loop above reads until the exchange says otherwise.
                Next::Read => return Err(exchange.decode_error("the body was not read")),
            }
        }
    }

    /// The body ended: the exchange's verdict, with this client's drift memory.
    fn end(&self, exchange: &mut Exchange) -> Next {
        let clock = transport::clock();
        match self.client.inner.told.lock() {
            Ok(mut told) => exchange.on_end(clock, &mut told),
            // An observer that panicked while told was held: tell again
            // rather than never.
            Err(poisoned) => exchange.on_end(clock, &mut poisoned.into_inner()),
        }
    }

    /// Shows the exchange's new events to the client's observer (a panic
    /// in it is caught and dropped where the target unwinds) and, with the
    /// `tracing` feature, to `tracing`.
    fn emit(&self, exchange: &mut Exchange) {
        for event in exchange.take_events() {
            if let Some(observer) = self.client.inner.settings.on_event() {
                let notify = core::panic::AssertUnwindSafe(|| observer.notify(&event));
                let _ = std::panic::catch_unwind(notify);
            }
            #[cfg(feature = "tracing")]
            trace(&event);
        }
    }
}

/// The result of a checked body: its `response` member, as `T`.
fn decode<T: DeserializeOwned>(exchange: &Exchange, body: &[u8]) -> Result<T, Error> {
    let Ok(text) = core::str::from_utf8(body) else {
        return Err(exchange.decode_error("the body is not UTF-8"));
    };
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut de, Response(PhantomData))
        .and_then(|response| de.end().map(|()| response))
        .map_err(|e| {
            // The check gave every documented field its type: what serde
            // still refuses is a lone surrogate (`"\ud800"`, which
            // `JSON.parse` keeps). Its position, not serde's words (their
            // formatting is code every app would carry).
            let mut message = String::from("serde_json cannot read the body at column ");
            crate::sansio::error::push_int(
                &mut message,
                i64::try_from(e.column()).unwrap_or(i64::MAX),
            );
            message.push_str(" (a lone surrogate escape?)");
            exchange.decode_error(&message)
        })
}

/// The envelope's `response` member as `T`, the other members skipped:
/// the check made sure it is an object holding `response` once.
struct Response<T>(PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Response<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the {\"response\": ...} envelope")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut response = None;
        while let Some(key) = map.next_key::<alloc::borrow::Cow<'de, str>>()? {
            if key == "response" && response.is_none() {
                response = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        response.ok_or_else(|| serde::de::Error::missing_field("response"))
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
