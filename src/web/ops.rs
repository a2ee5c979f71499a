//! Operations endpoints: liveness, readiness, Prometheus metrics (routed and documented by [`super::api`]).

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{domain::secret_token, web::AppState};

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    pub database: &'static str,
    pub queue: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "The process is up")))]
pub async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// The database and the delivery queue answer.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "Ready", body = Health),
    (status = 503, description = "Database or queue unreachable", body = Health),
))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let db = state.store.ping().await;
    let queue = state.store.queue_ping().await;
    if let Err(e) = &db {
        tracing::warn!(error = %e, "readiness: database unreachable");
    }
    if let Err(e) = &queue {
        tracing::warn!(error = %e, "readiness: queue unreachable");
    }
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    let ready = db.is_ok() && queue.is_ok();
    let body = Health { status: word(ready), database: word(db.is_ok()), queue: word(queue.is_ok()) };
    (if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body))
}

/// Prometheus text exposition; with `metrics_token` set, only for `Authorization: Bearer <metrics_token>`.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses(
    (status = 200, description = "Prometheus metrics", content_type = "text/plain"),
    (status = 401, description = "`metrics_token` is set and the request does not carry it"),
))]
pub async fn metrics_text(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = &state.config.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Hashing both first keeps the comparison constant-time in the token's length too.
        if !secret_token::constant_time_eq(&secret_token::hash(sent.trim()), &secret_token::hash(expected.expose())) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
                "/metrics needs the bearer token set in metrics_token (HEJNAL_METRICS_TOKEN).\n",
            )
                .into_response();
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}
