//! Shared application state, available to axum handlers and (through context) to server
//! functions. It holds no per-user data: several app instances can share one database.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

use super::content::ContentStore;

/// Everything a request handler may need.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// Study content, loaded and rendered once at startup.
    pub content: Arc<ContentStore>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, content: Arc<ContentStore>) -> Self {
        Self {
            leptos_options,
            pool,
            content,
        }
    }
}

/// The state, from inside a server function.
pub fn app_state() -> Result<AppState, crate::domain::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        crate::domain::error::AppError::internal(anyhow::anyhow!("AppState missing from context"))
    })
}
