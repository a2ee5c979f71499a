//! The admins' catalogue pages: `/official/desk/catalogue` lists the services and units; `/new` and `/{code}` are
//! the form to add or change a service (texts in three languages, unit, target days, questions, units per
//! district); `/{code}/active` retires or reinstates it. A refused form comes back with each problem under its
//! field, in the page's language, and nothing changed.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use super::catalogue_form::{self as form, AttributeRow, Choice, LangTexts, RouteRow};
use crate::{
    core::CoreError,
    desk::{catalogue, catalogue_edit},
    domain::desk_edit::ServiceDraft,
    web::{
        AppState,
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::Chrome,
    },
};

#[derive(Serialize)]
struct ServiceListRow {
    code: String,
    names: Vec<(&'static str, String)>,
    unit: String,
    target_days: i64,
    keywords: String,
    hint: String,
    active: bool,
    routes: usize,
}

#[derive(Serialize)]
struct UnitRow {
    code: String,
    names: Vec<(&'static str, String)>,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    chrome: Chrome,
    services: Vec<ServiceListRow>,
    units: Vec<UnitRow>,
}

fn names(t: &crate::domain::desk::Texts) -> Vec<(&'static str, String)> {
    ["pl", "en", "uk"].into_iter().map(|l| (l, t.get(l).to_string())).collect()
}

pub(crate) async fn list(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let c = catalogue::load(&state.core).await?;
    let l = ctx.lang.code();
    let services = c
        .services
        .iter()
        .map(|s| ServiceListRow {
            code: s.code.clone(),
            names: names(&s.name),
            unit: c.unit(&s.unit).map(|u| u.name.get(l).to_string()).unwrap_or(s.unit.clone()),
            target_days: s.target_days,
            keywords: s.keywords.get(l).into(),
            hint: s.hint.get(l).into(),
            active: s.active,
            routes: s.routes.len(),
        })
        .collect();
    let units = c.units.iter().map(|u| UnitRow { code: u.code.clone(), names: names(&u.name) }).collect();
    let page = ListPage { chrome: Chrome::new(&ctx, "desk-catalogue-title"), services, units };
    Ok(state.templates.page("pages/desk/catalogue", &page)?.into_response())
}

#[derive(Serialize)]
struct ServicePage {
    #[serde(flatten)]
    chrome: Chrome,
    /// Adding a new service (the code is asked); else changing `code`.
    adding: bool,
    code: String,
    active: bool,
    saved: bool,
    texts: Vec<LangTexts>,
    units: Vec<Choice>,
    target_days: String,
    attributes: Vec<AttributeRow>,
    routes: Vec<RouteRow>,
    errors: Vec<FieldError>,
}

/// The form for `code` (none: a new service), filled with `draft` (none: as stored).
async fn render(
    state: &AppState,
    ctx: &RequestContext,
    code: Option<&str>,
    draft: Option<ServiceDraft>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let c = catalogue::load(&state.core).await?;
    let stored = match code {
        Some(code) => Some(c.service(code).ok_or(AppError::NotFound)?),
        None => None,
    };
    let draft = draft.or_else(|| stored.map(ServiceDraft::of)).unwrap_or_default();
    let districts = state.store.list_districts().await?;
    let l = ctx.lang.code();
    let title = if stored.is_some() { "desk-catalogue-edit-title" } else { "desk-catalogue-new-title" };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ServicePage {
        chrome: Chrome::new(ctx, title),
        adding: stored.is_none(),
        code: stored.map(|s| s.code.clone()).unwrap_or(draft.code.clone()),
        active: stored.is_none_or(|s| s.active),
        saved,
        texts: form::lang_texts(&draft),
        units: form::unit_choices(&c, draft.unit.trim(), l),
        target_days: draft.target_days.clone(),
        attributes: form::attribute_rows(&draft),
        routes: form::route_rows(&draft, &c, &districts, l),
        errors,
    };
    Ok((status, state.templates.page("pages/desk/service-edit", &page)?).into_response())
}

pub(crate) async fn new_form(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    render(&state, &ctx, None, None, Vec::new(), false).await
}

#[derive(Deserialize)]
pub(crate) struct EditQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(code): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, AppError> {
    render(&state, &ctx, Some(&code), None, Vec::new(), q.saved.is_some()).await
}

fn saved(code: &str) -> Response {
    Redirect::to(&format!("/official/desk/catalogue/{code}?saved=1")).into_response()
}

pub(crate) async fn add(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let draft = form::draft(&fields);
    match catalogue_edit::add(&state.core, ctx.official()?, &draft).await {
        Ok(code) => Ok(saved(&code)),
        Err(CoreError::Invalid(errors)) => render(&state, &ctx, None, Some(draft), errors, false).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn change(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(code): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let draft = form::draft(&fields);
    match catalogue_edit::change(&state.core, ctx.official()?, &code, &draft).await {
        Ok(()) => Ok(saved(&code)),
        Err(CoreError::Invalid(errors)) => render(&state, &ctx, Some(&code), Some(draft), errors, false).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct ActiveForm {
    #[serde(default)]
    active: String,
}

pub(crate) async fn set_active(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<Response, AppError> {
    let active = match form.active.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::Invalid(vec![FieldError::new("active", "desk-catalogue-error-active")])),
    };
    catalogue_edit::set_active(&state.core, ctx.official()?, &code, active).await?;
    Ok(saved(&code))
}
