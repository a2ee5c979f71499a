//! The consent ledger: append-only in the database, its derived current state equal to the ledger's latest events,
//! and every send path asking it at send time (a message queued before a withdrawal is not sent after it).

use std::time::Duration;

use chrono::Utc;
use hejnal::{
    app::{self, RunOptions},
    config::Config,
    delivery,
    domain::panel::{Channel, ConsentMethod, ContactKind, Purpose},
    storage::{DynStorage, NewResident},
};
use hejnal_jobs::{Content, NewBroadcast, Priority, Recipient};

use crate::{
    dual,
    panel::tables_containing,
    support::{Db, TestApp, TestDb, settings_for},
};

dual!(ten_changes_make_ten_events_and_the_ledger_is_append_only, a_message_queued_before_a_withdrawal_is_not_sent);

/// A verified resident with one email and these consents, as an import would create them.
pub async fn resident(store: &DynStorage, email: &str, consents: &[(Purpose, Channel)]) -> i64 {
    resident_with(store, vec![(ContactKind::Email, email.into())], consents).await
}

/// A verified, imported resident with these contact points and consents.
pub async fn resident_with(
    store: &DynStorage,
    contacts: Vec<(ContactKind, String)>,
    consents: &[(Purpose, Channel)],
) -> i64 {
    let new = NewResident {
        language: "pl".into(),
        home_district: 5,
        other_districts: vec![],
        age_band: None,
        interests: vec![],
        contacts,
        consents: consents.to_vec(),
        method: ConsentMethod::Import,
        notice_version: 1,
        verified: true,
        legal_basis: Some("test".into()),
    };
    store.create_resident(&new, Utc::now()).await.unwrap().expect("new contact").id
}

async fn ten_changes_make_ten_events_and_the_ledger_is_append_only(db: Db) {
    let app = TestApp::spawn(db).await;
    let store = &app.store;
    let rid = resident(store, "ledger@example.org", &[]).await;
    let changes = [
        (Purpose::Surveys, Channel::Email, true),
        (Purpose::Surveys, Channel::Email, false),
        (Purpose::EmergencyAlerts, Channel::Sms, true),
        (Purpose::Surveys, Channel::Email, true),
        (Purpose::ServiceAnnouncements, Channel::Push, true),
        (Purpose::EmergencyAlerts, Channel::Sms, false),
        (Purpose::ProfileDemographics, Channel::Email, true),
        (Purpose::ServiceAnnouncements, Channel::Push, false),
        (Purpose::EmergencyAlerts, Channel::Sms, true),
        (Purpose::ServiceAnnouncements, Channel::Email, true),
    ];
    for (i, change) in changes.iter().enumerate() {
        let method = if i % 2 == 0 { ConsentMethod::Web } else { ConsentMethod::Admin };
        store.record_consents(rid, &[*change], 1, method, Utc::now()).await.unwrap();
    }
    let history = store.consent_history(rid).await.unwrap();
    assert_eq!(history.len(), 10);

    // The current state: the ledger's latest event per (purpose, channel).
    let mut derived: Vec<(String, String, bool)> = Vec::new();
    for e in &history {
        derived.retain(|(p, c, _)| !(p == &e.purpose && c == &e.channel));
        derived.push((e.purpose.clone(), e.channel.clone(), e.granted));
    }
    derived.sort();
    assert_eq!(store.current_consents(rid).await.unwrap(), derived);
    let granted: Vec<_> = derived.iter().filter(|d| d.2).map(|(p, c, _)| format!("{p}/{c}")).collect();
    assert_eq!(
        granted,
        ["emergency_alerts/sms", "profile_demographics/email", "service_announcements/email", "surveys/email"]
    );

    // The same derivation in SQL, over every resident: the derived table equals it exactly.
    let derivation = "SELECT resident_id, purpose, channel, granted FROM consent_events e WHERE id = \
        (SELECT MAX(id) FROM consent_events l WHERE l.resident_id = e.resident_id AND l.purpose = e.purpose \
        AND l.channel = e.channel) ORDER BY 1, 2, 3";
    let current = "SELECT resident_id, purpose, channel, granted FROM consent_current ORDER BY 1, 2, 3";
    match db {
        Db::Sqlite => {
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.db.url).await.unwrap();
            let a: Vec<(i64, String, String, bool)> = sqlx::query_as(derivation).fetch_all(&mut conn).await.unwrap();
            let b: Vec<(i64, String, String, bool)> = sqlx::query_as(current).fetch_all(&mut conn).await.unwrap();
            assert_eq!(a, b);
            for sql in ["UPDATE consent_events SET granted = TRUE", "DELETE FROM consent_events"] {
                refused(sqlx::query(sql).execute(&mut conn).await);
            }
        }
        Db::Postgres => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&app.db.url).await.unwrap();
            let a: Vec<(i64, String, String, bool)> = sqlx::query_as(derivation).fetch_all(&mut conn).await.unwrap();
            let b: Vec<(i64, String, String, bool)> = sqlx::query_as(current).fetch_all(&mut conn).await.unwrap();
            assert_eq!(a, b);
            for sql in
                ["UPDATE consent_events SET granted = TRUE", "DELETE FROM consent_events", "TRUNCATE consent_events"]
            {
                refused(sqlx::query(sql).execute(&mut conn).await);
            }
        }
    }
    assert_eq!(store.consent_history(rid).await.unwrap().len(), 10, "still ten events");
    app.stop().await;
}

