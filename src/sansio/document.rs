//! What the streaming check ([`crate::sansio::shape`]) knows of a JSON
//! value: its kind, and a whole number written as text.

/// What kind of JSON value the check met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null` (or, in JS, `undefined`).
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    Text,
    /// An array.
    List,
    /// An object.
    Object,
}

/// A whole number written as text (`"401"`, `" -7 "`), as some servers
/// send `statuscode`. Byte-level: `str::parse` and `trim` would bring
/// Unicode tables and panic formatting into the wasm.
pub fn parse_int(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|b| *b != b' ' && *b != b'\t')?;
    let end = bytes.iter().rposition(|b| *b != b' ' && *b != b'\t')?;
    let digits = bytes.get(start..=end)?;
    let (negative, digits) = match digits.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, digits),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_sub(i64::from(b - b'0'))?;
    }
    if negative {
        Some(n)
    } else {
        n.checked_neg()
    }
}

#[cfg(test)]
mod tests {
    use super::parse_int;

    #[test]
    fn integers_in_text() {
        assert_eq!(parse_int("401"), Some(401));
        assert_eq!(parse_int(" -7\t"), Some(-7));
        assert_eq!(parse_int("+3"), Some(3));
        assert_eq!(parse_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int("9223372036854775808"), None);
        for bad in ["", " ", "-", "1.5", "1e3", "0x10", "٣", "1 2"] {
            assert_eq!(parse_int(bad), None, "{bad}");
        }
    }
}
