//! The transport seam: a [`Transport`] of the application's (or
//! `testing::Sandbox`, feature `testing`) in place of the built-in one
//! (reqwest natively, the host's `fetch` on wasm32). It moves one request and its
//! answer; retries, backoff, `Retry-After`, decoding and errors stay the
//! client's, the same code as with the built-in transport.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::future::Future;
use core::pin::Pin;

use super::Head;
use crate::sansio::call::Failure;
use crate::sansio::exchange::Exchange;

/// One attempt as the client sends it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: &'static str,
    /// The whole URL (for GET and DELETE it holds the `apikey`: never log it).
    pub url: String,
    /// Request headers, the form's `content-type` included when there is a body.
    pub headers: Vec<(String, String)>,
    /// The form body of POST and PUT (it holds the `apikey`).
    pub body: Option<String>,
    /// The attempt's timeout: past it, answer [`TransportError::Timeout`].
    pub timeout_ms: u32,
}

impl fmt::Debug for HttpRequest {
    /// The method only: the URL and the body carry the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("timeout_ms", &self.timeout_ms)
            .finish_non_exhaustive()
    }
}

/// An HTTP answer, its body read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers (names in any case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

/// Why an attempt got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportError {
    /// The attempt's timeout ran out.
    Timeout,
    /// No answer, for this reason (never containing the key).
    Network(String),
}

/// What [`Transport::send`] returns (`Send` natively, where a client's
/// futures are).
#[cfg(not(target_arch = "wasm32"))]
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;
/// What [`Transport::send`] returns (`Send` natively, where a client's
/// futures are).
#[cfg(target_arch = "wasm32")]
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + 'a>>;

/// Sends one request and reads its whole answer: what
/// [`Client::with_transport`](crate::Client::with_transport) plugs in.
pub trait Transport: fmt::Debug + Send + Sync + 'static {
    /// One attempt; dropping the future abandons it.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_>;
}

/// One attempt in flight, through either transport (`Send` natively).
#[cfg(not(target_arch = "wasm32"))]
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Head<Stream>, Failure>> + Send + 'a>>;
/// One attempt in flight, through either transport (`Send` natively).
#[cfg(target_arch = "wasm32")]
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Head<Stream>, Failure>> + 'a>>;

/// An attempt through the caller's transport (see [`Driver::custom`]).
pub type SendCustom = for<'a> fn(&'a dyn Transport, &'a Exchange) -> SendFuture<'a>;

/// The built-in transport or one of the caller's.
pub enum Driver {
    /// reqwest natively, the host's `fetch` on wasm32.
    Builtin(super::Transport),
    /// The caller's, and the code that drives it.
    Custom(Arc<dyn Transport>, SendCustom),
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Driver::Builtin(builtin) => f.debug_tuple("Builtin").field(builtin).finish(),
            Driver::Custom(custom, _) => f.debug_tuple("Custom").field(custom).finish(),
        }
    }
}

/// A body from either transport.
#[derive(Debug)]
pub enum Stream {
    /// The built-in transport's, as it streams.
    Builtin(super::Body),
    /// A custom transport's, read already: given as one chunk.
    Whole(Option<Vec<u8>>),
}

impl Stream {
    /// Appends the next chunk to `body`: `false` at the end.
    pub async fn next_chunk(&mut self, body: &mut Vec<u8>) -> Result<bool, Failure> {
        match self {
            Stream::Builtin(builtin) => builtin.next_chunk(body).await,
            Stream::Whole(whole) => match whole.take() {
                Some(bytes) => {
                    body.extend_from_slice(&bytes);
                    Ok(true)
                }
                None => Ok(false),
            },
        }
    }
}

impl Driver {
    /// Sends the exchange's request through whichever transport: one boxed
    /// future either way, so that the call's loop awaits one kind of
    /// attempt (an app that never plugs a transport in carries no second).
    pub fn send<'a>(&'a self, exchange: &'a Exchange) -> SendFuture<'a> {
        match self {
            Driver::Builtin(builtin) => Box::pin(async move {
                let head = builtin.send(exchange).await?;
                Ok(Head {
                    status: head.status,
                    retry_after: head.retry_after,
                    location: head.location,
                    body: Stream::Builtin(head.body),
                })
            }),
            Driver::Custom(custom, send) => send(custom.as_ref(), exchange),
        }
    }

    /// The driver of an application's transport. Its code is reached only
    /// through the function pointer made here, so that an app that never
    /// calls `Client::with_transport` does not carry it.
    pub fn custom(transport: Arc<dyn Transport>) -> Driver {
        Driver::Custom(transport, |transport, exchange| {
            Box::pin(send_custom(transport, exchange))
        })
    }
}

/// One attempt through an application's [`Transport`]: its whole answer
/// as the head and a one-chunk body.
async fn send_custom(custom: &dyn Transport, exchange: &Exchange) -> Result<Head<Stream>, Failure> {
    let wire = exchange.request();
    let request = HttpRequest {
        method: exchange.method().as_str(),
        url: wire.url.clone(),
        headers: exchange.headers().to_vec(),
        body: wire.body.clone(),
        timeout_ms: exchange.timeout_ms(),
    };
    match custom.send(request).await {
        Ok(response) => {
            let header = |wanted: &str| {
                response
                    .headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
                    .map(|(_, value)| value.clone())
            };
            Ok(Head {
                status: f64::from(response.status),
                retry_after: header("retry-after"),
                location: header("location"),
                body: Stream::Whole(Some(response.body.into_bytes())),
            })
        }
        Err(TransportError::Timeout) => Err(Failure::Timeout(exchange.timeout_ms())),
        Err(TransportError::Network(message)) => Err(Failure::Network(message)),
    }
}
