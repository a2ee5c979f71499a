//! Web push end to end without a browser push service: a resident stores a subscription made from a fresh P-256 key
//! pair through `/me/push/subscriptions`, an alert goes out through the engine and the directory, and a local push
//! service receives it and decrypts it (RFC 8291, aes128gcm) with the subscription's private key and auth secret.

use std::time::Duration;

use aes_gcm::{Aes128Gcm, KeyInit, aead::Aead};
use axum::{Router, body::Bytes, extract::State, http::StatusCode, routing::post};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use hejnal::domain::panel::{Channel, Purpose};
use hejnal_jobs::{Content, NewBroadcast, Priority, Recipient};
use p256::{PublicKey, SecretKey, elliptic_curve::sec1::ToEncodedPoint};
use rand::RngCore;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::{
    dual,
    panel::sign_in_by_email,
    panel_ledger::resident,
    support::{Client, Db, TestApp, csrf_from},
};

dual!(a_push_reaches_the_subscription_and_decrypts);

/// Decrypts one aes128gcm web push body for the user agent's key and auth secret (RFC 8291 / RFC 8188).
fn decrypt(body: &[u8], ua_secret: &SecretKey, auth: &[u8]) -> Vec<u8> {
    let salt = &body[..16];
    let id_len = body[20] as usize;
    let as_public_bytes = &body[21..21 + id_len];
    let ciphertext = &body[21 + id_len..];
    let as_public = PublicKey::from_sec1_bytes(as_public_bytes).expect("sender key");
    let shared = p256::ecdh::diffie_hellman(ua_secret.to_nonzero_scalar(), as_public.as_affine());
    let ua_public = ua_secret.public_key().to_encoded_point(false);
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public.as_bytes());
    key_info.extend_from_slice(as_public_bytes);
    let mut ikm = [0u8; 32];
    hkdf::Hkdf::<sha2::Sha256>::new(Some(auth), shared.raw_secret_bytes()).expand(&key_info, &mut ikm).unwrap();
    let prk = hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).unwrap();
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce).unwrap();
    let mut plain = Aes128Gcm::new_from_slice(&cek)
        .unwrap()
        .decrypt(&aes_gcm::Nonce::from(nonce), ciphertext)
        .expect("the push decrypts with the subscription's keys");
    // The last record ends with the delimiter 0x02 and optional zero padding.
    while plain.last() == Some(&0) {
        plain.pop();
    }
    assert_eq!(plain.pop(), Some(2), "last-record delimiter");
    plain
}

async fn receive(
    State(tx): State<mpsc::UnboundedSender<(Option<String>, Bytes)>>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> StatusCode {
    let encoding = headers.get("content-encoding").and_then(|v| v.to_str().ok()).map(str::to_string);
    let _ = tx.send((encoding, body));
    StatusCode::CREATED
}

async fn a_push_reaches_the_subscription_and_decrypts(db: Db) {
    // The local push service.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let push_addr = listener.local_addr().unwrap();
    let service = Router::new().route("/push/{id}", post(receive)).with_state(tx);
    tokio::spawn(async move { axum::serve(listener, service).await });

    let app = TestApp::spawn(db).await;
    let email = "push@example.org";
    let rid = resident(&app.store, email, &[(Purpose::EmergencyAlerts, Channel::Push)]).await;
    let client = Client::new(&app);
    sign_in_by_email(&app, &client, email, 0).await;

    // A fresh key pair and auth secret, as a browser would make for its subscription.
    let ua_secret = SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
    let mut auth = [0u8; 16];
    rand::rng().fill_bytes(&mut auth);
    let csrf = csrf_from(&client.get("/me/push").await.text().await.unwrap()).unwrap();
    let sub = json!({
        "endpoint": format!("http://{push_addr}/push/device-1"),
        "keys": {
            "p256dh": URL_SAFE_NO_PAD.encode(ua_secret.public_key().to_encoded_point(false).as_bytes()),
            "auth": URL_SAFE_NO_PAD.encode(auth),
        },
    });
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

    let (encoding, body) =
        tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("a push arrives").unwrap();
    assert_eq!(encoding.as_deref(), Some("aes128gcm"));
    let payload: Value = serde_json::from_slice(&decrypt(&body, &ua_secret, &auth)).unwrap();
    assert_eq!(payload["title"], "Alert");
    assert_eq!(payload["body"], "Ostrzeżenie powodziowe");
    assert_eq!(payload["url"], "https://krakow.example.org/a/1");
    app.stop().await;
}
