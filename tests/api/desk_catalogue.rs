//! Editing the desk's catalogue on the admins' page: a changed name and target time reach the report form and the
//! services API in each language, a new service is offered, only admins may change anything, a retired service is
//! offered nowhere and refused when filing while its old report still reads, and every bad value is named under its
//! field with nothing changed. Routing per district and re-seeding: `desk_catalogue_routing.rs`.

use hejnal::domain::{Role, desk::Service};
use serde_json::Value;

use crate::{
    campaign_tables::row_counts,
    desk::{count, post_report, report_form},
    dual,
    support::{Client, Db, TestApp},
};

dual!(
    an_admin_changes_a_service_and_residents_see_it_in_each_language,
    an_admin_adds_a_service_with_its_questions,
    a_non_admin_official_is_refused_and_nothing_changes,
    a_retired_service_is_offered_nowhere_and_its_old_report_still_reads,
    each_bad_value_is_named_under_its_field_and_nothing_changes,
);

/// The form fields that describe `s` exactly as stored.
pub fn fields_of(s: &Service) -> Vec<(String, String)> {
    let mut f = Vec::new();
    for (prefix, t) in [("name", &s.name), ("hint", &s.hint), ("keywords", &s.keywords)] {
        for l in ["pl", "en", "uk"] {
            f.push((format!("{prefix}_{l}"), t.get(l).to_string()));
        }
    }
    f.push(("unit".into(), s.unit.clone()));
    f.push(("target_days".into(), s.target_days.to_string()));
    for (i, a) in s.attributes.iter().enumerate() {
        f.push((format!("attr-{i}-code"), a.code.clone()));
        f.push((format!("attr-{i}-type"), a.kind.as_str().into()));
        if a.required {
            f.push((format!("attr-{i}-required"), "true".into()));
        }
        for l in ["pl", "en", "uk"] {
            f.push((format!("attr-{i}-label_{l}"), a.label.get(l).to_string()));
        }
    }
    for (i, r) in s.routes.iter().enumerate() {
        f.push((format!("route-{i}-district"), r.district.to_string()));
        f.push((format!("route-{i}-unit"), r.unit.clone()));
    }
    f
}

/// Sets a field (replacing it when present).
pub fn set(f: &mut Vec<(String, String)>, name: &str, value: &str) {
    f.retain(|(k, _)| k != name);
    f.push((name.into(), value.into()));
}

pub async fn stored(app: &TestApp, code: &str) -> Option<Service> {
    app.store.catalogue().await.unwrap().service(code).cloned()
}

/// Submits the catalogue form at `action` with the CSRF token of `page`.
pub async fn submit(client: &Client, page: &str, action: &str, f: &[(String, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post_form(page, action, &fields).await
}

/// Retires (`"false"`) or reinstates (`"true"`) a service through its page's button; the answer's status.
pub async fn set_active(client: &Client, code: &str, active: &str) -> u16 {
    let page = format!("/official/desk/catalogue/{code}");
    client.post_form(&page, &format!("{page}/active"), &[("active", active)]).await.status().as_u16()
}

pub async fn admin(app: &TestApp) -> Client {
    app.signed_in("catalogue-admin@krakow.example.org", &[Role::Admin]).await
}

pub async fn services(app: &TestApp, lang: &str, q: &str) -> Vec<Value> {
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/services?q={q}")))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    res.json::<Value>().await.unwrap()["services"].as_array().unwrap().clone()
}

fn find<'a>(list: &'a [Value], code: &str) -> Option<&'a Value> {
    list.iter().find(|s| s["code"] == code)
}

async fn page(app: &TestApp, path: &str) -> String {
    reqwest::get(app.url(path)).await.unwrap().text().await.unwrap()
}

