//! The routes that steer the sandbox rather than play the vendor's API:
//! fault rules, reset, the request log, the connection details for the
//! demo page, and the text page at `/` when no demo page is served.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::faults::{FaultRule, LoggedRequest};
use crate::routes::App;
use crate::state::State as Records;
use crate::wire::{to_json, Node, Params};

fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

fn serialized(value: &impl Serialize) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(e) => control_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

fn control_error(status: StatusCode, message: &str) -> Response {
    let node = Node::Object(vec![("error", Node::text(message))]);
    json_response(status, to_json(&node))
}

fn ok() -> Response {
    json_response(StatusCode::OK, "{\"ok\":true}".to_owned())
}

/// `{"baseUrl", "reseller", "apiKey"}` so that the demo page connects at
/// once. Showing its own key is intended: the sandbox is a local dev tool.
pub async fn sandbox_json(State(app): State<App>) -> Response {
    let node = Node::Object(vec![
        ("baseUrl", Node::text(app.base_url.clone())),
        ("reseller", Node::text(app.config.reseller.clone())),
        ("apiKey", Node::text(app.config.api_key.clone())),
    ]);
    json_response(StatusCode::OK, to_json(&node))
}

#[derive(Serialize)]
struct RulesAnswer<'a> {
    ok: bool,
    rules: &'a [FaultRule],
}

/// Registers a rule; [`FaultRule`]'s reading checks it, so a bad one is a
/// 400 naming the problem.
pub async fn add_fault(State(app): State<App>, body: Bytes) -> Response {
    let rule: FaultRule = match serde_json::from_slice(&body) {
        Ok(rule) => rule,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, &format!("bad fault rule: {e}")),
    };
    let mut faults = app.faults();
    faults.add_rule(rule);
    serialized(&RulesAnswer {
        ok: true,
        rules: faults.rules(),
    })
}

pub async fn list_faults(State(app): State<App>) -> Response {
    let faults = app.faults();
    serialized(&RulesAnswer {
        ok: true,
        rules: faults.rules(),
    })
}

pub async fn clear_faults(State(app): State<App>) -> Response {
    app.faults().clear_rules();
    ok()
}

/// Back to the seeded records (same seed, so the same ids again), no
/// rules, empty request log: a clean slate between tests.
pub async fn reset(State(app): State<App>) -> Response {
    *app.records() = Records::seeded(app.config.seed, app.config.seed_accounts);
    let mut faults = app.faults();
    faults.clear_rules();
    faults.clear_log();
    ok()
}

#[derive(Serialize)]
struct RequestsAnswer {
    requests: Vec<LoggedRequest>,
}

pub async fn list_requests(State(app): State<App>, uri: Uri) -> Response {
    let query = match Params::parse(uri.query().unwrap_or_default().as_bytes()) {
        Ok(q) => q,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, &e.describe("the query string")),
    };
    let filter = query.get("path_contains").unwrap_or_default();
    let requests = app.faults().logged(filter);
    serialized(&RequestsAnswer { requests })
}

pub async fn clear_requests(State(app): State<App>) -> Response {
    app.faults().clear_log();
    ok()
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
