//! What both backends implement alike: every store of the interface (each from its area's shared SQL) and the
//! [`Storage`](super::Storage) tail. A backend names its type, its engine (a [`Backend`](super::Backend) and
//! `QueueDb` variant of the same name) and its dialect's expression for a row's day.

macro_rules! impl_storage {
    ($store:ident, $engine:ident, day = $day:literal) => {
        super::officials::impl_official_store!($store);
        super::sessions::impl_session_store!($store);
        super::audit::impl_audit_store!($store);
        super::districts::impl_district_store!($store);
        super::secrets::impl_secret_store!($store);
        super::panel::impl_panel_store!($store, day = $day);
        super::consent::impl_consent_store!($store);
        super::access::impl_access_store!($store);
        super::alerts::impl_alert_store!($store);
        super::polls::impl_poll_store!($store);
        super::surveys_sql::impl_survey_store!($store);
        super::resident_data::impl_resident_data_store!($store);
        super::cap_feeds::impl_cap_feed_store!($store);
        super::desk::impl_desk_store!($store);
        super::desk_catalogue::impl_catalogue_store!($store);
        super::open311::impl_open311_store!($store);
        super::desk_public::impl_desk_public_store!($store);
        super::desk_notify::impl_desk_notify_store!($store);
        super::desk_merge::impl_desk_merge_store!($store);
        super::desk_worklist::impl_desk_worklist_store!($store);

        #[async_trait::async_trait]
        impl super::Storage for $store {
            fn backend(&self) -> super::Backend {
                super::Backend::$engine
            }

            async fn ping(&self) -> super::StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn queue_ping(&self) -> super::StoreResult<()> {
                Ok(hejnal_jobs::ping(&self.queue_db()).await?)
            }

            fn queue_db(&self) -> hejnal_jobs::QueueDb {
                hejnal_jobs::QueueDb::$engine(self.pool.clone())
            }

            async fn close(&self) {
                self.pool.close().await;
            }
        }
    };
}

pub(super) use impl_storage;
