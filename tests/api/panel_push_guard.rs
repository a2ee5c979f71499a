//! Push endpoints are no way into the network (issue 14, finding 4). With `delivery.push_allow_private` off, a
//! subscription to `http`, to a private, loopback or link-local address, or to a name resolving to one is refused
//! with 422 and a sentence naming the field, and nothing is stored; one stored while allowed is refused again at
//! send time (the push stand-in receives nothing) with a fixed reason. A redirecting push endpoint is not followed.
//! Whatever the outcome, the resident's export carries no host, address, port or network error.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    http::{StatusCode, header},
    response::IntoResponse,
    routing::post,
};
use hejnal::domain::panel::{Channel, Purpose};
use hejnal_jobs::Priority;
use serde_json::{Value, json};

use crate::{
    delivery::{RunningEngine, broadcast, recipients, wait_until},
    dual,
    panel::sign_in_by_email,
    panel_ledger::resident,
    support::{Client, Db, TestApp, csrf_from, push_service::PushService},
};

dual!(
    endpoints_inside_the_network_are_refused_when_subscribing,
    a_stored_private_endpoint_is_refused_at_send_time,
    a_redirecting_push_endpoint_is_not_followed
);

async fn subscribe(client: &Client, endpoint: &str, p256dh: &str, auth: &str, lang: &str) -> reqwest::Response {
    let csrf = csrf_from(&client.get("/me/push").await.text().await.unwrap()).unwrap();
    client
        .http
        .post(client.url("/me/push/subscriptions"))
        .header("x-csrf-token", csrf)
        .header("accept-language", lang)
        .json(&json!({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}))
        .send()
        .await
        .unwrap()
}

/// A resident who consented to emergency alerts by push, signed in on `client`.
/// `n`: how many emails the application has sent before (the sign-in link is the next one).
async fn signed_in_resident(app: &TestApp, client: &Client, email: &str, n: usize) -> i64 {
    let rid = resident(&app.store, email, &[(Purpose::EmergencyAlerts, Channel::Push)]).await;
    sign_in_by_email(app, client, email, n).await;
    rid
}

