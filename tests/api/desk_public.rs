//! The intervention desk's public side: a dispatcher publishes a report's description and photos (only when the
//! reporter allowed it, audited), an unpublished photo is never served publicly; the public list (filters,
//! pagination, the district map, overdue in words), a report's page with its public history, the statistics —
//! and none of them ever shows a contact, an unpublished description or an internal note.

use hejnal::domain::Role;
use serde_json::{Value, json};

use crate::{
    desk::{count, jpeg_with_exif, photo, post_report, report_form},
    dual,
    support::{Db, TestApp},
};

dual!(
    a_dispatcher_publishes_and_only_then_anyone_sees_the_description_and_photo,
    nothing_is_published_when_the_reporter_did_not_allow_it,
    the_public_pages_and_json_never_show_personal_data,
    the_list_filters_by_service_district_and_state_and_pages,
    bad_list_queries_get_a_sentence_and_unknown_reports_404,
    statistics_count_received_resolved_median_and_on_time,
    the_reports_open_data_has_a_header_row_csvw_and_no_personal_data,
);

const SECRET: &str = "Zebrzydowski-7731";
const BOUNDARIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/boundaries-grid.geojson");

/// Files a street-light report with two photos, `public` as given, an email to hear back and a secret word in the
/// description.
async fn file_with_photos(app: &TestApp, public: bool) -> i64 {
    let form = report_form("STREET-LIGHT", &format!("Lamp out, {SECRET}"))
        .text("email", "resident@example.org")
        .text("public", if public { "true" } else { "false" })
        .part("photo", photo(jpeg_with_exif(), "a.jpg", "image/jpeg"))
        .part("photo", photo(jpeg_with_exif(), "b.jpg", "image/jpeg"));
    let res = post_report(app, form, "en").await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn publish(app: &TestApp, token: &str, id: i64, body: Value, lang: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/publication")))
        .bearer_auth(token)
        .header("Accept-Language", lang)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn anonymous_status(app: &TestApp, path: &str) -> u16 {
    reqwest::get(app.url(path)).await.unwrap().status().as_u16()
}

async fn public_json(app: &TestApp, id: i64) -> Value {
    reqwest::get(app.url(&format!("/api/v1/reports/{id}"))).await.unwrap().json().await.unwrap()
}

async fn a_dispatcher_publishes_and_only_then_anyone_sees_the_description_and_photo(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file_with_photos(&app, true).await;
    let shown = public_json(&app, id).await;
    assert_eq!(shown["description"], Value::Null, "{shown}");
    assert_eq!(shown["photos"], json!([]));
    for n in [1, 2] {
        assert_eq!(anonymous_status(&app, &format!("/api/v1/reports/{id}/photos/{n}")).await, 403);
    }

    // Unit staff handle the report but do not publish.
    let (staff, _) = app.add_official("lights@krakow.example.org", &[]).await;
    let unit = app.store.report(id).await.unwrap().unwrap().unit;
    app.store.set_staff_units(staff, &[unit]).await.unwrap();
    let staff_token = app.token_for(staff).await;
    let res = publish(&app, &staff_token, id, json!({"description": true, "photos": [1]}), "en").await;
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert!(!body["detail"].as_str().unwrap_or("").is_empty(), "a sentence: {body}");
    assert_eq!(anonymous_status(&app, &format!("/api/v1/reports/{id}/photos/1")).await, 403);

    let (dispatcher, _) = app.add_official("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let token = app.token_for(dispatcher).await;
    let res = publish(&app, &token, id, json!({"photos": [5]}), "en").await;
    assert_eq!(res.status(), 422, "a photo the report does not have");
    let res = publish(&app, &token, id, json!({"description": true, "photos": [1]}), "en").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"allowed": true, "description": true, "photos": [1]}));

    let shown = public_json(&app, id).await;
    assert_eq!(shown["description"], format!("Lamp out, {SECRET}"));
    assert_eq!(shown["photos"], json!([format!("/api/v1/reports/{id}/photos/1")]));
    let res = reqwest::get(app.url(&format!("/api/v1/reports/{id}/photos/1"))).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(!res.bytes().await.unwrap().windows(4).any(|w| w == b"Exif"));
    assert_eq!(
        anonymous_status(&app, &format!("/api/v1/reports/{id}/photos/2")).await,
        403,
        "the photo not approved is never served publicly"
    );
    let page = reqwest::get(app.url(&format!("/reports/{id}?lang=en"))).await.unwrap().text().await.unwrap();
    assert!(page.contains(SECRET) && page.contains(&format!("/api/v1/reports/{id}/photos/1")), "{page}");
    assert!(!page.contains(&format!("/api/v1/reports/{id}/photos/2")));
    assert!(!page.contains("resident@example.org"));
    let audited = count(
        &app,
        &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'desk_publication' AND subject = 'report:{id}'"),
    )
    .await;
    assert_eq!(audited, 1, "the decision is in the audit log (the refused ones are not)");

    // Withdrawn on the staff page's form: private again.
    let client = app.signed_in("dispatcher2@krakow.example.org", &[Role::Dispatcher]).await;
    let page = client.get(&format!("/official/reports/{id}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("Publish photo 2") && page.contains("Publish the description"), "{page}");
    let res = client
        .post_form(
            &format!("/official/reports/{id}"),
            &format!("/official/reports/{id}/publication"),
            &[("photo", "2")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let shown = public_json(&app, id).await;
    assert_eq!(shown["description"], Value::Null);
    assert_eq!(shown["photos"], json!([format!("/api/v1/reports/{id}/photos/2")]));
    assert_eq!(anonymous_status(&app, &format!("/api/v1/reports/{id}/photos/1")).await, 403);
    assert_eq!(anonymous_status(&app, &format!("/api/v1/reports/{id}/photos/2")).await, 200);
    let audited = count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_publication'").await;
    assert_eq!(audited, 2);
    app.stop().await;
}

async fn nothing_is_published_when_the_reporter_did_not_allow_it(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file_with_photos(&app, false).await;
    let (dispatcher, _) = app.add_official("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let token = app.token_for(dispatcher).await;
    for (lang, words) in [("en", "did not allow publication"), ("pl", "nie zgodził się"), ("uk", "не погодився")]
    {
        let res = publish(&app, &token, id, json!({"description": true, "photos": [1, 2]}), lang).await;
        assert_eq!(res.status(), 409);
        let body: Value = res.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains(words), "{body}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_photos WHERE published").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports WHERE published").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_publication'").await, 0);
    // Withholding everything is always allowed.
    let res = publish(&app, &token, id, json!({"description": false, "photos": []}), "en").await;
    assert_eq!(res.status(), 200);
    assert_eq!(anonymous_status(&app, &format!("/api/v1/reports/{id}/photos/1")).await, 403);
    let client = app.signed_in("dispatcher2@krakow.example.org", &[Role::Dispatcher]).await;
    let page = client.get(&format!("/official/reports/{id}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("did not allow publication") && !page.contains("Publish photo 1"), "{page}");
    app.stop().await;
}

async fn the_public_pages_and_json_never_show_personal_data(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file_with_photos(&app, true).await;
    let phone = report_form("TREE-FALLEN", &format!("Tree down near {SECRET}"))
        .text("attribute[road_blocked]", "false")
        .text("phone", "+48 601 234 567")
        .text("public", "true");
    let res = post_report(&app, phone, "en").await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let (dispatcher, _) = app.add_official("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let token = app.token_for(dispatcher).await;
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/transitions")))
        .bearer_auth(&token)
        .json(&json!({"state": "transferred", "unit": "ZZM", "public_note": "a tree fell on the lamp",
            "internal_note": format!("internal {SECRET}")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let mut seen = String::new();
    for lang in ["pl", "en", "uk"] {
        for path in ["/reports", &format!("/reports/{id}"), "/reports/stats", "/api/v1/reports/stats"] {
            let res = reqwest::get(app.url(&format!("{path}?lang={lang}"))).await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            seen.push_str(&res.text().await.unwrap());
        }
    }
    seen.push_str(&public_json(&app, id).await.to_string());
    for secret in [SECRET, "resident@example.org", "601 234 567", "601234567", "internal "] {
        assert!(!seen.contains(secret), "{secret} is shown publicly");
    }
    let page = reqwest::get(app.url(&format!("/reports/{id}?lang=en"))).await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Passed to Kraków Municipal Greenery Authority, because: a tree fell on the lamp"),
        "the transfer in words: {page}"
    );
    app.stop().await;
}

async fn the_list_filters_by_service_district_and_state_and_pages(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.alerts.boundaries = Some(BOUNDARIES.into())).await;
    for i in 0..22 {
        let res = post_report(&app, report_form("STREET-LIGHT", &format!("Lamp {i}")), "en").await;
        assert_eq!(res.status(), 201);
    }
    // Another district (the grid's north-west corner is district 1).
    let north = reqwest::multipart::Form::new()
        .text("service_code", "TREE-FALLEN")
        .text("description", "Tree down")
        .text("lat", "50.11")
        .text("long", "19.85")
        .text("attribute[road_blocked]", "false");
    let res = post_report(&app, north, "en").await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let tree = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(count(&app, &format!("SELECT district FROM desk_reports WHERE id = {tree}")).await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports WHERE district = 8").await, 22);
    // One overdue report: due long ago and still open.
    crate::desk_public::exec(&app, "UPDATE desk_reports SET due_on = '2020-01-06' WHERE id = 1").await;

    let get = |q: &str| {
        let url = app.url(&format!("/reports?lang=en&{q}"));
        async move {
            let res = reqwest::get(url).await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let rows = |html: &str| html.matches("<tr").count() - 1;
    let (status, html) = get("").await;
    assert_eq!(status, 200);
    assert!(html.contains("23 reports, page 1 of 2."), "{html}");
    assert_eq!(rows(&html), 20);
    assert!(html.contains(r#"class="report-marks""#) && html.matches("<circle").count() == 20, "the map's marks");
    assert!(html.contains(r#"<a href="/reports?page&#x3D;2" rel="next">Next page</a>"#), "the next page: {html}");
    let (_, html) = get("page=2").await;
    assert_eq!(rows(&html), 3);
    assert!(html.contains("Overdue"), "overdue in words: {html}");
    let (_, html) = get("service=TREE-FALLEN").await;
    assert_eq!(rows(&html), 1);
    assert!(html.contains(&format!("/reports/{tree}")));
    let (_, html) = get("district=1").await;
    assert_eq!(rows(&html), 1);
    let (_, html) = get("district=8&service=TREE-FALLEN").await;
    assert!(html.contains("No report matches these choices."), "{html}");
    let (_, html) = get("state=new&district=8").await;
    assert!(html.contains("22 reports, page 1 of 2."), "{html}");
    let (_, html) = get("state=resolved").await;
    assert!(html.contains("No report matches these choices."));
    let (status, html) = get("page=9").await;
    assert_eq!(status, 200);
    assert!(html.contains("There is nothing on this page: the last page is 2."), "{html}");
    app.stop().await;
}

async fn bad_list_queries_get_a_sentence_and_unknown_reports_404(db: Db) {
    let app = TestApp::spawn(db).await;
    for (q, lang, words) in [
        ("service=NOPE", "en", "There is no such problem type."),
        ("district=99", "en", "There is no such district."),
        ("district=abc", "pl", "Nie ma takiej dzielnicy."),
        ("state=lost", "uk", "Такого стану немає."),
        ("page=0", "en", "The page must be a whole number from 1."),
        ("page=abc", "en", "The page must be a whole number from 1."),
        ("page=99999999999999999999", "en", "The page must be a whole number from 1."),
    ] {
        let res = reqwest::get(app.url(&format!("/reports?{q}&lang={lang}"))).await.unwrap();
        assert_eq!(res.status(), 400, "{q}");
        let html = res.text().await.unwrap();
        assert!(html.contains(words), "{q}: {html}");
    }
    // Unknown parameters are ignored.
    assert_eq!(anonymous_status(&app, "/reports?colour=red").await, 200);
    for path in ["/reports/999999", "/reports/abc", "/reports/-1", "/api/v1/reports/999999"] {
        assert_eq!(anonymous_status(&app, path).await, 404, "{path}");
    }
    app.stop().await;
}

async fn statistics_count_received_resolved_median_and_on_time(db: Db) {
    let app = TestApp::spawn(db).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let res = post_report(&app, report_form("STREET-LIGHT", &format!("Lamp {i}")), "en").await;
        ids.push(res.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let (dispatcher, _) = app.add_official("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let token = app.token_for(dispatcher).await;
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{}/transitions", ids[0])))
        .bearer_auth(&token)
        .json(&json!({"state": "resolved", "public_note": "Fixed."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let stats: Value = reqwest::get(app.url("/api/v1/reports/stats?lang=en")).await.unwrap().json().await.unwrap();
    let unit = &stats["units"][0];
    assert_eq!(unit["received"], 3, "{stats}");
    assert_eq!(unit["resolved"], 1);
    assert_eq!(unit["median_days"], 0.0);
    assert_eq!(unit["on_time"], 1.0);
    let service = &stats["services"][0];
    assert_eq!(service["code"], "STREET-LIGHT");
    assert_eq!(service["received"], 3);
    for (lang, words) in [("en", "Reports received"), ("pl", "Przyjęte zgłoszenia"), ("uk", "Отримані звернення")]
    {
        let html = reqwest::get(app.url(&format!("/reports/stats?lang={lang}"))).await.unwrap().text().await.unwrap();
        assert!(html.contains("<svg") && html.contains(words) && html.contains("<td>3</td>"), "{lang}: {html}");
        assert!(html.contains("100 %"), "{html}");
    }
    app.stop().await;
}

/// Runs a statement straight on the database.
pub async fn exec(app: &TestApp, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if app.db.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&app.db.url).await.expect("sqlite");
        sqlx::query(sql).execute(&pool).await.expect("exec");
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(&app.db.url).await.expect("postgres");
        sqlx::query(sql).execute(&pool).await.expect("exec");
        pool.close().await;
    }
}

async fn the_reports_open_data_has_a_header_row_csvw_and_no_personal_data(db: Db) {
    let app = TestApp::spawn(db).await;
    let id = file_with_photos(&app, true).await;
    let second = post_report(&app, report_form("STREET-LIGHT", &format!("=HYPERLINK({SECRET})")), "en").await;
    assert_eq!(second.status(), 201);
    let res = reqwest::get(app.url("/open-data/reports.csv")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "id,service_code,unit,state,district,lat,lon,address,description,received_at,updated_at,due_on,public_note",
        "the header row comes first"
    );
    assert_eq!(csv.matches("\r\n").count(), 3, "{csv}");
    let json: Value = reqwest::get(app.url("/open-data/reports.json")).await.unwrap().json().await.unwrap();
    assert_eq!(json["licence"], "CC BY 4.0");
    assert_eq!(json["reports"].as_array().unwrap().len(), 2);
    assert_eq!(json["reports"][1]["id"], id);
    assert_eq!(json["reports"][1]["description"], Value::Null);
    let meta: Value =
        reqwest::get(app.url("/open-data/reports.csv-metadata.json")).await.unwrap().json().await.unwrap();
    assert_eq!(meta["@context"], "http://www.w3.org/ns/csvw");
    assert!(meta["url"].as_str().unwrap().ends_with("/open-data/reports.csv"));
    assert_eq!(meta["tableSchema"]["columns"].as_array().unwrap().len(), 13);
    assert_eq!(meta["dc:license"]["@id"], "https://creativecommons.org/licenses/by/4.0/");
    let all = format!("{csv}{json}");
    for secret in [SECRET, "resident@example.org"] {
        assert!(!all.contains(secret), "{secret} is in the open data");
    }

    // Published: the description appears (a formula neutralised in the CSV).
    let (dispatcher, _) = app.add_official("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let token = app.token_for(dispatcher).await;
    let res = publish(&app, &token, id, json!({"description": true}), "en").await;
    assert_eq!(res.status(), 200);
    let csv = reqwest::get(app.url("/open-data/reports.csv")).await.unwrap().text().await.unwrap();
    assert!(csv.contains(&format!("\"Lamp out, {SECRET}\"")), "{csv}");
    assert!(!csv.contains("HYPERLINK"), "the unpublished one stays out");

    // A file, once made, is served as made for a minute however many ask (a million reports are not read for
    // every request): a report filed now is in the next one.
    let third = post_report(&app, report_form("STREET-LIGHT", "A third lamp out"), "en").await;
    assert_eq!(third.status(), 201);
    let again = reqwest::get(app.url("/open-data/reports.csv")).await.unwrap().text().await.unwrap();
    assert_eq!(again, csv, "served as made");
    // A description taken back leaves at once, and the file made anew has the new report too.
    let res = publish(&app, &token, id, json!({"description": false}), "en").await;
    assert_eq!(res.status(), 200);
    let csv = reqwest::get(app.url("/open-data/reports.csv")).await.unwrap().text().await.unwrap();
    assert!(!csv.contains(SECRET), "{csv}");
    assert_eq!(csv.matches("\r\n").count(), 4, "the header and three reports: {csv}");
    let json: Value = reqwest::get(app.url("/open-data/reports.json")).await.unwrap().json().await.unwrap();
    assert_eq!(json["reports"].as_array().unwrap().len(), 3);
    assert_eq!(json["reports"][2]["description"], Value::Null);
    let page = reqwest::get(app.url("/open-data?lang=en")).await.unwrap().text().await.unwrap();
    assert!(page.contains("/open-data/reports.csv-metadata.json") && page.contains("/open-data/reports.json"));
    app.stop().await;
}
