//! The web layer: routers per module, merged here, and the middleware every request passes through.

use std::time::{Duration, Instant};

use axum::{
    Router,
    extract::{MatchedPath, Request},
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use tower::ServiceBuilder;
use tower_http::{timeout::TimeoutLayer, trace::TraceLayer};

pub mod alerts_public;
pub mod api;
pub mod assets;
pub mod client_addr;
pub mod context;
pub mod dcat;
pub mod desk;
pub mod error;
pub mod hooks;
pub mod official;
pub mod open311;
pub mod ops;
pub mod page;
pub mod panel;
pub mod panel_admin;
pub mod polls;
pub mod public;
pub mod state;
pub mod surveys;

pub use state::AppState;

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .merge(public::router())
        .merge(alerts_public::router())
        .merge(polls::router())
        .merge(desk::router())
        .merge(open311::router())
        .merge(surveys::router())
        .merge(panel::router())
        .merge(panel_admin::router())
        .merge(official::router())
        .merge(api::router())
        .merge(assets::router())
        .merge(hooks::router())
        .fallback(|| async { error::AppError::NotFound })
        // Inner to outer: context (who, language, CSRF) → size limit → error rendering → headers, metrics, trace.
        .layer(middleware::from_fn_with_state(state.clone(), context::resolve))
        .layer(middleware::from_fn_with_state(max_body, limit_body))
        .layer(middleware::from_fn_with_state(state.clone(), error::render_errors))
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
                    let route = route.unwrap_or_else(|| "unmatched".into());
                    tracing::info_span!("request", method = %req.method(), route = %route, status = tracing::field::Empty)
                }))
                .layer(middleware::from_fn(record_metrics))
                .layer(middleware::from_fn(security_headers))
                .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30))),
        )
        .with_state(state)
}

/// Refuses a body larger than `max_body_bytes` (413), or than [`desk::UPLOAD_MAX_BYTES`] on the desk's two upload
/// routes: by its declared length at once, else while it is read.
async fn limit_body(axum::extract::State(max_body): axum::extract::State<usize>, req: Request, next: Next) -> Response {
    let limit = if desk::is_upload(req.method(), req.uri().path()) { desk::UPLOAD_MAX_BYTES } else { max_body };
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    next.run(req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)))).await
}

/// Counts requests and their latency per matched route (never per raw path: ids would explode the label set).
async fn record_metrics(req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    tracing::Span::current().record("status", res.status().as_u16());
    metrics::counter!("hejnal_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!("hejnal_http_request_duration_seconds", "route" => route).record(start.elapsed().as_secs_f64());
    res
}

/// Headers every response carries. Pages load nothing from elsewhere; the API explorer needs inline script.
async fn security_headers(req: Request, next: Next) -> Response {
    let docs = req.uri().path().starts_with("/api/docs");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !docs {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
            ),
        );
    }
    res
}
