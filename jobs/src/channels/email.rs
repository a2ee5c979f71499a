//! Email over SMTP, or into `.eml` files when no SMTP server is configured. lettre builds the message; the wire is
//! [`super::smtp_wire`] (pooled connections, several messages each, PIPELINING when the server offers it).

use std::{path::PathBuf, time::Duration};

use async_trait::async_trait;
use lettre::{
    AsyncFileTransport, AsyncTransport, Message, Tokio1Executor,
    message::{MultiPart, SinglePart, header::HeaderName, header::HeaderValue},
};

use super::smtp_wire::{Failure, SmtpConfig, SmtpPool};
use super::{Outcome, Outgoing, Transport, wrong_address};
use crate::model::{Address, Channel};

/// Whether `s` is a mailbox like `Name <name@example.org>`.
pub fn valid_mailbox(s: &str) -> bool {
    s.parse::<lettre::message::Mailbox>().is_ok()
}

enum Sender {
    Smtp(SmtpPool),
    File(AsyncFileTransport<Tokio1Executor>),
}

pub struct EmailTransport {
    sender: Sender,
    from: lettre::message::Mailbox,
    /// The domain in `Message-ID`s.
    domain: String,
}

impl EmailTransport {
    /// `smtp://host:port`, `smtps://host:port`, `smtp://user:pass@host:587?tls=starttls`; `None` writes `.eml`
    /// files into `outbox`.
    pub fn new(smtp_url: Option<&str>, outbox: PathBuf, from: &str, pool_size: u32) -> anyhow::Result<Self> {
        let from: lettre::message::Mailbox =
            from.parse().map_err(|e| anyhow::anyhow!("HEJNAL_EMAIL_FROM is not a mailbox: {e}"))?;
        let domain = from.email.domain().to_string();
        let sender = match smtp_url {
            Some(url) => {
                let config = SmtpConfig::from_url(url, Duration::from_secs(20))
                    .map_err(|e| anyhow::anyhow!("HEJNAL_SMTP_URL is not usable: {e}"))?;
                Sender::Smtp(SmtpPool::new(config, pool_size))
            }
            None => {
                std::fs::create_dir_all(&outbox)?;
                Sender::File(AsyncFileTransport::<Tokio1Executor>::new(outbox))
            }
        };
        Ok(Self { sender, from, domain })
    }

    fn build(&self, m: &Outgoing<'_>, to: &str) -> Result<Message, String> {
        let to: lettre::message::Mailbox = to.parse().map_err(|_| "invalid email address".to_string())?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.content.subject.clone().unwrap_or_default())
            .message_id(Some(format!("<d{}.b{}@{}>", m.delivery_id, m.broadcast_id, self.domain)))
            .date_now();
        if let Some(url) = m.unsubscribe_url {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_string(),
                ));
        }
        let text = SinglePart::plain(m.content.text.clone());
        let message = match &m.content.html {
            Some(html) => {
                builder.multipart(MultiPart::alternative().singlepart(text).singlepart(SinglePart::html(html.clone())))
            }
            None => builder.singlepart(text),
        };
        message.map_err(|e| format!("cannot build the email: {e}"))
    }
}

#[async_trait]
impl Transport for EmailTransport {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn provider(&self) -> &str {
        match self.sender {
            Sender::Smtp(_) => "smtp",
            Sender::File(_) => "file",
        }
    }

    async fn send(&self, m: &Outgoing<'_>) -> Outcome {
        let Address::Email(to) = m.address else { return wrong_address(Channel::Email) };
        let message = match self.build(m, to) {
            Ok(message) => message,
            Err(reason) => return Outcome::Failed { reason, address_gone: false },
        };
        match &self.sender {
            Sender::Smtp(smtp) => {
                let envelope = message.envelope();
                let Some(from) = envelope.from() else { return Outcome::failed("cannot build the email: no sender") };
                let Some(to) = envelope.to().first() else {
                    return Outcome::failed("cannot build the email: no recipient");
                };
                match smtp.send(from, to, &message.formatted()).await {
                    Ok(response) => {
                        Outcome::Sent { provider_id: response.first_line().map(|l| l.chars().take(120).collect()) }
                    }
                    Err(Failure::Smtp(e)) if e.is_permanent() => Outcome::Failed {
                        reason: format!("SMTP refused: {}", e.status().map(|c| c.to_string()).unwrap_or_default()),
                        address_gone: e.status().is_some_and(|c| c.to_string().starts_with("55")),
                    },
                    // The server's text may quote the address: only codes and kinds are kept.
                    Err(Failure::Smtp(e)) => Outcome::retry(match e.status() {
                        Some(code) => format!("SMTP temporary failure {code}"),
                        None if e.is_timeout() => "SMTP timeout".to_string(),
                        None => "SMTP connection failed".to_string(),
                    }),
                    Err(Failure::Timeout) => Outcome::retry("SMTP timeout"),
                    Err(Failure::NoStartTls) => Outcome::retry("SMTP connection failed"),
                    Err(Failure::Unsupported) => Outcome::retry("SMTP connection failed"),
                }
            }
            Sender::File(file) => match file.send(message).await {
                Ok(id) => Outcome::Sent { provider_id: Some(id) },
                Err(_) => Outcome::retry("email outbox not writable"),
            },
        }
    }
}
