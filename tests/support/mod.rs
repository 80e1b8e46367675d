//! What the Rust client's tests share on both targets: natively
//! (`tests/native.rs`, `tests/hostile.rs`: `mod support;`) and on wasm32
//! (`npm/tests/common/mod.rs` includes this file by its path): the
//! sandbox's seeded names, a new account's params, the account checks both
//! targets' clients make, and a transport that answers hostile bodies
//! without a server.

// Each test binary uses a part of it.
#![allow(dead_code)]

use liveagent_reseller::{
    Account, AccountLifecycleStatus, AccountStatus, AccountStatusChange, ChangeAccountStatusParams,
    Client, CreateAccountParams, HttpRequest, HttpResponse, Transport, TransportFuture,
};

/// The sandbox's seeded reseller and its key.
pub const RESELLER: &str = "reseller@example.com";
pub const KEY: &str = "sandbox-api-key";
/// A seeded account.
pub const JOHN: &str = "9900a49c321c871cd1a572a1dc21a33c";

/// A new account on the sandbox's free variation, at `subdomain`.
pub fn new_account(subdomain: &str) -> CreateAccountParams {
    CreateAccountParams {
        variation_id: "r7g4y7ya".into(),
        customer_email: format!("{subdomain}@example.com"),
        customer_name: "Test".into(),
        subdomain: subdomain.into(),
        ..CreateAccountParams::default()
    }
}

/// John is among `accounts`, active.
pub fn assert_john_is_active(accounts: &[Account]) {
    let john = accounts
        .iter()
        .find(|a| a.account_id.as_deref() == Some(JOHN))
        .unwrap_or_else(|| panic!("John is not listed"));
    assert_eq!(john.status, Some(AccountStatus::Active));
}

/// Suspends account `id`, then reads its status back: suspended.
pub async fn assert_suspends(client: &Client, id: &str) {
    let params = ChangeAccountStatusParams {
        status: AccountStatusChange::Suspended,
        note: "unpaid".into(),
    };
    if let Err(e) = client.change_account_status(id, &params).await {
        panic!("suspending {id}: {e}");
    }
    match client.get_account_status(id).await {
        Ok(status) => assert_eq!(
            status.account_status,
            Some(AccountLifecycleStatus::Suspended)
        ),
        Err(e) => panic!("the status of {id}: {e}"),
    }
}

/// An account answer that decodes.
pub const GOOD_ACCOUNT: &str = r#"{"response":{"account_id":"a1","domain":"d.example.com"}}"#;

/// `[[[…]]]`, `depth` deep.
pub fn nested(depth: usize) -> String {
    let mut s = "[".repeat(depth);
    s.push_str(&"]".repeat(depth));
    s
}

/// An account answer with a `depth`-deep array in a documented text field,
/// and one with it in an undocumented field: each must end in `decode`.
pub fn deep_bodies(depth: usize) -> [String; 2] {
    let deep = nested(depth);
    [
        format!(r#"{{"response":{{"account_id":"a1","domain":{deep}}}}}"#),
        format!(r#"{{"response":{{"account_id":"a1","extra":{deep}}}}}"#),
    ]
}

/// A transport that answers its body for a path with `/deep`, a good
/// account otherwise, all with status 200.
#[derive(Debug)]
pub struct Answering(pub String);

impl Transport for Answering {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let body = if request.url.contains("/deep") {
            self.0.clone()
        } else {
            GOOD_ACCOUNT.to_owned()
        };
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers: Vec::new(),
                body,
            })
        })
    }
}
