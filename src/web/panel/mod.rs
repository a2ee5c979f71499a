//! The resident panel: joining (`/join`), verification, sign-in by one-time link or code, self-service (`/me`),
//! one-click unsubscribe (`/u/{token}`), the privacy notice, and the service worker for web push.

use std::{future::Future, net::IpAddr, time::Duration};

use axum::{
    Router,
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::CookieJar;
use chrono::Utc;
use governor::{DefaultKeyedRateLimiter, clock::Clock};

use super::error::AppError;
use crate::{
    app::AppState,
    domain::{
        panel::{ContactKind, code_hash, contact_purpose, new_code},
        secret_token,
    },
    i18n::{self, Arg, Lang},
    storage::{ContactPoint, DynStorage, SecretPurpose},
};

pub mod data;
pub mod home_point;
pub mod join;
pub mod me;
pub mod push;
pub mod signin;
pub mod unsubscribe;

pub const RESIDENT_COOKIE: &str = "hejnal_resident";
/// Idle lifetime of a resident's session.
pub const RESIDENT_SESSION_MINUTES: i64 = 60;
/// Verification links live 48 hours; codes 10 minutes with at most 5 tries; sign-in links 30 minutes.
pub const LINK_HOURS: i64 = 48;
pub const SIGNIN_LINK_MINUTES: i64 = 30;
pub const CODE_MINUTES: i64 = 10;
pub const CODE_TRIES: i64 = 5;
/// Texts with a code sent to one number in 24 hours, at most (each costs the city money and can be used to pester).
pub const CODES_PER_DAY: i64 = 5;
/// Sign-ups nobody confirmed are erased after this many days.
pub const PURGE_AFTER_DAYS: i64 = 7;

/// The first consent notice, published on first start: `[pl, en, uk]`.
pub const NOTICE_V1: [&str; 3] = [
    include_str!("../../../templates/panel/notice-v1-pl.txt"),
    include_str!("../../../templates/panel/notice-v1-en.txt"),
    include_str!("../../../templates/panel/notice-v1-uk.txt"),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/join", get(join::join_page).post(join::join_form))
        .route("/verify/code", get(join::code_page).post(join::code_form))
        .route("/verify/{token}", get(join::verify_link))
        .route("/privacy", get(me::privacy_page))
        .route("/me/signin", get(signin::signin_page).post(signin::signin_form))
        .route("/me/signin/code", post(signin::code_form))
        .route("/me/signin/{token}", get(signin::signin_link))
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

/// Periodic housekeeping while the server runs: erase unconfirmed sign-ups older than seven days.
pub async fn maintenance(store: DynStorage, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        let now = Utc::now();
        match store.purge_unverified(now - chrono::Duration::days(PURGE_AFTER_DAYS), now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "unconfirmed sign-ups erased"),
            Err(e) => tracing::warn!(error = %e, "purging unconfirmed sign-ups failed"),
        }
        tokio::select! {
            _ = &mut stop => return,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
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

/// Sends a contact point its one-time secret through the delivery engine: a link by email, a 6-digit code by SMS.
/// Not held by quiet hours; the directory sends it to this contact point even before it is verified.
pub async fn send_secret(
    state: &AppState,
    cp: &ContactPoint,
    purpose: SecretPurpose,
    lang: Lang,
) -> Result<(), AppError> {
    let now = Utc::now();
    // The secret travels as the recipient's `{{secret}}` value, which the engine erases once the message is final:
    // the stored rendering never holds it.
    let (channel, expires, hash, secret, content) = match cp.kind {
        ContactKind::Email => {
            let token = secret_token::generate("");
            let (expires, path, subject_key, text_key) = match purpose {
                SecretPurpose::Verify => (
                    now + chrono::Duration::hours(LINK_HOURS),
                    "/verify/{{secret}}",
                    "msg-verify-subject",
                    "msg-verify-email",
                ),
                SecretPurpose::SignIn => (
                    now + chrono::Duration::minutes(SIGNIN_LINK_MINUTES),
                    "/me/signin/{{secret}}",
                    "msg-signin-subject",
                    "msg-signin-email",
                ),
            };
            let link = state.config.link(path);
            let content = hejnal_jobs::Content {
                subject: Some(i18n::t(lang, subject_key)),
                text: i18n::tr(lang, text_key, &[("link", Arg::from(link))]),
                html: None,
                url: None,
            };
            (hejnal_jobs::Channel::Email, expires, secret_token::hash(&token), token, content)
        }
        ContactKind::Phone => {
            // The daily cap: beyond it nothing is sent, and the answer the person sees does not change (it must not
            // tell a known number from an unknown one).
            let sent_today = state.store.codes_created_since(cp.id, now - chrono::Duration::days(1)).await?;
            if sent_today >= CODES_PER_DAY {
                tracing::warn!(contact_point_id = cp.id, "daily cap on codes reached: none sent");
                return Ok(());
            }
            let code = new_code();
            let key = match purpose {
                SecretPurpose::Verify => "msg-verify-sms",
                SecretPurpose::SignIn => "msg-signin-sms",
            };
            let content = hejnal_jobs::Content {
                subject: None,
                text: i18n::tr(lang, key, &[("code", Arg::from("{{secret}}"))]),
                html: None,
                url: None,
            };
            let hash = code_hash(cp.id, &code);
            (hejnal_jobs::Channel::Sms, now + chrono::Duration::minutes(CODE_MINUTES), hash, code, content)
        }
    };
    let secret_id =
        state.store.create_secret(cp.id, purpose, cp.kind == ContactKind::Phone, &hash, now, expires).await?;
    let broadcast = hejnal_jobs::NewBroadcast {
        key: format!("contact-secret:{secret_id}"),
        kind: format!("{}-{}", purpose.as_str(), cp.kind.as_str()),
        purpose: contact_purpose(cp.id),
        priority: hejnal_jobs::Priority::Service,
        expires_at: expires,
        topic: None,
        contents: vec![(channel, lang.code().to_string(), content)],
        fallback_language: lang.code().to_string(),
        quiet_hours_exempt: true,
    };
    let recipient = hejnal_jobs::Recipient {
        id: cp.resident_id,
        language: lang.code().to_string(),
        channels: vec![channel],
        vars: Some(serde_json::Map::from_iter([("secret".to_string(), serde_json::Value::String(secret))])),
    };
    hejnal_jobs::submit(&state.store.queue_db(), &broadcast, [recipient], 1)
        .await
        .map_err(|e| AppError::Internal(e.context("queueing a verification message failed")))?;
    tracing::info!(contact_point_id = cp.id, secret_id, purpose = purpose.as_str(), "one-time secret queued");
    Ok(())
}
