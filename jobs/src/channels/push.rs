//! Web push: the `web-push` crate encrypts (RFC 8291, aes128gcm) and signs (RFC 8292 VAPID); reqwest sends — only to
//! public HTTPS endpoints ([`super::push_guard`]), never following a redirect or an environment proxy. What is
//! recorded of a send is a fixed reason: no host, address, port or network error (residents read it in their export).

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use async_trait::async_trait;
use chrono::Utc;
use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, Urgency, VapidSignature, VapidSignatureBuilder,
    WebPushMessageBuilder,
};

use super::{
    Outcome, Outgoing, Transport,
    push_guard::{self, PublicResolver},
    wrong_address,
};
use crate::model::{Address, Channel, Priority};

/// What is recorded when an endpoint is not a public HTTPS address at send time.
const REFUSED: &str = "push endpoint refused";
/// Push services keep a message at most this long.
const MAX_TTL_SECS: i64 = 28 * 24 * 3600;
/// A VAPID JWT is valid 12 h; one is reused per push service for an hour.
const VAPID_REUSE: Duration = Duration::from_secs(3600);

pub struct PushTransport {
    vapid: PartialVapidSignatureBuilder,
    subject: String,
    http: reqwest::Client,
    /// `delivery.push_allow_private`: `http` and private addresses allowed (tests, closed networks).
    allow_private: bool,
    signatures: Mutex<HashMap<String, (VapidSignature, Instant)>>,
}

impl PushTransport {
    /// `private_key` is the VAPID key as base64url (32 raw bytes); `subject` a `mailto:` or `https:` contact;
    /// `allow_private` lets `http` and addresses inside the network through.
    pub fn new(private_key: &str, subject: &str, allow_private: bool) -> anyhow::Result<Self> {
        let vapid = VapidSignatureBuilder::from_base64_no_sub(private_key)
            .map_err(|e| anyhow::anyhow!("the VAPID private key is not usable: {e}"))?;
        if !(subject.starts_with("mailto:") || subject.starts_with("https:")) {
            anyhow::bail!("HEJNAL_VAPID_SUBJECT must start with mailto: or https:");
        }
        let mut http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .pool_max_idle_per_host(256)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        if !allow_private {
            // Every name is resolved again at send time and refused unless all its addresses are public.
            http = http.dns_resolver(PublicResolver::shared());
        }
        let http = http.build().map_err(|e| anyhow::anyhow!("HTTP client: {e}"))?;
        Ok(Self { vapid, subject: subject.to_string(), http, allow_private, signatures: Mutex::new(HashMap::new()) })
    }

    /// The public key browsers subscribe with (uncompressed P-256 point).
    pub fn public_key(&self) -> Vec<u8> {
        self.vapid.get_public_key()
    }

    fn signature(&self, sub: &SubscriptionInfo) -> Result<VapidSignature, String> {
        let origin = origin(&sub.endpoint).ok_or("invalid push endpoint")?;
        let mut cache = self.signatures.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((sig, at)) = cache.get(&origin)
            && at.elapsed() < VAPID_REUSE
        {
            return Ok(sig.clone());
        }
        let mut builder = self.vapid.clone().add_sub_info(sub);
        builder.add_claim("sub", self.subject.as_str());
        // web-push leaves a non-default port out of `aud`; RFC 8292 wants the full origin.
        builder.add_claim("aud", origin.as_str());
        let sig = builder.build().map_err(|e| format!("VAPID signing failed: {e}"))?;
        cache.insert(origin, (sig.clone(), Instant::now()));
        Ok(sig)
    }

    fn request(&self, m: &Outgoing<'_>, sub: &SubscriptionInfo) -> Result<reqwest::Request, String> {
        let payload = serde_json::json!({
            "title": m.content.subject,
            "body": m.content.text,
            "url": m.content.url,
            "tag": m.topic,
        })
        .to_string();
        let mut builder = WebPushMessageBuilder::new(sub);
        builder.set_payload(ContentEncoding::Aes128Gcm, payload.as_bytes());
        builder.set_vapid_signature(self.signature(sub)?);
        let ttl = (m.expires_at - Utc::now()).num_seconds().clamp(0, MAX_TTL_SECS);
        builder.set_ttl(ttl as u32);
        builder.set_urgency(match m.priority {
            Priority::Emergency => Urgency::High,
            Priority::Service => Urgency::Normal,
            Priority::Survey => Urgency::Low,
        });
        if let Some(topic) = m.topic {
            builder.set_topic(topic.to_string());
        }
        let message = builder.build().map_err(|e| match e {
            web_push::WebPushError::PayloadTooLarge => "payload too large for web push (4 KB)",
            _ => "cannot build the push message",
        })?;
        // web-push speaks `http` 0.2; reqwest speaks 1.x: carry method, URI, headers and body across.
        let built = web_push::request_builder::build_request::<Vec<u8>>(message);
        let mut req = self.http.post(built.uri().to_string());
        for (name, value) in built.headers() {
            req = req.header(name.as_str(), value.as_bytes());
        }
        req.body(built.into_body()).build().map_err(|_| "cannot build the push request".to_string())
    }
}

fn origin(endpoint: &str) -> Option<String> {
    let url = url::Url::parse(endpoint).ok()?;
    Some(url.origin().ascii_serialization())
}

#[async_trait]
impl Transport for PushTransport {
    fn channel(&self) -> Channel {
        Channel::Push
    }

    fn provider(&self) -> &str {
        "webpush"
    }

    async fn send(&self, m: &Outgoing<'_>) -> Outcome {
        let Address::Push(s) = m.address else { return wrong_address(Channel::Push) };
        // An address written into the URL is never resolved: checked here; names are checked by the resolver.
        if push_guard::check_literal(&s.endpoint, self.allow_private).is_err() {
            return Outcome::failed(REFUSED);
        }
        let sub = SubscriptionInfo::new(s.endpoint.as_str(), s.p256dh.as_str(), s.auth.as_str());
        let request = match self.request(m, &sub) {
            Ok(r) => r,
            Err(reason) => return Outcome::failed(reason),
        };
        let response = match self.http.execute(request).await {
            Ok(r) => r,
            Err(e) if push_guard::refused_by_resolver(&e) => return Outcome::failed(REFUSED),
            Err(e) if e.is_timeout() => return Outcome::retry("push service timed out"),
            Err(_) => return Outcome::retry("push service unreachable"),
        };
        let status = response.status().as_u16();
        match status {
            200..=299 => Outcome::Sent { provider_id: None },
            404 | 410 => Outcome::Failed { reason: "push subscription gone".into(), address_gone: true },
            413 => Outcome::failed("push payload too large"),
            429 => {
                let after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                Outcome::Retry { reason: "push service rate limit".into(), after }
            }
            500..=599 => Outcome::retry("push service answered 5xx"),
            300..=399 => Outcome::failed("push service answered a redirect (not followed)"),
            400..=499 => Outcome::failed("push service answered 4xx"),
            _ => Outcome::failed("push service answered unexpectedly"),
        }
    }
}
