//! The state every service call shares, and what one request brings to it. Several app
//! instances can share one database: what the state keeps of users (the autosave's memories)
//! are facts that never change, and every write checks the rest.

use std::collections::BTreeMap;
use std::sync::Arc;

use sqlx::PgPool;
use tower_sessions::Session;

use crate::auth::{self, User};
use crate::exams::autosave::Autosaver;
use crate::memory::SessionClaims;
use crate::practice::answers::Answerer;
use content::{ContentStore, ExamPack};
use shared::error::AppError;

/// The shared handles, behind one `Arc` (cloned for every request).
#[derive(Clone, Debug)]
pub struct State(Arc<Inner>);

/// The fields of [`State`] (reached through `Deref`).
#[derive(Clone, Debug)]
pub struct Inner {
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

impl std::ops::Deref for State {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl State {
    pub fn new(pool: PgPool, content: Arc<ContentStore>) -> Self {
        let claims = Arc::new(SessionClaims::default());
        Self(Arc::new(Inner {
            autosaver: Arc::new(Autosaver::new(pool.clone(), claims.clone())),
            answerer: Arc::new(Answerer::new(pool.clone(), claims)),
            pool,
            content,
            question_versions: Arc::default(),
            public_url: None,
            sign_ups_per_address: auth::rate_limit::SIGN_UPS_PER_ADDRESS,
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

/// What one request brings to a service: the shared state, the session it came with, and the
/// exam pack the visitor studies (their choice, or the default pack). The app's server
/// functions build it once and pass it down; no service reads a request itself.
#[derive(Clone, Debug)]
pub struct Request {
    pub state: State,
    pub session: Session,
    exam_code: Option<String>,
}

impl Request {
    pub fn new(state: State, session: Session, exam_code: Option<String>) -> Self {
        Self {
            state,
            session,
            exam_code,
        }
    }

    /// The exam pack the visitor studies.
    pub fn exam(&self) -> &ExamPack {
        self.state
            .content
            .exam_or_default(self.exam_code.as_deref())
    }

    /// The signed-in user, if the session has one whose account is still good.
    pub async fn user(&self) -> Result<Option<User>, AppError> {
        auth::current_user(&self.state.pool, &self.session).await
    }

    /// The signed-in user, or 401.
    pub async fn require_user(&self) -> Result<User, AppError> {
        auth::require_user(&self.state.pool, &self.session).await
    }
}
