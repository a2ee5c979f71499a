//! The district registry, in SQL both backends understand.

/// Implements [`super::DistrictStore`] for a store with a `pool` field.
macro_rules! impl_district_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::DistrictStore for $store {
            #[tracing::instrument(skip_all, err)]
            async fn seed_districts(
                &self,
                districts: &[$crate::domain::district::District],
            ) -> $crate::storage::StoreResult<usize> {
                let mut tx = self.pool.begin().await?;
                let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts").fetch_one(&mut *tx).await?;
                if existing > 0 {
                    return Ok(0);
                }
                for d in districts {
                    sqlx::query(
                        "INSERT INTO districts (number, roman, name, area_km2, population) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(d.number)
                    .bind(&d.roman)
                    .bind(&d.name)
                    .bind(d.area_km2)
                    .bind(d.population)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(districts.len())
            }

            #[tracing::instrument(skip(self), err)]
            async fn list_districts(&self) -> $crate::storage::StoreResult<Vec<$crate::domain::district::District>> {
                let rows = sqlx::query_as::<_, (i64, String, String, f64, i64)>(
                    "SELECT number, roman, name, area_km2, population FROM districts ORDER BY number",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(number, roman, name, area_km2, population)| $crate::domain::district::District {
                        number,
                        roman,
                        name,
                        area_km2,
                        population,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use impl_district_store;
