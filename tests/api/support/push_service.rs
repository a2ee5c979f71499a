//! A local Web Push service stand-in that checks the protocol to the letter: RFC 8030 headers (`TTL`, `Urgency`,
//! `Topic`), RFC 8292 VAPID (`Authorization: vapid t=<JWT>, k=<key>`, ES256 over the claims `aud`/`exp`/`sub`), and
//! RFC 8291 + RFC 8188 `aes128gcm` payload encryption, decrypted with the subscription's private key.
//!
//! Every request is verified and decrypted; a violation is answered 400 (413 for a body over 4096 octets, RFC 8030
//! §7.2) with the reason as the body, and recorded in [`PushService::rejections`]. A valid request consumes the
//! subscription's next programmed [`Answer`] (default 201 Created); only a 201 records a [`ReceivedPush`].
#![allow(dead_code)]

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
    time::{Instant, SystemTime, UNIX_EPOCH},
};

use aes_gcm::{Aes128Gcm, KeyInit, aead::AeadInPlace};
use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use hkdf::Hkdf;
use p256::{
    PublicKey, SecretKey,
    ecdsa::{Signature, VerifyingKey, signature::Verifier},
};
use sha2::Sha256;
use tokio::{net::TcpListener, task::JoinHandle};

/// Largest body a push service must accept (RFC 8291 §4); larger ones get 413 (RFC 8030 §7.2).
pub const MAX_BODY: usize = 4096;
const HEADER_LEN: usize = 16 + 4 + 1 + 65;
/// A subscription's private key, public key and auth secret.
type Keys = (SecretKey, [u8; 65], [u8; 16]);

/// What the service answers a valid push request with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Answer {
    #[default]
    Created,
    NotFound,
    Gone,
    TooLarge,
    TooMany {
        retry_after_secs: u64,
    },
    ServerError,
}

