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
    let account = Account {
        account_id: Some("a1".into()),
        status: Some(status.to_rust()?),
        ..Account::default()
    };
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
