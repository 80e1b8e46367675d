//! A local, stateful, in-memory LiveAgent Reseller API v1, so that the
//! client can be developed, tested and demoed without a LiveAgent account.
//!
//! [`serve`] starts it in-process (tests use port 0); the `sandbox` binary
//! wraps it with a command line.

pub mod calls;
pub mod clock;
pub mod config;
mod cors;
pub mod faults;
mod routes;
pub mod state;
mod static_files;
pub mod wire;

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use config::{Command, Config};

/// `http://host:port` for an address, using 127.0.0.1 when bound to all
/// interfaces (a URL with 0.0.0.0 is no use to a client).
pub fn origin(addr: SocketAddr) -> String {
    let ip = addr.ip();
    let shown = if ip.is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    };
    format!("http://{shown}")
}

/// The lines printed at start (tests read the port from the first one).
pub fn banner(addr: SocketAddr, config: &Config) -> String {
    let origin = origin(addr);
    let mut text = format!(
        "sandbox listening on {origin}\nAPI base URL: {origin}/api\nreseller: {}\napi key: {}\n",
        config.reseller, config.api_key
    );
    if config.www.is_some() {
        text.push_str(&format!("demo page: {origin}/\n"));
    }
    text
}

/// Binds `config.host:config.port` and serves in a spawned task. Returns
/// the bound address (the real port when 0 was asked) and the task.
pub async fn serve(config: Config) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(SocketAddr::new(config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    let app = routes::router(routes::Shared::new(config, addr));
    let handle = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            eprintln!("sandbox: server stopped: {error}");
        }
    });
    Ok((addr, handle))
}
