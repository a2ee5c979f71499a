//! The worker runtime: one apalis worker per priority queue on the application's database, a heartbeat, and a
//! reaper that gives the rows of dead workers back to the queue.

use std::{future::Future, sync::Arc, time::Duration};

use apalis::prelude::*;
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::{
    QueueDb,
    engine::Engine,
    model::Priority,
    progress,
    store::{self, SendBatch},
};

/// A queue that proves the pipeline end to end: a probe job is pushed, a worker picks it up, the row is done.
const PROBE_QUEUE: &str = "hejnal.probe";
pub const HEARTBEAT: Duration = Duration::from_secs(1);

/// A no-op job: pushing one and seeing it done shows that a worker is alive and picks up work.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Probe {
    pub note: String,
}

async fn handle_probe(job: Probe) -> Result<(), BoxDynError> {
    tracing::debug!(note = %job.note, "probe job done");
    Ok(())
}

async fn handle_batch(job: SendBatch, engine: Data<Arc<Engine>>) -> Result<(), BoxDynError> {
    if let Err(e) = engine.send_batch(job).await {
        // `send_batch` gave back what it had claimed; try the batch again shortly.
        tracing::error!(error = format!("{e:#}"), broadcast_id = job.broadcast_id, batch = job.batch, "batch failed");
        if let Some(priority) = engine.priority_of(job.broadcast_id).await {
            let _ = store::push_job(&engine.db, job, priority, Some(Duration::from_secs(5))).await;
        }
    }
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

impl Engine {
    /// Runs the workers until `shutdown` completes. In-flight sends finish; claimed rows not yet sent go back to
    /// the queue, so a graceful stop duplicates nothing.
    pub async fn run(self: Arc<Self>, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        store::register_worker(&self.db, &self.name, Utc::now()).await?;
        tracing::info!(worker = %self.name, "delivery worker started");
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = Tasks::default();
        tasks.spawn("housekeeping", housekeeping(self.clone(), stop_rx.clone()));
        tasks.spawn("emergency sweep", sweep(self.clone(), true, stop_rx.clone()));
        tasks.spawn("sweep", sweep(self.clone(), false, stop_rx.clone()));
        for priority in Priority::ALL {
            tasks.spawn(priority.queue(), supervise(self.clone(), priority, stop_rx.clone()));
        }
        tasks.spawn("probe queue", probe_worker(self.db.clone(), format!("{}/probe", self.name), stop_rx.clone()));

        shutdown.await;
        self.stop();
        let _ = stop_tx.send(true);
        tasks.join_all(&self.name).await;
        for (job, priority) in store::release_worker(&self.db, &self.name).await? {
            store::push_job(&self.db, job, priority, None).await?;
        }
        store::heartbeat(&self.db, &self.name, Utc::now(), true).await?;
        tracing::info!(worker = %self.name, "delivery worker stopped");
        Ok(())
    }
}

/// The worker's long-running tasks, by name, so that a stop that takes long says what it is waiting for.
#[derive(Default)]
struct Tasks {
    set: tokio::task::JoinSet<anyhow::Result<()>>,
    names: std::collections::HashMap<tokio::task::Id, &'static str>,
}

/// How long a stop may wait before every interval names the tasks it still waits for.
const STOP_REPORT_EVERY: Duration = Duration::from_secs(5);

impl Tasks {
    fn spawn(&mut self, name: &'static str, task: impl Future<Output = anyhow::Result<()>> + Send + 'static) {
        let id = self.set.spawn(task).id();
        self.names.insert(id, name);
    }

    /// Waits for every task; every [`STOP_REPORT_EVERY`] names the ones still running (a stop that hangs is
    /// diagnosed from the log, not guessed at).
    async fn join_all(mut self, worker: &str) {
        loop {
            match tokio::time::timeout(STOP_REPORT_EVERY, self.set.join_next_with_id()).await {
                Ok(None) => return,
                Ok(Some(done)) => {
                    let id = match &done {
                        Ok((id, _)) => *id,
                        Err(e) => e.id(),
                    };
                    let name = self.names.remove(&id).unwrap_or("?");
                    match done {
                        Ok((_, Err(e))) => {
                            tracing::warn!(task = name, error = format!("{e:#}"), "worker task ended with an error")
                        }
                        Err(e) => tracing::warn!(task = name, error = %e, "worker task panicked"),
                        Ok((_, Ok(()))) => tracing::debug!(task = name, "worker task stopped"),
                    }
                }
                Err(_) => {
                    let mut waiting: Vec<&str> = self.names.values().copied().collect();
                    waiting.sort_unstable();
                    tracing::warn!(worker, waiting = waiting.join(", "), "the stop is still waiting for tasks");
                }
            }
        }
    }
}

async fn stopped(mut rx: watch::Receiver<bool>) -> Result<(), std::io::Error> {
    let _ = rx.wait_for(|s| *s).await;
    Ok(())
}

/// Runs the apalis worker of one priority queue, restarting it under a new name if the backend fails.
async fn supervise(engine: Arc<Engine>, priority: Priority, stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    let poll = if priority == Priority::Emergency { Duration::from_millis(50) } else { Duration::from_millis(200) };
    let concurrency =
        if priority == Priority::Emergency { engine.config.batches_at_once * 2 } else { engine.config.batches_at_once };
    for restart in 0u32.. {
        if *stop.borrow() {
            return Ok(());
        }
        let name = format!("{}/{}-r{restart}", engine.name, priority.as_str());
        let result = match &engine.db {
            QueueDb::Sqlite(pool) => {
                let config = apalis_sqlite::Config::default().queue(priority.queue()).batch_size(concurrency);
                let storage = SqliteStorage::<SendBatch>::new(pool).with_config(config).poll_with_interval(poll);
                WorkerBuilder::new(name)
                    .backend(storage)
                    .data(engine.clone())
                    .concurrency(concurrency)
                    .build(handle_batch)
                    .run_until(stopped(stop.clone()))
                    .await
            }
            QueueDb::Postgres(pool) => {
                let config = apalis_postgres::Config::default()
                    .queue(priority.queue())
                    .batch_size(concurrency)
                    .heartbeat_interval(Duration::from_secs(5));
                let storage = PostgresStorage::<SendBatch>::new(pool)
                    .with_config(config)
                    .with_pubsub()
                    .poll_with_interval(Duration::from_secs(1));
                WorkerBuilder::new(name)
                    .backend(storage)
                    .data(engine.clone())
                    .concurrency(concurrency)
                    .build(handle_batch)
                    .run_until(stopped(stop.clone()))
                    .await
            }
        };
        match result {
            Ok(()) => return Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, queue = priority.queue(), "queue worker failed; restarting");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    Ok(())
}

/// How often the engine looks for emergency rows the queue has not handed to a worker yet.
const EMERGENCY_SWEEP: Duration = Duration::from_millis(250);
/// The same for other broadcasts, which the queue has had `STALE_AFTER` to take.
const OTHER_SWEEP: Duration = Duration::from_secs(2);
const STALE_AFTER: Duration = Duration::from_secs(3);

/// A safety net beside the queue: under load we saw apalis leave a job un-fetched (or fetched into a worker's buffer
/// and not run) for up to 30 s. This looks at the deliveries table itself and sends due batches directly:
/// emergencies every quarter second (the one-second promise), others every two seconds once the queue has had three
/// seconds to take them. Claiming rows is atomic, so whichever of the queue and the sweep gets there first sends
/// them, and the other finds nothing to do.
async fn sweep(engine: Arc<Engine>, emergency: bool, mut stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    let (every, min_age) = if emergency { (EMERGENCY_SWEEP, Duration::ZERO) } else { (OTHER_SWEEP, STALE_AFTER) };
    let min_age = chrono::Duration::from_std(min_age).unwrap_or_default();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let slots = engine.config.batches_at_once.max(1) * 2;
    let mut running = tokio::task::JoinSet::new();
    loop {
        let stopping = tokio::select! {
            _ = tick.tick() => false,
            _ = stop.wait_for(|s| *s) => true,
        };
        if stopping {
            // A graceful stop waits for the batches in hand (they release what they have not sent).
            while running.join_next().await.is_some() {}
            return Ok(());
        }
        while running.try_join_next().is_some() {}
        let now = engine.config.clock.now();
        if !emergency {
            release_held(&engine, now).await;
        }
        let due = match store::due_batches(&engine.db, now, emergency, min_age, 16).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, emergency, "sweep failed");
                continue;
            }
        };
        for job in due.into_iter().take(slots.saturating_sub(running.len())) {
            let engine = engine.clone();
            running.spawn(async move {
                if let Err(e) = engine.send_batch(job).await {
                    tracing::error!(error = format!("{e:#}"), broadcast_id = job.broadcast_id, "swept batch failed");
                }
            });
        }
    }
}

