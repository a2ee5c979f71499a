//! The `hejnal` binary: official add, token create, migrate, and configuration errors.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use crate::{
    dual,
    support::{Db, TestApp, TestDb},
};

pub fn hejnal(db: &TestDb) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hejnal"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HEJNAL_DATABASE_URL", &db.url)
        .env("HEJNAL_DATA_DIR", db.data_dir())
        .env("HEJNAL_LOG_FILTER", "warn")
        .current_dir(db.data_dir());
    cmd
}

fn run_with_stdin(mut cmd: Command, stdin: &str) -> std::process::Output {
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("hejnal runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

dual!(official_add_and_token_create_authorise_api_calls);

async fn official_add_and_token_create_authorise_api_calls(db: Db) {
    let app = TestApp::spawn(db).await;
    let test_db = &app.db;

    let mut add = hejnal(test_db);
    add.args([
        "official",
        "add",
        "--email",
        "ala@krakow.example.org",
        "--name",
        "Ala Nowak",
        "--role",
        "editor",
        "--role",
        "analyst",
    ]);
    let out = run_with_stdin(add, "correct horse battery staple\n");
    assert!(out.status.success(), "official add failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created with roles editor, analyst"));

    let mut again = hejnal(test_db);
    again.args(["official", "add", "--email", "ala@krakow.example.org", "--name", "Ala", "--role", "admin"]);
    let out = run_with_stdin(again, "correct horse battery staple\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    let mut weak = hejnal(test_db);
    weak.args(["official", "add", "--email", "bob@krakow.example.org", "--name", "Bob", "--role", "admin"]);
    let out = run_with_stdin(weak, "short\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 12 characters"));

    let mut bad_role = hejnal(test_db);
    bad_role.args(["official", "add", "--email", "bob@krakow.example.org", "--name", "Bob", "--role", "boss"]);
    let out = run_with_stdin(bad_role, "correct horse battery staple\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));

    let mut token = hejnal(test_db);
    token.args(["token", "create", "--email", "ala@krakow.example.org", "--name", "city-crm", "--expires-days", "30"]);
    let out = token.output().unwrap();
    assert!(out.status.success(), "token create failed: {}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("hj_"));

    let http = reqwest::Client::new();
    let me: serde_json::Value =
        http.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "ala@krakow.example.org");
    assert_eq!(me["roles"], serde_json::json!(["editor", "analyst"]));
    assert_eq!(me["auth"], "bearer");
    // The token acts with the official's roles: not an admin.
    let officials = http.get(app.url("/api/v1/officials")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(officials.status(), 403);

    let listed = app.store.list_api_tokens().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "city-crm");
    assert!(listed[0].expires_at.is_some());
    // Revoked in the admin pages, it stops working.
    app.store.revoke_api_token(listed[0].id, chrono::Utc::now()).await.unwrap();
    assert_eq!(http.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 401);

    let mut unknown = hejnal(test_db);
    unknown.args(["token", "create", "--email", "nobody@krakow.example.org"]);
    let out = unknown.output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no official has that email"));
}

#[tokio::test]
async fn migrate_applies_and_bad_configuration_is_one_line() {
    let db = TestDb::new(Db::Sqlite).await;
    let out = hejnal(&db).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("migrations applied"));

    for (var, value, named) in [
        ("HEJNAL_BIND", "nowhere", "HEJNAL_BIND"),
        ("HEJNAL_DATABASE_URL", "mysql://x", "HEJNAL_DATABASE_URL"),
        ("HEJNAL_PUBLIC_URL", "ftp://x", "HEJNAL_PUBLIC_URL"),
        ("HEJNAL_SESSION_MINUTES", "soon", "HEJNAL_SESSION_MINUTES"),
    ] {
        let out = hejnal(&db).env(var, value).arg("migrate").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}={value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(named), "{var}: {stderr}");
    }
    // Secrets never reach the error line.
    let out = hejnal(&db).env("HEJNAL_DATABASE_URL", "mysql://user:hunter2@db/x").arg("migrate").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));

    let toml = db.data_dir().join("hejnal.toml");
    std::fs::write(&toml, "bind = \"127.0.0.1:9\"\nlog_format = \"xml\"\n").unwrap();
    let out = hejnal(&db).arg("--config").arg(&toml).arg("migrate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("HEJNAL_LOG_FORMAT"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
