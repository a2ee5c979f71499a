//! The feed poller reads only from where it is allowed (issue 14, finding 8): origins (scheme, host and port) are
//! compared, not bare hosts; redirects are followed by hand, at most five, each hop checked against the allowed
//! origins; a body is read with a 2 MiB cap whether or not it declares its length. Every refusal is recorded with its
//! reason, the host it would have reached receives nothing, and the poller goes on to the next message.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use hejnal::{
    config::{FeedSource, Settings},
    domain::Role,
};

use crate::{
    alerts_feeds::{drafts, flood, wait_for_drafts},
    dual,
    support::{Db, TestApp, wait::poll_until},
};

dual!(feed_links_and_redirects_stay_on_allowed_origins_and_bodies_are_capped);

/// More than the 2 MiB cap.
const HUGE: usize = 3 * 1024 * 1024;

#[derive(Clone, Default)]
struct Upstream {
    docs: Arc<Mutex<Vec<(String, String)>>>,
    /// Where `/away/…` redirects to.
    elsewhere: Arc<Mutex<String>>,
    hits: Arc<AtomicUsize>,
}

impl Upstream {
    fn put(&self, name: &str, body: String) {
        let mut docs = self.docs.lock().unwrap();
        docs.retain(|(n, _)| n != name);
        docs.push((name.to_string(), body));
    }

