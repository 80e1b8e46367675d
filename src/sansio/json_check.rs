//! The one JSON check (RFC 8259, strict) of both faces: a response body is
//! fed through it, in chunks as it streams, before anything parses or reads
//! it; an `extra_params` input is checked by it before it is sent.
//!
//! A byte-at-a-time state machine with an explicit stack of open containers
//! (one bit each, in a `u128`: no allocation), so that no nesting, however
//! deep, recurses on the host's stack; past [`MAX_DEPTH`] the text is
//! refused. Bytes are checked
//! as UTF-8 (no overlong forms, no surrogates), so a chunk may end inside
//! a character, a string, a number or a literal: the state carries over.
//! `__proto__` is a key like any other: JSON.parse makes it an own member,
//! never the prototype, and the faces read members by their documented
//! names only.

/// Deepest nesting of arrays and objects accepted: the documented
/// responses nest three levels; serde_json stops at 128 too (and it is the
/// width of the stack's bits).
pub const MAX_DEPTH: usize = 128;

/// Why a text is not accepted, and at which byte (from 0) that was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// Not JSON (RFC 8259) at this byte, or the text ended early.
    Syntax(u64),
    /// Arrays and objects open more than [`MAX_DEPTH`] deep at this byte.
    TooDeep(u64),
    /// Not UTF-8 at this byte.
    Utf8(u64),
}

impl Malformed {
    /// The words of a `decode` error's message.
    pub fn message(&self) -> &'static str {
        match self {
            Malformed::Syntax(_) => "the body is not JSON",
            Malformed::TooDeep(_) => {
                "the body is not JSON the API sends: it nests more than 128 levels deep"
            }
            Malformed::Utf8(_) => "the body is not JSON: it is not UTF-8",
        }
    }
}

/// Where in the grammar the next byte falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// A value must start (after `:` or `,` in an array, or at the top).
    Value,
    /// Just after `[`: a value or `]`.
    ValueOrClose,
    /// Just after `{`: a key or `}`.
    KeyOrClose,
    /// After `,` in an object: a key.
    Key,
    /// After a key: `:`.
    Colon,
    /// After a value: `,`, the container's close, or (at the top) the end.
    AfterValue,
    /// Inside a string (`key` when it is an object's key).
    Str { key: bool },
    /// After a backslash in a string.
    Escape { key: bool },
    /// In `\uXXXX`: this many hex digits still to come.
    Unicode { key: bool, left: u8 },
    /// Inside a number, at this point of its grammar.
    Number(Num),
    /// Inside `true`, `false` or `null`: the rest of the word.
    Literal(&'static [u8]),
}

/// The parts of a number (`-`, int, `.`, frac, `e`, sign, exp).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Num {
    /// After `-`: a digit must follow.
    Minus,
    /// After a leading `0`: no more int digits.
    Zero,
    /// In the int digits (first was 1-9).
    Int,
    /// After `.`: a digit must follow.
    Dot,
    /// In the fraction digits.
    Frac,
    /// After `e`/`E`: a sign or a digit.
    Exp,
    /// After the exponent's sign: a digit.
    ExpSign,
    /// In the exponent digits.
    ExpDigits,
}

impl Num {
    /// Whether a number may end here.
    fn complete(self) -> bool {
        matches!(self, Num::Zero | Num::Int | Num::Frac | Num::ExpDigits)
    }

    /// The state after `b`, or `None` when `b` does not continue the number.
    fn next(self, b: u8) -> Option<Num> {
        let digit = b.is_ascii_digit();
        Some(match (self, b) {
            (Num::Minus, b'0') => Num::Zero,
            (Num::Minus, _) if digit => Num::Int,
            (Num::Int, _) if digit => Num::Int,
            (Num::Zero | Num::Int, b'.') => Num::Dot,
            (Num::Dot | Num::Frac, _) if digit => Num::Frac,
            (Num::Zero | Num::Int | Num::Frac, b'e' | b'E') => Num::Exp,
            (Num::Exp, b'+' | b'-') => Num::ExpSign,
            (Num::Exp | Num::ExpSign | Num::ExpDigits, _) if digit => Num::ExpDigits,
            _ => return None,
        })
    }
}

