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
//!   response, in random chunks, through the exchange: the verdict and the
//!   result agree with a reference over `serde_json::Value` (the former
//!   `check_object`), and what is accepted decodes into the declared type.
//! - `retry_policy` and `retry_after` (against `httpdate`): attempts, POST,
//!   backoff bounds, `Retry-After` up to 60 s.
//! - `key_scrubbing`: no form of the key in any error text or printout.
//! - `unknown_params`: the key is named, and the documented one it respells.
//! - `json_text`: `is_json` agrees with serde_json.
//! - `json_stream`: the response checker, fed bytes (some not UTF-8) in
//!   arbitrary chunks, gives the one-chunk answer and serde_json's.
//!
//! Three gaps these properties found (keys written with escapes, an int of
//! exactly 2^63, a key cut at the body's 4,096th character) are fixed; the
//! `const` switches that kept them out of the generators (`ESCAPED_MONEY_KEYS`,
//! `TWO_TO_THE_63`, `BODY_CUT_AFTER_SCRUB`) stay on, so they stay fixed.
//!
//! One file per core module under `tests/fuzz/`; this file holds the
//! harness and the strategies they share. Native only: the reference
//! implementations are native dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

// Generators.
#[path = "fuzz/json.rs"]
mod json;
#[path = "fuzz/shape.rs"]
mod shape;

// Properties, by core module.
#[path = "fuzz/encode.rs"]
mod encode_props;
#[path = "fuzz/exchange.rs"]
mod exchange_props;
#[path = "fuzz/json_check.rs"]
mod json_check_props;
#[path = "fuzz/money.rs"]
mod money_props;
#[path = "fuzz/policy.rs"]
mod policy_props;
#[path = "fuzz/request.rs"]
mod request_props;
#[path = "fuzz/secret.rs"]
mod secret_props;

use std::fmt::Debug;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{Datelike, NaiveDateTime, Timelike};
use liveagent_reseller::ops;
use liveagent_reseller::sansio::call::{Call, Clock, Failure};
use liveagent_reseller::sansio::config::{Config, Settings};
use liveagent_reseller::sansio::drift::Told;
use liveagent_reseller::sansio::encode;
use liveagent_reseller::sansio::error::{excerpt, Error, ErrorKind};
use liveagent_reseller::sansio::exchange::{CallOptions, Exchange, Next};
use liveagent_reseller::sansio::json_check::Checker;
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
// The driver: what every face does with an exchange

/// An exchange of `op` (valid inputs) for a client of `key`, with `retries`.
fn exchange(op: &'static Operation, retries: u32, key: &str) -> Exchange {
    let settings = Settings::new(Config::new(BASE, "r", key)).unwrap();
    let args = vec!["a1"; arg_names(op).len()];
    let options = CallOptions {
        max_retries: Some(retries),
        ..CallOptions::default()
    };
    Exchange::new(op, &settings, 1, &args, &valid_params(op), options, false).unwrap()
}

/// One attempt of `ex` answered with `status` and `body`, the body cut in
/// chunks of the sizes in `cuts` (in turn; empty: one chunk).
fn answer(
    ex: &mut Exchange,
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    cuts: &[usize],
    clock: Clock,
) -> Next {
    ex.start_attempt(clock.now_ms);
    let mut next = ex.on_head(f64::from(status), retry_after, None, clock);
    let mut at = 0;
    let mut turn = 0;
    while next == Next::Read && at < body.len() {
        let size = cuts
            .get(turn % cuts.len().max(1))
            .copied()
            .unwrap_or(body.len())
            .max(1);
        let end = (at + size).min(body.len());
        next = ex.on_chunk(&body[at..end]);
        at = end;
        turn += 1;
    }
    if next == Next::Read {
        next = ex.on_end(clock, &mut Told::default());
    }
    next
}
