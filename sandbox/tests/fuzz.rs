//! Property: whatever path, query, body, method and content type a client
//! sends, the sandbox answers (never a panic), an `/api` request in the
//! API's envelope, and no answer leaks the key or a file outside the
//! served folders. In-process: the router is called as a function, with
//! requests the HTTP layer could hand it.
//!
//! `FUZZ_CASES` sets the number of cases (default 2,000; `make fuzz`
//! runs 100,000). Prints one line: `fuzz sandbox_request: N cases, 0 failures`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode, Uri};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use sandbox::Config;
use tower::ServiceExt;

const KEY: &str = "sandbox-api-key";
const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-SERVED-FOLDERS";
const DEFAULT_CASES: u32 = 2_000;

/// The 21 calls: method, path after `/resellers/{reseller}/` with a
/// placeholder for each path argument (`{a}` account, `{l}` license, `{n}`
/// attribute name, `{u}` user, `{g}` add-on license code), and fields
/// that pass the call's checks.
const CALLS: &[(&str, &str, &str)] = &[
    ("GET", "accounts/{a}/addons", ""),
    (
        "POST",
        "accounts/{a}/addons",
        "addon_id=p9t5s4s5&valid_to=2030-01-01+00%3A00%3A00",
    ),
    ("GET", "accounts", "created_from=2013-01-01+00%3A00%3A00"),
    ("GET", "accounts/{a}", ""),
    (
        "POST",
        "accounts",
        "variation_id=r7g4y7ya&customer_email=new%40shop.test&customer_name=New&subdomain=newshop",
    ),
    ("GET", "accounts/{a}/status", ""),
    ("PUT", "accounts/{a}/status", "status=s&note=unpaid"),
    ("PUT", "accounts/{a}/variation", "variationid=7h4r7s54"),
    (
        "GET",
        "signupcheck/domain",
        "productid=la&subdomain=mysupport",
    ),
    (
        "GET",
        "signupcheck/email",
        "productid=la&email=john%40example.com",
    ),
    ("GET", "variations", ""),
    ("GET", "accounts/{a}/attributes/{n}", ""),
    ("PUT", "accounts/{a}/attributes/{n}", "value=12"),
    ("DELETE", "accounts/{a}/users/{u}", ""),
    ("GET", "accounts/{a}/users", ""),
    ("GET", "licenses/{l}/addons", ""),
    ("POST", "licenses/{l}/addons", "addon_id=p4g7y4ft7"),
    (
        "PUT",
        "licenses/{l}/addons/{g}/validity",
        "valid_to=2031-02-03+04%3A05%3A06",
    ),
    ("GET", "licenses", "customer_identifier=john%40doe.com"),
    ("GET", "licenses/{l}/attributes/{n}", ""),
    ("PUT", "licenses/{l}/attributes/{n}", "value=3"),
];

/// A seeded record's id for a placeholder kind, so that calls get past
/// their lookups.
fn known_id(kind: char) -> &'static [u8] {
    match kind {
        'a' => b"9900a49c321c871cd1a572a1dc21a33c",
        'l' => b"lat47ts4",
        'n' => b"max_agents",
        'u' => b"user456",
        _ => b"ss5l5sa6",
    }
}

/// Path segments that reach deep into the routes, and ones that break them.
const SEGMENTS: &[&str] = &[
    "9900a49c321c871cd1a572a1dc21a33c",
    "9900a49c321c871cd1a572a1dc21a33c",
    "f7u4g79c321cf77td1a572a1dcg7uyf4",
    "lat47ts4",
    "lat47ts4",
    "max_agents",
    "max_agents",
    "user456",
    "user789",
    "ss5l5sa6",
    "g7s86aa8",
    "accounts",
    "licenses",
    "addons",
    "status",
    "api",
    "resellers",
    "reseller@example.com",
    "reseller%40example.com",
    "_sandbox",
    "faults",
    "requests",
    "sandbox.json",
    "pkg",
    "index.html",
    "client.wasm",
    "app.mjs",
    "sub",
    "..",
    ".",
    "",
    "%2e%2e",
    "%2E%2E%2F",
    "%zz",
    "%",
    "%4",
    "%FF%FE",
    "%C3%A9",
    "%C3%28",
    "a%2Fb",
    "%00",
    "..%2f..%2fsecret.txt",
    "secret.txt",
    "status.xml",
    "%E2%82",
    "é",
    "\u{1F600}",
    "sandbox-api-key",
];

