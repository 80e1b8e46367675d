//! The texts that cross the boundary: a reader for what `js/inputs.js`
//! writes, and a writer for what JS parses (records, events, requests).
//!
//! Hand-written rather than serde_json: the reader takes only the subset
//! the encoder emits (strings, whole numbers up to 2^53, `true`, `false`,
//! `null`, arrays, objects; nesting of a few levels), and the package's
//! download budget is 20 KB (bench/README.md).

use alloc::string::String;
use alloc::vec::Vec;

/// A value of the encoder's text.
// Compared in the tests only (a derived `eq` would ship in the wasm).
#[derive(Debug)]
#[cfg_attr(test, derive(PartialEq))]
pub enum Value {
    Null,
    /// `true` or `false` (no check reads which).
    Bool,
    /// A whole number from 0 to 2^53.
    Whole(u64),
    Text(String),
    /// An array: a tag (see `js/inputs.js`) or a list the reader knows.
    List(Vec<Value>),
    /// An object's own entries, in order.
    Object(Vec<(String, Value)>),
}

/// Deeper than the encoder ever nests: the reader never recurses far.
const MAX_DEPTH: usize = 8;

/// Reads `text`; `None` when it is not the encoder's JSON.
pub fn read(text: &str) -> Option<Value> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = reader.value(0)?;
    reader.space();
    (reader.at == reader.bytes.len()).then_some(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn word(&mut self, word: &[u8], value: Value) -> Option<Value> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.space();
        match self.peek()? {
            b'"' => self.text().map(Value::Text),
            b'n' => self.word(b"null", Value::Null),
            b't' => self.word(b"true", Value::Bool),
            b'f' => self.word(b"false", Value::Bool),
            b'0'..=b'9' => self.whole(),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Some(Value::List(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    match self.next()? {
                        b',' => {}
                        b']' => return Some(Value::List(items)),
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.at += 1;
                let mut entries = Vec::new();
                self.space();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Some(Value::Object(entries));
                }
                loop {
                    self.space();
                    let key = self.text()?;
                    self.space();
                    if self.next()? != b':' {
                        return None;
                    }
                    entries.push((key, self.value(depth + 1)?));
                    self.space();
                    match self.next()? {
                        b',' => {}
                        b'}' => return Some(Value::Object(entries)),
                        _ => return None,
                    }
                }
            }
            _ => None,
        }
    }

    fn whole(&mut self) -> Option<Value> {
        let start = self.at;
        let mut n: u64 = 0;
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            // At most 16 digits (2^53 has 16): no overflow to check, and
            // no 128-bit multiply in the wasm.
            if self.at - start == 16 {
                return None;
            }
            n = n * 10 + u64::from(digit - b'0');
            self.at += 1;
        }
        (n <= 1 << 53).then_some(Value::Whole(n))
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            n = n * 16 + char::from(self.next()?).to_digit(16)?;
        }
        Some(n)
    }

    fn text(&mut self) -> Option<String> {
        if self.next()? != b'"' {
            return None;
        }
        let mut out = String::new();
        loop {
            // Runs of plain bytes are copied whole (the input is a `&str`:
            // they are UTF-8, and they end before an ASCII `"` or `\`).
            let start = self.at;
            while !matches!(self.peek()?, b'"' | b'\\') {
                self.at += 1;
            }
            out.push_str(core::str::from_utf8(self.bytes.get(start..self.at)?).ok()?);
            if self.next()? == b'"' {
                return Some(out);
            }
            let unit = match self.next()? {
                b'"' => u32::from('"'),
                b'\\' => u32::from('\\'),
                b'/' => u32::from('/'),
                b'b' => 8,
                b'f' => 12,
                b'n' => u32::from('\n'),
                b'r' => u32::from('\r'),
                b't' => u32::from('\t'),
                b'u' => self.hex4()?,
                _ => return None,
            };
            // JSON.stringify writes a surrogate pair as itself, never
            // escaped: an escaped half is a lone one, U+FFFD as the host's
            // TextEncoder would make it.
            out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
        }
    }
}

/// A JSON writer for the records and events JS parses.
#[derive(Debug, Default)]
pub struct Writer(pub String);

