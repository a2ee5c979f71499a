//! The public side of alerts: the list (filterable by district), an alert's page, its CAP document, the Atom
//! feed, the short links in SMS, and the residents' "are you safe?" replies (by link, and by SMS via Kannel).

use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    context::{CsrfForm, RequestContext},
    error::AppError,
    page::{Chrome, Page},
};
use crate::{
    alerts::{self, render::parse_reply_token},
    domain::lifecycle::AlertState,
    domain::{PhoneE164, cap::Status, secret_token::constant_time_eq},
    storage::AlertRecord,
    web::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alerts", get(list))
        .route("/alerts/feed.atom", get(feed))
        .route("/alerts/{id}", get(show))
        .route("/alerts/{id}/reply/{token}", get(reply_page).post(reply))
        .route("/a/{id}", get(short_link))
        .route("/hooks/sms/mo", get(sms_reply))
}

/// Only messages that went out are public; drafts and scheduled ones do not exist here.
async fn published(state: &AppState, id: i64) -> Result<AlertRecord, AppError> {
    match state.store.alert(id).await? {
        Some(a) if a.sent_at.is_some() => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Serialize)]
struct PublicAlert {
    id: i64,
    headline: String,
    description: String,
    instruction: String,
    area: String,
    districts: Vec<String>,
    kind: &'static str,
    status: String,
    drill: bool,
    msg_type: String,
    severity: String,
    urgency: String,
    category: String,
    sent: String,
    sent_iso: String,
    expires: String,
    active: bool,
    ended: bool,
    references: Option<i64>,
    /// The message is in another language than the page (Polish fallback).
    text_lang: String,
}

async fn public_alert(state: &AppState, ctx: &RequestContext, a: &AlertRecord) -> Result<PublicAlert, AppError> {
    let names = state.store.list_districts().await?;
    let lang = ctx.lang.code();
    let text_lang = if a.spec.info.contains_key(lang) { lang } else { "pl" };
    let text = a.spec.text(lang);
    let sent = a.sent_at.unwrap_or(a.created_at);
    Ok(PublicAlert {
        id: a.id,
        headline: text.headline.clone(),
        description: text.description.clone(),
        instruction: text.instruction.clone(),
        area: a.spec.area.description.clone(),
        districts: a
            .districts
            .iter()
            .filter_map(|d| names.iter().find(|x| x.number == *d).map(|x| x.label()))
            .collect(),
        kind: a.spec.kind.as_str(),
        status: a.spec.status.as_str().into(),
        drill: a.spec.is_drill(),
        msg_type: a.msg_type.as_str().into(),
        severity: a.spec.severity.as_str().into(),
        urgency: a.spec.urgency.as_str().into(),
        category: a.spec.category.as_str().into(),
        sent: state.config.local_minutes(sent),
        sent_iso: sent.to_rfc3339(),
        expires: state.config.local_minutes(a.spec.expires_at),
        active: a.state == AlertState::Sending && a.spec.expires_at > Utc::now(),
        ended: a.state.ended(),
        references: a.references_id,
        text_lang: text_lang.into(),
    })
}

#[derive(Deserialize)]
struct ListQuery {
    district: Option<String>,
}

#[derive(Serialize)]
struct DistrictOption {
    number: i64,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    chrome: Chrome,
    active: Vec<PublicAlert>,
    recent: Vec<PublicAlert>,
    districts: Vec<DistrictOption>,
    district_error: bool,
}

