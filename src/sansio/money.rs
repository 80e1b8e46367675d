//! Keeps money as its exact decimal text.
//!
//! The docs send prices as strings (`"99.90"`), but a server may send a JSON
//! number; any JSON parser would turn `99.90` into `99.9`. Before parsing,
//! the number token of a money field is wrapped in quotes, so the text the
//! server wrote is what the caller gets.

use alloc::string::String;

/// Returns the body with every number value of a field named in `fields`
/// quoted, or `None` when nothing needed quoting (the common case).
pub fn quote_numbers(body: &str, fields: &[&str]) -> Option<String> {
    let bytes = body.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `body` already in `out`
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'"') {
            i += 1;
            continue;
        }
        let start = i + 1;
        let end = string_end(bytes, start);
        let key = body.get(start..end).unwrap_or_default();
        i = end + 1;
        // A string followed by ':' is a key (a value never is, in valid JSON).
        let mut j = skip_ws(bytes, i);
        if bytes.get(j) != Some(&b':') || !names_one_of(key, fields) {
            continue;
        }
        j = skip_ws(bytes, j + 1);
        if !matches!(bytes.get(j), Some(b'-' | b'0'..=b'9')) {
            continue;
        }
        let mut k = j;
        while matches!(
            bytes.get(k),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            k += 1;
        }
        let buf = out.get_or_insert_with(|| String::with_capacity(body.len() + 16));
        buf.push_str(body.get(copied..j).unwrap_or_default());
        buf.push('"');
        buf.push_str(body.get(j..k).unwrap_or_default());
        buf.push('"');
        copied = k;
        i = k;
    }
    let mut buf = out?;
    buf.push_str(body.get(copied..).unwrap_or_default());
    Some(buf)
}

/// Whether the key as written (`pric\u0065` is `price` too) is one of `fields`.
fn names_one_of(raw: &str, fields: &[&str]) -> bool {
    if !raw.as_bytes().contains(&b'\\') {
        return fields.contains(&raw);
    }
    unescape(raw).is_some_and(|key| fields.contains(&key.as_str()))
}

/// The text of a JSON string's content; `None` when an escape is malformed.
pub(crate) fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let hex4 = |chars: &mut core::str::Chars<'_>| -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            n = n * 16 + chars.next()?.to_digit(16)?;
        }
        Some(n)
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let unit = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&unit) {
                    if (chars.next()?, chars.next()?) != ('\\', 'u') {
                        return None;
                    }
                    let low = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            _ => return None,
        };
        out.push(decoded);
    }
    Some(out)
}

/// Index of the closing quote of the string whose content starts at `i`
/// (or the end of input).
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return i,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::quote_numbers;

    #[test]
    fn numbers_in_money_fields_keep_their_text() {
        let body = r#"{"response":{"addons":[{"price": 99.90,"name":"a"},{"price":-1e3},{"price":"19.40"},{"price":null}]}}"#;
        assert_eq!(
            quote_numbers(body, &["price"]).as_deref(),
            Some(
                r#"{"response":{"addons":[{"price": "99.90","name":"a"},{"price":"-1e3"},{"price":"19.40"},{"price":null}]}}"#
            )
        );
    }

    #[test]
    fn strings_that_look_like_keys_are_left_alone() {
        let body = r#"{"d":"\"price\":5","price2":5,"x":{"price" : 0}}"#;
        assert_eq!(
            quote_numbers(body, &["price"]).as_deref(),
            Some(r#"{"d":"\"price\":5","price2":5,"x":{"price" : "0"}}"#)
        );
    }

    #[test]
    fn keys_written_with_escapes_are_the_same_keys() {
        assert_eq!(
            quote_numbers(r#"{"pric\u0065": 1.50, "\u0070rice": 2}"#, &["price"]).as_deref(),
            Some(r#"{"pric\u0065": "1.50", "\u0070rice": "2"}"#)
        );
        assert_eq!(quote_numbers(r#"{"pric\u00": 1}"#, &["price"]), None);
    }

    #[test]
    fn nothing_to_do_costs_no_copy() {
        assert_eq!(quote_numbers(r#"{"price":"1.00"}"#, &["price"]), None);
        assert_eq!(quote_numbers("not json \"", &["price"]), None);
        assert_eq!(quote_numbers("", &["price"]), None);
    }
}
