//! Smaller findings of issue 14 (finding 10): `/metrics` behind `metrics_token`, and language links that stay on
//! this site whatever path a request names. (`review_text` checking its survey is in `surveys_results`.)

use crate::{
    dual,
    support::{Db, TestApp},
};

dual!(metrics_token_guards_metrics, double_slash_paths_keep_language_links_local);

async fn metrics_token_guards_metrics(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.metrics_token = Some(hejnal::config::Secret::new("scrape-me-0123456789"));
    })
    .await;
    let http = reqwest::Client::new();
    let url = app.url("/metrics");
    let bare = http.get(&url).send().await.unwrap();
    assert_eq!(bare.status(), 401);
    for wrong in ["scrape-me-012345678", "scrape-me-0123456789x", ""] {
        assert_eq!(http.get(&url).bearer_auth(wrong).send().await.unwrap().status(), 401, "{wrong}");
    }
    let ok = http.get(&url).bearer_auth("scrape-me-0123456789").send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("hejnal_http_requests_total"));
    // The rest of the operations endpoints stay open for load balancers.
    assert_eq!(http.get(app.url("/healthz")).send().await.unwrap().status(), 200);
}

async fn double_slash_paths_keep_language_links_local(db: Db) {
    let app = TestApp::spawn(db).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in ["//evil.example/", "//evil.example/alerts?x=1", "/\\evil.example/"] {
        let res = http.get(app.url(path)).send().await.unwrap();
        assert!(res.status().as_u16() < 500, "{path}: {}", res.status());
        let html = res.text().await.unwrap();
        assert!(html.contains("href=\"/evil.example/"), "{path}: language links to this path, on this site");
        for quote in ['"', '\''] {
            for start in ["//", "/\\"] {
                assert!(!html.contains(&format!("href={quote}{start}")), "{path}: a protocol-relative link");
            }
        }
    }
}
