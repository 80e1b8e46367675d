//! The Rust client natively (reqwest) against hostile servers written
//! here: a redirect to a second server that must receive nothing, a bad
//! `Location`, a 300 MB body read once with memory bounded, a body cut
//! after the status, statuses no HTTP server sends; and what `retryable`
//! and `maybe_applied` say about each for a GET and for a POST.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use liveagent_reseller::{Client, Config, Error, ErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod support;

use support::{new_account, RESELLER};

/// Its own key, with characters the URL escapes (`k3y%2F%2B…`): a leak of
/// either form shows.
const KEY: &str = "k3y/+secret";
const MB: u64 = 1 << 20;

/// What a hostile server answers to every request.
#[derive(Clone)]
enum Reply {
    /// These bytes, then the connection closes.
    Bytes(Vec<u8>),
    /// A 200 head announcing `total` bytes, then zeros until the client stops reading.
    Endless { total: u64 },
    /// Nothing, ever (the client's timeout must end it).
    Silence,
}

/// A server on 127.0.0.1 that answers `reply`; counts requests and body bytes written.
struct Server {
    origin: String,
    requests: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
}

async fn server(reply: Reply) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let written = Arc::new(AtomicU64::new(0));
    let (r, w) = (requests.clone(), written.clone());
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(answer(socket, reply.clone(), r.clone(), w.clone()));
        }
    });
    Server {
        origin,
        requests,
        written,
    }
}

async fn answer(
    mut socket: TcpStream,
    reply: Reply,
    requests: Arc<AtomicUsize>,
    written: Arc<AtomicU64>,
) {
    // The request's head (and whatever body came with it).
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    requests.fetch_add(1, Ordering::SeqCst);
    match reply {
        Reply::Bytes(bytes) => {
            let _ = socket.write_all(&bytes).await;
            let _ = socket.shutdown().await;
        }
        Reply::Endless { total } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {total}\r\n\r\n");
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0u64;
            while sent < total {
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
                sent += chunk.len() as u64;
                written.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        }
        Reply::Silence => tokio::time::sleep(Duration::from_secs(30)).await,
    }
}

fn client(origin: &str) -> Client {
    Client::new(Config::new(&format!("{origin}/api"), RESELLER, KEY)).unwrap()
}

