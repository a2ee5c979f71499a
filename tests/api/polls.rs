//! Quick polls over HTTP: officials create (form errors tied to fields) and close polls; a public poll takes one vote
//! per browser (cookie) and a limited number per client address (governor → 429); a panel poll takes one vote per
//! signed-in resident and refuses anonymous voters; closed and not-yet-open polls refuse votes politely; results are
//! counted, drawn and labelled. A browser test runs axe-core on the public poll page before and after voting in
//! Polish, English and Ukrainian, and on the officials' form with its errors.

use chrono::{Duration, Utc};
use hejnal::{
    domain::{
        Role,
        panel::{Channel, ConsentMethod, ContactKind, Purpose},
    },
    storage::NewResident,
    web::polls::VOTES_PER_ADDRESS,
};
use serde_json::{Value, json};

use crate::{
    browser::harness::Browser,
    dual,
    panel::{post_json, sign_in_by_email},
    support::{Client, Db, TestApp, csrf_from},
};

dual!(
    officials_create_view_and_close_polls,
    public_poll_one_vote_per_browser_and_limited_per_address,
    panel_poll_one_vote_per_resident,
    closed_and_upcoming_polls_refuse_votes,
    public_poll_pages_are_accessible_in_three_languages
);

/// A `datetime-local` value `offset` from now, in the city's time zone.
fn local(offset: Duration) -> String {
    (Utc::now() + offset).with_timezone(&chrono_tz::Europe::Warsaw).format("%Y-%m-%dT%H:%M").to_string()
}

/// The kind of poll: Polish, English and Ukrainian texts, three answers.
fn poll_fields(audience: &'static str, opens: String, closes: String) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("question_pl", "Czy Rynek Główny powinien być wolny od hulajnóg?".into()),
        ("question_en", "Should the Main Square be free of e-scooters?".into()),
        ("question_uk", "Чи має Головна площа бути вільною від самокатів?".into()),
        ("audience", audience.into()),
        ("opens", opens),
        ("closes", closes),
    ];
    for (pl, en, uk) in [("Tak", "Yes", "Так"), ("Nie", "No", "Ні"), ("Nie mam zdania", "No opinion", "Не маю думки")]
    {
        f.push(("option_pl", pl.into()));
        f.push(("option_en", en.into()));
        f.push(("option_uk", uk.into()));
    }
    f
}

