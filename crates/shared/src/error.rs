//! The one error type at the boundary between the browser and the server.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What a server function can answer instead of a result. `Internal` never carries details:
/// the cause is logged on the server, once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in first.")]
    Unauthorized,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// Field name -> messages, shown next to the field.
    #[error("Please correct the highlighted fields.")]
    Validation(BTreeMap<String, Vec<String>>),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The database cannot be reached (restarting, say): try again shortly.
    #[error(
        "The service is briefly unavailable. Nothing you saved is lost; try again in a few seconds."
    )]
    Unavailable,
    /// The request never reached the server function (network, bad encoding, ...).
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    /// A validation error for one field.
    pub fn field(field: &str, message: impl fmt::Display) -> Self {
        Self::Validation(BTreeMap::from([(
            field.to_string(),
            vec![message.to_string()],
        )]))
    }

    /// The messages for one field of a validation error.
    pub fn field_messages(&self, field: &str) -> Vec<String> {
        match self {
            Self::Validation(fields) => fields.get(field).cloned().unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// How a server function's own failures (bad arguments, a lost connection) reach the page.
#[cfg(feature = "server-fn")]
impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr;
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                Self::Validation(BTreeMap::from([("request".to_string(), vec![message])]))
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "server")]
impl AppError {
    /// Logs an internal failure with its cause chain and hides it from the client. A lost
    /// database connection is `Unavailable` (503), not a bug.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        let err = err.into();
        // The session store is PostgreSQL too; it reports its failures as text.
        let session_store_failed = err.chain().any(|cause| {
            matches!(
                cause.downcast_ref::<tower_sessions::session::Error>(),
                Some(tower_sessions::session::Error::Store(
                    tower_sessions::session_store::Error::Backend(_)
                ))
            )
        });
        if session_store_failed
            || err
                .chain()
                .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
                .any(is_connection_error)
        {
            tracing::warn!(error = %format!("{err:#}"), "database unavailable");
            return Self::Unavailable;
        }
        tracing::error!(error = %format!("{err:#}"), "internal error");
        Self::Internal
    }

    /// The HTTP status this error stands for.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Validation(_) | Self::Transport(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// Whether a database error means "cannot reach the database now" (rather than a bad query):
/// no connection in time, a broken socket, or the server shutting down or starting up.
/// A database, session-store or other internal failure as an `AppError` (see
/// [`AppError::internal`]), so `?` says what `?` used to.
#[cfg(feature = "server")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal(err)
    }
}

#[cfg(feature = "server")]
impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        Self::internal(err)
    }
}

/// Serialising our own values (a JSON column) does not fail unless something is wrong here.
#[cfg(feature = "server")]
impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> Self {
        Self::internal(err)
    }
}

#[cfg(feature = "server")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        Self::internal(err)
    }
}

#[cfg(feature = "server")]
pub fn is_connection_error(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        // 08: connection exceptions; 57P01-57P03: admin shutdown, crash shutdown, cannot
        // connect now (starting up).
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}
