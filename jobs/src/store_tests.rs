//! The engine's SQL for quiet hours, claiming and reaping, on an in-memory SQLite database with the application's
//! migrations (fast enough for `cargo mutants`; the integration tests run the same on PostgreSQL).

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::{
    QueueDb,
    model::Priority,
    testkit::{at, broadcast, db},
};

async fn due(db: &QueueDb, now: DateTime<Utc>) -> Vec<SendBatch> {
    due_batches(db, now, false, Duration::zero(), 100).await.unwrap()
}

async fn held_rows(db: &QueueDb) -> i64 {
    with_pool!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM held_batches").fetch_one(pool).await.unwrap())
}

#[tokio::test]
async fn a_batch_is_held_once_and_released_once() {
    let db = db().await;
    let id = broadcast(&db, "water", Priority::Service, 4, 2).await;
    let now = Utc::now() + Duration::seconds(1);
    let until = now + Duration::hours(9);
    let job = SendBatch { broadcast_id: id, batch: 0 };
    assert_eq!(due(&db, now).await.len(), 2, "both batches due before anything is held");
    assert!(hold(&db, job, until, now).await.unwrap(), "the first hold marks");
    assert!(!hold(&db, job, until, now).await.unwrap(), "a second hold finds the mark");
    assert!(!hold(&db, job, until + Duration::hours(1), now + Duration::hours(3)).await.unwrap(), "still held");
    assert_eq!(held_rows(&db).await, 1);
    assert_eq!(due(&db, now).await, [SendBatch { broadcast_id: id, batch: 1 }], "a held batch is not due");
    assert!(release_held(&db, until - Duration::seconds(1)).await.unwrap().is_empty(), "not before its time");
    assert_eq!(release_held(&db, until).await.unwrap(), [(job, Priority::Service)], "released at its time");
    assert!(release_held(&db, until).await.unwrap().is_empty(), "and only once");
    assert_eq!(held_rows(&db).await, 0);
    assert_eq!(due(&db, until).await.len(), 2, "due again once released");
}

#[tokio::test]
async fn a_mark_whose_time_passed_is_renewed() {
    let db = db().await;
    let id = broadcast(&db, "water", Priority::Service, 1, 1).await;
    let job = SendBatch { broadcast_id: id, batch: 0 };
    let night = at("2030-01-01T20:00:00Z");
    assert!(hold(&db, job, night + Duration::hours(10), night).await.unwrap());
    // The next night, before the sweep released yesterday's mark: the batch is held again, with the new end.
    let next = night + Duration::days(1);
    assert!(hold(&db, job, next + Duration::hours(10), next).await.unwrap());
    let until: DateTime<Utc> = with_pool!(&db, |pool| {
        sqlx::query_scalar("SELECT held_until FROM held_batches").fetch_one(pool).await.unwrap()
    });
    assert_eq!(until, next + Duration::hours(10));
}

#[tokio::test]
async fn service_is_released_before_surveys_and_surveys_wait_for_it() {
    let db = db().await;
    // The survey is older: priority, not age, decides.
    let survey = broadcast(&db, "survey", Priority::Survey, 2, 1).await;
    let service = broadcast(&db, "service", Priority::Service, 2, 1).await;
    let now = Utc::now() + Duration::seconds(1);
    let until = now + Duration::hours(1);
    for (id, batch) in [(survey, 0), (survey, 1), (service, 0), (service, 1)] {
        assert!(hold(&db, SendBatch { broadcast_id: id, batch }, until, now).await.unwrap());
    }
    let first = release_held(&db, until).await.unwrap();
    assert_eq!(first.iter().map(|(j, _)| j.broadcast_id).collect::<Vec<_>>(), [service, service]);
    assert!(first.iter().all(|(_, p)| *p == Priority::Service));
    assert!(release_held(&db, until).await.unwrap().is_empty(), "surveys wait while service rows are due");
    let due_now = due(&db, until).await;
    assert_eq!(due_now.iter().map(|j| j.broadcast_id).collect::<Vec<_>>(), [service, service], "{due_now:?}");
    // Service sent: now the surveys leave.
    for job in due_now {
        let rows = claim(&db, job, "w", until).await.unwrap();
        finish(&db, &rows.iter().map(|r| Finished::Sent(r.id)).collect::<Vec<_>>(), until).await.unwrap();
    }
    let second = release_held(&db, until).await.unwrap();
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|(j, p)| j.broadcast_id == survey && *p == Priority::Survey));
}

