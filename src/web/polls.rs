//! Quick polls: one question with 2–10 options, on the public site or for signed-in panel members only.
//!
//! - Officials: `/official/polls` lists every poll (any official) with the create form (editors);
//!   `/official/polls/{id}` shows one with its results; `POST /official/polls/{id}/close` closes it early (editors).
//! - Everyone: `/polls` lists open polls (panel polls too, with a sign-in link) and recently closed ones;
//!   `/polls/{id}` is the question as a form, and after voting (or once closed) the results: counts, percentages, an
//!   SVG bar chart and the same numbers in a table. Public results always say they are a self-selected sample.
//! - JSON: `GET /api/v1/polls/{id}` and `POST /api/v1/polls/{id}/votes` `{"option": "2"}` (plain axum routes).
//!
//! Repeat voting: a panel poll takes one vote per resident (a unique index; a second vote is refused, nothing
//! changes). A public poll sets an HttpOnly cookie `hejnal_poll_{id}` after a vote and refuses another vote from a
//! browser that sends it; and a governor limiter keyed by (poll, client address) allows [`VOTES_PER_ADDRESS`] votes,
//! then one more every [`VOTE_REFILL_SECS`] seconds (5 an hour). The address lives only in that in-memory limiter:
//! it is never stored or logged.

use std::{
    net::IpAddr,
    sync::{Arc, Mutex, OnceLock, Weak},
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use governor::{DefaultKeyedRateLimiter, clock::Clock};
use serde::{Deserialize, Serialize};

use super::{
    api::ApiJson,
    context::{CSRF_HEADER, CsrfForm, RequestContext, append_cookie, require_roles},
    error::{AppError, FieldError},
    official::{ANY_OFFICIAL, login::quota},
    page::{Chrome, Page},
    panel::{RESIDENT_COOKIE, RESIDENT_SESSION_MINUTES},
};
use crate::{
    app::AppState,
    config::Config,
    domain::{Role, secret_token},
    i18n::{self, Lang},
    stats::chart::{Bar, bar_chart},
    storage::polls::{Audience, NewPoll, PollRecord, PollState, PollText, VoteOutcome},
};

/// Editors create and close polls.
pub const EDITORS: &[Role] = &[Role::Editor];
/// Votes one client address may cast in one public poll at once…
pub const VOTES_PER_ADDRESS: u32 = 5;
/// …then one more every so many seconds (5 an hour).
pub const VOTE_REFILL_SECS: u64 = 720;
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 10;
const MAX_QUESTION_CHARS: usize = 300;
const MAX_OPTION_CHARS: usize = 200;
/// Closed polls listed on `/polls`.
const RECENTLY_CLOSED: usize = 20;

pub fn router() -> Router<AppState> {
    let view = Router::new()
        .route("/official/polls", get(official_list))
        .route("/official/polls/{id}", get(official_show))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)));
    let edit = Router::new()
        .route("/official/polls", post(official_create))
        .route("/official/polls/{id}/close", post(official_close))
        .route_layer(middleware::from_fn(|req, next| require_roles(EDITORS, req, next)));
    Router::new()
        .route("/polls", get(public_list))
        .route("/polls/{id}", get(public_show))
        .route("/polls/{id}/vote", post(vote_form))
        .route("/api/v1/polls/{id}", get(api_show))
        .route("/api/v1/polls/{id}/votes", post(api_vote))
        .merge(view)
        .merge(edit)
}

// ---------------------------------------------------------------------------------------------------------------
// Repeat-vote limits.

/// The per-address limiter of public votes, keyed by (poll, address). In memory only.
pub struct VoteLimiter {
    per_address: DefaultKeyedRateLimiter<(i64, IpAddr)>,
}

impl Default for VoteLimiter {
    fn default() -> Self {
        Self { per_address: governor::RateLimiter::keyed(quota(VOTES_PER_ADDRESS, VOTE_REFILL_SECS)) }
    }
}

impl VoteLimiter {
    /// Takes one vote from the budget; `Err(seconds)` until the next one is allowed.
    pub fn check(&self, poll_id: i64, ip: IpAddr) -> Result<(), u64> {
        if self.per_address.len() > 100_000 {
            self.per_address.retain_recent();
        }
        let clock = governor::clock::DefaultClock::default();
        self.per_address.check_key(&(poll_id, ip)).map_err(|e| e.wait_time_from(clock.now()).as_secs().max(1))
    }
}