/// Creates a poll through the officials' form; returns its id.
async fn create_poll(editor: &Client, fields: &[(&'static str, String)]) -> i64 {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = editor.post_form("/official/polls", "/official/polls", &fields).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    location.strip_prefix("/official/polls/").expect("redirect to the poll's page").parse().unwrap()
}

async fn open_public_poll(app: &TestApp, audience: &'static str) -> (Client, i64) {
    let editor = app.signed_in("editor@krakow.pl", &[Role::Editor]).await;
    let id = create_poll(&editor, &poll_fields(audience, String::new(), local(Duration::days(7)))).await;
    (editor, id)
}

/// Votes through the poll's form. (The CSRF token is taken from `/join`: once voted, the poll page has no form.)
async fn vote(client: &Client, id: i64, option: &str) -> reqwest::Response {
    client.post_form("/join", &format!("/polls/{id}/vote"), &[("option", option)]).await
}

async fn counts(app: &TestApp, id: i64) -> Vec<(i64, i64)> {
    app.store.poll_counts(id).await.unwrap()
}

async fn json_of(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn officials_create_view_and_close_polls(db: Db) {
    let app = TestApp::spawn(db).await;
    let anonymous = Client::new(&app);
    let res = anonymous.get("/official/polls").await;
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/official/login"));

    let editor = app.signed_in("editor@krakow.pl", &[Role::Editor]).await;
    let page = editor.get("/official/polls?lang=en").await.text().await.unwrap();
    assert!(page.contains("action=\"/official/polls\""), "editors get the form");
    assert_eq!(page.matches("name=\"option_pl\"").count(), 10, "ten answer rows");

    // Every mistake named by its field, in the page's language; nothing created.
    let bad = [
        ("question_pl", " "),
        ("option_pl", "Tak"),
        ("option_en", ""),
        ("option_uk", ""),
        ("option_pl", ""),
        ("option_en", "No"),
        ("option_uk", ""),
        ("audience", "everyone"),
        ("closes", "2001-01-01T10:00"),
    ];
    let res = editor.post_form("/official/polls?lang=en", "/official/polls", &bad).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    for (field, message) in [
        ("question.pl", "Enter the question in Polish."),
        ("options.2.pl", "Enter this answer in Polish"),
        ("audience", "Choose who may vote."),
        ("closes", "The poll must close in the future."),
    ] {
        assert!(html.contains(&format!("href=\"#{field}\"")), "the summary links to {field}");
        let at = html.find(&format!("id=\"{field}-error\"")).unwrap_or_else(|| panic!("no error slot for {field}"));
        let slot: String = html[at..].chars().take(300).collect();
        assert!(slot.contains(message), "{field}: {message} in {slot}");
    }
    assert!(html.contains("value=\"No\""), "the form keeps what was typed");
    assert!(app.store.list_polls(10).await.unwrap().is_empty(), "nothing created");

    let res = editor
        .post_form(
            "/official/polls",
            "/official/polls",
            &[
                ("question_pl", "Pytanie?"),
                ("option_pl", "Jedyna"),
                ("audience", "public"),
                ("closes", &local(Duration::days(1))),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Give at least two answers."));

    let id = create_poll(&editor, &poll_fields("public", String::new(), local(Duration::days(7)))).await;
    let poll = app.store.poll(id).await.unwrap().unwrap();
    assert_eq!(poll.options.len(), 3);
    assert_eq!(poll.question.en.as_deref(), Some("Should the Main Square be free of e-scooters?"));
    assert_eq!(poll.options[2].text.uk.as_deref(), Some("Не маю думки"));
    assert!(poll.opens_at <= Utc::now() && poll.closes_at > Utc::now() + Duration::days(6));

    // Any official views; only editors create and close.
    let analyst = app.signed_in("analyst@krakow.pl", &[Role::Analyst]).await;
    let list = analyst.get("/official/polls").await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(list.contains(&format!("href=\"/official/polls/{id}\"")));
    assert!(!list.contains("action=\"/official/polls\""), "no form for a non-editor");
    let show = analyst.get(&format!("/official/polls/{id}")).await.text().await.unwrap();
    assert!(!show.contains("/close\""), "no close button for a non-editor");
    let res = analyst
        .post_form("/official/polls", "/official/polls", &[("question_pl", "Nie wolno"), ("audience", "public")])
        .await;
    assert_eq!(res.status(), 403);
    let res = analyst.post_form(&format!("/official/polls/{id}"), &format!("/official/polls/{id}/close"), &[]).await;
    assert_eq!(res.status(), 403);

    let page = format!("/official/polls/{id}");
    let res = editor.post_form(&page, &format!("/official/polls/{id}/close"), &[]).await;
    assert_eq!(res.status(), 303);
    let poll = app.store.poll(id).await.unwrap().unwrap();
    assert!(poll.closed_early_at.is_some() && poll.closes_at <= Utc::now());
    let res = editor.post_form("/official/polls", &format!("/official/polls/{id}/close"), &[]).await;
    assert_eq!(res.status(), 409, "closing twice is refused");
    let show = editor.get(&format!("/official/polls/{id}?lang=en")).await.text().await.unwrap();
    assert!(show.contains("closed early"));
    app.stop().await;
}

async fn public_poll_one_vote_per_browser_and_limited_per_address(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, id) = open_public_poll(&app, "public").await;

    let first = Client::new(&app);
    let list = first.get("/polls?lang=en").await.text().await.unwrap();
    assert!(list.contains(&format!("href=\"/polls/{id}\"")) && list.contains("Should the Main Square"));
    let page = first.get(&format!("/polls/{id}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("<legend>Choose one answer</legend>"));
    assert_eq!(page.matches("type=\"radio\" id=\"option-").count(), 3);
    assert!(page.contains("<label for=\"option-1\">Yes</label>"));
    assert!(!page.contains("results-table"), "no results before voting");

    // No CSRF token, no answer, an unknown answer: refused, nothing stored.
    let res = first.http.post(first.url(&format!("/polls/{id}/vote"))).form(&[("option", "1")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = vote(&first, id, "").await;
    assert_eq!(res.status(), 422);
    let res = vote(&first, id, "9").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("href=\"#option\"") && html.contains("This poll has no such answer."));
    let (status, problem) =
        json_of(post_json(&first, &format!("/api/v1/polls/{id}/votes?lang=en"), &json!({"option": "nope"})).await)
            .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "option");
    assert!(counts(&app, id).await.is_empty(), "nothing stored");

    // A vote: results at once, with the sample label; the browser is remembered by an HttpOnly cookie.
    let res = vote(&first, id, "1").await;
    assert_eq!(res.status(), 303);
    let cookie =
        res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
    let cookie = cookie.iter().find(|c| c.starts_with(&format!("hejnal_poll_{id}="))).expect("voted cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let page = first.get(&format!("/polls/{id}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("Thank you, your vote has been counted."));
    assert!(page.contains("this is not a representative survey") && page.contains("self-selected sample"));
    assert!(page.contains("<svg") && page.contains("role=\"img\""), "a chart");
    assert!(page.contains("<td class=\"votes\">1</td><td class=\"percent\">100 %</td>"));
    assert!(!page.contains("name=\"option\""), "no second form");

    // The same browser again: refused politely (page and API), nothing changes.
    let res = vote(&first, id, "2").await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("A vote from this browser has already been counted."));
    let (status, problem) =
        json_of(post_json(&first, &format!("/api/v1/polls/{id}/votes?lang=en"), &json!({"option": "2"})).await).await;
    assert_eq!(status, 409);
    assert!(problem["detail"].as_str().unwrap().contains("A vote from this browser has already been counted"));
    assert_eq!(counts(&app, id).await, vec![(1, 1)]);

    // Fresh browsers from the same address: the rest of the address's budget, then 429.
    for n in 1..VOTES_PER_ADDRESS {
        let other = Client::new(&app);
        if n % 2 == 0 {
            let (status, body) =
                json_of(post_json(&other, &format!("/api/v1/polls/{id}/votes"), &json!({"option": 2})).await).await;
            assert_eq!(status, 201, "{body}");
            assert_eq!(body["voted"], true);
            assert_eq!(body["results"]["sample"], "self-selected");
        } else {
            assert_eq!(vote(&other, id, "2").await.status(), 303);
        }
    }
    let limited = Client::new(&app);
    let res = vote(&limited, id, "3").await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("Z Twojej sieci oddano już zbyt wiele głosów"));
    let res = limited
        .http
        .post(limited.url(&format!("/api/v1/polls/{id}/votes")))
        .header("accept-language", "uk")
        .json(&json!({"option": "3"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let (_, problem) = json_of(res).await;
    assert!(problem["detail"].as_str().unwrap().contains("забагато голосів"), "{problem}");
    assert_eq!(counts(&app, id).await, vec![(1, 1), (2, (VOTES_PER_ADDRESS - 1) as i64)]);

    // JSON: no results for someone who has not voted while the poll is open; results for a voter.
    let (status, body) = json_of(limited.get(&format!("/api/v1/polls/{id}")).await).await;
    assert_eq!(status, 200);
    assert_eq!(body["state"], "open");
    assert_eq!(body["results"], Value::Null);
    assert_eq!(body["options"][0], json!({"value": "1", "text": {"pl": "Tak", "en": "Yes", "uk": "Так"}}));
    let (_, body) = json_of(first.get(&format!("/api/v1/polls/{id}?lang=en")).await).await;
    assert_eq!(body["voted"], true);
    assert_eq!(body["results"]["total"], VOTES_PER_ADDRESS as i64);
    assert_eq!(body["results"]["options"][0], json!({"value": "1", "votes": 1, "percent": 20}));
    assert!(body["results"]["note"].as_str().unwrap().contains("self-selected"));
    app.stop().await;
}

async fn resident(app: &TestApp, email: &str) -> i64 {
    let new = NewResident {
        language: "pl".into(),
        home_district: 1,
        other_districts: vec![],
        age_band: None,
        interests: vec![],
        contacts: vec![(ContactKind::Email, email.into())],
        consents: vec![(Purpose::EmergencyAlerts, Channel::Email)],
        method: ConsentMethod::Import,
        notice_version: 1,
        verified: true,
        legal_basis: Some("test fixture".into()),
    };
    app.store.create_resident(&new, Utc::now()).await.unwrap().expect("created").id
}

async fn panel_poll_one_vote_per_resident(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, id) = open_public_poll(&app, "panel").await;

    // Anonymous: the question and a sign-in link, no form; votes refused.
    let anonymous = Client::new(&app);
    let list = anonymous.get("/polls?lang=en").await.text().await.unwrap();
    assert!(list.contains(&format!("href=\"/polls/{id}\"")) && list.contains("for panel members"));
    let page = anonymous.get(&format!("/polls/{id}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("href=\"/me/signin\"") && page.contains("This poll is for members of the residents"));
    assert!(!page.contains("name=\"option\""));
    let res = vote(&anonymous, id, "1").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/me/signin");
    let (status, problem) =
        json_of(post_json(&anonymous, &format!("/api/v1/polls/{id}/votes?lang=en"), &json!({"option": "1"})).await)
            .await;
    assert_eq!(status, 401);
    assert!(problem["detail"].as_str().unwrap().contains("Sign in to the residents' panel"));
    assert!(counts(&app, id).await.is_empty());

    // A resident signs in with the emailed link and votes once.
    let ala_id = resident(&app, "ala@example.org").await;
    let ala = Client::new(&app);
    sign_in_by_email(&app, &ala, "ala@example.org", 0).await;
    let page = ala.get(&format!("/polls/{id}")).await.text().await.unwrap();
    assert!(page.contains("name=\"option\""), "a signed-in resident gets the form");
    assert_eq!(vote(&ala, id, "2").await.status(), 303);
    let page = ala.get(&format!("/polls/{id}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("Votes of panel members who chose to answer"));
    assert!(page.contains("<td class=\"votes\">1</td><td class=\"percent\">100 %</td>"));

    // A second vote (another answer, a fresh form or the API) is refused and changes nothing.
    let res = vote(&ala, id, "1").await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("You have already voted in this poll"));
    let csrf = csrf_from(&ala.get("/me").await.text().await.unwrap()).unwrap();
    let res = ala
        .http
        .post(ala.url(&format!("/api/v1/polls/{id}/votes")))
        .header("x-csrf-token", &csrf)
        .json(&json!({"option": "3"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    // A resident's cookie-authenticated API write needs the CSRF header.
    let res = post_json(&ala, &format!("/api/v1/polls/{id}/votes"), &json!({"option": "3"})).await;
    assert_eq!(res.status(), 403);
    assert_eq!(counts(&app, id).await, vec![(2, 1)]);

    // Another resident votes through the API.
    resident(&app, "ola@example.org").await;
    let ola = Client::new(&app);
    sign_in_by_email(&app, &ola, "ola@example.org", 1).await;
    let csrf = csrf_from(&ola.get("/me").await.text().await.unwrap()).unwrap();
    let res = ola
        .http
        .post(ola.url(&format!("/api/v1/polls/{id}/votes")))
        .header("x-csrf-token", &csrf)
        .json(&json!({"option": "3"}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(res).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["results"]["sample"], "panel");
    assert_eq!(body["results"]["total"], 2);
    assert_eq!(counts(&app, id).await, vec![(2, 1), (3, 1)]);

    // Ala's vote is in her export; erasing her keeps it counted but no longer hers.
    let export: Value = ala.get("/me/export").await.json().await.unwrap();
    let votes = export["poll_votes"].as_array().unwrap();
    assert_eq!(votes.len(), 1, "{export}");
    assert_eq!(votes[0]["poll_id"], id);
    assert_eq!(votes[0]["question_pl"], "Czy Rynek Główny powinien być wolny od hulajnóg?");
    assert_eq!(votes[0]["option_pl"], "Nie");
    assert!(app.store.erase_resident(ala_id, Utc::now()).await.unwrap());
    assert!(app.store.resident_votes(ala_id).await.unwrap().is_empty());
    assert_eq!(counts(&app, id).await, vec![(2, 1), (3, 1)]);
    app.stop().await;
}

async fn closed_and_upcoming_polls_refuse_votes(db: Db) {
    let app = TestApp::spawn(db).await;
    let (editor, id) = open_public_poll(&app, "public").await;
    let voter = Client::new(&app);
    assert_eq!(vote(&voter, id, "3").await.status(), 303);
    let res = editor.post_form("/official/polls", &format!("/official/polls/{id}/close"), &[]).await;
    assert_eq!(res.status(), 303);

    // Closed: everyone sees the results and the label; votes are refused, nothing stored.
    let late = Client::new(&app);
    let page = late.get(&format!("/polls/{id}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("This poll closed on") && page.contains("results-table"));
    assert!(page.contains("not a representative survey"));
    assert!(!page.contains("name=\"option\""));
    let csrf = late.csrf("/join").await;
    let res = late
        .http
        .post(late.url(&format!("/polls/{id}/vote?lang=en")))
        .form(&[("_csrf", csrf.as_str()), ("option", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("This poll has closed. Your vote was not recorded."));
    let (status, problem) =
        json_of(post_json(&late, &format!("/api/v1/polls/{id}/votes?lang=en"), &json!({"option": "1"})).await).await;
    assert_eq!(status, 409);
    assert_eq!(problem["detail"], "This poll has closed. Your vote was not recorded.");
    let (_, body) = json_of(late.get(&format!("/api/v1/polls/{id}")).await).await;
    assert_eq!(body["state"], "closed");
    assert_eq!(body["results"]["total"], 1);
    assert_eq!(counts(&app, id).await, vec![(3, 1)]);
    let list = late.get("/polls").await.text().await.unwrap();
    assert!(list.contains("id=\"closed-polls\"") && list.contains(&format!("href=\"/polls/{id}\"")));

    // Not open yet: not listed, the page says when it opens, votes refused, the API does not show it.
    let later = create_poll(&editor, &poll_fields("public", local(Duration::days(1)), local(Duration::days(2)))).await;
    let list = late.get("/polls").await.text().await.unwrap();
    assert!(!list.contains(&format!("href=\"/polls/{later}\"")));
    let page = late.get(&format!("/polls/{later}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("This poll opens on") && !page.contains("name=\"option\""));
    let res = late
        .http
        .post(late.url(&format!("/polls/{later}/vote")))
        .form(&[("_csrf", csrf.as_str()), ("option", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let (status, _) =
        json_of(post_json(&late, &format!("/api/v1/polls/{later}/votes"), &json!({"option": "1"})).await).await;
    assert_eq!(status, 409);
    assert_eq!(late.get(&format!("/api/v1/polls/{later}")).await.status(), 404);
    assert!(counts(&app, later).await.is_empty());
    assert_eq!(late.get("/polls/999").await.status(), 404);
    assert_eq!(late.get("/api/v1/polls/999").await.status(), 404);
    app.stop().await;
}

async fn public_poll_pages_are_accessible_in_three_languages(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    let (_, password) = app.add_official("editor@krakow.example.org", &[Role::Editor]).await;

    // The officials' form, with its errors tied to the fields.
    browser.goto(&app.url("/official/login?lang=en")).await;
    browser.find("#email").await.send_keys("editor@krakow.example.org").await.unwrap();
    browser.find("#password").await.send_keys(&password).await.unwrap();
    browser.find("main form[action='/official/login'] button[type=submit]").await.click().await.unwrap();
    browser.find("header form[action='/official/logout']").await;
    browser.goto(&app.url("/official/polls")).await;
    browser.axe_check("poll list and form (en)").await;
    browser.find("main form[action='/official/polls'] button[type=submit]").await.click().await.unwrap();
    browser.find("main .error-summary").await;
    assert!(browser.text("[id='question.pl-error']").await.contains("Enter the question in Polish"));
    browser.axe_check("poll form with errors (en)").await;
    browser
        .find("[id='question.pl']")
        .await
        .send_keys("Czy Rynek Główny powinien być wolny od hulajnóg?")
        .await
        .unwrap();
    browser.find("[id='question.en']").await.send_keys("Should the Main Square be free of e-scooters?").await.unwrap();
    browser
        .find("[id='question.uk']")
        .await
        .send_keys("Чи має Головна площа бути вільною від самокатів?")
        .await
        .unwrap();
    for (n, (pl, en, uk)) in [("Tak", "Yes", "Так"), ("Nie", "No", "Ні")].into_iter().enumerate() {
        let n = n + 1;
        browser.find(&format!("[id='options.{n}.pl']")).await.send_keys(pl).await.unwrap();
        browser.find(&format!("[id='options.{n}.en']")).await.send_keys(en).await.unwrap();
        browser.find(&format!("[id='options.{n}.uk']")).await.send_keys(uk).await.unwrap();
    }
    browser.find("main form[action='/official/polls'] button[type=submit]").await.click().await.unwrap();
    browser.find("#poll-state").await;
    let id: i64 = browser.current_url().await.rsplit('/').next().unwrap().parse().unwrap();
    browser.axe_check("poll page for officials (en)").await;

    for (lang, question, answer) in [
        ("pl", "Czy Rynek Główny powinien być wolny od hulajnóg?", "Dziękujemy, Twój głos został policzony."),
        ("en", "Should the Main Square be free of e-scooters?", "Thank you, your vote has been counted."),
        ("uk", "Чи має Головна площа бути вільною від самокатів?", "Дякуємо, ваш голос зараховано."),
    ] {
        // A new visitor each time (the voted cookie would show the results straight away).
        browser.client.delete_all_cookies().await.unwrap();
        browser.goto(&app.url(&format!("/polls?lang={lang}"))).await;
        browser.find(&format!("a[href='/polls/{id}']")).await;
        browser.axe_check(&format!("poll list ({lang})")).await;
        browser.goto(&app.url(&format!("/polls/{id}?lang={lang}"))).await;
        browser.wait_for_text("h1", question).await;
        browser.axe_check(&format!("poll before voting ({lang})")).await;
        // Submitting without an answer: the error is tied to the group.
        browser.find("main form button[type=submit]").await.click().await.unwrap();
        browser.find("main .error-summary").await;
        browser.axe_check(&format!("poll without an answer ({lang})")).await;
        browser.find("label[for='option-1']").await.click().await.unwrap();
        browser.find("main form button[type=submit]").await.click().await.unwrap();
        browser.wait_for_text("#poll-notice", answer).await;
        browser.find("#results-table").await;
        browser.find("#sample-note").await;
        browser.axe_check(&format!("poll after voting ({lang})")).await;
    }
    assert_eq!(app.store.poll_counts(id).await.unwrap(), vec![(1, 3)]);
    browser.close().await;
    app.stop().await;
}
