//! Surveys, invitations, responses and their tallies, in SQL both backends understand.
//!
//! A response is recorded in one transaction that also marks the invitation answered (only if it was not), adds one
//! to every tally it touches and files its free-text answers apart from it — so one invitation gives at most one
//! response, and results read small tables however many responses there are.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::StoreResult;
use crate::domain::{
    lifecycle::SurveyState,
    survey::{SurveyDef, Text},
};

/// How many respondents in one cell (district × age band) gave one answer key to one question. `district` 0 and
/// `age_band` "" mean "not known" (a resident who did not give an age band).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TallyRow {
    pub question: String,
    pub key: String,
    pub district: i64,
    pub age_band: String,
    pub n: i64,
}

/// How many people (respondents, or invitations) fall in one cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CellRow {
    pub district: i64,
    pub age_band: String,
    pub n: i64,
}

/// What the city publishes of a survey.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    /// The questions whose results are public.
    #[serde(default)]
    pub questions: Vec<String>,
    /// "You said — we did", filled in when the city decides.
    #[serde(default)]
    pub said_we_did: Text,
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SurveyRecord {
    pub id: i64,
    pub state: SurveyState,
    pub def: SurveyDef,
    pub author_id: i64,
    pub created_at: DateTime<Utc>,
    pub launched_at: Option<DateTime<Utc>>,
    /// The launch plan as JSON (audience, sampling, allocation, counts).
    pub launch: Option<serde_json::Value>,
    pub publication: Publication,
}

/// One recorded wording fix.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct RevisionRow {
    pub at: DateTime<Utc>,
    pub official: String,
    pub note: String,
}

/// Someone the survey may be sent to, with the one channel it would use.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub resident_id: i64,
    pub district: i64,
    pub age_band: String,
    pub language: String,
    pub channel: String,
    /// Reached their own limit of survey invitations in the last 30 days: not invited, counted as skipped.
    pub capped: bool,
}

/// Who the audience is, before sampling.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AudienceFilter {
    #[serde(default)]
    pub districts: Vec<i64>,
    #[serde(default)]
    pub age_bands: Vec<String>,
    #[serde(default)]
    pub interests: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct NewInvitation {
    pub resident_id: i64,
    pub token_hash: String,
    pub district: i64,
    pub age_band: String,
    pub channel: String,
    pub language: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Invitation {
    pub id: i64,
    pub survey_id: i64,
    pub resident_id: Option<i64>,
    pub district: i64,
    pub age_band: String,
    pub channel: String,
    pub language: String,
    pub invited_at: DateTime<Utc>,
    pub reminders: i64,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A response ready to store.
#[derive(Clone, Debug)]
pub struct NewResponse {
    pub invitation_id: i64,
    pub survey_id: i64,
    pub answers: String,
    pub district: i64,
    pub age_band: String,
    pub day: String,
    /// Identified surveys only.
    pub resident_id: Option<i64>,
    /// `(question, key)` pairs to add one to, including each answered question's `_n`.
    pub tallies: Vec<(String, String)>,
    pub texts: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct FreeText {
    pub id: i64,
    pub question: String,
    pub text: String,
    pub approved: Option<bool>,
}

#[async_trait]
pub trait SurveyStore: Send + Sync {
    async fn create_survey(&self, def: &SurveyDef, author_id: i64, now: DateTime<Utc>) -> StoreResult<i64>;
    async fn survey(&self, id: i64) -> StoreResult<Option<SurveyRecord>>;
    async fn list_surveys(&self) -> StoreResult<Vec<SurveyRecord>>;
    /// Launched surveys only (what the reminder beat reads every second).
    async fn launched_surveys(&self) -> StoreResult<Vec<SurveyRecord>>;
    /// Replaces a draft's questionnaire; false once launched.
    async fn update_draft(&self, id: i64, def: &SurveyDef) -> StoreResult<bool>;
    /// A launched survey's typo fix, recorded with the text before and after.
    async fn revise_survey(
        &self,
        id: i64,
        official_id: i64,
        note: &str,
        before: &SurveyDef,
        after: &SurveyDef,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// A survey's wording fixes, oldest first.
    async fn survey_revisions(&self, id: i64) -> StoreResult<Vec<RevisionRow>>;
    /// Residents who hold the surveys consent and can be reached, narrowed by the filter, with their one channel
    /// (email, then push, then SMS) and their recent invitation count.
    async fn survey_audience(&self, filter: &AudienceFilter, now: DateTime<Utc>) -> StoreResult<Vec<Member>>;
    /// `draft` → `launched` with its invitations; false when it was launched already.
    async fn launch_survey(
        &self,
        id: i64,
        official_id: i64,
        plan: &serde_json::Value,
        invitations: &[NewInvitation],
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn invitation_by_token(&self, token_hash: &str) -> StoreResult<Option<Invitation>>;
    async fn invitations_of(&self, survey_id: i64) -> StoreResult<Vec<Invitation>>;
    /// Stores a response; false (and nothing stored) when the invitation was answered already.
    async fn record_response(&self, r: &NewResponse) -> StoreResult<bool>;
    /// Several responses in one transaction (group commit); one flag per response, as `record_response`.
    async fn record_responses(&self, batch: &[NewResponse]) -> StoreResult<Vec<bool>>;
    async fn tallies(&self, survey_id: i64) -> StoreResult<Vec<TallyRow>>;
    /// Adds pre-aggregated tallies and respondent cells (the benchmark's bulk load).
    async fn add_tallies(&self, survey_id: i64, tallies: &[TallyRow], cells: &[CellRow]) -> StoreResult<()>;
    async fn respondent_cells(&self, survey_id: i64) -> StoreResult<Vec<CellRow>>;
    /// How many responses a survey has (cheap: the sum of its cells).
    async fn respondent_total(&self, survey_id: i64) -> StoreResult<i64>;
    async fn invited_cells(&self, survey_id: i64) -> StoreResult<Vec<CellRow>>;
    /// Unanswered invitations that have had `reminders` reminders, invited before `before`.
    async fn due_for_reminder(
        &self,
        survey_id: i64,
        reminders: i64,
        before: DateTime<Utc>,
    ) -> StoreResult<Vec<Invitation>>;
    async fn mark_reminded(&self, ids: &[i64], reminders: i64) -> StoreResult<()>;
    async fn free_texts(&self, survey_id: i64) -> StoreResult<Vec<FreeText>>;
    /// Marks text `id` of survey `survey_id` reviewed; false when that survey has no such text.
    async fn review_text(
        &self,
        survey_id: i64,
        id: i64,
        approved: bool,
        official_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn set_publication(&self, survey_id: i64, publication: &Publication) -> StoreResult<()>;
    /// Anonymous responses for analysts: answers JSON, district, age band, day.
    async fn responses(&self, survey_id: i64) -> StoreResult<Vec<(String, i64, String, String)>>;
}
