//! Quick polls: one question, 2–10 options, public or for panel members only, and their votes — in SQL both
//! backends understand.
//!
//! A vote is one guarded statement (`INSERT … SELECT … WHERE` the poll is open now), so closing a poll and voting at
//! the same moment cannot record a vote after the close. Panel votes carry the resident and a unique index on
//! (poll, resident) refuses a second one; public votes carry nothing about the voter.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;

/// A text in Polish (required) with optional English and Ukrainian.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PollText {
    pub pl: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uk: Option<String>,
}

impl PollText {
    /// The text in `lang`, or Polish when it has none; with the language it is actually in.
    pub fn get(&self, lang: &str) -> (&str, &'static str) {
        match lang {
            "en" if self.en.is_some() => (self.en.as_deref().unwrap_or_default(), "en"),
            "uk" if self.uk.is_some() => (self.uk.as_deref().unwrap_or_default(), "uk"),
            _ => (&self.pl, "pl"),
        }
    }
}

/// Who a poll is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Anyone on the public site; repeat voting limited by a cookie and per client address.
    Public,
    /// Signed-in panel members, one vote each.
    Panel,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Panel => "panel",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Audience::Public),
            "panel" => Some(Audience::Panel),
            _ => None,
        }
    }
}

/// A new poll as stored (validated by the web layer).
#[derive(Clone, Debug)]
pub struct NewPoll {
    pub question: PollText,
    /// In order; positions are 1-based.
    pub options: Vec<PollText>,
    pub audience: Audience,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub author_id: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PollOption {
    /// 1-based; its string form is the option's value in forms and the API.
    pub position: i64,
    pub text: PollText,
}

/// Where a poll is in its life at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PollState {
    Upcoming,
    Open,
    Closed,
}

impl PollState {
    pub fn as_str(self) -> &'static str {
        match self {
            PollState::Upcoming => "upcoming",
            PollState::Open => "open",
            PollState::Closed => "closed",
        }
    }
}

/// A poll as read back.
#[derive(Clone, Debug, Serialize)]
pub struct PollRecord {
    pub id: i64,
    pub question: PollText,
    pub options: Vec<PollOption>,
    pub audience: Audience,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub author_id: i64,
    pub author_name: String,
    pub closed_early_at: Option<DateTime<Utc>>,
    /// Votes so far.
    pub votes: i64,
}

impl PollRecord {
    pub fn state(&self, now: DateTime<Utc>) -> PollState {
        if now >= self.closes_at {
            PollState::Closed
        } else if now < self.opens_at {
            PollState::Upcoming
        } else {
            PollState::Open
        }
    }

    pub fn option(&self, position: i64) -> Option<&PollOption> {
        self.options.iter().find(|o| o.position == position)
    }
}

/// What became of a vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteOutcome {
    Recorded,
    /// The poll is not open at this moment (not yet, or no longer); nothing was stored.
    NotOpen,
    /// This resident already voted in this poll; nothing changed.
    AlreadyVoted,
}

