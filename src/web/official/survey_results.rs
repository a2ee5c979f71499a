//! A survey's results for officials: charts with tables, breakdowns with suppression, weighting, response rates,
//! the review of free-text answers, publication, and the anonymous responses as CSV.

use axum::{
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    storage::FreeText,
    surveys::{
        RESULT_PUBLISHERS, publication,
        results::{QuestionResult, Results},
    },
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
    /// Whether this official may publish, review free text and export ([`RESULT_PUBLISHERS`]).
    can_publish: bool,
}

pub async fn page(State(state): State<AppState>, ctx: RequestContext, Path(id): Path<i64>) -> Result<Page, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let results = crate::surveys::results_of(&state, &s, ctx.lang).await?;
    let lang = ctx.lang.code();
    let can_publish = ctx.official()?.has_any(RESULT_PUBLISHERS);
    // Texts not yet approved for publication are for those who review them.
    let texts = state
        .store
        .free_texts(id)
        .await?
        .into_iter()
        .filter(|t| can_publish || t.approved == Some(true))
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
        can_publish,
    };
    state.templates.page("pages/official/survey-results", &page)
}

#[derive(Deserialize)]
pub struct ReviewForm {
    approve: Option<String>,
}

pub async fn review_text(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((id, text_id)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Redirect, AppError> {
    // Who may is said before what is wrong with the form.
    publication::may_publish(ctx.official()?)?;
    let approved = match form.approve.as_deref() {
        Some("yes") => true,
        Some("no") => false,
        _ => return Err(AppError::BadForm(Some("approve must be yes or no".into()))),
    };
    publication::review_text(&state, ctx.official()?, id, text_id, approved).await?;
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
    let said = [("pl", form.said_pl.as_str()), ("en", form.said_en.as_str()), ("uk", form.said_uk.as_str())];
    publication::publish(&state, ctx.official()?, id, &form.question, said).await?;
    Ok(Redirect::to(&format!("/official/surveys/{id}/results#publish")))
}

/// The anonymous responses as CSV (what is in it: [`publication::responses_csv`]).
pub async fn responses_csv(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let out = publication::responses_csv(&state, ctx.official()?, id).await?;
    let mut res = out.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"survey-{id}-responses.csv\"")).expect("ascii"),
    );
    Ok(res)
}
