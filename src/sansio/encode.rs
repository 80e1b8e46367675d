//! Percent-encoding for path segments, query strings and form bodies.

use alloc::string::String;

/// Bytes that stay as they are in a path segment: RFC 3986 unreserved, plus
/// `@` so that an email reseller id reads naturally.
fn is_segment_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@')
}

/// Bytes that stay as they are in `application/x-www-form-urlencoded`
/// (the WHATWG byte serializer; a space becomes `+`).
fn is_form_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')
}

/// Upper-case hex digit of a nibble (`n < 16`).
fn hex(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 })
}

fn push_escaped(out: &mut String, b: u8) {
    out.push('%');
    out.push(hex(b >> 4));
    out.push(hex(b & 0x0f));
}

/// Appends `value` as one path segment: nothing in it can add a segment,
/// start a query or a fragment.
pub fn push_segment(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if is_segment_safe(b) {
            out.push(char::from(b));
        } else {
            push_escaped(out, b);
        }
    }
}

/// Appends `value` form-encoded (also used for the query string).
pub fn push_form_value(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if is_form_safe(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            push_escaped(out, b);
        }
    }
}

/// Appends `name=value`, preceded by `&` unless `out` is empty or ends with `?`.
pub fn push_pair(out: &mut String, name: &str, value: &str) {
    if !(out.is_empty() || out.ends_with('?')) {
        out.push('&');
    }
    push_form_value(out, name);
    out.push('=');
    push_form_value(out, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(v: &str) -> String {
        let mut s = String::new();
        push_segment(&mut s, v);
        s
    }

    fn form(v: &str) -> String {
        let mut s = String::new();
        push_form_value(&mut s, v);
        s
    }

    #[test]
    fn segment_cannot_change_the_path() {
        assert_eq!(segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(segment("../x"), "..%2Fx");
        assert_eq!(segment("reseller@example.com"), "reseller@example.com");
        assert_eq!(segment("ü+&="), "%C3%BC%2B%26%3D");
    }

    #[test]
    fn form_encoding_matches_url_search_params() {
        assert_eq!(form("2024-01-01 00:00:00"), "2024-01-01+00%3A00%3A00");
        assert_eq!(form("a&b=c+d"), "a%26b%3Dc%2Bd");
        assert_eq!(form("*-._~"), "*-._%7E");
        assert_eq!(form("{\"phone\":\"1\"}"), "%7B%22phone%22%3A%221%22%7D");
    }

    #[test]
    fn pairs_are_joined_with_ampersands() {
        let mut q = String::from("/x?");
        push_pair(&mut q, "a", "1");
        push_pair(&mut q, "b", "2 3");
        assert_eq!(q, "/x?a=1&b=2+3");
    }
}
