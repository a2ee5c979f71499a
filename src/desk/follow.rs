//! Who hears back about a report: the reporter's contact, given with the report, and followers ("is it this one?
//! follow it instead"). An email is confirmed by a link (opening it changes nothing; its page's button confirms), a
//! phone by a 6-digit code sent by SMS; until then nothing but the confirmation itself is sent to it.

use chrono::{Duration, Utc};
use hejnal_jobs::{Channel, Content, NewBroadcast, Priority, Recipient};
use serde::Serialize;

use crate::{
    core::{Core, CoreError, CoreResult, Refusal},
    delivery::desk_confirm_purpose,
    domain::{Email, PhoneE164, panel::ContactKind, secret_token},
    i18n::Lang,
    storage::desk_notify::{DeskContact, NewDeskContact},
};

/// How long a confirmation link works.
pub const LINK_HOURS: i64 = 48;
/// How long an SMS code works.
pub const CODE_MINUTES: i64 = 30;
/// Wrong codes before a code stops working.
pub const MAX_CODE_TRIES: i64 = 5;

/// What a contact confirmation message is rendered from (`templates/messages/report-confirm/`).
#[derive(Serialize)]
struct ConfirmMessage<'a> {
    lang: &'static str,
    id: i64,
    follower: bool,
    /// The link of an email, with the recipient's `{{secret}}` filled in by the engine.
    link: &'a str,
    /// The code of an SMS: the recipient's `{{secret}}`.
    code: &'static str,
}

/// A contact as the resident gave it: `("email" | "phone", normalised value)`; each problem named by field.
pub fn parse_contact(email: Option<&str>, phone: Option<&str>) -> CoreResult<Option<(&'static str, String)>> {
    let present = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    match (present(email), present(phone)) {
        (Some(_), Some(_)) => Err(CoreError::invalid("email", "desk-error-contact-both")),
        (Some(e), None) => match Email::parse(&e) {
            Ok(e) => Ok(Some(("email", e.as_str().to_string()))),
            Err(_) => Err(CoreError::invalid("email", "desk-error-email")),
        },
        (None, Some(p)) => match PhoneE164::parse(&p) {
            Ok(p) => Ok(Some(("phone", p.as_str().to_string()))),
            Err(_) => Err(CoreError::invalid("phone", "desk-error-phone")),
        },
        (None, None) => Ok(None),
    }
}

fn kind_of(kind: &str) -> ContactKind {
    if kind == "email" { ContactKind::Email } else { ContactKind::Phone }
}

/// The reporter's contact, given with the report (its consent was recorded with the filing): sent its confirmation.
pub async fn add_reporter(core: &Core, report_id: i64, kind: &'static str, value: &str, lang: Lang) -> CoreResult<i64> {
    add(core, report_id, "reporter", kind, value, lang, None).await
}

/// A signed-in panel member's own verified contact point, given for their report: confirmed at once (they proved it
/// is theirs when it was verified), tied to them (their export lists it, their erasure erases it), sent nothing now.
pub async fn add_member(
    core: &Core,
    report_id: i64,
    kind: &'static str,
    value: &str,
    lang: Lang,
    resident: i64,
) -> CoreResult<i64> {
    let now = Utc::now();
    let new = NewDeskContact {
        report_id,
        role: "reporter",
        kind,
        value: value.to_string(),
        lang: lang.code(),
        resident_id: Some(resident),
        confirmed_at: Some(now),
        secret: None,
        consent: None,
        created_at: now,
    };
    Ok(core.store.add_desk_contact(&new).await?)
}

