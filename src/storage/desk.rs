//! The intervention desk's tables, in SQL both backends understand: the catalogue (units, services, attributes),
//! reports with their answers, photos and history, and which officials work for which unit.
//!
//! Filing is one transaction that first looks for the same report sent within the last minutes (its fingerprint),
//! so a double submit returns the first report instead of a second row. A state change is one conditional UPDATE
//! (`WHERE state = … AND unit = …` as the caller read them): two officials acting at once cannot both move it.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::{
    desk::{Catalogue, Texts},
    desk_report::ReportState,
};

/// A photo as stored: a JPEG without metadata.
#[derive(Clone, Debug)]
pub struct StoredPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// A report to file (checked by the use case).
#[derive(Clone, Debug)]
pub struct NewReport {
    pub service_code: String,
    pub unit: String,
    pub description: String,
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub public: bool,
    pub lang: &'static str,
    /// `("email" | "phone", value)`.
    pub contact: Option<(&'static str, String)>,
    /// The consent to hear back: `(channel, notice version, method)`, recorded in the ledger with the report.
    pub consent: Option<(&'static str, i64, &'static str)>,
    pub token: String,
    pub fingerprint: String,
    pub due_on: NaiveDate,
    pub attributes: Vec<(String, String)>,
    pub photos: Vec<StoredPhoto>,
    /// The district its point lies in, when district boundaries are configured.
    pub district: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// A report with the same fingerprint filed since then is this one again.
    pub duplicate_since: DateTime<Utc>,
}

/// What filing did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filed {
    pub id: i64,
    pub token: String,
    /// The same report had been filed moments before: this is that one, nothing new was stored.
    pub duplicate: bool,
}

/// One entry of a report's history.
#[derive(Clone, Debug, Serialize)]
pub struct ReportEvent {
    pub at: DateTime<Utc>,
    pub official_id: Option<i64>,
    pub from_state: Option<ReportState>,
    pub to_state: ReportState,
    /// The unit handling the report after this change.
    pub unit: String,
    pub public_note: String,
    pub internal_note: String,
}

/// A report as read back (everything: the use cases decide who sees which part).
#[derive(Clone, Debug)]
pub struct ReportRecord {
    pub id: i64,
    pub service_code: String,
    pub unit: String,
    pub state: ReportState,
    pub description: String,
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub public: bool,
    pub lang: String,
    pub contact_kind: Option<String>,
    pub contact_value: Option<String>,
    pub token: String,
    pub due_on: NaiveDate,
    pub photos: i64,
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The report this one is handled together with (state `merged`).
    pub merged_into: Option<i64>,
    /// The district its point lies in (when boundaries are configured).
    pub district: Option<i64>,
    pub attributes: Vec<(String, String)>,
    pub history: Vec<ReportEvent>,
}

/// A state change to store.
#[derive(Clone, Debug)]
pub struct NewTransition {
    pub official_id: i64,
    pub from: ReportState,
    pub from_unit: String,
    pub to: ReportState,
    pub to_unit: String,
    pub public_note: String,
    pub internal_note: String,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait DeskStore: Send + Sync {
    /// Adds the catalogue's units, services and attributes that are not stored yet (by code); returns how many
    /// services were added. Rows already there, perhaps edited by the city, are left alone.
    async fn seed_catalogue(&self, catalogue: &Catalogue) -> StoreResult<usize>;
    /// The units and every service (retired ones too, `active` false) with its attributes and district routes.
    async fn catalogue(&self) -> StoreResult<Catalogue>;
    /// Files reports in one transaction (group commit, `core::filings`), in order; each one that was filed since its
    /// `duplicate_since` (earlier in the same batch too) is found instead of filed again.
    async fn file_reports(&self, batch: &[NewReport]) -> StoreResult<Vec<Filed>>;
    async fn report(&self, id: i64) -> StoreResult<Option<ReportRecord>>;
    /// Photo `n` (1-based) of a report.
    async fn report_photo(&self, id: i64, n: i64) -> StoreResult<Option<Vec<u8>>>;
    /// Applies a state change if the report is still in `from` at `from_unit`; false when it moved meanwhile.
    async fn transition_report(&self, id: i64, t: &NewTransition) -> StoreResult<bool>;
    /// Reports, newest first; only those of `units` when given.
    async fn list_reports(&self, units: Option<&[String]>, limit: i64) -> StoreResult<Vec<ReportRecord>>;
    /// The units an official works for.
    async fn staff_units(&self, official_id: i64) -> StoreResult<Vec<String>>;
    async fn set_staff_units(&self, official_id: i64, units: &[String]) -> StoreResult<()>;
}

pub(crate) const REPORT_SELECT: &str = "SELECT id, service_code, unit, state, description, lat, lon, address, public, \
     lang, contact_kind, contact_value, token, due_on, photos, published, created_at, updated_at, merged_into, \
     district FROM desk_reports";

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    id: i64,
    service_code: String,
    unit: String,
    state: String,
    description: String,
    lat: f64,
    lon: f64,
    address: Option<String>,
    public: bool,
    lang: String,
    contact_kind: Option<String>,
    contact_value: Option<String>,
    token: String,
    due_on: String,
    photos: i64,
    published: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    merged_into: Option<i64>,
    district: Option<i64>,
}

