//! Open311 GeoReport v2 under `/open311/v2/` (<https://wiki.open311.org/GeoReport_v2>), for apps: `discovery`,
//! `services`, `services/{service_code}`, `requests` (GET and POST), `requests/{id}`, `tokens/{token}`, each as
//! `.json` or `.xml`, errors in the specification's shape (`[{"code":400,"description":"…"}]`,
//! `<errors><error>…</error></errors>`). Filing calls the desk's own use case ([`crate::desk::report::file`]), so
//! every check is the one `/report` makes; the API key (`api_key`) is required to file and limited per key
//! (`open311.requests_per_minute`). Also the admins' page for the keys (`/official/admin/apikeys`).
//!
//! These routes are not in the OpenAPI document: GeoReport v2 is their description (and `discovery` their index).

mod admin;
mod handlers;
pub mod render;

use std::{
    num::NonZeroU32,
    sync::{Arc, Mutex, OnceLock, Weak},
};

use axum::{
    Router,
    http::{HeaderValue, StatusCode, header},
    middleware,
    response::Response,
    routing::{get, post},
};
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};

use self::render::{Format, V, respond};
use super::context::{ADMIN, require_roles};
use crate::{
    config::Config,
    core::CoreError,
    desk::apikeys,
    i18n::{self, Arg, Lang},
    web::AppState,
};

pub fn router() -> Router<AppState> {
    let admin = Router::new()
        .route("/official/admin/apikeys", get(admin::page).post(admin::create))
        .route("/official/admin/apikeys/{id}/revoke", post(admin::revoke))
        .route_layer(middleware::from_fn(|req, next| require_roles(ADMIN, req, next)));
    Router::new()
        .route("/open311/v2/{file}", get(handlers::top).post(handlers::post_request))
        .route("/open311/v2/services/{file}", get(handlers::service_definition))
        .route("/open311/v2/requests/{file}", get(handlers::request))
        .route("/open311/v2/tokens/{file}", get(handlers::token))
        .merge(admin)
}

/// An error answer in the specification's shape: one `{code, description}` per problem.
pub(crate) fn errors(format: Format, status: StatusCode, descriptions: &[String]) -> Response {
    let items = descriptions
        .iter()
        .map(|d| V::Obj(vec![("code", V::int(i64::from(status.as_u16()))), ("description", V::text(d.clone()))]))
        .collect();
    respond(status, format, "errors", &V::List("error", items))
}

/// One error answer with a catalogue message.
pub(crate) fn error(format: Format, status: StatusCode, lang: Lang, key: &str) -> Response {
    errors(format, status, &[i18n::t(lang, key)])
}

/// Open311's name of a field the core names otherwise.
fn open311_field(field: &str) -> &str {
    match field {
        "address" => "address_string",
        f => f,
    }
}

/// The core's verdict as an Open311 error: a field to fix 400 (each named, in the caller's language), a key refused
/// 403, nothing there 404.
pub(crate) fn core_error(format: Format, lang: Lang, e: CoreError) -> Response {
    match e {
        CoreError::Invalid(issues) => {
            let descriptions: Vec<String> = issues
                .iter()
                .map(|i| {
                    let args: Vec<(&str, Arg)> = i.args.iter().map(|(k, v)| (k.as_str(), Arg::from(v))).collect();
                    format!("{}: {}", open311_field(&i.field), i18n::tr(lang, &i.key, &args))
                })
                .collect();
            errors(format, StatusCode::BAD_REQUEST, &descriptions)
        }
        CoreError::Refused { kind, reason } => error(format, crate::web::error::refusal_status(kind), lang, reason),
        CoreError::TooLarge { .. } => error(format, StatusCode::PAYLOAD_TOO_LARGE, lang, "open311-error-too-large"),
        CoreError::NotFound => error(format, StatusCode::NOT_FOUND, lang, "open311-error-not-found"),
        CoreError::Internal(e) => {
            tracing::error!(error = %e, "Open311 request failed");
            error(format, StatusCode::INTERNAL_SERVER_ERROR, lang, "open311-error-internal")
        }
    }
}

/// Requests per minute for each app's key. In memory only, one per running application.
pub struct KeyLimiter {
    per_key: DefaultKeyedRateLimiter<i64>,
}

impl KeyLimiter {
    fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        Self { per_key: governor::RateLimiter::keyed(Quota::per_minute(n)) }
    }

    /// Takes one request from the key's budget; `Err(seconds)` until the next one is allowed.
    pub fn check(&self, key_id: i64) -> Result<(), u64> {
        let clock = governor::clock::DefaultClock::default();
        self.per_key.check_key(&key_id).map_err(|e| e.wait_time_from(clock.now()).as_secs().max(1))
    }
}

/// The limiter of the application this state belongs to (found by its configuration's identity: tests run several
/// applications in one process, each with its own budget and setting).
fn limiter(state: &AppState) -> Arc<KeyLimiter> {
    type Registry = Mutex<Vec<(Weak<Config>, Arc<KeyLimiter>)>>;
    static LIMITERS: OnceLock<Registry> = OnceLock::new();
    let mut list = LIMITERS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    list.retain(|(w, _)| w.strong_count() > 0);
    if let Some((_, l)) = list.iter().find(|(w, _)| std::ptr::eq(w.as_ptr(), Arc::as_ptr(&state.config))) {
        return l.clone();
    }
    let l = Arc::new(KeyLimiter::new(state.config.open311.requests_per_minute));
    list.push((Arc::downgrade(&state.config), l.clone()));
    l
}

/// Checks the key an app sent and takes one request from its budget: missing 400, unknown or revoked 403, over
/// the limit 429 (with `Retry-After`).
pub(crate) async fn use_key(state: &AppState, format: Format, lang: Lang, sent: Option<&str>) -> Result<i64, Response> {
    let id = apikeys::check(&state.core, sent).await.map_err(|e| core_error(format, lang, e))?;
    if let Err(secs) = limiter(state).check(id) {
        let text = i18n::tr(lang, "open311-error-too-many", &[("seconds", Arg::from(secs))]);
        let mut res = errors(format, StatusCode::TOO_MANY_REQUESTS, &[text]);
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Err(res);
    }
    Ok(id)
}
