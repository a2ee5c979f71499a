//! The SQL of [`super::SurveyStore`], written once for both backends.

use super::AudienceFilter;

/// How one audience row packs into an integer: bit 0 capped, bits 1–2 channel (1 email, 2 push, 3 SMS), bits 3–4
/// language (0 pl, 1 en, 2 uk), bits 5–8 age band (0 none, 1… in [`AgeBand::ALL`] order), the resident id above.
///
/// [`AgeBand::ALL`]: crate::domain::panel::AgeBand::ALL
const PACK_CHANNEL: i64 = 2;
const PACK_LANGUAGE: i64 = 8;
const PACK_AGE: i64 = 32;
const PACK_ID: i64 = 512;

/// The member behind one packed audience row.
pub(crate) fn unpack_member(packed: i64, district: i64) -> super::Member {
    let age = ((packed / PACK_AGE) % 16) as usize;
    super::Member {
        resident_id: packed / PACK_ID,
        district,
        age_band: match age {
            0 => String::new(),
            n => crate::domain::panel::AgeBand::ALL.get(n - 1).map(|a| a.as_str().to_string()).unwrap_or_default(),
        },
        language: ["pl", "en", "uk"][(((packed / PACK_LANGUAGE) % 4) as usize).min(2)].to_string(),
        channel: match (packed / PACK_CHANNEL) % 4 {
            1 => "email",
            2 => "push",
            _ => "sms",
        }
        .to_string(),
        capped: packed % 2 == 1,
    }
}

/// The audience query. Filter values are validated by the caller (district numbers, known age bands, interests and
/// language codes) and only then formatted in; nothing a person typed reaches SQL unchecked.
pub(crate) fn audience_sql(f: &AudienceFilter, backend: super::Backend) -> String {
    let quoted = |v: &[String]| v.iter().map(|s| format!("'{}'", s.replace('\'', "''"))).collect::<Vec<_>>().join(",");
    let mut filters = String::new();
    if !f.districts.is_empty() {
        let list = f.districts.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        filters.push_str(&format!(" AND r.home_district IN ({list})"));
    }
    if !f.age_bands.is_empty() {
        filters.push_str(&format!(" AND r.age_band IN ({})", quoted(&f.age_bands)));
    }
    if !f.languages.is_empty() {
        filters.push_str(&format!(" AND r.language IN ({})", quoted(&f.languages)));
    }
    if !f.interests.is_empty() {
        filters.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM resident_interests i WHERE i.resident_id = r.id AND i.interest IN ({}))",
            quoted(&f.interests)
        ));
    }
    // Integers only, and all but the district packed into one (see [`unpack_member`]): decoding a million rows is
    // most of the query's time through sqlx, and it goes by the column.
    let age_code = format!(
        "CASE r.age_band {} ELSE 0 END",
        crate::domain::panel::AgeBand::ALL
            .iter()
            .enumerate()
            .map(|(i, a)| format!("WHEN '{}' THEN {}", a.as_str(), i + 1))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // sqlx hands SQLite's rows one at a time from its worker thread (about 1.5 µs each, 0.9 s for the whole city),
    // so the members come back as one comma-separated list per district instead of a row each.
    let list = match backend {
        super::Backend::Sqlite => "group_concat(CAST(m.packed AS TEXT), ',')",
        super::Backend::Postgres => "string_agg(CAST(m.packed AS TEXT), ',')",
    };
    // Per consent row rather than per resident: which consented, reachable channel comes first (email, then push,
    // then SMS), and how many survey invitations each resident had lately — joined once. No order: the sample
    // draw sorts the frame itself.
    let members = format!(
        "WITH best AS (\
           SELECT c.resident_id, MIN(CASE c.channel WHEN 'email' THEN 1 WHEN 'push' THEN 2 ELSE 3 END) AS pref \
           FROM consent_current c WHERE c.purpose = 'surveys' AND c.granted AND (\
             (c.channel = 'email' AND EXISTS (SELECT 1 FROM contact_points p WHERE p.resident_id = c.resident_id \
               AND p.kind = 'email' AND p.verified_at IS NOT NULL)) \
             OR (c.channel = 'sms' AND EXISTS (SELECT 1 FROM contact_points p WHERE p.resident_id = c.resident_id \
               AND p.kind = 'phone' AND p.verified_at IS NOT NULL)) \
             OR (c.channel = 'push' AND EXISTS (SELECT 1 FROM push_subscriptions s \
               WHERE s.resident_id = c.resident_id))) \
           GROUP BY c.resident_id), \
         recent AS (\
           SELECT resident_id, COUNT(*) AS n FROM survey_invitations WHERE invited_at > $1 \
           AND resident_id IS NOT NULL GROUP BY resident_id), \
         members AS (SELECT CAST(r.id * {PACK_ID} + ({age_code}) * {PACK_AGE} \
           + (CASE r.language WHEN 'en' THEN 1 WHEN 'uk' THEN 2 ELSE 0 END) * {PACK_LANGUAGE} \
           + best.pref * {PACK_CHANNEL} \
           + (CASE WHEN COALESCE(recent.n, 0) >= r.monthly_survey_limit THEN 1 ELSE 0 END) AS BIGINT) AS packed, \
           r.home_district AS district \
         FROM best JOIN residents r ON r.id = best.resident_id LEFT JOIN recent ON recent.resident_id = r.id \
         WHERE r.verified_at IS NOT NULL AND r.erased_at IS NULL AND r.home_district IS NOT NULL{filters})"
    );
    format!("{members} SELECT m.district, {list} FROM members m GROUP BY m.district")
}

