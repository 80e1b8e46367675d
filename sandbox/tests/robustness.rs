//! Clients that misbehave, over real HTTP: the sandbox answers each of
//! them (or drops a stalled one) and then answers the next request; many
//! concurrent writes to one account all land.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The sandbox still serves an ordinary call.
async fn assert_serving(sb: &Sandbox) {
    let reply = sb.get(&api_q("/variations", "")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// Sends raw bytes and returns the status of the answer, if any came
/// before the server closed the connection.
async fn status_of_raw(sb: &Sandbox, request: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(sb.addr).await.unwrap();
    let _ = stream.write_all(request).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf)).await;
    let head = String::from_utf8_lossy(&buf);
    head.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

#[tokio::test]
async fn a_client_that_stalls_in_its_headers_is_dropped_within_10_s() {
    let sb = start().await;
    let mut stalled = TcpStream::connect(sb.addr).await.unwrap();
    let started = Instant::now();
    stalled
        .write_all(
            format!(
                "GET {} HTTP/1.1\r\nHost: x\r\nX-Half: ",
                api_q("/variations", "")
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    // Others are served meanwhile.
    assert_serving(&sb).await;
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(12), stalled.read_to_end(&mut buf)).await;
    let elapsed = started.elapsed();
    assert!(closed.is_ok(), "connection still open after {elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(10),
        "dropped after {elapsed:?}"
    );
    assert!(
        elapsed >= sandbox::HEADER_READ_TIMEOUT - Duration::from_millis(500),
        "dropped too early, after {elapsed:?}"
    );
    // Whatever it got, it was no answer to its request.
    assert!(!String::from_utf8_lossy(&buf).contains("variations"));
    assert_serving(&sb).await;
}

#[tokio::test]
async fn invalid_percent_encoding_in_path_and_query() {
    let sb = start().await;
    for target in [
        api_q("/accounts/%zz", ""),
        api_q("/accounts/%", ""),
        api_q("/accounts/%4", ""),
        format!("{}?apikey=%zz", api("/accounts")),
        format!("{}?apikey={KEY}&created_from=%", api("/accounts")),
        format!("{}?%%%=%", api("/variations")),
    ] {
        let reply = sb.get(&target).await;
        assert!(
            reply.assert_error(400).contains("percent-encoding"),
            "{target}"
        );
        assert_serving(&sb).await;
    }
    let control = sb.get("/_sandbox/requests?path_contains=%zz").await;
    assert_eq!(control.status, 400);
    assert_eq!(sb.get("/%zz/%").await.status, 404);
    assert_serving(&sb).await;
}

#[tokio::test]
async fn invalid_utf8_in_path_query_and_body() {
    let sb = start().await;
    // Encoded: the API's own 400.
    sb.get(&api_q("/accounts/%FF%FE", ""))
        .await
        .assert_error(400);
    sb.get(&format!("{}?apikey=%C3%28", api("/accounts")))
        .await
        .assert_error(400);
    // Raw bytes in the request line: HTTP itself refuses them.
    for raw in [
        &b"GET /api/resellers/\xff\xfe/accounts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..],
        b"GET /api/resellers/reseller@example.com/accounts?apikey=\xc3\x28 HTTP/1.1\r\nHost: x\r\n\
          Connection: close\r\n\r\n",
        b"GET /\x80 HTTP/1.1\r\nHost: \xff\r\nConnection: close\r\n\r\n",
    ] {
        let status = status_of_raw(&sb, raw).await;
        assert!(
            status.is_some_and(|s| (400..500).contains(&s)),
            "{status:?}"
        );
        assert_serving(&sb).await;
    }
    // Raw bytes in a form body and in its content type.
    let path = api(&format!("/accounts/{ACCOUNT1}/status"));
    let mut body = with_key("status=s&note=").into_bytes();
    body.extend_from_slice(b"\xc3\x28\xff");
    let reply = sb
        .send(
            "PUT",
            &path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &body,
        )
        .await;
    assert!(reply.assert_error(400).contains("UTF-8"));
    let mut request = format!(
        "PUT {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\nContent-Type: text/"
    )
    .into_bytes();
    request.extend_from_slice(b"\xff\xfe\r\n\r\nabc");
    assert!(status_of_raw(&sb, &request).await.is_some());
    assert_serving(&sb).await;
}

#[tokio::test]
async fn a_2_mib_body_is_413_with_or_without_a_length() {
    let sb = start().await;
    let path = api(&format!("/accounts/{ACCOUNT1}/status"));
    let mut body = with_key("note=").into_bytes();
    body.resize(2 * 1024 * 1024, b'a');

    let declared = sb
        .send(
            "PUT",
            &path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &body,
        )
        .await;
    declared.assert_error(413);
    assert_serving(&sb).await;

    let mut chunked = format!(
        "PUT {path}.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for piece in body.chunks(64 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let reply = sb.raw(&chunked).await;
    assert_eq!(reply.status, 413);
    assert!(reply.text().contains("<statuscode>413</statuscode>"));
    assert_serving(&sb).await;

    // Both were logged, without their body.
    let log = sb
        .get("/_sandbox/requests?path_contains=status")
        .await
        .json();
    let requests = log["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r["body"].is_null()));

    let control = sb
        .post_json("/_sandbox/faults", &"x".repeat(2 * 1024 * 1024))
        .await;
    assert_eq!(control.status, 413);
    assert_serving(&sb).await;
}

#[tokio::test]
async fn ten_thousand_parameters_in_a_query_and_in_a_form() {
    let sb = start().await;
    // A URI holds at most 64 KiB, so the query repeats one short name.
    let query = "a=1&".repeat(10_000);
    let reply = sb.get(&api_q("/accounts", &query)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.response()["accounts"].as_array().unwrap().len(), 2);

    let fields: Vec<String> = (0..10_000).map(|i| format!("p{i}=v{i}")).collect();
    let form = with_key(&format!("value=7&{}", fields.join("&")));
    let path = api(&format!("/accounts/{ACCOUNT1}/attributes/max_agents"));
    sb.form("PUT", &path, &form).await.assert_ok_status();
    let value = sb
        .get(&api_q(
            &format!("/accounts/{ACCOUNT1}/attributes/max_agents"),
            "",
        ))
        .await;
    assert_eq!(value.response()["value"], "7");

    // Far more than a URI may hold: refused by HTTP, server still up.
    let long = format!(
        "GET {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        api_q("/accounts", &"a=1&".repeat(40_000))
    );
    let status = status_of_raw(&sb, long.as_bytes()).await;
    assert!(status.is_none_or(|s| (400..500).contains(&s)), "{status:?}");
    assert_serving(&sb).await;
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let sb = start().await;
    sb.send("PATCH", &api_q("/accounts", ""), &[], b"")
        .await
        .assert_error(404);
    sb.send("BREW", &api_q("/accounts", ""), &[], b"")
        .await
        .assert_error(404);
    sb.send("GET", &api_q("/accounts/x/y/z/w/v", ""), &[], b"")
        .await
        .assert_error(404);
    assert_eq!(
        sb.send("PUT", "/_sandbox/faults", &[], b"").await.status,
        405
    );
    assert_eq!(
        sb.send("BREW", "/_sandbox/reset", &[], b"").await.status,
        405
    );
    assert_eq!(sb.get("/_sandbox/nothing").await.status, 404);
    assert_eq!(sb.get("/nothing/here").await.status, 404);
    assert_eq!(sb.send("DELETE", "/nothing", &[], b"").await.status, 404);
    let star = status_of_raw(
        &sb,
        b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(star.is_some());
    let garbage = status_of_raw(&sb, b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n").await;
    assert!(garbage.is_none_or(|s| s == 400), "{garbage:?}");
    assert_serving(&sb).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_writes_to_one_account_lose_none() {
    let sb = std::sync::Arc::new(start().await);
    let path = format!("/accounts/{ACCOUNT1}/addons");
    let mut tasks = Vec::new();
    for i in 0..100 {
        let sb = sb.clone();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let valid_to = format!("2030-01-01+00%3A{:02}%3A{:02}", i / 60, i % 60);
            sb.form(
                "POST",
                &api(&path),
                &with_key(&format!("addon_id=p9t5s4s5&valid_to={valid_to}")),
            )
            .await
        }));
    }
    for task in tasks {
        task.await.unwrap().assert_ok_status();
    }
    let addons = sb.get(&api_q(&path, "")).await.response()["addons"].clone();
    let addons = addons.as_array().unwrap();
    assert_eq!(addons.len(), 102);
    let valid_to: HashSet<&str> = addons
        .iter()
        .skip(2)
        .map(|a| a["valid_to"].as_str().unwrap())
        .collect();
    assert_eq!(valid_to.len(), 100, "every add-on landed once");
    let codes: HashSet<&str> = addons
        .iter()
        .map(|a| a["license_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 102, "codes are unique");

    let attribute = format!("/accounts/{ACCOUNT1}/attributes/max_agents");
    let mut tasks = Vec::new();
    for i in 0..100 {
        let sb = sb.clone();
        let attribute = attribute.clone();
        tasks.push(tokio::spawn(async move {
            sb.form(
                "PUT",
                &api(&attribute),
                &with_key(&format!("value={}", 1000 + i)),
            )
            .await
        }));
    }
    for task in tasks {
        task.await.unwrap().assert_ok_status();
    }
    let value = sb.get(&api_q(&attribute, "")).await.response()["value"].clone();
    let value: u32 = value.as_str().unwrap().parse().unwrap();
    assert!((1000..1100).contains(&value), "{value}");
    let log = sb
        .get("/_sandbox/requests?path_contains=max_agents")
        .await
        .json();
    assert_eq!(log["requests"].as_array().unwrap().len(), 101);
}

#[tokio::test]
async fn chaos_presets() {
    let sb = start().await;
    let target = api_q("/variations", "");

    let rule = sb
        .post_json(
            "/_sandbox/faults",
            r#"{"preset": "wrong_key", "path_contains": "/variations"}"#,
        )
        .await;
    assert_eq!(rule.status, 200, "{}", rule.text());
    assert_eq!(rule.json()["rules"][0]["preset"], "wrong_key");
    let wrong = sb.get(&target).await;
    assert_eq!(
        wrong.assert_error(401),
        "authentication failed: wrong API key"
    );
    assert!(!wrong.text().contains(KEY));
    assert_serving(&sb).await;

    sb.post_json("/_sandbox/faults", r#"{"preset": "503_burst"}"#)
        .await;
    for _ in 0..3 {
        let reply = sb.get(&target).await;
        reply.assert_error(503);
        assert_eq!(reply.header("retry-after"), Some("1"));
    }
    assert_serving(&sb).await;

    sb.post_json(
        "/_sandbox/faults",
        r#"{"preset": "slow", "delay_ms": 300, "count": 1}"#,
    )
    .await;
    let started = Instant::now();
    assert_serving(&sb).await;
    assert!(started.elapsed() >= Duration::from_millis(300));

    let hang = sb
        .post_json(
            "/_sandbox/faults",
            r#"{"preset": "hang", "path_contains": "/licenses"}"#,
        )
        .await;
    assert_eq!(hang.json()["rules"][0]["delay_ms"], 120_000);
    let hung =
        tokio::time::timeout(Duration::from_millis(1500), sb.get(&api_q("/licenses", ""))).await;
    assert!(hung.is_err(), "a hang answers late");
    assert_serving(&sb).await;

    let too_long = sb
        .post_json("/_sandbox/faults", r#"{"delay_ms": 300001}"#)
        .await;
    assert_eq!(too_long.status, 400);
    assert!(too_long.text().contains("300000"));
}
