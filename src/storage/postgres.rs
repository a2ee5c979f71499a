//! The several-machine path: PostgreSQL. The queue keeps its tables in its own `apalis` schema.

use anyhow::Context;
use async_trait::async_trait;
use sqlx::{PgPool, postgres::PgPoolOptions};

use super::{
    Backend, Storage, StoreResult, access::impl_access_store, alerts::impl_alert_store, audit::impl_audit_store,
    cap_feeds::impl_cap_feed_store, consent::impl_consent_store, districts::impl_district_store,
    officials::impl_official_store, panel::impl_panel_store, polls::impl_poll_store,
    resident_data::impl_resident_data_store, secrets::impl_secret_store, sessions::impl_session_store,
    surveys_sql::impl_survey_store,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub struct PgStore {
    pub(crate) pool: PgPool,
}

impl PgStore {
    #[tracing::instrument(skip_all, err)]
    /// `pool`: connections (default 16).
    pub async fn connect(url: &str, pool: Option<u32>) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(pool.unwrap_or(16))
            .connect(url)
            .await
            .context("cannot connect to PostgreSQL (check HEJNAL_DATABASE_URL)")?;
        MIGRATOR.run(&pool).await.context("applying PostgreSQL migrations failed")?;
        hejnal_jobs::migrate(&hejnal_jobs::QueueDb::Postgres(pool.clone()))
            .await
            .context("applying the queue's PostgreSQL migrations failed")?;
        Ok(Self { pool })
    }
}

impl_official_store!(PgStore);
impl_session_store!(PgStore);
impl_audit_store!(PgStore);
impl_district_store!(PgStore);
impl_secret_store!(PgStore);
impl_panel_store!(PgStore, day = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
impl_consent_store!(PgStore);
impl_access_store!(PgStore);
impl_alert_store!(PgStore);
impl_poll_store!(PgStore);
impl_survey_store!(PgStore);
impl_resident_data_store!(PgStore);
impl_cap_feed_store!(PgStore);

#[async_trait]
impl Storage for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn queue_ping(&self) -> StoreResult<()> {
        Ok(hejnal_jobs::ping(&self.queue_db()).await?)
    }

    fn queue_db(&self) -> hejnal_jobs::QueueDb {
        hejnal_jobs::QueueDb::Postgres(self.pool.clone())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
