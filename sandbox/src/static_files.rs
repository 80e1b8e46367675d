//! Static files for `--www` and `--pkg` (the demo page and the built JS and
//! wasm package), served by tower-http's `ServeDir`, which decodes paths
//! and keeps them inside the folder. Only the content types are ours: a
//! browser refuses a module script or `WebAssembly.instantiateStreaming`
//! unless they are exactly right, and the guesses of `mime_guess` are not
//! for every extension the package ships (`.mjs`, `.ts`); and paths that
//! cannot name a file are a 404 before the disk is asked (`ServeDir`
//! answers 500 for the operating system's refusal of a NUL byte or an
//! over-long name).

use std::path::Path;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

/// A router serving the files of `root` (`index.html` for a folder; other
/// methods than GET and HEAD get 405), answering within `timeout`.
pub fn service(root: &Path, timeout: Duration) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(root))
        .layer(middleware::from_fn(content_type))
        .layer(middleware::from_fn(only_file_names))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
}

/// Longest file name (one path segment) common file systems accept.
const MAX_NAME_BYTES: usize = 255;

/// 404 for a path no file can have, as `ServeDir` would decode it; 400
/// for a request target that is not a path at all (`GET * HTTP/1.1`,
/// `GET host:80 HTTP/1.1`), which `ServeDir` would answer with a 500.
async fn only_file_names(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with('/') {
        return (StatusCode::BAD_REQUEST, "bad request target\n").into_response();
    }
    let decoded = lenient_percent_decode(path);
    let nameable = !decoded.contains(&0)
        && decoded
            .split(|b| *b == b'/')
            .all(|name| name.len() <= MAX_NAME_BYTES);
    if nameable {
        next.run(req).await
    } else {
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}

/// Percent-decoding as `ServeDir` does it: a `%` not followed by two hex
/// digits stays as it is.
fn lenient_percent_decode(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Two hex digits exactly (`from_str_radix` alone would take "+1").
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Sets the content type from the requested file name's extension where
/// the sandbox knows better than the guess (for files actually found).
async fn content_type(req: Request, next: Next) -> Response {
    let known = known_content_type(req.uri().path());
    let mut response = next.run(req).await;
    if let (Some(value), true) = (known, response.status().is_success()) {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
    }
    response
}

/// The content type for a path's extension, for the types the demo and
/// the package need; `None` leaves the guess alone. A folder's path ends
/// in `/`: what it serves is its `index.html`.
fn known_content_type(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or_default();
    let ext = if name.is_empty() {
        "html"
    } else {
        name.rsplit_once('.')?.1
    };
    let value = match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "txt" | "md" | "ts" | "mts" | "cts" => "text/plain; charset=utf-8",
        _ => return None,
    };
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_as_serve_dir_does() {
        assert_eq!(lenient_percent_decode("/a%2Fb%00"), b"/a/b\0");
        assert_eq!(lenient_percent_decode("/%zz%4"), b"/%zz%4");
        assert_eq!(lenient_percent_decode("/%+1%C3%A9"), "/%+1é".as_bytes());
    }

    #[test]
    fn content_types_the_browser_insists_on() {
        assert_eq!(known_content_type("/pkg/x.wasm"), Some("application/wasm"));
        assert_eq!(
            known_content_type("/pkg/index.MJS"),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(
            known_content_type("/app.js"),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(
            known_content_type("/pkg/index.d.ts"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(known_content_type("/"), Some("text/html; charset=utf-8"));
        assert_eq!(known_content_type("/a.b/c"), None);
        assert_eq!(known_content_type("/font.woff2"), None);
    }
}