/// Rows per multi-row statement. sqlx maps each bound value to its `$n` by name, which costs time quadratic in the
/// parameters of one statement; sixteen rows (under a hundred parameters) measured fastest.
pub(crate) const ROWS_PER_STATEMENT: usize = 16;

/// `($1, $2, …), (…)`: `rows` groups of `width` numbered placeholders.
pub(crate) fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) const SURVEY_SELECT: &str =
    "SELECT id, state, def, author_id, created_at, launched_at, launch, publication FROM surveys";

pub(crate) const INVITATION_SELECT: &str = "SELECT id, survey_id, resident_id, district, age_band, channel, language, \
     invited_at, reminders, answered_at FROM survey_invitations";

#[derive(sqlx::FromRow)]
pub(crate) struct SurveyRow {
    id: i64,
    state: String,
    def: String,
    author_id: i64,
    created_at: chrono::DateTime<chrono::Utc>,
    launched_at: Option<chrono::DateTime<chrono::Utc>>,
    launch: Option<String>,
    publication: String,
}

impl SurveyRow {
    pub(crate) fn into_record(self) -> super::StoreResult<super::SurveyRecord> {
        let bad =
            |what: &str, e: serde_json::Error| anyhow::anyhow!("stored {what} of survey {} is invalid: {e}", self.id);
        Ok(super::SurveyRecord {
            def: serde_json::from_str(&self.def).map_err(|e| bad("questionnaire", e))?,
            launch: self.launch.as_deref().map(serde_json::from_str).transpose().map_err(|e| bad("launch", e))?,
            publication: serde_json::from_str(&self.publication).map_err(|e| bad("publication", e))?,
            state: crate::domain::lifecycle::SurveyState::parse(&self.state)
                .ok_or_else(|| anyhow::anyhow!("stored state {:?} of survey {} is unknown", self.state, self.id))?,
            id: self.id,
            author_id: self.author_id,
            created_at: self.created_at,
            launched_at: self.launched_at,
        })
    }
}

