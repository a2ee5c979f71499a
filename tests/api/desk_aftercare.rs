//! Around a report (issue 11): "is it this one? follow it instead" (open reports of the same service within 50 m,
//! following one by a confirmed contact); the same report sent at the same moment is filed once; "is it fixed?" a
//! week after `resolved`, "no" reopening it to its unit, flagged; contacts erased 30 days after closing. The time of
//! the background steps is passed in, as the loop does, so the tests move the clock instead of waiting.

use std::time::Duration;

use chrono::Utc;
use hejnal::{core::Core, desk::aftercare, domain::Role};
use serde_json::{Value, json};

use crate::{
    desk::{count, post_report, report_form},
    desk_notify::{app_with_smtp, confirm_by_link, file_with, path_of, staff, step},
    dual,
    support::{Client, Db, TestApp, csrf_from, smtp::SmtpKeeper},
};

dual!(
    an_open_report_nearby_is_offered_and_followed_by_a_confirmed_contact,
    the_same_report_sent_at_once_from_many_places_is_filed_once,
    a_week_after_resolved_the_reporter_is_asked_and_no_reopens_it,
    contacts_are_erased_thirty_days_after_the_report_closed,
    nobody_floods_a_stranger_through_the_desk,
);

async fn core(app: &TestApp) -> Core {
    Core::new(app.config.clone(), app.store.clone()).await.expect("the core")
}

async fn nearby(app: &TestApp, query: &str) -> reqwest::Response {
    reqwest::get(app.url(&format!("/api/v1/reports/nearby?{query}"))).await.unwrap()
}

