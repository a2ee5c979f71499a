//! `/official/surveys/{id}/wording`: an editor corrects a launched survey's texts (every language of every title,
//! question, help, answer and scale label), says why, and the change is recorded; the page lists earlier fixes.

use std::collections::HashMap;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    core::CoreError,
    domain::lifecycle::SurveyState,
    storage::SurveyRecord,
    surveys::wording::{Label, revise_launched, texts_mut},
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::Chrome,
    },
};

const LANGS: [&str; 3] = ["pl", "en", "uk"];

#[derive(Serialize)]
struct TextField {
    /// The form's name stem: `f{n}` (`f{n}_pl`, `f{n}_en`, `f{n}_uk`).
    name: String,
    label: Label,
    values: Vec<(String, String)>,
}

#[derive(Serialize)]
struct RevisionView {
    at: String,
    official: String,
    note: String,
}

#[derive(Serialize)]
struct WordingPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    title: String,
    fields: Vec<TextField>,
    note: String,
    errors: Vec<FieldError>,
    revisions: Vec<RevisionView>,
    saved: bool,
}

#[derive(Deserialize)]
pub struct WordingQuery {
    saved: Option<String>,
}

async fn launched(state: &AppState, id: i64) -> Result<SurveyRecord, AppError> {
    // A draft's questions are edited on its builder page.
    state.store.survey(id).await?.filter(|s| s.state == SurveyState::Launched).ok_or(AppError::NotFound)
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    s: &SurveyRecord,
    shown: &mut crate::domain::survey::SurveyDef,
    note: String,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let fields = texts_mut(shown)
        .into_iter()
        .enumerate()
        .map(|(n, (label, text))| TextField {
            name: format!("f{n}"),
            label,
            values: LANGS.iter().map(|l| (l.to_string(), text.0.get(*l).cloned().unwrap_or_default())).collect(),
        })
        .collect();
    let revisions = state
        .store
        .survey_revisions(s.id)
        .await?
        .into_iter()
        .map(|r| RevisionView { at: state.config.local_minutes(r.at), official: r.official, note: r.note })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = WordingPage {
        chrome: Chrome::new(ctx, "wording-title-page"),
        id: s.id,
        title: s.def.title.get(ctx.lang.code()).to_string(),
        fields,
        note,
        errors,
        revisions,
        saved,
    };
    Ok((status, state.templates.page("pages/official/survey-wording", &page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<WordingQuery>,
) -> Result<Response, AppError> {
    let s = launched(&state, id).await?;
    let mut shown = s.def.clone();
    render(&state, &ctx, &s, &mut shown, String::new(), Vec::new(), q.saved.is_some()).await
}

pub async fn save(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let s = launched(&state, id).await?;
    let official = ctx.official()?;
    let mut corrected = s.def.clone();
    for (n, (_, text)) in texts_mut(&mut corrected).into_iter().enumerate() {
        for lang in LANGS {
            let Some(value) = form.get(&format!("f{n}_{lang}")) else { continue };
            match value.trim() {
                "" => text.0.remove(lang),
                v => text.0.insert(lang.to_string(), v.to_string()),
            };
        }
    }
    let note = form.get("note").cloned().unwrap_or_default();
    match revise_launched(&state, official, &s, &corrected, &note).await {
        Ok(()) => Ok(Redirect::to(&format!("/official/surveys/{id}/wording?saved=1")).into_response()),
        Err(CoreError::Invalid(errors)) => render(&state, &ctx, &s, &mut corrected, note, errors, false).await,
        Err(e) => Err(e.into()),
    }
}
