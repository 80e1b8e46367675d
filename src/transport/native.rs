//! Native driver: reqwest on tokio.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;

use super::{with_path, Outcome};
use crate::sansio::call::{Clock, Failure};
use crate::sansio::error::Error;
use crate::sansio::operation::Method;
use crate::sansio::request::WireRequest;

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

    /// Sends one attempt; its timeout covers the whole exchange, body included.
    pub async fn attempt(
        &self,
        method: Method,
        wire: &WireRequest,
        headers: &[(String, String)],
        timeout_ms: u32,
        max_bytes: u64,
    ) -> Outcome {
        let method = match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .0
            .request(method, &wire.url)
            .timeout(Duration::from_millis(u64::from(timeout_ms)));
        for (name, value) in wire.headers(headers) {
            builder = builder.header(name, value);
        }
        if let Some(body) = &wire.body {
            builder = builder.body(body.clone());
        }
        let failed = |e: reqwest::Error| {
            Outcome::Failed(if e.is_timeout() {
                Failure::Timeout(timeout_ms)
            } else if e.is_connect() || e.is_builder() {
                // No connection, or no request: nothing left.
                Failure::NotSent(message(&e))
            } else {
                Failure::Network(message(&e))
            })
        };
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return failed(e),
        };
        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let retry_after = header(reqwest::header::RETRY_AFTER);
        let location = header(reqwest::header::LOCATION);
        // Read chunk by chunk, and no further than `max_bytes`: memory stays
        // bounded whatever the server sends, and a long body is read once.
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let total = bytes.len().saturating_add(chunk.len());
                    if u64::try_from(total).unwrap_or(u64::MAX) > max_bytes {
                        return Outcome::Failed(Failure::TooLarge {
                            status,
                            limit: max_bytes,
                        });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                // A body cut mid-read: the request did arrive.
                Err(e) => return failed(e),
            }
        }
        Outcome::Response {
            status: f64::from(status),
            retry_after,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
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

/// The parsed document natively.
pub type Doc = serde_json::Value;

/// Parses a body with serde_json.
pub fn parse(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

/// Decodes a payload into `T`, naming the failing field's path.
pub fn decode<T: DeserializeOwned>(payload: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize(payload).map_err(with_path)
}
