//! The resident panel end to end over HTTP: join with email and phone → confirm through the real messages the engine
//! wrote → sign in → change consents → store a push subscription → export → erase, and then no table holds the
//! email, the phone number or the push endpoint.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{
    dual,
    support::{Client, Db, TestApp, csrf_from},
};

dual!(join_verify_sign_in_consents_export_erase);

pub const EMAIL: &str = "ala@example.org";
pub const PHONE_TYPED: &str = "+48 600 100 200";
pub const PHONE: &str = "+48600100200";
const ENDPOINT: &str = "https://push.example.net/send/abc123secret";

/// The example sign-up.
pub fn example_signup() -> Value {
    json!({"email": EMAIL, "phone": PHONE_TYPED, "language": "pl", "home_district": 13,
        "other_districts": [1], "age_band": "25-34", "interests": ["transport"],
        "consents": [{"purpose": "emergency_alerts", "channel": "email"}, {"purpose": "surveys", "channel": "sms"}]})
}

pub async fn post_json(client: &Client, path: &str, body: &Value) -> reqwest::Response {
    client.http.post(client.url(path)).json(body).send().await.expect("POST JSON")
}

/// Waits for the `n`-th email (in file order) the engine wrote and returns its raw text and plain-text body.
pub async fn nth_email(app: &TestApp, n: usize) -> (String, String) {
    let dir = app.db.data_dir().join("outbox/email");
    for _ in 0..300 {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        if let Some(path) = files.get(n) {
            let raw = std::fs::read(path).expect("read .eml");
            let parsed = mail_parser::MessageParser::default().parse(&raw).expect("parse .eml");
            let body = parsed.body_text(0).map(|b| b.to_string()).unwrap_or_default();
            return (String::from_utf8_lossy(&raw).into_owned(), body);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("email #{n} never appeared in {}", dir.display());
}

/// The first link in a text that contains `path`.
pub fn link_with(text: &str, path: &str) -> String {
    text.split_whitespace()
        .find(|w| w.contains(path))
        .unwrap_or_else(|| panic!("no {path} link in {text:?}"))
        .to_string()
}

/// Waits for the `n`-th SMS to `to` in the outbox log and returns its 6-digit code.
pub async fn nth_sms_code(app: &TestApp, to: &str, n: usize) -> String {
    let log = app.db.data_dir().join("outbox/sms.log");
    for _ in 0..300 {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(&format!("to={to} "))).collect();
        if let Some(line) = lines.get(n) {
            let body = line.split("text=").nth(1).unwrap_or("");
            let code: String = body
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 6)
                .unwrap_or_else(|| panic!("no code in {line}"))
                .to_string();
            return code;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("SMS #{n} to {to} never appeared in {}", log.display());
}

/// Signs a resident in by a link sent to the email (the `n`-th email of the test).
pub async fn sign_in_by_email(app: &TestApp, client: &Client, email: &str, n: usize) {
    let res = client.post_form("/me/signin", "/me/signin", &[("contact", email)]).await;
    assert_eq!(res.status(), 202);
    let (_, body) = nth_email(app, n).await;
    let link = link_with(&body, "/me/signin/");
    let path = &link[link.find("/me/signin/").unwrap()..];
    let res = follow_link(client, path).await;
    assert_eq!(res.status(), 303, "the sign-in link's button starts a session");
    assert_eq!(res.headers()["location"], "/me");
}

/// Follows a one-time link as a person does: opens its page (which uses nothing), then presses its button (a POST
/// with the page's CSRF token). Returns the button's answer.
pub async fn follow_link(client: &Client, path: &str) -> reqwest::Response {
    let res = client.get(path).await;
    assert_eq!(res.status(), 200, "a link opens its page");
    let csrf = csrf_from(&res.text().await.unwrap()).expect("the link's page has a button with a CSRF token");
    client.http.post(client.url(path)).form(&[("_csrf", csrf.as_str())]).send().await.expect("POST")
}

/// Every text value in every table (and the queue's), rendered as text, that contains `needle`.
pub async fn tables_containing(url: &str, db: Db, needle: &str) -> Vec<String> {
    let like = format!("%{needle}%");
    let mut found = Vec::new();
    match db {
        Db::Sqlite => {
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&mut conn)
                .await
                .unwrap();
            for t in tables {
                let cols: Vec<(i64, String, String, i64, Option<String>, i64)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("PRAGMA table_info(\"{t}\")")))
                        .fetch_all(&mut conn)
                        .await
                        .unwrap();
                for (_, col, ..) in cols {
                    let sql = format!("SELECT COUNT(*) FROM \"{t}\" WHERE CAST(\"{col}\" AS TEXT) LIKE $1");
                    let n: i64 =
                        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(&like).fetch_one(&mut conn).await.unwrap();
                    if n > 0 {
                        found.push(format!("{t}.{col}"));
                    }
                }
            }
        }
        Db::Postgres => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url).await.unwrap();
            let cols: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT table_schema::text, table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema IN ('public', 'apalis')",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            assert!(cols.len() > 50, "columns found: {}", cols.len());
            for (schema, t, col) in cols {
                let sql = format!("SELECT COUNT(*) FROM \"{schema}\".\"{t}\" WHERE \"{col}\"::text LIKE $1");
                let n: i64 =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(&like).fetch_one(&mut conn).await.unwrap();
                if n > 0 {
                    found.push(format!("{schema}.{t}.{col}"));
                }
            }
        }
    }
    found
}

async fn rid_of(app: &TestApp) -> i64 {
    app.store
        .contact_point_by_value(hejnal::domain::panel::ContactKind::Email, EMAIL)
        .await
        .unwrap()
        .unwrap()
        .resident_id
}

