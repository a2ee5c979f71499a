//! Surveys over the API: build (editor), fix typos once launched, launch (approver), results (analyst), and the
//! residents' answers through their invitation token.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use crate::{
    domain::lifecycle::SurveyState,
    domain::{
        Role,
        audit::{AuditAction, NewAuditEntry},
        survey::SurveyDef,
    },
    surveys::{
        answer,
        launch::{self, LaunchPlan, LaunchRequest},
    },
    web::AppState,
    web::{
        context::RequestContext,
        error::{AppError, FieldError, ProblemJson},
    },
};

pub const SURVEY_EDITORS: &[Role] = &[Role::Editor];
pub const SURVEY_LAUNCHERS: &[Role] = &[Role::Approver];
/// Results over the API: the same officials who publish them on the pages.
pub const ANALYSTS: &[Role] = crate::surveys::RESULT_PUBLISHERS;

#[derive(Serialize, ToSchema)]
pub struct SurveyCreated {
    pub id: i64,
    pub state: String,
}

fn check(def: &SurveyDef) -> Result<(), AppError> {
    let issues = def.validate();
    if issues.is_empty() { Ok(()) } else { Err(AppError::Invalid(issues.iter().map(FieldError::from).collect())) }
}

/// Creates a draft survey. The example has one question of every type; each question's answer shape is shown in
/// `POST /api/v1/responses/{token}`.
#[utoipa::path(post, path = "/api/v1/surveys", tag = "surveys",
    security(("bearer" = []), ("session" = [])),
    request_body(content = SurveyDef, example = json!(crate::domain::survey_example::every_type(
        chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00+01:00").unwrap().into(),
        chrono::DateTime::parse_from_rfc3339("2026-12-21T20:00:00+01:00").unwrap().into()))),
    responses(
        (status = 201, description = "Drafted", body = SurveyCreated),
        (status = 422, description = "A field is invalid (named in `errors`, e.g. `questions.2.options`)", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiJson(def): ApiJson<SurveyDef>,
) -> Result<(StatusCode, Json<SurveyCreated>), AppError> {
    check(&def)?;
    let official = ctx.official()?;
    let id = state.store.create_survey(&def, official.id, Utc::now()).await?;
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::SurveyCreated).subject(format!("survey:{id}"));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(SurveyCreated { id, state: "draft".into() })))
}

#[derive(Serialize, ToSchema)]
pub struct SurveyJson {
    pub id: i64,
    pub state: String,
    pub def: SurveyDef,
    #[schema(value_type = Option<Object>)]
    pub launch: Option<serde_json::Value>,
}

/// One survey with its questionnaire and, once launched, its launch plan.
#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "surveys",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "The survey", body = SurveyJson),
        (status = 404, description = "No such survey", body = ProblemJson, content_type = "application/problem+json"))
)]
pub async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<SurveyJson>, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(SurveyJson { id: s.id, state: s.state.as_str().into(), def: s.def, launch: s.launch }))
}

#[derive(Deserialize, ToSchema)]
pub struct Revision {
    pub def: SurveyDef,
    /// Why (recorded with the text before and after).
    pub note: String,
}

/// Replaces a draft's questionnaire, or fixes a launched survey's wording: once launched only texts may change
/// (same questions, types, options, conditions and dates), and the change is recorded.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/revise", tag = "surveys",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Survey id")),
    request_body = Revision,
    responses((status = 200, description = "Saved", body = SurveyCreated),
        (status = 409, description = "Launched, and more than wording changed", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = ProblemJson, content_type = "application/problem+json"))
)]
pub async fn revise(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    ApiJson(rev): ApiJson<Revision>,
) -> Result<Json<SurveyCreated>, AppError> {
    check(&rev.def)?;
    let official = ctx.official()?;
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    if s.state == SurveyState::Draft {
        if !state.store.update_draft(id, &rev.def).await? {
            return Err(AppError::Refused { status: StatusCode::CONFLICT, key: "survey-refused-launched" });
        }
    } else {
        crate::surveys::wording::revise_launched(&state, official, &s, &rev.def, &rev.note).await?;
    }
    Ok(Json(SurveyCreated { id, state: s.state.as_str().into() }))
}

