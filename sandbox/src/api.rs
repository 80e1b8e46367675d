//! An API request on the wire: read its body within the limits, hand it
//! to the rules ([`sandbox_rules::Sandbox`]), wait as they say, send their
//! reply. Whatever happens, an `/api` request is answered with the
//! envelope, in JSON or XML as asked, even when a tower-http layer in front
//! of the handler answered first.

use std::error::Error as StdError;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::LengthLimitError;
use sandbox_rules::wire::{ApiError, Reply};
use sandbox_rules::Request as ApiRequest;
use tower_http::timeout::TimeoutError;

use crate::app::{App, BODY_IDLE_TIMEOUT, BODY_LIMIT};

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
    let request = ApiRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        content_type: content_type.as_deref(),
        body: None,
    };
    let error = match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        StatusCode::REQUEST_TIMEOUT => {
            let error = ApiError::new(
                408,
                "the request took longer than the sandbox waits for one",
            );
            let format = sandbox_rules::wire::Format::of_path(uri.path());
            return to_response(sandbox_rules::wire::respond_error(format, &error));
        }
        _ => return response,
    };
    let reply = app.sandbox().refuse(&request, &error);
    to_response(reply)
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

/// Log, delay, fault, answer.
async fn answer(app: &App, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let content_type = content_type(&parts.headers);
    let body = read_body(body).await;
    let mut request = ApiRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        content_type: content_type.as_deref(),
        body: None,
    };
    let body = match body {
        Ok(body) => body,
        Err(error) => return to_response(app.sandbox().refuse(&request, &error.api_error())),
    };
    request.body = Some(&body);
    let arrival = app.sandbox().arrive(&request);
    if arrival.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(arrival.delay_ms)).await;
    }
    let reply = match arrival.reply {
        Some(reply) => reply,
        None => {
            let now = app.now_unix();
            app.sandbox().answer(&request, now)
        }
    };
    to_response(reply)
}

/// The rules' reply as an axum response (a header the rules checked never
/// fails here; were one refused, it is left out rather than panic).
pub(crate) fn to_response(reply: Reply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
