//! Telling the resident: each public state change of a report goes to its reporter and every follower through the
//! delivery engine (purpose `report_updates`, service priority: quiet hours apply), on the channel they chose, in
//! the language they filed or followed in. Each email carries the report's public page and a link that stops the
//! updates (also the RFC 8058 one-click `List-Unsubscribe`), which withdraws the `report_updates` consent.
//!
//! Recipients are `desk_contacts` rows; the directory (`delivery.rs`) sends only to confirmed, not stopped, not
//! erased contacts, asked at send time.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{Duration, Utc};
use hejnal_jobs::{Channel, Content, NewBroadcast, Priority, Recipient};
use serde::Serialize;

use crate::{
    core::{Core, CoreError, CoreResult},
    delivery::REPORT_UPDATES,
    domain::{desk::Catalogue, secret_token},
    i18n::Lang,
    storage::{desk::ReportRecord, desk_notify::DeskContact},
};

/// How long an update may wait (quiet hours, a slow gateway) before it is not worth sending.
const UPDATE_VALID_DAYS: i64 = 7;

/// What a report update is rendered from (`templates/messages/report/`).
#[derive(Serialize)]
struct UpdateMessage<'a> {
    lang: &'static str,
    id: i64,
    /// The new state (`acknowledged`, …) or `fixed` for the "is it fixed?" question.
    state: &'a str,
    /// The unit handling the report now, in the message's language.
    unit: &'a str,
    note: &'a str,
    /// The report's public page.
    link: &'a str,
    /// The recipient's stop link (`{{unsubscribe_url}}`, filled in by the engine).
    stop: &'static str,
    /// The "is it fixed?" page (the recipient's `{{fixed_url}}`).
    answer: &'static str,
}

/// Every channel × language of one update of a report.
pub fn contents(
    core: &Core,
    catalogue: &Catalogue,
    report: &ReportRecord,
    state: &str,
    note: &str,
) -> anyhow::Result<Vec<(Channel, String, Content)>> {
    let link = core.config.link(&format!("/reports/{}", report.id));
    let m = &core.messages;
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let unit = catalogue.unit(&report.unit).map(|u| u.name.get(lang.code())).unwrap_or(&report.unit);
        let data = UpdateMessage {
            lang: lang.code(),
            id: report.id,
            state,
            unit,
            note,
            link: &link,
            stop: "{{unsubscribe_url}}",
            answer: "{{fixed_url}}",
        };
        let subject = m.text("messages/report/subject", &data)?;
        let email = m.text("messages/report/email-text", &data)?;
        let sms = m.text("messages/report/sms", &data)?;
        let code = lang.code().to_string();
        out.push((
            Channel::Email,
            code.clone(),
            Content { subject: Some(subject), text: email, html: None, url: None },
        ));
        out.push((Channel::Sms, code, Content { subject: None, text: sms, html: None, url: None }));
    }
    Ok(out)
}

/// The signed token of a contact's stop link.
pub fn stop_token(core: &Core, contact_id: i64) -> String {
    let payload = format!("desk-stop.{contact_id}");
    format!("{}.{}", URL_SAFE_NO_PAD.encode(&payload), secret_token::mac(&core.keys.unsubscribe_secret, &payload, 32))
}

/// The contact of a genuine stop token.
pub fn parse_stop_token(core: &Core, token: &str) -> Option<i64> {
    let (payload, sig) = token.split_once('.')?;
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    if !secret_token::constant_time_eq(&secret_token::mac(&core.keys.unsubscribe_secret, &payload, 32), sig) {
        return None;
    }
    payload.strip_prefix("desk-stop.")?.parse().ok()
}

/// The per-recipient values every report message carries: the stop link.
pub fn contact_vars(core: &Core, contact_id: i64) -> serde_json::Map<String, serde_json::Value> {
    let mut vars = serde_json::Map::new();
    vars.insert(
        "unsubscribe_url".into(),
        core.config.link(&format!("/report-updates/{}", stop_token(core, contact_id))).into(),
    );
    vars
}

/// Submits one message about a report to its contacts that hear updates (those of `role` only, when given), with
/// each contact's extra values from `vars`. Idempotent by `key`. Returns how many were addressed.
pub async fn send(
    core: &Core,
    report: &ReportRecord,
    key: String,
    kind: &str,
    contents: Vec<(Channel, String, Content)>,
    role: Option<&str>,
    vars: impl Fn(i64) -> serde_json::Map<String, serde_json::Value>,
) -> anyhow::Result<usize> {
    let contacts = core.store.desk_contacts(report.id).await?;
    let chosen: Vec<DeskContact> = contacts.into_iter().filter(|c| role.is_none_or(|r| c.role == r)).collect();
    send_to(core, &chosen, key, kind, contents, vars).await
}

/// Submits one message to those of these contacts that hear updates (confirmed, not stopped, not erased), with
/// each contact's extra values from `vars`. Idempotent by `key`. Returns how many were addressed.
pub async fn send_to(
    core: &Core,
    contacts: &[DeskContact],
    key: String,
    kind: &str,
    contents: Vec<(Channel, String, Content)>,
    vars: impl Fn(i64) -> serde_json::Map<String, serde_json::Value>,
) -> anyhow::Result<usize> {
    let recipients: Vec<Recipient> = contacts
        .iter()
        .filter(|c| c.hears())
        .map(|c| Recipient {
            id: c.id,
            language: c.lang.clone(),
            channels: vec![if c.kind == "email" { Channel::Email } else { Channel::Sms }],
            vars: Some(vars(c.id)),
        })
        .collect();
    if recipients.is_empty() {
        return Ok(0);
    }
    let n = recipients.len();
    let broadcast = NewBroadcast {
        key,
        kind: kind.into(),
        purpose: REPORT_UPDATES.into(),
        priority: Priority::Service,
        expires_at: Utc::now() + Duration::days(UPDATE_VALID_DAYS),
        topic: None,
        contents,
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    };
    hejnal_jobs::submit(&core.store.queue_db(), &broadcast, recipients, core.config.delivery.batch_size).await?;
    Ok(n)
}

/// Tells a report's contacts about its latest public state change (its last history entry). Safe to repeat: the
/// engine's key names the report and the change.
#[tracing::instrument(skip_all, fields(report_id = report.id), err)]
pub async fn state_changed(core: &Core, report: &ReportRecord) -> anyhow::Result<()> {
    let Some(last) = report.history.last() else { return Ok(()) };
    let state = last.to_state.as_str();
    let catalogue = core.store.catalogue().await?;
    let contents = contents(core, &catalogue, report, state, &last.public_note)?;
    let key = format!("report:{}:change:{}", report.id, report.history.len());
    let n = send(core, report, key, "report_update", contents, None, |id| contact_vars(core, id)).await?;
    if n > 0 {
        tracing::info!(report_id = report.id, state, recipients = n, "report update sent");
    }
    Ok(())
}

/// Stops the updates to one contact (its stop link); true when it was hearing them until now.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn stop(core: &Core, token: &str) -> CoreResult<bool> {
    let Some(id) = parse_stop_token(core, token) else { return Err(CoreError::NotFound) };
    let version = core.store.current_notice().await?.map(|n| n.version).unwrap_or(1);
    let stopped = core.store.stop_desk_contact(id, version, Utc::now()).await?;
    if stopped {
        tracing::info!(contact_id = id, "report updates stopped");
    }
    Ok(stopped)
}