impl Answer {
    /// The status code this answer sends (429 also carries `Retry-After`).
    pub fn status(self) -> StatusCode {
        match self {
            Answer::Created => StatusCode::CREATED,
            Answer::NotFound => StatusCode::NOT_FOUND,
            Answer::Gone => StatusCode::GONE,
            Answer::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Answer::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            Answer::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A subscription as a browser would hand it to the application (`PushSubscription.toJSON()`).
#[derive(Clone, Debug)]
pub struct TestSubscription {
    pub id: String,
    pub endpoint: String,
    /// base64url (no padding) uncompressed P-256 public key, 65 octets.
    pub p256dh: String,
    /// base64url (no padding) 16-octet authentication secret.
    pub auth: String,
}

/// A push message accepted with 201 and decrypted.
#[derive(Clone, Debug)]
pub struct ReceivedPush {
    pub plaintext: Vec<u8>,
    pub ttl: u32,
    pub urgency: Option<String>,
    pub topic: Option<String>,
    /// The JWT `sub` claim (`mailto:` or `https:`).
    pub vapid_sub: String,
    /// The VAPID public key `k`, base64url as sent.
    pub vapid_k: String,
    pub at: Instant,
}

struct Sub {
    secret: SecretKey,
    public: [u8; 65],
    auth: [u8; 16],
    queued: VecDeque<Answer>,
    sticky: Answer,
    attempts: usize,
    received: Vec<ReceivedPush>,
}

#[derive(Default)]
struct Inner {
    subs: HashMap<String, Sub>,
    rejections: Vec<String>,
    received: usize,
}

struct Shared {
    origin: String,
    inner: Mutex<Inner>,
}

/// The running stand-in; the server stops when this is dropped.
pub struct PushService {
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl PushService {
    /// Binds on 127.0.0.1:0 and serves `POST /push/{id}`.
    pub async fn start() -> PushService {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the push service");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        let shared = Arc::new(Shared { origin, inner: Mutex::default() });
        let app = Router::new().route("/push/{id}", post(push)).with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("push service");
        });
        PushService { shared, task }
    }

    /// `http://127.0.0.1:<port>`, which is also the origin the VAPID `aud` claim must name.
    pub fn base_url(&self) -> &str {
        &self.shared.origin
    }

    /// A fresh subscription with its own P-256 key pair and auth secret; the private key stays here.
    pub fn new_subscription(&self) -> TestSubscription {
        let secret = loop {
            if let Ok(key) = SecretKey::from_bytes(&rand::random::<[u8; 32]>().into()) {
                break key;
            }
        };
        let public: [u8; 65] =
            secret.public_key().to_sec1_bytes().as_ref().try_into().expect("uncompressed P-256 point is 65 octets");
        let auth: [u8; 16] = rand::random();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let sub = TestSubscription {
            endpoint: format!("{}/push/{id}", self.shared.origin),
            p256dh: B64.encode(public),
            auth: B64.encode(auth),
            id: id.clone(),
        };
        let (queued, sticky, received) = (VecDeque::new(), Answer::Created, Vec::new());
        self.shared.lock().subs.insert(id, Sub { secret, public, auth, queued, sticky, attempts: 0, received });
        sub
    }

    /// Answer every following valid request with `answer` (after any answers queued by [`Self::respond_with_n`]).
    pub fn respond_with(&self, sub_id: &str, answer: Answer) {
        let mut inner = self.shared.lock();
        let sub = inner.subs.get_mut(sub_id).expect("unknown subscription");
        sub.queued.clear();
        sub.sticky = answer;
    }

    /// Answer the next `n` valid requests with `answer`, then fall back to the standing answer (201 by default).
    /// Calls append, so `respond_with_n(id, TooMany{..}, 1); respond_with_n(id, ServerError, 1)` scripts a sequence.
    pub fn respond_with_n(&self, sub_id: &str, answer: Answer, n: usize) {
        let mut inner = self.shared.lock();
        let sub = inner.subs.get_mut(sub_id).expect("unknown subscription");
        sub.queued.extend(std::iter::repeat_n(answer, n));
    }

    /// Pushes accepted (201) and decrypted for this subscription, oldest first.
    pub fn received(&self, sub_id: &str) -> Vec<ReceivedPush> {
        self.shared.lock().subs.get(sub_id).map(|s| s.received.clone()).unwrap_or_default()
    }

    /// Pushes accepted (201) over all subscriptions.
    pub fn received_count(&self) -> usize {
        self.shared.lock().received
    }

    /// Every POST to this subscription's endpoint, whatever the answer (rejections and programmed errors included).
    pub fn attempts(&self, sub_id: &str) -> usize {
        self.shared.lock().subs.get(sub_id).map_or(0, |s| s.attempts)
    }

    /// Why requests were refused, as `"<sub id>: <reason>"`, oldest first.
    pub fn rejections(&self) -> Vec<String> {
        self.shared.lock().rejections.clone()
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for PushService {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn push(State(shared): State<Arc<Shared>>, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let keys = {
        let mut inner = shared.lock();
        match inner.subs.get_mut(&id) {
            Some(sub) => {
                sub.attempts += 1;
                (sub.secret.clone(), sub.public, sub.auth)
            }
            None => {
                inner.rejections.push(format!("{id}: no such subscription"));
                return StatusCode::NOT_FOUND.into_response();
            }
        }
    };
    let checked = if body.len() > MAX_BODY {
        Err((StatusCode::PAYLOAD_TOO_LARGE, format!("body of {} octets exceeds {MAX_BODY}", body.len())))
    } else {
        check(&shared.origin, &headers, &body, &keys).map_err(|reason| (StatusCode::BAD_REQUEST, reason))
    };
    let mut inner = shared.lock();
    let mut push = match checked {
        Ok(push) => push,
        Err((status, reason)) => {
            inner.rejections.push(format!("{id}: {reason}"));
            return (status, reason).into_response();
        }
    };
    let sub = inner.subs.get_mut(&id).expect("subscriptions are never removed");
    match sub.queued.pop_front().unwrap_or(sub.sticky) {
        Answer::Created => {
            push.at = Instant::now();
            sub.received.push(push);
            inner.received += 1;
            let location = format!("{}/message/{}", shared.origin, inner.received);
            (StatusCode::CREATED, [(header::LOCATION, location)]).into_response()
        }
        Answer::TooMany { retry_after_secs } => {
            (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, retry_after_secs.to_string())]).into_response()
        }
        other => other.status().into_response(),
    }
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, String> {
    let mut all = headers.get_all(name).iter();
    let (Some(value), None) = (all.next(), all.next()) else {
        return if headers.contains_key(name) { Err(format!("{name} header repeated")) } else { Ok(None) };
    };
    value.to_str().map(|v| Some(v.trim())).map_err(|_| format!("{name} header is not visible ASCII"))
}

fn check(origin: &str, headers: &HeaderMap, body: &[u8], keys: &Keys) -> Result<ReceivedPush, String> {
    // RFC 8030 §5.2: TTL is required, delta-seconds (1*DIGIT).
    let ttl = text(headers, "ttl")?.ok_or("TTL header missing (RFC 8030 §5.2)")?;
    if ttl.is_empty() || !ttl.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("TTL {ttl:?} is not a non-negative integer"));
    }
    let ttl = ttl.parse::<u32>().unwrap_or(u32::MAX); // all digits: only overflow can fail; saturate
    let urgency = text(headers, "urgency")?;
    if let Some(u) = urgency.filter(|u| !matches!(*u, "very-low" | "low" | "normal" | "high")) {
        return Err(format!("Urgency {u:?} is not very-low, low, normal or high"));
    }
    let topic = text(headers, "topic")?;
    if let Some(t) = topic.filter(|t| {
        t.is_empty() || t.len() > 32 || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }) {
        return Err(format!("Topic {t:?} is not 1-32 characters of the URL-safe base64 alphabet"));
    }
    match text(headers, "content-encoding")? {
        Some(ce) if ce.eq_ignore_ascii_case("aes128gcm") => {}
        other => return Err(format!("Content-Encoding {other:?}, expected aes128gcm (RFC 8291 §4)")),
    }
    let (jwt, k) = vapid_credentials(headers)?;
    let vapid_sub = verify_vapid(jwt, k, origin)?;
    let plaintext = decrypt(body, keys)?;
    Ok(ReceivedPush {
        plaintext,
        ttl,
        urgency: urgency.map(str::to_owned),
        topic: topic.map(str::to_owned),
        vapid_sub,
        vapid_k: k.to_owned(),
        at: Instant::now(),
    })
}

/// `Authorization: vapid t=<jwt>, k=<key>` (RFC 8292 §3), or the draft form `WebPush <jwt>` + `Crypto-Key: p256ecdsa=`.
fn vapid_credentials(headers: &HeaderMap) -> Result<(&str, &str), String> {
    let auth = text(headers, "authorization")?.ok_or("Authorization header missing (RFC 8292 §3)")?;
    let (scheme, params) = auth.split_once(' ').ok_or_else(|| format!("Authorization {auth:?} has no credentials"))?;
    fn param<'a>(seps: &[char], s: &'a str, name: &str) -> Option<&'a str> {
        s.split(seps)
            .filter_map(|p| p.trim().split_once('='))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().trim_matches('"'))
    }
    if scheme.eq_ignore_ascii_case("vapid") {
        let t = param(&[','], params, "t").ok_or("Authorization: vapid lacks the t= parameter")?;
        let k = param(&[','], params, "k").ok_or("Authorization: vapid lacks the k= parameter")?;
        Ok((t, k))
    } else if scheme.eq_ignore_ascii_case("webpush") {
        let crypto_key = text(headers, "crypto-key")?.ok_or("Authorization: WebPush without a Crypto-Key header")?;
        let k = param(&[',', ';'], crypto_key, "p256ecdsa").ok_or("Crypto-Key lacks p256ecdsa=")?;
        Ok((params.trim(), k))
    } else {
        Err(format!("Authorization scheme {scheme:?} is not vapid (RFC 8292 §3)"))
    }
}

