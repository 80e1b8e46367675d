//! Property tests (proptest) over the sans-IO core, the code that the wasm,
//! the npm package's transport and every Rust driver run.
//!
//! Each property runs `FUZZ_CASES` cases (default 1,000, so that `cargo
//! test` stays fast; `make fuzz` sets 100,000) and prints one line
//! `fuzz <name>: <N> cases, 0 failures`; a failure fails the test with the
//! minimal failing input proptest shrank it to. Run them all with
//!
//! ```sh
//! FUZZ_CASES=100000 cargo test --release -p liveagent-reseller --features native \
//!     --test fuzz -- --nocapture --test-threads=1
//! ```
//!
//! The properties, each against a reference where one exists:
//!
//! - `path_segments`: path arguments decode back exactly (`percent-encoding`,
//!   and the WHATWG parser of the `url` crate keeps every segment), or are
//!   `invalid_input` (empty, `.`, `..`); none adds a segment, `?` or `#`.
//! - `query_and_form`: params and key round-trip through `form_urlencoded`.
//! - `datetime`: `is_datetime` agrees with chrono plus the exact shape.
//! - `money`: number values of `price` become their exact source text,
//!   nothing else changes.
//! - `decode`: arbitrary bytes and payloads shaped like each call's
//!   response give a value of the declared type or an error, never a panic.
//! - `retry_policy` and `retry_after` (against `httpdate`): attempts, POST,
//!   backoff bounds, `Retry-After` up to 60 s.
//! - `key_scrubbing`: no form of the key in any error text or printout.
//! - `unknown_params`: the key is named, and the documented one it respells.
//! - `json_text`: `is_json` agrees with serde_json.
//! - `json_stream`: the response checker, fed bytes (some not UTF-8) in
//!   arbitrary chunks, gives the one-chunk answer and serde_json's.
//! - `json_numbers`: quoting where the check notes a money number (the npm
//!   face, by UTF-16 position) gives `quote_numbers`'s text.
//!
//! Three gaps these properties found (keys written with escapes, an int of
//! exactly 2^63, a key cut at the body's 4,096th character) are fixed; the
//! `const` switches that kept them out of the generators (`ESCAPED_MONEY_KEYS`,
//! `TWO_TO_THE_63`, `BODY_CUT_AFTER_SCRUB`) stay on, so they stay fixed.
//!
//! With the `native` feature the core reads responses through its own
//! `Document` impl for `serde_json::Value`; without it (a plain `cargo
//! test`) through a copy of that impl below, so the file builds either way.
//! Native only: the reference implementations are native dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "fuzz/json.rs"]
mod json;
#[path = "fuzz/shape.rs"]
mod shape;

use std::fmt::Debug;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{Datelike, NaiveDateTime, Timelike};
use liveagent_reseller::ops;
use liveagent_reseller::sansio::call::{Body, Call, Clock, Failure, Step};
use liveagent_reseller::sansio::config::{Config, Settings};
use liveagent_reseller::sansio::encode;
use liveagent_reseller::sansio::error::{excerpt, Error, ErrorKind};
use liveagent_reseller::sansio::json_check::{Checker, Malformed, Number};
use liveagent_reseller::sansio::money::quote_numbers;
use liveagent_reseller::sansio::operation::{Method, Operation, ParamKind, Segment};
use liveagent_reseller::sansio::policy;
use liveagent_reseller::sansio::request::{self, Target};
use liveagent_reseller::sansio::secret::{self, ApiKey, REDACTED};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config as RunConfig, TestCaseError, TestRunner};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Harness

/// Cases per property: `FUZZ_CASES`, or 1,000.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().replace(['_', ','], "").parse().ok())
        .unwrap_or(1_000)
}

/// Runs `test` on `cases()` inputs drawn from `strategy`; prints the line
/// `make fuzz` shows, or fails with the minimal failing input.
fn run<S>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    let cases = cases();
    let mut runner = TestRunner::new(RunConfig {
        cases,
        failure_persistence: None,
        ..RunConfig::default()
    });
    match runner.run(&strategy, test) {
        // On a line of its own: libtest has written `test name ... ` (or,
        // with `-q`, a `.`) just before.
        Ok(()) => println!("\nfuzz {name}: {cases} cases, 0 failures"),
        Err(e) => panic!("fuzz {name}: {e}"),
    }
}

/// `Err` as a test failure that names the value.
trait OrFail<T> {
    fn or_fail(self, what: &str) -> Result<T, TestCaseError>;
}

impl<T, E: Debug> OrFail<T> for Result<T, E> {
    fn or_fail(self, what: &str) -> Result<T, TestCaseError> {
        self.map_err(|e| TestCaseError::fail(format!("{what}: {e:?}")))
    }
}

impl<T> OrFail<T> for Option<T> {
    fn or_fail(self, what: &str) -> Result<T, TestCaseError> {
        self.ok_or_else(|| TestCaseError::fail(what.to_string()))
    }
}

/// The JSON document the core reads responses through.
#[cfg(feature = "native")]
mod doc {
    /// The crate's own `Document` impl.
    pub type Doc = serde_json::Value;
    pub fn wrap(v: serde_json::Value) -> Doc {
        v
    }
    pub fn unwrap(d: Doc) -> serde_json::Value {
        d
    }
}

/// The JSON document the core reads responses through: without `native`
/// the crate has no `Document` for `serde_json::Value`, so this is a copy
/// of the one in `src/sansio/document.rs`.
#[cfg(not(feature = "native"))]
mod doc {
    use liveagent_reseller::sansio::document::{parse_int, Document, Kind};
    use serde_json::Value;

    #[derive(Clone, Debug, PartialEq)]
    pub struct Doc(pub Value);
    pub fn wrap(v: Value) -> Doc {
        Doc(v)
    }
    pub fn unwrap(d: Doc) -> Value {
        d.0
    }

    impl Document for Doc {
        type Key = String;
        fn key(name: &str) -> String {
            String::from(name)
        }
        fn get(&self, key: &String) -> Option<Self> {
            self.0.as_object()?.get(key).cloned().map(Doc)
        }
        fn keys(&self) -> Vec<String> {
            self.0
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        }
        fn is_text(&self) -> bool {
            self.0.is_string()
        }
        fn kind(&self) -> Kind {
            match &self.0 {
                Value::Null => Kind::Null,
                Value::Bool(_) => Kind::Bool,
                Value::Number(_) => Kind::Number,
                Value::String(_) => Kind::Text,
                Value::Array(_) => Kind::List,
                Value::Object(_) => Kind::Object,
            }
        }
        fn number(&self) -> Option<f64> {
            self.0.as_f64()
        }
        fn array_len(&self) -> Option<u32> {
            self.0.as_array().and_then(|a| u32::try_from(a.len()).ok())
        }
        fn element(&self, index: u32) -> Option<Self> {
            self.0
                .as_array()?
                .get(usize::try_from(index).ok()?)
                .cloned()
                .map(Doc)
        }
        fn text(&self) -> Option<String> {
            match &self.0 {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            }
        }
        fn int(&self) -> Option<i64> {
            match &self.0 {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => parse_int(s),
                _ => None,
            }
        }
    }
}

use doc::Doc;

/// A response body as a driver holds it. `upfront`: as the Rust face
/// (`TextBody` in src/client.rs), every text field's numbers quoted before
/// the one parse; otherwise as the npm face, money quoted first and the
/// text fields only when the core asks (`requoted`).
struct TextBody<'a> {
    text: &'a str,
    op: &'static Operation,
    upfront: bool,
}

impl TextBody<'_> {
    fn parse(&self, fields: &[&str]) -> Option<Doc> {
        let quoted = quote_numbers(self.text, fields);
        serde_json::from_str::<Value>(quoted.as_deref().unwrap_or(self.text))
            .ok()
            .map(doc::wrap)
    }
}

