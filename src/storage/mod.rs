//! The storage interface: one trait per area, one method per use case.
//!
//! Two implementations share one body of portable SQL (see [`officials`], [`sessions`], …): the macros there expand
//! once for [`SqliteStore`] and once for [`PgStore`]. Where the dialects differ, each backend's own module says so.
//! The backend is chosen once at start-up from the URL scheme ([`connect`]).

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{
    Email, Official, Role,
    audit::{AuditEntry, NewAuditEntry},
    district::District,
};

mod access;
pub(crate) mod alerts;
mod audit;
mod backend;
pub(crate) mod cap_feeds;
pub(crate) mod consent;
pub mod desk;
pub mod desk_catalogue;
pub mod desk_merge;
pub mod desk_notify;
pub mod desk_public;
pub mod desk_worklist;
mod districts;
mod officials;
pub mod open311;
pub(crate) mod panel;
mod panel_types;
pub(crate) mod polls;
mod postgres;
pub(crate) mod resident_data;
mod secrets;
mod sessions;
mod sqlite;
mod surveys;
pub(crate) mod surveys_sql;
mod synth;

pub use alerts::{
    AlertRecord, AlertStore, HandOver, HelpRequest, NewAlert, ReplySummary, Target, TargetCounts, TargetQuery,
};
pub use cap_feeds::{CapFeedStore, FeedItem};
pub use panel_types::*;
pub use polls::PollStore;
pub use postgres::PgStore;
pub use resident_data::{ResidentDataStore, ResidentInvitation, ResidentResponse, ResidentVote};
pub use sqlite::SqliteStore;
pub use surveys::{
    AudienceFilter, CellRow, FreeText, Invitation, Member, NewInvitation, NewResponse, Publication, RevisionRow,
    SurveyRecord, SurveyStore, TallyRow,
};
pub use synth::SynthStore;

/// A storage failure. `Duplicate` is the one a caller is expected to handle (a unique key already taken).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a record with this key already exists")]
    Duplicate,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Other(anyhow::Error::new(e)),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database engine is behind the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A new official account.
#[derive(Clone, Debug)]
pub struct NewOfficial {
    pub email: Email,
    pub name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
}

/// An API token as listed to admins (never the token itself).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub official_id: i64,
    pub official_name: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a session cookie leads to.
#[derive(Clone, Debug)]
pub enum SessionLookup {
    Active(Official),
    /// The session existed but ran out (or its official was deactivated).
    Expired,
    Unknown,
}

#[async_trait]
pub trait OfficialStore: Send + Sync {
    async fn create_official(&self, new: &NewOfficial) -> StoreResult<i64>;
    async fn official(&self, id: i64) -> StoreResult<Option<Official>>;
    /// The official and their password hash, for logging in.
    async fn official_credentials(&self, email: &Email) -> StoreResult<Option<(Official, String)>>;
    async fn list_officials(&self) -> StoreResult<Vec<Official>>;
    async fn count_officials(&self) -> StoreResult<i64>;
    async fn set_roles(&self, id: i64, roles: &[Role]) -> StoreResult<bool>;
    /// Deactivating also ends the official's sessions and revokes their tokens.
    async fn set_active(&self, id: i64, active: bool, now: DateTime<Utc>) -> StoreResult<bool>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, token_hash: &str, official_id: i64, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// Looks a session up and, when active, slides its expiry to `new_expiry`.
    async fn official_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        new_expiry: DateTime<Utc>,
    ) -> StoreResult<SessionLookup>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn create_api_token(
        &self,
        official_id: i64,
        name: &str,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> StoreResult<i64>;
    /// The official a bearer token acts as, if the token is valid now.
    async fn official_by_token(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Official>>;
    async fn list_api_tokens(&self) -> StoreResult<Vec<ApiToken>>;
    async fn revoke_api_token(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn append_audit(&self, entry: &NewAuditEntry, at: DateTime<Utc>) -> StoreResult<i64>;
    /// Newest first, `limit` entries older than `before` (an entry id) when given.
    async fn list_audit(&self, limit: i64, before: Option<i64>) -> StoreResult<Vec<AuditEntry>>;
}

#[async_trait]
pub trait DistrictStore: Send + Sync {
    /// Loads the registry when it is empty; returns how many were inserted (0 when already loaded).
    async fn seed_districts(&self, districts: &[District]) -> StoreResult<usize>;
    async fn list_districts(&self) -> StoreResult<Vec<District>>;
}

#[async_trait]
pub trait SecretStore: Send + Sync {
    /// The stored value of `name`; `candidate` becomes it on first use (concurrent starts agree on one value).
    async fn secret_or_insert(&self, name: &str, candidate: &str) -> StoreResult<String>;
}

/// Everything the application stores.
#[async_trait]
pub trait Storage:
    OfficialStore
    + SessionStore
    + AuditStore
    + DistrictStore
    + SecretStore
    + PanelStore
    + AccessStore
    + ConsentStore
    + SynthStore
    + AlertStore
    + PollStore
    + SurveyStore
    + ResidentDataStore
    + CapFeedStore
    + desk::DeskStore
    + desk_catalogue::CatalogueStore
    + open311::Open311Store
    + desk_public::DeskPublicStore
    + desk_notify::DeskNotifyStore
    + desk_merge::DeskMergeStore
    + desk_worklist::DeskWorklistStore
{
    fn backend(&self) -> Backend;
    /// The database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// The delivery queue's tables answer.
    async fn queue_ping(&self) -> StoreResult<()>;
    /// The queue's own view of this database (for `hejnal-jobs`).
    fn queue_db(&self) -> hejnal_jobs::QueueDb;
    async fn close(&self);
}

pub type DynStorage = Arc<dyn Storage>;

/// Opens the database named by the URL, applies migrations (the application's and the queue's), returns the store.
/// `pool`: the connection pool's size (default 8 on SQLite, 16 on PostgreSQL).
pub async fn connect(url: &str, pool: Option<u32>) -> anyhow::Result<DynStorage> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url, pool).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url, pool).await?))
    } else {
        anyhow::bail!("HEJNAL_DATABASE_URL must start with sqlite:// or postgres://")
    }
}

/// Groups `(official_id, role)` rows onto officials read without their roles.
fn attach_roles(officials: &mut [Official], roles: Vec<(i64, String)>) {
    for (id, role) in roles {
        if let (Some(o), Ok(r)) = (officials.iter_mut().find(|o| o.id == id), role.parse::<Role>()) {
            o.roles.push(r);
        }
    }
    for o in officials {
        o.roles.sort();
    }
}

/// The row shape shared by both backends.
#[derive(sqlx::FromRow)]
struct OfficialRow {
    id: i64,
    email: String,
    name: String,
    active: bool,
}

impl OfficialRow {
    fn into_official(self) -> StoreResult<Official> {
        let email = Email::parse(&self.email)
            .map_err(|_| StoreError::Other(anyhow::anyhow!("stored email of official {} is invalid", self.id)))?;
        Ok(Official { id: self.id, email, name: self.name, roles: Vec::new(), active: self.active })
    }
}