/// What a reader on top of the checker sees of the text, as it streams:
/// the tokens, in order, each byte given once. The checker calls a sink
/// only for text that is JSON so far; after a problem it calls it no more.
/// Offsets count bytes from the start of the text.
pub trait Sink {
    /// A value of `kind` starts at byte `at` (a container's bracket, a
    /// string's opening quote, a number's first byte, a literal's first letter).
    fn begin(&mut self, kind: crate::sansio::document::Kind, at: u64);
    /// The innermost value begun and not ended ends just before byte `at`.
    fn end(&mut self, at: u64);
    /// An object's key starts (its bytes come through [`Sink::text`]).
    fn key_begin(&mut self);
    /// The key ends.
    fn key_end(&mut self);
    /// A whole key of plain ASCII, read in one run: in place of
    /// [`Sink::key_begin`], its bytes and [`Sink::key_end`].
    fn key(&mut self, whole: &[u8]) {
        self.key_begin();
        self.text_run(whole);
        self.key_end();
    }
    /// A byte of a key, of a string value (between the quotes, escapes as
    /// written) or of a number.
    fn text(&mut self, b: u8);
    /// Bytes of a key, a string value or a number, in a run ([`Sink::text`]
    /// of each, by default): plain ASCII, or digits.
    fn text_run(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.text(b);
        }
    }
    /// Whether [`Sink::text`] wants the bytes of the string value being
    /// read (when not, the checker may pass runs of them at once).
    fn wants_text(&self) -> bool {
        true
    }
    /// Asked as a string value starts: `true` when the sink needs nothing
    /// of it. It is then told nothing of that string (no
    /// [`Sink::begin`], [`Sink::text`] or [`Sink::end`]): most of a body's
    /// strings pass with no call at all.
    fn quiet(&mut self) -> bool {
        false
    }
}

/// The sink that wants nothing: the plain check.
impl Sink for () {
    fn begin(&mut self, _: crate::sansio::document::Kind, _: u64) {}
    fn end(&mut self, _: u64) {}
    fn key_begin(&mut self) {}
    fn key_end(&mut self) {}
    fn text(&mut self, _: u8) {}
    fn text_run(&mut self, _: &[u8]) {}
    fn wants_text(&self) -> bool {
        false
    }
    fn quiet(&mut self) -> bool {
        true
    }
}

/// A streaming checker: [`Checker::feed`] each chunk in order, then
/// [`Checker::finish`]. After a problem, it keeps answering that problem.
#[derive(Debug)]
pub struct Checker {
    state: State,
    /// The open containers, innermost in the lowest bit: 1 for an object.
    open: u128,
    /// How many are open.
    depth: usize,
    /// Whether the top-level value is complete.
    done: bool,
    /// Continuation bytes of a UTF-8 character still to come, and the
    /// range the next one must fall in (narrower after E0, ED, F0, F4).
    utf8_left: u8,
    utf8_range: (u8, u8),
    /// Bytes seen so far.
    at: u64,
    /// A key's opening quote was read, and nothing of the key told yet.
    key_pending: bool,
    /// The string value being read is one the sink is told nothing of.
    quiet: bool,
    /// A byte outside ASCII was seen (in a string: JSON has them nowhere else).
    wide: bool,
    problem: Option<Malformed>,
}

impl Default for Checker {
    fn default() -> Self {
        Self::new()
    }
}

impl Checker {
    /// A checker at the start of a text.
    pub fn new() -> Self {
        Checker {
            state: State::Value,
            open: 0,
            depth: 0,
            done: false,
            utf8_left: 0,
            utf8_range: (0x80, 0xBF),
            at: 0,
            key_pending: false,
            quiet: false,
            wide: false,
            problem: None,
        }
    }

