//! The fault matrix: every way a call can fail, produced for real against
//! the sandbox (fault rules, a closed port, timers, aborts, a custom fetch),
//! through both faces of the package, in Node and (with
//! `WASM_BINDGEN_USE_BROWSER=1`) in headless Chromium:
//!
//! - the JS face: `ClientCore` driven by `run` of `js/driver.js`, as the
//!   npm package's `ResellerClient` methods call it;
//! - the Rust face: `liveagent_reseller::Client` (gloo-net).
//!
//! One row of [`CASES`] per failure; `matrix!` makes one test per row and
//! face. Each test checks the error's kind and fields (`retryable` and
//! `maybeApplied` included; on the JS face, that its `callId` is the one of
//! every event of the call), how many attempts
//! reached the wire (the sandbox's request log, and a recorder around the
//! global `fetch`), and that the same client then makes a normal call.
//!
//! The sandbox address is fixed at compile time (`SANDBOX_URL`, default
//! `http://127.0.0.1:18080`); every case uses a fresh path, so Node and
//! Chromium runs can share one sandbox. Run (the sandbox up):
//!
//! ```sh
//! cargo test --target wasm32-unknown-unknown -p liveagent-reseller-npm --test faults
//! WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver cargo test … (the same)
//! ```
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use js_sys::{Array, Function, Object, Promise, JSON};
use liveagent_reseller::{AddAccountAddonParams, Client, Config, Error, SetAccountAttributeParams};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

mod common;

use common::*;

/// Nothing listens there (and, unlike port 1, no fetch refuses it as a bad port).
const CLOSED_PORT: &str = "http://127.0.0.1:2";
/// What the tests abort with; an `"aborted"` error carries it as its `cause`.
const ABORT_REASON: &str = "cut short by the fault matrix";
const HTML: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";
const TRUNCATED: &str = r#"{"response":{"status":"OK","account_status":"a"#;
const ERROR_ENVELOPE: &str =
    r#"{"response":{"status":"ERROR","statuscode":17,"errormessage":"refused under 200"}}"#;

// ---------------------------------------------------------------- the matrix