impl Body for TextBody<'_> {
    type Doc = Doc;
    fn feed(&self, checker: &mut Checker) -> Result<(), Malformed> {
        checker.feed(self.text.as_bytes())
    }
    fn document(&mut self, _: &[Number]) -> Option<Doc> {
        self.parse(if self.upfront {
            self.op.text_fields
        } else {
            self.op.money
        })
    }
    fn requoted(&mut self, fields: &[&str], _: &[Number]) -> Option<Doc> {
        if self.upfront {
            None
        } else {
            self.parse(fields)
        }
    }
    fn start(&self, chars: usize) -> (String, bool) {
        let text: String = self.text.chars().take(chars).collect();
        let whole = text.len() == self.text.len();
        (text, whole)
    }
    fn set_int(&self, _: &Doc, _: &String, _: i64) {
        // serde's `de::int` reads digit strings.
    }
}

/// The step after a response with body `text`.
fn respond(
    call: &mut Call,
    status: u16,
    retry_after: Option<&str>,
    text: &str,
    upfront: bool,
    clock: Clock,
    key: &ApiKey,
) -> Step<Doc> {
    let op = call.op();
    let mut body = TextBody { text, op, upfront };
    call.on_response(status, retry_after, &mut body, clock, key)
}

// ---------------------------------------------------------------------------
// Shared strategies and helpers

const BASE: &str = "http://h.test/api";

/// Characters that break encoders: delimiters, escapes, controls, non-ASCII
/// (2, 3 and 4 UTF-8 bytes), noncharacters, look-alike digits.
const TRICKY: &str = "/?#%.@ +&=;:\\\"'<>[]{}|^`~*!$,()\0\t\n\r\u{7f}\u{80}\u{a0}éüİ€😀\
    \u{FEFF}\u{200B}\u{301}\u{D7FF}\u{E000}\u{FFFD}\u{10FFFF}２٣-_09AZaz";

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        4 => select(TRICKY.chars().collect::<Vec<_>>()),
        2 => proptest::char::range('a', 'z'),
    ]
}

/// Arbitrary Unicode text, heavy on the characters that matter.
fn text(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    vec(tricky_char(), len).prop_map(String::from_iter)
}

fn op() -> impl Strategy<Value = &'static Operation> {
    select(ops::ALL)
}

/// The names of `op`'s path arguments, in path order.
fn arg_names(op: &Operation) -> Vec<&'static str> {
    op.path
        .iter()
        .filter_map(|s| match s {
            Segment::Arg(name) => Some(*name),
            Segment::Literal(_) => None,
        })
        .collect()
}

/// A value `op` accepts for each mandatory parameter (optional ones absent).
fn valid_params(op: &Operation) -> Vec<Option<&'static str>> {
    op.params
        .iter()
        .map(|p| {
            p.required.then_some(match p.kind {
                ParamKind::Text => "x",
                ParamKind::Datetime => "2024-01-31 23:59:59",
                ParamKind::Json => "{}",
                ParamKind::OneOf(codes) => codes[0],
            })
        })
        .collect()
}

/// What API.md refuses as a path argument.
fn is_refused_arg(s: &str) -> bool {
    s.is_empty() || s == "." || s == ".."
}

fn target(key: &str) -> Target<'_> {
    Target {
        base_url: BASE,
        reseller_segment: "r@x.com",
        api_key: key,
    }
}

const CLOCK: Clock = Clock {
    now_ms: 1_700_000_000_000.0,
    random: 0.5,
};

// ---------------------------------------------------------------------------
// path_segments

/// Bytes a path segment may hold as they are: RFC 3986 unreserved and `@`.
fn segment_byte_ok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@' | b'%')
}

