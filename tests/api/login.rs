//! Officials sign in and out; wrong passwords, throttling, expired sessions and CSRF.

use hejnal::domain::Role;

use crate::{
    dual,
    support::{Client, Db, TestApp},
};

dual!(
    login_dashboard_logout,
    wrong_password_is_generic,
    login_is_throttled_with_minutes,
    expired_session_returns_to_login,
    forms_refuse_missing_csrf,
    audit_log_records_logins
);

async fn login_dashboard_logout(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, password) = app.add_official("ala@krakow.example.org", &[Role::Editor, Role::Analyst]).await;
    let client = Client::new(&app);

    let page = client.get("/official/login").await;
    assert_eq!(page.status(), 200);
    let cookies: Vec<_> =
        page.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("hejnal_csrf=") && c.contains("HttpOnly") && c.contains("SameSite=Strict"))
    );

    let res = client.login("Ala@Krakow.example.org", &password).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/official");
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("hejnal_session="))
        .expect("session cookie")
        .to_string();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"),
        "{session}"
    );

    let dash = client.get("/official").await;
    assert_eq!(dash.status(), 200);
    let html = dash.text().await.unwrap();
    assert!(html.contains("Dzień dobry, Test Official."), "{html}");
    assert!(html.contains("Redaktor") && html.contains("Analityk"));
    assert!(!html.contains("/official/admin/officials"), "non-admins see no admin links");

    let me: serde_json::Value = client.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], "ala@krakow.example.org");
    assert_eq!(me["roles"], serde_json::json!(["editor", "analyst"]));
    assert_eq!(me["auth"], "session");

    let out = client.post_form("/official", "/official/logout", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/official/login?logged_out=1");
    let after = client.get("/official").await;
    assert_eq!(after.status(), 303);
    assert!(after.headers()["location"].to_str().unwrap().starts_with("/official/login"));
    assert_eq!(client.get("/api/v1/me").await.status(), 401);
}

async fn wrong_password_is_generic(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_official("ala@krakow.example.org", &[Role::Admin]).await;
    let client = Client::new(&app);
    let wrong = client.login("ala@krakow.example.org", "not-the-password").await;
    assert_eq!(wrong.status(), 401);
    let wrong_html = wrong.text().await.unwrap();
    assert!(wrong_html.contains("E-mail lub hasło są nieprawidłowe."));
    let unknown = client.login("nobody@krakow.example.org", "whatever-password").await;
    assert_eq!(unknown.status(), 401);
    let unknown_html = unknown.text().await.unwrap();
    assert!(unknown_html.contains("E-mail lub hasło są nieprawidłowe."));
    // The form keeps the email typed, and says nothing about whether the account exists.
    assert!(unknown_html.contains("value=\"nobody@krakow.example.org\""));
    assert_eq!(client.get("/official").await.status(), 303, "no session after a failed login");
}

async fn login_is_throttled_with_minutes(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.login.per_account_burst = 3;
        s.login.per_account_period_secs = 600;
    })
    .await;
    let (_, password) = app.add_official("ala@krakow.example.org", &[Role::Admin]).await;
    let client = Client::new(&app);
    for _ in 0..3 {
        assert_eq!(client.login("ala@krakow.example.org", "wrong-password").await.status(), 401);
    }
    let blocked = client.login("ala@krakow.example.org", &password).await;
    assert_eq!(blocked.status(), 429, "even the right password waits once the budget is spent");
    assert!(blocked.headers().contains_key("retry-after"));
    let html = blocked.text().await.unwrap();
    assert!(html.contains("Zbyt wiele prób logowania. Spróbuj ponownie za 10 minut."), "{html}");

    // English speakers get the English plural.
    let en = client
        .http
        .post(client.url("/official/login?lang=en"))
        .form(&[
            ("_csrf", client.csrf("/official/login").await.as_str()),
            ("email", "ala@krakow.example.org"),
            ("password", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(en.status(), 429);
    assert!(en.text().await.unwrap().contains("Try again in 10 minutes."));
}

async fn expired_session_returns_to_login(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = app.signed_in("ala@krakow.example.org", &[Role::Admin]).await;
    assert_eq!(client.get("/official").await.status(), 200);
    // Age every session past its expiry, as time would.
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    match &app.store.queue_db() {
        hejnal_jobs::QueueDb::Sqlite(p) => {
            sqlx::query("UPDATE sessions SET expires_at = $1").bind(past).execute(p).await.unwrap();
        }
        hejnal_jobs::QueueDb::Postgres(p) => {
            sqlx::query("UPDATE sessions SET expires_at = $1").bind(past).execute(p).await.unwrap();
        }
    }
    let res = client.get("/official/admin/audit").await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/official/login?expired=1"), "{location}");
    let page = client.get(&location).await.text().await.unwrap();
    assert!(page.contains("Sesja wygasła. Zaloguj się ponownie."));
    assert!(page.contains("name=\"next\" value=\"/official/admin/audit\""));
}

async fn forms_refuse_missing_csrf(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = app.signed_in("ala@krakow.example.org", &[Role::Admin]).await;
    let res = client
        .http
        .post(client.url("/official/admin/officials"))
        .form(&[
            ("email", "bob@krakow.example.org"),
            ("name", "Bob"),
            ("password", "long-enough-password"),
            ("role", "editor"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("Formularz wygasł"));
    assert_eq!(app.store.list_officials().await.unwrap().len(), 1, "nothing created without the CSRF token");

    // Cookie-authenticated API writes need the header too; bearer tokens do not.
    let res = client.http.post(client.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

async fn audit_log_records_logins(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, password) = app.add_official("ala@krakow.example.org", &[Role::Admin]).await;
    let client = Client::new(&app);
    client.login("ala@krakow.example.org", "wrong-password").await;
    client.login("ala@krakow.example.org", &password).await;
    let html = client.get("/official/admin/audit").await.text().await.unwrap();
    for shown in ["nieudane logowanie", "logowanie", "utworzenie konta urzędnika"] {
        assert!(html.contains(shown), "audit page lacks {shown}");
    }
    let actions: Vec<String> = app.store.list_audit(10, None).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["login", "login_failed", "official_created"]);
}
