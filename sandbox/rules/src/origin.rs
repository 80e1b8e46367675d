//! Who may use the control surface from a browser. Any page a developer
//! visits could otherwise read `/sandbox.json` and the request log, or
//! reset the records: a request that carries an `Origin` is served only
//! when it comes from the sandbox's own origin or one named with
//! `--allow-origin`. Requests without one (curl, Node, tests) are not
//! from a page and are served. `/api` keeps its open CORS: browser
//! clients are what it is for.

/// Whether a control request with this `Origin` header, sent to this
/// `Host`, is served. `allowed` holds exact origins
/// (`http://localhost:5173`), `*` for any, or an origin whose port is `*`
/// (`http://127.0.0.1:*`) for any port of that host.
pub fn control_allowed(origin: Option<&str>, host: Option<&str>, allowed: &[String]) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    if host.is_some_and(|host| same_origin(origin, host)) {
        return true;
    }
    allowed.iter().any(|pattern| matches(pattern, origin))
}

/// The origin a browser sends for a page served from `host` over HTTP.
fn same_origin(origin: &str, host: &str) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
}

fn matches(pattern: &str, origin: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_suffix(":*") {
        Some(base) => origin
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())),
        None => pattern.eq_ignore_ascii_case(origin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_origins_need_naming() {
        let none: Vec<String> = Vec::new();
        assert!(control_allowed(None, Some("127.0.0.1:8080"), &none));
        assert!(control_allowed(
            Some("http://127.0.0.1:8080"),
            Some("127.0.0.1:8080"),
            &none
        ));
        assert!(!control_allowed(
            Some("https://evil.example"),
            Some("127.0.0.1:8080"),
            &none
        ));
        assert!(!control_allowed(
            Some("null"),
            Some("127.0.0.1:8080"),
            &none
        ));
        let named = vec![
            "http://localhost:5173".to_owned(),
            "http://127.0.0.1:*".to_owned(),
        ];
        assert!(control_allowed(Some("http://localhost:5173"), None, &named));
        assert!(control_allowed(
            Some("http://127.0.0.1:41234"),
            None,
            &named
        ));
        assert!(!control_allowed(
            Some("http://127.0.0.1.evil:41234"),
            None,
            &named
        ));
        assert!(!control_allowed(
            Some("http://localhost:5174"),
            None,
            &named
        ));
        assert!(control_allowed(Some("https://x"), None, &["*".to_owned()]));
    }
}
