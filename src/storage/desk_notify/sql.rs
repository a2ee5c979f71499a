//! The SQL of hearing back about a report, written once and expanded for both backends.

/// Implements [`super::DeskNotifyStore`] for a store with a `pool` field.
macro_rules! impl_desk_notify_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::desk_notify::DeskNotifyStore for $store {
            #[tracing::instrument(skip_all, fields(report_id = c.report_id), err)]
            async fn add_desk_contact(
                &self,
                c: &$crate::storage::desk_notify::NewDeskContact,
            ) -> $crate::storage::StoreResult<i64> {
                let mut tx = self.pool.begin().await?;
                let (hash, expires) = match &c.secret {
                    Some((h, e)) => (Some(h.as_str()), Some(*e)),
                    None => (None, None),
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO desk_contacts (report_id, role, kind, value, lang, resident_id, confirmed_at, \
                     secret_hash, secret_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     RETURNING id",
                )
                .bind(c.report_id)
                .bind(c.role)
                .bind(c.kind)
                .bind(&c.value)
                .bind(c.lang)
                .bind(c.resident_id)
                .bind(c.confirmed_at)
                .bind(hash)
                .bind(expires)
                .bind(c.created_at)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .next()
                .ok_or(sqlx::Error::RowNotFound)?;
                if let Some((channel, version, method)) = c.consent {
                    sqlx::query(
                        "INSERT INTO consent_events (report_id, resident_id, purpose, channel, granted, \
                         notice_version, at, method) VALUES ($1, $2, 'report_updates', $3, TRUE, $4, $5, $6)",
                    )
                    .bind(c.report_id)
                    .bind(c.resident_id)
                    .bind(channel)
                    .bind(version)
                    .bind(c.created_at)
                    .bind(method)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            #[tracing::instrument(skip(self), err)]
            async fn desk_contact(
                &self,
                id: i64,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::desk_notify::DeskContact>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE id = $1",
                    $crate::storage::desk_notify::CONTACT_SELECT
                )))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn desk_contacts(
                &self,
                report_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::desk_notify::DeskContact>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE report_id = $1 ORDER BY id",
                    $crate::storage::desk_notify::CONTACT_SELECT
                )))
                .bind(report_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip_all, fields(n = ids.len()), err)]
            async fn desk_contacts_by_ids(
                &self,
                ids: &[i64],
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::desk_notify::DeskContact>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "{} WHERE id IN ({}) ORDER BY id",
                    $crate::storage::desk_notify::CONTACT_SELECT,
                    marks.join(", ")
                );
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for id in ids {
                    q = q.bind(*id);
                }
                Ok(q.fetch_all(&self.pool).await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn desk_contact_by_secret(
                &self,
                hash: &str,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::desk_notify::DeskContact>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE secret_hash = $1 AND confirmed_at IS NULL AND value IS NOT NULL",
                    $crate::storage::desk_notify::CONTACT_SELECT
                )))
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self, hash), err)]
            async fn set_desk_contact_secret(
                &self,
                id: i64,
                hash: &str,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<()> {
                sqlx::query(
                    "UPDATE desk_contacts SET secret_hash = $2, secret_expires_at = $3, secret_attempts = 0 \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(hash)
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            #[tracing::instrument(skip(self), err)]
            async fn desk_contact_attempt(&self, id: i64) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "UPDATE desk_contacts SET secret_attempts = secret_attempts + 1 WHERE id = $1 \
                     RETURNING secret_attempts",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .next()
                .unwrap_or(0))
            }

            #[tracing::instrument(skip(self), err)]
            async fn confirm_desk_contact(
                &self,
                id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "UPDATE desk_contacts SET confirmed_at = $2, secret_hash = NULL, secret_expires_at = NULL \
                     WHERE id = $1 AND confirmed_at IS NULL AND value IS NOT NULL",
                )
                .bind(id)
                .bind(at)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn stop_desk_contact(
                &self,
                id: i64,
                notice_version: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let stopped: Option<(i64, String, Option<i64>)> = sqlx::query_as(
                    "UPDATE desk_contacts SET stopped_at = $2 WHERE id = $1 AND stopped_at IS NULL \
                     RETURNING report_id, kind, resident_id",
                )
                .bind(id)
                .bind(at)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .next();
                let Some((report_id, kind, resident_id)) = stopped else { return Ok(false) };
                sqlx::query(
                    "INSERT INTO consent_events (report_id, resident_id, purpose, channel, granted, notice_version, \
                     at, method) VALUES ($1, $2, 'report_updates', $3, FALSE, $4, $5, 'unsubscribe')",
                )
                .bind(report_id)
                .bind(resident_id)
                .bind(if kind == "email" { "email" } else { "sms" })
                .bind(notice_version)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            #[tracing::instrument(skip(self), err)]
            async fn reports_to_ask_fixed(
                &self,
                resolved_before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Vec<i64>> {
                Ok(sqlx::query_scalar(
                    "SELECT r.id FROM desk_reports r WHERE r.state = 'resolved' AND r.fixed_asked_at IS NULL \
                     AND (SELECT MAX(e.at) FROM desk_report_events e WHERE e.report_id = r.id) <= $1 \
                     AND EXISTS (SELECT 1 FROM desk_contacts c WHERE c.report_id = r.id AND c.role = 'reporter' \
                       AND c.value IS NOT NULL AND c.confirmed_at IS NOT NULL AND c.stopped_at IS NULL) \
                     ORDER BY r.id LIMIT 500",
                )
                .bind(resolved_before)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn mark_fixed_asked(
                &self,
                report_id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "UPDATE desk_reports SET fixed_asked_at = $2 WHERE id = $1 AND fixed_asked_at IS NULL \
                     AND state = 'resolved'",
                )
                .bind(report_id)
                .bind(at)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self), err)]
            async fn fixed_state(
                &self,
                report_id: i64,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::desk_notify::FixedState>> {
                Ok(sqlx::query_as(
                    "SELECT state, unit, fixed_asked_at, fixed_answer, reopened FROM desk_reports WHERE id = $1",
                )
                .bind(report_id)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self, reopen), err)]
            async fn answer_fixed(
                &self,
                report_id: i64,
                answer: &str,
                reopen: Option<&$crate::storage::desk::NewTransition>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let n = sqlx::query(
                    "UPDATE desk_reports SET fixed_answer = $2 WHERE id = $1 AND state = 'resolved' \
                     AND fixed_asked_at IS NOT NULL AND fixed_answer IS NULL",
                )
                .bind(report_id)
                .bind(answer)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n != 1 {
                    return Ok(false);
                }
                if let Some(t) = reopen {
                    sqlx::query(
                        "UPDATE desk_reports SET state = $2, reopened = TRUE, updated_at = $3 WHERE id = $1",
                    )
                    .bind(report_id)
                    .bind(t.to.as_str())
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO desk_report_events (report_id, at, from_state, to_state, unit, public_note, \
                         internal_note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(report_id)
                    .bind(at)
                    .bind(t.from.as_str())
                    .bind(t.to.as_str())
                    .bind(&t.to_unit)
                    .bind(&t.public_note)
                    .bind(&t.internal_note)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            #[tracing::instrument(skip_all, err)]
            async fn reopened_reports(&self, ids: &[i64]) -> $crate::storage::StoreResult<Vec<i64>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
                let sql = format!("SELECT id FROM desk_reports WHERE reopened AND id IN ({})", marks.join(", "));
                let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
                for id in ids {
                    q = q.bind(*id);
                }
                Ok(q.fetch_all(&self.pool).await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn open_reports_near(
                &self,
                service_code: &str,
                lat: f64,
                lon: f64,
                dlat: f64,
                dlon: f64,
            ) -> $crate::storage::StoreResult<Vec<(i64, f64, f64, String, chrono::DateTime<chrono::Utc>)>> {
                Ok(sqlx::query_as(
                    "SELECT id, lat, lon, state, created_at FROM desk_reports WHERE service_code = $1 \
                     AND state NOT IN ('resolved', 'rejected', 'merged') AND lat BETWEEN $2 AND $3 AND lon BETWEEN $4 AND $5 \
                     ORDER BY id DESC LIMIT 50",
                )
                .bind(service_code)
                .bind(lat - dlat)
                .bind(lat + dlat)
                .bind(lon - dlon)
                .bind(lon + dlon)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn prune_filing_locks(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<u64> {
                Ok(sqlx::query("DELETE FROM desk_filing_locks WHERE at < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }

            #[tracing::instrument(skip(self), err)]
            async fn erase_closed_report_contacts(
                &self,
                closed_before: chrono::DateTime<chrono::Utc>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<u64> {
                let mut tx = self.pool.begin().await?;
                $crate::storage::panel::write_first!(tx);
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT r.id FROM desk_reports r WHERE r.state IN ('resolved', 'rejected', 'merged') \
                     AND (SELECT MAX(e.at) FROM desk_report_events e WHERE e.report_id = r.id) <= $1 \
                     AND (r.contact_value IS NOT NULL OR EXISTS (SELECT 1 FROM desk_contacts c \
                       WHERE c.report_id = r.id AND c.value IS NOT NULL)) \
                     ORDER BY r.id LIMIT 1000",
                )
                .bind(closed_before)
                .fetch_all(&mut *tx)
                .await?;
                for id in &ids {
                    // The fingerprint was computed from the contact too: it goes with it.
                    sqlx::query(
                        "UPDATE desk_reports SET contact_kind = NULL, contact_value = NULL, \
                         fingerprint = 'erased' WHERE id = $1",
                    )
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "UPDATE desk_contacts SET value = NULL, secret_hash = NULL, erased_at = $2 \
                         WHERE report_id = $1 AND value IS NOT NULL",
                    )
                    .bind(id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(ids.len() as u64)
            }

            #[tracing::instrument(skip(self), err)]
            async fn resident_desk_contacts(
                &self,
                resident_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::desk_notify::DeskContact>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE resident_id = $1 ORDER BY id",
                    $crate::storage::desk_notify::CONTACT_SELECT
                )))
                .bind(resident_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn erase_resident_desk_contacts(
                &self,
                resident_id: i64,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<u64> {
                // A report keeps a copy of its reporter's contact, and keeps it when a merge moved the contact row
                // to another report: every copy of the resident's value goes with the rows.
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE desk_reports SET contact_value = NULL WHERE contact_value IN \
                     (SELECT value FROM desk_contacts WHERE resident_id = $1 AND value IS NOT NULL)",
                )
                .bind(resident_id)
                .execute(&mut *tx)
                .await?;
                let n = sqlx::query(
                    "UPDATE desk_contacts SET value = NULL, secret_hash = NULL, erased_at = $2 \
                     WHERE resident_id = $1 AND value IS NOT NULL",
                )
                .bind(resident_id)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(n)
            }
        }
    };
}

pub(crate) use impl_desk_notify_store;
