//! The data-protection rights: export (Art. 15/20) and erasure (Art. 17).

use anyhow::Context as _;
use chrono::Utc;

use crate::core::{Core, CoreError, CoreResult};

/// The host of a push endpoint (what a resident sees of it: the full address is a credential).
pub fn endpoint_host(endpoint: &str) -> String {
    url::Url::parse(endpoint).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default()
}

/// Everything held about a resident: profile, contact points, consents and ledger, push subscriptions (endpoint host
/// only), messages sent with their status, surveys, poll votes, the contacts they gave for reports.
#[tracing::instrument(skip_all, fields(resident_id = resident_id), err(level = "info"))]
pub async fn export_json(state: &Core, resident_id: i64) -> CoreResult<serde_json::Value> {
    let r = state.store.resident(resident_id).await?.ok_or(CoreError::NotFound)?;
    let ledger = state.store.consent_history(resident_id).await?;
    let current = state.store.current_consents(resident_id).await?;
    let push: Vec<serde_json::Value> = state
        .store
        .list_push(resident_id)
        .await?
        .into_iter()
        .map(|d| serde_json::json!({ "id": d.id, "label": d.label, "endpoint_host": endpoint_host(&d.endpoint), "created_at": d.created_at }))
        .collect();
    let messages = hejnal_jobs::recipient_deliveries(&state.store.queue_db(), resident_id)
        .await
        .context("reading the messages sent to a resident failed")?;
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
    let report_contacts: Vec<serde_json::Value> = state
        .store
        .resident_desk_contacts(resident_id)
        .await?
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "report_id": c.report_id, "role": c.role, "kind": c.kind, "value": c.value, "language": c.lang,
                "confirmed_at": c.confirmed_at, "stopped_at": c.stopped_at,
            })
        })
        .collect();
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
        "report_contacts": report_contacts,
        "erased_at": r.erased_at,
    }))
}

/// Art. 17: erases a resident (messages already queued are skipped by the directory). False when there was nobody
/// to erase.
#[tracing::instrument(skip_all, fields(resident_id = resident_id), err)]
pub async fn erase(core: &Core, resident_id: i64) -> CoreResult<bool> {
    // First the contacts given for reports (idempotent), so an erasure that fails half-way is simply repeated.
    core.store.erase_resident_desk_contacts(resident_id, Utc::now()).await?;
    let erased = core.store.erase_resident(resident_id, Utc::now()).await?;
    if erased {
        tracing::info!(resident_id, "resident erased");
    }
    Ok(erased)
}
