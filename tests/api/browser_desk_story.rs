//! The intervention desk's whole story in headless Chromium, keyboard only (issue 11's "done when"): a resident
//! writing in Ukrainian finds the service by typing the problem, files a report with a photo and a point picked on
//! the district map with the arrow keys, and confirms their address; the photo comes back without EXIF and is never
//! served publicly until published; the unit acknowledges, passes it on, the second unit resolves — each step at the
//! real SMTP server in Ukrainian; "is it fixed? no" reopens it; a neighbour is offered it and follows it; the public
//! page, Open311 and open data show no personal data.

use std::time::Duration;

use fantoccini::key::Key;
use hejnal::{core::Core, desk::aftercare};
use serde_json::{Value, json};

use crate::{
    browser::harness::Browser,
    desk::{count, jpeg_with_exif},
    desk_notify::{path_of, staff, step},
    dual,
    support::{
        Db, TestApp,
        smtp::{Email, SmtpKeeper},
    },
};

dual!(a_resident_reports_a_fallen_tree_by_keyboard_and_hears_how_it_ended);

const BOUNDARIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/boundaries-grid.geojson");
const EMAIL: &str = "oksana.story@example.org";

/// Presses Tab until the focused element matches `css` (at most 80 presses): the element is reachable by keyboard.
async fn tab_to(browser: &Browser, css: &str) {
    let check = format!("return document.activeElement !== null && document.activeElement.matches({css:?});");
    for _ in 0..80 {
        if browser.js(&check).await == Value::Bool(true) {
            return;
        }
        browser.press(Key::Tab).await;
    }
    panic!("{css} is not reachable with the Tab key on {}", browser.current_url().await);
}

async fn type_keys(browser: &Browser, css: &str, text: &str) {
    tab_to(browser, css).await;
    browser.find(css).await.send_keys(text).await.unwrap();
}

async fn value_of(browser: &Browser, css: &str) -> String {
    browser.js(&format!("return document.querySelector({css:?}).value;")).await.as_str().unwrap_or("").to_string()
}

