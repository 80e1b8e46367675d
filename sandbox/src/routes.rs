//! HTTP routing: the API under `/api` (routed by hand over the raw path, so
//! that percent-decoding, the `.xml` suffix and malformed input are under
//! our control), the test-control routes, and static files.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Router};
use serde::Serialize;

use crate::calls::Call;
use crate::config::Config;
use crate::faults::{FaultRule, Faults, LoggedRequest, LOGGED_BODY_LIMIT};
use crate::state::State as Records;
use crate::wire::{
    decode_segments, is_form_content_type, respond, respond_error, ApiError, Format, Node, Params,
};
use crate::{clock, cors, static_files};

/// Largest request body the API reads; larger ones get a 413 envelope.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    config: Config,
    /// `http://host:port/api`, as printed at start.
    base_url: String,
    records: Mutex<Records>,
    faults: Mutex<Faults>,
}

type App = Arc<Shared>;

impl Shared {
    /// Seeds the records for `config`; `addr` is where it listens.
    pub fn new(config: Config, addr: SocketAddr) -> Shared {
        Shared {
            base_url: format!("{}/api", crate::origin(addr)),
            records: Mutex::new(Records::seeded(config.seed, config.seed_accounts)),
            faults: Mutex::new(Faults::new(config.fail_rate, config.seed)),
            config,
        }
    }
}

/// A poisoned lock only means another request panicked mid-way; the data
/// is still the best we have, so keep serving rather than crash.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The whole application.
pub fn router(shared: Shared) -> Router {
    Router::new()
        .route("/sandbox.json", get(sandbox_json))
        .route(
            "/_sandbox/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/_sandbox/reset", post(reset))
        .route(
            "/_sandbox/requests",
            get(list_requests).delete(clear_requests),
        )
        .fallback(fallback)
        .layer(middleware::from_fn(cors::cors))
        .with_state(Arc::new(shared))
}

// ---- control routes ---------------------------------------------------------

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
    json_response(status, crate::wire::to_json(&node))
}

/// `{"baseUrl", "reseller", "apiKey"}` so that the demo page connects at
/// once. Showing its own key is intended: the sandbox is a local dev tool.
async fn sandbox_json(State(app): State<App>) -> Response {
    let node = Node::Object(vec![
        ("baseUrl", Node::text(app.base_url.clone())),
        ("reseller", Node::text(app.config.reseller.clone())),
        ("apiKey", Node::text(app.config.api_key.clone())),
    ]);
    json_response(StatusCode::OK, crate::wire::to_json(&node))
}

#[derive(Serialize)]
struct RulesAnswer<'a> {
    ok: bool,
    rules: &'a [FaultRule],
}

async fn add_fault(State(app): State<App>, body: Bytes) -> Response {
    let rule: FaultRule = match serde_json::from_slice(&body) {
        Ok(rule) => rule,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, &format!("bad fault rule: {e}")),
    };
    if !(200..=599).contains(&rule.status) {
        return control_error(
            StatusCode::BAD_REQUEST,
            "status must be between 200 and 599",
        );
    }
    if rule
        .retry_after
        .as_deref()
        .is_some_and(|v| HeaderValue::from_str(v).is_err())
    {
        return control_error(StatusCode::BAD_REQUEST, "retry_after is not a header value");
    }
    if rule
        .content_type
        .as_deref()
        .is_some_and(|v| HeaderValue::from_str(v).is_err())
    {
        return control_error(
            StatusCode::BAD_REQUEST,
            "content_type is not a header value",
        );
    }
    let mut faults = lock(&app.faults);
    faults.add_rule(rule);
    serialized(&RulesAnswer {
        ok: true,
        rules: faults.rules(),
    })
}

async fn list_faults(State(app): State<App>) -> Response {
    let faults = lock(&app.faults);
    serialized(&RulesAnswer {
        ok: true,
        rules: faults.rules(),
    })
}

async fn clear_faults(State(app): State<App>) -> Response {
    lock(&app.faults).clear_rules();
    json_response(StatusCode::OK, "{\"ok\":true}".to_owned())
}

/// Back to the seeded records (same seed, so the same ids again), no
/// rules, empty request log: a clean slate between tests.
async fn reset(State(app): State<App>) -> Response {
    *lock(&app.records) = Records::seeded(app.config.seed, app.config.seed_accounts);
    let mut faults = lock(&app.faults);
    faults.clear_rules();
    faults.clear_log();
    json_response(StatusCode::OK, "{\"ok\":true}".to_owned())
}

