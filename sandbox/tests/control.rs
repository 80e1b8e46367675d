//! XML output, CORS, fault injection, the request log, reset, static files
//! and the benchmark seed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use sandbox::Config;
use serde_json::json;

#[tokio::test]
async fn xml_of_a_list_call() {
    let sb = start().await;
    let reply = sb
        .get(&api_q(&format!("/accounts/{ACCOUNT1}/addons.xml"), ""))
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").unwrap().contains("xml"));
    assert_eq!(
        reply.text(),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n <addons>\n  <addon>\n   \
         <id>abg7y8e4</id>\n   <description>Proactive chat</description>\n   \
         <name>Proactive chat</name>\n   <price>99.90</price>\n   \
         <valid_from>2009-11-12 15:21:32</valid_from>\n   <valid_to/>\n   \
         <license_code>ss5l5sa6</license_code>\n   <status>A</status>\n  </addon>\n  <addon>\n   \
         <id>t7f7y4gt</id>\n   <description>Gamification</description>\n   \
         <name>Gamification</name>\n   <price>19.40</price>\n   \
         <valid_from>2009-11-12 15:21:32</valid_from>\n   \
         <valid_to>2010-10-08 12:15:48</valid_to>\n   <license_code>g7s86aa8</license_code>\n   \
         <status>A</status>\n  </addon>\n </addons>\n</response>\n"
    );
    let variations = sb.get(&api_q("/variations.xml", "")).await.text();
    assert!(variations.contains("<variations>\n  <variation>\n   <name>Free</name>"));
    assert!(variations.contains("<addons>\n    <addon>\n     <name>Proactive chat</name>"));
}

#[tokio::test]
async fn xml_of_a_status_call_and_of_an_error() {
    let sb = start().await;
    let reply = sb
        .form(
            "PUT",
            &api(&format!("/accounts/{ACCOUNT1}/status.xml")),
            &with_key("status=s&note=n"),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.text(),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n <status>OK</status>\n \
         <statuscode>0</statuscode>\n</response>\n"
    );
    let status = sb
        .get(&api_q(&format!("/accounts/{ACCOUNT1}/status.xml"), ""))
        .await;
    assert!(status.text().contains("<account_status>s</account_status>"));
    let error = sb.get(&api_q("/accounts/nope.xml", "")).await;
    assert_eq!(error.status, 404);
    assert!(error
        .text()
        .contains("<status>ERROR</status>\n <statuscode>404</statuscode>"));
}

