//! The error envelope and its HTTP statuses, and malformed input that must
//! be answered (400/413) rather than crash the server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;

#[tokio::test]
async fn wrong_key_is_401_and_never_echoed() {
    let sb = start().await;
    let reply = sb
        .get(&format!("{}?apikey=wrong-secret-key", api("/accounts")))
        .await;
    let message = reply.assert_error(401);
    assert!(!reply.text().contains("wrong-secret-key"));
    assert!(!reply.text().contains(KEY));
    assert!(message.contains("authentication"));
    let missing = sb.get(&api("/accounts")).await;
    missing.assert_error(401);
    let wrong_in_body = sb
        .form(
            "PUT",
            &api(&format!("/accounts/{ACCOUNT1}/status")),
            "apikey=nope&status=s&note=n",
        )
        .await;
    wrong_in_body.assert_error(401);
}

#[tokio::test]
async fn wrong_reseller_is_401() {
    let sb = start().await;
    let reply = sb
        .get(&format!(
            "/api/resellers/someone-else/accounts?apikey={KEY}"
        ))
        .await;
    reply.assert_error(401);
}

#[tokio::test]
async fn the_key_is_scrubbed_even_when_echoed_from_elsewhere() {
    let sb = start().await;
    // A client that wrongly puts the key into a path argument.
    let reply = sb.get(&api_q(&format!("/accounts/{KEY}"), "")).await;
    reply.assert_error(404);
    assert!(!reply.text().contains(KEY), "{}", reply.text());
}

#[tokio::test]
async fn unknown_account_is_404() {
    let sb = start().await;
    let reply = sb.get(&api_q("/accounts/does-not-exist", "")).await;
    let message = reply.assert_error(404);
    assert!(message.contains("does-not-exist"));
    assert!(reply.response()["debugmessage"]
        .as_str()
        .unwrap()
        .contains("getAccount"));
    for path in [
        "/accounts/nope/status",
        "/accounts/nope/users",
        "/accounts/nope/addons",
        "/accounts/nope/attributes/max_agents",
    ] {
        sb.get(&api_q(path, "")).await.assert_error(404);
    }
}

#[tokio::test]
async fn unknown_route_is_a_404_envelope() {
    let sb = start().await;
    sb.get(&api_q("/nothing-here", "")).await.assert_error(404);
    sb.get("/api/whatever").await.assert_error(404);
    sb.get("/api").await.assert_error(404);
    // Known path, wrong method.
    sb.delete(&api_q("/accounts", "")).await.assert_error(404);
    // Empty path argument.
    sb.get(&api_q("/accounts//status", ""))
        .await
        .assert_error(404);
}

#[tokio::test]
async fn missing_mandatory_parameter_is_400_naming_it() {
    let sb = start().await;
    let reply = sb
        .form(
            "PUT",
            &api(&format!("/accounts/{ACCOUNT1}/variation")),
            &with_key(""),
        )
        .await;
    assert_eq!(reply.assert_error(400), "parameter variationid is missing");
    let create = sb
        .form(
            "POST",
            &api("/accounts"),
            &with_key("customer_email=a%40b.co"),
        )
        .await;
    assert_eq!(
        create.assert_error(400),
        "parameter variation_id is missing"
    );
}

#[tokio::test]
async fn post_params_come_from_the_body_not_the_query() {
    let sb = start().await;
    let path = format!("/accounts/{ACCOUNT1}/status");
    // Key in the query is accepted, other params there are not.
    let reply = sb
        .form("PUT", &format!("{}&status=s&note=n", api_q(&path, "")), "")
        .await;
    assert_eq!(reply.assert_error(400), "parameter status is missing");
    let key_in_query = sb.form("PUT", &api_q(&path, ""), "status=s&note=n").await;
    key_in_query.assert_ok_status();
}

#[tokio::test]
async fn bad_percent_encoding_in_path_is_400() {
    let sb = start().await;
    let reply = sb.get(&api_q("/accounts/%zz", "")).await;
    assert!(reply.assert_error(400).contains("percent-encoding"));
    let truncated = sb.get(&api_q("/accounts/abc%4", "")).await;
    truncated.assert_error(400);
    let not_utf8 = sb.get(&api_q("/accounts/%FF%FE", "")).await;
    not_utf8.assert_error(400);
    let bad_query = sb.get(&format!("{}?apikey=%zz", api("/accounts"))).await;
    bad_query.assert_error(400);
    // Still serving.
    assert_eq!(sb.get(&api_q("/variations", "")).await.status, 200);
}

#[tokio::test]
async fn non_utf8_form_body_is_400() {
    let sb = start().await;
    let path = api(&format!("/accounts/{ACCOUNT1}/status"));
    let mut body = with_key("status=s&note=").into_bytes();
    body.extend_from_slice(&[0xff, 0xfe, 0x80]);
    let reply = sb
        .send(
            "PUT",
            &path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &body,
        )
        .await;
    assert!(reply.assert_error(400).contains("UTF-8"));
    let encoded = sb.form("PUT", &path, &with_key("status=s&note=%FF")).await;
    encoded.assert_error(400);
    assert_eq!(sb.get(&api_q("/variations", "")).await.status, 200);
}

#[tokio::test]
async fn wrong_content_type_is_400() {
    let sb = start().await;
    let reply = sb
        .post_json(&api("/accounts"), &format!("{{\"apikey\":\"{KEY}\"}}"))
        .await;
    assert!(reply.assert_error(400).contains("x-www-form-urlencoded"));
    assert!(!reply.text().contains(KEY));
}

#[tokio::test]
async fn huge_body_is_413() {
    let sb = start().await;
    let mut body = with_key("note=").into_bytes();
    body.resize(2 * 1024 * 1024, b'a');
    let reply = sb
        .send(
            "PUT",
            &api(&format!("/accounts/{ACCOUNT1}/status")),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &body,
        )
        .await;
    reply.assert_error(413);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(sb.get(&api_q("/variations", "")).await.status, 200);
}

#[tokio::test]
async fn garbage_requests_do_not_stop_the_server() {
    let sb = start().await;
    for raw in [
        &b"GET /api/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..],
        b"BREW /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"PUT /api/resellers/reseller@example.com/accounts/x/status HTTP/1.1\r\nHost: x\r\n\
          Connection: close\r\nContent-Length: 99\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nshort",
    ] {
        let mut stream = tokio::net::TcpStream::connect(sb.addr).await.unwrap();
        use tokio::io::AsyncWriteExt;
        let _ = stream.write_all(raw).await;
        let _ = stream.shutdown().await;
        let mut sink = Vec::new();
        use tokio::io::AsyncReadExt;
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut sink),
        )
        .await;
    }
    assert_eq!(sb.get(&api_q("/variations", "")).await.status, 200);
}
