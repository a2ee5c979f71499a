//! The storage suite: written once, run against SQLite and PostgreSQL through the storage interface.

use chrono::{Duration, Utc};
use hejnal::{
    domain::{
        Email, Role,
        audit::{AuditAction, NewAuditEntry},
        district,
        official::hash_password,
    },
    storage::{self, Backend, DynStorage, NewOfficial, SessionLookup, StoreError},
};

use crate::{
    dual,
    support::{Db, TestDb},
};

dual!(
    officials_and_roles,
    sessions_expire_and_slide,
    api_tokens_expire_and_revoke,
    audit_log_is_append_only,
    districts_load_once,
    migrations_are_idempotent,
    feed_items_are_claimed_once_and_a_crashed_claim_is_retried,
    a_batch_of_reports_is_filed_in_order_and_finds_its_own_duplicates,
    a_report_the_database_refuses_fails_only_itself_in_a_batch
);

async fn open(db: Db) -> (TestDb, DynStorage) {
    let test_db = TestDb::new(db).await;
    let store = storage::connect(&test_db.url, None).await.expect("storage opens");
    assert_eq!(store.backend(), if db == Db::Sqlite { Backend::Sqlite } else { Backend::Postgres });
    (test_db, store)
}

fn new_official(email: &str, roles: &[Role]) -> NewOfficial {
    NewOfficial {
        email: Email::parse(email).unwrap(),
        name: email.into(),
        password_hash: hash_password("a long passphrase").unwrap(),
        roles: roles.to_vec(),
    }
}

async fn officials_and_roles(db: Db) {
    let (_db, store) = open(db).await;
    let id =
        store.create_official(&new_official("ala@krakow.example.org", &[Role::Editor, Role::Admin])).await.unwrap();
    assert!(matches!(
        store.create_official(&new_official("ala@krakow.example.org", &[])).await,
        Err(StoreError::Duplicate)
    ));
    let o = store.official(id).await.unwrap().unwrap();
    assert_eq!(o.roles, [Role::Admin, Role::Editor], "roles come back sorted");
    assert!(o.active);
    let (found, hash) =
        store.official_credentials(&Email::parse("ALA@krakow.example.org").unwrap()).await.unwrap().unwrap();
    assert_eq!(found.id, id);
    assert!(hash.starts_with("$argon2id$"));
    assert!(store.set_roles(id, &[Role::Analyst]).await.unwrap());
    assert!(!store.set_roles(9999, &[Role::Analyst]).await.unwrap());
    assert_eq!(store.official(id).await.unwrap().unwrap().roles, [Role::Analyst]);
    let other = store.create_official(&new_official("bob@krakow.example.org", &[])).await.unwrap();
    let all = store.list_officials().await.unwrap();
    assert_eq!(all.iter().map(|o| o.id).collect::<Vec<_>>(), [id, other]);
    assert_eq!(store.count_officials().await.unwrap(), 2);
    assert!(store.official(12345).await.unwrap().is_none());
}

async fn sessions_expire_and_slide(db: Db) {
    let (_db, store) = open(db).await;
    let id = store.create_official(&new_official("ala@krakow.example.org", &[Role::Admin])).await.unwrap();
    let now = Utc::now();
    store.create_session("h1", id, now + Duration::minutes(10)).await.unwrap();
    let later = now + Duration::minutes(5);
    match store.official_session("h1", later, later + Duration::minutes(10)).await.unwrap() {
        SessionLookup::Active(o) => assert_eq!(o.id, id),
        other => panic!("expected active, got {other:?}"),
    }
    // The expiry slid to later + 10 min: still active at now + 12 min.
    let t = now + Duration::minutes(12);
    assert!(matches!(store.official_session("h1", t, t).await.unwrap(), SessionLookup::Active(_)));
    // At its (not slid) expiry `t`, the session is gone and reported as expired, once.
    let t2 = t + Duration::seconds(1);
    assert!(matches!(store.official_session("h1", t2, t2).await.unwrap(), SessionLookup::Expired));
    assert!(matches!(store.official_session("h1", t2, t2).await.unwrap(), SessionLookup::Unknown));
    // Deactivating an official ends their sessions.
    store.create_session("h2", id, now + Duration::hours(1)).await.unwrap();
    assert!(store.set_active(id, false, now).await.unwrap());
    assert!(matches!(store.official_session("h2", now, now).await.unwrap(), SessionLookup::Unknown));
}

