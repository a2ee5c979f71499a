//! The panel in headless Chromium: the join form (with its errors), sign-in by the emailed link, /me and its pages in
//! Polish, English and Ukrainian — axe-core on each — and the push page's service worker registering, with a
//! subscription (a fresh P-256 key pair made in the page) stored through the endpoint the page itself uses.

use hejnal::domain::{
    Role,
    panel::{Channel, ConsentMethod, ContactKind, Purpose},
};

use crate::{
    browser::harness::Browser,
    dual,
    panel::{link_with, nth_email},
    panel_ledger::resident,
    support::{Db, TestApp},
};

dual!(
    join_form_shows_errors_accessibly,
    resident_pages_in_three_languages_and_push_worker,
    public_and_official_panel_pages_in_three_languages
);

async fn join_form_shows_errors_accessibly(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/join?lang={lang}"))).await;
        assert_eq!(browser.html_lang().await.as_deref(), Some(lang));
        browser.axe_check(&format!("join ({lang})")).await;
    }
    // Submitting with a bad email and nothing else: the errors are listed, linked and tied to their fields (en).
    browser.goto(&app.url("/join?lang=en")).await;
    browser.find("#email").await.send_keys("not-an-address").await.unwrap();
    browser.find("main form[action='/join'] button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("main .error-summary h2", "Please correct the marked fields").await;
    let email_error = browser.text("#email-error").await;
    assert!(email_error.contains("Enter an email address like name@example.org."), "{email_error}");
    assert!(browser.text("#consents-error").await.contains("Tick at least one consent"));
    assert!(browser.text("#home_district-error").await.contains("Choose the district"));
    assert_eq!(browser.find("#email").await.prop("value").await.unwrap().as_deref(), Some("not-an-address"));
    browser.axe_check("join with errors (en)").await;

    browser.goto(&app.url("/privacy?lang=uk")).await;
    browser.axe_check("privacy (uk)").await;
    browser.close().await;
    app.stop().await;
}

async fn resident_pages_in_three_languages_and_push_worker(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    let email = "browser@example.org";
    resident(&app.store, email, &[(Purpose::EmergencyAlerts, Channel::Email)]).await;

    browser.goto(&app.url("/me/signin")).await;
    browser.axe_check("sign-in (pl)").await;
    browser.find("#contact").await.send_keys(email).await.unwrap();
    browser.find("main form[action='/me/signin'] button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Sprawdź pocztę").await;
    let (_, body) = nth_email(&app, 0).await;
    browser.goto(&link_with(&body, "/me/signin/")).await;
    // The link opens a page naming the account (masked); its button signs in.
    browser.wait_for_text("h1", "Logowanie do panelu mieszkańców").await;
    assert!(browser.text("main").await.contains("b***@example.org"));
    browser.axe_check("sign-in link (pl)").await;
    browser.find("main form[action^='/me/signin/'] button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Mój panel").await;
    assert!(browser.text("main").await.contains(email));
    browser.axe_check("me (pl)").await;

    // One click withdraws a consent; the table and the history say so.
    browser.find("main form[action='/me/consents'] button.secondary").await.click().await.unwrap();
    browser.wait_for_text("main p.notice[role=status]", "Zapisaliśmy zmianę zgody.").await;
    let history = app.store.consent_history(
        app.store.contact_point_by_value(ContactKind::Email, email).await.unwrap().unwrap().resident_id,
    );
    assert_eq!(history.await.unwrap().len(), 2);
    browser.axe_check("me after a change (pl)").await;

    for (lang, h1) in [("en", "My panel"), ("uk", "Моя панель")] {
        browser.goto(&app.url(&format!("/me?lang={lang}"))).await;
        browser.wait_for_text("h1", h1).await;
        browser.axe_check(&format!("me ({lang})")).await;
        browser.goto(&app.url("/me/erase")).await;
        browser.axe_check(&format!("erase ({lang})")).await;
    }

    // The push page registers its service worker at the root scope.
    browser.goto(&app.url("/me/push?lang=en")).await;
    browser.wait_for_text("h1", "Web push notifications").await;
    let scope = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.ready.then(r => done([r.scope, r.active ? r.active.scriptURL : null]))
               .catch(e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(scope, serde_json::json!([app.url("/"), app.url("/sw.js")]), "the service worker is ready");
    browser.wait_for_text("#push-status", "This browser can receive notifications.").await;
    browser.axe_check("push (en)").await;

    // No push service is reachable here: the test makes a P-256 key pair in the page and stores a subscription
    // through the page's own function (the same endpoint and CSRF header the button uses).
    let stored = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
             crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])
               .then(pair => crypto.subtle.exportKey('raw', pair.publicKey))
               .then(raw => window.hejnalPush.store({ endpoint: 'https://push.example.net/send/browser-test',
                   keys: { p256dh: b64(raw), auth: b64(crypto.getRandomValues(new Uint8Array(16))) } }, 'Chromium test'))
               .then(res => done(res.status)).catch(e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(stored, serde_json::json!(201));
    browser.goto(&app.url("/me/push")).await;
    assert!(browser.text("main table").await.contains("Chromium test"));
    browser.axe_check("push with a device (en)").await;

    browser.close().await;
    app.stop().await;
}

