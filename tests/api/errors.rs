//! Bad input: translated 404s, malformed JSON and forms, oversized bodies, per-field errors. Never a 500.

use hejnal::domain::Role;

use crate::{
    dual,
    support::{Db, TestApp},
};

dual!(
    unknown_routes_get_a_translated_404,
    api_errors_are_problem_json_naming_the_field,
    oversized_bodies_get_413,
    admin_form_names_the_wrong_field
);

async fn unknown_routes_get_a_translated_404(db: Db) {
    let app = TestApp::spawn(db).await;
    let http = reqwest::Client::new();
    for (lang, title) in [("pl", "Nie znaleziono strony"), ("en", "Page not found"), ("uk", "Сторінку не знайдено")]
    {
        let res = http.get(app.url(&format!("/no/such/page?lang={lang}"))).send().await.unwrap();
        assert_eq!(res.status(), 404);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = res.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
        assert!(html.contains(title), "{lang}: {html}");
    }
    // Accept-Language decides when there is no ?lang= and no cookie.
    let res = http.get(app.url("/nope")).header("accept-language", "uk-UA,uk;q=0.9").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("Сторінку не знайдено"));

    let api = http.get(app.url("/api/v1/nothing")).send().await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["status"], 404);
    assert_eq!(body["title"], "Nie znaleziono strony");

    let wrong_method = http.delete(app.url("/healthz")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
}

async fn api_errors_are_problem_json_naming_the_field(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_official("admin@krakow.example.org", &[Role::Admin]).await;
    let (official, _) = app
        .store
        .official_credentials(&hejnal::domain::Email::parse("admin@krakow.example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let (token, _) =
        hejnal::officials::issue_token_from_command_line(&app.store, official.id, "test", None).await.unwrap();
    let http = reqwest::Client::new();
    let post = |body: &'static str| {
        http.post(app.url("/api/v1/officials"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .header("accept-language", "en")
            .body(body)
            .send()
    };

    let malformed = post("{\"email\": ").await.unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(malformed.headers()["content-type"], "application/problem+json");

    let missing = post(r#"{"email": "x@krakow.example.org", "name": "X"}"#).await.unwrap();
    assert_eq!(missing.status(), 422);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("password"), "{body}");

    let invalid =
        post(r#"{"email": "not-an-email", "name": " ", "password": "short", "roles": ["boss"]}"#).await.unwrap();
    assert_eq!(invalid.status(), 422);
    let body: serde_json::Value = invalid.json().await.unwrap();
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["email", "name", "password", "roles"]);
    assert_eq!(body["errors"][0]["message"], "Enter an email address like name@example.org.");
    assert_eq!(app.store.list_officials().await.unwrap().len(), 1, "nothing created");

    let no_type = http.post(app.url("/api/v1/officials")).bearer_auth(&token).body("{}").send().await.unwrap();
    assert_eq!(no_type.status(), 415);

    let ok = post(
        r#"{"email": "bob@krakow.example.org", "name": "Bob", "password": "a long passphrase", "roles": ["editor"]}"#,
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), 201);
    let dup =
        post(r#"{"email": "BOB@krakow.example.org", "name": "Bob", "password": "a long passphrase"}"#).await.unwrap();
    assert_eq!(dup.status(), 422);
    let body: serde_json::Value = dup.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "email");

    let bad_token = http.get(app.url("/api/v1/me")).bearer_auth("hj_forged").send().await.unwrap();
    assert_eq!(bad_token.status(), 401);
    assert_eq!(bad_token.headers()["content-type"], "application/problem+json");
}

async fn oversized_bodies_get_413(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.max_body_bytes = 4096).await;
    let http = reqwest::Client::new();
    let big = "x".repeat(10_000);
    let page = http
        .post(app.url("/official/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 413);
    assert!(page.text().await.unwrap().contains("Za duże żądanie"));
    let api = http
        .post(app.url("/api/v1/officials"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert!([401, 413].contains(&api.status().as_u16()), "{}", api.status());
}

async fn admin_form_names_the_wrong_field(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = app.signed_in("admin@krakow.example.org", &[Role::Admin]).await;
    let res = client
        .post_form(
            "/official/admin/officials",
            "/official/admin/officials",
            &[("email", "bob@krakow.example.org"), ("name", "Bob"), ("password", "short"), ("role", "editor")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"password-error\">Hasło musi mieć co najmniej 12 znaków."), "{html}");
    assert!(html.contains("href=\"#password\""), "the summary links to the field");
    assert!(html.contains("value=\"bob@krakow.example.org\""), "what was typed is kept");
    assert_eq!(app.store.list_officials().await.unwrap().len(), 1);

    let ok = client
        .post_form(
            "/official/admin/officials",
            "/official/admin/officials",
            &[
                ("email", "bob@krakow.example.org"),
                ("name", "Bob"),
                ("password", "a long passphrase"),
                ("role", "editor"),
                ("role", "analyst"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let bob = app.store.list_officials().await.unwrap().into_iter().find(|o| o.name == "Bob").unwrap();
    assert_eq!(bob.roles, [Role::Editor, Role::Analyst]);

    let roles = client
        .post_form(
            "/official/admin/officials",
            &format!("/official/admin/officials/{}/roles", bob.id),
            &[("role", "approver")],
        )
        .await;
    assert_eq!(roles.status(), 303);
    assert_eq!(app.store.official(bob.id).await.unwrap().unwrap().roles, [Role::Approver]);
    let audit: Vec<String> = app.store.list_audit(1, None).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(audit, ["roles_changed"]);
}
