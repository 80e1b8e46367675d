//! Which handler answers which request, and the limits every request lives
//! under: the API under `/api` (whose paths are parsed by hand, see
//! [`crate::dispatch`]), the test-control routes, and static files; CORS
//! and `Cache-Control: no-store` around all of them.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::{any, get, post};
use axum::{middleware, Router};
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use crate::config::Config;
use crate::faults::{Faults, MAX_DELAY_MS};
use crate::state::State as Records;
use crate::{api, control, cors, static_files};

/// Largest request body the API reads; larger ones get a 413 envelope.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Largest body a control route reads (a fault rule is a few hundred bytes).
const CONTROL_BODY_LIMIT: usize = 64 * 1024;

/// Longest pause between two parts of a request body: a client that stops
/// sending its body mid-way gets a 408 instead of holding the request open.
pub(crate) const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest a control route or a static file may take to answer.
const CONTROL_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest an API request may take: whatever delay the sandbox was told to
/// add (latency plus a fault rule's delay, each bounded) and a minute more
/// for the body. It only cuts off a client that trickles its body.
pub(crate) fn api_timeout(config: &Config) -> Duration {
    Duration::from_millis(config.latency_ms.saturating_add(MAX_DELAY_MS)) + Duration::from_secs(60)
}

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    pub(crate) config: Config,
    /// `http://host:port/api`, as printed at start.
    pub(crate) base_url: String,
    records: Mutex<Records>,
    faults: Mutex<Faults>,
}

/// The state handlers receive.
pub(crate) type App = Arc<Shared>;

impl Shared {
    /// Seeds the records for `config`; `addr` is where it listens.
    pub fn new(config: Config, addr: SocketAddr) -> Shared {
        Shared {
            base_url: format!("{}/api", crate::origin(addr)),
            records: Mutex::new(Records::seeded(config.seed, config.seed_accounts)),
            faults: Mutex::new(Faults::new(config.fail_rate, config.seed)),
            config,
        }
    }

    /// The records. Every call runs under this one lock, start to end, so
    /// concurrent writes to one account are applied one after the other.
    pub(crate) fn records(&self) -> MutexGuard<'_, Records> {
        lock(&self.records)
    }

    /// Fault rules and the request log.
    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }
}

/// A poisoned lock only means another request panicked mid-way; the data
/// is still the best we have, so keep serving rather than crash.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The whole application.
pub fn router(shared: Shared) -> Router {
    let app = Arc::new(shared);
    let api_routes = Router::new()
        .route("/api", any(api::handle))
        .route("/api/", any(api::handle))
        .route("/api/{*rest}", any(api::handle))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(
                    app.clone(),
                    api::envelope_for_layers,
                ))
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    api_timeout(&app.config),
                ))
                .layer(RequestBodyTimeoutLayer::new(BODY_IDLE_TIMEOUT)),
        );
    let control_routes = Router::new()
        .route("/sandbox.json", get(control::sandbox_json))
        .route(
            "/_sandbox/faults",
            post(control::add_fault)
                .get(control::list_faults)
                .delete(control::clear_faults),
        )
        .route("/_sandbox/reset", post(control::reset))
        .route(
            "/_sandbox/requests",
            get(control::list_requests).delete(control::clear_requests),
        )
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyLimitLayer::new(CONTROL_BODY_LIMIT))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    CONTROL_TIMEOUT,
                ))
                .layer(RequestBodyTimeoutLayer::new(BODY_IDLE_TIMEOUT)),
        );

    let mut router = Router::new().merge(api_routes).merge(control_routes);
    if let Some(pkg) = &app.config.pkg {
        router = router.nest_service("/pkg", static_files::service(pkg, CONTROL_TIMEOUT));
    }
    router = match &app.config.www {
        Some(www) => router.fallback_service(static_files::service(www, CONTROL_TIMEOUT)),
        None => router.fallback(control::home),
    };
    router
        .layer(
            ServiceBuilder::new()
                // A stateful dev server: never let a browser answer from
                // its cache.
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(middleware::from_fn(cors::preflight_as_before))
                .layer(cors::layer()),
        )
        .with_state(app)
}
