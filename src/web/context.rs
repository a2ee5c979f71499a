//! Who is asking, in which language, with which CSRF token: resolved once per request by [`resolve`].

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, Method, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{Duration, Utc};
use serde::de::DeserializeOwned;

use super::error::AppError;
use crate::{
    domain::{Official, Role, secret_token},
    i18n::Lang,
    storage::SessionLookup,
    web::AppState,
};

pub const SESSION_COOKIE: &str = "hejnal_session";
pub const CSRF_COOKIE: &str = "hejnal_csrf";
pub const LANG_COOKIE: &str = "hejnal_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";

/// How the caller proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    Anonymous,
    Session,
    Bearer,
    /// A session cookie that has run out: pages send the official back to login with a message.
    ExpiredSession,
}

/// Everything a handler needs to know about the request before reading its body.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub lang: Lang,
    /// Path and query of this request, without any `lang` parameter.
    pub path: String,
    pub official: Option<Official>,
    pub auth: Auth,
    pub csrf: String,
    /// The client as rate limits key it: through trusted proxies, IPv6 by /64 (see [`super::client_addr`]).
    pub client_ip: IpAddr,
    pub is_api: bool,
}

impl RequestContext {
    /// A context for a response rendered outside [`resolve`] (an error before the caller was known).
    pub fn bare(lang: Lang) -> Self {
        Self {
            lang,
            path: "/".into(),
            official: None,
            auth: Auth::Anonymous,
            csrf: String::new(),
            client_ip: IpAddr::from([127, 0, 0, 1]),
            is_api: false,
        }
    }

    /// This page in another language.
    pub fn path_with_lang(&self, lang: Lang) -> String {
        let sep = if self.path.contains('?') { '&' } else { '?' };
        format!("{}{sep}lang={}", self.path, lang.code())
    }

    /// The signed-in official, or the right refusal.
    pub fn official(&self) -> Result<&Official, AppError> {
        self.official.as_ref().ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context middleware is not installed")))
    }
}

/// Middleware: resolves language, CSRF token and caller, and refuses cookie-authenticated API writes without the
/// CSRF header.
pub async fn resolve(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request,
    next: Next,
) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let uri = req.uri().clone();
    let is_api = uri.path().starts_with("/api/");
    let (lang, query_lang) = negotiate_lang(&uri, req.headers());

    let (csrf, new_csrf) = match jar.get(CSRF_COOKIE).map(|c| c.value().to_string()) {
        Some(v) if v.len() >= 32 => (v, false),
        _ => (secret_token::generate(""), true),
    };

    // `/metrics` checks its own bearer token (`metrics_token`), which is no official's API token.
    let (official, auth) = if uri.path() == "/metrics" {
        (None, Auth::Anonymous)
    } else {
        match identify(&state, req.headers(), &jar).await {
            Ok(found) => found,
            Err(e) => return e.into_response(),
        }
    };

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if is_api && unsafe_method && auth == Auth::Session {
        let sent = header_str(req.headers(), CSRF_HEADER.parse().expect("valid header name")).unwrap_or("");
        if !secret_token::constant_time_eq(sent, &csrf) {
            return AppError::CsrfFailed.into_response();
        }
    }

    let ctx = RequestContext {
        lang,
        path: path_without_lang(&uri),
        official,
        auth,
        csrf: csrf.clone(),
        client_ip: super::client_addr::client_key(peer.ip(), req.headers(), &state.config.trusted_proxies),
        is_api,
    };
    req.extensions_mut().insert(ctx.clone());
    let mut res = next.run(req).await;
    // The error renderer, outside this middleware, reads the caller from the response.
    res.extensions_mut().insert(ctx);

    let secure = state.config.secure_cookies();
    if new_csrf {
        let cookie =
            Cookie::build((CSRF_COOKIE, csrf)).path("/").http_only(true).same_site(SameSite::Strict).secure(secure);
        append_cookie(&mut res, cookie.build());
    }
    if let Some(l) = query_lang {
        let cookie = Cookie::build((LANG_COOKIE, l.code()))
            .path("/")
            .same_site(SameSite::Lax)
            .secure(secure)
            .max_age(time_years(1));
        append_cookie(&mut res, cookie.build());
    }
    res
}

