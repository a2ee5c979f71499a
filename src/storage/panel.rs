//! Residents, contact points, secrets, sessions and push subscriptions, in SQL both backends understand.
//! The one dialect difference (the day of a timestamp) comes in as `day = "<expression on created_at>"`.

/// Implements [`super::PanelStore`] for a store with a `pool` field.
macro_rules! impl_panel_store {
    ($store:ty, day = $day:literal) => {
        #[async_trait::async_trait]
        impl $crate::storage::PanelStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn create_resident(
                &self,
                new: &$crate::storage::NewResident,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::CreatedResident>> {
                let mut tx = self.pool.begin().await?;
                // SQLite: take the write lock first, or a read-then-write transaction fails when another
                // connection writes in between (SQLITE_BUSY_SNAPSHOT); a no-op elsewhere.
                $crate::storage::panel::write_first!(tx);
                for (kind, value) in &new.contacts {
                    let taken: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM contact_points WHERE kind = $1 AND value = $2")
                            .bind(kind.as_str())
                            .bind(value)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if taken.is_some() {
                        return Ok(None);
                    }
                }
                let verified = new.verified.then_some(now);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO residents (language, home_district, age_band, created_at, verified_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&new.language)
                .bind(new.home_district)
                .bind(new.age_band.map(|a| a.as_str()))
                .bind(now)
                .bind(verified)
                .fetch_all(&mut *tx)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?;
                for d in &new.other_districts {
                    sqlx::query(
                        "INSERT INTO resident_districts (resident_id, district) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(*d)
                    .execute(&mut *tx)
                    .await?;
                }
                for i in &new.interests {
                    sqlx::query(
                        "INSERT INTO resident_interests (resident_id, interest) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(i)
                    .execute(&mut *tx)
                    .await?;
                }
                let mut contact_points = Vec::new();
                for (kind, value) in &new.contacts {
                    let cp: i64 = sqlx::query_scalar(
                        "INSERT INTO contact_points (resident_id, kind, value, verified_at, created_at) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(id)
                    .bind(kind.as_str())
                    .bind(value)
                    .bind(verified)
                    .bind(now)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter().next().ok_or(sqlx::Error::RowNotFound)?;
                    contact_points.push((cp, *kind));
                }
                for (purpose, channel) in &new.consents {
                    $crate::storage::consent::append_event!(
                        tx,
                        id,
                        purpose.as_str(),
                        channel.as_str(),
                        true,
                        new.notice_version,
                        new.method.as_str(),
                        new.legal_basis.as_deref(),
                        now
                    );
                }
                sqlx::query(
                    "INSERT INTO notice_reviews (resident_id, version, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(new.notice_version)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some($crate::storage::CreatedResident { id, contact_points }))
            }

            #[tracing::instrument(skip(self), err)]
            async fn resident(&self, id: i64) -> $crate::storage::StoreResult<Option<$crate::storage::Resident>> {
                type Row = (
                    i64,
                    String,
                    Option<i64>,
                    Option<String>,
                    i64,
                    bool,
                    chrono::DateTime<chrono::Utc>,
                    Option<chrono::DateTime<chrono::Utc>>,
                    Option<chrono::DateTime<chrono::Utc>>,
                    Option<f64>,
                    Option<f64>,
                );
                let row: Option<Row> = sqlx::query_as(
                    "SELECT id, language, home_district, age_band, monthly_survey_limit, test_group, created_at, \
                     verified_at, erased_at, home_lat, home_lon FROM residents WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let Some((
                    id,
                    language,
                    home_district,
                    age_band,
                    limit,
                    test_group,
                    created_at,
                    verified_at,
                    erased_at,
                    home_lat,
                    home_lon,
                )) = row
                else {
                    return Ok(None);
                };
                let other_districts: Vec<i64> = sqlx::query_scalar(
                    "SELECT district FROM resident_districts WHERE resident_id = $1 ORDER BY district",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let interests: Vec<String> = sqlx::query_scalar(
                    "SELECT interest FROM resident_interests WHERE resident_id = $1 ORDER BY interest",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let contact_points = self.contact_points_of(id).await?;
                Ok(Some($crate::storage::Resident {
                    id,
                    language,
                    home_district,
                    other_districts,
                    age_band,
                    interests,
                    monthly_survey_limit: limit,
                    test_group,
                    created_at,
                    verified_at,
                    erased_at,
                    contact_points,
                    home_point: home_lat.zip(home_lon).map(|(lat, lon)| $crate::domain::geo::Point::new(lat, lon)),
                }))
            }

            #[tracing::instrument(skip(self, point), err)]
            async fn set_home_point(
                &self,
                id: i64,
                point: Option<$crate::domain::geo::Point>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "UPDATE residents SET home_lat = $2, home_lon = $3 WHERE id = $1 AND erased_at IS NULL",
                )
                .bind(id)
                .bind(point.map(|p| p.lat))
                .bind(point.map(|p| p.lon))
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self, update), err)]
            async fn update_profile(
                &self,
                id: i64,
                update: &$crate::storage::ProfileUpdate,
            ) -> $crate::storage::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE residents SET language = $1, home_district = $2, age_band = $3, monthly_survey_limit = $4, \
                     test_group = $6 WHERE id = $5 AND erased_at IS NULL",
                )
                .bind(&update.language)
                .bind(update.home_district)
                .bind(update.age_band.map(|a| a.as_str()))
                .bind(update.monthly_survey_limit)
                .bind(id)
                .bind(update.test_group)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM resident_districts WHERE resident_id = $1").bind(id).execute(&mut *tx).await?;
                for d in &update.other_districts {
                    sqlx::query(
                        "INSERT INTO resident_districts (resident_id, district) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(*d)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query("DELETE FROM resident_interests WHERE resident_id = $1").bind(id).execute(&mut *tx).await?;
                for i in &update.interests {
                    sqlx::query(
                        "INSERT INTO resident_interests (resident_id, interest) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(i)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self), err)]
            async fn contact_point(
                &self,
                id: i64,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::ContactPoint>> {
                let row: Option<$crate::storage::panel::ContactRow> = sqlx::query_as(
                    "SELECT id, resident_id, kind, value, verified_at, created_at FROM contact_points WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.and_then($crate::storage::panel::ContactRow::into_contact))
            }

            #[tracing::instrument(skip(self, value), err)]
            async fn contact_point_by_value(
                &self,
                kind: $crate::domain::panel::ContactKind,
                value: &str,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::ContactPoint>> {
                let row: Option<$crate::storage::panel::ContactRow> = sqlx::query_as(
                    "SELECT id, resident_id, kind, value, verified_at, created_at FROM contact_points \
                     WHERE kind = $1 AND value = $2",
                )
                .bind(kind.as_str())
                .bind(value)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.and_then($crate::storage::panel::ContactRow::into_contact))
            }

            #[tracing::instrument(skip(self, value), err)]
            async fn add_contact_point(
                &self,
                resident_id: i64,
                kind: $crate::domain::panel::ContactKind,
                value: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO contact_points (resident_id, kind, value, created_at) VALUES ($1, $2, $3, $4) \
                     RETURNING id",
                )
                .bind(resident_id)
                .bind(kind.as_str())
                .bind(value)
                .bind(now)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn remove_contact_point(&self, resident_id: i64, id: i64) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query("DELETE FROM contact_points WHERE id = $1 AND resident_id = $2")
                    .bind(id)
                    .bind(resident_id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn erase_resident(
                &self,
                id: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let n = $crate::storage::panel::erase_where!(tx, "WHERE id = $1 AND erased_at IS NULL", id, now);
                tx.commit().await?;
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn purge_unverified(
                &self,
                cutoff: chrono::DateTime<chrono::Utc>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<u64> {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM residents WHERE verified_at IS NULL AND erased_at IS NULL AND created_at < $1",
                )
                .bind(cutoff)
                .fetch_all(&self.pool)
                .await?;
                let mut tx = self.pool.begin().await?;
                let mut n = 0;
                for id in ids {
                    n += $crate::storage::panel::erase_where!(
                        tx,
                        "WHERE id = $1 AND erased_at IS NULL AND verified_at IS NULL",
                        id,
                        now
                    );
                }
                tx.commit().await?;
                Ok(n)
            }

            #[tracing::instrument(skip(self, ids), fields(recipients = ids.len()), err)]
            async fn send_states(
                &self,
                purpose: &str,
                ids: &[i64],
            ) -> $crate::storage::StoreResult<std::collections::HashMap<i64, $crate::storage::SendState>> {
                use $crate::storage::SendState;
                let mut out: std::collections::HashMap<i64, SendState> = std::collections::HashMap::new();
                if ids.is_empty() {
                    return Ok(out);
                }
                let in_list = |sql: &'static str| {
                    let mut qb = sqlx::QueryBuilder::new(sql);
                    qb.push(" (");
                    let mut sep = qb.separated(", ");
                    for id in ids {
                        sep.push_bind(*id);
                    }
                    qb.push(")");
                    qb
                };
                let rows: Vec<(i64, Option<chrono::DateTime<chrono::Utc>>)> =
                    in_list("SELECT id, erased_at FROM residents WHERE id IN").build_query_as().fetch_all(&self.pool).await?;
                for (id, erased) in rows {
                    out.insert(id, SendState { erased: erased.is_some(), ..SendState::default() });
                }
                let rows: Vec<(i64, String, String)> = in_list(
                    "SELECT resident_id, kind, value FROM contact_points WHERE verified_at IS NOT NULL AND resident_id IN",
                )
                .build_query_as()
                .fetch_all(&self.pool)
                .await?;
                for (id, kind, value) in rows {
                    if let Some(s) = out.get_mut(&id) {
                        if kind == "email" { s.verified_emails.push(value) } else { s.verified_phones.push(value) }
                    }
                }
                let rows: Vec<(i64, i64, String, String, String, String, chrono::DateTime<chrono::Utc>)> = in_list(
                    "SELECT resident_id, id, endpoint, p256dh, auth, label, created_at FROM push_subscriptions \
                     WHERE resident_id IN",
                )
                .build_query_as()
                .fetch_all(&self.pool)
                .await?;
                for (rid, id, endpoint, p256dh, auth, label, created_at) in rows {
                    if let Some(s) = out.get_mut(&rid) {
                        s.push.push($crate::storage::PushDevice { id, endpoint, p256dh, auth, label, created_at });
                    }
                }
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT resident_id, channel, granted FROM consent_current WHERE purpose = ",
                );
                qb.push_bind(purpose.to_string());
                qb.push(" AND resident_id IN (");
                let mut sep = qb.separated(", ");
                for id in ids {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let rows: Vec<(i64, String, bool)> = qb.build_query_as().fetch_all(&self.pool).await?;
                for (id, channel, granted) in rows {
                    if let (Some(s), Ok(c)) = (out.get_mut(&id), channel.parse()) {
                        if granted { s.consented.push(c) } else { s.withdrawn.push(c) }
                    }
                }
                Ok(out)
            }

            #[tracing::instrument(skip(self), err)]
            async fn panel_counts(&self) -> $crate::storage::StoreResult<$crate::storage::PanelCounts> {
                const PANEL: &str = "verified_at IS NOT NULL AND erased_at IS NULL";
                let verified_residents: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM residents WHERE {PANEL}"
                )))
                .fetch_one(&self.pool)
                .await?;
                let by_district: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT home_district, COUNT(*) FROM residents WHERE {PANEL} AND home_district IS NOT NULL \
                     GROUP BY home_district ORDER BY home_district"
                )))
                .fetch_all(&self.pool)
                .await?;
                let by_age_band: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT COALESCE(age_band, ''), COUNT(*) FROM residents WHERE {PANEL} \
                     GROUP BY COALESCE(age_band, '') ORDER BY 1"
                )))
                .fetch_all(&self.pool)
                .await?;
                let by_language: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT language, COUNT(*) FROM residents WHERE {PANEL} GROUP BY language ORDER BY language"
                )))
                .fetch_all(&self.pool)
                .await?;
                // Residents with at least one granted consent, by channel and by purpose.
                let mut granted: Vec<Vec<(String, i64)>> = Vec::with_capacity(2);
                for column in ["channel", "purpose"] {
                    granted.push(
                        sqlx::query_as(sqlx::AssertSqlSafe(format!(
                            "SELECT c.{column}, COUNT(DISTINCT c.resident_id) FROM consent_current c \
                             JOIN residents r ON r.id = c.resident_id \
                             WHERE c.granted = TRUE AND r.verified_at IS NOT NULL AND r.erased_at IS NULL \
                             GROUP BY c.{column} ORDER BY c.{column}"
                        )))
                        .fetch_all(&self.pool)
                        .await?,
                    );
                }
                let by_purpose = granted.pop().unwrap_or_default();
                let by_channel = granted.pop().unwrap_or_default();
                let signups_by_day: Vec<(String, i64)> = sqlx::query_as(concat!(
                    "SELECT ", $day, " AS day, COUNT(*) FROM residents WHERE verified_at IS NOT NULL \
                     AND erased_at IS NULL GROUP BY 1 ORDER BY 1"
                ))
                .fetch_all(&self.pool)
                .await?;
                Ok($crate::storage::PanelCounts {
                    verified_residents,
                    by_district,
                    by_age_band,
                    by_language,
                    by_channel,
                    by_purpose,
                    signups_by_day,
                })
            }
        }

        impl $store {
            async fn contact_points_of(
                &self,
                resident_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::ContactPoint>> {
                let rows: Vec<$crate::storage::panel::ContactRow> = sqlx::query_as(
                    "SELECT id, resident_id, kind, value, verified_at, created_at FROM contact_points \
                     WHERE resident_id = $1 ORDER BY id",
                )
                .bind(resident_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().filter_map($crate::storage::panel::ContactRow::into_contact).collect())
            }
        }
    };
}

