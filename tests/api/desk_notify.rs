//! The resident hears back (issue 11): each public step of a report reaches its reporter at the real SMTP server,
//! in the language they filed in, with the report's page and a link that stops the messages; an email is confirmed
//! by its link's button and a phone by its SMS code before anything else is sent there; an anonymous report sends
//! nothing.

use std::time::Duration;

use hejnal::{config::Secret, domain::Role};
use serde_json::{Value, json};

use crate::{
    desk::{count, post_report, report_form},
    dual,
    panel::{link_with, nth_sms_code},
    support::{Client, Db, TestApp, csrf_from, smtp::SmtpKeeper},
};

dual!(
    each_public_step_reaches_the_reporter_in_their_language_once_confirmed,
    a_stopped_contact_and_an_anonymous_report_hear_nothing,
    a_phone_is_confirmed_by_its_sms_code_and_then_hears_by_sms,
);

pub async fn app_with_smtp(db: Db, smtp: &SmtpKeeper) -> TestApp {
    let url = smtp.url();
    TestApp::spawn_with(db, |s| s.smtp_url = Some(Secret::new(url))).await
}

/// A bearer token for a new official working for these units.
pub async fn staff(app: &TestApp, email: &str, units: &[&str]) -> String {
    let (id, _) = app.add_official(email, &[] as &[Role]).await;
    let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
    app.store.set_staff_units(id, &units).await.unwrap();
    app.token_for(id).await
}

/// A state change through the API; it must be accepted.
pub async fn step(app: &TestApp, token: &str, id: i64, body: Value) {
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/transitions")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{body}: {}", res.text().await.unwrap());
}

