//! The delivery engine against real parts: an SMTP server that keeps messages, Kannel with its fake operator, and
//! a local web push service that checks VAPID and decrypts. The engine runs in the test beside the real application
//! (which receives Kannel's delivery reports): where a test is about consent and fallback it asks the application's
//! own directory (`RunningEngine::start_on_panel`); where it is about a transport, a directory of test addresses.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use chrono::Utc;
use hejnal::{
    config::Settings,
    domain::panel::{ContactKind, Purpose},
};
use hejnal_jobs::{
    Address, Channel, Content, Directory, Engine, NewBroadcast, Priority, Progress, Recipient, Resolution,
};
use tokio::sync::oneshot;

use crate::{
    dual,
    support::{
        Db, TestApp,
        kannel::Kannel,
        push_service::{Answer, PushService},
        smtp::SmtpKeeper,
        wait::within,
    },
};

/// Test addresses by recipient and channel; remembers addresses reported gone.
#[derive(Default)]
pub struct TestDirectory {
    pub entries: Mutex<HashMap<(i64, Channel), Resolution>>,
    pub gone: Mutex<Vec<i64>>,
}

impl TestDirectory {
    pub fn set(&self, id: i64, channel: Channel, r: Resolution) {
        self.entries.lock().unwrap().insert((id, channel), r);
    }
}