async fn an_admin_changes_a_service_and_residents_see_it_in_each_language(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = admin(&app).await;
    let edit = "/official/desk/catalogue/TREE-FALLEN";
    let listing = client.get("/official/desk/catalogue?lang=en").await.text().await.unwrap();
    assert!(listing.contains("TREE-FALLEN") && listing.contains("Fallen or broken tree"), "{listing}");
    let mut f = fields_of(&stored(&app, "TREE-FALLEN").await.unwrap());
    for (l, name) in [("pl", "Drzewo na drodze"), ("en", "Tree across the way"), ("uk", "Дерево на дорозі")]
    {
        set(&mut f, &format!("name_{l}"), name);
    }
    set(&mut f, "target_days", "9");
    let res = submit(&client, edit, edit, &f).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(res.headers()["location"], "/official/desk/catalogue/TREE-FALLEN?saved=1");

    for (lang, name) in [("pl", "Drzewo na drodze"), ("en", "Tree across the way"), ("uk", "Дерево на дорозі")]
    {
        let all = services(&app, lang, "").await;
        let tree = find(&all, "TREE-FALLEN").expect("still offered");
        assert_eq!(tree["name"], name, "{lang}");
        assert_eq!(tree["target_days"], 9, "{lang}");
        assert_eq!(tree["attributes"].as_array().unwrap().len(), 2, "the questions are kept");
        let form = page(&app, &format!("/report?service=TREE-FALLEN&lang={lang}")).await;
        assert!(form.contains(name), "{lang}: {form}");
        let found = services(&app, lang, "drzewo").await;
        assert_eq!(found[0]["name"], name, "the search answers with the new name too");
    }
    let audited = count(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_service_changed' AND subject = 'service:TREE-FALLEN' \
         AND detail LIKE '%target_days%' AND detail LIKE '%name%'",
    )
    .await;
    assert_eq!(audited, 1, "the change is in the audit log with what changed");

    // Saving again with nothing changed writes nothing and audits nothing.
    let res = submit(&client, edit, edit, &f).await;
    assert_eq!(res.status(), 303);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_service_changed'").await, 1);
    app.stop().await;
}

async fn an_admin_adds_a_service_with_its_questions(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = admin(&app).await;
    let mut f = fields_of(&stored(&app, "STREET-LIGHT").await.unwrap());
    for (k, v) in [
        ("code", "BENCH-BROKEN"),
        ("name_pl", "Zniszczona ławka"),
        ("name_en", "Broken bench"),
        ("name_uk", "Зламана лавка"),
        ("keywords_en", "bench, seat"),
        ("unit", "ZZM"),
        ("target_days", "14"),
        ("attr-0-remove", "true"),
        ("attr-1-code", "seats_missing"),
        ("attr-1-type", "number"),
        ("attr-1-required", "true"),
        ("attr-1-label_pl", "Ilu desek brakuje?"),
        ("attr-1-label_en", "How many planks are missing?"),
        ("attr-1-label_uk", "Скільки дощок бракує?"),
    ] {
        set(&mut f, k, v);
    }
    let new = "/official/desk/catalogue/new";
    let res = submit(&client, new, "/official/desk/catalogue", &f).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let bench = find(&services(&app, "uk", "").await, "BENCH-BROKEN").cloned().expect("offered");
    assert_eq!(bench["name"], "Зламана лавка");
    assert_eq!(bench["target_days"], 14);
    assert_eq!(bench["unit"], "ZZM");
    let attrs = bench["attributes"].as_array().unwrap();
    assert_eq!(attrs.len(), 1, "the removed row is not kept: {bench}");
    assert_eq!((attrs[0]["code"].as_str(), attrs[0]["type"].as_str()), (Some("seats_missing"), Some("number")));
    assert_eq!(attrs[0]["required"], true);
    assert_eq!(services(&app, "en", "bench").await[0]["code"], "BENCH-BROKEN", "found by its keywords");
    // Residents file to it; the required question is asked.
    let res = post_report(&app, report_form("BENCH-BROKEN", "Planks torn off"), "en").await;
    assert_eq!(res.status(), 422);
    let res =
        post_report(&app, report_form("BENCH-BROKEN", "Planks torn off").text("attribute[seats_missing]", "3"), "en")
            .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_service_created' AND subject = 'service:BENCH-BROKEN'"
        )
        .await,
        1
    );
    app.stop().await;
}