#[derive(Serialize)]
struct RequestsAnswer {
    requests: Vec<LoggedRequest>,
}

async fn list_requests(State(app): State<App>, uri: Uri) -> Response {
    let query = match Params::parse(uri.query().unwrap_or_default().as_bytes()) {
        Ok(q) => q,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, &e.describe("the query string")),
    };
    let filter = query.get("path_contains").unwrap_or_default();
    let requests = lock(&app.faults).logged(filter);
    serialized(&RequestsAnswer { requests })
}

async fn clear_requests(State(app): State<App>) -> Response {
    lock(&app.faults).clear_log();
    json_response(StatusCode::OK, "{\"ok\":true}".to_owned())
}

// ---- everything else ----------------------------------------------------------

async fn fallback(State(app): State<App>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if path == "/api" || path.starts_with("/api/") {
        return api(app, req).await;
    }
    if let (Some(rest), Some(dir)) = (path.strip_prefix("/pkg/"), &app.config.pkg) {
        return static_files::serve(dir, rest, req.method()).await;
    }
    if let Some(dir) = &app.config.www {
        return static_files::serve(dir, path.trim_start_matches('/'), req.method()).await;
    }
    if path == "/" {
        let text = format!(
            "LiveAgent Reseller API sandbox\n\nAPI base URL: {}\nreseller: {}\n\n{}",
            app.base_url,
            app.config.reseller,
            crate::config::USAGE
        );
        return (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            text,
        )
            .into_response();
    }
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// The body, or `None` when it is over the limit (or the client vanished
/// while sending it).
async fn read_body(headers: &HeaderMap, body: Body) -> Option<Bytes> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return None;
    }
    axum::body::to_bytes(body, BODY_LIMIT).await.ok()
}

fn log_entry(
    method: &Method,
    raw_path: &str,
    raw_query: &str,
    content_type: Option<&str>,
    body: Option<&Bytes>,
) -> LoggedRequest {
    let truncated = body.is_some_and(|b| b.len() > LOGGED_BODY_LIMIT);
    LoggedRequest {
        method: method.as_str().to_owned(),
        path: raw_path.to_owned(),
        query: raw_query.to_owned(),
        body: body
            .map(|b| String::from_utf8_lossy(b.get(..LOGGED_BODY_LIMIT).unwrap_or(b)).into_owned()),
        body_truncated: truncated,
        content_type: content_type.map(str::to_owned),
    }
}

/// An API request: log it, apply latency and faults, then answer it.
async fn api(app: App, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let raw_path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or_default().to_owned();
    let format = if raw_path.ends_with(".xml") {
        Format::Xml
    } else {
        Format::Json
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let body = read_body(&parts.headers, body).await;
    lock(&app.faults).log(log_entry(
        &parts.method,
        &raw_path,
        &raw_query,
        content_type.as_deref(),
        body.as_ref(),
    ));
    let Some(body) = body else {
        let error = ApiError::new(
            413,
            format!("request body is larger than the limit of {BODY_LIMIT} bytes"),
        );
        return respond_error(format, &error);
    };

    if app.config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(app.config.latency_ms)).await;
    }
    let rule = lock(&app.faults).take_rule(&raw_path);
    if let Some(rule) = rule {
        if rule.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(rule.delay_ms)).await;
        }
        if rule.replaces_answer() {
            return fault_response(format, &rule);
        }
    }
    let injected = lock(&app.faults).roll_failure();
    if injected {
        let error = ApiError::new(503, "service temporarily unavailable")
            .with_debug("injected by the sandbox's --fail-rate");
        let mut response = respond_error(format, &error);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }

    let request = ApiRequest {
        method: &parts.method,
        raw_path: &raw_path,
        raw_query: &raw_query,
        content_type: content_type.as_deref(),
        body: &body,
    };
    match request.answer(&app) {
        Ok(node) => respond(format, 200, &node),
        Err(error) => respond_error(format, &error.scrubbed(&[&app.config.api_key])),
    }
}

