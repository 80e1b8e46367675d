//! The exchange as a driver sees it: bytes in, steps out.

use super::*;
use crate::generated::ops;
use crate::sansio::config::Config;
use crate::sansio::drift::{Drift, DriftKind};
use crate::sansio::operation::{Field, FieldKind};
use serde_json::{json, Value};

const KEY: &str = "k3y/+";

fn clock(now_ms: f64) -> Clock {
    Clock {
        now_ms,
        random: 0.0,
    }
}

fn settings() -> Settings {
    Settings::new(
        Config::new("http://127.0.0.1:1/api", "r@example.com", KEY).header("X-Client", "c"),
    )
    .unwrap()
}

fn exchange(op: &'static Operation, retries: u32) -> Exchange {
    let args = vec!["id1"; op.path.len()];
    let args: Vec<&str> = args
        .into_iter()
        .take(
            op.path
                .iter()
                .filter(|s| matches!(s, crate::sansio::operation::Segment::Arg(_)))
                .count(),
        )
        .collect();
    let values: Vec<Option<&str>> = op
        .params
        .iter()
        .map(|p| {
            p.required.then_some(match p.kind {
                crate::sansio::operation::ParamKind::OneOf(codes) => codes[0],
                crate::sansio::operation::ParamKind::Datetime => "2024-01-01 00:00:00",
                crate::sansio::operation::ParamKind::Json => "{}",
                crate::sansio::operation::ParamKind::Text => "x",
            })
        })
        .collect();
    let options = CallOptions {
        max_retries: Some(retries),
        ..CallOptions::default()
    };
    Exchange::new(op, &settings(), 7, &args, &values, options, true).unwrap()
}

/// One attempt answered with `status` and `body`, cut in `chunks` pieces
/// of `size` bytes (0: one chunk).
fn answer(
    ex: &mut Exchange,
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    size: usize,
) -> Next {
    ex.start_attempt(1000.0);
    let mut next = ex.on_head(f64::from(status), retry_after, None, clock(1010.0));
    let size = if size == 0 { body.len().max(1) } else { size };
    for chunk in body.chunks(size) {
        if next != Next::Read {
            return next;
        }
        next = ex.on_chunk(chunk);
    }
    if next != Next::Read {
        return next;
    }
    ex.on_end(clock(1020.0), &mut Told::default())
}

/// The result as a face gets it: the edited body parsed, `response` taken.
fn result(body: &str, next: Next) -> Result<Value, Error> {
    match next {
        Next::Done(output) => {
            let text = output.apply(body.as_bytes());
            let value: Value = serde_json::from_slice(&text).unwrap();
            Ok(value["response"].clone())
        }
        Next::Fail(e) => Err(e),
        other => panic!("{other:?}"),
    }
}

fn respond(op: &'static Operation, status: u16, body: &str) -> Result<Value, Error> {
    let mut ex = exchange(op, 0);
    let next = answer(&mut ex, status, None, body.as_bytes(), 0);
    result(body, next)
}

/// The same verdict whatever the chunking.
fn respond_every_way(op: &'static Operation, body: &str) -> Result<Value, Error> {
    let whole = respond(op, 200, body);
    for size in [1, 2, 3, 7, 64] {
        let mut ex = exchange(op, 0);
        let next = answer(&mut ex, 200, None, body.as_bytes(), size);
        assert_eq!(result(body, next), whole, "chunks of {size}: {body}");
    }
    whole
}

#[test]
fn the_envelope_is_removed_and_the_body_needs_no_edit() {
    let mut ex = exchange(&ops::GET_ACCOUNT_STATUS, 2);
    let body = r#"{"response":{"account_status":"a"}}"#;
    let next = answer(&mut ex, 200, None, body.as_bytes(), 0);
    let ascii = Output {
        edits: Vec::new(),
        ascii: true,
    };
    assert_eq!(next, Next::Done(ascii));
    assert_eq!(
        respond_every_way(&ops::GET_ACCOUNT_STATUS, body),
        Ok(json!({"account_status": "a"}))
    );
}

