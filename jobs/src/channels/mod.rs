//! One trait, one implementation per channel. A transport sends one message and says what happened; it never
//! touches the database.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::model::{Address, Channel, Content, Priority};

pub mod email;
pub mod push;
pub mod push_guard;
pub mod segments;
pub mod sms;
mod smtp_wire;

/// One message on its way to one address.
#[derive(Debug)]
pub struct Outgoing<'a> {
    pub delivery_id: i64,
    pub broadcast_id: i64,
    pub address: &'a Address,
    /// Already personalised.
    pub content: &'a Content,
    pub priority: Priority,
    pub expires_at: DateTime<Utc>,
    pub topic: Option<&'a str>,
    /// One-click unsubscribe link (RFC 8058), for non-emergency email.
    pub unsubscribe_url: Option<&'a str>,
}

/// What a send came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Sent {
        provider_id: Option<String>,
    },
    /// Try again later (SMTP 4xx, connection errors, HTTP 5xx, 429).
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// Never try this address again for this message (SMTP 5xx, 404/410, 413, too long).
    Failed {
        reason: String,
        address_gone: bool,
    },
}

impl Outcome {
    pub fn retry(reason: impl Into<String>) -> Self {
        Outcome::Retry { reason: reason.into(), after: None }
    }
    pub fn failed(reason: impl Into<String>) -> Self {
        Outcome::Failed { reason: reason.into(), address_gone: false }
    }
}

#[async_trait]
pub trait Transport: Send + Sync {
    fn channel(&self) -> Channel;
    /// Names the provider (for rate limits and metrics), e.g. `smtp`, `file`, `kannel`.
    fn provider(&self) -> &str;
    async fn send(&self, message: &Outgoing<'_>) -> Outcome;
}

/// The wrong kind of address for a transport: a programming error upstream, recorded as a failure.
pub(crate) fn wrong_address(channel: Channel) -> Outcome {
    Outcome::failed(format!("no {channel} address"))
}
