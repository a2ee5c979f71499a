//! The several-machine path: PostgreSQL. The queue keeps its tables in its own `apalis` schema.

use anyhow::Context;
use sqlx::{PgPool, postgres::PgPoolOptions};

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

super::backend::impl_storage!(PgStore, Postgres, day = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
