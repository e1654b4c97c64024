//! Shared application state, available to axum handlers and (through context) to server
//! functions. Several app instances can share one database: what it keeps of users (the
//! autosave's memories) are facts that never change, and every write checks the rest.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

use content::ContentStore;
use services::exams::autosave::Autosaver;
use services::memory::SessionClaims;
use services::practice::answers::Answerer;

/// Everything a request handler may need, behind one `Arc`: axum and Leptos clone the state
/// several times per request, and a clone of each field (the Leptos options alone hold five
/// shared strings) was a tenth of the CPU time of an autosave.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

/// The fields of [`AppState`] (reached through `Deref`).
#[derive(Clone, Debug)]
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    /// Study content, loaded and rendered once at startup.
    pub content: Arc<ContentStore>,
    /// The current version of each question, from the sync at startup.
    pub question_versions: Arc<BTreeMap<String, i32>>,
    /// The public address of the site, when configured (Secure cookies and origin checks).
    pub public_url: Option<String>,
    /// Sign-ups allowed from one client address in 15 minutes (0: no limit).
    pub sign_ups_per_address: i64,
    /// The mock-exam autosave's memories and writers (see [`Autosaver`]).
    pub autosaver: Arc<Autosaver>,
    /// The practice answers' writers (see [`Answerer`]).
    pub answerer: Arc<Answerer>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for PgPool {
    fn from_ref(state: &AppState) -> Self {
        state.pool.clone()
    }
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, pool: PgPool, content: Arc<ContentStore>) -> Self {
        let claims = Arc::new(SessionClaims::default());
        Self(Arc::new(Shared {
            autosaver: Arc::new(Autosaver::new(pool.clone(), claims.clone())),
            answerer: Arc::new(Answerer::new(pool.clone(), claims)),
            leptos_options,
            pool,
            content,
            question_versions: Arc::default(),
            public_url: None,
            sign_ups_per_address: services::auth::rate_limit::SIGN_UPS_PER_ADDRESS,
        }))
    }

    /// The state with the question versions recorded by the startup sync.
    pub fn with_question_versions(mut self, versions: BTreeMap<String, i32>) -> Self {
        Arc::make_mut(&mut self.0).question_versions = Arc::new(versions);
        self
    }

    /// The state with the site's public address.
    pub fn with_public_url(mut self, public_url: Option<String>) -> Self {
        Arc::make_mut(&mut self.0).public_url = public_url;
        self
    }

    /// The state with another limit on sign-ups per client address (0: none).
    pub fn with_sign_ups_per_address(mut self, limit: i64) -> Self {
        Arc::make_mut(&mut self.0).sign_ups_per_address = limit;
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
pub fn app_state() -> Result<AppState, shared::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        shared::error::AppError::internal(anyhow::anyhow!("AppState missing from context"))
    })
}
