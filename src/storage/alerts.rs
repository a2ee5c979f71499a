//! Alerts and announcements, their targeting and the "are you safe?" replies, in SQL both backends understand.
//!
//! State changes are guarded UPDATEs (`… WHERE state = 'draft'`), so two officials approving at once, a scheduler
//! and a request dispatching at once, or a cancel and the hand-over to the engine, cannot both win.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::{
    alert::AlertSpec,
    geo::{Circle, Point, Polygon},
    lifecycle::{AlertState, MsgType},
    panel::Channel,
};

/// A new alert as stored.
#[derive(Clone, Debug)]
pub struct NewAlert {
    pub identifier: String,
    pub msg_type: MsgType,
    pub references_id: Option<i64>,
    pub source: &'static str,
    pub spec: AlertSpec,
    pub districts: Vec<i64>,
    pub author_id: i64,
    pub created_at: DateTime<Utc>,
}

/// An alert as read back.
#[derive(Clone, Debug, Serialize)]
pub struct AlertRecord {
    pub id: i64,
    pub identifier: String,
    pub msg_type: MsgType,
    pub references_id: Option<i64>,
    pub state: AlertState,
    pub source: String,
    pub spec: AlertSpec,
    pub districts: Vec<i64>,
    pub created_at: DateTime<Utc>,
    pub author_id: i64,
    pub author_name: String,
    pub approved_by: Option<i64>,
    pub approver_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub broadcast_id: Option<i64>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// What claiming a hand-over found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandOver {
    /// This call claimed it: hand it to the engine.
    Claimed,
    /// Claimed earlier and not finished (a crash, or another process right now): finishing it is safe.
    Resumed,
    /// The update's original ended before the update went out: the update was cancelled unsent.
    OriginalEnded,
    /// Not approved, not due, or ended.
    NotReady,
}

/// Who a message reaches: residents in the districts, holding the consent, reachable on the channel.
#[derive(Clone, Debug)]
pub struct TargetQuery {
    pub purpose: &'static str,
    pub districts: Vec<i64>,
    /// Empty: any channel the resident consented to.
    pub channels: Vec<Channel>,
    /// Service announcements follow residents' interests.
    pub topic: Option<String>,
    /// Exercises and tests reach the test group only.
    pub test_group_only: bool,
    /// Residents whose shared home point lies in these shapes are reached too (whatever their districts).
    pub home_polygons: Vec<Polygon>,
    pub home_circles: Vec<Circle>,
}

impl TargetQuery {
    pub(crate) fn has_home_shapes(&self) -> bool {
        !self.home_polygons.is_empty() || !self.home_circles.is_empty()
    }

    /// Whether a home point is inside the area's shapes.
    pub fn home_inside(&self, p: &Point) -> bool {
        self.home_polygons.iter().any(|s| s.contains(p)) || self.home_circles.iter().any(|c| c.contains(p))
    }

    /// The shapes' bounding box `(lat_min, lat_max, lon_min, lon_max)`, a little wider than the shapes.
    fn home_bbox(&self) -> Option<(f64, f64, f64, f64)> {
        let mut b: Option<(f64, f64, f64, f64)> = None;
        let mut grow = |lat: f64, lon: f64| {
            let e = b.get_or_insert((lat, lat, lon, lon));
            *e = (e.0.min(lat), e.1.max(lat), e.2.min(lon), e.3.max(lon));
        };
        for p in self.home_polygons.iter().flat_map(|s| s.0.iter()) {
            grow(p.lat, p.lon);
        }
        for c in &self.home_circles {
            let dlat = c.radius_km / 111.0;
            let dlon = c.radius_km / (111.0 * c.center.lat.to_radians().cos().max(0.01));
            grow(c.center.lat - dlat, c.center.lon - dlon);
            grow(c.center.lat + dlat, c.center.lon + dlon);
        }
        let margin = 0.001;
        b.filter(|(a, b, c, d)| [a, b, c, d].iter().all(|v| v.is_finite()))
            .map(|(a, b, c, d)| (a - margin, b + margin, c - margin, d + margin))
    }
}

