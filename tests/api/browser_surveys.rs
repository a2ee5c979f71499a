//! Consultations in headless Chromium: the builder (a survey made through its forms, a question added, errors tied
//! to fields, the preview), a resident answering every question type through the real page (errors first, then
//! a complete answer), a second answer refused, and the results and public pages — axe-core on each, in Polish,
//! English and Ukrainian.

use chrono::Utc;
use hejnal::{domain::Role, surveys::launch::invitation_token};
use serde_json::json;

use crate::{
    alerts::api,
    browser::harness::Browser,
    dual,
    support::{Db, TestApp},
    surveys::survey_panel,
};

dual!(builder_answering_and_results_pages);

async fn sign_in(browser: &Browser, app: &TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/official/login")).await;
    browser.find("#email").await.send_keys(email).await.unwrap();
    browser.find("#password").await.send_keys(password).await.unwrap();
    browser.find("main form[action='/official/login'] button[type=submit]").await.click().await.unwrap();
    browser.find("header form[action='/official/logout']").await;
}

async fn click(browser: &Browser, css: &str) {
    browser.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn builder_answering_and_results_pages(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    let residents = survey_panel(&app, 12).await;
    let (editor_id, editor_pw) = app.add_official("editor@krakow.example.org", &[Role::Editor, Role::Analyst]).await;
    let (approver, _) = app.add_official("approver@krakow.example.org", &[Role::Approver]).await;

    // The builder, through its forms.
    sign_in(&browser, &app, "editor@krakow.example.org", &editor_pw).await;
    browser.goto(&app.url("/official/surveys?lang=en")).await;
    browser.axe_check("surveys (en)").await;
    browser.find("#title_pl").await.send_keys("Zieleń w mieście").await.unwrap();
    let fmt = |d: chrono::Duration| (Utc::now() + d).format("%Y-%m-%dT%H:%M").to_string();
    browser.js(&format!("document.getElementById('opens').value = '{}'", fmt(chrono::Duration::hours(-1)))).await;
    browser.js(&format!("document.getElementById('closes').value = '{}'", fmt(chrono::Duration::days(7)))).await;
    click(&browser, "main form[action='/official/surveys'] button[type=submit]").await;
    browser.find("main form[action$='/questions']").await;
    // A choice question without options: the error is tied to the options field.
    browser.find("#text_pl").await.send_keys("Czy chcesz więcej drzew?").await.unwrap();
    click(&browser, "main form[action$='/questions'] button[type=submit]").await;
    // The empty #options-error of the page being left must not count: wait for the one with words in it.
    browser.wait_for_text_where("#options-error", "an error message", |text| !text.trim().is_empty()).await;
    browser.axe_check("builder with an error (en)").await;
    browser.find("#options").await.send_keys("yes | Tak | Yes\nno | Nie | No").await.unwrap();
    click(&browser, "main form[action$='/questions'] button[type=submit]").await;
    browser.find("#questions + table").await;
    assert!(browser.text("main").await.contains("Czy chcesz więcej drzew?"));
    browser.axe_check("builder (en)").await;
    let built = browser.current_url().await;
    let built_id: i64 = built.split("/surveys/").nth(1).unwrap().split(['#', '?']).next().unwrap().parse().unwrap();
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/official/surveys?lang={lang}"))).await;
        browser.axe_check(&format!("surveys ({lang})")).await;
        browser.goto(&app.url(&format!("/official/surveys/{built_id}?lang={lang}"))).await;
        browser.find("main form[action$='/questions']").await;
        browser.axe_check(&format!("builder ({lang})")).await;
        browser.goto(&app.url(&format!("/official/surveys/{built_id}/preview?lang={lang}"))).await;
        browser.find("main form.survey-form").await;
        browser.axe_check(&format!("preview ({lang})")).await;
    }

    // A survey with every question type, launched by an approver, answered through the page.
    let (editor, approver) = (app.token_for(editor_id).await, app.token_for(approver).await);
    let def = hejnal::domain::survey_example::every_type(
        Utc::now() - chrono::Duration::minutes(1),
        Utc::now() + chrono::Duration::days(3),
    );
    let (_, created) = api(&app, &editor, "POST", "/api/v1/surveys", Some(serde_json::to_value(def).unwrap())).await;
    let id = created["id"].as_i64().unwrap();
    let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/surveys/{id}/launch"), Some(json!({}))).await;
    assert_eq!(status, 201);
    let secret = hejnal::delivery::keys(&app.store).await.unwrap().unsubscribe_secret;
    let link = |r: i64| app.url(&format!("/s/{}", invitation_token(&secret, id, r)));

    for (i, lang) in ["uk", "en", "pl"].iter().enumerate() {
        browser.goto(&format!("{}?lang={lang}", link(residents[i]))).await;
        browser.find("main form.survey-form").await;
        browser.axe_check(&format!("answering ({lang})")).await;
    }
    // Sending nothing: every required question says so, and nothing is stored.
    browser.goto(&format!("{}?lang=en", link(residents[0]))).await;
    click(&browser, "main form.survey-form button[type=submit]").await;
    browser.find("main .error-summary").await;
    assert!(browser.text("#mode-error").await.contains("Please answer this question"));
    browser.axe_check("answering with errors (en)").await;
    assert!(app.store.responses(id).await.unwrap().is_empty());

    // Every type, by pointer and keyboard: the conditional question appears once "bike" is chosen.
    assert!(browser.find("#bike_lanes").await.attr("hidden").await.unwrap().is_some(), "hidden until bike");
    click(&browser, "input[name='q.mode'][value='bike']").await;
    click(&browser, "input[name='q.bike_lanes'][value='no']").await;
    click(&browser, "input[name='q.problems'][value='delays']").await;
    click(&browser, "input[name='q.satisfaction'][value='4']").await;
    click(&browser, "input[name='q.recommend'][value='9']").await;
    for (option, place) in [("bikes", "1"), ("metro", "2"), ("trams", "3")] {
        browser.find(&format!("#q-priorities-{option}")).await.select_by_value(place).await.unwrap();
    }
    let minutes = browser.find("#q-minutes").await;
    minutes.clear().await.unwrap();
    minutes.send_keys("25").await.unwrap();
    browser.find("#q-idea").await.send_keys("Nocne tramwaje").await.unwrap();
    click(&browser, "input[name='q.stops.clean'][value='ok']").await;
    click(&browser, "input[name='q.stops.info'][value='good']").await;
    // Answers survive a reload (kept in the browser until sent).
    browser.client.refresh().await.unwrap();
    browser.find("main form.survey-form").await;
    assert_eq!(
        browser.js("return document.querySelector(\"input[name='q.mode'][value='bike']\").checked").await,
        json!(true)
    );
    click(&browser, "main form.survey-form button[type=submit]").await;
    browser.wait_for_text("h1", "Thank you").await;
    browser.axe_check("thanks (en)").await;
    let stored = app.store.responses(id).await.unwrap();
    assert_eq!(stored.len(), 1);
    let answers: serde_json::Value = serde_json::from_str(&stored[0].0).unwrap();
    assert_eq!(answers["priorities"], json!(["bikes", "metro", "trams"]));
    assert_eq!(answers["stops"], json!({"clean": "ok", "info": "good"}));
    // The same link again: politely refused.
    browser.goto(&format!("{}?lang=en", link(residents[0]))).await;
    browser.wait_for_text("h1", "You have already answered").await;
    browser.axe_check("already answered (en)").await;

    // Results and, once published, the public page and the open-data catalogue.
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/official/surveys/{id}/results?lang={lang}"))).await;
        browser.find("main #publish").await;
        browser.axe_check(&format!("results ({lang})")).await;
    }
    // A launched survey's wording page: every text in three languages, each field labelled.
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/official/surveys/{id}/wording?lang={lang}"))).await;
        browser.find("main form[action$='/wording'] #note").await;
        browser.axe_check(&format!("wording ({lang})")).await;
    }
    browser.goto(&app.url(&format!("/official/surveys/{id}/results?lang=uk"))).await;
    browser.find("main #publish").await;
    click(&browser, "main form[action$='/publication'] input[value='mode']").await;
    click(&browser, "main form[action$='/publication'] button[type=submit]").await;
    for _ in 0..100 {
        if browser.current_url().await.ends_with("#publish") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.find("main #publish").await;
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/consultations/{id}?lang={lang}"))).await;
        browser.find("#we-did").await;
        browser.axe_check(&format!("consultation ({lang})")).await;
        browser.goto(&app.url(&format!("/open-data?lang={lang}"))).await;
        browser.axe_check(&format!("open data ({lang})")).await;
    }
    browser.close().await;
    app.stop().await;
}
