//! "Device cookies": a browser that signed in to an account gets a random token (the `device`
//! cookie, sent only to the account endpoints); the database keeps its SHA-256. While an
//! account's failure limit is used up (by anyone), a right password from a browser holding one
//! of its tokens still signs in. A wrong password from such a browser spends the token.

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use shared::error::AppError;

/// The cookie's name.
pub const COOKIE: &str = "device";
/// How long a browser stays known (seconds): 180 days.
pub const MAX_AGE_SECS: i64 = 180 * 24 * 60 * 60;

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The token in a `Cookie` header, if any.
pub fn from_cookie_header(header: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `token` was given to a browser that signed in to the account of `email`.
pub async fn is_known(pool: &PgPool, email: &str, token: Option<&str>) -> Result<bool, AppError> {
    let Some(token) = token else {
        return Ok(false);
    };
    sqlx::query_scalar!(
        r#"
        select exists (
            select 1 from known_device d join app_user u using (user_id)
            where d.token_hash = $1 and u.email = $2
              and d.created_at > now() - make_interval(secs => $3)
        ) as "known!"
        "#,
        digest(token),
        email,
        MAX_AGE_SECS as f64,
    )
    .fetch_one(pool)
    .await
    .map_err(AppError::internal)
}

/// A new token for this browser and account (the old one, if any, is dropped); returns it.
pub async fn issue(pool: &PgPool, user_id: i64, old: Option<&str>) -> Result<String, AppError> {
    let token = crate::auth::random_token() + &crate::auth::random_token();
    if let Some(old) = old {
        forget(pool, old).await?;
    }
    sqlx::query!(
        "insert into known_device (token_hash, user_id) values ($1, $2)",
        digest(&token),
        user_id,
    )
    .execute(pool)
    .await?;
    Ok(token)
}

/// Drops a token (spent by a wrong password, or replaced).
pub async fn forget(pool: &PgPool, token: &str) -> Result<(), AppError> {
    sqlx::query!(
        "delete from known_device where token_hash = $1",
        digest(token)
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The `Set-Cookie` value that gives a browser its token.
pub fn set_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/api/account; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}
