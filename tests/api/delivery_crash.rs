//! Durability: worker processes killed with SIGKILL at random moments lose nobody, and duplicate only what was on
//! the wire — which the engine counts. A graceful stop duplicates nothing. And the SMS rate limit holds at the
//! fake operator.

use std::{
    os::unix::process::ExitStatusExt,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use hejnal::config::{Secret, Settings};
use hejnal_jobs::{Channel, Priority};
use rand::Rng;

use crate::{
    delivery::{RunningEngine, broadcast, recipients, wait_until},
    dual,
    support::{
        Db, TestApp,
        kannel::Kannel,
        smtp::{SmtpKeeper, SmtpSink},
        wait::child_exit,
    },
};

const RECIPIENTS: usize = 20_000;

/// A `hejnal bench worker` process: synthetic recipients r{i}@bench.example.org, sending to `smtp`.
fn spawn_worker(app: &TestApp, smtp: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hejnal"))
        .args(["bench", "worker"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HEJNAL_DATABASE_URL", &app.db.url)
        .env("HEJNAL_DATA_DIR", app.db.data_dir())
        .env("HEJNAL_SMTP_URL", smtp)
        .env("HEJNAL_LOG_FILTER", "error")
        .env("HEJNAL_DELIVERY__QUIET_HOURS", "")
        .env("HEJNAL_DELIVERY__RATES__EMAIL", "2500")
        .env("HEJNAL_DELIVERY__DEAD_WORKER_SECS", "3")
        .current_dir(app.db.data_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("hejnal bench worker starts")
}

fn sent_rows_sql() -> &'static str {
    "SELECT COUNT(*), COUNT(DISTINCT recipient_id) FROM deliveries WHERE broadcast_id = $1 AND status = 'sent'"
}

dual!(killed_workers_lose_nobody_and_count_their_duplicates);

async fn killed_workers_lose_nobody_and_count_their_duplicates(db: Db) {
    let sink = SmtpSink::start(256).await;
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let (b, all) = hejnal::bench::broadcast("crash-test", Priority::Service, &[Channel::Email]);
    let submitted = hejnal_jobs::submit(&app.store.queue_db(), &b, all.take(RECIPIENTS), 200).await.unwrap();
    assert_eq!(submitted.deliveries, RECIPIENTS as u64);

    // PostgreSQL: two workers share the work, as on two machines.
    let per_round = if db == Db::Postgres { 2 } else { 1 };
    let mut workers: Vec<Child> = (0..per_round).map(|_| spawn_worker(&app, &sink.url())).collect();
    let mut rng = rand::rng();
    let mut kills = 0;
    while kills < 4 {
        tokio::time::sleep(Duration::from_millis(rng.random_range(500..2000))).await;
        let p = hejnal_jobs::progress(&app.store.queue_db(), submitted.broadcast_id, chrono::Utc::now())
            .await
            .unwrap()
            .unwrap();
        if p.done {
            break;
        }
        let victim = rng.random_range(0..workers.len());
        // The kill must hit a running worker and be what ended it: a worker that had already exited (a crash of
        // its own, a refused start) would make this a test of nothing.
        let w = &mut workers[victim];
        assert!(w.try_wait().unwrap().is_none(), "worker {victim} was running before kill {}", kills + 1);
        w.kill().expect("SIGKILL");
        let status = child_exit(w, "a SIGKILLed worker", Duration::from_secs(10)).await;
        assert_eq!(status.signal(), Some(9), "kill {} ended the worker: {status:?}", kills + 1);
        kills += 1;
        workers[victim] = spawn_worker(&app, &sink.url());
    }
    assert_eq!(kills, 4, "all four kills landed before the broadcast finished");
    let p = wait_until(&app, submitted.broadcast_id, 180, |p| p.done).await;
    // A graceful stop: SIGTERM, wait.
    for w in &mut workers {
        let _ = Command::new("kill").args(["-TERM", &w.id().to_string()]).status();
    }
    for w in &mut workers {
        let status = child_exit(w, "a worker stopped by SIGTERM", Duration::from_secs(30)).await;
        assert!(status.success(), "a worker stopped by SIGTERM exits cleanly: {status:?}");
    }

    let (rows, distinct): (i64, i64) = match app.store.queue_db() {
        hejnal_jobs::QueueDb::Sqlite(pool) => {
            sqlx::query_as(sent_rows_sql()).bind(submitted.broadcast_id).fetch_one(&pool).await.unwrap()
        }
        hejnal_jobs::QueueDb::Postgres(pool) => {
            sqlx::query_as(sent_rows_sql()).bind(submitted.broadcast_id).fetch_one(&pool).await.unwrap()
        }
    };
    assert_eq!((rows, distinct), (RECIPIENTS as i64, RECIPIENTS as i64), "every recipient has exactly one sent row");
    let received = sink.wait_count(RECIPIENTS as u64, Duration::from_secs(10)).await;
    let extra = received as i64 - RECIPIENTS as i64;
    eprintln!(
        "crash test ({db:?}): {kills} kills, sink received {received}, possible duplicates counted {}",
        p.possible_duplicates
    );
    assert!(extra >= 0, "the sink lost messages: {received}");
    assert!(
        extra <= p.possible_duplicates,
        "{extra} duplicates but only {} counted as possible",
        p.possible_duplicates
    );
}

dual!(three_kills_duplicate_only_what_was_on_the_wire);

/// Issue 16's measurement, kept as a test: a 5,000-recipient emergency through a real SMTP server that takes its time
/// (aiosmtpd writing every message to disk), the worker killed with SIGKILL three times. Outcomes are recorded as
/// they arrive, so a kill duplicates only what had been accepted in the last few milliseconds — not every message
/// of a group whose slowest member had not returned (28 % of recipients before).
async fn three_kills_duplicate_only_what_was_on_the_wire(db: Db) {
    const COUNT: usize = 5_000;
    let keeper = SmtpKeeper::start().await;
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let (b, all) = hejnal::bench::broadcast("crash-emergency", Priority::Emergency, &[Channel::Email]);
    let submitted = hejnal_jobs::submit(&app.store.queue_db(), &b, all.take(COUNT), 200).await.unwrap();
    let mut worker = spawn_worker(&app, &keeper.url());
    let mut rng = rand::rng();
    let mut kills = 0;
    while kills < 3 {
        // A kill lands only once the worker is sending: something has arrived since the last one.
        let before = keeper.count();
        let deadline = Instant::now() + Duration::from_secs(30);
        while keeper.count() < before + 50 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(100..600))).await;
        assert!(keeper.count() < COUNT, "the broadcast finished before kill {}", kills + 1);
        assert!(worker.try_wait().unwrap().is_none(), "the worker was running before kill {}", kills + 1);
        worker.kill().expect("SIGKILL");
        let status = child_exit(&mut worker, "a SIGKILLed worker", Duration::from_secs(10)).await;
        assert_eq!(status.signal(), Some(9), "kill {} ended the worker: {status:?}", kills + 1);
        kills += 1;
        worker = spawn_worker(&app, &keeper.url());
    }
    let p = wait_until(&app, submitted.broadcast_id, 180, |p| p.done).await;
    let _ = Command::new("kill").args(["-TERM", &worker.id().to_string()]).status();
    let status = child_exit(&mut worker, "a worker stopped by SIGTERM", Duration::from_secs(30)).await;
    assert!(status.success(), "a worker stopped by SIGTERM exits cleanly: {status:?}");

    let mut per_recipient = std::collections::HashMap::<String, usize>::new();
    for m in keeper.messages() {
        for to in m.envelope_to {
            *per_recipient.entry(to).or_default() += 1;
        }
    }
    let twice = per_recipient.values().filter(|n| **n > 1).count();
    eprintln!(
        "three kills ({db:?}): {} recipients reached, {twice} twice, {} counted as possible duplicates",
        per_recipient.len(),
        p.possible_duplicates
    );
    assert_eq!(per_recipient.len(), COUNT, "every recipient reached");
    assert!(twice as i64 <= p.possible_duplicates, "{twice} duplicates but {} counted", p.possible_duplicates);
    // Issue 16's 1 % target (50 here) is measured and reported, not asserted: 0.3–1.9 % on this machine, because a
    // kill still duplicates every message whose "250" was on its way back — up to one per open SMTP connection
    // (`delivery.smtp_pool`, 32) — plus what finished during the last write (docs/performance.md). The bound below
    // fails the path this replaced (outcomes written after the group's slowest message: 4.7 % here, 28 % in the
    // operator's trial) with room for a loaded machine.
    assert!(
        twice * 100 <= 3 * COUNT,
        "{twice} of {COUNT} recipients got the message twice after {kills} kills: over 3 %"
    );
    eprintln!("three kills ({db:?}): {:.2} % of recipients twice (target ≤ 1 %)", twice as f64 * 100.0 / COUNT as f64);
}

/// The SMS rate measured where messages arrive, judged by its pace rather than its average: the median gap between
/// arrivals over the steady part (after the first ten) is within 5 % of 1/rate, and no one-second window holds more
/// than rate + burst (+1 for the instrument). The fake operator is woken every 20 ms, so one arrival time is late by
/// up to that: each gap is measured over ten arrivals (1 s), and the median of those ignores the pauses of a busy
/// machine (which lower an average rate) while a limiter 5 % off, doubled or gone moves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_rate_limit_holds_at_the_fake_operator() {
    const RATE: u32 = 10;
    const COUNT: usize = 151;
    let kannel = Kannel::start().await;
    let url = kannel.sendsms_url();
    let app = TestApp::spawn_without_worker(Db::Sqlite, |s: &mut Settings| s.sms_url = Some(Secret::new(url))).await;
    let engine = RunningEngine::start(&app, |c| {
        c.rates.sms = RATE;
        // A burst of two: a sender woken a few milliseconds late (a busy machine) catches up on the next message
        // instead of losing that time for good, so the pace measured is the limiter's, not the scheduler's.
        c.rates.burst_share = 0.2;
    })
    .await;
    for i in 1..=COUNT as i64 {
        let phone = format!("+4860010{i:04}");
        engine.directory.set(i, Channel::Sms, hejnal_jobs::Resolution::Send(hejnal_jobs::Address::Phone(phone)));
    }
    let b = broadcast("rate", Priority::Emergency, Channel::Sms, "Test rate");
    hejnal_jobs::submit(&app.store.queue_db(), &b, recipients(1..=COUNT as i64, Channel::Sms), 200).await.unwrap();

    // Arrival times at the operator, sampled every 5 ms.
    let start = Instant::now();
    let mut arrivals: Vec<f64> = Vec::new();
    while arrivals.len() < COUNT && start.elapsed() < Duration::from_secs(60) {
        let n = kannel.received().len();
        while arrivals.len() < n {
            arrivals.push(start.elapsed().as_secs_f64());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(arrivals.len(), COUNT);
    const SPAN: usize = 10;
    let steady = &arrivals[SPAN..];
    let mut gaps: Vec<f64> = steady.windows(SPAN + 1).map(|w| (w[SPAN] - w[0]) / SPAN as f64).collect();
    gaps.sort_by(f64::total_cmp);
    let median = gaps[gaps.len() / 2];
    let expected = 1.0 / RATE as f64;
    let burst = 2; // `burst_share` 0.2 of 10
    let max_window =
        arrivals.iter().map(|t| arrivals.iter().filter(|u| **u >= *t && **u < t + 1.0).count()).max().unwrap();
    eprintln!(
        "SMS pace at the operator: median gap {:.1} ms (1/rate = {:.1} ms), busiest second: {max_window}",
        median * 1000.0,
        expected * 1000.0
    );
    assert!((median - expected).abs() <= expected * 0.05, "median gap {median:.4} s against 1/rate = {expected} s");
    // One more for the instrument: an arrival is seen up to a wake-up (20 ms) plus Kannel's own hop late, so a
    // window may catch one message of the next second. A doubled limiter shows 24, none 151.
    assert!(max_window <= RATE as usize + burst + 1, "{max_window} in one second (rate {RATE}, burst {burst})");
    engine.stop().await;
}
