//! `cargo bench --bench delivery [-- --recipients N --push N --postgres URL]`
//!
//! Measures the delivery engine against local sinks and prints a report (also written to
//! `target/bench-delivery.md`):
//! 1. fan-out: a broadcast to N recipients (default 1,000,000), from the call until every row is durably queued —
//!    on SQLite, and on PostgreSQL when `--postgres` is given;
//! 2. postfix's `smtp-source` against `smtp-sink`: the raw rate of the sink on this machine;
//! 3. sending those N emails to the same sink with a `hejnal bench worker` process: throughput, every status recorded;
//! 4. meanwhile, emergencies queued at 25/50/75 %: time from queuing to the first message leaving;
//! 5. the worker's peak resident memory (VmHWM) over that run;
//! 6. web push throughput to the local push service (real RFC 8291 encryption and VAPID signatures, verified).
//!
//! `--push 0` skips step 6. The worker inherits `HEJNAL_*` settings from the environment (e.g.
//! `HEJNAL_DELIVERY__BATCHES_AT_ONCE`); `BENCH_SMTP_POOL` and `BENCH_IN_FLIGHT` override the pool size (64) and the
//! messages in flight per batch (128) the bench otherwise sets.

#[path = "../tests/api/support/push_service.rs"]
mod push_service;
#[path = "../tests/api/support/smtp.rs"]
mod smtp;

