//! Officials and their roles, in SQL both backends understand.

/// Implements [`super::OfficialStore`] for a store with a `pool` field.
macro_rules! impl_official_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::OfficialStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn create_official(&self, new: &$crate::storage::NewOfficial) -> $crate::storage::StoreResult<i64> {
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO officials (email, name, password_hash, active, created_at) \
                     VALUES ($1, $2, $3, TRUE, $4) RETURNING id",
                )
                .bind(new.email.as_str())
                .bind(&new.name)
                .bind(&new.password_hash)
                .bind(chrono::Utc::now())
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .next()
                .ok_or(sqlx::Error::RowNotFound)?;
                for role in &new.roles {
                    sqlx::query("INSERT INTO official_roles (official_id, role) VALUES ($1, $2)")
                        .bind(id)
                        .bind(role.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            #[tracing::instrument(skip(self), err)]
            async fn official(&self, id: i64) -> $crate::storage::StoreResult<Option<$crate::domain::Official>> {
                let row: Option<$crate::storage::OfficialRow> =
                    sqlx::query_as("SELECT id, email, name, active FROM officials WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                self.with_roles(row).await
            }

            #[tracing::instrument(skip_all, err)]
            async fn official_credentials(
                &self,
                email: &$crate::domain::Email,
            ) -> $crate::storage::StoreResult<Option<($crate::domain::Official, String)>> {
                let row: Option<($crate::storage::OfficialRow, String)> =
                    sqlx::query_as::<_, (i64, String, String, bool, String)>(
                        "SELECT id, email, name, active, password_hash FROM officials WHERE email = $1",
                    )
                    .bind(email.as_str())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(|(id, email, name, active, hash)| {
                        ($crate::storage::OfficialRow { id, email, name, active }, hash)
                    });
                let Some((row, hash)) = row else { return Ok(None) };
                Ok(self.with_roles(Some(row)).await?.map(|o| (o, hash)))
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_officials(&self) -> $crate::storage::StoreResult<Vec<$crate::domain::Official>> {
                let rows: Vec<$crate::storage::OfficialRow> =
                    sqlx::query_as("SELECT id, email, name, active FROM officials ORDER BY name, id")
                        .fetch_all(&self.pool)
                        .await?;
                let mut officials =
                    rows.into_iter().map($crate::storage::OfficialRow::into_official).collect::<Result<Vec<_>, _>>()?;
                let roles: Vec<(i64, String)> =
                    sqlx::query_as("SELECT official_id, role FROM official_roles").fetch_all(&self.pool).await?;
                $crate::storage::attach_roles(&mut officials, roles);
                Ok(officials)
            }

            #[tracing::instrument(skip(self), err)]
            async fn count_officials(&self) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM officials").fetch_one(&self.pool).await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn set_roles(&self, id: i64, roles: &[$crate::domain::Role]) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                // A write first (it changes nothing): on SQLite a transaction that reads and then writes fails with
                // SQLITE_BUSY when another connection (the queue's pollers) commits in between.
                let exists = sqlx::query("UPDATE officials SET active = active WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if exists == 0 {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM official_roles WHERE official_id = $1").bind(id).execute(&mut *tx).await?;
                for role in roles {
                    sqlx::query("INSERT INTO official_roles (official_id, role) VALUES ($1, $2)")
                        .bind(id)
                        .bind(role.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            #[tracing::instrument(skip(self), err)]
            async fn set_active(
                &self,
                id: i64,
                active: bool,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let changed = sqlx::query("UPDATE officials SET active = $1 WHERE id = $2")
                    .bind(active)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if !active {
                    sqlx::query("DELETE FROM sessions WHERE official_id = $1").bind(id).execute(&mut *tx).await?;
                    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE official_id = $2 AND revoked_at IS NULL")
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(changed == 1)
            }
        }

        impl $store {
            /// Completes an official row with its roles.
            async fn with_roles(
                &self,
                row: Option<$crate::storage::OfficialRow>,
            ) -> $crate::storage::StoreResult<Option<$crate::domain::Official>> {
                let Some(row) = row else { return Ok(None) };
                let mut official = row.into_official()?;
                let roles: Vec<(i64, String)> =
                    sqlx::query_as("SELECT official_id, role FROM official_roles WHERE official_id = $1")
                        .bind(official.id)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::storage::attach_roles(std::slice::from_mut(&mut official), roles);
                Ok(Some(official))
            }
        }
    };
}

pub(crate) use impl_official_store;
