//! Native driver: reqwest on tokio.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use super::Head;
use crate::sansio::call::{Clock, Failure};
use crate::sansio::error::Error;
use crate::sansio::exchange::Exchange;
use crate::sansio::operation::Method;

/// A reqwest client: one connection pool shared by the clones of a `Client`.
#[derive(Debug)]
pub struct Transport(reqwest::Client);

impl Transport {
    /// Our own client: it never follows a redirect (the next request would
    /// carry the key, in its query or form, wherever `Location` points).
    pub fn new() -> Result<Self, Error> {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map(Transport)
            .map_err(|e| Error::Network {
                operation: crate::sansio::config::CONFIG,
                call_id: None,
                message: message(&e),
                maybe_applied: false,
            })
    }

    /// The application's own client (proxy, CA, middleware), as it is.
    pub fn with(client: reqwest::Client) -> Self {
        Transport(client)
    }

    /// Sends the exchange's request; its timeout covers the whole
    /// exchange, body included.
    pub async fn send(&self, exchange: &Exchange) -> Result<Head<Body>, Failure> {
        let method = match exchange.method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let timeout_ms = exchange.timeout_ms();
        let wire = exchange.request();
        let mut builder = self
            .0
            .request(method, &wire.url)
            .timeout(Duration::from_millis(u64::from(timeout_ms)));
        for (name, value) in exchange.headers() {
            builder = builder.header(name, value);
        }
        if let Some(body) = &wire.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await.map_err(|e| failure(&e, timeout_ms))?;
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        Ok(Head {
            status: f64::from(response.status().as_u16()),
            retry_after: header(reqwest::header::RETRY_AFTER),
            location: header(reqwest::header::LOCATION),
            body: Body {
                response,
                timeout_ms,
            },
        })
    }
}

/// A response's body, read as it streams.
#[derive(Debug)]
pub struct Body {
    response: reqwest::Response,
    timeout_ms: u32,
}

impl Body {
    /// Appends the next chunk to `body`: `false` at the end.
    pub async fn next_chunk(&mut self, body: &mut Vec<u8>) -> Result<bool, Failure> {
        match self.response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                Ok(true)
            }
            Ok(None) => Ok(false),
            // A body cut mid-read: the request did arrive.
            Err(e) => Err(failure(&e, self.timeout_ms)),
        }
    }
}

/// What a reqwest error means for the core.
fn failure(e: &reqwest::Error, timeout_ms: u32) -> Failure {
    if e.is_timeout() {
        Failure::Timeout(timeout_ms)
    } else if e.is_connect() || e.is_builder() {
        // No connection, or no request: nothing left.
        Failure::NotSent(message(e))
    } else {
        Failure::Network(message(e))
    }
}

/// The error and its causes, without the URL (it carries the key for GET).
fn message(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Waits on tokio's timer.
pub async fn sleep(ms: u32) {
    tokio::time::sleep(Duration::from_millis(u64::from(ms))).await;
}

/// The wall clock and a random number for the core.
pub fn clock() -> Clock {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    Clock {
        now_ms,
        random: fastrand::f64(),
    }
}
