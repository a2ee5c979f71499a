//! Real browser tests: headless Chromium over WebDriver signs in, switches language and signs out, and axe-core checks
//! every page it sees against WCAG 2.1 A and AA.

pub mod harness;

use fantoccini::key::Key;
use hejnal::domain::Role;

use self::harness::Browser;
use crate::{
    dual,
    support::{Db, TestApp},
};

dual!(official_logs_in_switches_language_logs_out, wrong_password_shows_an_error, skip_link_is_the_first_tab_stop);

const EMAIL: &str = "ala@krakow.example.org";

/// Types the credentials into the login form and submits it with its button, as a person would.
async fn sign_in(browser: &Browser, email: &str, password: &str) {
    browser.find("#email").await.send_keys(email).await.expect("type the email");
    browser.find("#password").await.send_keys(password).await.expect("type the password");
    browser
        .find("main form[action='/official/login'] button[type=submit]")
        .await
        .click()
        .await
        .expect("submit the login form");
}

/// Follows the language link labelled `label` in the language navigation.
async fn switch_language(browser: &Browser, label: &str, lang: &str) {
    let links = browser.client.find_all(fantoccini::Locator::Css("nav.langs a")).await.expect("language links");
    let mut target = None;
    for link in links {
        if link.text().await.expect("link text") == label {
            target = Some(link);
        }
    }
    target.unwrap_or_else(|| panic!("no language link {label:?}")).click().await.expect("follow the language link");
    browser.find(&format!("html[lang='{lang}']")).await;
}

async fn official_logs_in_switches_language_logs_out(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    let (_, password) = app.add_official(EMAIL, &[Role::Admin]).await;

    browser.goto(&app.url("/official/login")).await;
    assert_eq!(browser.html_lang().await.as_deref(), Some("pl"), "a Polish browser gets Polish");
    assert_eq!(browser.text("h1").await, "Logowanie urzędnika");
    browser.axe_check("login (pl)").await;

    sign_in(&browser, EMAIL, &password).await;
    browser.wait_for_text("h1", "Pulpit").await;
    assert_eq!(browser.current_url().await, app.url("/official"));
    assert_eq!(browser.text("main .lead").await, "Dzień dobry, Test Official.");
    browser.axe_check("dashboard (pl)").await;

    switch_language(&browser, "English", "en").await;
    browser.wait_for_text("h1", "Dashboard").await;
    assert_eq!(browser.text("main .lead").await, "Hello, Test Official.");
    assert_eq!(
        browser.find("nav.langs a[aria-current='true']").await.text().await.unwrap(),
        "English",
        "the current language is marked"
    );
    browser.axe_check("dashboard (en)").await;

    switch_language(&browser, "Українська", "uk").await;
    browser.wait_for_text("h1", "Панель").await;
    assert_eq!(browser.text("main .lead").await, "Добрий день, Test Official.");
    browser.axe_check("dashboard (uk)").await;

    // The language sticks (cookie) on the admin pages, reached without `?lang=`.
    for (path, h1) in [
        ("/official/admin/officials", "Службовці"),
        ("/official/admin/tokens", "Токени API"),
        ("/official/admin/apikeys", "Ключі API Open311"),
        ("/official/admin/audit", "Журнал подій"),
    ] {
        browser.goto(&app.url(path)).await;
        assert_eq!(browser.current_url().await, app.url(path), "an admin stays on {path}");
        assert_eq!(browser.html_lang().await.as_deref(), Some("uk"), "{path}");
        assert_eq!(browser.text("h1").await, h1, "{path}");
        browser.axe_check(&format!("{path} (uk)")).await;
    }

    let logout = browser.find("header form[action='/official/logout'] button").await;
    assert_eq!(logout.text().await.unwrap(), "Вийти (Test Official)");
    logout.click().await.expect("press the logout button");
    browser.wait_for_text("h1", "Вхід для службовця").await;
    assert_eq!(browser.current_url().await, app.url("/official/login?logged_out=1"));
    assert_eq!(browser.text("main [role=status]").await, "Ви вийшли з системи.");
    assert!(
        browser.client.find(fantoccini::Locator::Css("header form[action='/official/logout']")).await.is_err(),
        "no logout button once logged out"
    );
    browser.axe_check("login after logout (uk)").await;

    // The session is really gone.
    browser.goto(&app.url("/official")).await;
    assert!(browser.current_url().await.starts_with(&app.url("/official/login")), "{}", browser.current_url().await);

    browser.close().await;
    app.stop().await;
}

async fn wrong_password_shows_an_error(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    app.add_official(EMAIL, &[Role::Admin]).await;

    browser.goto(&app.url("/official/login")).await;
    sign_in(&browser, EMAIL, "not-the-password").await;
    let alert = browser.find("main [role=alert]").await;
    assert_eq!(alert.text().await.unwrap(), "E-mail lub hasło są nieprawidłowe.");
    assert_eq!(alert.attr("id").await.unwrap().as_deref(), Some("login-error"));
    for field in ["#email", "#password"] {
        let input = browser.find(field).await;
        assert_eq!(input.attr("aria-invalid").await.unwrap().as_deref(), Some("true"), "{field}");
        assert_eq!(input.attr("aria-describedby").await.unwrap().as_deref(), Some("login-error"), "{field}");
    }
    assert_eq!(browser.find("#email").await.prop("value").await.unwrap().as_deref(), Some(EMAIL), "the email is kept");
    browser.axe_check("login error (pl)").await;

    for (lang, home_h1, not_found_h1) in [
        ("pl", "Kraków pyta, Kraków ostrzega", "Nie znaleziono strony"),
        ("en", "Kraków asks, Kraków warns", "Page not found"),
        ("uk", "Краків питає, Краків попереджає", "Сторінку не знайдено"),
    ] {
        browser.goto(&app.url(&format!("/?lang={lang}"))).await;
        assert_eq!(browser.html_lang().await.as_deref(), Some(lang));
        assert_eq!(browser.text("h1").await, home_h1);
        browser.axe_check(&format!("home ({lang})")).await;

        browser.goto(&app.url(&format!("/no-such-page?lang={lang}"))).await;
        assert_eq!(browser.html_lang().await.as_deref(), Some(lang));
        assert_eq!(browser.text("h1").await, not_found_h1);
        browser.axe_check(&format!("404 ({lang})")).await;
    }

    browser.close().await;
    app.stop().await;
}

async fn skip_link_is_the_first_tab_stop(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;

    browser.goto(&app.url("/official/login")).await;
    browser.press(Key::Tab).await;
    let focused =
        browser.js("const a = document.activeElement; return [a.tagName, a.className, a.textContent.trim()];").await;
    assert_eq!(
        focused,
        serde_json::json!(["A", "skip-link", "Przejdź do treści"]),
        "the first Tab reaches the skip link"
    );
    // A visible focus indicator appears (the skip link is off-screen until focused).
    let visible = browser.js("const r = document.activeElement.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0;").await;
    assert_eq!(visible, serde_json::json!(true), "the focused skip link is on screen");

    // Following it moves focus to the main content.
    browser.press(Key::Enter).await;
    let focused = browser.js("return document.activeElement.id;").await;
    assert_eq!(focused, serde_json::json!("main"), "Enter on the skip link focuses <main>");

    browser.close().await;
    app.stop().await;
}
