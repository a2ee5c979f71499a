//! Load testing against local sinks: a synthetic directory (recipient `i` is `r{i}@bench.example.org`,
//! `+48 600 {i}`, and push subscription `i mod n`), a worker that uses it, and a submit command.
//! `benches/delivery.rs` and the crash test drive these as separate processes.

use std::{path::PathBuf, sync::Arc};

use anyhow::Context;
use async_trait::async_trait;
use chrono::{Duration, Utc};
use hejnal_jobs::{
    Address, Channel, Content, Directory, NewBroadcast, Priority, PushSubscription, Recipient, Resolution,
};

use crate::{config::Config, storage::DynStorage};

/// Addresses derived from recipient ids: nobody real is ever reached.
pub struct SyntheticDirectory {
    push: Vec<PushSubscription>,
}

impl SyntheticDirectory {
    pub fn new(push: Vec<PushSubscription>) -> Arc<Self> {
        Arc::new(Self { push })
    }

    pub fn email(i: i64) -> String {
        format!("r{i}@bench.example.org")
    }

    pub fn phone(i: i64) -> String {
        format!("+48600{:06}", i % 1_000_000)
    }
}

#[async_trait]
impl Directory for SyntheticDirectory {
    async fn resolve(&self, _purpose: &str, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>> {
        Ok(items
            .iter()
            .map(|(i, channel)| match channel {
                Channel::Email => Resolution::Send(Address::Email(Self::email(*i))),
                Channel::Sms => Resolution::Send(Address::Phone(Self::phone(*i))),
                Channel::Push if self.push.is_empty() => Resolution::Unreachable("no push subscription".into()),
                Channel::Push => Resolution::Send(Address::Push(self.push[(*i as usize) % self.push.len()].clone())),
            })
            .collect())
    }

    async fn address_gone(&self, _recipient_id: i64, _address: &Address) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Reads `[{"endpoint": …, "p256dh": …, "auth": …}, …]`.
pub fn read_subscriptions(path: Option<&PathBuf>) -> anyhow::Result<Vec<PushSubscription>> {
    match path {
        None => Ok(Vec::new()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
            serde_json::from_str(&text).context("push subscriptions must be a JSON array of {endpoint, p256dh, auth}")
        }
    }
}

/// A worker whose recipients are synthetic.
pub async fn worker(
    config: &Config,
    store: &DynStorage,
    push: Vec<PushSubscription>,
) -> anyhow::Result<Arc<hejnal_jobs::Engine>> {
    let keys = crate::delivery::keys(store).await?;
    let mut engine_config = crate::delivery::engine_config(config, &keys);
    // The bench's push subscriptions point at a local push service (`http://127.0.0.1:…`).
    engine_config.push_allow_private = true;
    let engine = hejnal_jobs::Engine::new(store.queue_db(), engine_config, SyntheticDirectory::new(push))?;
    Ok(Arc::new(engine))
}

/// A synthetic broadcast to recipients `1..=count` on `channels`.
pub fn broadcast(
    key: &str,
    priority: Priority,
    channels: &[Channel],
) -> (NewBroadcast, impl Iterator<Item = Recipient>) {
    let content = |channel: Channel| Content {
        subject: Some(format!("Test {key}: zażółć gęślą jaźń")),
        text: match channel {
            Channel::Sms => "Test hejnał: komunikat próbny, prosimy nie odpowiadać.".into(),
            _ => "To jest wiadomość testowa systemu hejnał.\nZażółć gęślą jaźń.".into(),
        },
        html: (channel == Channel::Email).then(|| "<p>To jest wiadomość testowa systemu <b>hejnał</b>.</p>".into()),
        url: Some("https://hejnal.example.org/alerts".into()),
    };
    let b = NewBroadcast {
        key: key.to_string(),
        kind: "bench".into(),
        purpose: "service_announcements".into(),
        priority,
        expires_at: Utc::now() + Duration::hours(24),
        topic: Some("bench".into()),
        contents: channels.iter().map(|c| (*c, "pl".to_string(), content(*c))).collect(),
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    };
    let channels = channels.to_vec();
    let recipients =
        (1..).map(move |i| Recipient { id: i, language: "pl".into(), channels: channels.clone(), vars: None });
    (b, recipients)
}
