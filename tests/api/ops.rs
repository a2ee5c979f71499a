//! /healthz, /readyz, /metrics, /openapi.json, the API explorer, and the embedded worker.

use std::time::Duration;

use crate::{
    dual,
    support::{Db, TestApp},
};

dual!(health_ready_metrics_and_openapi, embedded_worker_picks_up_jobs, the_openapi_document_matches_the_router);

async fn health_ready_metrics_and_openapi(db: Db) {
    let app = TestApp::spawn(db).await;
    let http = reqwest::Client::new();

    let health: serde_json::Value = http.get(app.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");

    let ready = http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready, serde_json::json!({"status": "ok", "database": "ok", "queue": "ok"}));

    // A request first, so the request counter has a sample for a route.
    http.get(app.url("/")).send().await.unwrap();
    let metrics = http.get(app.url("/metrics")).send().await.unwrap();
    assert!(metrics.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = metrics.text().await.unwrap();
    assert!(text.contains("hejnal_http_requests_total{"), "{text}");
    assert!(text.contains("route=\"/\""), "{text}");

    let spec: serde_json::Value = http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/me", "/healthz", "/readyz", "/metrics"] {
        assert!(spec["paths"][path].is_object(), "{path} missing from OpenAPI");
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());

    let docs = http.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));

    // Readiness reports the database going away (503, not a 500 or a hang).
    app.store.close().await;
    let ready = http.get(app.url("/readyz")).timeout(Duration::from_secs(10)).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready["database"], "unavailable");
}

/// `(method, path)` of every `.route("/api/…", get(…).post(…))` written in the web layer's source: the routes axum
/// serves beside the ones utoipa registers (those are in the document by construction).
fn plain_api_routes() -> Vec<(String, String)> {
    let mut files = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src/web"))];
    let mut routes = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Ok(code) = std::fs::read_to_string(&path) else { continue };
        for call in code.split(".route(\"").skip(1) {
            let Some((route, rest)) = call.split_once('"') else { continue };
            if !route.starts_with("/api/") {
                continue;
            }
            // The method router up to the call's closing parenthesis: `, get(show).post(vote))`.
            let methods = &rest[..rest.find("))").map(|i| i + 2).unwrap_or(rest.len())];
            for m in ["get", "post", "put", "patch", "delete"] {
                if methods.contains(&format!("{m}(")) {
                    routes.push((m.to_string(), route.to_string()));
                }
            }
        }
    }
    routes
}

/// The document and the router agree: every documented operation is answered by a route (not axum's unmatched
/// 404 or 405), and every `/api/…` route written as a plain axum route is documented.
async fn the_openapi_document_matches_the_router(db: Db) {
    let app = TestApp::spawn(db).await;
    let http = reqwest::Client::new();
    let spec: serde_json::Value = http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = spec["paths"].as_object().expect("paths");
    for route in ["/api/v1/me", "/api/v1/officials", "/api/v1/polls/{id}", "/api/v1/polls/{id}/votes"] {
        assert!(paths.contains_key(route), "{route} undocumented: {:?}", paths.keys());
    }
    let mut operations = 0;
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/") || ["/healthz", "/readyz", "/metrics"].contains(&path.as_str()), "{path}");
        let concrete = path.split('/').map(|s| if s.starts_with('{') { "1" } else { s }).collect::<Vec<_>>().join("/");
        for method in item.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut req = http.request(m, app.url(&concrete));
            if method != "get" {
                req = req.json(&serde_json::json!({}));
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let problem = res.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/"));
            assert!(status != 405 && (status != 404 || problem), "{method} {path}: no route answers ({status})");
            operations += 1;
        }
    }
    let plain = plain_api_routes();
    assert!(plain.iter().any(|(m, p)| m == "post" && p == "/api/v1/polls/{id}/votes"), "source read: {plain:?}");
    for (method, path) in &plain {
        assert!(paths.get(path).and_then(|i| i.get(method)).is_some(), "{method} {path} is served but not documented");
    }
    assert!(operations >= 20, "{operations} documented operations");
    app.stop().await;
}

async fn embedded_worker_picks_up_jobs(db: Db) {
    let app = TestApp::spawn(db).await;
    let queue = app.store.queue_db();
    hejnal_jobs::push_probe(&queue, "hello").await.unwrap();
    let mut statuses = Vec::new();
    // Bounded at 60 s: apalis's own fetch (its probe has no sweep of ours behind it) was seen leaving a job for
    // more than 10 s on PostgreSQL while the whole suite loads the two cores.
    for _ in 0..600 {
        statuses = hejnal_jobs::probe_status(&queue).await.unwrap();
        if statuses.iter().any(|(s, n)| s == "Done" && *n == 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(statuses, vec![("Done".to_string(), 1)], "the embedded worker did not run the job");
    app.stop().await;
}
