//! The API key: kept out of every text the package produces.
//!
//! # What [`scrub`] removes
//!
//! Every *form* of the key that a URL or JSON encoder makes of it:
//!
//! - the key as is;
//! - percent-encoded: each byte of its UTF-8 as itself or as `%XX`, hex
//!   digits in either case, and `+` for a space (a query, a form body, a
//!   path, whichever bytes the server's encoder escapes); `%` itself is
//!   always `%25` there, as every encoder writes it;
//! - JSON-escaped: each character as itself, `\uXXXX` in either case
//!   (surrogate pairs beyond the BMP) or its short escape (`\"`, `\\`,
//!   `\/`, `\b`, `\f`, `\n`, `\r`, `\t`); `\` itself is always escaped
//!   there, as every encoder writes it.
//!
//! The text is scanned once from the start; the longest form that starts
//! at a position is replaced by [`REDACTED`] and the scan goes on after it,
//! so the marker is never scanned again (no `[[redacted]dacted]`). A marker
//! already in the text is skipped too, and no form runs into one, so
//! scrubbing a text twice gives what scrubbing it once gives.
//!
//! The promise: **no form of the key occurs between two markers** (nor
//! before the first or after the last). A form may still be read *across*
//! a marker: a key `d` in `[redacted]` itself, or `]]` in `[redacted]]`
//! (what `]]]` becomes); that shows nothing of the key. A short key is
//! removed wherever it occurs, however much of the text that takes: a
//! one-character key is no secret, but no error shows it either. The empty
//! key removes nothing. Never panics; linear in the text for a given key.
//!
//! Not covered: a form of a form (`%252F`, or `\\\/`: a `\/` escaped again),
//! one mixing percent and JSON escapes, and a key cut in two
//! (by the 4,096-character limit on bodies, or split between two fields):
//! scrub a text before cutting it.

use alloc::string::String;

use crate::sansio::error::{excerpt, BODY_EXCERPT_CHARS};

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