    /// Checks the next chunk of the text.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Malformed> {
        self.feed_to(chunk, &mut ())
    }

    /// Checks the next chunk of the text, telling `sink` its tokens.
    ///
    /// Runs of plain string bytes, of digits and of whitespace (most of a
    /// body) are passed in tight loops over the slice; only the bytes
    /// between them go through the state machine one at a time.
    pub fn feed_to<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) -> Result<(), Malformed> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            let run = match self.state {
                State::Str { key } if self.utf8_left == 0 => {
                    let run = plain_run(rest);
                    let bytes = rest.get(..run).unwrap_or_default();
                    // A key told whole when it is one run (the usual key).
                    let whole = key && core::mem::take(&mut self.key_pending);
                    if whole && matches!(rest.get(run), Some(b'"')) {
                        sink.key(bytes);
                    } else {
                        if whole {
                            sink.key_begin();
                        }
                        if key || (!self.quiet && sink.wants_text()) {
                            sink.text_run(bytes);
                        }
                    }
                    rest = rest.get(run..).unwrap_or_default();
                    self.at += run as u64;
                    // The usual end of a run, the closing quote, is stepped here.
                    if let Some((b'"', tail)) = rest.split_first() {
                        rest = tail;
                        if whole {
                            self.state = State::Colon;
                        } else {
                            self.close_string(key, sink);
                        }
                        self.at += 1;
                        // What compact JSON puts between the strings of an
                        // object's members: `:"` after a key, `,"` after a
                        // value; taken in one step, not three.
                        if let Some((&[sep, b'"'], tail)) = rest.split_first_chunk::<2>() {
                            if key && sep == b':' {
                                self.at += 1;
                                self.begin_string(sink);
                            } else if !key && sep == b',' && matches!(self.innermost(), Some(true))
                            {
                                self.key_pending = true;
                                self.state = State::Str { key: true };
                                self.at += 1;
                            } else {
                                continue;
                            }
                            rest = tail;
                            self.at += 1;
                        }
                        continue;
                    }
                    if run > 0 {
                        continue;
                    }
                    // An escape, a control or a non-ASCII byte: stepped below.
                    0
                }
                State::Number(Num::Int | Num::Frac | Num::ExpDigits) => {
                    let run = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                    sink.text_run(rest.get(..run).unwrap_or_default());
                    run
                }
                State::Value
                | State::ValueOrClose
                | State::KeyOrClose
                | State::Key
                | State::Colon
                | State::AfterValue => rest
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                    .count(),
                _ => 0,
            };
            if run > 0 {
                rest = rest.get(run..).unwrap_or_default();
                self.at += run as u64;
            }
            // The byte that ended the run (or no run) takes a step.
            let Some((&b, tail)) = rest.split_first() else {
                break;
            };
            rest = tail;
            if let Err(problem) = self.byte(b, sink) {
                self.problem = Some(problem);
                return Err(problem);
            }
            self.at += 1;
        }
        Ok(())
    }

    /// The closing quote of a key or of a string value.
    #[inline(always)]
    fn close_string<S: Sink>(&mut self, key: bool, sink: &mut S) {
        if key {
            self.state = State::Colon;
            sink.key_end();
        } else {
            if !core::mem::take(&mut self.quiet) {
                sink.end(self.at + 1);
            }
            self.end_value();
        }
    }

    /// A byte of a string or key told to the sink, unless the string is quiet.
    #[inline(always)]
    fn tell<S: Sink>(&self, b: u8, sink: &mut S) {
        if !self.quiet {
            sink.text(b);
        }
    }

    /// A string value's opening quote, at `self.at`.
    #[inline(always)]
    fn begin_string<S: Sink>(&mut self, sink: &mut S) {
        self.quiet = sink.quiet();
        if !self.quiet {
            sink.begin(crate::sansio::document::Kind::Text, self.at);
        }
        self.state = State::Str { key: false };
    }

    /// After the last chunk: whether the whole text was one JSON value.
    pub fn finish(&mut self) -> Result<(), Malformed> {
        self.finish_to(&mut ())
    }

    /// [`Checker::finish`], telling `sink` the end of a number that ends the text.
    pub fn finish_to<S: Sink>(&mut self, sink: &mut S) -> Result<(), Malformed> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        // A number ends with the text.
        if let State::Number(num) = self.state {
            if !num.complete() {
                let problem = Malformed::Syntax(self.at);
                self.problem = Some(problem);
                return Err(problem);
            }
            sink.end(self.at);
            self.end_value();
        }
        if self.done && self.utf8_left == 0 {
            Ok(())
        } else {
            Err(Malformed::Syntax(self.at))
        }
    }

    /// Whether every byte so far was ASCII: then the text reads the same
    /// as Latin-1 as it does as UTF-8 (a host may have a faster reader).
    pub fn ascii(&self) -> bool {
        !self.wide
    }

    /// Whether `text` is one JSON value.
    pub fn check(text: &[u8]) -> Result<(), Malformed> {
        let mut checker = Checker::new();
        checker.feed(text)?;
        checker.finish()
    }

    fn syntax(&self) -> Malformed {
        Malformed::Syntax(self.at)
    }

    /// A value just ended: what may follow depends on the container.
    #[inline(always)]
    fn end_value(&mut self) {
        if self.depth == 0 {
            self.done = true;
        }
        self.state = State::AfterValue;
    }

    fn open<S: Sink>(&mut self, object: bool, sink: &mut S) -> Result<(), Malformed> {
        if self.depth >= MAX_DEPTH {
            return Err(Malformed::TooDeep(self.at));
        }
        let kind = if object {
            crate::sansio::document::Kind::Object
        } else {
            crate::sansio::document::Kind::List
        };
        sink.begin(kind, self.at);
        self.open = (self.open << 1) | u128::from(object);
        self.depth += 1;
        self.state = if object {
            State::KeyOrClose
        } else {
            State::ValueOrClose
        };
        Ok(())
    }

    fn close<S: Sink>(&mut self, object: bool, sink: &mut S) -> Result<(), Malformed> {
        match self.innermost() {
            Some(was) if was == object => {
                sink.end(self.at + 1);
                self.open >>= 1;
                self.depth -= 1;
                self.end_value();
                Ok(())
            }
            _ => Err(self.syntax()),
        }
    }

    /// Whether the innermost open container is an object; `None` at the top.
    #[inline(always)]
    fn innermost(&self) -> Option<bool> {
        (self.depth > 0).then_some(self.open & 1 == 1)
    }

    /// A value starting with `b`.
    fn start_value<S: Sink>(&mut self, b: u8, sink: &mut S) -> Result<(), Malformed> {
        use crate::sansio::document::Kind;
        let (state, kind) = match b {
            b'{' => return self.open(true, sink),
            b'[' => return self.open(false, sink),
            b'"' => {
                self.begin_string(sink);
                return Ok(());
            }
            b't' => (State::Literal(b"rue"), Kind::Bool),
            b'f' => (State::Literal(b"alse"), Kind::Bool),
            b'n' => (State::Literal(b"ull"), Kind::Null),
            b'-' => (State::Number(Num::Minus), Kind::Number),
            b'0' => (State::Number(Num::Zero), Kind::Number),
            b'1'..=b'9' => (State::Number(Num::Int), Kind::Number),
            _ => return Err(self.syntax()),
        };
        sink.begin(kind, self.at);
        if kind == Kind::Number {
            sink.text(b);
        }
        self.state = state;
        Ok(())
    }

    /// A byte inside a string: UTF-8 checked, controls refused.
    #[inline(always)]
    fn string_byte<S: Sink>(&mut self, b: u8, key: bool, sink: &mut S) -> Result<(), Malformed> {
        if self.utf8_left > 0 {
            let (low, high) = self.utf8_range;
            if b < low || b > high {
                return Err(Malformed::Utf8(self.at));
            }
            self.utf8_left -= 1;
            self.utf8_range = (0x80, 0xBF);
            self.tell(b, sink);
            return Ok(());
        }
        self.wide |= b >= 0x80;
        match b {
            b'"' => {
                self.close_string(key, sink);
                return Ok(());
            }
            b'\\' => self.state = State::Escape { key },
            0x00..=0x1F => return Err(self.syntax()),
            0x20..=0x7F => {}
            0xC2..=0xDF => self.utf8_left = 1,
            0xE0 => (self.utf8_left, self.utf8_range) = (2, (0xA0, 0xBF)),
            0xED => (self.utf8_left, self.utf8_range) = (2, (0x80, 0x9F)),
            0xE1..=0xEF => self.utf8_left = 2,
            0xF0 => (self.utf8_left, self.utf8_range) = (3, (0x90, 0xBF)),
            0xF4 => (self.utf8_left, self.utf8_range) = (3, (0x80, 0x8F)),
            0xF1..=0xF3 => self.utf8_left = 3,
            _ => return Err(Malformed::Utf8(self.at)),
        }
        sink.text(b);
        Ok(())
    }

    /// One step of the state machine (inlined in [`Checker::feed_to`]'s
    /// loop: at `opt-level = "z"` a call a byte costs more than the step).
    #[inline(always)]
    fn byte<S: Sink>(&mut self, b: u8, sink: &mut S) -> Result<(), Malformed> {
        if let State::Number(num) = self.state {
            match num.next(b) {
                Some(next) => {
                    self.state = State::Number(next);
                    sink.text(b);
                    return Ok(());
                }
                // The byte after a number belongs to what follows it.
                None if num.complete() => {
                    sink.end(self.at);
                    self.end_value();
                }
                None => return Err(self.syntax()),
            }
        }
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        match self.state {
            State::Str { key } => self.string_byte(b, key, sink),
            State::Escape { key } => {
                self.state = match b {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => State::Str { key },
                    b'u' => State::Unicode { key, left: 4 },
                    _ => return Err(self.syntax()),
                };
                self.tell(b, sink);
                Ok(())
            }
            State::Unicode { key, left } => {
                if !b.is_ascii_hexdigit() {
                    return Err(self.syntax());
                }
                self.state = match left {
                    1 => State::Str { key },
                    _ => State::Unicode {
                        key,
                        left: left - 1,
                    },
                };
                self.tell(b, sink);
                Ok(())
            }
            State::Literal(rest) => match rest.split_first() {
                Some((&want, tail)) if want == b => {
                    if tail.is_empty() {
                        sink.end(self.at + 1);
                        self.end_value();
                    } else {
                        self.state = State::Literal(tail);
                    }
                    Ok(())
                }
                _ => Err(self.syntax()),
            },
            // Ended above.
            State::Number(_) => Err(self.syntax()),
            _ if space => Ok(()),
            State::Value => self.start_value(b, sink),
            State::ValueOrClose if b == b']' => self.close(false, sink),
            State::ValueOrClose => self.start_value(b, sink),
            State::KeyOrClose if b == b'}' => self.close(true, sink),
            State::KeyOrClose | State::Key if b == b'"' => {
                self.state = State::Str { key: true };
                self.key_pending = true;
                Ok(())
            }
            State::KeyOrClose | State::Key => Err(self.syntax()),
            State::Colon if b == b':' => {
                self.state = State::Value;
                Ok(())
            }
            State::Colon => Err(self.syntax()),
            State::AfterValue => match (self.innermost(), b) {
                (Some(false), b',') => {
                    self.state = State::Value;
                    Ok(())
                }
                (Some(true), b',') => {
                    self.state = State::Key;
                    Ok(())
                }
                (Some(false), b']') => self.close(false, sink),
                (Some(true), b'}') => self.close(true, sink),
                _ => Err(self.syntax()),
            },
        }
    }
}

