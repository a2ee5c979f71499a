//! What the engine is given and what it reports: broadcasts, recipients, addresses, outcomes.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A way to reach a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Push,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Email, Channel::Push, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Push => "push",
            Channel::Sms => "sms",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown channel '{s}'"))
    }
}

/// Emergencies overtake everything; service announcements go before survey invitations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Emergency,
    Service,
    Survey,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Emergency, Priority::Service, Priority::Survey];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Emergency => "emergency",
            Priority::Service => "service",
            Priority::Survey => "survey",
        }
    }

    pub(crate) fn queue(self) -> &'static str {
        match self {
            Priority::Emergency => "hejnal.delivery.emergency",
            Priority::Service => "hejnal.delivery.service",
            Priority::Survey => "hejnal.delivery.survey",
        }
    }
}

impl FromStr for Priority {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| format!("unknown priority '{s}'"))
    }
}

/// One rendering of the message, for one channel and one language. `{{name}}` placeholders are filled from the
/// recipient's `vars` at send time (personal links, unsubscribe URLs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Content {
    /// Email subject, push title.
    pub subject: Option<String>,
    /// Plain text: the email's text part, the SMS, the push body.
    pub text: String,
    /// The email's HTML part.
    pub html: Option<String>,
    /// Where a push notification opens.
    pub url: Option<String>,
}

/// A person to reach, with the channels to use and the language of the message.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Recipient {
    pub id: i64,
    pub language: String,
    pub channels: Vec<Channel>,
    /// Placeholder values for this recipient only.
    pub vars: Option<serde_json::Map<String, serde_json::Value>>,
}

/// What the application hands the engine.
#[derive(Clone, Debug)]
pub struct NewBroadcast {
    /// Makes `submit` idempotent: submitting the same key again continues or returns the same broadcast.
    pub key: String,
    /// A label for operators (`alert`, `announcement`, `survey-invitation`, …).
    pub kind: String,
    /// The consent purpose the application checks at send time.
    pub purpose: String,
    pub priority: Priority,
    pub expires_at: DateTime<Utc>,
    /// Web push `Topic`: a newer push with the same topic replaces a pending one.
    pub topic: Option<String>,
    /// Renderings by channel and language. A recipient whose language is missing gets `fallback_language`.
    pub contents: Vec<(Channel, String, Content)>,
    pub fallback_language: String,
    /// Sent even during quiet hours (a verification code someone is waiting for). Emergencies always are.
    pub quiet_hours_exempt: bool,
}

/// A web push subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Where to send, resolved by the application at send time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    Email(String),
    Phone(String),
    Push(PushSubscription),
}

/// The application's answer at send time for one (recipient, channel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    Send(Address),
    /// Not sent, with the reason recorded (`consent withdrawn`, `erased`, …).
    Skip(String),
    /// No usable address on this channel (no push subscription, no verified phone): for emergencies the engine
    /// falls back to the recipient's next channel.
    Unreachable(String),
}

/// A delivery's state. Stored as its `as_str` name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Queued,
    Sending,
    Sent,
    Delivered,
    Failed,
    Skipped,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Queued, Status::Sending, Status::Sent, Status::Delivered, Status::Failed, Status::Skipped];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }

    /// `claimed` rows (taken by a worker, not yet on the wire) count as queued.
    pub fn from_db(s: &str) -> Option<Status> {
        match s {
            "queued" | "claimed" => Some(Status::Queued),
            other => Status::ALL.into_iter().find(|st| st.as_str() == other),
        }
    }
}