/// `text` with every form of `key` (see the module docs) replaced by
/// [`REDACTED`].
pub fn scrub(text: &str, key: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let (mut at, mut copied) = (0, 0);
    // Every form starts with the key's first byte, a `%` or `+` (percent),
    // a `\` (JSON), and a marker with `[`: other bytes are passed at once.
    let first = key.as_bytes().first().copied().unwrap_or(b'[');
    while at < bytes.len() && !key.is_empty() {
        if !matches!(bytes.get(at), Some(&b) if b == first || matches!(b, b'%' | b'+' | b'\\' | b'['))
        {
            at += 1;
            continue;
        }
        // A marker already there (scrubbed before) is left as it is, and no
        // form runs into one.
        if is_marker(bytes, at) {
            at += REDACTED.len();
            continue;
        }
        // A `[` that starts no marker starts no form either (unless the key
        // does): a body of `[[[…` is passed a byte at a time, not tried
        // against every form at every byte.
        if bytes.get(at) == Some(&b'[') && first != b'[' {
            at += 1;
            continue;
        }
        match [AS_IS, PERCENT, JSON]
            .into_iter()
            .filter_map(|form| form_end(bytes, at, key, form))
            .max()
        {
            // A form starts and ends at character boundaries: it starts
            // with an ASCII byte or the first byte of a character, and
            // ends after a whole character or an ASCII escape.
            Some(end) => {
                out.push_str(text.get(copied..at).unwrap_or_default());
                out.push_str(REDACTED);
                at = end;
                copied = end;
            }
            None => at += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

const AS_IS: u8 = 0;
const PERCENT: u8 = 1;
const JSON: u8 = 2;

/// The end of the `form` of `key` that starts at `at`, if there is one.
/// Each character reads one way only (its forms start with different
/// bytes), so this is one pass, no backtracking.
fn form_end(text: &[u8], mut at: usize, key: &str, form: u8) -> Option<usize> {
    let is = |i: usize, b: u8| text.get(i) == Some(&b);
    for c in key.chars() {
        // No form runs into a marker (one starts with `[`, so only where a
        // character's form starts).
        if is_marker(text, at) {
            return None;
        }
        let mut utf8 = [0; 4];
        let raw = c.encode_utf8(&mut utf8).as_bytes();
        let short = match c {
            '"' | '\\' | '/' => c as u8,
            '\u{8}' => b'b',
            '\u{c}' => b'f',
            '\n' => b'n',
            '\r' => b'r',
            '\t' => b't',
            _ => 0,
        };
        at = if form == PERCENT && c == ' ' && is(at, b'+') {
            at + 1
        } else if form == PERCENT {
            for &b in raw {
                at = if is(at, b'%') && hex(text, at + 1, 2) == Some(u32::from(b)) {
                    at + 3
                } else if b != b'%' && is(at, b) {
                    at + 1
                } else {
                    return None;
                };
            }
            at
        } else if form == JSON && is(at, b'\\') {
            if short != 0 && is(at + 1, short) {
                at + 2
            } else {
                let mut units = [0; 2];
                for &unit in c.encode_utf16(&mut units).iter() {
                    if !(is(at, b'\\') && is(at + 1, b'u'))
                        || hex(text, at + 2, 4) != Some(u32::from(unit))
                    {
                        return None;
                    }
                    at += 6;
                }
                at
            }
        } else if text.get(at..at + raw.len()) == Some(raw) && (form == AS_IS || c != '\\') {
            at + raw.len()
        } else {
            return None;
        };
    }
    Some(at)
}

/// Whether a [`REDACTED`] marker starts at `at`.
fn is_marker(text: &[u8], at: usize) -> bool {
    text.get(at..)
        .is_some_and(|rest| rest.starts_with(REDACTED.as_bytes()))
}

/// The value of the `len` hex digits (either case) at `at`.
fn hex(text: &[u8], at: usize, len: usize) -> Option<u32> {
    text.get(at..at.checked_add(len)?)?
        .iter()
        .try_fold(0, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
}

/// The start of a body for an error: the key removed first, then cut to
/// [`BODY_EXCERPT_CHARS`] (cut first, a key at the cut would show in part).
/// `start(n)` gives the first `n` characters and whether that is the whole
/// body. An encoded form of the key is at most 12 characters per character
/// of the key (`%F0%9F%98%80`, a `\uXXXX` pair): reading that much past the
/// cut, then cutting after scrubbing, leaves no part of a form at the end.
pub fn body_excerpt(start: impl Fn(usize) -> (String, bool), key: &ApiKey) -> String {
    let form = char_count(key.expose()).saturating_mul(12);
    let mut wanted = BODY_EXCERPT_CHARS.saturating_add(form);
    loop {
        let (text, whole) = start(wanted);
        let clean = crate::sansio::secret::scrub(&text, key.expose());
        // Forms longer than the marker shrink the text: read on until the
        // scrubbed text still reaches past the cut by a whole form.
        if whole || char_count(&clean) >= BODY_EXCERPT_CHARS.saturating_add(form) {
            return whole_markers(excerpt(&clean), &clean);
        }
        wanted = wanted.saturating_mul(2);
    }
}

/// Characters in `s`: the bytes that start one. `chars().count()` is the
/// same number through a kilobyte of unrolled code in the wasm.
pub(crate) fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// `cut` (a start of `clean`) without a `[redacted]` marker that the cut
/// split: half a marker is no marker, and could read as the key.
fn whole_markers(mut cut: String, clean: &str) -> String {
    use crate::sansio::secret::REDACTED;
    let bytes = cut.as_bytes();
    let open = bytes.iter().rposition(|&b| b == b'[');
    if let Some(start) = open {
        let split = bytes.len() - start < REDACTED.len()
            && clean
                .get(start..)
                .is_some_and(|rest| rest.starts_with(REDACTED));
        if split {
            cut.truncate(start);
        }
    }
    cut
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

    // Found by `fuzz key_scrubbing`: a key with `/` echoed in a JSON body as
    // `\/` (PHP's `json_encode` writes it so) stayed in a decode error's body.
    #[test]
    fn a_json_escaped_slash_is_removed() {
        let out = scrub(r#"{"debugmessage":"bad key k3y\/+"}"#, "k3y/+");
        assert_eq!(out, r#"{"debugmessage":"bad key [redacted]"}"#);
    }

    // Found by `fuzz key_scrubbing`: `\uXXXX` escapes (any character, either
    // case, surrogate pairs) and `\"`, `\\` were not recognised.
    #[test]
    fn json_unicode_and_short_escapes_are_removed() {
        let key = "k\"é\\😀\u{1}";
        for form in [
            r#"k\"é\\😀\u0001"#,
            r#"k\u0022\u00e9\u005C\ud83d\ude00\u0001"#,
            r#"k\"\u00E9\\\uD83D\uDE00\u0001"#,
        ] {
            let text = ["<", form, ">"].concat();
            assert_eq!(scrub(&text, key), "<[redacted]>", "{form}");
        }
    }

    // Found by `fuzz key_scrubbing`: only our own two encoders (and the
    // form one in lower case) were recognised; another encoder's choice of
    // bytes (`encodeURIComponent` keeps `!'()*`, others escape `.`), lower
    // case in the path form, or a mix of them was not.
    #[test]
    fn any_percent_encoding_in_either_case_is_removed() {
        let key = "a.b é!";
        for form in [
            "a%2eb%20%c3%a9!",
            "a%2Eb+%C3%A9%21",
            "a.b%20é%21",
            "%61%2e%62%20%C3%a9!",
        ] {
            assert_eq!(scrub(form, key), REDACTED, "{form}");
        }
        // `%` in the key, as itself or escaped, even where that is ambiguous.
        assert_eq!(scrub("x%2541y", "%41"), "x[redacted]y");
        assert_eq!(scrub("%25A", "%A"), REDACTED);
        assert_eq!(scrub("%41", "%41"), REDACTED);
    }

    // Found by `fuzz key_scrubbing`: the core scrubs a body, then the error
    // holding it; a key `r` made `[[redacted]edacted]` of the first marker.
    #[test]
    fn scrubbing_twice_is_scrubbing_once() {
        for (text, key) in [
            ("<r>", "r"),
            ("a d a", "d"),
            ("x/y%2F", "/"),
            ("ke y", "e"),
            ("//[", "/["),
            ("]]]", "]]"),
        ] {
            let once = scrub(text, key);
            assert_eq!(scrub(&once, key), once, "{text} {key}");
        }
    }

    // Redaction must not make problems of its own: the marker is never
    // scanned again, a one-character key goes wherever it is, and what is
    // not the key stays as it was.
    #[test]
    fn the_marker_is_never_redacted_again() {
        assert_eq!(scrub("dad", "d"), "[redacted]a[redacted]");
        assert_eq!(scrub("]]]", "]]"), "[redacted]]");
        assert_eq!(scrub("aaa", "aa"), "[redacted]a");
        assert_eq!(scrub("[redacted]", "redacted"), "[redacted]");
        assert_eq!(scrub("[redacte", "redacte"), "[[redacted]");
        assert_eq!(scrub("/[redacted]", "/["), "/[redacted]");
        assert_eq!(scrub("no key here", ""), "no key here");
        assert_eq!(scrub("", "k"), "");
        assert_eq!(scrub("ké %zz \\u12", "q"), "ké %zz \\u12");
        // A truncated escape at the end of the text is no form, and no panic.
        assert_eq!(scrub("k%2", "k/"), "k%2");
        assert_eq!(scrub("k\\u00", "ké"), "k\\u00");
    }
}
