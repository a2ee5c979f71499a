//! Answering through a personal invitation link: what the link leads to, and storing one response per invitation
//! (anonymous unless the survey is identified and the resident agreed).

use std::sync::Arc;

use chrono::Utc;
use serde_json::{Map, Value};

use crate::{
    core::{Core, CoreError, FieldIssue, Refusal},
    domain::{secret_token, survey::Answer},
    storage::{Invitation, NewResponse, SurveyRecord},
};

/// Where a personal link leads.
pub enum Lookup {
    /// Open for answers.
    Open(Box<Invitation>, Arc<SurveyRecord>),
    NotYetOpen(Arc<SurveyRecord>),
    Closed(Arc<SurveyRecord>),
    Answered(Arc<SurveyRecord>),
    /// Forged, mistyped, or its resident was erased.
    Unknown,
}

#[tracing::instrument(skip_all, err)]
pub async fn lookup(state: &Core, token: &str) -> Result<Lookup, CoreError> {
    let Some(inv) = state.store.invitation_by_token(&secret_token::hash(token)).await? else {
        return Ok(Lookup::Unknown);
    };
    if inv.resident_id.is_none() {
        return Ok(Lookup::Unknown);
    }
    let Some(survey) = state.survey_cache.get(&state.store, inv.survey_id).await? else {
        return Ok(Lookup::Unknown);
    };
    let now = Utc::now();
    Ok(if inv.answered_at.is_some() {
        Lookup::Answered(survey)
    } else if survey.def.closes_at <= now {
        Lookup::Closed(survey)
    } else if survey.def.opens_at > now {
        Lookup::NotYetOpen(survey)
    } else {
        Lookup::Open(Box::new(inv), survey)
    })
}

/// The refusal for a link that does not lead to an open survey.
pub fn refusal(lookup: &Lookup) -> CoreError {
    let (kind, reason) = match lookup {
        Lookup::Answered(_) => (Refusal::Conflict, "answer-refused-answered"),
        Lookup::Closed(_) => (Refusal::Gone, "answer-refused-closed"),
        Lookup::NotYetOpen(_) => (Refusal::Conflict, "answer-refused-not-open"),
        Lookup::Unknown | Lookup::Open(..) => (Refusal::Unknown, "answer-refused-unknown"),
    };
    CoreError::Refused { kind, reason }
}

/// Checks and stores a response. Identified surveys need `agree`.
#[tracing::instrument(skip_all, fields(survey_id = survey.id, invitation_id = inv.id), err(level = "info"))]
pub async fn submit(
    state: &Core,
    inv: &Invitation,
    survey: &SurveyRecord,
    raw: &Map<String, Value>,
    agree: bool,
) -> Result<(), CoreError> {
    if !survey.def.anonymous && !agree {
        return Err(CoreError::Invalid(vec![FieldIssue::new("agree", "answer-error-agree")]));
    }
    let answers = survey
        .def
        .check_answers(raw)
        .map_err(|issues| CoreError::Invalid(issues.iter().map(FieldIssue::from).collect()))?;
    let mut tallies = Vec::new();
    let mut texts = Vec::new();
    for (question, answer) in &answers {
        let keys = answer.tally_keys();
        if keys.is_empty() {
            continue;
        }
        tallies.push((question.clone(), "_n".to_string()));
        tallies.extend(keys.into_iter().map(|k| (question.clone(), k)));
        if let Some(t) = answer.free_text() {
            texts.push((question.clone(), t.to_string()));
        }
    }
    let stored: serde_json::Map<String, Value> = answers.iter().map(|(q, a)| (q.clone(), answer_json(a))).collect();
    let day = Utc::now().with_timezone(&state.config.time_zone()).format("%Y-%m-%d").to_string();
    let response = NewResponse {
        invitation_id: inv.id,
        survey_id: survey.id,
        answers: Value::Object(stored).to_string(),
        district: inv.district,
        age_band: inv.age_band.clone(),
        day,
        resident_id: if survey.def.anonymous { None } else { inv.resident_id },
        tallies,
        texts,
    };
    if !state.responses.store(response).await? {
        return Err(CoreError::conflict("answer-refused-answered"));
    }
    tracing::info!(survey_id = survey.id, "response recorded");
    Ok(())
}

/// An answer in the API's own shape (what the analysts' CSV shows).
pub fn answer_json(a: &Answer) -> Value {
    match a {
        Answer::Choice(v) => Value::String(v.clone()),
        Answer::Other(t) => serde_json::json!({"other": t}),
        Answer::Choices(list) | Answer::Ranking(list) => serde_json::json!(list),
        Answer::Number(n) => serde_json::json!(n),
        Answer::Text(t) => Value::String(t.clone()),
        Answer::Matrix(m) => serde_json::json!(m),
    }
}