/// Launches a survey to everyone who consented to surveys, narrowed by districts, age bands, interests and
/// languages, optionally a stratified random sample (proportional over district × age band, seed recorded). With
/// `dry_run` it only answers how many would be invited per stratum. Residents at their survey-invitation limit for
/// the last 30 days are skipped and counted.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/launch", tag = "surveys",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Survey id")),
    request_body = LaunchRequest,
    responses(
        (status = 200, description = "The plan (dry run)", body = LaunchPlan),
        (status = 201, description = "Launched: invitations are on their way", body = LaunchPlan),
        (status = 409, description = "Already launched", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "An empty survey, a sample larger than the audience, nobody to invite, an unknown filter value", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn launch(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<LaunchRequest>,
) -> Result<(StatusCode, Json<LaunchPlan>), AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    if req.dry_run {
        let (plan, _) = launch::plan(&state, &s, &req, Utc::now()).await?;
        return Ok((StatusCode::OK, Json(plan)));
    }
    let plan = launch::launch(&state, ctx.official()?, &s, &req).await?;
    Ok((StatusCode::CREATED, Json(plan)))
}

/// A response: answers by question id. Shapes per type: single_choice `"tram"` or `{"other": "kayak"}`;
/// multiple_choice `["crowds", "delays"]`; rating and recommend an integer; number a number; ranking every option
/// value, most preferred first; short_text and long_text a string; matrix `{"row": "scale value"}`.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"answers": {"mode": "bike", "bike_lanes": "no", "problems": ["delays", "crowds"],
    "satisfaction": 4, "recommend": 9, "priorities": ["bikes", "metro", "trams"], "minutes": 25,
    "idea": "More trams at night", "comment": "", "stops": {"clean": "ok", "info": "good"}}, "agree": false}))]
pub struct ResponseJson {
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// Identified surveys: the resident agrees to answer under their name.
    #[serde(default)]
    pub agree: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub recorded: bool,
}

/// Answers a survey through the personal invitation token (one response per invitation).
#[utoipa::path(post, path = "/api/v1/responses/{invitation_token}", tag = "surveys",
    params(("invitation_token" = String, Path, description = "The token of the personal link /s/{token}")),
    request_body = ResponseJson,
    responses(
        (status = 201, description = "Recorded", body = Recorded),
        (status = 404, description = "Unknown or forged token", body = ProblemJson, content_type = "application/problem+json"),
        (status = 409, description = "Already answered, or not open yet", body = ProblemJson, content_type = "application/problem+json"),
        (status = 410, description = "The survey has closed", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "An answer is wrong (each named by question id in `errors`)", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn respond(
    State(state): State<AppState>,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<ResponseJson>,
) -> Result<(StatusCode, Json<Recorded>), AppError> {
    let found = answer::lookup(&state, &token).await?;
    let answer::Lookup::Open(inv, survey) = found else { return Err(answer::refusal(&found).into()) };
    answer::submit(&state, &inv, &survey, &body.answers, body.agree).await?;
    Ok((StatusCode::CREATED, Json(Recorded { recorded: true })))
}

/// Results: per question counts, percentages, means and distributions; breakdowns by district and age band with
/// small-cell suppression (cells under k are `null`, with secondary suppression); raking weights beside the
/// unweighted numbers, their range and Kish's effective sample size; response rate per stratum. Free-text answers
/// are listed for review on the results page, not here.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "surveys",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "Results", body = crate::surveys::results::Results),
        (status = 404, description = "No such survey", body = ProblemJson, content_type = "application/problem+json"))
)]
pub async fn results(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Json<crate::surveys::results::Results>, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(crate::surveys::results_of(&state, &s, ctx.lang).await?))
}