async fn public_and_official_panel_pages_in_three_languages(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    hejnal::cli::panel_synth(&app.store, 300, 5).await.unwrap();
    // Resident 1 holds the consent the unsubscribe link withdraws, so the click has something to withdraw.
    let surveys_by_email = (Purpose::Surveys, Channel::Email);
    app.store
        .record_consents(
            1,
            &[(surveys_by_email.0, surveys_by_email.1, true)],
            1,
            ConsentMethod::Web,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let holds = || async {
        let history = app.store.consent_history(1).await.unwrap();
        history
            .iter()
            .rev()
            .find(|e| e.purpose == surveys_by_email.0.as_str() && e.channel == surveys_by_email.1.as_str())
            .map(|e| e.granted)
    };
    let keys = hejnal::delivery::keys(&app.store).await.unwrap();
    let token = hejnal::delivery::unsubscribe_token(&keys.unsubscribe_secret, 1, Purpose::Surveys, Channel::Email);
    let (_, password) = app.add_official("panel-admin@krakow.example.org", &[Role::Admin]).await;
    browser.goto(&app.url("/official/login")).await;
    browser.find("#email").await.send_keys("panel-admin@krakow.example.org").await.unwrap();
    browser.find("#password").await.send_keys(&password).await.unwrap();
    browser.find("main form[action='/official/login'] button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Pulpit").await;

    let pages = [
        "/privacy",
        "/verify/code",
        "/me/signin",
        &format!("/u/{token}"),
        "/official/panel",
        "/official/admin/notice",
        "/official/admin/panel/import",
        "/official/admin/residents?id=1",
    ];
    for lang in ["pl", "en", "uk"] {
        for page in pages {
            let sep = if page.contains('?') { '&' } else { '?' };
            browser.goto(&app.url(&format!("{page}{sep}lang={lang}"))).await;
            assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
            browser.axe_check(&format!("{page} ({lang})")).await;
        }
    }
    // The chart and its table carry the same numbers.
    browser.goto(&app.url("/official/panel?lang=en")).await;
    assert_eq!(browser.text("main .lead").await, "Verified residents in the panel: 300");
    let rows = browser.client.find_all(fantoccini::Locator::Css("svg.bar-chart rect")).await.unwrap();
    assert_eq!(rows.len(), 36, "two bars for each of the 18 districts");

    // Opening the unsubscribe page (three times above, in three languages) withdrew nothing; one click does.
    assert_eq!(holds().await, Some(true), "a GET of /u/{{token}} left the consent granted");
    browser.goto(&app.url(&format!("/u/{token}?lang=en"))).await;
    browser.find("main form button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Unsubscribed").await;
    assert_eq!(holds().await, Some(false), "the click withdrew the consent");
    browser.axe_check("unsubscribed (en)").await;
    browser.close().await;
    app.stop().await;
}
