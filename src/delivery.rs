//! The application's side of the delivery engine: its configuration, the keys it keeps, and the directory the
//! engine asks at send time.

use std::sync::Arc;

use async_trait::async_trait;
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use hejnal_jobs::{Address, Channel, DlrConfig, EngineConfig, PushSubscription, Resolution};
use rand::RngCore;

use crate::{
    config::Config,
    domain::panel::{ContactKind, Purpose, parse_contact_purpose},
    storage::DynStorage,
};

/// Keys kept in the database so every process of a deployment uses the same ones.
pub struct Keys {
    /// base64url of the 32-byte P-256 private scalar.
    pub vapid_private: String,
    /// base64url of the uncompressed public point: what browsers subscribe with.
    pub vapid_public: String,
    pub dlr_secret: String,
    /// Signs one-click unsubscribe links.
    pub unsubscribe_secret: String,
}

/// Reads the keys, generating them on first start.
pub async fn keys(store: &DynStorage) -> anyhow::Result<Keys> {
    let vapid_private = store.secret_or_insert("vapid_private_key", &new_vapid_key()).await?;
    let vapid_public = vapid_public_key(&vapid_private)?;
    let dlr_secret = store.secret_or_insert("dlr_secret", &crate::domain::secret_token::generate("")).await?;
    let unsubscribe_secret =
        store.secret_or_insert("unsubscribe_secret", &crate::domain::secret_token::generate("")).await?;
    Ok(Keys { vapid_private, vapid_public, dlr_secret, unsubscribe_secret })
}

fn new_vapid_key() -> String {
    loop {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        // Nearly every 32-byte string is a valid scalar; the loop covers the rest.
        if p256::SecretKey::from_slice(&bytes).is_ok() {
            return URL_SAFE_NO_PAD.encode(bytes);
        }
    }
}

pub fn vapid_public_key(private_b64: &str) -> anyhow::Result<String> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let bytes = URL_SAFE_NO_PAD.decode(private_b64)?;
    let key = p256::SecretKey::from_slice(&bytes).map_err(|_| anyhow::anyhow!("stored VAPID key is invalid"))?;
    Ok(URL_SAFE_NO_PAD.encode(key.public_key().to_encoded_point(false).as_bytes()))
}

/// The engine's configuration from the application's.
pub fn engine_config(config: &Config, keys: &Keys) -> EngineConfig {
    let d = &config.delivery;
    let mut e = EngineConfig::new(config.data_dir.join("outbox"), keys.vapid_private.clone());
    e.smtp_url = config.smtp_url.as_ref().map(|s| s.expose().to_string());
    e.email_from = config.email_from.clone();
    e.smtp_pool = d.smtp_pool;
    e.sms_url = config.sms_url.as_ref().map(|s| s.expose().to_string());
    e.sms_max_parts = d.sms_max_parts;
    e.sms_dlr = Some(DlrConfig { url: config.link("/hooks/sms/dlr"), secret: keys.dlr_secret.clone() });
    e.vapid_subject = config.vapid_subject.clone();
    e.push_allow_private = d.push_allow_private;
    e.rates = d.rates.clone();
    e.quiet_hours = config.quiet_hours.clone();
    e.batch_size = d.batch_size;
    e.max_attempts = d.max_attempts;
    e.fallback_order = config.fallback_order.clone();
    e.in_flight = d.in_flight;
    e.dead_after = std::time::Duration::from_secs(d.dead_worker_secs);
    e.batches_at_once = d.batches_at_once;
    e
}

/// Officials share the engine's recipient ids with residents: an official is the negative of their id (residents'
/// ids are positive). Only exercise and test alerts reach officials, by email.
pub fn official_recipient(official_id: i64) -> i64 {
    -official_id
}

/// The official behind a recipient id, if it is one.
pub fn as_official(recipient_id: i64) -> Option<i64> {
    (recipient_id < 0).then_some(-recipient_id)
}

/// Answers the engine at send time from the panel's records: the ledger's current consent, verified contact points,
/// erasure. Messages to one contact point (its verification or sign-in secret) go there even before it is verified.
pub struct PanelDirectory {
    store: DynStorage,
}

