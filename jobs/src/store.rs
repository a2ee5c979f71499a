//! The engine's SQL. Statements both backends accept are written once and run on either pool through
//! [`with_pool!`]; bulk inserts differ (multi-row VALUES on SQLite, UNNEST on PostgreSQL).

use std::{collections::HashMap, time::Duration};

use apalis::prelude::TaskBuilder;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    QueueDb,
    model::{Channel, Content, NewBroadcast, Priority},
};

/// Runs the same code on whichever pool the database is.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            QueueDb::Sqlite($pool) => $body,
            QueueDb::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// The job apalis carries: "send this batch of this broadcast".
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct SendBatch {
    pub broadcast_id: i64,
    pub batch: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct BroadcastRow {
    pub id: i64,
    pub purpose: String,
    pub priority: String,
    pub topic: Option<String>,
    pub fallback_language: String,
    pub expires_at: DateTime<Utc>,
    pub quiet_hours_exempt: bool,
}

/// A broadcast as a worker needs it.
#[derive(Clone, Debug)]
pub(crate) struct LoadedBroadcast {
    pub id: i64,
    pub purpose: String,
    pub priority: Priority,
    pub topic: Option<String>,
    pub fallback_language: String,
    pub expires_at: DateTime<Utc>,
    pub quiet_hours_exempt: bool,
    pub contents: HashMap<(Channel, String), Content>,
}

impl LoadedBroadcast {
    /// The rendering for this channel in this language, or in the fallback language.
    pub fn content(&self, channel: Channel, language: &str) -> Option<&Content> {
        self.contents
            .get(&(channel, language.to_string()))
            .or_else(|| self.contents.get(&(channel, self.fallback_language.clone())))
    }
}

/// A delivery taken by a worker.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct Claimed {
    pub id: i64,
    pub recipient_id: i64,
    pub channel: String,
    pub language: String,
    pub attempts: i64,
    pub vars: Option<String>,
}

/// How a delivery ended this round.
#[derive(Clone, Debug)]
pub(crate) enum Finished {
    Sent(i64),
    Failed(i64, String),
    Skipped(i64, String),
    Retry {
        id: i64,
        not_before: DateTime<Utc>,
        reason: String,
    },
    /// Back to the queue untouched (graceful stop before it was sent).
    Release(i64),
}

fn task(job: SendBatch, priority: Priority, run_after: Option<Duration>) -> anyhow::Result<apalis_sqlite::SqliteTask> {
    let bytes = serde_json::to_vec(&job)?;
    let weight = match priority {
        Priority::Emergency => 30,
        Priority::Service => 20,
        Priority::Survey => 10,
    };
    let mut builder = TaskBuilder::new(bytes).priority(weight).max_attempts(1);
    if let Some(d) = run_after {
        // The queue keeps whole seconds: round up, so the job never runs before its rows are due.
        builder = builder.run_after(Duration::from_secs(d.as_secs() + u64::from(d.subsec_nanos() > 0)));
    }
    Ok(builder.build())
}

/// Creates the broadcast (or finds it by key) with its renderings; returns its id and whether it already existed.
pub(crate) async fn upsert_broadcast(
    db: &QueueDb,
    b: &NewBroadcast,
    now: DateTime<Utc>,
) -> anyhow::Result<(i64, bool)> {
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO broadcasts (key, kind, purpose, priority, topic, fallback_language, expires_at, created_at, \
             quiet_hours_exempt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (key) DO NOTHING RETURNING id",
        )
        .bind(&b.key)
        .bind(&b.kind)
        .bind(&b.purpose)
        .bind(b.priority.as_str())
        .bind(&b.topic)
        .bind(&b.fallback_language)
        .bind(b.expires_at)
        .bind(now)
        .bind(b.quiet_hours_exempt)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .next();
        let (id, existed) = match inserted {
            Some(id) => (id, false),
            None => {
                let id: i64 = sqlx::query_scalar("SELECT id FROM broadcasts WHERE key = $1")
                    .bind(&b.key)
                    .fetch_one(&mut *tx)
                    .await?;
                (id, true)
            }
        };
        for (channel, language, c) in &b.contents {
            sqlx::query(
                "INSERT INTO broadcast_contents (broadcast_id, channel, language, subject, body_text, body_html, url) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(channel.as_str())
            .bind(language)
            .bind(&c.subject)
            .bind(&c.text)
            .bind(&c.html)
            .bind(&c.url)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((id, existed))
    })
}

