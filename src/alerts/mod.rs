//! The alert workflow: draft (with a preview of exactly what goes out and to how many), approval by a second
//! official, hand-over to the delivery engine, update and cancel, and the residents' "are you safe?" replies.
//!
//! Every state change is a guarded UPDATE in [`crate::storage::AlertStore`]; the hand-over is idempotent (the
//! engine's broadcast key is `alert:{id}`), so `background::dispatch` can finish whatever a crash interrupted.

pub mod cap;
pub mod feed_fetch;
pub mod feeds;
pub mod map;
pub mod render;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use hejnal_jobs::{Channel, NewBroadcast, Priority, Recipient, Status as DeliveryStatus};
use serde::Serialize;
use tracing::Instrument;

pub use self::render::MsgType;
use self::render::SmsSize;
use crate::{
    core::{Core, CoreError, FieldIssue, Refusal},
    domain::{
        Official,
        alert::{self, AlertInput, AlertKind, AlertSpec, AlertText, Issue},
        audit::{AuditAction, NewAuditEntry},
        cap::ResponseType,
        lifecycle::AlertState,
    },
    i18n::{self, Lang},
    storage::{AlertRecord, HandOver, NewAlert, Target, TargetQuery, alerts::channel_counts},
};

/// Where a draft came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Compose,
    Api,
    Cap,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Compose => "compose",
            Source::Api => "api",
            Source::Cap => "cap",
        }
    }
}

/// Per channel, how many residents a message reaches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChannelTotals {
    pub email: i64,
    pub sms: i64,
    pub push: i64,
}

impl ChannelTotals {
    fn of(counts: &BTreeMap<Channel, i64>) -> Self {
        let n = |c| counts.get(&c).copied().unwrap_or(0);
        Self { email: n(Channel::Email), sms: n(Channel::Sms), push: n(Channel::Push) }
    }
}

/// What an official sees before anything is sent.
#[derive(Clone, Debug)]
pub struct Preview {
    /// Messages per channel (officials included).
    pub recipients: ChannelTotals,
    pub residents: i64,
    /// Officials reached (exercises and tests only).
    pub officials: i64,
    pub districts: Vec<i64>,
    pub rendered: render::Rendered,
}

impl Preview {
    pub fn sms_over_limit(&self) -> Option<&SmsSize> {
        self.rendered.sms.iter().find(|s| s.over_limit)
    }
}

fn invalid(issues: Vec<Issue>) -> CoreError {
    CoreError::Invalid(issues.iter().map(FieldIssue::from).collect())
}

fn refused(kind: Refusal, reason: &'static str) -> CoreError {
    CoreError::Refused { kind, reason }
}

/// Validates an official's input against the deployment (districts, interests, boundaries).
pub async fn validate(state: &Core, input: &AlertInput, now: DateTime<Utc>) -> Result<AlertSpec, CoreError> {
    let districts: Vec<i64> = state.store.list_districts().await?.into_iter().map(|d| d.number).collect();
    let cx = alert::Context { now, districts: &districts, interests: &state.config.panel_interests };
    let spec = alert::validate(input, &cx).map_err(invalid)?;
    Ok(spec)
}

