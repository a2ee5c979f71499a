//! Alerts over the API: draft (with the preview's counts), approve, update, cancel, progress, CAP import.

use std::collections::BTreeMap;

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiJson;
use crate::{
    alerts::{self, ChannelTotals, MsgType, Source},
    domain::{Role, alert::AlertInput},
    storage::{AlertRecord, ReplySummary},
    web::AppState,
    web::{
        context::RequestContext,
        error::{AppError, ProblemJson},
    },
};

/// Who drafts messages.
pub const EDITORS: &[Role] = &[Role::Editor];
/// Who approves, sends and cancels them.
pub const APPROVERS: &[Role] = &[Role::Approver];

/// A stored draft and who it will reach.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "state": "draft", "recipients": {"email": 1200, "sms": 800, "push": 450},
    "residents": 1500, "officials": 0, "districts": [8, 13], "sms": [{"lang": "pl", "chars": 96, "parts": 1, "unicode": true, "over_limit": false}]}))]
pub struct Drafted {
    pub id: i64,
    pub state: String,
    /// Residents reached per channel (the preview's counts).
    pub recipients: ChannelTotals,
    /// Distinct residents reached.
    pub residents: i64,
    /// Officials reached by email (exercise and test alerts go to every active official too).
    pub officials: i64,
    /// The districts the area resolved to.
    pub districts: Vec<i64>,
    #[schema(value_type = Vec<Object>)]
    pub sms: Vec<alerts::render::SmsSize>,
}

impl Drafted {
    fn new(id: i64, p: alerts::Preview) -> Self {
        Self {
            id,
            state: "draft".into(),
            recipients: p.recipients,
            residents: p.residents,
            officials: p.officials,
            districts: p.districts,
            sms: p.rendered.sms,
        }
    }
}

/// An alert as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct AlertJson {
    pub id: i64,
    /// The CAP identifier.
    pub identifier: String,
    pub kind: String,
    /// CAP status: Actual, Exercise, Test, Draft.
    pub status: String,
    /// CAP msgType: Alert, Update, Cancel.
    pub msg_type: String,
    pub references: Option<i64>,
    /// draft, scheduled, approved, sending, cancelled, updated.
    pub state: String,
    pub headline: String,
    pub districts: Vec<i64>,
    pub author: String,
    pub approved_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// The public page and the CAP document.
    pub url: String,
    pub cap_url: String,
    /// How its delivery is going (`GET`): an approval answers at once and the fan-out runs on behind it.
    pub progress_url: String,
}

pub fn alert_json(state: &AppState, a: &AlertRecord) -> AlertJson {
    AlertJson {
        id: a.id,
        identifier: a.identifier.clone(),
        kind: a.spec.kind.as_str().into(),
        status: a.spec.status.as_str().into(),
        msg_type: a.msg_type.as_str().into(),
        references: a.references_id,
        state: a.state.as_str().into(),
        headline: a.spec.text("pl").headline.clone(),
        districts: a.districts.clone(),
        author: a.author_name.clone(),
        approved_by: a.approver_name.clone(),
        created_at: a.created_at,
        sent_at: a.sent_at,
        expires_at: a.spec.expires_at,
        scheduled_at: a.spec.scheduled_at,
        url: state.config.link(&format!("/alerts/{}", a.id)),
        cap_url: state.config.link(&format!("/alerts/{}.cap.xml", a.id)),
        progress_url: state.config.link(&format!("/api/v1/alerts/{}/progress", a.id)),
    }
}

/// Drafts an emergency alert or a service announcement; nothing is sent until an approver approves it.
#[utoipa::path(post, path = "/api/v1/alerts", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    request_body = AlertInput,
    responses(
        (status = 201, description = "Drafted; `recipients` are the preview's counts", body = Drafted),
        (status = 400, description = "Malformed JSON", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (named in `errors`)", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiJson(input): ApiJson<AlertInput>,
) -> Result<(StatusCode, Json<Drafted>), AppError> {
    let author = ctx.official()?;
    let spec = alerts::validate(&state, &input, Utc::now()).await?;
    let (id, preview) = alerts::create(&state, author, spec, Source::Api, MsgType::Alert, None).await?;
    Ok((StatusCode::CREATED, Json(Drafted::new(id, preview))))
}

/// Recent alerts, newest first.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The latest 100 alerts", body = [AlertJson]))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<AlertJson>>, AppError> {
    let list = state.store.list_alerts(false, 100).await?;
    Ok(Json(list.iter().map(|a| alert_json(&state, a)).collect()))
}