/// One delivery row to create.
pub(crate) struct NewDelivery<'a> {
    pub recipient_id: i64,
    pub channel: Channel,
    pub language: &'a str,
    pub vars: Option<String>,
}

/// SQLite allows 32 766 bound values per statement; six per row.
const SQLITE_ROWS_PER_INSERT: usize = 5000;

/// Takes the next `$1` batch numbers of broadcast `$2`; returns the end of the range. It also holds the broadcast's
/// row until the chunk commits, which orders the chunk against a cancellation (see [`crate::cancel`]).
const RESERVE_BATCHES: &str = "UPDATE broadcasts SET next_batch = next_batch + $1 WHERE id = $2 RETURNING next_batch";

/// Why broadcast `$1` was cancelled, if it was (read inside the chunk's transaction, after `RESERVE_BATCHES`).
pub(crate) const CANCEL_REASON: &str =
    "SELECT c.reason FROM broadcast_cancellations c JOIN broadcasts b ON b.key = c.key WHERE b.id = $1";

/// A chunk written after its broadcast was cancelled is stored as skipped: `$1` broadcast, `$2` reason, batches
/// `$3..$4`.
const SKIP_CHUNK: &str = "UPDATE deliveries SET status = 'skipped', reason = $2, vars = NULL \
     WHERE broadcast_id = $1 AND batch >= $3 AND batch < $4 AND status = 'queued'";

/// One queue job per batch number.
fn batch_tasks(
    broadcast_id: i64,
    priority: Priority,
    batches: std::ops::Range<i64>,
) -> anyhow::Result<Vec<apalis_sqlite::SqliteTask>> {
    batches.map(|batch| task(SendBatch { broadcast_id, batch }, priority, None)).collect()
}

/// Inserts deliveries in batches of `batch_size` and queues one job per batch, in one transaction.
/// Rows that already exist (a resumed submit) are left alone. Returns how many rows were new.
pub(crate) async fn insert_chunk(
    db: &QueueDb,
    broadcast_id: i64,
    priority: Priority,
    rows: &[NewDelivery<'_>],
    batch_size: usize,
) -> anyhow::Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let batches = rows.len().div_ceil(batch_size) as i64;
    let inserted = match db {
        QueueDb::Sqlite(pool) => {
            let mut tx = pool.begin().await?;
            // Write first, so this transaction holds the write lock from its first statement.
            let end: i64 = sqlx::query_scalar(RESERVE_BATCHES)
                .bind(batches)
                .bind(broadcast_id)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .next()
                .ok_or(sqlx::Error::RowNotFound)?;
            let first = end - batches;
            let cancelled: Option<String> =
                sqlx::query_scalar(CANCEL_REASON).bind(broadcast_id).fetch_optional(&mut *tx).await?;
            let mut inserted = 0;
            for (chunk_no, chunk) in rows.chunks(SQLITE_ROWS_PER_INSERT).enumerate() {
                let offset = chunk_no * SQLITE_ROWS_PER_INSERT;
                let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                    "INSERT INTO deliveries (broadcast_id, recipient_id, channel, language, batch, vars) ",
                );
                qb.push_values(chunk.iter().enumerate(), |mut r, (i, d)| {
                    r.push_bind(broadcast_id)
                        .push_bind(d.recipient_id)
                        .push_bind(d.channel.as_str())
                        .push_bind(d.language)
                        .push_bind(first + ((offset + i) / batch_size) as i64)
                        .push_bind(d.vars.as_deref());
                });
                qb.push(" ON CONFLICT DO NOTHING");
                inserted += qb.build().execute(&mut *tx).await?.rows_affected();
            }
            match cancelled {
                Some(reason) => {
                    sqlx::query(SKIP_CHUNK)
                        .bind(broadcast_id)
                        .bind(reason)
                        .bind(first)
                        .bind(end)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    let tasks = batch_tasks(broadcast_id, priority, first..end)?;
                    apalis_sqlite::queries::push_tasks(&mut *tx, priority.queue(), &tasks).await?;
                }
            }
            tx.commit().await?;
            inserted
        }
        QueueDb::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            let end: i64 = sqlx::query_scalar(RESERVE_BATCHES)
                .bind(batches)
                .bind(broadcast_id)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .next()
                .ok_or(sqlx::Error::RowNotFound)?;
            let first = end - batches;
            let cancelled: Option<String> =
                sqlx::query_scalar(CANCEL_REASON).bind(broadcast_id).fetch_optional(&mut *tx).await?;
            let recipient: Vec<i64> = rows.iter().map(|d| d.recipient_id).collect();
            let channel: Vec<&str> = rows.iter().map(|d| d.channel.as_str()).collect();
            let language: Vec<&str> = rows.iter().map(|d| d.language).collect();
            let batch: Vec<i64> = (0..rows.len()).map(|i| first + (i / batch_size) as i64).collect();
            let vars: Vec<Option<&str>> = rows.iter().map(|d| d.vars.as_deref()).collect();
            let inserted = sqlx::query(
                "INSERT INTO deliveries (broadcast_id, recipient_id, channel, language, batch, vars) \
                 SELECT $1, * FROM UNNEST($2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::BIGINT[], $6::TEXT[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(broadcast_id)
            .bind(&recipient)
            .bind(&channel)
            .bind(&language)
            .bind(&batch)
            .bind(&vars)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            match cancelled {
                Some(reason) => {
                    sqlx::query(SKIP_CHUNK)
                        .bind(broadcast_id)
                        .bind(reason)
                        .bind(first)
                        .bind(end)
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    let tasks = batch_tasks(broadcast_id, priority, first..end)?;
                    apalis_postgres::queries::push_tasks(&mut *tx, priority.queue(), tasks).await?;
                }
            }
            tx.commit().await?;
            inserted
        }
    };
    Ok(inserted)
}