/// The page language: `?lang=`, then the cookie, then `Accept-Language`, then Polish. Also returns the `?lang=`
/// choice, which the response remembers in a cookie.
pub fn negotiate_lang(uri: &axum::http::Uri, headers: &HeaderMap) -> (Lang, Option<Lang>) {
    let query_lang = uri.query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    let jar = CookieJar::from_headers(headers);
    let lang = query_lang
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .or_else(|| header_str(headers, header::ACCEPT_LANGUAGE).map(Lang::from_accept_language))
        .unwrap_or_default();
    (lang, query_lang)
}

fn time_years(n: i64) -> cookie::time::Duration {
    cookie::time::Duration::days(365 * n)
}

pub fn append_cookie(res: &mut Response, cookie: Cookie<'_>) {
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn path_without_lang(uri: &axum::http::Uri) -> String {
    // One leading slash only: `//host/…` (or `/\host/…`) in a link would be protocol-relative, taking the
    // language links (and any `next`) to another site.
    let path = format!("/{}", uri.path().trim_start_matches(['/', '\\']));
    let kept: Vec<(String, String)> = uri
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "lang")
        .collect();
    if kept.is_empty() { path } else { format!("{path}?{}", serde_urlencoded::to_string(kept).unwrap_or_default()) }
}

async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    jar: &CookieJar,
) -> Result<(Option<Official>, Auth), AppError> {
    let now = Utc::now();
    if let Some(auth) = header_str(headers, header::AUTHORIZATION) {
        let Some(token) = auth.strip_prefix("Bearer ").map(str::trim) else {
            return Err(AppError::Unauthorized);
        };
        let official = state.store.official_by_token(&secret_token::hash(token), now).await?;
        return match official {
            Some(o) => Ok((Some(o), Auth::Bearer)),
            None => Err(AppError::Unauthorized),
        };
    }
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let expiry = now + Duration::minutes(state.config.session_minutes);
        return Ok(match state.store.official_session(&secret_token::hash(cookie.value()), now, expiry).await? {
            SessionLookup::Active(o) => (Some(o), Auth::Session),
            SessionLookup::Expired | SessionLookup::Unknown => (None, Auth::ExpiredSession),
        });
    }
    Ok((None, Auth::Anonymous))
}

/// Any signed-in official, whatever their roles (for [`require_roles`]).
pub const ANY_OFFICIAL: &[Role] = &[];
pub const ADMIN: &[Role] = &[Role::Admin];

/// Route guard: the caller must be a signed-in official holding one of `roles` (any official when empty).
/// Anonymous pages go to the login page; anonymous API calls get 401; the wrong role gets 403.
pub async fn require_roles(roles: &'static [Role], req: Request, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<RequestContext>() else {
        return AppError::Internal(anyhow::anyhow!("request context middleware is not installed")).into_response();
    };
    match &ctx.official {
        None if ctx.is_api => AppError::Unauthorized.into_response(),
        None => {
            let next_path = serde_urlencoded::to_string([("next", ctx.path.as_str())]).unwrap_or_default();
            let expired = if ctx.auth == Auth::ExpiredSession { "expired=1&" } else { "" };
            Redirect::to(&format!("/official/login?{expired}{next_path}")).into_response()
        }
        Some(o) if roles.is_empty() || o.has_any(roles) => next.run(req).await,
        Some(_) => AppError::Forbidden.into_response(),
    }
}

/// A form body whose `_csrf` field must match the visitor's CSRF cookie (double-submit, SameSite=Strict).
pub struct CsrfForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = req
            .extensions()
            .get::<RequestContext>()
            .map(|c| c.csrf.clone())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context middleware is not installed")))?;
        let had_cookie = CookieJar::from_headers(req.headers()).get(CSRF_COOKIE).is_some();
        let body = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadForm(None)
            }
        })?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadForm(None))?;
        let sent = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str()).unwrap_or("");
        if !had_cookie || !secret_token::constant_time_eq(sent, &expected) {
            return Err(AppError::CsrfFailed);
        }
        serde_html_form::from_bytes(&body).map(CsrfForm).map_err(|e| AppError::BadForm(Some(e.to_string())))
    }
}
