//! Open311's tables and queries, in SQL both backends understand: the apps' API keys (a hash only, revocable) and
//! the reports as Open311's `GET requests` lists them (filtered by id, service, date and state, newest first, with
//! the last public note as `status_notes`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;

/// An app's API key as listed to admins (never the key itself).
#[derive(Clone, Debug, Serialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a key sent by an app turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLookup {
    /// A valid key (its id); its last use was recorded.
    Active(i64),
    Revoked,
    Unknown,
}

/// Which reports `GET requests` wants (already checked by the use case).
#[derive(Clone, Debug, Default)]
pub struct RequestFilter {
    /// When not empty, these ids and nothing else (Open311: `service_request_id` overrides the other filters).
    pub ids: Vec<i64>,
    pub service_codes: Vec<String>,
    /// Stored states (`new`, `resolved`, …); empty: every state.
    pub states: Vec<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub limit: i64,
}

/// A report as Open311 shows it (the use case decides what of it is public).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub service_code: String,
    pub unit: String,
    pub state: String,
    pub description: String,
    pub lat: f64,
    pub lon: f64,
    pub address: Option<String>,
    pub public: bool,
    pub published: bool,
    pub photos: i64,
    pub token: String,
    pub due_on: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The latest non-empty public note.
    pub status_notes: Option<String>,
}

/// A synthetic report for the benchmarks (`hejnal bench desk-seed`): no contact, no description worth reading.
#[derive(Clone, Debug)]
pub struct SyntheticReport {
    pub service_code: String,
    pub unit: String,
    pub state: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub token: String,
    pub due_on: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait Open311Store: Send + Sync {
    async fn create_api_key(
        &self,
        name: &str,
        key_hash: &str,
        created_by: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Looks a key up by its hash; an active key's last use becomes `now`.
    async fn api_key_by_hash(&self, key_hash: &str, now: DateTime<Utc>) -> StoreResult<KeyLookup>;
    /// Newest first.
    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>>;
    /// False when there is no such key or it was revoked already.
    async fn revoke_api_key(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Reports matching the filter, newest first.
    async fn open311_requests(&self, filter: &RequestFilter) -> StoreResult<Vec<RequestRow>>;
    /// The id of the report with this Open311 token.
    async fn report_id_by_token(&self, token: &str) -> StoreResult<Option<i64>>;
    /// Inserts synthetic reports in one statement (benchmarks only; a few hundred at a time).
    async fn insert_synthetic_reports(&self, rows: &[SyntheticReport]) -> StoreResult<()>;
}

/// One value bound to a numbered placeholder of the requests query.
pub(crate) enum Bind {
    Id(i64),
    Text(String),
    At(DateTime<Utc>),
}

/// The requests query and its values, in placeholder order.
pub(crate) fn requests_sql(f: &RequestFilter) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut clauses = Vec::new();
    let mark = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    if !f.ids.is_empty() {
        let marks: Vec<String> = f.ids.iter().map(|id| mark(&mut binds, Bind::Id(*id))).collect();
        clauses.push(format!("r.id IN ({})", marks.join(", ")));
    } else {
        if !f.service_codes.is_empty() {
            let marks: Vec<String> = f.service_codes.iter().map(|c| mark(&mut binds, Bind::Text(c.clone()))).collect();
            clauses.push(format!("r.service_code IN ({})", marks.join(", ")));
        }
        if !f.states.is_empty() {
            let marks: Vec<String> = f.states.iter().map(|s| mark(&mut binds, Bind::Text(s.clone()))).collect();
            clauses.push(format!("r.state IN ({})", marks.join(", ")));
        }
        if let Some(start) = f.start {
            clauses.push(format!("r.created_at >= {}", mark(&mut binds, Bind::At(start))));
        }
        if let Some(end) = f.end {
            clauses.push(format!("r.created_at <= {}", mark(&mut binds, Bind::At(end))));
        }
    }
    let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    let limit = mark(&mut binds, Bind::Id(f.limit));
    let sql = format!(
        "SELECT r.id, r.service_code, r.unit, r.state, r.description, r.lat, r.lon, r.address, r.public, \
         r.published, r.photos, r.token, r.due_on, r.created_at, r.updated_at, \
         (SELECT e.public_note FROM desk_report_events e WHERE e.report_id = r.id AND e.public_note <> '' \
         ORDER BY e.id DESC LIMIT 1) AS status_notes \
         FROM desk_reports r{filter} ORDER BY r.created_at DESC, r.id DESC LIMIT {limit}"
    );
    (sql, binds)
}

/// Implements [`Open311Store`] for a store with a `pool` field.
macro_rules! impl_open311_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::open311::Open311Store for $store {
            #[tracing::instrument(skip_all, err)]
            async fn create_api_key(
                &self,
                name: &str,
                key_hash: &str,
                created_by: Option<i64>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO open311_api_keys (name, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4) \
                     RETURNING id",
                )
                .bind(name)
                .bind(key_hash)
                .bind(created_by)
                .bind(now)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .next()
                .ok_or(sqlx::Error::RowNotFound)?;
                Ok(id)
            }

            #[tracing::instrument(skip_all, err)]
            async fn api_key_by_hash(
                &self,
                key_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<$crate::storage::open311::KeyLookup> {
                use $crate::storage::open311::KeyLookup;
                let found: Option<(i64, Option<chrono::DateTime<chrono::Utc>>)> =
                    sqlx::query_as("SELECT id, revoked_at FROM open311_api_keys WHERE key_hash = $1")
                        .bind(key_hash)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(match found {
                    None => KeyLookup::Unknown,
                    Some((_, Some(_))) => KeyLookup::Revoked,
                    Some((id, None)) => {
                        sqlx::query("UPDATE open311_api_keys SET last_used_at = $1 WHERE id = $2")
                            .bind(now)
                            .bind(id)
                            .execute(&self.pool)
                            .await?;
                        KeyLookup::Active(id)
                    }
                })
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_api_keys(&self) -> $crate::storage::StoreResult<Vec<$crate::storage::open311::ApiKey>> {
                type Row = (
                    i64,
                    String,
                    Option<i64>,
                    chrono::DateTime<chrono::Utc>,
                    Option<chrono::DateTime<chrono::Utc>>,
                    Option<chrono::DateTime<chrono::Utc>>,
                );
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT id, name, created_by, created_at, last_used_at, revoked_at FROM open311_api_keys \
                     ORDER BY id DESC",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, created_by, created_at, last_used_at, revoked_at)| {
                        $crate::storage::open311::ApiKey { id, name, created_by, created_at, last_used_at, revoked_at }
                    })
                    .collect())
            }

