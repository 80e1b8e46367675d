//! The API key: kept out of every text the package produces.
//!
//! # What [`scrub`] removes
//!
//! Every *form* of the key: a text in which each character of the key, on
//! its own, appears
//!
//! - as itself;
//! - percent-encoded, `%XX` for each of its UTF-8 bytes, hex digits in
//!   either case (the key as a query, a form body or any URL encoder sends
//!   it), or `+` for a space;
//! - JSON-escaped: `\uXXXX` in either case (surrogate pairs beyond the BMP)
//!   or the short escapes `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`
//!   (the key in a JSON body, as any JSON encoder writes it).
//!
//! The text is scanned once from the start; the longest form that starts
//! at a position is replaced by [`REDACTED`] and the scan goes on after it,
//! so the marker is never scanned again (no `[[redacted]dacted]`).
//!
//! The promise: **no form of the key occurs between two markers** (nor
//! before the first or after the last). A form may still be read *across*
//! a marker: a key `d` in `[redacted]` itself, or `]]` in `[redacted]]`
//! (what `]]]` becomes); that shows nothing of the key. A short key is
//! removed wherever it occurs, however much of the text that takes: a
//! one-character key is no secret, but no error shows it either. The empty
//! key removes nothing.
//!
//! Not covered: a form nested in another (`%252F`, a JSON-escaped `%2F`
//! is fine but a JSON-escaped `\/` is not), and a key cut in two (by the
//! 4,096-character limit on bodies, or split between two fields): scrub a
//! text before cutting it.

use alloc::string::String;
use alloc::vec::Vec;

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
    let (mut ends, mut next) = (Vec::new(), Vec::new());
    while at < bytes.len() && !key.is_empty() {
        match form_end(bytes, at, key, &mut ends, &mut next) {
            // A form starts and ends at character boundaries: it starts
            // with an ASCII byte or the first byte of a character, and
            // ends after a whole character or an ASCII escape.
            Some(end) if end > at => {
                out.push_str(text.get(copied..at).unwrap_or_default());
                out.push_str(REDACTED);
                at = end;
                copied = end;
            }
            _ => at += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The end of the longest form of `key` that starts at `at`: the set of
/// positions where a form of the key's first characters may end, advanced
/// one character at a time (so an ambiguous `%` or `\` costs no
/// backtracking).
fn form_end(
    text: &[u8],
    at: usize,
    key: &str,
    ends: &mut Vec<usize>,
    next: &mut Vec<usize>,
) -> Option<usize> {
    ends.clear();
    ends.push(at);
    for c in key.chars() {
        next.clear();
        for &start in ends.iter() {
            char_ends(text, start, c, next);
        }
        core::mem::swap(ends, next);
        if ends.is_empty() {
            return None;
        }
    }
    ends.iter().copied().max()
}

/// Adds to `ends` where each form of `c` that starts at `at` ends.
fn char_ends(text: &[u8], at: usize, c: char, ends: &mut Vec<usize>) {
    let mut add = |end: usize| {
        if !ends.contains(&end) {
            ends.push(end);
        }
    };
    let is = |i: usize, b: u8| text.get(i) == Some(&b);
    // Each UTF-8 byte as itself or as `%XX`.
    let mut utf8 = [0; 4];
    let mut end = Some(at);
    for &b in c.encode_utf8(&mut utf8).as_bytes() {
        end = end.and_then(|i| {
            if is(i, b) {
                Some(i + 1)
            } else if is(i, b'%') && hex(text, i + 1, 2) == Some(u32::from(b)) {
                Some(i + 3)
            } else {
                None
            }
        });
    }
    if let Some(end) = end {
        add(end);
    }
    // `%` is the one byte that is also the start of an escape.
    if c == '%' && is(at, b'%') && hex(text, at + 1, 2) == Some(0x25) {
        add(at + 3);
    }
    if c == ' ' && is(at, b'+') {
        add(at + 1);
    }
    // JSON escapes.
    let short = match c {
        '"' | '\\' | '/' => c as u8,
        '\u{8}' => b'b',
        '\u{c}' => b'f',
        '\n' => b'n',
        '\r' => b'r',
        '\t' => b't',
        _ => 0,
    };
    if short != 0 && is(at, b'\\') && is(at + 1, short) {
        add(at + 2);
    }
    let mut units = [0; 2];
    let mut end = Some(at);
    for &unit in c.encode_utf16(&mut units).iter() {
        end = end
            .filter(|&i| is(i, b'\\') && is(i + 1, b'u'))
            .filter(|&i| hex(text, i + 2, 4) == Some(u32::from(unit)))
            .map(|i| i + 6);
    }
    if let Some(end) = end {
        add(end);
    }
}

/// The value of the `len` hex digits (either case) at `at`.
fn hex(text: &[u8], at: usize, len: usize) -> Option<u32> {
    text.get(at..at.checked_add(len)?)?
        .iter()
        .try_fold(0, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
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

    // Redaction must not make problems of its own: the marker is never
    // scanned again, a one-character key goes wherever it is, and what is
    // not the key stays as it was.
    #[test]
    fn the_marker_is_never_redacted_again() {
        assert_eq!(scrub("dad", "d"), "[redacted]a[redacted]");
        assert_eq!(scrub("]]]", "]]"), "[redacted]]");
        assert_eq!(scrub("aaa", "aa"), "[redacted]a");
        assert_eq!(scrub("[redacted]", "redacted"), "[[redacted]]");
        assert_eq!(scrub("no key here", ""), "no key here");
        assert_eq!(scrub("", "k"), "");
        assert_eq!(scrub("ké %zz \\u12", "q"), "ké %zz \\u12");
        // A truncated escape at the end of the text is no form, and no panic.
        assert_eq!(scrub("k%2", "k/"), "k%2");
        assert_eq!(scrub("k\\u00", "ké"), "k\\u00");
    }
}