/// One alert.
#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert", body = AlertJson),
        (status = 404, description = "No such alert", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn show(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<AlertJson>, AppError> {
    let a = state.store.alert(id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(alert_json(&state, &a)))
}

/// Approves a draft: an emergency needs an approver who did not write it. Sending starts at once (or at the
/// announcement's scheduled time): the answer comes as soon as the hand-over is claimed, and the fan-out to the
/// recipients runs on behind it — follow it at `progress_url`.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/approve", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Alert id")),
    responses(
        (status = 200, description = "Approved; `state` is `sending` (the fan-out runs on: see `progress_url`) or `scheduled`", body = AlertJson),
        (status = 403, description = "Approving one's own emergency", body = ProblemJson, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft any more (approved twice, cancelled), expired, or a CAP Draft", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Json<AlertJson>, AppError> {
    let a = alerts::approve(&state, ctx.official()?, id).await?;
    Ok(Json(alert_json(&state, &a)))
}

/// Drafts an update: a new CAP message referencing this one, for everyone this one reached; approved like any
/// other. Kind and status are the original's; the area defaults to it.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/update", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "The alert to update")),
    request_body = AlertInput,
    responses(
        (status = 201, description = "The update, drafted", body = Drafted),
        (status = 409, description = "The alert was cancelled or already updated", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AlertInput>,
) -> Result<(StatusCode, Json<Drafted>), AppError> {
    let (new_id, preview) = alerts::update(&state, ctx.official()?, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Drafted::new(new_id, preview))))
}

#[derive(Serialize, ToSchema)]
pub struct Cancelled {
    /// The cancelled alert.
    pub id: i64,
    /// The all-clear message sent to everyone the alert reached (none when it had not been sent).
    pub cancel_id: Option<i64>,
}

/// Cancels an alert: a draft or scheduled one is withdrawn; a sent one gets an all-clear (CAP `Cancel`) at once.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/cancel", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Alert id")),
    responses(
        (status = 200, description = "Cancelled", body = Cancelled),
        (status = 409, description = "Already cancelled or updated", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Json<Cancelled>, AppError> {
    let cancel_id = alerts::cancel(&state, ctx.official()?, id).await?;
    Ok(Json(Cancelled { id, cancel_id }))
}

/// How an alert's delivery is going.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "state": "sending", "total": 2450, "done": false,
    "channels": {"email": {"queued": 100, "sending": 10, "sent": 1000, "delivered": 0, "failed": 2, "skipped": 88},
    "sms": {"queued": 0, "sending": 0, "sent": 700, "delivered": 90, "failed": 0, "skipped": 10},
    "push": {"queued": 0, "sending": 0, "sent": 440, "delivered": 0, "failed": 10, "skipped": 0}},
    "rate_per_second": 120.5, "eta_seconds": 1.0, "reasons": {"no consent": 88}, "possible_duplicates": 0,
    "replies": {"safe": 12, "help": 1}}))]
pub struct ProgressJson {
    pub id: i64,
    pub state: String,
    pub total: i64,
    pub done: bool,
    #[schema(value_type = Object)]
    pub channels: BTreeMap<String, hejnal_jobs::ChannelCounts>,
    pub rate_per_second: f64,
    pub eta_seconds: Option<f64>,
    pub reasons: BTreeMap<String, i64>,
    pub possible_duplicates: i64,
    pub replies: Replies,
}

#[derive(Serialize, ToSchema)]
pub struct Replies {
    pub safe: i64,
    pub help: i64,
}

/// The progress of an alert and its replies (officials see who needs help on the alert's page).
pub async fn progress_of(state: &AppState, a: &AlertRecord) -> Result<(ProgressJson, ReplySummary), AppError> {
    let progress = match alerts::broadcast_of(state, a).await? {
        Some(b) => hejnal_jobs::progress(&state.store.queue_db(), b, Utc::now()).await?,
        None => None,
    };
    let replies = state.store.reply_summary(a.id).await?;
    let mut channels: BTreeMap<String, hejnal_jobs::ChannelCounts> =
        hejnal_jobs::Channel::ALL.into_iter().map(|c| (c.as_str().to_string(), Default::default())).collect();
    let json = match progress {
        Some(p) => {
            channels.extend(p.channels.into_iter().map(|(c, n)| (c.as_str().to_string(), n)));
            ProgressJson {
                id: a.id,
                state: a.state.as_str().into(),
                total: p.total,
                done: p.done,
                channels,
                rate_per_second: p.rate_per_second,
                eta_seconds: p.eta_seconds,
                reasons: p.reasons,
                possible_duplicates: p.possible_duplicates,
                replies: Replies { safe: replies.safe, help: replies.help },
            }
        }
        None => ProgressJson {
            id: a.id,
            state: a.state.as_str().into(),
            total: 0,
            done: false,
            channels,
            rate_per_second: 0.0,
            eta_seconds: None,
            reasons: BTreeMap::new(),
            possible_duplicates: 0,
            replies: Replies { safe: replies.safe, help: replies.help },
        },
    };
    Ok((json, replies))
}

/// Delivery progress per channel: queued, sending, sent, delivered, failed, skipped; rate, time left, reasons,
/// replies.
#[utoipa::path(get, path = "/api/v1/alerts/{id}/progress", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Alert id")),
    responses(
        (status = 200, description = "Progress (`done` is false until the message is sent and nothing is pending)", body = ProgressJson),
        (status = 404, description = "No such alert", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn progress(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<ProgressJson>, AppError> {
    let a = state.store.alert(id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(progress_of(&state, &a).await?.0))
}

/// Imports a CAP 1.2 document from an upstream warning source as a draft alert (for approval), mapping its
/// geocodes and polygons to districts.
#[utoipa::path(post, path = "/api/v1/cap", tag = "alerts",
    security(("bearer" = []), ("session" = [])),
    request_body(content = String, content_type = "application/cap+xml", description = "A CAP 1.2 `<alert>` document"),
    responses(
        (status = 201, description = "Drafted", body = Drafted),
        (status = 413, description = "Over the size limit", body = ProblemJson, content_type = "application/problem+json"),
        (status = 415, description = "Not XML", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "Malformed XML, not CAP 1.2, or a field we cannot use (named in `detail`)", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn import_cap(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Drafted>), AppError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !(ct.starts_with("application/xml") || ct.starts_with("application/cap+xml") || ct.starts_with("text/xml")) {
        return Err(AppError::BadJson {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            detail: "Content-Type: application/cap+xml".into(),
        });
    }
    let (id, preview) = alerts::cap::import(&state, ctx.official()?, &body).await?;
    Ok((StatusCode::CREATED, Json(Drafted::new(id, preview))))
}
