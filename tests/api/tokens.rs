//! API tokens are issued only to oneself (issue 14, finding 6): otherwise one admin could draft as one official and
//! approve as another. `hejnal token create` (shell access) may issue for anyone and is audit-logged as such.

use hejnal::domain::Role;

use crate::{
    cli::hejnal,
    dual,
    support::{Db, TestApp},
};

dual!(web_issues_tokens_only_to_oneself, command_line_token_is_audited_as_such);

async fn web_issues_tokens_only_to_oneself(db: Db) {
    let app = TestApp::spawn(db).await;
    let admin = app.signed_in("ala@krakow.example.org", &[Role::Admin]).await;
    let (bob, _) = app.add_official("bob@krakow.example.org", &[Role::Approver]).await;
    let page = "/official/admin/tokens";
    assert!(!admin.get(page).await.text().await.unwrap().contains("name=\"official_id\""), "no choice of official");

    // A form naming another official (an old page, a script) is refused and nothing is issued.
    let bob_id = bob.to_string();
    let res = admin.post_form(page, page, &[("official_id", &bob_id), ("name", "as-bob")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Token można wydać tylko sobie."));
    assert!(app.store.list_api_tokens().await.unwrap().is_empty(), "no token for Bob");

    let res = admin.post_form(page, page, &[("name", "city-crm")]).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let token = html.split("<code class=\"token\">").nth(1).and_then(|s| s.split('<').next()).expect("token shown");
    let me: serde_json::Value = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ala@krakow.example.org", "the token acts as the admin who issued it");

    let audit = app.store.list_audit(10, None).await.unwrap();
    let created = audit.iter().find(|e| e.action == "token_created").expect("audited");
    let ala = app.store.list_officials().await.unwrap().into_iter().find(|o| o.id != bob).unwrap().id;
    assert_eq!(created.actor, Some(ala));
    assert!(!created.detail.contains("\"via\""), "{}", created.detail);
}

async fn command_line_token_is_audited_as_such(db: Db) {
    let app = TestApp::spawn(db).await;
    let (bob, _) = app.add_official("bob@krakow.example.org", &[Role::Editor]).await;
    let out = hejnal(&app.db).args(["token", "create", "--email", "bob@krakow.example.org"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = app.store.list_api_tokens().await.unwrap();
    assert_eq!(listed.len(), 1);

    let audit = app.store.list_audit(10, None).await.unwrap();
    let created = audit.iter().find(|e| e.action == "token_created").expect("audited");
    assert_eq!(created.actor, None, "no official acted: someone with shell access did");
    let detail: serde_json::Value = serde_json::from_str(&created.detail).unwrap();
    assert_eq!(detail["via"], "cli");
    assert_eq!(detail["official_id"], bob);
}
