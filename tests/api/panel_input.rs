//! Bad input at the panel's front door: each mistake names its field, in the page's language, and stores nothing;
//! tampered or reused links, expired codes and five wrong codes are refused.

use chrono::Utc;
use hejnal::{
    domain::panel::{ContactKind, code_hash},
    i18n::{Lang, t},
    storage::SecretPurpose,
};
use serde_json::{Value, json};

use crate::{
    dual,
    panel::{PHONE, PHONE_TYPED, example_signup, nth_email, nth_sms_code, post_json, sign_in_by_email},
    panel_ledger::resident,
    support::{Client, Db, TestApp},
};

dual!(bad_sign_ups_name_the_field_and_store_nothing, links_and_codes_are_checked, nobody_changes_someone_elses_data);

/// The example sign-up with some fields replaced (`null` removes a field).
fn signup_with(changes: Value) -> Value {
    let mut body = example_signup();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body
}

async fn residents(app: &TestApp) -> i64 {
    let mut n = 0;
    for id in 1..20 {
        n += i64::from(app.store.resident(id).await.unwrap().is_some());
    }
    n
}

async fn bad_sign_ups_name_the_field_and_store_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = Client::new(&app);
    let cases: [(Value, &str, &str); 9] = [
        (json!({"email": "ala@"}), "email", "field-email-invalid"),
        (json!({"phone": "12"}), "phone", "field-phone-invalid"),
        (json!({"home_district": 99}), "home_district", "field-district-unknown"),
        (json!({"home_district": null}), "home_district", "field-district-required"),
        (
            json!({"email": null, "phone": null, "consents": [{"purpose": "emergency_alerts", "channel": "push"}]}),
            "email",
            "field-contact-required",
        ),
        (json!({"consents": []}), "consents", "field-consent-required"),
        (json!({"consents": [{"purpose": "marketing", "channel": "email"}]}), "consents", "field-consent-unknown"),
        (json!({"age_band": "12-15"}), "age_band", "field-age-band-unknown"),
        (json!({"phone": null}), "phone", "field-consent-sms-needs-phone"),
    ];
    for (lang, (changes, field, key)) in [Lang::Pl, Lang::En, Lang::Uk].into_iter().cycle().zip(cases) {
        let res = client
            .http
            .post(client.url("/api/v1/signups"))
            .header("accept-language", lang.code())
            .json(&signup_with(changes.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{changes}");
        let problem: Value = res.json().await.unwrap();
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e["field"] == field && e["message"] == t(lang, key)),
            "{changes} in {lang}: expected {field}: {key}, got {errors:?}"
        );
    }
    // The form says the same in the page's language, tied to the field.
    let res = client.post_form("/join?lang=en", "/join?lang=en", &[("email", "nope"), ("home_district", "13")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(&t(Lang::En, "field-email-invalid")), "{html}");
    assert!(html.contains(&t(Lang::En, "field-consent-required")));
    assert!(html.contains("href=\"#email\"") && html.contains("id=\"email-error\""));
    let res = client.post_form("/join?lang=uk", "/join?lang=uk", &[("phone", "abc"), ("home_district", "x")]).await;
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&t(Lang::Uk, "field-phone-invalid")) && html.contains(&t(Lang::Uk, "field-district-unknown"))
    );

    assert_eq!(residents(&app).await, 0, "nothing stored");
    let outbox = app.db.data_dir().join("outbox/email");
    assert!(std::fs::read_dir(&outbox).map(|d| d.count() == 0).unwrap_or(true), "nothing sent");

    // A valid join through the form works (and answers 202 with the same page for a known contact), in the
    // language last chosen.
    for _ in 0..2 {
        let res = client
            .post_form(
                "/join",
                "/join",
                &[("email", "form@example.org"), ("home_district", "3"), ("consent", "emergency_alerts:email")],
            )
            .await;
        assert_eq!(res.status(), 202);
        assert!(res.text().await.unwrap().contains(&t(Lang::Uk, "join-sent-text")));
    }
    assert_eq!(residents(&app).await, 1);
    app.stop().await;
}

