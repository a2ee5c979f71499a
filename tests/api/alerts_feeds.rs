//! Upstream CAP feeds: a stand-in warning service (an Atom feed linking CAP documents, and one CAP document at a
//! fixed address) is polled; each new valid message becomes one draft filed under the configured official, an
//! invalid one is recorded as refused with the reason, nothing is imported twice, nothing is sent, and the
//! officials' alert list shows what was read.

use std::{
    hash::{Hash, Hasher},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
    routing::get,
};
use hejnal::{
    config::{FeedSource, Settings},
    domain::Role,
    storage::AlertRecord,
    telemetry::Loop,
};

use crate::{
    dual,
    support::{
        Db, TestApp,
        wait::{self, poll_until},
    },
};

dual!(new_messages_in_upstream_feeds_become_drafts_once);

const FLOOD: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cap/rcb-flood.xml"));
const INVALID: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cap/invalid-missing-sent.xml"));

/// The flood warning with its own identifier and district, sent an hour ago (so expiring in two days).
pub(crate) fn flood(identifier: &str, district: i64) -> String {
    crate::support::fixtures::relative_to_now(FLOOD).replace("RCB-2026-11-30-0017", identifier).replace(
        "<valueName>TERYT</valueName>\n        <value>1261011</value>",
        &format!("<valueName>krakow-district</valueName>\n        <value>{district}</value>"),
    )
}

/// The upstream service: documents by path, changeable while the test runs. It answers conditional requests
/// (an ETag per document version, 304 when it matches) and counts the 304s.
#[derive(Clone, Default)]
struct Upstream(Arc<Mutex<Vec<(String, String)>>>, Arc<AtomicUsize>);

impl Upstream {
    fn put(&self, path: &str, body: String) {
        let mut docs = self.0.lock().unwrap();
        docs.retain(|(p, _)| p != path);
        docs.push((path.to_string(), body));
    }

