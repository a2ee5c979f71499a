//! The data-protection rights: export (Art. 15/20) and erasure (Art. 17).

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use axum_extra::extract::cookie::Cookie;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::{RESIDENT_COOKIE, Resident, join::message, push::endpoint_host};
use crate::{
    app::AppState,
    web::{
        context::{CsrfForm, RequestContext, append_cookie},
        error::{AppError, FieldError},
        page::{Chrome, Page},
    },
};

/// Art. 15/20: everything held about the resident, as a JSON download.
pub async fn export(State(state): State<AppState>, resident: Resident) -> Result<Response, AppError> {
    export_download(&state, resident.id).await
}

/// The export of one resident as a JSON attachment (also used for an admin's data-subject request).
pub async fn export_download(state: &AppState, resident_id: i64) -> Result<Response, AppError> {
    let body = export_json(state, resident_id).await?;
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"hejnal-my-data.json\""));
    Ok(res)
}

/// Everything held about a resident: profile, contact points, consents and ledger, push subscriptions (endpoint host
/// only), messages sent with their status, surveys.
pub async fn export_json(state: &AppState, resident_id: i64) -> Result<serde_json::Value, AppError> {
    let r = state.store.resident(resident_id).await?.ok_or(AppError::NotFound)?;
    let ledger = state.store.consent_history(resident_id).await?;
    let current = state.store.current_consents(resident_id).await?;
    let push: Vec<serde_json::Value> = state
        .store
        .list_push(resident_id)
        .await?
        .into_iter()
        .map(|d| serde_json::json!({ "id": d.id, "label": d.label, "endpoint_host": endpoint_host(&d.endpoint), "created_at": d.created_at }))
        .collect();
    let messages = hejnal_jobs::recipient_deliveries(&state.store.queue_db(), resident_id).await?;
    let responses = state.store.resident_responses(resident_id).await?;
    let surveys: Vec<serde_json::Value> = state
        .store
        .resident_invitations(resident_id)
        .await?
        .into_iter()
        .map(|i| {
            let def: Option<crate::domain::survey::SurveyDef> = serde_json::from_str(&i.def).ok();
            // Anonymous answers cannot be found (nothing links them to anyone); identified ones are the resident's.
            let answers: Vec<serde_json::Value> = responses
                .iter()
                .filter(|r| r.survey_id == i.survey_id)
                .map(|r| serde_json::json!({"day": r.day, "answers": serde_json::from_str::<serde_json::Value>(&r.answers).ok()}))
                .collect();
            serde_json::json!({
                "survey_id": i.survey_id,
                "title": def.as_ref().map(|d| d.title.get("pl").to_string()),
                "channel": i.channel,
                "invited_at": i.invited_at,
                "reminders": i.reminders,
                "answered_at": i.answered_at,
                "identified_responses": answers,
            })
        })
        .collect();
    let poll_votes = state.store.resident_votes(resident_id).await?;
    Ok(serde_json::json!({
        "exported_at": Utc::now(),
        "profile": {
            "id": r.id,
            "language": r.language,
            "home_district": r.home_district,
            "other_districts": r.other_districts,
            "age_band": r.age_band,
            "interests": r.interests,
            "monthly_survey_limit": r.monthly_survey_limit,
            "test_group": r.test_group,
            "home_point": r.home_point.map(|p| serde_json::json!({"lat": p.lat, "lon": p.lon})),
            "created_at": r.created_at,
            "verified_at": r.verified_at,
        },
        "contact_points": r.contact_points.iter().map(|c| serde_json::json!({
            "kind": c.kind.as_str(), "value": c.value, "verified_at": c.verified_at, "created_at": c.created_at,
        })).collect::<Vec<_>>(),
        "consents": current.iter().map(|(p, c, g)| serde_json::json!({"purpose": p, "channel": c, "granted": g})).collect::<Vec<_>>(),
        "consent_ledger": ledger,
        "push_subscriptions": push,
        "messages": messages,
        "surveys": surveys,
        "poll_votes": poll_votes,
        "erased_at": r.erased_at,
    }))
}

#[derive(Serialize)]
struct ErasePage {
    #[serde(flatten)]
    chrome: Chrome,
    errors: Vec<FieldError>,
}

pub async fn erase_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    _resident: Resident,
) -> Result<Page, AppError> {
    state
        .templates
        .page("pages/panel/erase", &ErasePage { chrome: Chrome::new(&ctx, "erase-title"), errors: Vec::new() })
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// Art. 17: erase after confirming. Messages already queued are skipped by the directory.
pub async fn erase(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    CsrfForm(form): CsrfForm<EraseForm>,
) -> Result<Response, AppError> {
    if form.confirm != "yes" {
        let page = ErasePage {
            chrome: Chrome::new(&ctx, "erase-title"),
            errors: vec![FieldError::new("confirm", "field-erase-confirm")],
        };
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, state.templates.page("pages/panel/erase", &page)?).into_response()
        );
    }
    state.store.erase_resident(resident.id, Utc::now()).await?;
    tracing::info!(resident_id = resident.id, "resident erased");
    let mut res = message(&state, &ctx, StatusCode::OK, "erased-title", "erased-text", None)?;
    append_cookie(
        &mut res,
        Cookie::build((RESIDENT_COOKIE, "")).path("/").max_age(cookie::time::Duration::ZERO).build(),
    );
    Ok(res)
}