pub(crate) async fn mark_fanned_out(db: &QueueDb, id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("UPDATE broadcasts SET fanned_out_at = $1 WHERE id = $2 AND fanned_out_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

pub(crate) async fn load_broadcast(db: &QueueDb, id: i64) -> anyhow::Result<Option<LoadedBroadcast>> {
    type ContentRow = (String, String, Option<String>, String, Option<String>, Option<String>);
    let (row, contents): (Option<BroadcastRow>, Vec<ContentRow>) = with_pool!(db, |pool| {
        let row = sqlx::query_as(
            "SELECT id, purpose, priority, topic, fallback_language, expires_at, quiet_hours_exempt FROM broadcasts \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?;
        let contents = sqlx::query_as(
            "SELECT channel, language, subject, body_text, body_html, url FROM broadcast_contents WHERE broadcast_id = $1",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        (row, contents)
    });
    let Some(row) = row else { return Ok(None) };
    let contents = contents
        .into_iter()
        .filter_map(|(channel, language, subject, text, html, url)| {
            Some(((channel.parse().ok()?, language), Content { subject, text, html, url }))
        })
        .collect();
    Ok(Some(LoadedBroadcast {
        id: row.id,
        purpose: row.purpose,
        priority: row.priority.parse().map_err(anyhow::Error::msg)?,
        topic: row.topic,
        fallback_language: row.fallback_language,
        expires_at: row.expires_at,
        quiet_hours_exempt: row.quiet_hours_exempt,
        contents,
    }))
}

/// Takes the batch's due, queued rows for this worker.
pub(crate) async fn claim(
    db: &QueueDb,
    job: SendBatch,
    worker: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Claimed>> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
            "UPDATE deliveries SET status = 'claimed', claimed_by = $1, attempts = attempts + 1 \
             WHERE broadcast_id = $2 AND batch = $3 AND status = 'queued' AND (not_before IS NULL OR not_before <= $4) \
             RETURNING id, recipient_id, channel, language, attempts, vars",
        )
        .bind(worker)
        .bind(job.broadcast_id)
        .bind(job.batch)
        .bind(now)
        .fetch_all(pool)
        .await?
    }))
}

/// Batches with rows due now, straight from the deliveries table (the engine's own safety net beside the queue:
/// see `worker::sweep`): emergencies at once, other broadcasts only once they are older than `min_age` (by then
/// the queue should have taken them).
pub(crate) async fn due_batches(
    db: &QueueDb,
    now: DateTime<Utc>,
    emergency: bool,
    min_age: chrono::Duration,
    limit: i64,
) -> anyhow::Result<Vec<SendBatch>> {
    let which = if emergency { "b.priority = 'emergency'" } else { "b.priority <> 'emergency'" };
    // Held batches are not due: the sweep releases them (`release_held`) when quiet hours end.
    let sql = format!(
        "SELECT d.broadcast_id, d.batch FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id \
         WHERE {which} AND b.expires_at > $1 AND b.created_at > $2 AND b.created_at <= $4 \
         AND d.status = 'queued' AND (d.not_before IS NULL OR d.not_before <= $1) \
         AND NOT EXISTS (SELECT 1 FROM held_batches h WHERE h.broadcast_id = d.broadcast_id AND h.batch = d.batch) \
         GROUP BY d.broadcast_id, d.batch, b.priority \
         ORDER BY {PRIORITY_RANK}, d.broadcast_id, d.batch LIMIT $3"
    );
    let rows: Vec<(i64, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(now)
            .bind(now - chrono::Duration::days(2))
            .bind(limit)
            .bind(now - min_age)
            .fetch_all(pool)
            .await?
    });
    Ok(rows.into_iter().map(|(broadcast_id, batch)| SendBatch { broadcast_id, batch }).collect())
}

