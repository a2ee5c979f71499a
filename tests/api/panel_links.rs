//! The one-time links of an email (issue 14, finding 9): opening `/me/signin/{token}` or `/verify/{token}` shows a
//! page and uses nothing (a mail scanner's GET burns no link, verifies no address and signs nobody in); the page
//! names the account, masked; only its button (a POST with the CSRF token) acts, and confirming an address signs its
//! owner in.

use hejnal::{
    domain::panel::{Channel, ContactKind, Purpose},
    i18n::{Arg, Lang, t, tr},
};

use crate::{
    dual,
    panel::{EMAIL, example_signup, link_with, nth_email, post_json},
    panel_ledger::resident,
    support::{Client, Db, TestApp, csrf_from},
};

dual!(
    a_sign_in_link_opens_a_page_and_only_its_button_signs_in,
    a_verification_link_confirms_and_signs_in_by_its_button
);

const KNOWN: &str = "jan.kowalski@example.org";

/// Links of this purpose still waiting to be used, as the database holds them.
async fn unused_links(app: &TestApp, db: Db, purpose: &str) -> i64 {
    let sql = "SELECT COUNT(*) FROM contact_secrets WHERE form = 'link' AND purpose = $1 AND used_at IS NULL";
    match db {
        Db::Sqlite => {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.db.url).await.unwrap();
            sqlx::query_scalar(sql).bind(purpose).fetch_one(&mut c).await.unwrap()
        }
        Db::Postgres => {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&app.db.url).await.unwrap();
            sqlx::query_scalar(sql).bind(purpose).fetch_one(&mut c).await.unwrap()
        }
    }
}

/// The path of the first link in the `n`-th email that contains `prefix`.
async fn link_path(app: &TestApp, n: usize, prefix: &str) -> String {
    let (_, body) = nth_email(app, n).await;
    let link = link_with(&body, prefix);
    link[link.find(prefix).unwrap()..].to_string()
}

/// A POST of the link's button without the CSRF token (a cross-site form, or a scanner trying the button).
async fn post_without_csrf(client: &Client, path: &str) -> reqwest::Response {
    client.http.post(client.url(path)).form(&[("x", "1")]).send().await.unwrap()
}

/// Presses the page's button: the CSRF token from the page, as a browser sends it.
async fn press(client: &Client, page_html: &str, path: &str) -> reqwest::Response {
    let csrf = csrf_from(page_html).expect("the link's page has a form with a CSRF token");
    client.http.post(client.url(path)).form(&[("_csrf", csrf.as_str())]).send().await.unwrap()
}

async fn a_sign_in_link_opens_a_page_and_only_its_button_signs_in(db: Db) {
    let app = TestApp::spawn(db).await;
    resident(&app.store, KNOWN, &[(Purpose::EmergencyAlerts, Channel::Email)]).await;
    let client = Client::new(&app);
    assert_eq!(client.post_form("/me/signin", "/me/signin", &[("contact", KNOWN)]).await.status(), 202);
    let path = link_path(&app, 0, "/me/signin/").await;

    // Opened twice (a mail scanner, then the resident): a page, nothing used, nobody signed in.
    let scanner = Client::new(&app);
    let res = scanner.get(&path).await;
    assert_eq!(res.status(), 200, "a GET of the link shows its page");
    let res = client.get(&path).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("j***@example.org"), "the page names the account, masked: {page}");
    assert!(!page.contains(KNOWN) && !page.contains("kowalski"), "and never in full");
    assert!(page.contains(&t(Lang::Pl, "link-not-you")), "it says what to do if this was not asked for");
    assert!(page.contains(&format!("action=\"{path}\"")), "its button posts to the link");
    assert_eq!(unused_links(&app, db, "signin").await, 1, "the GETs left the link unused");
    assert_eq!(client.get("/me").await.status(), 303, "nobody is signed in by a GET");

    // Without the CSRF token the button is refused, and nothing happens.
    assert_eq!(post_without_csrf(&client, &path).await.status(), 403);
    assert_eq!(unused_links(&app, db, "signin").await, 1);
    assert_eq!(client.get("/me").await.status(), 303);

    // The button signs in (once).
    let res = press(&client, &page, &path).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/me");
    let me = client.get("/me").await;
    assert_eq!(me.status(), 200, "signed in");
    assert!(me.text().await.unwrap().contains(KNOWN));
    assert_eq!(unused_links(&app, db, "signin").await, 0);
    assert_eq!(scanner.get("/me").await.status(), 303, "the scanner that opened the link is not signed in");

    // A used link shows the friendly page, for the GET and the button alike.
    let res = client.get(&path).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains(&t(Lang::Pl, "verify-link-used")));
    let res = press(&client, &page, &path).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains(&t(Lang::Pl, "verify-link-used")));
    // An unknown one too.
    let res = client.get(&format!("{path}x")).await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains(&t(Lang::Pl, "verify-link-unknown")));
    let res = press(&client, &page, &format!("{path}x")).await;
    assert_eq!(res.status(), 404);
    app.stop().await;
}

async fn a_verification_link_confirms_and_signs_in_by_its_button(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = Client::new(&app);
    assert_eq!(post_json(&client, "/api/v1/signups", &example_signup()).await.status(), 202);
    let path = link_path(&app, 0, "/verify/").await;
    let verified = || async {
        let cp = app.store.contact_point_by_value(ContactKind::Email, EMAIL).await.unwrap().unwrap();
        cp.verified_at.is_some()
    };

    let res = client.get(&path).await;
    assert_eq!(res.status(), 200);
    let page = client.get(&path).await.text().await.unwrap();
    assert!(page.contains("a***@example.org") && !page.contains(EMAIL), "the address, masked: {page}");
    let says = tr(Lang::Pl, "link-verify-text", &[("contact", Arg::Str("a***@example.org".into()))]);
    assert!(page.contains(&says), "it says what the button does: {says}");
    assert!(!verified().await, "a GET confirms nothing");
    assert_eq!(unused_links(&app, db, "verify").await, 1);

    assert_eq!(post_without_csrf(&client, &path).await.status(), 403);
    assert!(!verified().await, "a POST without the CSRF token confirms nothing");
    assert_eq!(unused_links(&app, db, "verify").await, 1);

    // The button confirms the address and signs its owner in: one email, not two.
    let res = press(&client, &page, &path).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/me");
    assert!(verified().await);
    let me = client.get("/me").await;
    assert_eq!(me.status(), 200, "the next request is signed in");
    assert!(me.text().await.unwrap().contains(EMAIL));

    let res = press(&client, &page, &path).await;
    assert_eq!(res.status(), 410, "a link works once");
    assert!(res.text().await.unwrap().contains(&t(Lang::Pl, "verify-link-used")));
    app.stop().await;
}
