//! The API key: kept out of every text the package produces.

use alloc::borrow::ToOwned;
use alloc::string::String;

/// What replaces the key wherever it would appear.
pub const REDACTED: &str = "[redacted]";

/// The API key. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: String) -> Self {
        ApiKey(key)
    }

    /// The key itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(REDACTED)
    }
}

/// `text` with every occurrence of `needle` replaced by [`REDACTED`].
///
/// A plain byte search rather than `str::replace`: this runs once per error,
/// and `str::replace` would bring ~7 KB of searcher and panic messages into
/// the wasm.
fn redact(text: &str, needle: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = (!needle.is_empty())
        .then(|| {
            rest.as_bytes()
                .windows(needle.len())
                .position(|w| w == needle.as_bytes())
        })
        .flatten()
    {
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push_str(REDACTED);
        rest = rest.get(at + needle.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// `text` with `key` removed in every form it may take on the wire: as is,
/// percent-encoded (a URL echoed back) and form-encoded.
pub fn scrub(text: &str, key: &str) -> String {
    if key.is_empty() {
        return text.to_owned();
    }
    let mut out = redact(text, key);
    let mut encoded = String::new();
    crate::encode::push_form_value(&mut encoded, key);
    if encoded != key {
        out = redact(&out, &encoded);
        let mut path_form = String::new();
        crate::encode::push_segment(&mut path_form, key);
        out = redact(&out, &path_form);
        // Hosts print escapes in lower case too.
        out = redact(&out, &encoded.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_form_of_the_key_is_removed() {
        let key = "s3cr3t key/+&";
        let text = "bad key s3cr3t key/+& in ?apikey=s3cr3t+key%2F%2B%26 or s3cr3t%20key%2F%2B%26 or s3cr3t+key%2f%2b%26";
        let out = scrub(text, key);
        assert!(!out.contains("s3cr3t"), "{out}");
        assert_eq!(out.matches(REDACTED).count(), 4);
        assert_eq!(format!("{:?}", ApiKey::new(key.into())), REDACTED);
    }
}
