//! `/official/reports`, the worklist: a GET form (no script needed) filtering by state, service, unit (when the
//! official sees more than one), district and "overdue only", with three orders and pages of 50; every choice kept
//! in the page links. A wrong choice answers 400 with its sentence next to the field.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use super::public::{Opt, district_label};
use crate::{
    core::CoreError,
    desk::{
        catalogue,
        handling::{self, Reach},
        worklist::{self, WorklistQuery},
    },
    domain::desk_report::ReportState,
    i18n::t,
    web::{
        AppState,
        context::RequestContext,
        error::{AppError, FieldError},
        page::Chrome,
    },
};

#[derive(Deserialize, Default)]
pub(crate) struct WorklistParams {
    state: Option<String>,
    service: Option<String>,
    unit: Option<String>,
    district: Option<String>,
    overdue: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

impl WorklistParams {
    /// The choices made, as `(name, value)` (empty ones left out), in the form's order.
    fn chosen(&self) -> Vec<(&'static str, String)> {
        [
            ("state", &self.state),
            ("service", &self.service),
            ("unit", &self.unit),
            ("district", &self.district),
            ("overdue", &self.overdue),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_deref().map(str::trim).filter(|v| !v.is_empty())?.to_string())))
        .collect()
    }

    fn is(&self, name: &str, value: &str) -> bool {
        self.chosen().iter().any(|(k, v)| *k == name && v == value)
    }

    /// This page's link with every choice kept.
    fn link(&self, page: i64) -> String {
        let mut parts: Vec<String> = self
            .chosen()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()))
            .collect();
        parts.push(format!("page={page}"));
        format!("/official/reports?{}", parts.join("&"))
    }
}

#[derive(Serialize)]
struct Row {
    id: i64,
    service: String,
    unit: String,
    district: String,
    state: &'static str,
    filed: String,
    due_on: String,
    overdue: bool,
    /// "Is it fixed? no" sent it back.
    reopened: bool,
    merged_into: Option<i64>,
}

#[derive(Serialize)]
struct WorklistPage {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<Row>,
    dispatcher: bool,
    units: Vec<String>,
    states: Vec<Opt>,
    services: Vec<Opt>,
    unit_choices: Vec<Opt>,
    districts: Vec<Opt>,
    sorts: Vec<Opt>,
    overdue: bool,
    errors: Vec<FieldError>,
    total: i64,
    page: i64,
    pages: i64,
    past_end: bool,
    prev: Option<String>,
    next: Option<String>,
    paged: bool,
    /// The order shown (`newest`, `oldest`, `due`), named in the table's caption.
    sort: &'static str,
}

pub(crate) async fn worklist(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<WorklistParams>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let query = WorklistQuery {
        state: q.state.clone(),
        service: q.service.clone(),
        unit: q.unit.clone(),
        district: q.district.clone(),
        overdue: q.overdue.clone(),
        sort: q.sort.clone(),
        page: q.page.clone(),
    };
    let (result, errors, status) = match worklist::worklist(&state.core, official, &query).await {
        Ok(p) => (Some(p), Vec::new(), StatusCode::OK),
        Err(CoreError::Invalid(errors)) => (None, errors, StatusCode::BAD_REQUEST),
        Err(e) => return Err(e.into()),
    };
    let reach = match &result {
        Some(p) => p.reach.clone(),
        None => handling::reach(&state.core, official).await?,
    };
    let c = catalogue::load(&state.core).await?;
    let districts = state.store.list_districts().await?;
    let l = ctx.lang.code();
    let unit_name = |code: &str| c.unit(code).map(|u| u.name.get(l).to_string()).unwrap_or(code.to_string());
    let reports = result.as_ref().map(|p| p.reports.as_slice()).unwrap_or_default();
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let reopened = state.store.reopened_reports(&ids).await?;
    let rows = reports
        .iter()
        .map(|r| Row {
            id: r.id,
            service: c.service(&r.service_code).map(|s| s.name.get(l).to_string()).unwrap_or(r.service_code.clone()),
            unit: unit_name(&r.unit),
            district: district_label(&districts, r.district),
            state: r.state.as_str(),
            filed: state.config.local_minutes(r.created_at),
            due_on: r.due_on.to_string(),
            overdue: handling::overdue(&state.core, r),
            reopened: reopened.contains(&r.id),
            merged_into: r.merged_into,
        })
        .collect();
    let visible: Vec<String> = match &reach {
        Reach::All => c.units.iter().map(|u| u.code.clone()).collect(),
        Reach::Units(units) => units.clone(),
    };
    let mut states = vec![Opt::new("open", t(ctx.lang, "desk-worklist-state-open"), q.is("state", "open"))];
    states.extend(
        ReportState::ALL.into_iter().map(|s| {
            Opt::new(s.as_str(), t(ctx.lang, &format!("desk-state-{}", s.as_str())), q.is("state", s.as_str()))
        }),
    );
    let services = c
        .services
        .iter()
        .filter(|s| visible.contains(&s.unit))
        .map(|s| Opt::new(s.code.clone(), s.name.get(l).to_string(), q.is("service", &s.code)))
        .collect();
    let unit_choices = visible.iter().map(|u| Opt::new(u.clone(), unit_name(u), q.is("unit", u))).collect();
    let district_opts = districts
        .iter()
        .map(|d| Opt::new(d.number.to_string(), d.label(), q.is("district", &d.number.to_string())))
        .collect();
    let sorts = ["newest", "oldest", "due"]
        .into_iter()
        .map(|s| Opt::new(s, t(ctx.lang, &format!("desk-worklist-sort-{s}")), q.is("sort", s)))
        .collect();
    let (total, page, pages) = result.as_ref().map(|p| (p.total, p.page, p.pages)).unwrap_or((0, 1, 1));
    let prev = (result.is_some() && page > 1 && page <= pages).then(|| q.link(page - 1));
    let next = (result.is_some() && page < pages).then(|| q.link(page + 1));
    let view = WorklistPage {
        chrome: Chrome::new(&ctx, "desk-worklist-title"),
        past_end: result.is_some() && reports.is_empty() && total > 0,
        paged: prev.is_some() || next.is_some(),
        sort: ["oldest", "due"].into_iter().find(|s| q.is("sort", s)).unwrap_or("newest"),
        prev,
        next,
        rows,
        dispatcher: reach == Reach::All,
        units: match &reach {
            Reach::All => Vec::new(),
            Reach::Units(u) => u.iter().map(|code| unit_name(code)).collect(),
        },
        states,
        services,
        unit_choices,
        districts: district_opts,
        sorts,
        overdue: q.overdue.as_deref().is_some_and(|o| !o.trim().is_empty()),
        errors,
        total,
        page,
        pages,
    };
    Ok((status, state.templates.page("pages/desk/worklist", &view)?).into_response())
}