async fn an_open_report_nearby_is_offered_and_followed_by_a_confirmed_contact(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let app = app_with_smtp(db, &smtp).await;
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;
    let id = file_with(&app, None, "en", "Deep pothole by the fountain").await["id"].as_i64().unwrap();

    // About 22 m north: offered; about 100 m north, or another service: not.
    let res = nearby(&app, "service_code=ROAD-POTHOLE&lat=50.0616&long=19.9366").await;
    assert_eq!(res.status(), 200);
    let found: Value = res.json().await.unwrap();
    assert_eq!(found["reports"][0]["id"], id, "{found}");
    assert_eq!(found["reports"][0]["distance_m"], 22);
    assert_eq!(found["reports"][0]["follow_url"], format!("/api/v1/reports/{id}/followers"));
    let far: Value = nearby(&app, "service_code=ROAD-POTHOLE&lat=50.0623&long=19.9366").await.json().await.unwrap();
    assert_eq!(far["reports"], json!([]));
    let other: Value = nearby(&app, "service_code=STREET-LIGHT&lat=50.0614&long=19.9366").await.json().await.unwrap();
    assert_eq!(other["reports"], json!([]));
    // Bad input: a sentence per field.
    let res = nearby(&app, "service_code=NOPE&lat=50.0614&long=19.9366&lang=en").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("service_code"));
    let res = nearby(&app, "service_code=ROAD-POTHOLE&lat=52.2297&long=21.0122").await;
    assert_eq!(res.status(), 422);

    // The page offers it with a link to follow it.
    let client = Client::new(&app);
    let page = client.get("/report/nearby?service=ROAD-POTHOLE&coordinates=50.0616,19.9366&lang=en").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&format!("/report/follow/{id}")));

    // Following it on the page: the address is confirmed by its link, then hears the next step, in Polish.
    let follow = format!("/report/follow/{id}?lang=pl");
    let html = client.get(&follow).await.text().await.unwrap();
    let csrf = csrf_from(&html).unwrap();
    let res = client
        .http
        .post(client.url(&format!("/report/follow/{id}?lang=pl")))
        .form(&[("_csrf", csrf.as_str()), ("email", "marta@example.org"), ("phone", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mails = smtp.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(mails[0].envelope_to, vec!["marta@example.org".to_string()]);
    let followers = format!(
        "SELECT COUNT(*) FROM consent_events WHERE report_id = {id} AND purpose = 'report_updates' AND granted \
         AND channel = 'email' AND method = 'web'"
    );
    assert_eq!(count(&app, &followers).await, 1, "the follower's consent is in the ledger");
    confirm_by_link(&app, &path_of(mails[0].text_body.as_deref().unwrap(), "/report-contact/")).await;
    step(&app, &roads, id, json!({"state": "acknowledged", "public_note": "Widzimy."})).await;
    let mails = smtp.wait_for(2, Duration::from_secs(30)).await;
    assert_eq!(mails[1].envelope_to, vec!["marta@example.org".to_string()]);
    assert_eq!(mails[1].subject.as_deref(), Some(format!("Twoje zgłoszenie nr {id}: przyjęte").as_str()));

    // Following by API with a phone: a code is on its way.
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/followers")))
        .json(&json!({"phone": "+48 600 300 400"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap()["confirmation"]["by"], "sms_code");

    // Bad input changes nothing: an unknown report, no contact, a closed report.
    let contacts = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {id}");
    assert_eq!(count(&app, &contacts).await, 2);
    let post = |path: String, body: Value| {
        let url = app.url(&path);
        async move { reqwest::Client::new().post(url).header("Accept-Language", "en").json(&body).send().await.unwrap() }
    };
    let res = post("/api/v1/reports/999999/followers".into(), json!({"email": "x@example.org"})).await;
    assert_eq!(res.status(), 404);
    let res = post(format!("/api/v1/reports/{id}/followers"), json!({})).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Give an email address or a phone number"));
    step(&app, &roads, id, json!({"state": "resolved", "public_note": "Patched."})).await;
    let res = post(format!("/api/v1/reports/{id}/followers"), json!({"email": "late@example.org"})).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("This report is closed"));
    assert_eq!(count(&app, &contacts).await, 2);
    let page = client.get(&format!("/report/follow/{id}?lang=uk")).await;
    assert_eq!(page.status(), 409);
    assert!(page.text().await.unwrap().contains("Це звернення закрите"));
    app.stop().await;
}

async fn the_same_report_sent_at_once_from_many_places_is_filed_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let sends = (0..8).map(|_| {
        let form = report_form("STREET-LIGHT", "The lamp by the stop is out").text("email", "same@example.org");
        post_report(&app, form, "en")
    });
    let answers = futures_util::future::join_all(sends).await;
    let mut ids = Vec::new();
    for res in answers {
        assert!(res.status() == 201 || res.status() == 200, "{}", res.status());
        ids.push(res.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1, "one report for eight identical submissions: {ids:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_contacts").await, 1);
    app.stop().await;
}

async fn a_week_after_resolved_the_reporter_is_asked_and_no_reopens_it(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let app = app_with_smtp(db, &smtp).await;
    let core = core(&app).await;
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;
    let id = file_with(&app, Some(("email", "ewa@example.org")), "en", "Pothole in the bus lane").await["id"]
        .as_i64()
        .unwrap();
    let mails = smtp.wait_for(1, Duration::from_secs(30)).await;
    confirm_by_link(&app, &path_of(mails[0].text_body.as_deref().unwrap(), "/report-contact/")).await;
    step(&app, &roads, id, json!({"state": "resolved", "public_note": "Filled."})).await;
    smtp.wait_for(2, Duration::from_secs(30)).await;

    let now = Utc::now();
    assert_eq!(aftercare::ask_fixed(&core, now + chrono::Duration::days(6)).await.unwrap(), 0, "not a week yet");
    assert_eq!(aftercare::ask_fixed(&core, now + chrono::Duration::days(8)).await.unwrap(), 1);
    assert_eq!(aftercare::ask_fixed(&core, now + chrono::Duration::days(9)).await.unwrap(), 0, "asked once");
    let mails = smtp.wait_for(3, Duration::from_secs(30)).await;
    let ask = &mails[2];
    assert_eq!(ask.envelope_to, vec!["ewa@example.org".to_string()]);
    assert_eq!(ask.subject.as_deref(), Some(format!("Your report no. {id}: is it fixed?").as_str()));
    let path = path_of(ask.text_body.as_deref().unwrap(), "/report-fixed/");

    // A forged link is refused; the real one shows three buttons; "no" reopens the report, flagged.
    let client = Client::new(&app);
    let forged = client.get("/report-fixed/AAAA.bbbb?lang=en").await;
    assert_eq!(forged.status(), 404);
    assert!(forged.text().await.unwrap().contains("This link does not work"));
    let html = client.get(&path).await.text().await.unwrap();
    assert!(html.contains(r#"value="no""#));
    let csrf = csrf_from(&html).unwrap();
    let res =
        client.http.post(client.url(&path)).form(&[("_csrf", csrf.as_str()), ("answer", "no")]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let report = app.store.report(id).await.unwrap().unwrap();
    assert_eq!(report.state.as_str(), "new", "back to its unit");
    assert_eq!(report.unit, "ZDMK");
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id} AND reopened")).await, 1);
    let worklist = app.signed_in("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let html = worklist.get("/official/reports?lang=en").await.text().await.unwrap();
    assert!(html.contains("Reopened: the resident says it is not fixed"), "flagged in the worklist");

    // Answering again changes nothing.
    let res =
        client.http.post(client.url(&path)).form(&[("_csrf", csrf.as_str()), ("answer", "yes")]).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id} AND fixed_answer = 'no'")).await,
        1
    );
    app.stop().await;
}

async fn contacts_are_erased_thirty_days_after_the_report_closed(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let app = app_with_smtp(db, &smtp).await;
    let core = core(&app).await;
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;
    let closed = file_with(&app, Some(("email", "piotr@example.org")), "pl", "Dziura przy przystanku").await["id"]
        .as_i64()
        .unwrap();
    let open = file_with(&app, Some(("phone", "+48600500600")), "pl", "Druga dziura").await["id"].as_i64().unwrap();
    step(&app, &roads, closed, json!({"state": "rejected", "public_note": "To droga prywatna."})).await;

    let now = Utc::now();
    assert_eq!(aftercare::erase_closed_contacts(&core, now + chrono::Duration::days(29)).await.unwrap(), 0);
    let kept = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {closed} AND value IS NOT NULL");
    assert_eq!(count(&app, &kept).await, 1, "kept for 30 days");
    assert_eq!(aftercare::erase_closed_contacts(&core, now + chrono::Duration::days(31)).await.unwrap(), 1);
    assert_eq!(count(&app, &kept).await, 0);
    let report = app.store.report(closed).await.unwrap().unwrap();
    assert_eq!((report.contact_kind, report.contact_value), (None, None), "the report stays, anonymous");
    assert_eq!(report.state.as_str(), "rejected");
    let open_kept = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {open} AND value IS NOT NULL");
    assert_eq!(count(&app, &open_kept).await, 1, "an open report keeps its contact");
    assert_eq!(app.store.report(open).await.unwrap().unwrap().contact_value.as_deref(), Some("+48600500600"));
    app.stop().await;
}

/// Following is open to anyone, so each confirmation spends budgets: the contact point's (three, then one every two
/// minutes, whoever asks) and the client address's (twenty, then one every 30 s: 429 with `Retry-After`).
async fn nobody_floods_a_stranger_through_the_desk(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = post_report(&app, report_form("STREET-LIGHT", "The lamp by the tram stop is out"), "en").await;
    let id = id.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let follow = |email: String| {
        let url = app.url(&format!("/api/v1/reports/{id}/followers"));
        async move { reqwest::Client::new().post(url).json(&json!({ "email": email })).send().await.unwrap() }
    };
    let confirmations = "SELECT COUNT(*) FROM broadcasts WHERE kind = 'report-confirm-email'";
    for _ in 0..5 {
        assert_eq!(follow("victim@example.org".into()).await.status(), 201);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_contacts").await, 5, "each request was taken");
    assert_eq!(count(&app, confirmations).await, 3, "three confirmations to one address, not five");
    for n in 5..20 {
        assert_eq!(follow(format!("person{n}@example.org")).await.status(), 201, "request {n}");
    }
    let res = follow("one-more@example.org".into()).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some(), "says when to come back");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_contacts").await, 20, "the refused request stored nothing");
    assert_eq!(count(&app, confirmations).await, 18);
    app.stop().await;
}
