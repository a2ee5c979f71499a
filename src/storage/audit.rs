//! The audit log and the district registry, in SQL both backends understand.

/// Implements [`super::AuditStore`] for a store with a `pool` field.
macro_rules! impl_audit_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::AuditStore for $store {
            #[tracing::instrument(skip_all, fields(action = entry.action.as_str()), err)]
            async fn append_audit(
                &self,
                entry: &$crate::domain::audit::NewAuditEntry,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(at)
                .bind(entry.actor)
                .bind(entry.action.as_str())
                .bind(&entry.subject)
                .bind(entry.detail.to_string())
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_audit(
                &self,
                limit: i64,
                before: Option<i64>,
            ) -> $crate::storage::StoreResult<Vec<$crate::domain::audit::AuditEntry>> {
                let rows = sqlx::query_as::<_, (i64, chrono::DateTime<chrono::Utc>, Option<i64>, Option<String>, String, Option<String>, String)>(
                    "SELECT a.id, a.at, a.actor_id, o.name, a.action, a.subject, a.detail \
                     FROM audit_log a LEFT JOIN officials o ON o.id = a.actor_id \
                     WHERE a.id < $1 ORDER BY a.id DESC LIMIT $2",
                )
                .bind(before.unwrap_or(i64::MAX))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, at, actor, actor_name, action, subject, detail)| $crate::domain::audit::AuditEntry {
                        id, at, actor, actor_name, action, subject, detail,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use impl_audit_store;