            #[tracing::instrument(skip(self), err)]
            async fn revoke_api_key(
                &self,
                id: i64,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let n = sqlx::query("UPDATE open311_api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(n == 1)
            }

            #[tracing::instrument(skip_all, err)]
            async fn open311_requests(
                &self,
                filter: &$crate::storage::open311::RequestFilter,
            ) -> $crate::storage::StoreResult<Vec<$crate::storage::open311::RequestRow>> {
                use $crate::storage::open311::Bind;
                let (sql, binds) = $crate::storage::open311::requests_sql(filter);
                let mut q = sqlx::query_as::<_, $crate::storage::open311::RequestRow>(sqlx::AssertSqlSafe(sql));
                for b in binds {
                    q = match b {
                        Bind::Id(v) => q.bind(v),
                        Bind::Text(v) => q.bind(v),
                        Bind::At(v) => q.bind(v),
                    };
                }
                Ok(q.fetch_all(&self.pool).await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn report_id_by_token(&self, token: &str) -> $crate::storage::StoreResult<Option<i64>> {
                Ok(sqlx::query_scalar("SELECT id FROM desk_reports WHERE token = $1")
                    .bind(token)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            #[tracing::instrument(skip_all, err)]
            async fn insert_synthetic_reports(
                &self,
                rows: &[$crate::storage::open311::SyntheticReport],
            ) -> $crate::storage::StoreResult<()> {
                if rows.is_empty() {
                    return Ok(());
                }
                let values: Vec<String> = (0..rows.len())
                    .map(|i| {
                        let b = i * 8;
                        format!(
                            "(${}, ${}, ${}, 'synthetic report', ${}, ${}, NULL, FALSE, 'pl', ${}, ${}, ${}, ${}, ${})",
                            b + 1,
                            b + 2,
                            b + 3,
                            b + 4,
                            b + 5,
                            b + 6,
                            b + 6,
                            b + 7,
                            b + 8,
                            b + 8
                        )
                    })
                    .collect();
                let sql = format!(
                    "INSERT INTO desk_reports (service_code, unit, state, description, lat, lon, address, public, \
                     lang, token, fingerprint, due_on, created_at, updated_at) VALUES {}",
                    values.join(", ")
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for r in rows {
                    q = q
                        .bind(&r.service_code)
                        .bind(&r.unit)
                        .bind(r.state)
                        .bind(r.lat)
                        .bind(r.lon)
                        .bind(&r.token)
                        .bind(&r.due_on)
                        .bind(r.created_at);
                }
                q.execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_open311_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_override_every_other_filter_and_placeholders_follow_the_values() {
        let f = RequestFilter {
            ids: vec![4, 7],
            service_codes: vec!["x".into()],
            states: vec!["new".into()],
            start: Some(Utc::now()),
            end: None,
            limit: 10,
        };
        let (sql, binds) = requests_sql(&f);
        assert!(sql.contains("r.id IN ($1, $2)") && sql.ends_with("LIMIT $3"), "{sql}");
        assert!(!sql.contains("service_code IN") && !sql.contains("created_at >="), "{sql}");
        assert_eq!(binds.len(), 3);
        let f = RequestFilter { ids: vec![], ..f };
        let (sql, binds) = requests_sql(&f);
        assert!(sql.contains("r.service_code IN ($1) AND r.state IN ($2) AND r.created_at >= $3"), "{sql}");
        assert_eq!(binds.len(), 4);
    }
}