/// Orders broadcasts (aliased `b`) by priority, most urgent first.
const PRIORITY_RANK: &str = "CASE b.priority WHEN 'emergency' THEN 0 WHEN 'service' THEN 1 ELSE 2 END";

/// Marks a batch held by quiet hours until `until`. True when this call marked it; false when it was already held
/// (then nothing is to be done: it waits for its release like before).
pub(crate) async fn hold(
    db: &QueueDb,
    job: SendBatch,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let marked: Option<i64> = with_pool!(db, |pool| {
        // A mark whose time has passed (not yet released by the sweep) is renewed rather than kept.
        sqlx::query_scalar(
            "INSERT INTO held_batches (broadcast_id, batch, held_until) VALUES ($1, $2, $3) \
             ON CONFLICT (broadcast_id, batch) DO UPDATE SET held_until = excluded.held_until \
             WHERE held_batches.held_until <= $4 RETURNING batch",
        )
        .bind(job.broadcast_id)
        .bind(job.batch)
        .bind(until)
        .bind(now)
        .fetch_all(pool)
        .await?
        .into_iter()
        .next()
    });
    Ok(marked.is_some())
}

/// Takes the held batches whose time has come off hold, once, most urgent priority first: a lower priority's
/// batches stay held while a higher one still has batches held or rows due, so a night's service announcements
/// leave before its survey invitations. Returns the batches to queue, in the order to queue them.
pub(crate) async fn release_held(db: &QueueDb, now: DateTime<Utc>) -> anyhow::Result<Vec<(SendBatch, Priority)>> {
    let ready: Vec<String> = with_pool!(db, |pool| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT b.priority FROM held_batches h JOIN broadcasts b ON b.id = h.broadcast_id \
             WHERE h.held_until <= $1 GROUP BY b.priority ORDER BY MIN({PRIORITY_RANK})"
        )))
        .bind(now)
        .fetch_all(pool)
        .await?
    });
    let Some(first) = ready.first() else { return Ok(Vec::new()) };
    // Anything more urgent than `first` still held (not yet due) or still being sent makes it wait.
    let first: Priority = first.parse().map_err(anyhow::Error::msg)?;
    if first == Priority::Survey && service_busy(db, now).await? {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "DELETE FROM held_batches WHERE held_until <= $1 \
             AND broadcast_id IN (SELECT id FROM broadcasts WHERE priority = $2) RETURNING broadcast_id, batch",
        )
        .bind(now)
        .bind(first.as_str())
        .fetch_all(pool)
        .await?
    });
    with_priorities(db, rows).await
}

/// Service announcements are held or have rows due: survey invitations wait for them.
async fn service_busy(db: &QueueDb, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let busy: bool = with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM held_batches h JOIN broadcasts b ON b.id = h.broadcast_id \
                            WHERE b.priority = 'service') \
             OR EXISTS (SELECT 1 FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id \
                        WHERE b.priority = 'service' AND b.expires_at > $1 \
                        AND d.status IN ('queued', 'claimed', 'sending') \
                        AND (d.not_before IS NULL OR d.not_before <= $1))",
        )
        .bind(now)
        .fetch_one(pool)
        .await?
    });
    Ok(busy)
}

/// Records that this worker's sweep looked at the queue (operators and tests see the sweep is alive).
pub(crate) async fn mark_swept(db: &QueueDb, name: &str, at: DateTime<Utc>) -> anyhow::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("UPDATE delivery_workers SET swept_at = $1 WHERE name = $2")
            .bind(at)
            .bind(name)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The earliest retry time among the batch's queued rows that are not yet due.
