//! The emergency gate, observed where it matters: at a real SMTP server. Service mail saturates the email channel;
//! an emergency submitted part-way must reach the server whole before any service message that had not yet been
//! handed to the channel.

use std::time::Duration;

use hejnal::config::{Secret, Settings};
use hejnal_jobs::{Address, Channel, Priority, Resolution};

use crate::{
    delivery::{RunningEngine, broadcast, recipients, wait_until},
    dual,
    support::{Db, TestApp, smtp::SmtpKeeper},
};

dual!(an_emergency_leaves_whole_before_further_service_mail);

/// Messages one service batch may have on the wire at once (`in_flight`).
const IN_FLIGHT: usize = 4;

async fn an_emergency_leaves_whole_before_further_service_mail(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_without_worker(db, |s: &mut Settings| s.smtp_url = Some(Secret::new(url))).await;
    let engine = RunningEngine::start(&app, |c| {
        // Slow enough that service mail is still flowing when the emergency arrives, and whatever service mail was
        // already past the limiter when the gate closed is bounded and small.
        c.rates.email = 150;
        c.rates.burst_share = 0.02;
        c.in_flight = IN_FLIGHT;
        c.batches_at_once = 1;
    })
    .await;
    for i in 1..=1100 {
        engine.directory.set(i, Channel::Email, Resolution::Send(Address::Email(format!("r{i}@example.org"))));
    }
    let db_ = app.store.queue_db();
    let service = hejnal_jobs::submit(
        &db_,
        &broadcast("gate-service", Priority::Service, Channel::Email, "Zmiana rozkładu jazdy"),
        recipients(1..=1000, Channel::Email),
        50,
    )
    .await
    .unwrap();
    // Service mail is flowing at the channel's rate.
    smtp.wait_for(60, Duration::from_secs(30)).await;
    let alarm = hejnal_jobs::submit(
        &db_,
        &broadcast("gate-alarm", Priority::Emergency, Channel::Email, "Alarm powodziowy"),
        recipients(1001..=1100, Channel::Email),
        50,
    )
    .await
    .unwrap();
    wait_until(&app, alarm.broadcast_id, 30, |p| p.done).await;
    let arrived = smtp.messages();
    let emergency = |to: &[String]| {
        to.first().and_then(|a| a.strip_prefix('r')?.split('@').next()?.parse::<i64>().ok()).is_some_and(|n| n > 1000)
    };
    let first = arrived.iter().position(|m| emergency(&m.envelope_to)).expect("emergency mail arrived");
    let last = arrived.iter().rposition(|m| emergency(&m.envelope_to)).unwrap();
    let count = arrived[first..=last].iter().filter(|m| emergency(&m.envelope_to)).count();
    assert_eq!(count, 100, "the whole emergency arrived");
    let service_between = arrived[first..=last].len() - count;
    // Service messages that were past the limiter when the gate closed may still land: at most one batch's
    // in-flight window (one service batch runs at a time, plus the sweep's two slots).
    let bound = IN_FLIGHT * 3;
    assert!(
        service_between <= bound,
        "{service_between} service messages arrived among the emergency's 100 (at most {bound} were on the wire)"
    );
    let p = hejnal_jobs::progress(&db_, service.broadcast_id, chrono::Utc::now()).await.unwrap().unwrap();
    assert!(p.channels[&Channel::Email].queued > 0, "service mail was still waiting when the emergency ended: {p:?}");
    engine.stop().await;
}
