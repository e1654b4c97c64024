//! Shared application state, available to axum handlers and (through context) to server
//! functions. It holds no per-user data: several app instances can share one database.

use std::collections::BTreeMap;
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
    /// The current version of each question, from the sync at startup.
    pub question_versions: Arc<BTreeMap<String, i32>>,
    /// The public address of the site, when configured (Secure cookies and origin checks).
    pub public_url: Option<String>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, content: Arc<ContentStore>) -> Self {
        Self {
            leptos_options,
            pool,
            content,
            question_versions: Arc::default(),
            public_url: None,
        }
    }

    /// The state with the question versions recorded by the startup sync.
    pub fn with_question_versions(mut self, versions: BTreeMap<String, i32>) -> Self {
        self.question_versions = Arc::new(versions);
        self
    }

    /// The current version of a question (1 before any sync).
    pub fn question_version(&self, question_id: &str) -> i32 {
        self.question_versions
            .get(question_id)
            .copied()
            .unwrap_or(1)
    }
}

/// The state, from inside a server function.
pub fn app_state() -> Result<AppState, crate::domain::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        crate::domain::error::AppError::internal(anyhow::anyhow!("AppState missing from context"))
    })
}
