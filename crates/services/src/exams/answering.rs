//! While an attempt is open: saving answers (newest save wins), flags, and moving between
//! questions under the section rules.

use super::*;

/// Checks that an attempt takes answers now; past the deadline it is submitted and refused.
async fn ensure_open(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    row: &AttemptRow,
) -> Result<(), AppError> {
    if row.submitted_at.is_some() {
        return Err(AppError::Conflict(
            "This exam has been submitted; answers can no longer change.".to_string(),
        ));
    }
    if OffsetDateTime::now_utc() > row.deadline + GRACE {
        submit(pool, content, user, row.attempt_id, true).await?;
        return Err(AppError::Conflict(
            "Time is up: answers after the deadline are not accepted. Your exam has been submitted with the answers saved in time."
                .to_string(),
        ));
    }
    Ok(())
}

/// A transaction holding the learner's open attempt locked, with its row; a closed attempt
/// is refused as `ensure_open` says (submitting it first when its time is up).
async fn open_for_update<'c>(
    pool: &'c PgPool,
    content: &ContentStore,
    user: &User,
    attempt_id: i64,
) -> Result<(sqlx::Transaction<'c, sqlx::Postgres>, AttemptRow), AppError> {
    let mut tx = pool.begin().await?;
    let row = attempt_row(&mut tx, user.user_id, attempt_id, true).await?;
    if is_closed(&row) {
        drop(tx);
        ensure_open(pool, content, user, &row).await?;
        return Err(AppError::Internal);
    }
    Ok((tx, row))
}

/// Saves the answer to one question (or clears it with `None`). Saves are numbered by the
/// browser; one with a number not above the stored one changes nothing, so a retried or
/// late-arriving older save never overwrites a newer answer.
pub async fn save(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    attempt_id: i64,
    position: usize,
    response: Option<Response>,
    seq: i64,
) -> Result<SaveAck, AppError> {
    if seq <= 0 {
        return Err(AppError::field("seq", "The save number must be positive."));
    }
    let (mut tx, row) = open_for_update(pool, content, user, attempt_id).await?;
    let position_i32 = i32::try_from(position).map_err(|_| AppError::NotFound)?;
    // The section rules are `exam_item_writable`, as the autosave's group-commit path asks it.
    let item = sqlx::query!(
        r#"
        select question_id, locked, option_order as "option_order: Json<Vec<String>>",
               exam_item_writable(locked, section, $3) as "writable!"
        from exam_item where attempt_id = $1 and position = $2
        "#,
        attempt_id,
        position_i32,
        row.case_closed,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if !item.writable {
        return Err(AppError::Conflict(if item.locked {
            "This yes/no question was answered and left; it cannot be changed.".to_string()
        } else {
            "You have left the case study; its answers cannot change.".to_string()
        }));
    }
    // The browser answers in screen ids; the attempt stores the bank's.
    let response = match &response {
        Some(response) => {
            let bank = bank_for(
                &mut tx,
                content,
                groups_in(content, [item.question_id.as_str()]),
            )
            .await?;
            let question = bank.get(&item.question_id).ok_or(AppError::NotFound)?;
            let bank_response = question
                .shown(&item.option_order.0)
                .to_bank(response)
                .map_err(|err| AppError::field("response", err))?;
            check_shape(question, &bank_response)
                .map_err(|err| AppError::field("response", err))?;
            Some(bank_response)
        }
        None => None,
    };
    let value = response.as_ref().map(serde_json::to_value).transpose()?;
    let applied = sqlx::query!(
        r#"
        update exam_item set response = $3, saved_seq = $4, saved_at = now()
        where attempt_id = $1 and position = $2 and saved_seq < $4
        "#,
        attempt_id,
        position_i32,
        value,
        seq,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    tx.commit().await?;
    Ok(SaveAck {
        position,
        seq,
        applied,
    })
}

/// Whether an answer fits its question well enough to be saved: an incomplete one may be (the
/// learner is still working on it), one naming options the question does not have may not.
pub(super) fn check_shape(question: &Question, response: &Response) -> Result<(), ResponseError> {
    match shared::question::score(&question.key, response) {
        Ok(_) | Err(ResponseError::Incomplete | ResponseError::WrongCount { .. }) => Ok(()),
        Err(err) => Err(err),
    }
}

/// Flags a question for review (or clears the flag).
pub async fn set_flag(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    attempt_id: i64,
    position: usize,
    flagged: bool,
) -> Result<bool, AppError> {
    let mut conn = pool.acquire().await?;
    let row = attempt_row(&mut conn, user.user_id, attempt_id, false).await?;
    drop(conn);
    ensure_open(pool, content, user, &row).await?;
    let updated = sqlx::query!(
        "update exam_item set flagged = $3 where attempt_id = $1 and position = $2",
        attempt_id,
        i32::try_from(position).map_err(|_| AppError::NotFound)?,
        flagged,
    )
    .execute(pool)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    Ok(flagged)
}

/// Moves to another question, applying the section rules: a yes/no question answered and left
/// is locked; leaving the case study closes it for good.
pub async fn navigate(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    attempt_id: i64,
    to: usize,
) -> Result<NavState, AppError> {
    let (mut tx, row) = open_for_update(pool, content, user, attempt_id).await?;
    content.exam(&row.exam_code).ok_or(AppError::NotFound)?;
    let items = item_rows(&mut tx, attempt_id).await?;
    let to_item = items
        .iter()
        .find(|i| usize::try_from(i.position).ok() == Some(to))
        .ok_or(AppError::NotFound)?;
    let from = usize::try_from(row.position).unwrap_or_default();
    let mut case_closed = row.case_closed;
    if to != from
        && let Some(from_item) = items.iter().find(|i| i.position == row.position)
    {
        // The question may be a group's own (an assignment drawn from its bank): look it up
        // where `save` does, not in the pack's bank only.
        let bank = bank_for(
            &mut tx,
            content,
            groups_in(content, [from_item.question_id.as_str()]),
        )
        .await?;
        let is_yesno = bank
            .get(&from_item.question_id)
            .is_some_and(|q| q.item_type() == ItemType::Yesno);
        if is_yesno && from_item.response.is_some() && !from_item.locked {
            sqlx::query!(
                "update exam_item set locked = true where attempt_id = $1 and position = $2",
                attempt_id,
                from_item.position,
            )
            .execute(&mut *tx)
            .await?;
        }
        if from_item.section == 1 && to_item.section == 0 {
            case_closed = true;
        }
    }
    if to != from && to_item.locked {
        return Err(AppError::Conflict(
            "A yes/no question cannot be revisited once answered.".to_string(),
        ));
    }
    if to_item.section == 1 && case_closed {
        return Err(AppError::Conflict(
            "The case study section is closed: it cannot be re-entered once left.".to_string(),
        ));
    }
    sqlx::query!(
        "update exam_attempt set position = $2, case_closed = $3 where attempt_id = $1",
        attempt_id,
        i32::try_from(to).unwrap_or_default(),
        case_closed,
    )
    .execute(&mut *tx)
    .await?;
    let locked = sqlx::query_scalar!(
        "select position from exam_item where attempt_id = $1 and locked order by position",
        attempt_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(NavState {
        position: to,
        case_closed,
        locked: locked
            .into_iter()
            .filter_map(|p| usize::try_from(p).ok())
            .collect(),
    })
}
