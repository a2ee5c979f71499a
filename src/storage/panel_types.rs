//! What the panel stores and reads: residents, contact points, secrets, sessions, push subscriptions, the consent
//! ledger and the notices. The SQL is in [`super::panel`] and [`super::consent`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::panel::{AgeBand, Channel, ConsentMethod, ContactKind, Purpose};

/// A resident joining (or imported).
#[derive(Clone, Debug)]
pub struct NewResident {
    pub language: String,
    pub home_district: i64,
    pub other_districts: Vec<i64>,
    pub age_band: Option<AgeBand>,
    pub interests: Vec<String>,
    /// `(kind, normalised value)`; at least one.
    pub contacts: Vec<(ContactKind, String)>,
    pub consents: Vec<(Purpose, Channel)>,
    pub method: ConsentMethod,
    pub notice_version: i64,
    /// Imported residents come verified (the legal basis says how the city knows them).
    pub verified: bool,
    pub legal_basis: Option<String>,
}

/// A resident created: their id and each new contact point's id.
#[derive(Clone, Debug)]
pub struct CreatedResident {
    pub id: i64,
    pub contact_points: Vec<(i64, ContactKind)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ContactPoint {
    pub id: i64,
    pub resident_id: i64,
    pub kind: ContactKind,
    pub value: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Resident {
    pub id: i64,
    pub language: String,
    pub home_district: Option<i64>,
    pub other_districts: Vec<i64>,
    pub age_band: Option<String>,
    pub interests: Vec<String>,
    pub monthly_survey_limit: i64,
    /// Receives exercise and test alerts.
    pub test_group: bool,
    pub created_at: DateTime<Utc>,
    pub verified_at: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
    pub contact_points: Vec<ContactPoint>,
    /// Shared on the /me page for alerts drawn as polygons or circles.
    pub home_point: Option<crate::domain::geo::Point>,
}

/// The editable part of a profile.
#[derive(Clone, Debug)]
pub struct ProfileUpdate {
    pub language: String,
    pub home_district: i64,
    pub other_districts: Vec<i64>,
    pub age_band: Option<AgeBand>,
    pub interests: Vec<String>,
    pub monthly_survey_limit: i64,
    pub test_group: bool,
}

/// What a one-time secret is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretPurpose {
    Verify,
    SignIn,
}

impl SecretPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretPurpose::Verify => "verify",
            SecretPurpose::SignIn => "signin",
        }
    }
}

/// The answer to a link token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkCheck {
    Valid { resident_id: i64, contact_point_id: i64 },
    Expired,
    Used,
    Unknown,
}

/// The answer to a code typed in. A code whose tries are used up answers like no code at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Valid { resident_id: i64 },
    Wrong,
    Expired,
    NoCode,
}

#[derive(Clone, Debug, Serialize)]
pub struct PushDevice {
    pub id: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
}

/// What the directory needs about one recipient at send time.
#[derive(Clone, Debug, Default)]
pub struct SendState {
    pub erased: bool,
    pub verified_emails: Vec<String>,
    pub verified_phones: Vec<String>,
    pub push: Vec<PushDevice>,
    /// Channels with a current grant for the purpose asked about.
    pub consented: Vec<Channel>,
    /// Channels whose latest event for the purpose is a withdrawal.
    pub withdrawn: Vec<Channel>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConsentEvent {
    pub id: i64,
    pub resident_id: i64,
    pub purpose: String,
    pub channel: String,
    pub granted: bool,
    pub notice_version: i64,
    pub at: DateTime<Utc>,
    pub method: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub version: i64,
    pub published_at: DateTime<Utc>,
    pub text_pl: String,
    pub text_en: String,
    pub text_uk: String,
}

/// Counts for the officials' view of the panel (verified, not erased residents).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PanelCounts {
    pub verified_residents: i64,
    /// `(district number, residents)`.
    pub by_district: Vec<(i64, i64)>,
    pub by_age_band: Vec<(String, i64)>,
    pub by_language: Vec<(String, i64)>,
    /// Residents with a current grant on the channel (any purpose).
    pub by_channel: Vec<(String, i64)>,
    /// Residents with a current grant for the purpose (any channel).
    pub by_purpose: Vec<(String, i64)>,
    /// `(YYYY-MM-DD, sign-ups that day)`.
    pub signups_by_day: Vec<(String, i64)>,
}