pub(crate) async fn next_due(db: &QueueDb, job: SendBatch) -> anyhow::Result<Option<DateTime<Utc>>> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_scalar(
            "SELECT MIN(not_before) FROM deliveries WHERE broadcast_id = $1 AND batch = $2 AND status = 'queued' \
             AND not_before IS NOT NULL",
        )
        .bind(job.broadcast_id)
        .bind(job.batch)
        .fetch_one(pool)
        .await?
    }))
}

/// Marks rows as on the wire, just before they are sent: only these can be duplicated by a crash. Returns the rows
/// it moved: a row of a cancelled broadcast (or one taken back from this worker) is not sent.
pub(crate) async fn mark_sending(db: &QueueDb, ids: &[i64]) -> anyhow::Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(with_pool!(db, |pool| {
        let mut qb = sqlx::QueryBuilder::new("UPDATE deliveries SET status = 'sending' WHERE status = 'claimed' AND ");
        qb.push(crate::cancel::NOT_CANCELLED);
        qb.push(" AND id IN (");
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        qb.push(") RETURNING id");
        qb.build_query_scalar().fetch_all(pool).await?
    }))
}

/// Records a round's outcomes in one transaction.
pub(crate) async fn finish(db: &QueueDb, done: &[Finished], now: DateTime<Utc>) -> anyhow::Result<()> {
    if done.is_empty() {
        return Ok(());
    }
    let sent: Vec<i64> =
        done.iter().filter_map(|f| if let Finished::Sent(id) = f { Some(*id) } else { None }).collect();
    let released: Vec<i64> =
        done.iter().filter_map(|f| if let Finished::Release(id) = f { Some(*id) } else { None }).collect();
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        if !sent.is_empty() {
            let mut qb = sqlx::QueryBuilder::new(
                "UPDATE deliveries SET status = 'sent', reason = NULL, claimed_by = NULL, vars = NULL, sent_at = ",
            );
            qb.push_bind(now);
            // A delivery report may already have moved the row on: the gateway can answer before this commits.
            qb.push(" WHERE status IN ('claimed', 'sending') AND id IN (");
            let mut sep = qb.separated(", ");
            for id in &sent {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build().execute(&mut *tx).await?;
        }
        if !released.is_empty() {
            let mut qb = sqlx::QueryBuilder::new(
                "UPDATE deliveries SET status = 'queued', claimed_by = NULL WHERE status = 'claimed' AND id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in &released {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build().execute(&mut *tx).await?;
        }
        for f in done {
            match f {
                Finished::Failed(id, reason) | Finished::Skipped(id, reason) => {
                    let status = if matches!(f, Finished::Failed(..)) { "failed" } else { "skipped" };
                    sqlx::query(
                        "UPDATE deliveries SET status = $1, reason = $2, claimed_by = NULL, vars = NULL \
                         WHERE id = $3 AND status IN ('claimed', 'sending')",
                    )
                    .bind(status)
                    .bind(reason)
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
                }
                Finished::Retry { id, not_before, reason } => {
                    sqlx::query(
                        "UPDATE deliveries SET status = 'queued', reason = $1, not_before = $2, claimed_by = NULL \
                         WHERE id = $3 AND status IN ('claimed', 'sending')",
                    )
                    .bind(reason)
                    .bind(*not_before)
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
                }
                Finished::Sent(_) | Finished::Release(_) => {}
            }
        }
        tx.commit().await?;
    });
    Ok(())
}

/// Puts rows this worker claimed, and has not put on the wire, back in the queue.
pub(crate) async fn release_claimed(db: &QueueDb, ids: &[i64]) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    with_pool!(db, |pool| {
        let mut qb = sqlx::QueryBuilder::new(
            "UPDATE deliveries SET status = 'queued', claimed_by = NULL WHERE status = 'claimed' AND id IN (",
        );
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(*id);
        }
        qb.push(")");
        qb.build().execute(pool).await?;
    });
    Ok(())
}

/// Queues (another) job for a batch, e.g. for retries or after quiet hours.
pub(crate) async fn push_job(
    db: &QueueDb,
    job: SendBatch,
    priority: Priority,
    run_after: Option<Duration>,
) -> anyhow::Result<()> {
    let t = task(job, priority, run_after)?;
    match db {
        QueueDb::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            apalis_sqlite::queries::push_tasks(&mut *conn, priority.queue(), &[t]).await?;
        }
        QueueDb::Postgres(pool) => {
            let mut conn = pool.acquire().await?;
            apalis_postgres::queries::push_tasks(&mut *conn, priority.queue(), vec![t]).await?;
        }
    }
    Ok(())
}

