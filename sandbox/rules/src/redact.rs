//! The request log never keeps an `apikey`: a developer may send a real
//! production key to the sandbox by mistake, and the log is readable by
//! whoever can reach the control routes.

/// What replaces an `apikey` value.
pub const REDACTED: &str = "[redacted]";

/// `a=1&apikey=SECRET&b=2` with every `apikey` value (however its name is
/// percent-encoded) replaced by `[redacted]`; every other byte as it was.
pub fn form_fields(raw: &str) -> String {
    raw.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if is_apikey(name) && !value.is_empty() {
                format!("{name}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Whether a raw field name decodes to `apikey` (`%61pikey`, `api%6Bey`).
fn is_apikey(raw_name: &str) -> bool {
    crate::wire::percent_decode(raw_name.as_bytes(), true).is_ok_and(|n| n == "apikey")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_apikey_values_are_replaced() {
        assert_eq!(form_fields("apikey=k-1&x=1"), "apikey=[redacted]&x=1");
        assert_eq!(
            form_fields("x=1&%61pikey=k&apikey"),
            "x=1&%61pikey=[redacted]&apikey"
        );
        assert_eq!(
            form_fields("apikeys=k&note=apikey%3Dk"),
            "apikeys=k&note=apikey%3Dk"
        );
        assert_eq!(form_fields(""), "");
    }
}
