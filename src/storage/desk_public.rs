//! The desk's public side in SQL both backends understand: which parts of a report a dispatcher published, the
//! district a report lies in, the public list (filtered, paginated), and the rows the statistics and the open data
//! are computed from.
//!
//! Personal data never leaves these queries: the public rows carry no contact, no internal note, and the description
//! only when it is published *and* the reporter allowed it (`CASE WHEN published AND public …` in SQL), so no caller
//! can forget the rule.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreResult;
use crate::domain::desk_report::ReportState;

/// What the public list is filtered by (all optional).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublicFilter {
    pub service: Option<String>,
    pub district: Option<i64>,
    pub state: Option<ReportState>,
}

/// A public entry of a report's history.
#[derive(Clone, Debug)]
pub struct PublicEvent {
    pub at: DateTime<Utc>,
    pub state: ReportState,
    pub unit: String,
    pub public_note: String,
}

/// A report as anyone may see it.
#[derive(Clone, Debug)]
pub struct PublicReport {
    pub id: i64,
    pub service_code: String,
    pub unit: String,
    pub state: ReportState,
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub district: Option<i64>,
    pub due_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The report this one is handled together with (state `merged`).
    pub merged_into: Option<i64>,
    /// Only when published and allowed by the reporter.
    pub description: Option<String>,
    /// The numbers of the photos published (and allowed), ascending.
    pub photos: Vec<i64>,
    /// Oldest first; public notes only.
    pub history: Vec<PublicEvent>,
}

/// The facts the statistics are computed from, one per report.
#[derive(Clone, Debug)]
pub struct StatRow {
    pub service_code: String,
    pub unit: String,
    pub state: ReportState,
    pub created_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    /// The last time it became `resolved`.
    pub resolved_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait DeskPublicStore: Send + Sync {
    /// Sets whether the description is published and which photos are (every other photo is withdrawn).
    async fn set_report_publication(&self, id: i64, description: bool, photos: &[i64]) -> StoreResult<()>;
    /// The numbers of a report's published photos (whether or not the reporter allowed publication).
    async fn published_photos(&self, id: i64) -> StoreResult<Vec<i64>>;
    /// One page of the public list, newest first, and how many match in all.
    async fn public_reports(
        &self,
        filter: &PublicFilter,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<PublicReport>, i64)>;
    async fn public_report(&self, id: i64) -> StoreResult<Option<PublicReport>>;
    async fn stat_rows(&self) -> StoreResult<Vec<StatRow>>;
}

pub(crate) const PUBLIC_SELECT: &str = "SELECT id, service_code, unit, state, lat, lon, address, district, due_on, \
     created_at, updated_at, merged_into, CASE WHEN published AND public THEN description ELSE NULL END AS description \
     FROM desk_reports";

#[derive(sqlx::FromRow)]
pub(crate) struct PublicRow {
    id: i64,
    service_code: String,
    unit: String,
    state: String,
    lat: f64,
    lon: f64,
    address: Option<String>,
    district: Option<i64>,
    due_on: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    merged_into: Option<i64>,
    description: Option<String>,
}

impl PublicRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }
}

fn state(s: &str, id: i64) -> StoreResult<ReportState> {
    s.parse().map_err(|_| anyhow::anyhow!("stored state of report {id} is invalid").into())
}

fn day(s: &str, id: i64) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("stored due date of report {id} is invalid").into())
}

/// `WHERE …` for a filter, its parameters numbered from `$first`; the values to bind in order.
pub(crate) fn where_clause(f: &PublicFilter, first: usize) -> (String, Vec<FilterValue>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(s) = &f.service {
        clauses.push(format!("service_code = ${}", first + values.len()));
        values.push(FilterValue::Text(s.clone()));
    }
    if let Some(d) = f.district {
        clauses.push(format!("district = ${}", first + values.len()));
        values.push(FilterValue::Int(d));
    }
    if let Some(s) = f.state {
        clauses.push(format!("state = ${}", first + values.len()));
        values.push(FilterValue::Text(s.as_str().to_string()));
    }
    let sql = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    (sql, values)
}

pub(crate) enum FilterValue {
    Text(String),
    Int(i64),
}

/// Binds a filter's values, in order, to each of the queries named (a page's rows and its count).
macro_rules! bind_filter_values {
    ($values:expr, $($query:ident),+) => {
        for v in &$values {
            match v {
                $crate::storage::desk_public::FilterValue::Text(s) => {
                    $($query = $query.bind(s.clone());)+
                }
                $crate::storage::desk_public::FilterValue::Int(n) => {
                    $($query = $query.bind(*n);)+
                }
            }
        }
    };
}
pub(crate) use bind_filter_values;

/// `(report_id, n)` of published photos; `(report_id, at, to_state, unit, public_note)` of events.
pub(crate) type EventRow = (i64, DateTime<Utc>, String, String, String);

pub(crate) fn assemble(
    rows: Vec<PublicRow>,
    photos: Vec<(i64, i64)>,
    events: Vec<EventRow>,
) -> StoreResult<Vec<PublicReport>> {
    // Grouped by report once (a list of every report must not cost reports × events).
    let mut photos_of: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (report, n) in photos {
        photos_of.entry(report).or_default().push(n);
    }
    let mut events_of: std::collections::HashMap<i64, Vec<EventRow>> = std::collections::HashMap::new();
    for e in events {
        events_of.entry(e.0).or_default().push(e);
    }
    rows.into_iter()
        .map(|r| {
            let history = events_of
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| Ok(PublicEvent { at: e.1, state: state(&e.2, r.id)?, unit: e.3, public_note: e.4 }))
                .collect::<StoreResult<Vec<_>>>()?;
            Ok(PublicReport {
                state: state(&r.state, r.id)?,
                due_on: day(&r.due_on, r.id)?,
                photos: photos_of.remove(&r.id).unwrap_or_default(),
                history,
                id: r.id,
                service_code: r.service_code,
                unit: r.unit,
                lat: r.lat,
                lon: r.lon,
                address: r.address,
                district: r.district,
                created_at: r.created_at,
                updated_at: r.updated_at,
                merged_into: r.merged_into,
                description: r.description,
            })
        })
        .collect()
}

/// `(service_code, unit, state, created_at, due_on, resolved_at)`.
pub(crate) type StatTuple = (String, String, String, DateTime<Utc>, String, Option<DateTime<Utc>>);

pub(crate) fn stat_rows(rows: Vec<StatTuple>) -> StoreResult<Vec<StatRow>> {
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(StatRow {
                state: state(&r.2, i as i64)?,
                due_on: day(&r.4, i as i64)?,
                service_code: r.0,
                unit: r.1,
                created_at: r.3,
                resolved_at: r.5,
            })
        })
        .collect()
}

mod sql;
pub(crate) use sql::impl_desk_public_store;
