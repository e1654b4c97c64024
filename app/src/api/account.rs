//! Accounts: sign up, sign in and out, change the password, delete the account, and the site
//! admin's account list. Forms post here; each function builds the request and calls
//! `services::accounts`, which checks who is asking first. What the browser keeps (the
//! device cookie) and where the request came from are read and written here.

use leptos::prelude::*;

use shared::account::{AccountSummary, UserView};
use shared::error::AppError;

#[cfg(feature = "ssr")]
mod browser {
    /// The client's address, for rate limiting (the TCP peer; "unknown" without one).
    pub async fn client_addr() -> String {
        use axum::extract::ConnectInfo;
        leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
            .await
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|_| "unknown".to_string())
    }

    /// The device token in the request's cookies, if any (see `services::auth::device`).
    pub async fn device() -> Option<String> {
        leptos_axum::extract::<axum::http::HeaderMap>()
            .await
            .ok()?
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(services::auth::device::from_cookie_header)
    }

    /// Gives this browser its device cookie (Secure when the site is served over https).
    pub fn remember_device(req: &services::Request, token: &str) {
        let secure = req
            .state
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"));
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(value) = axum::http::HeaderValue::from_str(
                &services::auth::device::set_cookie(token, secure),
            )
        {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
}

/// The signed-in user, if any.
#[server(name = GetCurrentUser, prefix = "/api", endpoint = "account/me")]
pub async fn get_current_user() -> Result<Option<UserView>, AppError> {
    crate::web::respond(
        async move { services::accounts::me(&crate::web::request().await?).await }.await,
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
            let req = crate::web::request().await?;
            let client = browser::client_addr().await;
            let (user, token) =
                services::accounts::sign_up(&req, &email, &display_name, password, &client).await?;
            browser::remember_device(&req, &token);
            Ok(user)
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
            let req = crate::web::request().await?;
            let client = browser::client_addr().await;
            let device = browser::device().await;
            let (user, token) =
                services::accounts::sign_in(&req, &email, password, &client, device.as_deref())
                    .await?;
            browser::remember_device(&req, &token);
            Ok(user)
        }
        .await,
    )
}

/// Signs out: the session is deleted.
#[server(name = SignOut, prefix = "/api", endpoint = "account/signout")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::web::respond(
        async move { services::accounts::sign_out(&crate::web::request().await?).await }.await,
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
            let req = crate::web::request().await?;
            services::accounts::change_password(&req, current_password, new_password).await
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
            let req = crate::web::request().await?;
            services::accounts::delete(&req, password, confirm.as_deref()).await
        }
        .await,
    )
}

/// Every account (site admins only).
#[server(name = AdminListUsers, prefix = "/api", endpoint = "admin/users")]
pub async fn admin_list_users() -> Result<Vec<AccountSummary>, AppError> {
    crate::web::respond(
        async move { services::accounts::list(&crate::web::request().await?).await }.await,
    )
}

/// Disables or re-enables an account (site admins only; not their own).
#[server(name = AdminSetDisabled, prefix = "/api", endpoint = "admin/disable")]
pub async fn admin_set_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            services::accounts::set_disabled(&req, user_id, disabled).await
        }
        .await,
    )
}
