//! Officials' sessions and API tokens, in SQL both backends understand.

/// Implements [`super::SessionStore`] for a store with a `pool` field (and `with_roles`, from the officials macro).
macro_rules! impl_session_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::SessionStore for $store {
            #[tracing::instrument(skip_all, fields(official_id), err)]
            async fn create_session(
                &self,
                token_hash: &str,
                official_id: i64,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO sessions (token_hash, official_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(token_hash)
                .bind(official_id)
                .bind(chrono::Utc::now())
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn official_session(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
                new_expiry: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<$crate::storage::SessionLookup> {
                let row: Option<(i64, chrono::DateTime<chrono::Utc>)> =
                    sqlx::query_as("SELECT official_id, expires_at FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .fetch_optional(&self.pool)
                        .await?;
                let Some((official_id, expires_at)) = row else {
                    return Ok($crate::storage::SessionLookup::Unknown);
                };
                if expires_at <= now {
                    self.delete_session(token_hash).await?;
                    return Ok($crate::storage::SessionLookup::Expired);
                }
                match $crate::storage::OfficialStore::official(self, official_id).await? {
                    Some(official) if official.active => {
                        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
                            .bind(new_expiry)
                            .bind(token_hash)
                            .execute(&self.pool)
                            .await?;
                        Ok($crate::storage::SessionLookup::Active(official))
                    }
                    _ => Ok($crate::storage::SessionLookup::Expired),
                }
            }

            #[tracing::instrument(skip_all, err)]
            async fn delete_session(&self, token_hash: &str) -> $crate::storage::StoreResult<()> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            #[tracing::instrument(skip(self, name, token_hash), err)]
            async fn create_api_token(
                &self,
                official_id: i64,
                name: &str,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
                expires_at: Option<chrono::DateTime<chrono::Utc>>,
            ) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO api_tokens (official_id, name, token_hash, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(official_id)
                .bind(name)
                .bind(token_hash)
                .bind(now)
                .bind(expires_at)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn official_by_token(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Option<$crate::domain::Official>> {
                let official_id: Option<i64> = sqlx::query_scalar(
                    "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL \
                     AND (expires_at IS NULL OR expires_at > $1) RETURNING official_id",
                )
                .bind(now)
                .bind(token_hash)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next();
                let Some(official_id) = official_id else { return Ok(None) };
                Ok($crate::storage::OfficialStore::official(self, official_id).await?.filter(|o| o.active))
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_api_tokens(&self) -> $crate::storage::StoreResult<Vec<$crate::storage::ApiToken>> {
                let rows = sqlx::query_as::<_, (i64, i64, String, String, chrono::DateTime<chrono::Utc>, Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>)>(
                    "SELECT t.id, t.official_id, o.name, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at \
                     FROM api_tokens t JOIN officials o ON o.id = t.official_id ORDER BY t.id DESC",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, official_id, official_name, name, created_at, expires_at, last_used_at, revoked_at)| {
                        $crate::storage::ApiToken { id, official_id, official_name, name, created_at, expires_at, last_used_at, revoked_at }
                    })
                    .collect())
            }

            #[tracing::instrument(skip(self), err)]
            async fn revoke_api_token(&self, id: i64, now: chrono::DateTime<chrono::Utc>) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n == 1)
            }
        }
    };
}

pub(crate) use impl_session_store;
