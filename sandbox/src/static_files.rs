//! Plain static file serving for `--www` and `--pkg` (the demo page and the
//! built JS/wasm package), kept in-house so as not to pull in a file-server
//! crate. Paths are decoded strictly and cannot leave the folder.

use std::path::{Path, PathBuf};

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::wire::percent_decode;

/// The file of `root` named by the raw (still encoded) relative path.
pub async fn serve(root: &Path, raw_relative: &str, method: &Method) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response();
    }
    let Some(mut path) = resolve(root, raw_relative) else {
        return not_found();
    };
    if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_dir()) {
        path.push("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&path)),
            )],
            if method == Method::HEAD {
                Vec::new()
            } else {
                bytes
            },
        )
            .into_response(),
        Err(_) => not_found(),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// Joins decoded segments under `root`; `None` for anything that could
/// escape it (`..`, separators or NUL inside a segment, bad encoding).
fn resolve(root: &Path, raw_relative: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for raw in raw_relative.split('/') {
        let segment = percent_decode(raw.as_bytes(), false).ok()?;
        if segment.is_empty() || segment == "." {
            continue;
        }
        if segment == ".." || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        path.push(segment);
    }
    Some(path)
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let root = Path::new("/srv");
        assert_eq!(resolve(root, "a/b.js"), Some(PathBuf::from("/srv/a/b.js")));
        assert_eq!(resolve(root, "a/../../etc/passwd"), None);
        assert_eq!(resolve(root, "%2e%2e/etc"), None);
        assert_eq!(resolve(root, "a%2Fb"), None);
        assert_eq!(resolve(root, "%zz"), None);
    }
}
