//! Keys the application generates once and keeps, in SQL both backends understand.

/// Implements [`super::SecretStore`] for a store with a `pool` field.
macro_rules! impl_secret_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::SecretStore for $store {
            #[tracing::instrument(skip(self, candidate), err)]
            async fn secret_or_insert(&self, name: &str, candidate: &str) -> $crate::storage::StoreResult<String> {
                sqlx::query("INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                    .bind(name)
                    .bind(candidate)
                    .execute(&self.pool)
                    .await?;
                Ok(sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await?)
            }
        }
    };
}

pub(crate) use impl_secret_store;
