//! Editing the desk's catalogue (admins): a service added or changed with its extra questions and district routes,
//! retired or reinstated — each write one transaction together with its audit entry, so a refused or failed write
//! leaves neither a half-changed service nor an entry for a change that did not happen. SQL both backends
//! understand, expanded for each by [`impl_catalogue_store`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::{audit::NewAuditEntry, desk::Service};

/// Whether [`CatalogueStore::write_service`] adds a new service or changes a stored one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceWrite {
    Add,
    Update,
}

#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// Adds a service, or replaces a stored one's texts, unit, target days, questions and district routes (its code
    /// and whether it is active stay), with the audit entry. False when nothing was written: adding a code that is
    /// taken, or changing one that is not there.
    async fn write_service(
        &self,
        service: &Service,
        write: ServiceWrite,
        audit: &NewAuditEntry,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Retires (`false`) or reinstates a service, with the audit entry; false when there is no such service.
    async fn set_service_active(
        &self,
        code: &str,
        active: bool,
        audit: &NewAuditEntry,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

/// Adds a service unless its code is stored (seeding and adding alike); the values bound by [`bind_service`].
pub(crate) const INSERT_SERVICE: &str = "INSERT INTO desk_services (code, unit, target_days, name_pl, name_en, \
     name_uk, hint_pl, hint_en, hint_uk, keywords_pl, keywords_en, keywords_uk) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (code) DO NOTHING";

/// Binds a service's code, unit, target days, names, hints and keywords as `$1`…`$12`.
macro_rules! bind_service {
    ($query:expr, $s:expr) => {
        $query
            .bind(&$s.code)
            .bind(&$s.unit)
            .bind($s.target_days)
            .bind(&$s.name.pl)
            .bind(&$s.name.en)
            .bind(&$s.name.uk)
            .bind(&$s.hint.pl)
            .bind(&$s.hint.en)
            .bind(&$s.hint.uk)
            .bind(&$s.keywords.pl)
            .bind(&$s.keywords.en)
            .bind(&$s.keywords.uk)
    };
}
pub(crate) use bind_service;

/// Inserts a service's questions in their order inside the transaction `$tx` (a question already stored is kept).
macro_rules! insert_attributes {
    ($tx:expr, $s:expr) => {
        for (i, a) in $s.attributes.iter().enumerate() {
            sqlx::query(
                "INSERT INTO desk_attributes (service_code, code, position, kind, required, label_pl, label_en, \
                 label_uk) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (service_code, code) DO NOTHING",
            )
            .bind(&$s.code)
            .bind(&a.code)
            .bind(i as i64 + 1)
            .bind(a.kind.as_str())
            .bind(a.required)
            .bind(&a.label.pl)
            .bind(&a.label.en)
            .bind(&a.label.uk)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use insert_attributes;

/// Appends an audit entry inside the transaction `$tx`.
macro_rules! audit_in {
    ($tx:expr, $entry:expr, $at:expr) => {
        sqlx::query("INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind($at)
            .bind($entry.actor)
            .bind($entry.action.as_str())
            .bind(&$entry.subject)
            .bind($entry.detail.to_string())
            .execute(&mut *$tx)
            .await?
    };
}
pub(crate) use audit_in;

/// Implements [`CatalogueStore`] for a store with a `pool` field.
macro_rules! impl_catalogue_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::desk_catalogue::CatalogueStore for $store {
            #[tracing::instrument(skip_all, fields(service = %s.code), err)]
            async fn write_service(
                &self,
                s: &$crate::domain::desk::Service,
                write: $crate::storage::desk_catalogue::ServiceWrite,
                audit: &$crate::domain::audit::NewAuditEntry,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let sql = match write {
                    $crate::storage::desk_catalogue::ServiceWrite::Add => {
                        $crate::storage::desk_catalogue::INSERT_SERVICE
                    }
                    $crate::storage::desk_catalogue::ServiceWrite::Update => {
                        "UPDATE desk_services SET unit = $2, target_days = $3, name_pl = $4, name_en = $5, \
                         name_uk = $6, hint_pl = $7, hint_en = $8, hint_uk = $9, keywords_pl = $10, \
                         keywords_en = $11, keywords_uk = $12 WHERE code = $1"
                    }
                };
                let mut tx = self.pool.begin().await?;
                let n = $crate::storage::desk_catalogue::bind_service!(sqlx::query(sql), s)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n != 1 {
                    return Ok(false);
                }
                for table in ["desk_attributes", "desk_service_routes"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE service_code = $1")))
                        .bind(&s.code)
                        .execute(&mut *tx)
                        .await?;
                }
                $crate::storage::desk_catalogue::insert_attributes!(tx, s);
                for r in &s.routes {
                    sqlx::query("INSERT INTO desk_service_routes (service_code, district, unit) VALUES ($1, $2, $3)")
                        .bind(&s.code)
                        .bind(r.district)
                        .bind(&r.unit)
                        .execute(&mut *tx)
                        .await?;
                }
                $crate::storage::desk_catalogue::audit_in!(tx, audit, at);
                tx.commit().await?;
                Ok(true)
            }

            #[tracing::instrument(skip(self, audit, at), err)]
            async fn set_service_active(
                &self,
                code: &str,
                active: bool,
                audit: &$crate::domain::audit::NewAuditEntry,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::storage::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let n = sqlx::query("UPDATE desk_services SET active = $2 WHERE code = $1")
                    .bind(code)
                    .bind(active)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n != 1 {
                    return Ok(false);
                }
                $crate::storage::desk_catalogue::audit_in!(tx, audit, at);
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}

pub(crate) use impl_catalogue_store;