#[test]
fn a_body_is_ascii_until_one_byte_of_it_is_not() {
    let op = &ops::GET_ACCOUNT;
    for (body, ascii) in [
        (r#"{"response":{"customer_name":"Jo"}}"#, true),
        (r#"{"response":{"customer_name":"J\u00f6"}}"#, true),
        (r#"{"response":{"customer_name":"Jö"}}"#, false),
        (r#"{"response":{"x":["ö"],"customer_name":"Jo"}}"#, false),
    ] {
        for size in [0, 1, 3] {
            let next = answer(&mut exchange(op, 0), 200, None, body.as_bytes(), size);
            assert!(
                matches!(&next, Next::Done(output) if output.ascii == ascii),
                "{body} in chunks of {size}: {next:?}"
            );
        }
    }
}

#[test]
fn an_error_envelope_under_200_is_an_api_error_with_the_key_scrubbed() {
    let body = r#"{"response":{"status":"ERROR","statuscode":"401","errormessage":"bad key k3y/+","debugmessage":"k3y\/+"}}"#;
    let e = respond(&ops::GET_ACCOUNT_STATUS, 200, body).unwrap_err();
    assert_eq!(
        (e.kind(), e.status(), e.call_id()),
        (ErrorKind::Api, Some(200), Some(7))
    );
    match &e {
        Error::Api {
            statuscode,
            errormessage,
            debugmessage,
            ..
        } => {
            assert_eq!(*statuscode, Some(401));
            assert_eq!(errormessage.as_deref(), Some("bad key [redacted]"));
            assert_eq!(debugmessage.as_deref(), Some("[redacted]"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{e:?}").contains("k3y"));
    // Under an error status, the envelope's words too.
    let e = respond(
        &ops::GET_ACCOUNT,
        404,
        r#"{"response":{"status":"ERROR","statuscode":404,"errormessage":"no such account"}}"#,
    )
    .unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(e.to_string().contains("no such account"), "{e}");
}

#[test]
fn bodies_that_are_not_the_envelope() {
    let op = &ops::LIST_VARIATIONS;
    let e = respond(op, 200, "<html>oops</html>").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.body(), Some("<html>oops</html>"));
    let e = respond(op, 200, r#"{"result":{}}"#).unwrap_err();
    assert!(e.to_string().contains("envelope"), "{e}");
    let e = respond(op, 200, r#"{"response":[]}"#).unwrap_err();
    assert!(e.to_string().contains("envelope"), "{e}");
    let e = respond(op, 200, r#"[{"response":{}}]"#).unwrap_err();
    assert!(e.to_string().contains("envelope"), "{e}");
    let e = respond(op, 500, "<h1>Internal</h1>").unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Api, Some(500)));
    assert_eq!(e.body(), Some("<h1>Internal</h1>"));
    // Bodies are cut at 4,096 characters, the key removed first.
    let long = format!("k3y/+{}", "é".repeat(5000));
    let e = respond(op, 200, &long).unwrap_err();
    assert_eq!(e.body().map(|b| b.chars().count()), Some(4096));
    assert!(e.body().unwrap().starts_with("[redacted]é"));
}

#[test]
fn a_2xx_body_that_is_not_json_fails_once_its_excerpt_is_kept() {
    let mut ex = exchange(&ops::GET_ACCOUNT, 2);
    ex.start_attempt(0.0);
    assert_eq!(ex.on_head(200.0, None, None, clock(0.0)), Next::Read);
    assert_eq!(ex.on_chunk(b"{\"response\":"), Next::Read);
    // The check stops here; the excerpt still wants the rest.
    assert_eq!(ex.on_chunk(b"<html>k3y/"), Next::Read);
    assert_eq!(ex.on_chunk(b"+</html>"), Next::Read);
    match ex.on_end(clock(0.0), &mut Told::default()) {
        Next::Fail(e) => {
            assert_eq!(e.kind(), ErrorKind::Decode);
            assert_eq!(e.body(), Some("{\"response\":<html>[redacted]</html>"));
        }
        other => panic!("{other:?}"),
    }
    // A long one: read no further than its excerpt, none of the key shown.
    let mut ex = exchange(&ops::GET_ACCOUNT, 2);
    ex.start_attempt(0.0);
    assert_eq!(ex.on_head(200.0, None, None, clock(0.0)), Next::Read);
    let mut next = Next::Read;
    let mut chunks = 0;
    while next == Next::Read {
        next = ex.on_chunk("<p>é k3y/+ ".repeat(100).as_bytes());
        chunks += 1;
        assert!(chunks < 100, "read on");
    }
    match next {
        Next::Fail(e) => {
            let body = e.body().unwrap_or_default();
            assert_eq!(body.chars().count(), 4096);
            assert!(!body.contains("k3y") && !body.ends_with("k3") && !body.ends_with('k'));
        }
        other => panic!("{other:?}"),
    }
    // Not JSON under 503: retried once the body ended.
    let mut ex = exchange(&ops::GET_ACCOUNT, 2);
    let next = answer(&mut ex, 503, Some("1"), b"<html>busy</html>", 3);
    assert_eq!(next, Next::Wait(1000));
}

#[test]
fn any_depth_is_refused_without_recursion() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    for n in [5_000, 100_000] {
        for body in [
            format!(r#"{{"response":{{"account_id":{}}}}}"#, deep(n)),
            format!(r#"{{"response":{{"nope":{}}}}}"#, deep(n)),
        ] {
            let e = respond(&ops::GET_ACCOUNT, 200, &body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode);
            assert!(e.to_string().contains("128 levels"), "{e}");
        }
    }
}

#[test]
fn fields_are_named_by_their_path_when_wrong() {
    let op = &ops::LIST_ACCOUNTS;
    let wrong = |body: &str| respond_every_way(op, body).unwrap_err().to_string();
    let m = wrong(r#"{"response":{"accounts":[{"account_id":"1"},7]}}"#);
    assert!(m.contains("accounts[1]: expected an object"), "{m}");
    let m = wrong(r#"{"response":{"accounts":"none"}}"#);
    assert!(m.contains("accounts: expected a list"), "{m}");
    let m = wrong(r#"{"response":{"accounts":[{},{"domain":{"a":1}}]}}"#);
    assert!(m.contains("accounts[1].domain: expected text"), "{m}");
    let m = wrong(r#"{"response":{"accounts":[{"domain":true}]}}"#);
    assert!(m.contains("accounts[0].domain: expected text"), "{m}");
    assert_eq!(
        respond_every_way(op, r#"{"response":{"accounts":null}}"#),
        Ok(json!({"accounts": null}))
    );
    // The first wrong field in the table's order, whatever the body's.
    let (first, second) = {
        let fields = op.fields;
        let list = fields
            .iter()
            .find_map(|f| match f.kind {
                FieldKind::List(rows) => Some(rows),
                _ => None,
            })
            .unwrap();
        let texts: Vec<&Field> = list.iter().filter(|f| f.kind.is_text()).collect();
        (texts[0].name, texts[1].name)
    };
    let m = wrong(&format!(
        r#"{{"response":{{"accounts":[{{"{second}":[],"{first}":[]}}]}}}}"#
    ));
    assert!(
        m.contains(&format!("accounts[0].{first}: expected text")),
        "{m}"
    );
}

#[test]
fn ints_are_whole_numbers_within_i64_and_digit_strings_become_numbers() {
    let op = &ops::SET_ACCOUNT_ATTRIBUTE;
    assert!(op
        .fields
        .iter()
        .any(|f| f.name == "statuscode" && f.kind == FieldKind::Int));
    let ok = |value: &str| {
        let body = format!(r#"{{"response":{{"status":"OK","statuscode":{value}}}}}"#);
        respond_every_way(op, &body).map(|v| v["statuscode"].clone())
    };
    assert_eq!(ok("7"), Ok(json!(7)));
    assert_eq!(ok("\"401\""), Ok(json!(401)));
    assert_eq!(ok("\" -7\\t\""), Ok(json!(-7)));
    assert_eq!(ok("1e3"), Ok(json!(1000)));
    assert_eq!(ok("2.50e1"), Ok(json!(25)));
    assert_eq!(ok("-0.0"), Ok(json!(0)));
    assert_eq!(ok("-9223372036854775808"), Ok(json!(i64::MIN)));
    assert_eq!(ok("9223372036854775807"), Ok(json!(i64::MAX)));
    assert_eq!(ok("null"), Ok(json!(null)));
    for bad in [
        "1.5",
        "9223372036854775808",
        "1e19",
        "\"1.5\"",
        "\"x\"",
        "\"\"",
        "true",
        "[]",
        "{}",
        "0.1e1000",
        "12345678901234567890123",
    ] {
        let e = ok(bad).unwrap_err();
        assert!(
            e.to_string()
                .contains("statuscode: expected a whole number"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn numbers_in_text_fields_keep_their_exact_text() {
    let op = &ops::LIST_ACCOUNTS;
    let body =
        r#"{"response":{"accounts":[{"account_id":99.90,"domain":-1.50e2},{"account_id":"x"}]}}"#;
    let value = respond_every_way(op, body).unwrap();
    assert_eq!(value["accounts"][0]["account_id"], json!("99.90"));
    assert_eq!(value["accounts"][0]["domain"], json!("-1.50e2"));
    let mut ex = exchange(op, 0);
    match answer(&mut ex, 200, None, body.as_bytes(), 0) {
        Next::Done(output) => assert_eq!(output.edits.len(), 4),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_documented_member_twice_is_refused() {
    let e = respond(
        &ops::GET_ACCOUNT,
        200,
        r#"{"response":{"account_id":"1","account_id":"2"}}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(
        e.to_string()
            .contains("account_id: the member appears twice"),
        "{e}"
    );
    let e = respond(&ops::GET_ACCOUNT, 200, r#"{"response":{},"response":{}}"#).unwrap_err();
    assert!(
        e.to_string().contains("response: the member appears twice"),
        "{e}"
    );
    // Undocumented members may repeat: kept as sent.
    assert!(respond(&ops::GET_ACCOUNT, 200, r#"{"response":{"x":1,"x":2}}"#).is_ok());
}

#[test]
fn undocumented_fields_are_kept_as_sent_and_told_once_per_client() {
    let op = &ops::LIST_ACCOUNTS;
    let mut body = String::from(r#"{"response":{"accounts":["#);
    for i in 0..1_002 {
        if i > 0 {
            body.push(',');
        }
        let status = if i % 2 == 0 { "a" } else { "z" };
        body.push_str(&format!(
            r#"{{"account_id":"{i}","status":"{status}","plan":"secret{i}","extra":{{"deep":[true,1.5]}}}}"#
        ));
    }
    body.push_str(r#"],"statuscode":7,"next":"x"}}"#);
    let mut told = Told::default();
    let drifts = |told: &mut Told| {
        let mut ex = exchange(op, 0);
        ex.start_attempt(0.0);
        assert_eq!(ex.on_head(200.0, None, None, clock(0.0)), Next::Read);
        for chunk in body.as_bytes().chunks(100) {
            assert_eq!(ex.on_chunk(chunk), Next::Read);
        }
        let next = ex.on_end(clock(0.0), told);
        let value = result(&body, next).unwrap();
        assert_eq!(value["accounts"][1]["plan"], "secret1");
        assert_eq!(value["accounts"][1]["extra"], json!({"deep": [true, 1.5]}));
        ex.take_events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Drift { attempt, drift } => {
                    assert_eq!(
                        (attempt.operation, attempt.js_operation),
                        ("list_accounts", "listAccounts")
                    );
                    Some(drift)
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let drift = |path: &str, what, value: Option<&str>| Drift {
        path: path.into(),
        what,
        value: value.map(String::from),
    };
    assert_eq!(
        drifts(&mut told),
        vec![
            drift("statuscode", DriftKind::Statuscode, Some("7")),
            drift("accounts[].plan", DriftKind::Field, None),
            drift("accounts[].extra", DriftKind::Field, None),
            drift("accounts[].status", DriftKind::Code, Some("z")),
            drift("next", DriftKind::Field, None),
        ]
    );
    assert_eq!(drifts(&mut told), vec![]);
}

#[test]
fn events_tell_each_attempt_with_both_names_and_the_call_id() {
    let mut ex = exchange(&ops::GET_ACCOUNT, 1);
    assert_eq!(answer(&mut ex, 503, Some("0"), b"busy", 0), Next::Wait(0));
    ex.start_attempt(2000.0);
    assert_eq!(
        ex.on_failure(Failure::Timeout(50), clock(2050.0)),
        Next::Fail(
            Error::Timeout {
                operation: "getAccount",
                call_id: None,
                timeout_ms: Some(50)
            }
            .for_call("getAccount", 7)
        )
    );
    let events = ex.take_events();
    let kinds: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::Request(a) => format!("request {}", a.attempt),
            Event::Response {
                attempt,
                status,
                elapsed,
            } => {
                format!(
                    "response {} {status} {}",
                    attempt.attempt,
                    elapsed.as_millis()
                )
            }
            Event::Retry {
                attempt,
                delay,
                reason,
                retry_after,
            } => format!(
                "retry {} {} {reason:?} {retry_after:?}",
                attempt.attempt,
                delay.as_millis()
            ),
            Event::Failure {
                attempt,
                kind,
                elapsed,
            } => {
                format!(
                    "failure {} {kind:?} {}",
                    attempt.attempt,
                    elapsed.as_millis()
                )
            }
            Event::Drift { .. } => String::from("drift"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "request 1",
            "response 1 503 20",
            "retry 1 0 Status(503) Some(0ns)",
            "request 2",
            "failure 2 Timeout 50",
        ]
    );
    for e in &events {
        let a = e.attempt();
        assert_eq!(
            (a.call_id, a.operation, a.js_operation, a.method),
            (7, "get_account", "getAccount", "GET")
        );
        assert!(
            a.url.contains("apikey=[redacted]") && !a.url.contains("k3y"),
            "{}",
            a.url
        );
    }
    assert!(ex.take_events().is_empty());
    // Unobserved: none.
    let mut quiet = Exchange::new(
        &ops::GET_ACCOUNT,
        &settings(),
        1,
        &["a"],
        &[],
        CallOptions::default(),
        false,
    )
    .unwrap();
    let _ = answer(&mut quiet, 200, None, br#"{"response":{"x":1}}"#, 0);
    assert!(quiet.take_events().is_empty());
}

#[test]
fn a_body_past_the_limit_is_read_no_further() {
    let settings =
        Settings::new(Config::new("http://127.0.0.1:1/api", "r", KEY).max_response_bytes(10))
            .unwrap();
    let mut ex = Exchange::new(
        &ops::GET_ACCOUNT,
        &settings,
        1,
        &["a"],
        &[],
        CallOptions::default(),
        true,
    )
    .unwrap();
    ex.start_attempt(0.0);
    assert_eq!(ex.on_head(200.0, None, None, clock(5.0)), Next::Read);
    assert_eq!(ex.on_chunk(b"{\"respo"), Next::Read);
    match ex.on_chunk(b"nse\":{}}") {
        Next::Fail(e) => {
            assert_eq!(e.kind(), ErrorKind::Decode);
            assert!(e.to_string().contains("limit of 10 bytes"), "{e}");
            assert!(!e.is_retryable() && e.maybe_applied());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        ex.take_events().last(),
        Some(Event::Response { status: 200, .. })
    ));
}

#[test]
fn redirects_are_never_followed() {
    let mut ex = exchange(&ops::GET_ACCOUNT, 2);
    ex.start_attempt(0.0);
    match ex.on_head(
        302.0,
        None,
        Some("http://other.example/?apikey=k3y%2F%2B"),
        clock(0.0),
    ) {
        Next::Fail(e) => {
            assert_eq!(
                (e.kind(), e.status(), e.call_id()),
                (ErrorKind::Api, Some(302), Some(7))
            );
            assert!(e.to_string().contains("apikey=[redacted]"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn headers_options_and_urls_are_decided_once() {
    let options = CallOptions {
        timeout_ms: Some(50),
        max_retries: Some(0),
        headers: vec![
            ("x-CLIENT".into(), "call".into()),
            ("Content-Type".into(), "x".into()),
        ],
    };
    let ex = Exchange::new(
        &ops::CREATE_ACCOUNT,
        &settings(),
        3,
        &[],
        &[Some("v"), Some("a@b.c"), Some("A"), Some("acme")],
        options,
        false,
    );
    let ex = match ex {
        Ok(ex) => ex,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        ex.headers(),
        [
            ("x-CLIENT".into(), "call".into()),
            ("content-type".into(), crate::sansio::request::FORM.into())
        ]
    );
    assert_eq!(
        (ex.timeout_ms(), ex.call_id(), ex.method()),
        (50, 3, Method::Post)
    );
    assert!(!ex.shown_url().contains("k3y"));
    assert!(ex
        .request()
        .body
        .as_deref()
        .unwrap_or_default()
        .contains("apikey="));
    let get = exchange(&ops::GET_ACCOUNT, 0);
    assert_eq!(get.headers(), [("X-Client".into(), "c".into())]);
    assert!(
        get.shown_url().ends_with("apikey=[redacted]"),
        "{}",
        get.shown_url()
    );
    assert_eq!(get.max_response_bytes(), 64 << 20);
    // Input errors: before anything is sent, with the call's id.
    let e = Exchange::new(
        &ops::GET_ACCOUNT,
        &settings(),
        9,
        &[".."],
        &[],
        CallOptions::default(),
        true,
    )
    .unwrap_err();
    assert_eq!((e.kind(), e.call_id()), (ErrorKind::InvalidInput, Some(9)));
}

/// Every documented field of every call, as `(path, kind, body maker)`.
type Placement = (String, FieldKind, Box<dyn Fn(&str) -> String>);

fn placements(
    fields: &'static [Field],
    wrap: &dyn Fn(String) -> String,
    out: &mut Vec<Placement>,
    prefix: &str,
) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        let name = field.name;
        let outer = wrap(String::from("{}"));
        let wrap_here = {
            let outer = outer.clone();
            move |v: &str| outer.replacen("{}", &format!("{{\"{name}\":{v}}}"), 1)
        };
        out.push((path.clone(), field.kind, Box::new(wrap_here.clone())));
        if let FieldKind::List(rows) = field.kind {
            let inner = move |row: String| wrap_here(&format!("[{row}]"));
            placements(rows, &inner, out, &format!("{path}[0]."));
        }
    }
}

/// The malformed-response matrix: each scalar kind in each documented
/// field of each call (nested rows included) comes back with its
/// documented type, or as a decode error naming the field's path.
#[test]
fn every_field_of_every_call_has_its_documented_type_or_fails_by_name() {
    let mut cases = 0;
    for op in ops::ALL {
        let mut fields = Vec::new();
        placements(op.fields, &|inner| inner, &mut fields, "");
        for (path, kind, place) in &fields {
            for value in [
                "\"x\"", "7", "99.90", "\"123\"", "true", "null", "{}", "[]", "[1]",
            ] {
                cases += 1;
                let body = format!("{{\"response\":{}}}", place(value));
                let ok = matches!(
                    (kind, value),
                    (_, "null")
                        | (
                            FieldKind::Text | FieldKind::Code(_),
                            "\"x\"" | "\"123\"" | "7" | "99.90"
                        )
                        | (FieldKind::Int, "7" | "\"123\"")
                        | (FieldKind::List(_), "[]")
                );
                match respond(op, 200, &body) {
                    Ok(payload) if ok => {
                        let shown = payload.to_string();
                        if kind.is_text() && (value == "7" || value == "99.90") {
                            assert!(shown.contains(&format!("\"{value}\"")), "{path}: {shown}");
                        }
                        if *kind == FieldKind::Int && value == "\"123\"" {
                            assert!(shown.contains(":123"), "{path}: {shown}");
                        }
                    }
                    Err(e) if !ok => {
                        assert_eq!(e.kind(), ErrorKind::Decode, "{}: {path} = {value}", op.name);
                        let at = if value == "[1]" && matches!(kind, FieldKind::List(_)) {
                            format!("{path}[0]: expected an object")
                        } else {
                            format!("{path}: expected")
                        };
                        assert!(e.to_string().contains(&at), "{}: {value}: {e}", op.name);
                    }
                    other => panic!("{}: {path} = {value}: {other:?}", op.name),
                }
            }
        }
    }
    assert!(cases > 500, "{cases} cases");
}
