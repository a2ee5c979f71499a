//! The queue's tables, kept in the application's database.

use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use sqlx::{PgPool, SqlitePool};

/// The application's database as the queue sees it.
#[derive(Clone, Debug)]
pub enum QueueDb {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// apalis records its migrations apart from the application's, so neither sees the other's as "missing".
const MIGRATIONS_TABLE: &str = "_apalis_sqlx_migrations";

/// Applies apalis's migrations into its own bookkeeping table.
///
/// apalis's `setup()` is deliberately not used: on SQLite it would set `synchronous=OFF` (the application keeps
/// WAL with `synchronous=NORMAL`, set on every connection) and both backends would record into `_sqlx_migrations`.
pub async fn migrate(db: &QueueDb) -> anyhow::Result<()> {
    match db {
        QueueDb::Sqlite(pool) => {
            let mut m = SqliteStorage::<()>::migrations();
            m.dangerous_set_table_name(MIGRATIONS_TABLE);
            m.run(pool).await?;
        }
        QueueDb::Postgres(pool) => {
            let mut m = PostgresStorage::<()>::migrations();
            m.dangerous_set_table_name(MIGRATIONS_TABLE);
            m.run(pool).await?;
        }
    }
    Ok(())
}

/// The queue's tables answer.
pub async fn ping(db: &QueueDb) -> anyhow::Result<()> {
    match db {
        QueueDb::Sqlite(pool) => {
            sqlx::query("SELECT COUNT(*) FROM Jobs WHERE status = 'Pending'").execute(pool).await?;
        }
        QueueDb::Postgres(pool) => {
            sqlx::query("SELECT COUNT(*) FROM apalis.jobs WHERE status = 'Pending'").execute(pool).await?;
        }
    }
    Ok(())
}
