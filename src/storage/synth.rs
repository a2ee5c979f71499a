//! Bulk inserts of synthetic residents (`hejnal panel synth`). The one place where the backends differ on purpose:
//! multi-row `VALUES` in large transactions on SQLite, `UNNEST` of column arrays on PostgreSQL.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{PgStore, SqliteStore, StoreResult};
use crate::domain::synth::SynthBatch;

#[async_trait]
pub trait SynthStore: Send + Sync {
    /// The first free resident id (synthetic residents get consecutive ids from here).
    async fn next_resident_id(&self) -> StoreResult<i64>;
    /// Inserts verified residents, their contact points and their consents (ledger events with method `import`,
    /// and the derived current state), in one transaction.
    async fn insert_synthetic(&self, batch: &SynthBatch, now: DateTime<Utc>) -> StoreResult<()>;
    /// Refreshes the planner's statistics of the panel's tables, after a bulk load (`panel synth`, the CSV import):
    /// until they are gathered, the database plans every query for the tables as they were before.
    async fn analyze_panel(&self) -> StoreResult<()>;
}

/// The tables a bulk load of residents fills.
const PANEL_TABLES: [&str; 7] = [
    "residents",
    "resident_districts",
    "resident_interests",
    "contact_points",
    "push_subscriptions",
    "consent_events",
    "consent_current",
];

/// Bound values per SQLite statement stay under its limit of 32 766.
const SQLITE_MAX_BINDS: usize = 30_000;

/// Copies the batch's ledger events into the derived state (one event per key in a synthetic batch).
const DERIVE_CURRENT: &str = "INSERT INTO consent_current (resident_id, purpose, channel, granted, event_id) \
     SELECT resident_id, purpose, channel, granted, id FROM consent_events WHERE resident_id BETWEEN $1 AND $2";

#[async_trait]
impl SynthStore for SqliteStore {
    async fn next_resident_id(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) + 1 FROM residents").fetch_one(&self.pool).await?)
    }

    async fn insert_synthetic(&self, b: &SynthBatch, now: DateTime<Utc>) -> StoreResult<()> {
        let (Some(first), Some(last)) = (b.resident_id.first(), b.resident_id.last()) else { return Ok(()) };
        let mut tx = self.pool.begin().await?;
        let idx: Vec<usize> = (0..b.resident_id.len()).collect();
        for chunk in idx.chunks(SQLITE_MAX_BINDS / 5) {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO residents (id, language, home_district, age_band, created_at, verified_at) ",
            );
            qb.push_values(chunk, |mut r, &i| {
                r.push_bind(b.resident_id[i])
                    .push_bind(b.language[i])
                    .push_bind(b.home_district[i])
                    .push_bind(b.age_band[i])
                    .push_bind(b.created_at[i])
                    .push("NULL");
            });
            qb.build().execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE residents SET verified_at = created_at WHERE id BETWEEN $1 AND $2")
            .bind(first)
            .bind(last)
            .execute(&mut *tx)
            .await?;
        for chunk in b.contacts.chunks(SQLITE_MAX_BINDS / 5) {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO contact_points (resident_id, kind, value, verified_at, created_at) ",
            );
            qb.push_values(chunk, |mut r, (id, kind, value)| {
                r.push_bind(*id).push_bind(*kind).push_bind(value.as_str()).push_bind(now).push_bind(now);
            });
            qb.build().execute(&mut *tx).await?;
        }
        for chunk in b.consents.chunks(SQLITE_MAX_BINDS / 4) {
            let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO consent_events (resident_id, purpose, channel, granted, notice_version, at, method, \
                 legal_basis) ",
            );
            qb.push_values(chunk, |mut r, (id, purpose, channel)| {
                r.push_bind(*id)
                    .push_bind(*purpose)
                    .push_bind(*channel)
                    .push("TRUE")
                    .push("1")
                    .push_bind(now)
                    .push("'import'")
                    .push("'synthetic'");
            });
            qb.build().execute(&mut *tx).await?;
        }
        sqlx::query(DERIVE_CURRENT).bind(first).bind(last).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn analyze_panel(&self) -> StoreResult<()> {
        // A sampling limit keeps a million-row ANALYZE quick (a few thousand rows per index estimate as well as a
        // full scan); the limit is the connection's, so one connection does it all.
        let mut conn = self.pool.acquire().await?;
        sqlx::query("PRAGMA analysis_limit = 2000").execute(&mut *conn).await?;
        for table in PANEL_TABLES {
            sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {table}"))).execute(&mut *conn).await?;
        }
        sqlx::query("PRAGMA optimize").execute(&mut *conn).await?;
        Ok(())
    }
}

#[async_trait]
impl SynthStore for PgStore {
    async fn next_resident_id(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) + 1 FROM residents").fetch_one(&self.pool).await?)
    }

    async fn insert_synthetic(&self, b: &SynthBatch, now: DateTime<Utc>) -> StoreResult<()> {
        let (Some(first), Some(last)) = (b.resident_id.first(), b.resident_id.last()) else { return Ok(()) };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO residents (id, language, home_district, age_band, created_at, verified_at) \
             SELECT id, language, district, age_band, created_at, created_at \
             FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[], $5::TIMESTAMPTZ[]) \
             AS t (id, language, district, age_band, created_at)",
        )
        .bind(&b.resident_id)
        .bind(&b.language)
        .bind(&b.home_district)
        .bind(&b.age_band)
        .bind(&b.created_at)
        .execute(&mut *tx)
        .await?;
        let ids: Vec<i64> = b.contacts.iter().map(|c| c.0).collect();
        let kinds: Vec<&str> = b.contacts.iter().map(|c| c.1).collect();
        let values: Vec<&str> = b.contacts.iter().map(|c| c.2.as_str()).collect();
        sqlx::query(
            "INSERT INTO contact_points (resident_id, kind, value, verified_at, created_at) \
             SELECT id, kind, value, $4, $4 FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[]) AS t (id, kind, value)",
        )
        .bind(&ids)
        .bind(&kinds)
        .bind(&values)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let ids: Vec<i64> = b.consents.iter().map(|c| c.0).collect();
        let purposes: Vec<&str> = b.consents.iter().map(|c| c.1).collect();
        let channels: Vec<&str> = b.consents.iter().map(|c| c.2).collect();
        sqlx::query(
            "INSERT INTO consent_events (resident_id, purpose, channel, granted, notice_version, at, method, legal_basis) \
             SELECT id, purpose, channel, TRUE, 1, $4, 'import', 'synthetic' \
             FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[]) AS t (id, purpose, channel)",
        )
        .bind(&ids)
        .bind(&purposes)
        .bind(&channels)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(DERIVE_CURRENT).bind(first).bind(last).execute(&mut *tx).await?;
        sqlx::query("SELECT setval(pg_get_serial_sequence('residents', 'id'), (SELECT MAX(id) FROM residents))")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn analyze_panel(&self) -> StoreResult<()> {
        sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {}", PANEL_TABLES.join(", ")))).execute(&self.pool).await?;
        Ok(())
    }
}
