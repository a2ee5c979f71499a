//! Waiting in tests: every wait has a limit and says what it waited for; "nothing happened" is asserted only after
//! a positive sign that the work ran.

use std::{future::Future, time::Duration};

/// Polls `check` until it returns `Some`, or fails the test naming `what` once `limit` has passed.
pub async fn poll_until<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        if tokio::time::Instant::now() >= deadline {
            panic!("timed out after {limit:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A future that must finish within `limit` (a shutdown that hangs fails the test instead of hanging the suite).
pub async fn within<T>(what: &str, limit: Duration, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| panic!("{what} did not finish within {limit:?}"))
}

/// Waits for a child process to exit, for at most `limit` (then kills it and fails the test).
pub async fn child_exit(child: &mut std::process::Child, what: &str, limit: Duration) -> std::process::ExitStatus {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            return status;
        }
        if tokio::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not exit within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the delivery engine's sweep of `app`'s database has looked at the queue `n` more times: the
/// positive sign that anything wrongly queued would have been sent by now (the sweep runs every 2 s).
pub async fn sweeps(app: &super::TestApp, n: usize) {
    let sql = "SELECT MAX(swept_at) FROM delivery_workers WHERE stopped_at IS NULL";
    let read = || async {
        match app.store.queue_db() {
            hejnal_jobs::QueueDb::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(&p).await.unwrap(),
            hejnal_jobs::QueueDb::Postgres(p) => sqlx::query_scalar(sql).fetch_one(&p).await.unwrap(),
        }
    };
    let mut seen: Option<chrono::DateTime<chrono::Utc>> = read().await;
    for _ in 0..n {
        let before = seen;
        let at = poll_until("the delivery sweep to run", Duration::from_secs(15), || async {
            read().await.filter(|at| Some(*at) > before)
        })
        .await;
        seen = Some(at);
    }
}

/// Waits until the background loop `which` of `app` has completed `n` more rounds than when called — with `n = 2`,
/// at least one whole round began after the caller's last action: the positive sign that the loop has looked.
pub async fn rounds(app: &super::TestApp, which: hejnal::telemetry::Loop, n: u64) {
    let target = app.config.rounds.completed(which) + n;
    poll_until(&format!("{n} rounds of the {which:?} loop"), Duration::from_secs(30), || async {
        (app.config.rounds.completed(which) >= target).then_some(())
    })
    .await;
}
