//! Row counts of every table, to show that a refused request stored nothing.

use std::collections::BTreeMap;

use crate::support::Db;

/// Each table's row count (the delivery queue's tables included).
pub async fn row_counts(url: &str, db: Db) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    match db {
        Db::Sqlite => {
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(url).await.expect("connect");
            let tables: Vec<String> =
                sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .fetch_all(&mut conn)
                    .await
                    .expect("tables");
            for t in tables {
                let sql = format!("SELECT COUNT(*) FROM \"{t}\"");
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut conn).await.expect("count");
                counts.insert(t, n);
            }
        }
        Db::Postgres => {
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url).await.expect("connect");
            let tables: Vec<(String, String)> = sqlx::query_as(
                "SELECT table_schema::text, table_name::text FROM information_schema.tables \
                 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
            )
            .fetch_all(&mut conn)
            .await
            .expect("tables");
            for (schema, t) in tables {
                let sql = format!("SELECT COUNT(*) FROM \"{schema}\".\"{t}\"");
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut conn).await.expect("count");
                counts.insert(format!("{schema}.{t}"), n);
            }
        }
    }
    counts
}
