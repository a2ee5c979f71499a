//! An imported CAP Update or Cancel of one of our own messages (`POST /api/v1/cap`, and the feed poller through the
//! same import) follows the rules of the API's update and cancel: it keeps its original's kind and status (a
//! different status is refused, so an upstream `Exercise` can never become a drill follow-up of a real alert that
//! its own author may approve), it needs an original that was sent and not since ended, and an approved imported
//! Cancel ends its original as the API's cancel does.

use hejnal::domain::Role;
use serde_json::Value;

use crate::{
    alerts::{api, flood_alert, wait_done},
    alerts_input::{assert_problem, assert_unchanged, element, post_cap, residents, snapshot},
    dual,
    support::{Db, TestApp},
};

dual!(imported_follow_ups_keep_their_originals_status_and_rules);

const CAP: &str = "application/cap+xml";

/// `xml` (one of our CAP documents) turned into an upstream follow-up of the message `of` names.
fn follow_up(xml: &str, msg_type: &str, status: &str, identifier: &str, of: &str) -> String {
    let references = format!("<references>{},{of},{}</references><info>", element(xml, "sender"), element(xml, "sent"));
    xml.replacen(
        &format!("<identifier>{}</identifier>", element(xml, "identifier")),
        &format!("<identifier>{identifier}</identifier>"),
        1,
    )
    .replacen(&format!("<status>{}</status>", element(xml, "status")), &format!("<status>{status}</status>"), 1)
    .replacen("<msgType>Alert</msgType>", &format!("<msgType>{msg_type}</msgType>"), 1)
    .replacen("<info>", &references, 1)
}

async fn draft(app: &TestApp, token: &str) -> (i64, String) {
    let (status, drafted) = api(app, token, "POST", "/api/v1/alerts", Some(flood_alert())).await;
    assert_eq!(status, 201, "{drafted}");
    let id = drafted["id"].as_i64().unwrap();
    let (_, shown) = api(app, token, "GET", &format!("/api/v1/alerts/{id}"), None).await;
    (id, shown["identifier"].as_str().unwrap().to_string())
}

async fn approve(app: &TestApp, token: &str, id: i64) -> (u16, Value) {
    api(app, token, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await
}

async fn imported_follow_ups_keep_their_originals_status_and_rules(db: Db) {
    // Drills may be approved by their own author here: an imported follow-up must not become one.
    let app = TestApp::spawn_with(db, |s| s.alerts.single_person_drills = true).await;
    residents(&app).await;
    let (author, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (author, approver) = (app.token_for(author).await, app.token_for(approver).await);
    let (id, identifier) = draft(&app, &author).await;
    assert_eq!(approve(&app, &approver, id).await.0, 200);
    wait_done(&app, &approver, id).await;
    let xml = reqwest::get(app.url(&format!("/alerts/{id}.cap.xml"))).await.unwrap().text().await.unwrap();
    assert_eq!(element(&xml, "status"), "Actual");

    // An Exercise update of the Actual alert is refused, saying why; nothing is drafted or sent.
    let before = snapshot(&app).await;
    let exercise = post_cap(&app, &author, CAP, follow_up(&xml, "Update", "Exercise", "UP-1", &identifier)).await;
    let words = "whose status is Actual, but the document's status is Exercise";
    assert_problem("an Exercise update of an Actual alert", &exercise, 422, Some("cap"), words);
    assert_unchanged(&app, &before, "an Exercise update of an Actual alert").await;

    // An Actual update is drafted as an update of the original, Actual; its author cannot approve it.
    let (status, imported) =
        post_cap(&app, &author, CAP, follow_up(&xml, "Update", "Actual", "UP-2", &identifier)).await;
    assert_eq!(status, 201, "{imported}");
    let update_id = imported["id"].as_i64().unwrap();
    let update = app.store.alert(update_id).await.unwrap().unwrap();
    assert_eq!((update.msg_type.as_str(), update.references_id), ("Update", Some(id)));
    assert_eq!((update.spec.kind.as_str(), update.spec.status.as_str()), ("emergency", "Actual"));
    let own = approve(&app, &author, update_id).await;
    assert_problem("approving one's own imported update", &own, 403, None, "cannot approve your own");

    // A Cancel of a message that was never sent is refused (withdrawing it is the API's cancel).
    let (unsent, unsent_identifier) = draft(&app, &author).await;
    let before = snapshot(&app).await;
    let cancel = post_cap(&app, &author, CAP, follow_up(&xml, "Cancel", "Actual", "CA-0", &unsent_identifier)).await;
    assert_problem("a Cancel of an unsent message", &cancel, 422, Some("cap"), "which has not been sent");
    assert_unchanged(&app, &before, "a Cancel of an unsent message").await;
    assert_eq!(app.store.alert(unsent).await.unwrap().unwrap().state.as_str(), "draft");

    // An imported Cancel, approved by a second official, ends the original like the API's cancel: afterwards
    // neither the pending update nor a newly imported one can follow it up.
    let (status, imported) =
        post_cap(&app, &author, CAP, follow_up(&xml, "Cancel", "Actual", "CA-1", &identifier)).await;
    assert_eq!(status, 201, "{imported}");
    let cancel_id = imported["id"].as_i64().unwrap();
    assert_eq!(approve(&app, &approver, cancel_id).await.0, 200);
    wait_done(&app, &approver, cancel_id).await;
    assert_eq!(app.store.alert(id).await.unwrap().unwrap().state.as_str(), "cancelled");
    let before = snapshot(&app).await;
    let late = approve(&app, &approver, update_id).await;
    assert_problem("approving an update of a cancelled alert", &late, 409, None, "already been cancelled");
    let again = post_cap(&app, &author, CAP, follow_up(&xml, "Update", "Actual", "UP-3", &identifier)).await;
    assert_problem("importing an update of a cancelled alert", &again, 422, Some("cap"), "already been cancelled");
    assert_unchanged(&app, &before, "following up a cancelled alert").await;
    app.stop().await;
}
