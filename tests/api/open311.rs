//! Open311 GeoReport v2 under `/open311/v2/`: the specification's example requests answered in its shapes, in
//! JSON and XML (the XML read with a real parser); API keys (command line, admin page, revoked, limited per key);
//! each bad input answered in the specification's error format with nothing stored.

use hejnal::domain::Role;
use quick_xml::{Reader, events::Event};
use serde_json::Value;

use crate::{
    cli::hejnal,
    desk::count,
    dual,
    support::{Db, TestApp},
};

dual!(
    discovery_and_services_answer_in_the_specifications_shapes,
    a_request_filed_with_a_key_reads_back_by_id_token_and_filters,
    keys_are_issued_on_the_command_line_and_the_admin_page_and_revoked,
    each_bad_request_gets_the_specifications_error_and_files_nothing,
    a_key_over_its_limit_is_told_to_wait,
);

/// An XML document as (path of element names, text) for every element with text, e.g.
/// `("service_requests/request/status", "open")`; empty elements give an empty text.
fn xml_leaves(doc: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(doc);
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                path.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                text.clear();
            }
            Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                out.push((format!("{}/{name}", path.join("/")), String::new()));
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).to_string();
                text.push_str(match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    _ => "'",
                });
            }
            Event::End(_) => {
                if !text.is_empty() {
                    out.push((path.join("/"), std::mem::take(&mut text)));
                }
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty(), "unclosed elements: {path:?}");
    out
}

fn leaf<'a>(leaves: &'a [(String, String)], path: &str) -> Vec<&'a str> {
    leaves.iter().filter(|(p, _)| p == path).map(|(_, t)| t.as_str()).collect()
}

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = reqwest::Client::new().get(app.url(path)).header("Accept-Language", "en").send().await.expect("GET");
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, ct, res.text().await.unwrap())
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(app.url(path))
        .header("Accept-Language", "en")
        .form(fields)
        .send()
        .await
        .expect("POST");
    (res.status().as_u16(), res.text().await.unwrap())
}

/// A key as `hejnal apikey create` prints it.
async fn key_from_cli(app: &TestApp, name: &str) -> String {
    let out = hejnal(&app.db).args(["apikey", "create", "--name", name]).output().expect("hejnal runs");
    assert!(out.status.success(), "apikey create failed: {}", String::from_utf8_lossy(&out.stderr));
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(key.starts_with("o311_") && key.len() > 30, "{key}");
    key
}

/// A service with a required boolean attribute, and one without attributes.
async fn services(app: &TestApp) -> (String, String, String) {
    let (_, _, body) = get(app, "/open311/v2/services.json").await;
    let list: Vec<Value> = serde_json::from_str(&body).unwrap();
    let mut with = None;
    let mut without = None;
    for s in &list {
        let code = s["service_code"].as_str().unwrap().to_string();
        let (_, _, def) = get(app, &format!("/open311/v2/services/{code}.json")).await;
        let def: Value = serde_json::from_str(&def).unwrap();
        let attrs = def["attributes"].as_array().unwrap();
        if attrs.is_empty() {
            without.get_or_insert(code);
        } else if let Some(a) = attrs.iter().find(|a| a["required"] == true && a["datatype"] == "singlevaluelist") {
            with.get_or_insert((code, a["code"].as_str().unwrap().to_string()));
        }
    }
    let (with, attr) = with.expect("a service with a required yes/no question");
    (with, attr, without.expect("a service without questions"))
}