#[tokio::test]
async fn due_batches_come_most_urgent_first() {
    let db = db().await;
    let survey = broadcast(&db, "survey", Priority::Survey, 1, 1).await;
    let service = broadcast(&db, "service", Priority::Service, 1, 1).await;
    let now = Utc::now() + Duration::seconds(1);
    let order: Vec<i64> = due(&db, now).await.iter().map(|j| j.broadcast_id).collect();
    assert_eq!(order, [service, survey]);
    // The non-emergency sweep waits `min_age` for the queue to take young broadcasts.
    assert!(due_batches(&db, now, false, Duration::hours(1), 100).await.unwrap().is_empty());
    assert!(due_batches(&db, now, true, Duration::zero(), 100).await.unwrap().is_empty(), "no emergencies");
}

#[tokio::test]
async fn claim_takes_due_queued_rows_once() {
    let db = db().await;
    let id = broadcast(&db, "water", Priority::Service, 3, 10).await;
    let job = SendBatch { broadcast_id: id, batch: 0 };
    let now = Utc::now() + Duration::seconds(1);
    let rows = claim(&db, job, "w1", now).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.attempts == 1));
    assert!(claim(&db, job, "w2", now).await.unwrap().is_empty(), "claimed rows are not claimed again");
    // One retried later, one released: only the released one is due now.
    let retry_at = now + Duration::minutes(5);
    let done = [
        Finished::Retry { id: rows[0].id, not_before: retry_at, reason: "busy".into() },
        Finished::Release(rows[1].id),
        Finished::Sent(rows[2].id),
    ];
    finish(&db, &done, now).await.unwrap();
    let again = claim(&db, job, "w2", now).await.unwrap();
    assert_eq!(again.iter().map(|r| r.id).collect::<Vec<_>>(), [rows[1].id]);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(next_due(&db, job).await.unwrap(), Some(retry_at));
    assert!(claim(&db, job, "w2", retry_at - Duration::seconds(1)).await.unwrap().is_empty());
    assert_eq!(claim(&db, job, "w2", retry_at).await.unwrap().len(), 1, "due at its time");
}

#[tokio::test]
async fn the_reaper_returns_a_dead_workers_rows_and_flags_what_was_on_the_wire() {
    let db = db().await;
    let id = broadcast(&db, "water", Priority::Service, 3, 10).await;
    let job = SendBatch { broadcast_id: id, batch: 0 };
    let t0 = Utc::now();
    register_worker(&db, "dead", t0).await.unwrap();
    register_worker(&db, "alive", t0).await.unwrap();
    let rows = claim(&db, job, "dead", t0).await.unwrap();
    mark_sending(&db, &[rows[0].id]).await.unwrap();
    heartbeat(&db, "alive", t0 + Duration::seconds(20), false).await.unwrap();
    // Not yet silent long enough: nothing happens.
    assert!(reap(&db, t0 - Duration::seconds(1), t0).await.unwrap().is_empty());
    let back = reap(&db, t0 + Duration::seconds(10), t0 + Duration::seconds(20)).await.unwrap();
    assert_eq!(back, [(job, Priority::Service)], "one job for the batch");
    let (queued, flagged): (i64, i64) = with_pool!(&db, |pool| {
        sqlx::query_as(
            "SELECT SUM(CASE WHEN status = 'queued' AND claimed_by IS NULL THEN 1 ELSE 0 END), \
             SUM(CASE WHEN possible_duplicate THEN 1 ELSE 0 END) FROM deliveries",
        )
        .fetch_one(pool)
        .await
        .unwrap()
    });
    assert_eq!((queued, flagged), (3, 1), "all back; the one on the wire flagged");
    assert!(reap(&db, t0 + Duration::seconds(10), t0 + Duration::seconds(21)).await.unwrap().is_empty(), "once");
}