impl PanelDirectory {
    pub fn new(store: DynStorage) -> Arc<Self> {
        Arc::new(Self { store })
    }

    async fn resolve_contact(
        &self,
        contact_point_id: i64,
        items: &[(i64, Channel)],
    ) -> anyhow::Result<Vec<Resolution>> {
        let cp = self.store.contact_point(contact_point_id).await?;
        Ok(items
            .iter()
            .map(|(recipient, channel)| match &cp {
                Some(cp) if cp.resident_id == *recipient && cp.kind.channel() == *channel => {
                    Resolution::Send(match cp.kind {
                        ContactKind::Email => Address::Email(cp.value.clone()),
                        ContactKind::Phone => Address::Phone(cp.value.clone()),
                    })
                }
                Some(_) => Resolution::Skip("not this contact point".into()),
                None => Resolution::Skip("contact point removed".into()),
            })
            .collect())
    }
}

/// The broadcast purpose of a report's updates: recipients are `desk_contacts` ids.
pub const REPORT_UPDATES: &str = "report_updates";

/// The broadcast purpose of one report contact's confirmation: sent there even before it is confirmed.
pub fn desk_confirm_purpose(contact_id: i64) -> String {
    format!("desk-confirm:{contact_id}")
}

/// `Some(None)`: a report's updates (confirmed contacts only); `Some(Some(id))`: that contact's confirmation.
fn desk_purpose(purpose: &str) -> Option<Option<i64>> {
    if purpose == REPORT_UPDATES {
        return Some(None);
    }
    purpose.strip_prefix("desk-confirm:")?.parse().ok().map(Some)
}

