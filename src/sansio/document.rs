//! A parsed JSON document, as much of it as the rules need to read.
//!
//! The core never parses JSON itself: each face brings the parser that
//! costs it least (the host's `JSON.parse` in wasm, `serde_json` natively)
//! and reads the tree through this trait, so that the envelope and list
//! rules are written once.

use alloc::string::String;

/// What kind of JSON value a [`Document`] holds.
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

/// Read access to a parsed JSON value.
pub trait Document: Sized {
    /// A member name prepared for repeated lookups (JS: a string made once,
    /// not once per row).
    type Key;
    /// Prepares `name` for [`Document::get`].
    fn key(name: &str) -> Self::Key;
    /// The member `key` of an object; `None` when absent, or when `self` is
    /// not an object.
    fn get(&self, key: &Self::Key) -> Option<Self>;
    /// The member `name` of an object.
    fn member(&self, name: &str) -> Option<Self> {
        self.get(&Self::key(name))
    }
    /// Whether this is a string (the common case, asked first).
    fn is_text(&self) -> bool;
    /// The kind of value.
    fn kind(&self) -> Kind;
    /// Whether this is `null`.
    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }
    /// Whether this is an object (not an array, not `null`).
    fn is_object(&self) -> bool {
        self.kind() == Kind::Object
    }
    /// The value of a number.
    fn number(&self) -> Option<f64>;
    /// The length of an array; `None` when this is not one.
    fn array_len(&self) -> Option<u32>;
    /// Element `index` of an array.
    fn element(&self, index: u32) -> Option<Self>;
    /// A string as is, or any other scalar as the host prints it.
    fn text(&self) -> Option<String>;
    /// A whole number, or a string of one.
    fn int(&self) -> Option<i64>;
    /// The member names of an object, in order; empty for anything else
    /// (for [`crate::sansio::drift`]: fields the docs do not name).
    fn keys(&self) -> alloc::vec::Vec<String>;
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

#[cfg(any(test, feature = "native"))]
impl Document for serde_json::Value {
    type Key = String;
    fn key(name: &str) -> String {
        String::from(name)
    }
    fn get(&self, key: &String) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }
    fn is_text(&self) -> bool {
        self.is_string()
    }
    fn kind(&self) -> Kind {
        match self {
            serde_json::Value::Null => Kind::Null,
            serde_json::Value::Bool(_) => Kind::Bool,
            serde_json::Value::Number(_) => Kind::Number,
            serde_json::Value::String(_) => Kind::Text,
            serde_json::Value::Array(_) => Kind::List,
            serde_json::Value::Object(_) => Kind::Object,
        }
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn array_len(&self) -> Option<u32> {
        self.as_array().and_then(|a| u32::try_from(a.len()).ok())
    }
    fn element(&self, index: u32) -> Option<Self> {
        self.as_array()?.get(usize::try_from(index).ok()?).cloned()
    }
    fn text(&self) -> Option<String> {
        match self {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(alloc::string::ToString::to_string(other)),
        }
    }
    fn keys(&self) -> alloc::vec::Vec<String> {
        self.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }
    fn int(&self) -> Option<i64> {
        match self {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => parse_int(s),
            _ => None,
        }
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