/// Every failure, each a row: what the wire does to the call, then what
/// must come out of it and how many attempts reached the fetch (and, unless
/// the port is closed or the client's own fetch throws, the sandbox).
/// Fields a row does not name are absent (`retryable`, `maybeApplied`:
/// false). A fault rule
/// answers every attempt a client retrying everything could make, so a
/// wrong retry shows as an extra attempt. `Retry-After: 0` keeps retries
/// instant where the wait itself is not the point.
#[rustfmt::skip]
const CASES: &[Case] = &[
    //   name                             call   the wire                                   retries  timeout     cut          the error                                                        attempts
    case("http_400",                      Get,   Rule(fault(400)),                          2,       None,       No,          api(400, Some(400)),                                             1),
    case("http_401",                      Get,   Rule(fault(401)),                          2,       None,       No,          api(401, Some(401)),                                             1),
    case("http_404",                      Get,   Real,                                      2,       None,       No,          api(404, Some(404)),                                             1),
    case("http_429",                      Get,   Rule(fault(429).retry_after("0")),         1,       None,       No,          api(429, Some(429)).retryable().retry_after(0),                  2),
    case("http_429_post",                 Post,  Rule(fault(429).retry_after("0")),         1,       None,       No,          api(429, Some(429)).retryable().retry_after(0),                  1),
    case("http_500",                      Get,   Rule(fault(500)),                          2,       None,       No,          api(500, Some(500)),                                             1),
    case("http_502_html",                 Get,   Rule(fault(502).retry_after("0").html()),  2,       None,       No,          api(502, None).retryable().retry_after(0).body(HTML).applied(),  3),
    case("http_502_html_post",            Post,  Rule(fault(502).retry_after("0").html()),  2,       None,       No,          api(502, None).retry_after(0).body(HTML).applied(),              1),
    case("http_503_retry_after",          Get,   Rule(fault(503).retry_after("0")),         2,       None,       No,          api(503, Some(503)).retryable().retry_after(0),                  3),
    case("http_503_retry_after_put",      Put,   Rule(fault(503).retry_after("0")),         2,       None,       No,          api(503, Some(503)).retryable().retry_after(0),                  3),
    case("http_503_retry_after_post",     Post,  Rule(fault(503).retry_after("0")),         2,       None,       No,          api(503, Some(503)).retryable().retry_after(0),                  1),
    // Backoff with jitter instead: 125-250 ms, then 250-500 ms.
    case("http_503_no_retry_after",       Get,   Rule(fault(503)),                          2,       None,       No,          api(503, Some(503)).retryable(),                                 3),
    case("http_503_no_retry_after_post",  Post,  Rule(fault(503)),                          2,       None,       No,          api(503, Some(503)).retryable(),                                 1),
    case("error_envelope_under_200",      Get,   Rule(fault(200).body(ERROR_ENVELOPE)),     2,       None,       No,          api(200, Some(17)),                                              1),
    case("truncated_json_under_200",      Get,   Rule(fault(200).body(TRUNCATED)),          2,       None,       No,          failed("decode").status(200).body(TRUNCATED).applied(),          1),
    case("closed_port",                   Get,   ClosedPort,                                1,       None,       No,          failed("network").retryable().refused(),                         2),
    case("closed_port_post",              Post,  ClosedPort,                                1,       None,       No,          failed("network").refused(),                                     1),
    case("timeout_per_attempt",           Get,   Rule(fault(200).delay(1500)),              1,       Some(100),  No,          failed("timeout").retryable().applied(),                         2),
    case("timeout_per_attempt_post",      Post,  Rule(fault(200).delay(1500)),              1,       Some(100),  No,          failed("timeout").applied(),                                     1),
    case("abort_before_the_call",         Get,   Real,                                      2,       None,       Before,      failed("aborted"),                                               0),
    case("abort_during_the_call",         Get,   Rule(fault(200).delay(2000)),              2,       None,       After(100),  failed("aborted").applied(),                                     1),
    case("abort_during_a_retry_wait",     Get,   Rule(fault(503).retry_after("1")),         2,       None,       After(300),  failed("aborted").applied(),                                     1),
    case("custom_fetch_throws",           Get,   ThrowingFetch,                             1,       None,       No,          failed("network").retryable().applied(),                         2),
];