/// Every reason recorded for the resident's messages, as the export shows them; none names a network detail.
async fn export_reasons(client: &Client, forbidden: &[&str]) -> Vec<String> {
    let export: Value = client.get("/me/export").await.json().await.unwrap();
    let text = export["messages"].to_string();
    for f in forbidden {
        assert!(!text.contains(f), "the export names {f}: {text}");
    }
    for f in ["127.0.0.1", "localhost", "error sending", "connect", "dns", "tcp"] {
        assert!(!text.contains(f), "the export names {f}: {text}");
    }
    let mut reasons: Vec<String> = export["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["channel"] == "push")
        .filter_map(|m| m["reason"].as_str().map(str::to_string))
        .collect();
    reasons.sort();
    reasons
}

async fn endpoints_inside_the_network_are_refused_when_subscribing(db: Db) {
    let push = PushService::start().await;
    let app = TestApp::spawn_with(db, |s| s.delivery.push_allow_private = false).await;
    let client = Client::new(&app);
    let rid = signed_in_resident(&app, &client, "guard@example.org", 0).await;
    let device = push.new_subscription();
    let port = device.endpoint.split(':').nth(2).unwrap().split('/').next().unwrap().to_string();

    let refused = [
        device.endpoint.clone(), // http://127.0.0.1:…, the stand-in itself
        "http://push.example.net/send/abc".to_string(),
        "https://127.0.0.1/push/abc".to_string(),
        format!("https://127.0.0.1:{port}/push/abc"),
        "https://10.0.0.1/push/abc".to_string(),
        "https://192.168.1.1/push/abc".to_string(),
        "https://169.254.169.254/latest/meta-data".to_string(),
        "https://[::1]/push/abc".to_string(),
        "https://[::ffff:127.0.0.1]/push/abc".to_string(),
        "https://[fd00::1]/push/abc".to_string(),
        "https://localhost/push/abc".to_string(),
        format!("https://localhost:{port}/push/abc"),
    ];
    let sentences = [
        ("en", "The push service address (endpoint) must be an https address on the public internet"),
        ("pl", "Adres usługi powiadomień (endpoint) musi być adresem https w publicznym internecie"),
        ("uk", "Адреса служби сповіщень (endpoint) має бути адресою https у публічному інтернеті"),
    ];
    for (i, endpoint) in refused.iter().enumerate() {
        let (lang, sentence) = sentences[i % 3];
        let res = subscribe(&client, endpoint, &device.p256dh, &device.auth, lang).await;
        assert_eq!(res.status(), 422, "{endpoint} is refused");
        // The resident's pages answer with the error page in their language, naming the field.
        let page = res.text().await.unwrap();
        assert!(page.contains(sentence), "{endpoint} in {lang}: {page}");
    }
    assert!(app.store.list_push(rid).await.unwrap().is_empty(), "nothing is stored");
    assert!(!client.get("/me/push").await.text().await.unwrap().contains("127.0.0.1"));
    assert_eq!(push.attempts(&device.id), 0);
    app.stop().await;
}

async fn a_stored_private_endpoint_is_refused_at_send_time(db: Db) {
    let push = PushService::start().await;
    // Stored while allowed (the web allows it), sent by a worker that does not.
    let app = TestApp::spawn_without_worker(db, |s| s.delivery.push_allow_private = true).await;
    let engine = RunningEngine::start_on_panel(&app, |c| c.push_allow_private = false).await;
    // One resident's endpoint is an address written into the URL; the other's a name that resolves to loopback (as
    // a rebinding name would by the time of sending).
    let literal = push.new_subscription();
    let named = push.new_subscription();
    let named_endpoint = named.endpoint.replace("http://127.0.0.1", "https://localhost");
    let mut residents = Vec::new();
    for (n, (endpoint, d)) in [(&literal.endpoint, &literal), (&named_endpoint, &named)].into_iter().enumerate() {
        let client = Client::new(&app);
        let rid = signed_in_resident(&app, &client, &format!("rebind{n}@example.org"), n).await;
        let res = subscribe(&client, endpoint, &d.p256dh, &d.auth, "en").await;
        assert_eq!(res.status(), 201, "stored while allowed: {endpoint}");
        assert_eq!(app.store.list_push(rid).await.unwrap().len(), 1);
        residents.push((rid, client));
    }

    let alert = broadcast("push-guard-1", Priority::Service, Channel::Push, "Komunikat próbny.");
    let ids = residents.iter().map(|(rid, _)| *rid);
    let b = hejnal_jobs::submit(&app.store.queue_db(), &alert, recipients(ids, Channel::Push), 10).await.unwrap();
    let p = wait_until(&app, b.broadcast_id, 30, |p| p.done).await;
    assert_eq!(p.channels[&Channel::Push].sent, 0, "{p:?}");
    assert_eq!(p.reasons.get("push endpoint refused"), Some(&2), "{:?}", p.reasons);
    assert_eq!(push.received_count(), 0, "the push stand-in receives nothing");
    assert_eq!((push.attempts(&literal.id), push.attempts(&named.id)), (0, 0));
    assert!(push.rejections().is_empty(), "nothing reached the stand-in: {:?}", push.rejections());

    let port = literal.endpoint.split(':').nth(2).unwrap().split('/').next().unwrap().to_string();
    for (_, client) in &residents {
        assert_eq!(export_reasons(client, &[&port]).await, vec!["push endpoint refused"]);
    }
    engine.stop().await;
    app.stop().await;
}

/// A server answering every request with a 307 to `to`, counting what it answered.
async fn redirector(to: String) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let count = hits.clone();
    let router = Router::new().route(
        "/{*path}",
        post(move || {
            let to = to.clone();
            let count = count.clone();
            async move {
                count.fetch_add(1, Ordering::SeqCst);
                (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (base, hits)
}

async fn a_redirecting_push_endpoint_is_not_followed(db: Db) {
    let push = PushService::start().await;
    let app = TestApp::spawn_with(db, |s| s.delivery.push_allow_private = true).await;
    let client = Client::new(&app);
    let rid = signed_in_resident(&app, &client, "redirect@example.org", 0).await;
    // The redirect points at a valid subscription of the stand-in: followed, it would be delivered there.
    let target = push.new_subscription();
    let (base, hits) = redirector(target.endpoint.clone()).await;
    let res = subscribe(&client, &format!("{base}/push/x"), &target.p256dh, &target.auth, "en").await;
    assert_eq!(res.status(), 201);

    let alert = broadcast("push-guard-2", Priority::Service, Channel::Push, "Komunikat próbny.");
    let b = hejnal_jobs::submit(&app.store.queue_db(), &alert, recipients([rid], Channel::Push), 10).await.unwrap();
    let p = wait_until(&app, b.broadcast_id, 30, |p| p.done).await;
    assert!(hits.load(Ordering::SeqCst) >= 1, "the redirecting endpoint was asked");
    assert_eq!(p.channels[&Channel::Push].sent, 0, "{p:?}");
    assert_eq!(push.attempts(&target.id), 0, "the redirect is not followed");
    assert_eq!(push.received_count(), 0);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(push.attempts(&target.id), 0);

    let port = base.rsplit(':').next().unwrap().to_string();
    let reasons = export_reasons(&client, &[&port]).await;
    assert_eq!(reasons, vec!["push service answered a redirect (not followed)"]);
    app.stop().await;
}
