//! The officials' alert pages: the list, the compose form, an alert's page (preview before approval, live
//! progress after), approval, update and cancel.

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::{Path, State},
    response::{
        IntoResponse, Redirect, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use chrono::Utc;
use futures_util::stream::{self, Stream};
use serde::Serialize;

use super::alert_form::{AlertForm, FormChoices};
use crate::{
    alerts::{self, ChannelTotals, MsgType, Source, map},
    core::CoreError,
    domain::lifecycle::AlertState,
    domain::{Role, alert::AlertKind, district::District},
    storage::{AlertRecord, HelpRequest},
    web::AppState,
    web::{
        api::alerts::{ProgressJson, progress_of},
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::{Chrome, Page},
    },
};

#[derive(Serialize)]
struct AlertRow {
    id: i64,
    headline: String,
    kind: &'static str,
    status: String,
    msg_type: String,
    state: String,
    created: String,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    chrome: Chrome,
    alerts: Vec<AlertRow>,
    can_compose: bool,
    /// Configured upstream CAP sources and what the poller made of their newest messages.
    feeds: Vec<String>,
    feed_items: Vec<FeedItemRow>,
}

#[derive(Serialize)]
struct FeedItemRow {
    source: String,
    alert_id: Option<i64>,
    outcome: String,
    seen: String,
}

pub async fn list_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let alerts = state
        .store
        .list_alerts(false, 200)
        .await?
        .into_iter()
        .map(|a| AlertRow {
            id: a.id,
            headline: a.spec.text(ctx.lang.code()).headline.clone(),
            kind: a.spec.kind.as_str(),
            status: a.spec.status.as_str().into(),
            msg_type: a.msg_type.as_str().into(),
            state: a.state.as_str().into(),
            created: state.config.local_minutes(a.created_at),
        })
        .collect();
    let can_compose = ctx.official()?.has(Role::Editor);
    let feeds: Vec<String> = state.config.alerts.feeds.iter().map(|f| f.url.clone()).collect();
    let feed_items = if feeds.is_empty() { Vec::new() } else { state.store.feed_items(20).await? }
        .into_iter()
        .map(|i| FeedItemRow {
            source: i.key.strip_prefix("cap:").unwrap_or(&i.key).to_string(),
            alert_id: i.alert_id,
            outcome: i.outcome,
            seen: state.config.local_minutes(i.seen_at),
        })
        .collect();
    let page = ListPage { chrome: Chrome::new(&ctx, "alerts-title"), alerts, can_compose, feeds, feed_items };
    state.templates.page("pages/official/alerts", &page)
}

#[derive(Serialize)]
struct ComposePage {
    #[serde(flatten)]
    chrome: Chrome,
    form: AlertForm,
    choices: FormChoices,
    errors: Vec<FieldError>,
    /// The update's original, when updating.
    original: Option<i64>,
    action: String,
    /// The area on the district map, to draw on (only when boundaries are configured).
    map: Option<String>,
}

async fn render_compose(
    state: &AppState,
    ctx: &RequestContext,
    form: AlertForm,
    errors: Vec<FieldError>,
    original: Option<i64>,
) -> Result<Response, AppError> {
    let districts = state.store.list_districts().await?;
    let choices = FormChoices::new(&form, &districts, &state.config.panel_interests);
    let (title, action) = match original {
        Some(id) => ("alert-update-title", format!("/official/alerts/{id}/update")),
        None => ("alert-new-title", "/official/alerts/new".to_string()),
    };
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let (selected, polygons, circles) = form.drawn();
    let area = map::Area { districts: &selected, polygons: &polygons, circles: &circles };
    let map = map::for_page(state, ctx.lang, &districts, &area, "area-map", true);
    let page = ComposePage { chrome: Chrome::new(ctx, title), form, choices, errors, original, action, map };
    Ok((status, state.templates.page("pages/official/alert-compose", &page)?).into_response())
}

pub async fn new_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    render_compose(&state, &ctx, AlertForm::blank(), Vec::new(), None).await
}