/// One test per row and face: `js_face::http_400`, `rust_face::http_400`, …
macro_rules! matrix {
    (both: [$($both:ident),* $(,)?], js_only: [$($js:ident),* $(,)?] $(,)?) => {
        const LISTED: &[&str] = &[$(stringify!($both),)* $(stringify!($js),)*];

        mod js_face {
            use super::*;
            $( #[wasm_bindgen_test] async fn $both() { js_case(row(stringify!($both))).await } )*
            $( #[wasm_bindgen_test] async fn $js() { js_case(row(stringify!($js))).await } )*
        }

        mod rust_face {
            use super::*;
            $( #[wasm_bindgen_test] async fn $both() { rust_case(row(stringify!($both))).await } )*
        }
    };
}

matrix! {
    both: [
        http_400, http_401, http_404, http_429, http_429_post, http_500,
        http_502_html, http_502_html_post,
        http_503_retry_after, http_503_retry_after_put, http_503_retry_after_post,
        http_503_no_retry_after, http_503_no_retry_after_post,
        error_envelope_under_200, truncated_json_under_200,
        closed_port, closed_port_post, timeout_per_attempt, timeout_per_attempt_post,
        abort_before_the_call, abort_during_the_call, abort_during_a_retry_wait,
    ],
    // The Rust face takes no fetch of its own.
    js_only: [custom_fetch_throws],
}

#[wasm_bindgen_test]
fn every_row_has_its_tests() {
    let rows: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    assert_eq!(rows, LISTED, "CASES and matrix! disagree");
}

fn row(name: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

// ---------------------------------------------------------------- the table's types

#[derive(Debug)]
struct Case {
    name: &'static str,
    verb: Verb,
    setup: Setup,
    /// The client's `maxRetries`.
    retries: u32,
    /// The call's per-attempt timeout in ms (default: the client's, 30 s).
    timeout_ms: Option<u32>,
    cut: Cut,
    want: Want,
    /// Attempts that reached the fetch.
    attempts: u32,
}

#[allow(clippy::too_many_arguments)]
const fn case(
    name: &'static str,
    verb: Verb,
    setup: Setup,
    retries: u32,
    timeout_ms: Option<u32>,
    cut: Cut,
    want: Want,
    attempts: u32,
) -> Case {
    Case {
        name,
        verb,
        setup,
        retries,
        timeout_ms,
        cut,
        want,
        attempts,
    }
}

/// The call a case makes: one of each method the retry rules treat apart.
#[derive(Clone, Copy, Debug)]
enum Verb {
    /// `getAccountStatus(id)`: retried.
    Get,
    /// `setAccountAttribute(id, "max_agents", {value: "1"})`: retried.
    Put,
    /// `addAccountAddon(id, {addon_id})`: never retried.
    Post,
}
use Verb::{Get, Post, Put};

impl Verb {
    fn operation(self) -> &'static str {
        match self {
            Get => "getAccountStatus",
            Put => "setAccountAttribute",
            Post => "addAccountAddon",
        }
    }
    /// The Rust face's name of the same call.
    fn rust_operation(self) -> &'static str {
        match self {
            Get => "get_account_status",
            Put => "set_account_attribute",
            Post => "add_account_addon",
        }
    }
}

/// What the wire does to the case's requests.
#[derive(Clone, Copy, Debug)]
enum Setup {
    /// The sandbox answers for real (the case's account does not exist).
    Real,
    /// The sandbox applies this rule (`POST /_sandbox/faults`) to the case's path.
    Rule(Fault),
    /// The requests go to a closed port instead (the recorder around the
    /// global fetch redirects them, so the same client can reach the sandbox next).
    ClosedPort,
    /// The client's own `fetch` throws for the case's requests (JS face only).
    ThrowingFetch,
}
use Setup::{ClosedPort, Real, Rule, ThrowingFetch};

/// A sandbox fault rule: `{status, retry_after, delay_ms, body, content_type}`.
#[derive(Clone, Copy, Debug)]
struct Fault {
    status: u16,
    retry_after: Option<&'static str>,
    delay_ms: u32,
    body: Option<&'static str>,
    content_type: Option<&'static str>,
}

/// Answers `status` (200 without a body: only delays, then answers for real).
const fn fault(status: u16) -> Fault {
    Fault {
        status,
        retry_after: None,
        delay_ms: 0,
        body: None,
        content_type: None,
    }
}

impl Fault {
    const fn retry_after(mut self, value: &'static str) -> Self {
        self.retry_after = Some(value);
        self
    }
    const fn delay(mut self, ms: u32) -> Self {
        self.delay_ms = ms;
        self
    }
    const fn body(mut self, body: &'static str) -> Self {
        self.body = Some(body);
        self
    }
    const fn html(mut self) -> Self {
        self.body = Some(HTML);
        self.content_type = Some("text/html");
        self
    }
}

/// How the caller cuts the call short. JS face: an `AbortController`
/// (aborted with [`ABORT_REASON`]); Rust face: dropping the future.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cut {
    No,
    /// Before the call starts.
    Before,
    /// This many ms after the call starts.
    After(i32),
}
use Cut::{After, Before, No};

/// The error a call must end with. The Rust face has none for a cut call
/// (the future is gone): only the attempts apply there.
#[derive(Clone, Copy, Debug)]
struct Want {
    kind: &'static str,
    status: Option<u16>,
    statuscode: Option<i64>,
    retryable: bool,
    retry_after_ms: Option<u64>,
    /// The start of a body that is not the envelope (HTML, truncated JSON).
    body: Option<&'static str>,
    /// `maybeApplied`: the request may have taken effect.
    maybe_applied: bool,
    /// A refused connection: where the host tells that nothing was sent
    /// (Node's fetch), retryable even for a POST and not applied; where it
    /// cannot (a browser's "Failed to fetch", gloo-net), maybe applied, and
    /// retryable only as the row says.
    refused: bool,
}

/// An `"api"` error: HTTP `status`, the envelope's `statuscode`.
const fn api(status: u16, statuscode: Option<i64>) -> Want {
    failed("api").status(status).statuscode(statuscode)
}

/// An error of `kind` with no other field.
const fn failed(kind: &'static str) -> Want {
    Want {
        kind,
        status: None,
        statuscode: None,
        retryable: false,
        retry_after_ms: None,
        body: None,
        maybe_applied: false,
        refused: false,
    }
}

impl Want {
    const fn applied(mut self) -> Self {
        self.maybe_applied = true;
        self
    }
    const fn refused(mut self) -> Self {
        self.refused = true;
        self
    }
    const fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
    const fn statuscode(mut self, statuscode: Option<i64>) -> Self {
        self.statuscode = statuscode;
        self
    }
    const fn retryable(mut self) -> Self {
        self.retryable = true;
        self
    }
    const fn retry_after(mut self, ms: u64) -> Self {
        self.retry_after_ms = Some(ms);
        self
    }
    const fn body(mut self, body: &'static str) -> Self {
        self.body = Some(body);
        self
    }
    /// What the error must hold; `tells_unsent`: the face's host says when
    /// nothing was sent (see [`Want::refused`]).
    fn fields(&self, tells_unsent: bool) -> Fields {
        let unsent = self.refused && tells_unsent;
        Fields {
            kind: self.kind.into(),
            status: self.status,
            statuscode: self.statuscode,
            retryable: self.retryable || unsent,
            maybe_applied: self.maybe_applied || (self.refused && !unsent),
            retry_after_ms: self.retry_after_ms,
            body: self.body.map(String::from),
        }
    }
}

/// An error's fields, as compared.
#[derive(Debug, PartialEq)]
struct Fields {
    kind: String,
    status: Option<u16>,
    statuscode: Option<i64>,
    retryable: bool,
    maybe_applied: bool,
    retry_after_ms: Option<u64>,
    body: Option<String>,
}

// ---------------------------------------------------------------- the JS face

fn js_call(core: &JsValue, verb: Verb, id: &str, options: &JsValue) -> Promise {
    let (args, params): (Array, JsValue) = match verb {
        Get => (
            [JsValue::from(id)].into_iter().collect(),
            JsValue::UNDEFINED,
        ),
        Put => (
            [JsValue::from(id), "max_agents".into()]
                .into_iter()
                .collect(),
            json(r#"{"value": "1"}"#),
        ),
        Post => (
            [JsValue::from(id)].into_iter().collect(),
            json(r#"{"addon_id": "p4g7y4ft7"}"#),
        ),
    };
    run_loop(core, verb.operation(), &args, &params, options)
}

async fn js_case(case: &Case) {
    let id = arrange(case, "js").await;
    let config = json(&format!(
        r#"{{"baseUrl": "{}/api", "reseller": "{RESELLER}", "apiKey": "{KEY}", "maxRetries": {}}}"#,
        SANDBOX, case.retries
    ));
    let thrown = Array::new();
    if let ThrowingFetch = case.setup {
        // Throws (synchronously) for this case's requests only, so that the
        // same client can make its next call.
        let make = Function::new_with_args(
            "needle, thrown",
            "return (url, init) => { if (String(url).includes(needle)) { thrown.push(String(url)); \
             throw new TypeError('fetch exploded'); } return fetch(url, init); };",
        );
        set(
            &config,
            "fetch",
            &make
                .call2(&JsValue::NULL, &id.as_str().into(), &thrown)
                .unwrap(),
        );
    }
    // The callId column: every event of the call and its error share one id.
    let events = Array::new();
    let record = Function::new_with_args("events", "return (e) => { events.push(e); };");
    set(
        &config,
        "onEvent",
        &record.call1(&JsValue::NULL, &events).unwrap(),
    );
    let core: JsValue = new_client(config)
        .unwrap_or_else(|e| panic!("{}: config refused: {:?}", case.name, text(&e, "message")));

    let options: JsValue = Object::new().into();
    if let Some(ms) = case.timeout_ms {
        set(&options, "timeoutMs", &ms.into());
    }
    let controller = web_sys::AbortController::new().unwrap();
    let abort = Function::new_with_args("c, reason", "c.abort(reason);");
    match case.cut {
        Cut::No => {}
        Cut::Before => {
            abort
                .call2(&JsValue::NULL, &controller, &ABORT_REASON.into())
                .unwrap();
        }
        Cut::After(ms) => {
            let later =
                Function::new_with_args("c, reason, ms", "setTimeout(() => c.abort(reason), ms);");
            later
                .call3(
                    &JsValue::NULL,
                    &controller,
                    &ABORT_REASON.into(),
                    &ms.into(),
                )
                .unwrap();
        }
    }
    if case.cut != Cut::No {
        set(&options, "signal", &controller.signal());
    }

    let started = js_sys::Date::now();
    let error = match JsFuture::from(js_call(&core, case.verb, &id, &options)).await {
        Ok(v) => panic!(
            "{}: the call succeeded: {:?}",
            case.name,
            JSON::stringify(&v)
        ),
        Err(e) => e,
    };
    let took = js_sys::Date::now() - started;
    assert_eq!(
        text(&error, "name").as_deref(),
        Some("LiveAgentError"),
        "{}: {error:?}",
        case.name
    );
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "{}: not an Error",
        case.name
    );
    assert_eq!(
        js_fields(&error, case),
        case.want.fields(host_tells_unsent()),
        "{}",
        case.name
    );
    let call_id = text(&error, "callId").unwrap_or_else(|| panic!("{}: no callId", case.name));
    for event in events.iter() {
        assert_eq!(
            text(&event, "callId").as_deref(),
            Some(call_id.as_str()),
            "{}: an event of another call",
            case.name
        );
    }
    assert_eq!(
        text(&error, "operation").as_deref(),
        Some(case.verb.operation()),
        "{}",
        case.name
    );

    // What the error carries as its cause, and how soon an abort ends the call.
    let cause = get(&error, "cause");
    match (case.setup, case.cut) {
        (_, Cut::Before | Cut::After(_)) => {
            assert_eq!(
                cause.as_string().as_deref(),
                Some(ABORT_REASON),
                "{}",
                case.name
            );
        }
        (ThrowingFetch, _) => {
            assert_eq!(
                text(&cause, "message").as_deref(),
                Some("fetch exploded"),
                "{}",
                case.name
            );
            let message = text(&error, "message").unwrap();
            assert!(
                message.contains("fetch exploded"),
                "{}: {message}",
                case.name
            );
        }
        (ClosedPort, _) => {
            assert!(cause.is_object(), "{}: no cause", case.name);
            if is_node() {
                // A refused connection, not a port the fetch will not try.
                let message = text(&error, "message").unwrap();
                assert!(message.contains("ECONNREFUSED"), "{}: {message}", case.name);
            }
        }
        _ => {}
    }
    if let Cut::After(ms) = case.cut {
        assert!(
            took < f64::from(ms) + 500.0,
            "{}: the abort took {took} ms to end the call",
            case.name
        );
    }
    if let Some(ms) = case.timeout_ms {
        let budget = f64::from(ms) * f64::from(case.attempts) + 1000.0;
        assert!(
            took < budget,
            "{}: timeouts of {ms} ms took {took} ms",
            case.name
        );
    }

    assert_attempts(case, &id, thrown.length()).await;
    if let Cut::After(ms) = case.cut {
        assert_fetch_aborted(case, &id, started + f64::from(ms));
    }

    // The same client, next call.
    let next = JsFuture::from(js_call(&core, Get, JOHN, &JsValue::UNDEFINED))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "{}: the next call failed: {:?}",
                case.name,
                text(&e, "message")
            )
        });
    assert!(
        text(&next, "account_status").is_some(),
        "{}: {next:?}",
        case.name
    );
}