/// Actual alerts only: exercises and tests go to the test group, not the city's front page.
async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<ListQuery>,
) -> Result<Page, AppError> {
    let raw = q.district.as_deref().unwrap_or("").trim();
    let district: Option<i64> = raw.parse().ok();
    let names = state.store.list_districts().await?;
    let district_error = !raw.is_empty() && !district.is_some_and(|d| names.iter().any(|n| n.number == d));
    let mut active = Vec::new();
    let mut recent = Vec::new();
    for a in state.store.list_alerts(true, 200).await? {
        if a.spec.status != Status::Actual || district.is_some_and(|d| !a.districts.contains(&d)) {
            continue;
        }
        let p = public_alert(&state, &ctx, &a).await?;
        if p.active { active.push(p) } else { recent.push(p) }
    }
    recent.truncate(50);
    let districts = names
        .iter()
        .map(|d| DistrictOption { number: d.number, label: d.label(), selected: Some(d.number) == district })
        .collect();
    let page = ListPage { chrome: Chrome::new(&ctx, "public-alerts-title"), active, recent, districts, district_error };
    state.templates.page("pages/alerts/list", &page)
}

#[derive(Serialize)]
struct ShowPage {
    #[serde(flatten)]
    chrome: Chrome,
    alert: PublicAlert,
    /// The area on the district map (when boundaries are configured).
    map: Option<String>,
}

/// `/alerts/{id}` and `/alerts/{id}.cap.xml`.
async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    if let Some(id) = raw.strip_suffix(".cap.xml") {
        let a = published(&state, id.parse().map_err(|_| AppError::NotFound)?).await?;
        let original = match a.references_id {
            Some(r) => state.store.alert(r).await?,
            None => None,
        };
        let xml = alerts::cap::to_cap(&state, &a, original.as_ref()).to_xml();
        let mut res = xml.into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/cap+xml; charset=utf-8"));
        return Ok(res);
    }
    let a = published(&state, raw.parse().map_err(|_| AppError::NotFound)?).await?;
    let names = state.store.list_districts().await?;
    let page = ShowPage {
        chrome: Chrome::new(&ctx, "public-alert-title"),
        alert: public_alert(&state, &ctx, &a).await?,
        map: super::official::alerts::alert_map(&state, &ctx, &names, &a),
    };
    Ok(state.templates.page("pages/alerts/show", &page)?.into_response())
}

async fn short_link(Path(id): Path<i64>) -> Redirect {
    Redirect::to(&format!("/alerts/{id}"))
}

/// The one XML escaper (also the SVG maps' and charts').
use crate::stats::chart::escape as xml_escape;

/// An Atom feed (RFC 4287): one entry per public alert, linking to its page and its CAP document.
async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let list: Vec<AlertRecord> =
        state.store.list_alerts(true, 100).await?.into_iter().filter(|a| a.spec.status == Status::Actual).collect();
    let updated: DateTime<Utc> = list.iter().filter_map(|a| a.sent_at).max().unwrap_or(DateTime::UNIX_EPOCH);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"pl\">\n\
         <id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n<link rel=\"self\" href=\"{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n",
        xml_escape(&state.config.link("/alerts/feed.atom")),
        xml_escape(&crate::i18n::t(crate::i18n::Lang::Pl, "public-alerts-title")),
        updated.to_rfc3339(),
        xml_escape(&state.config.link("/alerts/feed.atom")),
        xml_escape(&state.config.link("/alerts")),
        xml_escape(&state.config.alerts.sender),
    );
    for a in &list {
        let text = a.spec.text("pl");
        let sent = a.sent_at.unwrap_or(a.created_at).to_rfc3339();
        xml.push_str(&format!(
            "<entry>\n<id>urn:cap:{}</id>\n<title>{}</title>\n<updated>{sent}</updated>\n<published>{sent}</published>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <link rel=\"related\" type=\"application/cap+xml\" href=\"{}\"/>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(&a.identifier),
            xml_escape(&text.headline),
            xml_escape(&state.config.link(&format!("/alerts/{}", a.id))),
            xml_escape(&state.config.link(&format!("/alerts/{}.cap.xml", a.id))),
            xml_escape(if text.instruction.is_empty() { &text.description } else { &text.instruction }),
        ));
    }
    xml.push_str("</feed>\n");
    let mut res = xml.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    Ok(res)
}

#[derive(Deserialize)]
struct ReplyQuery {
    answer: Option<String>,
}

#[derive(Serialize)]
struct ReplyPage {
    #[serde(flatten)]
    chrome: Chrome,
    alert: PublicAlert,
    token: String,
    answer: String,
    recorded: Option<String>,
}

