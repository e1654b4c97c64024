//! The database schema lives in `migrations/`; this is its single entry point.

/// The workspace's migrations, embedded in the binary and run at startup and by `#[sqlx::test]`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// A database timestamp as RFC 3339 (what the browser gets).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Takes a transaction-scoped advisory lock named `key` (held until the transaction ends):
/// serialises what must not interleave for one account, address or user, across instances.
pub async fn lock(conn: &mut sqlx::PgConnection, key: &str) -> Result<(), shared::error::AppError> {
    sqlx::query!(
        r#"select 1 as "locked!" from pg_advisory_xact_lock(hashtextextended($1, 0))"#,
        key
    )
    .fetch_one(conn)
    .await
    .map_err(shared::error::AppError::internal)?;
    Ok(())
}
