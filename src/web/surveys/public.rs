//! Published consultations (`/consultations/{id}`: the published results and "You said — we did") and the open data
//! (`/open-data`, `/open-data/surveys/{id}.csv`, its CSVW metadata `{id}.csv-metadata.json`, and `.json`):
//! aggregated, suppressed numbers only.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;

use crate::{
    i18n::Lang,
    storage::SurveyRecord,
    surveys::{open_data, results::QuestionResult},
    web::AppState,
    web::{
        context::RequestContext,
        error::AppError,
        page::{Chrome, Page},
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consultations", get(list))
        .route("/consultations/{id}", get(show))
        .route("/open-data", get(catalogue))
        .route("/open-data/catalog.jsonld", get(crate::web::dcat::catalog_jsonld))
        .route("/open-data/surveys/{file}", get(download))
}

async fn published(state: &AppState) -> Result<Vec<SurveyRecord>, AppError> {
    Ok(state.store.list_surveys().await?.into_iter().filter(|s| s.publication.published_at.is_some()).collect())
}

async fn published_one(state: &AppState, id: i64) -> Result<SurveyRecord, AppError> {
    match state.store.survey(id).await? {
        Some(s) if s.publication.published_at.is_some() => Ok(s),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Serialize)]
struct Item {
    id: i64,
    title: String,
    closes: String,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    chrome: Chrome,
    surveys: Vec<Item>,
}

fn items(state: &AppState, list: &[SurveyRecord], lang: Lang) -> Vec<Item> {
    let tz = state.config.time_zone();
    list.iter()
        .map(|s| Item {
            id: s.id,
            title: s.def.title.get(lang.code()).into(),
            closes: s.def.closes_at.with_timezone(&tz).format("%Y-%m-%d").to_string(),
        })
        .collect()
}

async fn list(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let list = published(&state).await?;
    let page = ListPage { chrome: Chrome::new(&ctx, "consultations-title"), surveys: items(&state, &list, ctx.lang) };
    state.templates.page("pages/surveys/consultations", &page)
}

#[derive(Serialize)]
struct TextGroup {
    question: String,
    texts: Vec<String>,
}

#[derive(Serialize)]
struct ShowPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    title: String,
    intro: String,
    opens: String,
    closes: String,
    invited: u64,
    answered: u64,
    sampling: String,
    weighting: String,
    k: u64,
    show_breakdowns: bool,
    questions: Vec<QuestionResult>,
    texts: Vec<TextGroup>,
    said_we_did: String,
}

async fn show(State(state): State<AppState>, ctx: RequestContext, Path(id): Path<i64>) -> Result<Page, AppError> {
    let s = published_one(&state, id).await?;
    let lang = ctx.lang.code();
    let results = crate::surveys::results_of(&state, &s, ctx.lang).await?;
    let meta = crate::surveys::open_data_meta(&state, &s, &results);
    let mut texts: Vec<TextGroup> = Vec::new();
    for t in state.store.free_texts(id).await?.into_iter().filter(|t| t.approved == Some(true)) {
        let question = s.def.question(&t.question).map(|q| q.text.get(lang).to_string()).unwrap_or_default();
        match texts.iter_mut().find(|g| g.question == question) {
            Some(g) => g.texts.push(t.text),
            None => texts.push(TextGroup { question, texts: vec![t.text] }),
        }
    }
    let tz = state.config.time_zone();
    let page = ShowPage {
        chrome: Chrome::new(&ctx, "consultation-title"),
        id,
        title: s.def.title.get(lang).into(),
        intro: s.def.intro.get(lang).into(),
        opens: s.def.opens_at.with_timezone(&tz).format("%Y-%m-%d").to_string(),
        closes: s.def.closes_at.with_timezone(&tz).format("%Y-%m-%d").to_string(),
        invited: results.invited,
        answered: results.respondents,
        sampling: meta.sampling,
        weighting: meta.weighting,
        k: state.config.surveys.k,
        show_breakdowns: true,
        questions: results.questions.into_iter().filter(|q| s.publication.questions.contains(&q.id)).collect(),
        texts,
        said_we_did: s.publication.said_we_did.get(lang).into(),
    };
    state.templates.page("pages/surveys/consultation", &page)
}

async fn catalogue(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let list = published(&state).await?;
    let page = ListPage { chrome: Chrome::new(&ctx, "open-data-title"), surveys: items(&state, &list, ctx.lang) };
    state.templates.page("pages/surveys/open-data", &page)
}

/// `{id}.csv` or `{id}.json` of a published survey (Polish labels; the JSON carries the metadata too).
async fn download(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, AppError> {
    let (id, ext) = match file.strip_suffix(".csv-metadata.json") {
        Some(id) => (id, "csv-metadata.json"),
        None => file.rsplit_once('.').ok_or(AppError::NotFound)?,
    };
    let s = published_one(&state, id.parse().map_err(|_| AppError::NotFound)?).await?;
    let results = crate::surveys::results_of(&state, &s, Lang::Pl).await?;
    let meta = crate::surveys::open_data_meta(&state, &s, &results);
    match ext {
        "csv" => {
            let mut res = open_data::csv(&meta, &results).into_response();
            let headers = res.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8; header=present"));
            if let Ok(link) =
                HeaderValue::from_str(&format!("</open-data/surveys/{id}.csv-metadata.json>; rel=\"describedby\""))
            {
                headers.insert(header::LINK, link);
            }
            Ok(res)
        }
        "csv-metadata.json" => {
            let csv_url = state.config.link(&format!("/open-data/surveys/{id}.csv"));
            let mut res = Json(open_data::csvw(&meta, results.k, &csv_url)).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/csvm+json"));
            Ok(res)
        }
        "json" => Ok(Json(open_data::json(&meta, &results)).into_response()),
        _ => Err(AppError::NotFound),
    }
}
