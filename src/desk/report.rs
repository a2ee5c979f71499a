//! Filing a report: every field checked (each problem named, nothing stored when one is found), photos processed
//! last, the same report sent twice in a row recognised, and the wish to hear back recorded as a `report_updates`
//! consent in the ledger. The contact is then confirmed (`follow.rs`) — at once when a signed-in panel member chose
//! one of their own verified contact points.

use chrono::{Duration, Utc};

use super::photo;
use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{
        Email, PhoneE164,
        desk_report::{self, MAX_ADDRESS_CHARS, MAX_PHOTOS, Problem},
        panel::ContactKind,
        secret_token,
    },
    i18n::Lang,
    storage::desk::{Filed, NewReport, ReportRecord},
};

/// Where a report came from (the ledger's `method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
}

/// A report as sent, every field raw (the API's field names).
#[derive(Clone, Debug, Default)]
pub struct ReportInput {
    pub service_code: Option<String>,
    pub description: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub address: Option<String>,
    pub photos: Vec<Vec<u8>>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub public: Option<String>,
    /// `attribute[code]` → value.
    pub attributes: Vec<(String, String)>,
    /// A signed-in panel member hearing back on one of their own verified contact points: `(resident, contact
    /// point)`. Set by the web page from the resident's session, never from a request's fields.
    pub member: Option<(i64, i64)>,
}

fn issue(p: Problem) -> FieldIssue {
    FieldIssue::new(&p.field, p.key)
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The resident's own verified contact point `point`, as a report contact; none when it is not theirs or not
/// verified.
async fn member_contact(core: &Core, resident: i64, point: i64) -> CoreResult<Option<(&'static str, String)>> {
    Ok(core.store.contact_point(point).await?.filter(|c| c.resident_id == resident && c.verified_at.is_some()).map(
        |c| {
            let kind = if c.kind == ContactKind::Email { "email" } else { "phone" };
            (kind, c.value)
        },
    ))
}

/// Checks and files a report; returns its id and token (the first report's, when this is the same one again).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn file(core: &Core, input: ReportInput, lang: Lang, channel: Channel) -> CoreResult<Filed> {
    let catalogue = super::catalogue::load(core).await?;
    let mut issues = Vec::new();

    let service = match present(&input.service_code) {
        None => {
            issues.push(FieldIssue::new("service_code", "desk-error-service-missing"));
            None
        }
        Some(code) => match catalogue.service(code) {
            Some(s) if s.active => Some(s),
            found => {
                let key = if found.is_some() { "desk-error-service-retired" } else { "desk-error-service-unknown" };
                issues.push(FieldIssue::new("service_code", key));
                None
            }
        },
    };
    let description = desk_report::check_description(input.description.as_deref().unwrap_or(""))
        .map_err(|p| issues.push(issue(p)))
        .ok();
    let place = match desk_report::parse_place(input.lat.as_deref(), input.long.as_deref()) {
        Ok((lat, lon)) if desk_report::in_city(lat, lon, core.config.boundaries.as_deref().map(|b| &b.0)) => {
            Some((lat, lon))
        }
        Ok(_) => {
            issues.push(FieldIssue::new("lat", "desk-error-place-outside"));
            None
        }
        Err(problems) => {
            issues.extend(problems.into_iter().map(issue));
            None
        }
    };
    let address = present(&input.address).map(str::to_string);
    if address.as_ref().is_some_and(|a| a.chars().count() > MAX_ADDRESS_CHARS) {
        issues.push(FieldIssue::new("address", "desk-error-address-long"));
    }
    let contact = match (present(&input.email), present(&input.phone)) {
        (Some(_), Some(_)) => {
            issues.push(FieldIssue::new("email", "desk-error-contact-both"));
            None
        }
        (Some(e), None) => match Email::parse(e) {
            Ok(e) => Some(("email", e.as_str().to_string())),
            Err(_) => {
                issues.push(FieldIssue::new("email", "desk-error-email"));
                None
            }
        },
        (None, Some(p)) => match PhoneE164::parse(p) {
            Ok(p) => Some(("phone", p.as_str().to_string())),
            Err(_) => {
                issues.push(FieldIssue::new("phone", "desk-error-phone"));
                None
            }
        },
        (None, None) => None,
    };
    let (contact, member) = match input.member {
        None => (contact, None),
        Some(_) if contact.is_some() => {
            issues.push(FieldIssue::new("contact", "desk-error-contact-both"));
            (None, None)
        }
        Some((resident, point)) => match member_contact(core, resident, point).await? {
            Some(c) => (Some(c), Some(resident)),
            None => {
                issues.push(FieldIssue::new("contact", "desk-error-account-contact"));
                (None, None)
            }
        },
    };
    let public = match present(&input.public).map(str::to_lowercase).as_deref() {
        None | Some("false") | Some("0") | Some("off") | Some("no") => false,
        Some("true") | Some("1") | Some("on") | Some("yes") => true,
        Some(_) => {
            issues.push(FieldIssue::new("public", "desk-error-public"));
            false
        }
    };
    let attributes = match service {
        Some(s) => desk_report::check_attributes(s, &input.attributes)
            .map_err(|problems| issues.extend(problems.into_iter().map(issue)))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    if input.photos.len() > MAX_PHOTOS {
        issues.push(FieldIssue::new("photo", "desk-error-photo-count").with("max", MAX_PHOTOS as i64));
    }
    let (Some(service), Some(description), Some((lat, lon)), true) = (service, description, place, issues.is_empty())
    else {
        return Err(CoreError::Invalid(issues));
    };

    let now = Utc::now();
    let contact_text = contact.as_ref().map(|(_, v)| v.as_str()).unwrap_or("");
    let fingerprint = desk_report::fingerprint(&service.code, lat, lon, &description, contact_text);
    let photos = photo::process_all(core, input.photos).await?;
    let consent = match &contact {
        Some((kind, _)) => {
            let version = core.store.current_notice().await?.map(|n| n.version).unwrap_or(1);
            let method = if channel == Channel::Web { "web" } else { "api" };
            Some((if *kind == "email" { "email" } else { "sms" }, version, method))
        }
        None => None,
    };
    // The district's own unit when the service names one for it, else the service's unit.
    let district = super::publication::district_of(core, lat, lon);
    let unit = service.unit_for(district).to_string();
    let new = NewReport {
        service_code: service.code.clone(),
        unit: unit.clone(),
        description,
        lat,
        lon,
        address,
        public,
        lang: lang.code(),
        contact: contact.clone(),
        consent,
        token: secret_token::generate("rq_"),
        fingerprint,
        due_on: desk_report::due_on(core.config.local_time(now).date_naive(), service.target_days),
        attributes,
        photos,
        district,
        created_at: now,
        // The same report again within the window: the store answers with the first one.
        duplicate_since: now - Duration::minutes(desk_report::DUPLICATE_MINUTES),
    };
    let filed = core.filings.file(new).await?;
    if let (false, Some((kind, value))) = (filed.duplicate, &contact) {
        match member {
            Some(resident) => super::follow::add_member(core, filed.id, kind, value, lang, resident).await?,
            None => super::follow::add_reporter(core, filed.id, kind, value, lang).await?,
        };
    }
    tracing::info!(
        report_id = filed.id, duplicate = filed.duplicate, service = %service.code, unit = %unit, "report filed"
    );
    Ok(filed)
}

/// A report by id.
pub async fn get(core: &Core, id: i64) -> CoreResult<ReportRecord> {
    core.store.report(id).await?.ok_or(CoreError::NotFound)
}
