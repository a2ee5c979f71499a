//! Web push end to end without a browser: a resident stores a subscription through `/me/push/subscriptions`, an
//! alert goes out through the engine and the application's directory, and the verifying push stand-in
//! (`support::push_service`) checks VAPID and the RFC 8030 headers and decrypts it (RFC 8291, aes128gcm) with the
//! subscription's private key and auth secret.

use std::time::Duration;

use chrono::Utc;
use hejnal::domain::panel::{Channel, Purpose};
use hejnal_jobs::{Content, NewBroadcast, Priority, Recipient};
use serde_json::{Value, json};

use crate::{
    dual,
    panel::sign_in_by_email,
    panel_ledger::resident,
    support::{Client, Db, TestApp, csrf_from, push_service::PushService, wait::poll_until},
};

dual!(a_push_reaches_the_subscription_and_decrypts);

async fn a_push_reaches_the_subscription_and_decrypts(db: Db) {
    let push = PushService::start().await;

    let app = TestApp::spawn(db).await;
    let email = "push@example.org";
    let rid = resident(&app.store, email, &[(Purpose::EmergencyAlerts, Channel::Push)]).await;
    let client = Client::new(&app);
    sign_in_by_email(&app, &client, email, 0).await;

    // The subscription a browser would hand over: the stand-in keeps its private key to decrypt what arrives.
    let device = push.new_subscription();
    let csrf = csrf_from(&client.get("/me/push").await.text().await.unwrap()).unwrap();
    let sub = json!({"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}});
    let res = client
        .http
        .post(client.url("/me/push/subscriptions"))
        .header("x-csrf-token", csrf)
        .json(&sub)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    let alert = NewBroadcast {
        key: "push-alert-1".into(),
        kind: "alert".into(),
        purpose: Purpose::EmergencyAlerts.as_str().into(),
        priority: Priority::Emergency,
        expires_at: Utc::now() + chrono::Duration::hours(1),
        topic: Some("flood".into()),
        contents: vec![(
            Channel::Push,
            "pl".into(),
            Content {
                subject: Some("Alert".into()),
                text: "Ostrzeżenie powodziowe".into(),
                html: None,
                url: Some("https://krakow.example.org/a/1".into()),
            },
        )],
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    };
    let to = Recipient { id: rid, language: "pl".into(), channels: vec![Channel::Push], vars: None };
    hejnal_jobs::submit(&app.store.queue_db(), &alert, [to], 1).await.unwrap();

    let got = poll_until("the push to arrive", Duration::from_secs(30), || async {
        push.received(&device.id).into_iter().next()
    })
    .await;
    assert!(push.rejections().is_empty(), "the push service refused: {:?}", push.rejections());
    let payload: Value = serde_json::from_slice(&got.plaintext).unwrap();
    assert_eq!(payload["title"], "Alert");
    assert_eq!(payload["body"], "Ostrzeżenie powodziowe");
    assert_eq!(payload["url"], "https://krakow.example.org/a/1");
    assert_eq!(got.urgency.as_deref(), Some("high"), "an emergency is urgent");
    assert_eq!(got.topic.as_deref(), Some("flood"));
    assert_eq!(got.vapid_sub, app.config.vapid_subject);
    assert_eq!(push.attempts(&device.id), 1);
    app.stop().await;
}
