//! CORS (tower-http), so that browser apps and browser tests can call the
//! API from any origin (including a page on another port, or a public page
//! reaching this local server: Private Network Access) and read
//! `Retry-After` from fault responses. The control routes are the
//! exception: only the origins named with `--allow-origin` get CORS there
//! (see [`sandbox_rules::origin`]).

use std::time::Duration;

use axum::extract::Request;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sandbox_rules::control;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};

use crate::app::App;

/// How long a browser may reuse a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// Any origin, the API's methods, whatever request headers the browser
/// asks for; `Retry-After` readable by scripts. [`close_controls`] takes
/// it back on the control routes.
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

/// Outside [`layer`]: on the control routes, CORS only for the origins
/// named with `--allow-origin` (their own origin echoed, never `*`), none
/// for the others, so that a page elsewhere can neither read the log nor
/// pass a preflight.
pub async fn close_controls(State(app): State<App>, req: Request, next: Next) -> Response {
    if !control::is_control_path(req.uri().path()) {
        return next.run(req).await;
    }
    let origin = req.headers().get(header::ORIGIN).cloned();
    let allowed = origin.as_ref().is_some_and(|origin| {
        origin.to_str().is_ok_and(|origin| {
            sandbox_rules::origin::control_allowed(Some(origin), None, &app.config.allow_origin)
        })
    });
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    match origin.filter(|_| allowed) {
        Some(origin) => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.append(header::VARY, HeaderValue::from_static("origin"));
        }
        None => {
            for name in [
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                header::ACCESS_CONTROL_ALLOW_METHODS,
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                header::ACCESS_CONTROL_MAX_AGE,
            ] {
                headers.remove(name);
            }
            headers.remove("access-control-allow-private-network");
        }
    }
    response
}