#[tokio::test]
async fn cors_preflight_and_simple_responses() {
    let sb = start().await;
    let reply = sb
        .send(
            "OPTIONS",
            &api("/accounts"),
            &[
                ("Origin", "http://localhost:5173"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type, x-extra"),
                ("Access-Control-Request-Private-Network", "true"),
            ],
            b"",
        )
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let methods = reply.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "PUT", "DELETE", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    let headers = reply
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    assert!(
        headers.contains("content-type") && headers.contains("x-extra"),
        "{headers}"
    );
    assert_eq!(
        reply.header("access-control-allow-private-network"),
        Some("true")
    );
    assert!(reply
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Retry-After"));

    for target in [api_q("/accounts", ""), api("/accounts")] {
        let r = sb.get(&target).await;
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("*"),
            "{target}"
        );
    }
    // The control routes are no API: no CORS for anyone unnamed.
    let json = sb.get("/sandbox.json").await;
    assert_eq!(json.status, 200);
    assert_eq!(json.header("access-control-allow-origin"), None);
    // Preflights are not logged and do not use up fault rules.
    assert_eq!(
        sb.get("/_sandbox/requests").await.json()["requests"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn fault_rule_answers_count_times_then_lets_through() {
    let sb = start().await;
    let rule = sb
        .post_json(
            "/_sandbox/faults",
            r#"{"path_contains": "/status", "status": 503, "count": 2, "retry_after": "0"}"#,
        )
        .await;
    assert_eq!(rule.status, 200, "{}", rule.text());
    assert_eq!(rule.header("access-control-allow-origin"), None);
    let target = api_q(&format!("/accounts/{ACCOUNT1}/status"), "");
    for _ in 0..2 {
        let r = sb.get(&target).await;
        r.assert_error(503);
        assert_eq!(r.header("retry-after"), Some("0"));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    assert_eq!(sb.get(&target).await.status, 200);
    // Other paths were never affected.
    assert_eq!(sb.get(&api_q("/variations", "")).await.status, 200);
    let rules = sb.get("/_sandbox/faults").await.json();
    assert_eq!(rules["rules"], json!([]));
}

#[tokio::test]
async fn fault_rule_with_raw_body_and_delay_only() {
    let sb = start().await;
    sb.post_json(
        "/_sandbox/faults",
        r#"{"path_contains": "/variations", "status": 200, "body": "not json", "content_type": "text/plain"}"#,
    )
    .await;
    let raw = sb.get(&api_q("/variations", "")).await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.text(), "not json");
    assert_eq!(raw.header("content-type"), Some("text/plain"));

    sb.post_json(
        "/_sandbox/faults",
        r#"{"path_contains": "/variations", "status": 200, "delay_ms": 300}"#,
    )
    .await;
    let started = Instant::now();
    let delayed = sb.get(&api_q("/variations", "")).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(delayed.status, 200);
    assert!(delayed.response()["variations"].is_array());

    let bad = sb.post_json("/_sandbox/faults", r#"{"status": 42}"#).await;
    assert_eq!(bad.status, 400);
    let typo = sb
        .post_json("/_sandbox/faults", r#"{"paht_contains": "x"}"#)
        .await;
    assert_eq!(typo.status, 400);
}

#[tokio::test]
async fn request_log_shows_the_wire() {
    let sb = start().await;
    sb.get(&api_q("/accounts/a%2Fb/status", "x=1")).await;
    sb.form(
        "PUT",
        &api(&format!("/accounts/{ACCOUNT1}/status")),
        &with_key("status=s&note=a+b"),
    )
    .await;
    let all = sb.get("/_sandbox/requests").await;
    assert_eq!(all.status, 200);
    let requests = all.json()["requests"].as_array().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0]["method"], "GET");
    assert_eq!(
        requests[0]["path"],
        "/api/resellers/reseller@example.com/accounts/a%2Fb/status"
    );
    // The key is never kept, not even the right one.
    assert_eq!(requests[0]["query"], "apikey=[redacted]&x=1");
    let last = &requests[1];
    assert_eq!(last["method"], "PUT");
    assert_eq!(last["body"], "apikey=[redacted]&status=s&note=a+b");
    assert!(!all.text().contains(KEY));
    assert_eq!(last["content_type"], "application/x-www-form-urlencoded");
    assert_eq!(last["query"], "");

    let filtered = sb
        .get("/_sandbox/requests?path_contains=a%252Fb")
        .await
        .json();
    assert_eq!(filtered["requests"].as_array().unwrap().len(), 1);
    let none = sb
        .get("/_sandbox/requests?path_contains=licenses")
        .await
        .json();
    assert_eq!(none["requests"], json!([]));
}

#[tokio::test]
async fn sandbox_json_describes_the_connection() {
    let sb = start().await;
    let reply = sb.get("/sandbox.json").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({
            "baseUrl": format!("http://{}/api", sb.addr),
            "reseller": RESELLER,
            "apiKey": KEY
        })
    );
}

#[tokio::test]
async fn reset_restores_the_seed_and_clears_rules_and_log() {
    let sb = start().await;
    sb.form(
        "PUT",
        &api(&format!("/accounts/{ACCOUNT1}/status")),
        &with_key("status=t&note=n"),
    )
    .await
    .assert_ok_status();
    sb.post_json(
        "/_sandbox/faults",
        r#"{"path_contains": "/variations", "count": 5}"#,
    )
    .await;
    let reset = sb.send("POST", "/_sandbox/reset", &[], b"").await;
    assert_eq!(reset.status, 200);
    assert_eq!(
        sb.get("/_sandbox/requests").await.json()["requests"],
        json!([])
    );
    let status = sb
        .get(&api_q(&format!("/accounts/{ACCOUNT1}/status"), ""))
        .await;
    assert_eq!(status.response()["account_status"], "a");
    assert_eq!(sb.get(&api_q("/variations", "")).await.status, 200);
}

#[tokio::test]
async fn fail_rate_and_latency_flags() {
    let sb = start_with(Config {
        fail_rate: 1.0,
        latency_ms: 100,
        ..Config::default()
    })
    .await;
    let started = Instant::now();
    let reply = sb.get(&api_q("/variations", "")).await;
    assert!(started.elapsed() >= Duration::from_millis(100));
    reply.assert_error(503);
    assert_eq!(reply.header("retry-after"), Some("1"));
    // Control routes are never faulted.
    assert_eq!(sb.get("/sandbox.json").await.status, 200);

    let half = start_with(Config {
        fail_rate: 0.5,
        ..Config::default()
    })
    .await;
    let mut failures = 0;
    for _ in 0..40 {
        if half.get(&api_q("/variations", "")).await.status == 503 {
            failures += 1;
        }
    }
    assert!((5..=35).contains(&failures), "{failures}");
}

#[tokio::test]
async fn seed_accounts_10000_lists_10002() {
    let sb = start_with(Config {
        seed_accounts: 10_000,
        ..Config::default()
    })
    .await;
    let reply = sb.get(&api_q("/accounts", "")).await;
    assert_eq!(reply.status, 200);
    let accounts = reply.response()["accounts"].as_array().unwrap().clone();
    assert_eq!(accounts.len(), 10_002);
    let last = &accounts[10_001];
    assert_eq!(last["customer_email"], "customer10000@example.com");
    assert!(sandbox::clock::is_datetime(
        last["date_created"].as_str().unwrap()
    ));
    let id = last["account_id"].as_str().unwrap();
    let one = sb.get(&api_q(&format!("/accounts/{id}"), "")).await;
    assert_eq!(one.response()["account_id"], id);
}

#[tokio::test]
async fn static_files_under_www_and_pkg() {
    let dir = std::env::temp_dir().join(format!("sandbox-static-{}", std::process::id()));
    let www = dir.join("www");
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(www.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(pkg.join("client.wasm"), b"\0asm").unwrap();
    std::fs::write(pkg.join("index.mjs"), "export {};").unwrap();
    std::fs::write(pkg.join("index.d.ts"), "export {};").unwrap();
    std::fs::write(www.join("app.js"), "void 0;").unwrap();
    std::fs::write(dir.join("secret.txt"), "secret").unwrap();
    let sb = start_with(Config {
        www: Some(www),
        pkg: Some(pkg),
        ..Config::default()
    })
    .await;
    let index = sb.get("/").await;
    assert_eq!(index.status, 200);
    assert_eq!(index.text(), "<h1>demo</h1>");
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let wasm = sb.get("/pkg/client.wasm").await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(sb.get("/../secret.txt").await.status, 404);
    assert_eq!(sb.get("/%2e%2e/secret.txt").await.status, 404);
    assert_eq!(sb.get("/missing.js").await.status, 404);
    for (path, content_type) in [
        ("/pkg/index.mjs", "text/javascript; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/pkg/index.d.ts", "text/plain; charset=utf-8"),
    ] {
        let reply = sb.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    }
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let head = sb.send("HEAD", "/pkg/client.wasm", &[], b"").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("application/wasm"));
    assert!(head.body.is_empty());
    assert_eq!(sb.send("PUT", "/app.js", &[], b"x").await.status, 405);
    assert_eq!(sb.get("/pkg/..%2f..%2fsecret.txt").await.status, 404);
    assert_eq!(sb.get("/%00").await.status, 404);
    assert_eq!(sb.get(&format!("/{}", "a".repeat(300))).await.status, 404);
    // The API still wins over the static folder.
    assert_eq!(sb.get(&api_q("/variations", "")).await.status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn control_routes_are_closed_to_other_origins() {
    let sb = start().await;
    let evil = [("Origin", "https://evil.example")];
    sb.get(&api_q("/variations", "")).await;
    for (method, path) in [
        ("GET", "/sandbox.json"),
        ("GET", "/_sandbox/requests"),
        ("POST", "/_sandbox/reset"),
        ("DELETE", "/_sandbox/requests"),
    ] {
        let reply = sb.send(method, path, &evil, b"").await;
        assert_eq!(reply.status, 403, "{method} {path}");
        assert_eq!(reply.header("access-control-allow-origin"), None);
        assert!(!reply.text().contains(KEY));
    }
    // Nothing was cleared, and a preflight gets no permission either.
    let log = sb.get("/_sandbox/requests").await.json();
    assert_eq!(log["requests"].as_array().unwrap().len(), 1);
    let preflight = sb
        .send(
            "OPTIONS",
            "/_sandbox/faults",
            &[
                ("Origin", "https://evil.example"),
                ("Access-Control-Request-Method", "POST"),
            ],
            b"",
        )
        .await;
    assert_eq!(preflight.header("access-control-allow-origin"), None);
    assert_eq!(preflight.header("access-control-allow-methods"), None);
    // The sandbox's own pages (the demo) and the API for everyone still work.
    let own = format!("http://{}", sb.addr);
    let same = sb
        .send("GET", "/sandbox.json", &[("Origin", &own)], b"")
        .await;
    assert_eq!(same.status, 200);
    let api = sb.send("GET", &api_q("/variations", ""), &evil, b"").await;
    assert_eq!(api.status, 200);
    assert_eq!(api.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn allow_origin_opens_the_controls_for_named_origins() {
    let sb = start_with(Config {
        allow_origin: vec![
            "http://localhost:5173".to_owned(),
            "http://127.0.0.1:*".to_owned(),
        ],
        ..Config::default()
    })
    .await;
    for origin in ["http://localhost:5173", "http://127.0.0.1:4000"] {
        let reply = sb
            .send("GET", "/sandbox.json", &[("Origin", origin)], b"")
            .await;
        assert_eq!(reply.status, 200, "{origin}");
        assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
        let preflight = sb
            .send(
                "OPTIONS",
                "/_sandbox/faults",
                &[
                    ("Origin", origin),
                    ("Access-Control-Request-Method", "POST"),
                ],
                b"",
            )
            .await;
        assert_eq!(preflight.status, 204);
        assert_eq!(
            preflight.header("access-control-allow-origin"),
            Some(origin)
        );
    }
    let other = sb
        .send(
            "GET",
            "/sandbox.json",
            &[("Origin", "http://localhost:5174")],
            b"",
        )
        .await;
    assert_eq!(other.status, 403);
}
