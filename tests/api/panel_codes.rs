//! Guessing SMS codes (issue 14, finding 7): tries are counted atomically, checks are limited per client and per
//! number, codes per number per day are capped, and a registered number answers exactly like an unknown one.
use chrono::Utc;
use hejnal::{
    domain::panel::{ContactKind, code_hash},
    storage::{CodeCheck, SecretPurpose},
};

use crate::{
    dual,
    panel::{PHONE, PHONE_TYPED, example_signup, nth_sms_code, post_json},
    support::{Client, Db, TestApp, wait},
};

dual!(
    concurrent_guesses_take_one_try_each,
    registered_and_unknown_numbers_answer_alike,
    code_checks_are_limited_per_client_and_per_number,
    codes_to_one_number_are_capped_per_day
);

/// A sign-up with a phone: its verification code is on the way. Returns the phone's contact point id.
async fn signed_up(app: &TestApp, client: &Client) -> i64 {
    assert_eq!(post_json(client, "/api/v1/signups", &example_signup()).await.status(), 202);
    app.store.contact_point_by_value(ContactKind::Phone, PHONE).await.unwrap().unwrap().id
}

async fn concurrent_guesses_take_one_try_each(db: Db) {
    let app = TestApp::spawn(db).await;
    let cp = signed_up(&app, &Client::new(&app)).await;
    let now = Utc::now();
    let right = code_hash(cp, "424242");
    app.store
        .create_secret(cp, SecretPurpose::Verify, true, &right, now, now + chrono::Duration::minutes(10))
        .await
        .unwrap();
    // Twenty wrong guesses at once: exactly five are weighed, the rest find the code dead.
    let guesses = (0..20).map(|i| {
        let store = app.store.clone();
        let hash = code_hash(cp, &format!("{:06}", 100_000 + i));
        tokio::spawn(async move { store.use_code(cp, SecretPurpose::Verify, &hash, 5, Utc::now()).await.unwrap() })
    });
    let answers: Vec<CodeCheck> =
        futures_util::future::join_all(guesses).await.into_iter().map(|r| r.unwrap()).collect();
    let weighed = answers.iter().filter(|a| **a == CodeCheck::Wrong).count();
    assert_eq!(weighed, 5, "{answers:?}");
    assert!(answers.iter().all(|a| matches!(a, CodeCheck::Wrong | CodeCheck::NoCode)), "{answers:?}");
    let after = app.store.use_code(cp, SecretPurpose::Verify, &right, 5, Utc::now()).await.unwrap();
    assert_eq!(after, CodeCheck::NoCode, "the right code no longer works after five wrong tries");
    app.stop().await;
}

/// (status, the page with the typed number blanked out) for a code check.
async fn check(client: &Client, phone: &str, code: &str) -> (u16, String) {
    let res = client.post_form("/verify/code?lang=en", "/verify/code", &[("phone", phone), ("code", code)]).await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap().replace(phone, "…"))
}

async fn registered_and_unknown_numbers_answer_alike(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = Client::new(&app);
    signed_up(&app, &client).await;
    let code = nth_sms_code(&app, PHONE, 0).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Seven tries each (past the five a code allows): the registered number and a number nobody registered get the
    // same answers, try by try.
    for attempt in 1..=7 {
        let known = check(&client, PHONE_TYPED, wrong).await;
        let unknown = check(&client, "+48 600 999 999", wrong).await;
        assert_eq!(known, unknown, "attempt {attempt}");
        assert_eq!(known.0, 422, "attempt {attempt}: {}", known.1);
    }
    app.stop().await;
}

async fn code_checks_are_limited_per_client_and_per_number(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.trusted_proxies = "127.0.0.1".into()).await;
    let client = Client::new(&app);
    let csrf = client.csrf("/verify/code").await;
    let post = |from: String, phone: String| {
        let http = client.http.clone();
        let url = client.url("/verify/code");
        let csrf = csrf.clone();
        async move {
            let form = [("_csrf", csrf.as_str()), ("phone", phone.as_str()), ("code", "123456")];
            http.post(url).header("X-Forwarded-For", from).form(&form).send().await.unwrap().status().as_u16()
        }
    };
    // One client trying many numbers is stopped after 20 checks; another client is not.
    for i in 0..20 {
        assert_eq!(post("198.51.100.7".into(), format!("+48 600 000 {i:03}")).await, 422, "check {i}");
    }
    assert_eq!(post("198.51.100.7".into(), "+48 600 000 999".into()).await, 429, "the client's budget is spent");
    assert_eq!(post("198.51.100.8".into(), "+48 600 000 999".into()).await, 422, "another client still may");
    // Many clients trying one number are stopped after 10 checks.
    for i in 0..10 {
        assert_eq!(post(format!("203.0.113.{i}"), "+48 601 000 000".into()).await, 422, "client {i}");
    }
    assert_eq!(post("203.0.113.200".into(), "+48 601 000 000".into()).await, 429, "the number's budget is spent");
    app.stop().await;
}

/// SMS lines in the outbox so far.
fn texts(app: &TestApp) -> usize {
    std::fs::read_to_string(app.db.data_dir().join("outbox/sms.log")).map(|s| s.lines().count()).unwrap_or(0)
}

async fn codes_to_one_number_are_capped_per_day(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = Client::new(&app);
    let cp = signed_up(&app, &client).await;
    nth_sms_code(&app, PHONE, 0).await;
    // Four more codes went to this number today (one short of the cap of five).
    let now = Utc::now();
    for i in 0..3 {
        let hash = code_hash(cp, &format!("{:06}", 200_000 + i));
        app.store.create_secret(cp, SecretPurpose::Verify, true, &hash, now, now).await.unwrap();
    }
    let join = || async { post_json(&client, "/api/v1/signups", &example_signup()).await.status().as_u16() };
    // The fifth code of the day is sent; the sixth is not, and the answer does not change.
    assert_eq!(join().await, 202);
    nth_sms_code(&app, PHONE, 1).await;
    let before = texts(&app);
    assert_eq!(join().await, 202);
    // A code is queued before the answer; two rounds of the delivery sweep would have sent one by now.
    wait::sweeps(&app, 2).await;
    assert_eq!(texts(&app), before, "no sixth code today");
    app.stop().await;
}
