//! Helpers shared by the integration tests.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use app::backend::content::ContentStore;
use app::backend::state::AppState;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

/// The repository's content, loaded once per test binary.
pub static CONTENT: LazyLock<Arc<ContentStore>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    Arc::new(server::commands::load_content(&dir).expect("content loads"))
});

/// The real router over a test database, with the content synced into it.
pub async fn router(pool: PgPool) -> axum::Router {
    sync(&pool).await;
    router_without_sync(pool)
}

/// Syncs the content into the test database, as startup does.
pub async fn sync(pool: &PgPool) {
    for exam in &CONTENT.exams {
        app::backend::search::sync_sections(pool, exam)
            .await
            .expect("sync");
    }
}

/// The router without touching the database first.
pub fn router_without_sync(pool: PgPool) -> axum::Router {
    let options = LeptosOptions::builder()
        .output_name("exam")
        .site_root("target/site")
        .build();
    server::startup::router(AppState::new(options, pool, CONTENT.clone()))
}
