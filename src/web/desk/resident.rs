//! The resident hears back: the links of the desk's messages and confirming a contact.
//!
//! - `GET /report-updates/{token}` shows a button; `POST` (also the RFC 8058 one-click `List-Unsubscribe`, so
//!   without a CSRF token: the signed token is the authority) stops the messages and withdraws the consent.
//! - `GET /report-contact/{token}` says which contact the emailed link confirms, changing nothing; its button (a
//!   POST with the CSRF token) confirms it.
//! - `GET /report-code/{contact}` asks for the SMS code; `POST` (CSRF) checks it. JSON twin:
//!   `POST /api/v1/report-contacts/{contact}/confirm` `{"code"}`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    core::CoreError,
    desk::{follow, notify},
    web::{
        AppState,
        api::ApiJson,
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::Chrome,
    },
};

#[derive(Serialize)]
struct StopPage {
    #[serde(flatten)]
    chrome: Chrome,
    token: String,
    id: i64,
}

#[derive(Serialize)]
struct NoticePage {
    #[serde(flatten)]
    chrome: Chrome,
    heading_key: &'static str,
    text_key: &'static str,
    id: i64,
}

/// A short page: a heading and one sentence about report `id` (0: none).
pub(crate) fn notice(
    state: &AppState,
    ctx: &RequestContext,
    heading_key: &'static str,
    text_key: &'static str,
    id: i64,
) -> Result<Response, AppError> {
    let page = NoticePage { chrome: Chrome::new(ctx, heading_key), heading_key, text_key, id };
    Ok(state.templates.page("pages/desk/notice", &page)?.into_response())
}

fn stop_invalid() -> AppError {
    AppError::Refused { status: StatusCode::NOT_FOUND, key: "desk-notify-stop-invalid" }
}

pub(crate) async fn stop_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let contact = match notify::parse_stop_token(&state.core, &token) {
        Some(id) => state.store.desk_contact(id).await?,
        None => None,
    };
    let Some(c) = contact else { return Err(stop_invalid()) };
    let page = StopPage { chrome: Chrome::new(&ctx, "desk-notify-stop-title"), token, id: c.report_id };
    Ok(state.templates.page("pages/desk/updates-stop", &page)?.into_response())
}