pub(crate) use impl_panel_store;

use chrono::{DateTime, Utc};

/// A contact point row, as both backends return it.
#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    id: i64,
    resident_id: i64,
    kind: String,
    value: String,
    verified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl ContactRow {
    pub(crate) fn into_contact(self) -> Option<super::ContactPoint> {
        Some(super::ContactPoint {
            id: self.id,
            resident_id: self.resident_id,
            kind: crate::domain::panel::ContactKind::parse(&self.kind)?,
            value: self.value,
            verified_at: self.verified_at,
            created_at: self.created_at,
        })
    }
}

/// A write that changes nothing, so the transaction holds SQLite's write lock from its first statement.
macro_rules! write_first {
    ($tx:expr) => {
        sqlx::query("UPDATE contact_secrets SET tries = tries WHERE id = -1").execute(&mut *$tx).await?;
    };
}
pub(crate) use write_first;

/// Marks a contact point verified, and its resident too on their first verified contact point (inside `$tx`).
macro_rules! mark_verified {
    ($tx:expr, $cp:expr, $resident:expr, $now:expr) => {{
        sqlx::query("UPDATE contact_points SET verified_at = $1 WHERE id = $2 AND verified_at IS NULL")
            .bind($now)
            .bind($cp)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("UPDATE residents SET verified_at = $1 WHERE id = $2 AND verified_at IS NULL")
            .bind($now)
            .bind($resident)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use mark_verified;

/// Erases one resident (inside `$tx`) if `$cond` (a `WHERE` on residents with `$1` = id) holds; yields 0 or 1.
/// The consent ledger stays: it holds only the resident's id.
macro_rules! erase_where {
    ($tx:expr, $cond:literal, $id:expr, $now:expr) => {{
        let n = sqlx::query(concat!(
            "UPDATE residents SET erased_at = $2, home_district = NULL, age_band = NULL, language = 'pl', \
             home_lat = NULL, home_lon = NULL ",
            $cond
        ))
        .bind($id)
        .bind($now)
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if n == 1 {
            for sql in [
                "DELETE FROM contact_points WHERE resident_id = $1",
                "DELETE FROM resident_districts WHERE resident_id = $1",
                "DELETE FROM resident_interests WHERE resident_id = $1",
                "DELETE FROM push_subscriptions WHERE resident_id = $1",
                "DELETE FROM resident_sessions WHERE resident_id = $1",
                "DELETE FROM alert_replies WHERE resident_id = $1",
                "UPDATE survey_invitations SET resident_id = NULL WHERE resident_id = $1",
                "UPDATE survey_responses SET resident_id = NULL WHERE resident_id = $1",
                "UPDATE poll_votes SET resident_id = NULL WHERE resident_id = $1",
            ] {
                sqlx::query(sql).bind($id).execute(&mut *$tx).await?;
            }
        }
        n
    }};
}
pub(crate) use erase_where;
