//! The embedded default: SQLite in WAL mode with `synchronous=NORMAL`, foreign keys on and a busy timeout.

use std::{path::Path, str::FromStr, time::Duration};

use anyhow::Context;
use async_trait::async_trait;
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use super::{
    Backend, Storage, StoreResult, access::impl_access_store, alerts::impl_alert_store, audit::impl_audit_store,
    cap_feeds::impl_cap_feed_store, consent::impl_consent_store, districts::impl_district_store,
    officials::impl_official_store, panel::impl_panel_store, polls::impl_poll_store,
    resident_data::impl_resident_data_store, secrets::impl_secret_store, sessions::impl_session_store,
    surveys_sql::impl_survey_store,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
}

impl SqliteStore {
    #[tracing::instrument(skip_all, err)]
    /// `pool`: connections (default 8).
    pub async fn connect(url: &str, pool: Option<u32>) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .context("HEJNAL_DATABASE_URL is not a valid sqlite:// URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(dir) = Path::new(options.get_filename()).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create database directory {}", dir.display()))?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(pool.unwrap_or(8))
            .connect_with(options)
            .await
            .context("cannot open the SQLite database")?;
        MIGRATOR.run(&pool).await.context("applying SQLite migrations failed")?;
        hejnal_jobs::migrate(&hejnal_jobs::QueueDb::Sqlite(pool.clone()))
            .await
            .context("applying the queue's SQLite migrations failed")?;
        Ok(Self { pool })
    }
}

impl_official_store!(SqliteStore);
impl_session_store!(SqliteStore);
impl_audit_store!(SqliteStore);
impl_district_store!(SqliteStore);
impl_secret_store!(SqliteStore);
impl_panel_store!(SqliteStore, day = "substr(created_at, 1, 10)");
impl_consent_store!(SqliteStore);
impl_access_store!(SqliteStore);
impl_alert_store!(SqliteStore);
impl_poll_store!(SqliteStore);
impl_survey_store!(SqliteStore);
impl_resident_data_store!(SqliteStore);
impl_cap_feed_store!(SqliteStore);

#[async_trait]
impl Storage for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn queue_ping(&self) -> StoreResult<()> {
        Ok(hejnal_jobs::ping(&self.queue_db()).await?)
    }

    fn queue_db(&self) -> hejnal_jobs::QueueDb {
        hejnal_jobs::QueueDb::Sqlite(self.pool.clone())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