/// One resident to reach, in their language, on each channel they consented to and can be reached on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub resident_id: i64,
    pub language: String,
    pub channels: Vec<Channel>,
}

/// How many a message reaches: residents, and messages per channel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetCounts {
    pub residents: i64,
    pub channels: BTreeMap<Channel, i64>,
}

impl TargetCounts {
    pub fn of(targets: &[Target]) -> Self {
        Self { residents: targets.len() as i64, channels: channel_counts(targets) }
    }
}

/// A resident who asked for help, with what they agreed to share.
#[derive(Clone, Debug, Serialize)]
pub struct HelpRequest {
    pub resident_id: i64,
    pub at: DateTime<Utc>,
    pub via: String,
    /// Verified emails and phone numbers, only when the resident agreed to share them.
    pub contacts: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ReplySummary {
    pub safe: i64,
    pub help: i64,
    pub help_requests: Vec<HelpRequest>,
}

#[async_trait]
pub trait AlertStore: Send + Sync {
    async fn create_alert(&self, new: &NewAlert) -> StoreResult<i64>;
    async fn alert(&self, id: i64) -> StoreResult<Option<AlertRecord>>;
    async fn alert_by_identifier(&self, identifier: &str) -> StoreResult<Option<AlertRecord>>;
    /// Newest first. `sent_only`: only messages that went out (the public list).
    async fn list_alerts(&self, sent_only: bool, limit: i64) -> StoreResult<Vec<AlertRecord>>;
    /// `draft` → `next_state` (`approved` or `scheduled`) by `approver`; false when it was not a draft any more.
    async fn approve_alert(
        &self,
        id: i64,
        approver: i64,
        next_state: AlertState,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Approved alerts not yet handed to the engine, scheduled ones now due, and hand-overs a crash interrupted.
    async fn alerts_to_dispatch(&self, now: DateTime<Utc>) -> StoreResult<Vec<i64>>;
    /// Claims the hand-over to the engine: `approved` (or due `scheduled`) → `sending`, with `sent_at`; from then
    /// on a cancel stops the broadcast instead of withdrawing the alert. An update also supersedes its original
    /// (`sending` → `updated`) in the same transaction, or, when the original has ended meanwhile, is itself
    /// cancelled unsent.
    async fn hand_over_alert(&self, id: i64, supersedes: Option<i64>, now: DateTime<Utc>) -> StoreResult<HandOver>;
    /// Records the broadcast of a handed-over alert (also of one cancelled during its fan-out, so its progress
    /// shows); false when it was already recorded.
    async fn record_alert_broadcast(&self, id: i64, broadcast_id: i64) -> StoreResult<bool>;
    /// Ends an alert: `cancelled` or `updated`. `handed_over` false: only one not yet handed to the engine
    /// (draft, scheduled, approved: withdrawn); true: only one handed over (`sending`). False when it was not.
    async fn end_alert(&self, id: i64, state: AlertState, handed_over: bool, now: DateTime<Utc>) -> StoreResult<bool>;
    async fn alert_targets(&self, q: &TargetQuery) -> StoreResult<Vec<Target>>;
    /// How many [`Self::alert_targets`] would return, counted in the database (a preview reads no rows).
    async fn alert_target_counts(&self, q: &TargetQuery) -> StoreResult<TargetCounts>;
    /// Records (or changes) a resident's answer to an alert that asked.
    async fn record_reply(
        &self,
        alert_id: i64,
        resident_id: i64,
        answer: &str,
        via: &str,
        share_contact: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn reply_summary(&self, alert_id: i64) -> StoreResult<ReplySummary>;
    /// The newest unexpired alert that asked this resident "are you safe?" by SMS.
    async fn safety_alert_for_sms(&self, resident_id: i64, now: DateTime<Utc>) -> StoreResult<Option<i64>>;
    /// The resident behind a verified phone number.
    async fn resident_by_phone(&self, e164: &str) -> StoreResult<Option<i64>>;
}

/// The columns [`AlertRow`] reads, joined with the officials' names.
pub(crate) const ALERT_SELECT: &str = "SELECT a.id, a.identifier, a.msg_type, a.references_id, a.state, a.source, \
     a.spec, a.districts, a.created_at, a.author_id, o.name AS author_name, a.approved_by, p.name AS approver_name, \
     a.approved_at, a.sent_at, a.broadcast_id, a.ended_at \
     FROM alerts a JOIN officials o ON o.id = a.author_id LEFT JOIN officials p ON p.id = a.approved_by";

#[derive(sqlx::FromRow)]
pub(crate) struct AlertRow {
    id: i64,
    identifier: String,
    msg_type: String,
    references_id: Option<i64>,
    state: String,
    source: String,
    spec: String,
    districts: String,
    created_at: DateTime<Utc>,
    author_id: i64,
    author_name: String,
    approved_by: Option<i64>,
    approver_name: Option<String>,
    approved_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
    broadcast_id: Option<i64>,
    ended_at: Option<DateTime<Utc>>,
}

impl AlertRow {
    pub(crate) fn into_record(self) -> StoreResult<AlertRecord> {
        let bad =
            |what: &str, e: serde_json::Error| anyhow::anyhow!("stored {what} of alert {} is invalid: {e}", self.id);
        Ok(AlertRecord {
            spec: serde_json::from_str(&self.spec).map_err(|e| bad("spec", e))?,
            districts: serde_json::from_str(&self.districts).map_err(|e| bad("districts", e))?,
            id: self.id,
            identifier: self.identifier,
            msg_type: MsgType::parse(&self.msg_type).ok_or_else(|| {
                anyhow::anyhow!("stored msg_type {:?} of alert {} is unknown", self.msg_type, self.id)
            })?,
            references_id: self.references_id,
            state: AlertState::parse(&self.state)
                .ok_or_else(|| anyhow::anyhow!("stored state {:?} of alert {} is unknown", self.state, self.id))?,
            source: self.source,
            created_at: self.created_at,
            author_id: self.author_id,
            author_name: self.author_name,
            approved_by: self.approved_by,
            approver_name: self.approver_name,
            approved_at: self.approved_at,
            sent_at: self.sent_at,
            broadcast_id: self.broadcast_id,
            ended_at: self.ended_at,
        })
    }
}

/// The targeting query's text. District numbers are validated integers, formatted in (no user text reaches SQL).
/// Residents in the area's districts, with a channel each row.
pub(crate) fn target_sql(q: &TargetQuery) -> String {
    reachable_sql(q, "", &district_area(q)) + " ORDER BY r.id"
}

/// The residents of the area's districts (home district or another of theirs), as a condition on `r.id` over the
/// set of their ids.
fn district_area(q: &TargetQuery) -> String {
    let districts = if q.districts.is_empty() {
        "NULL".to_string()
    } else {
        q.districts.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    };
    format!(
        "r.id IN (SELECT h.id FROM residents h WHERE h.home_district IN ({districts}) \
         UNION ALL SELECT d.resident_id FROM resident_districts d WHERE d.district IN ({districts}))"
    )
}

/// Residents whose home point is in the bounding box of the area's shapes (with the point, to check exactly).
pub(crate) fn home_point_sql(q: &TargetQuery) -> Option<String> {
    if !q.has_home_shapes() {
        return None;
    }
    let (lat_min, lat_max, lon_min, lon_max) = q.home_bbox()?;
    let area = format!("r.home_lat BETWEEN {lat_min} AND {lat_max} AND r.home_lon BETWEEN {lon_min} AND {lon_max}");
    Some(reachable_sql(q, ", r.home_lat, r.home_lon", &area) + " ORDER BY r.id")
}

/// Per channel, how many messages the district part of the area takes, and how many residents: `(residents, email,
/// sms, push)` in one row. Only for areas without home shapes (those are checked point by point in Rust).
pub(crate) fn target_count_sql(q: &TargetQuery) -> String {
    let rows = reachable_sql(q, "", &district_area(q));
    let n = |c: &str| format!("COALESCE(SUM(CASE WHEN t.channel = '{c}' THEN 1 ELSE 0 END), 0)");
    format!("SELECT COUNT(DISTINCT t.id), {}, {}, {} FROM ({rows}) t", n("email"), n("sms"), n("push"))
}

/// Verified, unerased residents matching `area`, holding the purpose's consent on a channel they can be reached on.
///
/// Written over whole sets — the area's residents, the consents, the reachable (resident, channel) pairs — joined
/// by `IN` (semi-joins), with no subquery evaluated per resident: a plan made from stale statistics (a panel loaded
/// a moment ago, which the planner still believes empty) stays a few hash joins rather than nested loops. (On
/// PostgreSQL the query also runs with nested loops disabled: see [`SET_WISE`].)
fn reachable_sql(q: &TargetQuery, columns: &str, area: &str) -> String {
    let channels = if q.channels.is_empty() {
        "'email','sms','push'".to_string()
    } else {
        q.channels.iter().map(|c| format!("'{}'", c.as_str())).collect::<Vec<_>>().join(",")
    };
    let mut sql = format!(
        "SELECT r.id, r.language, c.channel{columns} FROM residents r \
         JOIN consent_current c ON c.resident_id = r.id AND c.purpose = $1 AND c.granted AND c.channel IN ({channels}) \
         WHERE r.verified_at IS NOT NULL AND r.erased_at IS NULL AND {area} \
         AND (c.resident_id, c.channel) IN (\
           SELECT p.resident_id, CASE p.kind WHEN 'phone' THEN 'sms' ELSE 'email' END \
           FROM contact_points p WHERE p.verified_at IS NOT NULL \
           UNION ALL SELECT s.resident_id, 'push' FROM push_subscriptions s)"
    );
    if q.test_group_only {
        sql.push_str(" AND r.test_group");
    }
    if q.topic.is_some() {
        sql.push_str(" AND r.id IN (SELECT i.resident_id FROM resident_interests i WHERE i.interest = $2)");
    }
    sql
}

/// On PostgreSQL, run before a targeting query in its transaction: a read of a whole panel is joined set-wise
/// (hash or merge joins) whatever the planner's statistics say. Without statistics (right after a bulk load) the
/// planner estimates one row per table and picks nested loops: 13–20 s for 20,000 residents instead of 0.1 s.
pub(crate) const SET_WISE: &str = "SET LOCAL enable_nestloop = off";

/// The union of the district rows and the home-point rows whose point is inside the shapes, ordered by resident.
pub(crate) fn merge_home_rows(
    q: &TargetQuery,
    mut rows: Vec<(i64, String, String)>,
    home: Vec<(i64, String, String, f64, f64)>,
) -> Vec<(i64, String, String)> {
    let inside = home.into_iter().filter(|(_, _, _, lat, lon)| q.home_inside(&Point::new(*lat, *lon)));
    rows.extend(inside.map(|(id, language, channel, _, _)| (id, language, channel)));
    rows.sort();
    rows.dedup();
    rows
}

/// Groups `(resident, language, channel)` rows (ordered by resident) into targets.
pub(crate) fn group_targets(rows: Vec<(i64, String, String)>) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for (id, language, channel) in rows {
        let Ok(channel) = channel.parse::<Channel>() else { continue };
        match out.last_mut() {
            Some(t) if t.resident_id == id => t.channels.push(channel),
            _ => out.push(Target { resident_id: id, language, channels: vec![channel] }),
        }
    }
    for t in &mut out {
        t.channels.sort();
    }
    out
}

/// Per channel, how many targets it reaches.
pub fn channel_counts(targets: &[Target]) -> BTreeMap<Channel, i64> {
    let mut counts: BTreeMap<Channel, i64> = Channel::ALL.into_iter().map(|c| (c, 0)).collect();
    for t in targets {
        for c in &t.channels {
            *counts.entry(*c).or_default() += 1;
        }
    }
    counts
}

/// The alert whose `$column` is `$value`, if any.
macro_rules! one_alert {
    ($store:expr, $column:literal, $value:expr) => {{
        let row: Option<$crate::storage::alerts::AlertRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{} WHERE {} = $1",
            $crate::storage::alerts::ALERT_SELECT,
            $column
        )))
        .bind($value)
        .fetch_optional(&$store.pool)
        .await?;
        row.map(|r| r.into_record()).transpose()
    }};
}
pub(crate) use one_alert;

