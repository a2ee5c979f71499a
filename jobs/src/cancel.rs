//! Stopping a broadcast for good: what is not yet on the wire is never sent.
//!
//! A cancellation is recorded by the broadcast's key, so it holds even when it arrives before [`crate::submit`]
//! has created the broadcast (a cancel racing the hand-over). Three places honour it, and together they leave no
//! window: the cancel itself skips every waiting delivery; a fan-out chunk committed afterwards is stored as
//! skipped; and a worker's step that puts rows on the wire (`sending`) refuses rows of a cancelled broadcast in
//! the same statement. So once [`cancel_broadcast`] returns, the deliveries that are `sending`, `sent` or
//! `delivered` are exactly those that went out, and nothing else ever will.

use chrono::{DateTime, Utc};

use crate::{QueueDb, store::with_pool};

/// What a cancellation found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled {
    /// The broadcast, if the fan-out had started.
    pub broadcast_id: Option<i64>,
    /// Deliveries this call stopped (skipped with the reason).
    pub stopped: u64,
}

/// Stops the broadcast with this key: waiting deliveries become `skipped` with `reason`, and no delivery of it
/// goes on the wire afterwards, including rows a running fan-out has yet to write. Repeating it changes nothing.
pub async fn cancel_broadcast(db: &QueueDb, key: &str, reason: &str, now: DateTime<Utc>) -> anyhow::Result<Cancelled> {
    with_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO broadcast_cancellations (key, reason, cancelled_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(reason)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Taking the broadcast's row waits for a fan-out chunk in flight (it holds the row while it writes), so the
        // chunk's rows are visible to the UPDATE below, or the chunk sees this cancellation and stores them skipped.
        let id: Option<i64> =
            sqlx::query_scalar("UPDATE broadcasts SET next_batch = next_batch WHERE key = $1 RETURNING id")
                .bind(key)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .next();
        let stopped = match id {
            Some(id) => sqlx::query(
                "UPDATE deliveries SET status = 'skipped', reason = $2, claimed_by = NULL, vars = NULL \
                     WHERE broadcast_id = $1 AND status IN ('queued', 'claimed')",
            )
            .bind(id)
            .bind(reason)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            None => 0,
        };
        tx.commit().await?;
        tracing::info!(broadcast_id = id, stopped, "broadcast cancelled");
        Ok(Cancelled { broadcast_id: id, stopped })
    })
}

/// The broadcast submitted under `key`, if its fan-out has started.
pub async fn broadcast_id(db: &QueueDb, key: &str) -> anyhow::Result<Option<i64>> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM broadcasts WHERE key = $1").bind(key).fetch_optional(pool).await?
    }))
}

/// The reason a broadcast was cancelled, if it was.
pub(crate) async fn cancel_reason(db: &QueueDb, broadcast_id: i64) -> anyhow::Result<Option<String>> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_scalar(crate::store::CANCEL_REASON).bind(broadcast_id).fetch_optional(pool).await?
    }))
}

/// The SQL condition "this delivery's broadcast was not cancelled", for statements on `deliveries`.
pub(crate) const NOT_CANCELLED: &str = "NOT EXISTS (SELECT 1 FROM broadcasts cb JOIN broadcast_cancellations cc \
     ON cc.key = cb.key WHERE cb.id = deliveries.broadcast_id)";
