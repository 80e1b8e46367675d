//! The `sandbox` binary: start-up lines (the port is read from them), help
//! and bad flags.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_sandbox");

#[tokio::test]
async fn prints_the_address_and_serves_on_it() {
    let mut child = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--reseller",
            "me@shop.test",
            "--api-key=k-123",
        ])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = async || {
        tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("start-up line in time")
            .unwrap()
            .expect("a line")
    };
    let first = next().await;
    let origin = first
        .strip_prefix("sandbox listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    assert!(origin.starts_with("http://127.0.0.1:"), "{origin}");
    assert_eq!(next().await, format!("API base URL: {origin}/api"));
    assert_eq!(next().await, "reseller: me@shop.test");
    assert_eq!(next().await, "api key: k-123");

    let addr = origin.trim_start_matches("http://").parse().unwrap();
    let sb = Sandbox { addr };
    let reply = sb
        .get("/api/resellers/me@shop.test/variations?apikey=k-123")
        .await;
    assert_eq!(reply.status, 200);
    let wrong = sb
        .get(&format!(
            "/api/resellers/me@shop.test/variations?apikey={KEY}"
        ))
        .await;
    wrong.assert_error(401);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn help_exits_0_and_bad_flags_exit_2() {
    let help = Command::new(BIN).arg("--help").output().await.unwrap();
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--port", "--fail-rate", "--seed-accounts", "--www", "--pkg"] {
        assert!(text.contains(flag), "{flag}");
    }
    for args in [
        &["--bogus"][..],
        &["--port"],
        &["--port", "http"],
        &["--fail-rate", "1.5"],
        &["--latency-ms", "-3"],
        &["--www", "/no/such/dir/here"],
    ] {
        let out = Command::new(BIN).args(args).output().await.unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}
