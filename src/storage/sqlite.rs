//! The embedded default: SQLite in WAL mode with `synchronous=NORMAL`, foreign keys on and a busy timeout.

use std::{path::Path, str::FromStr, time::Duration};

use anyhow::Context;
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
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

super::backend::impl_storage!(SqliteStore, Sqlite, day = "substr(created_at, 1, 10)");
