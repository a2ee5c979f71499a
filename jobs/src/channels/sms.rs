//! SMS through Kannel's `sendsms` interface (with delivery reports back to hejnał), a generic JSON webhook gateway,
//! or — when nothing is configured — a local log file, one line per message.

use std::{path::PathBuf, time::Duration};

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::AsyncWriteExt;

use super::{Outcome, Outgoing, Transport, segments, wrong_address};
use crate::model::{Address, Channel};

/// Kannel's `dlr-mask`: delivered (1) + failed (2) + SMSC accepted (8) + SMSC rejected (16).
pub const DLR_MASK: u32 = 1 + 2 + 8 + 16;

/// Where delivery reports go, and the key that signs their URLs so nobody else can forge one.
#[derive(Clone, Debug)]
pub struct DlrConfig {
    /// e.g. `http://127.0.0.1:8080/hooks/sms/dlr`
    pub url: String,
    pub secret: String,
}

/// The signature a delivery-report URL carries for delivery `id`.
pub fn dlr_signature(secret: &str, id: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(id.to_string().as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

enum Gateway {
    Kannel { base: String, username: String, password: String, from: String, dlr: Option<DlrConfig> },
    Webhook { url: String },
    File { path: PathBuf },
}

pub struct SmsTransport {
    gateway: Gateway,
    http: reqwest::Client,
    max_parts: usize,
}

impl SmsTransport {
    /// `kannel://user:pass@host:13013?from=KRAKOW`, `https://…` (JSON webhook), or `None` for `outbox` (a log file).
    pub fn new(url: Option<&str>, outbox: PathBuf, max_parts: usize, dlr: Option<DlrConfig>) -> anyhow::Result<Self> {
        let gateway = match url {
            None => {
                if let Some(dir) = outbox.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                Gateway::File { path: outbox }
            }
            Some(raw) if raw.starts_with("kannel://") => {
                let u = url::Url::parse(raw).map_err(|e| anyhow::anyhow!("HEJNAL_SMS_URL is not a URL: {e}"))?;
                let host = u.host_str().ok_or_else(|| anyhow::anyhow!("HEJNAL_SMS_URL has no host"))?;
                let from = u.query_pairs().find(|(k, _)| k == "from").map(|(_, v)| v.into_owned()).unwrap_or_default();
                Gateway::Kannel {
                    base: format!("http://{host}:{}/cgi-bin/sendsms", u.port().unwrap_or(13013)),
                    username: u.username().to_string(),
                    password: u.password().unwrap_or_default().to_string(),
                    from,
                    dlr,
                }
            }
            Some(raw) if raw.starts_with("https://") || raw.starts_with("http://") => {
                Gateway::Webhook { url: raw.to_string() }
            }
            Some(_) => anyhow::bail!("HEJNAL_SMS_URL must be kannel://…, https://… or unset"),
        };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| anyhow::anyhow!("HTTP client: {e}"))?;
        Ok(Self { gateway, http, max_parts })
    }

    async fn kannel(&self, m: &Outgoing<'_>, to: &str, text: &str, ucs2: bool) -> Outcome {
        let Gateway::Kannel { base, username, password, from, dlr } = &self.gateway else { unreachable!() };
        let mut query: Vec<(&str, String)> = vec![
            ("username", username.clone()),
            ("password", password.clone()),
            ("from", from.clone()),
            ("to", to.to_string()),
            ("text", text.to_string()),
            ("charset", "UTF-8".into()),
            ("coding", if ucs2 { "2" } else { "0" }.into()),
        ];
        if let Some(dlr) = dlr {
            let sig = dlr_signature(&dlr.secret, m.delivery_id);
            query.push(("dlr-mask", DLR_MASK.to_string()));
            query.push(("dlr-url", format!("{}?delivery={}&sig={sig}&status=%d", dlr.url, m.delivery_id)));
        }
        let response = match self.http.get(base).query(&query).send().await {
            Ok(r) => r,
            Err(_) => return Outcome::retry("SMS gateway unreachable"),
        };
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        match status {
            200..=299 => Outcome::Sent { provider_id: Some(m.delivery_id.to_string()) },
            500..=599 => Outcome::retry(format!("SMS gateway busy ({status})")),
            _ => Outcome::failed(format!(
                "SMS gateway refused ({status}): {}",
                body.trim().chars().take(80).collect::<String>()
            )),
        }
    }

    async fn webhook(&self, m: &Outgoing<'_>, to: &str, text: &str) -> Outcome {
        let Gateway::Webhook { url } = &self.gateway else { unreachable!() };
        let body = serde_json::json!({ "to": to, "text": text, "reference": m.delivery_id.to_string() });
        match self.http.post(url).json(&body).send().await {
            Ok(r) if r.status().is_success() => Outcome::Sent { provider_id: Some(m.delivery_id.to_string()) },
            Ok(r) if r.status().is_server_error() || r.status().as_u16() == 429 => {
                Outcome::retry(format!("SMS webhook busy ({})", r.status().as_u16()))
            }
            Ok(r) => Outcome::failed(format!("SMS webhook refused ({})", r.status().as_u16())),
            Err(_) => Outcome::retry("SMS webhook unreachable"),
        }
    }

    async fn file(&self, m: &Outgoing<'_>, to: &str, text: &str, parts: usize) -> Outcome {
        let Gateway::File { path } = &self.gateway else { unreachable!() };
        let line = format!(
            "{} delivery={} to={to} parts={parts} text={}\n",
            chrono::Utc::now().to_rfc3339(),
            m.delivery_id,
            text.replace('\n', "\\n")
        );
        let file = tokio::fs::OpenOptions::new().create(true).append(true).open(path).await;
        match file {
            Ok(mut f) => match f.write_all(line.as_bytes()).await {
                Ok(()) => Outcome::Sent { provider_id: Some(m.delivery_id.to_string()) },
                Err(_) => Outcome::retry("SMS outbox not writable"),
            },
            Err(_) => Outcome::retry("SMS outbox not writable"),
        }
    }
}

#[async_trait]
impl Transport for SmsTransport {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn provider(&self) -> &str {
        match self.gateway {
            Gateway::Kannel { .. } => "kannel",
            Gateway::Webhook { .. } => "webhook",
            Gateway::File { .. } => "file",
        }
    }

    async fn send(&self, m: &Outgoing<'_>) -> Outcome {
        let Address::Phone(to) = m.address else { return wrong_address(Channel::Sms) };
        let text = m.content.text.as_str();
        let size = segments::measure(text);
        if size.parts > self.max_parts {
            return Outcome::failed(format!("SMS too long: {} parts, at most {}", size.parts, self.max_parts));
        }
        let ucs2 = size.encoding == segments::Encoding::Ucs2;
        match self.gateway {
            Gateway::Kannel { .. } => self.kannel(m, to, text, ucs2).await,
            Gateway::Webhook { .. } => self.webhook(m, to, text).await,
            Gateway::File { .. } => self.file(m, to, text, size.parts).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dlr_signatures_depend_on_key_and_id() {
        assert_eq!(dlr_signature("k", 1), dlr_signature("k", 1));
        assert_ne!(dlr_signature("k", 1), dlr_signature("k", 2));
        assert_ne!(dlr_signature("k", 1), dlr_signature("other", 1));
        assert_eq!(dlr_signature("k", 1).len(), 32);
    }
}
