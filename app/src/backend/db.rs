//! The database schema lives in `migrations/`; this is its single entry point.

/// The workspace's migrations, embedded in the binary and run at startup and by `#[sqlx::test]`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A database timestamp as RFC 3339 (what the browser gets).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
