//! Quiet hours with a clock the test sets: a night's batches are held once (no queue job piles up however long the
//! night), verification codes and emergencies pass at 03:00, and at 07:00 everything held leaves once, service
//! announcements before survey invitations. The last test goes from `HEJNAL_DELIVERY__QUIET_HOURS` to a running
//! `hejnal worker`.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Warsaw;
use hejnal_jobs::{Address, Channel, Priority, Resolution, ShiftedClock, limits::QuietHours};

use crate::{
    delivery::{RunningEngine, broadcast, recipients, wait_until},
    delivery_rules::outbox_ids,
    dual,
    support::{
        Db, TestApp,
        wait::{poll_until, sweeps},
    },
};

dual!(a_night_holds_each_batch_once_and_seven_releases_it, the_quiet_hours_setting_reaches_the_worker);

/// The next moment after now (at least a minute ahead) that reads `hh:mm` in Kraków, and `later` days after that.
pub fn next_warsaw(hh: u32, mm: u32, later: i64) -> DateTime<Utc> {
    let local = Utc::now().with_timezone(&Warsaw) + chrono::Duration::minutes(1);
    let time = NaiveTime::from_hms_opt(hh, mm, 0).expect("a time of day");
    let mut day = local.date_naive();
    if local.time() >= time {
        day = day.succ_opt().expect("a next day");
    }
    let day = day + chrono::Duration::days(later);
    // `earliest`: the autumn change repeats 02:00–03:00; none of the hours used here is skipped in spring.
    Warsaw.from_local_datetime(&day.and_time(time)).earliest().expect("a moment in Warsaw").with_timezone(&Utc)
}

/// `hh:mm` in Warsaw on the day after `evening`'s day.
fn after_evening(evening: DateTime<Utc>, hh: u32, mm: u32) -> DateTime<Utc> {
    let day = evening.with_timezone(&Warsaw).date_naive().succ_opt().expect("a next day");
    let time = NaiveTime::from_hms_opt(hh, mm, 0).expect("a time of day");
    Warsaw.from_local_datetime(&day.and_time(time)).earliest().expect("a moment in Warsaw").with_timezone(&Utc)
}

/// Runs one query on whichever backend the test uses.
macro_rules! on_db {
    ($app:expr, |$pool:ident| $body:expr) => {
        match $app.store.queue_db() {
            hejnal_jobs::QueueDb::Sqlite($pool) => $body,
            hejnal_jobs::QueueDb::Postgres($pool) => $body,
        }
    };
}

/// Queue jobs waiting for a batch of these broadcasts (the queue's payload is the batch, as JSON).
pub async fn pending_jobs(app: &TestApp, broadcasts: &[i64]) -> usize {
    let payloads: Vec<String> = match app.store.queue_db() {
        hejnal_jobs::QueueDb::Sqlite(p) => {
            sqlx::query_scalar("SELECT CAST(job AS TEXT) FROM Jobs WHERE status = 'Pending'").fetch_all(&p).await
        }
        hejnal_jobs::QueueDb::Postgres(p) => {
            sqlx::query_scalar("SELECT job::text FROM apalis.jobs WHERE status = 'Pending'").fetch_all(&p).await
        }
    }
    .unwrap();
    payloads
        .iter()
        .map(|j| serde_json::from_str::<serde_json::Value>(j).unwrap_or_else(|e| panic!("a queue payload: {e}: {j}")))
        .filter(|j| j["broadcast_id"].as_i64().is_some_and(|id| broadcasts.contains(&id)))
        .count()
}

/// The held marks: (broadcast, batch, until).
pub async fn held(app: &TestApp) -> Vec<(i64, i64, DateTime<Utc>)> {
    let sql = "SELECT broadcast_id, batch, held_until FROM held_batches ORDER BY 1, 2";
    on_db!(app, |p| sqlx::query_as(sql).fetch_all(&p).await.unwrap())
}