/// The answer a fault rule asks for.
fn fault_response(format: Format, rule: &FaultRule) -> Response {
    let mut response = match &rule.body {
        Some(body) => {
            let status = StatusCode::from_u16(rule.status).unwrap_or(StatusCode::OK);
            let content_type = rule
                .content_type
                .as_deref()
                .and_then(|v| HeaderValue::from_str(v).ok())
                .unwrap_or_else(|| HeaderValue::from_static("application/json"));
            (status, [(header::CONTENT_TYPE, content_type)], body.clone()).into_response()
        }
        None => {
            let message = match rule.status {
                503 => "service temporarily unavailable".to_owned(),
                500 => "fatal server error".to_owned(),
                n => format!("error {n}"),
            };
            let error = ApiError::new(rule.status, message)
                .with_debug("injected by a sandbox fault rule (POST /_sandbox/faults)");
            respond_error(format, &error)
        }
    };
    if let Some(value) = rule
        .retry_after
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// An API request reduced to what the answer depends on.
struct ApiRequest<'a> {
    method: &'a Method,
    raw_path: &'a str,
    raw_query: &'a str,
    content_type: Option<&'a str>,
    body: &'a [u8],
}

impl ApiRequest<'_> {
    /// Route, read parameters, authenticate, run the call.
    fn answer(&self, app: &Shared) -> Result<Node, ApiError> {
        let unknown = || {
            ApiError::not_found(format!(
                "unknown API call: {} {}",
                self.method, self.raw_path
            ))
            .with_debug("see the vendor's reference for the 21 reseller calls")
        };
        let route_path = self.raw_path.strip_suffix(".xml").unwrap_or(self.raw_path);
        let encoded = route_path.strip_prefix("/api/").ok_or_else(unknown)?;
        let segments = decode_segments(encoded)
            .map_err(|e| ApiError::bad_request(e.describe("the request path")))?;
        let (reseller, call) = match segments.as_slice() {
            [first, reseller, rest @ ..] if first == "resellers" => (
                reseller,
                Call::route(self.method, rest).ok_or_else(unknown)?,
            ),
            _ => return Err(unknown()),
        };
        let params = self.params()?;
        let supplied_key = params.non_empty("apikey");
        let result = authenticate(app, reseller, supplied_key).and_then(|()| {
            let now = clock::now_text();
            let mut records = lock(&app.records);
            call.execute(&mut records, &params, &now)
        });
        result.map_err(|e| {
            let e = if e.debug.is_empty() {
                e.with_debug(call.describe())
            } else {
                e
            };
            // A very short wrong key is no secret worth mangling text for.
            e.scrubbed(&[supplied_key.filter(|k| k.len() >= 4).unwrap_or_default()])
        })
    }

    /// GET/DELETE parameters come from the query string, POST/PUT ones
    /// from the form body (as the vendor's page says); for POST/PUT the
    /// query string may still carry `apikey`.
    fn params(&self) -> Result<Params, ApiError> {
        if self.takes_body() {
            if !self.body.is_empty() && !self.content_type.is_some_and(is_form_content_type) {
                return Err(ApiError::bad_request(format!(
                    "POST and PUT parameters must be sent as application/x-www-form-urlencoded \
                     fields (Content-Type was {})",
                    self.content_type.unwrap_or("absent")
                )));
            }
            let mut params = Params::parse(self.body)
                .map_err(|e| ApiError::bad_request(e.describe("the form body")))?;
            // The key alone may also come from the query string.
            if params.non_empty("apikey").is_none() {
                if let Some(key) = self
                    .query()
                    .ok()
                    .and_then(|q| q.non_empty("apikey").map(str::to_owned))
                {
                    params.0.push(("apikey".to_owned(), key));
                }
            }
            Ok(params)
        } else {
            self.query()
        }
    }

    fn query(&self) -> Result<Params, ApiError> {
        Params::parse(self.raw_query.as_bytes())
            .map_err(|e| ApiError::bad_request(e.describe("the query string")))
    }

    fn takes_body(&self) -> bool {
        *self.method == Method::POST || *self.method == Method::PUT
    }
}

/// 401 for a wrong reseller identifier or a missing or wrong key.
fn authenticate(app: &Shared, reseller: &str, key: Option<&str>) -> Result<(), ApiError> {
    if reseller != app.config.reseller {
        return Err(ApiError::new(
            401,
            format!("authentication failed: unknown reseller {reseller}"),
        ));
    }
    match key {
        None => Err(ApiError::new(
            401,
            "authentication failed: parameter apikey is missing",
        )),
        Some(key) if key != app.config.api_key => {
            Err(ApiError::new(401, "authentication failed: wrong API key"))
        }
        Some(_) => Ok(()),
    }
}
