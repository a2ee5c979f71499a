//! The intervention desk, for staff: unit staff act on their units' reports only, the dispatcher on every report;
//! each state change keeps its notes in the history; changes not allowed from the current state are refused; the
//! worklist names overdue reports in words; admins assign officials to units.

use hejnal::domain::Role;
use serde_json::{Value, json};

use crate::{
    desk::{count, post_report, report_form},
    dual,
    support::{Client, Db, TestApp},
};

dual!(
    a_unit_acknowledges_transfers_and_the_second_unit_resolves,
    another_units_staff_and_officials_without_a_unit_are_refused,
    changes_not_allowed_from_the_current_state_are_refused_with_a_sentence,
    the_worklist_shows_a_units_reports_and_names_overdue_ones,
    admins_assign_units_and_staff_act_through_the_pages,
);

async fn file(app: &TestApp, service: &str, description: &str) -> i64 {
    let mut form = report_form(service, description);
    if service == "ROAD-POTHOLE" {
        form = form.text("attribute[blocking]", "false");
    }
    let res = post_report(app, form, "en").await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// A bearer token for a new official with these roles, working for these units.
async fn staff(app: &TestApp, email: &str, roles: &[Role], units: &[&str]) -> String {
    let (id, _) = app.add_official(email, roles).await;
    let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
    app.store.set_staff_units(id, &units).await.unwrap();
    app.token_for(id).await
}

async fn transition(app: &TestApp, token: &str, id: i64, body: Value, lang: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/transitions")))
        .bearer_auth(token)
        .header("Accept-Language", lang)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn a_unit_acknowledges_transfers_and_the_second_unit_resolves(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file(&app, "ROAD-POTHOLE", "A branch lies across the road").await;
    let roads = staff(&app, "roads@krakow.example.org", &[], &["ZDMK"]).await;
    let green = staff(&app, "green@krakow.example.org", &[], &["ZZM"]).await;

    let res = transition(
        &app,
        &roads,
        id,
        json!({"state": "acknowledged", "public_note": "Seen.", "internal_note": "crew 3"}),
        "en",
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["state"], "acknowledged");

    let res = transition(&app, &green, id, json!({"state": "in_progress"}), "en").await;
    assert_eq!(res.status(), 403, "not the greenery's report yet");

    let res = transition(
        &app,
        &roads,
        id,
        json!({"state": "transferred", "unit": "ZZM", "public_note": "A tree, not the road", "internal_note": "call ZZM"}),
        "en",
    )
    .await;
    assert_eq!(res.status(), 200);
    let after: Value = res.json().await.unwrap();
    assert_eq!(after["state"], "transferred");
    assert_eq!(after["unit"], "ZZM");
    assert_eq!(after["unit_name"], "Kraków Municipal Greenery Authority");

    let res = transition(&app, &roads, id, json!({"state": "resolved"}), "en").await;
    assert_eq!(res.status(), 403, "passed on: no longer the roads authority's");
    let res = transition(&app, &green, id, json!({"state": "resolved", "public_note": "Removed."}), "en").await;
    assert_eq!(res.status(), 200);

    let public = reqwest::get(app.url(&format!("/api/v1/reports/{id}"))).await.unwrap().text().await.unwrap();
    assert!(!public.contains("crew 3") && !public.contains("call ZZM"), "internal notes stay inside: {public}");
    let public: Value = serde_json::from_str(&public).unwrap();
    let states: Vec<&str> =
        public["history"].as_array().unwrap().iter().map(|h| h["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["new", "acknowledged", "transferred", "resolved"]);
    assert_eq!(public["history"][2]["public_note"], "A tree, not the road");
    assert_eq!(public["overdue"], false, "closed reports are never overdue");
    let stored = app.store.report(id).await.unwrap().unwrap();
    assert_eq!(stored.history[1].internal_note, "crew 3");
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM desk_report_events WHERE report_id = {id}")).await, 4);
    app.stop().await;
}

async fn another_units_staff_and_officials_without_a_unit_are_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file(&app, "STREET-LIGHT", "Lamp out").await;
    let water = staff(&app, "water@krakow.example.org", &[], &["WMK"]).await;
    let nobody = staff(&app, "editor@krakow.example.org", &[Role::Editor, Role::Admin], &[]).await;
    for (token, lang, words) in [
        (&water, "en", "belongs to another unit"),
        (&nobody, "pl", "należy do innej jednostki"),
        (&water, "uk", "належить іншому підрозділу"),
    ] {
        let res = transition(&app, token, id, json!({"state": "acknowledged"}), lang).await;
        assert_eq!(res.status(), 403);
        let body: Value = res.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains(words), "{body}");
    }
    let photo = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/reports/{id}/photos/1")))
        .bearer_auth(&water)
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 403, "another unit does not see unpublished photos");
    let anonymous = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/transitions")))
        .json(&json!({"state": "acknowledged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let dispatcher = staff(&app, "dispatch@krakow.example.org", &[Role::Dispatcher], &[]).await;
    let res = transition(&app, &dispatcher, id, json!({"state": "acknowledged"}), "en").await;
    assert_eq!(res.status(), 200, "the dispatcher acts on every report");
    let stored = app.store.report(id).await.unwrap().unwrap();
    assert_eq!(stored.history.len(), 2, "the refusals changed nothing");
    app.stop().await;
}

async fn changes_not_allowed_from_the_current_state_are_refused_with_a_sentence(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file(&app, "STREET-LIGHT", "Lamp out").await;
    let token = staff(&app, "roads@krakow.example.org", &[], &["ZDMK"]).await;

    let res = transition(&app, &token, id, json!({"state": "new"}), "en").await;
    assert_eq!(res.status(), 409);
    let body: Value = res.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("cannot move to this state"), "{body}");

    let res = transition(&app, &token, id, json!({"state": "rejected"}), "en").await;
    assert_eq!(res.status(), 422, "a rejection needs its reason");
    assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["field"], "public_note");
    let res =
        transition(&app, &token, id, json!({"state": "transferred", "unit": "ZDMK", "public_note": "x"}), "en").await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["field"], "unit");
    let res =
        transition(&app, &token, id, json!({"state": "transferred", "unit": "NOPE", "public_note": "x"}), "en").await;
    assert_eq!(res.status(), 422);
    let res = transition(&app, &token, id, json!({"state": "fixed"}), "en").await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["field"], "state");

    let res = transition(&app, &token, id, json!({"state": "rejected", "public_note": "Not a city lamp"}), "en").await;
    assert_eq!(res.status(), 200);
    let res = transition(&app, &token, id, json!({"state": "in_progress"}), "pl").await;
    assert_eq!(res.status(), 409, "a rejected report is closed");
    let body: Value = res.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("nie może przejść do tego stanu"), "{body}");
    let res = transition(&app, &token, 999_999, json!({"state": "acknowledged"}), "en").await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.store.report(id).await.unwrap().unwrap().history.len(), 2);
    app.stop().await;
}