#[async_trait]
pub trait PanelStore: Send + Sync {
    /// Creates a resident with contact points, interests, districts and initial consents (ledger events), in one
    /// transaction. `Ok(None)` when one of the contact points is already registered (nothing is stored).
    async fn create_resident(&self, new: &NewResident, now: DateTime<Utc>) -> StoreResult<Option<CreatedResident>>;
    async fn resident(&self, id: i64) -> StoreResult<Option<Resident>>;
    async fn update_profile(&self, id: i64, update: &ProfileUpdate) -> StoreResult<()>;
    /// Shares (or, with `None`, removes) the resident's home point; false when there is no such resident.
    async fn set_home_point(&self, id: i64, point: Option<crate::domain::geo::Point>) -> StoreResult<bool>;
    async fn contact_point(&self, id: i64) -> StoreResult<Option<ContactPoint>>;
    async fn contact_point_by_value(&self, kind: ContactKind, value: &str) -> StoreResult<Option<ContactPoint>>;
    /// `Err(Duplicate)` when the value is already registered to anyone.
    async fn add_contact_point(
        &self,
        resident_id: i64,
        kind: ContactKind,
        value: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    async fn remove_contact_point(&self, resident_id: i64, id: i64) -> StoreResult<bool>;
    /// Art. 17: deletes contact points, profile fields, districts, interests, push subscriptions and sessions;
    /// keeps the resident id and the consent ledger.
    async fn erase_resident(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Erases sign-ups never verified and created before `cutoff`; returns how many.
    async fn purge_unverified(&self, cutoff: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<u64>;
    /// At send time: each recipient's state for a purpose (missing ids are unknown residents).
    async fn send_states(&self, purpose: &str, ids: &[i64]) -> StoreResult<std::collections::HashMap<i64, SendState>>;
    async fn panel_counts(&self) -> StoreResult<PanelCounts>;
}

/// Residents' one-time secrets, sessions and push subscriptions.
#[async_trait]
pub trait AccessStore: Send + Sync {
    /// Stores a hashed one-time secret for a contact point.
    async fn create_secret(
        &self,
        contact_point_id: i64,
        purpose: SecretPurpose,
        is_code: bool,
        secret_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Codes (not links) created for a contact point since `since`: the daily cap on texts to one number.
    async fn codes_created_since(&self, contact_point_id: i64, since: DateTime<Utc>) -> StoreResult<i64>;
    /// What a link token would do, changing nothing: a page shows it before a button uses it (mail scanners open
    /// links, and a GET must not use them up).
    async fn peek_link(&self, secret_hash: &str, purpose: SecretPurpose, now: DateTime<Utc>) -> StoreResult<LinkCheck>;
    /// Uses a link token once; a verification link also marks the contact point (and resident) verified.
    async fn use_link(&self, secret_hash: &str, purpose: SecretPurpose, now: DateTime<Utc>) -> StoreResult<LinkCheck>;
    /// Checks a code (hashed as [`crate::domain::panel::code_hash`]) against the contact point's newest unused code:
    /// every try counts (atomically); after `max_tries` the code is dead.
    async fn use_code(
        &self,
        contact_point_id: i64,
        purpose: SecretPurpose,
        code_hash: &str,
        max_tries: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<CodeCheck>;
    async fn create_resident_session(
        &self,
        token_hash: &str,
        resident_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The resident behind a session (sliding its expiry), unless expired or erased.
    async fn resident_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        new_expiry: DateTime<Utc>,
    ) -> StoreResult<Option<i64>>;
    async fn delete_resident_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Stores (or moves to this resident) a push subscription, by endpoint.
    async fn add_push(
        &self,
        resident_id: i64,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    async fn list_push(&self, resident_id: i64) -> StoreResult<Vec<PushDevice>>;
    async fn remove_push(&self, resident_id: i64, id: i64) -> StoreResult<bool>;
    async fn remove_push_endpoint(&self, endpoint: &str) -> StoreResult<()>;
}

#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// Appends ledger events and updates the current state, in one transaction. Returns the event ids.
    async fn record_consents(
        &self,
        resident_id: i64,
        changes: &[(Purpose, Channel, bool)],
        notice_version: i64,
        method: ConsentMethod,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>>;
    /// The resident's ledger, oldest first.
    async fn consent_history(&self, resident_id: i64) -> StoreResult<Vec<ConsentEvent>>;
    /// The derived current state: `(purpose, channel, granted)`.
    async fn current_consents(&self, resident_id: i64) -> StoreResult<Vec<(String, String, bool)>>;
    async fn current_notice(&self) -> StoreResult<Option<Notice>>;
    /// Publishes a new version (numbered after the newest); returns it.
    async fn publish_notice(&self, texts: [&str; 3], now: DateTime<Utc>) -> StoreResult<i64>;
    /// Publishes version 1 when no notice exists yet.
    async fn seed_notice(&self, texts: [&str; 3], now: DateTime<Utc>) -> StoreResult<bool>;
    /// The newest version the resident reviewed (or joined under).
    async fn reviewed_notice(&self, resident_id: i64) -> StoreResult<Option<i64>>;
    async fn review_notice(&self, resident_id: i64, version: i64, now: DateTime<Utc>) -> StoreResult<()>;
}
