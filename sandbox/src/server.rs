//! The accept loop. `axum::serve` cannot bound how long a client may take
//! to send its request headers, so a client that sends half of them and
//! stalls would hold its connection (and a task) forever. This loop drives
//! each connection with hyper's HTTP/1 server directly, with a timer and a
//! header-read timeout.

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a connection may take to deliver a request's headers, counted
/// from when the server starts waiting for them (so it also closes idle
/// keep-alive connections after this long).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(8);

/// Pause after an accept error that is not about one connection (such as
/// running out of file descriptors), so the loop does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(200);

/// Accepts connections forever, each served in its own task.
pub async fn accept_loop(listener: TcpListener, app: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(error) if is_connection_error(&error) => continue,
            Err(error) => {
                eprintln!("sandbox: accept failed: {error}");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        // Small request/response pairs: do not wait to fill a segment.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            // A connection's error (timeout, garbage, a client gone) ends
            // that connection only; there is nobody to report it to.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Errors that concern the one connection being accepted.
fn is_connection_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}