async fn a_non_admin_official_is_refused_and_nothing_changes(db: Db) {
    let app = TestApp::spawn(db).await;
    let before = stored(&app, "TREE-FALLEN").await.unwrap();
    let rows = row_counts(&app.db.url, db).await;
    let mut f = fields_of(&before);
    set(&mut f, "target_days", "30");
    set(&mut f, "name_en", "Changed by a dispatcher");
    for (email, roles) in [
        ("desk-dispatcher@krakow.example.org", &[Role::Dispatcher][..]),
        ("desk-editor@krakow.example.org", &[Role::Editor][..]),
    ] {
        let client = app.signed_in(email, roles).await;
        assert_eq!(client.get("/official/desk/catalogue").await.status(), 403, "{email}");
        assert_eq!(client.get("/official/desk/catalogue/TREE-FALLEN").await.status(), 403, "{email}");
        let res = submit(&client, "/official", "/official/desk/catalogue/TREE-FALLEN", &f).await;
        assert_eq!(res.status(), 403, "{email}");
        let res =
            client.post_form("/official", "/official/desk/catalogue/TREE-FALLEN/active", &[("active", "false")]).await;
        assert_eq!(res.status(), 403, "{email}");
        let mut add = f.clone();
        set(&mut add, "code", "NEW-ONE");
        assert_eq!(submit(&client, "/official", "/official/desk/catalogue", &add).await.status(), 403, "{email}");
    }
    assert_eq!(stored(&app, "TREE-FALLEN").await.unwrap(), before);
    assert!(stored(&app, "NEW-ONE").await.is_none());
    let mut after = row_counts(&app.db.url, db).await;
    // Signing in wrote sessions and audit entries; the catalogue's tables are as they were.
    for t in ["desk_services", "desk_attributes", "desk_service_routes"] {
        let key = rows.keys().find(|k| k.ends_with(t)).unwrap().clone();
        assert_eq!(after.remove(&key), rows.get(&key).copied(), "{t}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'desk_service%'").await, 0);
    app.stop().await;
}

async fn a_retired_service_is_offered_nowhere_and_its_old_report_still_reads(db: Db) {
    let app = TestApp::spawn(db).await;
    let res = post_report(&app, report_form("STREET-LIGHT", "Lamp out on Floriańska"), "en").await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let client = admin(&app).await;
    assert_eq!(set_active(&client, "STREET-LIGHT", "false").await, 303);
    assert!(!stored(&app, "STREET-LIGHT").await.unwrap().active);

    for lang in ["pl", "en", "uk"] {
        assert!(find(&services(&app, lang, "").await, "STREET-LIGHT").is_none(), "{lang}");
        assert!(find(&services(&app, lang, "street light lamp").await, "STREET-LIGHT").is_none(), "{lang}");
        let form = page(&app, &format!("/report?lang={lang}")).await;
        assert!(form.contains("TREE-FALLEN") && !form.contains("STREET-LIGHT"), "{lang}");
    }
    let open311 = page(&app, "/open311/v2/services.json").await;
    assert!(open311.contains("TREE-FALLEN") && !open311.contains("STREET-LIGHT"), "{open311}");
    let res = reqwest::get(app.url("/open311/v2/services/STREET-LIGHT.json")).await.unwrap();
    assert_eq!(res.status(), 404);

    let reports = count(&app, "SELECT COUNT(*) FROM desk_reports").await;
    let res = post_report(&app, report_form("STREET-LIGHT", "Another lamp out"), "en").await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "service_code", "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("no longer"), "{body}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, reports, "nothing filed");

    // The old report still reads, named as before.
    let shown: Value =
        reqwest::get(app.url(&format!("/api/v1/reports/{id}?lang=en"))).await.unwrap().json().await.unwrap();
    assert_eq!(shown["service_code"], "STREET-LIGHT", "{shown}");
    assert_eq!(shown["service_name"], "Street light out", "{shown}");
    let public = page(&app, &format!("/reports/{id}?lang=en")).await;
    assert!(public.contains("Street light out"), "{public}");
    let listing = client.get("/official/desk/catalogue?lang=en").await.text().await.unwrap();
    assert!(listing.contains("Retired"), "{listing}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_service_retired' AND subject = 'service:STREET-LIGHT'"
        )
        .await,
        1
    );

    assert_eq!(set_active(&client, "STREET-LIGHT", "true").await, 303);
    assert!(find(&services(&app, "en", "").await, "STREET-LIGHT").is_some(), "reinstated");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'desk_service_reinstated'").await, 1);
    app.stop().await;
}

