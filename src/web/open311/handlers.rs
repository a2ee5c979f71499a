//! The GeoReport v2 methods. Each reads its parameters raw (the query string, and for `POST requests` the
//! `application/x-www-form-urlencoded` body), hands them to the desk's use cases and writes the answer in the
//! format the path names.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::Response,
};
use chrono::{DateTime, SecondsFormat, TimeZone};

use super::{
    core_error, error, errors,
    render::{Format, V, respond},
    use_key,
};
use crate::{
    desk::{
        catalogue,
        open311::{self, Request, RequestsInput},
        report::{self, Channel, ReportInput},
    },
    domain::desk::{AttributeKind, Catalogue},
    i18n::{self, Arg, Lang},
    web::{AppState, context::RequestContext},
};

/// When this API's shape last changed (`discovery`'s `changeset`).
const CHANGESET: &str = "2026-12-03T00:00:00Z";
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

fn query(uri: &Uri) -> Vec<(String, String)> {
    pairs(uri.query().unwrap_or("").as_bytes())
}

/// The last non-empty value of a parameter.
fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params.iter().rev().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.clone())
}

fn not_found(lang: Lang) -> Response {
    // A path that names no format: JSON, the format every client reads.
    error(Format::Json, StatusCode::NOT_FOUND, lang, "open311-error-format")
}

fn datetime<Tz: TimeZone>(t: DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `GET discovery`, `GET services`, `GET requests`, each `.json` or `.xml`.
pub(super) async fn top(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(file): Path<String>,
    uri: Uri,
) -> Response {
    let Some((stem, format)) = Format::split(&file) else { return not_found(ctx.lang) };
    match stem {
        "discovery" => discovery(&state, ctx.lang, format),
        "services" => services(&state, ctx.lang, format).await,
        "requests" => requests(&state, ctx.lang, format, &query(&uri)).await,
        _ => error(format, StatusCode::NOT_FOUND, ctx.lang, "open311-error-not-found"),
    }
}

fn discovery(state: &AppState, lang: Lang, format: Format) -> Response {
    let base = state.config.public_url.join("open311/v2").map(|u| u.to_string()).unwrap_or_default();
    let keys = state.config.public_url.join("official/admin/apikeys").map(|u| u.to_string()).unwrap_or_default();
    let endpoint = V::Obj(vec![
        ("specification", V::text(SPECIFICATION)),
        ("url", V::text(base)),
        ("changeset", V::text(CHANGESET)),
        ("type", V::text("production")),
        ("formats", V::List("format", vec![V::text("text/xml"), V::text("application/json")])),
    ]);
    let value = V::Obj(vec![
        ("changeset", V::text(CHANGESET)),
        ("contact", V::text(i18n::t(lang, "open311-contact"))),
        ("key_service", V::text(i18n::tr(lang, "open311-key-service", &[("url", Arg::from(keys))]))),
        ("endpoints", V::List("endpoint", vec![endpoint])),
    ]);
    respond(StatusCode::OK, format, "discovery", &value)
}

async fn services(state: &AppState, lang: Lang, format: Format) -> Response {
    let c = match catalogue::offered(&state.core).await {
        Ok(c) => c,
        Err(e) => return core_error(format, lang, e),
    };
    let l = lang.code();
    let items = c
        .services
        .iter()
        .map(|s| {
            V::Obj(vec![
                ("service_code", V::text(&s.code)),
                ("service_name", V::text(s.name.get(l))),
                ("description", V::text(s.hint.get(l))),
                ("metadata", V::Bool(!s.attributes.is_empty())),
                ("type", V::text("realtime")),
                ("keywords", V::text(s.keywords.get(l))),
                ("group", V::text(c.unit(&s.unit).map(|u| u.name.get(l)).unwrap_or_default())),
            ])
        })
        .collect();
    respond(StatusCode::OK, format, "services", &V::List("service", items))
}

/// `GET services/{service_code}.(json|xml)`: the service's attributes.
pub(super) async fn service_definition(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(file): Path<String>,
) -> Response {
    let lang = ctx.lang;
    let Some((code, format)) = Format::split(&file) else { return not_found(lang) };
    let c = match catalogue::offered(&state.core).await {
        Ok(c) => c,
        Err(e) => return core_error(format, lang, e),
    };
    let Some(s) = c.service(code) else {
        return error(format, StatusCode::NOT_FOUND, lang, "desk-error-service-unknown");
    };
    let l = lang.code();
    let attributes = s
        .attributes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (datatype, description, values) = match a.kind {
                AttributeKind::Boolean => (
                    "singlevaluelist",
                    V::Null,
                    vec![("true", "open311-value-yes"), ("false", "open311-value-no")]
                        .into_iter()
                        .map(|(k, n)| V::Obj(vec![("key", V::text(k)), ("name", V::text(i18n::t(lang, n)))]))
                        .collect(),
                ),
                AttributeKind::Number => ("number", V::text(i18n::t(lang, "open311-datatype-number")), Vec::new()),
                AttributeKind::String => ("string", V::Null, Vec::new()),
            };
            V::Obj(vec![
                ("variable", V::Bool(true)),
                ("code", V::text(&a.code)),
                ("datatype", V::text(datatype)),
                ("required", V::Bool(a.required)),
                ("datatype_description", description),
                ("order", V::int(i as i64 + 1)),
                ("description", V::text(a.label.get(l))),
                ("values", V::List("value", values)),
            ])
        })
        .collect();
    let value = V::Obj(vec![("service_code", V::text(&s.code)), ("attributes", V::List("attribute", attributes))]);
    respond(StatusCode::OK, format, "service_definition", &value)
}