fn js_fields(error: &JsValue, case: &Case) -> Fields {
    let number = |key: &str| get(error, key).as_f64();
    Fields {
        kind: text(error, "kind").unwrap_or_default(),
        status: number("status").map(|s| s as u16),
        statuscode: number("statuscode").map(|s| s as i64),
        retryable: get(error, "retryable")
            .as_bool()
            .unwrap_or_else(|| panic!("{}: retryable is not a boolean", case.name)),
        maybe_applied: get(error, "maybeApplied")
            .as_bool()
            .unwrap_or_else(|| panic!("{}: maybeApplied is not a boolean", case.name)),
        retry_after_ms: number("retryAfterMs").map(|ms| ms as u64),
        body: text(error, "body"),
    }
}

// ---------------------------------------------------------------- the Rust face

type Call = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

fn rust_call(client: &Client, verb: Verb, id: &str, timeout_ms: Option<u32>) -> Call {
    let timeout = timeout_ms.map(|ms| Duration::from_millis(u64::from(ms)));
    match verb {
        Get => {
            let mut request = client.get_account_status(id);
            if let Some(t) = timeout {
                request = request.timeout(t);
            }
            Box::pin(async move { request.await.map(drop) })
        }
        Put => {
            let params = SetAccountAttributeParams { value: "1".into() };
            let mut request = client.set_account_attribute(id, "max_agents", &params);
            if let Some(t) = timeout {
                request = request.timeout(t);
            }
            Box::pin(async move { request.await.map(drop) })
        }
        Post => {
            let params = AddAccountAddonParams {
                addon_id: "p4g7y4ft7".into(),
                valid_to: None,
            };
            let mut request = client.add_account_addon(id, &params);
            if let Some(t) = timeout {
                request = request.timeout(t);
            }
            Box::pin(async move { request.await.map(drop) })
        }
    }
}

