//! The consent ledger and the consent notices, in SQL both backends understand.
//!
//! `consent_events` is append-only (database triggers refuse UPDATE and DELETE). `consent_current` holds the latest
//! event per (resident, purpose, channel) and is written by [`append_event!`] in the same transaction as the event,
//! so targeting reads one small table and the two can never disagree.

/// Appends one ledger event and updates the current state, inside the transaction `$tx`; yields the event id.
macro_rules! append_event {
    ($tx:expr, $resident:expr, $purpose:expr, $channel:expr, $granted:expr, $version:expr, $method:expr, $basis:expr, $now:expr) => {{
        let event_id: i64 = sqlx::query_scalar(
            "INSERT INTO consent_events (resident_id, purpose, channel, granted, notice_version, at, method, legal_basis) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind($resident)
        .bind($purpose)
        .bind($channel)
        .bind($granted)
        .bind($version)
        .bind($now)
        .bind($method)
        .bind($basis)
        .fetch_all(&mut *$tx)
        .await?
        .into_iter().next().ok_or(sqlx::Error::RowNotFound)?;
        sqlx::query(
            "INSERT INTO consent_current (resident_id, purpose, channel, granted, event_id) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (resident_id, purpose, channel) DO UPDATE SET granted = excluded.granted, \
             event_id = excluded.event_id",
        )
        .bind($resident)
        .bind($purpose)
        .bind($channel)
        .bind($granted)
        .bind(event_id)
        .execute(&mut *$tx)
        .await?;
        event_id
    }};
}
pub(crate) use append_event;

/// Implements [`super::ConsentStore`] for a store with a `pool` field.
macro_rules! impl_consent_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::ConsentStore for $store {
            #[tracing::instrument(skip(self, changes), fields(changes = changes.len()), err)]
            async fn record_consents(
                &self,
                resident_id: i64,
                changes: &[($crate::domain::panel::Purpose, $crate::domain::panel::Channel, bool)],
                notice_version: i64,
                method: $crate::domain::panel::ConsentMethod,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Vec<i64>> {
                let mut tx = self.pool.begin().await?;
                let mut ids = Vec::with_capacity(changes.len());
                for (purpose, channel, granted) in changes {
                    let id = $crate::storage::consent::append_event!(
                        tx,
                        resident_id,
                        purpose.as_str(),
                        channel.as_str(),
                        *granted,
                        notice_version,
                        method.as_str(),
                        None::<&str>,
                        now
                    );
                    ids.push(id);
                }
                tx.commit().await?;
                Ok(ids)
            }

            #[tracing::instrument(skip(self), err)]
            async fn consent_history(
                &self,
                resident_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::ConsentEvent>> {
                let rows: Vec<(i64, i64, String, String, bool, i64, chrono::DateTime<chrono::Utc>, String)> =
                    sqlx::query_as(
                        "SELECT id, resident_id, purpose, channel, granted, notice_version, at, method \
                         FROM consent_events WHERE resident_id = $1 ORDER BY id",
                    )
                    .bind(resident_id)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, resident_id, purpose, channel, granted, notice_version, at, method)| {
                        $crate::storage::ConsentEvent {
                            id,
                            resident_id,
                            purpose,
                            channel,
                            granted,
                            notice_version,
                            at,
                            method,
                        }
                    })
                    .collect())
            }

            #[tracing::instrument(skip(self), err)]
            async fn current_consents(
                &self,
                resident_id: i64,
            ) -> $crate::storage::StoreResult<Vec<(String, String, bool)>> {
                Ok(sqlx::query_as(
                    "SELECT purpose, channel, granted FROM consent_current WHERE resident_id = $1 \
                     ORDER BY purpose, channel",
                )
                .bind(resident_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn current_notice(&self) -> $crate::storage::StoreResult<Option<$crate::storage::Notice>> {
                let row: Option<(i64, chrono::DateTime<chrono::Utc>, String, String, String)> = sqlx::query_as(
                    "SELECT version, published_at, text_pl, text_en, text_uk FROM consent_notices \
                     ORDER BY version DESC LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|(version, published_at, text_pl, text_en, text_uk)| $crate::storage::Notice {
                    version,
                    published_at,
                    text_pl,
                    text_en,
                    text_uk,
                }))
            }

            #[tracing::instrument(skip(self, texts), err)]
            async fn publish_notice(
                &self,
                texts: [&str; 3],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO consent_notices (version, published_at, text_pl, text_en, text_uk) \
                     SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4 FROM consent_notices RETURNING version",
                )
                .bind(now)
                .bind(texts[0])
                .bind(texts[1])
                .bind(texts[2])
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip(self, texts), err)]
            async fn seed_notice(
                &self,
                texts: [&str; 3],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "INSERT INTO consent_notices (version, published_at, text_pl, text_en, text_uk) \
                     VALUES (1, $1, $2, $3, $4) ON CONFLICT (version) DO NOTHING",
                )
                .bind(now)
                .bind(texts[0])
                .bind(texts[1])
                .bind(texts[2])
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn reviewed_notice(&self, resident_id: i64) -> $crate::storage::StoreResult<Option<i64>> {
                Ok(sqlx::query_scalar("SELECT MAX(version) FROM notice_reviews WHERE resident_id = $1")
                    .bind(resident_id)
                    .fetch_one(&self.pool)
                    .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn review_notice(
                &self,
                resident_id: i64,
                version: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO notice_reviews (resident_id, version, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(resident_id)
                .bind(version)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_consent_store;