impl Writer {
    /// `"text"`, escaped. Runs that need no escape are copied whole: most
    /// texts (URLs, names) have none.
    pub fn text(&mut self, text: &str) {
        let out = &mut self.0;
        out.push('"');
        let mut copied = 0;
        for (at, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1f => "",
                _ => continue,
            };
            // `at` is an ASCII byte's: a character boundary.
            out.push_str(text.get(copied..at).unwrap_or_default());
            copied = at + 1;
            if escape.is_empty() {
                out.push_str("\\u00");
                for shift in [4, 0] {
                    out.push(char::from_digit(u32::from(byte >> shift) & 0xF, 16).unwrap_or('0'));
                }
            } else {
                out.push_str(escape);
            }
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        out.push('"');
    }

    /// A whole number (f64: what JS reads; up to 2^53 exactly).
    pub fn number(&mut self, n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = n;
        loop {
            at -= 1;
            if let Some(slot) = digits.get_mut(at) {
                *slot = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || at == 0 {
                break;
            }
        }
        for &digit in digits.get(at..).unwrap_or_default() {
            self.0.push(char::from(digit));
        }
    }

    /// `,"name":` (or without the comma first in an object).
    pub fn key(&mut self, name: &str) {
        if !self.0.ends_with('{') {
            self.0.push(',');
        }
        self.text(name);
        self.0.push(':');
    }

    /// `"name":"value"` when `value` is given.
    pub fn field_text(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.key(name);
            self.text(value);
        }
    }

    /// `"name":n` when `n` is given.
    pub fn field_number(&mut self, name: &str, n: Option<u64>) {
        if let Some(n) = n {
            self.key(name);
            self.number(n);
        }
    }

    /// `"name":true|false`.
    pub fn field_bool(&mut self, name: &str, value: bool) {
        self.key(name);
        self.0.push_str(if value { "true" } else { "false" });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn reads_what_the_encoder_writes() {
        // As JSON.stringify writes it: non-ASCII raw, controls escaped.
        let value = read("[\"getAccount\",[\"a\\\"b\\u00e9😀\\n\"],{\"k\":[\"Date\",null]},{}]");
        assert_eq!(
            value,
            Some(Value::List(vec![
                Value::Text("getAccount".into()),
                Value::List(vec![Value::Text("a\"bé😀\n".into())]),
                Value::Object(vec![(
                    "k".into(),
                    Value::List(vec![Value::Text("Date".into()), Value::Null])
                )]),
                Value::Object(vec![]),
            ]))
        );
        assert_eq!(read("9007199254740992"), Some(Value::Whole(1 << 53)));
        assert_eq!(read("9007199254740993"), None);
        assert_eq!(read("99999999999999999999"), None);
        assert_eq!(read(r#""\ud800x""#), Some(Value::Text("\u{FFFD}x".into())));
        // An escaped pair is two lone halves: JSON.stringify never writes one.
        assert_eq!(
            read(r#""\ud83d\ude00""#),
            Some(Value::Text("\u{FFFD}\u{FFFD}".into()))
        );
        assert_eq!(read("[[[[[[[[[[1]]]]]]]]]]"), None);
        assert_eq!(read("[1,]"), None);
        assert_eq!(read("-1"), None);
    }

    #[test]
    fn writes_json_that_escapes_controls() {
        let mut w = Writer(String::from("{"));
        w.field_text("m", Some("a\"\\\n\u{1}é"));
        w.field_number("n", Some(1 << 53));
        w.field_bool("b", false);
        w.0.push('}');
        assert_eq!(
            w.0,
            "{\"m\":\"a\\\"\\\\\\n\\u0001é\",\"n\":9007199254740992,\"b\":false}"
        );
    }

    #[test]
    fn reads_back_every_text_it_writes() {
        let mut texts: Vec<String> = (0u8..0x20)
            .map(|b| alloc::format!("é{}x", char::from(b)))
            .collect();
        texts.extend(
            [
                "",
                "\"",
                "\\\\",
                "plain",
                "\u{1f}end",
                "start\u{7f}",
                "😀\t😀\r\n",
                "a\"b\\c/é",
            ]
            .map(String::from),
        );
        for text in texts {
            let mut w = Writer::default();
            w.text(&text);
            assert_eq!(
                read(&w.0),
                Some(Value::Text(text.clone())),
                "{:?} written as {:?}",
                text,
                w.0
            );
        }
    }
}
