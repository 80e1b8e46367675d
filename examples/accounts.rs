//! Lists the reseller's accounts and the status of one, natively (reqwest on
//! tokio). Against `make sandbox`:
//!
//! ```sh
//! cargo run --example accounts --features native
//! ```
//!
//! `RESELLER_API_URL`, `RESELLER_ID` and `RESELLER_API_KEY` point it elsewhere.

use std::time::Duration;

use liveagent_reseller::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let client = Client::new(Config::new(
        &env("RESELLER_API_URL", "http://127.0.0.1:8080/api"),
        &env("RESELLER_ID", "reseller@example.com"),
        &env("RESELLER_API_KEY", "sandbox-api-key"),
    ))?;
    let accounts = client
        .list_accounts(None)
        .await?
        .accounts
        .unwrap_or_default();
    for account in &accounts {
        let id = account.account_id.as_deref().unwrap_or("?");
        let status = account
            .status
            .as_ref()
            .and_then(|s| s.meaning())
            .unwrap_or("?");
        println!(
            "{id}  {status:<20}  {}",
            account.domain.as_deref().unwrap_or("")
        );
    }
    if let Some(id) = accounts.first().and_then(|a| a.account_id.as_deref()) {
        let status = client
            .get_account_status(id)
            .timeout(Duration::from_secs(2))
            .max_retries(0)
            .await?;
        println!("{id} is {:?}", status.account_status);
    }
    Ok(())
}
