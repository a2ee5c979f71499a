//! Faults during a broadcast: the SMTP server gone for a minute, and the SQLite database's disk full. Each ends
//! with every recipient reached, none twice (beyond what the engine itself counts as possibly duplicated).

use std::{collections::BTreeMap, time::Duration};

use hejnal::config::{Secret, Settings};
use hejnal_jobs::{Address, Channel, Priority, Resolution};

use crate::{
    delivery::{RunningEngine, broadcast, max_attempts, recipients, wait_until},
    support::{Db, TestApp, smtp::SmtpKeeper},
};

/// How long the SMTP server stays away; the issue asks for a minute.
const OUTAGE: Duration = Duration::from_secs(60);

/// Messages per recipient address, as the SMTP server kept them.
pub fn received_per_address(smtp: &SmtpKeeper) -> BTreeMap<String, usize> {
    let mut per = BTreeMap::new();
    for m in smtp.messages() {
        for to in m.envelope_to {
            *per.entry(to).or_insert(0) += 1;
        }
    }
    per
}

/// Every one of `n` recipients `r{i}@example.org` received the message once; a second copy only where the engine
/// counted one as possible.
pub fn assert_each_once(smtp: &SmtpKeeper, n: i64, possible_duplicates: i64) {
    let per = received_per_address(smtp);
    let missing: Vec<i64> = (1..=n).filter(|i| !per.contains_key(&format!("r{i}@example.org"))).collect();
    assert!(missing.is_empty(), "never received: {missing:?}");
    let extra: usize = per.values().map(|c| c - 1).sum();
    assert!(
        extra as i64 <= possible_duplicates,
        "{extra} duplicates, {possible_duplicates} counted as possible: {per:?}"
    );
}

/// A running engine sending one emergency email to recipients `r1…r{n}@example.org` at `rate` a second, in
/// batches of `batch`; returns the engine and the broadcast's id.
pub async fn email_broadcast(app: &TestApp, key: &str, n: i64, rate: u32, batch: usize) -> (RunningEngine, i64) {
    let engine = RunningEngine::start(app, |c| {
        c.rates.email = rate;
        c.rates.burst_share = 0.0;
        c.batch_size = batch;
    })
    .await;
    for i in 1..=n {
        engine.directory.set(i, Channel::Email, Resolution::Send(Address::Email(format!("r{i}@example.org"))));
    }
    let b = broadcast(key, Priority::Emergency, Channel::Email, "Ewakuacja bulwarów.");
    let submitted =
        hejnal_jobs::submit(&app.store.queue_db(), &b, recipients(1..=n, Channel::Email), batch).await.unwrap();
    (engine, submitted.broadcast_id)
}

/// The SMTP server is an independent process: one backend is enough to show the engine's retries (the PostgreSQL
/// restart test covers the queue on PostgreSQL).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_gone_for_a_minute_then_back_everyone_gets_it_once() {
    const N: i64 = 40;
    let mut smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_without_worker(Db::Sqlite, |s: &mut Settings| s.smtp_url = Some(Secret::new(url))).await;
    // Ten a second: the outage begins while the broadcast is under way.
    let (engine, broadcast_id) = email_broadcast(&app, "smtp-outage", N, 10, 10).await;

    smtp.wait_for(5, Duration::from_secs(30)).await;
    smtp.stop();
    let before = smtp.messages().len();
    assert!(before < N as usize, "the broadcast finished before the outage began ({before} sent)");
    tokio::time::sleep(OUTAGE).await;
    let during = wait_until(&app, broadcast_id, 5, |_| true).await;
    let email = &during.channels[&Channel::Email];
    assert_eq!(email.failed, 0, "a minute's outage fails nobody permanently: {during:?}");
    assert!(email.queued + email.sending > 0, "the rest wait for a retry: {during:?}");
    assert!(max_attempts(&app, broadcast_id).await >= 2, "attempts were made during the outage");

    smtp.start_again().await;
    let p = wait_until(&app, broadcast_id, 180, |p| p.done).await;
    let email = &p.channels[&Channel::Email];
    assert_eq!((email.sent + email.delivered, email.failed), (N, 0), "{p:?}");
    assert_each_once(&smtp, N, p.possible_duplicates);
    engine.stop().await;
}