async fn api_tokens_expire_and_revoke(db: Db) {
    let (_db, store) = open(db).await;
    let id = store.create_official(&new_official("ala@krakow.example.org", &[Role::Analyst])).await.unwrap();
    let now = Utc::now();
    let forever = store.create_api_token(id, "forever", "t1", now, None).await.unwrap();
    store.create_api_token(id, "short", "t2", now, Some(now + Duration::days(1))).await.unwrap();
    assert_eq!(store.official_by_token("t1", now).await.unwrap().unwrap().id, id);
    assert!(store.official_by_token("t2", now + Duration::days(2)).await.unwrap().is_none(), "expired");
    assert!(store.official_by_token("nope", now).await.unwrap().is_none());
    let listed = store.list_api_tokens().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().find(|t| t.id == forever).unwrap().last_used_at.is_some());
    assert!(store.revoke_api_token(forever, now).await.unwrap());
    assert!(!store.revoke_api_token(forever, now).await.unwrap(), "revoking twice changes nothing");
    assert!(store.official_by_token("t1", now).await.unwrap().is_none());
    // A deactivated official's tokens stop working.
    store.create_api_token(id, "third", "t3", now, None).await.unwrap();
    store.set_active(id, false, now).await.unwrap();
    assert!(store.official_by_token("t3", now).await.unwrap().is_none());
}

async fn audit_log_is_append_only(db: Db) {
    let (_db, store) = open(db).await;
    let id = store.create_official(&new_official("ala@krakow.example.org", &[Role::Admin])).await.unwrap();
    for action in [AuditAction::Login, AuditAction::TokenCreated, AuditAction::Logout] {
        store
            .append_audit(
                &NewAuditEntry::new(Some(id), action).subject("official:1").detail(serde_json::json!({"n": 1})),
                Utc::now(),
            )
            .await
            .unwrap();
    }
    let entries = store.list_audit(2, None).await.unwrap();
    assert_eq!(entries.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["logout", "token_created"]);
    assert_eq!(entries[0].actor_name.as_deref(), Some("ala@krakow.example.org"));
    let older = store.list_audit(10, Some(entries[1].id)).await.unwrap();
    assert_eq!(older.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["login"]);
    // The database refuses to rewrite history, whatever code asks.
    let (update, delete) = match store.queue_db() {
        hejnal_jobs::QueueDb::Sqlite(p) => (
            sqlx::query("UPDATE audit_log SET action = 'x'").execute(&p).await.is_err(),
            sqlx::query("DELETE FROM audit_log").execute(&p).await.is_err(),
        ),
        hejnal_jobs::QueueDb::Postgres(p) => (
            sqlx::query("UPDATE audit_log SET action = 'x'").execute(&p).await.is_err(),
            sqlx::query("DELETE FROM audit_log").execute(&p).await.is_err(),
        ),
    };
    assert!(update && delete, "UPDATE refused: {update}, DELETE refused: {delete}");
    assert_eq!(store.list_audit(10, None).await.unwrap().len(), 3);
}

async fn districts_load_once(db: Db) {
    let (_db, store) = open(db).await;
    let krakow = district::parse_csv(district::KRAKOW_CSV).unwrap();
    assert_eq!(store.seed_districts(&krakow).await.unwrap(), 18);
    assert_eq!(store.seed_districts(&krakow).await.unwrap(), 0);
    let loaded = store.list_districts().await.unwrap();
    assert_eq!(loaded, krakow);
}

async fn migrations_are_idempotent(db: Db) {
    let (test_db, store) = open(db).await;
    store.create_official(&new_official("ala@krakow.example.org", &[])).await.unwrap();
    store.close().await;
    // A restart applies nothing twice and keeps the data (the queue's migrations live in their own table).
    let again = storage::connect(&test_db.url, None).await.expect("second start");
    assert_eq!(again.count_officials().await.unwrap(), 1);
    again.queue_ping().await.unwrap();
}