    fn feed(&self, entries: &[&str]) {
        let entries: String = entries
            .iter()
            .map(|e| format!(r#"<entry><id>urn:x:{e}</id><title>{e}</title><updated>2026-11-30T18:42:00Z</updated><link rel="alternate" type="application/cap+xml" href="cap/{e}.xml"/></entry>"#))
            .collect();
        self.put(
            "feed.atom",
            format!(r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>RCB</title><updated>2026-11-30T18:42:00Z</updated>{entries}</feed>"#),
        );
    }
}

async fn serve_doc(State(up): State<Upstream>, Path(path): Path<String>, headers: HeaderMap) -> impl IntoResponse {
    let Some(body) = up.0.lock().unwrap().iter().find(|(p, _)| *p == path).map(|(_, b)| b.clone()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut hasher = std::hash::DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{:x}\"", hasher.finish());
    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        up.1.fetch_add(1, Ordering::SeqCst);
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/xml".to_string()), (header::ETAG, etag)], body)
        .into_response()
}

pub(crate) async fn drafts(app: &TestApp) -> Vec<AlertRecord> {
    app.store.list_alerts(false, 100).await.unwrap()
}

pub(crate) async fn wait_for_drafts(app: &TestApp, n: usize) -> Vec<AlertRecord> {
    for _ in 0..150 {
        let list = drafts(app).await;
        if list.len() >= n {
            return list;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{n} drafts never appeared; have {:?}; feed items {:?}",
        drafts(app).await.iter().map(|a| a.id).collect::<Vec<_>>(),
        app.store.feed_items(10).await.unwrap()
    );
}

async fn new_messages_in_upstream_feeds_become_drafts_once(db: Db) {
    let upstream = Upstream::default();
    upstream.put("cap/a.xml", flood("RCB-A", 3));
    upstream.put("cap/bad.xml", INVALID.to_string());
    upstream.put("current.cap", flood("RCB-CURRENT", 7));
    upstream.feed(&["a", "bad"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = Router::new().route("/{*path}", get(serve_doc)).with_state(upstream.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let feeds = vec![
        FeedSource { url: format!("{base}/feed.atom"), official: "desk@krakow.pl".into(), allow_hosts: vec![] },
        FeedSource { url: format!("{base}/current.cap"), official: "desk@krakow.pl".into(), allow_hosts: vec![] },
    ];
    let app = TestApp::spawn_with(db, move |s: &mut Settings| {
        s.alerts.feeds = feeds;
        s.alerts.feed_interval_secs = 1;
    })
    .await;
    // Until the desk's account exists, nothing is read (the first polls say so in the log): two rounds of the feed
    // loop (each polls both sources) and still no draft.
    wait::rounds(&app, Loop::Feeds, 2).await;
    assert!(drafts(&app).await.is_empty());
    let (desk, _) = app.add_official("desk@krakow.pl", &[Role::Editor]).await;

    // The feed's valid entry and the fixed-address document: one draft each, filed under the desk, unsent.
    let list = wait_for_drafts(&app, 2).await;
    for a in &list {
        assert_eq!((a.state.as_str(), a.source.as_str(), a.author_id), ("draft", "cap", desk));
        assert_eq!(a.spec.text("pl").headline, "Ostrzeżenie hydrologiczne: Wisła w Krakowie");
        assert!(a.broadcast_id.is_none(), "nothing is sent before approval");
    }
    let mut districts: Vec<Vec<i64>> = list.iter().map(|a| a.districts.clone()).collect();
    districts.sort();
    assert_eq!(districts, vec![vec![3], vec![7]]);

    // The invalid one is recorded with its reason; two polls later (each answered 304 for both unchanged sources)
    // nothing is imported twice.
    let answered = upstream.1.load(Ordering::SeqCst);
    poll_until("two more polls", Duration::from_secs(20), || async {
        (upstream.1.load(Ordering::SeqCst) >= answered + 4).then_some(())
    })
    .await;
    assert_eq!(drafts(&app).await.len(), 2);
    let items = app.store.feed_items(10).await.unwrap();
    assert_eq!(items.len(), 3, "{items:?}");
    let bad = items.iter().find(|i| i.key.ends_with("/cap/bad.xml")).expect("the invalid entry is recorded");
    assert!(bad.alert_id.is_none());
    assert!(bad.outcome.starts_with("refused: ") && bad.outcome.contains("<sent>"), "{}", bad.outcome);
    assert_eq!(items.iter().filter(|i| i.outcome == "imported").count(), 2);
    // Unchanged sources answer 304 to the poller's conditional requests (and nothing is read again).
    assert!(upstream.1.load(Ordering::SeqCst) >= 2, "the poller asks with If-None-Match");

    // A new entry in the feed becomes a new draft; one linking to another host is not even fetched.
    upstream.put("cap/b.xml", flood("RCB-B", 5));
    upstream.feed(&["a", "bad", "b"]);
    let elsewhere = base.replace("127.0.0.1", "localhost");
    let xml = upstream.0.lock().unwrap().iter().find(|(p, _)| p == "feed.atom").unwrap().1.clone();
    let entry = format!(
        r#"<entry><id>urn:x:far</id><title>far</title><updated>2026-11-30T18:42:00Z</updated><link type="application/cap+xml" href="{elsewhere}/cap/b.xml"/></entry></feed>"#
    );
    upstream.put("feed.atom", xml.replace("</feed>", &entry));
    let list = wait_for_drafts(&app, 3).await;
    assert!(list.iter().any(|a| a.districts == vec![5]));
    // The poller has dealt with the other host's link once its outcome is recorded (a claim reads `importing`
    // until then): only then is the absence of a fourth draft meaningful.
    let far = poll_until("the other host's link dealt with", Duration::from_secs(20), || async {
        let items = app.store.feed_items(10).await.unwrap();
        items.into_iter().find(|i| i.key.starts_with(&elsewhere) && i.outcome != "importing")
    })
    .await;
    assert_eq!(drafts(&app).await.len(), 3, "the other host's copy is not imported");
    assert!(far.outcome.contains("another host"), "{}", far.outcome);

    // The officials' list shows what was read, drafts linked, refusals explained.
    let editor = app.signed_in("editor@krakow.pl", &[Role::Editor]).await;
    let page = editor.get("/official/alerts?lang=en").await.text().await.unwrap();
    assert!(page.contains("From upstream CAP feeds") && page.contains(&format!("{base}/feed.atom")), "{page}");
    assert_eq!(page.matches(">Draft ").count(), 3, "{page}");
    assert!(page.contains("the link is on another host than the feed"), "{page}");
    assert!(page.contains("alert is missing &lt;sent&gt;"), "{page}");
    app.stop().await;
}
