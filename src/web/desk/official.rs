//! The officials' desk pages: one report with its history and the forms for the next state (and, for dispatchers,
//! publication and merging), and the admins' page of who works for which unit. The worklist: [`super::worklist`].

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    core::CoreError,
    desk::{catalogue, handling},
    domain::desk_report::ReportState,
    web::{
        AppState,
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::Chrome,
    },
};

#[derive(Serialize)]
struct EventView {
    at: String,
    from: Option<&'static str>,
    to: &'static str,
    unit: String,
    public_note: String,
    internal_note: String,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    selected: bool,
}

#[derive(Serialize)]
struct UnitChoice {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Serialize)]
struct ShowPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    service: String,
    unit: String,
    state: &'static str,
    overdue: bool,
    due_on: String,
    description: String,
    place: String,
    address: String,
    attributes: Vec<(String, String)>,
    photos: Vec<i64>,
    history: Vec<EventView>,
    next: Vec<Choice>,
    units: Vec<UnitChoice>,
    errors: Vec<FieldError>,
    public_note: String,
    internal_note: String,
    /// The dispatcher's publication form (dispatchers only).
    publication: Option<PublicationView>,
    /// The report this one is handled together with.
    merged_into: Option<i64>,
    /// The dispatcher's merge form (dispatchers, open reports only).
    merge: Option<super::merge::MergeView>,
}

#[derive(Serialize)]
struct PublicationView {
    allowed: bool,
    description: bool,
    photos: Vec<(i64, bool)>,
}

/// The staff page of a report; `form` and `errors` refill the state change form, `merge` the merge form.
pub(super) async fn render_show(
    state: &AppState,
    ctx: &RequestContext,
    id: i64,
    form: Option<&TransitionForm>,
    errors: Vec<FieldError>,
    merge: Option<super::merge::MergeView>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let r = crate::desk::report::get(&state.core, id).await?;
    if !handling::may_see(&state.core, Some(official), &r).await? {
        return Err(AppError::Refused { status: StatusCode::FORBIDDEN, key: "desk-refused-other-unit" });
    }
    let c = catalogue::load(&state.core).await?;
    let l = ctx.lang.code();
    let unit_name = |code: &str| c.unit(code).map(|u| u.name.get(l).to_string()).unwrap_or(code.to_string());
    let chosen = form.map(|f| f.state.as_str()).unwrap_or("");
    let dispatcher = official.has(crate::domain::Role::Dispatcher);
    let merge = (dispatcher && r.state.is_open()).then(|| merge.unwrap_or_default());
    let publication = if dispatcher {
        let p = crate::desk::publication::publication(&state.core, id).await?;
        Some(PublicationView {
            allowed: p.allowed,
            description: p.description,
            photos: (1..=r.photos).map(|n| (n, p.photos.contains(&n))).collect(),
        })
    } else {
        None
    };
    let page = ShowPage {
        chrome: Chrome::new(ctx, "desk-report-staff-title"),
        id: r.id,
        service: c.service(&r.service_code).map(|s| s.name.get(l).to_string()).unwrap_or(r.service_code.clone()),
        unit: unit_name(&r.unit),
        state: r.state.as_str(),
        overdue: handling::overdue(&state.core, &r),
        due_on: r.due_on.to_string(),
        description: r.description.clone(),
        place: format!("{:.6}, {:.6}", r.lat, r.lon),
        address: r.address.clone().unwrap_or_default(),
        // Each answer under its question, in the page's language ("yes"/"no" for yes/no questions).
        attributes: r
            .attributes
            .iter()
            .map(|(code, value)| {
                let question = c.service(&r.service_code).and_then(|s| s.attributes.iter().find(|a| &a.code == code));
                let label = question.map(|a| a.label.get(l).to_string()).unwrap_or(code.clone());
                let answer = match value.as_str() {
                    "true" => crate::i18n::t(ctx.lang, "desk-yes"),
                    "false" => crate::i18n::t(ctx.lang, "desk-no"),
                    v => v.to_string(),
                };
                (label, answer)
            })
            .collect(),
        photos: (1..=r.photos).collect(),
        history: r
            .history
            .iter()
            .map(|e| EventView {
                at: state.config.local_minutes(e.at),
                from: e.from_state.map(ReportState::as_str),
                to: e.to_state.as_str(),
                unit: unit_name(&e.unit),
                public_note: e.public_note.clone(),
                internal_note: e.internal_note.clone(),
            })
            .collect(),
        next: ReportState::ALL
            .into_iter()
            .filter(|s| r.state.can_become(*s))
            .map(|s| Choice { value: s.as_str(), selected: s.as_str() == chosen })
            .collect(),
        units: c
            .units
            .iter()
            .filter(|u| u.code != r.unit)
            .map(|u| UnitChoice {
                code: u.code.clone(),
                name: u.name.get(l).to_string(),
                selected: form.and_then(|f| f.unit.as_deref()) == Some(u.code.as_str()),
            })
            .collect(),
        errors,
        public_note: form.map(|f| f.public_note.clone()).unwrap_or_default(),
        internal_note: form.map(|f| f.internal_note.clone()).unwrap_or_default(),
        publication,
        merged_into: r.merged_into,
        merge,
    };
    Ok((status, state.templates.page("pages/desk/show", &page)?).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_show(&state, &ctx, id, None, Vec::new(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub(crate) struct TransitionForm {
    #[serde(default)]
    state: String,
    #[serde(default)]
    public_note: String,
    #[serde(default)]
    internal_note: String,
    #[serde(default)]
    unit: Option<String>,
}

pub(crate) async fn transition(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TransitionForm>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let input = handling::TransitionInput {
        state: form.state.clone(),
        public_note: form.public_note.clone(),
        internal_note: form.internal_note.clone(),
        unit: form.unit.clone().filter(|u| !u.is_empty()),
    };
    match handling::transition(&state.core, official, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/official/reports/{id}")).into_response()),
        Err(CoreError::Invalid(errors)) => {
            render_show(&state, &ctx, id, Some(&form), errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct StaffRow {
    id: i64,
    name: String,
    email: String,
    units: Vec<UnitChoice>,
}

#[derive(Serialize)]
struct StaffPage {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<StaffRow>,
}

pub(crate) async fn staff(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let c = catalogue::load(&state.core).await?;
    let l = ctx.lang.code();
    let mut rows = Vec::new();
    for o in state.store.list_officials().await?.into_iter().filter(|o| o.active) {
        let held = state.store.staff_units(o.id).await?;
        rows.push(StaffRow {
            id: o.id,
            name: o.name.clone(),
            email: o.email.as_str().to_string(),
            units: c
                .units
                .iter()
                .map(|u| UnitChoice {
                    code: u.code.clone(),
                    name: u.name.get(l).to_string(),
                    selected: held.contains(&u.code),
                })
                .collect(),
        });
    }
    let page = StaffPage { chrome: Chrome::new(&ctx, "desk-staff-title"), rows };
    Ok(state.templates.page("pages/desk/staff", &page)?.into_response())
}

#[derive(Deserialize)]
pub(crate) struct StaffForm {
    #[serde(default)]
    unit: Vec<String>,
}

pub(crate) async fn set_staff(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> Result<Response, AppError> {
    let admin = ctx.official()?;
    crate::desk::handling::assign_units(&state.core, admin, id, &form.unit).await?;
    Ok(Redirect::to("/official/desk/staff").into_response())
}
