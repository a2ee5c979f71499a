//! Merging duplicates (issue 11): a dispatcher merges report B into report A — B is closed as `merged` with a link
//! to A everywhere the public looks, B's reporter and followers follow A (no contact twice), the confirmed ones are
//! told once at the real SMTP server, and A's next step reaches them; every refusal changes nothing.

use std::time::Duration;

use hejnal::domain::{Role, desk_report::ReportState};
use hejnal::storage::desk_merge::{MergeOutcome, NewMerge};
use serde_json::{Value, json};

use crate::{
    desk::{count, post_report, report_form},
    desk_notify::{app_with_smtp, confirm_by_link, file_with, path_of, staff, step},
    desk_public::exec,
    dual,
    support::{Client, Db, TestApp, smtp::SmtpKeeper},
};

dual!(
    a_dispatcher_merges_a_duplicate_and_its_contacts_follow_the_other_report,
    every_refusal_changes_nothing,
    two_reports_merged_into_each_other_at_once_merge_once,
    the_worklist_filters_sorts_and_pages_and_names_a_bad_choice,
);

/// A bearer token for a new dispatcher.
pub async fn dispatcher(app: &TestApp) -> String {
    let (id, _) = app.add_official("dispatch@krakow.example.org", &[Role::Dispatcher]).await;
    app.token_for(id).await
}