async fn join_verify_sign_in_consents_export_erase(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = Client::new(&app);

    // Join through the JSON twin.
    let res = post_json(&client, "/api/v1/signups", &example_signup()).await;
    assert_eq!(res.status(), 202);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "check_email_or_phone");

    // Confirm the email through the link in the real message.
    let (_, text) = nth_email(&app, 0).await;
    let link = link_with(&text, "/verify/");
    let path = link[link.find("/verify/").unwrap()..].to_string();
    let res = follow_link(&client, &path).await;
    assert_eq!(res.status(), 303, "confirming the address signs in");
    assert_eq!(res.headers()["location"], "/me");
    assert_eq!(client.get(&path).await.status(), 410, "a link works once");
    assert_eq!(client.get("/me").await.status(), 200);

    // Confirm the phone with the code from the SMS.
    let code = nth_sms_code(&app, PHONE, 0).await;
    let res = client.post_form("/verify/code", "/verify/code", &[("phone", PHONE_TYPED), ("code", &code)]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // Joining again with the same (now confirmed) contacts answers the same, stores nothing and sends nothing.
    let res = post_json(&client, "/api/v1/signups", &example_signup()).await;
    assert_eq!(res.status(), 202);
    assert_eq!(app.store.resident(rid_of(&app).await + 1).await.unwrap().map(|r| r.id), None);

    // Sign in by email.
    sign_in_by_email(&app, &client, EMAIL, 1).await;
    let page = client.get("/me").await.text().await.unwrap();
    assert!(page.contains(EMAIL) && page.contains(PHONE), "the panel lists both contact points");

    // Sign out, and in again with a code by SMS.
    assert_eq!(client.post_form("/me", "/me/logout", &[]).await.status(), 303);
    assert_eq!(client.get("/me").await.status(), 303);
    let res = client.post_form("/me/signin", "/me/signin", &[("contact", PHONE_TYPED)]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("action=\"/me/signin/code\""));
    let code = nth_sms_code(&app, PHONE, 1).await;
    let res = client.post_form("/me/signin", "/me/signin/code", &[("phone", PHONE_TYPED), ("code", &code)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(client.get("/me").await.status(), 200);

    // Change consents: grant service announcements by push, withdraw surveys by SMS.
    let rid = app
        .store
        .contact_point_by_value(hejnal::domain::panel::ContactKind::Email, EMAIL)
        .await
        .unwrap()
        .unwrap()
        .resident_id;
    for (purpose, channel, grant) in [("service_announcements", "push", "1"), ("surveys", "sms", "0")] {
        let res = client
            .post_form("/me", "/me/consents", &[("purpose", purpose), ("channel", channel), ("grant", grant)])
            .await;
        assert_eq!(res.status(), 303);
    }
    let history = app.store.consent_history(rid).await.unwrap();
    assert_eq!(history.len(), 4, "two at joining, two changes");
    assert_eq!(history[0].method, "api");
    assert_eq!(history[3].method, "web");
    let current = app.store.current_consents(rid).await.unwrap();
    let granted: Vec<(&str, &str)> =
        current.iter().filter(|(_, _, g)| *g).map(|(p, c, _)| (p.as_str(), c.as_str())).collect();
    assert_eq!(granted, vec![("emergency_alerts", "email"), ("service_announcements", "push")]);

    // Store a push subscription as the page's script does.
    let csrf = csrf_from(&client.get("/me/push").await.text().await.unwrap()).unwrap();
    let sub = json!({"endpoint": ENDPOINT, "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}, "label": "Test browser"});
    let res = client
        .http
        .post(client.url("/me/push/subscriptions"))
        .header("x-csrf-token", &csrf)
        .json(&sub)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = client.http.post(client.url("/me/push/subscriptions")).json(&sub).send().await.unwrap();
    assert_eq!(res.status(), 403, "no CSRF header, no subscription");
    assert!(client.get("/me/push").await.text().await.unwrap().contains("push.example.net"));

    // Export.
    let res = client.get("/me/export").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let export: Value = res.json().await.unwrap();
    assert_eq!(export["profile"]["home_district"], 13);
    assert_eq!(export["profile"]["other_districts"], json!([1]));
    assert_eq!(export["profile"]["age_band"], "25-34");
    assert_eq!(export["profile"]["interests"], json!(["transport"]));
    let values: Vec<&str> =
        export["contact_points"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
    assert_eq!(values, vec![EMAIL, PHONE]);
    assert_eq!(export["consent_ledger"].as_array().unwrap().len(), 4);
    assert_eq!(export["push_subscriptions"][0]["endpoint_host"], "push.example.net");
    assert!(!export.to_string().contains("abc123secret"), "only the endpoint's host is exported");
    let messages = export["messages"].as_array().unwrap();
    assert!(messages.len() >= 3, "verification email, SMS code and sign-in link: {messages:?}");
    assert!(messages.iter().all(|m| m["status"] == "sent"), "{messages:?}");
    assert_eq!(export["surveys"], json!([]));

    // Erase.
    let res = client.post_form("/me/erase", "/me/erase", &[]).await;
    assert_eq!(res.status(), 422, "erasing needs the confirmation");
    let res = client.post_form("/me/erase", "/me/erase", &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(client.get("/me").await.status(), 303, "the session is gone");
    for needle in [EMAIL, PHONE, "600100200", "abc123secret"] {
        let found = tables_containing(&app.db.url, db, needle).await;
        assert!(found.is_empty(), "{needle} is still in {found:?}");
    }
    assert_eq!(app.store.consent_history(rid).await.unwrap().len(), 4, "the ledger stays as proof");
    app.stop().await;
}