async fn rust_case(case: &Case) {
    assert!(
        !matches!(case.setup, ThrowingFetch),
        "{}: JS face only",
        case.name
    );
    let id = arrange(case, "rust").await;
    let config = Config::new(&format!("{SANDBOX}/api"), RESELLER, KEY).max_retries(case.retries);
    let client = Client::new(config).unwrap();
    let call = rust_call(&client, case.verb, &id, case.timeout_ms);
    let started = js_sys::Date::now();
    match case.cut {
        Cut::No => {
            let error = call
                .await
                .err()
                .unwrap_or_else(|| panic!("{}: the call succeeded", case.name));
            assert_eq!(
                rust_fields(&error),
                case.want.fields(false),
                "{}: {error:?}",
                case.name
            );
            assert_eq!(
                error.operation(),
                case.verb.rust_operation(),
                "{}",
                case.name
            );
            assert_eq!(
                error.retry_after(),
                case.want.retry_after_ms.map(Duration::from_millis),
                "{}",
                case.name
            );
            if let Some(ms) = case.timeout_ms {
                assert!(
                    matches!(error, Error::Timeout { timeout_ms: Some(t), .. } if t == ms),
                    "{}: {error:?}",
                    case.name
                );
                let took = js_sys::Date::now() - started;
                let budget = f64::from(ms) * f64::from(case.attempts) + 1000.0;
                assert!(
                    took < budget,
                    "{}: timeouts of {ms} ms took {took} ms",
                    case.name
                );
            }
        }
        // Dropped before its first poll: nothing may be sent.
        Cut::Before => {
            drop(call);
            wait(100).await;
        }
        // Dropped while in flight or waiting to retry: the fetch is aborted,
        // nothing more is sent (given time for a retry that must not come).
        Cut::After(ms) => {
            let dropped_at = drop_after(call, ms, case.name).await;
            wait(1200).await;
            assert_fetch_aborted(case, &id, dropped_at);
        }
    }
    assert_attempts(case, &id, 0).await;

    // The same client, next call.
    let next = client
        .get_account_status(JOHN)
        .await
        .unwrap_or_else(|e| panic!("{}: the next call failed: {e}", case.name));
    assert!(next.account_status.is_some(), "{}: {next:?}", case.name);
}

