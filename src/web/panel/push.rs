//! Web push devices: the page that registers the service worker and subscribes, the endpoint it posts the
//! subscription to, removal, and the service worker itself.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use super::Resident;
use crate::{
    domain::secret_token,
    panel::{self, push::NewPush},
    web::AppState,
    web::{
        context::{CSRF_HEADER, CsrfForm, RequestContext},
        error::AppError,
        page::{Chrome, Page},
    },
};

#[derive(Serialize)]
struct DeviceView {
    id: i64,
    label: String,
    host: String,
    created_at: String,
}

#[derive(Serialize)]
struct PushPage {
    #[serde(flatten)]
    chrome: Chrome,
    vapid_public: String,
    devices: Vec<DeviceView>,
}

pub use crate::panel::data::endpoint_host;

pub async fn push_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
) -> Result<Page, AppError> {
    let devices = state
        .store
        .list_push(resident.id)
        .await?
        .into_iter()
        .map(|d| DeviceView {
            id: d.id,
            host: endpoint_host(&d.endpoint),
            label: d.label,
            created_at: d.created_at.format("%Y-%m-%d %H:%M").to_string(),
        })
        .collect();
    let page =
        PushPage { chrome: Chrome::new(&ctx, "push-title"), vapid_public: state.keys.vapid_public.clone(), devices };
    state.templates.page("pages/panel/push", &page)
}

/// A browser's `PushSubscription.toJSON()`, plus an optional label.
#[derive(Deserialize)]
pub struct SubscriptionJson {
    endpoint: String,
    keys: SubscriptionKeys,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Deserialize)]
pub struct SubscriptionKeys {
    p256dh: String,
    auth: String,
}

/// `POST /me/push/subscriptions` (JSON, `X-CSRF-Token` header): stores the page's push subscription.
pub async fn add_push(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    headers: HeaderMap,
    Json(sub): Json<SubscriptionJson>,
) -> Result<Response, AppError> {
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !secret_token::constant_time_eq(sent, &ctx.csrf) {
        return Err(AppError::CsrfFailed);
    }
    let new = NewPush {
        endpoint: &sub.endpoint,
        p256dh: &sub.keys.p256dh,
        auth: &sub.keys.auth,
        label: sub.label.as_deref(),
    };
    let id = panel::push::add_push(&state, resident.id, new).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
}

pub async fn remove_push(
    State(state): State<AppState>,
    resident: Resident,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::signin::Empty>,
) -> Result<Response, AppError> {
    if !state.store.remove_push(resident.id, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/me/push").into_response())
}

/// The service worker, at the root so its scope is the whole site.
pub async fn service_worker() -> Response {
    let mut res = include_str!("../../../templates/static/sw.js").into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("service-worker-allowed", HeaderValue::from_static("/"));
    res
}
