//! Merging duplicates (dispatchers only): a report that describes the same problem as another open report is closed
//! as `merged` into it, with a public and an internal note. Its reporter and followers follow the other report from
//! then on (their rows move to it, so the merged report's erasure clock does not reach them), and each confirmed one
//! is told once, through the delivery engine, that their report is now handled as the other one. Audited.

use chrono::Utc;
use hejnal_jobs::{Channel, Content};
use serde::Serialize;

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{
        Official, Role,
        audit::{AuditAction, NewAuditEntry},
        desk_report::{MAX_NOTE_CHARS, ReportState},
    },
    i18n::Lang,
    storage::{
        desk::ReportRecord,
        desk_merge::{MergeOutcome, NewMerge},
    },
};

/// A merge as sent: the number of the report to merge into, as typed (`#42` and `42` alike), and the notes.
#[derive(Clone, Debug, Default)]
pub struct MergeInput {
    pub into: String,
    pub public_note: String,
    pub internal_note: String,
}

/// What the merge message is rendered from (`templates/messages/report-merged/`).
#[derive(Serialize)]
struct MergeMessage<'a> {
    lang: &'static str,
    /// The merged report (the resident's own).
    id: i64,
    /// The report it is handled together with.
    into: i64,
    note: &'a str,
    /// The public page of the report handled from now on.
    link: &'a str,
    stop: &'static str,
}

/// Merges report `id` into another open report. Refused: not a dispatcher (403); no such report (404); a report
/// that is closed already (409); the target missing, the report itself, closed or merged, or a note missing or too
/// long (422, each naming its field); a change meanwhile (409). Nothing is changed when refused.
#[tracing::instrument(skip_all, fields(report_id = id, official_id = official.id), err(level = "info"))]
pub async fn merge(core: &Core, official: &Official, id: i64, input: &MergeInput) -> CoreResult<ReportRecord> {
    if !official.has(Role::Dispatcher) {
        return Err(CoreError::forbidden("desk-merge-refused-not-dispatcher"));
    }
    let report = core.store.report(id).await?.ok_or(CoreError::NotFound)?;
    if !report.state.is_open() {
        return Err(CoreError::conflict("desk-merge-refused-closed"));
    }
    let mut issues = Vec::new();
    let typed = input.into.trim().trim_start_matches('#').trim();
    let target = match typed.parse::<i64>() {
        Err(_) => {
            issues.push(FieldIssue::new("into", "desk-merge-error-into-number"));
            None
        }
        Ok(n) if n == id => {
            issues.push(FieldIssue::new("into", "desk-merge-error-into-self"));
            None
        }
        Ok(n) => match core.store.report(n).await? {
            None => {
                issues.push(FieldIssue::new("into", "desk-merge-error-into-unknown").with("id", n));
                None
            }
            Some(t) if t.state == ReportState::Merged => {
                let next = t.merged_into.unwrap_or(t.id);
                issues.push(FieldIssue::new("into", "desk-merge-error-into-merged").with("id", n).with("next", next));
                None
            }
            Some(t) if !t.state.is_open() => {
                issues.push(FieldIssue::new("into", "desk-merge-error-into-closed").with("id", n));
                None
            }
            Some(t) => Some(t),
        },
    };
    let public_note = input.public_note.trim().to_string();
    let internal_note = input.internal_note.trim().to_string();
    if public_note.is_empty() {
        issues.push(FieldIssue::new("public_note", "desk-error-reason-required"));
    }
    for (field, note) in [("public_note", &public_note), ("internal_note", &internal_note)] {
        if note.chars().count() > MAX_NOTE_CHARS {
            issues.push(FieldIssue::new(field, "desk-error-note-long").with("max", MAX_NOTE_CHARS as i64));
        }
    }
    let Some(target) = target.filter(|_| issues.is_empty()) else { return Err(CoreError::Invalid(issues)) };
    let m = NewMerge {
        official_id: official.id,
        from: report.state,
        from_unit: report.unit.clone(),
        into: target.id,
        public_note: public_note.clone(),
        internal_note,
        at: Utc::now(),
    };
    let followers = match core.store.merge_report(id, &m).await? {
        MergeOutcome::Merged(followers) => followers,
        MergeOutcome::TargetClosed => {
            return Err(CoreError::Invalid(vec![
                FieldIssue::new("into", "desk-merge-error-into-closed").with("id", target.id),
            ]));
        }
        MergeOutcome::Moved => return Err(CoreError::conflict("desk-refused-moved")),
    };
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::DeskMerge)
        .subject(format!("report:{id}"))
        .detail(serde_json::json!({"into": target.id, "followers": followers.len()}));
    core.store.append_audit(&entry, Utc::now()).await?;
    tracing::info!(report_id = id, into = target.id, followers = followers.len(), "report merged");
    // The merge is made; telling the residents is the engine's work from here (a failure is logged, not undone).
    if let Err(e) = tell(core, id, target.id, &public_note, &followers).await {
        tracing::error!(report_id = id, error = %e, "merge message not submitted");
    }
    core.store.report(id).await?.ok_or(CoreError::NotFound)
}

/// Tells each confirmed contact of the merged report, once, that it is now handled as `into`.
async fn tell(core: &Core, id: i64, into: i64, note: &str, followers: &[i64]) -> anyhow::Result<()> {
    let link = core.config.link(&format!("/reports/{into}"));
    let m = &core.messages;
    let mut contents = Vec::new();
    for lang in Lang::ALL {
        let data = MergeMessage { lang: lang.code(), id, into, note, link: &link, stop: "{{unsubscribe_url}}" };
        let code = lang.code().to_string();
        let email = Content {
            subject: Some(m.text("messages/report-merged/subject", &data)?),
            text: m.text("messages/report-merged/email-text", &data)?,
            html: None,
            url: None,
        };
        let sms = Content { subject: None, text: m.text("messages/report-merged/sms", &data)?, html: None, url: None };
        contents.push((Channel::Email, code.clone(), email));
        contents.push((Channel::Sms, code, sms));
    }
    let contacts = core.store.desk_contacts_by_ids(followers).await?;
    let key = format!("report:{id}:merged");
    let n = super::notify::send_to(core, &contacts, key, "report_merged", contents, |c| {
        super::notify::contact_vars(core, c)
    })
    .await?;
    if n > 0 {
        tracing::info!(report_id = id, into, recipients = n, "merge message sent");
    }
    Ok(())
}
