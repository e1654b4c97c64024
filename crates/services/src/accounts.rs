//! Account flows: sign up, sign in (practice done signed out comes along), sign out, change
//! the password, delete the account, and the site admin's list. The rules of sessions and
//! passwords are [`crate::auth`]'s; what a browser keeps (cookies) is the web layer's.

use shared::account::{AccountSummary, UserView};
use shared::error::AppError;

use crate::Request;
use crate::auth::{self, User};
use crate::practice::PracticeSession;

/// The signed-in user, if any.
pub async fn me(req: &Request) -> Result<Option<UserView>, AppError> {
    Ok(req.user().await?.map(|u| u.view()))
}

/// Signs the user in on this request's session and moves the signed-out practice into the
/// account; returns a new device token for this browser (see `auth::device`), replacing `old`.
async fn sign_in_session(
    req: &Request,
    user: &User,
    old: Option<&str>,
) -> Result<String, AppError> {
    let pool = &req.state.pool;
    let session = &req.session;
    let mut practice = PracticeSession::load(session).await?;
    crate::practice::learner::merge_session(pool, user, &mut practice, &req.exam().meta.code)
        .await?;
    // A set begun signed out goes on in the account.
    crate::practice::sets::adopt(pool, user.user_id, &mut practice).await?;
    auth::start_session(session, user).await?;
    practice.store(session).await?;
    tracing::info!(user_id = user.user_id, "signed in");
    auth::device::issue(pool, user.user_id, old).await
}

/// Creates an account from `client` (an address: sign-ups are limited per address) and signs
/// it in; returns the user and the browser's device token.
pub async fn sign_up(
    req: &Request,
    email: &str,
    display_name: &str,
    password: String,
    client: &str,
) -> Result<(UserView, String), AppError> {
    let account = auth::NewAccount::parse(email, display_name, password)?;
    // Each sign-up that gets this far costs a password hash: limited per address.
    auth::rate_limit::reserve_sign_up(&req.state.pool, client, req.state.sign_ups_per_address)
        .await?;
    let user = auth::create_account(&req.state.pool, account, false).await?;
    tracing::info!(user_id = user.user_id, "account created");
    let token = sign_in_session(req, &user, None).await?;
    Ok((user.view(), token))
}

/// Signs in from `client`, with the browser's device token if it has one. An unknown email
/// and a wrong password get the same answer; too many failures are refused for a while.
pub async fn sign_in(
    req: &Request,
    email: &str,
    password: String,
    client: &str,
    device: Option<&str>,
) -> Result<(UserView, String), AppError> {
    let user = auth::authenticate(&req.state.pool, email, password, client, device).await?;
    let token = sign_in_session(req, &user, device).await?;
    Ok((user.view(), token))
}

/// Signs out: the session is deleted.
pub async fn sign_out(req: &Request) -> Result<(), AppError> {
    auth::end_session(&req.session).await
}

/// Changes the password (the current one is asked again); other sessions are signed out.
pub async fn change_password(
    req: &Request,
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let user = req.require_user().await?;
    auth::confirm_password(&req.state.pool, &user, current_password).await?;
    let user = auth::change_password(&req.state.pool, &user, new_password).await?;
    auth::start_session(&req.session, &user).await?;
    tracing::info!(user_id = user.user_id, "password changed");
    Ok(())
}

/// Deletes the account and everything recorded for it, after the password and an explicit
/// confirmation (`confirm` is "yes").
pub async fn delete(
    req: &Request,
    password: String,
    confirm: Option<&str>,
) -> Result<(), AppError> {
    let user = req.require_user().await?;
    if confirm != Some("yes") {
        return Err(AppError::field(
            "confirm",
            "Tick the box to confirm that everything will be deleted.",
        ));
    }
    auth::confirm_password(&req.state.pool, &user, password)
        .await
        .map_err(|_| AppError::field("password", "That is not your password."))?;
    auth::delete_account(&req.state.pool, &user).await?;
    auth::end_session(&req.session).await?;
    tracing::info!(user_id = user.user_id, "account deleted");
    Ok(())
}

/// Every account (site admins only).
pub async fn list(req: &Request) -> Result<Vec<AccountSummary>, AppError> {
    auth::require_admin(&req.state.pool, &req.session).await?;
    auth::list_accounts(&req.state.pool).await
}

/// Disables or re-enables an account (site admins only; not their own).
pub async fn set_disabled(req: &Request, user_id: i64, disabled: bool) -> Result<(), AppError> {
    let admin = auth::require_admin(&req.state.pool, &req.session).await?;
    if admin.user_id == user_id {
        return Err(AppError::Conflict(
            "You cannot disable your own account.".to_string(),
        ));
    }
    auth::set_disabled(&req.state.pool, user_id, disabled).await?;
    tracing::info!(
        admin = admin.user_id,
        user_id,
        disabled,
        "account status changed"
    );
    Ok(())
}
