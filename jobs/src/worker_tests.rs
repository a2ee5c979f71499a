//! Quiet hours through the engine itself (its clock, its rules, its sweep's release), on the test kit's in-memory
//! database: a held batch is marked until the window's end and queues nothing; the release queues each due batch
//! once, most urgent first.

use chrono::{DateTime, Duration, TimeZone};

use super::*;
use crate::testkit::{broadcast, count, db, engine, queued_jobs};

/// Tomorrow at `hour`:`minute` in Warsaw (`next_day`: the day after), as the engine's clock will read it. Built
/// from now, so the broadcasts (created now, expiring in 30 days) are live at that moment whatever the date.
fn warsaw(next_day: bool, hour: u32, minute: u32) -> DateTime<Utc> {
    let tz = chrono_tz::Europe::Warsaw;
    let day = Utc::now().with_timezone(&tz).date_naive() + chrono::Days::new(1 + u64::from(next_day));
    let local = day.and_hms_opt(hour, minute, 0).unwrap();
    tz.from_local_datetime(&local).earliest().unwrap().with_timezone(&Utc)
}

/// 21:05, inside the window 21:00–07:00.
fn evening() -> DateTime<Utc> {
    warsaw(false, 21, 5)
}

/// 07:00 the next morning: the window's end.
fn morning() -> DateTime<Utc> {
    warsaw(true, 7, 0)
}

#[tokio::test]
async fn a_batch_met_in_quiet_hours_is_marked_held_until_the_window_ends_and_queues_nothing() {
    let db = db().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, clock) = engine(&db, evening(), dir.path());
    let id = broadcast(&db, "water", Priority::Service, 3, 10).await;
    let job = SendBatch { broadcast_id: id, batch: 0 };
    let jobs_before = queued_jobs(&db, Priority::Service).await;

    engine.send_batch(job).await.unwrap();
    let until: DateTime<Utc> = store::with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT held_until FROM held_batches WHERE broadcast_id = $1 AND batch = 0")
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap()
    });
    assert_eq!(until, morning(), "held until 07:00 in Warsaw");
    let untouched = "SELECT COUNT(*) FROM deliveries WHERE status = 'queued' AND attempts = 0";
    assert_eq!(count(&db, untouched).await, 3, "no row claimed or sent");
    // At 03:00 the queue or the sweep come for it again: it stays held, once, with no job queued.
    clock.set(warsaw(true, 3, 0));
    engine.send_batch(job).await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM held_batches").await, 1);
    assert_eq!(queued_jobs(&db, Priority::Service).await, jobs_before, "holding queues no job");
    assert_eq!(count(&db, untouched).await, 3);
}

#[tokio::test]
async fn emergencies_are_not_held_at_night() {
    let db = db().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _) = engine(&db, warsaw(true, 3, 0), dir.path());
    let id = broadcast(&db, "fire", Priority::Emergency, 2, 10).await;
    engine.send_batch(SendBatch { broadcast_id: id, batch: 0 }).await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM held_batches").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM deliveries WHERE status = 'sent'").await, 2, "sent at 03:00");
}

#[tokio::test]
async fn the_sweep_releases_exactly_the_due_marks_once_most_urgent_first() {
    let db = db().await;
    let dir = tempfile::tempdir().unwrap();
    let (engine, _) = engine(&db, evening(), dir.path());
    store::register_worker(&db, &engine.name, Utc::now()).await.unwrap();
    let survey = broadcast(&db, "survey", Priority::Survey, 2, 1).await;
    let service = broadcast(&db, "service", Priority::Service, 2, 1).await;
    for (id, batch) in [(survey, 0), (survey, 1), (service, 0), (service, 1)] {
        engine.send_batch(SendBatch { broadcast_id: id, batch }).await.unwrap();
    }
    // A batch held only until later (another window): not due this morning.
    let late = broadcast(&db, "late", Priority::Service, 1, 1).await;
    let late_job = SendBatch { broadcast_id: late, batch: 0 };
    store::hold(&db, late_job, morning() + Duration::hours(2), evening()).await.unwrap();
    let (service_jobs, survey_jobs) =
        (queued_jobs(&db, Priority::Service).await, queued_jobs(&db, Priority::Survey).await);
    let swept = "SELECT COUNT(*) FROM delivery_workers WHERE swept_at IS NOT NULL";
    // What the operators read in the log: one line when held batches are released, none on an empty sweep.
    let log = Log::default();
    let _guard = tracing_subscriber::util::SubscriberInitExt::set_default(
        tracing_subscriber::fmt().with_writer(log.clone()).with_ansi(false).finish(),
    );
    let released_lines = || log.text().matches("quiet hours over: held batches released").count();

    release_held(&engine, morning() - Duration::seconds(1)).await;
    assert_eq!(released_lines(), 0, "no line before anything is released");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM held_batches").await, 5, "nothing before the window ends");
    assert_eq!(queued_jobs(&db, Priority::Service).await, service_jobs);
    assert_eq!(count(&db, swept).await, 1, "the sweep's round is recorded");

    release_held(&engine, morning()).await;
    let held: Vec<(i64, i64)> = store::with_pool!(&db, |pool| {
        sqlx::query_as("SELECT broadcast_id, batch FROM held_batches ORDER BY broadcast_id, batch")
            .fetch_all(pool)
            .await
            .unwrap()
    });
    assert_eq!(held, [(survey, 0), (survey, 1), (late, 0)], "service first; surveys wait; the later mark stays");
    assert_eq!(queued_jobs(&db, Priority::Service).await, service_jobs + 2, "one job per released batch");
    assert_eq!(queued_jobs(&db, Priority::Survey).await, survey_jobs);
    assert_eq!(released_lines(), 1, "one line for the release");
    assert!(log.text().contains("batches=2"), "{}", log.text());
    release_held(&engine, morning()).await;
    assert_eq!(queued_jobs(&db, Priority::Service).await, service_jobs + 2, "released once");
    assert_eq!(released_lines(), 1, "no line for a sweep that released nothing");
}

/// A log sink for one test: what the engine wrote, as text.
#[derive(Clone, Default)]
struct Log(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Log {
    type Writer = Log;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