async fn discovery_and_services_answer_in_the_specifications_shapes(db: Db) {
    let app = TestApp::spawn(db).await;

    let (status, ct, body) = get(&app, "/open311/v2/discovery.json").await;
    assert_eq!((status, ct.as_str()), (200, "application/json; charset=utf-8"));
    let d: Value = serde_json::from_str(&body).unwrap();
    let endpoint = &d["endpoints"][0];
    assert_eq!(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(endpoint["url"], app.url("/open311/v2"));
    assert_eq!(endpoint["formats"], serde_json::json!(["text/xml", "application/json"]));
    assert!(d["changeset"].is_string() && d["contact"].is_string() && d["key_service"].is_string(), "{d}");
    let (status, ct, body) = get(&app, "/open311/v2/discovery.xml").await;
    assert_eq!((status, ct.as_str()), (200, "text/xml; charset=utf-8"));
    assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "{body}");
    let x = xml_leaves(&body);
    assert_eq!(leaf(&x, "discovery/endpoints/endpoint/formats/format"), ["text/xml", "application/json"]);
    assert_eq!(leaf(&x, "discovery/endpoints/endpoint/type"), ["production"]);

    // GET services: every field the specification lists, the same in both formats.
    let (_, _, body) = get(&app, "/open311/v2/services.json").await;
    let list: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert!(list.len() >= 10, "{body}");
    for s in &list {
        let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"] {
            assert!(keys.contains(&k), "{k} missing in {s}");
        }
        assert_eq!(s["type"], "realtime");
        assert!(s["metadata"].is_boolean());
    }
    let (_, _, xml) = get(&app, "/open311/v2/services.xml").await;
    let x = xml_leaves(&xml);
    let codes: Vec<&str> = list.iter().map(|s| s["service_code"].as_str().unwrap()).collect();
    assert_eq!(leaf(&x, "services/service/service_code"), codes);
    assert_eq!(leaf(&x, "services/service/service_name").len(), list.len());
    // In the caller's language.
    let pl = reqwest::Client::new()
        .get(app.url("/open311/v2/services.json?lang=pl"))
        .send()
        .await
        .unwrap()
        .json::<Vec<Value>>()
        .await
        .unwrap();
    assert_ne!(pl[0]["service_name"], list[0]["service_name"]);

    // GET service definition: the attribute's shape, a yes/no question as a single-value list.
    let (code, attr, plain) = services(&app).await;
    let (status, _, body) = get(&app, &format!("/open311/v2/services/{code}.json")).await;
    assert_eq!(status, 200);
    let def: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(def["service_code"], code.as_str());
    let a = def["attributes"].as_array().unwrap().iter().find(|a| a["code"] == attr.as_str()).unwrap();
    for k in ["variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"] {
        assert!(a.get(k).is_some(), "{k} missing in {a}");
    }
    assert_eq!(a["variable"], true);
    assert_eq!(a["values"], serde_json::json!([{"key": "true", "name": "Yes"}, {"key": "false", "name": "No"}]));
    assert!(a["order"].as_i64().unwrap() >= 1);
    let (_, _, xml) = get(&app, &format!("/open311/v2/services/{code}.xml")).await;
    let x = xml_leaves(&xml);
    assert_eq!(leaf(&x, "service_definition/service_code"), [code.as_str()]);
    assert!(leaf(&x, "service_definition/attributes/attribute/code").contains(&attr.as_str()));
    assert!(leaf(&x, "service_definition/attributes/attribute/values/value/key").contains(&"true"));
    let metadata = list.iter().find(|s| s["service_code"] == plain.as_str()).unwrap();
    assert_eq!(metadata["metadata"], false);

    // Unknown service, unknown format: the specification's error shape.
    let (status, _, body) = get(&app, "/open311/v2/services/no-such-service.json").await;
    assert_eq!(status, 404);
    let e: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(e[0]["code"], 404);
    assert!(e[0]["description"].as_str().unwrap().contains("no such problem"), "{body}");
    let (status, ct, body) = get(&app, "/open311/v2/services/no-such-service.xml").await;
    assert_eq!((status, ct.as_str()), (404, "text/xml; charset=utf-8"));
    assert_eq!(leaf(&xml_leaves(&body), "errors/error/code"), ["404"]);
    let (status, _, body) = get(&app, "/open311/v2/services.csv").await;
    assert_eq!(status, 404);
    assert!(body.contains(".json or .xml"), "{body}");
    app.stop().await;
}

