//! The desk's statistics, public: `/reports/stats` (SVG bar charts with their data tables, by unit and by service)
//! and its JSON twin `/api/v1/reports/stats`.

use axum::{
    Json,
    extract::State,
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{
    desk::{
        catalogue,
        stats::{self, Figures},
    },
    domain::desk::Catalogue,
    i18n::{Lang, t, tr},
    stats::chart::{Bar, bar_chart},
    web::{AppState, context::RequestContext, error::AppError, page::Chrome},
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupJson {
    /// The unit's or the service's code.
    pub code: String,
    /// Its name in the caller's language.
    pub name: String,
    pub received: i64,
    pub resolved: i64,
    /// Median days from filing to resolution, to one decimal; null when nothing was resolved.
    pub median_days: Option<f64>,
    /// Share (0–1) of resolved reports resolved by their due day; null when nothing was resolved.
    pub on_time: Option<f64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatsJson {
    pub units: Vec<GroupJson>,
    pub services: Vec<GroupJson>,
}

fn groups(figures: &[Figures], name: &dyn Fn(&str) -> String) -> Vec<GroupJson> {
    figures
        .iter()
        .map(|f| GroupJson {
            code: f.code.clone(),
            name: name(&f.code),
            received: f.received,
            resolved: f.resolved,
            median_days: f.median_days,
            on_time: f.on_time,
        })
        .collect()
}

fn named(c: &Catalogue, s: &stats::Stats, lang: Lang) -> StatsJson {
    let l = lang.code();
    StatsJson {
        units: groups(&s.units, &|code| c.unit(code).map(|u| u.name.get(l).to_string()).unwrap_or(code.into())),
        services: groups(&s.services, &|code| {
            c.service(code).map(|x| x.name.get(l).to_string()).unwrap_or(code.into())
        }),
    }
}

/// Reports received and resolved, median days to resolve and the share resolved on time, by unit and by service.
#[utoipa::path(get, path = "/api/v1/reports/stats", tag = "desk",
    responses((status = 200, description = "The statistics, names in the caller's language", body = StatsJson))
)]
pub(crate) async fn stats_json(
    State(state): State<AppState>,
    ctx: RequestContext,
) -> Result<Json<StatsJson>, AppError> {
    let c = catalogue::load(&state.core).await?;
    let s = stats::stats(&state.core).await?;
    Ok(Json(named(&c, &s, ctx.lang)))
}

#[derive(Serialize)]
struct TableRow {
    name: String,
    received: i64,
    resolved: i64,
    median: String,
    on_time: String,
}

#[derive(Serialize)]
struct Section {
    id: &'static str,
    heading_key: &'static str,
    charts: Vec<String>,
    rows: Vec<TableRow>,
}

#[derive(Serialize)]
struct StatsPage {
    #[serde(flatten)]
    chrome: Chrome,
    sections: Vec<Section>,
    empty: bool,
}

fn days(lang: Lang, d: Option<f64>) -> String {
    match d {
        Some(d) => tr(lang, "desk-stats-days", &[("days", format!("{d:.1}").into())]),
        None => "—".into(),
    }
}

fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{:.0} %", p * 100.0)).unwrap_or_else(|| "—".into())
}

fn section(lang: Lang, id: &'static str, heading_key: &'static str, g: &[GroupJson]) -> Section {
    let chart = |suffix: &str, title_key: &str, bars: Vec<Bar>| {
        bar_chart(&format!("{id}-{suffix}"), &tr(lang, title_key, &[("group", t(lang, heading_key).into())]), &bars)
    };
    let bar =
        |label: &str, value: f64, display: String| Bar { label: label.to_string(), value, display, suppressed: false };
    let charts = vec![
        chart(
            "received",
            "desk-stats-chart-received",
            g.iter().map(|x| bar(&x.name, x.received as f64, x.received.to_string())).collect(),
        ),
        chart(
            "resolved",
            "desk-stats-chart-resolved",
            g.iter().map(|x| bar(&x.name, x.resolved as f64, x.resolved.to_string())).collect(),
        ),
        chart(
            "median",
            "desk-stats-chart-median",
            g.iter().map(|x| bar(&x.name, x.median_days.unwrap_or(0.0), days(lang, x.median_days))).collect(),
        ),
        chart(
            "ontime",
            "desk-stats-chart-ontime",
            g.iter().map(|x| bar(&x.name, x.on_time.unwrap_or(0.0) * 100.0, percent(x.on_time))).collect(),
        ),
    ];
    let rows = g
        .iter()
        .map(|x| TableRow {
            name: x.name.clone(),
            received: x.received,
            resolved: x.resolved,
            median: days(lang, x.median_days),
            on_time: percent(x.on_time),
        })
        .collect();
    Section { id, heading_key, charts, rows }
}

pub(crate) async fn stats_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let c = catalogue::load(&state.core).await?;
    let s = named(&c, &stats::stats(&state.core).await?, ctx.lang);
    let page = StatsPage {
        chrome: Chrome::new(&ctx, "desk-stats-title"),
        empty: s.units.is_empty(),
        sections: vec![
            section(ctx.lang, "by-unit", "desk-stats-by-unit", &s.units),
            section(ctx.lang, "by-service", "desk-stats-by-service", &s.services),
        ],
    };
    Ok(state.templates.page("pages/desk/public-stats", &page)?.into_response())
}
