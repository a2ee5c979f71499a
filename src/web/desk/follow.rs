//! "Is it this one? Follow it instead": open reports of the same service within 50 m of a place, and following one.
//!
//! - `GET /report/nearby?service=CODE&coordinates=lat,lon` (page) and `GET /api/v1/reports/nearby?service_code=
//!   &lat=&long=` (JSON): the open reports nearby, nearest first.
//! - `GET /report/follow/{id}` (the form) and `POST` (CSRF); `POST /api/v1/reports/{id}/followers` (JSON
//!   `{"email"}` or `{"phone"}`): the contact hears the report's updates once confirmed.
//! - `GET /report-fixed/{token}`: "is it fixed?" with three buttons; `POST` (CSRF, `answer`) records the answer.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::resident::{ConfirmationJson, notice};
use crate::{
    core::CoreError,
    desk::{aftercare, follow},
    domain::desk_report,
    web::{
        AppState,
        api::ApiJson,
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::Chrome,
    },
};

#[derive(Deserialize, utoipa::IntoParams)]
pub(crate) struct NearbyQuery {
    service_code: Option<String>,
    lat: Option<String>,
    long: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct NearbyJson {
    id: i64,
    distance_m: i64,
    state: String,
    created_at: DateTime<Utc>,
    /// `POST` `{"email"}` or `{"phone"}` here to follow it instead of filing again.
    follow_url: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct NearbyListJson {
    reports: Vec<NearbyJson>,
}

/// Open reports of a service within 50 m of a place, nearest first: offered before filing ("is it this one?").
#[utoipa::path(get, path = "/api/v1/reports/nearby", tag = "desk", params(NearbyQuery),
    responses(
        (status = 200, description = "The open reports nearby (perhaps none)", body = NearbyListJson),
        (status = 422, description = "An unknown service or a place outside the city"),
    )
)]
pub(crate) async fn api_nearby(
    State(state): State<AppState>,
    Query(q): Query<NearbyQuery>,
) -> Result<Json<NearbyListJson>, AppError> {
    let found = follow::nearby(&state.core, q.service_code.as_deref(), q.lat.as_deref(), q.long.as_deref()).await?;
    let reports = found
        .into_iter()
        .map(|n| NearbyJson {
            follow_url: format!("/api/v1/reports/{}/followers", n.id),
            id: n.id,
            distance_m: n.distance_m,
            state: n.state,
            created_at: n.created_at,
        })
        .collect();
    Ok(Json(NearbyListJson { reports }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct FollowJson {
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct FollowingJson {
    contact_id: i64,
    /// How the contact is confirmed before any update is sent to it.
    confirmation: ConfirmationJson,
}

/// Follows an open report: the email or phone hears its updates once confirmed (`report_updates` consent).
#[utoipa::path(post, path = "/api/v1/reports/{id}/followers", tag = "desk", request_body = FollowJson,
    responses(
        (status = 201, description = "Following; the contact waits for its confirmation", body = FollowingJson),
        (status = 404, description = "No such report"),
        (status = 409, description = "The report is closed"),
        (status = 422, description = "A missing or wrong email or phone"),
        (status = 429, description = "Too many confirmations from this address or to this email or phone (see Retry-After)"),
    )
)]
pub(crate) async fn api_follow(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<FollowJson>,
) -> Result<Response, AppError> {
    super::resident::limit_contact(&state, &ctx, body.email.as_deref(), body.phone.as_deref())?;
    let (contact_id, kind) =
        follow::follow(&state.core, id, body.email.as_deref(), body.phone.as_deref(), ctx.lang, true).await?;
    let out = FollowingJson { contact_id, confirmation: ConfirmationJson::of(contact_id, kind) };
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct NearbyPageQuery {
    service: Option<String>,
    coordinates: Option<String>,
}

#[derive(Serialize)]
struct NearbyRow {
    id: i64,
    distance_m: i64,
    state: String,
    filed: String,
}

#[derive(Serialize)]
struct NearbyPage {
    #[serde(flatten)]
    chrome: Chrome,
    service: String,
    service_name: String,
    coordinates: String,
    checked: bool,
    rows: Vec<NearbyRow>,
    errors: Vec<FieldError>,
}

pub(crate) async fn nearby_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<NearbyPageQuery>,
) -> Result<Response, AppError> {
    let service = q.service.unwrap_or_default();
    let coordinates = q.coordinates.unwrap_or_default();
    let catalogue = crate::desk::catalogue::load(&state.core).await?;
    let service_name = catalogue.service(&service).map(|s| s.name.get(ctx.lang.code()).to_string()).unwrap_or_default();
    let (mut rows, mut errors, checked) = (Vec::new(), Vec::new(), !coordinates.trim().is_empty());
    let mut status = StatusCode::OK;
    if checked {
        let (lat, long) = desk_report::split_coordinates(&coordinates);
        match follow::nearby(&state.core, Some(&service), lat.as_deref(), long.as_deref()).await {
            Ok(found) => {
                rows = found
                    .into_iter()
                    .map(|n| NearbyRow {
                        id: n.id,
                        distance_m: n.distance_m,
                        state: n.state,
                        filed: state.config.local_minutes(n.created_at),
                    })
                    .collect()
            }
            Err(CoreError::Invalid(issues)) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                errors = issues
                    .into_iter()
                    .map(|mut e| {
                        if e.field == "lat" || e.field == "long" {
                            e.field = "coordinates".into();
                        }
                        e
                    })
                    .collect();
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = NearbyPage {
        chrome: Chrome::new(&ctx, "desk-nearby-title"),
        service,
        service_name,
        coordinates,
        checked,
        rows,
        errors,
    };
    Ok((status, state.templates.page("pages/desk/nearby", &page)?).into_response())
}

#[derive(Serialize)]
struct FollowPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    email: String,
    phone: String,
    errors: Vec<FieldError>,
}

fn follow_page(
    state: &AppState,
    ctx: &RequestContext,
    id: i64,
    form: &FollowForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = FollowPage {
        chrome: Chrome::new(ctx, "desk-nearby-follow"),
        id,
        email: form.email.clone(),
        phone: form.phone.clone(),
        errors,
    };
    Ok((status, state.templates.page("pages/desk/follow", &page)?).into_response())
}

/// The follow form of an open report (a closed or unknown one: a sentence that says so).
pub(crate) async fn follow_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let report = state.store.report(id).await?;
    let Some(report) = report else {
        return Err(AppError::Refused { status: StatusCode::NOT_FOUND, key: "desk-follow-unknown-report" });
    };
    if !report.state.is_open() {
        return Err(AppError::Refused { status: StatusCode::CONFLICT, key: "desk-follow-closed" });
    }
    follow_page(&state, &ctx, id, &FollowForm::default(), Vec::new(), StatusCode::OK)
}

#[derive(Deserialize, Default)]
pub(crate) struct FollowForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

#[derive(Serialize)]
struct PendingPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    email: bool,
    contact_id: i64,
}

pub(crate) async fn follow_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FollowForm>,
) -> Result<Response, AppError> {
    super::resident::limit_contact(&state, &ctx, Some(&form.email), Some(&form.phone))?;
    match follow::follow(&state.core, id, Some(&form.email), Some(&form.phone), ctx.lang, false).await {
        Ok((contact_id, kind)) => {
            let page = PendingPage {
                chrome: Chrome::new(&ctx, "desk-follow-done-title"),
                id,
                email: kind == "email",
                contact_id,
            };
            Ok(state.templates.page("pages/desk/pending", &page)?.into_response())
        }
        Err(CoreError::Invalid(issues)) => {
            follow_page(&state, &ctx, id, &form, issues, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(CoreError::NotFound) => {
            Err(AppError::Refused { status: StatusCode::NOT_FOUND, key: "desk-follow-unknown-report" })
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct FixedPage {
    #[serde(flatten)]
    chrome: Chrome,
    token: String,
    id: i64,
}

pub(crate) async fn fixed_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let id = aftercare::open_question(&state.core, &token).await?;
    let page = FixedPage { chrome: Chrome::new(&ctx, "desk-fixed-title"), token, id };
    Ok(state.templates.page("pages/desk/fixed", &page)?.into_response())
}

#[derive(Deserialize)]
pub(crate) struct FixedForm {
    #[serde(default)]
    answer: String,
}

pub(crate) async fn fixed_answer(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<FixedForm>,
) -> Result<Response, AppError> {
    let (id, reopened) = aftercare::answer(&state.core, &token, &form.answer).await?;
    let text = if reopened { "desk-fixed-done-reopened" } else { "desk-fixed-done-text" };
    notice(&state, &ctx, "desk-fixed-done-title", text, id)
}
