//! After a report closes: a week after `resolved` its reporter is asked "Is it fixed? yes / partly / no" through the
//! channel they chose ("no" reopens the report to its unit, flagged); 30 days after it closed (resolved, rejected
//! or merged), the contacts given for it are erased and the report stays, anonymous. A merged report's contacts
//! moved to the report it was merged into (`desk::merge`), so its clock erases only what stayed behind. Both run from the desk's
//! background loop with the time passed in (`now`), so tests move the clock instead of waiting.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};

use super::notify;
use crate::{
    core::{Core, CoreError, CoreResult, Refusal},
    domain::{desk_report::ReportState, secret_token},
    storage::desk::NewTransition,
};

/// Days after `resolved` before the reporter is asked whether it is fixed.
pub const ASK_AFTER_DAYS: i64 = 7;
/// Days after a report closed before the contacts given for it are erased.
pub const ERASE_AFTER_DAYS: i64 = 30;

/// The reporter's three answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    Partly,
    No,
}

impl Answer {
    pub fn parse(s: &str) -> Option<Answer> {
        match s.trim() {
            "yes" => Some(Answer::Yes),
            "partly" => Some(Answer::Partly),
            "no" => Some(Answer::No),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::Partly => "partly",
            Answer::No => "no",
        }
    }
}

/// The signed token of a report's "is it fixed?" link.
pub fn fixed_token(core: &Core, report_id: i64) -> String {
    let payload = format!("desk-fixed.{report_id}");
    format!("{}.{}", URL_SAFE_NO_PAD.encode(&payload), secret_token::mac(&core.keys.unsubscribe_secret, &payload, 32))
}

/// The report of a genuine "is it fixed?" token.
pub fn parse_fixed_token(core: &Core, token: &str) -> Option<i64> {
    let (payload, sig) = token.split_once('.')?;
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    if !secret_token::constant_time_eq(&secret_token::mac(&core.keys.unsubscribe_secret, &payload, 32), sig) {
        return None;
    }
    payload.strip_prefix("desk-fixed.")?.parse().ok()
}

/// Asks "is it fixed?" of every report resolved at least a week before `now` and not asked yet; returns how many.
#[tracing::instrument(skip_all, err)]
pub async fn ask_fixed(core: &Core, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let due = core.store.reports_to_ask_fixed(now - Duration::days(ASK_AFTER_DAYS)).await?;
    let mut asked = 0;
    for id in due {
        let Some(report) = core.store.report(id).await? else { continue };
        let catalogue = core.store.catalogue().await?;
        let contents = notify::contents(core, &catalogue, &report, "fixed", "")?;
        let url = core.config.link(&format!("/report-fixed/{}", fixed_token(core, id)));
        let vars = |contact: i64| {
            let mut v = notify::contact_vars(core, contact);
            v.insert("fixed_url".into(), url.clone().into());
            v
        };
        let n =
            notify::send(core, &report, format!("report:{id}:fixed"), "report_fixed", contents, Some("reporter"), vars)
                .await?;
        // Marked once queued, so a failed send is asked again on the next round; the message's key keeps a second
        // process (or a second round) from sending it twice, and the conditional mark counts it once.
        if !core.store.mark_fixed_asked(id, now).await? {
            continue;
        }
        tracing::info!(report_id = id, recipients = n, "asked whether a report is fixed");
        asked += 1;
    }
    Ok(asked)
}

/// The report a "is it fixed?" link asks about, while it may still be answered.
pub async fn open_question(core: &Core, token: &str) -> CoreResult<i64> {
    let Some(id) = parse_fixed_token(core, token) else {
        return Err(CoreError::Refused { kind: Refusal::Unknown, reason: "desk-fixed-invalid" });
    };
    let Some(s) = core.store.fixed_state(id).await? else {
        return Err(CoreError::Refused { kind: Refusal::Unknown, reason: "desk-fixed-invalid" });
    };
    if s.fixed_answer.is_some() || s.fixed_asked_at.is_none() || s.state != "resolved" {
        return Err(CoreError::conflict("desk-fixed-answered"));
    }
    Ok(id)
}

/// Records the reporter's answer (once); "no" reopens the report to its unit, flagged. Returns the report and
/// whether it was reopened.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn answer(core: &Core, token: &str, answer: &str) -> CoreResult<(i64, bool)> {
    let id = open_question(core, token).await?;
    let Some(answer) = Answer::parse(answer) else {
        return Err(CoreError::invalid("answer", "desk-fixed-invalid"));
    };
    let report = core.store.report(id).await?.ok_or(CoreError::NotFound)?;
    let now = Utc::now();
    let reopen = (answer == Answer::No).then(|| NewTransition {
        official_id: 0,
        from: ReportState::Resolved,
        from_unit: report.unit.clone(),
        to: ReportState::New,
        to_unit: report.unit.clone(),
        public_note: crate::i18n::t(crate::i18n::Lang::Pl, "desk-fixed-reopen-note"),
        internal_note: String::new(),
        at: now,
    });
    if !core.store.answer_fixed(id, answer.as_str(), reopen.as_ref(), now).await? {
        return Err(CoreError::conflict("desk-fixed-answered"));
    }
    tracing::info!(report_id = id, answer = answer.as_str(), "is it fixed: answered");
    Ok((id, reopen.is_some()))
}

/// Erases the contacts of reports closed at least 30 days before `now`; returns how many reports lost them.
#[tracing::instrument(skip_all, err)]
pub async fn erase_closed_contacts(core: &Core, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let n = core.store.erase_closed_report_contacts(now - Duration::days(ERASE_AFTER_DAYS), now).await?;
    if n > 0 {
        tracing::info!(reports = n, "contacts of closed reports erased");
    }
    Ok(n)
}

/// Drops the duplicate check's locks once they are older than the duplicate window (an hour is plenty).
pub async fn prune_filing_locks(core: &Core, now: DateTime<Utc>) -> anyhow::Result<u64> {
    Ok(core.store.prune_filing_locks(now - Duration::hours(1)).await?)
}