#[test]
fn path_segments() {
    let special = select(vec![
        "",
        ".",
        "..",
        "...",
        ". ",
        " .",
        "%2e",
        "%2E%2E",
        ".%2E",
        "%2e.",
        "../a",
        "a/..",
        "/",
        "//",
        "?",
        "#",
        "%",
        "%%",
        "%zz",
        "%2F",
        "@",
        " ",
        "+",
        "\\",
        "..\\a",
        "\u{FF0E}\u{FF0E}",
    ])
    .prop_map(String::from);
    let arg = prop_oneof![1 => special, 6 => text(0..12)];
    let strategy = (op(), arg.clone(), vec(arg, 2));
    run("path_segments", strategy, |(op, reseller, args)| {
        let settings = Settings::new(Config::new(BASE, &reseller, "k"));
        if is_refused_arg(&reseller) {
            let e = settings
                .err()
                .or_fail("a refused reseller id was accepted")?;
            prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
            return Ok(());
        }
        let settings = settings.or_fail("Settings::new")?;
        let names = arg_names(op);
        let args: Vec<&str> = args.iter().take(names.len()).map(String::as_str).collect();
        for (name, arg) in names.iter().zip(&args) {
            let checked = request::check_path_arg(op.name, name, arg);
            prop_assert_eq!(
                checked.is_err(),
                is_refused_arg(arg),
                "check_path_arg({:?})",
                arg
            );
        }
        let built = request::build(op, settings.target(), &args, &valid_params(op));
        if let Some((name, _)) = names.iter().zip(&args).find(|(_, a)| is_refused_arg(a)) {
            let e = built
                .err()
                .or_fail("a refused path argument was accepted")?;
            prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
            prop_assert_eq!(e.operation(), op.name);
            prop_assert!(e.message().contains(name), "{} does not name {}", e, name);
            return Ok(());
        }
        let req = built.or_fail("build")?;
        let url = req.url.as_str();

        // Nothing in an argument adds a fragment or a query.
        prop_assert!(!url.contains('#'), "{}", url);
        let (path, query) = match url.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (url, None),
        };
        prop_assert_eq!(query.is_some(), op.method.uses_query(), "{}", url);

        // Nor a segment: the segments are the template's, each decoding back
        // to its argument exactly.
        let rest = path
            .strip_prefix("http://h.test/api/")
            .or_fail("the URL starts with the base")?;
        let segments: Vec<&str> = rest.split('/').collect();
        let mut want: Vec<&str> = vec!["resellers", &reseller];
        let mut next_arg = args.iter();
        for segment in op.path {
            want.push(match segment {
                Segment::Literal(text) => text,
                Segment::Arg(_) => next_arg.next().or_fail("an argument per Arg")?,
            });
        }
        prop_assert_eq!(segments.len(), want.len(), "{}", url);
        for (segment, want) in segments.iter().zip(&want) {
            let decoded = percent_decode_str(segment).decode_utf8().or_fail("UTF-8")?;
            prop_assert_eq!(&decoded, want, "segment {:?}", segment);
            prop_assert!(segment.bytes().all(segment_byte_ok), "{:?}", segment);
            prop_assert!(*segment != "." && *segment != "..", "{:?}", segment);
        }

        // A WHATWG URL parser (what fetch uses) keeps every segment as is:
        // none is folded away as a dot segment, none is re-encoded.
        let parsed = url::Url::parse(url).or_fail("url::Url::parse")?;
        let parsed_segments: Vec<&str> = parsed.path_segments().or_fail("a path")?.collect();
        let mut expected = vec!["api"];
        expected.extend(&segments);
        prop_assert_eq!(parsed_segments, expected);
        prop_assert_eq!(parsed.fragment(), None);
        prop_assert_eq!(parsed.query(), query);
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// query_and_form

#[derive(Clone, Debug)]
struct ParamSeed {
    present: bool,
    text: String,
    datetime: (u16, u8, u8, u8, u8, u8),
    json: u8,
    code: Index,
}

fn param_seed() -> impl Strategy<Value = ParamSeed> {
    (
        any::<bool>(),
        text(0..16),
        (
            1u16..=9999,
            1u8..=12,
            1u8..=28,
            0u8..=23,
            0u8..=59,
            0u8..=59,
        ),
        0u8..4,
        any::<Index>(),
    )
        .prop_map(|(present, text, datetime, json, code)| ParamSeed {
            present,
            text,
            datetime,
            json,
            code,
        })
}

/// A value `kind` accepts, or `None` for an optional one left out.
fn param_value(required: bool, kind: ParamKind, seed: &ParamSeed) -> Option<String> {
    if !required && !seed.present {
        return None;
    }
    Some(match kind {
        ParamKind::Text if seed.text.is_empty() && required => String::from("x"),
        ParamKind::Text => seed.text.clone(),
        ParamKind::Datetime => {
            let (y, mo, d, h, mi, s) = seed.datetime;
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
        }
        ParamKind::Json => match seed.json {
            0 => String::from("{}"),
            1 => serde_json::to_string(&seed.text).unwrap(),
            2 => json!({ "phone": seed.text }).to_string(),
            _ => String::from(" [1, 2.5e3, null, true] "),
        },
        ParamKind::OneOf(codes) => String::from(*seed.code.get(codes)),
    })
}

#[test]
fn query_and_form() {
    let strategy = (op(), text(1..16), vec(param_seed(), 8), text(0..24));
    run("query_and_form", strategy, |(op, key, seeds, free)| {
        // The encoders alone: the WHATWG form serializer, byte for byte, and
        // a path segment that decodes back.
        let mut form = String::new();
        encode::push_form_value(&mut form, &free);
        let reference: String = form_urlencoded::byte_serialize(free.as_bytes()).collect();
        prop_assert_eq!(&form, &reference);
        let mut segment = String::new();
        encode::push_segment(&mut segment, &free);
        prop_assert_eq!(
            percent_decode_str(&segment)
                .decode_utf8()
                .or_fail("UTF-8")?,
            free.as_str()
        );
        let mut pairs = String::from("/x?");
        encode::push_pair(&mut pairs, &free, &key);
        encode::push_pair(&mut pairs, "b", &free);
        let parsed: Vec<(String, String)> = form_urlencoded::parse(&pairs.as_bytes()[3..])
            .into_owned()
            .collect();
        prop_assert_eq!(
            parsed,
            vec![(free.clone(), key.clone()), ("b".into(), free.clone())]
        );

        // A whole request: the params in order, then the key.
        let values: Vec<Option<String>> = op
            .params
            .iter()
            .zip(&seeds)
            .map(|(p, seed)| param_value(p.required, p.kind, seed))
            .collect();
        let params: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        let args = vec!["a b/é?#%"; arg_names(op).len()];
        let req = request::build(op, target(&key), &args, &params).or_fail("build")?;
        let mut want: Vec<(String, String)> = op
            .params
            .iter()
            .zip(&values)
            .filter_map(|(p, v)| Some((String::from(p.name), v.clone()?)))
            .collect();
        want.push(("apikey".into(), key.clone()));
        let encoded = if op.method.uses_query() {
            prop_assert!(req.body.is_none());
            req.url.split_once('?').or_fail("a query")?.1
        } else {
            prop_assert!(!req.url.contains('?'), "{}", req.url);
            req.body.as_deref().or_fail("a body")?
        };
        let parsed: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes())
            .into_owned()
            .collect();
        prop_assert_eq!(&parsed, &want);
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &want {
            serializer.append_pair(name, value);
        }
        prop_assert_eq!(encoded, serializer.finish());

        // The URL that logs show: the same, with the key's value redacted.
        let shown = req.shown_url();
        if op.method.uses_query() {
            let (head, shown_query) = shown.split_once('?').or_fail("a query")?;
            prop_assert_eq!(head, req.url.split_once('?').or_fail("a query")?.0);
            let parsed: Vec<(String, String)> = form_urlencoded::parse(shown_query.as_bytes())
                .into_owned()
                .collect();
            let mut redacted = want.clone();
            redacted.last_mut().or_fail("the key")?.1 = REDACTED.into();
            prop_assert_eq!(parsed, redacted);
        } else {
            prop_assert_eq!(&shown, &req.url);
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// datetime

/// The reference: chrono's `%Y-%m-%d %H:%M:%S`, plus the exact shape of
/// API.md (chrono alone also takes `+2024-1-1 0:0:0` and other spellings).
///
/// Two deliberate differences from the calendar, both from API.md ("month
/// 01-12, day 01-31, hour 00-23, minute and second 00-59"): day 31 is
/// accepted in every month (`2024-02-31` is the server's to refuse; the
/// check catches typos and formats, not calendars), so chrono is asked
/// about the first of the month and the day is checked against 01-31; and
/// second 60, which chrono reads as a leap second, is refused.
fn reference_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 {
        return false;
    }
    let shape = b.iter().enumerate().all(|(i, &c)| match i {
        4 | 7 => c == b'-',
        10 => c == b' ',
        13 | 16 => c == b':',
        _ => c.is_ascii_digit(),
    });
    if !shape {
        return false;
    }
    // A real calendar moment of years 0001-9999 (API.md; chrono knows
    // which days each month has), no leap second.
    s[..4] != *"0000"
        && match NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
            Ok(t) => t.nanosecond() < 1_000_000_000,
            Err(_) => false,
        }
}

/// A field of the pattern: mostly in range, sometimes any two digits.
fn field(valid: std::ops::RangeInclusive<u32>) -> impl Strategy<Value = u32> {
    prop_oneof![3 => valid, 1 => 0u32..=99]
}

#[derive(Clone, Debug)]
enum Mutation {
    Replace(Index, char),
    Insert(Index, char),
    Delete(Index),
}

fn near_miss_datetime() -> impl Strategy<Value = String> {
    let noise = prop_oneof![
        4 => proptest::char::range('0', '9'),
        2 => select(vec!['-', ':', ' ', 'T', 'Z', '.', '+', '/']),
        1 => select(vec!['２', '٣', '\0', '\u{a0}', 'é']),
    ];
    (
        (0u32..=9999, field(1..=12), field(1..=31)),
        (field(0..=23), field(0..=59), field(0..=59)),
        vec(
            prop_oneof![
                (any::<Index>(), noise.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
                (any::<Index>(), noise).prop_map(|(i, c)| Mutation::Insert(i, c)),
                any::<Index>().prop_map(Mutation::Delete),
            ],
            0..3,
        ),
    )
        .prop_map(|((y, mo, d), (h, mi, s), mutations)| {
            let mut chars: Vec<char> = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                .chars()
                .collect();
            for m in mutations {
                match m {
                    Mutation::Replace(i, c) if !chars.is_empty() => {
                        let i = i.index(chars.len());
                        chars[i] = c;
                    }
                    Mutation::Insert(i, c) => chars.insert(i.index(chars.len() + 1), c),
                    Mutation::Delete(i) if !chars.is_empty() => {
                        chars.remove(i.index(chars.len()));
                    }
                    _ => {}
                }
            }
            chars.into_iter().collect()
        })
}

#[test]
fn datetime() {
    let strategy = prop_oneof![
        2 => text(0..24),
        2 => "[0-9: T-]{15,21}",
        6 => near_miss_datetime(),
    ];
    run("datetime", strategy, |s| {
        prop_assert_eq!(request::is_datetime(&s), reference_datetime(&s), "{:?}", s);
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// money

/// Whether `out` is `input` with only `"` inserted.
fn only_quotes_inserted(input: &str, out: &str) -> bool {
    let mut rest = input.chars().peekable();
    for c in out.chars() {
        if rest.peek() == Some(&c) {
            rest.next();
        } else if c != '"' {
            return false;
        }
    }
    rest.next().is_none()
}

#[test]
fn money() {
    let strategy = (json::tree(), json::ws(), text(0..12), any::<Index>());
    run("money", strategy, |(tree, ws, noise, at)| {
        let mut sent = json::Writer::new(&ws, &[]);
        sent.value(&tree);
        // The same writing with every money number quoted: what must come back.
        let mut want = json::Writer::new(&ws, &["price"]);
        want.value(&tree);
        let out = quote_numbers(&sent.out, &["price"]);
        if want.quoted == 0 {
            prop_assert_eq!(out.as_deref(), None, "{}", sent.out);
        } else {
            prop_assert_eq!(out.as_deref(), Some(want.out.as_str()), "{}", sent.out);
        }
        let got: Value =
            serde_json::from_str(out.as_deref().unwrap_or(&sent.out)).or_fail("JSON")?;
        let expected: Value = serde_json::from_str(&want.out).or_fail("JSON")?;
        prop_assert_eq!(got, expected);

        // Any text at all (here: the document with noise inserted): no panic,
        // and nothing but quotes inserted.
        let mut noisy = sent.out.clone();
        let mut i = at.index(noisy.len() + 1);
        while !noisy.is_char_boundary(i) {
            i -= 1;
        }
        noisy.insert_str(i, &noise);
        for input in [noisy.as_str(), noise.as_str()] {
            if let Some(out) = quote_numbers(input, &["price"]) {
                prop_assert!(
                    only_quotes_inserted(input, &out),
                    "{:?} -> {:?}",
                    input,
                    out
                );
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// decode

fn responses() -> &'static [(&'static Operation, shape::Response)] {
    static RESPONSES: OnceLock<Vec<(&'static Operation, shape::Response)>> = OnceLock::new();
    RESPONSES.get_or_init(|| {
        ops::ALL
            .iter()
            .map(|op| (*op, shape::response_of(op)))
            .collect()
    })
}

#[derive(Clone, Debug)]
enum Sent {
    /// Bytes as they came (decoded to text lossily, as a host does).
    Bytes(Vec<u8>),
    /// A payload shaped like the call's response; `envelope` says how it is
    /// wrapped; `typed`: every documented field has its documented type.
    Shaped {
        payload: Value,
        typed: bool,
        envelope: u8,
    },
}

fn json_soup() -> impl Strategy<Value = Vec<u8>> {
    vec(
        select(vec![
            "{",
            "}",
            "[",
            "]",
            "\"response\"",
            ":",
            ",",
            "\"price\"",
            "1.50",
            "-0",
            "1e999",
            "null",
            "true",
            "\"ERROR\"",
            "\"status\"",
            "\"statuscode\"",
            "\"accounts\"",
            "\"addons\"",
            "\"x\"",
            " ",
            "\\",
            "\"",
            "\u{0}",
            "é",
            "\"\\ud800\"",
        ]),
        0..40,
    )
    .prop_map(|parts| parts.concat().into_bytes())
}

fn decode_case() -> impl Strategy<Value = (usize, u16, bool, Sent)> {
    let status = prop_oneof![
        8 => Just(200u16),
        1 => select(vec![201u16, 204, 299, 300, 400, 404, 429, 500, 503]),
        2 => 100u16..=599,
    ];
    (0..ops::ALL.len(), status, any::<bool>()).prop_flat_map(|(i, status, upfront)| {
        let sent = prop_oneof![
            1 => vec(any::<u8>(), 0..200).prop_map(Sent::Bytes),
            1 => json_soup().prop_map(Sent::Bytes),
            6 => (shape::object(ops::ALL[i].fields), 0u8..8).prop_map(
                |((payload, typed), envelope)| Sent::Shaped { payload, typed, envelope }
            ),
        ];
        (Just(i), Just(status), Just(upfront), sent)
    })
}

#[test]
fn decode() {
    let key = ApiKey::new("k3y/+".into());
    run("decode", decode_case(), |(i, status, upfront, sent)| {
        let (op, response) = &responses()[i];
        let ok = (200..300).contains(&status);
        let (text, typed) = match &sent {
            Sent::Bytes(bytes) => (String::from_utf8_lossy(bytes).into_owned(), false),
            Sent::Shaped {
                payload,
                typed,
                envelope,
            } => {
                let document = match envelope {
                    0..=3 => json!({ "response": payload }),
                    4 => {
                        let mut p = payload.clone();
                        if let Some(map) = p.as_object_mut() {
                            map.insert("status".into(), json!("ERROR"));
                            map.insert("statuscode".into(), json!(42));
                            map.insert("errormessage".into(), json!("no"));
                        }
                        json!({ "response": p })
                    }
                    5 => payload.clone(),
                    6 => json!({ "response": [payload] }),
                    _ => json!({ "response": payload, "status": "OK", "extra": [1, {}] }),
                };
                let not_error = payload.get("status") != Some(&json!("ERROR"));
                (document.to_string(), *typed && *envelope <= 3 && not_error)
            }
        };
        // What a driver does (src/client.rs): step, then decode a payload
        // into the declared type.
        let mut call = Call::new(op, 0);
        call.start_attempt();
        let step = respond(&mut call, status, None, &text, upfront, CLOCK, &key);
        match step {
            Step::Done(payload) => {
                prop_assert!(ok, "Done under {}", status);
                // What the core's check accepts, the declared type takes.
                let payload = doc::unwrap(payload);
                if let Err(message) = (response.decode)(payload.clone()) {
                    return Err(TestCaseError::fail(format!(
                        "{} took a payload that {} refuses: {message}\n{payload}",
                        op.name, response.type_name
                    )));
                }
            }
            Step::Fail(e) => {
                prop_assert!(
                    !(typed && ok),
                    "{} refused a well-typed payload: {}\n{}",
                    op.name,
                    e,
                    text
                );
                match e.kind() {
                    ErrorKind::Api => {}
                    ErrorKind::Decode => prop_assert!(ok, "a decode error under {}", status),
                    other => return Err(TestCaseError::fail(format!("kind {other:?}: {e}"))),
                }
                if !ok {
                    prop_assert_eq!(e.kind(), ErrorKind::Api);
                }
                prop_assert_eq!(e.status(), Some(status));
                if let Some(body) = e.body() {
                    prop_assert!(body.chars().count() <= 4096);
                }
            }
            Step::Retry { .. } => return Err(TestCaseError::fail("a retry with max_retries 0")),
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// retry_policy

#[derive(Clone, Debug)]
enum RetryAfter {
    Seconds(String),
    /// An HTTP date this many seconds from now, in form 0 (IMF-fixdate),
    /// 1 (RFC 850) or 2 (asctime).
    Date(i64, u8),
    Garbage(String),
}

#[derive(Clone, Debug)]
enum Outcome {
    /// `body`: 0 the OK envelope, 1 the error envelope, 2 an HTML page.
    Response {
        status: u16,
        retry_after: Option<RetryAfter>,
        body: u8,
    },
    Network(String),
    Timeout(u32),
    Aborted,
    Deadline,
}

fn retry_after_value() -> impl Strategy<Value = RetryAfter> {
    prop_oneof![
        3 => (0u64..=75).prop_map(|s| RetryAfter::Seconds(s.to_string())),
        1 => select(vec![" 5 ", "\t0", "60", "61", "007", "99999999999999999999999", "-1", "1.5", "1e3", ""])
            .prop_map(|s| RetryAfter::Seconds(s.into())),
        3 => (-30i64..=75, 0u8..3).prop_map(|(s, form)| RetryAfter::Date(s, form)),
        1 => text(0..30).prop_map(RetryAfter::Garbage),
    ]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    let status = prop_oneof![
        3 => select(vec![200u16, 204, 400, 401, 404, 429, 500, 501, 502, 503, 504]),
        1 => 100u16..=599,
    ];
    prop_oneof![
        6 => (status, proptest::option::weighted(0.6, retry_after_value()), 0u8..3).prop_map(
            |(status, retry_after, body)| Outcome::Response { status, retry_after, body }
        ),
        1 => text(0..20).prop_map(Outcome::Network),
        1 => (1u32..=60_000).prop_map(Outcome::Timeout),
        1 => Just(Outcome::Aborted),
        1 => Just(Outcome::Deadline),
    ]
}

/// An HTTP date in one of its three forms.
fn http_date(seconds: i64, form: u8) -> String {
    let seconds = seconds.max(0);
    let at = chrono::DateTime::from_timestamp(seconds, 0).unwrap();
    match form {
        0 => httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(seconds as u64)),
        1 => at.format("%A, %d-%b-%y %H:%M:%S GMT").to_string(),
        _ => at.format("%a %b %e %H:%M:%S %Y").to_string(),
    }
}

fn render_retry_after(value: &RetryAfter, now_ms: f64) -> String {
    match value {
        RetryAfter::Seconds(s) | RetryAfter::Garbage(s) => s.clone(),
        RetryAfter::Date(offset, form) => {
            http_date((now_ms / 1000.0).floor() as i64 + offset, *form)
        }
    }
}

/// A random number as drivers give it, and the edges they should not.
fn random() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => 0.0f64..1.0,
        1 => select(vec![0.0, 0.999_999_999_999, 1.0, -0.5, 7.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
    ]
}

/// The backoff bounds of API.md: `[step/2, step)`, step = min(8000, 250·2^retry).
fn backoff_bounds(retry: u32) -> (u64, u64) {
    let step = if retry >= 6 {
        8_000
    } else {
        (250u64 << retry).min(8_000)
    };
    (step / 2, step)
}

#[test]
fn retry_policy() {
    let strategy = (
        op(),
        prop_oneof![6 => 0u32..=10, 1 => Just(u32::MAX)],
        vec(outcome(), 1..14),
        (0u64..=4_102_444_800_000, random()),
        (any::<u32>(), random()),
    );
    run(
        "retry_policy",
        strategy,
        |(op, max_retries, outcomes, (now, random), (retry, r))| {
            // The backoff alone, for any retry number and any random number.
            let (low, high) = backoff_bounds(retry);
            let delay = u64::from(policy::backoff_ms(retry, r));
            prop_assert!(
                low <= delay && delay < high,
                "backoff_ms({}, {}) = {}",
                retry,
                r,
                delay
            );

            let key = ApiKey::new("k".into());
            let clock = Clock {
                now_ms: now as f64,
                random,
            };
            let allowed = if op.method == Method::Post {
                0
            } else {
                max_retries
            };
            let mut call = Call::new(op, max_retries);
            prop_assert_eq!(call.max_retries(), allowed);
            for (n, outcome) in outcomes.iter().enumerate() {
                let attempt = call.start_attempt();
                prop_assert_eq!(attempt as usize, n + 1);
                prop_assert!(u64::from(attempt) <= 1 + u64::from(allowed));
                // The reference: what API.md says happens.
                let (step, done, retryable, wait): (Step<Doc>, bool, bool, Option<u64>) =
                    match outcome {
                        Outcome::Response {
                            status,
                            retry_after,
                            body,
                        } => {
                            let header = retry_after
                                .as_ref()
                                .map(|v| render_retry_after(v, clock.now_ms));
                            let text = match body {
                                0 => r#"{"response":{}}"#,
                                1 => {
                                    r#"{"response":{"status":"ERROR","statuscode":42,"errormessage":"no"}}"#
                                }
                                _ => "<html>busy</html>",
                            };
                            let ok = (200..300).contains(status);
                            let step = respond(
                                &mut call,
                                *status,
                                header.as_deref(),
                                text,
                                true,
                                clock,
                                &key,
                            );
                            prop_assert_eq!(
                                policy::is_retryable_status(*status),
                                matches!(status, 429 | 502..=504)
                            );
                            let api_error = !ok || *body == 1;
                            let wait =
                                header.and_then(|h| policy::retry_after_ms(&h, clock.now_ms));
                            // A POST: only when the server says it did nothing.
                            let retryable = if op.method == Method::Post {
                                matches!(status, 429 | 503)
                            } else {
                                matches!(status, 429 | 502..=504)
                            };
                            (step, ok && *body == 0, api_error && retryable, wait)
                        }
                        failure => {
                            let failure = match failure {
                                Outcome::Network(message) => Failure::Network(message.clone()),
                                Outcome::Timeout(ms) => Failure::Timeout(*ms),
                                Outcome::Aborted => Failure::Aborted,
                                _ => Failure::Deadline,
                            };
                            // A POST that may have arrived is never retryable.
                            let retryable = op.method != Method::Post
                                && matches!(failure, Failure::Network(_) | Failure::Timeout(_));
                            (
                                call.on_failure(failure, clock, &key),
                                false,
                                retryable,
                                None,
                            )
                        }
                    };
                let retry = retryable && attempt <= allowed && wait.is_none_or(|ms| ms <= 60_000);
                match step {
                    Step::Done(_) => {
                        prop_assert!(done, "Done after {:?}", outcome);
                        break;
                    }
                    Step::Fail(e) => {
                        prop_assert!(!done && !retry, "gave up after {:?}", outcome);
                        prop_assert_eq!(e.is_retryable(), retryable, "{}", e);
                        if let Outcome::Response { .. } = outcome {
                            if e.kind() == ErrorKind::Api {
                                // Beyond the cap the wait comes back to the caller.
                                prop_assert_eq!(e.retry_after_ms(), wait);
                            }
                        }
                        match outcome {
                            Outcome::Aborted => prop_assert_eq!(e.kind(), ErrorKind::Aborted),
                            Outcome::Deadline | Outcome::Timeout(_) => {
                                prop_assert_eq!(e.kind(), ErrorKind::Timeout)
                            }
                            Outcome::Network(_) => prop_assert_eq!(e.kind(), ErrorKind::Network),
                            Outcome::Response { .. } => {}
                        }
                        break;
                    }
                    Step::Retry { delay_ms, error } => {
                        prop_assert!(retry, "retried after {:?}", outcome);
                        prop_assert!(op.method != Method::Post, "a POST retried");
                        prop_assert!(error.is_retryable(), "{}", error);
                        let delay = u64::from(delay_ms);
                        match wait {
                            // Retry-After honoured exactly.
                            Some(ms) => prop_assert_eq!(delay, ms),
                            None => {
                                let (low, high) = backoff_bounds(attempt - 1);
                                prop_assert!(
                                    low <= delay && delay < high,
                                    "{} after attempt {}",
                                    delay,
                                    attempt
                                );
                            }
                        }
                    }
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// retry_after

#[derive(Clone, Debug)]
enum DateCase {
    /// A valid date in form 0 (IMF-fixdate), 1 (RFC 850) or 2 (asctime).
    Valid(i64, u8),
    /// IMF-fixdate's shape with fields out of range, any weekday.
    NearMiss {
        weekday: &'static str,
        day: u32,
        month: &'static str,
        year: u32,
        time: (u32, u32, u32),
    },
    Text(String),
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn date_case() -> impl Strategy<Value = DateCase> {
    const YEAR_9999: i64 = 253_402_300_799;
    const YEAR_2070: i64 = 3_155_760_000;
    let weekday = prop_oneof![
        4 => select(WEEKDAYS.to_vec()),
        1 => select(vec!["Sunday", "Foo", ""]),
    ];
    let month = prop_oneof![
        6 => select(MONTHS.to_vec()),
        1 => select(vec!["nov", "NOV", "Foo", "November"]),
    ];
    prop_oneof![
        2 => (0..=YEAR_9999, Just(0u8)).prop_map(|(s, f)| DateCase::Valid(s, f)),
        1 => (0..YEAR_2070, Just(1u8)).prop_map(|(s, f)| DateCase::Valid(s, f)),
        1 => (0..=YEAR_9999, Just(2u8)).prop_map(|(s, f)| DateCase::Valid(s, f)),
        4 => (
            weekday,
            prop_oneof![4 => 1u32..=28, 1 => select(vec![0u32, 29, 30, 31, 32]), 1 => 0u32..=99],
            month,
            prop_oneof![4 => 1970u32..=9999, 1 => select(vec![1900u32, 1969, 10000, 0])],
            (field(0..=23), field(0..=59), prop_oneof![6 => 0u32..=59, 1 => Just(60u32), 1 => 61u32..=99]),
        )
            .prop_map(|(weekday, day, month, year, time)| DateCase::NearMiss {
                weekday,
                day,
                month,
                year,
                time,
            }),
        1 => text(0..32).prop_map(DateCase::Text),
        1 => "[ \t]{0,2}[0-9]{1,25}[ \t]{0,2}".prop_map(DateCase::Text),
    ]
}

/// `at` (ms since the epoch) as a wait from `now`, as API.md defines it.
fn wait_until(at_ms: i128, now_ms: u64) -> u64 {
    (at_ms - i128::from(now_ms)).max(0) as u64
}

fn system_ms(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i128,
        Err(e) => -(e.duration().as_millis() as i128),
    }
}

#[test]
fn retry_after() {
    let strategy = (date_case(), 0u64..=253_402_300_799_000);
    run("retry_after", strategy, |(case, now)| {
        let now_f = now as f64;
        match case {
            DateCase::Valid(seconds, form) => {
                let text = http_date(seconds, form);
                let at =
                    httpdate::parse_http_date(&text).or_fail("httpdate reads its own forms")?;
                prop_assert_eq!(system_ms(at), i128::from(seconds) * 1000);
                let want = wait_until(system_ms(at), now);
                prop_assert_eq!(
                    policy::retry_after_ms(&text, now_f),
                    Some(want),
                    "{:?}",
                    text
                );
                let padded = format!(" \t{text} ");
                prop_assert_eq!(policy::retry_after_ms(&padded, now_f), Some(want));
            }
            DateCase::NearMiss {
                weekday,
                day,
                month,
                year,
                time: (h, m, s),
            } => {
                let text =
                    format!("{weekday}, {day:02} {month} {year:04} {h:02}:{m:02}:{s:02} GMT");
                let ours = policy::retry_after_ms(&text, now_f);
                // The reference: httpdate on the same date with the right
                // weekday. Two deliberate leniencies of ours: the weekday is
                // not checked (RFC 9110 lets a recipient ignore it), and
                // second 60 (a leap second, allowed by RFC 9110's grammar) is
                // read as the next second. A year before 1970, which httpdate
                // cannot represent, is in the past: no wait.
                let month_number = MONTHS
                    .iter()
                    .position(|m| *m == month)
                    .map(|i| i as u32 + 1);
                let date = month_number
                    .and_then(|mo| chrono::NaiveDate::from_ymd_opt(year as i32, mo, day));
                let want = match date {
                    Some(date) if year <= 9999 && h < 24 && m < 60 && s <= 60 => {
                        if year < 1970 {
                            Some(0)
                        } else {
                            let right = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
                            let canonical = format!(
                                "{right}, {day:02} {month} {year:04} {h:02}:{m:02}:{:02} GMT",
                                s.min(59)
                            );
                            let at = httpdate::parse_http_date(&canonical)
                                .or_fail("httpdate reads a valid date")?;
                            Some(wait_until(
                                system_ms(at) + if s == 60 { 1000 } else { 0 },
                                now,
                            ))
                        }
                    }
                    _ => None,
                };
                prop_assert_eq!(ours, want, "{:?}", text);
                // Where httpdate reads it, so do we, the same.
                if let Ok(at) = httpdate::parse_http_date(&text) {
                    prop_assert_eq!(ours, Some(wait_until(system_ms(at), now)), "{:?}", text);
                }
            }
            DateCase::Text(text) => {
                let ours = policy::retry_after_ms(&text, now_f);
                let trimmed = text.trim_matches([' ', '\t']);
                if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
                    let seconds: u128 = trimmed.parse().unwrap_or(u128::MAX);
                    let want = (seconds.saturating_mul(1000)).min(u128::from(u64::MAX)) as u64;
                    prop_assert_eq!(ours, Some(want), "{:?}", text);
                } else if let Ok(at) = httpdate::parse_http_date(&text) {
                    prop_assert_eq!(ours, Some(wait_until(system_ms(at), now)), "{:?}", text);
                } else if !text.contains(':') {
                    prop_assert_eq!(ours, None, "{:?}", text);
                }
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// key_scrubbing

/// Bytes that a JS `encodeURIComponent` escapes.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');
/// Bytes that a path segment escapes (RFC 3986 unreserved and `@` kept).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'@');

/// `%XX` escapes in lower case.
fn lower_hex(s: &str) -> String {
    let mut out = String::new();
    let mut hex_left = 0;
    for c in s.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            out.push(c);
            if c == '%' {
                hex_left = 2;
            }
        }
    }
    out
}

/// The key as a JSON encoder that escapes `/` and every non-ASCII
/// character writes it (PHP's `json_encode` does).
fn ascii_json(key: &str, upper: bool) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c == '/' {
            out.push_str("\\/");
        } else if c.is_ascii() && c >= ' ' && c != '"' && c != '\\' {
            out.push(c);
        } else {
            json::push_json_char(&mut out, c, if upper { 2 } else { 1 });
        }
    }
    out
}

/// Every form of the key a server may echo: as is; form-encoded;
/// percent-encoded as a path segment, as `encodeURIComponent` and as
/// every non-alphanumeric byte, with upper- and lower-case hex;
/// JSON-escaped as serde_json, with `\/`, and with `\uXXXX` for all
/// non-ASCII (lower and upper case).
fn forms(key: &str) -> Vec<String> {
    let form: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
    let json = serde_json::to_string(key).unwrap();
    let json = &json[1..json.len() - 1];
    let mut all = vec![
        key.to_string(),
        lower_hex(&form),
        form,
        json.to_string(),
        json.replace('/', "\\/"),
        ascii_json(key, false),
        ascii_json(key, true),
    ];
    for set in [SEGMENT, COMPONENT, NON_ALPHANUMERIC] {
        let encoded = utf8_percent_encode(key, set).to_string();
        all.push(lower_hex(&encoded));
        all.push(encoded);
    }
    all.sort();
    all.dedup();
    all
}

#[derive(Clone, Debug)]
enum Piece {
    Filler(String),
    /// One of `forms(key)`.
    Form(Index),
    /// The first (or, with `false`, last) part of the key: only half of it.
    Part(Index, bool),
}

fn pieces() -> impl Strategy<Value = Vec<Piece>> {
    vec(
        prop_oneof![
            2 => text(0..6).prop_map(Piece::Filler),
            3 => any::<Index>().prop_map(Piece::Form),
            1 => (any::<Index>(), any::<bool>()).prop_map(|(i, first)| Piece::Part(i, first)),
        ],
        0..5,
    )
}

fn render(pieces: &[Piece], key: &str, forms: &[String]) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Filler(text) => out.push_str(text),
            Piece::Form(i) => out.push_str(i.get::<String>(forms)),
            Piece::Part(i, first) => {
                let cut = i.index(chars.len().max(1));
                let part: String = if *first {
                    chars[..cut].iter().collect()
                } else {
                    chars[cut.max(1)..].iter().collect()
                };
                out.push_str(&part);
            }
        }
    }
    out
}

fn key_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => select(vec![
            '/', '+', '=', '&', '%', '"', '\\', ' ', 'é', '€', '😀', '\u{1}', '\n', '\u{7f}',
            '<', ':', '.', '-', '_', '~', '*', '\'', '(', '#', '?', '[', ']', 'd', 'u', '0',
            'a', 'F',
        ]),
        2 => proptest::char::range('a', 'z'),
        1 => any::<char>(),
    ]
}

/// Characters that none of our own wording (messages, `Debug` syntax, the
/// marker, escape sequences) holds: a form that starts and ends with one
/// can only be found inside a text that came from the server or the host.
fn rare(c: char) -> bool {
    !c.is_ascii() || "/+=&%~^|!*$;@#?<>`".contains(c)
}

fn rare_ends(s: &str) -> bool {
    match (s.chars().next(), s.chars().last()) {
        (Some(first), Some(last)) => rare(first) && rare(last),
        _ => false,
    }
}

/// `s` as `Debug` prints it inside a string.
fn debug_form(s: &str) -> String {
    let d = format!("{s:?}");
    d[1..d.len() - 1].to_string()
}

/// The texts an error carries from outside (server, host).
fn outside_texts(e: &Error) -> Vec<String> {
    match e {
        Error::Api {
            errormessage,
            debugmessage,
            body,
            ..
        } => [errormessage, debugmessage, body]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        Error::Network { message, .. } => vec![message.clone()],
        // Our wording, quoting what came from outside (`"…"` spans).
        Error::Decode { message, body, .. } => message
            .split('"')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .chain([body.clone()])
            .collect(),
        _ => vec![],
    }
}

/// `e` with the texts from outside emptied: our own wording only.
fn skeleton(e: &Error) -> Error {
    let mut e = e.clone();
    match &mut e {
        Error::Api {
            errormessage,
            debugmessage,
            body,
            ..
        } => {
            for text in [errormessage, debugmessage, body].into_iter().flatten() {
                text.clear();
            }
        }
        Error::Network { message, .. } => message.clear(),
        Error::Decode { body, .. } => body.clear(),
        _ => {}
    }
    e
}

/// The scrubbing property: no form of the key between two markers.
fn assert_clean(what: &str, text: &str, forms: &[String]) -> Result<(), TestCaseError> {
    for piece in text.split(REDACTED) {
        for form in forms {
            prop_assert!(
                !piece.contains(form.as_str()),
                "{} holds the key as {:?}: {:?}",
                what,
                form,
                text
            );
        }
    }
    Ok(())
}

/// Every text of `e`, and how it prints, free of the key.
fn assert_error_clean(e: &Error, forms: &[String]) -> Result<(), TestCaseError> {
    // Each text from outside: no form of the key between markers.
    for text in outside_texts(e) {
        assert_clean("a text of the error", &text, forms)?;
    }
    if let Some(body) = e.body() {
        assert_clean("body()", body, forms)?;
    }
    // What the error prints is our wording plus those texts. Our wording
    // holds no `rare` character, so a form with rare ends found there can
    // only come from a text from outside (`Debug` escapes texts, so it is
    // looked for as `Debug` prints it).
    let own = skeleton(e);
    let wording = format!("{own} {own:?} {own:#?}");
    prop_assert!(
        !wording.chars().any(rare),
        "our wording has a rare character: {}",
        wording
    );
    let shown: Vec<&String> = forms.iter().filter(|f| rare_ends(f)).collect();
    let debug: Vec<String> = forms
        .iter()
        .map(|f| debug_form(f))
        .filter(|f| rare_ends(f))
        .collect();
    let shown: Vec<String> = shown.into_iter().cloned().collect();
    assert_clean("to_string()", &e.to_string(), &shown)?;
    assert_clean("message()", &e.message(), &shown)?;
    assert_clean("Debug", &format!("{e:?}"), &debug)?;
    assert_clean("pretty Debug", &format!("{e:#?}"), &debug)?;
    Ok(())
}

/// Whether to check the body of an error whose body the core cut before
/// removing the key: `call::body_excerpt` reads 4,096 + 6 × (key length)
/// characters, which may end inside a form of the key (a 3-byte character
/// percent-encoded takes 9, a 4-byte one 12) or, when the key's forms are
/// longer than the marker, leave fewer than 4,096 characters after
/// scrubbing with a cut form at their end (`/€/` echoed 400 times as
/// `%2F%E2%82%AC%2F` ends in `%2F%E2%82%AC%`); and the error is scrubbed
/// again after the cut, which finds the key `c` in a marker cut to
/// `[redacte` (`[reda[redacted]te`). Known gaps (reported), left out until
/// fixed; bodies not cut are checked.
const BODY_CUT_AFTER_SCRUB: bool = true;

#[derive(Clone, Debug)]
struct Echo {
    scenario: u8,
    status: u16,
    errormessage: Vec<Piece>,
    debugmessage: Vec<Piece>,
    body: Vec<Piece>,
    json_style: u8,
    /// A long body: this many characters before it (around the 4,096 at
    /// which bodies are cut), and it repeated to some 6,000 characters.
    long: Option<usize>,
}

fn echo() -> impl Strategy<Value = Echo> {
    (
        (0u8..7, select(vec![400u16, 401, 403, 429, 500, 502, 503])),
        (pieces(), pieces(), pieces()),
        0u8..4,
        proptest::option::weighted(0.15, prop_oneof![Just(0usize), 4000usize..4100]),
    )
        .prop_map(
            |((scenario, status), (errormessage, debugmessage, body), json_style, long)| Echo {
                scenario,
                status,
                errormessage,
                debugmessage,
                body,
                json_style,
                long,
            },
        )
}

/// A JSON text as servers write it: 1 with `\/`, 2 with `\uXXXX` for
/// non-ASCII, 3 both (upper-case hex).
fn restyle(json_text: &str, style: u8) -> String {
    let mut out = String::new();
    for c in json_text.chars() {
        match c {
            '/' if style & 1 == 1 => out.push_str("\\/"),
            c if !c.is_ascii() && style & 2 == 2 => {
                json::push_json_char(&mut out, c, if style == 3 { 2 } else { 1 })
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn key_scrubbing() {
    let key = vec(key_char(), 1..=20).prop_map(String::from_iter);
    let strategy = (key, echo(), op(), pieces());
    run("key_scrubbing", strategy, |(key, echo, op, loose)| {
        let forms = forms(&key);
        let api_key = ApiKey::new(key.clone());
        let em = render(&echo.errormessage, &key, &forms);
        let dm = render(&echo.debugmessage, &key, &forms);
        let mut body = render(&echo.body, &key, &forms);
        if let Some(pad) = echo.long {
            let times = (6_000 / body.chars().count().max(1)).clamp(1, 400);
            body = format!("{}{}", "x".repeat(pad), body.repeat(times));
        }

        // scrub() alone, on any mix of forms and text.
        let text = render(&loose, &key, &forms);
        let scrubbed = secret::scrub(&text, &key);
        assert_clean("scrub()", &scrubbed, &forms)?;
        // Nothing but the key goes: the rest is the text's, in order.
        let mut rest = text.as_str();
        for piece in scrubbed.split(REDACTED) {
            let at = rest.find(piece).or_fail("a piece of the input")?;
            rest = &rest[at + piece.len()..];
        }
        // Scrubbing twice is scrubbing once.
        prop_assert_eq!(&secret::scrub(&scrubbed, &key), &scrubbed);
        let untouchable = |c: char| key.contains(c) || matches!(c, '%' | '+' | '\\');
        if !text.chars().any(untouchable) {
            prop_assert_eq!(&scrubbed, &text);
        }

        // Errors made by the call from what a server or host sent back.
        let (op, status, raw) = match echo.scenario {
            0 | 1 => {
                let envelope = json!({ "response": {
                    "status": "ERROR", "statuscode": 401, "errormessage": em,
                    "debugmessage": dm, "detail": body,
                }});
                let status = if echo.scenario == 0 { 200 } else { echo.status };
                (op, status, restyle(&envelope.to_string(), echo.json_style))
            }
            2 => (op, echo.status, format!("<html>{em}{dm}{body}</html>")),
            3 => (op, 200, format!("{em}<{dm}>{body}")),
            4 => {
                let envelope = json!({ "response": {
                    "accounts": em, "note": dm, "detail": body,
                }});
                (
                    &ops::LIST_ACCOUNTS,
                    200,
                    restyle(&envelope.to_string(), echo.json_style),
                )
            }
            _ => (op, 0, em.clone()),
        };
        let mut call = Call::new(op, 2);
        call.start_attempt();
        let step: Step<Doc> = match echo.scenario {
            5 => call.on_failure(Failure::Network(raw.clone()), CLOCK, &api_key),
            6 => call.on_failure(Failure::Aborted, CLOCK, &api_key),
            _ => respond(
                &mut call,
                status,
                None,
                &raw,
                echo.json_style < 2,
                CLOCK,
                &api_key,
            ),
        };
        match step {
            Step::Fail(e) | Step::Retry { error: e, .. } => {
                assert_error_clean(&e, &forms)?;
                // A body is the start of the body with the key removed:
                // removed first, then cut, so no key shows in part at the cut.
                let scrubbed = secret::scrub(&raw, &key);
                let uncut = raw.chars().count() <= 4096 && scrubbed.chars().count() <= 4096;
                if matches!(echo.scenario, 2 | 3) && (uncut || BODY_CUT_AFTER_SCRUB) {
                    // ... and a `[redacted]` marker that the cut would split
                    // is left out whole (half a marker could read as the key).
                    let mut want = excerpt(&scrubbed);
                    if let Some(start) = want.rfind('[') {
                        let split = want.len() - start < secret::REDACTED.len()
                            && scrubbed[start..].starts_with(secret::REDACTED);
                        if split {
                            want.truncate(start);
                        }
                    }
                    prop_assert_eq!(e.body(), Some(want.as_str()));
                }
            }
            Step::Done(_) => return Err(TestCaseError::fail("an echo was taken for a payload")),
        }

        // The configuration never shows the key, in any form.
        let config = |key: &str| Config::new(BASE, "r", key);
        prop_assert_eq!(
            format!("{:?}", config(&key)),
            format!("{:?}", config("other"))
        );
        let settings = |key: &str| Settings::new(config(key)).ok().map(|s| format!("{s:?}"));
        prop_assert_eq!(settings(&key), settings("other"));
        prop_assert_eq!(format!("{api_key:?}"), REDACTED);
        Ok(())
    });
}

// ---------------------------------------------------------------------------
// unknown_params

/// A documented name spelled differently: case changed, `_`/`-` added or
/// removed.
fn respell(name: &str, case: &[bool], seps: &[u8]) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        let sep = seps.get(i).copied().unwrap_or(0);
        if c == '_' && sep == 1 {
            continue; // dropped
        }
        if sep == 2 {
            out.push('_');
        } else if sep == 3 {
            out.push('-');
        }
        if case.get(i).copied().unwrap_or(false) {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn normalized(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[test]
fn unknown_params() {
    let strategy = (
        op(),
        any::<Index>(),
        vec(any::<bool>(), 24),
        vec(prop_oneof![6 => Just(0u8), 1 => 1u8..4], 24),
        prop_oneof![2 => Just(None), 1 => text(0..40).prop_map(Some)],
    );
    run(
        "unknown_params",
        strategy,
        |(op, which, case, seps, arbitrary)| {
            let respelled = (!op.params.is_empty()).then(|| {
                let name = which.get(op.params).name;
                (name, respell(name, &case, &seps))
            });
            let key = match (arbitrary, &respelled) {
                (Some(text), _) => text,
                (None, Some((_, respelled))) => respelled.clone(),
                (None, None) => String::new(),
            };
            let e = request::unknown_param(op, &key);
            prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
            prop_assert_eq!(e.operation(), op.name);
            let message = e.to_string();
            let named = format!("unknown parameter \"{key}\"");
            prop_assert!(
                message.contains(&named),
                "{} does not name {:?}",
                message,
                key
            );
            if op.params.is_empty() {
                prop_assert!(message.contains("takes no parameters"), "{}", message);
            }
            // A key that differs from a documented one only by case, `_` or `-`
            // is told that one.
            let same: Vec<&str> = op
                .params
                .iter()
                .map(|p| p.name)
                .filter(|name| normalized(name) == normalized(&key))
                .collect();
            if !same.is_empty() {
                prop_assert!(
                    same.iter()
                        .any(|name| message.contains(&format!("did you mean {name}?)"))),
                    "{} does not suggest {:?}",
                    message,
                    same
                );
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// json_text

/// Nesting depth of a JSON text (brackets outside strings).
fn json_depth(s: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0, false, false);
    for b in s.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    max = max.max(depth);
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    max
}

fn json_case() -> impl Strategy<Value = String> {
    let written = || {
        (json::tree(), json::ws()).prop_map(|(tree, ws)| {
            let mut w = json::Writer::new(&ws, &[]);
            w.value(&tree);
            w.out
        })
    };
    let noise = prop_oneof![
        4 => select(vec![
            "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "\\uDC00", "0", "-",
            "1.", ".5", "e5", "E+", "01", "-0", "true", "fals", "null", " ", "\t", "\u{0}",
            "\u{1f}", "\u{a0}", "\u{FEFF}", "é", "x", "'",
        ])
        .prop_map(String::from),
        1 => text(0..3),
    ];
    prop_oneof![
        3 => written(),
        3 => (written(), vec((any::<Index>(), noise.clone(), any::<bool>()), 1..3)).prop_map(
            |(text, edits)| {
                let mut chars: Vec<char> = text.chars().collect();
                for (at, piece, delete) in edits {
                    let i = at.index(chars.len() + 1);
                    if delete && i < chars.len() {
                        chars.remove(i);
                    } else {
                        chars.splice(i..i, piece.chars());
                    }
                }
                chars.into_iter().collect()
            }
        ),
        2 => vec(noise, 0..12).prop_map(|parts| parts.concat()),
        1 => (1usize..200, any::<bool>()).prop_map(|(depth, array)| {
            let (open, close) = if array { ("[", "]") } else { ("{\"a\":", "}") };
            format!("{}1{}", open.repeat(depth), close.repeat(depth))
        }),
    ]
}

#[test]
fn json_text() {
    run("json_text", json_case(), |s| {
        // The reference: serde_json's syntax check, with the checker's
        // depth limit (JSON.parse, its wasm counterpart, has a larger one).
        let reference = serde_json::from_str::<serde::de::IgnoredAny>(&s).is_ok();
        let ours = request::is_json(&s);
        if json_depth(&s) <= 128 {
            prop_assert_eq!(ours, reference, "{:?}", s);
        } else {
            prop_assert!(!ours, "{:?} is deeper than the limit", s);
        }
        Ok(())
    });
}

/// The same text fed as bytes in arbitrary chunks, some bytes replaced by
/// arbitrary ones (invalid UTF-8 among them): the streaming checker gives
/// the one-chunk answer, and agrees with serde_json over the bytes.
#[test]
fn json_stream() {
    let case = (
        json_case(),
        vec((any::<Index>(), any::<u8>()), 0..3),
        vec(any::<Index>(), 0..6),
    );
    run("json_stream", case, |(text, swaps, cuts)| {
        let mut bytes = text.into_bytes();
        if !bytes.is_empty() {
            for (at, b) in swaps {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
        }
        let whole = Checker::check(&bytes);
        let mut at: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        at.sort_unstable();
        let mut checker = Checker::new();
        let mut from = 0;
        let mut fed = Ok(());
        for to in at.into_iter().chain([bytes.len()]) {
            fed = fed.and_then(|()| checker.feed(&bytes[from..to]));
            from = to;
        }
        let chunked = fed.and_then(|()| checker.finish());
        prop_assert_eq!(chunked, whole, "{:?}", bytes);
        // serde_json skips the strings it ignores without checking UTF-8.
        let reference = std::str::from_utf8(&bytes)
            .is_ok_and(|s| serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok());
        let depth = json_depth(&String::from_utf8_lossy(&bytes));
        if depth <= 128 {
            prop_assert_eq!(whole.is_ok(), reference, "{:?}", bytes);
        } else {
            prop_assert!(whole.is_err(), "{:?} is deeper than the limit", bytes);
        }
        Ok(())
    });
}

/// Where the check notes a number of a money field, quoting it (as the npm
/// face does, by UTF-16 position in the JS string) gives `quote_numbers`'s
/// text, for every text the check accepts.
#[test]
fn json_numbers() {
    run("json_numbers", json_case(), |text| {
        let mut checker = Checker::noting(&["price"], &["price"]);
        if checker
            .feed(text.as_bytes())
            .and_then(|()| checker.finish())
            .is_err()
        {
            return Ok(());
        }
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut out: Vec<u16> = Vec::new();
        let mut at = 0;
        for n in checker.numbers() {
            prop_assert!(n.money);
            out.extend_from_slice(&units[at..n.start as usize]);
            out.push(u16::from(b'"'));
            out.extend_from_slice(&units[n.start as usize..n.end as usize]);
            out.push(u16::from(b'"'));
            at = n.end as usize;
        }
        out.extend_from_slice(&units[at..]);
        let reference = quote_numbers(&text, &["price"]).unwrap_or_else(|| text.clone());
        prop_assert_eq!(String::from_utf16(&out).unwrap(), reference, "{:?}", text);
        Ok(())
    });
}