/// One limiter per running application (found by its configuration's identity: tests run several applications in
/// one process, and each must start with a fresh budget). The `Weak` keeps the address from being reused while the
/// entry exists; entries of stopped applications are dropped.
fn limiter(state: &AppState) -> Arc<VoteLimiter> {
    type Registry = Mutex<Vec<(Weak<Config>, Arc<VoteLimiter>)>>;
    static LIMITERS: OnceLock<Registry> = OnceLock::new();
    let mut list = LIMITERS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    list.retain(|(w, _)| w.strong_count() > 0);
    if let Some((_, l)) = list.iter().find(|(w, _)| std::ptr::eq(w.as_ptr(), Arc::as_ptr(&state.config))) {
        return l.clone();
    }
    let l = Arc::new(VoteLimiter::default());
    list.push((Arc::downgrade(&state.config), l.clone()));
    l
}

/// The cookie that marks a public poll as voted in from this browser.
pub fn voted_cookie_name(poll_id: i64) -> String {
    format!("hejnal_poll_{poll_id}")
}

fn voted_cookie(state: &AppState, poll: &PollRecord) -> Cookie<'static> {
    let days = (poll.closes_at - Utc::now()).num_days().max(0) + 365;
    Cookie::build((voted_cookie_name(poll.id), "1"))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(cookie::time::Duration::days(days))
        .build()
}

/// The signed-in resident, from the resident session cookie (sliding its expiry, as `/me` does).
async fn resident_id(state: &AppState, headers: &HeaderMap) -> Result<Option<i64>, AppError> {
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(RESIDENT_COOKIE) else { return Ok(None) };
    let now = Utc::now();
    let expiry = now + chrono::Duration::minutes(RESIDENT_SESSION_MINUTES);
    Ok(state.store.resident_session(&secret_token::hash(cookie.value()), now, expiry).await?)
}

/// Who is looking at or voting in a poll, and whether they already voted.
struct Viewer {
    resident: Option<i64>,
    voted: bool,
}

