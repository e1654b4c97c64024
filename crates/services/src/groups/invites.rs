//! Invites to a group: codes that owners and instructors create and revoke, and joining with
//! one (an unknown, revoked, expired or used-up code gets the same answer).

use super::*;

/// A random invite code: 10 characters from an alphabet without look-alikes (~50 bits).
fn new_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 10];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Creates an invite (owners and instructors).
pub async fn create_invite(
    pool: &PgPool,
    user: &User,
    group_id: i64,
    expires_in_days: Option<u32>,
    max_uses: Option<u32>,
) -> Result<String, AppError> {
    require_manager(pool, user, group_id).await?;
    if expires_in_days.is_some_and(|d| !(1..=365).contains(&d)) {
        return Err(AppError::field(
            "expires_in_days",
            "Choose 1 to 365 days, or no expiry.",
        ));
    }
    if max_uses.is_some_and(|n| !(1..=10_000).contains(&n)) {
        return Err(AppError::field(
            "max_uses",
            "Choose 1 to 10000 uses, or no limit.",
        ));
    }
    let code = new_code();
    sqlx::query!(
        r#"
        insert into group_invite (group_id, code, created_by, expires_at, max_uses)
        values ($1, $2, $3, now() + make_interval(days => $4), $5)
        "#,
        group_id,
        code,
        user.user_id,
        expires_in_days.map(|d| i32::try_from(d).unwrap_or(365)),
        max_uses.map(|n| i32::try_from(n).unwrap_or(10_000)),
    )
    .execute(pool)
    .await?;
    Ok(code)
}

/// Revokes an invite (owners and instructors of its group).
pub async fn revoke_invite(pool: &PgPool, user: &User, invite_id: i64) -> Result<(), AppError> {
    let group_id = sqlx::query_scalar!(
        "select group_id from group_invite where invite_id = $1",
        invite_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    require_manager(pool, user, group_id).await?;
    sqlx::query!(
        "update group_invite set revoked_at = coalesce(revoked_at, now()) where invite_id = $1",
        invite_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// What an invite code leads to, for the join page.
pub async fn invite_group(pool: &PgPool, code: &str) -> Result<(i64, String), AppError> {
    let row = sqlx::query!(
        r#"
        select g.group_id, g.name from group_invite i join study_group g using (group_id)
        where i.code = $1 and i.revoked_at is null
          and (i.expires_at is null or i.expires_at > now())
          and (i.max_uses is null or i.uses < i.max_uses)
        "#,
        code.trim(),
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| (r.group_id, r.name)).ok_or_else(invalid_invite)
}

fn invalid_invite() -> AppError {
    AppError::field(
        "code",
        "This invite is not valid: it may be mistyped, expired, used up or revoked. Ask for a new one.",
    )
}

/// Joins a group with an invite code (as a learner); joining again changes nothing.
pub async fn join(pool: &PgPool, user: &User, code: &str) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let invite = sqlx::query!(
        r#"
        select invite_id, group_id, created_at from group_invite
        where code = $1 and revoked_at is null
          and (expires_at is null or expires_at > now())
          and (max_uses is null or uses < max_uses)
        for update
        "#,
        code.trim(),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid_invite)?;
    // A removed member comes back only with an invite made after the removal.
    let removed_at = sqlx::query_scalar!(
        "select removed_at from group_removal where group_id = $1 and user_id = $2",
        invite.group_id,
        user.user_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if removed_at.is_some_and(|removed| removed >= invite.created_at) {
        return Err(AppError::field(
            "code",
            "You were removed from this group. Ask its owner or an instructor for a new invite.",
        ));
    }
    let joined = sqlx::query!(
        r#"
        insert into group_member (group_id, user_id, role) values ($1, $2, 'learner')
        on conflict on constraint group_member_pkey do nothing
        "#,
        invite.group_id,
        user.user_id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if joined > 0 {
        sqlx::query!(
            "update group_invite set uses = uses + 1 where invite_id = $1",
            invite.invite_id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(invite.group_id)
}
