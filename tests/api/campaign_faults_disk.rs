//! The SQLite database's disk fills up in the middle of a broadcast (a small tmpfs, mounted for the test): writes
//! are refused with a clear error, nothing is corrupted, and sending resumes once there is space again.

use std::{io::Write, path::Path, process::Command, time::Duration};

use hejnal::{
    config::{Secret, Settings},
    domain::{Role, survey_example},
};
use hejnal_jobs::Channel;
use serde_json::json;

use crate::{
    alerts::api,
    campaign_faults::{assert_each_once, email_broadcast},
    delivery::wait_until,
    support::{Db, TestApp, smtp::SmtpKeeper},
};

/// A mounted tmpfs, unmounted when dropped.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount(megabytes: u32) -> Result<SmallDisk, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        match out.status.success() {
            true => Ok(SmallDisk(dir)),
            false => Err(String::from_utf8_lossy(&out.stderr).trim().to_string()),
        }
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes a filler file until the disk refuses more.
    fn fill(&self) -> std::path::PathBuf {
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).expect("filler file");
        let chunk = vec![0u8; 64 * 1024];
        while f.write_all(&chunk).and_then(|()| f.flush()).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

/// Once SQLite reports "database or disk is full", a write is refused with a 503 naming the full disk (not left
/// waiting on a lock, not acknowledged and lost), and sending resumes by itself once there is space.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_and_sending_resumes_with_space() {
    const N: i64 = 60;
    let disk = match SmallDisk::mount(24) {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("SKIPPED the disk-full test: cannot mount a tmpfs ({why}); it needs root (CAP_SYS_ADMIN)");
            return;
        }
    };
    let smtp = SmtpKeeper::start().await;
    let db_url = format!("sqlite://{}/hejnal.db", disk.path().display());
    let smtp_url = smtp.url();
    let app = TestApp::spawn_without_worker(Db::Sqlite, |s: &mut Settings| {
        s.database_url = Secret::new(db_url.clone());
        s.smtp_url = Some(Secret::new(smtp_url));
    })
    .await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let editor = app.token_for(editor).await;
    let (engine, broadcast_id) = email_broadcast(&app, "disk-full", N, 10, 10).await;
    smtp.wait_for(5, Duration::from_secs(30)).await;

    let filler = disk.fill();
    let survey = || {
        let now = chrono::Utc::now();
        Some(json!(survey_example::every_type(now, now + chrono::Duration::days(1))))
    };
    // SQLite reuses the pages its write-ahead log already holds: writes fail once those are used up too.
    let mut stored = Vec::new();
    let (status, problem) = loop {
        match api(&app, &editor, "POST", "/api/v1/surveys", survey()).await {
            (201, created) if stored.len() < 5000 => stored.push(created["id"].as_i64().expect("an id")),
            refused => break refused,
        }
    };
    assert_eq!(status, 503, "a write on a full disk, after {} that fitted: {problem}", stored.len());
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("space"), "the error says what is wrong: {problem}");
    let stalled = smtp.messages().len();
    assert!(stalled < N as usize, "the broadcast finished before the disk filled ({stalled} sent)");

    std::fs::remove_file(filler).unwrap();
    let p = wait_until(&app, broadcast_id, 180, |p| p.done).await;
    let email = &p.channels[&Channel::Email];
    assert_eq!((email.sent + email.delivered, email.failed), (N, 0), "{p:?}");
    assert_each_once(&smtp, N, p.possible_duplicates);
    let (status, created) = api(&app, &editor, "POST", "/api/v1/surveys", survey()).await;
    assert_eq!(status, 201, "writes work again: {created}");

    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&db_url).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.unwrap();
    assert_eq!(check, "ok", "the database file is intact");
    stored.push(created["id"].as_i64().expect("an id"));
    let kept: Vec<i64> = sqlx::query_scalar("SELECT id FROM surveys ORDER BY id").fetch_all(&mut conn).await.unwrap();
    assert_eq!(kept, stored, "every write answered 201 is stored, under its own id");
    engine.stop().await;
}
