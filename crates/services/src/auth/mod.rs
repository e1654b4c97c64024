//! Accounts and sign-in: who is asking, and what they proved.
//!
//! A signed-in session holds the user id and the account's session epoch; changing the password
//! bumps the epoch, which signs out every other session. The session id is cycled at sign-in
//! and the session is deleted at sign-out.

pub mod device;
pub mod password;
pub mod rate_limit;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::Session;

use shared::account::{DisplayName, Email, UserView};
use shared::error::AppError;

/// The session key of the signed-in user.
const USER_KEY: &str = "user";

/// What a signed-in session remembers.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct SessionUser {
    user_id: i64,
    epoch: i32,
}

/// A signed-in user, as the server knows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub session_epoch: i32,
}

impl User {
    pub fn view(&self) -> UserView {
        UserView {
            user_id: self.user_id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            is_admin: self.is_admin,
        }
    }
}

/// The same answer for an unknown email and a wrong password.
pub const WRONG_CREDENTIALS: &str = "The email or password is not right.";

/// 128 random bits from the operating system, as hex (a nonce, a one-time token).
pub fn random_token() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who a session says is signed in, without asking the database whether the account still
/// exists and its password is unchanged: only for a statement that checks that itself (the
/// autosave's fast path). Anything else asks `current_user`.
#[derive(Clone, Copy, Debug)]
pub struct SessionClaim {
    pub user_id: i64,
    pub epoch: i32,
}

pub async fn session_claim(session: &Session) -> Result<Option<SessionClaim>, AppError> {
    Ok(session
        .get::<SessionUser>(USER_KEY)
        .await?
        .map(|signed_in| SessionClaim {
            user_id: signed_in.user_id,
            epoch: signed_in.epoch,
        }))
}

/// The signed-in user of a session, if the account still exists, is not disabled, and its
/// password has not changed since.
pub async fn current_user(pool: &PgPool, session: &Session) -> Result<Option<User>, AppError> {
    let Some(signed_in) = session.get::<SessionUser>(USER_KEY).await? else {
        return Ok(None);
    };
    // The account part of the session rule (the `live_account` view), as the group-commit
    // paths ask it.
    let user = sqlx::query_as!(
        User,
        r#"
        select user_id, email, display_name, is_admin, session_epoch
        from app_user
        where user_id = $1
          and exists (select 1 from live_account a where a.user_id = $1 and a.epoch = $2)
        "#,
        signed_in.user_id,
        signed_in.epoch,
    )
    .fetch_optional(pool)
    .await?;
    match user {
        Some(user) => Ok(Some(user)),
        None => {
            session.remove::<SessionUser>(USER_KEY).await?;
            Ok(None)
        }
    }
}

