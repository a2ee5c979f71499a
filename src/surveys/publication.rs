//! What leaves the analysts' hands: publishing a survey's results, approving free-text answers for publication, and
//! the anonymous responses as CSV. One rule for all three, on the pages and in the API: [`RESULT_PUBLISHERS`].

use chrono::Utc;

use crate::{
    core::{Core, CoreError, CoreResult, Refusal},
    domain::{
        Official, Role,
        audit::{AuditAction, NewAuditEntry},
        survey::Text,
    },
    storage::Publication,
};

/// Who may publish results, approve free text for publication, export the responses, and read results over the
/// API: analysts and admins. (Editors build surveys; approvers launch them.)
pub const RESULT_PUBLISHERS: &[Role] = &[Role::Analyst, Role::Admin];

/// Refuses, with a sentence saying who may, an official who is not a [`RESULT_PUBLISHERS`] member.
pub fn may_publish(official: &Official) -> CoreResult<()> {
    if official.has_any(RESULT_PUBLISHERS) {
        Ok(())
    } else {
        Err(CoreError::Refused { kind: Refusal::Forbidden, reason: "results-publishers-only" })
    }
}

/// Approves (or rejects) one free-text answer of the survey for publication; audited. A text of another survey is
/// not found.
#[tracing::instrument(skip_all, fields(survey_id, text_id, approved), err(level = "info"))]
pub async fn review_text(
    core: &Core,
    official: &Official,
    survey_id: i64,
    text_id: i64,
    approved: bool,
) -> CoreResult<()> {
    may_publish(official)?;
    if !core.store.review_text(survey_id, text_id, approved, official.id, Utc::now()).await? {
        return Err(CoreError::NotFound);
    }
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::SurveyTextReviewed)
        .subject(format!("survey:{survey_id}"))
        .detail(serde_json::json!({"text": text_id, "approved": approved}));
    core.store.append_audit(&entry, Utc::now()).await?;
    Ok(())
}

/// Publishes the chosen (non-text) questions' results with what the city did, per language (`pl`, `en`, `uk`);
/// the first publication's time is kept. Audited.
#[tracing::instrument(skip_all, fields(survey_id), err(level = "info"))]
pub async fn publish(
    core: &Core,
    official: &Official,
    survey_id: i64,
    chosen: &[String],
    said_we_did: [(&str, &str); 3],
) -> CoreResult<()> {
    may_publish(official)?;
    let s = core.store.survey(survey_id).await?.ok_or(CoreError::NotFound)?;
    let questions: Vec<String> =
        s.def.questions.iter().filter(|q| chosen.contains(&q.id)).map(|q| q.id.clone()).collect();
    let mut said = std::collections::BTreeMap::new();
    for (lang, text) in said_we_did {
        if !text.trim().is_empty() {
            said.insert(lang.to_string(), text.trim().chars().take(10_000).collect());
        }
    }
    let publication = Publication {
        published_at: Some(s.publication.published_at.unwrap_or_else(Utc::now)),
        questions: questions.clone(),
        said_we_did: Text(said),
    };
    core.store.set_publication(survey_id, &publication).await?;
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::SurveyPublished)
        .subject(format!("survey:{survey_id}"))
        .detail(serde_json::json!({"questions": questions}));
    core.store.append_audit(&entry, Utc::now()).await?;
    Ok(())
}

/// The anonymous responses: one row per response, answers as JSON per question, district, age band and the day —
/// no identifiers, no time finer than the day. Every cell is neutralised against spreadsheet formulas.
#[tracing::instrument(skip_all, fields(survey_id), err(level = "info"))]
pub async fn responses_csv(core: &Core, official: &Official, survey_id: i64) -> CoreResult<String> {
    may_publish(official)?;
    let s = core.store.survey(survey_id).await?.ok_or(CoreError::NotFound)?;
    let ids: Vec<&str> = s.def.questions.iter().map(|q| q.id.as_str()).collect();
    let field = super::open_data::field;
    let mut out = format!("day,district,age_band,{}\r\n", ids.iter().map(|i| field(i)).collect::<Vec<_>>().join(","));
    for (answers, district, age_band, day) in core.store.responses(survey_id).await? {
        let answers: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&answers).unwrap_or_default();
        let cells: Vec<String> = ids
            .iter()
            .map(|q| match answers.get(*q) {
                None => String::new(),
                Some(serde_json::Value::String(s)) => field(s),
                Some(v) => field(&v.to_string()),
            })
            .collect();
        out.push_str(&format!("{day},{district},{},{}\r\n", field(&age_band), cells.join(",")));
    }
    Ok(out)
}
