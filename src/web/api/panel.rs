//! The panel over the API: joining (`POST /api/v1/signups`, anonymous) and the panel's make-up for officials
//! (`GET /api/v1/panel/stats`, analyst or admin).

use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiJson;
use crate::{
    domain::panel::ConsentMethod,
    web::AppState,
    web::{
        context::RequestContext,
        error::{AppError, ProblemJson},
        panel::join::{SignupInput, signup},
    },
};

/// The answer to every valid sign-up, whether or not the contact was known.
#[derive(Serialize, ToSchema)]
pub struct SignupAccepted {
    /// Always `check_email_or_phone`.
    pub status: &'static str,
    /// A translated sentence for the person signing up.
    pub message: String,
}

/// Joins the panel. The answer never says whether a contact point was already registered; each new contact point
/// gets a verification message (a link by email, a 6-digit code by SMS).
#[utoipa::path(post, path = "/api/v1/signups", tag = "panel",
    request_body = SignupInput,
    responses(
        (status = 202, description = "Check your email / phone", body = SignupAccepted),
        (status = 400, description = "Malformed JSON", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (named in `errors`)", body = ProblemJson, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address or for this contact point", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn create_signup(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiJson(body): ApiJson<SignupInput>,
) -> Result<(StatusCode, Json<SignupAccepted>), AppError> {
    signup(&state, &ctx, &body, ConsentMethod::Api).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SignupAccepted { status: "check_email_or_phone", message: crate::i18n::t(ctx.lang, "join-sent-text") }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub residents: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DistrictCount {
    pub number: i64,
    pub name: String,
    pub population: i64,
    pub residents: i64,
    /// This district's share of the panel, in percent.
    pub panel_share: f64,
    /// This district's share of the city's population, in percent.
    pub population_share: f64,
}

/// The panel's make-up: verified, not erased residents. No contact details.
#[derive(Serialize, ToSchema)]
pub struct PanelStats {
    pub verified_residents: i64,
    pub by_district: Vec<DistrictCount>,
    pub by_age_band: Vec<Count>,
    pub by_language: Vec<Count>,
    /// Residents with a current consent on the channel, for any purpose.
    pub by_channel: Vec<Count>,
    /// Residents with a current consent for the purpose, on any channel.
    pub by_purpose: Vec<Count>,
    /// Verified sign-ups per day (`YYYY-MM-DD`, UTC).
    pub signups_by_day: Vec<Count>,
}

pub async fn stats(state: &AppState) -> Result<PanelStats, AppError> {
    let c = state.store.panel_counts().await?;
    let districts = state.store.list_districts().await?;
    let population: i64 = districts.iter().map(|d| d.population).sum::<i64>().max(1);
    let total = c.verified_residents.max(1);
    let by_district = districts
        .into_iter()
        .map(|d| {
            let residents = c.by_district.iter().find(|(n, _)| *n == d.number).map(|(_, r)| *r).unwrap_or(0);
            DistrictCount {
                number: d.number,
                panel_share: round1(100.0 * residents as f64 / total as f64),
                population_share: round1(100.0 * d.population as f64 / population as f64),
                name: d.name,
                population: d.population,
                residents,
            }
        })
        .collect();
    let counts = |v: Vec<(String, i64)>| v.into_iter().map(|(key, residents)| Count { key, residents }).collect();
    Ok(PanelStats {
        verified_residents: c.verified_residents,
        by_district,
        by_age_band: counts(c.by_age_band),
        by_language: counts(c.by_language),
        by_channel: counts(c.by_channel),
        by_purpose: counts(c.by_purpose),
        signups_by_day: counts(c.signups_by_day),
    })
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The panel's make-up, for analysts and admins.
#[utoipa::path(get, path = "/api/v1/panel/stats", tag = "panel",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "Counts by district, age band, language, channel and purpose", body = PanelStats),
        (status = 401, description = "No valid session or token", body = ProblemJson, content_type = "application/problem+json"),
        (status = 403, description = "Neither analyst nor admin", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn panel_stats(State(state): State<AppState>) -> Result<Json<PanelStats>, AppError> {
    Ok(Json(stats(&state).await?))
}
