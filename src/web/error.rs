//! One error type for the web layer. A handler returns [`AppError`]; [`render_errors`] turns it (and any bare error
//! status from axum or tower, such as 404, 405 or 413) into a translated HTML page or an RFC 9457
//! `application/problem+json` body for `/api/…`.

use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use serde::Serialize;

use super::{context::negotiate_lang, page::Chrome};
use crate::{
    core::{CoreError, Refusal},
    i18n::{self, Arg, Lang},
    storage::StoreError,
    web::AppState,
};

/// A field the caller must fix: the core's field issue, shown by the web.
pub use crate::core::FieldIssue as FieldError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF token missing or wrong")]
    CsrfFailed,
    #[error("malformed form")]
    BadForm(Option<String>),
    /// Malformed or mistyped JSON; `detail` names the field (from the parser).
    #[error("bad JSON: {detail}")]
    BadJson { status: StatusCode, detail: String },
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("payload too large")]
    PayloadTooLarge,
    /// A request that is understood but refused now (approving one's own alert, cancelling twice); `key` is the
    /// catalogue message saying why.
    #[error("refused: {key}")]
    Refused { status: StatusCode, key: &'static str },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The status of a refusal, for pages that show a refusal in place (a form with its notice) rather than as an error.
pub fn refusal_status(kind: Refusal) -> StatusCode {
    match kind {
        Refusal::Conflict => StatusCode::CONFLICT,
        Refusal::Forbidden => StatusCode::FORBIDDEN,
        Refusal::Gone => StatusCode::GONE,
        Refusal::Unknown => StatusCode::NOT_FOUND,
    }
}

/// The one place where the core's verdicts become status codes.
impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Invalid(errors) => AppError::Invalid(errors),
            CoreError::Refused { kind, reason } => AppError::Refused { status: refusal_status(kind), key: reason },
            CoreError::TooLarge { detail } => AppError::BadJson { status: StatusCode::PAYLOAD_TOO_LARGE, detail },
            CoreError::NotFound => AppError::NotFound,
            CoreError::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Internal(anyhow::Error::new(e))
    }
}

/// What [`render_errors`] needs to render an error; travels in the response's extensions.
#[derive(Clone, Debug)]
struct Problem {
    status: StatusCode,
    title_key: &'static str,
    detail_key: &'static str,
    detail_args: Vec<(&'static str, i64)>,
    raw_detail: Option<String>,
    errors: Vec<FieldError>,
}

impl Problem {
    fn for_status(status: StatusCode) -> Self {
        let (title_key, detail_key) = match status {
            StatusCode::NOT_FOUND => ("error-not-found", "error-not-found-detail"),
            StatusCode::UNAUTHORIZED => ("error-unauthorized", "error-unauthorized-detail"),
            StatusCode::FORBIDDEN => ("error-forbidden", "error-forbidden-detail"),
            StatusCode::METHOD_NOT_ALLOWED => ("error-method", "error-method-detail"),
            StatusCode::PAYLOAD_TOO_LARGE => ("error-too-large", "error-too-large-detail"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ("error-media-type", "error-media-type-detail"),
            StatusCode::UNPROCESSABLE_ENTITY => ("error-invalid", "error-invalid-detail"),
            StatusCode::TOO_MANY_REQUESTS => ("error-too-many", "error-too-many-detail"),
            s if s.is_client_error() => ("error-bad-request", "error-bad-request-detail"),
            _ => ("error-internal", "error-internal-detail"),
        };
        Self { status, title_key, detail_key, detail_args: Vec::new(), raw_detail: None, errors: Vec::new() }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = match self {
            AppError::NotFound => Problem::for_status(StatusCode::NOT_FOUND),
            AppError::Unauthorized => Problem::for_status(StatusCode::UNAUTHORIZED),
            AppError::Forbidden => Problem::for_status(StatusCode::FORBIDDEN),
            AppError::CsrfFailed => Problem {
                title_key: "error-csrf",
                detail_key: "error-csrf-detail",
                ..Problem::for_status(StatusCode::FORBIDDEN)
            },
            AppError::BadForm(detail) => Problem { raw_detail: detail, ..Problem::for_status(StatusCode::BAD_REQUEST) },
            AppError::BadJson { status, detail } => Problem { raw_detail: Some(detail), ..Problem::for_status(status) },
            AppError::Invalid(errors) => Problem { errors, ..Problem::for_status(StatusCode::UNPROCESSABLE_ENTITY) },
            AppError::PayloadTooLarge => Problem::for_status(StatusCode::PAYLOAD_TOO_LARGE),
            AppError::Refused { status, key } => Problem { detail_key: key, ..Problem::for_status(status) },
            AppError::TooManyRequests { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1) as i64;
                let mut res = Problem {
                    detail_args: vec![("minutes", minutes)],
                    ..Problem::for_status(StatusCode::TOO_MANY_REQUESTS)
                }
                .into_marker_response();
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs.max(1)));
                return res;
            }
            AppError::Internal(e) if storage_full(&e) => {
                tracing::error!(error = format!("{e:#}"), "the database's disk is full: writes are refused");
                Problem {
                    title_key: "error-storage-full",
                    detail_key: "error-storage-full-detail",
                    ..Problem::for_status(StatusCode::SERVICE_UNAVAILABLE)
                }
            }
            AppError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        };
        problem.into_marker_response()
    }
}