/// The districts a message targets: those named, and those its polygons and circles touch (when boundaries are
/// configured). Polygons and circles also reach residents whose shared home point lies inside them, boundaries or not.
pub fn target_districts(state: &Core, spec: &AlertSpec) -> Vec<i64> {
    let mut out = spec.area.districts.clone();
    if let Some(b) = &state.config.boundaries {
        out.extend(b.0.districts_touching(&spec.area.polygons, &spec.area.circles));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The query for who a new message (not an update or cancel) reaches among residents.
fn target_query(spec: &AlertSpec, districts: &[i64]) -> TargetQuery {
    TargetQuery {
        purpose: spec.kind.purpose().as_str(),
        districts: districts.to_vec(),
        channels: spec.channels.clone(),
        topic: spec.topic.clone(),
        test_group_only: spec.is_drill(),
        home_polygons: spec.area.polygons.clone(),
        home_circles: spec.area.circles.clone(),
    }
}

/// Exercises and tests also reach every active official, by email (their inbox is where they check drills).
async fn drill_officials(state: &Core, spec: &AlertSpec) -> Result<Vec<Target>, CoreError> {
    if !(spec.is_drill() && (spec.channels.is_empty() || spec.channels.contains(&Channel::Email))) {
        return Ok(Vec::new());
    }
    let officials = state.store.list_officials().await?;
    Ok(officials
        .into_iter()
        .filter(|o| o.active)
        .map(|o| Target {
            resident_id: crate::delivery::official_recipient(o.id),
            language: "pl".into(),
            channels: vec![Channel::Email],
        })
        .collect())
}

/// Who a new message (not an update or cancel) reaches.
async fn fresh_targets(state: &Core, spec: &AlertSpec, districts: &[i64]) -> Result<Vec<Target>, CoreError> {
    let mut targets = state.store.alert_targets(&target_query(spec, districts)).await?;
    targets.extend(drill_officials(state, spec).await?);
    Ok(targets)
}

/// How many a new message reaches, counted by the database: (messages per channel, residents, officials).
async fn fresh_counts(
    state: &Core,
    spec: &AlertSpec,
    districts: &[i64],
) -> Result<(ChannelTotals, i64, i64), CoreError> {
    let mut counts = state.store.alert_target_counts(&target_query(spec, districts)).await?;
    let officials = drill_officials(state, spec).await?;
    *counts.channels.entry(Channel::Email).or_default() += officials.len() as i64;
    Ok((ChannelTotals::of(&counts.channels), counts.residents, officials.len() as i64))
}

/// The engine's key for an alert's broadcast (submitting it twice continues the same broadcast).
fn broadcast_key(alert_id: i64) -> String {
    format!("alert:{alert_id}")
}

/// The broadcast an alert was handed over as: recorded once its fan-out finished, or found by its key while the
/// fan-out runs (or after a cancel stopped it).
pub async fn broadcast_of(state: &Core, a: &AlertRecord) -> anyhow::Result<Option<i64>> {
    match a.broadcast_id {
        Some(b) => Ok(Some(b)),
        None if a.sent_at.is_some() => hejnal_jobs::broadcast_id(&state.store.queue_db(), &broadcast_key(a.id)).await,
        None => Ok(None),
    }
}

/// Who an update or cancel of `original` reaches: those the original reached (or is about to).
async fn follow_up_targets(state: &Core, original: &AlertRecord, msg: MsgType) -> anyhow::Result<Vec<Target>> {
    let Some(broadcast) = broadcast_of(state, original).await? else { return Ok(Vec::new()) };
    use DeliveryStatus::*;
    let statuses: &[DeliveryStatus] = match msg {
        // An all-clear only for those who were warned (or are being warned right now): the original's broadcast is
        // cancelled before this is read, so nobody else will be.
        MsgType::Cancel => &[Sending, Sent, Delivered],
        _ => &[Queued, Sending, Sent, Delivered],
    };
    let rows = hejnal_jobs::deliveries_in(&state.store.queue_db(), broadcast, statuses, true).await?;
    let mut out: Vec<Target> = Vec::new();
    for (id, language, channel) in rows {
        match out.last_mut() {
            Some(t) if t.resident_id == id => t.channels.push(channel),
            _ => out.push(Target { resident_id: id, language, channels: vec![channel] }),
        }
    }
    Ok(out)
}

/// Renders and counts without storing anything.
#[tracing::instrument(skip_all, fields(alert_id = alert_id, msg_type = %msg), err(level = "info"))]
pub async fn preview(
    state: &Core,
    alert_id: i64,
    spec: &AlertSpec,
    msg: MsgType,
    original: Option<&AlertRecord>,
) -> Result<Preview, CoreError> {
    let districts = target_districts(state, spec);
    let (recipients, residents, officials) = match original {
        Some(o) => {
            let targets = follow_up_targets(state, o, msg).await?;
            let officials =
                targets.iter().filter(|t| crate::delivery::as_official(t.resident_id).is_some()).count() as i64;
            (ChannelTotals::of(&channel_counts(&targets)), targets.len() as i64 - officials, officials)
        }
        None => fresh_counts(state, spec, &districts).await?,
    };
    let rendered = render::render(state, alert_id, spec, msg)?;
    Ok(Preview { recipients, residents, officials, districts, rendered })
}

async fn audit(state: &Core, actor: Option<i64>, action: AuditAction, id: i64, detail: serde_json::Value) {
    let entry = NewAuditEntry { actor, action, subject: Some(format!("alert:{id}")), detail };
    if let Err(e) = state.store.append_audit(&entry, Utc::now()).await {
        tracing::error!(error = %e, alert_id = id, "audit entry for an alert failed");
    }
}

/// Stores a draft after checking that its SMS fits; returns its id and preview.
#[tracing::instrument(skip_all, fields(author_id = author.id, msg_type = %msg), err(level = "info"))]
pub async fn create(
    state: &Core,
    author: &Official,
    spec: AlertSpec,
    source: Source,
    msg: MsgType,
    original: Option<&AlertRecord>,
) -> Result<(i64, Preview), CoreError> {
    let now = Utc::now();
    // The preview needs the id for its links; a placeholder id renders the same lengths (ids are short).
    let draft_preview = preview(state, 0, &spec, msg, original).await?;
    if let Some(over) = draft_preview.sms_over_limit() {
        return Err(invalid(vec![
            Issue::new(format!("info.{}.instruction", over.lang), "alert-error-sms-too-long")
                .with("parts", over.parts)
                .with("max", state.config.delivery.sms_max_parts),
        ]));
    }
    let new = NewAlert {
        identifier: format!("hejnal-{}", uuid::Uuid::now_v7()),
        msg_type: msg,
        references_id: original.map(|o| o.id),
        source: source.as_str(),
        districts: draft_preview.districts.clone(),
        spec,
        author_id: author.id,
        created_at: now,
    };
    let id = state.store.create_alert(&new).await?;
    // Who it reaches is what was just counted; only the links change with the id.
    let preview = Preview { rendered: render::render(state, id, &new.spec, msg)?, ..draft_preview };
    audit(
        state,
        Some(author.id),
        AuditAction::AlertDrafted,
        id,
        serde_json::json!({"kind": new.spec.kind.as_str(), "msg_type": msg.as_str(), "source": source.as_str(),
            "recipients": preview.recipients}),
    )
    .await;
    tracing::info!(alert_id = id, kind = new.spec.kind.as_str(), msg_type = msg.as_str(), "alert drafted");
    Ok((id, preview))
}

/// A second official's approval. Emergencies need an approver who is not the author (unless configured otherwise
/// for exercises and tests); approval claims the hand-over to the engine at once (the fan-out runs behind the answer),
/// or leaves it to its scheduled time.
#[tracing::instrument(skip_all, fields(alert_id = id, approver_id = approver.id), err(level = "info"))]
pub async fn approve(state: &Core, approver: &Official, id: i64) -> Result<AlertRecord, CoreError> {
    let now = Utc::now();
    let a = state.store.alert(id).await?.ok_or(CoreError::NotFound)?;
    if a.state != AlertState::Draft {
        return Err(refused(Refusal::Conflict, "alert-refused-not-draft"));
    }
    if a.spec.status == crate::domain::cap::Status::Draft {
        return Err(refused(Refusal::Conflict, "alert-refused-cap-draft"));
    }
    let original = match a.references_id {
        Some(r) => Some(state.store.alert(r).await?.ok_or(CoreError::NotFound)?),
        None => None,
    };
    // A follow-up is a drill only if what it follows up was one (an imported document cannot make it one).
    let drill = a.spec.is_drill() && original.as_ref().is_none_or(|o| o.spec.is_drill());
    let single_person = drill && state.config.alerts.single_person_drills;
    if a.spec.kind == AlertKind::Emergency && a.author_id == approver.id && !single_person {
        return Err(refused(Refusal::Forbidden, "alert-refused-own"));
    }
    if a.spec.expires_at <= now {
        return Err(refused(Refusal::Conflict, "alert-refused-expired"));
    }
    // A follow-up of a message that has since been cancelled or updated would contradict what residents were told.
    if let Some(o) = &original {
        follow_up_allowed(o)?;
    }
    let next = match a.spec.scheduled_at {
        Some(at) if at > now => AlertState::Scheduled,
        _ => AlertState::Approved,
    };
    if a.msg_type == MsgType::Cancel
        && let Some(o) = &original
    {
        // An imported Cancel (the API's cancel never drafts one) ends its original as the API's cancel does.
        let stopped = stop_and_end(state, o.id, now).await?;
        let detail = serde_json::json!({"cancel": id, "stopped": stopped, "source": "cap"});
        audit(state, Some(approver.id), AuditAction::AlertCancelled, o.id, detail).await;
    }
    if !state.store.approve_alert(id, approver.id, next, now).await? {
        return Err(refused(Refusal::Conflict, "alert-refused-not-draft"));
    }
    audit(state, Some(approver.id), AuditAction::AlertApproved, id, serde_json::json!({"next": next.as_str()})).await;
    if next == AlertState::Approved {
        dispatch_in_background(state, id).await?;
    }
    state.store.alert(id).await?.ok_or(CoreError::NotFound)
}

/// Claims an approved (or due scheduled) message's hand-over: from here on the alert is `sending`, so a cancel
/// stops its broadcast rather than withdrawing it. True when the fan-out is to run (claimed now, or an interrupted
/// one to finish).
async fn claim(state: &Core, a: &AlertRecord) -> anyhow::Result<bool> {
    let supersedes = (a.msg_type == MsgType::Update).then_some(a.references_id).flatten();
    match state.store.hand_over_alert(a.id, supersedes, Utc::now()).await? {
        HandOver::Claimed | HandOver::Resumed => Ok(true),
        HandOver::NotReady => Ok(false),
        HandOver::OriginalEnded => {
            let detail = serde_json::json!({"sent": false, "reason": "the message it updates ended first"});
            audit(state, None, AuditAction::AlertCancelled, a.id, detail).await;
            tracing::warn!(alert_id = a.id, "update not sent: its original ended first");
            Ok(false)
        }
    }
}

/// Claims the hand-over now and leaves the fan-out to a task of its own, so that no request waits for a fan-out of
/// any size (a city-wide alert's takes seconds). Should the task fail or its process die, the dispatcher loop
/// (`background::dispatch`) finishes the claimed hand-over a minute later; the engine's broadcast key makes that
/// safe.
async fn dispatch_in_background(state: &Core, id: i64) -> anyhow::Result<()> {
    let Some(a) = state.store.alert(id).await? else { return Ok(()) };
    if !claim(state, &a).await? {
        return Ok(());
    }
    let core = state.clone();
    let task = async move {
        if let Err(e) = fan_out(&core, &a).await {
            let error = format!("{e:#}");
            tracing::error!(alert_id = a.id, error, "handing an alert over failed; the dispatcher will finish it");
        }
    };
    tokio::spawn(task.instrument(tracing::info_span!("alert_fan_out", alert_id = id)));
    Ok(())
}

/// Hands an approved (or due scheduled) message to the delivery engine, fan-out included: the dispatcher loop's
/// path (scheduled messages, interrupted hand-overs). Safe to repeat: the hand-over is claimed first (the alert is
/// `sending` from then on), so a cancel arriving during the fan-out stops the broadcast rather than withdrawing an
/// alert that is already going out.
#[tracing::instrument(skip_all, fields(alert_id = id), err)]
pub async fn dispatch(state: &Core, id: i64) -> anyhow::Result<()> {
    let Some(a) = state.store.alert(id).await? else { return Ok(()) };
    if claim(state, &a).await? {
        fan_out(state, &a).await?;
    }
    Ok(())
}

/// A claimed hand-over: who the message reaches, rendered and submitted to the engine (idempotent: `alert:{id}`).
async fn fan_out(state: &Core, a: &AlertRecord) -> anyhow::Result<()> {
    let (id, msg) = (a.id, a.msg_type);
    let original = match a.references_id {
        Some(r) => state.store.alert(r).await?,
        None => None,
    };
    let targets = match &original {
        Some(o) => follow_up_targets(state, o, msg).await?,
        None => fresh_targets(state, &a.spec, &a.districts).await.map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    if let Some(o) = &original {
        // Read who the original reached first, then stop what of it still waits (a cancel already stopped it).
        let reason = if msg == MsgType::Cancel { "cancelled" } else { "replaced by an update" };
        hejnal_jobs::cancel_broadcast(&state.store.queue_db(), &broadcast_key(o.id), reason, Utc::now()).await?;
    }
    let rendered = render::render(state, id, &a.spec, msg)?;
    let purpose = a.spec.kind.purpose();
    let recipients: Vec<Recipient> = targets
        .iter()
        .map(|t| Recipient {
            id: t.resident_id,
            language: t.language.clone(),
            channels: t.channels.clone(),
            vars: Some(recipient_vars(state, a, msg, t.resident_id)),
        })
        .collect();
    let broadcast = NewBroadcast {
        key: broadcast_key(id),
        kind: match a.spec.kind {
            AlertKind::Emergency => "alert".into(),
            AlertKind::Service => "announcement".into(),
        },
        purpose: purpose.as_str().into(),
        priority: match a.spec.kind {
            AlertKind::Emergency => Priority::Emergency,
            AlertKind::Service => Priority::Service,
        },
        expires_at: a.spec.expires_at,
        topic: Some(format!("alert-{}", root_id(state, a).await?)),
        contents: rendered.contents,
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    };
    let submitted =
        hejnal_jobs::submit(&state.store.queue_db(), &broadcast, recipients, state.config.delivery.batch_size).await?;
    if state.store.record_alert_broadcast(id, submitted.broadcast_id).await? {
        let counts = ChannelTotals::of(&channel_counts(&targets));
        audit(state, None, AuditAction::AlertSent, id, serde_json::json!({"recipients": counts})).await;
        tracing::info!(alert_id = id, broadcast_id = submitted.broadcast_id, residents = targets.len(), "alert sent");
    }
    Ok(())
}

/// The first message of an update chain (its push `Topic` is shared so a newer push replaces a pending one).
async fn root_id(state: &Core, a: &AlertRecord) -> anyhow::Result<i64> {
    let mut id = a.id;
    let mut next = a.references_id;
    while let Some(r) = next {
        id = r;
        next = state.store.alert(r).await?.and_then(|o| o.references_id);
    }
    Ok(id)
}

fn recipient_vars(
    state: &Core,
    a: &AlertRecord,
    msg: MsgType,
    resident_id: i64,
) -> serde_json::Map<String, serde_json::Value> {
    // Officials check drills; they have no consent to withdraw and no safety to report: those links open the alert.
    if crate::delivery::as_official(resident_id).is_some() {
        let page = serde_json::Value::from(state.config.link(&format!("/alerts/{}", a.id)));
        return ["unsubscribe_url", "reply_safe_url", "reply_help_url"]
            .into_iter()
            .map(|k| (k.to_owned(), page.clone()))
            .collect();
    }
    let mut vars = match a.spec.kind {
        AlertKind::Service => crate::delivery::unsubscribe_vars(
            &state.config,
            &state.keys,
            resident_id,
            a.spec.kind.purpose(),
            Channel::Email,
        ),
        AlertKind::Emergency => serde_json::Map::new(),
    };
    if a.spec.ask_safety && msg != MsgType::Cancel {
        let token = render::reply_token(&state.keys.unsubscribe_secret, a.id, resident_id);
        for answer in ["safe", "help"] {
            let link = state.config.link(&format!("/alerts/{}/reply/{token}?answer={answer}", a.id));
            vars.insert(format!("reply_{answer}_url"), link.into());
        }
    }
    vars
}

/// An update: a new message for the same people, approved like any other.
#[tracing::instrument(skip_all, fields(alert_id = id, author_id = author.id), err(level = "info"))]
pub async fn update(state: &Core, author: &Official, id: i64, input: &AlertInput) -> Result<(i64, Preview), CoreError> {
    let original = state.store.alert(id).await?.ok_or(CoreError::NotFound)?;
    follow_up_allowed(&original)?;
    if original.sent_at.is_none() {
        // Nothing went out yet: withdraw it and draft a new one instead.
        return Err(refused(Refusal::Conflict, "alert-refused-not-sent"));
    }
    if original.broadcast_id.is_none() {
        // Being handed over: who it reaches is known once the fan-out ends (seconds).
        return Err(refused(Refusal::Conflict, "alert-refused-handing-over"));
    }
    let mut input = input.clone();
    // An update keeps what it updates: its kind and CAP status.
    input.kind = original.spec.kind.as_str().into();
    input.status = Some(original.spec.status.as_str().into());
    if input.area.districts.is_empty() && input.area.polygons.is_empty() && input.area.circles.is_empty() {
        input.area.districts = original.spec.area.districts.clone();
        input.area.description.get_or_insert_with(|| original.spec.area.description.clone());
    }
    input.scheduled = None;
    let spec = validate(state, &input, Utc::now()).await?;
    let (new_id, preview) = create(state, author, spec, Source::Api, MsgType::Update, Some(&original)).await?;
    audit(state, Some(author.id), AuditAction::AlertUpdated, id, serde_json::json!({"update": new_id})).await;
    Ok((new_id, preview))
}

fn follow_up_allowed(original: &AlertRecord) -> Result<(), CoreError> {
    match original.state {
        AlertState::Cancelled => Err(refused(Refusal::Conflict, "alert-refused-cancelled")),
        AlertState::Updated => Err(refused(Refusal::Conflict, "alert-refused-updated")),
        _ if original.msg_type == MsgType::Cancel => Err(refused(Refusal::Conflict, "alert-refused-cancel-of-cancel")),
        _ => Ok(()),
    }
}

/// Stops what of a handed-over alert still waits (skipped, `cancelled`) and marks it cancelled; returns how many
/// deliveries were stopped. The broadcast is stopped first, so no crash in between can leave a cancelled alert
/// still sending.
async fn stop_and_end(state: &Core, id: i64, now: DateTime<Utc>) -> Result<u64, CoreError> {
    let stopped = hejnal_jobs::cancel_broadcast(&state.store.queue_db(), &broadcast_key(id), "cancelled", now).await?;
    if !state.store.end_alert(id, AlertState::Cancelled, true, now).await? {
        follow_up_allowed(&state.store.alert(id).await?.ok_or(CoreError::NotFound)?)?;
        return Err(refused(Refusal::Conflict, "alert-refused-cancelled"));
    }
    if let Some(b) = stopped.broadcast_id {
        state.store.record_alert_broadcast(id, b).await?;
    }
    Ok(stopped.stopped)
}

/// Cancels a message, doing exactly one of two things. One not yet handed to the engine (draft, scheduled,
/// approved) is withdrawn: nothing of it is ever sent. One handed over (even a moment ago, its fan-out still
/// running) is stopped: every delivery not yet on the wire is skipped (`cancelled`), and those already reached get
/// an all-clear at once (an approver's decision: no second approval for standing down). Returns the all-clear.
#[tracing::instrument(skip_all, fields(alert_id = id, official_id = official.id), err(level = "info"))]
pub async fn cancel(state: &Core, official: &Official, id: i64) -> Result<Option<i64>, CoreError> {
    let now = Utc::now();
    let original = state.store.alert(id).await?.ok_or(CoreError::NotFound)?;
    follow_up_allowed(&original)?;
    // Each guarded UPDATE races the hand-over's own: exactly one of them wins.
    if state.store.end_alert(id, AlertState::Cancelled, false, now).await? {
        audit(state, Some(official.id), AuditAction::AlertCancelled, id, serde_json::json!({"sent": false})).await;
        return Ok(None);
    }
    // Handed over (or ended meanwhile by someone else: then say which).
    follow_up_allowed(&state.store.alert(id).await?.ok_or(CoreError::NotFound)?)?;
    let stopped = stop_and_end(state, id, now).await?;
    let original = state.store.alert(id).await?.ok_or(CoreError::NotFound)?;
    let mut spec = original.spec.clone();
    spec.info = original
        .spec
        .info
        .iter()
        .map(|(code, text)| {
            let lang = Lang::parse(code).unwrap_or_default();
            let t = AlertText {
                headline: format!("{}: {}", i18n::t(lang, "alert-allclear-headline"), text.headline),
                description: String::new(),
                instruction: i18n::t(lang, "alert-allclear-instruction"),
            };
            (code.clone(), t)
        })
        .collect();
    spec.response_type = Some(ResponseType::AllClear);
    spec.ask_safety = false;
    spec.scheduled_at = None;
    if spec.expires_at <= now {
        spec.expires_at = now + chrono::Duration::hours(24);
    }
    let (new_id, _) = create(state, official, spec, Source::Api, MsgType::Cancel, Some(&original)).await?;
    if !state.store.approve_alert(new_id, official.id, AlertState::Approved, now).await? {
        return Err(refused(Refusal::Conflict, "alert-refused-not-draft"));
    }
    let detail = serde_json::json!({"cancel": new_id, "stopped": stopped});
    audit(state, Some(official.id), AuditAction::AlertCancelled, id, detail).await;
    dispatch_in_background(state, new_id).await?;
    Ok(Some(new_id))
}
