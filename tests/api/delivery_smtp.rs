//! The SMTP wire against real aiosmtpd servers that differ from the default keeper: one that announces PIPELINING
//! (RFC 2920) and refuses a recipient in the middle of a pipeline, one that refuses a recipient for now (4xx), and the
//! default one, which does not announce PIPELINING. The pool is one connection, so every message of a test shares
//! it: what one refused recipient does to the connection shows in the next message.

use std::time::Duration;

use hejnal::config::Settings;
use hejnal_jobs::{Address, Channel, Priority, Progress, Resolution};

use crate::{
    delivery::{RunningEngine, broadcast, max_attempts, recipients, wait_until},
    dual,
    support::{
        Db, TestApp,
        smtp::{Email, KeeperRules, SmtpKeeper},
    },
};

dual!(
    email_to_a_server_without_pipelining_one_command_at_a_time,
    email_pipelined_with_a_recipient_refused_mid_pipeline,
    email_recipient_refused_for_now_is_retried
);

/// Recipient `i` gets `r{i}@example.org`; one SMTP connection; an emergency so that retries are picked up quickly.
async fn setup(smtp: &SmtpKeeper, db: Db, n: i64) -> (TestApp, RunningEngine, i64) {
    let url = smtp.url();
    let app =
        TestApp::spawn_without_worker(db, |s: &mut Settings| s.smtp_url = Some(hejnal::config::Secret::new(url))).await;
    let engine = RunningEngine::start(&app, |c| c.smtp_pool = 1).await;
    for i in 1..=n {
        engine.directory.set(i, Channel::Email, Resolution::Send(Address::Email(format!("r{i}@example.org"))));
    }
    let b = hejnal_jobs::submit(
        &app.store.queue_db(),
        &broadcast("smtp-1", Priority::Emergency, Channel::Email, "Ewakuacja."),
        recipients(1..=n, Channel::Email),
        100,
    )
    .await
    .unwrap();
    (app, engine, b.broadcast_id)
}

fn to(mails: &[Email]) -> Vec<String> {
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.envelope_to.clone()).collect();
    to.sort();
    to
}

async fn settled(app: &TestApp, id: i64) -> Progress {
    wait_until(app, id, 60, |p| p.done).await
}

async fn email_to_a_server_without_pipelining_one_command_at_a_time(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let (app, engine, id) = setup(&smtp, db, 5).await;

    let p = settled(&app, id).await;
    assert_eq!(p.channels[&Channel::Email].sent, 5, "{p:?}");
    let mails = smtp.wait_for(5, Duration::from_secs(10)).await;
    assert_eq!(to(&mails), (1..=5).map(|i| format!("r{i}@example.org")).collect::<Vec<_>>());
    assert!(mails.iter().all(|m| !m.pipelined), "a server without PIPELINING gets one command at a time");
    // One connection carries them all, one after another.
    assert!(mails.iter().all(|m| m.session == mails[0].session), "one connection");
    assert_eq!(mails.iter().map(|m| m.in_session).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    engine.stop().await;
}

async fn email_pipelined_with_a_recipient_refused_mid_pipeline(db: Db) {
    let rules = KeeperRules {
        pipelining: true,
        refuse: vec![("r2@example.org".into(), "550 5.1.1 <r2@example.org>: no such user here".into(), None)],
    };
    let smtp = SmtpKeeper::start_with(rules).await;
    let (app, engine, id) = setup(&smtp, db, 5).await;

    let p = settled(&app, id).await;
    let counts = &p.channels[&Channel::Email];
    assert_eq!((counts.sent, counts.failed), (4, 1), "{p:?}");
    let mails = smtp.wait_for(4, Duration::from_secs(10)).await;
    assert_eq!(to(&mails), ["r1@example.org", "r3@example.org", "r4@example.org", "r5@example.org"]);
    assert!(mails.iter().all(|m| m.pipelined), "MAIL, RCPT and DATA arrive in one write");
    assert!(mails.iter().all(|m| m.session == mails[0].session), "the refusal does not cost the connection");
    // The reason is the code only (the server's text quotes the address), and the address is reported gone.
    assert_eq!(p.reasons.get("SMTP refused: 550"), Some(&1), "{:?}", p.reasons);
    assert_eq!(*engine.directory.gone.lock().unwrap(), [2]);
    let r2 = hejnal_jobs::recipient_deliveries(&app.store.queue_db(), 2).await.unwrap();
    assert_eq!((r2[0].status.as_str(), r2[0].reason.as_deref()), ("failed", Some("SMTP refused: 550")));
    assert_eq!(max_attempts(&app, id).await, 1, "a 5xx is not retried");
    engine.stop().await;
}

async fn email_recipient_refused_for_now_is_retried(db: Db) {
    let rules = KeeperRules {
        pipelining: true,
        refuse: vec![("r2@example.org".into(), "450 4.2.1 Mailbox busy, try later".into(), Some(1))],
    };
    let smtp = SmtpKeeper::start_with(rules).await;
    let (app, engine, id) = setup(&smtp, db, 3).await;

    let p = settled(&app, id).await;
    assert_eq!(p.channels[&Channel::Email].sent, 3, "{p:?}");
    let mails = smtp.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(to(&mails), ["r1@example.org", "r2@example.org", "r3@example.org"]);
    assert_eq!(max_attempts(&app, id).await, 2, "the refused one went on the second attempt");
    assert!(engine.directory.gone.lock().unwrap().is_empty(), "a 4xx says nothing about the address");
    engine.stop().await;
}
