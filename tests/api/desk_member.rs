//! A signed-in panel member hears back on their own channels (issue 11): the report form offers their verified
//! contact points, one chosen is confirmed at once (no confirmation message), each public step reaches it; someone
//! else's contact point, or one chosen without being signed in, is refused under its field and nothing is stored;
//! the member's export lists it and their erasure erases it everywhere.

use hejnal::domain::Role;
use reqwest::multipart::Form;
use serde_json::{Value, json};

use crate::{
    desk::count,
    desk_notify::{staff, step},
    dual,
    panel::{EMAIL, example_signup, follow_link, link_with, nth_email, post_json, tables_containing},
    support::{Client, Db, TestApp, csrf_from},
};

dual!(a_signed_in_member_hears_back_on_their_own_verified_channel);

/// The report form of a pothole, sent by `client` with `contact`.
async fn file(client: &Client, contact: &str, description: &str) -> reqwest::Response {
    let page = client.get("/report?service=ROAD-POTHOLE&lang=en").await.text().await.unwrap();
    let csrf = csrf_from(&page).expect("the form's CSRF token");
    let form = Form::new()
        .text("_csrf", csrf)
        .text("service_code", "ROAD-POTHOLE")
        .text("description", description.to_string())
        .text("coordinates", "50.0614, 19.9366")
        .text("attribute[blocking]", "false")
        .text("contact", contact.to_string());
    client.http.post(client.url("/report?lang=en")).multipart(form).send().await.unwrap()
}

async fn a_signed_in_member_hears_back_on_their_own_verified_channel(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = Client::new(&app);
    assert_eq!(post_json(&client, "/api/v1/signups", &example_signup()).await.status(), 202);
    let (_, text) = nth_email(&app, 0).await;
    let link = link_with(&text, "/verify/");
    assert_eq!(follow_link(&client, &link[link.find("/verify/").unwrap()..]).await.status(), 303, "signed in");
    let point = count(&app, &format!("SELECT id FROM contact_points WHERE value = '{EMAIL}'")).await;
    let rid = count(&app, &format!("SELECT resident_id FROM contact_points WHERE value = '{EMAIL}'")).await;
    let phone_point = count(&app, "SELECT MAX(id) FROM contact_points WHERE kind = 'phone'").await;

    // The form offers the verified email, not the unverified phone; nobody signed in is offered nothing.
    let page = client.get("/report?service=ROAD-POTHOLE&lang=en").await.text().await.unwrap();
    assert!(page.contains(&format!("value=\"account-{point}\"")) && page.contains(EMAIL), "{page}");
    assert!(!page.contains(&format!("account-{phone_point}")), "an unverified phone is not offered");
    let stranger = Client::new(&app);
    let other = stranger.get("/report?service=ROAD-POTHOLE&lang=en").await.text().await.unwrap();
    assert!(!other.contains("account-"), "nothing offered without signing in");

    // Refused under `contact`, nothing stored: not signed in; an unverified point; a made-up one.
    for (who, choice) in [
        (&stranger, format!("account-{point}")),
        (&client, format!("account-{phone_point}")),
        (&client, "account-999999".to_string()),
        (&client, "account-x".to_string()),
    ] {
        let res = file(who, &choice, "Refused pothole").await;
        assert_eq!(res.status(), 422, "{choice}");
        let html = res.text().await.unwrap();
        assert!(html.contains("Choose one of your account") && html.contains("id=\"contact-error\""), "{html}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 0);

    // Filed with the account's email: confirmed at once, tied to the member.
    let res = file(&client, &format!("account-{point}"), "Pothole outside my house").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Report received"));
    let id = count(&app, "SELECT MAX(id) FROM desk_reports").await;
    let mine = format!(
        "SELECT COUNT(*) FROM desk_contacts WHERE report_id = {id} AND resident_id = {rid} AND value = '{EMAIL}' \
         AND confirmed_at IS NOT NULL AND role = 'reporter'"
    );
    assert_eq!(count(&app, &mine).await, 1);

    // The next email the member receives is the first step — no confirmation was sent before it.
    let roads = staff(&app, "roads-member@krakow.example.org", &["ZDMK"]).await;
    step(&app, &roads, id, json!({"state": "acknowledged", "public_note": "Seen, thank you."})).await;
    let (raw, body) = nth_email(&app, 1).await;
    assert!(raw.contains(&format!("Your report no. {id}: received")), "{raw}");
    assert!(body.contains("Seen, thank you.") && body.contains("/report-updates/"), "{body}");

    // A dispatcher merges it into a neighbour's report: the member's contact follows that one now.
    let other = file(&stranger, "none", "The same pothole, reported again").await;
    assert_eq!(other.status(), 200);
    let target = count(&app, "SELECT MAX(id) FROM desk_reports").await;
    assert_ne!(target, id);
    let (dispatcher, _) = app.add_official("dispatcher-member@krakow.example.org", &[Role::Dispatcher]).await;
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/merge")))
        .bearer_auth(app.token_for(dispatcher).await)
        .json(&json!({"into": target, "public_note": "The same pothole."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let moved = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {target} AND resident_id = {rid}");
    assert_eq!(count(&app, &moved).await, 1);

    // The export lists it; the erasure erases it everywhere, the merged report's copy too (the ledger stays).
    let export: Value = client.get("/me/export").await.json().await.unwrap();
    assert_eq!(export["report_contacts"][0]["report_id"], target, "{export}");
    assert_eq!(export["report_contacts"][0]["value"], EMAIL);
    let res = client.post_form("/me/erase", "/me/erase", &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 200);
    let found = tables_containing(&app.db.url, db, EMAIL).await;
    assert!(found.is_empty(), "{EMAIL} is still in {found:?}");
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id}")).await, 1, "report stays");
    app.stop().await;
}
