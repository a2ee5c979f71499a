//! Quick polls: one question with 2–10 options, on the public site or for signed-in panel members only.
//!
//! - Officials: `/official/polls` lists every poll (any official) with the create form (editors);
//!   `/official/polls/{id}` shows one with its results; `POST /official/polls/{id}/close` closes it early (editors).
//! - Everyone: `/polls` lists open polls (panel polls too, with a sign-in link) and recently closed ones;
//!   `/polls/{id}` is the question as a form, and after voting (or once closed) the results: counts, percentages, an
//!   SVG bar chart and the same numbers in a table. Public results always say they are a self-selected sample.
//! - JSON: `GET /api/v1/polls/{id}` and `POST /api/v1/polls/{id}/votes` `{"option": "2"}` (plain axum routes,
//!   listed in the OpenAPI document through `ApiDoc`'s `paths`).
//!
//! Repeat voting: a panel poll takes one vote per resident (a unique index; a second vote is refused, nothing
//! changes). A public poll sets an HttpOnly cookie `hejnal_poll_{id}` after a vote and refuses another vote from a
//! browser that sends it; and a governor limiter keyed by (poll, client address) allows [`VOTES_PER_ADDRESS`] votes,
//! then one more every [`VOTE_REFILL_SECS`] seconds (5 an hour). The address lives only in that in-memory limiter:
//! it is never stored or logged.

pub(crate) mod api;
mod official;

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
use chrono::{DateTime, Utc};
use governor::{DefaultKeyedRateLimiter, clock::Clock};
use serde::{Deserialize, Serialize};

use super::{
    api::ApiJson,
    context::{CSRF_HEADER, CsrfForm, RequestContext, append_cookie, require_roles},
    error::{AppError, FieldError},
    official::{ANY_OFFICIAL, login::quota},
    page::{Chrome, Page},
};
use crate::{
    config::Config,
    domain::{Role, secret_token},
    i18n::{self, Lang},
    stats::chart::{Bar, bar_chart},
    storage::polls::{Audience, NewPoll, PollRecord, PollState, PollText},
    web::AppState,
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
        .route("/official/polls", get(official::official_list))
        .route("/official/polls/{id}", get(official::official_show))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)));
    let edit = Router::new()
        .route("/official/polls", post(official::official_create))
        .route("/official/polls/{id}/close", post(official::official_close))
        .route_layer(middleware::from_fn(|req, next| require_roles(EDITORS, req, next)));
    Router::new()
        .route("/polls", get(public_list))
        .route("/polls/{id}", get(public_show))
        .route("/polls/{id}/vote", post(vote_form))
        .route("/api/v1/polls/{id}", get(api::api_show))
        .route("/api/v1/polls/{id}/votes", post(api::api_vote))
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

/// Who is looking at or voting in a poll, and whether they already voted.
type Viewer = crate::polls::Voter;

async fn viewer(state: &AppState, headers: &HeaderMap, poll: &PollRecord) -> Result<Viewer, AppError> {
    match poll.audience {
        Audience::Public => Ok(Viewer {
            resident: None,
            voted: CookieJar::from_headers(headers).get(&voted_cookie_name(poll.id)).is_some(),
        }),
        Audience::Panel => {
            let resident = super::panel::signed_in(state, headers).await?;
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

/// Why a vote was not recorded (the core's verdict; its status code and problem+json are the web's).
use crate::polls::VoteRefusal as Refusal;

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

    /// The problem+json answer.
    fn into_api(self) -> Response {
        let retry = if let Refusal::TooMany(s) = self { Some(s) } else { None };
        let err = match self {
            Refusal::Invalid(e) => AppError::Invalid(vec![e]),
            Refusal::Failed(e) => e.into(),
            other => AppError::Refused { status: other.status(), key: other.key() },
        };
        let mut res = err.into_response();
        if let Some(secs) = retry {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// Checks and records one vote, within the client address's budget for public polls.
async fn cast(
    state: &AppState,
    ctx: &RequestContext,
    poll: &PollRecord,
    viewer: &Viewer,
    raw: Option<&str>,
) -> Result<(), Refusal> {
    crate::polls::cast(state, poll, viewer, raw, || limiter(state).check(poll.id, ctx.client_ip)).await
}

// ---------------------------------------------------------------------------------------------------------------
// Views shared by the pages.

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
        opens: state.config.local_minutes(poll.opens_at),
        closes: state.config.local_minutes(poll.closes_at),
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
    let signed_in = super::panel::signed_in(&state, &headers).await?.is_some();
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
        PollState::Upcoming => {
            Some(Notice::info("poll-upcoming").with("when", state.config.local_minutes(poll.opens_at)))
        }
        PollState::Closed => Some(Notice::info("poll-closed").with("when", state.config.local_minutes(poll.closes_at))),
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
        Err(Refusal::Failed(e)) => Err(e.into()),
        Err(r) => {
            // A second vote refused by the database: show the results as to anyone who voted.
            let viewer = Viewer { voted: viewer.voted || matches!(r, Refusal::AlreadyVoted(_)), ..viewer };
            render_show(&state, &ctx, &poll, &viewer, Some(&r), form.option.as_deref().unwrap_or("")).await
        }
    }
}
