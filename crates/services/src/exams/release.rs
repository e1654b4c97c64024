//! When the answers of an attempt are released to its owner. A practice mock exam's are, once
//! it is submitted; an assigned exam's follow the assignment's review policy, against the due
//! date (or the owner's extended one, when later).

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::db::rfc3339;
use shared::error::AppError;
use shared::when::to_minute;

/// Whether the owner of an attempt of `assignment_id` may see its answers and explanations
/// now (`None`: yes; `Some(reason)`: not yet or never).
pub async fn review_block(
    pool: &PgPool,
    owner_id: i64,
    assignment_id: i64,
) -> Result<Option<String>, AppError> {
    let terms = sqlx::query!(
        r#"
        select a.review_policy, greatest(a.due_at, e.due_at) as "due!"
        from assignment a
        left join assignment_extension e
          on e.assignment_id = a.assignment_id and e.user_id = $2
        where a.assignment_id = $1
        "#,
        assignment_id,
        owner_id,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(match terms.review_policy.as_str() {
        "never" => {
            Some("Your instructor does not release the answers of this assignment.".to_string())
        }
        "after_due" if OffsetDateTime::now_utc() < terms.due => Some(format!(
            "The answers are released after the due date ({} UTC).",
            to_minute(&rfc3339(terms.due))
        )),
        _ => None,
    })
}
