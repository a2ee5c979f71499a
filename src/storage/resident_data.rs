//! What the panel holds about one resident beyond the profile, for their export: survey invitations (and, for
//! identified surveys only, their answers) and their votes in panel polls.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;

/// An invitation the resident received. `def` is the survey's stored definition (its title is read from it).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResidentInvitation {
    pub survey_id: i64,
    pub def: String,
    pub channel: String,
    pub invited_at: DateTime<Utc>,
    pub reminders: i64,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A response kept with the resident's id: identified surveys only (anonymous ones cannot be found).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResidentResponse {
    pub survey_id: i64,
    pub answers: String,
    pub day: String,
}

/// A vote in a panel poll (public polls hold no resident).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ResidentVote {
    pub poll_id: i64,
    pub question_pl: String,
    pub option_pl: String,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait ResidentDataStore: Send + Sync {
    async fn resident_invitations(&self, resident_id: i64) -> StoreResult<Vec<ResidentInvitation>>;
    async fn resident_responses(&self, resident_id: i64) -> StoreResult<Vec<ResidentResponse>>;
    async fn resident_votes(&self, resident_id: i64) -> StoreResult<Vec<ResidentVote>>;
}

/// Implements [`ResidentDataStore`] for a store with a `pool` field.
macro_rules! impl_resident_data_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::ResidentDataStore for $store {
            #[tracing::instrument(skip(self), err)]
            async fn resident_invitations(
                &self,
                resident_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::ResidentInvitation>> {
                Ok(sqlx::query_as(
                    "SELECT i.survey_id, s.def, i.channel, i.invited_at, i.reminders, i.answered_at \
                     FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id \
                     WHERE i.resident_id = $1 ORDER BY i.invited_at, i.survey_id",
                )
                .bind(resident_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn resident_responses(
                &self,
                resident_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::ResidentResponse>> {
                Ok(sqlx::query_as(
                    "SELECT survey_id, answers, day FROM survey_responses WHERE resident_id = $1 ORDER BY id",
                )
                .bind(resident_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn resident_votes(
                &self,
                resident_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::ResidentVote>> {
                Ok(sqlx::query_as(
                    "SELECT v.poll_id, p.question_pl, o.text_pl AS option_pl, v.at FROM poll_votes v \
                     JOIN polls p ON p.id = v.poll_id \
                     JOIN poll_options o ON o.poll_id = v.poll_id AND o.position = v.position \
                     WHERE v.resident_id = $1 ORDER BY v.at, v.id",
                )
                .bind(resident_id)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}
pub(crate) use impl_resident_data_store;
