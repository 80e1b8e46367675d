//! `testing::Sandbox` on wasm32 (Node and Chromium): the sandbox's rules
//! in-process behind the transport seam, the client's retries over them,
//! with no server and no network.
#![cfg(all(target_arch = "wasm32", feature = "testing"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use liveagent_reseller::testing::{Fault, Sandbox};
use liveagent_reseller::ErrorKind;
use wasm_bindgen_test::wasm_bindgen_test;

const JOHN: &str = "9900a49c321c871cd1a572a1dc21a33c";

#[wasm_bindgen_test]
async fn faults_are_retried_and_every_request_is_logged() {
    let sandbox = Sandbox::new();
    let client = sandbox.client().unwrap();
    sandbox.fault(Fault::new("getAccount", 503).retry_after(0).times(2));
    let account = client.get_account(JOHN).await.unwrap();
    assert_eq!(account.customer_email.as_deref(), Some("john@example.com"));
    let seen = sandbox.requests();
    assert_eq!(seen.len(), 3, "two 503s, then the account");
}

#[wasm_bindgen_test]
async fn answers_as_the_server_does() {
    let sandbox = Sandbox::with_options(7, 25, Some(1_705_320_000));
    let client = sandbox.client().unwrap();
    let accounts = client.list_accounts(None).await.unwrap().accounts.unwrap();
    assert_eq!(
        accounts.len(),
        27,
        "two example accounts and 25 generated ones"
    );

    let missing = client.get_account("no-such-account").await.unwrap_err();
    assert_eq!(
        (missing.kind(), missing.status()),
        (ErrorKind::Api, Some(404))
    );

    sandbox.reset();
    assert!(
        sandbox.requests().is_empty(),
        "reset clears the request log"
    );
}
