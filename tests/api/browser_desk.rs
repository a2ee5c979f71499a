//! The intervention desk in headless Chromium, axe-core on each page in Polish, English and Ukrainian: finding the
//! service, the report form (and its errors, tied to their fields), the filed page; the worklist, a report and the
//! unit staff page for officials; hearing back — "is it this one?", following, the confirmation link's page, the SMS
//! code form, the stop page and "is it fixed?".

use std::time::Duration;

use hejnal::{core::Core, desk::aftercare, domain::Role};
use serde_json::json;

use crate::{
    browser::harness::Browser,
    desk::{post_report, report_form},
    desk_notify::{app_with_smtp, confirm_by_link, file_with, path_of, staff, step},
    dual,
    support::{Db, TestApp, smtp::SmtpKeeper},
};

dual!(desk_pages_are_accessible_in_three_languages, hearing_back_pages_are_accessible_in_three_languages);

async fn desk_pages_are_accessible_in_three_languages(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    for lang in ["pl", "en", "uk"] {
        for page in ["/report", "/report?q=drzewo+spad%C5%82o", "/report?q=qqqq", "/report?service=TREE-FALLEN"] {
            let sep = if page.contains('?') { '&' } else { '?' };
            browser.goto(&app.url(&format!("{page}{sep}lang={lang}"))).await;
            assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
            browser.axe_check(&format!("{page} ({lang})")).await;
        }
    }
    // Sent empty: every problem listed, linked and next to its field.
    browser.goto(&app.url("/report?service=TREE-FALLEN&lang=en")).await;
    browser.find("#report-form button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("main .error-summary h2", "Please correct the marked fields").await;
    assert!(browser.text("#description-error").await.contains("Describe the problem."));
    assert!(browser.text("#coordinates-error").await.contains("Give the place"));
    assert!(browser.text("[id='attribute[road_blocked]-error']").await.contains("Answer this question."));
    browser.axe_check("report with errors (en)").await;
    // Filled in: filed.
    browser.find("#description").await.send_keys("A tree fell on the path").await.unwrap();
    browser.find("#coordinates").await.send_keys("50.0614, 19.9366").await.unwrap();
    browser.find("#attr-road_blocked-no").await.click().await.unwrap();
    browser.find("#report-form button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Report received").await;
    browser.axe_check("report filed (en)").await;

    let res = post_report(&app, report_form("STREET-LIGHT", "Lamp out"), "en").await;
    assert_eq!(res.status(), 201);
    let (_, password) = app.add_official("desk-admin@krakow.example.org", &[Role::Admin, Role::Dispatcher]).await;
    browser.goto(&app.url("/official/login")).await;
    browser.find("#email").await.send_keys("desk-admin@krakow.example.org").await.unwrap();
    browser.find("#password").await.send_keys(&password).await.unwrap();
    browser.find("main form[action='/official/login'] button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Dashboard").await;
    for lang in ["pl", "en", "uk"] {
        for page in ["/official/reports", "/official/reports/1", "/official/reports/2", "/official/desk/staff"] {
            browser.goto(&app.url(&format!("{page}?lang={lang}"))).await;
            assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
            browser.axe_check(&format!("{page} ({lang})")).await;
        }
    }
    browser.close().await;
    app.stop().await;
}

async fn hearing_back_pages_are_accessible_in_three_languages(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let smtp = SmtpKeeper::start().await;
    let app = app_with_smtp(db, &smtp).await;
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;
    let id = file_with(&app, Some(("email", "ola@example.org")), "en", "Pothole by the school").await["id"]
        .as_i64()
        .unwrap();
    let mails = smtp.wait_for(1, Duration::from_secs(30)).await;
    let confirm = path_of(mails[0].text_body.as_deref().unwrap(), "/report-contact/");
    let by_phone = file_with(&app, Some(("phone", "+48 600 700 800")), "en", "Another pothole").await;
    let code_form = by_phone["confirmation"]["confirm_url"].as_str().map(str::to_string);
    let contact = by_phone["confirmation"]["contact_id"].as_i64().unwrap();
    assert!(code_form.is_some(), "a phone is confirmed by code: {by_phone}");
    for lang in ["pl", "en", "uk"] {
        for page in [
            "/report/nearby?service=ROAD-POTHOLE&coordinates=50.0615,19.9366".to_string(),
            format!("/report/follow/{id}"),
            confirm.clone(),
            format!("/report-code/{contact}"),
        ] {
            let sep = if page.contains('?') { '&' } else { '?' };
            browser.goto(&app.url(&format!("{page}{sep}lang={lang}"))).await;
            assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
            browser.axe_check(&format!("{page} ({lang})")).await;
        }
    }
    // Following in the browser: the page that says a link is on its way.
    browser.goto(&app.url(&format!("/report/follow/{id}?lang=en"))).await;
    browser.find("#email").await.send_keys("follower@example.org").await.unwrap();
    browser.find("main form button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text_where("h1", "the pending page", |t| !t.is_empty()).await;
    browser.axe_check("following: pending (en)").await;

    // Confirmed, a step arrives with its stop link; resolved and a week on, "is it fixed?".
    confirm_by_link(&app, &confirm).await;
    step(&app, &roads, id, json!({"state": "resolved", "public_note": "Filled."})).await;
    // Three emails: the reporter's confirmation, the follower's, and the step to the (confirmed) reporter.
    let mails = smtp.wait_for(3, Duration::from_secs(30)).await;
    let update = mails.iter().filter_map(|m| m.text_body.as_deref()).find(|t| t.contains("/report-updates/"));
    let stop = path_of(update.expect("the step's message"), "/report-updates/");
    let core = Core::new(app.config.clone(), app.store.clone()).await.unwrap();
    assert_eq!(aftercare::ask_fixed(&core, chrono::Utc::now() + chrono::Duration::days(8)).await.unwrap(), 1);
    let fixed = format!("/report-fixed/{}", aftercare::fixed_token(&core, id));
    for lang in ["pl", "en", "uk"] {
        for page in [&stop, &fixed] {
            browser.goto(&app.url(&format!("{page}?lang={lang}"))).await;
            assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
            browser.axe_check(&format!("{page} ({lang})")).await;
        }
    }
    browser.close().await;
    app.stop().await;
}
