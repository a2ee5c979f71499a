//! What the engine's unit tests share: an in-memory SQLite database with the application's migrations, moments
//! written as text, broadcasts of synthetic recipients, and an engine whose clock and quiet hours the test sets.
//! Fast and off the wall clock, so `cargo mutants` can run them in seconds.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sqlx::sqlite::SqlitePoolOptions;

use crate::{
    Directory, Engine, EngineConfig, QueueDb, Recipient, ShiftedClock,
    limits::QuietHours,
    model::{Address, Channel, Content, NewBroadcast, Priority, Resolution},
    store::with_pool,
};

pub(crate) async fn db() -> QueueDb {
    // One connection: an in-memory database lives and dies with its connection.
    let pool = SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
    sqlx::migrate!("../migrations/sqlite").run(&pool).await.unwrap();
    let db = QueueDb::Sqlite(pool);
    crate::migrate(&db).await.unwrap();
    db
}

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A broadcast of `n` SMS recipients in batches of `batch`, created at the real now (as `submit` does).
pub(crate) async fn broadcast(db: &QueueDb, key: &str, priority: Priority, n: i64, batch: usize) -> i64 {
    let b = NewBroadcast {
        key: key.into(),
        kind: "test".into(),
        purpose: "p".into(),
        priority,
        expires_at: Utc::now() + Duration::days(30),
        topic: None,
        contents: vec![(Channel::Sms, "pl".into(), Content { text: "x".into(), ..Content::default() })],
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    };
    let to = (1..=n).map(|id| Recipient { id, language: "pl".into(), channels: vec![Channel::Sms], vars: None });
    crate::submit(db, &b, to, batch).await.unwrap().broadcast_id
}

/// One number of the SQL's answer.
pub(crate) async fn count(db: &QueueDb, sql: &str) -> i64 {
    with_pool!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(pool).await.unwrap())
}

/// Queue jobs waiting in this priority's queue.
pub(crate) async fn queued_jobs(db: &QueueDb, priority: Priority) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM Jobs WHERE job_type = '{}' AND status = 'Pending'", priority.queue());
    count(db, &sql).await
}

/// Every recipient has a phone number; the SMS channel writes to `sms.log` in a temporary directory.
struct Phones;

#[async_trait]
impl Directory for Phones {
    async fn resolve(&self, _purpose: &str, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>> {
        Ok(items.iter().map(|(id, _)| Resolution::Send(Address::Phone(format!("+4860000{id:04}")))).collect())
    }

    async fn address_gone(&self, _recipient_id: i64, _address: &Address) -> anyhow::Result<()> {
        Ok(())
    }
}

/// An engine on `db` with quiet hours 21:00–07:00 in Warsaw and a clock reading `now`; its outbox is `dir`.
pub(crate) fn engine(db: &QueueDb, now: DateTime<Utc>, dir: &std::path::Path) -> (Arc<Engine>, Arc<ShiftedClock>) {
    // The push transport's HTTP client needs a TLS provider, as the application installs one at start.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let clock = Arc::new(ShiftedClock::at(now));
    // A valid P-256 private key (the scalar 7): push is not used here, but the engine builds every transport.
    let mut config = EngineConfig::new(dir.to_path_buf(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAc".into());
    config.quiet_hours = Some(QuietHours::parse("21:00-07:00", "Europe/Warsaw").unwrap());
    config.clock = clock.clone();
    (Arc::new(Engine::new(db.clone(), config, Arc::new(Phones)).unwrap()), clock)
}
