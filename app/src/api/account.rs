//! Accounts: sign up, sign in and out, change the password, delete the account, and the site
//! admin's account list. Forms post here; every function checks who is asking first.

use leptos::prelude::*;

use shared::account::{AccountSummary, UserView};
use shared::error::AppError;

#[cfg(feature = "ssr")]
mod server {
    use crate::web::state::AppState;
    use services::auth::{self, User};
    use services::practice::PracticeSession;
    use shared::error::AppError;

    /// The client's address, for rate limiting (the TCP peer; "unknown" without one).
    pub async fn client_addr() -> String {
        use axum::extract::ConnectInfo;
        leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
            .await
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|_| "unknown".to_string())
    }

    /// The request's cookies (one header value per `Cookie` header).
    pub async fn cookies() -> Vec<String> {
        leptos_axum::extract::<axum::http::HeaderMap>()
            .await
            .map(|headers| {
                headers
                    .get_all(axum::http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Gives this browser a new device cookie for the account (see `auth::device`).
    pub async fn remember_device(
        state: &AppState,
        user: &User,
        old: Option<&str>,
    ) -> Result<(), AppError> {
        let token = auth::device::issue(&state.pool, user.user_id, old).await?;
        let secure = state
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"));
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(value) =
                axum::http::HeaderValue::from_str(&auth::device::set_cookie(&token, secure))
        {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
        Ok(())
    }

    /// Signs the user in on this session and moves the signed-out practice into the account.
    pub async fn sign_in_session(
        state: &AppState,
        session: &tower_sessions::Session,
        user: &User,
    ) -> Result<(), AppError> {
        let mut practice = PracticeSession::load(session).await?;
        let exam = crate::web::current_exam(&state.content);
        services::practice::learner::merge_session(
            &state.pool,
            user,
            &mut practice,
            &exam.meta.code,
        )
        .await?;
        // A set begun signed out goes on in the account.
        services::practice::sets::adopt(&state.pool, user.user_id, &mut practice).await?;
        auth::start_session(session, user).await?;
        practice.store(session).await?;
        tracing::info!(user_id = user.user_id, "signed in");
        Ok(())
    }
}

/// The signed-in user, if any.
#[server(name = GetCurrentUser, prefix = "/api", endpoint = "account/me")]
pub async fn get_current_user() -> Result<Option<UserView>, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = services::auth::current_user(&state.pool, &session).await?;
            Ok(user.map(|u| u.view()))
        }
        .await,
    )
}

/// Creates an account and signs it in; practice done while signed out comes along.
#[server(name = SignUp, prefix = "/api", endpoint = "account/signup")]
pub async fn sign_up(
    email: String,
    display_name: String,
    password: String,
) -> Result<UserView, AppError> {
    crate::web::respond(
        async move {
            use services::auth;
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let account = auth::NewAccount::parse(&email, &display_name, password)?;
            // Each sign-up that gets this far costs a password hash: limited per address.
            auth::rate_limit::reserve_sign_up(
                &state.pool,
                &server::client_addr().await,
                state.sign_ups_per_address,
            )
            .await?;
            let user = auth::create_account(&state.pool, account, false).await?;
            tracing::info!(user_id = user.user_id, "account created");
            server::sign_in_session(&state, &session, &user).await?;
            server::remember_device(&state, &user, None).await?;
            Ok(user.view())
        }
        .await,
    )
}

/// Signs in. An unknown email and a wrong password get the same answer; too many failures on
/// an account or from an address are refused for a while (429, with the wait).
#[server(name = SignIn, prefix = "/api", endpoint = "account/signin")]
pub async fn sign_in(email: String, password: String) -> Result<UserView, AppError> {
    crate::web::respond(
        async move {
            use services::auth;
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let client = server::client_addr().await;
            let device = server::cookies()
                .await
                .iter()
                .find_map(|c| auth::device::from_cookie_header(c));
            let user =
                auth::authenticate(&state.pool, &email, password, &client, device.as_deref())
                    .await?;
            server::sign_in_session(&state, &session, &user).await?;
            server::remember_device(&state, &user, device.as_deref()).await?;
            Ok(user.view())
        }
        .await,
    )
}

/// Signs out: the session is deleted.
#[server(name = SignOut, prefix = "/api", endpoint = "account/signout")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let session = crate::web::session().await?;
            services::auth::end_session(&session).await
        }
        .await,
    )
}

/// Changes the password (the current one is asked again); other sessions are signed out.
#[server(name = ChangePassword, prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            use services::auth;
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = auth::require_user(&state.pool, &session).await?;
            auth::confirm_password(&state.pool, &user, current_password).await?;
            let user = auth::change_password(&state.pool, &user, new_password).await?;
            auth::start_session(&session, &user).await?;
            tracing::info!(user_id = user.user_id, "password changed");
            Ok(())
        }
        .await,
    )
}

/// Deletes the account and everything recorded for it, after the password and an explicit
/// confirmation.
#[server(name = DeleteAccount, prefix = "/api", endpoint = "account/delete")]
pub async fn delete_account(password: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            use services::auth;
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = auth::require_user(&state.pool, &session).await?;
            if confirm.as_deref() != Some("yes") {
                return Err(AppError::field(
                    "confirm",
                    "Tick the box to confirm that everything will be deleted.",
                ));
            }
            auth::confirm_password(&state.pool, &user, password)
                .await
                .map_err(|_| AppError::field("password", "That is not your password."))?;
            auth::delete_account(&state.pool, &user).await?;
            auth::end_session(&session).await?;
            tracing::info!(user_id = user.user_id, "account deleted");
            Ok(())
        }
        .await,
    )
}

/// Every account (site admins only).
#[server(name = AdminListUsers, prefix = "/api", endpoint = "admin/users")]
pub async fn admin_list_users() -> Result<Vec<AccountSummary>, AppError> {
    crate::web::respond(
        async move {
            use services::auth;
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            auth::require_admin(&state.pool, &session).await?;
            auth::list_accounts(&state.pool).await
        }
        .await,
    )
}

/// Disables or re-enables an account (site admins only; not their own).
#[server(name = AdminSetDisabled, prefix = "/api", endpoint = "admin/disable")]
pub async fn admin_set_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            use services::auth;
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let admin = auth::require_admin(&state.pool, &session).await?;
            if admin.user_id == user_id {
                return Err(AppError::Conflict(
                    "You cannot disable your own account.".to_string(),
                ));
            }
            auth::set_disabled(&state.pool, user_id, disabled).await?;
            tracing::info!(
                admin = admin.user_id,
                user_id,
                disabled,
                "account status changed"
            );
            Ok(())
        }
        .await,
    )
}