/// Runs one statement straight on the database (to move a report's due day into the past).
async fn exec(app: &TestApp, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if app.db.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&app.db.url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(&app.db.url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

/// A signed-in official working for `units`; returns the browser-like client and the official's id.
async fn signed_in_staff(app: &TestApp, email: &str, roles: &[Role], units: &[&str]) -> (Client, i64) {
    let (id, password) = app.add_official(email, roles).await;
    let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
    app.store.set_staff_units(id, &units).await.unwrap();
    let client = Client::new(app);
    assert_eq!(client.login(email, &password).await.status(), 303);
    (client, id)
}

async fn the_worklist_shows_a_units_reports_and_names_overdue_ones(db: Db) {
    let app = TestApp::spawn(db).await;
    let light = file(&app, "STREET-LIGHT", "Lamp out").await;
    let water =
        post_report(&app, report_form("WATER-LEAK", "Water on the street").text("attribute[flooding]", "no"), "en")
            .await;
    assert_eq!(water.status(), 201);
    exec(&app, &format!("UPDATE desk_reports SET due_on = '2020-01-06' WHERE id = {light}")).await;

    let (roads, _) = signed_in_staff(&app, "roads@krakow.example.org", &[], &["ZDMK"]).await;
    let html = roads.get("/official/reports?lang=en").await.text().await.unwrap();
    assert!(html.contains("Street light out"), "{html}");
    assert!(!html.contains("Water leak"), "another unit's report is not listed");
    assert!(html.contains("2020-01-06 <strong>Overdue</strong>"), "overdue in words");
    let public: Value = reqwest::get(app.url(&format!("/api/v1/reports/{light}"))).await.unwrap().json().await.unwrap();
    assert_eq!(public["overdue"], true);

    let (dispatcher, _) = signed_in_staff(&app, "dispatch@krakow.example.org", &[Role::Dispatcher], &[]).await;
    let html = dispatcher.get("/official/reports?lang=pl").await.text().await.unwrap();
    assert!(html.contains("Niedziałająca latarnia") && html.contains("Wyciek wody"), "the dispatcher sees all");
    assert!(html.contains("Po terminie"));

    let (nobody, _) = signed_in_staff(&app, "nobody@krakow.example.org", &[Role::Analyst], &[]).await;
    let html = nobody.get("/official/reports?lang=en").await.text().await.unwrap();
    assert!(html.contains("You are not assigned to any unit"));
    assert!(!html.contains("Street light out"));
    let page = nobody.get(&format!("/official/reports/{light}")).await;
    assert_eq!(page.status(), 403);
    app.stop().await;
}

async fn admins_assign_units_and_staff_act_through_the_pages(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file(&app, "STREET-LIGHT", "Lamp out near the school").await;
    let (admin, _) = signed_in_staff(&app, "admin@krakow.example.org", &[Role::Admin], &[]).await;
    let (worker, worker_id) = signed_in_staff(&app, "worker@krakow.example.org", &[], &[]).await;
    assert_eq!(worker.get(&format!("/official/reports/{id}")).await.status(), 403);

    let page = admin.get("/official/desk/staff?lang=en").await.text().await.unwrap();
    assert!(page.contains(&format!("action=\"/official/desk/staff/{worker_id}\"")));
    let res = admin
        .post_form(
            "/official/desk/staff",
            &format!("/official/desk/staff/{worker_id}"),
            &[("unit", "ZDMK"), ("unit", "WMK")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.store.staff_units(worker_id).await.unwrap(), ["WMK", "ZDMK"]);
    let bad = admin
        .post_form("/official/desk/staff", &format!("/official/desk/staff/{worker_id}"), &[("unit", "NOPE")])
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(app.store.staff_units(worker_id).await.unwrap(), ["WMK", "ZDMK"], "nothing changed");

    let page = format!("/official/reports/{id}?lang=en");
    let html = worker.get(&page).await.text().await.unwrap();
    assert!(html.contains("Lamp out near the school"), "staff read the description");
    let leak = report_form("WATER-LEAK", "Water on the street").text("attribute[flooding]", "yes");
    let leak = post_report(&app, leak, "en").await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let html = worker.get(&format!("/official/reports/{leak}?lang=en")).await.text().await.unwrap();
    let answer = "<dt>Is the water flooding the road or buildings?</dt><dd>Yes</dd>";
    assert!(html.contains(answer), "answers under their questions: {html}");
    let action = format!("/official/reports/{id}/transition");
    let res =
        worker.post_form(&page, &action, &[("state", "rejected"), ("public_note", ""), ("internal_note", "")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Give the reason in the note for the resident."));
    let res = worker
        .post_form(
            &page,
            &action,
            &[("state", "in_progress"), ("public_note", "A crew is on its way"), ("internal_note", "crew 7")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = worker.get(&page).await.text().await.unwrap();
    assert!(html.contains("A crew is on its way") && html.contains("crew 7"), "the history with both notes");
    assert_eq!(app.store.report(id).await.unwrap().unwrap().state.as_str(), "in_progress");
    app.stop().await;
}
