//! The README's Rust example: the typed client from Rust compiled to wasm.
//! Built (not run) by `make test` for wasm32; natively it is an empty program.

#[cfg(target_arch = "wasm32")]
pub async fn print_accounts() -> Result<(), liveagent_reseller::Error> {
    use liveagent_reseller::{AccountStatus, Client, Config};

    let client = Client::new(Config::new(
        "http://127.0.0.1:8080/api",
        "reseller@example.com",
        "sandbox-api-key",
    ))?;
    let accounts = client
        .list_accounts(None)
        .await?
        .accounts
        .unwrap_or_default();
    for account in &accounts {
        let suspended = account.status == Some(AccountStatus::Suspended);
        web_sys::console::log_1(&format!("{:?} suspended: {suspended}", account.domain).into());
    }
    Ok(())
}

fn main() {}
