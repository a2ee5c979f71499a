//! `hejnal worker`: the delivery engine and the background loops, started from the core alone. It hands a scheduled
//! announcement to the engine (which renders and delivers it) without building anything of the web: the pages'
//! templates are never loaded there, while `hejnal serve` loads them (the control that makes the absence mean
//! something).

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::Utc;
use hejnal::{
    config::{Secret, Settings},
    domain::{
        Role,
        panel::{Channel, Purpose},
    },
};
use serde_json::json;

use crate::{
    alerts::api,
    alerts_service::resident,
    dual,
    support::{Db, TestDb, smtp::SmtpKeeper},
};

dual!(worker_runs_the_background_loops_without_the_web);

/// The line `Templates::load` logs when a process builds the web's pages.
const PAGES_LOADED: &str = "page templates loaded";

/// A `hejnal` process on the test's database, its log lines collected as they come.
struct Process {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn start(db: &TestDb, smtp: &str, args: &[&str]) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hejnal"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HEJNAL_DATABASE_URL", &db.url)
            .env("HEJNAL_DATA_DIR", db.data_dir())
            .env("HEJNAL_SMTP_URL", smtp)
            .env("HEJNAL_BIND", "127.0.0.1:0")
            .env("HEJNAL_LOG_FILTER", "info")
            .env("HEJNAL_DELIVERY__QUIET_HOURS", "")
            .current_dir(db.data_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("hejnal starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let out = child.stdout.take().unwrap();
        let keep = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                keep.lock().unwrap().push(line);
            }
        });
        Process { child, lines }
    }

    fn log(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    async fn wait_for_line(&self, needle: &str) {
        let started = Instant::now();
        while !self.log().contains(needle) {
            assert!(started.elapsed() < Duration::from_secs(30), "no \"{needle}\" in the log:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Killed (a process that may not have installed its signal handler yet).
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and the exit status must be a clean one.
    fn stop(mut self) -> String {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "stopped by SIGTERM, it exits cleanly: {status:?}\n{}", self.log());
        self.log()
    }
}

async fn worker_runs_the_background_loops_without_the_web(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = crate::support::TestApp::spawn_with(db, |s: &mut Settings| s.smtp_url = Some(Secret::new(url))).await;
    resident(&app, "follows@example.org", 1, &["water_utilities"], &[(Purpose::ServiceAnnouncements, Channel::Email)])
        .await;
    let (official, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    let token = app.token_for(official).await;
    let body = json!({
        "kind": "service", "topic": "water_utilities", "scheduled": (Utc::now() + chrono::Duration::seconds(5)).to_rfc3339(),
        "info": {"pl": {"headline": "Przerwa w dostawie wody", "instruction": "Zrób zapas wody."}},
        "area": {"description": "Stare Miasto", "districts": [1]}
    });
    let (status, drafted) = api(&app, &token, "POST", "/api/v1/alerts", Some(body)).await;
    assert_eq!(status, 201, "{drafted}");
    let id = drafted["id"].as_i64().unwrap();
    let (status, approved) = api(&app, &token, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "scheduled");
    // The web goes away before the announcement is due: only the worker process can hand it over.
    let (db, store) = (app.db.clone(), app.store.clone());
    app.stop().await;

    let worker = Process::start(&db, &smtp.url(), &["worker"]);
    worker.wait_for_line("background loops started").await;
    let mail = smtp.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].envelope_to, vec!["follows@example.org".to_string()]);
    assert_eq!(mail[0].subject.as_deref(), Some("Przerwa w dostawie wody"));
    assert_eq!(store.alert(id).await.unwrap().unwrap().state.to_string(), "sending");
    let log = worker.stop();
    assert!(!log.contains(PAGES_LOADED), "the worker built the web's pages:\n{log}");

    // The control: the web server does build them, and says so on the same log.
    let serve = Process::start(&db, &smtp.url(), &["serve", "--no-worker"]);
    serve.wait_for_line(PAGES_LOADED).await;
    serve.kill();
}