fn request_value(state: &AppState, c: &Catalogue, r: &Request, lang: Lang) -> V {
    let l = lang.code();
    let local = |t| datetime(state.config.local_time(t));
    let media = r
        .has_public_photo
        .then(|| state.config.public_url.join(&format!("api/v1/reports/{}/photos/1", r.id)).ok())
        .flatten()
        .map(|u| u.to_string());
    V::Obj(vec![
        ("service_request_id", V::int(r.id)),
        ("status", V::text(if r.open() { "open" } else { "closed" })),
        ("status_notes", V::opt(r.status_notes.clone())),
        ("service_name", V::opt(c.service(&r.service_code).map(|s| s.name.get(l).to_string()))),
        ("service_code", V::text(&r.service_code)),
        ("description", V::opt(r.description.clone())),
        ("agency_responsible", V::opt(c.unit(&r.unit).map(|u| u.name.get(l).to_string()))),
        ("service_notice", V::Null),
        ("requested_datetime", V::text(local(r.requested))),
        ("updated_datetime", V::text(local(r.updated))),
        ("expected_datetime", V::opt(r.expected.map(datetime))),
        ("address", V::opt(r.address.clone())),
        ("address_id", V::Null),
        ("zipcode", V::Null),
        ("lat", V::float(r.lat)),
        ("long", V::float(r.lon)),
        ("media_url", V::opt(media)),
    ])
}

async fn requests(state: &AppState, lang: Lang, format: Format, params: &[(String, String)]) -> Response {
    // A key is not needed to read; one that is sent is checked and counted.
    if params.iter().any(|(k, _)| k == "api_key")
        && let Err(res) = use_key(state, format, lang, param(params, "api_key").as_deref()).await
    {
        return res;
    }
    let input = RequestsInput {
        service_request_id: param(params, "service_request_id"),
        service_code: param(params, "service_code"),
        start_date: param(params, "start_date"),
        end_date: param(params, "end_date"),
        status: param(params, "status"),
    };
    let (found, c) = match (open311::requests(&state.core, &input).await, catalogue::load(&state.core).await) {
        (Ok(found), Ok(c)) => (found, c),
        (Err(e), _) | (_, Err(e)) => return core_error(format, lang, e),
    };
    let items = found.iter().map(|r| request_value(state, &c, r, lang)).collect();
    respond(StatusCode::OK, format, "service_requests", &V::List("request", items))
}

/// `GET requests/{id}.(json|xml)`: a list of one, as the specification shows it.
pub(super) async fn request(State(state): State<AppState>, ctx: RequestContext, Path(file): Path<String>) -> Response {
    let lang = ctx.lang;
    let Some((id, format)) = Format::split(&file) else { return not_found(lang) };
    let Ok(id) = id.parse::<i64>() else {
        return error(format, StatusCode::NOT_FOUND, lang, "open311-error-not-found");
    };
    let (r, c) = match (open311::request(&state.core, id).await, catalogue::load(&state.core).await) {
        (Ok(r), Ok(c)) => (r, c),
        (Err(e), _) | (_, Err(e)) => return core_error(format, lang, e),
    };
    respond(StatusCode::OK, format, "service_requests", &V::List("request", vec![request_value(&state, &c, &r, lang)]))
}

