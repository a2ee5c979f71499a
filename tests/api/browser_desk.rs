//! The intervention desk in headless Chromium, axe-core on each page in Polish, English and Ukrainian: finding the
//! service, the report form (and its errors, tied to their fields), the filed page; the worklist, a report and the
//! unit staff page for officials.

use hejnal::domain::Role;

use crate::{
    browser::harness::Browser,
    desk::{post_report, report_form},
    dual,
    support::{Db, TestApp},
};

dual!(desk_pages_are_accessible_in_three_languages);

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