async fn add(
    core: &Core,
    report_id: i64,
    role: &'static str,
    kind: &'static str,
    value: &str,
    lang: Lang,
    consent: Option<(&'static str, i64, &'static str)>,
) -> CoreResult<i64> {
    let new = NewDeskContact {
        report_id,
        role,
        kind,
        value: value.to_string(),
        lang: lang.code(),
        resident_id: None,
        confirmed_at: None,
        secret: None,
        consent,
        created_at: Utc::now(),
    };
    let id = core.store.add_desk_contact(&new).await?;
    if core.desk_confirmations.len() > 100_000 {
        core.desk_confirmations.retain_recent();
    }
    if core.desk_confirmations.check_key(&format!("{kind}:{value}")).is_err() {
        // Stored, not confirmed, and told nothing: too many confirmations to this contact point already.
        tracing::warn!(contact_id = id, "confirmation not sent: too many recently to this contact point");
        return Ok(id);
    }
    send_confirmation(core, id).await?;
    Ok(id)
}

/// Sends a contact its confirmation: a link by email, a 6-digit code by SMS (a new one replaces the old). Not held
/// by quiet hours; the directory sends it there although the contact is not confirmed yet.
#[tracing::instrument(skip_all, fields(contact_id = id), err)]
pub async fn send_confirmation(core: &Core, id: i64) -> CoreResult<()> {
    let c = core.store.desk_contact(id).await?.ok_or(CoreError::NotFound)?;
    if c.value.is_none() || c.confirmed_at.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    let lang = Lang::parse(&c.lang).unwrap_or_default();
    // The secret travels as the recipient's `{{secret}}` value, which the engine erases once the message is final.
    let (channel, secret, hash, expires) = if c.kind == "email" {
        let token = secret_token::generate("");
        let hash = secret_token::hash(&token);
        (Channel::Email, token, hash, now + Duration::hours(LINK_HOURS))
    } else {
        let code = crate::domain::panel::new_code();
        let hash = code_hash(id, &code);
        (Channel::Sms, code, hash, now + Duration::minutes(CODE_MINUTES))
    };
    core.store.set_desk_contact_secret(id, &hash, expires).await?;
    let link = core.config.link("/report-contact/{{secret}}");
    let data = ConfirmMessage {
        lang: lang.code(),
        id: c.report_id,
        follower: c.role == "follower",
        link: &link,
        code: "{{secret}}",
    };
    let m = &core.messages;
    let content = if channel == Channel::Email {
        Content {
            subject: Some(m.text("messages/report-confirm/subject", &data)?),
            text: m.text("messages/report-confirm/email-text", &data)?,
            html: None,
            url: None,
        }
    } else {
        Content { subject: None, text: m.text("messages/report-confirm/sms", &data)?, html: None, url: None }
    };
    let broadcast = NewBroadcast {
        key: format!("desk-confirm:{id}:{}", now.timestamp_micros()),
        kind: format!("report-confirm-{}", c.kind),
        purpose: desk_confirm_purpose(id),
        priority: Priority::Service,
        expires_at: expires,
        topic: None,
        contents: vec![(channel, lang.code().to_string(), content)],
        fallback_language: lang.code().to_string(),
        quiet_hours_exempt: true,
    };
    let recipient = Recipient {
        id,
        language: lang.code().to_string(),
        channels: vec![channel],
        vars: Some(serde_json::Map::from_iter([("secret".to_string(), serde_json::Value::String(secret))])),
    };
    hejnal_jobs::submit(&core.store.queue_db(), &broadcast, vec![recipient], core.config.delivery.batch_size)
        .await
        .map_err(CoreError::Internal)?;
    tracing::info!(contact_id = id, report_id = c.report_id, "report contact confirmation sent");
    Ok(())
}

fn code_hash(contact_id: i64, code: &str) -> String {
    secret_token::hash(&format!("desk-code:{contact_id}:{}", code.trim()))
}

/// The contact a confirmation link would confirm (masked) and its report, changing nothing.
pub async fn preview_link(core: &Core, token: &str) -> CoreResult<(String, i64)> {
    let c = link_contact(core, token).await?;
    Ok((kind_of(&c.kind).masked(c.value.as_deref().unwrap_or("")), c.report_id))
}