/// (total attempts, rows not queued) of a broadcast's deliveries.
async fn touched(app: &TestApp, broadcast_id: i64) -> (i64, i64) {
    let sql = "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT), \
               CAST(COALESCE(SUM(CASE WHEN status <> 'queued' THEN 1 ELSE 0 END), 0) AS BIGINT) \
               FROM deliveries WHERE broadcast_id = $1";
    on_db!(app, |p| sqlx::query_as(sql).bind(broadcast_id).fetch_one(&p).await.unwrap())
}

async fn delivery_ids(app: &TestApp, broadcast_id: i64) -> Vec<i64> {
    let sql = "SELECT id FROM deliveries WHERE broadcast_id = $1 ORDER BY id";
    on_db!(app, |p| sqlx::query_scalar(sql).bind(broadcast_id).fetch_all(&p).await.unwrap())
}

/// Waits until the engine's sweep has looked at the queue twice more: after that, anything it would re-run or
/// re-queue has been.
pub async fn two_sweeps(app: &TestApp) {
    sweeps(app, 2).await;
}

async fn a_night_holds_each_batch_once_and_seven_releases_it(db: Db) {
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let evening = next_warsaw(21, 5, 0);
    // The small hours of the night that follows that evening, whatever the hour the test runs at (computed from
    // "now" instead, they fell before the evening when the suite ran after 21:05 in Warsaw).
    let three = after_evening(evening, 3, 0);
    let morning = after_evening(evening, 7, 0);
    let clock = Arc::new(ShiftedClock::at(evening));
    let engine = RunningEngine::start(&app, |c| {
        c.quiet_hours = Some(QuietHours::parse("21:00-07:00", "Europe/Warsaw").unwrap());
        c.clock = clock.clone();
    })
    .await;
    for i in 1..=102 {
        engine.directory.set(i, Channel::Sms, Resolution::Send(Address::Phone(format!("+4860030{i:04}"))));
    }
    let db_ = app.store.queue_db();
    // The engine's hour is tomorrow's: the messages must outlive it.
    let lasting = |mut b: hejnal_jobs::NewBroadcast| {
        b.expires_at = morning + chrono::Duration::days(1);
        b
    };
    // The survey is submitted first: priority, not age, decides the morning's order.
    let survey = lasting(broadcast("night-survey", Priority::Survey, Channel::Sms, "Ankieta"));
    let survey = hejnal_jobs::submit(&db_, &survey, recipients(1..=20, Channel::Sms), 5).await.unwrap();
    let service = lasting(broadcast("night-water", Priority::Service, Channel::Sms, "Przerwa w dostawie wody"));
    let service = hejnal_jobs::submit(&db_, &service, recipients(21..=45, Channel::Sms), 5).await.unwrap();

    // 21:05: every batch is marked held until 07:00, once; nothing was claimed, nothing sent.
    let seven = Warsaw
        .from_local_datetime(&morning.with_timezone(&Warsaw).date_naive().and_hms_opt(7, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc);
    let marks = poll_until("nine batches held", Duration::from_secs(20), || async {
        let h = held(&app).await;
        (h.len() == 9).then_some(h)
    })
    .await;
    assert!(marks.iter().all(|(_, _, until)| *until == seven), "held until 07:00 ({seven}): {marks:?}");
    let night_checks = |when: &'static str| {
        let app = &app;
        async move {
            two_sweeps(app).await;
            let held_broadcasts = [survey.broadcast_id, service.broadcast_id];
            assert_eq!(pending_jobs(app, &held_broadcasts).await, 0, "{when}: no queue job waits for a held batch");
            assert_eq!(held(app).await.len(), 9, "{when}: one mark per held batch");
            assert_eq!(touched(app, survey.broadcast_id).await, (0, 0), "{when}: survey rows untouched");
            assert_eq!(touched(app, service.broadcast_id).await, (0, 0), "{when}: service rows untouched");
        }
    };
    night_checks("21:05").await;

    // 03:00: a verification code (exempt) and an emergency leave at once; the held batches stay as they were.
    clock.set(three);
    let mut code = lasting(broadcast("code", Priority::Service, Channel::Sms, "Kod: 123456"));
    code.quiet_hours_exempt = true;
    let code = hejnal_jobs::submit(&db_, &code, recipients([100], Channel::Sms), 5).await.unwrap();
    let alarm = lasting(broadcast("alarm", Priority::Emergency, Channel::Sms, "Alarm"));
    let alarm = hejnal_jobs::submit(&db_, &alarm, recipients(101..=102, Channel::Sms), 5).await.unwrap();
    for (id, n) in [(code.broadcast_id, 1), (alarm.broadcast_id, 2)] {
        let p = wait_until(&app, id, 15, |p| p.done).await;
        assert_eq!(p.channels[&Channel::Sms].sent, n, "{p:?}");
    }
    night_checks("03:00").await;
    assert_eq!(outbox_ids(&app).len(), 3, "only the code and the emergency left at night");

    // 07:00: everything held leaves, once, service before survey.
    clock.set(seven + chrono::Duration::minutes(1));
    for (id, n) in [(service.broadcast_id, 25), (survey.broadcast_id, 20)] {
        let p = wait_until(&app, id, 30, |p| p.done).await;
        assert_eq!(p.channels[&Channel::Sms].sent, n, "{p:?}");
    }
    assert!(held(&app).await.is_empty(), "every mark released");
    assert_eq!(touched(&app, service.broadcast_id).await, (25, 25), "each row claimed once");
    assert_eq!(touched(&app, survey.broadcast_id).await, (20, 20), "each row claimed once");
    let sent = outbox_ids(&app);
    let morning_sent = &sent[3..];
    let service_ids = delivery_ids(&app, service.broadcast_id).await;
    let survey_ids = delivery_ids(&app, survey.broadcast_id).await;
    assert_eq!(morning_sent.len(), 45, "each held message sent once: {sent:?}");
    let last_service = morning_sent.iter().rposition(|id| service_ids.contains(id)).unwrap();
    let first_survey = morning_sent.iter().position(|id| survey_ids.contains(id)).unwrap();
    assert!(last_service < first_survey, "service before survey: {morning_sent:?} (service {service_ids:?})");
    engine.stop().await;
}