/// Checks the ES256 JWT against `k` and its claims (RFC 8292 §2); returns `sub`.
fn verify_vapid(jwt: &str, k: &str, origin: &str) -> Result<String, String> {
    let key = B64.decode(k).map_err(|e| format!("VAPID k is not base64url without padding: {e}"))?;
    if key.len() != 65 || key[0] != 4 {
        return Err(format!("VAPID k is {} octets, not an uncompressed P-256 point (RFC 8292 §3.2)", key.len()));
    }
    let key = VerifyingKey::from_sec1_bytes(&key).map_err(|_| "VAPID k is not a point on P-256")?;
    let mut parts = jwt.split('.');
    let (Some(h), Some(c), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err("VAPID JWT does not have three parts".into());
    };
    let json = |part: &str, what: &str| -> Result<serde_json::Value, String> {
        let raw = B64.decode(part).map_err(|e| format!("JWT {what} is not base64url: {e}"))?;
        serde_json::from_slice(&raw).map_err(|e| format!("JWT {what} is not JSON: {e}"))
    };
    let head = json(h, "header")?;
    if head["alg"] != "ES256" || !head["typ"].as_str().is_some_and(|t| t.eq_ignore_ascii_case("JWT")) {
        return Err(format!("JWT header {head} must have alg ES256 and typ JWT"));
    }
    let sig = B64.decode(s).map_err(|e| format!("JWT signature is not base64url: {e}"))?;
    let sig =
        Signature::from_slice(&sig).map_err(|_| format!("JWT signature is {} octets, not r||s (64)", sig.len()))?;
    key.verify(&jwt.as_bytes()[..h.len() + 1 + c.len()], &sig)
        .map_err(|_| "VAPID JWT signature does not verify against k")?;
    let claims = json(c, "claims")?;
    if claims["aud"] != origin {
        return Err(format!("JWT aud {} is not the push resource origin {origin:?}", claims["aud"]));
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_secs_f64();
    match claims["exp"].as_f64() {
        Some(exp) if exp <= now => return Err(format!("JWT exp {exp} has passed (now {now:.0})")),
        Some(exp) if exp > now + 86_400.0 => return Err(format!("JWT exp {exp} is more than 24 h ahead")),
        Some(_) => {}
        None => return Err(format!("JWT exp {} is not a NumericDate", claims["exp"])),
    }
    match claims["sub"].as_str() {
        Some(sub) if sub.starts_with("mailto:") || sub.starts_with("https:") => Ok(sub.to_owned()),
        _ => Err(format!("JWT sub {} is not a mailto: or https: URI", claims["sub"])),
    }
}

/// RFC 8291 §3.4 key derivation and RFC 8188 single-record `aes128gcm` decryption.
fn decrypt(body: &[u8], (secret, ua_public, auth): &Keys) -> Result<Vec<u8>, String> {
    if body.len() < HEADER_LEN + 17 {
        return Err(format!("body of {} octets is shorter than header + tag + delimiter", body.len()));
    }
    let (salt, rs, idlen) = (&body[..16], u32::from_be_bytes(body[16..20].try_into().unwrap()), body[20]);
    if idlen != 65 {
        return Err(format!("idlen {idlen}: keyid must be the 65-octet sender public key (RFC 8291 §4)"));
    }
    let (as_public, record) = (&body[21..HEADER_LEN], &body[HEADER_LEN..]);
    if rs < 18 {
        return Err(format!("rs {rs} is below the minimum of 18 (RFC 8188 §2.1)"));
    }
    if record.len() >= rs as usize {
        return Err(format!("record of {} octets needs rs > its length for a single record, got {rs}", record.len()));
    }
    if as_public[0] != 4 {
        return Err("keyid is not an uncompressed P-256 point".into());
    }
    let sender = PublicKey::from_sec1_bytes(as_public).map_err(|_| "keyid is not a point on P-256")?;
    let ecdh = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), sender.as_affine());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), ecdh.raw_secret_bytes())
        .expand_multi_info(&[b"WebPush: info\0", ua_public, as_public], &mut ikm)
        .expect("32 octets is a valid HKDF length");
    let hk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    hk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).expect("valid length");
    hk.expand(b"Content-Encoding: nonce\0", &mut nonce).expect("valid length");
    let mut plain = record.to_vec();
    Aes128Gcm::new(&cek.into())
        .decrypt_in_place(&nonce.into(), b"", &mut plain)
        .map_err(|_| "aes128gcm decryption failed (wrong keys or corrupted ciphertext)")?;
    match plain.iter().rposition(|&b| b != 0) {
        Some(end) if plain[end] == 2 => {
            plain.truncate(end);
            Ok(plain)
        }
        Some(end) => Err(format!("padding delimiter is {:#04x}, expected 0x02 (last and only record)", plain[end])),
        None => Err("plaintext has no padding delimiter".into()),
    }
}
