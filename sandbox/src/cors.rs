//! CORS for every response (tower-http), so that the browser demo and
//! browser tests can call the sandbox from any origin (including a page on
//! another port, or a public page reaching this local server: Private
//! Network Access) and read `Retry-After` from fault responses.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};

/// How long a browser may reuse a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// Any origin, the API's methods, whatever request headers the browser
/// asks for; `Retry-After` readable by scripts.
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([header::RETRY_AFTER])
        .max_age(PREFLIGHT_MAX_AGE)
        .allow_private_network(true)
}

/// tower-http answers every `OPTIONS` itself, with `200` and the
/// preflight headers only. The sandbox has always answered `204 No
/// Content` (what a preflight answer is) and listed the exposed headers
/// there too, as tests of the preflight expect; keep both.
pub async fn preflight_as_before(req: Request, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let mut response = next.run(req).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
        response
            .headers_mut()
            .entry(header::ACCESS_CONTROL_EXPOSE_HEADERS)
            .or_insert(HeaderValue::from_static("Retry-After"));
    }
    response
}
