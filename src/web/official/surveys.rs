//! The officials' survey pages: the list, a new survey, the builder (one question at a time), the preview, and the
//! launch screen with its per-stratum plan.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::survey_builder::{KINDS, QuestionForm, SettingsForm};
use crate::{
    core::CoreError,
    domain::lifecycle::SurveyState,
    domain::{
        Role,
        audit::{AuditAction, NewAuditEntry},
        panel::AgeBand,
    },
    storage::{AudienceFilter, SurveyRecord},
    surveys::launch::{self, LaunchPlan, LaunchRequest},
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::{Chrome, Page},
        surveys::{AnswerPage, answer_page_for},
    },
};

#[derive(Serialize)]
struct Row {
    id: i64,
    title: String,
    state: String,
    opens: String,
    closes: String,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    chrome: Chrome,
    surveys: Vec<Row>,
    can_create: bool,
    form: SettingsForm,
    errors: Vec<FieldError>,
}

fn fmt(state: &AppState, t: chrono::DateTime<Utc>) -> String {
    state.config.local_minutes(t)
}

async fn render_list(
    state: &AppState,
    ctx: &RequestContext,
    form: SettingsForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let surveys = state
        .store
        .list_surveys()
        .await?
        .into_iter()
        .map(|s| Row {
            id: s.id,
            title: s.def.title.get(ctx.lang.code()).into(),
            state: s.state.as_str().into(),
            opens: fmt(state, s.def.opens_at),
            closes: fmt(state, s.def.closes_at),
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        chrome: Chrome::new(ctx, "surveys-title"),
        surveys,
        can_create: ctx.official()?.has(Role::Editor),
        form,
        errors,
    };
    Ok((status, state.templates.page("pages/official/surveys", &page)?).into_response())
}

pub async fn list(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let form = SettingsForm { reminder_days: "3, 7".into(), ..Default::default() };
    render_list(&state, &ctx, form, Vec::new()).await
}

fn field_errors(errors: Vec<(&str, &'static str)>) -> Vec<FieldError> {
    errors.into_iter().map(|(f, k)| FieldError::new(f, k)).collect()
}

fn issues(def: &crate::domain::survey::SurveyDef) -> Vec<FieldError> {
    def.validate().iter().map(FieldError::from).collect()
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    let def = match form.to_def(state.config.time_zone()) {
        Ok(def) => def,
        Err(e) => return render_list(&state, &ctx, form, field_errors(e)).await,
    };
    // The builder adds questions; a new survey's settings are checked on their own here.
    let errors: Vec<FieldError> = issues(&def).into_iter().filter(|e| !e.field.starts_with("questions")).collect();
    if !errors.is_empty() {
        return render_list(&state, &ctx, form, errors).await;
    }
    let official = ctx.official()?;
    let id = state.store.create_survey(&def, official.id, Utc::now()).await?;
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::SurveyCreated).subject(format!("survey:{id}"));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok(Redirect::to(&format!("/official/surveys/{id}")).into_response())
}

#[derive(Serialize)]
struct QuestionRow {
    id: String,
    kind: &'static str,
    text: String,
    required: bool,
    condition: Option<String>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct SurveyPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    title: String,
    state: String,
    anonymous: bool,
    opens: String,
    closes: String,
    questions: Vec<QuestionRow>,
    can_edit: bool,
    /// A launched survey's wording may still be corrected (editors).
    can_fix_wording: bool,
    can_launch: bool,
    sees_results: bool,
    kinds: Vec<&'static str>,
    form: QuestionForm,
    errors: Vec<FieldError>,
    districts: Vec<Choice>,
    age_bands: Vec<Choice>,
    interests: Vec<Choice>,
    languages: Vec<Choice>,
    launch: LaunchFields,
    plan: Option<LaunchPlan>,
    launched: Option<LaunchPlan>,
}

/// The launch form's fields.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LaunchFields {
    pub district: Vec<i64>,
    pub age_band: Vec<String>,
    pub interest: Vec<String>,
    pub language: Vec<String>,
    pub sample: String,
    pub seed: String,
    pub action: String,
}

struct Extra {
    form: QuestionForm,
    errors: Vec<FieldError>,
    launch: LaunchFields,
    plan: Option<LaunchPlan>,
}

async fn render_survey(
    state: &AppState,
    ctx: &RequestContext,
    s: &SurveyRecord,
    x: Extra,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let lang = ctx.lang.code();
    let districts = state.store.list_districts().await?;
    let choice = |value: String, label: String, checked: bool| Choice { value, label, checked };
    let status = if x.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = SurveyPage {
        chrome: Chrome::new(ctx, "survey-title"),
        id: s.id,
        title: s.def.title.get(lang).into(),
        state: s.state.as_str().into(),
        anonymous: s.def.anonymous,
        opens: fmt(state, s.def.opens_at),
        closes: fmt(state, s.def.closes_at),
        questions: s
            .def
            .questions
            .iter()
            .map(|q| QuestionRow {
                id: q.id.clone(),
                kind: q.kind.name(),
                text: q.text.get(lang).into(),
                required: q.required,
                condition: q.show_if.as_ref().map(|c| format!("{} = {}", c.question, c.equals.join(" / "))),
            })
            .collect(),
        can_edit: s.state == SurveyState::Draft && official.has(Role::Editor),
        can_fix_wording: s.state == SurveyState::Launched && official.has(Role::Editor),
        can_launch: s.state == SurveyState::Draft && official.has(Role::Approver),
        sees_results: official.has_any(&[Role::Analyst, Role::Admin, Role::Editor]),
        kinds: KINDS.to_vec(),
        form: x.form,
        errors: x.errors,
        districts: districts
            .iter()
            .map(|d| choice(d.number.to_string(), d.label(), x.launch.district.contains(&d.number)))
            .collect(),
        age_bands: AgeBand::ALL
            .iter()
            .map(|a| choice(a.as_str().into(), a.as_str().into(), x.launch.age_band.iter().any(|v| v == a.as_str())))
            .collect(),
        interests: state
            .config
            .panel_interests
            .iter()
            .map(|i| choice(i.clone(), format!("interest-{i}"), x.launch.interest.contains(i)))
            .collect(),
        languages: ["pl", "en", "uk"]
            .iter()
            .map(|l| choice(l.to_string(), format!("lang-{l}"), x.launch.language.iter().any(|v| v == l)))
            .collect(),
        launch: x.launch,
        plan: x.plan,
        launched: s.launch.clone().and_then(|v| serde_json::from_value(v).ok()),
    };
    Ok((status, state.templates.page("pages/official/survey", &page)?).into_response())
}