/// Quiet hours around the present moment (so this test's hour never matters), set as an operator would.
async fn the_quiet_hours_setting_reaches_the_worker(db: Db) {
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let local = Utc::now().with_timezone(&Warsaw);
    let start = (local - chrono::Duration::hours(1)).format("%H:%M").to_string();
    let end_at = local + chrono::Duration::hours(2);
    let end = end_at.format("%H:%M").to_string();
    let worker = crate::cli::hejnal(&app.db)
        .args(["worker"])
        .env("HEJNAL_DELIVERY__QUIET_HOURS", format!("{start}-{end}"))
        .env("HEJNAL_DELIVERY__TIME_ZONE", "Europe/Warsaw")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("hejnal worker starts");
    let worker = KillOnDrop(worker);
    let db_ = app.store.queue_db();
    let service = hejnal_jobs::submit(
        &db_,
        &broadcast("setting-water", Priority::Service, Channel::Sms, "Przerwa w dostawie wody"),
        recipients(1..=3, Channel::Sms),
        100,
    )
    .await
    .unwrap();
    let alarm = hejnal_jobs::submit(
        &db_,
        &broadcast("setting-alarm", Priority::Emergency, Channel::Sms, "Alarm"),
        recipients(4..=5, Channel::Sms),
        100,
    )
    .await
    .unwrap();
    // The worker ran: the emergency was handled (no contacts in this panel, so skipped), and the service batch
    // carries the mark of the configured window's end.
    wait_until(&app, alarm.broadcast_id, 20, |p| p.done).await;
    let marks = poll_until("the service batch held", Duration::from_secs(20), || async {
        let h = held(&app).await;
        (!h.is_empty()).then_some(h)
    })
    .await;
    drop(worker);
    let until = marks[0].2.with_timezone(&Warsaw);
    assert_eq!(marks.len(), 1, "{marks:?}");
    assert_eq!(marks[0].0, service.broadcast_id);
    assert_eq!(until.format("%H:%M").to_string(), end, "held until the configured end");
    assert!(until > local && until <= end_at, "the next {end}: {until}");
}

/// The worker this test started: stopped however the test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
