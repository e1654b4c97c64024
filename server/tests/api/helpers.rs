//! Helpers shared by the integration tests.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use app::backend::content::ContentStore;
use app::backend::state::AppState;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tower_sessions_sqlx_store::PostgresStore;

/// The repository's content, loaded once per test binary.
pub static CONTENT: LazyLock<Arc<ContentStore>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    Arc::new(server::commands::load_content(&dir).expect("content loads"))
});

/// The real router over a test database, with the content synced into it, as at startup.
pub async fn router(pool: PgPool) -> axum::Router {
    let versions = sync(&pool).await;
    let sessions = server::startup::session_store(&pool)
        .await
        .expect("sessions");
    server::startup::router(state(pool).with_question_versions(versions), sessions)
}

/// Syncs the content into the test database, as startup does.
pub async fn sync(pool: &PgPool) -> BTreeMap<String, i32> {
    server::startup::sync_content(pool, &CONTENT)
        .await
        .expect("sync")
}

/// The router without touching the database first (the session store is never reached).
pub fn router_without_sync(pool: PgPool) -> axum::Router {
    let sessions = PostgresStore::new(pool.clone());
    server::startup::router(state(pool), sessions)
}

fn state(pool: PgPool) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("exam")
        .site_root("target/site")
        .build();
    AppState::new(options, pool, CONTENT.clone())
}
