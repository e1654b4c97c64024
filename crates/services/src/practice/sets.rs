//! A signed-in learner's practice set, kept in `practice_set` and `practice_item` (a signed-out
//! learner's stays in the session). Each change writes only what changed: the position, the
//! time a question was first shown, or one answer, so two tabs (or two devices) of one learner
//! work on the same set and an answer never overwrites another.

use anyhow::Context;
use sqlx::{PgConnection, PgPool};

use super::{AnswerRecord, PracticeSession, PracticeSet, SetItem};

/// The learner's set in progress, if any.
pub async fn load(pool: &PgPool, user_id: i64) -> anyhow::Result<Option<PracticeSet>> {
    let Some(set) = sqlx::query!(
        "select filter, position from practice_set where user_id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await
    .context("load practice set")?
    else {
        return Ok(None);
    };
    let rows = sqlx::query!(
        r#"
        select question_id, version, option_order, shown_at_ms, answer
        from practice_item where user_id = $1 order by position
        "#,
        user_id
    )
    .fetch_all(pool)
    .await
    .context("load practice items")?;
    let items = rows
        .into_iter()
        .map(|r| {
            item(
                r.question_id,
                r.version,
                r.option_order,
                r.shown_at_ms,
                r.answer,
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(PracticeSet {
        filter: serde_json::from_value(set.filter).context("decode practice filter")?,
        position: usize::try_from(set.position)
            .unwrap_or_default()
            .min(items.len()),
        items,
    }))
}

/// A `practice_item` row as a set's item.
pub fn item(
    question_id: String,
    version: i32,
    order: Vec<String>,
    shown_at_ms: Option<i64>,
    answer: Option<serde_json::Value>,
) -> anyhow::Result<SetItem> {
    Ok(SetItem {
        question_id,
        version,
        order,
        shown_at_ms,
        answer: answer
            .map(serde_json::from_value::<AnswerRecord>)
            .transpose()
            .context("decode practice answer")?,
    })
}

/// Moves a set kept in the session (begun signed out) into the account, replacing the
/// account's: it is the one the learner has in front of them. True when there was one (the
/// caller then stores the session without it).
pub async fn adopt(
    pool: &PgPool,
    user_id: i64,
    practice: &mut PracticeSession,
) -> anyhow::Result<bool> {
    let Some(set) = practice.set.take() else {
        return Ok(false);
    };
    replace(pool, user_id, &set).await?;
    Ok(true)
}

/// Replaces the learner's set (a new one drawn, or one brought in from the session).
pub async fn replace(pool: &PgPool, user_id: i64, set: &PracticeSet) -> anyhow::Result<()> {
    let count = |n: usize| i32::try_from(n).context("set too large");
    let mut tx = pool.begin().await.context("begin")?;
    // The set row first, as an upsert: it locks the learner's set, so a second start at the
    // same moment (two tabs) waits, then replaces this one whole instead of colliding with it.
    sqlx::query!(
        r#"
        insert into practice_set (user_id, filter, position, total, answered, correct)
        values ($1, $2, $3, $4, $5, $6)
        on conflict on constraint practice_set_pkey do update set
            filter = excluded.filter, position = excluded.position, total = excluded.total,
            answered = excluded.answered, correct = excluded.correct, started_at = now()
        "#,
        user_id,
        serde_json::to_value(&set.filter).context("encode filter")?,
        count(set.position.min(set.items.len()))?,
        count(set.items.len())?,
        count(set.items.iter().filter(|i| i.answer.is_some()).count())?,
        count(
            set.items
                .iter()
                .filter(|i| i.answer.as_ref().is_some_and(|a| a.correct))
                .count()
        )?,
    )
    .execute(&mut *tx)
    .await
    .context("store practice set")?;
    sqlx::query!("delete from practice_item where user_id = $1", user_id)
        .execute(&mut *tx)
        .await
        .context("drop the old set's questions")?;
    let answers = set
        .items
        .iter()
        .map(|i| i.answer.as_ref().map(serde_json::to_value).transpose())
        .collect::<Result<Vec<_>, _>>()
        .context("encode answers")?;
    // Option orders as one text each (a text[][] must be rectangular): ids never hold a newline.
    let orders: Vec<String> = set.items.iter().map(|i| i.order.join("\n")).collect();
    sqlx::query!(
        r#"
        insert into practice_item (user_id, position, question_id, version, option_order,
                                   shown_at_ms, answer, correct)
        select $1, x.position - 1, x.question_id, x.version,
               string_to_array(x.option_order, E'\n'),
               x.shown_at_ms, x.answer, (x.answer ->> 'correct')::boolean
        from unnest($2::text[], $3::int4[], $4::text[], $5::int8[], $6::jsonb[])
            with ordinality as x(question_id, version, option_order, shown_at_ms, answer, position)
        "#,
        user_id,
        &set.items
            .iter()
            .map(|i| i.question_id.clone())
            .collect::<Vec<_>>(),
        &set.items.iter().map(|i| i.version).collect::<Vec<_>>(),
        &orders,
        &set.items.iter().map(|i| i.shown_at_ms).collect::<Vec<_>>() as &[Option<i64>],
        &answers as &[Option<serde_json::Value>],
    )
    .execute(&mut *tx)
    .await
    .context("insert practice items")?;
    tx.commit().await.context("commit practice set")
}

/// Ends the learner's set (their answers stay in the history).
pub async fn end(pool: &PgPool, user_id: i64) -> anyhow::Result<()> {
    sqlx::query!("delete from practice_set where user_id = $1", user_id)
        .execute(pool)
        .await
        .context("end practice set")?;
    Ok(())
}

/// Moves to the next question (or the summary after the last one); false without a set.
pub async fn advance(pool: &PgPool, user_id: i64) -> anyhow::Result<bool> {
    Ok(sqlx::query!(
        "update practice_set set position = least(position + 1, total) where user_id = $1",
        user_id
    )
    .execute(pool)
    .await
    .context("advance practice set")?
    .rows_affected()
        > 0)
}

/// Records when the question at `position` was first shown (a later call keeps the first time).
pub async fn mark_shown(
    pool: &PgPool,
    user_id: i64,
    position: usize,
    at_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query!(
        r#"
        update practice_item set shown_at_ms = coalesce(shown_at_ms, $3)
        where user_id = $1 and position = $2 and shown_at_ms is null
        "#,
        user_id,
        i32::try_from(position).context("position")?,
        at_ms,
    )
    .execute(pool)
    .await
    .context("mark question shown")?;
    Ok(())
}

/// Stores the answer of the question at `position`, in the caller's transaction; false when it
/// already has one (the first answer stands).
pub async fn answer(
    conn: &mut PgConnection,
    user_id: i64,
    position: usize,
    record: &AnswerRecord,
) -> anyhow::Result<bool> {
    Ok(sqlx::query!(
        r#"
        with item as (
            update practice_item set answer = $3, correct = $4
            where user_id = $1 and position = $2 and question_id = $5 and answer is null
            returning user_id
        )
        update practice_set s set answered = answered + 1, correct = correct + $4::boolean::int
        from item where s.user_id = item.user_id
        "#,
        user_id,
        i32::try_from(position).context("position")?,
        serde_json::to_value(record).context("encode answer")?,
        record.correct,
        record.question_id,
    )
    .execute(&mut *conn)
    .await
    .context("store practice answer in its set")?
    .rows_affected()
        > 0)
}