/// Parameter names the calls read, and a few more.
const NAMES: &[&str] = &[
    "value",
    "status",
    "note",
    "addon_id",
    "valid_to",
    "valid_from",
    "created_from",
    "created_to",
    "variationid",
    "variation_id",
    "customer_email",
    "customer_name",
    "subdomain",
    "productid",
    "email",
    "customtopdomain",
    "top_domain",
    "customer_identifier",
    "extra_params",
    "path_contains",
    "apikey",
    "",
    "%zz",
    "a+b",
    "%FF",
];

const VALUES: &[&str] = &[
    "sandbox-api-key",
    "wrong-key",
    "",
    "s",
    "a",
    "t",
    "x",
    "0",
    "99",
    "-1",
    "4294967296",
    "p4g7y4ft7",
    "p9t5s4s5",
    "r7g4y7ya",
    "t7f4u7fd",
    "2030-07-01+12%3A00%3A00",
    "2012-01-01 00:00:00",
    "2024-13-01+00:00:00",
    "a%40b.co",
    "john%40example.com",
    "shop",
    "mysupport",
    "%",
    "%zz",
    "%FF",
    "%C3%A9",
    "+",
    "%00",
    "ladesk.com",
    "%3Cb%3E%26",
];

/// Bodies for `POST /_sandbox/faults`: valid and invalid rules, none with
/// a delay or a raw body (the property checks the envelope of later API
/// answers, and must not sleep).
const RULES: &[&str] = &[
    "{}",
    r#"{"preset": "503_burst"}"#,
    r#"{"preset": "wrong_key", "path_contains": "/accounts"}"#,
    r#"{"preset": "slow", "delay_ms": 0}"#,
    r#"{"status": 429, "retry_after": 2}"#,
    r#"{"status": 42}"#,
    r#"{"preset": "hang", "delay_ms": 400000}"#,
    r#"{"retry_after": "a\nb"}"#,
    r#"{"paht_contains": "x"}"#,
    "[]",
    "null",
];

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "BREW", "TRACE",
];

const CONTENT_TYPES: &[&str] = &[
    "application/x-www-form-urlencoded; charset=UTF-8",
    "APPLICATION/X-WWW-FORM-URLENCODED",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "",
    ";;;",
];

const FORM: &str = "application/x-www-form-urlencoded";

/// One request, as generated.
#[derive(Debug, Clone)]
struct Input {
    method: &'static str,
    path: Vec<u8>,
    query: Option<Vec<u8>>,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

fn segment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => select(SEGMENTS).prop_map(|s| s.as_bytes().to_vec()),
        2 => "[A-Za-z0-9._~!$&'()*+,;=:@%-]{0,10}".prop_map(String::into_bytes),
        1 => ".{0,6}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ]
}

fn join(parts: Vec<Vec<u8>>, separator: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.extend(part);
    }
    out
}

fn pair() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        4 => select(NAMES).prop_map(str::to_owned),
        1 => ".{0,6}",
    ];
    let value = prop_oneof![
        4 => select(VALUES).prop_map(str::to_owned),
        1 => ".{0,12}",
    ];
    (name, value, prop::bool::weighted(0.9)).prop_map(|(name, value, with_equals)| {
        if with_equals {
            format!("{name}={value}").into_bytes()
        } else {
            name.into_bytes()
        }
    })
}

