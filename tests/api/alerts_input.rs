//! Bad alert input gets a clear error and changes nothing: every invalid draft, refused approval or cancellation,
//! and refused CAP document answers with a problem+json naming what is wrong, stores no alert and sends nothing to
//! the residents who would have been reached. Also: hejnał's CAP documents validate against the OASIS schema and
//! import back as an equivalent draft.

use chrono::{DateTime, SubsecRound, Utc};
use hejnal::{
    domain::{
        Role,
        panel::{Channel, ConsentMethod, ContactKind, Purpose},
    },
    storage::NewResident,
};
use serde_json::{Value, json};

use crate::{
    alerts::{TARGET, api, flood_alert, wait_done},
    dual,
    support::{Db, TestApp, fixtures::relative_to_now},
};

const CAP_XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cap/CAP-v1.2.xsd");
const RCB_FLOOD: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cap/rcb-flood.xml"));

/// The RCB warning, current: sent an hour ago, expiring as long after as the fixture says.
fn rcb_flood() -> String {
    relative_to_now(RCB_FLOOD)
}

dual!(
    invalid_drafts_are_refused_naming_the_field_and_nothing_is_created,
    refused_approvals_and_cancellations_change_nothing,
    bad_cap_documents_are_refused_with_a_clear_problem,
    drafting_and_approving_need_their_roles,
    cap_export_validates_against_the_oasis_schema_and_imports_back_as_an_equivalent_draft,
);

/// Residents in every [`TARGET`] district with emergency consent by email and SMS: anything wrongly sent shows.
pub(crate) async fn residents(app: &TestApp) {
    for (i, d) in TARGET.iter().enumerate() {
        let new = NewResident {
            language: "pl".into(),
            home_district: *d,
            other_districts: vec![],
            age_band: None,
            interests: vec!["water_utilities".into()],
            contacts: vec![
                (ContactKind::Email, format!("m{i}@example.org")),
                (ContactKind::Phone, format!("+48600100{i:03}")),
            ],
            consents: vec![
                (Purpose::EmergencyAlerts, Channel::Email),
                (Purpose::EmergencyAlerts, Channel::Sms),
                (Purpose::ServiceAnnouncements, Channel::Email),
            ],
            method: ConsentMethod::Import,
            notice_version: 1,
            verified: true,
            legal_basis: Some("test fixture".into()),
        };
        app.store.create_resident(&new, Utc::now()).await.unwrap().expect("created");
    }
}

/// What exists and what went out: alerts stored, deliveries pending, messages in the outbox (no SMTP or SMS server
/// is configured, so the engine writes `.eml` files and `sms.log` lines).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    alerts: usize,
    pending: i64,
    sent: usize,
}

pub(crate) async fn snapshot(app: &TestApp) -> Snapshot {
    let outbox = app.db.data_dir().join("outbox");
    let emails = std::fs::read_dir(outbox.join("email")).map(|d| d.count()).unwrap_or(0);
    let sms = std::fs::read_to_string(outbox.join("sms.log")).map(|s| s.lines().count()).unwrap_or(0);
    Snapshot {
        alerts: app.store.list_alerts(false, 1000).await.unwrap().len(),
        pending: hejnal_jobs::queue_depth(&app.store.queue_db()).await.unwrap().iter().map(|(_, n)| n).sum(),
        sent: emails + sms,
    }
}

/// Waits for the delivery engine to look at the queue once more (a wrongly started delivery would show), then
/// compares.
pub(crate) async fn assert_unchanged(app: &TestApp, before: &Snapshot, case: &str) {
    crate::support::wait::sweeps(app, 1).await;
    assert_eq!(&snapshot(app).await, before, "{case}: nothing is created or sent");
}

