//! Who hears back about a report (`desk_contacts`): the reporter's contact and its followers', each with the
//! language they chose, confirmed (a link by email, a code by SMS) before anything but the confirmation is sent;
//! "is it fixed?" a week after `resolved`; contacts erased 30 days after the report closed. SQL both backends
//! understand, expanded for each by [`impl_desk_notify_store`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::storage::desk::NewTransition;

/// A contact to add to a report.
#[derive(Clone, Debug)]
pub struct NewDeskContact {
    pub report_id: i64,
    /// `reporter` or `follower`.
    pub role: &'static str,
    /// `email` or `phone`.
    pub kind: &'static str,
    pub value: String,
    pub lang: &'static str,
    /// A panel member's own verified channel (confirmed at once).
    pub resident_id: Option<i64>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The pending confirmation: `(hash of the link's token or of the code, expiry)`.
    pub secret: Option<(String, DateTime<Utc>)>,
    /// The `report_updates` consent recorded in the ledger: `(channel, notice version, method)`; none when the
    /// filing already recorded it.
    pub consent: Option<(&'static str, i64, &'static str)>,
    pub created_at: DateTime<Utc>,
}

/// A contact as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeskContact {
    pub id: i64,
    pub report_id: i64,
    pub role: String,
    pub kind: String,
    /// None once erased.
    pub value: Option<String>,
    pub lang: String,
    pub resident_id: Option<i64>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub secret_hash: Option<String>,
    pub secret_expires_at: Option<DateTime<Utc>>,
    pub secret_attempts: i64,
    pub stopped_at: Option<DateTime<Utc>>,
}

impl DeskContact {
    /// Whether updates go to this contact now: confirmed, not erased, not stopped.
    pub fn hears(&self) -> bool {
        self.value.is_some() && self.confirmed_at.is_some() && self.stopped_at.is_none()
    }
}

/// What the "is it fixed?" question needs of a report.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FixedState {
    pub state: String,
    pub unit: String,
    pub fixed_asked_at: Option<DateTime<Utc>>,
    pub fixed_answer: Option<String>,
    pub reopened: bool,
}

#[async_trait]
pub trait DeskNotifyStore: Send + Sync {
    /// Adds a contact (and its consent to the ledger) in one transaction; returns its id.
    async fn add_desk_contact(&self, c: &NewDeskContact) -> StoreResult<i64>;
    async fn desk_contact(&self, id: i64) -> StoreResult<Option<DeskContact>>;
    /// A report's contacts, oldest first.
    async fn desk_contacts(&self, report_id: i64) -> StoreResult<Vec<DeskContact>>;
    async fn desk_contacts_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<DeskContact>>;
    /// The unconfirmed contact whose pending link or code hashes to this.
    async fn desk_contact_by_secret(&self, hash: &str) -> StoreResult<Option<DeskContact>>;
    /// Sets a contact's pending confirmation (a new one replaces the old; attempts start again).
    async fn set_desk_contact_secret(&self, id: i64, hash: &str, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// Counts one wrong code; returns the attempts so far.
    async fn desk_contact_attempt(&self, id: i64) -> StoreResult<i64>;
    /// Confirms a contact (once): false when it was confirmed, erased or gone meanwhile.
    async fn confirm_desk_contact(&self, id: i64, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Stops updates to a contact and records the withdrawn consent; false when already stopped.
    async fn stop_desk_contact(&self, id: i64, notice_version: i64, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Resolved reports not asked "is it fixed?" yet, resolved at or before `resolved_before`, with someone to ask.
    async fn reports_to_ask_fixed(&self, resolved_before: DateTime<Utc>) -> StoreResult<Vec<i64>>;
    /// Marks the question asked (once): false when another process asked first.
    async fn mark_fixed_asked(&self, report_id: i64, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn fixed_state(&self, report_id: i64) -> StoreResult<Option<FixedState>>;
    /// Records the answer (once, while the report is still resolved); with `reopen`, the report goes back to its
    /// unit, flagged, in the same transaction. False when answered already or no longer resolved.
    async fn answer_fixed(
        &self,
        report_id: i64,
        answer: &str,
        reopen: Option<&NewTransition>,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Those of these reports that "is it fixed? no" reopened (flagged in the worklist).
    async fn reopened_reports(&self, ids: &[i64]) -> StoreResult<Vec<i64>>;
    /// Open reports of a service whose place is within the box `lat ± dlat`, `lon ± dlon`: `(id, lat, lon, state,
    /// filed)`, newest first (the use case keeps those truly within its radius).
    async fn open_reports_near(
        &self,
        service_code: &str,
        lat: f64,
        lon: f64,
        dlat: f64,
        dlon: f64,
    ) -> StoreResult<Vec<(i64, f64, f64, String, DateTime<Utc>)>>;
    /// Drops the duplicate-check locks older than `before` (they matter for minutes only).
    async fn prune_filing_locks(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Erases the contacts of reports closed (resolved, rejected or merged) at or before `closed_before`: the report's own
    /// contact and every contact row's value. Returns how many reports lost contacts.
    async fn erase_closed_report_contacts(&self, closed_before: DateTime<Utc>, at: DateTime<Utc>) -> StoreResult<u64>;
    /// The contacts a panel member gave as their own channels (their data export).
    async fn resident_desk_contacts(&self, resident_id: i64) -> StoreResult<Vec<DeskContact>>;
    /// Erases them (the panel member's erasure).
    async fn erase_resident_desk_contacts(&self, resident_id: i64, at: DateTime<Utc>) -> StoreResult<u64>;
}

pub(crate) const CONTACT_SELECT: &str = "SELECT id, report_id, role, kind, value, lang, resident_id, confirmed_at, \
     secret_hash, secret_expires_at, secret_attempts, stopped_at FROM desk_contacts";

mod sql;
pub(crate) use sql::impl_desk_notify_store;
