//! The delivery worker: an apalis worker on the application's database, uniquely named so that a restarted
//! process never collides with its own previous registration.

use std::{future::Future, time::Duration};

use apalis::prelude::*;
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use serde::{Deserialize, Serialize};

use crate::QueueDb;

/// The queue that proves the pipeline end to end: a probe job is pushed, a worker picks it up, the row is done.
const PROBE_QUEUE: &str = "hejnal.probe";

/// How often an idle SQLite worker looks for new jobs (apalis would otherwise wait for its 30 s heartbeat).
const SQLITE_POLL: Duration = Duration::from_millis(100);

/// A no-op job: pushing one and seeing it done shows that a worker is alive and picks up work.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Probe {
    pub note: String,
}

async fn handle_probe(job: Probe) -> Result<(), BoxDynError> {
    tracing::debug!(note = %job.note, "probe job done");
    Ok(())
}

/// A worker name unique per process start: host, process id and start time.
#[derive(Clone, Debug)]
pub struct WorkerName(String);

impl WorkerName {
    pub fn unique(role: &str) -> Self {
        let host =
            std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "host".into());
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Self(format!("{role}@{host}:{}:{started}", std::process::id()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The delivery worker of one process.
pub struct Worker {
    db: QueueDb,
    name: WorkerName,
}

impl Worker {
    pub fn new(db: QueueDb) -> Self {
        Self { db, name: WorkerName::unique("hejnal-worker") }
    }

    pub fn name(&self) -> &WorkerName {
        &self.name
    }

    /// Runs until `shutdown` completes; in-flight jobs finish first.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let signal = async move {
            shutdown.await;
            Ok::<(), std::io::Error>(())
        };
        tracing::info!(worker = self.name.as_str(), "delivery worker started");
        match &self.db {
            QueueDb::Sqlite(pool) => {
                let storage = SqliteStorage::<Probe>::new(pool)
                    .with_config(apalis_sqlite::Config::default().queue(PROBE_QUEUE))
                    .poll_with_interval(SQLITE_POLL);
                WorkerBuilder::new(self.name.as_str())
                    .backend(storage)
                    .concurrency(4)
                    .build(handle_probe)
                    .run_until(signal)
                    .await?;
            }
            QueueDb::Postgres(pool) => {
                let storage = PostgresStorage::<Probe>::new(pool)
                    .with_config(apalis_postgres::Config::default().queue(PROBE_QUEUE))
                    .with_pubsub();
                WorkerBuilder::new(self.name.as_str())
                    .backend(storage)
                    .concurrency(4)
                    .build(handle_probe)
                    .run_until(signal)
                    .await?;
            }
        }
        tracing::info!(worker = self.name.as_str(), "delivery worker stopped");
        Ok(())
    }
}

/// Queues a probe job; see [`probe_status`].
pub async fn push_probe(db: &QueueDb, note: &str) -> anyhow::Result<()> {
    let job = Probe { note: note.to_string() };
    match db {
        QueueDb::Sqlite(pool) => {
            let mut s =
                SqliteStorage::<Probe>::new(pool).with_config(apalis_sqlite::Config::default().queue(PROBE_QUEUE));
            s.push(job).await?;
        }
        QueueDb::Postgres(pool) => {
            let mut s =
                PostgresStorage::<Probe>::new(pool).with_config(apalis_postgres::Config::default().queue(PROBE_QUEUE));
            s.push(job).await?;
        }
    }
    Ok(())
}

/// How many probe jobs are in each status (`Pending`, `Running`, `Done`, …).
pub async fn probe_status(db: &QueueDb) -> anyhow::Result<Vec<(String, i64)>> {
    Ok(match db {
        QueueDb::Sqlite(pool) => {
            sqlx::query_as("SELECT status, COUNT(*) FROM Jobs WHERE job_type = $1 GROUP BY status")
                .bind(PROBE_QUEUE)
                .fetch_all(pool)
                .await?
        }
        QueueDb::Postgres(pool) => {
            sqlx::query_as("SELECT status, COUNT(*) FROM apalis.jobs WHERE job_type = $1 GROUP BY status")
                .bind(PROBE_QUEUE)
                .fetch_all(pool)
                .await?
        }
    })
}
