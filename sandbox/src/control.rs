//! The control routes (`/_sandbox/*`, `/sandbox.json`) over HTTP: the
//! rules answer them ([`sandbox_rules::control`]); this handler reads the
//! body within its limit and closes them to pages of other origins (see
//! [`sandbox_rules::origin`]), and serves the text page at `/` when no demo
//! page is served.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use sandbox_rules::control::{self, ControlRequest};
use sandbox_rules::origin;

use crate::api::to_response;
use crate::app::App;

/// Whether the request's `Origin` (if any) may use the control routes.
pub(crate) fn origin_allowed(app: &App, headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    origin::control_allowed(
        text(header::ORIGIN),
        text(header::HOST),
        &app.config.allow_origin,
    )
}

/// Every control route, whatever the method.
pub async fn handle(
    State(app): State<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !origin_allowed(&app, &headers) {
        return (
            StatusCode::FORBIDDEN,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            "{\"error\":\"the sandbox's control routes answer only pages of its own origin \
             and those named with --allow-origin\"}",
        )
            .into_response();
    }
    let request = ControlRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        body: &body,
        base_url: &app.base_url,
    };
    let reply = control::route(&mut app.sandbox(), &request);
    match reply {
        Some(reply) => to_response(reply),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// Without `--www`: a text page at `/` saying where the API is and how to
/// steer it; 404 for everything else.
pub async fn home(State(app): State<App>, uri: Uri) -> Response {
    if uri.path() != "/" {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let text = format!(
        "LiveAgent Reseller API sandbox\n\nAPI base URL: {}\nreseller: {}\n\n{}",
        app.base_url,
        app.config.reseller,
        crate::config::help_text()
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}