/// `(report_id, at, official_id, from_state, to_state, unit, public_note, internal_note)`.
pub(crate) type EventRow = (i64, DateTime<Utc>, Option<i64>, Option<String>, String, String, String, String);

fn state(s: &str, id: i64) -> StoreResult<ReportState> {
    s.parse().map_err(|_| anyhow::anyhow!("stored state of report {id} is invalid").into())
}

/// Joins report rows with their attributes and history.
pub(crate) fn assemble(
    rows: Vec<ReportRow>,
    attributes: Vec<(i64, String, String)>,
    events: Vec<EventRow>,
) -> StoreResult<Vec<ReportRecord>> {
    rows.into_iter()
        .map(|r| {
            let history = events
                .iter()
                .filter(|e| e.0 == r.id)
                .map(|e| {
                    Ok(ReportEvent {
                        at: e.1,
                        official_id: e.2,
                        from_state: e.3.as_deref().map(|s| state(s, r.id)).transpose()?,
                        to_state: state(&e.4, r.id)?,
                        unit: e.5.clone(),
                        public_note: e.6.clone(),
                        internal_note: e.7.clone(),
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            Ok(ReportRecord {
                state: state(&r.state, r.id)?,
                due_on: NaiveDate::parse_from_str(&r.due_on, "%Y-%m-%d")
                    .map_err(|_| anyhow::anyhow!("stored due date of report {} is invalid", r.id))?,
                attributes: attributes.iter().filter(|a| a.0 == r.id).map(|a| (a.1.clone(), a.2.clone())).collect(),
                history,
                id: r.id,
                service_code: r.service_code,
                unit: r.unit,
                description: r.description,
                lat: r.lat,
                lon: r.lon,
                address: r.address,
                public: r.public,
                lang: r.lang,
                contact_kind: r.contact_kind,
                contact_value: r.contact_value,
                token: r.token,
                photos: r.photos,
                published: r.published,
                created_at: r.created_at,
                updated_at: r.updated_at,
                merged_into: r.merged_into,
                district: r.district,
            })
        })
        .collect()
}

/// `(code, unit, target_days, name×3, hint×3, keywords×3, active)`.
pub(crate) type ServiceRow =
    (String, String, i64, String, String, String, String, String, String, String, String, String, bool);
/// `(service_code, code, kind, required, label×3)`.
pub(crate) type AttributeRow = (String, String, String, bool, String, String, String);

pub(crate) fn catalogue_from(
    units: Vec<(String, String, String, String)>,
    services: Vec<ServiceRow>,
    attributes: Vec<AttributeRow>,
    routes: Vec<(String, i64, String)>,
) -> Catalogue {
    use crate::domain::desk::{Attribute, AttributeKind, DistrictRoute, Service, Unit};
    let t = |pl: String, en: String, uk: String| Texts { pl, en, uk };
    Catalogue {
        units: units.into_iter().map(|(code, pl, en, uk)| Unit { code, name: t(pl, en, uk) }).collect(),
        services: services
            .into_iter()
            .map(|s| Service {
                attributes: attributes
                    .iter()
                    .filter(|a| a.0 == s.0)
                    .filter_map(|a| {
                        Some(Attribute {
                            code: a.1.clone(),
                            kind: AttributeKind::parse(&a.2)?,
                            required: a.3,
                            label: t(a.4.clone(), a.5.clone(), a.6.clone()),
                        })
                    })
                    .collect(),
                routes: routes
                    .iter()
                    .filter(|r| r.0 == s.0)
                    .map(|r| DistrictRoute { district: r.1, unit: r.2.clone() })
                    .collect(),
                active: s.12,
                code: s.0,
                unit: s.1,
                target_days: s.2,
                name: t(s.3, s.4, s.5),
                hint: t(s.6, s.7, s.8),
                keywords: t(s.9, s.10, s.11),
            })
            .collect(),
    }
}

mod sql;
pub(crate) use sql::{file_one, impl_desk_store};