fn rust_fields(error: &Error) -> Fields {
    Fields {
        kind: error.kind().as_str().into(),
        status: error.status(),
        statuscode: match error {
            Error::Api { statuscode, .. } => *statuscode,
            _ => None,
        },
        retryable: error.is_retryable(),
        maybe_applied: error.maybe_applied(),
        retry_after_ms: error.retry_after_ms(),
        body: error.body().map(String::from),
    }
}

// ---------------------------------------------------------------- the wire

/// The case's own path argument, registered with the sandbox (or the
/// recorder) as the case says.
async fn arrange(case: &Case, face: &str) -> String {
    let recorder = recorder();
    let id = format!("fm-{}-{face}-{}", case.name.replace('_', "-"), unique());
    let attempts_if_retried = case.retries + 1;
    match case.setup {
        Rule(f) => {
            let mut rule = serde_json::json!({
                "path_contains": format!("/{id}"),
                "status": f.status,
                "count": attempts_if_retried,
                "delay_ms": f.delay_ms,
            });
            if let Some(v) = f.retry_after {
                rule["retry_after"] = v.into();
            }
            if let Some(v) = f.body {
                rule["body"] = v.into();
            }
            if let Some(v) = f.content_type {
                rule["content_type"] = v.into();
            }
            let answer = control("POST", "/_sandbox/faults", Some(&rule.to_string())).await;
            assert_eq!(
                get(&answer, "ok").as_bool(),
                Some(true),
                "{}: rule refused: {answer:?}",
                case.name
            );
        }
        ClosedPort => {
            let redirects: Array = get(&recorder, "redirects").unchecked_into();
            redirects.push(
                &[JsValue::from(id.as_str()), CLOSED_PORT.into()]
                    .into_iter()
                    .collect::<Array>(),
            );
        }
        Real | ThrowingFetch => {}
    }
    id
}

