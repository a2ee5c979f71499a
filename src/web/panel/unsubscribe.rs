//! One-click unsubscribe (RFC 8058): `GET /u/{token}` shows a button, `POST /u/{token}` withdraws that purpose on
//! that channel and records it in the ledger (method `unsubscribe`). The signed token is the authority: mail clients
//! post `List-Unsubscribe=One-Click` without cookies, so there is no CSRF token here.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use serde::Serialize;

use super::join::message;
use crate::{
    delivery::parse_unsubscribe_token,
    domain::panel::ConsentMethod,
    web::AppState,
    web::{context::RequestContext, error::AppError, page::Chrome},
};

#[derive(Serialize)]
struct UnsubscribePage {
    #[serde(flatten)]
    chrome: Chrome,
    token: String,
    purpose_key: String,
    channel_key: String,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((_, purpose, channel)) = parse_unsubscribe_token(&state.keys.unsubscribe_secret, &token) else {
        return message(&state, &ctx, StatusCode::NOT_FOUND, "verify-failed-title", "unsubscribe-invalid", None);
    };
    let page = UnsubscribePage {
        chrome: Chrome::new(&ctx, "unsubscribe-title"),
        purpose_key: format!("purpose-{}", purpose.as_str()),
        channel_key: format!("channel-{channel}"),
        token,
    };
    Ok(state.templates.page("pages/panel/unsubscribe", &page)?.into_response())
}

pub async fn one_click(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some((resident_id, purpose, channel)) = parse_unsubscribe_token(&state.keys.unsubscribe_secret, &token) else {
        return message(&state, &ctx, StatusCode::NOT_FOUND, "verify-failed-title", "unsubscribe-invalid", None);
    };
    let current = state.store.current_consents(resident_id).await?;
    let granted = current.iter().any(|(p, c, g)| p == purpose.as_str() && c == channel.as_str() && *g);
    if granted {
        let version = state.store.current_notice().await?.map(|n| n.version).unwrap_or(1);
        state
            .store
            .record_consents(resident_id, &[(purpose, channel, false)], version, ConsentMethod::Unsubscribe, Utc::now())
            .await?;
        tracing::info!(resident_id, purpose = purpose.as_str(), channel = %channel, "unsubscribed in one click");
    }
    message(&state, &ctx, StatusCode::OK, "unsubscribe-done-title", "unsubscribe-done-text", Some(("/me", "nav-me")))
}