async fn links_and_codes_are_checked(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = Client::new(&app);
    assert_eq!(post_json(&client, "/api/v1/signups", &example_signup()).await.status(), 202);

    // A tampered link is unknown; the real one works once.
    let (_, text) = nth_email(&app, 0).await;
    let link = crate::panel::link_with(&text, "/verify/");
    let path = link[link.find("/verify/").unwrap()..].to_string();
    let res = client.get(&format!("{path}x")).await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains(&t(Lang::Pl, "verify-link-unknown")));
    assert_eq!(client.get(&path).await.status(), 200, "opening the link uses nothing");
    assert_eq!(crate::panel::follow_link(&client, &path).await.status(), 303);
    let res = client.get(&path).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains(&t(Lang::Pl, "verify-link-used")));

    // Five wrong codes kill the code, even for the right one afterwards; the answer stays the one an unknown number
    // gets (it must not tell that the number is registered).
    let code = nth_sms_code(&app, PHONE, 0).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for attempt in 1..=5 {
        let res =
            client.post_form("/verify/code?lang=en", "/verify/code", &[("phone", PHONE_TYPED), ("code", wrong)]).await;
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(html.contains(&t(Lang::En, "field-code-wrong")), "attempt {attempt}: {html}");
    }
    let res = client.post_form("/verify/code", "/verify/code", &[("phone", PHONE_TYPED), ("code", &code)]).await;
    assert!(res.text().await.unwrap().contains(&t(Lang::En, "field-code-wrong")));
    let cp = app.store.contact_point_by_value(ContactKind::Phone, PHONE).await.unwrap().unwrap();
    assert!(cp.verified_at.is_none(), "the phone stays unconfirmed");

    // Joining again sends a new code to the unconfirmed phone; that one works.
    assert_eq!(post_json(&client, "/api/v1/signups", &example_signup()).await.status(), 202);
    let fresh = nth_sms_code(&app, PHONE, 1).await;
    let res = client.post_form("/verify/code", "/verify/code", &[("phone", PHONE_TYPED), ("code", &fresh)]).await;
    assert_eq!(res.status(), 200);
    assert!(app.store.contact_point(cp.id).await.unwrap().unwrap().verified_at.is_some());

    // An expired code does not work either (same answer).
    let now = Utc::now();
    app.store
        .create_secret(
            cp.id,
            SecretPurpose::Verify,
            true,
            &code_hash(cp.id, "424242"),
            now - chrono::Duration::minutes(20),
            now - chrono::Duration::minutes(10),
        )
        .await
        .unwrap();
    let res = client.post_form("/verify/code", "/verify/code", &[("phone", PHONE_TYPED), ("code", "424242")]).await;
    assert!(res.text().await.unwrap().contains(&t(Lang::En, "field-code-wrong")));
    // A malformed code, and a number nobody registered, get field messages too.
    let res = client.post_form("/verify/code", "/verify/code", &[("phone", PHONE_TYPED), ("code", "12")]).await;
    assert!(res.text().await.unwrap().contains(&t(Lang::En, "field-code-format")));
    let res = client.post_form("/verify/code", "/verify/code", &[("phone", "600 999 999"), ("code", "123456")]).await;
    assert!(res.text().await.unwrap().contains(&t(Lang::En, "field-code-wrong")));
    app.stop().await;
}

async fn nobody_changes_someone_elses_data(db: Db) {
    let app = TestApp::spawn(db).await;
    let mine = resident(&app.store, "mine@example.org", &[]).await;
    let theirs = resident(&app.store, "theirs@example.org", &[]).await;
    let their_cp = app.store.resident(theirs).await.unwrap().unwrap().contact_points[0].id;
    let their_push =
        app.store.add_push(theirs, "https://push.example.net/x", "k", "a", "phone", Utc::now()).await.unwrap();
    let client = Client::new(&app);
    assert_eq!(client.get("/me").await.status(), 303, "no session, no panel");
    sign_in_by_email(&app, &client, "mine@example.org", 0).await;
    let res = client.post_form("/me", &format!("/me/contacts/{their_cp}/remove"), &[]).await;
    assert_eq!(res.status(), 404);
    let res = client.post_form("/me/push", &format!("/me/push/{their_push}/remove"), &[]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.store.resident(theirs).await.unwrap().unwrap().contact_points.len(), 1);
    assert_eq!(app.store.list_push(theirs).await.unwrap().len(), 1);
    // Without the CSRF field, even one's own data stays.
    let res = client
        .http
        .post(client.url("/me/consents"))
        .form(&[("purpose", "surveys"), ("channel", "email"), ("grant", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(app.store.consent_history(mine).await.unwrap().is_empty());

    // Sign-ups nobody confirmed are erased after seven days; confirmed residents stay.
    let mut old = hejnal::storage::NewResident {
        language: "pl".into(),
        home_district: 1,
        other_districts: vec![2],
        age_band: None,
        interests: vec!["housing".into()],
        contacts: vec![(ContactKind::Email, "stale@example.org".into())],
        consents: vec![],
        method: hejnal::domain::panel::ConsentMethod::Web,
        notice_version: 1,
        verified: false,
        legal_basis: None,
    };
    let stale = app.store.create_resident(&old, Utc::now() - chrono::Duration::days(8)).await.unwrap().unwrap().id;
    old.contacts = vec![(ContactKind::Email, "fresh@example.org".into())];
    let fresh = app.store.create_resident(&old, Utc::now() - chrono::Duration::days(6)).await.unwrap().unwrap().id;
    let now = Utc::now();
    assert_eq!(app.store.purge_unverified(now - chrono::Duration::days(7), now).await.unwrap(), 1);
    let stale = app.store.resident(stale).await.unwrap().unwrap();
    assert!(stale.erased_at.is_some() && stale.contact_points.is_empty() && stale.other_districts.is_empty());
    assert!(app.store.resident(fresh).await.unwrap().unwrap().erased_at.is_none());
    assert!(app.store.resident(mine).await.unwrap().unwrap().erased_at.is_none());
    app.stop().await;
}