async fn feed_items_are_claimed_once_and_a_crashed_claim_is_retried(db: Db) {
    let (_db, store) = open(db).await;
    let (key, feed) = ("https://warnings.example.org/cap/1.xml", "https://warnings.example.org/feed.atom");
    let t0 = Utc::now();
    assert!(!store.feed_item_known(key, t0).await.unwrap());
    assert!(store.claim_feed_item(key, feed, t0).await.unwrap(), "the first claim wins");
    assert!(!store.claim_feed_item(key, feed, t0 + Duration::minutes(1)).await.unwrap(), "a second does not");
    assert!(store.feed_item_known(key, t0 + Duration::minutes(1)).await.unwrap());
    // Its process died before finishing: after ten minutes the claim may be taken again, once.
    let later = t0 + Duration::minutes(11);
    assert!(!store.feed_item_known(key, later).await.unwrap());
    assert!(store.claim_feed_item(key, feed, later).await.unwrap());
    assert!(!store.claim_feed_item(key, feed, later).await.unwrap());
    store.finish_feed_item(key, None, "refused: test").await.unwrap();
    // A finished item stays known for good.
    assert!(store.feed_item_known(key, t0 + Duration::days(30)).await.unwrap());
    assert!(!store.claim_feed_item(key, feed, t0 + Duration::days(30)).await.unwrap());
    let items = store.feed_items(10).await.unwrap();
    assert_eq!((items.len(), items[0].outcome.as_str()), (1, "refused: test"));
}

fn new_report(service: &str, fingerprint: &str) -> storage::desk::NewReport {
    let now = Utc::now();
    storage::desk::NewReport {
        service_code: service.into(),
        unit: "ZZM".into(),
        description: format!("report {fingerprint}"),
        lat: 50.06,
        lon: 19.94,
        address: None,
        public: false,
        lang: "pl",
        contact: None,
        consent: None,
        token: format!("rq_{fingerprint}_{}", now.timestamp_nanos_opt().unwrap()),
        fingerprint: fingerprint.into(),
        due_on: now.date_naive(),
        attributes: vec![],
        photos: vec![],
        district: Some(3),
        created_at: now,
        duplicate_since: now - Duration::minutes(10),
    }
}

async fn desk_store(db: Db) -> (TestDb, DynStorage, String) {
    let (test_db, store) = open(db).await;
    hejnal::desk::catalogue::seed(&store).await.unwrap();
    let service = store.catalogue().await.unwrap().services[0].clone();
    (test_db, store, service.code)
}

async fn a_batch_of_reports_is_filed_in_order_and_finds_its_own_duplicates(db: Db) {
    let (_db, store, service) = desk_store(db).await;
    let batch = [new_report(&service, "f-b"), new_report(&service, "f-a"), new_report(&service, "f-b")];
    let filed = store.file_reports(&batch).await.unwrap();
    assert_eq!(filed.len(), 3);
    assert!(!filed[0].duplicate && !filed[1].duplicate && filed[2].duplicate, "{filed:?}");
    assert!(filed[0].id < filed[1].id, "filed in the batch's order");
    assert_eq!((filed[2].id, &filed[2].token), (filed[0].id, &filed[0].token), "the third is the first again");
    let first = store.report(filed[0].id).await.unwrap().unwrap();
    assert_eq!(first.history.len(), 1, "its first history entry");
    // The same fingerprint in a later batch is still found; the district is stored with the report.
    let again = store.file_reports(&[new_report(&service, "f-a")]).await.unwrap();
    assert_eq!((again[0].id, again[0].duplicate), (filed[1].id, true));
    assert_eq!(store.report(filed[1].id).await.unwrap().unwrap().district, Some(3));
}

async fn a_report_the_database_refuses_fails_only_itself_in_a_batch(db: Db) {
    let (_db, store, service) = desk_store(db).await;
    // One transaction: a service that does not exist (a foreign key) refuses the whole batch, nothing is stored.
    let batch = [new_report(&service, "g-1"), new_report("NO-SUCH-SERVICE", "g-2"), new_report(&service, "g-3")];
    assert!(store.file_reports(&batch).await.is_err());
    assert!(!store.file_reports(&[new_report(&service, "g-1")]).await.unwrap()[0].duplicate, "g-1 was not stored");
    // Through the filer the refused report fails alone, whether or not it shared a batch with the others.
    let filer = hejnal::core::filings::ReportFiler::start(store.clone());
    let jobs = ["h-1", "h-2", "h-3", "h-4", "h-5", "h-6"].map(|f| {
        let filer = filer.clone();
        let report = new_report(if f == "h-3" { "NO-SUCH-SERVICE" } else { &service }, f);
        tokio::spawn(async move { filer.file(report).await })
    });
    let mut results = Vec::new();
    for j in jobs {
        results.push(j.await.unwrap());
    }
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r.is_err(), i == 2, "report {i}: {r:?}");
    }
    let ids: std::collections::BTreeSet<i64> = results.iter().flatten().map(|f| f.id).collect();
    assert_eq!(ids.len(), 5, "five distinct reports filed");
}
