//! PostgreSQL restarted in the middle of a broadcast: the workers' and the web's connections come back by
//! themselves, and every recipient is reached once. The server is a private one started for this test.

use std::time::Duration;

use hejnal::config::{Secret, Settings};
use hejnal_jobs::Channel;

use crate::{
    campaign_faults::{assert_each_once, email_broadcast},
    campaign_pg::PrivatePostgres,
    delivery::wait_until,
    support::{Db, TestApp, smtp::SmtpKeeper},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_mid_send_loses_nobody() {
    const N: i64 = 300;
    let pg = match PrivatePostgres::start() {
        Ok(pg) => pg,
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => panic!("CI=true: {why}"),
        Err(why) => {
            eprintln!("SKIPPED postgres_restarted_mid_send_loses_nobody: {why}");
            return;
        }
    };
    let smtp = SmtpKeeper::start().await;
    let (pg_url, smtp_url) = (pg.url(), smtp.url());
    // The harness's own database is not used: the application runs on the private server.
    let app = TestApp::spawn_without_worker(Db::Sqlite, |s: &mut Settings| {
        s.database_url = Secret::new(pg_url);
        s.smtp_url = Some(Secret::new(smtp_url));
    })
    .await;
    let (engine, broadcast_id) = email_broadcast(&app, "pg-restart", N, 50, 20).await;

    smtp.wait_for(60, Duration::from_secs(60)).await;
    pg.pg_ctl("restart").unwrap_or_else(|e| panic!("{e}\n{}", pg.log()));
    let during = smtp.messages().len();
    assert!(during < N as usize, "the broadcast finished before the restart ({during} sent)");

    let p = wait_until(&app, broadcast_id, 180, |p| p.done).await;
    let email = &p.channels[&Channel::Email];
    assert_eq!((email.sent + email.delivered, email.failed), (N, 0), "{p:?}");
    smtp.wait_for(N as usize, Duration::from_secs(20)).await;
    assert_each_once(&smtp, N, p.possible_duplicates);
    let ready = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200, "the web's connections came back too");
    engine.stop().await;
}