/// Whether an error comes from a database that has run out of disk space (SQLite's `SQLITE_FULL`, PostgreSQL's
/// `disk_full`): the caller is told so, rather than given an unexplained server error.
fn storage_full(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| match (cause.downcast_ref::<sqlx::Error>(), cause.downcast_ref::<StoreError>()) {
        (Some(sqlx::Error::Database(d)), _) => matches!(d.code().as_deref(), Some("13" | "53100")),
        (_, Some(StoreError::Other(inner))) => storage_full(inner),
        _ => false,
    })
}

impl Problem {
    fn into_marker_response(self) -> Response {
        let mut res = self.status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

/// RFC 9457 problem details, with `errors` naming each invalid field.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub message: String,
}

#[derive(Serialize)]
struct ErrorPage {
    #[serde(flatten)]
    chrome: Chrome,
    status: u16,
    title: String,
    detail: String,
    errors: Vec<ProblemField>,
}

/// Middleware: renders errors in the caller's language and format.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let (lang, _) = negotiate_lang(req.uri(), req.headers());
    let res = next.run(req).await;
    let ctx = res.extensions().get::<super::context::RequestContext>().cloned();
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let problem = match res.extensions().get::<Problem>() {
        Some(p) => p.clone(),
        // A page, JSON or XML we rendered ourselves (a form shown again with its errors, an Open311 error) passes
        // through; plain-text bodies from axum's extractors and tower's layers are replaced by a proper error.
        None if res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| {
            ct.starts_with("text/html")
                || ct.starts_with("application/json")
                || ct.starts_with("application/problem+json")
                || ct.starts_with("text/xml")
        }) =>
        {
            return res;
        }
        None => Problem::for_status(status),
    };
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let lang = ctx.as_ref().map(|c| c.lang).unwrap_or(lang);
    let mut out = if is_api { problem_json(&problem, lang) } else { error_page(&state, &problem, lang, ctx) };
    *out.status_mut() = problem.status;
    if let Some(v) = retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    out
}

fn texts(problem: &Problem, lang: Lang) -> (String, String, Vec<ProblemField>) {
    let title = i18n::t(lang, problem.title_key);
    let args: Vec<(&str, Arg)> = problem.detail_args.iter().map(|(k, v)| (*k, Arg::from(*v))).collect();
    let detail = match &problem.raw_detail {
        Some(raw) => format!("{} {raw}", i18n::tr(lang, problem.detail_key, &args)),
        None => i18n::tr(lang, problem.detail_key, &args),
    };
    let errors = problem
        .errors
        .iter()
        .map(|e| {
            let args: Vec<(&str, Arg)> = e
                .args
                .iter()
                .map(|(k, v)| (k.as_str(), Arg::from(v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))))
                .collect();
            ProblemField { field: e.field.clone(), message: i18n::tr(lang, &e.key, &args) }
        })
        .collect();
    (title, detail, errors)
}

fn problem_json(problem: &Problem, lang: Lang) -> Response {
    let (title, detail, errors) = texts(problem, lang);
    let body = ProblemJson { kind: "about:blank".into(), title, status: problem.status.as_u16(), detail, errors };
    let mut res = Json(body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    res.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    res
}

fn error_page(
    state: &AppState,
    problem: &Problem,
    lang: Lang,
    ctx: Option<super::context::RequestContext>,
) -> Response {
    let (title, detail, errors) = texts(problem, lang);
    let ctx = ctx.unwrap_or_else(|| super::context::RequestContext::bare(lang));
    let page = ErrorPage {
        chrome: Chrome::new(&ctx, problem.title_key),
        status: problem.status.as_u16(),
        title,
        detail,
        errors,
    };
    match state.templates.render("pages/error", &page) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, i18n::t(lang, "error-internal")).into_response()
        }
    }
}