/// How many bytes `bytes` starts with that a string holds as they are:
/// ASCII, no control, no `"` and no `\`. Eight at a time in a `u64`
/// (no `simd128`: the wasm must also run as JS through wasm2js).
fn plain_run(bytes: &[u8]) -> usize {
    let mut run = 0;
    let mut rest = bytes;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        let marks = plain_marks(u64::from_le_bytes(*word));
        if marks != 0 {
            return run + (marks.trailing_zeros() / 8) as usize;
        }
        run += 8;
        rest = tail;
    }
    run + rest
        .iter()
        .take_while(|&&b| matches!(b, 0x20..=0x7F) && b != b'"' && b != b'\\')
        .count()
}

/// Eight bytes (the first in the low bits): a byte's high bit is set when
/// it is below 0x20, `"` or `\`, or not ASCII. Borrows may mark bytes
/// after the first such one: only the lowest mark counts.
#[inline(always)]
fn plain_marks(x: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    let control = x.wrapping_sub(ONES * 0x20);
    let quote = (x ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
    let backslash = (x ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    (((control | quote | backslash) & !x) | x) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn ok(text: &str) -> bool {
        Checker::check(text.as_bytes()).is_ok()
    }

    #[test]
    fn accepts_json() {
        for text in [
            "0",
            "-0.5e+10",
            " {\"a\" : [1, true, false, null, \"x\\u00e9\\n\"]} ",
            "[]",
            "{}",
            "\"é😀\"",
            "{\"__proto__\": {\"polluted\": 1}}",
            "[[[[1]]]]",
            "{\"a\":\"b\",\"c\":\"d\"}",
            "[\"a\",\"b\"]",
            "{\"a\":[\"b\",\"c\"],\"d\":{\"e\":\"f\"}}",
        ] {
            assert!(ok(text), "{text}");
        }
    }

    #[test]
    fn refuses_what_json_parse_refuses() {
        for text in [
            "",
            " ",
            "1.2.3",
            "{\"price\": 1.2.3}",
            "01",
            "1.",
            "-",
            ".5",
            "1e",
            "+1",
            "NaN",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "'x'",
            "\"\t\"",
            "\"\\x\"",
            "\"\\u12\"",
            "tru",
            "[1] [2]",
            "[1}",
            "{\"a\"]",
            "\u{feff}{}",
            "[",
            "\"open",
            "{\"a\",\"b\"}",
            "{\"a\",\"b\":\"c\"}",
            "{\"a\":\"b\":\"c\"}",
            "{\"a\":\"b\",\"c\"}",
            "[\"a\":\"b\"]",
            "\"a\",\"b\"",
        ] {
            assert!(!ok(text), "{text:?}");
        }
    }

    #[test]
    fn refuses_invalid_utf8() {
        for bytes in [
            &b"\"\xff\""[..],
            b"\"\xc0\x80\"",
            b"\"\xed\xa0\x80\"",
            b"\"\xe0\x80\x80\"",
            b"\"\xf4\x90\x80\x80\"",
            b"\"\xc3\"",
            b"\xc3\xa9",
        ] {
            assert!(Checker::check(bytes).is_err(), "{bytes:?}");
        }
        assert_eq!(Checker::check(b"\"\xff\""), Err(Malformed::Utf8(1)));
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let deep = |n: usize| {
            let mut s = String::new();
            s.extend(core::iter::repeat_n('[', n));
            s.extend(core::iter::repeat_n(']', n));
            s
        };
        assert!(ok(&deep(MAX_DEPTH)));
        assert_eq!(
            Checker::check(deep(MAX_DEPTH + 1).as_bytes()),
            Err(Malformed::TooDeep(MAX_DEPTH as u64))
        );
        assert!(matches!(
            Checker::check(deep(1_000_000).as_bytes()),
            Err(Malformed::TooDeep(_))
        ));
    }

    #[test]
    fn plain_runs_stop_at_the_first_byte_a_string_treats_apart() {
        let naive = |bytes: &[u8]| {
            bytes
                .iter()
                .take_while(|&&b| (0x20..0x80).contains(&b) && b != b'"' && b != b'\\')
                .count()
        };
        // Every byte value at every place of a word and across words,
        // after and before plain bytes (and after an earlier stop, whose
        // borrow must not hide it).
        for stop in 0..=255u8 {
            for at in 0..20 {
                let mut text = alloc::vec![b'a'; 24];
                if let Some(slot) = text.get_mut(at) {
                    *slot = stop;
                }
                assert_eq!(plain_run(&text), naive(&text), "{stop:#x} at {at}");
                if let Some(slot) = text.get_mut(at + 1) {
                    *slot = 0x00;
                }
                assert_eq!(
                    plain_run(&text),
                    naive(&text),
                    "{stop:#x} at {at}, then NUL"
                );
            }
        }
    }

    #[test]
    fn chunks_may_split_anything() {
        let text = "{\"price\": -12.50e+2, \"n\": \"é😀\\u00e9\", \"b\": [true, null]}";
        let compact = "{\"a\":\"b\",\"c\":[\"d\",\"e\"],\"f\":\"\"}";
        for whole in [compact, text] {
            for cut in 0..=whole.len() {
                let (a, b) = whole.as_bytes().split_at(cut);
                let mut checker = Checker::new();
                assert_eq!(checker.feed(a), Ok(()));
                assert_eq!(checker.feed(b), Ok(()));
                assert_eq!(checker.finish(), Ok(()), "{whole}, cut at {cut}");
            }
        }
        // A number at the very end is complete only with the text.
        let mut checker = Checker::new();
        assert_eq!(checker.feed(b"12"), Ok(()));
        assert_eq!(checker.feed(b"3"), Ok(()));
        assert_eq!(checker.finish(), Ok(()));
    }
}
