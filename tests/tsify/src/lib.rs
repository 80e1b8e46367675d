//! What a Rust app on wasm does with liveagent-reseller's `tsify` feature:
//! returns the generated types to JS, and takes them from JS, as `Ts<T>`.
//! Its `.d.ts` then declares them as tsify wrote them.

use liveagent_reseller::{
    Account, AccountStatus, AccountStatusChange, Client, Config, ListAccountsParams,
    ListAccountsResponse,
};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// The accounts of a reseller, fetched by the Rust client.
#[wasm_bindgen]
pub async fn list_accounts(
    base_url: String,
    reseller: String,
    api_key: String,
    params: Option<Ts<ListAccountsParams>>,
) -> Result<Ts<ListAccountsResponse>, JsError> {
    let params = params.map(|p| p.to_rust()).transpose()?;
    let client = Client::new(Config::new(&base_url, &reseller, &api_key))?;
    let accounts = client.list_accounts(params.as_ref()).await?;
    Ok(accounts.into_ts()?)
}

/// The first account of a list that JS passes in.
#[wasm_bindgen]
pub fn first_account(list: Ts<ListAccountsResponse>) -> Result<Ts<Account>, JsError> {
    let list = list.to_rust()?;
    let first = list.accounts.unwrap_or_default().into_iter().next();
    Ok(first
        .ok_or_else(|| JsError::new("no accounts"))?
        .into_ts()?)
}

/// An account made in Rust: documented status, fields left unset.
#[wasm_bindgen]
pub fn sample_account(status: Ts<AccountStatus>) -> Result<Ts<Account>, JsError> {
    // `#[non_exhaustive]`: made from its default, as a new vendor field
    // must not break this code.
    let mut account = Account::default();
    account.account_id = Some("a1".into());
    account.status = Some(status.to_rust()?);
    Ok(account.into_ts()?)
}

/// The documented meaning of a status code; `undefined` for an unknown one.
#[wasm_bindgen]
pub fn status_meaning(status: Ts<AccountStatus>) -> Result<Option<String>, JsError> {
    Ok(status.to_rust()?.meaning().map(str::to_owned))
}

/// What `changeAccountStatus` takes, from its code.
#[wasm_bindgen]
pub fn status_change(code: &str) -> Result<Ts<AccountStatusChange>, JsError> {
    let change = match code {
        "a" => AccountStatusChange::Active,
        "s" => AccountStatusChange::Suspended,
        "t" => AccountStatusChange::Terminated,
        _ => return Err(JsError::new("unknown status change")),
    };
    Ok(change.into_ts()?)
}

/// The account's status with a per-call timeout and no retry; a failure
/// comes back as the error's kind (`"timeout"`, …).
#[wasm_bindgen]
pub async fn status_within(
    base_url: String,
    reseller: String,
    api_key: String,
    account_id: String,
    timeout_ms: u32,
) -> Result<String, JsError> {
    let client = Client::new(Config::new(&base_url, &reseller, &api_key))?;
    let call = client
        .get_account_status(&account_id)
        .timeout(std::time::Duration::from_millis(u64::from(timeout_ms)))
        .max_retries(0);
    match call.await {
        Ok(status) => Ok(status
            .account_status
            .map(|s| s.code().to_owned())
            .unwrap_or_default()),
        Err(error) => Ok(error.kind().as_str().to_owned()),
    }
}

/// Starts a status call and drops its future after `drop_after_ms`, as a
/// UI does when the user navigates away; resolves when it was dropped.
#[wasm_bindgen]
pub async fn status_dropped_after(
    base_url: String,
    reseller: String,
    api_key: String,
    account_id: String,
    drop_after_ms: i32,
) -> Result<(), JsError> {
    use std::future::{Future, IntoFuture};
    use std::task::Poll;
    let client = Client::new(Config::new(&base_url, &reseller, &api_key))?;
    let mut call = Box::pin(client.get_account_status(&account_id).into_future());
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(set_timeout) = set_timeout {
            let _ = set_timeout.call2(&JsValue::NULL, &resolve, &drop_after_ms.into());
        }
    });
    let mut timer = wasm_bindgen_futures::JsFuture::from(timer);
    let finished_first = std::future::poll_fn(|cx| {
        if call.as_mut().poll(cx).is_ready() {
            return Poll::Ready(true);
        }
        std::pin::Pin::new(&mut timer).poll(cx).map(|_| false)
    })
    .await;
    if finished_first {
        return Err(JsError::new("the call ended before it was dropped"));
    }
    drop(call);
    Ok(())
}

/// The app's own types, named as apps name theirs: declared in the same
/// `.d.ts` as ours, they must not collide with them (TS2717).
pub mod own {
    use serde::{Deserialize, Serialize};
    use tsify::Tsify;

    /// The app's user.
    #[derive(Serialize, Deserialize, Tsify)]
    pub struct User {
        /// Its id, a number (ours are text).
        pub id: u32,
    }

    /// The app's account.
    #[derive(Serialize, Deserialize, Tsify)]
    pub struct Account {
        /// A number where ours has text.
        pub account_id: u32,
        /// Its owner.
        pub owner: User,
    }
}

/// The app's own account, from JS.
#[wasm_bindgen]
pub fn own_account_id(account: Ts<own::Account>) -> Result<u32, JsError> {
    Ok(account.to_rust()?.account_id)
}
