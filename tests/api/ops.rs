//! /healthz, /readyz, /metrics, /openapi.json, the API explorer, and the embedded worker.

use std::time::Duration;

use crate::{
    dual,
    support::{Db, TestApp},
};

dual!(health_ready_metrics_and_openapi, embedded_worker_picks_up_jobs);

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

/// Every route documented in OpenAPI: each `/api/…` route the router answers is in the document.
#[tokio::test]
async fn every_api_route_is_documented() {
    let (router, spec) = hejnal::web::api::openapi_router().split_for_parts();
    drop(router);
    let documented: Vec<String> = spec.paths.paths.keys().cloned().collect();
    for route in ["/api/v1/me", "/api/v1/officials"] {
        assert!(documented.iter().any(|p| p == route), "{route} undocumented: {documented:?}");
    }
    for path in &documented {
        assert!(path.starts_with("/api/v1/") || ["/healthz", "/readyz", "/metrics"].contains(&path.as_str()), "{path}");
    }
}

async fn embedded_worker_picks_up_jobs(db: Db) {
    let app = TestApp::spawn(db).await;
    let queue = app.store.queue_db();
    hejnal_jobs::push_probe(&queue, "hello").await.unwrap();
    let mut statuses = Vec::new();
    for _ in 0..100 {
        statuses = hejnal_jobs::probe_status(&queue).await.unwrap();
        if statuses.iter().any(|(s, n)| s == "Done" && *n == 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(statuses, vec![("Done".to_string(), 1)], "the embedded worker did not run the job");
    app.stop().await;
}
