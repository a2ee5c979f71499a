//! Quick polls' use cases: creating one, closing one early, and casting a vote with every refusal named.
//!
//! How a voter is recognised (a resident's session, a browser's "voted" cookie) and how many votes one client
//! address may cast belong to the web, which passes in what it found ([`Voter`]) and its budget check.

use chrono::Utc;

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::Official,
    storage::polls::{Audience, NewPoll, PollRecord, PollState, VoteOutcome},
};

/// Who is voting, as far as the web could tell, and whether they voted already.
#[derive(Clone, Copy, Debug)]
pub struct Voter {
    /// The signed-in resident (panel polls need one).
    pub resident: Option<i64>,
    pub voted: bool,
}

/// Why a vote was not recorded.
#[derive(Debug)]
pub enum VoteRefusal {
    SignIn,
    NotYetOpen,
    Closed,
    Invalid(FieldIssue),
    AlreadyVoted(Audience),
    /// The client's budget of votes is spent; the next one in so many seconds.
    TooMany(u64),
    /// Not a refusal: the database failed.
    Failed(CoreError),
}

impl VoteRefusal {
    /// The catalogue key of the sentence that says why.
    pub fn key(&self) -> &'static str {
        match self {
            VoteRefusal::SignIn => "poll-refused-sign-in",
            VoteRefusal::NotYetOpen => "poll-refused-not-open",
            VoteRefusal::Closed => "poll-refused-closed",
            VoteRefusal::Invalid(_) => "poll-refused-invalid",
            VoteRefusal::AlreadyVoted(Audience::Panel) => "poll-refused-voted-panel",
            VoteRefusal::AlreadyVoted(Audience::Public) => "poll-refused-voted-browser",
            VoteRefusal::TooMany(_) => "poll-refused-too-many",
            VoteRefusal::Failed(_) => "error-internal-detail",
        }
    }
}

/// Checks and records one vote. `raw` is the option's value as sent (`"1"` … `"10"`); `budget` is asked only for
/// a public poll's vote that is otherwise acceptable, and answers `Err(seconds)` when the caller must wait.
#[tracing::instrument(skip_all, fields(poll_id = poll.id))]
pub async fn cast(
    core: &Core,
    poll: &PollRecord,
    voter: &Voter,
    raw: Option<&str>,
    budget: impl FnOnce() -> Result<(), u64>,
) -> Result<(), VoteRefusal> {
    if poll.audience == Audience::Panel && voter.resident.is_none() {
        return Err(VoteRefusal::SignIn);
    }
    let now = Utc::now();
    match poll.state(now) {
        PollState::Upcoming => return Err(VoteRefusal::NotYetOpen),
        PollState::Closed => return Err(VoteRefusal::Closed),
        PollState::Open => {}
    }
    let raw = raw.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Err(VoteRefusal::Invalid(FieldIssue::new("option", "poll-error-option-choose")));
    }
    let Some(position) = raw.parse::<i64>().ok().filter(|p| poll.option(*p).is_some()) else {
        return Err(VoteRefusal::Invalid(FieldIssue::new("option", "poll-error-option-unknown")));
    };
    if voter.voted {
        return Err(VoteRefusal::AlreadyVoted(poll.audience));
    }
    if poll.audience == Audience::Public {
        budget().map_err(VoteRefusal::TooMany)?;
    }
    let outcome = core
        .store
        .record_vote(poll.id, position, voter.resident, now)
        .await
        .map_err(|e| VoteRefusal::Failed(e.into()))?;
    match outcome {
        VoteOutcome::Recorded => {
            tracing::info!(poll_id = poll.id, audience = poll.audience.as_str(), "poll vote recorded");
            Ok(())
        }
        VoteOutcome::NotOpen => Err(VoteRefusal::Closed),
        VoteOutcome::AlreadyVoted => Err(VoteRefusal::AlreadyVoted(poll.audience)),
    }
}

/// Stores a validated poll; returns its id.
#[tracing::instrument(skip_all, fields(official_id = official.id), err(level = "info"))]
pub async fn create(core: &Core, official: &Official, new: &NewPoll) -> CoreResult<i64> {
    let id = core.store.create_poll(new).await?;
    tracing::info!(poll_id = id, official_id = official.id, audience = new.audience.as_str(), "poll created");
    Ok(id)
}

/// Closes a poll before its time; refused when it is closed already.
#[tracing::instrument(skip_all, fields(poll_id = id, official_id = official.id), err(level = "info"))]
pub async fn close(core: &Core, official: &Official, id: i64) -> CoreResult<()> {
    if !core.store.close_poll(id, official.id, Utc::now()).await? {
        return Err(CoreError::conflict("poll-refused-already-closed"));
    }
    tracing::info!(poll_id = id, official_id = official.id, "poll closed early");
    Ok(())
}
