//! The SQL of merging, written once and expanded for both backends.

/// Implements [`super::DeskMergeStore`] for a store with a `pool` field.
macro_rules! impl_desk_merge_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::desk_merge::DeskMergeStore for $store {
            #[tracing::instrument(skip(self, m), fields(into = m.into, official_id = m.official_id), err)]
            async fn merge_report(
                &self,
                id: i64,
                m: &$crate::storage::desk_merge::NewMerge,
            ) -> $crate::storage::StoreResult<$crate::storage::desk_merge::MergeOutcome> {
                use $crate::storage::desk_merge::MergeOutcome;
                let mut tx = self.pool.begin().await?;
                $crate::storage::panel::write_first!(tx);
                // Both rows held in id order first (PostgreSQL): two dispatchers merging A into B and B into A at
                // the same moment then wait in line instead of deadlocking, and the second finds its target merged.
                for row in [id.min(m.into), id.max(m.into)] {
                    sqlx::query("UPDATE desk_reports SET updated_at = updated_at WHERE id = $1")
                        .bind(row)
                        .execute(&mut *tx)
                        .await?;
                }
                // The target first, as a no-op UPDATE: on PostgreSQL it holds the target's row until commit, so it
                // cannot close (or be merged) between this check and the end.
                let open = sqlx::query(
                    "UPDATE desk_reports SET updated_at = updated_at WHERE id = $1 \
                     AND state NOT IN ('resolved', 'rejected', 'merged')",
                )
                .bind(m.into)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if open != 1 {
                    return Ok(MergeOutcome::TargetClosed);
                }
                let n = sqlx::query(
                    "UPDATE desk_reports SET state = 'merged', merged_into = $2, updated_at = $3 \
                     WHERE id = $1 AND state = $4 AND unit = $5",
                )
                .bind(id)
                .bind(m.into)
                .bind(m.at)
                .bind(m.from.as_str())
                .bind(&m.from_unit)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n != 1 {
                    return Ok(MergeOutcome::Moved);
                }
                sqlx::query(
                    "INSERT INTO desk_report_events (report_id, at, official_id, from_state, to_state, unit, \
                     public_note, internal_note) VALUES ($1, $2, $3, $4, 'merged', $5, $6, $7)",
                )
                .bind(id)
                .bind(m.at)
                .bind(m.official_id)
                .bind(m.from.as_str())
                .bind(&m.from_unit)
                .bind(&m.public_note)
                .bind(&m.internal_note)
                .execute(&mut *tx)
                .await?;
                // `(id, kind, value, confirmed_at)` of the merged report's live contacts, oldest first.
                let contacts: Vec<(i64, String, String, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
                    "SELECT id, kind, value, confirmed_at FROM desk_contacts WHERE report_id = $1 \
                     AND value IS NOT NULL AND stopped_at IS NULL ORDER BY id",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
                let mut followers = Vec::new();
                for (contact, kind, value, confirmed_at) in contacts {
                    let there: Option<(i64, Option<chrono::DateTime<chrono::Utc>>)> = sqlx::query_as(
                        "SELECT id, confirmed_at FROM desk_contacts WHERE report_id = $1 AND kind = $2 \
                         AND value = $3 ORDER BY id LIMIT 1",
                    )
                    .bind(m.into)
                    .bind(&kind)
                    .bind(&value)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let row = match there {
                        Some((row, None)) if confirmed_at.is_some() => {
                            sqlx::query(
                                "UPDATE desk_contacts SET confirmed_at = $2, secret_hash = NULL, \
                                 secret_expires_at = NULL WHERE id = $1",
                            )
                            .bind(row)
                            .bind(confirmed_at)
                            .execute(&mut *tx)
                            .await?;
                            row
                        }
                        Some((row, _)) => row,
                        None => {
                            // Moved, not copied: the row (its pending confirmation, its stop link) now belongs to
                            // the target, so the merged report's erasure clock no longer reaches it.
                            sqlx::query("UPDATE desk_contacts SET report_id = $2, role = 'follower' WHERE id = $1")
                                .bind(contact)
                                .bind(m.into)
                                .execute(&mut *tx)
                                .await?;
                            contact
                        }
                    };
                    // Only a contact confirmed on the merged report is told of the merge.
                    if confirmed_at.is_some() && !followers.contains(&row) {
                        followers.push(row);
                    }
                }
                tx.commit().await?;
                Ok(MergeOutcome::Merged(followers))
            }
        }
    };
}

pub(crate) use impl_desk_merge_store;