/// Checks the attempts that reached the global fetch and the sandbox.
/// `own_fetch`: attempts a client's own fetch saw instead.
async fn assert_attempts(case: &Case, id: &str, own_fetch: u32) {
    let fetched = wire_requests(id).len() as u32 + own_fetch;
    assert_eq!(fetched, case.attempts, "{}: attempts fetched", case.name);
    let reaches_sandbox = matches!(case.setup, Real | Rule(_));
    let expected = if reaches_sandbox { case.attempts } else { 0 };
    assert_eq!(
        sandbox_saw(id).await,
        expected,
        "{}: requests the sandbox saw",
        case.name
    );
}

/// A call cut while its fetch was in flight aborts that fetch at once.
fn assert_fetch_aborted(case: &Case, id: &str, cut_at: f64) {
    let Cut::After(ms) = case.cut else { return };
    let in_flight = matches!(case.setup, Rule(f) if i64::from(f.delay_ms) > i64::from(ms));
    if !in_flight {
        return;
    }
    for request in wire_requests(id) {
        let aborted_at = get(&request, "abortedAt")
            .as_f64()
            .unwrap_or_else(|| panic!("{}: the fetch was not aborted", case.name));
        let late = aborted_at - cut_at;
        assert!(
            late < 300.0,
            "{}: the fetch was aborted {late} ms after the cut",
            case.name
        );
    }
}

/// The API requests of `id` the global fetch was given.
fn wire_requests(id: &str) -> Vec<JsValue> {
    let seen: Array = get(&recorder(), "seen").unchecked_into();
    seen.iter()
        .filter(|r| text(r, "url").is_some_and(|u| u.contains("/api/resellers/") && u.contains(id)))
        .collect()
}

/// Installs (once) a recorder around the global `fetch`, which both faces
/// call: it notes each request and when its signal aborts, and sends the
/// requests of a closed-port case to `CLOSED_PORT`.
fn recorder() -> JsValue {
    let install = Function::new_no_args(
        "if (globalThis.__faultMatrix) return globalThis.__faultMatrix; \
         const real = globalThis.fetch; const m = { seen: [], redirects: [] }; \
         globalThis.fetch = function (input, init) { \
           const url = String(input?.url ?? input); \
           const rec = { url, abortedAt: null }; \
           const signal = init?.signal ?? input?.signal; \
           signal?.addEventListener('abort', () => { rec.abortedAt ??= Date.now(); }); \
           m.seen.push(rec); \
           const to = url.includes('/api/resellers/') && m.redirects.find(([needle]) => url.includes(needle)); \
           if (!to) return real(input, init); \
           const target = to[1] + url.slice(new URL(url).origin.length); \
           if (typeof input === 'string' || input instanceof URL) return real(target, init); \
           return input.text().then((body) => real(target, { method: input.method, \
             headers: input.headers, body: body === '' ? undefined : body, signal: input.signal })); \
         }; \
         return (globalThis.__faultMatrix = m);",
    );
    install.call0(&JsValue::NULL).unwrap()
}

// ---------------------------------------------------------------- helpers

fn is_node() -> bool {
    Function::new_no_args("return typeof process === 'object' && !!process.versions?.node;")
        .call0(&JsValue::NULL)
        .unwrap()
        .is_truthy()
}

