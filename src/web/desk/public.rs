//! The desk's public pages: `/reports` (the list, filterable by service, district and state with a GET form that
//! works without scripts, paginated, with the district map of the page's reports) and `/reports/{id}` (one report
//! with its public history). Nothing personal is shown: the rows come from the store's public view, which carries
//! no contact, no internal note, and the description and photos only once published and allowed.

use std::fmt::Write as _;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    alerts::map::{self, Projection},
    core::CoreError,
    desk::{
        catalogue,
        publication::{self, ListQuery},
    },
    domain::{desk::Catalogue, desk_report::ReportState, district::District, geo::Point},
    i18n::{Lang, t, tr},
    stats::chart::escape,
    storage::desk_public::PublicReport,
    web::{AppState, context::RequestContext, error::FieldError, page::Chrome},
};

#[derive(Deserialize, Default)]
pub(crate) struct ListParams {
    service: Option<String>,
    district: Option<String>,
    state: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct Row {
    id: i64,
    service: String,
    unit: String,
    district: String,
    place: String,
    state: &'static str,
    filed: String,
    updated: String,
    due_on: String,
    overdue: bool,
    note: String,
}

/// One choice of a filter's list (here and on the officials' worklist).
#[derive(Serialize)]
pub(crate) struct Opt {
    value: String,
    label: String,
    selected: bool,
}

impl Opt {
    pub(crate) fn new(value: impl Into<String>, label: String, selected: bool) -> Self {
        Opt { value: value.into(), label, selected }
    }
}

#[derive(Serialize)]
struct ListView {
    #[serde(flatten)]
    chrome: Chrome,
    rows: Vec<Row>,
    services: Vec<Opt>,
    districts: Vec<Opt>,
    states: Vec<Opt>,
    errors: Vec<FieldError>,
    total: i64,
    page: i64,
    pages: i64,
    past_end: bool,
    prev: Option<String>,
    next: Option<String>,
    paged: bool,
    map: Option<String>,
}

pub(crate) fn district_label(districts: &[District], n: Option<i64>) -> String {
    match n {
        Some(n) => districts.iter().find(|d| d.number == n).map(District::label).unwrap_or(n.to_string()),
        None => String::new(),
    }
}

/// The place as given: the address when there is one, and the coordinates.
pub(crate) fn place(r: &PublicReport) -> String {
    match &r.address {
        Some(a) => format!("{a} ({:.5}, {:.5})", r.lat, r.lon),
        None => format!("{:.5}, {:.5}", r.lat, r.lon),
    }
}

pub(crate) fn overdue(state: &AppState, r: &PublicReport) -> bool {
    r.state.is_open() && state.config.local_time(chrono::Utc::now()).date_naive() > r.due_on
}

pub(crate) fn row(state: &AppState, c: &Catalogue, districts: &[District], r: &PublicReport, lang: Lang) -> Row {
    let l = lang.code();
    Row {
        id: r.id,
        service: c.service(&r.service_code).map(|s| s.name.get(l).to_string()).unwrap_or(r.service_code.clone()),
        unit: c.unit(&r.unit).map(|u| u.name.get(l).to_string()).unwrap_or(r.unit.clone()),
        district: district_label(districts, r.district),
        place: place(r),
        state: r.state.as_str(),
        filed: state.config.local_minutes(r.created_at),
        updated: state.config.local_minutes(r.updated_at),
        due_on: r.due_on.to_string(),
        overdue: overdue(state, r),
        note: r.history.iter().rev().map(|e| e.public_note.as_str()).find(|n| !n.is_empty()).unwrap_or("").to_string(),
    }
}

/// The district map with a mark per report (each named by its `<title>`); the list beside it is the equivalent.
fn reports_map(state: &AppState, lang: Lang, districts: &[District], rows: &[(Point, String)]) -> Option<String> {
    let boundaries = state.config.boundaries.as_ref()?;
    let name = |n: i64| district_label(districts, Some(n));
    let title = t(lang, "desk-public-map-title");
    let desc = tr(lang, "desk-public-map-desc", &[("count", (rows.len() as u64).into())]);
    let words = map::Words { title: &title, desc: &desc, district_name: &name };
    let svg = map::render(&boundaries.0, &map::Area::default(), &words, "reports-map", false);
    let proj = Projection::fit(&boundaries.0);
    let mut marks = String::from(r##"<g class="report-marks" fill="#b10e1e" stroke="#ffffff" stroke-width="1.5">"##);
    for (p, label) in rows {
        let (x, y) = proj.xy(p);
        let _ = write!(marks, r#"<circle cx="{x:.1}" cy="{y:.1}" r="6"><title>{}</title></circle>"#, escape(label));
    }
    marks.push_str("</g></svg>");
    Some(svg.strip_suffix("</svg>").map(|s| format!("{s}{marks}")).unwrap_or(svg))
}

fn link(q: &ListParams, page: i64) -> String {
    let mut parts = Vec::new();
    for (k, v) in [("service", &q.service), ("district", &q.district), ("state", &q.state)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()));
        }
    }
    parts.push(format!("page={page}"));
    format!("/reports?{}", parts.join("&"))
}

