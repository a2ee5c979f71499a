//! The residents' and the public's side of consultations: answering through a personal link, the published
//! results at `/consultations/{id}`, and the open data.

pub mod form;
pub mod public;

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;

use self::form::{Fields, QuestionView};
use super::{
    context::{CsrfForm, RequestContext},
    error::{AppError, FieldError, refusal_status},
    page::{Chrome, MessagePage},
};
use crate::{
    core::CoreError,
    storage::SurveyRecord,
    surveys::answer::{self, Lookup},
    web::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/s/{token}", get(answer_page).post(submit)).merge(public::router())
}

/// The answering page (also the officials' preview, with `preview` set and no form action).
#[derive(Serialize)]
pub struct AnswerPage {
    #[serde(flatten)]
    pub chrome: Chrome,
    pub title: String,
    pub intro: String,
    pub anonymous: bool,
    pub reason: String,
    pub agree: bool,
    pub closes: String,
    pub questions: Vec<QuestionView>,
    pub count: usize,
    pub errors: Vec<FieldError>,
    pub action: Option<String>,
    pub preview: bool,
    pub storage_key: String,
}

pub fn answer_page_for(
    state: &AppState,
    ctx: &RequestContext,
    survey: &SurveyRecord,
    fields: &Fields,
    errors: Vec<FieldError>,
    action: Option<String>,
) -> AnswerPage {
    let lang = ctx.lang.code();
    let def = &survey.def;
    AnswerPage {
        chrome: Chrome::new(ctx, "survey-answer-title"),
        title: def.title.get(lang).into(),
        intro: def.intro.get(lang).into(),
        anonymous: def.anonymous,
        reason: def.identified_reason.get(lang).into(),
        agree: fields.iter().any(|(k, _)| k == "agree"),
        closes: state.config.local_minutes(def.closes_at),
        questions: form::questions(def, lang, fields, &errors),
        count: def.questions.len(),
        errors,
        preview: action.is_none(),
        action,
        storage_key: format!("hejnal-survey-{}", survey.id),
    }
}

fn message(state: &AppState, ctx: &RequestContext, lookup: &Lookup, status: StatusCode) -> Result<Response, AppError> {
    let (heading_key, text_key, survey) = match lookup {
        Lookup::Answered(s) => ("answer-answered-heading", "answer-answered-text", Some(s)),
        Lookup::Closed(s) => ("answer-closed-heading", "answer-closed-text", Some(s)),
        Lookup::NotYetOpen(s) => ("answer-not-open-heading", "answer-not-open-text", Some(s)),
        Lookup::Unknown | Lookup::Open(..) => ("answer-unknown-heading", "answer-unknown-text", None),
    };
    let fmt = |t| state.config.local_minutes(t);
    let page = MessagePage {
        title: survey.map(|s| s.def.title.get(ctx.lang.code()).to_string()).unwrap_or_default(),
        closes: survey.map(|s| fmt(s.def.closes_at)).unwrap_or_default(),
        opens: survey.map(|s| fmt(s.def.opens_at)).unwrap_or_default(),
        ..MessagePage::new(ctx, heading_key, text_key)
    };
    page.render(&state.templates, status)
}

async fn answer_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let found = answer::lookup(&state, &token).await?;
    let Lookup::Open(_, survey) = &found else {
        let status = match &found {
            Lookup::Unknown => StatusCode::NOT_FOUND,
            _ => StatusCode::OK,
        };
        return message(&state, &ctx, &found, status);
    };
    let page = answer_page_for(&state, &ctx, survey, &Vec::new(), Vec::new(), Some(format!("/s/{token}")));
    Ok(state.templates.page("pages/surveys/answer", &page)?.into_response())
}

#[derive(Serialize)]
struct ThanksPage {
    #[serde(flatten)]
    chrome: Chrome,
    title: String,
    storage_key: String,
}

async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> Result<Response, AppError> {
    let found = answer::lookup(&state, &token).await?;
    let Lookup::Open(inv, survey) = &found else {
        let status = match answer::refusal(&found) {
            CoreError::Refused { kind, .. } => refusal_status(kind),
            _ => StatusCode::NOT_FOUND,
        };
        return message(&state, &ctx, &found, status);
    };
    let raw = form::answers(&survey.def, &fields);
    let agree = fields.iter().any(|(k, _)| k == "agree");
    match answer::submit(&state, inv, survey, &raw, agree).await {
        Ok(()) => {
            let page = ThanksPage {
                chrome: Chrome::new(&ctx, "answer-thanks-heading"),
                title: survey.def.title.get(ctx.lang.code()).into(),
                storage_key: format!("hejnal-survey-{}", survey.id),
            };
            Ok(state.templates.page("pages/surveys/thanks", &page)?.into_response())
        }
        Err(CoreError::Invalid(errors)) => {
            let page = answer_page_for(&state, &ctx, survey, &fields, errors, Some(format!("/s/{token}")));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, state.templates.page("pages/surveys/answer", &page)?).into_response())
        }
        Err(CoreError::Refused { .. }) => {
            message(&state, &ctx, &Lookup::Answered(survey.clone()), StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}