#[async_trait]
pub trait PollStore: Send + Sync {
    async fn create_poll(&self, new: &NewPoll) -> StoreResult<i64>;
    async fn poll(&self, id: i64) -> StoreResult<Option<PollRecord>>;
    /// Newest first.
    async fn list_polls(&self, limit: i64) -> StoreResult<Vec<PollRecord>>;
    /// Closes a poll now (also one not yet open); false when it had already closed.
    async fn close_poll(&self, id: i64, by: i64, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Records a vote for the option at `position` when the poll is open at `now`. `resident_id` only for panel
    /// polls. The caller checks that the option exists.
    async fn record_vote(
        &self,
        poll_id: i64,
        position: i64,
        resident_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<VoteOutcome>;
    async fn has_voted(&self, poll_id: i64, resident_id: i64) -> StoreResult<bool>;
    /// Votes per option position (options nobody chose are absent).
    async fn poll_counts(&self, poll_id: i64) -> StoreResult<Vec<(i64, i64)>>;
}

pub(crate) const POLL_SELECT: &str = "SELECT p.id, p.question_pl, p.question_en, p.question_uk, p.audience, \
     p.opens_at, p.closes_at, p.created_at, p.author_id, o.name AS author_name, p.closed_early_at, \
     (SELECT COUNT(*) FROM poll_votes v WHERE v.poll_id = p.id) AS votes \
     FROM polls p JOIN officials o ON o.id = p.author_id";

#[derive(sqlx::FromRow)]
pub(crate) struct PollRow {
    id: i64,
    question_pl: String,
    question_en: Option<String>,
    question_uk: Option<String>,
    audience: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    author_id: i64,
    author_name: String,
    closed_early_at: Option<DateTime<Utc>>,
    votes: i64,
}

/// `(poll_id, position, text_pl, text_en, text_uk)`.
pub(crate) type OptionRow = (i64, i64, String, Option<String>, Option<String>);

/// Joins polls with their options (rows ordered by poll, then position).
pub(crate) fn assemble(rows: Vec<PollRow>, options: Vec<OptionRow>) -> StoreResult<Vec<PollRecord>> {
    rows.into_iter()
        .map(|r| {
            let audience = Audience::parse(&r.audience)
                .ok_or_else(|| anyhow::anyhow!("stored audience of poll {} is invalid", r.id))?;
            Ok(PollRecord {
                options: options
                    .iter()
                    .filter(|o| o.0 == r.id)
                    .map(|(_, position, pl, en, uk)| PollOption {
                        position: *position,
                        text: PollText { pl: pl.clone(), en: en.clone(), uk: uk.clone() },
                    })
                    .collect(),
                id: r.id,
                question: PollText { pl: r.question_pl, en: r.question_en, uk: r.question_uk },
                audience,
                opens_at: r.opens_at,
                closes_at: r.closes_at,
                created_at: r.created_at,
                author_id: r.author_id,
                author_name: r.author_name,
                closed_early_at: r.closed_early_at,
                votes: r.votes,
            })
        })
        .collect()
}

/// Implements [`PollStore`] for a store with a `pool` field.
macro_rules! impl_poll_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::PollStore for $store {
            #[tracing::instrument(skip(self, new), err)]
            async fn create_poll(&self, new: &$crate::storage::polls::NewPoll) -> $crate::storage::StoreResult<i64> {
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO polls (question_pl, question_en, question_uk, audience, opens_at, closes_at, \
                     created_at, author_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&new.question.pl)
                .bind(&new.question.en)
                .bind(&new.question.uk)
                .bind(new.audience.as_str())
                .bind(new.opens_at)
                .bind(new.closes_at)
                .bind(new.created_at)
                .bind(new.author_id)
                .fetch_all(&mut *tx)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?;
                for (i, o) in new.options.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO poll_options (poll_id, position, text_pl, text_en, text_uk) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(i as i64 + 1)
                    .bind(&o.pl)
                    .bind(&o.en)
                    .bind(&o.uk)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            #[tracing::instrument(skip(self), err)]
            async fn poll(
                &self,
                id: i64,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::polls::PollRecord>> {
                let rows: Vec<$crate::storage::polls::PollRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE p.id = $1",
                    $crate::storage::polls::POLL_SELECT
                )))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                if rows.is_empty() {
                    return Ok(None);
                }
                let options: Vec<$crate::storage::polls::OptionRow> = sqlx::query_as(
                    "SELECT poll_id, position, text_pl, text_en, text_uk FROM poll_options WHERE poll_id = $1 \
                     ORDER BY position",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok($crate::storage::polls::assemble(rows, options)?.into_iter().next())
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_polls(
                &self,
                limit: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::polls::PollRecord>> {
                let rows: Vec<$crate::storage::polls::PollRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} ORDER BY p.id DESC LIMIT $1",
                    $crate::storage::polls::POLL_SELECT
                )))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                let options: Vec<$crate::storage::polls::OptionRow> = sqlx::query_as(
                    "SELECT poll_id, position, text_pl, text_en, text_uk FROM poll_options \
                     WHERE poll_id IN (SELECT id FROM polls ORDER BY id DESC LIMIT $1) ORDER BY poll_id, position",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                $crate::storage::polls::assemble(rows, options)
            }

            #[tracing::instrument(skip(self), err)]
            async fn close_poll(
                &self,
                id: i64,
                by: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "UPDATE polls SET closes_at = $2, closed_early_at = $2, closed_by = $3 \
                     WHERE id = $1 AND closes_at > $2",
                )
                .bind(id)
                .bind(now)
                .bind(by)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self, resident_id), err)]
            async fn record_vote(
                &self,
                poll_id: i64,
                position: i64,
                resident_id: Option<i64>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<$crate::storage::polls::VoteOutcome> {
                use $crate::storage::polls::VoteOutcome;
                let res = sqlx::query(
                    "INSERT INTO poll_votes (poll_id, position, resident_id, at) \
                     SELECT p.id, $2, $3, $4 FROM polls p WHERE p.id = $1 AND p.opens_at <= $4 AND p.closes_at > $4",
                )
                .bind(poll_id)
                .bind(position)
                .bind(resident_id)
                .bind(now)
                .execute(&self.pool)
                .await;
                match res {
                    Ok(r) if r.rows_affected() == 1 => Ok(VoteOutcome::Recorded),
                    Ok(_) => Ok(VoteOutcome::NotOpen),
                    Err(e) => match $crate::storage::StoreError::from(e) {
                        $crate::storage::StoreError::Duplicate => Ok(VoteOutcome::AlreadyVoted),
                        other => Err(other),
                    },
                }
            }

            #[tracing::instrument(skip(self, resident_id), err)]
            async fn has_voted(&self, poll_id: i64, resident_id: i64) -> $crate::storage::StoreResult<bool> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM poll_votes WHERE poll_id = $1 AND resident_id = $2")
                    .bind(poll_id)
                    .bind(resident_id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n > 0)
            }

            #[tracing::instrument(skip(self), err)]
            async fn poll_counts(&self, poll_id: i64) -> $crate::storage::StoreResult<Vec<(i64, i64)>> {
                Ok(sqlx::query_as(
                    "SELECT position, COUNT(*) FROM poll_votes WHERE poll_id = $1 GROUP BY position ORDER BY position",
                )
                .bind(poll_id)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_poll_store;
