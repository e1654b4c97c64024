//! The one error type at the boundary between the browser and the server.

use std::collections::BTreeMap;
use std::fmt;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
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

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                Self::Validation(BTreeMap::from([("request".to_string(), vec![message])]))
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
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
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
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
#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal(err)
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        Self::internal(err)
    }
}

/// Serialising our own values (a JSON column) does not fail unless something is wrong here.
#[cfg(feature = "ssr")]
impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> Self {
        Self::internal(err)
    }
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        Self::internal(err)
    }
}

#[cfg(feature = "ssr")]
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

/// Whether the error should set the status of the response. Server function calls always
/// carry it; a page rendered on the server takes it only for "not found", "unavailable" and an
/// internal failure (a page that needs an account answers 200 and explains how to sign in,
/// rather than a bare 401).
#[cfg(feature = "ssr")]
fn page_shows_it(err: &AppError) -> bool {
    let is_api = leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_none_or(|parts| parts.uri.path().starts_with("/api/"));
    is_api
        || matches!(
            err,
            AppError::NotFound | AppError::Unavailable | AppError::Internal
        )
}

/// Gives a server function's error its HTTP status (400 for a wrong field, 401, 403, 404,
/// 409, 429...) instead of the default 500; the JSON body still carries the error.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    #[cfg(feature = "ssr")]
    if let Err(err) = &result
        && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && page_shows_it(err)
    {
        response.set_status(err.status());
        let retry_after = match err {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable => Some(5),
            _ => None,
        };
        if let Some(secs) = retry_after
            && let Ok(value) = axum::http::HeaderValue::from_str(&secs.to_string())
        {
            response.insert_header(axum::http::header::RETRY_AFTER, value);
        }
    }
    result
}