pub(crate) async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<ListParams>,
) -> Result<Response, crate::web::error::AppError> {
    let c = catalogue::load(&state.core).await?;
    let districts = state.store.list_districts().await?;
    let l = ctx.lang.code();
    let query = ListQuery {
        service: q.service.clone(),
        district: q.district.clone(),
        state: q.state.clone(),
        page: q.page.clone(),
    };
    let (result, errors, status) = match publication::list(&state.core, &query).await {
        Ok(p) => (Some(p), Vec::new(), StatusCode::OK),
        Err(CoreError::Invalid(errors)) => (None, errors, StatusCode::BAD_REQUEST),
        Err(e) => return Err(e.into()),
    };
    let chosen = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let services = c
        .services
        .iter()
        .map(|s| Opt {
            value: s.code.clone(),
            label: s.name.get(l).to_string(),
            selected: chosen(&q.service) == s.code,
        })
        .collect();
    let districts_opts = districts
        .iter()
        .map(|d| Opt {
            value: d.number.to_string(),
            label: d.label(),
            selected: chosen(&q.district) == d.number.to_string(),
        })
        .collect();
    let states = ReportState::ALL
        .into_iter()
        .map(|s| Opt {
            value: s.as_str().to_string(),
            label: t(ctx.lang, &format!("desk-state-{}", s.as_str())),
            selected: chosen(&q.state) == s.as_str(),
        })
        .collect();
    let (rows, total, page, pages, map) = match &result {
        Some(p) => {
            let rows: Vec<Row> = p.reports.iter().map(|r| row(&state, &c, &districts, r, ctx.lang)).collect();
            let marks: Vec<(Point, String)> = p
                .reports
                .iter()
                .zip(&rows)
                .map(|(r, row)| {
                    let label = tr(
                        ctx.lang,
                        "desk-public-mark",
                        &[
                            ("id", r.id.into()),
                            ("service", row.service.clone().into()),
                            ("state", t(ctx.lang, &format!("desk-state-{}", row.state)).into()),
                        ],
                    );
                    (Point::new(r.lat, r.lon), label)
                })
                .collect();
            let map = if rows.is_empty() { None } else { reports_map(&state, ctx.lang, &districts, &marks) };
            (rows, p.total, p.page, p.pages, map)
        }
        None => (Vec::new(), 0, 1, 1, None),
    };
    let prev = (page > 1 && page <= pages).then(|| link(&q, page - 1));
    let next = (page < pages).then(|| link(&q, page + 1));
    let view = ListView {
        paged: prev.is_some() || next.is_some(),
        chrome: Chrome::new(&ctx, "desk-public-title"),
        past_end: result.is_some() && rows.is_empty() && total > 0,
        rows,
        services,
        districts: districts_opts,
        states,
        errors,
        total,
        page,
        pages,
        prev,
        next,
        map,
    };
    Ok((status, state.templates.page("pages/desk/public-list", &view)?).into_response())
}

#[derive(Serialize)]
struct EventView {
    at: String,
    state: &'static str,
    unit: String,
    public_note: String,
}

#[derive(Serialize)]
struct ShowView {
    #[serde(flatten)]
    chrome: Chrome,
    #[serde(flatten)]
    row: Row,
    description: Option<String>,
    photos: Vec<i64>,
    history: Vec<EventView>,
    map: Option<String>,
    /// "Handled together with report no. N", linked.
    merged_into: Option<i64>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, crate::web::error::AppError> {
    let id: i64 = id.parse().map_err(|_| crate::web::error::AppError::NotFound)?;
    let r = publication::public_report(&state.core, id).await?;
    let c = catalogue::load(&state.core).await?;
    let districts = state.store.list_districts().await?;
    let l = ctx.lang.code();
    let row = row(&state, &c, &districts, &r, ctx.lang);
    let mark = tr(
        ctx.lang,
        "desk-public-mark",
        &[
            ("id", r.id.into()),
            ("service", row.service.clone().into()),
            ("state", t(ctx.lang, &format!("desk-state-{}", row.state)).into()),
        ],
    );
    let view = ShowView {
        chrome: Chrome::new(&ctx, "desk-public-report-title"),
        map: reports_map(&state, ctx.lang, &districts, &[(Point::new(r.lat, r.lon), mark)]),
        row,
        merged_into: r.merged_into,
        description: r.description.clone(),
        photos: r.photos.clone(),
        history: r
            .history
            .iter()
            .map(|e| EventView {
                at: state.config.local_minutes(e.at),
                state: e.state.as_str(),
                unit: c.unit(&e.unit).map(|u| u.name.get(l).to_string()).unwrap_or(e.unit.clone()),
                public_note: e.public_note.clone(),
            })
            .collect(),
    };
    Ok(state.templates.page("pages/desk/public-show", &view)?.into_response())
}
