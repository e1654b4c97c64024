//! Sign-in rate limiting. Failed attempts are kept in the database (so several server instances
//! share the count) and counted over a sliding window, per account and per client address.
//! A successful sign-in clears the account's count.

use sqlx::PgPool;

use crate::domain::error::AppError;

/// The window failures are counted over.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Failed attempts allowed on one account within the window.
pub const PER_ACCOUNT: i64 = 5;
/// Failed attempts allowed from one client address within the window (any accounts).
pub const PER_ADDRESS: i64 = 20;

/// Refuses the attempt, with the seconds until the oldest counted failure leaves the window,
/// when the account or the address has used up its attempts.
pub async fn check(pool: &PgPool, email: &str, client_addr: &str) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"
        with recent as (
            select email, client_addr, failed_at from sign_in_failure
            where failed_at > now() - make_interval(secs => $3)
              and (email = $1 or client_addr = $2)
        ),
        account as (
            select count(*) as n, min(failed_at) as oldest from recent where email = $1
        ),
        address as (
            select count(*) as n, min(failed_at) as oldest from recent where client_addr = $2
        )
        select
            account.n as "account_failures!",
            extract(epoch from (account.oldest + make_interval(secs => $3) - now()))::float8
                as account_retry,
            address.n as "address_failures!",
            extract(epoch from (address.oldest + make_interval(secs => $3) - now()))::float8
                as address_retry
        from account, address
        "#,
        email,
        client_addr,
        WINDOW_SECS as f64,
    )
    .fetch_one(pool)
    .await
    .map_err(AppError::internal)?;
    let mut retry: Option<f64> = None;
    if row.account_failures >= PER_ACCOUNT {
        retry = row.account_retry;
    }
    if row.address_failures >= PER_ADDRESS {
        retry = Some(retry.unwrap_or(0.0).max(row.address_retry.unwrap_or(0.0)));
    }
    match retry {
        Some(secs) => {
            tracing::warn!("sign-in rate limit reached");
            Err(AppError::RateLimited {
                retry_after_secs: secs.ceil().max(1.0) as u64,
            })
        }
        None => Ok(()),
    }
}

/// Counts a failed attempt (and drops failures too old to matter).
pub async fn record_failure(pool: &PgPool, email: &str, client_addr: &str) -> Result<(), AppError> {
    sqlx::query!(
        "insert into sign_in_failure (email, client_addr) values ($1, $2)",
        email,
        client_addr,
    )
    .execute(pool)
    .await
    .map_err(AppError::internal)?;
    sqlx::query!(
        "delete from sign_in_failure where failed_at < now() - make_interval(secs => $1)",
        WINDOW_SECS as f64,
    )
    .execute(pool)
    .await
    .map_err(AppError::internal)?;
    Ok(())
}

/// Clears an account's failures after it signed in.
pub async fn forget(pool: &PgPool, email: &str) -> Result<(), AppError> {
    sqlx::query!("delete from sign_in_failure where email = $1", email)
        .execute(pool)
        .await
        .map_err(AppError::internal)?;
    Ok(())
}
