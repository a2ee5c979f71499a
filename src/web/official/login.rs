//! Officials sign in with email and password, and out again. Attempts are throttled per address and per account.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::Utc;
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};
use serde::{Deserialize, Serialize};

use crate::{
    config::LoginLimits,
    domain::{
        Email,
        audit::{AuditAction, NewAuditEntry},
        official::{dummy_hash, verify_password},
        secret_token,
    },
    web::AppState,
    web::{
        context::{Auth, CSRF_COOKIE, CsrfForm, RequestContext, SESSION_COOKIE, append_cookie},
        error::AppError,
        page::{Chrome, Page},
    },
};

/// Throttles login attempts, per client address and per account.
pub struct LoginLimiter {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
}

/// A burst of `burst`, then one more every `period_secs` (both validated positive).
pub(crate) fn quota(burst: u32, period_secs: u64) -> Quota {
    Quota::with_period(Duration::from_secs(period_secs))
        .expect("validated positive period")
        .allow_burst(NonZeroU32::new(burst).expect("validated positive burst"))
}

impl LoginLimiter {
    pub fn new(limits: &LoginLimits) -> Self {
        Self {
            per_address: governor::RateLimiter::keyed(quota(limits.per_address_burst, limits.per_address_period_secs)),
            per_account: governor::RateLimiter::keyed(quota(limits.per_account_burst, limits.per_account_period_secs)),
        }
    }

    /// Takes one attempt from both budgets; `Err(seconds)` says how long until the next attempt is allowed.
    pub fn check(&self, ip: IpAddr, account: &str) -> Result<(), u64> {
        if self.per_address.len() > 100_000 {
            self.per_address.retain_recent();
            self.per_account.retain_recent();
        }
        let clock = governor::clock::DefaultClock::default();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(clock.now()).as_secs().max(1);
        self.per_address.check_key(&ip).map_err(wait)?;
        self.per_account.check_key(&account.to_string()).map_err(wait)?;
        Ok(())
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<u8>,
    logged_out: Option<u8>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

#[derive(Serialize)]
struct LoginPage {
    #[serde(flatten)]
    chrome: Chrome,
    email: String,
    next: String,
    /// Catalogue key of a message shown above the form.
    notice_key: Option<&'static str>,
    error_key: Option<&'static str>,
    retry_minutes: i64,
}

/// Only paths inside the officials' area are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/official") && !n.starts_with("//") && !n.contains("://") => n.to_string(),
        _ => "/official".to_string(),
    }
}

pub async fn login_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if ctx.official.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let notice_key = if q.expired.is_some() || ctx.auth == Auth::ExpiredSession {
        Some("login-expired")
    } else if q.logged_out.is_some() {
        Some("login-logged-out")
    } else {
        None
    };
    let page = LoginPage {
        chrome: Chrome::new(&ctx, "login-title"),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        notice_key,
        error_key: None,
        retry_minutes: 0,
    };
    let mut res = state.templates.page("pages/official/login", &page)?.into_response();
    if ctx.auth == Auth::ExpiredSession {
        append_cookie(
            &mut res,
            Cookie::build((SESSION_COOKIE, "")).path("/").max_age(cookie::time::Duration::ZERO).build(),
        );
    }
    Ok(res)
}

pub async fn login(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(form.next.as_deref());
    let shown_email = form.email.trim().chars().take(254).collect::<String>();
    let retry = |status: StatusCode, error_key: &'static str, retry_minutes: i64| -> Result<Response, AppError> {
        let page = LoginPage {
            chrome: Chrome::new(&ctx, "login-title"),
            email: shown_email.clone(),
            next: next.clone(),
            notice_key: None,
            error_key: Some(error_key),
            retry_minutes,
        };
        Ok((status, state.templates.page("pages/official/login", &page)?).into_response())
    };

    let Ok(email) = Email::parse(&form.email) else {
        // Same message as a wrong password: the form never says which accounts exist.
        return retry(StatusCode::UNAUTHORIZED, "login-wrong", 0);
    };
    let found = state.store.official_credentials(&email).await?;
    let actor = found.as_ref().map(|(o, _)| o.id);
    if let Err(wait_secs) = state.login_limiter.check(ctx.client_ip, email.as_str()) {
        state.store.append_audit(&NewAuditEntry::new(actor, AuditAction::LoginThrottled), Utc::now()).await?;
        let minutes = wait_secs.div_ceil(60) as i64;
        let mut res = retry(StatusCode::TOO_MANY_REQUESTS, "login-throttled", minutes)?;
        res.headers_mut().insert(axum::http::header::RETRY_AFTER, wait_secs.into());
        return Ok(res);
    }
    let ok = match &found {
        Some((official, hash)) => verify_password(&form.password, hash) && official.active,
        None => {
            verify_password(&form.password, dummy_hash());
            false
        }
    };
    let Some((official, _)) = found.filter(|_| ok) else {
        state.store.append_audit(&NewAuditEntry::new(actor, AuditAction::LoginFailed), Utc::now()).await?;
        tracing::info!(official_id = actor, "login failed");
        return retry(StatusCode::UNAUTHORIZED, "login-wrong", 0);
    };

    let token = secret_token::generate("");
    let expires = Utc::now() + chrono::Duration::minutes(state.config.session_minutes);
    state.store.create_session(&secret_token::hash(&token), official.id, expires).await?;
    state
        .store
        .append_audit(
            &NewAuditEntry::new(Some(official.id), AuditAction::Login).subject(format!("official:{}", official.id)),
            Utc::now(),
        )
        .await?;
    tracing::info!(official_id = official.id, "login");
    let secure = state.config.secure_cookies();
    let mut res = Redirect::to(&next).into_response();
    append_cookie(
        &mut res,
        Cookie::build((SESSION_COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .build(),
    );
    // A fresh CSRF token for the new session.
    append_cookie(
        &mut res,
        Cookie::build((CSRF_COOKIE, secret_token::generate("")))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure)
            .build(),
    );
    Ok(res)
}

#[derive(Serialize)]
struct LogoutPage {
    #[serde(flatten)]
    chrome: Chrome,
}

pub async fn logout_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    state.templates.page("pages/official/logout", &LogoutPage { chrome: Chrome::new(&ctx, "logout-title") })
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: axum::http::HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    if let Some(cookie) = axum_extra::extract::cookie::CookieJar::from_headers(&headers).get(SESSION_COOKIE) {
        state.store.delete_session(&secret_token::hash(cookie.value())).await?;
    }
    state.store.append_audit(&NewAuditEntry::new(Some(official.id), AuditAction::Logout), Utc::now()).await?;
    let mut res = Redirect::to("/official/login?logged_out=1").into_response();
    append_cookie(
        &mut res,
        Cookie::build((SESSION_COOKIE, "")).path("/").max_age(cookie::time::Duration::ZERO).build(),
    );
    Ok(res)
}