use std::{
    fmt::Write as _,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use chrono::Utc;
use hejnal::{
    config::{Config, Secret, Settings},
    storage::DynStorage,
};
use hejnal_jobs::{Channel, Priority, QueueDb};

struct Args {
    recipients: usize,
    push: usize,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut a = Args { recipients: 1_000_000, push: 20_000, postgres: None };
    let raw: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < raw.len() {
        let next = raw.get(i + 1).cloned().unwrap_or_default();
        match raw[i].as_str() {
            "--recipients" => a.recipients = next.parse().expect("--recipients N"),
            "--push" => a.push = next.parse().expect("--push N"),
            "--postgres" => a.postgres = Some(next),
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    a
}

async fn open(url: &str, dir: &std::path::Path) -> (Config, DynStorage) {
    let settings = Settings { database_url: Secret::new(url), data_dir: dir.to_path_buf(), ..Settings::default() };
    let config = Config::from_settings(settings).expect("configuration");
    let store = hejnal::app::prepare(&config).await.expect("database");
    (config, store)
}

/// A fresh PostgreSQL database on the server `admin` points at.
async fn fresh_pg(admin: &str) -> String {
    let name = format!("hejnal_bench_{}", std::process::id());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(admin).await.expect("PostgreSQL");
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&mut conn)
        .await;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let mut url = url::Url::parse(admin).expect("URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

async fn fanout(store: &DynStorage, key: &str, n: usize, priority: Priority, channels: &[Channel]) -> (i64, f64) {
    let (b, all) = hejnal::bench::broadcast(key, priority, channels);
    let started = Instant::now();
    let s = hejnal_jobs::submit(&store.queue_db(), &b, all.take(n), 500).await.expect("submit");
    (s.broadcast_id, started.elapsed().as_secs_f64())
}

fn worker(db_url: &str, dir: &std::path::Path, extra: &[(&str, &str)], args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hejnal"));
    cmd.args(["bench", "worker"])
        .args(args)
        .env("HEJNAL_DATABASE_URL", db_url)
        .env("HEJNAL_DATA_DIR", dir)
        .env("HEJNAL_LOG_FILTER", "warn,sqlx=error")
        .env("HEJNAL_DELIVERY__QUIET_HOURS", "")
        .env("HEJNAL_DELIVERY__RATES__EMAIL", "1000000")
        .env("HEJNAL_DELIVERY__RATES__PUSH", "1000000")
        .env("HEJNAL_DELIVERY__RATES__SMS", "1000")
        .env("HEJNAL_DELIVERY__BATCH_SIZE", "500")
        .env("HEJNAL_DELIVERY__IN_FLIGHT", std::env::var("BENCH_IN_FLIGHT").unwrap_or_else(|_| "128".into()))
        .env("HEJNAL_DELIVERY__SMTP_POOL", std::env::var("BENCH_SMTP_POOL").unwrap_or_else(|_| "64".into()))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.spawn().expect("hejnal bench worker")
}

fn peak_rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

async fn progress(db: &QueueDb, id: i64) -> hejnal_jobs::Progress {
    hejnal_jobs::progress(db, id, Utc::now()).await.expect("progress").expect("broadcast")
}

fn stop(mut child: Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let a = args();
    let mut report = String::new();
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let _ = writeln!(
        report,
        "# hejnał delivery benchmark\n\n{} recipients, {} pushes, {cpus} CPUs, {}\n",
        a.recipients,
        a.push,
        Utc::now().format("%Y-%m-%d")
    );
    let _ = writeln!(report, "| measure | result | target |\n|---|---|---|");

    // 1. Fan-out on SQLite (and PostgreSQL).
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite_url = format!("sqlite://{}/bench.db", dir.path().display());
    let (_config, store) = open(&sqlite_url, dir.path()).await;
    let (big, secs) = fanout(&store, "bench-1m", a.recipients, Priority::Service, &[Channel::Email]).await;
    println!("fan-out SQLite: {secs:.2} s");
    let _ = writeln!(
        report,
        "| fan-out of {} rows, SQLite | {secs:.2} s ({:.0} rows/s) | ≤ 10 s |",
        a.recipients,
        a.recipients as f64 / secs
    );
    if let Some(admin) = &a.postgres {
        let pg_dir = tempfile::tempdir().expect("tempdir");
        let url = fresh_pg(admin).await;
        let (_c, pg) = open(&url, pg_dir.path()).await;
        let (_, secs) = fanout(&pg, "bench-1m-pg", a.recipients, Priority::Service, &[Channel::Email]).await;
        println!("fan-out PostgreSQL: {secs:.2} s");
        let _ = writeln!(
            report,
            "| fan-out of {} rows, PostgreSQL | {secs:.2} s ({:.0} rows/s) | ≤ 20 s |",
            a.recipients,
            a.recipients as f64 / secs
        );
        pg.close().await;
    }

    // 2. The sink's raw rate with postfix's own client.
    let sink = smtp::SmtpSink::start(1024).await;
    let raw = smtp::smtp_source_rate(sink.port(), 100_000, 20).await;
    println!("smtp-source: {raw:.0} msg/s");
    let _ = writeln!(report, "| smtp-source → smtp-sink (raw) | {raw:.0} msg/s | — |");
    let base = sink.count();

    // 3–5. The big broadcast through a worker process, with emergencies queued part-way.
    let db = store.queue_db();
    let w = worker(&sqlite_url, dir.path(), &[("HEJNAL_SMTP_URL", &sink.url())], &[]);
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut marks = vec![0.25, 0.5, 0.75];
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let p = progress(&db, big).await;
        let sent = p.channels.get(&Channel::Email).map(|c| c.sent + c.failed).unwrap_or(0);
        if let Some(mark) = marks.first().copied()
            && sent as f64 >= mark * a.recipients as f64
        {
            marks.remove(0);
            let queued = Instant::now();
            let (em, submit_secs) =
                fanout(&store, &format!("emergency-{mark}"), 1, Priority::Emergency, &[Channel::Sms]).await;
            loop {
                let e = progress(&db, em).await;
                if e.channels.get(&Channel::Sms).is_some_and(|c| c.sent > 0) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let ms = queued.elapsed().as_secs_f64() * 1000.0;
            println!(
                "emergency at {:.0} %: first message after {ms:.0} ms (queuing took {:.0} ms)",
                mark * 100.0,
                submit_secs * 1000.0
            );
            latencies.push(ms);
        }
        if p.done {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3600),
            "the big broadcast did not finish within an hour: {p:?}"
        );
    }
    let secs = started.elapsed().as_secs_f64();
    let rss = peak_rss_mb(w.id());
    stop(w);
    let p = progress(&db, big).await;
    let email = &p.channels[&Channel::Email];
    let received = sink.wait_count(base + a.recipients as u64, Duration::from_secs(30)).await - base;
    let rate = a.recipients as f64 / secs;
    println!(
        "email: {rate:.0} msg/s ({:.0} % of smtp-source); sink got {received}; peak RSS {rss:.0} MB",
        100.0 * rate / raw
    );
    let _ = writeln!(
        report,
        "| email to smtp-sink ({} msgs, statuses recorded: {} sent, {} failed) | {rate:.0} msg/s = {:.0} % of raw | ≥ 40 % of raw |",
        a.recipients,
        email.sent,
        email.failed,
        100.0 * rate / raw
    );
    let max_latency = latencies.iter().cloned().fold(0.0, f64::max);
    let _ = writeln!(
        report,
        "| emergency queued → first message left, during the big send (max of {}) | {max_latency:.0} ms | ≤ 1000 ms |",
        latencies.len()
    );
    let _ = writeln!(report, "| worker peak memory (VmHWM) during the big send | {rss:.0} MB | ≤ 150 MB |");

    // 6. Web push with real encryption, to the local push service (which verifies and decrypts every message).
    if a.push == 0 {
        println!("\n{report}");
        return;
    }
    let push = push_service::PushService::start().await;
    let subs: Vec<serde_json::Value> = (0..100)
        .map(|_| {
            let s = push.new_subscription();
            serde_json::json!({ "endpoint": s.endpoint, "p256dh": s.p256dh, "auth": s.auth })
        })
        .collect();
    let subs_file = dir.path().join("subs.json");
    std::fs::write(&subs_file, serde_json::to_string(&subs).unwrap()).unwrap();
    let push_dir = tempfile::tempdir().expect("tempdir");
    let push_url = format!("sqlite://{}/push.db", push_dir.path().display());
    let (_c, push_store) = open(&push_url, push_dir.path()).await;
    let (pb, _) = fanout(&push_store, "bench-push", a.push, Priority::Service, &[Channel::Push]).await;
    let w = worker(&push_url, push_dir.path(), &[], &["--push-subscriptions", subs_file.to_str().unwrap()]);
    let started = Instant::now();
    let pdb = push_store.queue_db();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if progress(&pdb, pb).await.done {
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    stop(w);
    let rejected = push.rejections().len();
    let rate = a.push as f64 / secs;
    println!("push: {rate:.0} msg/s, {} received, {rejected} rejected", push.received_count());
    let _ = writeln!(
        report,
        "| web push to the local push service ({} msgs, {} verified and decrypted, {rejected} rejected) | {rate:.0} msg/s | ≥ 5000/s |",
        a.push,
        push.received_count()
    );

    println!("\n{report}");
    let _ = std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-delivery.md"), &report);
}
