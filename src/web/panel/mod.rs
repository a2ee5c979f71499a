//! The resident panel: joining (`/join`), verification, sign-in by one-time link or code, self-service (`/me`),
//! one-click unsubscribe (`/u/{token}`), the privacy notice, and the service worker for web push.

use std::net::IpAddr;

use axum::{
    Router,
    extract::FromRequestParts,
    http::{HeaderMap, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::CookieJar;
use chrono::Utc;
use governor::{DefaultKeyedRateLimiter, clock::Clock};

use super::error::AppError;
use crate::{domain::secret_token, web::AppState};

pub mod data;
pub mod home_point;
pub mod join;
pub mod links;
pub mod me;
pub mod push;
pub mod signin;
pub mod unsubscribe;

pub const RESIDENT_COOKIE: &str = "hejnal_resident";
pub use crate::panel::{NOTICE_V1, RESIDENT_SESSION_MINUTES, send_secret};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/join", get(join::join_page).post(join::join_form))
        .route("/verify/code", get(join::code_page).post(join::code_form))
        .route("/verify/{token}", get(links::verify_page).post(links::verify))
        .route("/privacy", get(me::privacy_page))
        .route("/me/signin", get(signin::signin_page).post(signin::signin_form))
        .route("/me/signin/code", post(signin::code_form))
        .route("/me/signin/{token}", get(links::signin_page).post(links::signin))
        .route("/me", get(me::me_page))
        .route("/me/logout", post(signin::logout))
        .route("/me/profile", post(me::update_profile))
        .route("/me/home-point", post(home_point::set))
        .route("/me/consents", post(me::change_consent))
        .route("/me/notice", post(me::review_notice))
        .route("/me/contacts", post(me::add_contact))
        .route("/me/contacts/{id}/remove", post(me::remove_contact))
        .route("/me/push", get(push::push_page))
        .route("/me/push/subscriptions", post(push::add_push))
        .route("/me/push/{id}/remove", post(push::remove_push))
        .route("/me/export", get(data::export))
        .route("/me/erase", get(data::erase_page).post(data::erase))
        .route("/u/{token}", get(unsubscribe::page).post(unsubscribe::one_click))
        .route("/sw.js", get(push::service_worker))
}

/// Rate limits on sign-ups and on sending codes and links (per client address and per contact point), and on
/// checking codes (per client address and per phone number, known or not).
pub struct PanelLimiter {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_contact: DefaultKeyedRateLimiter<String>,
    code_checks_per_address: DefaultKeyedRateLimiter<IpAddr>,
    code_checks_per_number: DefaultKeyedRateLimiter<String>,
}

impl Default for PanelLimiter {
    fn default() -> Self {
        use crate::web::official::login::quota;
        Self {
            // 20 at once, then one more every 30 s from one address.
            per_address: governor::RateLimiter::keyed(quota(20, 30)),
            // 3 messages at once to one contact point, then one every 2 minutes.
            per_contact: governor::RateLimiter::keyed(quota(3, 120)),
            // Typing a code: 20 checks at once from one address, then one every 30 s …
            code_checks_per_address: governor::RateLimiter::keyed(quota(20, 30)),
            // … and 10 for one number (two codes' five tries), then one every 30 s.
            code_checks_per_number: governor::RateLimiter::keyed(quota(10, 30)),
        }
    }
}

impl PanelLimiter {
    /// Takes one request from the address's budget and one from each contact point's; `Err(seconds)` to wait.
    pub fn check(&self, ip: IpAddr, contacts: &[String]) -> Result<(), u64> {
        if self.per_address.len() > 100_000 {
            self.per_address.retain_recent();
            self.per_contact.retain_recent();
        }
        let clock = governor::clock::DefaultClock::default();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(clock.now()).as_secs().max(1);
        self.per_address.check_key(&ip).map_err(wait)?;
        for c in contacts {
            self.per_contact.check_key(c).map_err(wait)?;
        }
        Ok(())
    }

    /// Takes one code check from the address's budget and the number's; `Err(seconds)` to wait. Unknown numbers
    /// spend budgets exactly like known ones.
    pub fn check_code(&self, ip: IpAddr, number: &str) -> Result<(), u64> {
        if self.code_checks_per_address.len() > 100_000 {
            self.code_checks_per_address.retain_recent();
            self.code_checks_per_number.retain_recent();
        }
        let clock = governor::clock::DefaultClock::default();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(clock.now()).as_secs().max(1);
        self.code_checks_per_address.check_key(&ip).map_err(wait)?;
        self.code_checks_per_number.check_key(&number.to_string()).map_err(wait)?;
        Ok(())
    }
}

/// The signed-in resident, if any, from the resident session cookie (sliding its expiry, as `/me` does).
pub(crate) async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Option<i64>, AppError> {
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(RESIDENT_COOKIE) else { return Ok(None) };
    let now = Utc::now();
    let expiry = now + chrono::Duration::minutes(RESIDENT_SESSION_MINUTES);
    Ok(state.store.resident_session(&secret_token::hash(cookie.value()), now, expiry).await?)
}

/// The signed-in resident (from the resident session cookie), or a redirect to sign in.
pub struct Resident {
    pub id: i64,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Resident {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let to_sign_in = || Redirect::to("/me/signin?expired=1").into_response();
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(RESIDENT_COOKIE) else { return Err(Redirect::to("/me/signin").into_response()) };
        let token_hash = secret_token::hash(cookie.value());
        let now = Utc::now();
        let expiry = now + chrono::Duration::minutes(RESIDENT_SESSION_MINUTES);
        match state.store.resident_session(&token_hash, now, expiry).await {
            Ok(Some(id)) => Ok(Resident { id, token_hash }),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}