fn mail_to(mails: &[Email], subject: impl Fn(&str) -> bool) -> &Email {
    mails
        .iter()
        .find(|m| m.subject.as_deref().is_some_and(&subject))
        .unwrap_or_else(|| panic!("no such message among {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>()))
}

async fn a_resident_reports_a_fallen_tree_by_keyboard_and_hears_how_it_ended(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(db, |s| {
        s.smtp_url = Some(hejnal::config::Secret::new(url));
        s.alerts.boundaries = Some(BOUNDARIES.into());
    })
    .await;

    // The form with its map, in each language: no axe-core violation; the map tools appear with the script.
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/report?service=TREE-FALLEN&lang={lang}"))).await;
        let shown = browser.js("const t = document.getElementById('point-tools'); return t ? !t.hidden : document.documentElement.outerHTML;").await;
        assert_eq!(shown, Value::Bool(true), "the map tools are shown");
        browser.axe_check(&format!("report form with its map ({lang})")).await;
    }

    // 1. "Who do I call?": typed in Ukrainian, answered with the service, its unit and its time.
    browser.goto(&app.url("/report?lang=uk")).await;
    type_keys(&browser, "#q", "впало дерево").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text_where("#results-heading", "the results", |t| !t.is_empty()).await;
    let results = browser.text("#results").await;
    assert!(results.contains("Впале або зламане дерево"), "{results}");
    tab_to(&browser, "a[href='/report?service=TREE-FALLEN']").await;
    browser.press(Key::Enter).await;
    browser.find("#report-form").await;

    // 2. The form, keyboard only; the place picked on the map with the arrow keys.
    type_keys(&browser, "#description", "Дерево впало на доріжку біля школи").await;
    tab_to(&browser, "#point-picker").await;
    for key in [Key::Up, Key::Up, Key::Right] {
        browser.press(key).await;
    }
    let place = value_of(&browser, "#coordinates").await;
    let (lat, lon) = place.split_once(", ").unwrap_or_else(|| panic!("the map wrote the place: {place:?}"));
    let (lat, lon): (f64, f64) = (lat.parse().unwrap(), lon.parse().unwrap());
    assert!((49.967..50.126).contains(&lat) && (19.792..20.217).contains(&lon), "inside the city: {place}");
    assert!(browser.text("#point-status").await.contains(&place), "the map says where the point is");
    tab_to(&browser, "#attr-road_blocked-yes").await;
    browser.press(Key::Space).await;
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("drzewo.jpg");
    std::fs::write(&photo, jpeg_with_exif()).unwrap();
    // A file input is "typed into" with the file's path: WebDriver's stand-in for the system's file dialog.
    tab_to(&browser, "#photo").await;
    browser.find("#photo").await.send_keys(&photo.display().to_string()).await.unwrap();
    // A radio group is one Tab stop: the arrow key moves the choice from "nothing" to "email".
    tab_to(&browser, "#contact-none").await;
    browser.press(Key::Down).await;
    assert_eq!(browser.js("return document.getElementById('contact-email').checked;").await, Value::Bool(true));
    type_keys(&browser, "#email", EMAIL).await;
    tab_to(&browser, "#report-form button[type=submit]").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text("h1", "Звернення прийнято").await;
    browser.axe_check("report filed by keyboard (uk)").await;
    let id = count(&app, "SELECT MAX(id) FROM desk_reports").await;
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM desk_photos WHERE report_id = {id}")).await, 1);
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id} AND service_code = 'TREE-FALLEN'"))
            .await,
        1
    );

    // 3. The address is confirmed from the emailed link, in the browser, by keyboard.
    let mails = smtp.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(mails[0].envelope_to, vec![EMAIL.to_string()]);
    assert_eq!(mails[0].subject.as_deref(), Some(format!("Підтвердьте адресу для звернення № {id}").as_str()));
    browser.goto(&app.url(&path_of(mails[0].text_body.as_deref().unwrap(), "/report-contact/"))).await;
    tab_to(&browser, "main form button[type=submit]").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text_where("h1", "confirmed", |t| !t.is_empty()).await;
    let confirmed = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {id} AND confirmed_at IS NOT NULL");
    assert_eq!(count(&app, &confirmed).await, 1);

    // 4. The photo: to staff without EXIF; to anyone else refused until a dispatcher publishes it.
    let green = staff(&app, "green-story@krakow.example.org", &["ZZM"]).await;
    let roads = staff(&app, "roads-story@krakow.example.org", &["ZDMK"]).await;
    let http = reqwest::Client::new();
    let photo_url = app.url(&format!("/api/v1/reports/{id}/photos/1"));
    let served = http.get(&photo_url).bearer_auth(&green).send().await.unwrap();
    assert_eq!(served.status(), 200);
    let served = served.bytes().await.unwrap();
    assert!(served.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert!(!served.windows(4).any(|w| w == b"Exif") && !served.windows(11).any(|w| w == b"GPSLatitude"));
    assert_eq!(http.get(&photo_url).send().await.unwrap().status(), 403, "not published: never public");

    // 5. The unit acknowledges, passes it to the roads authority, which resolves it: three messages in Ukrainian.
    step(&app, &green, id, json!({"state": "acknowledged", "public_note": "Бачимо, дякуємо."})).await;
    step(
        &app,
        &green,
        id,
        json!({"state": "transferred", "unit": "ZDMK", "public_note": "дерево лежить на дорозі", "internal_note": "tel. 12"}),
    )
    .await;
    step(&app, &roads, id, json!({"state": "resolved", "public_note": "Дерево прибрано."})).await;
    let mails = smtp.wait_for(4, Duration::from_secs(60)).await;
    let prefix = format!("Ваше звернення № {id}: ");
    for m in &mails[1..] {
        assert_eq!(m.envelope_to, vec![EMAIL.to_string()]);
        assert!(m.subject.as_deref().is_some_and(|s| s.starts_with(&prefix)), "in Ukrainian: {:?}", m.subject);
        assert!(!m.text_body.as_deref().unwrap().contains("tel. 12"), "never the internal note");
    }
    let resolved = mail_to(&mails, |s| s == format!("{prefix}вирішено"));
    assert!(resolved.text_body.as_deref().unwrap().contains("Дерево прибрано."));
    assert!(mail_to(&mails, |s| s.ends_with("передано іншому підрозділу")).text_body.is_some());

    // 6. A week on, "is it fixed?" — "no", by keyboard, reopens it to the unit that has it, flagged.
    let core = Core::new(app.config.clone(), app.store.clone()).await.unwrap();
    assert_eq!(aftercare::ask_fixed(&core, chrono::Utc::now() + chrono::Duration::days(8)).await.unwrap(), 1);
    let mails = smtp.wait_for(5, Duration::from_secs(60)).await;
    let ask = mails.iter().filter_map(|m| m.text_body.as_deref()).find(|t| t.contains("/report-fixed/"));
    browser.goto(&app.url(&path_of(ask.expect("the question"), "/report-fixed/"))).await;
    browser.wait_for_text("h1", "Чи виправлено?").await;
    tab_to(&browser, "button[value=no]").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text_where("main", "the answer recorded", |t| t.contains("повертається до підрозділу")).await;
    let reopened = format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id} AND state = 'new' AND reopened");
    assert_eq!(count(&app, &reopened).await, 1);

    // 7. A neighbour reporting the same tree 20 m away is offered this one and follows it instead.
    let near = format!("{:.5},{:.5}", lat + 0.00018, lon);
    browser.goto(&app.url(&format!("/report/nearby?service=TREE-FALLEN&coordinates={near}"))).await;
    tab_to(&browser, &format!("a[href='/report/follow/{id}']")).await;
    browser.press(Key::Enter).await;
    type_keys(&browser, "#email", "sasiad.story@example.org").await;
    tab_to(&browser, "main form button[type=submit]").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text_where("h1", "the pending page", |t| !t.is_empty()).await;
    let to_follower = |m: &Email| m.envelope_to == vec!["sasiad.story@example.org".to_string()];
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !smtp.messages().iter().any(to_follower) {
        assert!(std::time::Instant::now() < deadline, "the follower's confirmation never arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let followers = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {id}");
    assert_eq!(count(&app, &followers).await, 2, "the reporter and the follower");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 1, "no second report");

    // 8. Nothing personal in public: the page, the API, Open311, open data; the photo still refused.
    let note = "Дерево прибрано.";
    for path in [
        format!("/reports/{id}?lang=uk"),
        format!("/api/v1/reports/{id}"),
        format!("/open311/v2/requests/{id}.json"),
        format!("/open311/v2/requests/{id}.xml"),
        "/open-data/reports.csv".to_string(),
        "/open-data/reports.json".to_string(),
    ] {
        let res = http.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let body = res.text().await.unwrap();
        for secret in [EMAIL, "sasiad.story", "Дерево впало на доріжку", "tel. 12", "Exif"] {
            assert!(!body.contains(secret), "{path} shows {secret:?}");
        }
        if path.starts_with("/reports/") {
            assert!(body.contains(note), "the public note is public: {path}");
        }
    }
    assert_eq!(http.get(&photo_url).send().await.unwrap().status(), 403);
    browser.close().await;
    app.stop().await;
}
