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
            .busy_timeout(Duration::from_secs(10))
            // Rows a query's worker thread may run ahead of the reader: a list of 1000 (Open311's cap) is read
            // without the worker stopping, and being woken, after every 50 (sqlx's default).
            .row_buffer_size(1024);
        if let Some(dir) = Path::new(options.get_filename()).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create database directory {}", dir.display()))?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(pool.unwrap_or(8))
            .after_release(|conn, _| Box::pin(outside_any_transaction(conn)))
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

/// Whether a connection coming back to the pool may be handed out again: only when it is outside any transaction.
///
/// When the disk is full, SQLite may roll a transaction back by itself (`SQLITE_FULL` on a statement or on
/// `COMMIT`). sqlx's own `ROLLBACK` then fails ("no transaction is active") and sqlx still counts the transaction as
/// open, so its next `begin` issues a `SAVEPOINT` — which opens a real transaction that the matching rollback
/// (`ROLLBACK TO`) does not end. That connection then holds the write lock while it sits idle in the pool, and every
/// other writer waits out its busy timeout ("database is locked"). A `ROLLBACK` here succeeds only if SQLite is
/// inside a transaction; either that or sqlx's count being off means the connection is closed (closing ends the
/// transaction and frees the lock) and the pool opens a fresh one.
async fn outside_any_transaction(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    let leaked = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.is_ok();
    if leaked || conn.is_in_transaction() {
        tracing::warn!(leaked, "a database connection came back inside a transaction: closed, not reused");
        return Ok(false);
    }
    Ok(true)
}

super::backend::impl_storage!(SqliteStore, Sqlite, day = "substr(created_at, 1, 10)");

#[cfg(test)]
mod tests {
    /// In SQLite, a write with `RETURNING` commits (outside a transaction) only when its statement is stepped to
    /// the end; sqlx's `fetch_one`/`fetch_optional` stop after the first row and drop the statement, and an error of
    /// the commit (a full disk: `SQLITE_FULL`) is then lost — the caller gets its id for a row that was never stored.
    /// Every `RETURNING` statement is therefore read with `fetch_all`.
    #[test]
    fn every_returning_statement_is_read_to_the_end() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut offenders = Vec::new();
        for dir in ["src", "jobs/src"] {
            for path in rust_files(&root.join(dir)) {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("RETURNING") {
                    let rest = &text[at..];
                    let next = ["fetch_one(", "fetch_optional(", "fetch_all(", "fetch(", "execute("]
                        .iter()
                        .filter_map(|f| rest.find(f).map(|i| (i, *f)))
                        .min();
                    if let Some((_, f @ ("fetch_one(" | "fetch_optional("))) = next {
                        let line = text[..at].lines().count();
                        offenders.push(format!("{}:{line} uses {f}", path.display()));
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "RETURNING read with a one-row fetch: {offenders:#?}");
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("sqlite.rs") {
                out.push(path);
            }
        }
        out
    }
}
