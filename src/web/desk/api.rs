//! The desk as JSON: the catalogue search, filing a report (multipart), a report's public view, its photos, and
//! state changes by staff.

use axum::{
    Json,
    extract::{Multipart, Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::form;
use crate::{
    desk::{catalogue, handling, report},
    domain::{
        desk::{AttributeKind, Catalogue, Service},
        desk_report::ReportState,
    },
    i18n::Lang,
    storage::desk::ReportRecord,
    web::{
        AppState,
        api::ApiJson,
        context::RequestContext,
        error::{AppError, FieldError, ProblemJson},
    },
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct AttributeJson {
    pub code: String,
    #[serde(rename = "type")]
    pub kind: AttributeKind,
    pub required: bool,
    /// In the caller's language.
    pub label: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ServiceJson {
    pub code: String,
    /// Names and texts in the caller's language (`?lang=`, the cookie, then `Accept-Language`).
    pub name: String,
    /// What a good report includes.
    pub hint: String,
    pub unit: String,
    pub unit_name: String,
    /// Working days (Monday–Friday) the unit aims to resolve such a report in.
    pub target_days: i64,
    pub attributes: Vec<AttributeJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ServicesJson {
    pub services: Vec<ServiceJson>,
}

pub fn service_json(c: &Catalogue, s: &Service, lang: Lang) -> ServiceJson {
    let l = lang.code();
    ServiceJson {
        code: s.code.clone(),
        name: s.name.get(l).to_string(),
        hint: s.hint.get(l).to_string(),
        unit: s.unit.clone(),
        unit_name: c.unit(&s.unit).map(|u| u.name.get(l).to_string()).unwrap_or_default(),
        target_days: s.target_days,
        attributes: s
            .attributes
            .iter()
            .map(|a| AttributeJson {
                code: a.code.clone(),
                kind: a.kind,
                required: a.required,
                label: a.label.get(l).to_string(),
            })
            .collect(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ServicesQuery {
    /// The problem in the resident's words, in Polish, English or Ukrainian ("drzewo spadło", "fallen tree",
    /// "впало дерево"); without it, every service.
    q: Option<String>,
}

/// The service catalogue, or the services matching a description of the problem (best first, at most five).
#[utoipa::path(get, path = "/api/v1/services", tag = "desk", params(ServicesQuery),
    responses((status = 200, description = "Services with their unit and target time", body = ServicesJson))
)]
pub(crate) async fn services(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<ServicesQuery>,
) -> Result<Json<ServicesJson>, AppError> {
    let query = q.q.unwrap_or_default();
    let out = if query.trim().is_empty() {
        let c = catalogue::offered(&state.core).await?;
        c.services.iter().map(|s| service_json(&c, s, ctx.lang)).collect()
    } else {
        let (c, codes) = catalogue::search(&state.core, &query).await?;
        codes.iter().filter_map(|code| c.service(code)).map(|s| service_json(&c, s, ctx.lang)).collect()
    };
    Ok(Json(ServicesJson { services: out }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FiledJson {
    pub id: i64,
    /// Open311's handle for the report; not a secret.
    pub token: String,
    /// The same report had just been filed: this is that one, nothing new was stored (status 200).
    pub duplicate: bool,
    /// When an `email` or `phone` was given: how it is confirmed before anything else is sent to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<super::resident::ConfirmationJson>,
}

/// The multipart form of a report, as the OpenAPI document shows it.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct ReportUpload {
    /// A service's `code` (see `GET /api/v1/services`).
    service_code: String,
    /// What is wrong, up to 4000 characters.
    description: String,
    /// Latitude (WGS84), inside the city.
    lat: f64,
    /// Longitude (WGS84), inside the city.
    long: f64,
    address: Option<String>,
    /// Up to three JPEG, PNG or WebP photos of at most 10 MB and 50 megapixels each; stored re-encoded as JPEG
    /// without metadata, at most 1600 px on the longer side.
    #[schema(value_type = Vec<String>, format = Binary)]
    photo: Vec<Vec<u8>>,
    /// To hear back by email (not with `phone`).
    email: Option<String>,
    /// To hear back by SMS, in international or Polish form (not with `email`).
    phone: Option<String>,
    /// `true` when the description and photos may be published once approved.
    public: Option<bool>,
    /// The service's attributes, each as its own part named `attribute[code]`.
    #[schema(rename = "attribute[code]")]
    attribute: Option<String>,
}

/// Files a report. Each problem is named per field (422) and nothing is stored; the same report sent again within
/// minutes (same service, place, description and contact) answers 200 with the first one's id.
#[utoipa::path(post, path = "/api/v1/reports", tag = "desk",
    request_body(content = ReportUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Filed", body = FiledJson),
        (status = 200, description = "The same report was just filed: its id", body = FiledJson),
        (status = 413, description = "The upload is larger than three photos allow", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A field to fix: unknown service, a required attribute missing, a description over the limit, a place outside the city, a photo refused", body = ProblemJson, content_type = "application/problem+json"),
        (status = 429, description = "Too many confirmations from this address or to this email or phone (see Retry-After)", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let f = form::read(multipart).await?;
    if !f.other.is_empty() {
        return Err(AppError::Invalid(
            f.other.iter().map(|(k, _)| FieldError::new(k, "error-field-unknown")).collect(),
        ));
    }
    super::resident::limit_contact(&state, &ctx, f.input.email.as_deref(), f.input.phone.as_deref())?;
    let contact_given =
        [&f.input.email, &f.input.phone].iter().any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    let filed = report::file(&state.core, f.input, ctx.lang, report::Channel::Api).await?;
    let status = if filed.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    // An anonymous report has nothing to confirm.
    let confirmation = if contact_given { super::resident::confirmation(&state, filed.id).await? } else { None };
    let body = FiledJson { id: filed.id, token: filed.token, duplicate: filed.duplicate, confirmation };
    let mut res = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/reports/{}", filed.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct HistoryJson {
    pub at: DateTime<Utc>,
    pub state: ReportState,
    pub unit: String,
    pub public_note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportJson {
    pub id: i64,
    pub service_code: String,
    pub service_name: String,
    pub unit: String,
    pub unit_name: String,
    pub state: ReportState,
    pub lat: f64,
    pub long: f64,
    pub address: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The last working day of the service's target time.
    pub due_on: NaiveDate,
    /// Past `due_on` and still open.
    pub overdue: bool,
    /// Public state changes, oldest first.
    pub history: Vec<HistoryJson>,
    /// The reporter's description, once a dispatcher published it (and only if the reporter allowed it).
    pub description: Option<String>,
    /// The URLs of the published photos (`/api/v1/reports/{id}/photos/{n}`).
    pub photos: Vec<String>,
    /// State `merged`: the report this one is handled together with (null otherwise).
    pub merged_into: Option<i64>,
}

pub(super) fn report_json(state: &AppState, c: &Catalogue, r: &ReportRecord, lang: Lang) -> ReportJson {
    let l = lang.code();
    ReportJson {
        id: r.id,
        service_code: r.service_code.clone(),
        service_name: c.service(&r.service_code).map(|s| s.name.get(l).to_string()).unwrap_or_default(),
        unit: r.unit.clone(),
        unit_name: c.unit(&r.unit).map(|u| u.name.get(l).to_string()).unwrap_or_default(),
        state: r.state,
        lat: r.lat,
        long: r.lon,
        address: r.address.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
        due_on: r.due_on,
        overdue: handling::overdue(&state.core, r),
        history: r
            .history
            .iter()
            .map(|e| HistoryJson {
                at: e.at,
                state: e.to_state,
                unit: e.unit.clone(),
                public_note: e.public_note.clone(),
            })
            .collect(),
        description: None,
        photos: Vec::new(),
        merged_into: r.merged_into,
    }
}

/// The report's JSON with what is published of it (the description and photo URLs).
pub(super) async fn with_publication(state: &AppState, mut json: ReportJson) -> Result<ReportJson, AppError> {
    let public = crate::desk::publication::public_report(&state.core, json.id).await?;
    json.description = public.description;
    json.photos = public.photos.iter().map(|n| format!("/api/v1/reports/{}/photos/{n}", json.id)).collect();
    Ok(json)
}

/// A report's public view: service, unit, place, state, dates and the public notes — never the reporter's contact,
/// and the description and photos only once a dispatcher published them (and the reporter allowed it).
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "desk",
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "The report", body = ReportJson),
        (status = 404, description = "No such report", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Json<ReportJson>, AppError> {
    let r = report::get(&state.core, id).await?;
    let c = catalogue::load(&state.core).await?;
    Ok(Json(with_publication(&state, report_json(&state, &c, &r, ctx.lang)).await?))
}

/// A report's photo `n` (1–3), a JPEG without metadata: served to the dispatcher and the unit's staff; to anyone
/// else only once a dispatcher published it (and the reporter allowed publication).
#[utoipa::path(get, path = "/api/v1/reports/{id}/photos/{n}", tag = "desk",
    params(("id" = i64, Path, description = "Report id"), ("n" = i64, Path, description = "Photo number, 1–3")),
    responses(
        (status = 200, description = "The photo", content_type = "image/jpeg"),
        (status = 403, description = "Not published, and the caller does not handle this report", body = ProblemJson, content_type = "application/problem+json"),
        (status = 404, description = "No such report or photo", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn photo(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let r = report::get(&state.core, id).await?;
    let visible = crate::desk::publication::photo_public(&state.core, id, n).await?
        || handling::may_see(&state.core, ctx.official.as_ref(), &r).await?;
    if !visible {
        return Err(AppError::Refused { status: StatusCode::FORBIDDEN, key: "desk-refused-photo" });
    }
    let jpeg = state.store.report_photo(id, n).await?.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "private, no-store")], jpeg).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionJson {
    /// `acknowledged`, `in_progress`, `resolved`, `rejected` or `transferred`.
    state: String,
    /// Shown to the resident; required (the reason) for `rejected` and `transferred`.
    #[serde(default)]
    public_note: String,
    /// Seen by staff only.
    #[serde(default)]
    internal_note: String,
    /// For `transferred`: the unit's code.
    #[serde(default)]
    unit: Option<String>,
}

/// Moves a report to its next state (the dispatcher: any report; unit staff: their units' reports).
#[utoipa::path(post, path = "/api/v1/reports/{id}/transitions", tag = "desk",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Report id")),
    request_body(content = TransitionJson, example = json!({"state": "acknowledged", "public_note": "We are on it.", "internal_note": ""})),
    responses(
        (status = 200, description = "The report after the change", body = ReportJson),
        (status = 401, description = "Not signed in", body = ProblemJson, content_type = "application/problem+json"),
        (status = 403, description = "Another unit's report", body = ProblemJson, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = ProblemJson, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the report's current state", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A field to fix", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn transition(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TransitionJson>,
) -> Result<Json<ReportJson>, AppError> {
    let official = ctx.official()?;
    let input = handling::TransitionInput {
        state: body.state,
        public_note: body.public_note,
        internal_note: body.internal_note,
        unit: body.unit,
    };
    let r = handling::transition(&state.core, official, id, &input).await?;
    let c = catalogue::load(&state.core).await?;
    Ok(Json(with_publication(&state, report_json(&state, &c, &r, ctx.lang)).await?))
}
