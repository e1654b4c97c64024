//! The state axum handlers and server functions share: the services' state (see
//! `services::state`) and the Leptos options, behind one `Arc`: axum and Leptos clone the
//! state several times per request, and a clone of each field (the Leptos options alone hold
//! five shared strings) was a tenth of the CPU time of an autosave.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;

use content::ContentStore;

#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

/// The fields of [`AppState`] (reached through `Deref`, and the services' state through
/// `Shared`'s).
#[derive(Clone, Debug)]
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub services: services::State,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl std::ops::Deref for Shared {
    type Target = services::State;

    fn deref(&self) -> &services::State {
        &self.services
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
        Self(Arc::new(Shared {
            leptos_options,
            services: services::State::new(pool, content),
        }))
    }

    fn with(mut self, f: impl FnOnce(services::State) -> services::State) -> Self {
        let shared = Arc::make_mut(&mut self.0);
        shared.services = f(shared.services.clone());
        self
    }

    /// The state with the question versions recorded by the startup sync.
    pub fn with_question_versions(self, versions: BTreeMap<String, i32>) -> Self {
        self.with(|s| s.with_question_versions(versions))
    }

    /// The state with the site's public address.
    pub fn with_public_url(self, public_url: Option<String>) -> Self {
        self.with(|s| s.with_public_url(public_url))
    }

    /// The state with another limit on sign-ups per client address (0: none).
    pub fn with_sign_ups_per_address(self, limit: i64) -> Self {
        self.with(|s| s.with_sign_ups_per_address(limit))
    }
}

/// The state, from inside a server function.
pub fn app_state() -> Result<AppState, shared::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        shared::error::AppError::internal(anyhow::anyhow!("AppState missing from context"))
    })
}