/// `GET tokens/{token}.(json|xml)`: the request's id for the token a `POST requests` answer may carry.
pub(super) async fn token(State(state): State<AppState>, ctx: RequestContext, Path(file): Path<String>) -> Response {
    let lang = ctx.lang;
    let Some((token, format)) = Format::split(&file) else { return not_found(lang) };
    match open311::by_token(&state.core, token).await {
        Ok(id) => {
            let item = V::Obj(vec![("service_request_id", V::int(id)), ("token", V::text(token))]);
            respond(StatusCode::OK, format, "service_requests", &V::List("request", vec![item]))
        }
        Err(e) => core_error(format, lang, e),
    }
}

/// `POST requests.(json|xml)`: files a report with an app's key. Parameters in the query string or the
/// `application/x-www-form-urlencoded` body (the body wins). `first_name`, `last_name`, `device_id`,
/// `account_id`, `address_id` and `jurisdiction_id` are accepted and not stored; `media_url` is refused (photos are
/// never fetched from elsewhere); with both `email` and `phone`, the email is kept.
pub(super) async fn post_request(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(file): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = ctx.lang;
    let Some(("requests", format)) = Format::split(&file) else { return not_found(lang) };
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !form && !body.is_empty() {
        return error(format, StatusCode::UNSUPPORTED_MEDIA_TYPE, lang, "open311-error-content-type");
    }
    let mut params = query(&uri);
    params.extend(pairs(&body));
    if let Err(res) = use_key(&state, format, lang, param(&params, "api_key").as_deref()).await {
        return res;
    }
    if param(&params, "media_url").is_some() {
        return error(format, StatusCode::BAD_REQUEST, lang, "open311-error-media-url");
    }
    let email = param(&params, "email");
    let input = ReportInput {
        service_code: param(&params, "service_code"),
        description: param(&params, "description"),
        lat: param(&params, "lat"),
        long: param(&params, "long"),
        address: param(&params, "address_string"),
        photos: Vec::new(),
        phone: if email.is_some() { None } else { param(&params, "phone") },
        email,
        public: None,
        attributes: params
            .iter()
            .filter_map(|(k, v)| {
                let code = k.strip_prefix("attribute[")?.strip_suffix(']')?;
                Some((code.to_string(), v.clone()))
            })
            .collect(),
        member: None,
    };
    // As on the city's own API: a request that gives an email or phone spends the client's budget (the key's limit
    // alone would let one app's key send a confirmation a second to strangers).
    let limited =
        crate::web::desk::resident::limit_contact(&state, &ctx, input.email.as_deref(), input.phone.as_deref());
    if let Err(crate::web::error::AppError::TooManyRequests { retry_after_secs: secs }) = limited {
        let text = i18n::tr(lang, "open311-error-too-many", &[("seconds", Arg::from(secs))]);
        let mut res = errors(format, StatusCode::TOO_MANY_REQUESTS, &[text]);
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let filed = match report::file(&state.core, input, lang, Channel::Api).await {
        Ok(f) => f,
        Err(e) => return core_error(format, lang, e),
    };
    let notice = match (report::get(&state.core, filed.id).await, catalogue::load(&state.core).await) {
        (Ok(r), Ok(c)) => {
            let days = c.service(&r.service_code).map(|s| s.target_days).unwrap_or_default();
            let unit = c.unit(&r.unit).map(|u| u.name.get(lang.code()).to_string()).unwrap_or_default();
            V::text(i18n::tr(lang, "open311-service-notice", &[("unit", Arg::from(unit)), ("days", Arg::from(days))]))
        }
        _ => V::Null,
    };
    let item =
        V::Obj(vec![("service_request_id", V::int(filed.id)), ("service_notice", notice), ("account_id", V::Null)]);
    let status = if filed.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    respond(status, format, "service_requests", &V::List("request", vec![item]))
}
