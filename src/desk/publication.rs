//! The desk's public side: a dispatcher publishes (or withholds) a report's description and each of its photos —
//! only possible when the reporter allowed it, and audited — and anyone reads the public list and a report's public
//! view, which never carry the reporter's contact, an internal note, or anything unpublished.

use chrono::Utc;

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{
        Official, Role,
        audit::{AuditAction, NewAuditEntry},
        desk_report::ReportState,
        geo::Point,
    },
    storage::desk_public::{PublicFilter, PublicReport},
};

/// Reports on a page of the public list.
pub const PAGE_SIZE: i64 = 20;

/// What a dispatcher decided: publish the description or not, and which photos (by number).
#[derive(Clone, Debug, Default)]
pub struct PublicationInput {
    pub description: bool,
    pub photos: Vec<i64>,
}

/// What is published of a report now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// The reporter allowed publication.
    pub allowed: bool,
    pub description: bool,
    pub photos: Vec<i64>,
}

pub async fn publication(core: &Core, id: i64) -> CoreResult<Publication> {
    let r = core.store.report(id).await?.ok_or(CoreError::NotFound)?;
    Ok(Publication { allowed: r.public, description: r.published, photos: core.store.published_photos(id).await? })
}

/// Publishes or withholds a report's description and photos (the dispatcher only). Publishing anything of a
/// report whose reporter did not allow it is refused (409); a photo number the report does not have is a field
/// to fix (422). Recorded in the audit log with what was decided.
#[tracing::instrument(skip_all, fields(report_id = id, official_id = official.id), err(level = "info"))]
pub async fn moderate(core: &Core, official: &Official, id: i64, input: &PublicationInput) -> CoreResult<Publication> {
    if !official.has(Role::Dispatcher) {
        return Err(CoreError::forbidden("desk-public-refused-not-dispatcher"));
    }
    let r = core.store.report(id).await?.ok_or(CoreError::NotFound)?;
    let mut photos = input.photos.clone();
    photos.sort_unstable();
    photos.dedup();
    if photos.iter().any(|n| *n < 1 || *n > r.photos) {
        return Err(CoreError::Invalid(vec![FieldIssue::new("photos", "desk-public-error-photo-unknown")]));
    }
    if !r.public && (input.description || !photos.is_empty()) {
        return Err(CoreError::conflict("desk-public-refused-not-allowed"));
    }
    core.store.set_report_publication(id, input.description, &photos).await?;
    super::open_data::changed(core);
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::DeskPublication)
        .subject(format!("report:{id}"))
        .detail(serde_json::json!({"description": input.description, "photos": photos}));
    core.store.append_audit(&entry, Utc::now()).await?;
    tracing::info!(report_id = id, description = input.description, photos = photos.len(), "publication decided");
    publication(core, id).await
}

/// The district a point lies in, when district boundaries are configured.
pub fn district_of(core: &Core, lat: f64, lon: f64) -> Option<i64> {
    let boundaries = core.config.boundaries.as_ref()?;
    let p = Point::new(lat, lon);
    boundaries.0.districts().iter().find(|(_, shapes)| shapes.iter().any(|s| s.contains(&p))).map(|(n, _)| *n)
}

/// The public list's query as typed (a GET form): each part optional, empty meaning "any".
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub service: Option<String>,
    pub district: Option<String>,
    pub state: Option<String>,
    pub page: Option<String>,
}

/// One page of the public list.
#[derive(Clone, Debug)]
pub struct ListPage {
    pub filter: PublicFilter,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub reports: Vec<PublicReport>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks the query (an unknown service, district or state, or a page that is not a positive number, is a field
/// to fix) and reads that page. A page past the last answers an empty list (the caller says so).
pub async fn list(core: &Core, q: &ListQuery) -> CoreResult<ListPage> {
    let mut issues = Vec::new();
    let catalogue = core.store.catalogue().await?;
    let service = given(&q.service).map(str::to_string);
    if service.as_deref().is_some_and(|s| catalogue.service(s).is_none()) {
        issues.push(FieldIssue::new("service", "desk-public-error-service"));
    }
    let district = match given(&q.district) {
        None => None,
        Some(d) => {
            let known = core.store.list_districts().await?;
            match d.parse::<i64>().ok().filter(|n| known.iter().any(|k| k.number == *n)) {
                Some(n) => Some(n),
                None => {
                    issues.push(FieldIssue::new("district", "desk-public-error-district"));
                    None
                }
            }
        }
    };
    let state = match given(&q.state) {
        None => None,
        Some(s) => match s.parse::<ReportState>() {
            Ok(s) => Some(s),
            Err(_) => {
                issues.push(FieldIssue::new("state", "desk-public-error-state"));
                None
            }
        },
    };
    let page = match given(&q.page) {
        None => 1,
        Some(p) => match p.parse::<i64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => n,
            _ => {
                issues.push(FieldIssue::new("page", "desk-public-error-page"));
                1
            }
        },
    };
    if !issues.is_empty() {
        return Err(CoreError::Invalid(issues));
    }
    let filter = PublicFilter { service, district, state };
    let (reports, total) = core.store.public_reports(&filter, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(ListPage { filter, page, pages, total, reports })
}

/// A report as anyone may see it.
pub async fn public_report(core: &Core, id: i64) -> CoreResult<PublicReport> {
    core.store.public_report(id).await?.ok_or(CoreError::NotFound)
}

/// Whether anyone may be served photo `n` of a report: published, and the reporter allowed publication.
pub async fn photo_public(core: &Core, id: i64, n: i64) -> CoreResult<bool> {
    Ok(public_report(core, id).await?.photos.contains(&n))
}