async fn a_request_filed_with_a_key_reads_back_by_id_token_and_filters(db: Db) {
    let app = TestApp::spawn(db).await;
    let key = key_from_cli(&app, "Test app").await;
    let (code, attr, _) = services(&app).await;

    // POST requests, as the specification's example sends it (form-encoded, attribute[code]).
    let attr_field = format!("attribute[{attr}]");
    let fields = [
        ("api_key", key.as_str()),
        ("service_code", code.as_str()),
        ("lat", "50.0614"),
        ("long", "19.9366"),
        ("address_string", "Rynek Główny 1"),
        ("email", "smith@example.org"),
        ("first_name", "John"),
        ("last_name", "Smith"),
        ("phone", "+48600111222"),
        ("description", "A tree fell across the footpath."),
        (attr_field.as_str(), "true"),
    ];
    let (status, body) = post(&app, "/open311/v2/requests.json", &fields).await;
    assert_eq!(status, 201, "{body}");
    let filed: Value = serde_json::from_str(&body).unwrap();
    let id = filed[0]["service_request_id"].as_i64().expect("an id");
    assert!(filed[0]["service_notice"].as_str().unwrap().contains("working day"), "{body}");
    assert!(filed[0].get("account_id").is_some_and(Value::is_null), "{body}");
    // What is stored: the email (not the phone, not the names), the answer, the consent to hear back.
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id} AND contact_kind = 'email' AND contact_value = 'smith@example.org'")).await, 1);
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM desk_report_attributes WHERE report_id = {id} AND value = 'true'"))
            .await,
        1
    );
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM consent_events WHERE report_id = {id} AND method = 'api'")).await,
        1
    );
    // The same request again is recognised (200, the first one's id), nothing new stored.
    let (status, body) = post(&app, "/open311/v2/requests.xml", &fields).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(leaf(&xml_leaves(&body), "service_requests/request/service_request_id"), [id.to_string().as_str()]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 1);

    // GET requests/{id}: the specification's fields; never the contact; no description before publication.
    let (status, _, body) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(status, 200, "{body}");
    let r: Value = serde_json::from_str(&body).unwrap();
    let r = &r[0];
    for k in [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ] {
        assert!(r.get(k).is_some(), "{k} missing in {r}");
    }
    assert_eq!(r["service_request_id"], id);
    assert_eq!(r["status"], "open");
    assert_eq!(r["address"], "Rynek Główny 1");
    assert_eq!(r["lat"], 50.0614);
    assert!(r["description"].is_null() && r["media_url"].is_null(), "{r}");
    assert!(!body.contains("smith@example.org") && !body.contains("600111222"), "{body}");
    let requested = r["requested_datetime"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(requested).is_ok(), "W3C date-time: {requested}");
    assert!(requested.ends_with("+01:00") || requested.ends_with("+02:00"), "the city's offset: {requested}");
    let (_, _, xml) = get(&app, &format!("/open311/v2/requests/{id}.xml")).await;
    let x = xml_leaves(&xml);
    assert_eq!(leaf(&x, "service_requests/request/status"), ["open"]);
    assert_eq!(leaf(&x, "service_requests/request/address"), ["Rynek Główny 1"]);

    // GET tokens/{token}.
    let token: String = {
        let sql = format!("SELECT token FROM desk_reports WHERE id = {id}");
        let url = app.db.url.clone();
        if url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.unwrap()
        } else {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&pool).await.unwrap()
        }
    };
    let (status, _, body) = get(&app, &format!("/open311/v2/tokens/{token}.json")).await;
    assert_eq!(status, 200, "{body}");
    let t: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(t, serde_json::json!([{"service_request_id": id, "token": token}]));
    let (status, _, _) = get(&app, "/open311/v2/tokens/rq_nothing.json").await;
    assert_eq!(status, 404);

    // A state change shows as status and status_notes; filters by status, service and date.
    let (official, _) = app.add_official("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let bearer = app.token_for(official).await;
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{id}/transitions")))
        .bearer_auth(&bearer)
        .json(&serde_json::json!({"state": "resolved", "public_note": "The tree was removed."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let list = |q: String| {
        let app = &app;
        async move {
            let (status, _, body) = get(app, &format!("/open311/v2/requests.json{q}")).await;
            assert_eq!(status, 200, "{q}: {body}");
            serde_json::from_str::<Vec<Value>>(&body).unwrap()
        }
    };
    let closed = list("?status=closed".into()).await;
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["status"], "closed");
    assert_eq!(closed[0]["status_notes"], "The tree was removed.");
    assert!(list("?status=open".into()).await.is_empty());
    assert_eq!(list("?status=open,closed".into()).await.len(), 1);
    assert_eq!(list("".into()).await.len(), 1);
    assert!(list("?service_code=no-such".into()).await.is_empty());
    assert!(list("?start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00Z".into()).await.is_empty());
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(list(format!("?start_date={today}T00:00:00Z&status=closed")).await.len(), 1);
    let by_id = list(format!("?service_request_id={id},999999&status=open")).await;
    assert_eq!(by_id.len(), 1, "service_request_id overrides the other filters");
    app.stop().await;
}

async fn keys_are_issued_on_the_command_line_and_the_admin_page_and_revoked(db: Db) {
    let app = TestApp::spawn(db).await;
    let cli_key = key_from_cli(&app, "From the shell").await;
    let out = hejnal(&app.db).args(["apikey", "list"]).output().unwrap();
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(listed.contains("From the shell") && listed.contains("active") && !listed.contains(&cli_key), "{listed}");
    // Only a hash is stored.
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM open311_api_keys WHERE key_hash = '{cli_key}'")).await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'api_key_created'").await, 1);

    // The admin page issues a key (shown once) and revokes one; other officials are refused.
    let editor = app.signed_in("editor@krakow.example.org", &[Role::Editor]).await;
    assert_eq!(editor.get("/official/admin/apikeys").await.status(), 403);
    let admin = app.signed_in("admin@krakow.example.org", &[Role::Admin]).await;
    let page = admin.get("/official/admin/apikeys?lang=en").await.text().await.unwrap();
    assert!(page.contains("From the shell"), "{page}");
    let res = admin.post_form("/official/admin/apikeys?lang=en", "/official/admin/apikeys", &[("name", "")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Give the app"));
    let res =
        admin.post_form("/official/admin/apikeys", "/official/admin/apikeys", &[("name", "Kraków Fix app")]).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    let start = page.find("o311_").expect("the new key shown");
    let page_key: String =
        page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    let (code, attr, _) = services(&app).await;
    let attr_field = format!("attribute[{attr}]");
    let file = |key: String, text: &'static str| {
        let app = &app;
        let (code, attr_field) = (code.clone(), attr_field.clone());
        async move {
            let fields = [
                ("api_key", key.as_str()),
                ("service_code", code.as_str()),
                ("lat", "50.06"),
                ("long", "19.93"),
                ("description", text),
                (attr_field.as_str(), "no"),
            ];
            post(app, "/open311/v2/requests.json", &fields).await
        }
    };
    assert_eq!(file(page_key.clone(), "A pothole.").await.0, 201);
    assert_eq!(file(cli_key.clone(), "Another pothole.").await.0, 201);

    // Revoked on the page: refused from the next request, with a sentence.
    let id: i64 = {
        let out = hejnal(&app.db).args(["apikey", "list"]).output().unwrap();
        let listed = String::from_utf8(out.stdout).unwrap();
        let line = listed.lines().find(|l| l.ends_with("Kraków Fix app")).expect("listed");
        assert!(!line.contains("never used"), "last use recorded: {line}");
        line.split('\t').next().unwrap().parse().unwrap()
    };
    let res = admin.post_form("/official/admin/apikeys", &format!("/official/admin/apikeys/{id}/revoke"), &[]).await;
    assert_eq!(res.status(), 303);
    let (status, body) = file(page_key, "A third pothole.").await;
    assert_eq!(status, 403, "{body}");
    let e: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        e,
        serde_json::json!([{"code": 403, "description": "This api_key has been revoked; ask the city for a new one."}])
    );
    // Revoked on the command line.
    let cli_id = {
        let out = hejnal(&app.db).args(["apikey", "list"]).output().unwrap();
        let listed = String::from_utf8(out.stdout).unwrap();
        listed.lines().find(|l| l.ends_with("From the shell")).unwrap().split('\t').next().unwrap().to_string()
    };
    let out = hejnal(&app.db).args(["apikey", "revoke", &cli_id]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(file(cli_key, "A fourth pothole.").await.0, 403);
    let out = hejnal(&app.db).args(["apikey", "revoke", "999999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no API key 999999"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'api_key_revoked'").await, 2);
    app.stop().await;
}

async fn each_bad_request_gets_the_specifications_error_and_files_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let key = key_from_cli(&app, "Test app").await;
    let (code, attr, _) = services(&app).await;
    let errors = |body: &str| -> Vec<(i64, String)> {
        let v: Vec<Value> = serde_json::from_str(body).unwrap_or_else(|_| panic!("an error list: {body}"));
        v.iter().map(|e| (e["code"].as_i64().unwrap(), e["description"].as_str().unwrap().to_string())).collect()
    };
    let base = |extra: &[(&'static str, &'static str)]| {
        let mut f: Vec<(String, String)> = vec![
            ("api_key".into(), key.clone()),
            ("service_code".into(), code.clone()),
            ("lat".into(), "50.0614".into()),
            ("long".into(), "19.9366".into()),
            ("description".into(), "Broken.".into()),
            (format!("attribute[{attr}]"), "true".into()),
        ];
        for (k, v) in extra {
            f.retain(|(fk, _)| fk != k);
            if !v.is_empty() {
                f.push((k.to_string(), v.to_string()));
            }
        }
        f
    };
    let send = |fields: Vec<(String, String)>, format: &'static str| {
        let app = &app;
        async move {
            let res = reqwest::Client::new()
                .post(app.url(&format!("/open311/v2/requests.{format}")))
                .header("Accept-Language", "en")
                .form(&fields)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("api_key", "")], 400, "api_key is required"),
        (vec![("api_key", "o311_not-a-key")], 403, "not known"),
        (vec![("service_code", "no-such")], 400, "service_code: There is no such problem"),
        (vec![("lat", "52.2297"), ("long", "21.0122")], 400, "lat: "),
        (vec![("lat", "")], 400, "lat: "),
        (vec![(Box::leak(format!("attribute[{attr}]").into_boxed_str()), "")], 400, "attribute["),
        (vec![("media_url", "http://example.org/a.jpg")], 400, "media_url is not accepted"),
        (vec![("email", "not-an-email")], 400, "email: "),
    ];
    for (extra, status, text) in cases {
        let (got, body) = send(base(&extra), "json").await;
        assert_eq!(got, status, "{extra:?}: {body}");
        let e = errors(&body);
        assert!(e.iter().all(|(c, _)| *c == i64::from(status)), "{body}");
        assert!(e.iter().any(|(_, d)| d.contains(text)), "{extra:?}: {body}");
    }
    let long = "x".repeat(4001);
    let mut fields = base(&[]);
    fields.retain(|(k, _)| k != "description");
    fields.push(("description".into(), long));
    let (status, body) = send(fields, "xml").await;
    assert_eq!(status, 400, "{body}");
    let x = xml_leaves(&body);
    assert_eq!(leaf(&x, "errors/error/code"), ["400"]);
    assert!(leaf(&x, "errors/error/description")[0].starts_with("description: "), "{body}");
    // Filters that cannot be read.
    for q in [
        "?start_date=yesterday",
        "?status=pending",
        "?service_request_id=1,two",
        "?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "?start_date=2026-02-01&end_date=2026-01-01",
        // Years chrono reads but no date arithmetic survives (a panic before): refused like any bad date.
        "?start_date=%2B262142-12-31",
        "?end_date=-262143-01-01",
        "?start_date=10000-01-01",
    ] {
        let (status, _, body) = get(&app, &format!("/open311/v2/requests.json{q}")).await;
        assert_eq!(status, 400, "{q}: {body}");
        assert_eq!(errors(&body)[0].0, 400);
    }
    let (status, _, _) = get(&app, "/open311/v2/requests/999999.json").await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&app, "/open311/v2/requests/abc.xml").await;
    assert_eq!(status, 404);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 0);
    app.stop().await;
}

async fn a_key_over_its_limit_is_told_to_wait(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.open311.requests_per_minute = 3).await;
    let key = key_from_cli(&app, "Busy app").await;
    let other = key_from_cli(&app, "Quiet app").await;
    for _ in 0..3 {
        let (status, _, _) = get(&app, &format!("/open311/v2/requests.json?api_key={key}")).await;
        assert_eq!(status, 200);
    }
    let res = reqwest::Client::new()
        .post(app.url("/open311/v2/requests.json"))
        .header("Accept-Language", "en")
        .form(&[("api_key", key.as_str()), ("service_code", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    let body = res.text().await.unwrap();
    assert!(body.contains("too many requests"), "{body}");
    // Another key has its own budget; reading without a key is not limited per key.
    let (status, _, _) = get(&app, &format!("/open311/v2/requests.json?api_key={other}")).await;
    assert_eq!(status, 200);
    let (status, _, _) = get(&app, "/open311/v2/requests.json").await;
    assert_eq!(status, 200);
    app.stop().await;
}