/// Query or form fields: usually well-formed, with or without the right
/// key; sometimes any bytes at all.
fn fields() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        6 => Just(format!("apikey={KEY}")),
        1 => Just("apikey=wrong-key".to_owned()),
        1 => Just(String::new()),
    ];
    let well_formed = (key, prop::collection::vec(pair(), 0..4)).prop_map(|(key, pairs)| {
        let mut parts = vec![key.into_bytes()];
        parts.extend(pairs);
        join(parts, b'&')
    });
    prop_oneof![
        8 => well_formed,
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

/// One of the 21 calls, its arguments mostly seeded ids (else from
/// [`segment`]), mostly with the right method, parameters where the vendor puts them and the right
/// content type.
fn api_input() -> impl Strategy<Value = Input> {
    let reseller = prop_oneof![
        8 => Just(b"reseller@example.com".to_vec()),
        1 => segment(),
    ];
    let method = prop::option::weighted(0.1, select(METHODS));
    let content_type = prop_oneof![
        8 => Just(Some(FORM)),
        1 => Just(None),
        1 => select(CONTENT_TYPES).prop_map(Some),
    ];
    (
        select(CALLS),
        reseller,
        prop::collection::vec((prop::bool::weighted(0.75), segment()), 2),
        method,
        prop::bool::weighted(0.15),
        (fields(), prop::bool::weighted(0.7)),
        prop::option::weighted(0.1, fields()),
        content_type,
    )
        .prop_map(
            |(
                (call_method, route, passing),
                reseller,
                args,
                method,
                xml,
                (mut params, pass),
                extra,
                content_type,
            )| {
                let mut path = b"/api/resellers/".to_vec();
                path.extend(reseller);
                path.push(b'/');
                let mut args = args.into_iter();
                for (i, piece) in route.split('{').enumerate() {
                    let Some((kind, rest)) = piece.split_once('}').filter(|_| i > 0) else {
                        path.extend_from_slice(piece.as_bytes());
                        continue;
                    };
                    match args.next() {
                        Some((true, _)) | None => {
                            path.extend_from_slice(known_id(kind.chars().next().unwrap_or('a')));
                        }
                        Some((false, other)) => path.extend(other),
                    }
                    path.extend_from_slice(rest.as_bytes());
                }
                if xml {
                    path.extend_from_slice(b".xml");
                }
                if pass && !passing.is_empty() {
                    // Last value wins: these fields get past the call's checks.
                    params.push(b'&');
                    params.extend_from_slice(passing.as_bytes());
                }
                let method = method.unwrap_or(call_method);
                let (query, body) = if method == "POST" || method == "PUT" {
                    (extra, params)
                } else {
                    (Some(params), extra.unwrap_or_default())
                };
                Input {
                    method,
                    path,
                    query,
                    content_type,
                    body,
                }
            },
        )
}

/// The control routes, with rule bodies and log filters.
fn control_input() -> impl Strategy<Value = Input> {
    let route = prop_oneof![
        6 => Just(("POST", "/_sandbox/faults")),
        2 => Just(("GET", "/_sandbox/requests")),
        1 => Just(("GET", "/_sandbox/faults")),
        1 => Just(("DELETE", "/_sandbox/faults")),
        1 => Just(("DELETE", "/_sandbox/requests")),
        1 => Just(("POST", "/_sandbox/reset")),
        1 => Just(("GET", "/sandbox.json")),
        1 => Just(("GET", "/")),
    ];
    let body = prop_oneof![
        4 => select(RULES).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ];
    (route, prop::option::weighted(0.3, fields()), body).prop_map(
        |((method, path), query, body)| Input {
            method,
            path: path.as_bytes().to_vec(),
            query,
            content_type: Some("application/json"),
            body,
        },
    )
}

/// Anything: any method on any path, static files included.
fn any_input() -> impl Strategy<Value = Input> {
    let path = prop_oneof![
        3 => prop::collection::vec(segment(), 0..6).prop_map(|parts| {
            let mut path = b"/".to_vec();
            path.extend(join(parts, b'/'));
            path
        }),
        1 => prop::collection::vec(any::<u8>(), 0..40),
    ];
    let body = prop_oneof![
        2 => fields(),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ];
    (
        select(METHODS),
        path,
        prop::option::weighted(0.5, fields()),
        prop::option::weighted(0.5, select(CONTENT_TYPES)),
        body,
    )
        .prop_map(|(method, path, query, content_type, body)| Input {
            method,
            path,
            query,
            content_type,
            body,
        })
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        12 => api_input(),
        1 => control_input(),
        3 => any_input(),
    ]
}

