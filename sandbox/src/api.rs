//! An API request on the wire: read its body within the limits, log it,
//! apply latency, fault rules and the fail-rate coin, then answer it (see
//! [`crate::dispatch`]) in the vendor's envelope. Whatever happens, an
//! `/api` request is answered with the envelope, in JSON or XML as asked,
//! even when a tower-http layer in front of the handler answered first.

use std::error::Error as StdError;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::LengthLimitError;
use tower_http::timeout::TimeoutError;

use crate::dispatch::ApiRequest;
use crate::faults::{FaultRule, LoggedRequest, LOGGED_BODY_LIMIT};
use crate::routes::{App, BODY_IDLE_TIMEOUT, BODY_LIMIT};
use crate::wire::{respond, respond_error, ApiError, Format};

/// Marks the responses of [`handle`], so that [`envelope_for_layers`] can
/// tell them from the bare answers of the layers in front of it.
#[derive(Debug, Clone, Copy)]
struct Answered;

/// The handler of every `/api` path, whatever the method.
pub async fn handle(State(app): State<App>, req: Request) -> Response {
    let mut response = answer(&app, req).await;
    response.extensions_mut().insert(Answered);
    response
}

/// Around the body-limit and timeout layers: their bare 413 and 408
/// become the API's error envelope. A 413 there means the declared
/// length was over the limit, so the handler never saw the request: it is
/// logged here, with no body.
pub async fn envelope_for_layers(State(app): State<App>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let uri = req.uri().clone();
    let content_type = content_type(req.headers());
    let response = next.run(req).await;
    if response.extensions().get::<Answered>().is_some() {
        return response;
    }
    let error = match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            app.faults()
                .log(log_entry(&method, &uri, content_type.as_deref(), None));
            too_large()
        }
        StatusCode::REQUEST_TIMEOUT => ApiError::new(
            408,
            "the request took longer than the sandbox waits for one",
        ),
        _ => return response,
    };
    respond_error(Format::of_path(uri.path()), &error)
}

fn too_large() -> ApiError {
    ApiError::new(
        413,
        format!("request body is larger than the limit of {BODY_LIMIT} bytes"),
    )
}

fn content_type(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Why a body could not be read.
enum BodyError {
    /// Over [`BODY_LIMIT`] (sent without a length, or longer than declared).
    TooLarge,
    /// A pause longer than [`BODY_IDLE_TIMEOUT`] between two parts.
    TooSlow,
    /// The client went away or sent a broken chunked encoding.
    Broken,
}

impl BodyError {
    fn api_error(&self) -> ApiError {
        match self {
            BodyError::TooLarge => too_large(),
            BodyError::TooSlow => ApiError::new(
                408,
                format!(
                    "the request body stalled for more than {} s",
                    BODY_IDLE_TIMEOUT.as_secs()
                ),
            ),
            BodyError::Broken => ApiError::bad_request("the request body could not be read"),
        }
    }
}

/// The whole body, within the limits the layers set.
async fn read_body(body: Body) -> Result<Bytes, BodyError> {
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        let inner = e.into_inner();
        let mut cause: Option<&(dyn StdError + 'static)> = Some(&*inner);
        while let Some(error) = cause {
            if error.is::<LengthLimitError>() {
                return BodyError::TooLarge;
            }
            if error.is::<TimeoutError>() {
                return BodyError::TooSlow;
            }
            cause = error.source();
        }
        BodyError::Broken
    })
}

fn log_entry(
    method: &Method,
    uri: &Uri,
    content_type: Option<&str>,
    body: Option<&Bytes>,
) -> LoggedRequest {
    let truncated = body.is_some_and(|b| b.len() > LOGGED_BODY_LIMIT);
    LoggedRequest {
        method: method.as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().unwrap_or_default().to_owned(),
        body: body
            .map(|b| String::from_utf8_lossy(b.get(..LOGGED_BODY_LIMIT).unwrap_or(b)).into_owned()),
        body_truncated: truncated,
        content_type: content_type.map(str::to_owned),
    }
}

/// Log, delay, fault, answer.
async fn answer(app: &App, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let format = Format::of_path(parts.uri.path());
    let content_type = content_type(&parts.headers);
    let body = read_body(body).await;
    app.faults().log(log_entry(
        &parts.method,
        &parts.uri,
        content_type.as_deref(),
        body.as_ref().ok(),
    ));
    let body = match body {
        Ok(body) => body,
        Err(error) => return respond_error(format, &error.api_error()),
    };

    if app.config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(app.config.latency_ms)).await;
    }
    let rule = app.faults().take_rule(parts.uri.path());
    if let Some(rule) = rule {
        if rule.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(rule.delay_ms)).await;
        }
        if rule.replaces_answer() {
            return fault_response(format, &rule);
        }
    }
    let injected = app.faults().roll_failure();
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
        raw_path: parts.uri.path(),
        raw_query: parts.uri.query().unwrap_or_default(),
        content_type: content_type.as_deref(),
        body: &body,
    };
    match request.answer(app) {
        Ok(node) => respond(format, 200, &node),
        Err(error) => respond_error(format, &error.scrubbed(&[&app.config.api_key])),
    }
}

/// The `errormessage` of an injected error: the API's own wording for the
/// statuses it answers with, so that a client sees what it would see for
/// real (a 401 reads as a wrong key).
fn fault_message(status: u16) -> String {
    match status {
        400 => "common processing error".to_owned(),
        401 => "authentication failed: wrong API key".to_owned(),
        404 => "not found".to_owned(),
        429 => "too many requests".to_owned(),
        500 => "fatal server error".to_owned(),
        502 => "bad gateway".to_owned(),
        503 => "service temporarily unavailable".to_owned(),
        504 => "gateway timeout".to_owned(),
        n => format!("error {n}"),
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
            let mut response = Response::new(Body::from(body.clone()));
            *response.status_mut() = status;
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type);
            response
        }
        None => {
            let error = ApiError::new(rule.status, fault_message(rule.status))
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
