//! The web layer's glue, shared by every server function and the page shell: what a request
//! says about who asks and what they study (session, exam cookie, theme), how an error becomes
//! an HTTP status, and (server only) the state handlers share and the Content-Security-Policy.
//! The services below it never see a request.

#[cfg(feature = "ssr")]
pub mod csp;
#[cfg(feature = "ssr")]
pub mod state;

use shared::error::AppError;
use shared::theme::Theme;

/// The theme of the request being rendered (server side only; the browser never calls this).
pub fn theme() -> Theme {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(axum::http::header::COOKIE)
                    .and_then(|value| value.to_str().ok())
                    .map(Theme::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Theme::System
    }
}

/// The exam the visitor picked (the `exam` cookie of the request being handled), if any.
#[cfg(feature = "ssr")]
fn exam_code() -> Option<String> {
    use leptos::prelude::use_context;
    use_context::<axum::http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(shared::exam_choice::from_cookie_header)
    })
}

/// What the request being handled brings to a service: the state, its session and the exam
/// pack the visitor studies. Server functions build it once and pass it down.
#[cfg(feature = "ssr")]
pub async fn request() -> Result<services::Request, AppError> {
    let state = state::app_state()?;
    Ok(services::Request::new(
        state.services.clone(),
        session().await?,
        exam_code(),
    ))
}

/// [`request`], for a signed-in user only (401 otherwise), with the user.
#[cfg(feature = "ssr")]
pub async fn signed_in() -> Result<(services::Request, services::auth::User), AppError> {
    let req = request().await?;
    let user = req.require_user().await?;
    Ok((req, user))
}

/// The session of the request being handled.
#[cfg(feature = "ssr")]
async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|err| AppError::internal(anyhow::anyhow!("no session: {err}")))
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
