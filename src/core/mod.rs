//! The core: what every use case needs, and nothing of the web.
//!
//! The use cases (`alerts`, `surveys`, `polls`, the panel's, the officials' administration) take a [`Core`] and
//! return a [`CoreError`]. The web holds a `Core` inside its own state and maps `CoreError` to status codes in one
//! place; the background loops run from a `Core` alone, so a worker process builds no web state.

pub mod error;
pub mod filings;
pub mod later;
pub mod memo;
pub mod messages;
pub mod responses;

use std::sync::Arc;

use anyhow::Context as _;

pub use self::error::{CoreError, CoreResult, FieldIssue, Refusal};
use self::{
    later::Later,
    memo::Memo,
    messages::MessageTemplates,
    responses::{ResponseWriter, SurveyCache},
};
use crate::{config::Config, delivery::Keys, storage::DynStorage};

/// Sign-in requests whose work (finding the contact, creating the secret, queueing the message) runs at once, at
/// most; more wait, up to the backlog, and beyond it are dropped (the rate limits keep that far away).
pub const SIGNIN_WORK_AT_ONCE: usize = 8;
pub const SIGNIN_WORK_BACKLOG: usize = 1_000;

#[derive(Clone)]
pub struct Core {
    pub config: Arc<Config>,
    pub store: DynStorage,
    /// Keys kept in the database (VAPID, delivery-report and link-signing secrets).
    pub keys: Arc<Keys>,
    /// What residents receive, rendered from `templates/messages/`.
    pub messages: Arc<MessageTemplates>,
    /// Group commit for survey responses.
    pub responses: ResponseWriter,
    /// Group commit for the desk's reports.
    pub filings: filings::ReportFiler,
    pub survey_cache: SurveyCache,
    /// Survey results per survey and language, until a response arrives or the questionnaire changes.
    pub results_cache: Memo,
    /// Values read often and changed rarely (the desk's catalogue), kept for a few seconds.
    pub recent: memo::Recent,
    /// Photo decodes allowed at once: two per core (the intervention desk's uploads).
    pub photo_slots: Arc<tokio::sync::Semaphore>,
    /// The work behind a sign-in request, done after the answer (so known and unknown contacts answer alike).
    pub signin_work: Later,
    /// Confirmations sent to one email or phone given for a report (filing or following): three at once, then one
    /// every two minutes, however many clients ask — nobody floods a stranger through the desk.
    pub desk_confirmations: Arc<governor::DefaultKeyedRateLimiter<String>>,
}

impl Core {
    pub async fn new(config: Config, store: DynStorage) -> anyhow::Result<Self> {
        Ok(Self {
            keys: Arc::new(crate::delivery::keys(&store).await.context("reading the keys failed")?),
            messages: Arc::new(MessageTemplates::load().context("loading the message templates failed")?),
            responses: ResponseWriter::start(store.clone()),
            filings: filings::ReportFiler::start(store.clone()),
            survey_cache: Default::default(),
            results_cache: Default::default(),
            recent: Default::default(),
            photo_slots: Arc::new(tokio::sync::Semaphore::new(
                2 * std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            )),
            signin_work: Later::new(SIGNIN_WORK_AT_ONCE, SIGNIN_WORK_BACKLOG),
            desk_confirmations: Arc::new(governor::RateLimiter::keyed(
                governor::Quota::with_period(std::time::Duration::from_secs(120))
                    .expect("a positive period")
                    .allow_burst(std::num::NonZeroU32::new(3).expect("a positive burst")),
            )),
            config: Arc::new(config),
            store,
        })
    }
}

#[cfg(test)]
mod walls;