pub(crate) async fn stop_one_click(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match notify::stop(&state.core, &token).await {
        Ok(_) => notice(&state, &ctx, "desk-notify-stopped-title", "desk-notify-stopped-text", 0),
        Err(CoreError::NotFound) => Err(stop_invalid()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct ConfirmPage {
    #[serde(flatten)]
    chrome: Chrome,
    token: String,
    contact: String,
    id: i64,
}

pub(crate) async fn confirm_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (contact, id) = follow::preview_link(&state.core, &token).await?;
    let page = ConfirmPage { chrome: Chrome::new(&ctx, "desk-contact-confirm-title"), token, contact, id };
    Ok(state.templates.page("pages/desk/contact-confirm", &page)?.into_response())
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
pub(crate) struct Button {}

pub(crate) async fn confirm_press(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<Button>,
) -> Result<Response, AppError> {
    let id = follow::confirm_link(&state.core, &token).await?;
    notice(&state, &ctx, "desk-contact-confirmed-title", "desk-contact-confirmed-text", id)
}

#[derive(Serialize)]
struct CodePage {
    #[serde(flatten)]
    chrome: Chrome,
    contact_id: i64,
    id: i64,
    errors: Vec<FieldError>,
}

/// The phone contact still waiting for its code, or a 404 that says so.
async fn waiting_phone(state: &AppState, contact_id: i64) -> Result<i64, AppError> {
    match state.store.desk_contact(contact_id).await? {
        Some(c) if c.kind == "phone" && c.value.is_some() && c.confirmed_at.is_none() => Ok(c.report_id),
        _ => Err(AppError::Refused { status: StatusCode::NOT_FOUND, key: "desk-contact-unknown" }),
    }
}

fn code_page(
    state: &AppState,
    ctx: &RequestContext,
    contact_id: i64,
    id: i64,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = CodePage { chrome: Chrome::new(ctx, "desk-contact-code-title"), contact_id, id, errors };
    Ok((status, state.templates.page("pages/desk/contact-code", &page)?).into_response())
}

pub(crate) async fn code_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(contact_id): Path<i64>,
) -> Result<Response, AppError> {
    let id = waiting_phone(&state, contact_id).await?;
    code_page(&state, &ctx, contact_id, id, Vec::new(), StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
}

pub(crate) async fn code_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(contact_id): Path<i64>,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    let report_id = waiting_phone(&state, contact_id).await?;
    match follow::confirm_code(&state.core, contact_id, &form.code).await {
        Ok(id) => notice(&state, &ctx, "desk-contact-confirmed-title", "desk-contact-confirmed-text", id),
        Err(CoreError::Invalid(issues)) => {
            code_page(&state, &ctx, contact_id, report_id, issues, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct CodeJson {
    /// The 6-digit code from the SMS.
    #[serde(default)]
    code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ConfirmedJson {
    /// The report this contact now hears about.
    report_id: i64,
    confirmed: bool,
}

/// Confirms a phone given for a report (or to follow one) by the code sent to it by SMS. A wrong code is 422 and
/// counted; after five, or 30 minutes, the code no longer works (410).
#[utoipa::path(post, path = "/api/v1/report-contacts/{contact}/confirm", tag = "desk",
    request_body = CodeJson,
    responses(
        (status = 200, description = "Confirmed", body = ConfirmedJson),
        (status = 404, description = "No such contact"),
        (status = 409, description = "Already confirmed"),
        (status = 410, description = "The code is too old or was tried too many times"),
        (status = 422, description = "A wrong or missing code"),
    )
)]
pub(crate) async fn api_confirm_code(
    State(state): State<AppState>,
    Path(contact_id): Path<i64>,
    ApiJson(body): ApiJson<CodeJson>,
) -> Result<Json<ConfirmedJson>, AppError> {
    let report_id = follow::confirm_code(&state.core, contact_id, &body.code).await?;
    Ok(Json(ConfirmedJson { report_id, confirmed: true }))
}

/// How a report's own contact is confirmed (in the answer to `POST /api/v1/reports`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConfirmationJson {
    /// `email_link`: open the emailed link and press its button; `sms_code`: send the SMS code to `confirm_url`.
    pub by: &'static str,
    pub contact_id: i64,
    /// For `sms_code`: `POST` `{"code"}` here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm_url: Option<String>,
}

impl ConfirmationJson {
    /// How a contact of this kind (`email` or `phone`) is confirmed.
    pub(crate) fn of(contact_id: i64, kind: &str) -> Self {
        if kind == "email" {
            Self { by: "email_link", contact_id, confirm_url: None }
        } else {
            Self {
                by: "sms_code",
                contact_id,
                confirm_url: Some(format!("/api/v1/report-contacts/{contact_id}/confirm")),
            }
        }
    }
}

/// The confirmation a report's own contact still waits for, if any.
pub(crate) async fn confirmation(state: &AppState, report_id: i64) -> Result<Option<ConfirmationJson>, AppError> {
    Ok(follow::pending_reporter(&state.core, report_id).await?.map(|(id, kind)| ConfirmationJson::of(id, &kind)))
}

/// Takes one request from the client address's budget (the panel's sign-up budget: 20 at once, then one every
/// 30 s) before an email or phone given for a report (filing or following) is sent its confirmation, so one client
/// cannot use the desk to flood strangers or run up the city's SMS bill; `Err` is a 429 with `Retry-After`. The
/// contact point's own budget is the core's (`Core::desk_confirmations`), spent only when a confirmation is really
/// sent (the same report sent again is recognised and sends nothing). Anonymous reports send nothing and take nothing.
pub(crate) fn limit_contact(
    state: &AppState,
    ctx: &RequestContext,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<(), AppError> {
    let given = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    if !given(email) && !given(phone) {
        return Ok(());
    }
    state
        .panel_limiter
        .check(ctx.client_ip, &[])
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })
}
