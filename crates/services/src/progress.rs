//! Reading progress: which reference pages a user has read.

use anyhow::Context;
use sqlx::PgPool;

/// Marks a page read (again): idempotent, keeps the latest time.
#[tracing::instrument(skip(pool))]
pub async fn mark_page_read(
    pool: &PgPool,
    user_id: i64,
    exam_code: &str,
    page_slug: &str,
) -> anyhow::Result<()> {
    sqlx::query!(
        r#"
        insert into page_read (user_id, exam_code, page_slug) values ($1, $2, $3)
        on conflict on constraint page_read_pkey do update set read_at = now()
        "#,
        user_id,
        exam_code,
        page_slug,
    )
    .execute(pool)
    .await
    .context("mark page read")?;
    Ok(())
}

/// The slugs of the pages a user has read.
#[tracing::instrument(skip(pool))]
pub async fn pages_read(
    pool: &PgPool,
    user_id: i64,
    exam_code: &str,
) -> anyhow::Result<Vec<String>> {
    let slugs = sqlx::query_scalar!(
        "select page_slug from page_read where user_id = $1 and exam_code = $2 order by page_slug",
        user_id,
        exam_code,
    )
    .fetch_all(pool)
    .await
    .context("list pages read")?;
    Ok(slugs)
}

/// Marks a page unread again.
#[tracing::instrument(skip(pool))]
pub async fn mark_page_unread(
    pool: &PgPool,
    user_id: i64,
    exam_code: &str,
    page_slug: &str,
) -> anyhow::Result<()> {
    sqlx::query!(
        "delete from page_read where user_id = $1 and exam_code = $2 and page_slug = $3",
        user_id,
        exam_code,
        page_slug,
    )
    .execute(pool)
    .await
    .context("mark page unread")?;
    Ok(())
}

/// Marks a page of the pack the visitor studies read or unread, for the signed-in learner;
/// returns the new state.
pub async fn set_read(
    req: &crate::Request,
    slug: &str,
    read: bool,
) -> Result<bool, shared::error::AppError> {
    let user = req.require_user().await?;
    let exam = req.exam();
    if exam.page(slug).is_none() {
        return Err(shared::error::AppError::NotFound);
    }
    let pool = &req.state.pool;
    if read {
        mark_page_read(pool, user.user_id, &exam.meta.code, slug).await?;
    } else {
        mark_page_unread(pool, user.user_id, &exam.meta.code, slug).await?;
    }
    Ok(read)
}