/// Confirms the contact of a link (its page's button); returns its report.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn confirm_link(core: &Core, token: &str) -> CoreResult<i64> {
    let c = link_contact(core, token).await?;
    if !core.store.confirm_desk_contact(c.id, Utc::now()).await? {
        return Err(CoreError::Refused { kind: Refusal::Unknown, reason: "desk-contact-link-unknown" });
    }
    tracing::info!(contact_id = c.id, report_id = c.report_id, "report contact confirmed by link");
    Ok(c.report_id)
}

async fn link_contact(core: &Core, token: &str) -> CoreResult<DeskContact> {
    let token = token.trim();
    let found =
        if token.is_empty() { None } else { core.store.desk_contact_by_secret(&secret_token::hash(token)).await? };
    let Some(c) = found.filter(|c| c.kind == "email") else {
        return Err(CoreError::Refused { kind: Refusal::Unknown, reason: "desk-contact-link-unknown" });
    };
    if c.secret_expires_at.is_none_or(|e| e <= Utc::now()) {
        return Err(CoreError::Refused { kind: Refusal::Gone, reason: "desk-contact-link-expired" });
    }
    Ok(c)
}

/// Confirms a phone by the code sent to it; returns its report. A wrong code is counted; after
/// [`MAX_CODE_TRIES`] the code stops working (a new one can be asked for).
#[tracing::instrument(skip_all, fields(contact_id = id), err(level = "info"))]
pub async fn confirm_code(core: &Core, id: i64, code: &str) -> CoreResult<i64> {
    let c = core.store.desk_contact(id).await?.filter(|c| c.value.is_some() && c.kind == "phone");
    let Some(c) = c else { return Err(CoreError::NotFound) };
    if c.confirmed_at.is_some() {
        return Err(CoreError::conflict("desk-contact-already-confirmed"));
    }
    let live = c.secret_hash.is_some()
        && c.secret_expires_at.is_some_and(|e| e > Utc::now())
        && c.secret_attempts < MAX_CODE_TRIES;
    if !live {
        return Err(CoreError::Refused { kind: Refusal::Gone, reason: "desk-contact-code-expired" });
    }
    let code = code.trim();
    if code.is_empty() {
        return Err(CoreError::invalid("code", "desk-contact-code-missing"));
    }
    // Every try is counted before the code is compared, in one statement: tries sent at the same moment cannot all
    // pass the check above, at most MAX_CODE_TRIES of them are compared.
    if core.store.desk_contact_attempt(id).await? > MAX_CODE_TRIES {
        return Err(CoreError::Refused { kind: Refusal::Gone, reason: "desk-contact-code-expired" });
    }
    if c.secret_hash.as_deref().is_none_or(|h| !secret_token::constant_time_eq(h, &code_hash(id, code))) {
        return Err(CoreError::invalid("code", "desk-contact-code-wrong"));
    }
    if !core.store.confirm_desk_contact(id, Utc::now()).await? {
        return Err(CoreError::conflict("desk-contact-already-confirmed"));
    }
    tracing::info!(contact_id = id, report_id = c.report_id, "report contact confirmed by code");
    Ok(c.report_id)
}

/// Follows an open report: the contact hears its updates once confirmed; the wish is a `report_updates` consent
/// in the ledger. Returns the new contact's id and kind.
#[tracing::instrument(skip_all, fields(report_id), err(level = "info"))]
pub async fn follow(
    core: &Core,
    report_id: i64,
    email: Option<&str>,
    phone: Option<&str>,
    lang: Lang,
    api: bool,
) -> CoreResult<(i64, &'static str)> {
    let report = core.store.report(report_id).await?.ok_or(CoreError::NotFound)?;
    let Some((kind, value)) = parse_contact(email, phone)? else {
        return Err(CoreError::invalid("email", "desk-follow-contact-missing"));
    };
    if !report.state.is_open() {
        return Err(CoreError::conflict("desk-follow-closed"));
    }
    let version = core.store.current_notice().await?.map(|n| n.version).unwrap_or(1);
    let consent = (if kind == "email" { "email" } else { "sms" }, version, if api { "api" } else { "web" });
    let id = add(core, report_id, "follower", kind, &value, lang, Some(consent)).await?;
    tracing::info!(report_id, contact_id = id, "report followed");
    Ok((id, kind))
}

