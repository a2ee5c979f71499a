//! A web process killed (SIGKILL) while residents answer a survey: each response is either stored whole, or the
//! resident can answer again. Never a half-stored response, never a link used up with nothing stored.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use chrono::Utc;
use hejnal::{
    config::{Secret, Settings},
    domain::{Role, survey_example},
};
use rand::Rng;
use serde_json::{Value, json};

use crate::{
    alerts::api,
    dual,
    support::{Db, TestApp, kannel::free_ports, smtp::SmtpKeeper},
    surveys::{full_answers, survey_panel, token_in},
};

dual!(a_web_process_killed_mid_response_stores_it_whole_or_not_at_all);

/// `hejnal serve --no-worker` on `port`, on the test's database.
fn spawn_web(app: &TestApp, url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hejnal"))
        .args(["serve", "--no-worker"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HEJNAL_DATABASE_URL", url)
        .env("HEJNAL_DATA_DIR", app.db.data_dir())
        .env("HEJNAL_BIND", format!("127.0.0.1:{port}"))
        .env("HEJNAL_LOG_FILTER", "error")
        .env("HEJNAL_DELIVERY__QUIET_HOURS", "")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("hejnal serve starts")
}

async fn wait_ready(http: &reqwest::Client, port: u16) {
    for _ in 0..200 {
        if http.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("hejnal serve did not start on port {port}");
}

async fn a_web_process_killed_mid_response_stores_it_whole_or_not_at_all(db: Db) {
    const KILLS: usize = 8;
    let smtp = SmtpKeeper::start().await;
    let smtp_url = smtp.url();
    let app = TestApp::spawn_with(db, |s: &mut Settings| s.smtp_url = Some(Secret::new(smtp_url))).await;
    survey_panel(&app, 10).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (editor, approver) = (app.token_for(editor).await, app.token_for(approver).await);
    let def =
        survey_example::every_type(Utc::now() - chrono::Duration::minutes(1), Utc::now() + chrono::Duration::days(1));
    let (status, created) = api(&app, &editor, "POST", "/api/v1/surveys", Some(json!(def))).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let launch = format!("/api/v1/surveys/{id}/launch");
    let (status, launched) = api(&app, &approver, "POST", &launch, Some(json!({"sample": KILLS}))).await;
    assert_eq!(status, 201, "{launched}");
    let tokens: Vec<String> = smtp
        .wait_for(KILLS, Duration::from_secs(30))
        .await
        .iter()
        .map(|m| token_in(m.text_body.as_deref().unwrap()))
        .collect();

    let http = reqwest::Client::new();
    let [port] = free_ports::<1>();
    let database_url = app.config.database_url.expose().to_string();
    let mut rng = rand::rng();
    let mut stored_by_killed = 0;
    for token in &tokens {
        let mut web = spawn_web(&app, &database_url, port);
        wait_ready(&http, port).await;
        let send = http
            .post(format!("http://127.0.0.1:{port}/api/v1/responses/{token}"))
            .json(&json!({"answers": full_answers()}))
            .send();
        let request = tokio::spawn(send);
        // Anywhere from before the request arrives to after it is answered.
        tokio::time::sleep(Duration::from_micros(rng.random_range(0..30_000))).await;
        web.kill().expect("SIGKILL");
        web.wait().unwrap();
        let first = request.await.unwrap().map(|r| r.status().as_u16());

        // The resident tries again, on a healthy server.
        let (status, body) =
            api(&app, &editor, "POST", &format!("/api/v1/responses/{token}"), Some(json!({"answers": full_answers()})))
                .await;
        match status {
            201 => assert_ne!(first.as_ref().ok(), Some(&201), "answered 201, yet the resident could answer again"),
            409 => stored_by_killed += 1,
            other => panic!("after the kill the resident got {other}: {body}"),
        }
    }
    let stored = app.store.responses(id).await.unwrap();
    assert_eq!(stored.len(), KILLS, "one response per invitation, whatever happened to the first attempt");
    let expected = full_answers();
    for (answers, ..) in &stored {
        let answers: Value = serde_json::from_str(answers).expect("stored answers are JSON");
        for key in expected.as_object().unwrap().keys() {
            assert!(answers.get(key).is_some(), "a stored response lacks `{key}`: {answers}");
        }
    }
    eprintln!("web kill ({db:?}): {stored_by_killed} of {KILLS} responses were stored by the killed process");
}
