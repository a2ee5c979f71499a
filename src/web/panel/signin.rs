//! Residents sign in without a password: a one-time link by email (its page: [`super::links`]) or a 6-digit code
//! by SMS.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};

use super::{
    RESIDENT_COOKIE, Resident,
    join::{CodeForm, check_code, message, render_code},
};
use crate::{
    domain::panel::ContactKind,
    panel::account,
    storage::SecretPurpose,
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext, append_cookie},
        error::{AppError, FieldError},
        page::Chrome,
    },
};

#[derive(Deserialize)]
pub struct SigninQuery {
    expired: Option<u8>,
}

#[derive(Serialize)]
struct SigninPage {
    #[serde(flatten)]
    chrome: Chrome,
    contact: String,
    notice_key: Option<&'static str>,
    errors: Vec<FieldError>,
}

pub async fn signin_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<SigninQuery>,
) -> Result<Response, AppError> {
    let page = SigninPage {
        chrome: Chrome::new(&ctx, "signin-title"),
        contact: String::new(),
        notice_key: q.expired.map(|_| "signin-expired"),
        errors: Vec::new(),
    };
    Ok(state.templates.page("pages/panel/signin", &page)?.into_response())
}

#[derive(Deserialize)]
pub struct SigninForm {
    #[serde(default)]
    contact: String,
}

/// Asks for a sign-in link (email) or code (phone); the answer comes at once and is the same for a known contact
/// and an unknown one (the work runs after it: [`account::request_signin`]).
pub async fn signin_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<SigninForm>,
) -> Result<Response, AppError> {
    let raw = form.contact.trim();
    let parsed = ContactKind::read(raw);
    let Some((kind, value)) = parsed else {
        let page = SigninPage {
            chrome: Chrome::new(&ctx, "signin-title"),
            contact: raw.chars().take(254).collect(),
            notice_key: None,
            errors: vec![FieldError::new("contact", "field-contact-invalid")],
        };
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, state.templates.page("pages/panel/signin", &page)?).into_response()
        );
    };
    state
        .panel_limiter
        .check(ctx.client_ip, &[format!("{}:{value}", kind.as_str())])
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    account::request_signin(&state, kind, value, ctx.lang);
    match kind {
        ContactKind::Email => {
            message(&state, &ctx, StatusCode::ACCEPTED, "signin-sent-title", "signin-sent-email", None)
        }
        ContactKind::Phone => render_code(&state, &ctx, "/me/signin/code", "signin-code-title", raw, Vec::new()),
    }
}

/// Starts a resident session and goes to `/me`.
async fn start_session(state: &AppState, resident_id: i64) -> Result<Response, AppError> {
    let token = account::start_session(state, resident_id).await?;
    Ok(session_response(state, token))
}

/// A redirect to `/me` that keeps a new resident session token in the session cookie.
pub fn session_response(state: &AppState, token: String) -> Response {
    let mut res = Redirect::to("/me").into_response();
    append_cookie(
        &mut res,
        Cookie::build((RESIDENT_COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config.secure_cookies())
            .build(),
    );
    res
}

pub async fn code_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    super::join::limit_code_checks(&state, &ctx, &form.phone)?;
    match check_code(&state, &form.phone, &form.code, SecretPurpose::SignIn).await? {
        Ok(resident_id) => start_session(&state, resident_id).await,
        Err(errors) => render_code(&state, &ctx, "/me/signin/code", "signin-code-title", &form.phone, errors),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    resident: Resident,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    state.store.delete_resident_session(&resident.token_hash).await?;
    let mut res = Redirect::to("/me/signin").into_response();
    append_cookie(
        &mut res,
        Cookie::build((RESIDENT_COOKIE, "")).path("/").max_age(cookie::time::Duration::ZERO).build(),
    );
    Ok(res)
}
