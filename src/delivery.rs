//! The application's side of the delivery engine: its configuration, the keys it keeps, and the directory the
//! engine asks at send time.

use std::sync::Arc;

use async_trait::async_trait;
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use hejnal_jobs::{Address, Channel, DlrConfig, EngineConfig, Resolution};
use rand::RngCore;

use crate::{config::Config, storage::DynStorage};

/// Keys kept in the database so every process of a deployment uses the same ones.
pub struct Keys {
    /// base64url of the 32-byte P-256 private scalar.
    pub vapid_private: String,
    /// base64url of the uncompressed public point: what browsers subscribe with.
    pub vapid_public: String,
    pub dlr_secret: String,
}

/// Reads the keys, generating them on first start.
pub async fn keys(store: &DynStorage) -> anyhow::Result<Keys> {
    let vapid_private = store.secret_or_insert("vapid_private_key", &new_vapid_key()).await?;
    let vapid_public = vapid_public_key(&vapid_private)?;
    let dlr_secret = store.secret_or_insert("dlr_secret", &crate::domain::secret_token::generate("")).await?;
    Ok(Keys { vapid_private, vapid_public, dlr_secret })
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
    e.rates = d.rates.clone();
    e.quiet_hours = config.quiet_hours.clone();
    e.batch_size = d.batch_size;
    e.max_attempts = d.max_attempts;
    e.fallback_order = config.fallback_order.clone();
    e.in_flight = d.in_flight;
    e.dead_after = std::time::Duration::from_secs(d.dead_worker_secs);
    e
}

/// Answers the engine at send time from the panel's records.
pub struct PanelDirectory {
    #[allow(dead_code)]
    store: DynStorage,
}

impl PanelDirectory {
    pub fn new(store: DynStorage) -> Arc<Self> {
        Arc::new(Self { store })
    }
}

#[async_trait]
impl hejnal_jobs::Directory for PanelDirectory {
    async fn resolve(&self, _purpose: &str, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>> {
        Ok(items.iter().map(|_| Resolution::Skip("no such recipient".into())).collect())
    }

    async fn address_gone(&self, _recipient_id: i64, _address: &Address) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Builds the worker engine for this process.
pub async fn engine(config: &Config, store: &DynStorage) -> anyhow::Result<Arc<hejnal_jobs::Engine>> {
    let keys = keys(store).await?;
    let engine =
        hejnal_jobs::Engine::new(store.queue_db(), engine_config(config, &keys), PanelDirectory::new(store.clone()))?;
    Ok(Arc::new(engine))
}