/// The request target as the HTTP layer would hand it over. A target the
/// URI parser refuses never reaches the router (hyper answers 400 itself),
/// so such bytes are percent-encoded instead, keeping the case useful.
fn uri(input: &Input) -> Result<Uri, TestCaseError> {
    let mut target = input.path.clone();
    if let Some(query) = &input.query {
        target.push(b'?');
        target.extend_from_slice(query);
    }
    if let Ok(uri) = Uri::try_from(target.clone()) {
        return Ok(uri);
    }
    let mut encoded = Vec::new();
    if target.first() != Some(&b'/') {
        encoded.push(b'/');
    }
    for byte in target {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&byte) {
            encoded.push(byte);
        } else {
            encoded.extend_from_slice(format!("%{byte:02X}").as_bytes());
        }
    }
    Uri::try_from(encoded).map_err(|e| TestCaseError::fail(format!("no URI from the target: {e}")))
}

fn request(input: &Input) -> Result<Request<Body>, TestCaseError> {
    let mut builder = Request::builder()
        .method(Method::from_bytes(input.method.as_bytes()).unwrap())
        .uri(uri(input)?);
    if let Some(content_type) = input.content_type {
        builder = builder.header(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    builder
        .body(Body::from(input.body.clone()))
        .map_err(|e| TestCaseError::fail(format!("no request: {e}")))
}

/// Folders to serve, and a secret beside them that must never be served.
fn folders() -> (PathBuf, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("sandbox-fuzz-{}", std::process::id()));
    let www = dir.join("www");
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(www.join("sub")).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(www.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(www.join("app.mjs"), "export {};").unwrap();
    std::fs::write(pkg.join("client.wasm"), b"\0asm").unwrap();
    std::fs::write(dir.join("secret.txt"), SECRET).unwrap();
    (dir, www, pkg)
}

/// What every answer must satisfy.
fn check(input: &Input, uri: &Uri, status: StatusCode, body: &[u8]) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(body);
    prop_assert!(!text.contains(SECRET), "served a file outside the folders");
    let path = uri.path();
    let is_api = path == "/api" || path.starts_with("/api/");
    // 503 comes from the fault rules the property registers on the way.
    prop_assert!(
        !status.is_server_error() || (is_api && status == StatusCode::SERVICE_UNAVAILABLE),
        "server error {status}: {text}"
    );
    if !is_api || input.method == "HEAD" || input.method == "OPTIONS" {
        return Ok(());
    }
    // An /api answer: the envelope, in the format asked for.
    if path.ends_with(".xml") {
        prop_assert!(text.starts_with("<?xml"), "not XML: {text}");
        if status != StatusCode::OK {
            let code = format!("<statuscode>{}</statuscode>", status.as_u16());
            prop_assert!(text.contains(&code), "{status}: {text}");
        }
    } else {
        let json: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {text}")))?;
        let response = &json["response"];
        prop_assert!(response.is_object(), "no envelope: {text}");
        if status != StatusCode::OK {
            prop_assert_eq!(&response["status"], "ERROR");
            prop_assert_eq!(&response["statuscode"], status.as_u16());
        }
    }
    if status != StatusCode::OK {
        prop_assert!(!text.contains(KEY), "the key in an error: {text}");
    }
    Ok(())
}

#[test]
fn fuzz_sandbox_request() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let (dir, www, pkg) = folders();
    let config = Config {
        seed: 42,
        www: Some(www),
        pkg: Some(pkg),
        ..Config::default()
    };
    let app = sandbox::router(config, SocketAddr::from(([127, 0, 0, 1], 8080)));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut runner = TestRunner::new(RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let result = runner.run(&input(), |input| {
        let request = request(&input)?;
        let uri = request.uri().clone();
        let (status, body) = runtime.block_on(async {
            let response = app.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await;
            (status, body)
        });
        let body = body.map_err(|e| TestCaseError::fail(format!("body failed: {e}")))?;
        check(&input, &uri, status, &body)
    });
    let _ = std::fs::remove_dir_all(&dir);
    let failures = u32::from(result.is_err());
    println!("fuzz sandbox_request: {cases} cases, {failures} failures");
    if let Err(error) = result {
        panic!("{error}");
    }
}