/// Implements [`AlertStore`] for a store with a `pool` field.
macro_rules! impl_alert_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::AlertStore for $store {
            #[tracing::instrument(skip(self, new), err)]
            async fn create_alert(&self, new: &$crate::storage::NewAlert) -> $crate::storage::StoreResult<i64> {
                let spec = serde_json::to_string(&new.spec).map_err(anyhow::Error::from)?;
                let districts = serde_json::to_string(&new.districts).map_err(anyhow::Error::from)?;
                Ok(sqlx::query_scalar(
                    "INSERT INTO alerts (identifier, kind, status, msg_type, references_id, state, source, spec, \
                     districts, ask_safety, created_at, expires_at, scheduled_at, author_id) \
                     VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(&new.identifier)
                .bind(new.spec.kind.as_str())
                .bind(new.spec.status.as_str())
                .bind(new.msg_type.as_str())
                .bind(new.references_id)
                .bind(new.source)
                .bind(spec)
                .bind(districts)
                .bind(new.spec.ask_safety)
                .bind(new.created_at)
                .bind(new.spec.expires_at)
                .bind(new.spec.scheduled_at)
                .bind(new.author_id)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn alert(&self, id: i64) -> $crate::storage::StoreResult<Option<$crate::storage::AlertRecord>> {
                $crate::storage::alerts::one_alert!(self, "a.id", id)
            }

            #[tracing::instrument(skip(self), err)]
            async fn alert_by_identifier(
                &self,
                identifier: &str,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::AlertRecord>> {
                $crate::storage::alerts::one_alert!(self, "a.identifier", identifier)
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_alerts(
                &self,
                sent_only: bool,
                limit: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::AlertRecord>> {
                let filter = if sent_only { "WHERE a.sent_at IS NOT NULL" } else { "" };
                let rows: Vec<$crate::storage::alerts::AlertRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} {filter} ORDER BY a.id DESC LIMIT $1",
                    $crate::storage::alerts::ALERT_SELECT
                )))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(|r| r.into_record()).collect()
            }

            #[tracing::instrument(skip(self), err)]
            async fn approve_alert(
                &self,
                id: i64,
                approver: i64,
                next_state: $crate::domain::lifecycle::AlertState,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "UPDATE alerts SET state = $2, approved_by = $3, approved_at = $4 WHERE id = $1 AND state = 'draft'",
                )
                .bind(id)
                .bind(next_state.as_str())
                .bind(approver)
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn alerts_to_dispatch(
                &self,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Vec<i64>> {
                // A hand-over still without a broadcast after a minute was interrupted (its process died).
                Ok(sqlx::query_scalar(
                    "SELECT id FROM alerts WHERE state = 'approved' OR (state = 'scheduled' AND scheduled_at <= $1) \
                     OR (state = 'sending' AND broadcast_id IS NULL AND sent_at < $2) \
                     ORDER BY (kind = 'emergency') DESC, id",
                )
                .bind(now)
                .bind(now - chrono::Duration::minutes(1))
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn hand_over_alert(
                &self,
                id: i64,
                supersedes: Option<i64>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<$crate::storage::HandOver> {
                use $crate::storage::HandOver;
                let mut tx = self.pool.begin().await?;
                let claimed = sqlx::query(
                    "UPDATE alerts SET state = 'sending', sent_at = $2 \
                     WHERE id = $1 AND (state = 'approved' OR (state = 'scheduled' AND scheduled_at <= $2))",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if claimed == 0 {
                    let open: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM alerts WHERE id = $1 AND state = 'sending' AND broadcast_id IS NULL",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    return Ok(if open.is_some() { HandOver::Resumed } else { HandOver::NotReady });
                }
                if let Some(original) = supersedes {
                    let superseded = sqlx::query(
                        "UPDATE alerts SET state = 'updated', ended_at = $2 WHERE id = $1 AND state = 'sending'",
                    )
                    .bind(original)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if superseded == 0 {
                        sqlx::query("UPDATE alerts SET state = 'cancelled', sent_at = NULL, ended_at = $2 WHERE id = $1")
                            .bind(id)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        tx.commit().await?;
                        return Ok(HandOver::OriginalEnded);
                    }
                }
                tx.commit().await?;
                Ok(HandOver::Claimed)
            }

            #[tracing::instrument(skip(self), err)]
            async fn record_alert_broadcast(&self, id: i64, broadcast_id: i64) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "UPDATE alerts SET broadcast_id = $2 WHERE id = $1 AND broadcast_id IS NULL AND sent_at IS NOT NULL",
                )
                .bind(id)
                .bind(broadcast_id)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn end_alert(
                &self,
                id: i64,
                state: $crate::domain::lifecycle::AlertState,
                handed_over: bool,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let sql = if handed_over {
                    "UPDATE alerts SET state = $2, ended_at = $3 WHERE id = $1 AND state = 'sending'"
                } else {
                    "UPDATE alerts SET state = $2, ended_at = $3 WHERE id = $1 AND state IN ('draft', 'scheduled', 'approved')"
                };
                let n = sqlx::query(sql).bind(id).bind(state.as_str()).bind(now).execute(&self.pool).await?.rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self, q), err)]
            async fn alert_targets(
                &self,
                q: &$crate::storage::TargetQuery,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::Target>> {
                let set_wise = $crate::storage::Storage::backend(self) == $crate::storage::Backend::Postgres;
                let mut tx = self.pool.begin().await?;
                if set_wise {
                    sqlx::query($crate::storage::alerts::SET_WISE).execute(&mut *tx).await?;
                }
                let sql = $crate::storage::alerts::target_sql(q);
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(q.purpose);
                if let Some(topic) = &q.topic {
                    query = query.bind(topic.clone());
                }
                let mut rows: Vec<(i64, String, String)> = query.fetch_all(&mut *tx).await?;
                if let Some(sql) = $crate::storage::alerts::home_point_sql(q) {
                    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(q.purpose);
                    if let Some(topic) = &q.topic {
                        query = query.bind(topic.clone());
                    }
                    let home: Vec<(i64, String, String, f64, f64)> = query.fetch_all(&mut *tx).await?;
                    rows = $crate::storage::alerts::merge_home_rows(q, rows, home);
                }
                tx.commit().await?;
                Ok($crate::storage::alerts::group_targets(rows))
            }

            #[tracing::instrument(skip(self, q), err)]
            async fn alert_target_counts(
                &self,
                q: &$crate::storage::TargetQuery,
            ) -> $crate::storage::StoreResult<$crate::storage::TargetCounts> {
                use $crate::domain::panel::Channel;
                if q.has_home_shapes() {
                    // Home points are checked against the shapes one by one, outside SQL.
                    let targets = $crate::storage::AlertStore::alert_targets(self, q).await?;
                    return Ok($crate::storage::TargetCounts::of(&targets));
                }
                let set_wise = $crate::storage::Storage::backend(self) == $crate::storage::Backend::Postgres;
                let mut tx = self.pool.begin().await?;
                if set_wise {
                    sqlx::query($crate::storage::alerts::SET_WISE).execute(&mut *tx).await?;
                }
                let sql = $crate::storage::alerts::target_count_sql(q);
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(q.purpose);
                if let Some(topic) = &q.topic {
                    query = query.bind(topic.clone());
                }
                let (residents, email, sms, push): (i64, i64, i64, i64) = query.fetch_one(&mut *tx).await?;
                tx.commit().await?;
                let channels = [(Channel::Email, email), (Channel::Sms, sms), (Channel::Push, push)].into();
                Ok($crate::storage::TargetCounts { residents, channels })
            }

            #[tracing::instrument(skip(self), err)]
            async fn record_reply(
                &self,
                alert_id: i64,
                resident_id: i64,
                answer: &str,
                via: &str,
                share_contact: bool,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO alert_replies (alert_id, resident_id, answer, via, share_contact, at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (alert_id, resident_id) DO UPDATE SET \
                     answer = excluded.answer, via = excluded.via, share_contact = excluded.share_contact, \
                     at = excluded.at",
                )
                .bind(alert_id)
                .bind(resident_id)
                .bind(answer)
                .bind(via)
                .bind(share_contact)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip(self), err)]
            async fn reply_summary(&self, alert_id: i64) -> $crate::storage::StoreResult<$crate::storage::ReplySummary> {
                let counts: Vec<(String, i64)> =
                    sqlx::query_as("SELECT answer, COUNT(*) FROM alert_replies WHERE alert_id = $1 GROUP BY answer")
                        .bind(alert_id)
                        .fetch_all(&self.pool)
                        .await?;
                let rows: Vec<(i64, chrono::DateTime<chrono::Utc>, String, bool, Option<String>)> = sqlx::query_as(
                    "SELECT r.resident_id, r.at, r.via, r.share_contact, p.value FROM alert_replies r \
                     LEFT JOIN contact_points p ON r.share_contact AND p.resident_id = r.resident_id \
                     AND p.verified_at IS NOT NULL \
                     WHERE r.alert_id = $1 AND r.answer = 'help' ORDER BY r.at, r.resident_id, p.value",
                )
                .bind(alert_id)
                .fetch_all(&self.pool)
                .await?;
                let mut summary = $crate::storage::ReplySummary::default();
                for (answer, n) in counts {
                    match answer.as_str() {
                        "safe" => summary.safe = n,
                        _ => summary.help = n,
                    }
                }
                for (resident_id, at, via, _, contact) in rows {
                    match summary.help_requests.last_mut() {
                        Some(h) if h.resident_id == resident_id => h.contacts.extend(contact),
                        _ => summary.help_requests.push($crate::storage::HelpRequest {
                            resident_id,
                            at,
                            via,
                            contacts: contact.into_iter().collect(),
                        }),
                    }
                }
                Ok(summary)
            }

            #[tracing::instrument(skip(self), err)]
            async fn safety_alert_for_sms(
                &self,
                resident_id: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Option<i64>> {
                Ok(sqlx::query_scalar(
                    "SELECT a.id FROM alerts a JOIN deliveries d ON d.broadcast_id = a.broadcast_id \
                     WHERE a.ask_safety AND a.expires_at > $2 AND d.recipient_id = $1 AND d.channel = 'sms' \
                     AND d.status IN ('sent', 'delivered') ORDER BY a.id DESC LIMIT 1",
                )
                .bind(resident_id)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn resident_by_phone(&self, e164: &str) -> $crate::storage::StoreResult<Option<i64>> {
                Ok(sqlx::query_scalar(
                    "SELECT resident_id FROM contact_points WHERE kind = 'phone' AND value = $1 \
                     AND verified_at IS NOT NULL",
                )
                .bind(e164)
                .fetch_optional(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_alert_store;