fn refused<T>(r: Result<T, sqlx::Error>) {
    match r {
        Err(e) => assert!(e.to_string().contains("append-only"), "{e}"),
        Ok(_) => panic!("the database let the ledger be rewritten"),
    }
}

/// Waits until the delivery for this resident has a final status; returns (status, reason).
async fn outcome(store: &DynStorage, resident: i64) -> (String, Option<String>) {
    for _ in 0..300 {
        let d = hejnal_jobs::recipient_deliveries(&store.queue_db(), resident).await.unwrap();
        if let Some(d) =
            d.iter().find(|d| d.kind == "announcement" && !["queued", "sending"].contains(&d.status.as_str()))
        {
            return (d.status.clone(), d.reason.clone());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the announcement to resident {resident} never finished");
}

async fn a_message_queued_before_a_withdrawal_is_not_sent(db: Db) {
    // The database is prepared and the broadcast queued before any worker runs.
    let test_db = std::sync::Arc::new(TestDb::new(db).await);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = settings_for(&test_db);
    settings.bind = addr.to_string();
    settings.public_url = Some(format!("http://{addr}/"));
    settings.delivery.quiet_hours = String::new();
    let config = Config::from_settings(settings).unwrap();
    let store = app::prepare(&config).await.unwrap();
    let keys = delivery::keys(&store).await.unwrap();

    let service = (Purpose::ServiceAnnouncements, Channel::Email);
    let stays = resident(&store, "stays@example.org", &[service]).await;
    let leaves = resident(&store, "leaves@example.org", &[service]).await;
    let erased = resident(&store, "erased@example.org", &[service]).await;
    let broadcast = NewBroadcast {
        key: "announcement-1".into(),
        kind: "announcement".into(),
        purpose: Purpose::ServiceAnnouncements.as_str().into(),
        priority: Priority::Service,
        expires_at: Utc::now() + chrono::Duration::hours(1),
        topic: None,
        contents: vec![(
            Channel::Email,
            "pl".into(),
            Content {
                subject: Some("Remont".into()),
                text: "Remont ulicy. Wypisz się: {{unsubscribe_url}}".into(),
                html: None,
                url: None,
            },
        )],
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    };
    let recipients = [stays, leaves, erased].map(|id| Recipient {
        id,
        language: "pl".into(),
        channels: vec![Channel::Email],
        vars: Some(delivery::unsubscribe_vars(&config, &keys, id, service.0, service.1)),
    });
    hejnal_jobs::submit(&store.queue_db(), &broadcast, recipients, 1).await.unwrap();

    // After queueing: one resident withdraws, one is erased.
    store.record_consents(leaves, &[(service.0, service.1, false)], 1, ConsentMethod::Web, Utc::now()).await.unwrap();
    store.erase_resident(erased, Utc::now()).await.unwrap();

    // Now the worker runs.
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(app::run(
        config,
        store.clone(),
        listener,
        async move {
            let _ = rx.await;
        },
        RunOptions { embedded_worker: true },
    ));
    assert_eq!(outcome(&store, stays).await, ("sent".into(), None));
    assert_eq!(outcome(&store, leaves).await, ("skipped".into(), Some("consent withdrawn".into())));
    assert_eq!(outcome(&store, erased).await, ("skipped".into(), Some("erased".into())));

    // Only the resident who stayed got the email, with RFC 8058 one-click headers; the link withdraws for real.
    let dir = test_db.data_dir().join("outbox/email");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).collect();
    assert_eq!(files.len(), 1);
    let raw = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(raw.contains("stays@example.org") && !raw.contains("leaves@example.org"));
    assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{raw}");
    let header = raw.lines().find(|l| l.starts_with("List-Unsubscribe: <")).expect("List-Unsubscribe header");
    let url = header.trim_start_matches("List-Unsubscribe: <").trim_end_matches('>');
    assert!(url.starts_with(&format!("http://{addr}/u/")), "{url}");
    // Opening the link (a GET, as mail scanners and link previews do) only shows the page: the consent stands.
    let page = reqwest::Client::new().get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form"), "the page asks for the click");
    let granted = store.consent_history(stays).await.unwrap().pop().unwrap();
    assert_eq!((granted.purpose.as_str(), granted.granted), ("service_announcements", true), "GET withdrew nothing");
    let res = reqwest::Client::new().post(url).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let last = store.consent_history(stays).await.unwrap().pop().unwrap();
    assert_eq!(
        (last.purpose.as_str(), last.granted, last.method.as_str()),
        ("service_announcements", false, "unsubscribe")
    );
    let tampered = format!("{}x", url);
    assert_eq!(reqwest::Client::new().post(&tampered).send().await.unwrap().status(), 404);

    // The erased resident's address is nowhere (the ledger keeps only the id).
    assert!(tables_containing(&test_db.url, db, "erased@example.org").await.is_empty());
    let _ = tx.send(());
    handle.await.unwrap().unwrap();
}
