//! Reports as Open311 GeoReport v2 lists them: the filters of `GET requests` checked (ids, services, dates in the
//! W3C profile of ISO 8601, `open`/`closed`), the default window (the last 90 days), at most 1000 answers, and what
//! of a report is public — the description and photos only once published ([`published`], the one place that
//! decides it). Filing through Open311 is [`super::report::file`], like every other way of filing.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::desk_report::ReportState,
    storage::open311::{RequestFilter, RequestRow},
};

/// Requests answered at most (GeoReport v2 lets a server cap them at 1000).
pub const MAX_RESULTS: i64 = 1000;
/// The window asked for without dates, and the longest one a query may span.
pub const WINDOW_DAYS: i64 = 90;

/// `GET requests` as sent, every parameter raw (Open311's names).
#[derive(Clone, Debug, Default)]
pub struct RequestsInput {
    /// Comma-separated report ids; when given, the other filters are ignored (as the specification says).
    pub service_request_id: Option<String>,
    /// Comma-separated service codes.
    pub service_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// `open`, `closed` or both, comma-separated.
    pub status: Option<String>,
}

/// A report as Open311 shows it; only public parts.
#[derive(Clone, Debug)]
pub struct Request {
    pub id: i64,
    pub token: String,
    pub service_code: String,
    pub unit: String,
    pub state: ReportState,
    /// The latest public note.
    pub status_notes: Option<String>,
    /// Only once published.
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub requested: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// The end of the due day, in the city's time zone.
    pub expected: Option<DateTime<FixedOffset>>,
    /// The report has a photo that may be shown (its first).
    pub has_public_photo: bool,
}

impl Request {
    /// Open311's `status`: `open` until resolved or rejected.
    pub fn open(&self) -> bool {
        self.state.is_open()
    }
}

/// Whether a report's description and photos may be shown to anyone: the reporter allowed it and it was approved
/// for publication. The one place that decides it (publication itself is the moderation's part of the desk).
pub fn published(public: bool, approved: bool) -> bool {
    public && approved
}

fn to_request(core: &Core, r: RequestRow) -> CoreResult<Request> {
    let state: ReportState = r
        .state
        .parse()
        .map_err(|_| CoreError::Internal(anyhow::anyhow!("stored state of report {} is invalid", r.id)))?;
    let shown = published(r.public, r.published);
    let tz = core.config.time_zone();
    let expected = NaiveDate::parse_from_str(&r.due_on, "%Y-%m-%d")
        .ok()
        .and_then(|d| tz.from_local_datetime(&d.and_time(NaiveTime::from_hms_opt(23, 59, 59)?)).earliest())
        .map(|t| t.fixed_offset());
    Ok(Request {
        id: r.id,
        token: r.token,
        service_code: r.service_code,
        unit: r.unit,
        state,
        status_notes: r.status_notes,
        description: shown.then_some(r.description),
        lat: r.lat,
        lon: r.lon,
        address: r.address,
        requested: r.created_at,
        updated: r.updated_at,
        expected,
        has_public_photo: shown && r.photos > 0,
    })
}

/// A W3C date-time (`1994-11-05T13:15:30Z`, `…-05:00`, without seconds too) or a bare date (`1994-11-05`: the
/// start of that day in the city's time zone, or its end for `end_date`).
fn parse_date(core: &Core, raw: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    parse_any_date(core, raw, end_of_day).filter(|t| (1900..=9999).contains(&chrono::Datelike::year(t)))
}

fn parse_any_date(core: &Core, raw: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%MZ"] {
        if let Ok(t) = DateTime::parse_from_str(&raw.replace('Z', "+00:00"), format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let time = if end_of_day { NaiveTime::from_hms_milli_opt(23, 59, 59, 999)? } else { NaiveTime::MIN };
    core.config.time_zone().from_local_datetime(&day.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
}

fn list(raw: &Option<String>) -> Vec<String> {
    raw.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Checks the filters into a query (each problem named by its parameter).
pub fn filter(core: &Core, input: &RequestsInput, now: DateTime<Utc>) -> CoreResult<RequestFilter> {
    let mut issues = Vec::new();
    let ids_raw = list(&input.service_request_id);
    let ids: Vec<i64> = ids_raw.iter().filter_map(|s| s.parse().ok()).collect();
    if ids.len() != ids_raw.len() {
        issues.push(FieldIssue::new("service_request_id", "open311-error-id"));
    } else if ids.len() as i64 > MAX_RESULTS {
        issues.push(FieldIssue::new("service_request_id", "open311-error-too-many-ids").with("max", MAX_RESULTS));
    }
    let mut date = |name: &str, raw: &Option<String>, end: bool| match raw.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => {
            let t = parse_date(core, v, end);
            if t.is_none() {
                issues.push(FieldIssue::new(name, "open311-error-date"));
            }
            t
        }
    };
    let start = date("start_date", &input.start_date, false);
    let end = date("end_date", &input.end_date, true);
    let window = Duration::days(WINDOW_DAYS);
    // Dates far in the past or future (chrono reads years of more than four digits) must not overflow: refused.
    let mut shifted = |name: &str, t: Option<DateTime<Utc>>| {
        if t.is_none() {
            issues.push(FieldIssue::new(name, "open311-error-date"));
        }
        t
    };
    let (start, end) = match (start, end) {
        (None, None) => (now - window, None),
        (Some(s), None) => (s, Some(shifted("start_date", s.checked_add_signed(window)).unwrap_or(s))),
        (None, Some(e)) => (shifted("end_date", e.checked_sub_signed(window)).unwrap_or(e), Some(e)),
        (Some(s), Some(e)) => {
            if e < s {
                issues.push(FieldIssue::new("end_date", "open311-error-date-order"));
            } else if e - s > window {
                issues.push(FieldIssue::new("end_date", "open311-error-date-span").with("days", WINDOW_DAYS));
            }
            (s, Some(e))
        }
    };
    let mut states = Vec::new();
    let statuses = list(&input.status);
    let (mut open, mut closed) = (false, false);
    for s in &statuses {
        match s.to_lowercase().as_str() {
            "open" => open = true,
            "closed" => closed = true,
            _ => {
                issues.push(FieldIssue::new("status", "open311-error-status"));
                break;
            }
        }
    }
    if open != closed {
        states = ReportState::ALL.iter().filter(|s| s.is_open() == open).map(|s| s.as_str().to_string()).collect();
    }
    if !issues.is_empty() {
        return Err(CoreError::Invalid(issues));
    }
    Ok(RequestFilter {
        ids,
        service_codes: list(&input.service_code),
        states,
        start: Some(start),
        end,
        limit: MAX_RESULTS,
    })
}

/// `GET requests`: the reports matching the filters, newest first, at most [`MAX_RESULTS`].
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn requests(core: &Core, input: &RequestsInput) -> CoreResult<Vec<Request>> {
    let f = filter(core, input, Utc::now())?;
    core.store.open311_requests(&f).await?.into_iter().map(|r| to_request(core, r)).collect()
}

/// `GET requests/{id}`: one report.
pub async fn request(core: &Core, id: i64) -> CoreResult<Request> {
    let f = RequestFilter { ids: vec![id], limit: 1, ..Default::default() };
    let row = core.store.open311_requests(&f).await?.into_iter().next().ok_or(CoreError::NotFound)?;
    to_request(core, row)
}

/// `GET tokens/{token}`: the report's id for its token.
pub async fn by_token(core: &Core, token: &str) -> CoreResult<i64> {
    core.store.report_id_by_token(token.trim()).await?.ok_or(CoreError::NotFound)
}
