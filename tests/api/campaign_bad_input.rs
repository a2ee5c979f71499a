//! Bad input on every JSON endpoint, generated from the OpenAPI document the app serves: wrong types, missing and
//! extra fields, nulls, huge numbers, 10,000-character strings, invalid UTF-8 and empty bodies. Each must get a
//! 4xx `application/problem+json` that says what is wrong, never a 500, and no table may change.

use std::collections::BTreeMap;

use hejnal::domain::Role;
use serde_json::{Map, Value, json};

use crate::{
    campaign_tables::row_counts,
    dual,
    support::{Db, TestApp},
};

dual!(every_json_endpoint_refuses_bad_input_and_stores_nothing);

/// One generated request body and what it tests.
struct Case {
    what: String,
    body: Vec<u8>,
}

/// Follows `$ref: "#/components/schemas/X"` (and the single-entry `allOf` utoipa writes for documented refs).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return resolve(doc, &doc["components"]["schemas"][name]);
    }
    match schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([only]) => resolve(doc, only),
        _ => schema,
    }
}

fn schema_type(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(t) => t,
        // `["string", "null"]` for an Option.
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("object"),
        _ if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() => "union",
        _ => "object",
    }
}

/// A plausible value of the schema's type (a starting point: the domain's rules may still refuse it).
fn plausible(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example").or_else(|| schema.get("examples").and_then(|e| e.get(0))) {
        return example.clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    match schema_type(schema) {
        "string" => json!("x"),
        "integer" => json!(1),
        "number" => json!(1.5),
        "boolean" => json!(true),
        "array" => json!([]),
        "object" if depth < 4 => {
            let props = schema["properties"].as_object().cloned().unwrap_or_default();
            Value::Object(props.iter().map(|(k, s)| (k.clone(), plausible(doc, s, depth + 1))).collect())
        }
        _ => json!({}),
    }
}

/// A value of the wrong type for the schema.
fn wrong_type(doc: &Value, schema: &Value) -> Value {
    match schema_type(resolve(doc, schema)) {
        "string" => json!(12345),
        "integer" | "number" => json!("not a number"),
        "boolean" => json!("yes please"),
        "array" => json!({"not": "a list"}),
        _ => json!(["not", "an", "object"]),
    }
}

/// A valid body for an endpoint whose OpenAPI document has no example.
fn known_valid(path: &str) -> Option<Value> {
    match path {
        "/api/v1/alerts" | "/api/v1/alerts/{id}/update" => Some(crate::alerts::flood_alert()),
        _ => None,
    }
}

/// Every bad body for one endpoint's request body (its schema, and its example when documented).
fn cases(doc: &Value, path: &str, content: &Value) -> Vec<Case> {
    let schema = resolve(doc, &content["schema"]);
    let mut out: Vec<Case> = [
        ("an empty body", b"".to_vec()),
        ("null", b"null".to_vec()),
        ("a list", b"[]".to_vec()),
        ("a bare string", b"\"text\"".to_vec()),
        ("a huge number", b"1e400".to_vec()),
        ("truncated JSON", b"{\"a\": ".to_vec()),
        ("invalid UTF-8", b"{\"text\": \"\xff\xfe\xc3\x28\"}".to_vec()),
        ("10,000 characters of text", format!("\"{}\"", "x".repeat(10_000)).into_bytes()),
    ]
    .into_iter()
    .map(|(what, body)| Case { what: what.into(), body })
    .collect();
    // The documented example is a valid body: each case then changes one thing about it.
    let base =
        content.get("example").cloned().or_else(|| known_valid(path)).unwrap_or_else(|| plausible(doc, schema, 0));
    let Value::Object(base) = base else { return out };
    let body = |v: Map<String, Value>| serde_json::to_vec(&Value::Object(v)).expect("serialisable");
    let required: Vec<String> =
        schema["required"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
    let mut extra = base.clone();
    extra.insert("unexpected_field".into(), json!("surprise"));
    out.push(Case { what: "an extra field".into(), body: body(extra) });
    for (field, field_schema) in schema["properties"].as_object().into_iter().flatten() {
        let mut with = |what: &str, value: Value| {
            let mut v = base.clone();
            v.insert(field.clone(), value);
            out.push(Case { what: format!("`{field}`: {what}"), body: body(v) });
        };
        with("a wrong type", wrong_type(doc, field_schema));
        with("10,000 characters", json!("ż".repeat(10_000)));
        with("a huge number", json!(u64::MAX));
        with("a negative huge number", json!(i64::MIN));
        with("a list of 10,000 items", json!(vec![1; 10_000]));
        if required.contains(field) {
            with("null", Value::Null);
            let mut v = base.clone();
            v.remove(field);
            out.push(Case { what: format!("`{field}` missing"), body: body(v) });
        }
    }
    out
}

/// A concrete path: ids of records that exist (1), tokens that match nothing.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|s| match s {
            "{id}" => "1",
            s if s.starts_with('{') => "nothing-matches-this-token-0123456789",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn every_json_endpoint_refuses_bad_input_and_stores_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let (id, _) = app.add_official("all@krakow.example.org", &Role::ALL).await;
    let token = app.token_for(id).await;
    let http = reqwest::Client::new();
    let doc: Value = http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    // Records to update, approve, cancel and revise (from the documented examples), so those endpoints read
    // their bodies against something real.
    for path in ["/api/v1/surveys", "/api/v1/alerts"] {
        let content = &doc["paths"][path]["post"]["requestBody"]["content"]["application/json"];
        let body = content.get("example").cloned().or_else(|| known_valid(path)).expect("a valid body");
        let res = http.post(app.url(path)).bearer_auth(&token).json(&body).send().await.unwrap();
        assert!(res.status().is_success(), "{path} example: {}", res.text().await.unwrap());
    }

    let before = row_counts(&app.db.url, db).await;
    let mut endpoints = 0;
    let mut wrong = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Some(content) = op.pointer("/requestBody/content/application~1json") else { continue };
            endpoints += 1;
            for case in cases(&doc, path, content) {
                let res = http
                    .request(method.to_uppercase().parse().unwrap(), app.url(&concrete(path)))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .header("accept-language", "en")
                    .body(case.body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let ct = res.headers().get("content-type").and_then(|c| c.to_str().ok()).unwrap_or("").to_string();
                let problem: Value = res.json().await.unwrap_or(Value::Null);
                let named = problem["detail"].as_str().is_some_and(|d| !d.is_empty())
                    && problem["title"].as_str().is_some_and(|t| !t.is_empty());
                if !(400..500).contains(&status) || ct != "application/problem+json" || !named {
                    wrong.push(format!("{method} {path} with {}: {status} {ct} {problem}", case.what));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "bad input not refused as a problem:\n{}", wrong.join("\n"));
    assert!(endpoints >= 8, "only {endpoints} JSON endpoints in the OpenAPI document");
    let after = row_counts(&app.db.url, db).await;
    let changed: BTreeMap<_, _> =
        after.iter().filter(|(t, n)| before.get(*t) != Some(n)).map(|(t, n)| (t, (before.get(t), n))).collect();
    assert!(changed.is_empty(), "bad input changed tables (before, after): {changed:?}");
}
