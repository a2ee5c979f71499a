//! Alerts in headless Chromium: an editor composes an emergency and sees the preview, a second official approves
//! it, and the progress page (live over server-sent events) reaches 100 %; axe-core checks the official pages and
//! the public ones in Polish, English and Ukrainian.
//!
//! With `HEJNAL_TEST_SCREENSHOTS=<dir>` the progress page is saved as `<dir>/alert-progress.png` (the README's
//! picture comes from there).

use std::time::{Duration, Instant};

use hejnal::domain::Role;

use crate::{
    alerts::synthetic_panel,
    browser::harness::Browser,
    dual,
    support::{Db, TestApp, push_service::PushService},
};

dual!(compose_preview_approve_and_watch_progress);

pub async fn sign_in(browser: &Browser, app: &TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/official/login?lang=en")).await;
    browser.find("#email").await.send_keys(email).await.unwrap();
    browser.find("#password").await.send_keys(password).await.unwrap();
    browser.find("main form[action='/official/login'] button[type=submit]").await.click().await.unwrap();
    browser.find("header form[action='/official/logout']").await;
}

async fn sign_out(browser: &Browser) {
    browser.find("header form[action='/official/logout'] button").await.click().await.unwrap();
    browser.find("main form[action='/official/login']").await;
}

pub async fn select(browser: &Browser, css: &str, value: &str) {
    browser.find(css).await.select_by_value(value).await.unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
}

/// Waits until the element's text contains `needle`.
pub async fn wait_for_contains(browser: &Browser, css: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = match browser.client.find(fantoccini::Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(needle) {
            return text;
        }
        assert!(Instant::now() < deadline, "{css} never contained {needle:?}; last: {text:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn compose_preview_approve_and_watch_progress(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let push = PushService::start().await;
    let app = TestApp::spawn(db).await;
    let panel = synthetic_panel(&app, &push).await;
    let (_, editor_pw) = app.add_official("editor@krakow.example.org", &[Role::Editor]).await;
    let (_, approver_pw) = app.add_official("approver@krakow.example.org", &[Role::Approver]).await;

    sign_in(&browser, &app, "editor@krakow.example.org", &editor_pw).await;
    browser.goto(&app.url("/official/alerts/new")).await;
    browser.axe_check("compose (en)").await;
    // Submitting without a headline, category or area: the errors are listed and tied to their fields.
    browser.find("main form button[type=submit]").await.click().await.unwrap();
    wait_for_contains(&browser, "main .error-summary", "Enter a headline").await;
    assert!(browser.text("[id='area.districts-error']").await.contains("Choose at least one district"));
    browser.axe_check("compose with errors (en)").await;

    select(&browser, "#category", "Met").await;
    browser.find("#event").await.send_keys("Flood").await.unwrap();
    select(&browser, "#urgency", "Immediate").await;
    select(&browser, "#severity", "Severe").await;
    select(&browser, "#certainty", "Likely").await;
    browser.find("[id='info.pl.headline']").await.send_keys("Powódź na Wiśle").await.unwrap();
    browser.find("[id='info.pl.instruction']").await.send_keys("Opuść tereny zalewowe.").await.unwrap();
    browser.find("[id='info.en.headline']").await.send_keys("Flood on the Vistula").await.unwrap();
    browser.find("[id='area.description']").await.send_keys("Podgórze, Łagiewniki, Swoszowice").await.unwrap();
    for d in crate::alerts::TARGET {
        browser.find(&format!("input[name=district][value='{d}']")).await.click().await.unwrap();
    }
    browser.find("main form button[type=submit]").await.click().await.unwrap();

    // The preview: counts per channel and every rendering, before anything is sent.
    wait_for_contains(&browser, "main", "Nothing has been sent yet").await;
    let expected: i64 = panel.iter().map(|r| r.expected.len() as i64).sum();
    let mut shown = 0;
    for channel in ["email", "sms", "push"] {
        shown += browser.text(&format!("#preview-counts td[data-channel={channel}]")).await.parse::<i64>().unwrap();
    }
    assert_eq!(shown, expected, "the preview counts every delivery");
    assert!(browser.text("main").await.contains("You wrote this emergency alert"));
    assert!(browser.client.find(fantoccini::Locator::Css("form[action$='/approve']")).await.is_err());
    let page = browser.current_url().await;
    browser.axe_check("alert preview (en)").await;
    sign_out(&browser).await;

    sign_in(&browser, &app, "approver@krakow.example.org", &approver_pw).await;
    browser.goto(&page).await;
    browser.find("form[action$='/approve'] button").await.click().await.unwrap();
    let done = wait_for_contains(&browser, "#live-progress .progress-overall", "100 %").await;
    assert!(done.contains("Delivery finished"), "{done}");
    let table = browser.text("#live-progress table").await;
    assert!(table.contains("Email") && table.contains("SMS"), "{table}");
    if let Ok(dir) = std::env::var("HEJNAL_TEST_SCREENSHOTS") {
        browser.js("window.scrollTo(0, document.getElementById('progress-heading').offsetTop - 20)").await;
        let png = browser.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join("alert-progress.png"), png).unwrap();
    }
    browser.axe_check("alert progress (en)").await;

    let id = page.rsplit('/').next().unwrap().to_string();
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/alerts?lang={lang}"))).await;
        browser.find(&format!("a[href='/alerts/{id}']")).await;
        browser.axe_check(&format!("public alerts ({lang})")).await;
        browser.goto(&app.url(&format!("/alerts/{id}?lang={lang}"))).await;
        let expected = if lang == "en" { "Flood on the Vistula" } else { "Powódź na Wiśle" };
        browser.wait_for_text("h1", expected).await;
        browser.axe_check(&format!("public alert ({lang})")).await;
    }
    browser.goto(&app.url("/official/alerts?lang=uk")).await;
    browser.axe_check("alert list (uk)").await;
    browser.close().await;
    app.stop().await;
}
