//! The officials' worklist: the reports an official may handle (the dispatcher every report, unit staff their
//! units'), filtered by state ("open" = not closed), service, unit, district and "overdue only", sorted newest,
//! oldest or by due day, [`PAGE_SIZE`] to a page. Each choice is checked here and a wrong one named by its field.

use chrono::Utc;

use super::handling::{Reach, reach};
use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{Official, desk_report::ReportState},
    storage::{
        desk::ReportRecord,
        desk_worklist::{StateFilter, WorkFilter, WorkSort},
    },
};

/// Reports on a page of the worklist.
pub const PAGE_SIZE: i64 = 50;

/// The worklist's query as typed (a GET form): each part optional, empty meaning "any".
#[derive(Clone, Debug, Default)]
pub struct WorklistQuery {
    pub state: Option<String>,
    pub service: Option<String>,
    pub unit: Option<String>,
    pub district: Option<String>,
    pub overdue: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// One page of the worklist.
#[derive(Clone, Debug)]
pub struct WorklistPage {
    pub reach: Reach,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub reports: Vec<ReportRecord>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Reads a choice with `parse`; a value it refuses is the field's problem (`key`).
fn choice<T>(
    v: &Option<String>,
    field: &str,
    key: &str,
    issues: &mut Vec<FieldIssue>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    let v = given(v)?;
    let parsed = parse(v);
    if parsed.is_none() {
        issues.push(FieldIssue::new(field, key));
    }
    parsed
}

/// Checks the query (an unknown state, service, district or order, a unit the official may not see, or a page that
/// is not a positive number is a field to fix) and reads that page. A page past the last is an empty list.
#[tracing::instrument(skip_all, fields(official_id = official.id), err(level = "info"))]
pub async fn worklist(core: &Core, official: &Official, q: &WorklistQuery) -> CoreResult<WorklistPage> {
    let reach = reach(core, official).await?;
    let catalogue = core.store.catalogue().await?;
    let districts = core.store.list_districts().await?;
    let mut issues = Vec::new();
    let state = choice(&q.state, "state", "desk-public-error-state", &mut issues, |s| match s {
        "open" => Some(StateFilter::Open),
        s => s.parse::<ReportState>().ok().map(StateFilter::Is),
    });
    let service = choice(&q.service, "service", "desk-public-error-service", &mut issues, |s| {
        catalogue.service(s).map(|_| s.to_string())
    });
    let unit = choice(&q.unit, "unit", "desk-worklist-error-unit", &mut issues, |u| {
        (catalogue.unit(u).is_some() && reach.covers(u)).then(|| u.to_string())
    });
    let district = choice(&q.district, "district", "desk-public-error-district", &mut issues, |d| {
        d.parse::<i64>().ok().filter(|n| districts.iter().any(|k| k.number == *n))
    });
    let overdue = choice(&q.overdue, "overdue", "desk-worklist-error-overdue", &mut issues, |o| {
        matches!(o, "1" | "on" | "true").then_some(true)
    });
    let sort = choice(&q.sort, "sort", "desk-worklist-error-sort", &mut issues, |s| match s {
        "newest" => Some(WorkSort::Newest),
        "oldest" => Some(WorkSort::Oldest),
        "due" => Some(WorkSort::Due),
        _ => None,
    });
    let page = choice(&q.page, "page", "desk-public-error-page", &mut issues, |p| {
        p.parse::<i64>().ok().filter(|n| (1..=1_000_000).contains(n))
    });
    if !issues.is_empty() {
        return Err(CoreError::Invalid(issues));
    }
    let today = core.config.local_time(Utc::now()).date_naive();
    let filter = WorkFilter {
        reach: match &reach {
            Reach::All => None,
            Reach::Units(units) => Some(units.clone()),
        },
        unit,
        service,
        district,
        state,
        overdue_before: overdue.map(|_| today),
        sort: sort.unwrap_or_default(),
    };
    let page = page.unwrap_or(1);
    let (reports, total) = core.store.worklist(&filter, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(WorklistPage { reach, page, pages, total, reports })
}
