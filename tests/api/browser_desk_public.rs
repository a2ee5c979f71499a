//! The desk's public pages in headless Chromium, axe-core on each in Polish, English and Ukrainian: the list with
//! its district map and filters (and with an error), a report's page with a published photo and a transfer in its
//! history, the statistics; and the dispatcher's publication form.

use hejnal::domain::Role;
use serde_json::{Value, json};

use crate::{
    browser::harness::Browser,
    desk::{jpeg_with_exif, photo, post_report, report_form},
    dual,
    support::{Db, TestApp},
};

dual!(desk_public_pages_are_accessible_in_three_languages);

const BOUNDARIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/boundaries-grid.geojson");

async fn desk_public_pages_are_accessible_in_three_languages(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn_with(db, |s| s.alerts.boundaries = Some(BOUNDARIES.into())).await;
    let form = report_form("STREET-LIGHT", "Lamp out")
        .text("public", "true")
        .part("photo", photo(jpeg_with_exif(), "a.jpg", "image/jpeg"));
    let res = post_report(&app, form, "en").await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (dispatcher, password) = app.add_official("desk-dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let token = app.token_for(dispatcher).await;
    let http = reqwest::Client::new();
    let res = http
        .post(app.url(&format!("/api/v1/reports/{id}/publication")))
        .bearer_auth(&token)
        .json(&json!({"description": true, "photos": [1]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = http
        .post(app.url(&format!("/api/v1/reports/{id}/transitions")))
        .bearer_auth(&token)
        .json(&json!({"state": "transferred", "unit": "ZZM", "public_note": "A tree is the cause"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    for lang in ["pl", "en", "uk"] {
        for page in
            ["/reports", "/reports?service=NOPE", "/reports?state=new", &format!("/reports/{id}"), "/reports/stats"]
        {
            let sep = if page.contains('?') { '&' } else { '?' };
            browser.goto(&app.url(&format!("{page}{sep}lang={lang}"))).await;
            assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
            browser.axe_check(&format!("{page} ({lang})")).await;
        }
    }
    // Keyboard-free filter: the GET form works without scripts.
    browser.goto(&app.url("/reports?lang=en")).await;
    browser.find("#filters-heading").await;
    browser.find("form.filters button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Reported problems").await;

    browser.goto(&app.url("/official/login")).await;
    browser.find("#email").await.send_keys("desk-dispatcher@krakow.example.org").await.unwrap();
    browser.find("#password").await.send_keys(&password).await.unwrap();
    browser.find("main form[action='/official/login'] button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Dashboard").await;
    for lang in ["pl", "en", "uk"] {
        let page = format!("/official/reports/{id}");
        browser.goto(&app.url(&format!("{page}?lang={lang}"))).await;
        assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
        browser.axe_check(&format!("{page} ({lang})")).await;
    }
    browser.close().await;
    app.stop().await;
}
