//! Submitting and scoring an attempt (by the learner, or by the server at the deadline).

use super::*;

/// Scores and closes an attempt (idempotent). `auto` marks a submission by the server at the
/// deadline: it is dated at the deadline.
#[tracing::instrument(skip(pool, content, user))]
pub async fn submit(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    attempt_id: i64,
    auto: bool,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = attempt_row(&mut tx, user.user_id, attempt_id, true).await?;
    if row.submitted_at.is_some() {
        return Ok(());
    }
    score_attempt(&mut tx, content, &row, auto).await?;
    tx.commit().await?;
    tracing::info!(attempt_id, auto, "mock exam submitted");
    Ok(())
}

async fn score_attempt(
    tx: &mut sqlx::PgConnection,
    content: &ContentStore,
    row: &AttemptRow,
    auto: bool,
) -> Result<(), AppError> {
    let blueprint = &row.blueprint.0;
    let items = item_rows(tx, row.attempt_id).await?;
    let bank = bank_for(
        &mut *tx,
        content,
        groups_in(content, items.iter().map(|i| i.question_id.as_str())),
    )
    .await?;
    let mut total = 0.0;
    let mut positions = Vec::with_capacity(items.len());
    let mut points = Vec::with_capacity(items.len());
    let mut max_points = Vec::with_capacity(items.len());
    let mut correct = Vec::with_capacity(items.len());
    for item in &items {
        let score = item_score(&bank, item);
        total += if score.max > 0.0 {
            score.points / score.max
        } else {
            0.0
        };
        positions.push(item.position);
        points.push(score.points);
        max_points.push(score.max);
        correct.push(score.max > 0.0 && score.points >= score.max);
    }
    // Every item's score in one statement.
    sqlx::query!(
        r#"
        update exam_item i set points = s.points, max_points = s.max_points, correct = s.correct
        from unnest($2::int4[], $3::float8[], $4::float8[], $5::bool[])
            as s(position, points, max_points, correct)
        where i.attempt_id = $1 and i.position = s.position
        "#,
        row.attempt_id,
        &positions,
        &points,
        &max_points,
        &correct,
    )
    .execute(&mut *tx)
    .await?;
    let raw = if items.is_empty() {
        0.0
    } else {
        total / items.len() as f64
    };
    let scaled = blueprint.scale(raw);
    sqlx::query!(
        r#"
        update exam_attempt
        set submitted_at = case when $2 then least(deadline, now()) else now() end,
            auto_submitted = $2, raw_score = $3, scaled_score = $4, passed = $5
        where attempt_id = $1
        "#,
        row.attempt_id,
        auto,
        raw,
        i32::try_from(scaled).unwrap_or_default(),
        scaled >= blueprint.pass_mark,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Points and maximum of one item (an unanswered or incomplete answer earns nothing).
fn item_score(bank: &Bank<'_>, item: &ItemRow) -> Score {
    let Some(question) = bank.get(&item.question_id) else {
        return Score {
            points: 0.0,
            max: 1.0,
            partial: None,
        };
    };
    let max = match &question.key {
        shared::question::Key::YesNo(k) => k.len() as f64,
        shared::question::Key::Drill(k) => k.len() as f64,
        _ => 1.0,
    };
    response_of(item)
        .and_then(|r| shared::question::score(&question.key, &r).ok())
        .unwrap_or(Score {
            points: 0.0,
            max,
            partial: None,
        })
}

/// Submits every open attempt past its deadline (run by a background task, so an exam left
/// open in a closed browser is still submitted). Returns how many were submitted.
pub async fn submit_overdue(pool: &PgPool, content: &ContentStore) -> anyhow::Result<usize> {
    let overdue = sqlx::query!(
        r#"
        select attempt_id from exam_attempt
        where submitted_at is null and deadline + interval '2 seconds' < now()
        order by deadline limit 200
        "#
    )
    .fetch_all(pool)
    .await
    .context("list overdue attempts")?;
    let mut submitted = 0;
    for attempt in overdue {
        let mut tx = pool.begin().await?;
        let row = sqlx::query_as!(
            AttemptRow,
            r#"
            select attempt_id, exam_code, blueprint as "blueprint: Json<Blueprint>",
                   started_at, deadline, submitted_at,
                   auto_submitted, position, case_closed, scaled_score, raw_score, passed,
                   assignment_id
            from exam_attempt where attempt_id = $1 and submitted_at is null
            for update skip locked
            "#,
            attempt.attempt_id,
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = row {
            score_attempt(&mut tx, content, &row, true)
                .await
                .map_err(|err| anyhow::anyhow!("score attempt {}: {err}", row.attempt_id))?;
            tx.commit().await?;
            submitted += 1;
        }
    }
    Ok(submitted)
}