/// Parses and validates the form; on success returns the spec, otherwise the form shown again with its errors.
async fn read_form(
    state: &AppState,
    ctx: &RequestContext,
    form: &AlertForm,
    original: Option<i64>,
) -> Result<Result<crate::domain::alert::AlertSpec, Response>, AppError> {
    let input = match form.to_input(state.config.time_zone()) {
        Ok(input) => input,
        Err(errors) => {
            let errors = errors.into_iter().map(|(f, k)| FieldError::new(&f, k)).collect();
            return Ok(Err(render_compose(state, ctx, form.clone(), errors, original).await?));
        }
    };
    match alerts::validate(state, &input, Utc::now()).await {
        Ok(spec) => Ok(Ok(spec)),
        Err(CoreError::Invalid(errors)) => Ok(Err(render_compose(state, ctx, form.clone(), errors, original).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<AlertForm>,
) -> Result<Response, AppError> {
    let spec = match read_form(&state, &ctx, &form, None).await? {
        Ok(spec) => spec,
        Err(page) => return Ok(page),
    };
    match alerts::create(&state, ctx.official()?, spec, Source::Compose, MsgType::Alert, None).await {
        Ok((id, _)) => Ok(Redirect::to(&format!("/official/alerts/{id}")).into_response()),
        Err(CoreError::Invalid(errors)) => render_compose(&state, &ctx, form, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn update_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = state.store.alert(id).await?.ok_or(AppError::NotFound)?;
    let text = |l: &str| a.spec.info.get(l).cloned().unwrap_or_default();
    let (pl, en, uk) = (text("pl"), text("en"), text("uk"));
    let form = AlertForm {
        kind: a.spec.kind.as_str().into(),
        status: a.spec.status.as_str().into(),
        category: a.spec.category.as_str().into(),
        event: a.spec.event.clone(),
        urgency: a.spec.urgency.as_str().into(),
        severity: a.spec.severity.as_str().into(),
        certainty: a.spec.certainty.as_str().into(),
        topic: a.spec.topic.clone().unwrap_or_default(),
        headline_pl: pl.headline,
        description_pl: pl.description,
        instruction_pl: pl.instruction,
        headline_en: en.headline,
        description_en: en.description,
        instruction_en: en.instruction,
        headline_uk: uk.headline,
        description_uk: uk.description,
        instruction_uk: uk.instruction,
        area_description: a.spec.area.description.clone(),
        district: a.spec.area.districts.iter().map(i64::to_string).collect(),
        ask_safety: a.spec.ask_safety.then(|| "on".into()),
        ..AlertForm::blank()
    };
    render_compose(&state, &ctx, form, Vec::new(), Some(id)).await
}

pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AlertForm>,
) -> Result<Response, AppError> {
    let input = match form.to_input(state.config.time_zone()) {
        Ok(input) => input,
        Err(errors) => {
            let errors = errors.into_iter().map(|(f, k)| FieldError::new(&f, k)).collect();
            return render_compose(&state, &ctx, form, errors, Some(id)).await;
        }
    };
    match alerts::update(&state, ctx.official()?, id, &input).await {
        Ok((new_id, _)) => Ok(Redirect::to(&format!("/official/alerts/{new_id}")).into_response()),
        Err(CoreError::Invalid(errors)) => render_compose(&state, &ctx, form, errors, Some(id)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct Rendering {
    lang: String,
    channel: &'static str,
    subject: Option<String>,
    text: String,
    sms: Option<alerts::render::SmsSize>,
}

#[derive(Serialize)]
struct PreviewView {
    recipients: ChannelTotals,
    residents: i64,
    officials: i64,
    renderings: Vec<Rendering>,
    sms_max_parts: usize,
}

#[derive(Serialize)]
struct ChannelBar {
    channel: &'static str,
    label: String,
    total: i64,
    finished: i64,
    percent: i64,
    counts: hejnal_jobs::ChannelCounts,
}

#[derive(Serialize)]
struct AlertPage {
    #[serde(flatten)]
    chrome: Chrome,
    alert: AlertView,
    preview: Option<PreviewView>,
    /// The rendered progress section (once sent).
    live: Option<String>,
    refresh: bool,
    can_approve: bool,
    own_emergency: bool,
    can_cancel: bool,
    can_update: bool,
}

#[derive(Serialize)]
struct AlertView {
    id: i64,
    identifier: String,
    kind: &'static str,
    status: String,
    msg_type: String,
    state: String,
    references: Option<i64>,
    headline: String,
    area: String,
    districts: String,
    author: String,
    approver: Option<String>,
    created: String,
    sent: Option<String>,
    expires: String,
    scheduled: Option<String>,
    ask_safety: bool,
    /// The area on the district map (when boundaries are configured).
    map: Option<String>,
}

/// Per channel: how much of it is finished, for the progress bars.
fn bars(p: &ProgressJson, lang: crate::i18n::Lang) -> (Vec<ChannelBar>, i64) {
    let mut all = (0, 0);
    let bars = hejnal_jobs::Channel::ALL
        .into_iter()
        .filter_map(|c| {
            let n = p.channels.get(c.as_str())?.clone();
            let total = n.queued + n.sending + n.sent + n.delivered + n.failed + n.skipped;
            let finished = total - n.queued - n.sending;
            all = (all.0 + finished, all.1 + total);
            let percent = if total == 0 { 100 } else { finished * 100 / total };
            let label = crate::i18n::t(lang, &format!("channel-{}", c.as_str()));
            Some(ChannelBar { channel: c.as_str(), label, total, finished, percent, counts: n })
        })
        .collect();
    let percent = if all.1 == 0 { if p.done { 100 } else { 0 } } else { all.0 * 100 / all.1 };
    (bars, percent)
}

pub async fn show(State(state): State<AppState>, ctx: RequestContext, Path(id): Path<i64>) -> Result<Page, AppError> {
    let a = state.store.alert(id).await?.ok_or(AppError::NotFound)?;
    let official = ctx.official()?;
    let original = match a.references_id {
        Some(r) => state.store.alert(r).await?,
        None => None,
    };
    let preview = if matches!(a.state, AlertState::Draft | AlertState::Scheduled) {
        let p = alerts::preview(&state, a.id, &a.spec, a.msg_type, original.as_ref()).await?;
        let renderings = p
            .rendered
            .contents
            .iter()
            .map(|(channel, lang, content)| Rendering {
                lang: lang.clone(),
                channel: channel.as_str(),
                subject: content.subject.clone(),
                text: content.text.clone(),
                sms: (*channel == hejnal_jobs::Channel::Sms)
                    .then(|| p.rendered.sms.iter().find(|s| &s.lang == lang).cloned())
                    .flatten(),
            })
            .collect();
        Some(PreviewView {
            recipients: p.recipients,
            residents: p.residents,
            officials: p.officials,
            renderings,
            sms_max_parts: state.config.delivery.sms_max_parts,
        })
    } else {
        None
    };
    // Progress shows from the hand-over on (the broadcast may still be fanning out).
    let (live, refresh) = match a.sent_at {
        Some(_) => {
            let (html, done) = fragment(&state, &a, ctx.lang).await?;
            (Some(html), !done)
        }
        None => (None, false),
    };
    let is_draft = a.state == AlertState::Draft;
    let own_emergency = a.spec.kind == AlertKind::Emergency
        && a.author_id == official.id
        && !(a.spec.is_drill() && state.config.alerts.single_person_drills);
    let mut chrome = Chrome::new(&ctx, "alert-title");
    chrome.refresh_seconds = refresh.then_some(5);
    let page = AlertPage {
        chrome,
        can_approve: is_draft && official.has(Role::Approver) && !own_emergency,
        own_emergency: is_draft && own_emergency,
        can_cancel: official.has(Role::Approver)
            && a.msg_type != MsgType::Cancel
            && (a.state.before_sending() || a.state == AlertState::Sending),
        can_update: official.has(Role::Editor) && a.state == AlertState::Sending && a.msg_type != MsgType::Cancel,
        alert: view(&state, &ctx, &a).await?,
        preview,
        live,
        refresh,
    };
    state.templates.page("pages/official/alert", &page)
}

async fn view(state: &AppState, ctx: &RequestContext, a: &AlertRecord) -> Result<AlertView, AppError> {
    let names = state.store.list_districts().await?;
    let districts = a
        .districts
        .iter()
        .filter_map(|d| names.iter().find(|x| x.number == *d).map(|x| x.label()))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(AlertView {
        id: a.id,
        identifier: a.identifier.clone(),
        kind: a.spec.kind.as_str(),
        status: a.spec.status.as_str().into(),
        msg_type: a.msg_type.as_str().into(),
        state: a.state.as_str().into(),
        references: a.references_id,
        headline: a.spec.text(ctx.lang.code()).headline.clone(),
        area: a.spec.area.description.clone(),
        districts,
        author: a.author_name.clone(),
        approver: a.approver_name.clone(),
        created: state.config.local_minutes(a.created_at),
        sent: a.sent_at.map(|t| state.config.local_minutes(t)),
        expires: state.config.local_minutes(a.spec.expires_at),
        scheduled: a.spec.scheduled_at.map(|t| state.config.local_minutes(t)),
        ask_safety: a.spec.ask_safety,
        map: alert_map(state, ctx, &names, a),
    })
}

/// The map of a stored alert: the districts it resolved to and the shapes it was given.
pub fn alert_map(state: &AppState, ctx: &RequestContext, names: &[District], a: &AlertRecord) -> Option<String> {
    let area = map::Area { districts: &a.districts, polygons: &a.spec.area.polygons, circles: &a.spec.area.circles };
    map::for_page(state, ctx.lang, names, &area, "area-map", false)
}

/// The live part of an alert's page, rendered the same way for the page and for its event stream.
#[derive(Serialize)]
struct ProgressFragment<'a> {
    lang: crate::i18n::Lang,
    progress: &'a ProgressJson,
    bars: Vec<ChannelBar>,
    percent: i64,
    reasons: Vec<(String, i64)>,
    help_requests: Vec<HelpRequest>,
    ask_safety: bool,
}

async fn fragment(state: &AppState, a: &AlertRecord, lang: crate::i18n::Lang) -> Result<(String, bool), AppError> {
    let (p, replies) = progress_of(state, a).await?;
    let (bars, percent) = bars(&p, lang);
    let f = ProgressFragment {
        lang,
        progress: &p,
        bars,
        percent,
        reasons: p.reasons.clone().into_iter().collect(),
        help_requests: replies.help_requests,
        ask_safety: a.spec.ask_safety,
    };
    let html = state
        .templates
        .render("partials/alert-progress", &f)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("rendering progress failed: {e}")))?;
    Ok((html, p.done))
}

/// Live progress as server-sent events: a `progress` event (the page's progress section, as HTML) a second until
/// the broadcast is done. Without JavaScript the page reloads itself instead. `X-Accel-Buffering: no` asks a
/// buffering reverse proxy (nginx) to pass each event on at once.
pub async fn events(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<([(&'static str, &'static str); 1], Sse<impl Stream<Item = Result<Event, Infallible>>>), AppError> {
    state.store.alert(id).await?.ok_or(AppError::NotFound)?;
    let lang = ctx.lang;
    let stream = stream::unfold((state, false, true), move |(state, finished, first)| async move {
        if finished {
            return None;
        }
        if !first {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let a = match state.store.alert(id).await {
            Ok(Some(a)) => a,
            _ => return None,
        };
        match fragment(&state, &a, lang).await {
            Ok((html, done)) => {
                let done = done && a.broadcast_id.is_some();
                let event = Event::default().event(if done { "done" } else { "progress" }).data(html);
                Some((Ok(event), (state, done, false)))
            }
            Err(_) => Some((Ok(Event::default().event("error").data("")), (state, true, false))),
        }
    });
    Ok(([("x-accel-buffering", "no")], Sse::new(stream).keep_alive(KeepAlive::default())))
}

pub async fn approve(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Redirect, AppError> {
    alerts::approve(&state, ctx.official()?, id).await?;
    Ok(Redirect::to(&format!("/official/alerts/{id}")))
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Redirect, AppError> {
    let target = match alerts::cancel(&state, ctx.official()?, id).await? {
        Some(cancel_id) => cancel_id,
        None => id,
    };
    Ok(Redirect::to(&format!("/official/alerts/{target}")))
}
