//! The one-time links of an email, `/verify/{token}` and `/me/signin/{token}`: a GET shows a page saying what the
//! button will do and for which contact point (masked), and uses nothing; the button's POST (CSRF-checked) uses the
//! link and signs the resident in. The rules are the core's ([`crate::panel::links`]).

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

use super::{join::message, signin::Empty, signin::session_response};
use crate::{
    panel::links::{self, Broken, LinkOutcome, LinkState},
    storage::SecretPurpose,
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext},
        error::AppError,
        page::Chrome,
    },
};

#[derive(Serialize)]
struct LinkPage {
    #[serde(flatten)]
    chrome: Chrome,
    action: String,
    contact: String,
    text_key: &'static str,
    button_key: &'static str,
}

/// The page's words per purpose: (title, text, button).
fn words(purpose: SecretPurpose) -> (&'static str, &'static str, &'static str) {
    match purpose {
        SecretPurpose::Verify => ("link-verify-title", "link-verify-text", "link-verify-button"),
        SecretPurpose::SignIn => ("link-signin-title", "link-signin-text", "link-signin-button"),
    }
}

fn action(purpose: SecretPurpose, token: &str) -> String {
    match purpose {
        SecretPurpose::Verify => format!("/verify/{token}"),
        SecretPurpose::SignIn => format!("/me/signin/{token}"),
    }
}

/// The friendly page of a link that does not work (the same for a GET and a POST).
fn not_working(state: &AppState, ctx: &RequestContext, why: Broken) -> Result<Response, AppError> {
    let (status, key) = match why {
        Broken::Used => (StatusCode::GONE, "verify-link-used"),
        Broken::Expired => (StatusCode::GONE, "verify-link-expired"),
        Broken::Unknown => (StatusCode::NOT_FOUND, "verify-link-unknown"),
    };
    message(state, ctx, status, "verify-failed-title", key, None)
}

async fn page(
    state: &AppState,
    ctx: &RequestContext,
    token: &str,
    purpose: SecretPurpose,
) -> Result<Response, AppError> {
    match links::preview(state, token, purpose).await? {
        LinkState::Open { contact } => {
            let (title_key, text_key, button_key) = words(purpose);
            let page = LinkPage {
                chrome: Chrome::new(ctx, title_key),
                action: action(purpose, token),
                contact,
                text_key,
                button_key,
            };
            Ok(state.templates.page("pages/panel/link", &page)?.into_response())
        }
        LinkState::Broken(why) => not_working(state, ctx, why),
    }
}

async fn follow(
    state: &AppState,
    ctx: &RequestContext,
    token: &str,
    purpose: SecretPurpose,
) -> Result<Response, AppError> {
    match links::follow(state, token, purpose).await? {
        LinkOutcome::SignedIn { session, .. } => Ok(session_response(state, session)),
        LinkOutcome::Broken(why) => not_working(state, ctx, why),
    }
}

/// `GET /verify/{token}`: the page of the link from the verification email.
pub async fn verify_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    page(&state, &ctx, &token, SecretPurpose::Verify).await
}

/// `POST /verify/{token}`: confirms the address and signs its resident in.
pub async fn verify(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    follow(&state, &ctx, &token, SecretPurpose::Verify).await
}

/// `GET /me/signin/{token}`: the page of a sign-in link, naming the account (masked).
pub async fn signin_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    page(&state, &ctx, &token, SecretPurpose::SignIn).await
}

/// `POST /me/signin/{token}`: signs in.
pub async fn signin(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    follow(&state, &ctx, &token, SecretPurpose::SignIn).await
}
