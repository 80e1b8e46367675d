//! The one JSON check (RFC 8259, strict) of both faces: a response body is
//! fed through it, in chunks as it streams, before anything parses or reads
//! it; an `extra_params` input is checked by it before it is sent.
//!
//! A byte-at-a-time state machine with an explicit stack of open containers
//! (one byte each), so that no nesting, however deep, recurses on the
//! host's stack; past [`MAX_DEPTH`] the text is refused. Bytes are checked
//! as UTF-8 (no overlong forms, no surrogates), so a chunk may end inside
//! a character, a string, a number or a literal: the state carries over.
//! `__proto__` is a key like any other: JSON.parse makes it an own member,
//! never the prototype, and the faces read members by their documented
//! names only.

use alloc::vec::Vec;

/// Deepest nesting of arrays and objects accepted: the documented
/// responses nest three levels; serde_json stops at 128 too.
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

/// A streaming checker: [`Checker::feed`] each chunk in order, then
/// [`Checker::finish`]. After a problem, it keeps answering that problem.
#[derive(Debug)]
pub struct Checker {
    state: State,
    /// The open containers, innermost last: `true` for an object.
    open: Vec<bool>,
    /// Whether the top-level value is complete.
    done: bool,
    /// Continuation bytes of a UTF-8 character still to come, and the
    /// range the next one must fall in (narrower after E0, ED, F0, F4).
    utf8_left: u8,
    utf8_range: (u8, u8),
    /// Bytes seen so far.
    at: u64,
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
            open: Vec::new(),
            done: false,
            utf8_left: 0,
            utf8_range: (0x80, 0xBF),
            at: 0,
            problem: None,
        }
    }

    /// Checks the next chunk of the text.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Malformed> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        for &b in chunk {
            if let Err(problem) = self.byte(b) {
                self.problem = Some(problem);
                return Err(problem);
            }
            self.at += 1;
        }
        Ok(())
    }

    /// After the last chunk: whether the whole text was one JSON value.
    pub fn finish(&mut self) -> Result<(), Malformed> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        // A number ends with the text.
        if let State::Number(num) = self.state {
            if !num.complete() {
                return Err(Malformed::Syntax(self.at));
            }
            self.end_value();
        }
        if self.done && self.utf8_left == 0 {
            Ok(())
        } else {
            Err(Malformed::Syntax(self.at))
        }
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
    fn end_value(&mut self) {
        if self.open.is_empty() {
            self.done = true;
        }
        self.state = State::AfterValue;
    }

    fn open(&mut self, object: bool) -> Result<(), Malformed> {
        if self.open.len() >= MAX_DEPTH {
            return Err(Malformed::TooDeep(self.at));
        }
        self.open.push(object);
        self.state = if object {
            State::KeyOrClose
        } else {
            State::ValueOrClose
        };
        Ok(())
    }

    fn close(&mut self, object: bool) -> Result<(), Malformed> {
        match self.open.pop() {
            Some(was) if was == object => {
                self.end_value();
                Ok(())
            }
            _ => Err(self.syntax()),
        }
    }

    /// A value starting with `b`.
    fn start_value(&mut self, b: u8) -> Result<(), Malformed> {
        self.state = match b {
            b'{' => return self.open(true),
            b'[' => return self.open(false),
            b'"' => State::Str { key: false },
            b't' => State::Literal(b"rue"),
            b'f' => State::Literal(b"alse"),
            b'n' => State::Literal(b"ull"),
            b'-' => State::Number(Num::Minus),
            b'0' => State::Number(Num::Zero),
            b'1'..=b'9' => State::Number(Num::Int),
            _ => return Err(self.syntax()),
        };
        Ok(())
    }

    /// A byte inside a string: UTF-8 checked, controls refused.
    fn string_byte(&mut self, b: u8, key: bool) -> Result<(), Malformed> {
        if self.utf8_left > 0 {
            let (low, high) = self.utf8_range;
            if b < low || b > high {
                return Err(Malformed::Utf8(self.at));
            }
            self.utf8_left -= 1;
            self.utf8_range = (0x80, 0xBF);
            return Ok(());
        }
        match b {
            b'"' if key => self.state = State::Colon,
            b'"' => self.end_value(),
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
        Ok(())
    }

    fn byte(&mut self, b: u8) -> Result<(), Malformed> {
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        match self.state {
            State::Str { key } => self.string_byte(b, key),
            State::Escape { key } => {
                self.state = match b {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => State::Str { key },
                    b'u' => State::Unicode { key, left: 4 },
                    _ => return Err(self.syntax()),
                };
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
                Ok(())
            }
            State::Literal(rest) => match rest.split_first() {
                Some((&want, tail)) if want == b => {
                    if tail.is_empty() {
                        self.end_value();
                    } else {
                        self.state = State::Literal(tail);
                    }
                    Ok(())
                }
                _ => Err(self.syntax()),
            },
            State::Number(num) => match num.next(b) {
                Some(next) => {
                    self.state = State::Number(next);
                    Ok(())
                }
                // The byte after a number belongs to what follows it.
                None if num.complete() => {
                    self.end_value();
                    self.byte(b)
                }
                None => Err(self.syntax()),
            },
            _ if space => Ok(()),
            State::Value => self.start_value(b),
            State::ValueOrClose if b == b']' => self.close(false),
            State::ValueOrClose => self.start_value(b),
            State::KeyOrClose if b == b'}' => self.close(true),
            State::KeyOrClose | State::Key if b == b'"' => {
                self.state = State::Str { key: true };
                Ok(())
            }
            State::KeyOrClose | State::Key => Err(self.syntax()),
            State::Colon if b == b':' => {
                self.state = State::Value;
                Ok(())
            }
            State::Colon => Err(self.syntax()),
            State::AfterValue => match (self.open.last(), b) {
                (Some(false), b',') => {
                    self.state = State::Value;
                    Ok(())
                }
                (Some(true), b',') => {
                    self.state = State::Key;
                    Ok(())
                }
                (Some(false), b']') => self.close(false),
                (Some(true), b'}') => self.close(true),
                _ => Err(self.syntax()),
            },
        }
    }
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
    fn chunks_may_split_anything() {
        let text = "{\"price\": -12.50e+2, \"n\": \"é😀\\u00e9\", \"b\": [true, null]}";
        for cut in 0..=text.len() {
            let (a, b) = text.as_bytes().split_at(cut);
            let mut checker = Checker::new();
            assert_eq!(checker.feed(a), Ok(()));
            assert_eq!(checker.feed(b), Ok(()));
            assert_eq!(checker.finish(), Ok(()), "cut at {cut}");
        }
        // A number at the very end is complete only with the text.
        let mut checker = Checker::new();
        assert_eq!(checker.feed(b"12"), Ok(()));
        assert_eq!(checker.feed(b"3"), Ok(()));
        assert_eq!(checker.finish(), Ok(()));
    }
}
