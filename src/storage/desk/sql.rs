//! The desk's SQL, written once and expanded for both backends.

/// Implements [`super::DeskStore`] for a store with a `pool` field.
macro_rules! impl_desk_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::desk::DeskStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn seed_catalogue(&self, c: &$crate::domain::desk::Catalogue) -> $crate::storage::StoreResult<usize> {
                let mut tx = self.pool.begin().await?;
                for u in &c.units {
                    sqlx::query(
                        "INSERT INTO desk_units (code, name_pl, name_en, name_uk) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (code) DO NOTHING",
                    )
                    .bind(&u.code)
                    .bind(&u.name.pl)
                    .bind(&u.name.en)
                    .bind(&u.name.uk)
                    .execute(&mut *tx)
                    .await?;
                }
                let mut added = 0;
                for s in &c.services {
                    let n = $crate::storage::desk_catalogue::bind_service!(
                        sqlx::query($crate::storage::desk_catalogue::INSERT_SERVICE),
                        s
                    )
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if n == 0 {
                        continue;
                    }
                    added += 1;
                    $crate::storage::desk_catalogue::insert_attributes!(tx, s);
                }
                tx.commit().await?;
                Ok(added)
            }

            #[tracing::instrument(skip_all, err)]
            async fn catalogue(&self) -> $crate::storage::StoreResult<$crate::domain::desk::Catalogue> {
                let units = sqlx::query_as("SELECT code, name_pl, name_en, name_uk FROM desk_units ORDER BY code")
                    .fetch_all(&self.pool)
                    .await?;
                let services = sqlx::query_as(
                    "SELECT code, unit, target_days, name_pl, name_en, name_uk, hint_pl, hint_en, hint_uk, \
                     keywords_pl, keywords_en, keywords_uk, active FROM desk_services ORDER BY code",
                )
                .fetch_all(&self.pool)
                .await?;
                let attributes = sqlx::query_as(
                    "SELECT service_code, code, kind, required, label_pl, label_en, label_uk FROM desk_attributes \
                     ORDER BY service_code, position",
                )
                .fetch_all(&self.pool)
                .await?;
                let routes = sqlx::query_as(
                    "SELECT service_code, district, unit FROM desk_service_routes ORDER BY service_code, district",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok($crate::storage::desk::catalogue_from(units, services, attributes, routes))
            }

            #[tracing::instrument(skip_all, fields(n = batch.len()), err)]
            async fn file_reports(
                &self,
                batch: &[$crate::storage::desk::NewReport],
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::desk::Filed>> {
                let mut tx = self.pool.begin().await?;
                // SQLite: the write lock first, or this read-then-write transaction fails when another connection
                // writes in between (SQLITE_BUSY_SNAPSHOT); a no-op elsewhere.
                $crate::storage::panel::write_first!(tx);
                // PostgreSQL: claim the fingerprints' lock rows first. A second identical filing (in another
                // batch, another process) waits here until the first commits, then its read below (a new snapshot
                // under READ COMMITTED) finds the first. Claimed in fingerprint order, so two batches never wait
                // for each other in a circle.
                let mut order: Vec<&$crate::storage::desk::NewReport> = batch.iter().collect();
                order.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
                order.dedup_by(|a, b| a.fingerprint == b.fingerprint);
                for new in order {
                    sqlx::query(
                        "INSERT INTO desk_filing_locks (fingerprint, at) VALUES ($1, $2) \
                         ON CONFLICT (fingerprint) DO UPDATE SET at = excluded.at",
                    )
                    .bind(&new.fingerprint)
                    .bind(new.created_at)
                    .execute(&mut *tx)
                    .await?;
                }
                let mut filed = Vec::with_capacity(batch.len());
                for new in batch {
                    filed.push($crate::storage::desk::file_one!(tx, new));
                }
                tx.commit().await?;
                Ok(filed)
            }

            #[tracing::instrument(skip(self), err)]
            async fn report(
                &self,
                id: i64,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::desk::ReportRecord>> {
                let rows: Vec<$crate::storage::desk::ReportRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE id = $1",
                    $crate::storage::desk::REPORT_SELECT
                )))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                if rows.is_empty() {
                    return Ok(None);
                }
                let attributes = sqlx::query_as(
                    "SELECT report_id, code, value FROM desk_report_attributes WHERE report_id = $1 ORDER BY code",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let events = sqlx::query_as(
                    "SELECT report_id, at, official_id, from_state, to_state, unit, public_note, internal_note \
                     FROM desk_report_events WHERE report_id = $1 ORDER BY id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok($crate::storage::desk::assemble(rows, attributes, events)?.into_iter().next())
            }

            #[tracing::instrument(skip(self), err)]
            async fn report_photo(&self, id: i64, n: i64) -> $crate::storage::StoreResult<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar("SELECT jpeg FROM desk_photos WHERE report_id = $1 AND n = $2")
                    .bind(id)
                    .bind(n)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[tracing::instrument(skip(self, t), fields(official_id = t.official_id), err)]
            async fn transition_report(
                &self,
                id: i64,
                t: &$crate::storage::desk::NewTransition,
            ) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let n = sqlx::query(
                    "UPDATE desk_reports SET state = $2, unit = $3, updated_at = $4 \
                     WHERE id = $1 AND state = $5 AND unit = $6",
                )
                .bind(id)
                .bind(t.to.as_str())
                .bind(&t.to_unit)
                .bind(t.at)
                .bind(t.from.as_str())
                .bind(&t.from_unit)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n != 1 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO desk_report_events (report_id, at, official_id, from_state, to_state, unit, \
                     public_note, internal_note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(t.at)
                .bind(t.official_id)
                .bind(t.from.as_str())
                .bind(t.to.as_str())
                .bind(&t.to_unit)
                .bind(&t.public_note)
                .bind(&t.internal_note)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            #[tracing::instrument(skip(self, units), err)]
            async fn list_reports(
                &self,
                units: Option<&[String]>,
                limit: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::desk::ReportRecord>> {
                let (filter, list): (String, Vec<String>) = match units {
                    Some([]) => return Ok(Vec::new()),
                    Some(u) => {
                        let marks: Vec<String> = (0..u.len()).map(|i| format!("${}", i + 2)).collect();
                        (format!(" WHERE unit IN ({})", marks.join(", ")), u.to_vec())
                    }
                    None => (String::new(), Vec::new()),
                };
                let mut q = sqlx::query_as::<_, $crate::storage::desk::ReportRow>(sqlx::AssertSqlSafe(format!(
                    "{}{filter} ORDER BY id DESC LIMIT $1",
                    $crate::storage::desk::REPORT_SELECT
                )))
                .bind(limit);
                for u in list {
                    q = q.bind(u);
                }
                let rows = q.fetch_all(&self.pool).await?;
                $crate::storage::desk::assemble(rows, Vec::new(), Vec::new())
            }

            #[tracing::instrument(skip(self), err)]
            async fn staff_units(&self, official_id: i64) -> $crate::storage::StoreResult<Vec<String>> {
                Ok(sqlx::query_scalar("SELECT unit FROM desk_unit_staff WHERE official_id = $1 ORDER BY unit")
                    .bind(official_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            #[tracing::instrument(skip(self, units), err)]
            async fn set_staff_units(&self, official_id: i64, units: &[String]) -> $crate::storage::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM desk_unit_staff WHERE official_id = $1")
                    .bind(official_id)
                    .execute(&mut *tx)
                    .await?;
                for u in units {
                    sqlx::query("INSERT INTO desk_unit_staff (official_id, unit) VALUES ($1, $2)")
                        .bind(official_id)
                        .bind(u)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_desk_store;

/// Files one report inside the transaction `$tx` (its fingerprint's lock row already claimed): the first report
/// with the same fingerprint since `duplicate_since` if there is one, else the new report, its attributes, photos,
/// first history entry and the consent to hear back.
macro_rules! file_one {
    ($tx:expr, $new:expr) => {{
        let new: &$crate::storage::desk::NewReport = $new;
        let first: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, token FROM desk_reports WHERE fingerprint = $1 AND created_at >= $2 ORDER BY id LIMIT 1",
        )
        .bind(&new.fingerprint)
        .bind(new.duplicate_since)
        .fetch_optional(&mut *$tx)
        .await?;
        match first {
            Some((id, token)) => $crate::storage::desk::Filed { id, token, duplicate: true },
            None => {
                let (kind, value) = match &new.contact {
                    Some((k, v)) => (Some(*k), Some(v.as_str())),
                    None => (None, None),
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO desk_reports (service_code, unit, state, description, lat, lon, address, public, \
                     lang, contact_kind, contact_value, token, fingerprint, due_on, photos, district, created_at, \
                     updated_at) \
                     VALUES ($1, $2, 'new', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
                     RETURNING id",
                )
                .bind(&new.service_code)
                .bind(&new.unit)
                .bind(&new.description)
                .bind(new.lat)
                .bind(new.lon)
                .bind(&new.address)
                .bind(new.public)
                .bind(new.lang)
                .bind(kind)
                .bind(value)
                .bind(&new.token)
                .bind(&new.fingerprint)
                .bind(new.due_on.format("%Y-%m-%d").to_string())
                .bind(new.photos.len() as i64)
                .bind(new.district)
                .bind(new.created_at)
                .fetch_all(&mut *$tx)
                .await?
                .into_iter()
                .next()
                .ok_or(sqlx::Error::RowNotFound)?;
                for (code, value) in &new.attributes {
                    sqlx::query("INSERT INTO desk_report_attributes (report_id, code, value) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(code)
                        .bind(value)
                        .execute(&mut *$tx)
                        .await?;
                }
                for (i, p) in new.photos.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO desk_photos (report_id, n, jpeg, width, height) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(i as i64 + 1)
                    .bind(&p.jpeg)
                    .bind(p.width as i64)
                    .bind(p.height as i64)
                    .execute(&mut *$tx)
                    .await?;
                }
                sqlx::query(
                    "INSERT INTO desk_report_events (report_id, at, to_state, unit) VALUES ($1, $2, 'new', $3)",
                )
                .bind(id)
                .bind(new.created_at)
                .bind(&new.unit)
                .execute(&mut *$tx)
                .await?;
                if let Some((channel, version, method)) = new.consent {
                    sqlx::query(
                        "INSERT INTO consent_events (report_id, purpose, channel, granted, notice_version, at, \
                         method) VALUES ($1, 'report_updates', $2, TRUE, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(channel)
                    .bind(version)
                    .bind(new.created_at)
                    .bind(method)
                    .execute(&mut *$tx)
                    .await?;
                }
                $crate::storage::desk::Filed { id, token: new.token.clone(), duplicate: false }
            }
        }
    }};
}

pub(crate) use file_one;