/// The text under a field (`<p class="field-error" id="{field}-error">…</p>`).
fn under(html: &str, field: &str) -> String {
    let mark = format!("id=\"{field}-error\">");
    let Some(at) = html.find(&mark) else { return String::new() };
    html[at + mark.len()..].split("</p>").next().unwrap_or("").trim().to_string()
}

async fn each_bad_value_is_named_under_its_field_and_nothing_changes(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = admin(&app).await;
    let tree = stored(&app, "TREE-FALLEN").await.unwrap();
    let edit = "/official/desk/catalogue/TREE-FALLEN";
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        // (language, field, value, expected words under the field, the form's action: "" = change TREE-FALLEN)
        ("en", "name_en", "  ", "Write it in English.", ""),
        ("pl", "name_uk", "", "Wpisz tekst po ukraińsku.", ""),
        ("uk", "unit", "NOPE", "Виберіть підрозділ зі списку.", ""),
        ("en", "target_days", "0", "from 1 to 365", ""),
        ("pl", "target_days", "400", "od 1 do 365", ""),
        ("en", "target_days", "two", "from 1 to 365", ""),
        ("en", "attr-0-code", "Road Blocked", "small letters, digits and underscores", ""),
        ("en", "attr-1-code", "road_blocked", "Another question already has this code.", ""),
        ("en", "route-0-district", "99", "Choose a district from the list.", ""),
        ("en", "code", "TREE-FALLEN", "already in the catalogue", "/official/desk/catalogue"),
        ("uk", "code", "tree fallen", "великих латинських літер", "/official/desk/catalogue"),
    ];
    let before_rows = row_counts(&app.db.url, db).await;
    let before_catalogue = app.store.catalogue().await.unwrap().services;
    for (lang, field, value, expected, action) in cases {
        let mut f = fields_of(&tree);
        if field.starts_with("route-") {
            set(&mut f, "route-0-unit", "ZDMK");
        }
        set(&mut f, field, value);
        let action = if action.is_empty() { edit.to_string() } else { action.to_string() };
        let res = submit(&client, edit, &format!("{action}?lang={lang}"), &f).await;
        assert_eq!(res.status(), 422, "{field}={value:?}");
        let html = res.text().await.unwrap();
        assert!(under(&html, field).contains(expected), "{field}={value:?} ({lang}): {:?}", under(&html, field));
        assert!(html.contains(&format!("href=\"#{field}\"")), "the summary links to the field {field}");
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "the page is in {lang}");
    }
    assert_eq!(app.store.catalogue().await.unwrap().services, before_catalogue, "the catalogue is unchanged");
    let catalogue_rows = |rows: std::collections::BTreeMap<String, i64>| {
        rows.into_iter().filter(|(k, _)| k.contains("desk_") || k.contains("audit_log")).collect::<Vec<_>>()
    };
    let (after_rows, before) = (catalogue_rows(row_counts(&app.db.url, db).await), catalogue_rows(before_rows));
    assert_eq!(after_rows, before, "no row was written");
    assert_eq!(set_active(&client, "TREE-FALLEN", "maybe").await, 422);
    assert!(stored(&app, "TREE-FALLEN").await.unwrap().active);
    app.stop().await;
}