fn next_id(s: &SurveyRecord) -> String {
    (1..).map(|n| format!("q{n}")).find(|id| s.def.question(id).is_none()).unwrap_or_default()
}

pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let form = QuestionForm {
        id: next_id(&s),
        kind: "single_choice".into(),
        required: Some("on".into()),
        ..Default::default()
    };
    render_survey(&state, &ctx, &s, Extra { form, errors: Vec::new(), launch: LaunchFields::default(), plan: None })
        .await
}

pub async fn add_question(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<QuestionForm>,
) -> Result<Response, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    if s.state != SurveyState::Draft {
        return Err(AppError::Refused { status: StatusCode::CONFLICT, key: "survey-refused-launched" });
    }
    let again = |errors| Extra { form: form.clone(), errors, launch: LaunchFields::default(), plan: None };
    let question = match form.to_question() {
        Ok(q) => q,
        Err(e) => return render_survey(&state, &ctx, &s, again(field_errors(e))).await,
    };
    let mut def = s.def.clone();
    def.questions.push(question);
    let n = def.questions.len() - 1;
    // Errors of the new question, named by the form's own fields.
    let prefix = format!("questions.{n}.");
    let errors: Vec<FieldError> = issues(&def)
        .into_iter()
        .filter_map(|mut e| {
            let rest = e.field.strip_prefix(&prefix)?.to_string();
            e.field = match rest.split('.').next().unwrap_or("") {
                "text" => "text_pl".into(),
                "options" | "scale" if rest.contains('.') => "options".into(),
                "rows" => "rows".into(),
                "show_if" => "show_if_question".into(),
                other => other.into(),
            };
            Some(e)
        })
        .collect();
    if !errors.is_empty() {
        return render_survey(&state, &ctx, &s, again(errors)).await;
    }
    state.store.update_draft(id, &def).await?;
    Ok(Redirect::to(&format!("/official/surveys/{id}#questions")).into_response())
}

pub async fn delete_question(
    State(state): State<AppState>,
    Path((id, qid)): Path<(i64, String)>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Redirect, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let mut def = s.def.clone();
    def.questions.retain(|q| q.id != qid && q.show_if.as_ref().is_none_or(|c| c.question != qid));
    if !state.store.update_draft(id, &def).await? {
        return Err(AppError::Refused { status: StatusCode::CONFLICT, key: "survey-refused-launched" });
    }
    Ok(Redirect::to(&format!("/official/surveys/{id}#questions")))
}

pub async fn preview(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Page, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let page: AnswerPage = answer_page_for(&state, &ctx, &s, &Vec::new(), Vec::new(), None);
    state.templates.page("pages/surveys/answer", &page)
}

/// The launch screen: `action=plan` shows how many would be invited per stratum; `action=launch` sends.
pub async fn launch(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm<LaunchFields>,
) -> Result<Response, AppError> {
    let s = state.store.survey(id).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let sample = match fields.sample.trim() {
        "" => None,
        n => n.parse().map_err(|_| errors.push(FieldError::new("sample", "survey-error-number"))).ok(),
    };
    let seed = match fields.seed.trim() {
        "" => None,
        n => n.parse().map_err(|_| errors.push(FieldError::new("seed", "survey-error-number"))).ok(),
    };
    let blank = || QuestionForm { id: next_id(&s), kind: "single_choice".into(), ..Default::default() };
    if !errors.is_empty() {
        return render_survey(&state, &ctx, &s, Extra { form: blank(), errors, launch: fields, plan: None }).await;
    }
    let req = LaunchRequest {
        filter: AudienceFilter {
            districts: fields.district.clone(),
            age_bands: fields.age_band.clone(),
            interests: fields.interest.clone(),
            languages: fields.language.clone(),
        },
        sample,
        // The plan shown is the plan launched: the seed drawn for it travels back in the form.
        seed: seed.or_else(|| Some(rand::random::<u32>().into())),
        dry_run: fields.action != "launch",
    };
    let result = if req.dry_run {
        launch::plan(&state, &s, &req, Utc::now()).await.map(|(p, _)| p)
    } else {
        launch::launch(&state, ctx.official()?, &s, &req).await
    };
    match result {
        Ok(plan) if req.dry_run => {
            let launch = LaunchFields { seed: plan.seed.to_string(), ..fields };
            render_survey(&state, &ctx, &s, Extra { form: blank(), errors: Vec::new(), launch, plan: Some(plan) }).await
        }
        Ok(_) => Ok(Redirect::to(&format!("/official/surveys/{id}#launch")).into_response()),
        Err(CoreError::Invalid(errors)) => {
            render_survey(&state, &ctx, &s, Extra { form: blank(), errors, launch: fields, plan: None }).await
        }
        Err(e) => Err(e.into()),
    }
}
