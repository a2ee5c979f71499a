//! The CAP feed poller's memory: which upstream messages it has seen and what became of each.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;

/// One upstream message and its outcome (`importing`, `imported`, or why it was refused).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct FeedItem {
    pub key: String,
    pub feed: String,
    pub alert_id: Option<i64>,
    pub outcome: String,
    pub seen_at: DateTime<Utc>,
}

/// An `importing` claim older than this is taken to be a crashed process's and may be claimed again.
pub const STALE_CLAIM_MINUTES: i64 = 10;

#[async_trait]
pub trait CapFeedStore: Send + Sync {
    /// Seen before, and not an import that a crash left unfinished more than [`STALE_CLAIM_MINUTES`] ago.
    async fn feed_item_known(&self, key: &str, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Takes an item for importing; false when it was taken already (by this or another process), unless that
    /// claim is stale (its process died between claiming and finishing).
    async fn claim_feed_item(&self, key: &str, feed: &str, now: DateTime<Utc>) -> StoreResult<bool>;
    async fn finish_feed_item(&self, key: &str, alert_id: Option<i64>, outcome: &str) -> StoreResult<()>;
    /// The newest items first.
    async fn feed_items(&self, limit: i64) -> StoreResult<Vec<FeedItem>>;
}

/// Implements [`CapFeedStore`] for a store with a `pool` field.
macro_rules! impl_cap_feed_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::CapFeedStore for $store {
            async fn feed_item_known(
                &self,
                key: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let stale = now - chrono::Duration::minutes($crate::storage::cap_feeds::STALE_CLAIM_MINUTES);
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM cap_feed_items WHERE key = $1 \
                     AND NOT (outcome = 'importing' AND seen_at < $2)",
                )
                .bind(key)
                .bind(stale)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            #[tracing::instrument(skip(self), err)]
            async fn claim_feed_item(
                &self,
                key: &str,
                feed: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let stale = now - chrono::Duration::minutes($crate::storage::cap_feeds::STALE_CLAIM_MINUTES);
                let n = sqlx::query(
                    "INSERT INTO cap_feed_items (key, feed, outcome, seen_at) VALUES ($1, $2, 'importing', $3) \
                     ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at \
                     WHERE cap_feed_items.outcome = 'importing' AND cap_feed_items.seen_at < $4",
                )
                .bind(key)
                .bind(feed)
                .bind(now)
                .bind(stale)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn finish_feed_item(
                &self,
                key: &str,
                alert_id: Option<i64>,
                outcome: &str,
            ) -> $crate::storage::StoreResult<()> {
                sqlx::query("UPDATE cap_feed_items SET alert_id = $2, outcome = $3 WHERE key = $1")
                    .bind(key)
                    .bind(alert_id)
                    .bind(outcome)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn feed_items(&self, limit: i64) -> $crate::storage::StoreResult<Vec<$crate::storage::FeedItem>> {
                Ok(sqlx::query_as(
                    "SELECT key, feed, alert_id, outcome, seen_at FROM cap_feed_items \
                     ORDER BY seen_at DESC, key LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}
pub(crate) use impl_cap_feed_store;
