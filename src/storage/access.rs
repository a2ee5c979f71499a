//! Residents' one-time secrets (verification and sign-in), sessions and push subscriptions, in SQL both backends
//! understand.

/// Implements [`super::AccessStore`] for a store with a `pool` field.
macro_rules! impl_access_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::AccessStore for $store {
            #[tracing::instrument(skip(self, secret_hash), err)]
            async fn create_secret(
                &self,
                contact_point_id: i64,
                purpose: $crate::storage::SecretPurpose,
                is_code: bool,
                secret_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO contact_secrets (contact_point_id, purpose, form, secret_hash, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(contact_point_id)
                .bind(purpose.as_str())
                .bind(if is_code { "code" } else { "link" })
                .bind(secret_hash)
                .bind(now)
                .bind(expires_at)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip(self, secret_hash), err)]
            async fn peek_link(
                &self,
                secret_hash: &str,
                purpose: $crate::storage::SecretPurpose,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<$crate::storage::LinkCheck> {
                use $crate::storage::LinkCheck;
                let row: Option<(i64, i64, chrono::DateTime<chrono::Utc>, Option<chrono::DateTime<chrono::Utc>>)> =
                    sqlx::query_as(
                        "SELECT s.contact_point_id, c.resident_id, s.expires_at, s.used_at \
                         FROM contact_secrets s JOIN contact_points c ON c.id = s.contact_point_id \
                         WHERE s.secret_hash = $1 AND s.purpose = $2 AND s.form = 'link'",
                    )
                    .bind(secret_hash)
                    .bind(purpose.as_str())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(match row {
                    None => LinkCheck::Unknown,
                    Some((_, _, _, Some(_))) => LinkCheck::Used,
                    Some((_, _, expires_at, None)) if expires_at <= now => LinkCheck::Expired,
                    Some((contact_point_id, resident_id, _, None)) => LinkCheck::Valid { resident_id, contact_point_id },
                })
            }

            #[tracing::instrument(skip(self, secret_hash), err)]
            async fn use_link(
                &self,
                secret_hash: &str,
                purpose: $crate::storage::SecretPurpose,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<$crate::storage::LinkCheck> {
                use $crate::storage::LinkCheck;
                let mut tx = self.pool.begin().await?;
                // SQLite: take the write lock first, or a read-then-write transaction fails when another
                // connection writes in between (SQLITE_BUSY_SNAPSHOT); a no-op elsewhere.
                $crate::storage::panel::write_first!(tx);
                let row: Option<(i64, i64, i64, chrono::DateTime<chrono::Utc>, Option<chrono::DateTime<chrono::Utc>>)> =
                    sqlx::query_as(
                        "SELECT s.id, s.contact_point_id, c.resident_id, s.expires_at, s.used_at \
                         FROM contact_secrets s JOIN contact_points c ON c.id = s.contact_point_id \
                         WHERE s.secret_hash = $1 AND s.purpose = $2 AND s.form = 'link'",
                    )
                    .bind(secret_hash)
                    .bind(purpose.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((secret_id, cp, resident_id, expires_at, used_at)) = row else {
                    return Ok(LinkCheck::Unknown);
                };
                if used_at.is_some() {
                    return Ok(LinkCheck::Used);
                }
                if expires_at <= now {
                    return Ok(LinkCheck::Expired);
                }
                // Only one of two concurrent uses wins.
                let won = sqlx::query("UPDATE contact_secrets SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                    .bind(now)
                    .bind(secret_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if won != 1 {
                    return Ok(LinkCheck::Used);
                }
                if purpose == $crate::storage::SecretPurpose::Verify {
                    $crate::storage::panel::mark_verified!(tx, cp, resident_id, now);
                }
                tx.commit().await?;
                Ok(LinkCheck::Valid { resident_id, contact_point_id: cp })
            }

            #[tracing::instrument(skip(self), err)]
            async fn codes_created_since(
                &self,
                contact_point_id: i64,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM contact_secrets WHERE contact_point_id = $1 AND form = 'code' \
                     AND created_at >= $2",
                )
                .bind(contact_point_id)
                .bind(since)
                .fetch_one(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self, code_hash), err)]
            async fn use_code(
                &self,
                contact_point_id: i64,
                purpose: $crate::storage::SecretPurpose,
                code_hash: &str,
                max_tries: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<$crate::storage::CodeCheck> {
                use $crate::storage::CodeCheck;
                let mut tx = self.pool.begin().await?;
                // The try is counted first, in one conditional statement: concurrent guesses each take one of the
                // `max_tries` (PostgreSQL re-checks `tries < max` on the row it waited for), and none reads a stale
                // count. A code whose tries are used up, or none at all, matches no row.
                let row: Option<(i64, String, i64, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "UPDATE contact_secrets SET tries = tries + 1 \
                     WHERE id = (SELECT id FROM contact_secrets WHERE contact_point_id = $1 AND purpose = $2 \
                                 AND form = 'code' AND used_at IS NULL ORDER BY id DESC LIMIT 1) \
                     AND tries < $3 AND used_at IS NULL \
                     RETURNING id, secret_hash, tries, expires_at",
                )
                .bind(contact_point_id)
                .bind(purpose.as_str())
                .bind(max_tries)
                .fetch_all(&mut *tx)
                .await?
                .into_iter().next();
                let Some((secret_id, stored, _tries, expires_at)) = row else {
                    return Ok(CodeCheck::NoCode);
                };
                if expires_at <= now {
                    tx.commit().await?;
                    return Ok(CodeCheck::Expired);
                }
                if !$crate::domain::secret_token::constant_time_eq(&stored, code_hash) {
                    tx.commit().await?;
                    return Ok(CodeCheck::Wrong);
                }
                let resident_id: i64 = sqlx::query_scalar(
                    "SELECT resident_id FROM contact_points WHERE id = $1",
                )
                .bind(contact_point_id)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("UPDATE contact_secrets SET used_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(secret_id)
                    .execute(&mut *tx)
                    .await?;
                if purpose == $crate::storage::SecretPurpose::Verify {
                    $crate::storage::panel::mark_verified!(tx, contact_point_id, resident_id, now);
                }
                tx.commit().await?;
                Ok(CodeCheck::Valid { resident_id })
            }

            #[tracing::instrument(skip(self, token_hash), err)]
            async fn create_resident_session(
                &self,
                token_hash: &str,
                resident_id: i64,
                now: chrono::DateTime<chrono::Utc>,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO resident_sessions (token_hash, resident_id, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(token_hash)
                .bind(resident_id)
                .bind(now)
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip_all, err)]
            async fn resident_session(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
                new_expiry: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Option<i64>> {
                Ok(sqlx::query_scalar(
                    "UPDATE resident_sessions SET expires_at = $1 WHERE token_hash = $2 AND expires_at > $3 \
                     AND resident_id IN (SELECT id FROM residents WHERE erased_at IS NULL) RETURNING resident_id",
                )
                .bind(new_expiry)
                .bind(token_hash)
                .bind(now)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next())
            }

            #[tracing::instrument(skip_all, err)]
            async fn delete_resident_session(&self, token_hash: &str) -> $crate::storage::StoreResult<()> {
                sqlx::query("DELETE FROM resident_sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            #[tracing::instrument(skip(self, endpoint, p256dh, auth, label), err)]
            async fn add_push(
                &self,
                resident_id: i64,
                endpoint: &str,
                p256dh: &str,
                auth: &str,
                label: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO push_subscriptions (resident_id, endpoint, p256dh, auth, label, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint) DO UPDATE SET \
                     resident_id = excluded.resident_id, p256dh = excluded.p256dh, auth = excluded.auth, \
                     label = excluded.label RETURNING id",
                )
                .bind(resident_id)
                .bind(endpoint)
                .bind(p256dh)
                .bind(auth)
                .bind(label)
                .bind(now)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_push(&self, resident_id: i64) -> $crate::storage::StoreResult<Vec<$crate::storage::PushDevice>> {
                let rows: Vec<(i64, String, String, String, String, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT id, endpoint, p256dh, auth, label, created_at FROM push_subscriptions \
                     WHERE resident_id = $1 ORDER BY id",
                )
                .bind(resident_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, endpoint, p256dh, auth, label, created_at)| $crate::storage::PushDevice {
                        id,
                        endpoint,
                        p256dh,
                        auth,
                        label,
                        created_at,
                    })
                    .collect())
            }

            #[tracing::instrument(skip(self), err)]
            async fn remove_push(&self, resident_id: i64, id: i64) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query("DELETE FROM push_subscriptions WHERE id = $1 AND resident_id = $2")
                    .bind(id)
                    .bind(resident_id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip_all, err)]
            async fn remove_push_endpoint(&self, endpoint: &str) -> $crate::storage::StoreResult<()> {
                sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1")
                    .bind(endpoint)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_access_store;