impl PanelDirectory {
    /// Report contacts: where a report's updates (or, with `only`, that contact's confirmation) go now.
    async fn resolve_desk(&self, only: Option<i64>, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>> {
        let ids: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
        let contacts = self.store.desk_contacts_by_ids(&ids).await?;
        Ok(items
            .iter()
            .map(|(id, channel)| {
                let Some(c) = contacts.iter().find(|c| c.id == *id) else {
                    return Resolution::Skip("no such report contact".into());
                };
                let Some(value) = &c.value else { return Resolution::Skip("erased".into()) };
                let wanted = match only {
                    Some(confirming) => confirming == c.id,
                    None => c.hears(),
                };
                if !wanted {
                    let why = if c.stopped_at.is_some() { "updates stopped" } else { "not confirmed" };
                    return Resolution::Skip(why.into());
                }
                match (c.kind.as_str(), channel) {
                    ("email", Channel::Email) => Resolution::Send(Address::Email(value.clone())),
                    ("phone", Channel::Sms) => Resolution::Send(Address::Phone(value.clone())),
                    _ => Resolution::Skip("not this channel".into()),
                }
            })
            .collect())
    }

    /// A batch with officials in it (an exercise or test alert): officials by their current email, while they are
    /// active; residents as always.
    async fn resolve_with_officials(&self, purpose: &str, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>> {
        let residents: Vec<(i64, Channel)> =
            items.iter().filter(|(id, _)| as_official(*id).is_none()).cloned().collect();
        let mut resolved = hejnal_jobs::Directory::resolve(self, purpose, &residents).await?.into_iter();
        let officials = self.store.list_officials().await?;
        let mut out = Vec::with_capacity(items.len());
        for (id, channel) in items {
            let Some(official_id) = as_official(*id) else {
                out.push(resolved.next().unwrap_or_else(|| Resolution::Skip("no such recipient".into())));
                continue;
            };
            out.push(match (officials.iter().find(|o| o.id == official_id), channel) {
                (Some(o), Channel::Email) if o.active => Resolution::Send(Address::Email(o.email.as_str().to_owned())),
                (Some(o), _) if o.active => Resolution::Skip("officials get email only".into()),
                _ => Resolution::Skip("official inactive or removed".into()),
            });
        }
        Ok(out)
    }
}

#[async_trait]
impl hejnal_jobs::Directory for PanelDirectory {
    async fn resolve(&self, purpose: &str, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>> {
        if let Some(cp) = parse_contact_purpose(purpose) {
            return self.resolve_contact(cp, items).await;
        }
        if let Some(only) = desk_purpose(purpose) {
            return self.resolve_desk(only, items).await;
        }
        if items.iter().any(|(id, _)| as_official(*id).is_some()) {
            return self.resolve_with_officials(purpose, items).await;
        }
        let mut ids: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        let states = self.store.send_states(purpose, &ids).await?;
        Ok(items
            .iter()
            .map(|(id, channel)| {
                let Some(s) = states.get(id) else { return Resolution::Skip("no such recipient".into()) };
                if s.erased {
                    return Resolution::Skip("erased".into());
                }
                if !s.consented.contains(channel) {
                    let why = if s.withdrawn.contains(channel) { "consent withdrawn" } else { "no consent" };
                    return Resolution::Skip(why.into());
                }
                let address = match channel {
                    Channel::Email => s.verified_emails.first().cloned().map(Address::Email),
                    Channel::Sms => s.verified_phones.first().cloned().map(Address::Phone),
                    Channel::Push => s.push.last().map(|d| {
                        Address::Push(PushSubscription {
                            endpoint: d.endpoint.clone(),
                            p256dh: d.p256dh.clone(),
                            auth: d.auth.clone(),
                        })
                    }),
                };
                address.map(Resolution::Send).unwrap_or_else(|| {
                    Resolution::Unreachable(
                        match channel {
                            Channel::Email => "no verified email",
                            Channel::Sms => "no verified phone",
                            Channel::Push => "no push subscription",
                        }
                        .into(),
                    )
                })
            })
            .collect())
    }

    async fn address_gone(&self, recipient_id: i64, address: &Address) -> anyhow::Result<()> {
        if let Address::Push(sub) = address {
            self.store.remove_push_endpoint(&sub.endpoint).await?;
            tracing::info!(resident_id = recipient_id, "push subscription gone: removed");
        }
        Ok(())
    }
}

/// The signed token of a one-click unsubscribe link: who, which purpose, which channel.
pub fn unsubscribe_token(secret: &str, resident_id: i64, purpose: Purpose, channel: Channel) -> String {
    let payload = format!("{resident_id}.{}.{}", purpose.as_str(), channel.as_str());
    format!("{}.{}", URL_SAFE_NO_PAD.encode(&payload), sign(secret, &payload))
}

/// The resident, purpose and channel of a genuine unsubscribe token.
pub fn parse_unsubscribe_token(secret: &str, token: &str) -> Option<(i64, Purpose, Channel)> {
    let (payload, sig) = token.split_once('.')?;
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    if !crate::domain::secret_token::constant_time_eq(&sign(secret, &payload), sig) {
        return None;
    }
    let mut parts = payload.split('.');
    let id = parts.next()?.parse().ok()?;
    let purpose = parts.next()?.parse().ok()?;
    let channel = parts.next()?.parse().ok()?;
    Some((id, purpose, channel))
}

fn sign(secret: &str, payload: &str) -> String {
    crate::domain::secret_token::mac(secret, payload, 32)
}

/// The per-recipient values of a non-emergency email: `unsubscribe_url` (the engine turns it into the RFC 8058
/// `List-Unsubscribe` headers; templates may also show `{{unsubscribe_url}}` in the footer).
pub fn unsubscribe_vars(
    config: &Config,
    keys: &Keys,
    resident_id: i64,
    purpose: Purpose,
    channel: Channel,
) -> serde_json::Map<String, serde_json::Value> {
    let token = unsubscribe_token(&keys.unsubscribe_secret, resident_id, purpose, channel);
    let mut vars = serde_json::Map::new();
    vars.insert("unsubscribe_url".into(), config.link(&format!("/u/{token}")).into());
    vars
}

/// Builds the worker engine for this process.
pub async fn engine(config: &Config, store: &DynStorage) -> anyhow::Result<Arc<hejnal_jobs::Engine>> {
    let keys = keys(store).await?;
    let engine =
        hejnal_jobs::Engine::new(store.queue_db(), engine_config(config, &keys), PanelDirectory::new(store.clone()))?;
    Ok(Arc::new(engine))
}