/// Quiet hours ended for some held batches: queue each once, most urgent first, and note that the sweep ran.
async fn release_held(engine: &Engine, now: chrono::DateTime<Utc>) {
    match store::release_held(&engine.db, now).await {
        Ok(released) => {
            if !released.is_empty() {
                tracing::info!(batches = released.len(), "quiet hours over: held batches released");
            }
            for (job, priority) in released {
                if let Err(e) = store::push_job(&engine.db, job, priority, None).await {
                    // The rows stay queued and unheld: the sweep itself takes them on a later round.
                    tracing::warn!(error = %e, broadcast_id = job.broadcast_id, "could not queue a released batch");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "releasing held batches failed"),
    }
    if let Err(e) = store::mark_swept(&engine.db, &engine.name, Utc::now()).await {
        tracing::warn!(error = %e, "could not record the sweep");
    }
}

/// Heartbeat, the reaper, and the queue-depth gauge.
async fn housekeeping(engine: Arc<Engine>, mut stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    let mut tick = tokio::time::interval(HEARTBEAT);
    let mut beats: u64 = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.wait_for(|s| *s) => return Ok(()),
        }
        let now = Utc::now();
        if let Err(e) = store::heartbeat(&engine.db, &engine.name, now, false).await {
            tracing::warn!(error = %e, "heartbeat failed");
            continue;
        }
        let cutoff = now - chrono::Duration::from_std(engine.config.dead_after).unwrap_or_default();
        match store::reap(&engine.db, cutoff, now).await {
            Ok(jobs) => {
                if !jobs.is_empty() {
                    tracing::warn!(batches = jobs.len(), "rows of a dead worker returned to the queue");
                }
                for (job, priority) in jobs {
                    store::push_job(&engine.db, job, priority, None).await?;
                }
            }
            Err(e) => tracing::warn!(error = %e, "reaping dead workers failed"),
        }
        beats += 1;
        // Counting what is left reads every pending row: every ten beats is often enough for a gauge.
        if beats % 10 != 1 {
            continue;
        }
        if let Ok(depths) = progress::queue_depth(&engine.db).await {
            for priority in Priority::ALL {
                let n = depths.iter().find(|(p, _)| *p == priority).map(|(_, n)| *n).unwrap_or(0);
                metrics::gauge!("hejnal_queue_depth", "priority" => priority.as_str()).set(n as f64);
            }
        }
    }
}

async fn probe_worker(db: QueueDb, name: String, stop: watch::Receiver<bool>) -> anyhow::Result<()> {
    match &db {
        QueueDb::Sqlite(pool) => {
            let storage = SqliteStorage::<Probe>::new(pool)
                .with_config(apalis_sqlite::Config::default().queue(PROBE_QUEUE))
                .poll_with_interval(Duration::from_millis(200));
            WorkerBuilder::new(name)
                .backend(storage)
                .concurrency(1)
                .build(handle_probe)
                .run_until(stopped(stop))
                .await?;
        }
        QueueDb::Postgres(pool) => {
            let storage = PostgresStorage::<Probe>::new(pool)
                .with_config(apalis_postgres::Config::default().queue(PROBE_QUEUE))
                .with_pubsub();
            WorkerBuilder::new(name)
                .backend(storage)
                .concurrency(1)
                .build(handle_probe)
                .run_until(stopped(stop))
                .await?;
        }
    }
    Ok(())
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

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
