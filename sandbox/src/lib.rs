//! A local, stateful, in-memory LiveAgent Reseller API v1, so that the
//! client can be developed, tested and demoed without a LiveAgent account.
//!
//! The behaviour is the sans-IO crate `sandbox_rules` (also compiled to
//! wasm for the npm `testing` entry); this crate is its axum driver, in
//! layers that only look down: `config`; `app` (shared state, clock,
//! limits); the handlers `api`, `control`, `static_files` and `cors`;
//! `router` on top; `server` the accept loop.
//!
//! [`serve`] starts it in-process (tests use port 0); [`router`] is the
//! same application without a socket, for in-process tests; the `sandbox`
//! binary wraps it with a command line.

mod api;
mod app;
pub mod config;
mod control;
mod cors;
mod router;
mod server;
mod static_files;

pub use sandbox_rules::{calls, clock, faults, records, wire};

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use app::BODY_LIMIT;
pub use config::Config;
pub use server::HEADER_READ_TIMEOUT;

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

/// The lines printed at start (tests and scripts read the port from the
/// first one, `sandbox listening on http://…`).
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

/// The whole application as an axum [`Router`](axum::Router), with fresh
/// records seeded from `config`; `addr` is only used for the base URL that
/// `/sandbox.json` hands out. Tests drive it in-process with
/// `tower::ServiceExt::oneshot`.
pub fn router(config: Config, addr: SocketAddr) -> axum::Router {
    router::router(app::Shared::new(config, addr))
}

/// Binds `config.host:config.port` and serves in a spawned task. Returns
/// the bound address (the real port when 0 was asked) and the task.
pub async fn serve(config: Config) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(SocketAddr::new(config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    let app = router(config, addr);
    let handle = tokio::spawn(server::accept_loop(listener, app));
    Ok((addr, handle))
}