async fn viewer(state: &AppState, headers: &HeaderMap, poll: &PollRecord) -> Result<Viewer, AppError> {
    match poll.audience {
        Audience::Public => Ok(Viewer {
            resident: None,
            voted: CookieJar::from_headers(headers).get(&voted_cookie_name(poll.id)).is_some(),
        }),
        Audience::Panel => {
            let resident = resident_id(state, headers).await?;
            let voted = match resident {
                Some(r) => state.store.has_voted(poll.id, r).await?,
                None => false,
            };
            Ok(Viewer { resident, voted })
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Voting, shared by the form and the API.

/// Why a vote was not recorded.
#[derive(Debug)]
enum Refusal {
    SignIn,
    NotYetOpen,
    Closed,
    Invalid(FieldError),
    AlreadyVoted(Audience),
    TooMany(u64),
    /// Not a refusal: the database failed.
    Failed(AppError),
}

impl Refusal {
    fn status(&self) -> StatusCode {
        match self {
            Refusal::SignIn => StatusCode::UNAUTHORIZED,
            Refusal::NotYetOpen | Refusal::Closed | Refusal::AlreadyVoted(_) => StatusCode::CONFLICT,
            Refusal::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Refusal::SignIn => "poll-refused-sign-in",
            Refusal::NotYetOpen => "poll-refused-not-open",
            Refusal::Closed => "poll-refused-closed",
            Refusal::Invalid(_) => "poll-refused-invalid",
            Refusal::AlreadyVoted(Audience::Panel) => "poll-refused-voted-panel",
            Refusal::AlreadyVoted(Audience::Public) => "poll-refused-voted-browser",
            Refusal::TooMany(_) => "poll-refused-too-many",
            Refusal::Failed(_) => "error-internal-detail",
        }
    }

    /// The problem+json answer.
    fn into_api(self) -> Response {
        let retry = if let Refusal::TooMany(s) = self { Some(s) } else { None };
        let err = match self {
            Refusal::Invalid(e) => AppError::Invalid(vec![e]),
            Refusal::Failed(e) => e,
            other => AppError::Refused { status: other.status(), key: other.key() },
        };
        let mut res = err.into_response();
        if let Some(secs) = retry {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// Checks and records one vote. `raw` is the option's value as sent (`"1"` … `"10"`).
async fn cast(
    state: &AppState,
    ctx: &RequestContext,
    poll: &PollRecord,
    viewer: &Viewer,
    raw: Option<&str>,
) -> Result<(), Refusal> {
    if poll.audience == Audience::Panel && viewer.resident.is_none() {
        return Err(Refusal::SignIn);
    }
    let now = Utc::now();
    match poll.state(now) {
        PollState::Upcoming => return Err(Refusal::NotYetOpen),
        PollState::Closed => return Err(Refusal::Closed),
        PollState::Open => {}
    }
    let raw = raw.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Err(Refusal::Invalid(FieldError::new("option", "poll-error-option-choose")));
    }
    let Some(position) = raw.parse::<i64>().ok().filter(|p| poll.option(*p).is_some()) else {
        return Err(Refusal::Invalid(FieldError::new("option", "poll-error-option-unknown")));
    };
    if viewer.voted {
        return Err(Refusal::AlreadyVoted(poll.audience));
    }
    if poll.audience == Audience::Public {
        limiter(state).check(poll.id, ctx.client_ip).map_err(Refusal::TooMany)?;
    }
    let outcome = state
        .store
        .record_vote(poll.id, position, viewer.resident, now)
        .await
        .map_err(|e| Refusal::Failed(e.into()))?;
    match outcome {
        VoteOutcome::Recorded => {
            tracing::info!(poll_id = poll.id, audience = poll.audience.as_str(), "poll vote recorded");
            Ok(())
        }
        VoteOutcome::NotOpen => Err(Refusal::Closed),
        VoteOutcome::AlreadyVoted => Err(Refusal::AlreadyVoted(poll.audience)),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Views shared by the pages.

fn local(state: &AppState, t: DateTime<Utc>) -> String {
    t.with_timezone(&state.config.time_zone()).format("%Y-%m-%d %H:%M").to_string()
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    text: String,
    /// Set when the text is not in the page's language (Polish fallback).
    lang: Option<&'static str>,
}

#[derive(Serialize)]
struct PollView {
    id: i64,
    question: String,
    question_lang: Option<&'static str>,
    audience: &'static str,
    panel: bool,
    state: &'static str,
    state_key: &'static str,
    opens: String,
    closes: String,
    closes_iso: String,
    closed_early: bool,
    votes: i64,
    options: Vec<OptionView>,
}

fn text_in(text: &PollText, lang: Lang) -> (String, Option<&'static str>) {
    let (s, in_lang) = text.get(lang.code());
    (s.to_string(), (in_lang != lang.code()).then_some(in_lang))
}

fn state_key(s: PollState) -> &'static str {
    match s {
        PollState::Upcoming => "poll-state-upcoming",
        PollState::Open => "poll-state-open",
        PollState::Closed => "poll-state-closed",
    }
}

fn poll_view(state: &AppState, lang: Lang, poll: &PollRecord) -> PollView {
    let (question, question_lang) = text_in(&poll.question, lang);
    let s = poll.state(Utc::now());
    PollView {
        id: poll.id,
        question,
        question_lang,
        audience: poll.audience.as_str(),
        panel: poll.audience == Audience::Panel,
        state: s.as_str(),
        state_key: state_key(s),
        opens: local(state, poll.opens_at),
        closes: local(state, poll.closes_at),
        closes_iso: poll.closes_at.to_rfc3339(),
        closed_early: poll.closed_early_at.is_some(),
        votes: poll.votes,
        options: poll
            .options
            .iter()
            .map(|o| {
                let (text, lang) = text_in(&o.text, lang);
                OptionView { value: o.position.to_string(), text, lang }
            })
            .collect(),
    }
}

/// Results: a row per option (in the poll's order, zeros included).
#[derive(Serialize)]
struct ResultRow {
    value: String,
    text: String,
    lang: Option<&'static str>,
    votes: i64,
    /// Rounded to a whole percent of all votes.
    percent: i64,
}

#[derive(Serialize)]
struct ResultsView {
    total: i64,
    rows: Vec<ResultRow>,
    /// The server-drawn SVG (`{{{chart}}}`): every text in it is escaped by `bar_chart`.
    chart: String,
    /// Public polls: the self-selected sample label.
    public: bool,
}

fn percent(votes: i64, total: i64) -> i64 {
    if total > 0 { (votes * 100 + total / 2) / total } else { 0 }
}

async fn results(state: &AppState, lang: Lang, poll: &PollRecord) -> Result<ResultsView, AppError> {
    let counts = state.store.poll_counts(poll.id).await?;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let rows: Vec<ResultRow> = poll
        .options
        .iter()
        .map(|o| {
            let votes = counts.iter().find(|(p, _)| *p == o.position).map(|(_, n)| *n).unwrap_or(0);
            let (text, lang) = text_in(&o.text, lang);
            ResultRow { value: o.position.to_string(), text, lang, votes, percent: percent(votes, total) }
        })
        .collect();
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.text.clone(),
            value: r.votes as f64,
            display: format!("{} ({} %)", r.votes, r.percent),
            suppressed: false,
        })
        .collect();
    let (question, _) = text_in(&poll.question, lang);
    let title = i18n::tr(lang, "poll-chart-title", &[("question", question.into())]);
    let chart = bar_chart(&format!("poll-{}-chart", poll.id), &title, &bars);
    Ok(ResultsView { total, rows, chart, public: poll.audience == Audience::Public })
}

/// A sentence above the form or the results.
#[derive(Serialize)]
struct Notice {
    key: &'static str,
    args: serde_json::Map<String, serde_json::Value>,
    /// A refusal (announced at once) rather than information.
    alert: bool,
}

impl Notice {
    fn info(key: &'static str) -> Self {
        Self { key, args: serde_json::Map::new(), alert: false }
    }

    fn with(mut self, name: &str, value: String) -> Self {
        self.args.insert(name.into(), serde_json::Value::String(value));
        self
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Public pages.

#[derive(Serialize)]
struct ListPage {
    #[serde(flatten)]
    chrome: Chrome,
    open: Vec<PollView>,
    closed: Vec<PollView>,
    signed_in: bool,
}

async fn public_list(State(state): State<AppState>, ctx: RequestContext, headers: HeaderMap) -> Result<Page, AppError> {
    let now = Utc::now();
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for p in state.store.list_polls(200).await? {
        match p.state(now) {
            PollState::Open => open.push(poll_view(&state, ctx.lang, &p)),
            PollState::Closed if closed.len() < RECENTLY_CLOSED => closed.push(poll_view(&state, ctx.lang, &p)),
            _ => {}
        }
    }
    let signed_in = resident_id(&state, &headers).await?.is_some();
    let page = ListPage { chrome: Chrome::new(&ctx, "polls-title"), open, closed, signed_in };
    state.templates.page("pages/polls/list", &page)
}

#[derive(Serialize)]
struct ShowPage {
    #[serde(flatten)]
    chrome: Chrome,
    poll: PollView,
    show_form: bool,
    sign_in: bool,
    voted: bool,
    notice: Option<Notice>,
    errors: Vec<FieldError>,
    results: Option<ResultsView>,
    selected: String,
}

async fn render_show(
    state: &AppState,
    ctx: &RequestContext,
    poll: &PollRecord,
    viewer: &Viewer,
    refusal: Option<&Refusal>,
    selected: &str,
) -> Result<Response, AppError> {
    let s = poll.state(Utc::now());
    let show_form = s == PollState::Open
        && !viewer.voted
        && (poll.audience == Audience::Public || viewer.resident.is_some())
        && !matches!(refusal, Some(Refusal::TooMany(_)));
    let sign_in = s == PollState::Open && poll.audience == Audience::Panel && viewer.resident.is_none();
    let show_results = s == PollState::Closed || viewer.voted;
    let mut errors = Vec::new();
    let notice = match refusal {
        Some(Refusal::Invalid(e)) => {
            errors.push(e.clone());
            None
        }
        Some(r) => Some(Notice { alert: true, ..Notice::info(r.key()) }),
        None if viewer.voted && s == PollState::Open => Some(Notice::info("poll-voted")),
        None => None,
    };
    let status_notice = match s {
        PollState::Upcoming => Some(Notice::info("poll-upcoming").with("when", local(state, poll.opens_at))),
        PollState::Closed => Some(Notice::info("poll-closed").with("when", local(state, poll.closes_at))),
        PollState::Open => None,
    };
    let page = ShowPage {
        chrome: Chrome::new(ctx, "poll-title"),
        poll: poll_view(state, ctx.lang, poll),
        show_form,
        sign_in,
        voted: viewer.voted,
        notice: notice.or(status_notice),
        errors,
        results: if show_results { Some(results(state, ctx.lang, poll).await?) } else { None },
        selected: selected.to_string(),
    };
    let status = refusal.map(Refusal::status).unwrap_or(StatusCode::OK);
    let mut res = (status, state.templates.page("pages/polls/show", &page)?).into_response();
    if let Some(Refusal::TooMany(secs)) = refusal {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*secs));
    }
    Ok(res)
}

async fn load(state: &AppState, id: i64) -> Result<PollRecord, AppError> {
    state.store.poll(id).await?.ok_or(AppError::NotFound)
}

async fn public_show(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let poll = load(&state, id).await?;
    let viewer = viewer(&state, &headers, &poll).await?;
    render_show(&state, &ctx, &poll, &viewer, None, "").await
}

#[derive(Deserialize)]
struct VoteForm {
    option: Option<String>,
}

/// The form's vote: back to the poll's page (now with the results), or the page again with the refusal.
async fn vote_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> Result<Response, AppError> {
    let poll = load(&state, id).await?;
    let viewer = viewer(&state, &headers, &poll).await?;
    match cast(&state, &ctx, &poll, &viewer, form.option.as_deref()).await {
        Ok(()) => {
            let mut res = Redirect::to(&format!("/polls/{id}")).into_response();
            if poll.audience == Audience::Public {
                append_cookie(&mut res, voted_cookie(&state, &poll));
            }
            Ok(res)
        }
        Err(Refusal::SignIn) => Ok(Redirect::to("/me/signin").into_response()),
        Err(Refusal::Failed(e)) => Err(e),
        Err(r) => {
            // A second vote refused by the database: show the results as to anyone who voted.
            let viewer = Viewer { voted: viewer.voted || matches!(r, Refusal::AlreadyVoted(_)), ..viewer };
            render_show(&state, &ctx, &poll, &viewer, Some(&r), form.option.as_deref().unwrap_or("")).await
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON.

#[derive(Serialize)]
pub struct PollOptionJson {
    pub value: String,
    pub text: PollText,
}

#[derive(Serialize)]
pub struct ResultOptionJson {
    pub value: String,
    pub votes: i64,
    pub percent: i64,
}

#[derive(Serialize)]
pub struct ResultsJson {
    pub total: i64,
    pub options: Vec<ResultOptionJson>,
    /// `self-selected` for public polls (anyone could vote, as often as the limits allowed), `panel` for panel polls
    /// (panel members who chose to answer); neither is weighted or representative.
    pub sample: &'static str,
    /// The label to show with the results, in the caller's language.
    pub note: String,
}

#[derive(Serialize)]
pub struct PollJson {
    pub id: i64,
    pub question: PollText,
    pub audience: Audience,
    pub state: PollState,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub options: Vec<PollOptionJson>,
    /// The caller already voted (the resident, or this client's cookie for a public poll).
    pub voted: bool,
    /// Only once the poll is closed or the caller has voted; `null` before.
    pub results: Option<ResultsJson>,
}

async fn poll_json(state: &AppState, lang: Lang, poll: &PollRecord, voted: bool) -> Result<PollJson, AppError> {
    let s = poll.state(Utc::now());
    let results = if s == PollState::Closed || voted {
        let r = results(state, lang, poll).await?;
        let (sample, note) = match poll.audience {
            Audience::Public => ("self-selected", "poll-sample-public"),
            Audience::Panel => ("panel", "poll-sample-panel"),
        };
        Some(ResultsJson {
            total: r.total,
            options: r
                .rows
                .into_iter()
                .map(|row| ResultOptionJson { value: row.value, votes: row.votes, percent: row.percent })
                .collect(),
            sample,
            note: i18n::t(lang, note),
        })
    } else {
        None
    };
    Ok(PollJson {
        id: poll.id,
        question: poll.question.clone(),
        audience: poll.audience,
        state: s,
        opens_at: poll.opens_at,
        closes_at: poll.closes_at,
        options: poll
            .options
            .iter()
            .map(|o| PollOptionJson { value: o.position.to_string(), text: o.text.clone() })
            .collect(),
        voted,
        results,
    })
}

/// Upcoming polls are not public yet.
async fn api_show(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<PollJson>, AppError> {
    let poll = load(&state, id).await?;
    if poll.state(Utc::now()) == PollState::Upcoming && ctx.official.is_none() {
        return Err(AppError::NotFound);
    }
    let viewer = viewer(&state, &headers, &poll).await?;
    Ok(Json(poll_json(&state, ctx.lang, &poll, viewer.voted).await?))
}

#[derive(Deserialize)]
struct VoteJson {
    /// The option's value, as a string (`"2"`) or a number (`2`).
    option: Option<serde_json::Value>,
}

async fn api_vote(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<VoteJson>,
) -> Result<Response, AppError> {
    let poll = load(&state, id).await?;
    let viewer = viewer(&state, &headers, &poll).await?;
    // A resident's session cookie makes this a cookie-authenticated write: it needs the page's CSRF token.
    if viewer.resident.is_some() {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !secret_token::constant_time_eq(sent, &ctx.csrf) {
            return Err(AppError::CsrfFailed);
        }
    }
    let raw = match &body.option {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(other.to_string()),
        None => None,
    };
    if let Err(r) = cast(&state, &ctx, &poll, &viewer, raw.as_deref()).await {
        return Ok(r.into_api());
    }
    let poll = load(&state, id).await?;
    let mut res = (StatusCode::CREATED, Json(poll_json(&state, ctx.lang, &poll, true).await?)).into_response();
    if poll.audience == Audience::Public {
        append_cookie(&mut res, voted_cookie(&state, &poll));
    }
    Ok(res)
}

// ---------------------------------------------------------------------------------------------------------------
// Officials' pages.

/// The create form's fields, as the browser sends them. Option rows repeat `option_pl`/`option_en`/`option_uk`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PollForm {
    pub question_pl: String,
    pub question_en: String,
    pub question_uk: String,
    pub option_pl: Vec<String>,
    pub option_en: Vec<String>,
    pub option_uk: Vec<String>,
    pub audience: String,
    /// `datetime-local` values in the city's time zone; `opens` empty means now.
    pub opens: String,
    pub closes: String,
}

/// A `datetime-local` value (`2026-12-01T12:00`) in the city's zone.
fn parse_local(value: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let v = value.trim();
    NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .map(|t| t.with_timezone(&Utc))
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl PollForm {
    fn blank(tz: chrono_tz::Tz) -> Self {
        let closes = (Utc::now() + chrono::Duration::days(7)).with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
        Self { audience: "public".into(), closes, ..Self::default() }
    }

    /// Validates the form into a new poll; every problem is named by its field.
    pub fn validate(&self, tz: chrono_tz::Tz, now: DateTime<Utc>, author_id: i64) -> Result<NewPoll, Vec<FieldError>> {
        let mut errors = Vec::new();
        let question = PollText {
            pl: self.question_pl.trim().to_string(),
            en: optional(&self.question_en),
            uk: optional(&self.question_uk),
        };
        if question.pl.is_empty() {
            errors.push(FieldError::new("question.pl", "poll-error-question-pl"));
        }
        for (field, text) in [
            ("question.pl", Some(&question.pl)),
            ("question.en", question.en.as_ref()),
            ("question.uk", question.uk.as_ref()),
        ] {
            if text.is_some_and(|t| t.chars().count() > MAX_QUESTION_CHARS) {
                errors.push(FieldError::new(field, "poll-error-question-long"));
            }
        }
        let rows = self.option_pl.len().max(self.option_en.len()).max(self.option_uk.len());
        let cell = |v: &Vec<String>, i: usize| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        let mut options: Vec<PollText> = Vec::new();
        for i in 0..rows {
            let (pl, en, uk) = (cell(&self.option_pl, i), cell(&self.option_en, i), cell(&self.option_uk, i));
            if pl.is_empty() && en.is_empty() && uk.is_empty() {
                continue;
            }
            let n = i + 1;
            if pl.is_empty() {
                errors.push(FieldError::new(&format!("options.{n}.pl"), "poll-error-option-pl"));
                continue;
            }
            for (lang, text) in [("pl", &pl), ("en", &en), ("uk", &uk)] {
                if text.chars().count() > MAX_OPTION_CHARS {
                    errors.push(FieldError::new(&format!("options.{n}.{lang}"), "poll-error-option-long"));
                }
            }
            if options.iter().any(|o| o.pl.to_lowercase() == pl.to_lowercase()) {
                errors.push(FieldError::new(&format!("options.{n}.pl"), "poll-error-option-duplicate"));
            }
            options.push(PollText { pl, en: optional(&en), uk: optional(&uk) });
        }
        if options.len() < MIN_OPTIONS && !errors.iter().any(|e| e.field.starts_with("options.")) {
            errors.push(FieldError::new("options", "poll-error-options-few"));
        }
        if options.len() > MAX_OPTIONS {
            errors.push(FieldError::new("options", "poll-error-options-many"));
        }
        let audience = Audience::parse(self.audience.trim());
        if audience.is_none() {
            errors.push(FieldError::new("audience", "poll-error-audience"));
        }
        let opens_at = if self.opens.trim().is_empty() {
            Some(now)
        } else {
            let t = parse_local(&self.opens, tz);
            if t.is_none() {
                errors.push(FieldError::new("opens", "poll-error-time"));
            }
            t
        };
        let closes_at = if self.closes.trim().is_empty() {
            errors.push(FieldError::new("closes", "poll-error-closes-missing"));
            None
        } else {
            let t = parse_local(&self.closes, tz);
            match (t, opens_at) {
                (None, _) => errors.push(FieldError::new("closes", "poll-error-time")),
                (Some(c), _) if c <= now => errors.push(FieldError::new("closes", "poll-error-closes-past")),
                (Some(c), Some(o)) if c <= o => errors.push(FieldError::new("closes", "poll-error-closes-before")),
                _ => {}
            }
            t
        };
        match (errors.is_empty(), audience, opens_at, closes_at) {
            (true, Some(audience), Some(opens_at), Some(closes_at)) => {
                Ok(NewPoll { question, options, audience, opens_at, closes_at, author_id, created_at: now })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Serialize)]
struct OptionRowView {
    n: usize,
    pl: String,
    en: String,
    uk: String,
}

#[derive(Serialize)]
struct OfficialListPage {
    #[serde(flatten)]
    chrome: Chrome,
    polls: Vec<PollView>,
    can_create: bool,
    form: PollForm,
    rows: Vec<OptionRowView>,
    errors: Vec<FieldError>,
}

async fn render_official_list(
    state: &AppState,
    ctx: &RequestContext,
    form: PollForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let polls = state.store.list_polls(200).await?.iter().map(|p| poll_view(state, ctx.lang, p)).collect();
    let cell = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let rows = (0..MAX_OPTIONS)
        .map(|i| OptionRowView {
            n: i + 1,
            pl: cell(&form.option_pl, i),
            en: cell(&form.option_en, i),
            uk: cell(&form.option_uk, i),
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OfficialListPage {
        chrome: Chrome::new(ctx, "polls-official-title"),
        polls,
        can_create: ctx.official()?.has(Role::Editor),
        form,
        rows,
        errors,
    };
    Ok((status, state.templates.page("pages/polls/official-list", &page)?).into_response())
}

async fn official_list(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let form = PollForm::blank(state.config.time_zone());
    render_official_list(&state, &ctx, form, Vec::new()).await
}

async fn official_create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<PollForm>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    match form.validate(state.config.time_zone(), Utc::now(), official.id) {
        Ok(new) => {
            let id = state.store.create_poll(&new).await?;
            tracing::info!(poll_id = id, official_id = official.id, audience = new.audience.as_str(), "poll created");
            Ok(Redirect::to(&format!("/official/polls/{id}")).into_response())
        }
        Err(errors) => render_official_list(&state, &ctx, form, errors).await,
    }
}

#[derive(Serialize)]
struct OfficialShowPage {
    #[serde(flatten)]
    chrome: Chrome,
    poll: PollView,
    author: String,
    results: ResultsView,
    can_close: bool,
    notice: Option<Notice>,
}

async fn official_show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_official_show(&state, &ctx, &load(&state, id).await?, None).await
}

async fn render_official_show(
    state: &AppState,
    ctx: &RequestContext,
    poll: &PollRecord,
    refused: Option<(StatusCode, &'static str)>,
) -> Result<Response, AppError> {
    let page = OfficialShowPage {
        chrome: Chrome::new(ctx, "poll-official-title"),
        poll: poll_view(state, ctx.lang, poll),
        author: poll.author_name.clone(),
        results: results(state, ctx.lang, poll).await?,
        can_close: ctx.official()?.has(Role::Editor) && poll.state(Utc::now()) != PollState::Closed,
        notice: refused.map(|(_, key)| Notice { alert: true, ..Notice::info(key) }),
    };
    let status = refused.map(|(s, _)| s).unwrap_or(StatusCode::OK);
    Ok((status, state.templates.page("pages/polls/official-show", &page)?).into_response())
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
struct NoFields {}

async fn official_close(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let poll = load(&state, id).await?;
    if state.store.close_poll(id, official.id, Utc::now()).await? {
        tracing::info!(poll_id = id, official_id = official.id, "poll closed early");
        Ok(Redirect::to(&format!("/official/polls/{id}")).into_response())
    } else {
        render_official_show(&state, &ctx, &poll, Some((StatusCode::CONFLICT, "poll-refused-already-closed"))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PollForm {
        PollForm {
            question_pl: " Czy zamknąć Rynek dla rowerów? ".into(),
            option_pl: vec!["Tak".into(), "".into(), "Nie".into(), "".into()],
            option_en: vec!["Yes".into(), "".into(), "No".into(), "".into()],
            option_uk: vec!["".into(); 4],
            audience: "public".into(),
            closes: "2099-01-01T12:00".into(),
            ..PollForm::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_a_poll() {
        let now = Utc::now();
        let p = form().validate(chrono_tz::Europe::Warsaw, now, 7).unwrap();
        assert_eq!(p.question.pl, "Czy zamknąć Rynek dla rowerów?");
        assert_eq!(p.options.len(), 2, "empty rows are skipped");
        assert_eq!(p.options[1].en.as_deref(), Some("No"));
        assert_eq!(p.options[1].uk, None);
        assert_eq!(p.opens_at, now);
        assert_eq!(p.closes_at.to_rfc3339(), "2099-01-01T11:00:00+00:00");
    }

    #[test]
    fn every_problem_is_named() {
        let fields = |f: PollForm| -> Vec<String> {
            f.validate(chrono_tz::Europe::Warsaw, Utc::now(), 1).unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(PollForm { question_pl: " ".into(), ..form() }), ["question.pl"]);
        assert_eq!(fields(PollForm { option_pl: vec!["Tak".into()], option_en: vec![], ..form() }), ["options"]);
        assert_eq!(
            fields(PollForm {
                option_pl: vec!["Tak".into(), "".into(), "Nie".into()],
                option_en: vec!["".into(), "Yes".into(), "".into()],
                ..form()
            }),
            ["options.2.pl"]
        );
        assert_eq!(
            fields(PollForm { option_pl: vec!["Tak".into(), "tak".into()], option_en: vec![], ..form() }),
            ["options.2.pl"]
        );
        assert_eq!(
            fields(PollForm { option_pl: vec!["x".into(); 11], option_en: vec![], ..form() }).last().unwrap(),
            "options"
        );
        assert_eq!(fields(PollForm { audience: "everyone".into(), ..form() }), ["audience"]);
        assert_eq!(fields(PollForm { closes: "".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { closes: "tomorrow".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { closes: "2001-01-01T12:00".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { opens: "2099-02-01T12:00".into(), ..form() }), ["closes"]);
        assert_eq!(fields(PollForm { question_en: "x".repeat(301), ..form() }), ["question.en"]);
    }

    #[test]
    fn percentages_round_to_whole_numbers() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }
}