/// Whether the JS face's host tells a refused connection from a lost one:
/// Node's fetch names the cause (`ECONNREFUSED`); a browser says "Failed to
/// fetch" for both.
fn host_tells_unsent() -> bool {
    let node = js_sys::Reflect::get(&js_sys::global(), &"process".into())
        .ok()
        .filter(|p| p.is_object());
    node.is_some()
}

// ---------------------------------------------------------------- hostile bodies: the Rust face

/// A 5,000- and a 100,000-deep array in a documented text field and in an
/// undocumented one (tests/wasm.rs has the JS face's rounds: the headless
/// runner gives each file 20 s). The Rust face runs the same check before
/// the host's parser and serde-wasm-bindgen see the body; a client of the
/// sandbox's answers every 100 calls.
#[wasm_bindgen_test]
async fn rust_client_refuses_deep_arrays_1000_times() {
    let bystander = Client::new(Config::new(&format!("{SANDBOX}/api"), RESELLER, KEY)).unwrap();
    for depth in [5_000, 100_000] {
        for body in deep_bodies(depth) {
            let client = Client::with_transport(
                Config::new(&format!("{SANDBOX}/api"), RESELLER, KEY).max_retries(0),
                Answering(body),
            )
            .unwrap();
            for i in 0..1000 {
                let e = client.get_account("deep").await.unwrap_err();
                assert_eq!(
                    e.kind(),
                    liveagent_reseller::ErrorKind::Decode,
                    "{depth}: {e}"
                );
                if i % 100 == 99 {
                    let fine = client.get_account("fine").await.unwrap();
                    assert_eq!(fine.domain.as_deref(), Some("d.example.com"));
                    let fine = bystander.get_account(JOHN).await.unwrap();
                    assert_eq!(fine.account_id.as_deref(), Some(JOHN));
                }
            }
        }
    }
}

// ---------------------------------------------------------------- a hostile fetch: the Rust face

/// Installs (once) a `fetch` that misbehaves for base URLs naming a mode:
/// it rejects with a string, rejects with a value whose `toString` throws,
/// throws, or answers with a number. Other URLs go to the fetch it wraps.
fn hostile_fetch() {
    Function::new_no_args(
        "if (globalThis.__hostileFetch) return; \
         const inner = globalThis.fetch; \
         globalThis.fetch = function (input, init) { \
           const url = String(input?.url ?? input); \
           if (url.includes('/reject-string/')) return Promise.reject('just a string'); \
           if (url.includes('/reject-unprintable/')) return Promise.reject({ toString() { throw new Error('no'); } }); \
           if (url.includes('/throw/')) throw 42; \
           if (url.includes('/answer-number/')) return Promise.resolve(7); \
           return inner.call(this, input, init); \
         }; \
         globalThis.__hostileFetch = true;",
    )
    .call0(&JsValue::NULL)
    .unwrap();
}

/// A page's `fetch` may reject with any value, throw, or answer with no
/// `Response`: each is a `network` error (gloo-net's own `send` would panic,
/// aborting the instance), and the instance keeps working.
#[wasm_bindgen_test]
async fn rust_client_survives_a_hostile_fetch() {
    hostile_fetch();
    for (mode, shown) in [
        ("reject-string", Some("just a string")),
        ("reject-unprintable", None),
        ("throw", Some("42")),
        ("answer-number", Some("not a Response")),
    ] {
        let config = Config::new(&format!("{SANDBOX}/{mode}/api"), RESELLER, KEY).max_retries(0);
        let client = Client::new(config).unwrap();
        for _ in 0..3 {
            let e = client.get_account(JOHN).await.unwrap_err();
            assert_eq!(
                e.kind(),
                liveagent_reseller::ErrorKind::Network,
                "{mode}: {e}"
            );
            if let Some(shown) = shown {
                assert!(e.to_string().contains(shown), "{mode}: {e}");
            }
            assert!(!e.to_string().contains(KEY), "{mode}: {e}");
        }
    }
    let client = Client::new(Config::new(&format!("{SANDBOX}/api"), RESELLER, KEY)).unwrap();
    let fine = client.get_account(JOHN).await.unwrap();
    assert_eq!(fine.account_id.as_deref(), Some(JOHN));
}
