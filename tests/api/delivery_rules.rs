//! The engine's rules, with the default file transports: expiry, quiet hours, emergencies first, graceful stop.

use std::time::Duration;

use hejnal_jobs::{Address, Channel, Priority, Resolution};

use crate::{
    delivery::{RunningEngine, TestDirectory, broadcast, recipients, wait_until},
    dual,
    support::{Db, TestApp, wait::poll_until},
};

dual!(
    expired_messages_are_skipped,
    quiet_hours_hold_all_but_emergencies,
    an_emergency_overtakes_a_large_announcement,
    a_graceful_stop_duplicates_nothing
);

fn phones(engine: &RunningEngine, ids: impl IntoIterator<Item = i64>) {
    for i in ids {
        engine.directory.set(i, Channel::Sms, Resolution::Send(Address::Phone(format!("+4860020{i:04}"))));
    }
}

/// Delivery ids written to the SMS outbox file, in order.
pub fn outbox_ids(app: &TestApp) -> Vec<i64> {
    let log = std::fs::read_to_string(app.db.data_dir().join("outbox/sms.log")).unwrap_or_default();
    log.lines().filter_map(|l| l.split(" delivery=").nth(1)?.split(' ').next()?.parse().ok()).collect()
}

async fn expired_messages_are_skipped(db: Db) {
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let engine = RunningEngine::start(&app, |_| {}).await;
    phones(&engine, 1..=3);
    let mut b = broadcast("old", Priority::Service, Channel::Sms, "Za późno");
    b.expires_at = chrono::Utc::now() - chrono::Duration::minutes(1);
    let s = hejnal_jobs::submit(&app.store.queue_db(), &b, recipients(1..=3, Channel::Sms), 100).await.unwrap();
    let p = wait_until(&app, s.broadcast_id, 10, |p| p.done).await;
    assert_eq!(p.channels[&Channel::Sms].skipped, 3);
    assert_eq!(p.reasons.get("expired"), Some(&3));
    assert!(outbox_ids(&app).is_empty(), "nothing was sent");
    engine.stop().await;
}

async fn quiet_hours_hold_all_but_emergencies(db: Db) {
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let quiet = hejnal_jobs::limits::QuietHours::parse("21:00-07:00", "Europe/Warsaw").unwrap();
    // 22:00 on the engine's clock, whatever the hour of this run.
    let night = crate::quiet_hours::next_warsaw(22, 0, 0);
    let clock = std::sync::Arc::new(hejnal_jobs::ShiftedClock::at(night));
    let engine = RunningEngine::start(&app, |c| {
        c.quiet_hours = Some(quiet);
        c.clock = clock;
    })
    .await;
    phones(&engine, 1..=4);
    let db_ = app.store.queue_db();
    let lasting = |mut b: hejnal_jobs::NewBroadcast| {
        b.expires_at = night + chrono::Duration::days(1);
        b
    };
    let service = hejnal_jobs::submit(
        &db_,
        &lasting(broadcast("water", Priority::Service, Channel::Sms, "Przerwa w dostawie wody")),
        recipients(1..=2, Channel::Sms),
        100,
    )
    .await
    .unwrap();
    let alert = hejnal_jobs::submit(
        &db_,
        &lasting(broadcast("gas", Priority::Emergency, Channel::Sms, "Wyciek gazu")),
        recipients(3..=4, Channel::Sms),
        100,
    )
    .await
    .unwrap();
    wait_until(&app, alert.broadcast_id, 10, |p| p.done).await;
    // The positive sign that the service batch was looked at: its mark. Then two sweeps, and nothing moved.
    poll_until("the service batch held", Duration::from_secs(15), || async {
        (crate::quiet_hours::held(&app).await.len() == 1).then_some(())
    })
    .await;
    crate::quiet_hours::two_sweeps(&app).await;
    let held = hejnal_jobs::progress(&db_, service.broadcast_id, chrono::Utc::now()).await.unwrap().unwrap();
    assert_eq!(held.channels[&Channel::Sms].queued, 2, "held, not dropped: {held:?}");
    assert!(!held.done);
    assert_eq!(hejnal_jobs::queue_depth(&db_).await.unwrap(), [(Priority::Service, 2)]);
    assert_eq!(outbox_ids(&app).len(), 2, "only the emergency was sent");
    engine.stop().await;
}

async fn an_emergency_overtakes_a_large_announcement(db: Db) {
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let engine = RunningEngine::start(&app, |c| c.rates.sms = 200).await;
    phones(&engine, 1..=3010);
    let db_ = app.store.queue_db();
    let big = hejnal_jobs::submit(
        &db_,
        &broadcast("big", Priority::Service, Channel::Sms, "Zmiana rozkładu"),
        recipients(1..=3000, Channel::Sms),
        100,
    )
    .await
    .unwrap();
    wait_until(&app, big.broadcast_id, 20, |p| p.channels[&Channel::Sms].sent > 100).await;
    let queued_at = std::time::Instant::now();
    let alert = hejnal_jobs::submit(
        &db_,
        &broadcast("alarm", Priority::Emergency, Channel::Sms, "Alarm"),
        recipients(3001..=3010, Channel::Sms),
        100,
    )
    .await
    .unwrap();
    wait_until(&app, alert.broadcast_id, 10, |p| p.done).await;
    let took = queued_at.elapsed();
    let big_now = hejnal_jobs::progress(&db_, big.broadcast_id, chrono::Utc::now()).await.unwrap().unwrap();
    assert!(big_now.channels[&Channel::Sms].queued > 1000, "the announcement is still far from done: {big_now:?}");
    assert!(took < Duration::from_secs(3), "the emergency waited {took:?} behind the announcement");
    engine.stop().await;
}

async fn a_graceful_stop_duplicates_nothing(db: Db) {
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let directory = std::sync::Arc::new(TestDirectory::default());
    let engine = RunningEngine::start_with(&app, directory.clone(), |c| c.rates.sms = 300).await;
    phones(&engine, 1..=1500);
    let b = hejnal_jobs::submit(
        &app.store.queue_db(),
        &broadcast("stop", Priority::Service, Channel::Sms, "Komunikat"),
        recipients(1..=1500, Channel::Sms),
        100,
    )
    .await
    .unwrap();
    wait_until(&app, b.broadcast_id, 20, |p| p.channels[&Channel::Sms].sent > 300).await;
    engine.stop().await;
    let p = hejnal_jobs::progress(&app.store.queue_db(), b.broadcast_id, chrono::Utc::now()).await.unwrap().unwrap();
    let sms = &p.channels[&Channel::Sms];
    assert_eq!(sms.sending, 0, "nothing left on the wire");
    assert!(sms.queued > 0, "stopped part-way: {p:?}");
    assert_eq!(outbox_ids(&app).len() as i64, sms.sent, "every message written is recorded as sent, and only those");

    let again = RunningEngine::start_with(&app, directory, |c| c.rates.sms = 2000).await;
    let p = wait_until(&app, b.broadcast_id, 30, |p| p.done).await;
    let mut ids = outbox_ids(&app);
    ids.sort_unstable();
    let total = ids.len();
    ids.dedup();
    assert_eq!((total, ids.len()), (1500, 1500), "each recipient exactly once");
    assert_eq!(p.possible_duplicates, 0);
    again.stop().await;
}