/// The signed-in user, or 401.
pub async fn require_user(pool: &PgPool, session: &Session) -> Result<User, AppError> {
    current_user(pool, session)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The signed-in site admin, or 401/403.
pub async fn require_admin(pool: &PgPool, session: &Session) -> Result<User, AppError> {
    let user = require_user(pool, session).await?;
    if user.is_admin {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Signs a user in on this session: a new session id (no fixation), then the user.
pub async fn start_session(session: &Session, user: &User) -> Result<(), AppError> {
    session.cycle_id().await?;
    session
        .insert(
            USER_KEY,
            SessionUser {
                user_id: user.user_id,
                epoch: user.session_epoch,
            },
        )
        .await
        .map_err(AppError::internal)
}

/// Signs out: the session and everything in it is deleted, and the cookie cleared.
pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}

/// A new account, checked field by field; every problem is reported at once.
pub struct NewAccount {
    pub email: Email,
    pub display_name: DisplayName,
    pub password: String,
}

impl NewAccount {
    pub fn parse(email: &str, display_name: &str, password: String) -> Result<Self, AppError> {
        let mut errors = std::collections::BTreeMap::<String, Vec<String>>::new();
        let email = Email::parse(email)
            .map_err(|m| errors.entry("email".into()).or_default().push(m))
            .ok();
        let name = DisplayName::parse(display_name)
            .map_err(|m| errors.entry("display_name".into()).or_default().push(m))
            .ok();
        if let Some(problem) = password::policy_problem(
            &password,
            email.as_ref().map_or("", Email::as_str),
            name.as_ref().map_or("", DisplayName::as_str),
        ) {
            errors.entry("password".into()).or_default().push(problem);
        }
        match (email, name) {
            (Some(email), Some(display_name)) if errors.is_empty() => Ok(Self {
                email,
                display_name,
                password,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// Creates an account; a taken email is a field error.
#[tracing::instrument(skip_all)]
pub async fn create_account(
    pool: &PgPool,
    account: NewAccount,
    is_admin: bool,
) -> Result<User, AppError> {
    let hash = password::hash(account.password).await?;
    let created = sqlx::query_as!(
        User,
        r#"
        insert into app_user (email, display_name, password_hash, is_admin)
        values ($1, $2, $3, $4)
        on conflict on constraint app_user_email_unique do nothing
        returning user_id, email, display_name, is_admin, session_epoch
        "#,
        account.email.as_str(),
        account.display_name.as_str(),
        hash,
        is_admin,
    )
    .fetch_optional(pool)
    .await?;
    created.ok_or_else(|| {
        AppError::field(
            "email",
            "An account with this email already exists. Sign in instead.",
        )
    })
}

/// Checks an email and password: rate limited per account and per client address (each
/// attempt counted before its password is checked); a browser that signed in to the account
/// before (`device`, see [`device`]) is not stopped by the account's limit. An unknown email
/// and a wrong password get the same answer after the same work.
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    pool: &PgPool,
    email: &str,
    password: String,
    client_addr: &str,
    device: Option<&str>,
) -> Result<User, AppError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() || password.is_empty() {
        let mut errors = std::collections::BTreeMap::new();
        if email.is_empty() {
            errors.insert(
                "email".to_string(),
                vec!["Enter your email address.".into()],
            );
        }
        if password.is_empty() {
            errors.insert("password".to_string(), vec!["Enter your password.".into()]);
        }
        return Err(AppError::Validation(errors));
    }
    if password.chars().count() > shared::account::MAX_PASSWORD_CHARS {
        return Err(AppError::field("form", WRONG_CREDENTIALS));
    }
    let known_device = device::is_known(pool, &email, device).await?;
    let reservation = rate_limit::reserve(pool, &email, client_addr, known_device).await?;
    let row = sqlx::query!(
        r#"
        select user_id, email, display_name, is_admin, session_epoch, password_hash,
               disabled_at is not null as "disabled!"
        from app_user where email = $1
        "#,
        email,
    )
    .fetch_optional(pool)
    .await?;
    let stored = row.as_ref().map(|r| r.password_hash.clone());
    let matches = password::verify(password, stored).await?;
    match row {
        Some(row) if matches => {
            if row.disabled {
                return Err(AppError::field(
                    "form",
                    "This account is disabled. Ask the site administrator.",
                ));
            }
            rate_limit::forget(pool, &email).await?;
            Ok(User {
                user_id: row.user_id,
                email: row.email,
                display_name: row.display_name,
                is_admin: row.is_admin,
                session_epoch: row.session_epoch,
            })
        }
        _ => {
            // A stolen or stale device cookie is good for one guess at most.
            if let Some(token) = device {
                device::forget(pool, token).await?;
            }
            rate_limit::record_failure(pool, reservation).await?;
            Err(AppError::field("form", WRONG_CREDENTIALS))
        }
    }
}

/// Checks the current password of a signed-in user (for changing it or deleting the account).
pub async fn confirm_password(
    pool: &PgPool,
    user: &User,
    password: String,
) -> Result<(), AppError> {
    let stored = sqlx::query_scalar!(
        "select password_hash from app_user where user_id = $1",
        user.user_id
    )
    .fetch_optional(pool)
    .await?;
    if password::verify(password, stored).await? {
        Ok(())
    } else {
        Err(AppError::field(
            "current_password",
            "That is not your current password.",
        ))
    }
}

/// Sets a new password and bumps the session epoch (other sessions are signed out); returns
/// the user as they now are, for re-signing this session in.
#[tracing::instrument(skip_all, fields(user_id = user.user_id))]
pub async fn change_password(
    pool: &PgPool,
    user: &User,
    new_password: String,
) -> Result<User, AppError> {
    if let Some(problem) = password::policy_problem(&new_password, &user.email, &user.display_name)
    {
        return Err(AppError::field("new_password", problem));
    }
    let hash = password::hash(new_password).await?;
    sqlx::query_as!(
        User,
        r#"
        update app_user set password_hash = $2, session_epoch = session_epoch + 1
        where user_id = $1
        returning user_id, email, display_name, is_admin, session_epoch
        "#,
        user.user_id,
        hash,
    )
    .fetch_one(pool)
    .await
    .map_err(AppError::internal)
}

/// Deletes an account and, through the foreign keys, everything recorded for it.
#[tracing::instrument(skip_all, fields(user_id = user.user_id))]
pub async fn delete_account(pool: &PgPool, user: &User) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!("delete from sign_in_failure where email = $1", user.email)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("delete from app_user where user_id = $1", user.user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await.map_err(AppError::internal)
}

/// Creates an account from the command line (a site admin, for instance).
pub async fn create_user_cli(
    pool: &PgPool,
    email: &str,
    display_name: &str,
    password: String,
    is_admin: bool,
) -> anyhow::Result<i64> {
    let account = NewAccount::parse(email, display_name, password).map_err(describe)?;
    let user = create_account(pool, account, is_admin)
        .await
        .map_err(describe)
        .context("cannot create the account")?;
    Ok(user.user_id)
}

/// An error as one line per field, for the command line.
fn describe(err: AppError) -> anyhow::Error {
    match err {
        AppError::Validation(fields) => anyhow::anyhow!(
            "{}",
            fields
                .into_iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

/// Every account, newest first, with how many practice answers each has.
pub async fn list_accounts(
    pool: &PgPool,
) -> Result<Vec<shared::account::AccountSummary>, AppError> {
    let rows = sqlx::query!(
        r#"
        select u.user_id, u.email, u.display_name, u.is_admin,
               u.disabled_at is not null as "disabled!", u.created_at,
               (select count(*) from practice_answer a where a.user_id = u.user_id) as "answers!"
        from app_user u
        order by u.created_at desc, u.user_id desc
        "#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| shared::account::AccountSummary {
            user_id: r.user_id,
            email: r.email,
            display_name: r.display_name,
            is_admin: r.is_admin,
            disabled: r.disabled,
            created_at: super::db::rfc3339(r.created_at),
            answers: r.answers,
        })
        .collect())
}

/// Disables an account (its sessions stop counting at once) or enables it again.
pub async fn set_disabled(pool: &PgPool, user_id: i64, disabled: bool) -> Result<(), AppError> {
    let updated = sqlx::query!(
        r#"
        update app_user
        set disabled_at = case when $2 then coalesce(disabled_at, now()) else null end
        where user_id = $1
        "#,
        user_id,
        disabled,
    )
    .execute(pool)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
