//! The worklist's SQL, written once and expanded for both backends.

/// Implements [`super::DeskWorklistStore`] for a store with a `pool` field.
macro_rules! impl_desk_worklist_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::desk_worklist::DeskWorklistStore for $store {
            #[tracing::instrument(skip(self, filter), err)]
            async fn worklist(
                &self,
                filter: &$crate::storage::desk_worklist::WorkFilter,
                offset: i64,
                limit: i64,
            ) -> $crate::storage::StoreResult<(Vec<$crate::storage::desk::ReportRecord>, i64)> {
                if filter.reach.as_ref().is_some_and(|units| units.is_empty()) {
                    return Ok((Vec::new(), 0));
                }
                let (clause, values) = filter.where_clause(3);
                let mut rows = sqlx::query_as::<_, $crate::storage::desk::ReportRow>(sqlx::AssertSqlSafe(format!(
                    "{}{clause} ORDER BY {} LIMIT $1 OFFSET $2",
                    $crate::storage::desk::REPORT_SELECT,
                    filter.order_by()
                )))
                .bind(limit)
                .bind(offset);
                let (count_clause, _) = filter.where_clause(1);
                let mut total = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                    "SELECT COUNT(*) FROM desk_reports{count_clause}"
                )));
                $crate::storage::desk_public::bind_filter_values!(values, rows, total);
                let rows = rows.fetch_all(&self.pool).await?;
                let total = total.fetch_one(&self.pool).await?;
                Ok(($crate::storage::desk::assemble(rows, Vec::new(), Vec::new())?, total))
            }
        }
    };
}

pub(crate) use impl_desk_worklist_store;