pub async fn merge(app: &TestApp, token: &str, id: i64, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/merge")))
        .bearer_auth(token)
        .header("Accept-Language", "en")
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn follow(app: &TestApp, id: i64, email: &str, lang: &str) {
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/followers")))
        .header("Accept-Language", lang)
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

async fn a_dispatcher_merges_a_duplicate_and_its_contacts_follow_the_other_report(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let app = app_with_smtp(db, &smtp).await;
    let a = file_with(&app, Some(("email", "anna@example.org")), "en", "A deep pothole by the tram stop").await;
    let a = a["id"].as_i64().unwrap();
    let b = file_with(&app, Some(("email", "bartek@example.org")), "pl", "Dziura przy przystanku").await;
    let b = b["id"].as_i64().unwrap();
    // B's followers: one who never confirms, and A's own reporter (unconfirmed as B's follower).
    follow(&app, b, "cyryl@example.org", "uk").await;
    follow(&app, b, "anna@example.org", "en").await;
    let mails = smtp.wait_for(4, Duration::from_secs(30)).await;
    let link_of = |to: &str, id: i64| {
        let m = mails
            .iter()
            .find(|m| {
                m.envelope_to == vec![to.to_string()]
                    && m.subject.as_deref().is_some_and(|s| s.ends_with(&format!(" {id}")))
            })
            .unwrap_or_else(|| panic!("no confirmation of {id} to {to}"));
        path_of(m.text_body.as_deref().unwrap(), "/report-contact/")
    };
    confirm_by_link(&app, &link_of("anna@example.org", a)).await;
    confirm_by_link(&app, &link_of("bartek@example.org", b)).await;

    let token = dispatcher(&app).await;
    let res = merge(
        &app,
        &token,
        b,
        json!({"into": a, "public_note": "The same pothole as the other report.", "internal_note": "dup of A"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let merged: Value = res.json().await.unwrap();
    assert_eq!(merged["state"], "merged", "{merged}");
    assert_eq!(merged["merged_into"], a, "{merged}");

    // The database: B merged into A; A's contacts are its reporter, Bartek (confirmed, Polish) and Cyryl
    // (unconfirmed, Ukrainian) — Anna once; her unconfirmed row stayed behind with B.
    let sql = format!("SELECT COUNT(*) FROM desk_reports WHERE id = {b} AND state = 'merged' AND merged_into = {a}");
    assert_eq!(count(&app, &sql).await, 1);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {a}")).await, 3);
    let on_a = |value: &str, extra: &str| {
        format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {a} AND value = '{value}' {extra}")
    };
    assert_eq!(count(&app, &on_a("anna@example.org", "AND role = 'reporter'")).await, 1);
    let bartek = on_a("bartek@example.org", "AND role = 'follower' AND lang = 'pl' AND confirmed_at IS NOT NULL");
    assert_eq!(count(&app, &bartek).await, 1);
    let cyryl = on_a("cyryl@example.org", "AND role = 'follower' AND lang = 'uk' AND confirmed_at IS NULL");
    assert_eq!(count(&app, &cyryl).await, 1);
    let behind = format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {b} AND value = 'anna@example.org'");
    assert_eq!(count(&app, &behind).await, 1);
    let audited = format!("SELECT COUNT(*) FROM audit_log WHERE action = 'desk_merge' AND subject = 'report:{b}'");
    assert_eq!(count(&app, &audited).await, 1);

    // What the public sees: the link on B's page, `merged_into` in the API, Open311 closed with the note, open data
    // `merged`, and no resolved report in the statistics.
    let page = reqwest::get(app.url(&format!("/reports/{b}?lang=en"))).await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("<a href=\"/reports/{a}\">Handled together with report no. {a}</a>")), "{page}");
    let api: Value = reqwest::get(app.url(&format!("/api/v1/reports/{b}"))).await.unwrap().json().await.unwrap();
    assert_eq!((api["state"].clone(), api["merged_into"].clone()), (json!("merged"), json!(a)), "{api}");
    let history = api["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["state"], "merged");
    assert!(!api.to_string().contains("dup of A"), "never the internal note: {api}");
    let open311: Value =
        reqwest::get(app.url(&format!("/open311/v2/requests/{b}.json"))).await.unwrap().json().await.unwrap();
    assert_eq!(open311[0]["status"], "closed", "{open311}");
    assert_eq!(open311[0]["status_notes"], "The same pothole as the other report.");
    let data: Value = reqwest::get(app.url("/open-data/reports.json")).await.unwrap().json().await.unwrap();
    let row = data["reports"].as_array().unwrap().iter().find(|r| r["id"] == b).cloned().unwrap();
    assert_eq!(row["state"], "merged", "{row}");
    let stats: Value = reqwest::get(app.url("/api/v1/reports/stats")).await.unwrap().json().await.unwrap();
    let pothole = stats["services"].as_array().unwrap().iter().find(|s| s["code"] == "ROAD-POTHOLE").cloned().unwrap();
    assert_eq!((pothole["received"].clone(), pothole["resolved"].clone()), (json!(2), json!(0)), "{pothole}");

    // A's next public step reaches Bartek in Polish (and Anna); Cyryl, unconfirmed, hears nothing.
    step(&app, &token, a, json!({"state": "acknowledged", "public_note": "Ekipa wysłana."})).await;
    let mails = smtp.wait_for(7, Duration::from_secs(60)).await;
    let to = |who: &str| -> Vec<String> {
        mails.iter().filter(|m| m.envelope_to == vec![who.to_string()]).filter_map(|m| m.subject.clone()).collect()
    };
    let merge_subject = format!("Twoje zgłoszenie nr {b} jest teraz rozpatrywane jako zgłoszenie nr {a}");
    let bartek = to("bartek@example.org");
    assert_eq!(bartek.iter().filter(|s| **s == merge_subject).count(), 1, "{bartek:?}");
    assert!(
        bartek.contains(&format!("Twoje zgłoszenie nr {a}: przyjęte")),
        "A's step reaches B's reporter: {bartek:?}"
    );
    let merge_mail = mails.iter().find(|m| m.subject.as_deref() == Some(merge_subject.as_str())).unwrap();
    let text = merge_mail.text_body.clone().unwrap();
    assert!(text.contains(&format!("/reports/{a}")) && text.contains("/report-updates/"), "{text}");
    assert!(!text.contains("dup of A"), "never the internal note: {text}");
    assert_eq!(
        to("anna@example.org").iter().filter(|s| s.contains(&format!("{b}"))).count(),
        1,
        "only her confirmation"
    );
    assert_eq!(to("cyryl@example.org").len(), 1, "only the confirmation");
    let told = format!(
        "SELECT COUNT(*) FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id WHERE b.key = 'report:{b}:merged'"
    );
    assert_eq!(count(&app, &told).await, 1, "the merge message goes to one recipient, once");
    assert_eq!(smtp.messages().len(), 7);

    // Thirty days after B closed its erasure reaches what stayed behind with it, never the contacts that follow A.
    let later = chrono::Utc::now() + chrono::Duration::days(31);
    app.store.erase_closed_report_contacts(later, later).await.unwrap();
    let live = |id: i64| format!("SELECT COUNT(*) FROM desk_contacts WHERE report_id = {id} AND value IS NOT NULL");
    assert_eq!((count(&app, &live(a)).await, count(&app, &live(b)).await), (3, 0));
    let erased = format!("SELECT COUNT(*) FROM desk_reports WHERE id = {b} AND contact_value IS NULL");
    assert_eq!(count(&app, &erased).await, 1, "B's own copy of its reporter's contact is erased");
    app.stop().await;
}

/// What a refusal must leave alone: states and links, history, contacts and where they belong, audit, messages.
async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT CAST(COALESCE(SUM(id * LENGTH(state) + COALESCE(merged_into, 0)), 0) AS BIGINT) FROM desk_reports",
        "SELECT COUNT(*) FROM desk_report_events",
        "SELECT CAST(COALESCE(SUM(id * report_id), 0) AS BIGINT) FROM desk_contacts",
        "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_merge'",
        "SELECT COUNT(*) FROM broadcasts",
    ] {
        out.push(count(app, sql).await);
    }
    out
}

async fn every_refusal_changes_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let token = dispatcher(&app).await;
    let file = |d: &'static str| {
        let app = &app;
        async move { file_with(app, Some(("email", "ewa@example.org")), "en", d).await["id"].as_i64().unwrap() }
    };
    let (a, b, closed, chained) =
        (file("first").await, file("second").await, file("third").await, file("fourth").await);
    step(&app, &token, closed, json!({"state": "resolved", "public_note": "Filled."})).await;
    let res = merge(&app, &token, chained, json!({"into": a, "public_note": "Same."})).await;
    assert_eq!(res.status(), 200);
    let before = snapshot(&app).await;

    let cases: Vec<(i64, Value, u16, Option<&str>, String)> = vec![
        (b, json!({"into": b, "public_note": "x"}), 422, Some("into"), "cannot be merged into itself".into()),
        (b, json!({"into": closed, "public_note": "x"}), 422, Some("into"), format!("Report no. {closed} is closed")),
        (closed, json!({"into": a, "public_note": "x"}), 409, None, "This report is closed".into()),
        (
            b,
            json!({"into": chained, "public_note": "x"}),
            422,
            Some("into"),
            format!("is itself handled together with report no. {a}: merge into no. {a} instead"),
        ),
        (b, json!({"into": 999999, "public_note": "x"}), 422, Some("into"), "There is no report no. 999999".into()),
        (999999, json!({"into": a, "public_note": "x"}), 404, None, String::new()),
        (b, json!({"into": a, "public_note": " "}), 422, Some("public_note"), "Give the reason".into()),
    ];
    for (id, body, status, field, sentence) in cases {
        let res = merge(&app, &token, id, body.clone()).await;
        assert_eq!(res.status(), status, "{id} {body}");
        let problem: Value = res.json().await.unwrap();
        if let Some(field) = field {
            let errors = problem["errors"].as_array().unwrap();
            assert!(errors.iter().any(|e| e["field"] == field), "{problem}");
        }
        assert!(problem.to_string().contains(&sentence), "{sentence}: {problem}");
        assert_eq!(snapshot(&app).await, before, "{id} {body} changed something");
    }

    // Unit staff (even of the report's unit) and other officials are refused before anything is read.
    let roads = staff(&app, "roads@krakow.example.org", &["ZDMK"]).await;
    let (editor, _) = app.add_official("editor@krakow.example.org", &[Role::Editor]).await;
    let editor = app.token_for(editor).await;
    for t in [&roads, &editor] {
        let res = merge(&app, t, b, json!({"into": a, "public_note": "Same."})).await;
        assert_eq!(res.status(), 403);
    }
    // The page's form: the sentence next to its field, and nothing changed.
    let client = app.signed_in("dispatch-page@krakow.example.org", &[Role::Dispatcher]).await;
    let page = format!("/official/reports/{b}?lang=en");
    let res = client
        .post_form(&page, &format!("/official/reports/{b}/merge?lang=en"), &[("into", "#abc"), ("public_note", "x")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    let field_error = html.split("id=\"merge-into-error\">").nth(1).unwrap_or_default();
    assert!(field_error.starts_with("Give the number of the report to merge into"), "{html}");
    assert!(html.contains("value=\"#abc\""), "what was typed stays: {html}");

    // A change meanwhile: the store's merge checks the state and unit read before, and the target still open.
    let stale = NewMerge {
        official_id: 1,
        from: ReportState::Acknowledged,
        from_unit: "ZDMK".into(),
        into: a,
        public_note: "x".into(),
        internal_note: String::new(),
        at: chrono::Utc::now(),
    };
    assert_eq!(app.store.merge_report(b, &stale).await.unwrap(), MergeOutcome::Moved);
    let closed_meanwhile = NewMerge { from: ReportState::New, into: closed, ..stale };
    assert_eq!(app.store.merge_report(b, &closed_meanwhile).await.unwrap(), MergeOutcome::TargetClosed);
    assert_eq!(snapshot(&app).await, before);

    // And the same merge, done right, is made.
    let res = merge(&app, &token, b, json!({"into": a, "public_note": "Same."})).await;
    assert_eq!(res.status(), 200);
    assert_ne!(snapshot(&app).await, before);
    app.stop().await;
}

/// Files an anonymous report; returns its number.
/// Two dispatchers, each merging one of two reports into the other at the same moment: one merge happens, the other
/// is refused with its sentence — the target is closed, or already merged into the first (never a 500: on
/// PostgreSQL the two could deadlock).
async fn two_reports_merged_into_each_other_at_once_merge_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let first = dispatcher(&app).await;
    let (second, _) = app.add_official("dispatch-2@krakow.example.org", &[Role::Dispatcher]).await;
    let second = app.token_for(second).await;
    for round in 0..8 {
        let a = file(&app, "ROAD-POTHOLE", &format!("Pothole {round}, seen from the north")).await;
        let b = file(&app, "ROAD-POTHOLE", &format!("Pothole {round}, seen from the south")).await;
        let (ab, ba) = tokio::join!(
            merge(&app, &first, a, json!({"into": b, "public_note": "The same pothole."})),
            merge(&app, &second, b, json!({"into": a, "public_note": "The same pothole."})),
        );
        let mut statuses = [ab.status().as_u16(), ba.status().as_u16()];
        statuses.sort();
        assert!(statuses[0] == 200 && [409, 422].contains(&statuses[1]), "round {round}: {statuses:?}");
        let refused: Value = if ab.status() == 200 { ba.json().await.unwrap() } else { ab.json().await.unwrap() };
        let said = refused.to_string();
        assert!(said.contains("is closed") || said.contains("is itself handled together with"), "{round}: {said}");
        let merged = format!("SELECT COUNT(*) FROM desk_reports WHERE id IN ({a}, {b}) AND state = 'merged'");
        assert_eq!(count(&app, &merged).await, 1, "round {round}");
    }
    app.stop().await;
}

async fn file(app: &TestApp, service: &str, description: &str) -> i64 {
    let mut form = report_form(service, description);
    form = match service {
        "ROAD-POTHOLE" => form.text("attribute[blocking]", "false"),
        _ => form.text("attribute[road_blocked]", "false"),
    };
    let res = post_report(app, form, "en").await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// The worklist page's status, the report numbers in its table (in order), and its HTML.
async fn listed(client: &Client, query: &str) -> (u16, Vec<i64>, String) {
    let res = client.get(&format!("/official/reports?lang=en&{query}")).await;
    let status = res.status().as_u16();
    let html = res.text().await.unwrap();
    let ids = html
        .split("<td><a href=\"/official/reports/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect();
    (status, ids, html)
}

async fn the_worklist_filters_sorts_and_pages_and_names_a_bad_choice(db: Db) {
    let app = TestApp::spawn(db).await;
    let token = dispatcher(&app).await;
    let (p1, p2, p3) = (
        file(&app, "ROAD-POTHOLE", "p1").await,
        file(&app, "ROAD-POTHOLE", "p2").await,
        file(&app, "ROAD-POTHOLE", "p3").await,
    );
    let (t1, t2) = (file(&app, "TREE-FALLEN", "t1").await, file(&app, "TREE-FALLEN", "t2").await);
    step(&app, &token, p2, json!({"state": "resolved", "public_note": "Filled."})).await;
    step(&app, &token, t1, json!({"state": "acknowledged"})).await;
    exec(&app, &format!("UPDATE desk_reports SET due_on = '2020-01-02' WHERE id IN ({p3}, {p2})")).await;
    exec(&app, &format!("UPDATE desk_reports SET district = 1 WHERE id = {t2}")).await;

    let client = app.signed_in("dispatch-list@krakow.example.org", &[Role::Dispatcher]).await;
    let cases: [(&str, Vec<i64>); 9] = [
        ("", vec![t2, t1, p3, p2, p1]),
        ("state=open", vec![t2, t1, p3, p1]),
        ("state=resolved", vec![p2]),
        ("state=acknowledged&service=TREE-FALLEN", vec![t1]),
        ("unit=ZZM&sort=oldest", vec![t1, t2]),
        ("service=ROAD-POTHOLE&sort=oldest", vec![p1, p2, p3]),
        ("overdue=1", vec![p3]),
        ("district=1", vec![t2]),
        ("sort=due&state=open", vec![p3, t2, t1, p1]),
    ];
    for (query, want) in cases {
        let (status, ids, _) = listed(&client, query).await;
        assert_eq!((status, ids), (200, want), "{query}");
    }
    // A bad choice: 400, the sentence next to its field.
    for (query, field, sentence) in [
        ("state=bogus", "state", "There is no such state"),
        ("sort=sideways", "sort", "There is no such order"),
        ("unit=NOPE", "unit", "There is no such unit among those you may see"),
        ("district=999", "district", "There is no such district"),
        ("overdue=maybe", "overdue", "Tick the box or leave it empty"),
        ("page=0", "page", "The page must be a whole number from 1"),
    ] {
        let (status, ids, html) = listed(&client, query).await;
        assert_eq!((status, ids.len()), (400, 0), "{query}");
        let next_to = html.split(&format!("id=\"{field}-error\">")).nth(1).unwrap_or_default();
        assert!(next_to.starts_with(sentence), "{query}: {html}");
    }

    // Unit staff see only their units' reports, whatever they choose.
    let (roads_id, roads_password) = app.add_official("roads-list@krakow.example.org", &[]).await;
    app.store.set_staff_units(roads_id, &["ZDMK".to_string()]).await.unwrap();
    let roads = Client::new(&app);
    assert_eq!(roads.login("roads-list@krakow.example.org", &roads_password).await.status(), 303);
    assert_eq!(listed(&roads, "").await.1, vec![p3, p2, p1]);
    assert_eq!(listed(&roads, "service=TREE-FALLEN").await.1, Vec::<i64>::new());
    let (status, _, html) = listed(&roads, "unit=ZZM").await;
    assert_eq!(status, 400, "{html}");

    // Pages of 50, the choices kept in the links.
    let mut more = Vec::new();
    for i in 0..48 {
        more.push(file(&app, "ROAD-POTHOLE", &format!("more {i}")).await);
    }
    let (_, first, html) = listed(&client, "service=ROAD-POTHOLE&sort=oldest").await;
    assert_eq!(first.len(), 50);
    assert_eq!(&first[..3], &[p1, p2, p3]);
    let html = html.replace("&amp;", "&").replace("&#x3D;", "=");
    let next = "/official/reports?service=ROAD-POTHOLE&sort=oldest&page=2";
    assert!(html.contains(&format!("href=\"{next}\" rel=\"next\"")), "{html}");
    let (_, second, _) = listed(&client, "service=ROAD-POTHOLE&sort=oldest&page=2").await;
    assert_eq!(second, more[47..].to_vec());
    app.stop().await;
}