/// What the resident must do next about a report's own contact: `(contact id, "email" | "phone")` while it waits
/// for confirmation.
pub async fn pending_reporter(core: &Core, report_id: i64) -> CoreResult<Option<(i64, String)>> {
    Ok(core
        .store
        .desk_contacts(report_id)
        .await?
        .into_iter()
        .find(|c| c.role == "reporter" && c.value.is_some() && c.confirmed_at.is_none())
        .map(|c| (c.id, c.kind)))
}

/// How near an open report of the same service must be to be offered instead of filing again.
pub const NEARBY_METRES: f64 = 50.0;

/// An open report offered before filing ("is it this one?").
#[derive(Clone, Debug, Serialize)]
pub struct Nearby {
    pub id: i64,
    pub distance_m: i64,
    pub state: String,
    pub created_at: chrono::DateTime<Utc>,
}

/// Metres between two points (haversine; plenty for 50 m).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R: f64 = 6_371_000.0;
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let dla = la2 - la1;
    let dlo = (b.1 - a.1).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().asin()
}

/// Open reports of a service within [`NEARBY_METRES`] of a place, nearest first; an unknown service or a place
/// that is not one inside the city is a field to fix.
pub async fn nearby(
    core: &Core,
    service_code: Option<&str>,
    lat: Option<&str>,
    long: Option<&str>,
) -> CoreResult<Vec<Nearby>> {
    let catalogue = super::catalogue::offered(core).await?;
    let code = service_code.map(str::trim).unwrap_or("");
    let mut issues = Vec::new();
    if code.is_empty() {
        issues.push(crate::core::FieldIssue::new("service_code", "desk-error-service-missing"));
    } else if catalogue.service(code).is_none() {
        issues.push(crate::core::FieldIssue::new("service_code", "desk-error-service-unknown"));
    }
    let place = match crate::domain::desk_report::parse_place(lat, long) {
        Ok((la, lo))
            if crate::domain::desk_report::in_city(la, lo, core.config.boundaries.as_deref().map(|b| &b.0)) =>
        {
            Some((la, lo))
        }
        Ok(_) => {
            issues.push(crate::core::FieldIssue::new("lat", "desk-error-place-outside"));
            None
        }
        Err(problems) => {
            issues.extend(problems.into_iter().map(|p| crate::core::FieldIssue::new(&p.field, p.key)));
            None
        }
    };
    let (Some((la, lo)), true) = (place, issues.is_empty()) else { return Err(CoreError::Invalid(issues)) };
    // A box a little larger than the circle, then the exact distance.
    let dlat = NEARBY_METRES * 1.2 / 111_320.0;
    let dlon = dlat / la.to_radians().cos().max(0.1);
    let mut out: Vec<Nearby> = core
        .store
        .open_reports_near(code, la, lo, dlat, dlon)
        .await?
        .into_iter()
        .filter_map(|(id, rla, rlo, state, created_at)| {
            let d = distance_m((la, lo), (rla, rlo));
            (d <= NEARBY_METRES).then(|| Nearby { id, distance_m: d.round() as i64, state, created_at })
        })
        .collect();
    out.sort_by_key(|n| (n.distance_m, -n.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_metres_is_about_half_a_thousandth_of_a_degree_north() {
        let d = distance_m((50.0614, 19.9366), (50.0614 + 0.00045, 19.9366));
        assert!((d - 50.0).abs() < 0.5, "{d}");
        assert_eq!(distance_m((50.0, 20.0), (50.0, 20.0)), 0.0);
    }
}