/// Implements [`super::SurveyStore`] for a store with a `pool` field.
macro_rules! impl_survey_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::SurveyStore for $store {
            #[tracing::instrument(skip(self, def), err)]
            async fn create_survey(
                &self,
                def: &$crate::domain::survey::SurveyDef,
                author_id: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                let def = serde_json::to_string(def).map_err(anyhow::Error::from)?;
                Ok(sqlx::query_scalar(
                    "INSERT INTO surveys (state, def, author_id, created_at) VALUES ('draft', $1, $2, $3) RETURNING id",
                )
                .bind(def)
                .bind(author_id)
                .bind(now)
                .fetch_all(&self.pool)
                .await?
                .into_iter().next().ok_or(sqlx::Error::RowNotFound)?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn survey(&self, id: i64) -> $crate::storage::StoreResult<Option<$crate::storage::SurveyRecord>> {
                let row: Option<$crate::storage::surveys_sql::SurveyRow> = sqlx::query_as(sqlx::AssertSqlSafe(
                    format!("{} WHERE id = $1", $crate::storage::surveys_sql::SURVEY_SELECT),
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| r.into_record()).transpose()
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_surveys(&self) -> $crate::storage::StoreResult<Vec<$crate::storage::SurveyRecord>> {
                let rows: Vec<$crate::storage::surveys_sql::SurveyRow> = sqlx::query_as(sqlx::AssertSqlSafe(
                    format!("{} ORDER BY id DESC", $crate::storage::surveys_sql::SURVEY_SELECT),
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(|r| r.into_record()).collect()
            }

            #[tracing::instrument(skip(self), err)]
            async fn launched_surveys(&self) -> $crate::storage::StoreResult<Vec<$crate::storage::SurveyRecord>> {
                let rows: Vec<$crate::storage::surveys_sql::SurveyRow> = sqlx::query_as(sqlx::AssertSqlSafe(
                    format!("{} WHERE state = 'launched' ORDER BY id", $crate::storage::surveys_sql::SURVEY_SELECT),
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(|r| r.into_record()).collect()
            }

            #[tracing::instrument(skip(self, def), err)]
            async fn update_draft(
                &self,
                id: i64,
                def: &$crate::domain::survey::SurveyDef,
            ) -> $crate::storage::StoreResult<bool> {
                let def = serde_json::to_string(def).map_err(anyhow::Error::from)?;
                let n = sqlx::query("UPDATE surveys SET def = $2 WHERE id = $1 AND state = 'draft'")
                    .bind(id)
                    .bind(def)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n == 1)
            }

            async fn survey_revisions(
                &self,
                id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::RevisionRow>> {
                Ok(sqlx::query_as(
                    "SELECT r.at, o.name AS official, r.note FROM survey_revisions r \
                     JOIN officials o ON o.id = r.official_id WHERE r.survey_id = $1 ORDER BY r.at, r.id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self, before, after), err)]
            async fn revise_survey(
                &self,
                id: i64,
                official_id: i64,
                note: &str,
                before: &$crate::domain::survey::SurveyDef,
                after: &$crate::domain::survey::SurveyDef,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<()> {
                let (b, a) = (
                    serde_json::to_string(before).map_err(anyhow::Error::from)?,
                    serde_json::to_string(after).map_err(anyhow::Error::from)?,
                );
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO survey_revisions (survey_id, official_id, at, note, before, after) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(official_id)
                .bind(now)
                .bind(note)
                .bind(&b)
                .bind(&a)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE surveys SET def = $2 WHERE id = $1").bind(id).bind(&a).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self, filter), err)]
            async fn survey_audience(
                &self,
                filter: &$crate::storage::AudienceFilter,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::Member>> {
                let backend = $crate::storage::Storage::backend(self);
                let sql = $crate::storage::surveys_sql::audience_sql(filter, backend);
                let lists: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(now - chrono::Duration::days(30))
                    .fetch_all(&self.pool)
                    .await?;
                let mut members = Vec::new();
                for (district, list) in lists {
                    for packed in list.split(',').filter(|s| !s.is_empty()) {
                        let packed: i64 = packed
                            .parse()
                            .map_err(|_| anyhow::anyhow!("the audience query gave {packed:?}, not a number"))?;
                        members.push($crate::storage::surveys_sql::unpack_member(packed, district));
                    }
                }
                Ok(members)
            }

            #[tracing::instrument(skip(self, plan, invitations), fields(n = invitations.len()), err)]
            async fn launch_survey(
                &self,
                id: i64,
                official_id: i64,
                plan: &serde_json::Value,
                invitations: &[$crate::storage::NewInvitation],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let n = sqlx::query(
                    "UPDATE surveys SET state = 'launched', launched_at = $2, launched_by = $3, launch = $4 \
                     WHERE id = $1 AND state = 'draft'",
                )
                .bind(id)
                .bind(now)
                .bind(official_id)
                .bind(plan.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n != 1 {
                    return Ok(false);
                }
                for inv in invitations {
                    sqlx::query(
                        "INSERT INTO survey_invitations (survey_id, resident_id, token_hash, district, age_band, \
                         channel, language, invited_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(inv.resident_id)
                    .bind(&inv.token_hash)
                    .bind(inv.district)
                    .bind(&inv.age_band)
                    .bind(&inv.channel)
                    .bind(&inv.language)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            #[tracing::instrument(skip_all, err)]
            async fn invitation_by_token(
                &self,
                token_hash: &str,
            ) -> $crate::storage::StoreResult<Option<$crate::storage::Invitation>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE token_hash = $1",
                    $crate::storage::surveys_sql::INVITATION_SELECT
                )))
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn invitations_of(
                &self,
                survey_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::Invitation>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE survey_id = $1 ORDER BY id",
                    $crate::storage::surveys_sql::INVITATION_SELECT
                )))
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self, r), fields(survey_id = r.survey_id), err)]
            async fn record_response(&self, r: &$crate::storage::NewResponse) -> $crate::storage::StoreResult<bool> {
                Ok(self.record_responses(std::slice::from_ref(r)).await?.first().copied().unwrap_or(false))
            }

            #[tracing::instrument(skip(self, batch), fields(n = batch.len()), err)]
            async fn record_responses(
                &self,
                batch: &[$crate::storage::NewResponse],
            ) -> $crate::storage::StoreResult<Vec<bool>> {
                use std::collections::{HashMap, HashSet};
                if batch.is_empty() {
                    return Ok(Vec::new());
                }
                let mut tx = self.pool.begin().await?;
                // Which invitations this batch answers first (one statement; ids are integers).
                let ids: Vec<String> = batch.iter().map(|r| r.invitation_id.to_string()).collect();
                let answered: HashSet<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "UPDATE survey_invitations SET answered_at = $1 WHERE answered_at IS NULL AND id IN ({}) \
                     RETURNING id",
                    ids.join(",")
                )))
                .bind(chrono::Utc::now())
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
                let mut taken = HashSet::new();
                let flags: Vec<bool> =
                    batch.iter().map(|r| answered.contains(&r.invitation_id) && taken.insert(r.invitation_id)).collect();
                let stored: Vec<&$crate::storage::NewResponse> =
                    batch.iter().zip(&flags).filter(|(_, ok)| **ok).map(|(r, _)| r).collect();
                // The responses, sixteen rows a statement.
                for chunk in stored.chunks($crate::storage::surveys_sql::ROWS_PER_STATEMENT) {
                    let values = $crate::storage::surveys_sql::placeholders(chunk.len(), 6);
                    let sql = format!(
                        "INSERT INTO survey_responses (survey_id, answers, district, age_band, day, resident_id) \
                         VALUES {values}"
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for r in chunk {
                        q = q.bind(r.survey_id).bind(&r.answers).bind(r.district).bind(&r.age_band).bind(&r.day).bind(r.resident_id);
                    }
                    q.execute(&mut *tx).await?;
                }
                // Tallies and cells, added up first: one statement per distinct key instead of one per answer.
                let mut tallies: HashMap<(i64, &str, &str, i64, &str), i64> = HashMap::new();
                let mut cells: HashMap<(i64, i64, &str), i64> = HashMap::new();
                for r in &stored {
                    for (question, key) in &r.tallies {
                        *tallies.entry((r.survey_id, question, key, r.district, &r.age_band)).or_default() += 1;
                    }
                    *cells.entry((r.survey_id, r.district, &r.age_band)).or_default() += 1;
                }
                // Distinct keys only (added up above), so one statement never touches a row twice (PostgreSQL
                // refuses that); sixteen rows a statement.
                let tallies: Vec<_> = tallies.into_iter().collect();
                for chunk in tallies.chunks($crate::storage::surveys_sql::ROWS_PER_STATEMENT) {
                    let sql = format!(
                        "INSERT INTO survey_tallies (survey_id, question, key, district, age_band, n) VALUES {} \
                         ON CONFLICT (survey_id, question, key, district, age_band) \
                         DO UPDATE SET n = survey_tallies.n + excluded.n",
                        $crate::storage::surveys_sql::placeholders(chunk.len(), 6)
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for ((survey_id, question, key, district, age_band), n) in chunk {
                        q = q.bind(*survey_id).bind(*question).bind(*key).bind(*district).bind(*age_band).bind(*n);
                    }
                    q.execute(&mut *tx).await?;
                }
                let cells: Vec<_> = cells.into_iter().collect();
                for chunk in cells.chunks($crate::storage::surveys_sql::ROWS_PER_STATEMENT) {
                    let sql = format!(
                        "INSERT INTO survey_cells (survey_id, district, age_band, n) VALUES {} \
                         ON CONFLICT (survey_id, district, age_band) DO UPDATE SET n = survey_cells.n + excluded.n",
                        $crate::storage::surveys_sql::placeholders(chunk.len(), 4)
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for ((survey_id, district, age_band), n) in chunk {
                        q = q.bind(*survey_id).bind(*district).bind(*age_band).bind(*n);
                    }
                    q.execute(&mut *tx).await?;
                }
                let texts: Vec<(i64, &String, &String)> =
                    stored.iter().flat_map(|r| r.texts.iter().map(move |(q, t)| (r.survey_id, q, t))).collect();
                for chunk in texts.chunks($crate::storage::surveys_sql::ROWS_PER_STATEMENT) {
                    let sql = format!(
                        "INSERT INTO survey_texts (survey_id, question, text) VALUES {}",
                        $crate::storage::surveys_sql::placeholders(chunk.len(), 3)
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (survey_id, question, text) in chunk {
                        q = q.bind(*survey_id).bind(*question).bind(*text);
                    }
                    q.execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(flags)
            }

            #[tracing::instrument(skip(self), err)]
            async fn tallies(&self, survey_id: i64) -> $crate::storage::StoreResult<Vec<$crate::storage::TallyRow>> {
                Ok(sqlx::query_as(
                    "SELECT question, key, district, age_band, n FROM survey_tallies WHERE survey_id = $1",
                )
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self, tallies, cells), err)]
            async fn add_tallies(
                &self,
                survey_id: i64,
                tallies: &[$crate::storage::TallyRow],
                cells: &[$crate::storage::CellRow],
            ) -> $crate::storage::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                for t in tallies {
                    sqlx::query(
                        "INSERT INTO survey_tallies (survey_id, question, key, district, age_band, n) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (survey_id, question, key, district, age_band) \
                         DO UPDATE SET n = survey_tallies.n + excluded.n",
                    )
                    .bind(survey_id)
                    .bind(&t.question)
                    .bind(&t.key)
                    .bind(t.district)
                    .bind(&t.age_band)
                    .bind(t.n)
                    .execute(&mut *tx)
                    .await?;
                }
                for c in cells {
                    sqlx::query(
                        "INSERT INTO survey_cells (survey_id, district, age_band, n) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (survey_id, district, age_band) DO UPDATE SET n = survey_cells.n + excluded.n",
                    )
                    .bind(survey_id)
                    .bind(c.district)
                    .bind(&c.age_band)
                    .bind(c.n)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self), err)]
            async fn respondent_total(&self, survey_id: i64) -> $crate::storage::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM survey_cells WHERE survey_id = $1")
                    .bind(survey_id)
                    .fetch_one(&self.pool)
                    .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn respondent_cells(
                &self,
                survey_id: i64,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::CellRow>> {
                Ok(sqlx::query_as(
                    "SELECT district, age_band, n FROM survey_cells WHERE survey_id = $1 ORDER BY district, age_band",
                )
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn invited_cells(&self, survey_id: i64) -> $crate::storage::StoreResult<Vec<$crate::storage::CellRow>> {
                Ok(sqlx::query_as(
                    "SELECT district, age_band, COUNT(*) AS n FROM survey_invitations WHERE survey_id = $1 \
                     GROUP BY district, age_band ORDER BY district, age_band",
                )
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn due_for_reminder(
                &self,
                survey_id: i64,
                reminders: i64,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::Invitation>> {
                Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "{} WHERE survey_id = $1 AND answered_at IS NULL AND resident_id IS NOT NULL AND reminders = $2 \
                     AND invited_at <= $3 ORDER BY id",
                    $crate::storage::surveys_sql::INVITATION_SELECT
                )))
                .bind(survey_id)
                .bind(reminders)
                .bind(before)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self, ids), fields(n = ids.len()), err)]
            async fn mark_reminded(&self, ids: &[i64], reminders: i64) -> $crate::storage::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                for id in ids {
                    sqlx::query("UPDATE survey_invitations SET reminders = $2 WHERE id = $1")
                        .bind(id)
                        .bind(reminders)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            #[tracing::instrument(skip(self), err)]
            async fn free_texts(&self, survey_id: i64) -> $crate::storage::StoreResult<Vec<$crate::storage::FreeText>> {
                Ok(sqlx::query_as(
                    "SELECT id, question, text, approved FROM survey_texts WHERE survey_id = $1 ORDER BY question, id",
                )
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await?)
            }

            #[tracing::instrument(skip(self), err)]
            async fn review_text(
                &self,
                survey_id: i64,
                id: i64,
                approved: bool,
                official_id: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query(
                    "UPDATE survey_texts SET approved = $2, reviewed_by = $3, reviewed_at = $4 \
                     WHERE id = $1 AND survey_id = $5",
                )
                .bind(id)
                .bind(approved)
                .bind(official_id)
                .bind(now)
                .bind(survey_id)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip(self, publication), err)]
            async fn set_publication(
                &self,
                survey_id: i64,
                publication: &$crate::storage::Publication,
            ) -> $crate::storage::StoreResult<()> {
                let json = serde_json::to_string(publication).map_err(anyhow::Error::from)?;
                sqlx::query("UPDATE surveys SET publication = $2 WHERE id = $1")
                    .bind(survey_id)
                    .bind(json)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            #[tracing::instrument(skip(self), err)]
            async fn responses(
                &self,
                survey_id: i64,
            ) -> $crate::storage::StoreResult<Vec<(String, i64, String, String)>> {
                Ok(sqlx::query_as(
                    "SELECT answers, district, age_band, day FROM survey_responses WHERE survey_id = $1 ORDER BY id",
                )
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(crate) use impl_survey_store;

#[cfg(test)]
mod packing_tests {
    use super::*;

    #[test]
    fn a_packed_row_unpacks_to_its_member() {
        // What the SQL computes for resident 987654321 in district 13, age band 3, Ukrainian, push, capped.
        let packed = 987_654_321 * PACK_ID + 3 * PACK_AGE + 2 * PACK_LANGUAGE + 2 * PACK_CHANNEL + 1;
        let m = unpack_member(packed, 13);
        assert_eq!((m.resident_id, m.district), (987_654_321, 13));
        assert_eq!(m.age_band, crate::domain::panel::AgeBand::ALL[2].as_str());
        assert_eq!((m.language.as_str(), m.channel.as_str(), m.capped), ("uk", "push", true));
        let plain = unpack_member(5 * PACK_ID + PACK_CHANNEL, 1);
        assert_eq!((plain.age_band.as_str(), plain.language.as_str(), plain.channel.as_str()), ("", "pl", "email"));
        assert!(!plain.capped);
    }
}