#[async_trait]
impl Directory for TestDirectory {
    async fn resolve(&self, _purpose: &str, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>> {
        let entries = self.entries.lock().unwrap();
        Ok(items.iter().map(|k| entries.get(k).cloned().unwrap_or(Resolution::Skip("no consent".into()))).collect())
    }
    async fn address_gone(&self, recipient_id: i64, _address: &Address) -> anyhow::Result<()> {
        self.gone.lock().unwrap().push(recipient_id);
        Ok(())
    }
}

/// A running engine with its directory; stopped gracefully by `stop`.
pub struct RunningEngine {
    pub directory: Arc<TestDirectory>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningEngine {
    pub async fn start(app: &TestApp, adjust: impl FnOnce(&mut hejnal_jobs::EngineConfig)) -> Self {
        let directory = Arc::new(TestDirectory::default());
        Self::start_with(app, directory, adjust).await
    }

    pub async fn start_with(
        app: &TestApp,
        directory: Arc<TestDirectory>,
        adjust: impl FnOnce(&mut hejnal_jobs::EngineConfig),
    ) -> Self {
        let (stop, task) = launch(app, directory.clone(), adjust).await;
        Self { directory, stop: Some(stop), task }
    }

    /// An engine that asks the application's own directory ([`hejnal::delivery::PanelDirectory`]): consent, erasure
    /// and verified addresses are checked as in service (`directory` stays empty and unused).
    pub async fn start_on_panel(app: &TestApp, adjust: impl FnOnce(&mut hejnal_jobs::EngineConfig)) -> Self {
        let (stop, task) = launch(app, hejnal::delivery::PanelDirectory::new(app.store.clone()), adjust).await;
        Self { directory: Arc::default(), stop: Some(stop), task }
    }

    /// Stops the engine gracefully; a stop that hangs fails the test.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        within("the engine's graceful stop", Duration::from_secs(60), self.task).await.unwrap().unwrap();
    }
}

async fn launch(
    app: &TestApp,
    directory: Arc<dyn Directory>,
    adjust: impl FnOnce(&mut hejnal_jobs::EngineConfig),
) -> (oneshot::Sender<()>, tokio::task::JoinHandle<anyhow::Result<()>>) {
    let keys = hejnal::delivery::keys(&app.store).await.unwrap();
    let mut config = hejnal::delivery::engine_config(&app.config, &keys);
    adjust(&mut config);
    let engine = Arc::new(Engine::new(app.store.queue_db(), config, directory).unwrap());
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(engine.run(async move {
        let _ = rx.await;
    }));
    (tx, task)
}

pub fn broadcast(key: &str, priority: Priority, channel: Channel, text: &str) -> NewBroadcast {
    NewBroadcast {
        key: key.into(),
        kind: "test".into(),
        purpose: "emergency_alerts".into(),
        priority,
        expires_at: Utc::now() + chrono::Duration::hours(2),
        topic: Some("flood-1".into()),
        contents: vec![(
            channel,
            "pl".into(),
            Content {
                subject: Some("Ostrzeżenie: wysoki stan Wisły".into()),
                text: text.into(),
                html: Some("<p>Wysoki stan <b>Wisły</b>.</p>".into()),
                url: Some("https://hejnal.example.org/alerts/1".into()),
            },
        )],
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    }
}

pub fn recipients(ids: impl IntoIterator<Item = i64>, channel: Channel) -> Vec<Recipient> {
    ids.into_iter().map(|id| Recipient { id, language: "pl".into(), channels: vec![channel], vars: None }).collect()
}

/// The queue's jobs by queue, status and lock holder, for a failure message.
pub async fn queue_snapshot(app: &TestApp) -> Vec<(String, String, Option<String>, i64, i64)> {
    let sqlite = "SELECT job_type, status, lock_by, COUNT(*), MAX(run_at) - CAST(strftime('%s', 'now') AS INTEGER) FROM Jobs GROUP BY 1, 2, 3";
    let pg = "SELECT job_type, status, lock_by, COUNT(*), CAST(MAX(EXTRACT(EPOCH FROM run_at - now())) AS BIGINT) FROM apalis.jobs GROUP BY 1, 2, 3";
    match app.store.queue_db() {
        hejnal_jobs::QueueDb::Sqlite(p) => sqlx::query_as(sqlite).fetch_all(&p).await.unwrap_or_default(),
        hejnal_jobs::QueueDb::Postgres(p) => sqlx::query_as(pg).fetch_all(&p).await.unwrap_or_default(),
    }
}

/// Polls the broadcast's progress until `done` says so (or panics after `secs`).
pub async fn wait_until(app: &TestApp, id: i64, secs: u64, done: impl Fn(&Progress) -> bool) -> Progress {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let p = hejnal_jobs::progress(&app.store.queue_db(), id, Utc::now()).await.unwrap().unwrap();
        if done(&p) {
            return p;
        }
        if std::time::Instant::now() >= deadline {
            panic!("timed out; progress: {p:?}\nqueue: {:?}", queue_snapshot(app).await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

dual!(email_through_a_real_smtp_server, sms_through_kannel_with_delivery_reports, web_push_to_the_local_push_service);

async fn email_through_a_real_smtp_server(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app =
        TestApp::spawn_without_worker(db, |s: &mut Settings| s.smtp_url = Some(hejnal::config::Secret::new(url))).await;
    let engine = RunningEngine::start(&app, |_| {}).await;
    engine.directory.set(1, Channel::Email, Resolution::Send(Address::Email("ala@example.org".into())));
    engine.directory.set(2, Channel::Email, Resolution::Send(Address::Email("bob@example.net".into())));

    let db_ = app.store.queue_db();
    let mut service = broadcast(
        "svc-1",
        Priority::Service,
        Channel::Email,
        "Przerwa w dostawie wody.\nWypisz się: {{unsubscribe_url}}",
    );
    service.contents[0].2.html =
        Some("<p>Przerwa w dostawie wody.</p><p><a href=\"{{unsubscribe_url}}\">Wypisz się</a></p>".into());
    let mut one = recipients([1], Channel::Email);
    let mut vars = serde_json::Map::new();
    vars.insert("unsubscribe_url".into(), "https://hejnal.example.org/u/tok1".into());
    one[0].vars = Some(vars);
    let s = hejnal_jobs::submit(&db_, &service, one, 100).await.unwrap();
    let e = hejnal_jobs::submit(
        &db_,
        &broadcast("em-1", Priority::Emergency, Channel::Email, "Ewakuacja."),
        recipients([2], Channel::Email),
        100,
    )
    .await
    .unwrap();

    let mails = smtp.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 2);
    let to_ala = mails.iter().find(|m| m.envelope_to == ["ala@example.org"]).expect("mail to ala");
    let to_bob = mails.iter().find(|m| m.envelope_to == ["bob@example.net"]).expect("mail to bob");
    assert_eq!(to_ala.subject.as_deref(), Some("Ostrzeżenie: wysoki stan Wisły"), "UTF-8 subject decodes");
    assert!(to_ala.message_id.as_deref().unwrap().ends_with("@hejnal.example.org"), "{:?}", to_ala.message_id);
    assert!(to_ala.date.is_some());
    assert_eq!(to_ala.from_name.as_deref(), Some("hejnał Kraków"));
    let text = to_ala.text_body.as_deref().unwrap().replace("\r\n", "\n");
    assert_eq!(text.trim(), "Przerwa w dostawie wody.\nWypisz się: https://hejnal.example.org/u/tok1");
    assert!(to_ala.html_body.as_deref().unwrap().contains("href=\"https://hejnal.example.org/u/tok1\""));
    assert_eq!(to_ala.header("List-Unsubscribe"), Some("<https://hejnal.example.org/u/tok1>"));
    assert_eq!(to_ala.header("List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
    let raw = String::from_utf8_lossy(&to_ala.raw);
    assert!(raw.contains("multipart/alternative"), "{raw}");
    // Emergencies carry no opt-out headers.
    assert_eq!(to_bob.header("List-Unsubscribe"), None);
    assert_ne!(to_ala.message_id, to_bob.message_id);

    for id in [s.broadcast_id, e.broadcast_id] {
        let p = wait_until(&app, id, 10, |p| p.done).await;
        assert_eq!(p.channels[&Channel::Email].sent, 1);
    }
    // Personal values (links, secrets) are erased once a delivery is final.
    let sql = "SELECT COUNT(*) FROM deliveries WHERE vars IS NOT NULL";
    let left: i64 = match app.store.queue_db() {
        hejnal_jobs::QueueDb::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(&p).await.unwrap(),
        hejnal_jobs::QueueDb::Postgres(p) => sqlx::query_scalar(sql).fetch_one(&p).await.unwrap(),
    };
    assert_eq!(left, 0);
    engine.stop().await;
}

async fn sms_through_kannel_with_delivery_reports(db: Db) {
    let mut kannel = Kannel::start().await;
    let url = kannel.sendsms_url();
    let app =
        TestApp::spawn_without_worker(db, |s: &mut Settings| s.sms_url = Some(hejnal::config::Secret::new(url))).await;
    let engine = RunningEngine::start(&app, |_| {}).await;
    engine.directory.set(1, Channel::Sms, Resolution::Send(Address::Phone("+48600100200".into())));
    engine.directory.set(2, Channel::Sms, Resolution::Send(Address::Phone("+48600100201".into())));
    let text = "Uwaga: zagrożenie powodziowe w Dębnikach. Udaj się na wyższe piętro.";
    let b = hejnal_jobs::submit(
        &app.store.queue_db(),
        &broadcast("sms-1", Priority::Emergency, Channel::Sms, text),
        recipients([1, 2], Channel::Sms),
        100,
    )
    .await
    .unwrap();
    kannel.wait_for(2, Duration::from_secs(20)).await;
    let got = kannel.received();
    assert_eq!(got.len(), 2, "{got:?}");
    for sms in &got {
        assert_eq!(sms.text, text);
        assert_eq!(sms.coding, "ucs-2", "Polish diacritics travel as UCS-2");
        assert_eq!(sms.from, "KRAKOW");
    }
    let mut to: Vec<&str> = got.iter().map(|s| s.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["+48600100200", "+48600100201"]);
    // The fake operator reports delivery; Kannel calls hejnał back — often before the worker has recorded the send
    // itself — and the status becomes delivered.
    for id in [b.broadcast_id] {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let p = hejnal_jobs::progress(&app.store.queue_db(), id, Utc::now()).await.unwrap().unwrap();
            if p.channels.get(&Channel::Sms).is_some_and(|c| c.delivered == 2) {
                break;
            }
            if std::time::Instant::now() > deadline {
                let log = |f: &str| std::fs::read_to_string(kannel.dir().join(f)).unwrap_or_default();
                let dlr: Vec<String> = format!("{}\n{}", log("bearerbox.log"), log("smsbox.log"))
                    .lines()
                    .filter(|l| l.to_lowercase().contains("dlr"))
                    .map(String::from)
                    .collect();
                panic!("no delivery report for broadcast {id}: {p:?}\nKannel's DLR log lines:\n{}", dlr.join("\n"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // Kannel down: the engine retries, and sends once it is back.
    kannel.stop();
    let b2 = hejnal_jobs::submit(
        &app.store.queue_db(),
        &broadcast("sms-2", Priority::Emergency, Channel::Sms, "Test 2"),
        recipients([1], Channel::Sms),
        100,
    )
    .await
    .unwrap();
    for _ in 0..150 {
        if max_attempts(&app, b2.broadcast_id).await >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let p = wait_until(&app, b2.broadcast_id, 15, |p| p.channels[&Channel::Sms].queued == 1).await;
    assert_eq!(p.channels[&Channel::Sms].sent, 0, "nothing sent while Kannel is down");
    assert!(max_attempts(&app, b2.broadcast_id).await >= 1, "a first attempt failed and was rescheduled");
    kannel.start_again().await;
    wait_until(&app, b2.broadcast_id, 30, |p| {
        p.channels[&Channel::Sms].sent + p.channels[&Channel::Sms].delivered == 1
    })
    .await;
    engine.stop().await;
}

/// The most attempts any delivery of the broadcast has had.
pub async fn max_attempts(app: &TestApp, broadcast_id: i64) -> i64 {
    let sql = "SELECT COALESCE(MAX(attempts), 0) FROM deliveries WHERE broadcast_id = $1";
    match app.store.queue_db() {
        hejnal_jobs::QueueDb::Sqlite(p) => sqlx::query_scalar(sql).bind(broadcast_id).fetch_one(&p).await.unwrap(),
        hejnal_jobs::QueueDb::Postgres(p) => sqlx::query_scalar(sql).bind(broadcast_id).fetch_one(&p).await.unwrap(),
    }
}

/// A verified resident with an email, optionally a phone, and these consents (method `import`).
async fn panel_resident(app: &TestApp, n: usize, phone: Option<&str>, consents: &[(Purpose, Channel)]) -> i64 {
    let mut contacts = vec![(ContactKind::Email, format!("push-{n}@example.org"))];
    contacts.extend(phone.map(|p| (ContactKind::Phone, p.to_string())));
    crate::panel_ledger::resident_with(&app.store, contacts, consents).await
}

/// Web push through the application's own directory: four residents with emergency consent for push, each with a
/// subscription at the verifying push service; the emergency falls back to SMS only where the ledger allows it.
async fn web_push_to_the_local_push_service(db: Db) {
    let push = PushService::start().await;
    let app = TestApp::spawn_without_worker(db, |_| {}).await;
    let engine = RunningEngine::start_on_panel(&app, |_| {}).await;
    let subs: Vec<_> = (0..4).map(|_| push.new_subscription()).collect();
    let by_push = (Purpose::EmergencyAlerts, Channel::Push);
    let by_sms = (Purpose::EmergencyAlerts, Channel::Sms);
    let mut ids = Vec::new();
    for (i, s) in subs.iter().enumerate() {
        // 2 may be reached by SMS (consent and a verified phone); 4 has a phone but no SMS consent.
        let (phone, consents) = match i {
            1 => (Some("+48600100222"), vec![by_push, by_sms]),
            3 => (Some("+48600100444"), vec![by_push]),
            _ => (None, vec![by_push]),
        };
        let id = panel_resident(&app, i, phone, &consents).await;
        app.store.add_push(id, &s.endpoint, &s.p256dh, &s.auth, "test", Utc::now()).await.unwrap();
        ids.push(id);
    }
    // 2: gone; 3: rate-limited once, then accepted; 4: payload too large.
    push.respond_with(&subs[1].id, Answer::Gone);
    push.respond_with_n(&subs[2].id, Answer::TooMany { retry_after_secs: 1 }, 1);
    push.respond_with(&subs[3].id, Answer::TooLarge);

    let mut alert = broadcast("push-1", Priority::Emergency, Channel::Push, "Wysoki stan Wisły. Unikaj bulwarów.");
    let sms = Content { text: "Wysoki stan Wisły.".into(), ..Content::default() };
    alert.contents.push((Channel::Sms, "pl".into(), sms));
    let b =
        hejnal_jobs::submit(&app.store.queue_db(), &alert, recipients(ids.clone(), Channel::Push), 100).await.unwrap();
    let p = wait_until(&app, b.broadcast_id, 30, |p| p.done).await;
    assert!(push.rejections().is_empty(), "protocol errors: {:?}", push.rejections());
    let push_counts = &p.channels[&Channel::Push];
    assert_eq!((push_counts.sent, push_counts.failed), (2, 2), "{p:?}");
    assert!(p.reasons.keys().any(|r| r == "push subscription gone"), "{:?}", p.reasons);
    assert!(p.reasons.keys().any(|r| r.contains("too large")), "{:?}", p.reasons);
    // The gone subscription is forgotten by the application; the emergency falls back to SMS for the resident who
    // consented to it, and not for the one who did not.
    assert!(app.store.list_push(ids[1]).await.unwrap().is_empty(), "the 410 subscription is removed");
    assert_eq!(app.store.list_push(ids[0]).await.unwrap().len(), 1);
    let sms_counts = &p.channels[&Channel::Sms];
    assert_eq!((sms_counts.sent, sms_counts.skipped), (1, 1), "fallback to SMS where consented: {p:?}");
    assert_eq!(p.reasons.get("no consent"), Some(&1), "{:?}", p.reasons);
    let sms_log = std::fs::read_to_string(app.db.data_dir().join("outbox/sms.log")).unwrap();
    assert!(sms_log.contains("to=+48600100222") && !sms_log.contains("+48600100444"), "{sms_log}");

    let first = &push.received(&subs[0].id)[0];
    let payload: serde_json::Value = serde_json::from_slice(&first.plaintext).unwrap();
    assert_eq!(payload["body"], "Wysoki stan Wisły. Unikaj bulwarów.");
    assert_eq!(payload["url"], "https://hejnal.example.org/alerts/1");
    assert_eq!(first.urgency.as_deref(), Some("high"));
    assert_eq!(first.topic.as_deref(), Some("flood-1"));
    assert!(first.ttl > 7000 && first.ttl <= 7200, "TTL follows the expiry: {}", first.ttl);
    assert_eq!(first.vapid_sub, app.config.vapid_subject);
    assert_eq!(push.received(&subs[2].id).len(), 1, "accepted after the 429");
    assert_eq!(push.attempts(&subs[2].id), 2);
    engine.stop().await;
}