fn head(status: &str, extra: &str, body: &str) -> Reply {
    Reply::Bytes(
        format!(
            "HTTP/1.1 {status}\r\ncontent-length: {}\r\n{extra}\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// Resident memory of this process, in bytes (Linux).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

fn assert_keyless(e: &Error) {
    for shown in [e.to_string(), format!("{e:?}")] {
        assert!(!shown.contains("k3y"), "{shown}");
        assert!(!shown.contains("k3y%2F"), "{shown}");
    }
}

#[tokio::test]
async fn a_redirect_is_never_followed_and_the_second_server_receives_nothing() {
    let target = server(head("200 OK", "", r#"{"response":{"account_status":"a"}}"#)).await;
    let location = format!("{}/stolen?apikey={}", target.origin, "k3y%2F%2Bsecret");
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "303 See Other",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let redirecting = server(head(status, &format!("location: {location}\r\n"), "")).await;
        let c = client(&redirecting.origin);
        let get = c.get_account_status("a1").await.unwrap_err();
        let post = c.create_account(&new_account("acme")).await.unwrap_err();
        for e in [&get, &post] {
            assert_eq!(e.kind(), ErrorKind::Api, "{status}: {e}");
            assert_eq!(e.status(), status[..3].parse().ok(), "{e}");
            let message = e.to_string();
            assert!(
                message.contains(&format!(
                    "redirected to {}/stolen?apikey=[redacted]",
                    target.origin
                )),
                "{message}"
            );
            assert!(message.contains("point base_url at"), "{message}");
            assert!(!e.is_retryable() && !e.maybe_applied(), "{e}");
            assert_keyless(e);
        }
        // A redirect is not retried: one request each.
        assert_eq!(redirecting.requests.load(Ordering::SeqCst), 2, "{status}");
    }
    assert_eq!(
        target.requests.load(Ordering::SeqCst),
        0,
        "the redirect target received a request"
    );
}

#[tokio::test]
async fn a_bad_location_is_named_without_the_key() {
    let s = server(head(
        "302 Found",
        "location: http://[::1/x?apikey=k3y/+secret\r\n",
        "",
    ))
    .await;
    let e = client(&s.origin).get_account("a1").await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Api, Some(302)));
    assert!(
        e.to_string().contains("http://[::1/x?apikey=[redacted]"),
        "{e}"
    );
    assert_keyless(&e);
}

#[tokio::test]
async fn a_300_mb_body_is_read_once_up_to_the_cap_with_memory_bounded() {
    let total = 300 * MB;
    let s = server(Reply::Endless { total }).await;
    let before = rss();
    let e = client(&s.origin).list_accounts(None).await.unwrap_err();
    let grown = rss().saturating_sub(before);
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.to_string().contains("67108864 bytes"), "{e}");
    assert!(!e.is_retryable(), "{e}");
    assert_eq!(s.requests.load(Ordering::SeqCst), 1, "downloaded again");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let written = s.written.load(Ordering::SeqCst);
    assert!(
        written < 100 * MB,
        "the client read on: {written} bytes written"
    );
    assert!(grown < 160 * MB, "memory grew by {grown} bytes");
    // A smaller cap of the client's own.
    let s = server(Reply::Endless { total }).await;
    let config = Config::new(&format!("{}/api", s.origin), "r", KEY).max_response_bytes(MB);
    let e = Client::new(config)
        .unwrap()
        .list_accounts(None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("1048576 bytes"), "{e}");
    assert_eq!(s.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_body_cut_after_the_status_may_have_been_applied() {
    let cut =
        Reply::Bytes(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"response\":{".to_vec());
    let s = server(cut).await;
    let c = client(&s.origin);
    let e = c.get_account("a1").max_retries(1).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.is_retryable() && e.maybe_applied(), "{e}");
    assert_eq!(s.requests.load(Ordering::SeqCst), 2, "a GET is retried");
    let e = c.create_account(&new_account("acme")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(!e.is_retryable() && e.maybe_applied(), "{e}");
    assert_eq!(s.requests.load(Ordering::SeqCst), 3, "a POST is sent once");
}

/// What the core's check converts reaches the Rust types through serde on
/// the edited bytes; a lone surrogate (which the check lets through, as
/// `JSON.parse` would) is a decode error with the body kept.
#[tokio::test]
async fn the_checked_body_is_what_serde_reads() {
    let body = r#"{"response":{"accounts":[{"account_id":42.50,"domain":"a.example"}]}}"#;
    let s = server(head("200 OK", "", body)).await;
    let list = client(&s.origin).list_accounts(None).await.unwrap();
    let accounts = list.accounts.unwrap_or_default();
    assert_eq!(accounts[0].account_id.as_deref(), Some("42.50"));
    let body = r#"{"response":{"status":"OK","statuscode":" 7"}}"#;
    let s = server(head("200 OK", "", body)).await;
    let done = client(&s.origin)
        .remove_account_user("a1", "u1")
        .await
        .unwrap();
    assert_eq!(done.statuscode, Some(7));
    let lone = r#"{"response":{"account_status":"\ud800"}}"#;
    let s = server(head("200 OK", "", lone)).await;
    let e = client(&s.origin)
        .get_account_status("a1")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.to_string().contains("lone surrogate"), "{e}");
    assert_eq!(e.body(), Some(lone));
}

#[tokio::test]
async fn statuses_no_http_server_sends_are_network_errors() {
    for status in ["600 Beyond", "999 Odd", "65736 Huge"] {
        let s = server(head(status, "", r#"{"response":{"account_status":"a"}}"#)).await;
        let e = client(&s.origin)
            .get_account_status("a1")
            .max_retries(0)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Network, "{status}: {e}");
    }
}

#[tokio::test]
async fn a_post_that_times_out_is_not_retryable_and_may_have_landed() {
    let s = server(Reply::Silence).await;
    let c = client(&s.origin);
    let e = c
        .create_account(&new_account("acme"))
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(!e.is_retryable() && e.maybe_applied(), "{e}");
    let e = c
        .get_account("a1")
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(e.is_retryable() && e.maybe_applied(), "{e}");
}

#[tokio::test]
async fn a_refused_connection_sent_nothing_so_even_a_post_may_be_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let e = client(&origin)
        .create_account(&new_account("acme"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.is_retryable() && !e.maybe_applied(), "{e}");
}

#[tokio::test]
async fn an_application_client_is_used_as_given() {
    let s = server(head("200 OK", "", r#"{"response":{"account_status":"a"}}"#)).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let config = Config::new(&format!("{}/api", s.origin), "r", KEY);
    let c = Client::with_http_client(config, http).unwrap();
    let status = c.get_account_status("a1").await.unwrap();
    assert_eq!(status.account_status.as_ref().map(|s| s.code()), Some("a"));
    assert_eq!(s.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rust_errors_speak_rust() {
    let s = server(head("404 Not Found", "", "no")).await;
    let e = client(&s.origin)
        .get_account_status("a1")
        .await
        .unwrap_err();
    assert_eq!(e.operation(), "get_account_status");
    assert!(
        e.to_string().starts_with("get_account_status: HTTP 404"),
        "{e}"
    );
    let e = client(&s.origin)
        .get_account("a1")
        .max_retries(11)
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "get_account: max_retries must be a whole number from 0 to 10"
    );
    let e = Client::new(Config::new("ftp://x", "r", KEY)).unwrap_err();
    assert!(
        e.to_string().starts_with("Client::new: base_url must be"),
        "{e}"
    );
    let e = Client::new(Config::new("http://x/api", "r", "")).unwrap_err();
    assert_eq!(e.to_string(), "Client::new: api_key must not be empty");
    assert_eq!(
        e.call_id(),
        None,
        "a configuration error belongs to no call"
    );
    let s = server(head("302 Found", "location: http://elsewhere/\r\n", "")).await;
    let e = client(&s.origin).get_account("a1").await.unwrap_err();
    assert!(e.to_string().contains("point base_url at"), "{e}");
}

#[tokio::test]
async fn every_attempt_is_an_event_with_its_call_id_and_a_panicking_observer_changes_nothing() {
    use liveagent_reseller::{Event, RetryReason};
    use std::sync::Mutex;
    let busy = "HTTP/1.1 503 Busy\r\ncontent-length: 4\r\nretry-after: 0\r\n\r\nbusy";
    let s = server(Reply::Bytes(busy.as_bytes().to_vec())).await;
    let events: Arc<Mutex<Vec<Event>>> = Arc::default();
    let seen = events.clone();
    let config = Config::new(&format!("{}/api", s.origin), "r", KEY)
        .max_retries(1)
        .on_event(move |e| {
            seen.lock().unwrap().push(e.clone());
            panic!("the observer failed");
        });
    let c = Client::new(config).unwrap();
    let (a, b) = tokio::join!(c.get_account_status("a1"), c.get_account_status("a2"));
    let (a, b) = (a.unwrap_err(), b.unwrap_err());
    assert_eq!(a.status(), Some(503));
    assert_eq!(b.status(), Some(503));
    let events = events.lock().unwrap().clone();
    // Per call: request, response, retry, request, response.
    assert_eq!(events.len(), 10, "{events:#?}");
    let ids: std::collections::BTreeSet<u64> = events.iter().map(|e| e.attempt().call_id).collect();
    assert_eq!(ids.len(), 2);
    // Each error carries its own call's id: the one on the events of the
    // call whose URL names its account.
    for (error, account) in [(&a, "/a1"), (&b, "/a2")] {
        let id = error.call_id().expect("a call's error has its id");
        let of_call: Vec<&Event> = events
            .iter()
            .filter(|e| e.attempt().call_id == id)
            .collect();
        assert_eq!(of_call.len(), 5, "{events:#?}");
        assert!(
            of_call.iter().all(|e| e.attempt().url.contains(account)),
            "{of_call:#?}"
        );
    }
    assert_ne!(a.call_id(), b.call_id());
    // A call refused before sending is a call too: its own id, no event.
    let refused = c
        .get_account_status("a3")
        .max_retries(11)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    let id = refused.call_id().expect("a refused call has its id");
    assert!(!ids.contains(&id), "{id} {ids:?}");
    for e in events.iter() {
        assert_eq!(e.attempt().operation, "get_account_status");
        assert!(e.attempt().url.contains("apikey=[redacted]"), "{e:?}");
        assert!(!format!("{e:?}").contains("k3y"), "{e:?}");
    }
    let retry = events
        .iter()
        .find(|e| matches!(e, Event::Retry { .. }))
        .unwrap();
    let Event::Retry {
        reason,
        retry_after,
        ..
    } = retry
    else {
        unreachable!()
    };
    assert_eq!(*reason, RetryReason::Status(503));
    assert_eq!(*retry_after, Some(Duration::ZERO));
}

/// With the `tracing` feature: a span per call, an event per attempt.
#[cfg(feature = "tracing")]
#[tokio::test]
async fn tracing_sees_a_span_per_call_and_an_event_per_attempt() {
    use std::sync::Mutex;
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Default)]
    struct Seen {
        spans: Mutex<Vec<String>>,
        events: Mutex<Vec<String>>,
    }
    struct Recorder(Arc<Seen>);
    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut spans = self.0.spans.lock().unwrap();
            spans.push(span.metadata().name().to_string());
            Id::from_u64(spans.len() as u64)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            // Ours only (hyper logs too).
            if !event.metadata().target().starts_with("liveagent_reseller") {
                return;
            }
            let fields: Vec<&str> = event.metadata().fields().iter().map(|f| f.name()).collect();
            self.0.events.lock().unwrap().push(fields.join(","));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
    let seen = Arc::new(Seen::default());
    let _guard = tracing::subscriber::set_default(Recorder(seen.clone()));
    let s = server(head("200 OK", "", r#"{"response":{"account_status":"a"}}"#)).await;
    client(&s.origin).get_account_status("a1").await.unwrap();
    assert_eq!(*seen.spans.lock().unwrap(), ["liveagent_reseller.call"]);
    let events = seen.events.lock().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].contains("url.full"), "{events:?}");
    assert!(
        events[1].contains("http.response.status_code"),
        "{events:?}"
    );
}

/// A list of 10,002 rows, each with a field the docs do not name and half
/// with an undocumented code: one `Drift` event for each, once per client
/// (not per row, not per call), never the field's value; the result keeps
/// what the server sent.
#[tokio::test]
async fn drift_is_told_once_per_client_and_the_result_keeps_it() {
    use liveagent_reseller::{Drift, DriftKind, Event};
    use std::sync::Mutex;
    let mut rows = Vec::new();
    for i in 0..10_002 {
        let status = if i % 2 == 0 { "a" } else { "q" };
        rows.push(format!(
            r#"{{"account_id":"id{i}","status":"{status}","plan":"private{i}"}}"#
        ));
    }
    let body = format!(
        r#"{{"response":{{"status":"OK","statuscode":0,"accounts":[{}]}}}}"#,
        rows.join(",")
    );
    let s = server(head("200 OK", "content-type: application/json\r\n", &body)).await;
    let drifts: Arc<Mutex<Vec<(u64, Drift)>>> = Arc::default();
    let seen = drifts.clone();
    let config = Config::new(&format!("{}/api", s.origin), "r", KEY).on_event(move |e| {
        if let Event::Drift { attempt, drift } = e {
            assert_eq!(attempt.operation, "list_accounts");
            seen.lock().unwrap().push((attempt.call_id, drift.clone()));
        }
    });
    let c = Client::new(config).unwrap();
    let first = c.list_accounts(None).await.unwrap();
    let accounts = first.accounts.unwrap();
    assert_eq!(accounts.len(), 10_002);
    assert_eq!(accounts[1].status.as_ref().map(|s| s.code()), Some("q"));
    c.list_accounts(None).await.unwrap();
    let drifts = drifts.lock().unwrap().clone();
    let told: Vec<(&str, DriftKind, Option<&str>)> = drifts
        .iter()
        .map(|(_, d)| (d.path.as_str(), d.what, d.value.as_deref()))
        .collect();
    assert_eq!(
        told,
        vec![
            ("accounts[].plan", DriftKind::Field, None),
            ("accounts[].status", DriftKind::Code, Some("q")),
        ]
    );
    assert!(
        drifts.iter().all(|(id, _)| *id == drifts[0].0),
        "{drifts:?}"
    );
    assert!(!format!("{drifts:?}").contains("private"), "{drifts:?}");
}
