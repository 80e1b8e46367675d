//! The Rust `Client` natively (feature `native`: reqwest on tokio) against
//! an in-process sandbox: what reaches the wire, what comes back decoded,
//! every error kind, per-call options, retries, and that dropping a call
//! aborts it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::future::IntoFuture;
use std::time::{Duration, Instant};

use liveagent_reseller::{
    AccountStatusChange, ChangeAccountStatusParams, Client, Config, Error, ErrorKind,
    ListAccountsParams, SetAccountAttributeParams,
};
use serde_json::Value;

mod support;

use support::{
    assert_john_is_active, assert_suspends, deep_bodies, nested, new_account, Answering, JOHN, KEY,
    RESELLER,
};

/// A sandbox of our own on a free port; returns its origin.
async fn sandbox() -> String {
    let config = sandbox::Config {
        port: 0,
        ..sandbox::Config::default()
    };
    let (addr, _task) = sandbox::serve(config).await.unwrap();
    sandbox::origin(addr)
}

fn client(origin: &str) -> Client {
    Client::new(Config::new(&format!("{origin}/api"), RESELLER, KEY)).unwrap()
}

async fn fault(origin: &str, rule: Value) {
    let response = reqwest::Client::new()
        .post(format!("{origin}/_sandbox/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "fault rule refused");
}

/// How many API requests whose path contains `needle` the sandbox saw.
async fn requests_to(origin: &str, needle: &str) -> usize {
    seen(origin, needle).await.len()
}

/// The sandbox answers the next request whose path contains `path` with
/// `body`, as JSON with status 200.
async fn answer_once(origin: &str, path: &str, body: &str) {
    let rule = serde_json::json!({
        "path_contains": path, "status": 200, "count": 1,
        "body": body, "content_type": "application/json"
    });
    fault(origin, rule).await;
}

/// The API requests the sandbox saw whose path contains `needle`.
async fn seen(origin: &str, needle: &str) -> Vec<Value> {
    let log: Value = reqwest::get(format!("{origin}/_sandbox/requests"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = log
        .as_array()
        .cloned()
        .or_else(|| log["requests"].as_array().cloned())
        .unwrap_or_default();
    rows.into_iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.contains(needle)))
        .collect()
}

#[test]
fn client_is_clone_send_sync_debug_and_hides_the_key() {
    fn check<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    check::<Client>();
    let c = Client::new(Config::new("http://127.0.0.1:1/api", RESELLER, "s3cret")).unwrap();
    let shown = format!("{c:?} {:?}", c.get_account("x"));
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("127.0.0.1:1"), "{shown}");
}

#[tokio::test]
async fn typed_results_on_the_wire_and_back() {
    let origin = sandbox().await;
    let c = client(&origin);
    let accounts = c
        .list_accounts(Some(&ListAccountsParams {
            created_from: Some("2000-01-01 00:00:00".into()),
            created_to: None,
        }))
        .await
        .unwrap()
        .accounts
        .unwrap();
    assert_john_is_active(&accounts);
    // The sandbox logs the key redacted: the parameter is there, in its place.
    let get = seen(&origin, "/accounts").await;
    let row = get.last().unwrap();
    assert_eq!(row["method"], "GET");
    assert_eq!(
        row["query"],
        "created_from=2000-01-01+00%3A00%3A00&apikey=[redacted]"
    );

    let sub = format!("native{}", std::process::id());
    let created = c.create_account(&new_account(&sub)).await.unwrap();
    let id = created.account_id.unwrap();
    let post = seen(&origin, "/accounts").await;
    let row = post.last().unwrap();
    assert_eq!(row["method"], "POST");
    assert_eq!(row["query"], "");
    assert_eq!(row["content_type"], "application/x-www-form-urlencoded");
    assert!(row["body"]
        .as_str()
        .unwrap()
        .ends_with("&apikey=[redacted]"));

    assert_suspends(&c, &id).await;
}

#[tokio::test]
async fn api_errors_are_typed_and_keyless() {
    let origin = sandbox().await;
    let c = client(&origin);
    match c.get_account("no-such-account").await {
        Err(Error::Api { status: 404, .. }) => {}
        other => panic!("{other:?}"),
    }
    let wrong = Client::new(Config::new(
        &format!("{origin}/api"),
        RESELLER,
        "wrong/key+",
    ))
    .unwrap();
    let e = wrong.list_variations().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert!(!format!("{e} {e:?}").contains("wrong/key"), "{e:?}");
    let e = c.get_account("..").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = c
        .get_account(JOHN)
        .timeout(Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = c.get_account(JOHN).max_retries(11).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn a_body_that_does_not_fit_the_type_names_the_field() {
    let origin = sandbox().await;
    answer_once(
        &origin,
        "/accounts/typed",
        r#"{"response":{"account_id":{"x":1}}}"#,
    )
    .await;
    let e = client(&origin).get_account("typed").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("account_id"), "{e}");
    assert!(e.body().unwrap().contains("account_id"));
}

#[tokio::test]
async fn retries_follow_the_policy() {
    let origin = sandbox().await;
    let c = client(&origin);
    fault(
        &origin,
        serde_json::json!({"path_contains": "/accounts/retry1", "status": 503, "count": 2, "retry_after": "0"}),
    )
    .await;
    let e = c.get_account_status("retry1").await.unwrap_err();
    assert_eq!(e.status(), Some(404), "answered for real after two 503s");
    assert_eq!(requests_to(&origin, "/accounts/retry1").await, 3);

    fault(
        &origin,
        serde_json::json!({"path_contains": "/accounts/retry2", "status": 429, "count": 5, "retry_after": "0"}),
    )
    .await;
    let e = c
        .set_account_attribute(
            "retry2",
            "max_agents",
            &SetAccountAttributeParams { value: "3".into() },
        )
        .max_retries(1)
        .await
        .unwrap_err();
    assert_eq!((e.status(), e.is_retryable()), (Some(429), true));
    assert_eq!(e.retry_after(), Some(Duration::ZERO));
    assert_eq!(requests_to(&origin, "/accounts/retry2").await, 2);

    fault(
        &origin,
        serde_json::json!({"path_contains": "/accounts/retry3", "status": 503, "count": 5, "retry_after": "0"}),
    )
    .await;
    let e = c
        .add_account_addon(
            "retry3",
            &liveagent_reseller::AddAccountAddonParams {
                addon_id: "p4g7y4ft7".into(),
                valid_to: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(
        requests_to(&origin, "/accounts/retry3").await,
        1,
        "POST is sent once"
    );
}

#[tokio::test]
async fn a_per_call_timeout_fires_alone() {
    let origin = sandbox().await;
    fault(
        &origin,
        serde_json::json!({"path_contains": "/accounts/slow", "status": 200, "count": 5, "delay_ms": 3000}),
    )
    .await;
    let started = Instant::now();
    let e = client(&origin)
        .get_account_status("slow")
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            e,
            Error::Timeout {
                timeout_ms: Some(300),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert_eq!(requests_to(&origin, "/accounts/slow").await, 1);
}

#[tokio::test]
async fn network_errors_are_retryable() {
    let c =
        Client::new(Config::new("http://127.0.0.1:9/api", RESELLER, KEY).max_retries(0)).unwrap();
    let e = c.list_variations().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(e.is_retryable());
    assert!(!e.to_string().contains(KEY), "{e}");
}

#[tokio::test]
async fn dropping_the_future_aborts_and_sends_nothing_more() {
    let origin = sandbox().await;
    fault(
        &origin,
        serde_json::json!({"path_contains": "/accounts/dropped", "status": 503, "count": 5, "delay_ms": 400, "retry_after": "0"}),
    )
    .await;
    let call = client(&origin).get_account_status("dropped").into_future();
    let cut = tokio::time::timeout(Duration::from_millis(100), call).await;
    assert!(cut.is_err(), "the call should still be pending");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        requests_to(&origin, "/accounts/dropped").await,
        1,
        "no retry after the drop"
    );
}

#[tokio::test]
async fn numbers_in_text_fields_keep_their_text_and_digit_strings_are_ints() {
    let origin = sandbox().await;
    answer_once(
        &origin,
        "/accounts/numeric",
        r#"{"response":{"account_id":1.50,"customer_name":"N","extra":true}}"#,
    )
    .await;
    let account = client(&origin).get_account("numeric").await.unwrap();
    assert_eq!(account.account_id.as_deref(), Some("1.50"));
    assert_eq!(account.customer_name.as_deref(), Some("N"));

    answer_once(
        &origin,
        "/accounts/digits/status",
        r#"{"response":{"status":"OK","statuscode":"0"}}"#,
    )
    .await;
    let done = client(&origin)
        .change_account_status(
            "digits",
            &ChangeAccountStatusParams {
                status: AccountStatusChange::Active,
                note: "n".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(done.statuscode, Some(0));

    answer_once(
        &origin,
        "/accounts/boolean",
        r#"{"response":{"account_id":"a","date_created":true}}"#,
    )
    .await;
    let e = client(&origin).get_account("boolean").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.to_string().contains("date_created: expected text"), "{e}");
}

/// A 5,000- and a 100,000-deep array in a documented text field, in an
/// undocumented one and as the envelope's status: `decode` (the core's
/// JSON check, before serde_json), 1,000 times, and the client works next.
#[tokio::test]
async fn deep_arrays_are_decode_errors_and_the_client_works_next() {
    for depth in [5_000, 100_000] {
        let status = format!(r#"{{"response":{{"status":{}}}}}"#, nested(depth));
        for body in deep_bodies(depth).into_iter().chain([status]) {
            let config = Config::new("https://example.com/api", RESELLER, KEY).max_retries(0);
            let client = Client::with_transport(config, Answering(body)).unwrap();
            for _ in 0..1000 {
                let e = client.get_account("deep").await.unwrap_err();
                assert_eq!(e.kind(), ErrorKind::Decode, "{depth}: {e}");
                assert!(e.to_string().contains("nests more than 128 levels"), "{e}");
            }
            let fine = client.get_account("fine").await.unwrap();
            assert_eq!(fine.domain.as_deref(), Some("d.example.com"));
        }
    }
}