/// A problem+json with `status` whose `errors` name `field` with a message containing `words` (or, without a
/// field, whose `detail` contains them).
pub(crate) fn assert_problem(case: &str, (status, body): &(u16, Value), want: u16, field: Option<&str>, words: &str) {
    assert_eq!(*status, want, "{case}: {body}");
    assert_eq!(body["status"], want, "{case}: a problem+json body: {body}");
    match field {
        Some(f) => {
            let named = body["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["field"] == f && e["message"].as_str().is_some_and(|m| m.contains(words)));
            assert!(named, "{case}: expected {f:?} with {words:?} in {body}");
        }
        None => assert!(body["detail"].as_str().is_some_and(|d| d.contains(words)), "{case}: {words:?} in {body}"),
    }
}

/// The flood alert with the value at a `/`-separated path replaced.
fn with(path: &str, value: Value) -> Value {
    let mut alert = flood_alert();
    let mut at = &mut alert;
    for key in path.split('/') {
        at = &mut at[key];
    }
    *at = value;
    alert
}

async fn invalid_drafts_are_refused_naming_the_field_and_nothing_is_created(db: Db) {
    // One SMS part at most: a long Polish instruction cannot fit.
    let app = TestApp::spawn_with(db, |s| s.delivery.sms_max_parts = 1).await;
    residents(&app).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    let editor = app.token_for(editor).await;
    let in_an_hour = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let long = "Zamknij okna i drzwi, wyłącz wentylację, nie wychodź z domu i śledź komunikaty Miasta Krakowa. ";
    let service = json!({"kind": "service", "topic": "knitting", "info": {"pl": {"headline": "Zbiórka włóczki"}},
        "area": {"districts": [1]}});
    let open = json!([[[50.05, 19.93], [50.06, 19.95], [50.04, 19.96], [50.05, 19.94]]]);
    let triangle = json!([[[50.05, 19.93], [50.06, 19.95], [50.05, 19.93]]]);
    let circle = json!([{"lat": 50.05, "lon": 19.94, "radius_km": -1.5}]);
    let sms = json!({"pl": {"headline": "Skażenie powietrza", "instruction": long.repeat(3)}});
    let cases = [
        ("polygon not closed", with("area/polygons", open), "area.polygons", "polygon 1 is not closed"),
        ("polygon of 3 points", with("area/polygons", triangle), "area.polygons", "has 3 points"),
        ("negative radius", with("area/circles", circle), "area.circles", "circle 1 has a negative radius"),
        ("expiry in the past", with("expires", json!("2020-01-01T00:00:00+01:00")), "expires", "in the future"),
        ("unknown category", with("category", json!("Weather")), "category", "\"Weather\" is not one of"),
        ("unknown severity", with("severity", json!("Apocalyptic")), "severity", "\"Apocalyptic\" is not"),
        ("blank Polish headline", with("info/pl/headline", json!("   ")), "info.pl.headline", "Enter a headline"),
        ("no Polish text", with("info", json!({"en": {"headline": "Flood"}})), "info.pl.headline", "Enter a headline"),
        ("unknown district", with("area/districts", json!([8, 99])), "area.districts", "no district 99"),
        ("scheduled emergency", with("scheduled", json!(in_an_hour)), "scheduled", "cannot be scheduled"),
        ("announcement on an unknown topic", service, "topic", "\"knitting\" is not one of the choices"),
        ("SMS over the configured parts", with("info", sms), "info.pl.instruction", "the limit is 1"),
    ];
    let before = snapshot(&app).await;
    for (case, body, field, words) in cases {
        let got = api(&app, &editor, "POST", "/api/v1/alerts", Some(body)).await;
        assert_problem(case, &got, 422, Some(field), words);
        assert_unchanged(&app, &before, case).await;
    }
    let malformed = reqwest::Client::new()
        .post(app.url("/api/v1/alerts"))
        .bearer_auth(&editor)
        .header("content-type", "application/json")
        .body("{\"kind\": \"emergency\", ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400, "malformed JSON");
    assert_eq!(malformed.headers()["content-type"], "application/problem+json");
    assert_unchanged(&app, &before, "malformed JSON").await;

    // The same deployment takes a correct message: the refusals were about the input.
    let short = json!({"kind": "emergency", "category": "Met", "event": "Storm", "urgency": "Immediate",
        "severity": "Severe", "certainty": "Likely", "info": {"pl": {"headline": "Burza"}}, "area": {"districts": [8]}});
    let (status, drafted) = api(&app, &editor, "POST", "/api/v1/alerts", Some(short)).await;
    assert_eq!(status, 201, "{drafted}");
    assert_eq!(snapshot(&app).await, Snapshot { alerts: before.alerts + 1, ..before });
    app.stop().await;
}

async fn refused_approvals_and_cancellations_change_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    residents(&app).await;
    let (author, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (author, approver) = (app.token_for(author).await, app.token_for(approver).await);
    let (status, drafted) = api(&app, &author, "POST", "/api/v1/alerts", Some(flood_alert())).await;
    assert_eq!(status, 201, "{drafted}");
    let id = drafted["id"].as_i64().unwrap();
    let path = |action: &str| format!("/api/v1/alerts/{id}/{action}");

    let before = snapshot(&app).await;
    let own = api(&app, &author, "POST", &path("approve"), None).await;
    assert_problem("approving one's own emergency", &own, 403, None, "cannot approve your own");
    let (_, shown) = api(&app, &author, "GET", &format!("/api/v1/alerts/{id}"), None).await;
    assert_eq!(shown["state"], "draft", "{shown}");
    assert_eq!(shown["approved_by"], Value::Null);
    assert_unchanged(&app, &before, "approving one's own emergency").await;

    let (status, approved) = api(&app, &approver, "POST", &path("approve"), None).await;
    assert_eq!(status, 200, "{approved}");
    wait_done(&app, &approver, id).await;
    let before = snapshot(&app).await;
    assert_eq!(before.sent, 2 * TARGET.len(), "an email and an SMS per resident: {before:?}");
    let twice = api(&app, &approver, "POST", &path("approve"), None).await;
    assert_problem("approving twice", &twice, 409, None, "no longer a draft");
    assert_unchanged(&app, &before, "approving twice").await;

    let (status, cancelled) = api(&app, &approver, "POST", &path("cancel"), None).await;
    assert_eq!(status, 200, "{cancelled}");
    let cancel_id = cancelled["cancel_id"].as_i64().expect("an all-clear was sent");
    wait_done(&app, &approver, cancel_id).await;
    let before = snapshot(&app).await;
    let again = api(&app, &approver, "POST", &path("cancel"), None).await;
    assert_problem("cancelling a cancelled alert", &again, 409, None, "already been cancelled");
    assert_unchanged(&app, &before, "cancelling a cancelled alert").await;
    let update = api(&app, &author, "POST", &path("update"), Some(flood_alert())).await;
    assert_problem("updating a cancelled alert", &update, 409, None, "already been cancelled");
    let all_clear = api(&app, &approver, "POST", &format!("/api/v1/alerts/{cancel_id}/cancel"), None).await;
    assert_problem("cancelling the all-clear", &all_clear, 409, None, "cannot itself be updated or cancelled");
    assert_unchanged(&app, &before, "following up a cancellation").await;
    app.stop().await;
}

pub(crate) async fn post_cap(app: &TestApp, token: &str, content_type: &str, body: String) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/cap"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .header("accept-language", "en")
        .body(body)
        .send()
        .await
        .expect("POST /api/v1/cap");
    let status = res.status().as_u16();
    if status >= 400 {
        assert_eq!(res.headers()["content-type"], "application/problem+json", "{status}");
    }
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The fixture, bigger than 1 MB (a comment does not change its meaning).
fn huge_cap() -> String {
    rcb_flood().replacen("<identifier>", &format!("<!-- {} --><identifier>", "x".repeat(1_200_000)), 1)
}

async fn bad_cap_documents_are_refused_with_a_clear_problem(db: Db) {
    let app = TestApp::spawn(db).await;
    residents(&app).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let editor = app.token_for(editor).await;
    let before = snapshot(&app).await;
    let cap = "application/cap+xml";
    let current = rcb_flood();
    let malformed = current.replace("</info>", "");
    let cap11 = current.replace("emergency:cap:1.2", "emergency:cap:1.1");
    let unsent = current.replace(&format!("<sent>{}</sent>", element(&current, "sent")), "");
    let cases = [
        ("malformed XML", cap, malformed, 422, "not well-formed XML"),
        ("CAP 1.1", cap, cap11, 422, "not a CAP 1.2 document"),
        ("missing <sent>", cap, unsent, 422, "<sent>"),
        ("over 1 MB", cap, huge_cap(), 413, ""),
        ("wrong Content-Type", "application/json", current.clone(), 415, "application/cap+xml"),
    ];
    for (case, content_type, body, want, words) in cases {
        let got = post_cap(&app, &editor, content_type, body).await;
        match want {
            422 => assert_problem(case, &got, 422, Some("cap"), words),
            413 => assert_problem(case, &got, 413, None, "too large"),
            _ => assert_problem(case, &got, want, None, words),
        }
        assert_unchanged(&app, &before, case).await;
    }
    app.stop().await;

    // With a body limit above 1 MB the CAP limit itself speaks: still 413, as the API documents.
    let app = TestApp::spawn_with(db, |s| s.max_body_bytes = 4 * 1024 * 1024).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let editor = app.token_for(editor).await;
    let got = post_cap(&app, &editor, "application/cap+xml", huge_cap()).await;
    assert_eq!(got.0, 413, "a CAP document over 1 MB: {}", got.1);
    assert!(got.1.to_string().contains("the limit is 1 MB"), "{}", got.1);
    assert_eq!(app.store.list_alerts(false, 10).await.unwrap().len(), 0);
    app.stop().await;
}

async fn drafting_and_approving_need_their_roles(db: Db) {
    let app = TestApp::spawn(db).await;
    residents(&app).await;
    let (analyst, _) = app.add_official("analyst@krakow.pl", &[Role::Analyst]).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (analyst, editor) = (app.token_for(analyst).await, app.token_for(editor).await);
    let before = snapshot(&app).await;
    let drafted = api(&app, &analyst, "POST", "/api/v1/alerts", Some(flood_alert())).await;
    assert_problem("an analyst drafting", &drafted, 403, None, "role");
    let imported = post_cap(&app, &analyst, "application/cap+xml", rcb_flood()).await;
    assert_problem("an analyst importing CAP", &imported, 403, None, "role");
    assert_unchanged(&app, &before, "an analyst drafting").await;

    let (status, drafted) = api(&app, &editor, "POST", "/api/v1/alerts", Some(flood_alert())).await;
    assert_eq!(status, 201, "{drafted}");
    let id = drafted["id"].as_i64().unwrap();
    let before = snapshot(&app).await;
    for action in ["approve", "cancel"] {
        let got = api(&app, &editor, "POST", &format!("/api/v1/alerts/{id}/{action}"), None).await;
        assert_problem(&format!("an editor who may not {action}"), &got, 403, None, "role");
        assert_unchanged(&app, &before, action).await;
    }
    let (_, shown) = api(&app, &editor, "GET", &format!("/api/v1/alerts/{id}"), None).await;
    assert_eq!(shown["state"], "draft", "{shown}");
    app.stop().await;
}

/// `/alerts/{id}.cap.xml`, checked with `xmllint` against the OASIS CAP 1.2 schema.
async fn schema_valid_cap(app: &TestApp, id: i64) -> String {
    let res = reqwest::get(app.url(&format!("/alerts/{id}.cap.xml"))).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/cap+xml"));
    let xml = res.text().await.unwrap();
    let file = tempfile::Builder::new().suffix(".xml").tempfile().unwrap();
    std::fs::write(file.path(), &xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", CAP_XSD])
        .arg(file.path())
        .output()
        .expect("xmllint is installed");
    assert!(out.status.success(), "alert {id} is not valid CAP 1.2: {}\n{xml}", String::from_utf8_lossy(&out.stderr));
    xml
}

pub(crate) fn element<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{name}> in {xml}")) + open.len();
    &xml[start..start + xml[start..].find('<').unwrap()]
}

async fn cap_export_validates_against_the_oasis_schema_and_imports_back_as_an_equivalent_draft(db: Db) {
    let app = TestApp::spawn(db).await;
    residents(&app).await;
    let (author, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (author, approver) = (app.token_for(author).await, app.token_for(approver).await);
    let send = |id: i64| {
        let approver = approver.clone();
        let app = &app;
        async move {
            let (status, body) = api(app, &approver, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
            assert_eq!(status, 200, "{body}");
            wait_done(app, &approver, id).await;
        }
    };
    // CAP date-times have whole seconds: an expiry with a fraction could not come back as the same instant.
    let expires = (Utc::now() + chrono::Duration::hours(6)).trunc_subsecs(0).to_rfc3339();
    let mut alert = with("expires", json!(expires));
    alert["area"]["circles"] = json!([{"lat": 50.03, "lon": 19.95, "radius_km": 1.5}]);
    alert["area"]["polygons"] = json!([[[50.05, 19.93], [50.06, 19.95], [50.04, 19.96], [50.05, 19.93]]]);
    let (_, drafted) = api(&app, &author, "POST", "/api/v1/alerts", Some(alert)).await;
    let id = drafted["id"].as_i64().expect("drafted");
    send(id).await;
    let original_xml = schema_valid_cap(&app, id).await;
    assert_eq!(element(&original_xml, "msgType"), "Alert");

    let (_, drafted) = api(&app, &author, "POST", &format!("/api/v1/alerts/{id}/update"), Some(flood_alert())).await;
    let update_id = drafted["id"].as_i64().expect("update drafted");
    send(update_id).await;
    let (_, cancelled) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{update_id}/cancel"), None).await;
    let cancel_id = cancelled["cancel_id"].as_i64().expect("all-clear sent");
    wait_done(&app, &approver, cancel_id).await;
    for (follow_up, msg_type, of) in [(update_id, "Update", id), (cancel_id, "Cancel", update_id)] {
        let xml = schema_valid_cap(&app, follow_up).await;
        assert_eq!(element(&xml, "msgType"), msg_type);
        let (_, referenced) = api(&app, &approver, "GET", &format!("/api/v1/alerts/{of}"), None).await;
        let identifier = referenced["identifier"].as_str().unwrap();
        let references: Vec<&str> = element(&xml, "references").split(',').collect();
        assert_eq!(references.get(1), Some(&identifier), "{msg_type} references {of}: {xml}");
    }

    let (status, imported) = post_cap(&app, &author, "application/cap+xml", original_xml).await;
    assert_eq!(status, 201, "{imported}");
    let new_id = imported["id"].as_i64().unwrap();
    let (_, new) = api(&app, &author, "GET", &format!("/api/v1/alerts/{new_id}"), None).await;
    let (_, old) = api(&app, &author, "GET", &format!("/api/v1/alerts/{id}"), None).await;
    assert_eq!((new["state"].as_str(), new["msg_type"].as_str()), (Some("draft"), Some("Alert")), "{new}");
    assert_eq!(new["districts"], json!(TARGET));
    assert_eq!((&new["districts"], &new["headline"]), (&old["districts"], &old["headline"]));
    let original = app.store.alert(id).await.unwrap().unwrap().spec;
    let copy = app.store.alert(new_id).await.unwrap().unwrap().spec;
    assert_eq!(copy.info, original.info, "texts per language");
    assert_eq!(
        (copy.category, copy.urgency, copy.severity, copy.certainty, copy.response_type),
        (original.category, original.urgency, original.severity, original.certainty, original.response_type)
    );
    assert_eq!((copy.kind, copy.status, &copy.event), (original.kind, original.status, &original.event));
    assert_eq!(copy.expires_at, original.expires_at);
    assert_eq!(copy.expires_at, DateTime::parse_from_rfc3339(&expires).unwrap());
    assert_eq!(copy.area, original.area, "districts, polygons, circles and description");

    // An upstream warning: TERYT 1261011 (inside Kraków's county code) means every district.
    let all: Vec<i64> = app.store.list_districts().await.unwrap().iter().map(|d| d.number).collect();
    let got = post_cap(&app, &author, "application/cap+xml", rcb_flood()).await;
    assert_eq!(got.0, 201, "{}", got.1);
    assert_eq!(got.1["districts"], json!(all));
    let (_, rcb) = api(&app, &author, "GET", &format!("/api/v1/alerts/{}", got.1["id"]), None).await;
    assert_eq!(rcb["headline"], "Ostrzeżenie hydrologiczne: Wisła w Krakowie");
    assert_eq!(rcb["state"], "draft");
    app.stop().await;
}