/// A personal reply link opens a page with the answer chosen; one button records it. (A link alone must not
/// record: mail scanners open links, and a scanner must never say someone is safe.)
async fn reply_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((id, token)): Path<(i64, String)>,
    Query(q): Query<ReplyQuery>,
) -> Result<Page, AppError> {
    let (alert_id, _) = parse_reply_token(&state.keys.unsubscribe_secret, &token)
        .filter(|(a, _)| *a == id)
        .ok_or(AppError::NotFound)?;
    let a = published(&state, alert_id).await?;
    let answer = match q.answer.as_deref() {
        Some("help") => "help",
        _ => "safe",
    };
    let page = ReplyPage {
        chrome: Chrome::new(&ctx, "reply-title"),
        alert: public_alert(&state, &ctx, &a).await?,
        token,
        answer: answer.into(),
        recorded: None,
    };
    state.templates.page("pages/alerts/reply", &page)
}

#[derive(Deserialize)]
struct ReplyForm {
    answer: String,
    share_contact: Option<String>,
}

async fn reply(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((id, token)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<ReplyForm>,
) -> Result<Page, AppError> {
    let (alert_id, resident_id) = parse_reply_token(&state.keys.unsubscribe_secret, &token)
        .filter(|(a, _)| *a == id)
        .ok_or(AppError::NotFound)?;
    let a = published(&state, alert_id).await?;
    let answer = match form.answer.as_str() {
        "safe" | "help" => form.answer.clone(),
        _ => return Err(AppError::BadForm(Some("answer must be safe or help".into()))),
    };
    let share = answer == "help" && form.share_contact.is_some();
    state.store.record_reply(alert_id, resident_id, &answer, "web", share, Utc::now()).await?;
    tracing::info!(alert_id, resident_id, answer = answer.as_str(), "safety reply");
    let page = ReplyPage {
        chrome: Chrome::new(&ctx, "reply-title"),
        alert: public_alert(&state, &ctx, &a).await?,
        token,
        answer: answer.clone(),
        recorded: Some(answer),
    };
    state.templates.page("pages/alerts/reply", &page)
}

#[derive(Deserialize)]
struct MoQuery {
    key: String,
    from: String,
    text: String,
}

/// Kannel's `sms-service` forwards a resident's SMS here (`get-url = ".../hooks/sms/mo?key=K&from=%p&text=%a"`).
/// "1" (or TAK, SAFE, OK) means safe, "2" (or POMOC, HELP) needs help. Answers with an empty body: no reply SMS.
async fn sms_reply(State(state): State<AppState>, Query(q): Query<MoQuery>) -> Result<Response, AppError> {
    let Some(expected) = &state.config.alerts.sms_reply_key else { return Err(AppError::NotFound) };
    if !constant_time_eq(expected.expose(), &q.key) {
        return Err(AppError::Forbidden);
    }
    let answer = match q.text.trim().to_uppercase().as_str() {
        "1" | "TAK" | "SAFE" | "OK" | "BEZPIECZNY" | "BEZPIECZNA" | "ТАК" => "safe",
        "2" | "POMOC" | "HELP" | "ДОПОМОГА" => "help",
        _ => return Ok(StatusCode::NO_CONTENT.into_response()),
    };
    let Ok(phone) = PhoneE164::parse(&q.from) else { return Ok(StatusCode::NO_CONTENT.into_response()) };
    let Some(resident_id) = state.store.resident_by_phone(phone.as_str()).await? else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let Some(alert_id) = state.store.safety_alert_for_sms(resident_id, Utc::now()).await? else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    // By SMS the resident asked for help from their own number: that number is what the crisis team calls.
    state.store.record_reply(alert_id, resident_id, answer, "sms", answer == "help", Utc::now()).await?;
    tracing::info!(alert_id, resident_id, answer, "safety reply by SMS");
    Ok(StatusCode::NO_CONTENT.into_response())
}
