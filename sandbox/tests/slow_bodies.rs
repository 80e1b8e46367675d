//! Clients that send their body slowly, in-process on a paused clock (so
//! that minutes pass at once): a stall is a 408 after the idle timeout, a
//! trickle a 408 after the request timeout, both in the API's envelope,
//! and the sandbox serves on.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use futures_util::stream::{self, StreamExt};
use sandbox::Config;
use tower::ServiceExt;

const TARGET: &str =
    "/api/resellers/reseller@example.com/accounts/9900a49c321c871cd1a572a1dc21a33c/status";

fn app() -> Router {
    sandbox::router(
        Config {
            seed: 1,
            ..Config::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 8080)),
    )
}

async fn put(app: &Router, target: &str, body: Body) -> (StatusCode, String) {
    let request = Request::put(target)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn assert_serving(app: &Router) {
    let (status, text) = put(
        app,
        TARGET,
        Body::from("apikey=sandbox-api-key&status=s&note=n"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
}

#[tokio::test(start_paused = true)]
async fn a_body_that_stalls_is_408_after_30_s() {
    let app = app();
    let started = tokio::time::Instant::now();
    let stalled = stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"apikey=")) })
        .chain(stream::pending());
    let (status, text) = put(&app, TARGET, Body::from_stream(stalled)).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    let envelope: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(envelope["response"]["statuscode"], 408);
    assert!(envelope["response"]["errormessage"]
        .as_str()
        .unwrap()
        .contains("stalled"));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(30) && waited < Duration::from_secs(31),
        "{waited:?}"
    );
    assert_serving(&app).await;
}

#[tokio::test(start_paused = true)]
async fn a_body_that_trickles_is_408_after_the_request_timeout() {
    let app = app();
    let started = tokio::time::Instant::now();
    let trickle = stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_secs(20)).await;
        Some((Ok::<_, Infallible>(Bytes::from_static(b"a")), ()))
    });
    let (status, text) = put(&app, &format!("{TARGET}.xml"), Body::from_stream(trickle)).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert!(text.contains("<statuscode>408</statuscode>"), "{text}");
    // No fault delay configured: 5 minutes of allowed delays plus 1 for
    // the body.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(360) && waited < Duration::from_secs(361),
        "{waited:?}"
    );
    assert_serving(&app).await;
}