/// Adds a delivery on another channel for a recipient whose channel failed permanently (emergencies only).
/// Returns false when the recipient already has that channel in this broadcast.
pub(crate) async fn insert_fallback(
    db: &QueueDb,
    broadcast_id: i64,
    from: &Claimed,
    channel: Channel,
    batch: i64,
) -> anyhow::Result<bool> {
    Ok(with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO deliveries (broadcast_id, recipient_id, channel, language, batch, vars, fallback_of) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(broadcast_id)
        .bind(from.recipient_id)
        .bind(channel.as_str())
        .bind(&from.language)
        .bind(batch)
        .bind(&from.vars)
        .bind(from.id)
        .execute(pool)
        .await?
        .rows_affected()
            == 1
    }))
}

pub(crate) async fn register_worker(db: &QueueDb, name: &str, now: DateTime<Utc>) -> anyhow::Result<()> {
    with_pool!(db, |pool| {
        sqlx::query("INSERT INTO delivery_workers (name, started_at, last_seen) VALUES ($1, $2, $2)")
            .bind(name)
            .bind(now)
            .execute(pool)
            .await?;
    });
    Ok(())
}

pub(crate) async fn heartbeat(db: &QueueDb, name: &str, now: DateTime<Utc>, stopped: bool) -> anyhow::Result<()> {
    with_pool!(db, |pool| {
        let sql = if stopped {
            "UPDATE delivery_workers SET last_seen = $1, stopped_at = $1 WHERE name = $2"
        } else {
            "UPDATE delivery_workers SET last_seen = $1 WHERE name = $2"
        };
        sqlx::query(sql).bind(now).bind(name).execute(pool).await?;
    });
    Ok(())
}

/// Puts back the rows of workers that stopped answering. Rows that were on the wire (`sending`) may have been sent:
/// they go back flagged as possible duplicates. Returns the batches to queue again.
pub(crate) async fn reap(
    db: &QueueDb,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(SendBatch, Priority)>> {
    let rows: Vec<(i64, i64)> = with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        let dead: Vec<String> = sqlx::query_scalar(
            "UPDATE delivery_workers SET stopped_at = $1 WHERE last_seen < $2 AND stopped_at IS NULL RETURNING name",
        )
        .bind(now)
        .bind(cutoff)
        .fetch_all(&mut *tx)
        .await?;
        let mut rows = Vec::new();
        for name in dead {
            let mut back: Vec<(i64, i64)> = sqlx::query_as(
                "UPDATE deliveries SET possible_duplicate = (possible_duplicate OR status = 'sending'), \
                 status = 'queued', claimed_by = NULL \
                 WHERE claimed_by = $1 AND status IN ('claimed', 'sending') \
                 RETURNING broadcast_id, batch",
            )
            .bind(&name)
            .fetch_all(&mut *tx)
            .await?;
            rows.append(&mut back);
        }
        tx.commit().await?;
        rows
    });
    with_priorities(db, rows).await
}

/// Rows still in `claimed`/`sending` held by this (live) worker: put back on a graceful stop.
pub(crate) async fn release_worker(db: &QueueDb, name: &str) -> anyhow::Result<Vec<(SendBatch, Priority)>> {
    let rows: Vec<(i64, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "UPDATE deliveries SET status = 'queued', claimed_by = NULL WHERE claimed_by = $1 AND status = 'claimed' \
             RETURNING broadcast_id, batch",
        )
        .bind(name)
        .fetch_all(pool)
        .await?
    });
    with_priorities(db, rows).await
}

/// Distinct batches with their broadcast's priority.
async fn with_priorities(db: &QueueDb, mut rows: Vec<(i64, i64)>) -> anyhow::Result<Vec<(SendBatch, Priority)>> {
    rows.sort_unstable();
    rows.dedup();
    let mut priorities: HashMap<i64, Priority> = HashMap::new();
    let mut jobs = Vec::with_capacity(rows.len());
    for (broadcast_id, batch) in rows {
        let priority = match priorities.get(&broadcast_id) {
            Some(p) => *p,
            None => {
                let p: String = with_pool!(db, |pool| {
                    sqlx::query_scalar("SELECT priority FROM broadcasts WHERE id = $1")
                        .bind(broadcast_id)
                        .fetch_one(pool)
                        .await?
                });
                let p: Priority = p.parse().map_err(anyhow::Error::msg)?;
                priorities.insert(broadcast_id, p);
                p
            }
        };
        jobs.push((SendBatch { broadcast_id, batch }, priority));
    }
    Ok(jobs)
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
