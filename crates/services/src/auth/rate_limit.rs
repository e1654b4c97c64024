//! Sign-in and sign-up rate limiting. Failed sign-ins are kept in the database (so several
//! server instances share the count) and counted over a sliding window, per account and per
//! client address; each attempt is counted before its password is checked, and a successful
//! sign-in clears the account's count. Sign-ups are counted per address (each costs a hash).

use sqlx::PgPool;

use shared::error::AppError;

/// The window failures are counted over.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Failed attempts allowed on one account within the window.
pub const PER_ACCOUNT: i64 = 5;
/// Failed attempts allowed from one client address within the window (any accounts).
pub const PER_ADDRESS: i64 = 20;

/// Takes one sign-in attempt for this account and address before the password is checked:
/// refused (429, with the seconds until the oldest counted failure leaves the window) when
/// either has used up its failures, else counted against the account at once (pending), so
/// concurrent guesses each use up an attempt before any of them is verified (the count and the
/// insert happen under per-account and per-address locks); returns the reservation. A wrong
/// password makes it a failure of the address too ([`record_failure`]); a right one clears the
/// account's count ([`forget`]). `known_device`: the browser has signed in to this account before; the
/// account's limit does not stop it (the address's still does), so nobody can keep an
/// account locked by guessing its password from elsewhere.
pub async fn reserve(
    pool: &PgPool,
    email: &str,
    client_addr: &str,
    known_device: bool,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    // Always the account's lock first, then the address's: no two requests wait on each other
    // in a circle.
    for key in [
        format!("sign-in account {email}"),
        format!("sign-in address {client_addr}"),
    ] {
        crate::db::lock(&mut tx, &key).await?;
    }
    let row = sqlx::query!(
        r#"
        with recent as (
            select email, client_addr, failed_at, pending from sign_in_failure
            where failed_at > now() - make_interval(secs => $3)
              and (email = $1 or client_addr = $2)
        ),
        account as (
            select count(*) as n, min(failed_at) as oldest from recent where email = $1
        ),
        address as (
            select count(*) as n, min(failed_at) as oldest from recent
            where client_addr = $2 and not pending
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
    .fetch_one(&mut *tx)
    .await?;
    let mut retry: Option<f64> = None;
    if row.account_failures >= PER_ACCOUNT && !known_device {
        retry = row.account_retry;
    }
    if row.address_failures >= PER_ADDRESS {
        retry = Some(retry.unwrap_or(0.0).max(row.address_retry.unwrap_or(0.0)));
    }
    if let Some(secs) = retry {
        tracing::warn!("sign-in rate limit reached");
        return Err(AppError::RateLimited {
            retry_after_secs: secs.ceil().max(1.0) as u64,
        });
    }
    let reservation = sqlx::query_scalar!(
        r#"
        insert into sign_in_failure (email, client_addr, pending) values ($1, $2, true)
        returning sign_in_failure_id
        "#,
        email,
        client_addr,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(reservation)
}

/// After a wrong password: the reserved attempt becomes a failure (it now counts against the
/// address too), and failures too old to matter go.
pub async fn record_failure(pool: &PgPool, reservation: i64) -> Result<(), AppError> {
    sqlx::query!(
        "update sign_in_failure set pending = false where sign_in_failure_id = $1",
        reservation
    )
    .execute(pool)
    .await?;
    sqlx::query!(
        "delete from sign_in_failure where failed_at < now() - make_interval(secs => $1)",
        WINDOW_SECS as f64,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Clears an account's failures after it signed in.
pub async fn forget(pool: &PgPool, email: &str) -> Result<(), AppError> {
    sqlx::query!("delete from sign_in_failure where email = $1", email)
        .execute(pool)
        .await?;
    Ok(())
}

/// Sign-ups allowed from one client address within [`SIGN_UP_WINDOW_SECS`], unless the
/// operator sets another limit (a class signing up behind one address may need more).
pub const SIGN_UPS_PER_ADDRESS: i64 = 30;
/// The window sign-ups are counted over.
pub const SIGN_UP_WINDOW_SECS: i64 = 15 * 60;

/// Takes one sign-up attempt for this address (counted whether or not it succeeds), or refuses
/// it (429) when the address has used up its `limit` attempts in the window (0: no limit).
pub async fn reserve_sign_up(pool: &PgPool, client_addr: &str, limit: i64) -> Result<(), AppError> {
    if limit <= 0 {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    crate::db::lock(&mut tx, &format!("sign-up address {client_addr}")).await?;
    let row = sqlx::query!(
        r#"
        select count(*) as "n!",
               extract(epoch from (min(attempted_at) + make_interval(secs => $2) - now()))::float8
                   as retry
        from sign_up_attempt
        where client_addr = $1 and attempted_at > now() - make_interval(secs => $2)
        "#,
        client_addr,
        SIGN_UP_WINDOW_SECS as f64,
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.n >= limit {
        tracing::warn!("sign-up rate limit reached");
        return Err(AppError::RateLimited {
            retry_after_secs: row.retry.unwrap_or(60.0).ceil().max(1.0) as u64,
        });
    }
    sqlx::query!(
        "insert into sign_up_attempt (client_addr) values ($1)",
        client_addr
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from sign_up_attempt where attempted_at < now() - make_interval(secs => $1)",
        SIGN_UP_WINDOW_SECS as f64,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
