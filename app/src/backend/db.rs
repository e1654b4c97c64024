//! The database schema lives in `migrations/`; this is its single entry point.

/// The workspace's migrations, embedded in the binary and run at startup and by `#[sqlx::test]`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