    fn doc(&self, name: &str) -> Response {
        match self.docs.lock().unwrap().iter().find(|(n, _)| n == name) {
            Some((_, body)) => ([(header::CONTENT_TYPE, "application/xml")], body.clone()).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }

    fn feed(&self, hrefs: &[String]) {
        let entries: String = hrefs
            .iter()
            .enumerate()
            .map(|(i, href)| format!(r#"<entry><id>urn:g:{i}</id><title>{i}</title><updated>2026-11-30T18:42:00Z</updated><link type="application/cap+xml" href="{href}"/></entry>"#))
            .collect();
        self.put(
            "feed.atom",
            format!(r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:g</id><title>RCB</title><updated>2026-11-30T18:42:00Z</updated>{entries}</feed>"#),
        );
    }
}

async fn serve(up: Upstream) -> String {
    let router = Router::new()
        .route(
            "/cap/{name}",
            get(|State(up): State<Upstream>, Path(name): Path<String>| async move {
                up.hits.fetch_add(1, Ordering::SeqCst);
                up.doc(&name)
            }),
        )
        .route("/feed.atom", get(|State(up): State<Upstream>| async move { up.doc("feed.atom") }))
        // `/hop/{n}/{name}`: n redirects (relative, on the same origin), then the document.
        .route(
            "/hop/{n}/{name}",
            get(|State(up): State<Upstream>, Path((n, name)): Path<(usize, String)>| async move {
                if n == 0 {
                    return up.doc(&name);
                }
                (StatusCode::FOUND, [(header::LOCATION, format!("/hop/{}/{name}", n - 1))]).into_response()
            }),
        )
        .route(
            "/away/{name}",
            get(|State(up): State<Upstream>, Path(name): Path<String>| async move {
                let to = format!("{}/cap/{name}", up.elsewhere.lock().unwrap());
                (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response()
            }),
        )
        // A body over the cap sent in chunks, with no Content-Length.
        .route(
            "/chunked/{name}",
            get(|| async {
                let chunks =
                    (0..HUGE / 65536).map(|_| Ok::<_, std::convert::Infallible>(Bytes::from(vec![b' '; 65536])));
                let mut res = Body::from_stream(futures_util::stream::iter(chunks)).into_response();
                res.headers_mut().insert(header::CONTENT_TYPE, "application/xml".parse().unwrap());
                res
            }),
        )
        // A body over the cap that says so in its Content-Length.
        .route("/declared/{name}", get(|| async { ([(header::CONTENT_TYPE, "application/xml")], vec![b' '; HUGE]) }))
        .with_state(up);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

async fn feed_links_and_redirects_stay_on_allowed_origins_and_bodies_are_capped(db: Db) {
    // The feed's own server; another on the same machine but another port (never allowed); a third allowed by a
    // full origin in `allow_hosts`.
    let up = Upstream::default();
    let other = Upstream::default();
    let mirror = Upstream::default();
    let base = serve(up.clone()).await;
    let other_base = serve(other.clone()).await;
    let mirror_base = serve(mirror.clone()).await;
    *up.elsewhere.lock().unwrap() = other_base.replace("127.0.0.1", "localhost");
    for (server, name, id, district) in [
        (&up, "five.xml", "RCB-FIVE", 3),
        (&up, "six.xml", "RCB-SIX", 4),
        (&other, "far.xml", "RCB-FAR", 5),
        (&other, "port.xml", "RCB-PORT", 6),
        (&mirror, "mirror.xml", "RCB-MIRROR", 7),
        (&up, "next.xml", "RCB-NEXT", 8),
    ] {
        server.put(name, flood(id, district));
    }
    let https_base = base.replace("http://", "https://");
    let mut hrefs = vec![
        "hop/5/five.xml".to_string(),            // five redirects on the feed's origin: followed
        "hop/6/six.xml".to_string(),             // six: refused
        "away/far.xml".to_string(),              // a redirect to another host: refused
        format!("{other_base}/cap/port.xml"),    // the feed's host on another port: refused unfetched
        format!("{https_base}/cap/https.xml"),   // the feed's host and port, another scheme: refused
        format!("{mirror_base}/cap/mirror.xml"), // an origin in allow_hosts: read
        "chunked/big.xml".to_string(),           // over the cap, no Content-Length: refused
        "declared/big.xml".to_string(),          // over the cap, declared: refused
    ];
    up.feed(&hrefs);

    let feeds = vec![FeedSource {
        url: format!("{base}/feed.atom"),
        official: "desk@krakow.pl".into(),
        // A bare host means https on 443: it allows neither the other port nor http.
        allow_hosts: vec![mirror_base.clone(), "127.0.0.1".into()],
    }];
    let app = TestApp::spawn_with(db, move |s: &mut Settings| {
        s.alerts.feeds = feeds;
        s.alerts.feed_interval_secs = 1;
    })
    .await;
    app.add_official("desk@krakow.pl", &[Role::Editor]).await;

    let items = poll_until("every entry dealt with", Duration::from_secs(30), || async {
        let items = app.store.feed_items(50).await.unwrap();
        (items.len() >= hrefs.len() && items.iter().all(|i| i.outcome != "importing")).then_some(items)
    })
    .await;
    let outcome = |suffix: &str| {
        let item = items.iter().find(|i| i.key.ends_with(suffix)).unwrap_or_else(|| panic!("{suffix}: {items:?}"));
        item.outcome.clone()
    };
    assert_eq!(outcome("/hop/5/five.xml"), "imported");
    assert_eq!(outcome("/cap/mirror.xml"), "imported");
    assert_eq!(outcome("/hop/6/six.xml"), "refused: more than 5 redirects");
    assert!(outcome("/away/far.xml").starts_with("refused: redirected to another origin"), "{items:?}");
    assert!(outcome("/cap/port.xml").starts_with("refused: the link is on another host"), "{items:?}");
    assert!(outcome("/cap/https.xml").starts_with("refused: the link is on another host"), "{items:?}");
    assert_eq!(outcome("/chunked/big.xml"), "refused: larger than 2097152 bytes");
    assert_eq!(outcome("/declared/big.xml"), "refused: larger than 2097152 bytes");
    assert_eq!(other.hits.load(Ordering::SeqCst), 0, "the hosts not allowed receive nothing");
    let mut districts: Vec<Vec<i64>> = wait_for_drafts(&app, 2).await.iter().map(|a| a.districts.clone()).collect();
    districts.sort();
    assert_eq!(districts, vec![vec![3], vec![7]]);

    // The poller goes on: the next good message becomes a draft; the refused ones are not tried again.
    hrefs.push("cap/next.xml".into());
    up.feed(&hrefs);
    let list = wait_for_drafts(&app, 3).await;
    assert!(list.iter().any(|a| a.districts == vec![8]), "{:?}", list.iter().map(|a| &a.districts).collect::<Vec<_>>());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(drafts(&app).await.len(), 3);
    assert_eq!(other.hits.load(Ordering::SeqCst), 0);
    app.stop().await;
}
