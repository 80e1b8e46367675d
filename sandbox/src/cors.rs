//! CORS for every response, so that the browser demo and browser tests can
//! call the sandbox from any origin (including a page on another port),
//! and read `Retry-After` from fault responses.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Answers preflights itself; adds the CORS headers to every other answer
/// (API, errors, faults, control routes, static files alike).
pub async fn cors(req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        return preflight(req.headers());
    }
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    // A stateful dev server: never let a browser answer from its cache.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// 204 allowing the API's methods, `Content-Type` and whatever headers the
/// browser asks for; also Private Network Access for pages served elsewhere.
fn preflight(request: &HeaderMap) -> Response {
    let allow_headers = request
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .and_then(|asked| {
            let mut value = b"Content-Type, ".to_vec();
            value.extend_from_slice(asked.as_bytes());
            HeaderValue::from_bytes(&value).ok()
        })
        .unwrap_or_else(|| HeaderValue::from_static("Content-Type"));
    (
        StatusCode::NO_CONTENT,
        [
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
            (
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
            ),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, allow_headers),
            (
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("Retry-After"),
            ),
            (
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            ),
        ],
        [(
            header::HeaderName::from_static("access-control-allow-private-network"),
            HeaderValue::from_static("true"),
        )],
    )
        .into_response()
}
