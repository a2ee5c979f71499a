//! A survey's results for officials: charts with tables, breakdowns with suppression, weighting, response rates,
//! the review of free-text answers, publication, and the anonymous responses as CSV.

use axum::{
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        audit::{AuditAction, NewAuditEntry},
        survey::Text,
    },
    storage::{FreeText, Publication},
    surveys::results::{QuestionResult, Results},
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext},
        error::AppError,
        page::{Chrome, Page},
    },
};

#[derive(Serialize)]
struct PublishChoice {
    id: String,
    text: String,
    checked: bool,
}

#[derive(Serialize)]
struct TextRow {
    id: i64,
    question: String,
    text: String,
    state: &'static str,
}

#[derive(Serialize)]
struct ResultsPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    title: String,
    k: u64,
    show_breakdowns: bool,
    /// The weighting margins, in words.
    margins: String,
    results: Results,
    questions: Vec<QuestionResult>,
    texts: Vec<TextRow>,
    publish: Vec<PublishChoice>,
    said_pl: String,
    said_en: String,
    said_uk: String,
    published: bool,
}

pub async fn page(State(state): State<AppState>, ctx: RequestContext, Path(id): Path<i64>) -> Result<Page, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let results = crate::surveys::results_of(&state, &s, ctx.lang).await?;
    let lang = ctx.lang.code();
    let texts = state
        .store
        .free_texts(id)
        .await?
        .into_iter()
        .map(|t: FreeText| TextRow {
            id: t.id,
            question: s.def.question(&t.question).map(|q| q.text.get(lang).to_string()).unwrap_or(t.question),
            text: t.text,
            state: match t.approved {
                None => "pending",
                Some(true) => "approved",
                Some(false) => "rejected",
            },
        })
        .collect();
    let publish = s
        .def
        .questions
        .iter()
        .filter(|q| !q.kind.is_text())
        .map(|q| PublishChoice {
            id: q.id.clone(),
            text: q.text.get(lang).into(),
            checked: s.publication.questions.contains(&q.id),
        })
        .collect();
    let said = |l: &str| s.publication.said_we_did.0.get(l).cloned().unwrap_or_default();
    let page = ResultsPage {
        chrome: Chrome::new(&ctx, "results-title"),
        id,
        title: s.def.title.get(lang).into(),
        k: state.config.surveys.k,
        show_breakdowns: true,
        margins: results
            .weighting
            .margins
            .iter()
            .map(|m| crate::i18n::t(ctx.lang, &format!("results-group-{m}")))
            .collect::<Vec<_>>()
            .join(", "),
        questions: results.questions.clone(),
        results,
        texts,
        publish,
        said_pl: said("pl"),
        said_en: said("en"),
        said_uk: said("uk"),
        published: s.publication.published_at.is_some(),
    };
    state.templates.page("pages/official/survey-results", &page)
}

#[derive(Deserialize)]
pub struct ReviewForm {
    approve: String,
}

pub async fn review_text(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((id, text_id)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Redirect, AppError> {
    let official = ctx.official()?;
    let approved = form.approve == "yes";
    if !state.store.review_text(id, text_id, approved, official.id, Utc::now()).await? {
        return Err(AppError::NotFound);
    }
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::SurveyTextReviewed)
        .subject(format!("survey:{id}"))
        .detail(serde_json::json!({"text": text_id, "approved": approved}));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok(Redirect::to(&format!("/official/surveys/{id}/results#texts")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    question: Vec<String>,
    said_pl: String,
    said_en: String,
    said_uk: String,
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> Result<Redirect, AppError> {
    let official = ctx.official()?;
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let questions: Vec<String> =
        s.def.questions.iter().filter(|q| form.question.contains(&q.id)).map(|q| q.id.clone()).collect();
    let mut said = std::collections::BTreeMap::new();
    for (lang, text) in [("pl", &form.said_pl), ("en", &form.said_en), ("uk", &form.said_uk)] {
        if !text.trim().is_empty() {
            said.insert(lang.to_string(), text.trim().chars().take(10_000).collect());
        }
    }
    let publication = Publication {
        published_at: Some(s.publication.published_at.unwrap_or_else(Utc::now)),
        questions: questions.clone(),
        said_we_did: Text(said),
    };
    state.store.set_publication(id, &publication).await?;
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::SurveyPublished)
        .subject(format!("survey:{id}"))
        .detail(serde_json::json!({"questions": questions}));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok(Redirect::to(&format!("/official/surveys/{id}/results#publish")))
}

/// The anonymous responses: one row per response, answers as JSON per question, district, age band and the day —
/// no identifiers, no time finer than the day.
pub async fn responses_csv(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let ids: Vec<&str> = s.def.questions.iter().map(|q| q.id.as_str()).collect();
    let field = crate::surveys::open_data::field;
    let mut out = format!("day,district,age_band,{}\r\n", ids.iter().map(|i| field(i)).collect::<Vec<_>>().join(","));
    for (answers, district, age_band, day) in state.store.responses(id).await? {
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
    let mut res = out.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"survey-{id}-responses.csv\"")).expect("ascii"),
    );
    Ok(res)
}
