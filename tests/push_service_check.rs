//! Self-tests of the Web Push service stand-in: requests are built here by hand (RFC 8291 encryption with an
//! ephemeral key, RFC 8292 ES256 JWT), so the stand-in is checked against an independent sender.

#[path = "api/support/push_service.rs"]
mod push_service;

use std::time::{SystemTime, UNIX_EPOCH};

use aes_gcm::{Aes128Gcm, KeyInit, aead::AeadInPlace};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use hkdf::Hkdf;
use p256::{
    PublicKey, SecretKey,
    ecdsa::{Signature, SigningKey, signature::Signer},
};
use push_service::{Answer, PushService, TestSubscription};
use serde_json::{Value, json};
use sha2::Sha256;

fn secret_key() -> SecretKey {
    loop {
        if let Ok(key) = SecretKey::from_bytes(&rand::random::<[u8; 32]>().into()) {
            return key;
        }
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// RFC 8291 §3.4 + RFC 8188: one record, `pad` zero octets after the 0x02 delimiter.
fn encrypt(sub: &TestSubscription, plaintext: &[u8], pad: usize, rs: u32) -> Vec<u8> {
    let ua_public = B64.decode(&sub.p256dh).unwrap();
    let auth = B64.decode(&sub.auth).unwrap();
    let ua = PublicKey::from_sec1_bytes(&ua_public).unwrap();
    let ephemeral = secret_key();
    let as_public = ephemeral.public_key().to_sec1_bytes();
    assert_eq!(as_public.len(), 65);
    let ecdh = p256::ecdh::diffie_hellman(ephemeral.to_nonzero_scalar(), ua.as_affine());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&auth), ecdh.raw_secret_bytes())
        .expand_multi_info(&[b"WebPush: info\0", &ua_public, &as_public], &mut ikm)
        .unwrap();
    let salt: [u8; 16] = rand::random();
    let hk = Hkdf::<Sha256>::new(Some(&salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    hk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).unwrap();
    hk.expand(b"Content-Encoding: nonce\0", &mut nonce).unwrap();
    let mut record = plaintext.to_vec();
    record.push(2);
    record.resize(record.len() + pad, 0);
    Aes128Gcm::new(&cek.into()).encrypt_in_place(&nonce.into(), b"", &mut record).unwrap();
    let mut body = salt.to_vec();
    body.extend_from_slice(&rs.to_be_bytes());
    body.push(65);
    body.extend_from_slice(&as_public);
    body.extend_from_slice(&record);
    body
}

fn jwt(key: &SigningKey, header: &Value, claims: &Value) -> String {
    let input = format!("{}.{}", B64.encode(header.to_string()), B64.encode(claims.to_string()));
    let sig: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", B64.encode(sig.to_bytes()))
}

fn k(key: &SigningKey) -> String {
    B64.encode(key.verifying_key().to_encoded_point(false).as_bytes())
}

/// A request as `web-push` with `aes128gcm` would send it; tamper with the fields before sending.
struct Push {
    endpoint: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Push {
    fn valid(ps: &PushService, sub: &TestSubscription, vapid: &SigningKey, plaintext: &[u8]) -> Push {
        let claims = json!({"aud": ps.base_url(), "exp": now() + 12 * 3600, "sub": "mailto:ops@hejnal.example"});
        let token = jwt(vapid, &json!({"typ": "JWT", "alg": "ES256"}), &claims);
        Push {
            endpoint: sub.endpoint.clone(),
            headers: vec![
                ("TTL", "2419200".into()),
                ("Urgency", "high".into()),
                ("Topic", "consultation-42".into()),
                ("Content-Encoding", "aes128gcm".into()),
                ("Content-Type", "application/octet-stream".into()),
                ("Authorization", format!("vapid t={token}, k={}", k(vapid))),
            ],
            body: encrypt(sub, plaintext, 0, 4096),
        }
    }

    fn set(mut self, name: &'static str, value: Option<String>) -> Push {
        self.headers.retain(|(n, _)| *n != name);
        if let Some(value) = value {
            self.headers.push((name, value));
        }
        self
    }

    fn claims(self, vapid: &SigningKey, claims: Value) -> Push {
        let token = jwt(vapid, &json!({"typ": "JWT", "alg": "ES256"}), &claims);
        self.set("Authorization", Some(format!("vapid t={token}, k={}", k(vapid))))
    }

    async fn send(self) -> reqwest::Response {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut req = reqwest::Client::new().post(&self.endpoint).body(self.body);
        for (name, value) in self.headers {
            req = req.header(name, value);
        }
        req.send().await.expect("push service reachable")
    }
}

#[tokio::test]
async fn valid_push_is_accepted_and_decrypted() {
    let ps = PushService::start().await;
    let sub = ps.new_subscription();
    assert_eq!(sub.endpoint, format!("{}/push/{}", ps.base_url(), sub.id));
    assert_eq!(B64.decode(&sub.p256dh).unwrap().len(), 65);
    assert_eq!(B64.decode(&sub.auth).unwrap().len(), 16);
    let vapid = SigningKey::from(secret_key());
    let plaintext = "{\"title\":\"Hejnał\",\"body\":\"Konsultacje: Zabłocie\"}".as_bytes();

    let resp = Push::valid(&ps, &sub, &vapid, plaintext).send().await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert!(resp.headers().contains_key("location"));

    // Padding after the delimiter is stripped; the draft `WebPush` + `Crypto-Key` form is accepted too.
    let mut padded = Push::valid(&ps, &sub, &vapid, b"padded");
    padded.body = encrypt(&sub, b"padded", 100, 4096);
    assert_eq!(padded.send().await.status(), 201);
    let token = jwt(
        &vapid,
        &json!({"typ": "JWT", "alg": "ES256"}),
        &json!({"aud": ps.base_url(), "exp": now() + 60, "sub": "https://hejnal.example"}),
    );
    let legacy = Push::valid(&ps, &sub, &vapid, b"legacy")
        .set("Authorization", Some(format!("WebPush {token}")))
        .set("Crypto-Key", Some(format!("p256ecdsa={}", k(&vapid))))
        .set("Urgency", None)
        .set("Topic", None)
        .set("TTL", Some("0".into()));
    assert_eq!(legacy.send().await.status(), 201);

    let got = ps.received(&sub.id);
    assert_eq!(got.len(), 3, "rejections: {:?}", ps.rejections());
    assert_eq!(got[0].plaintext, plaintext);
    assert_eq!(got[0].ttl, 2_419_200);
    assert_eq!(got[0].urgency.as_deref(), Some("high"));
    assert_eq!(got[0].topic.as_deref(), Some("consultation-42"));
    assert_eq!(got[0].vapid_sub, "mailto:ops@hejnal.example");
    assert_eq!(got[0].vapid_k, k(&vapid));
    assert_eq!(got[1].plaintext, b"padded");
    assert_eq!(got[2].plaintext, b"legacy");
    assert_eq!((got[2].ttl, got[2].urgency.as_deref(), got[2].topic.as_deref()), (0, None, None));
    assert_eq!(got[2].vapid_sub, "https://hejnal.example");
    assert!(got[0].at <= got[1].at && got[1].at <= got[2].at);
    assert_eq!(ps.received_count(), 3);
    assert_eq!(ps.attempts(&sub.id), 3);
    assert!(ps.rejections().is_empty());
}

#[tokio::test]
async fn violations_are_refused_with_a_reason() {
    let ps = PushService::start().await;
    let sub = ps.new_subscription();
    let vapid = SigningKey::from(secret_key());
    let other = SigningKey::from(secret_key());
    let base = ps.base_url().to_owned();
    let host_only = base.rsplit_once(':').unwrap().0.to_owned();
    let valid = || Push::valid(&ps, &sub, &vapid, b"hello");
    let claims = |aud: &str, exp: u64, sub: &str| json!({"aud": aud, "exp": exp, "sub": sub});
    let signed_by_other = {
        let token = jwt(&other, &json!({"typ": "JWT", "alg": "ES256"}), &claims(&base, now() + 60, "mailto:a@b"));
        format!("vapid t={token}, k={}", k(&vapid))
    };
    let hs256 = {
        let token = jwt(&vapid, &json!({"typ": "JWT", "alg": "HS256"}), &claims(&base, now() + 60, "mailto:a@b"));
        format!("vapid t={token}, k={}", k(&vapid))
    };
    let mut corrupted = valid();
    *corrupted.body.last_mut().unwrap() ^= 1;
    let mut wrong_auth = valid();
    let other_sub = TestSubscription { auth: B64.encode([7u8; 16]), ..sub.clone() };
    wrong_auth.body = encrypt(&other_sub, b"hello", 0, 4096);
    let mut small_rs = valid();
    small_rs.body = encrypt(&sub, b"hello", 0, 22);
    let mut no_delimiter = valid();
    no_delimiter.body = encrypt(&sub, b"", 0, 4096);
    no_delimiter.body.truncate(86); // header only

    let cases: Vec<(&str, Push, &str)> = vec![
        ("bad signature", valid().set("Authorization", Some(signed_by_other)), "signature does not verify"),
        ("alg not ES256", valid().set("Authorization", Some(hs256)), "alg ES256"),
        ("aud without port", valid().claims(&vapid, claims(&host_only, now() + 60, "mailto:a@b")), "aud"),
        ("aud with path", valid().claims(&vapid, claims(&sub.endpoint, now() + 60, "mailto:a@b")), "aud"),
        ("expired", valid().claims(&vapid, claims(&base, now() - 1, "mailto:a@b")), "has passed"),
        ("exp too far", valid().claims(&vapid, claims(&base, now() + 86_400 + 60, "mailto:a@b")), "24 h"),
        ("sub not URI", valid().claims(&vapid, claims(&base, now() + 60, "ops@hejnal")), "sub"),
        ("no Authorization", valid().set("Authorization", None), "Authorization header missing"),
        ("Bearer", valid().set("Authorization", Some("Bearer abc".into())), "not vapid"),
        ("missing TTL", valid().set("TTL", None), "TTL header missing"),
        ("negative TTL", valid().set("TTL", Some("-1".into())), "non-negative integer"),
        ("aesgcm", valid().set("Content-Encoding", Some("aesgcm".into())), "Content-Encoding"),
        ("no encoding", valid().set("Content-Encoding", None), "Content-Encoding"),
        ("bad Urgency", valid().set("Urgency", Some("urgent".into())), "Urgency"),
        ("long Topic", valid().set("Topic", Some("a".repeat(33))), "Topic"),
        ("Topic alphabet", valid().set("Topic", Some("a+b".into())), "Topic"),
        ("corrupted ciphertext", corrupted, "decryption failed"),
        ("wrong auth secret", wrong_auth, "decryption failed"),
        ("rs not above record", small_rs, "needs rs >"),
        ("truncated body", no_delimiter, "shorter than"),
    ];
    let n = cases.len();
    for (i, (name, push, reason)) in cases.into_iter().enumerate() {
        let resp = push.send().await;
        assert_eq!(resp.status(), 400, "{name}");
        let body = resp.text().await.unwrap();
        assert!(body.contains(reason), "{name}: body {body:?} lacks {reason:?}");
        let rejections = ps.rejections();
        assert_eq!(rejections.len(), i + 1, "{name}");
        assert!(rejections[i].starts_with(&sub.id) && rejections[i].contains(reason), "{name}: {rejections:?}");
    }
    assert_eq!(ps.received_count(), 0);
    assert_eq!(ps.attempts(&sub.id), n);

    let mut huge = valid();
    huge.body = encrypt(&sub, &[b'x'; 4096], 0, 8192);
    assert_eq!(huge.send().await.status(), 413);
    let mut unknown = valid();
    unknown.endpoint = format!("{base}/push/nope");
    assert_eq!(unknown.send().await.status(), 404);
    assert_eq!(ps.rejections().len(), n + 2);
    // The subscription still works after all that.
    assert_eq!(valid().send().await.status(), 201);
}

#[tokio::test]
async fn programmed_answers() {
    let ps = PushService::start().await;
    let (a, b) = (ps.new_subscription(), ps.new_subscription());
    let vapid = SigningKey::from(secret_key());

    ps.respond_with(&a.id, Answer::Gone);
    for _ in 0..2 {
        assert_eq!(Push::valid(&ps, &a, &vapid, b"x").send().await.status(), 410);
    }

    ps.respond_with_n(&b.id, Answer::TooMany { retry_after_secs: 7 }, 2);
    ps.respond_with_n(&b.id, Answer::ServerError, 1);
    for _ in 0..2 {
        let resp = Push::valid(&ps, &b, &vapid, b"y").send().await;
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "7");
    }
    assert_eq!(Push::valid(&ps, &b, &vapid, b"y").send().await.status(), 500);
    assert_eq!(Push::valid(&ps, &b, &vapid, b"y").send().await.status(), 201);

    // An invalid request is refused before, and without consuming, a programmed answer.
    ps.respond_with_n(&b.id, Answer::NotFound, 1);
    assert_eq!(Push::valid(&ps, &b, &vapid, b"y").set("TTL", None).send().await.status(), 400);
    assert_eq!(Push::valid(&ps, &b, &vapid, b"y").send().await.status(), 404);
    ps.respond_with(&b.id, Answer::TooLarge);
    assert_eq!(Push::valid(&ps, &b, &vapid, b"y").send().await.status(), 413);
    ps.respond_with(&b.id, Answer::Created);
    assert_eq!(Push::valid(&ps, &b, &vapid, b"z").send().await.status(), 201);

    assert!(ps.received(&a.id).is_empty());
    let got: Vec<_> = ps.received(&b.id).into_iter().map(|p| p.plaintext).collect();
    assert_eq!(got, [b"y".to_vec(), b"z".to_vec()]);
    assert_eq!((ps.attempts(&a.id), ps.attempts(&b.id), ps.received_count()), (2, 8, 2));
    assert_eq!(ps.rejections().len(), 1);
}
