//! The desk's public SQL, written once and expanded for both backends.

/// Implements [`super::DeskPublicStore`] for a store with a `pool` field.
macro_rules! impl_desk_public_store {
    ($store:ty) => {
        impl $store {
            /// Published photos and public history of these reports.
            async fn public_parts(
                &self,
                rows: Vec<$crate::storage::desk_public::PublicRow>,
                ids: &[i64],
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::desk_public::PublicReport>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                // In slices: one statement may carry only so many parameters (65,535 on PostgreSQL).
                let (mut photos, mut events) = (Vec::new(), Vec::new());
                for slice in ids.chunks(500) {
                    let marks: Vec<String> = (1..=slice.len()).map(|i| format!("${i}")).collect();
                    let marks = marks.join(", ");
                    let mut photo_query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(format!(
                        "SELECT p.report_id, p.n FROM desk_photos p JOIN desk_reports r ON r.id = p.report_id \
                         WHERE p.published AND r.public AND p.report_id IN ({marks}) ORDER BY p.report_id, p.n"
                    )));
                    let mut event_query =
                        sqlx::query_as::<_, $crate::storage::desk_public::EventRow>(sqlx::AssertSqlSafe(format!(
                            "SELECT report_id, at, to_state, unit, public_note FROM desk_report_events \
                             WHERE report_id IN ({marks}) ORDER BY id"
                        )));
                    for id in slice {
                        photo_query = photo_query.bind(*id);
                        event_query = event_query.bind(*id);
                    }
                    photos.extend(photo_query.fetch_all(&self.pool).await?);
                    events.extend(event_query.fetch_all(&self.pool).await?);
                }
                $crate::storage::desk_public::assemble(rows, photos, events)
            }
        }

        #[async_trait::async_trait]
        impl $crate::storage::desk_public::DeskPublicStore for $store {
            #[tracing::instrument(skip(self, photos), err)]
            async fn set_report_publication(
                &self,
                id: i64,
                description: bool,
                photos: &[i64],
            ) -> $crate::storage::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("UPDATE desk_reports SET published = $2 WHERE id = $1")
                    .bind(id)
                    .bind(description)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE desk_photos SET published = FALSE WHERE report_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for n in photos {
                    sqlx::query("UPDATE desk_photos SET published = TRUE WHERE report_id = $1 AND n = $2")
                        .bind(id)
                        .bind(*n)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self), err)]
            async fn published_photos(&self, id: i64) -> $crate::storage::StoreResult<Vec<i64>> {
                Ok(sqlx::query_scalar("SELECT n FROM desk_photos WHERE report_id = $1 AND published ORDER BY n")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn public_reports(
                &self,
                filter: &$crate::storage::desk_public::PublicFilter,
                offset: i64,
                limit: i64,
            ) -> $crate::storage::StoreResult<(Vec<$crate::storage::desk_public::PublicReport>, i64)> {
                let (clause, values) = $crate::storage::desk_public::where_clause(filter, 3);
                let mut rows =
                    sqlx::query_as::<_, $crate::storage::desk_public::PublicRow>(sqlx::AssertSqlSafe(format!(
                        "{}{clause} ORDER BY id DESC LIMIT $1 OFFSET $2",
                        $crate::storage::desk_public::PUBLIC_SELECT
                    )))
                    .bind(limit)
                    .bind(offset);
                let (count_clause, _) = $crate::storage::desk_public::where_clause(filter, 1);
                let mut total = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM desk_reports{count_clause}"
                )));
                $crate::storage::desk_public::bind_filter_values!(values, rows, total);
                let rows = rows.fetch_all(&self.pool).await?;
                let total = total.fetch_one(&self.pool).await?;
                let ids: Vec<i64> = rows.iter().map(|r| r.id()).collect();
                Ok((self.public_parts(rows, &ids).await?, total))
            }

            #[tracing::instrument(skip(self), err)]
            async fn public_report(
                &self,
                id: i64,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::desk_public::PublicReport>> {
                let rows = sqlx::query_as::<_, $crate::storage::desk_public::PublicRow>(sqlx::AssertSqlSafe(format!(
                    "{} WHERE id = $1",
                    $crate::storage::desk_public::PUBLIC_SELECT
                )))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                if rows.is_empty() {
                    return Ok(None);
                }
                Ok(self.public_parts(rows, &[id]).await?.into_iter().next())
            }

            #[tracing::instrument(skip(self), err)]
            async fn stat_rows(&self) -> $crate::storage::StoreResult<Vec<$crate::storage::desk_public::StatRow>> {
                let rows: Vec<(i64, String, String, String, chrono::DateTime<chrono::Utc>, String)> = sqlx::query_as(
                    "SELECT id, service_code, unit, state, created_at, due_on FROM desk_reports ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                let resolved: Vec<(i64, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
                    "SELECT report_id, at FROM desk_report_events WHERE to_state = 'resolved' ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut last = std::collections::HashMap::new();
                for (id, at) in resolved {
                    last.insert(id, at);
                }
                $crate::storage::desk_public::stat_rows(
                    rows.into_iter().map(|r| (r.1, r.2, r.3, r.4, r.5, last.get(&r.0).copied())).collect(),
                )
            }
        }
    };
}

pub(crate) use impl_desk_public_store;