/// Files a pothole report with this contact field, in `lang`; returns the answer.
pub async fn file_with(app: &TestApp, field: Option<(&str, &str)>, lang: &str, description: &str) -> Value {
    let mut form = report_form("ROAD-POTHOLE", description).text("attribute[blocking]", "false");
    if let Some((k, v)) = field {
        form = form.text(k.to_string(), v.to_string());
    }
    let res = post_report(app, form, lang).await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

/// The path of a link in a text, from `prefix` on.
pub fn path_of(text: &str, prefix: &str) -> String {
    let link = link_with(text, prefix);
    link[link.find(prefix).unwrap()..].to_string()
}

/// Opens an emailed confirmation link and presses its button, as a browser does.
pub async fn confirm_by_link(app: &TestApp, path: &str) {
    let client = Client::new(app);
    let page = client.get(path).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let csrf = csrf_from(&html).expect("a button with a CSRF token");
    let res = client.http.post(client.url(path)).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

fn uk_unit(catalogue: &hejnal::domain::desk::Catalogue, code: &str) -> String {
    catalogue.unit(code).unwrap().name.uk.clone()
}

async fn each_public_step_reaches_the_reporter_in_their_language_once_confirmed(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let app = app_with_smtp(db, &smtp).await;
    let filed = file_with(&app, Some(("email", "Olena@Example.org")), "uk", "A branch lies across the road").await;
    let id = filed["id"].as_i64().unwrap();
    assert_eq!(filed["confirmation"]["by"], "email_link", "{filed}");
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;
    let green = staff(&app, "green@krakow.example.org", &["ZZM"]).await;

    // Before the address is confirmed, a step sends it nothing.
    step(&app, &roads, id, json!({"state": "acknowledged", "public_note": "Бачимо."})).await;
    let mails = smtp.wait_for(1, Duration::from_secs(30)).await;
    let confirm = &mails[0];
    assert_eq!(confirm.envelope_to, vec!["olena@example.org".to_string()]);
    assert_eq!(confirm.subject.as_deref(), Some(format!("Підтвердьте адресу для звернення № {id}").as_str()));
    let body = confirm.text_body.clone().unwrap();
    let path = path_of(&body, "/report-contact/");

    // Opening the link changes nothing; its page names the address masked; the button confirms it.
    let page = Client::new(&app).get(&path).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("o***@example.org"));
    let unconfirmed = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {id} AND confirmed_at IS NULL");
    assert_eq!(count(&app, &unconfirmed).await, 1, "a GET confirms nothing");
    confirm_by_link(&app, &path).await;
    assert_eq!(count(&app, &unconfirmed).await, 0);
    // A used link is a clear 404 in the page's language.
    let again = Client::new(&app).get(&format!("{path}?lang=uk")).await;
    assert_eq!(again.status(), 404);
    assert!(again.text().await.unwrap().contains("Це посилання не працює"));

    let ua_green = uk_unit(&app.store.catalogue().await.unwrap(), "ZZM");
    step(
        &app,
        &roads,
        id,
        json!({"state": "transferred", "unit": "ZZM", "public_note": "це дерево, а не дорога", "internal_note": "call ZZM"}),
    )
    .await;
    step(&app, &green, id, json!({"state": "resolved", "public_note": "Гілку прибрано."})).await;

    let mails = smtp.wait_for(3, Duration::from_secs(60)).await;
    assert_eq!(mails.len(), 3, "the step before confirmation was never sent");
    // Two steps are two messages queued a moment apart: the engine does not promise their order.
    let (transferred, resolved) = match mails[1].subject.as_deref().is_some_and(|s| s.contains("передано")) {
        true => (&mails[1], &mails[2]),
        false => (&mails[2], &mails[1]),
    };
    for m in [transferred, resolved] {
        assert_eq!(m.envelope_to, vec!["olena@example.org".to_string()]);
        let text = m.text_body.clone().unwrap();
        assert!(text.contains(&format!("/reports/{id}")), "the report's page: {text}");
        assert!(text.contains("/report-updates/"), "a link to stop: {text}");
        assert!(m.header("List-Unsubscribe").is_some_and(|h| h.contains("/report-updates/")));
        assert!(!text.contains("call ZZM"), "never the internal note: {text}");
    }
    assert_eq!(
        transferred.subject.as_deref(),
        Some(format!("Ваше звернення № {id}: передано іншому підрозділу").as_str())
    );
    let text = transferred.text_body.clone().unwrap();
    assert!(
        text.contains(&format!("передано до: {ua_green}, тому що: це дерево, а не дорога")),
        "the receiving unit and the reason: {text}"
    );
    assert_eq!(resolved.subject.as_deref(), Some(format!("Ваше звернення № {id}: вирішено").as_str()));
    assert!(resolved.text_body.clone().unwrap().contains("Гілку прибрано."));
    app.stop().await;
}

async fn a_stopped_contact_and_an_anonymous_report_hear_nothing(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let app = app_with_smtp(db, &smtp).await;
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;

    let anonymous = file_with(&app, None, "en", "Anonymous pothole").await;
    let anon_id = anonymous["id"].as_i64().unwrap();
    assert!(anonymous.get("confirmation").is_none(), "{anonymous}");
    step(&app, &roads, anon_id, json!({"state": "acknowledged"})).await;
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM broadcasts WHERE key LIKE 'report:{anon_id}:%'")).await, 0);

    let filed = file_with(&app, Some(("email", "jan@example.org")), "en", "A pothole to stop hearing about").await;
    let id = filed["id"].as_i64().unwrap();
    let mails = smtp.wait_for(1, Duration::from_secs(30)).await;
    confirm_by_link(&app, &path_of(mails[0].text_body.as_deref().unwrap(), "/report-contact/")).await;
    step(&app, &roads, id, json!({"state": "acknowledged", "public_note": "Seen."})).await;
    let mails = smtp.wait_for(2, Duration::from_secs(30)).await;
    let update = &mails[1];
    assert_eq!(update.subject.as_deref(), Some(format!("Your report no. {id}: received").as_str()));
    let stop = path_of(update.text_body.as_deref().unwrap(), "/report-updates/");

    // A forged token is refused with a sentence; the real one shows a button, and the one-click POST stops.
    let forged = reqwest::Client::new().post(app.url("/report-updates/AAAA.bbbb?lang=en")).send().await.unwrap();
    assert_eq!(forged.status(), 404);
    assert!(forged.text().await.unwrap().contains("This link does not work"));
    let page = reqwest::get(app.url(&stop)).await.unwrap();
    assert_eq!(page.status(), 200);
    let res =
        reqwest::Client::new().post(app.url(&stop)).form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let withdrawn = format!(
        "SELECT COUNT(*) FROM consent_events WHERE report_id = {id} AND purpose = 'report_updates' \
         AND NOT granted AND method = 'unsubscribe'"
    );
    assert_eq!(count(&app, &withdrawn).await, 1, "the withdrawal is in the ledger");

    step(&app, &roads, id, json!({"state": "in_progress", "public_note": "Crew on the way."})).await;
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM broadcasts WHERE key LIKE 'report:{id}:%'")).await, 1);
    assert_eq!(smtp.messages().len(), 2, "nothing after stopping");
    app.stop().await;
}

async fn a_phone_is_confirmed_by_its_sms_code_and_then_hears_by_sms(db: Db) {
    let app = TestApp::spawn(db).await;
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;
    let filed = file_with(&app, Some(("phone", "600 100 200")), "pl", "Dziura w jezdni").await;
    let id = filed["id"].as_i64().unwrap();
    assert_eq!(filed["confirmation"]["by"], "sms_code", "{filed}");
    let url = filed["confirmation"]["confirm_url"].as_str().unwrap().to_string();
    let code = nth_sms_code(&app, "+48600100200", 0).await;

    let send = |code: String| {
        let url = app.url(&url);
        async move {
            reqwest::Client::new()
                .post(url)
                .header("Accept-Language", "pl")
                .json(&json!({ "code": code }))
                .send()
                .await
                .unwrap()
        }
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = send(wrong.into()).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Ten kod się nie zgadza"));
    let res = send(code.clone()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["report_id"], id);
    let res = send(code).await;
    assert_eq!(res.status(), 409, "a code works once");

    // Guesses sent all at once are each counted before the code is compared: after five, even the right code fails.
    let other = file_with(&app, Some(("phone", "600 100 300")), "pl", "Druga dziura").await;
    let other_url = app.url(other["confirmation"]["confirm_url"].as_str().unwrap());
    let other_code = nth_sms_code(&app, "+48600100300", 0).await;
    let guess = |code: String| {
        let url = other_url.clone();
        async move { reqwest::Client::new().post(url).json(&json!({ "code": code })).send().await.unwrap().status() }
    };
    let wrong: Vec<String> =
        (0..12).map(|i| format!("{:06}", (other_code.parse::<u32>().unwrap() + 1 + i) % 1_000_000)).collect();
    let answers = futures_util::future::join_all(wrong.into_iter().map(guess)).await;
    assert!(answers.iter().all(|s| *s == 422 || *s == 410), "{answers:?}");
    assert!(answers.iter().filter(|s| **s == 422).count() <= 5, "at most five compared: {answers:?}");
    assert_eq!(guess(other_code).await, 410, "the right code after the guesses");
    let unconfirmed = format!(
        "SELECT COUNT(*) FROM desk_contacts WHERE report_id = {} AND confirmed_at IS NULL",
        other["id"].as_i64().unwrap()
    );
    assert_eq!(count(&app, &unconfirmed).await, 1);

    step(&app, &roads, id, json!({"state": "acknowledged"})).await;
    let log = app.db.data_dir().join("outbox/sms.log");
    for _ in 0..300 {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains(&format!("Miasto przyjęło Twoje zgłoszenie nr {id}")) {
            app.stop().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the update never reached the phone: {}", std::fs::read_to_string(&log).unwrap_or_default());
}
