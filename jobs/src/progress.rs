//! What a broadcast has come to: counts by channel and status, send rate, time left, failures by reason.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::{
    QueueDb,
    model::{Channel, Priority, Status},
    store::with_pool,
};

/// Counts of one channel's deliveries by status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChannelCounts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub skipped: i64,
}

impl ChannelCounts {
    fn add(&mut self, status: Status, n: i64) {
        match status {
            Status::Queued => self.queued += n,
            Status::Sending => self.sending += n,
            Status::Sent => self.sent += n,
            Status::Delivered => self.delivered += n,
            Status::Failed => self.failed += n,
            Status::Skipped => self.skipped += n,
        }
    }

    pub fn pending(&self) -> i64 {
        self.queued + self.sending
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Progress {
    pub total: i64,
    /// Fanned out, and nothing left queued or on the wire.
    pub done: bool,
    pub channels: BTreeMap<Channel, ChannelCounts>,
    /// Messages that left in the last ten seconds, per second.
    pub rate_per_second: f64,
    pub eta_seconds: Option<f64>,
    /// Failed and skipped deliveries grouped by reason.
    pub reasons: BTreeMap<String, i64>,
    /// Deliveries that were on the wire when a worker died: each may have reached its recipient twice.
    pub possible_duplicates: i64,
}

const RATE_WINDOW_SECS: i64 = 10;

/// What `progress` reads: fanned-out time, (channel, status, count) rows, recent sends, reasons, duplicates.
type Raw = (Option<Option<DateTime<Utc>>>, Vec<(String, String, i64)>, i64, Vec<(String, i64)>, i64);

pub async fn progress(db: &QueueDb, broadcast_id: i64, now: DateTime<Utc>) -> anyhow::Result<Option<Progress>> {
    let since = now - Duration::seconds(RATE_WINDOW_SECS);
    let (fanned_out, counts, recent, reasons, duplicates): Raw = with_pool!(db, |pool| {
        let fanned_out = sqlx::query_scalar("SELECT fanned_out_at FROM broadcasts WHERE id = $1")
            .bind(broadcast_id)
            .fetch_optional(pool)
            .await?;
        let counts = sqlx::query_as(
            "SELECT channel, status, COUNT(*) FROM deliveries WHERE broadcast_id = $1 GROUP BY channel, status",
        )
        .bind(broadcast_id)
        .fetch_all(pool)
        .await?;
        let recent = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE broadcast_id = $1 AND sent_at >= $2")
            .bind(broadcast_id)
            .bind(since)
            .fetch_one(pool)
            .await?;
        let reasons = sqlx::query_as(
            "SELECT reason, COUNT(*) FROM deliveries WHERE broadcast_id = $1 AND status IN ('failed', 'skipped') \
                 AND reason IS NOT NULL GROUP BY reason",
        )
        .bind(broadcast_id)
        .fetch_all(pool)
        .await?;
        let duplicates =
            sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE broadcast_id = $1 AND possible_duplicate")
                .bind(broadcast_id)
                .fetch_one(pool)
                .await?;
        (fanned_out, counts, recent, reasons, duplicates)
    });
    let Some(fanned_out) = fanned_out else { return Ok(None) };
    let mut channels: BTreeMap<Channel, ChannelCounts> = BTreeMap::new();
    let mut total = 0;
    for (channel, status, n) in counts {
        let (Ok(channel), Some(status)) = (channel.parse::<Channel>(), Status::from_db(&status)) else { continue };
        channels.entry(channel).or_default().add(status, n);
        total += n;
    }
    let pending: i64 = channels.values().map(ChannelCounts::pending).sum();
    let rate = recent as f64 / RATE_WINDOW_SECS as f64;
    Ok(Some(Progress {
        total,
        done: fanned_out.is_some() && pending == 0,
        channels,
        rate_per_second: rate,
        eta_seconds: (pending > 0 && rate > 0.0).then(|| pending as f64 / rate),
        reasons: reasons.into_iter().collect(),
        possible_duplicates: duplicates,
    }))
}

/// A delivery report from the SMS gateway (Kannel's `%d`: 1 delivered, 2 failed, 8 accepted, 16 rejected).
/// Returns false for an unknown delivery.
pub async fn record_sms_report(db: &QueueDb, delivery_id: i64, kannel_status: u32) -> anyhow::Result<bool> {
    let (status, reason) = match kannel_status {
        1 => ("delivered", None),
        2 => ("failed", Some("not delivered (operator report)")),
        16 => ("failed", Some("rejected by the operator")),
        // Accepted or buffered by the operator: still `sent`.
        _ => {
            let exists: Option<i64> = with_pool!(db, |pool| {
                sqlx::query_scalar("SELECT id FROM deliveries WHERE id = $1 AND channel = 'sms'")
                    .bind(delivery_id)
                    .fetch_optional(pool)
                    .await?
            });
            return Ok(exists.is_some());
        }
    };
    let changed = with_pool!(db, |pool| {
        // `sending`: the report can beat the worker's own record of the send.
        sqlx::query(
            "UPDATE deliveries SET status = $1, reason = $2, sent_at = COALESCE(sent_at, $4) \
             WHERE id = $3 AND channel = 'sms' AND status IN ('sending', 'sent', 'delivered', 'failed')",
        )
        .bind(status)
        .bind(reason)
        .bind(delivery_id)
        .bind(Utc::now())
        .execute(pool)
        .await?
        .rows_affected()
    });
    if changed == 1 {
        metrics::counter!("hejnal_deliveries_total", "channel" => "sms", "status" => status).increment(1);
    }
    Ok(changed == 1)
}

/// Deliveries not yet sent, by priority (for the queue-depth gauge).
pub async fn queue_depth(db: &QueueDb) -> anyhow::Result<Vec<(Priority, i64)>> {
    let rows: Vec<(String, i64)> = with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT b.priority, CAST(SUM(p.n) AS BIGINT) FROM (SELECT broadcast_id, COUNT(*) AS n FROM deliveries \
             WHERE status IN ('queued', 'claimed', 'sending') GROUP BY broadcast_id) p \
             JOIN broadcasts b ON b.id = p.broadcast_id GROUP BY b.priority",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows.into_iter().filter_map(|(p, n)| Some((p.parse().ok()?, n))).collect())
}

/// One message sent (or not) to a recipient, for their data export.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct RecipientDelivery {
    pub broadcast_id: i64,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub reason: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn recipient_deliveries(db: &QueueDb, recipient_id: i64) -> anyhow::Result<Vec<RecipientDelivery>> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT d.broadcast_id, b.kind, d.channel, CASE WHEN d.status = 'claimed' THEN 'queued' ELSE d.status END AS status, \
             d.reason, d.sent_at, b.created_at FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id \
             WHERE d.recipient_id = $1 ORDER BY d.id",
        )
        .bind(recipient_id)
        .fetch_all(pool)
        .await?
    }))
}

/// The (recipient, language, channel) of every delivery of a broadcast in one of `statuses`, by recipient.
/// `Queued` includes rows a worker has claimed; `claimed` alone names only those.
pub async fn deliveries_in(
    db: &QueueDb,
    broadcast_id: i64,
    statuses: &[Status],
    claimed: bool,
) -> anyhow::Result<Vec<(i64, String, Channel)>> {
    let mut names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
    if claimed || statuses.contains(&Status::Queued) {
        names.push("claimed");
    }
    let list = names.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT recipient_id, language, channel FROM deliveries WHERE broadcast_id = $1 AND status IN ({list}) \
         ORDER BY recipient_id, channel"
    );
    let rows: Vec<(i64, String, String)> = with_pool!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(broadcast_id).fetch_all(pool).await?
    });
    Ok(rows.into_iter().filter_map(|(r, l, c)| Some((r, l, c.parse().ok()?))).collect())
}
