//! The top layer: which handler answers which request, under which limits
//! (those of [`crate::app`]): the API under `/api` (whose paths the rules
//! parse by hand), the control routes, and static files; CORS and
//! `Cache-Control: no-store` around all of them.

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::any;
use axum::{middleware, Router};
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use crate::app::{
    api_timeout, Shared, BODY_IDLE_TIMEOUT, BODY_LIMIT, CONTROL_BODY_LIMIT, CONTROL_TIMEOUT,
};
use crate::{api, control, cors, static_files};

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
        .route("/sandbox.json", any(control::handle))
        .route("/_sandbox/{*rest}", any(control::handle))
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
                .layer(middleware::from_fn_with_state(
                    app.clone(),
                    cors::close_controls,
                ))
                .layer(middleware::from_fn(cors::preflight_as_before))
                .layer(cors::layer()),
        )
        .with_state(app)
}
