//! Polls as JSON: a poll (with results once the caller voted or it closed), and voting.

use super::*;
use crate::web::error::ProblemJson;
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

pub(super) async fn poll_json(
    state: &AppState,
    lang: Lang,
    poll: &PollRecord,
    voted: bool,
) -> Result<PollJson, AppError> {
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
#[utoipa::path(get, path = "/api/v1/polls/{id}", tag = "polls",
    params(("id" = i64, Path, description = "Poll id")),
    responses(
        (status = 200, description = "The poll: question, options, state, whether the caller voted, and the results \
            once the caller voted or the poll closed", content_type = "application/json"),
        (status = 404, description = "No such poll (or not open yet)", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn api_show(
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

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct VoteJson {
    /// The option's value, as a string (`"2"`) or a number (`2`).
    option: Option<serde_json::Value>,
}

/// A vote: a public poll takes one per client (a cookie remembers it) within the per-address limits; a panel poll
/// one per signed-in panel member (with the page's CSRF token in `X-CSRF-Token`).
#[utoipa::path(post, path = "/api/v1/polls/{id}/votes", tag = "polls",
    params(("id" = i64, Path, description = "Poll id")),
    request_body(content = VoteJson, example = json!({"option": "2"})),
    responses(
        (status = 201, description = "Counted; the poll with its results", content_type = "application/json"),
        (status = 404, description = "No such poll", body = ProblemJson, content_type = "application/problem+json"),
        (status = 401, description = "A panel poll: sign in as a panel member first", body = ProblemJson, content_type = "application/problem+json"),
        (status = 409, description = "Not open yet, closed, or already voted", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "Not one of the poll's options", body = ProblemJson, content_type = "application/problem+json"),
        (status = 429, description = "Too many votes from this address", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn api_vote(
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
