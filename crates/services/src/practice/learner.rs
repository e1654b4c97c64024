//! What practice knows about a learner: their answers, flags and bookmarks. Signed out, it all
//! lives in the session; signed in, in the database, and the session's share is merged in at
//! sign-in or sign-up.

use std::collections::{BTreeSet, HashMap};

use anyhow::Context;
use sqlx::PgPool;
use time::OffsetDateTime;

use super::{AnswerRecord, PracticeSession};
use crate::auth::User;
use crate::review;

/// Flags and bookmarks, and the questions withheld from practice now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    pub flagged: BTreeSet<String>,
    pub bookmarked: BTreeSet<String>,
    /// Questions of a mock exam the learner has open (see `crate::integrity`): practice
    /// neither draws, scores nor explains them until it is over.
    pub in_open_exam: BTreeSet<String>,
}

/// A learner's history, as the practice filters need it.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Whether the last answer to each answered question was right.
    pub last_correct: HashMap<String, bool>,
    pub marks: Marks,
    /// Questions due for review, most overdue first (signed in only).
    pub due: Vec<String>,
}

impl History {
    pub fn seen(&self, question_id: &str) -> bool {
        self.last_correct.contains_key(question_id)
    }

    pub fn missed(&self, question_id: &str) -> bool {
        self.last_correct.get(question_id) == Some(&false)
    }
}

/// The learner's flags and bookmarks, and the questions of their open mock exams (one query).
pub async fn marks(
    pool: &PgPool,
    user: Option<&User>,
    practice: &PracticeSession,
) -> anyhow::Result<Marks> {
    let Some(user) = user else {
        return Ok(Marks {
            flagged: practice.flagged.clone(),
            bookmarked: practice.bookmarked.clone(),
            in_open_exam: BTreeSet::new(),
        });
    };
    let rows = sqlx::query!(
        r#"
        select question_id as "question_id!", kind as "kind!" from question_mark where user_id = $1
        union all
        select question_id, 'exam' from open_exam_question where user_id = $1
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("load question marks")?;
    let mut marks = Marks::default();
    for row in rows {
        match row.kind.as_str() {
            "flag" => marks.flagged.insert(row.question_id),
            "exam" => marks.in_open_exam.insert(row.question_id),
            _ => marks.bookmarked.insert(row.question_id),
        };
    }
    Ok(marks)
}

/// The learner's history in an exam; the due reviews only when asked for (a query over the
/// review schedule that other filters do not need).
pub async fn history(
    pool: &PgPool,
    user: Option<&User>,
    practice: &PracticeSession,
    exam_code: &str,
    with_due: bool,
) -> anyhow::Result<History> {
    let marks = marks(pool, user, practice).await?;
    let Some(user) = user else {
        let mut last_correct = HashMap::new();
        for answer in &practice.history {
            last_correct.insert(answer.question_id.clone(), answer.correct);
        }
        return Ok(History {
            last_correct,
            marks,
            due: Vec::new(),
        });
    };
    let rows = sqlx::query!(
        r#"
        select distinct on (question_id) question_id, correct
        from practice_answer where user_id = $1
        order by question_id, answered_at desc, practice_answer_id desc
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("load last answers")?;
    let due = if with_due {
        review::due_questions(pool, user.user_id, exam_code, OffsetDateTime::now_utc()).await?
    } else {
        Vec::new()
    };
    Ok(History {
        last_correct: rows
            .into_iter()
            .map(|r| (r.question_id, r.correct))
            .collect(),
        marks,
        due,
    })
}

/// Sets or clears a flag or bookmark; returns whether it is now set.
pub async fn toggle_mark(
    pool: &PgPool,
    user: &User,
    question_id: &str,
    bookmark: bool,
) -> anyhow::Result<bool> {
    let kind = if bookmark { "bookmark" } else { "flag" };
    let removed = sqlx::query!(
        "delete from question_mark where user_id = $1 and question_id = $2 and kind = $3",
        user.user_id,
        question_id,
        kind,
    )
    .execute(pool)
    .await
    .context("clear mark")?
    .rows_affected();
    if removed > 0 {
        return Ok(false);
    }
    sqlx::query!(
        r#"
        insert into question_mark (user_id, question_id, kind) values ($1, $2, $3)
        on conflict on constraint question_mark_pkey do nothing
        "#,
        user.user_id,
        question_id,
        kind,
    )
    .execute(pool)
    .await
    .context("set mark")?;
    Ok(true)
}

/// Stores the answer to the question at `position` of the learner's set, in the history, and
/// counts it as a review, in one transaction; false (nothing written) when that question of the
/// set already has an answer.
pub async fn record_answer(
    pool: &PgPool,
    user_id: i64,
    exam_code: &str,
    position: usize,
    answer: &AnswerRecord,
) -> anyhow::Result<bool> {
    let mut tx = pool.begin().await.context("begin")?;
    if !super::sets::answer(&mut tx, user_id, position, answer).await? {
        return Ok(false);
    }
    insert_answer(&mut tx, user_id, exam_code, answer).await?;
    tx.commit().await.context("commit answer")?;
    Ok(true)
}

async fn insert_answer(
    conn: &mut sqlx::PgConnection,
    user_id: i64,
    exam_code: &str,
    answer: &AnswerRecord,
) -> anyhow::Result<()> {
    let answered_at = OffsetDateTime::from_unix_timestamp(answer.answered_at)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let response = serde_json::to_value(&answer.response).context("encode response")?;
    sqlx::query!(
        r#"
        insert into practice_answer (user_id, question_id, version, response, points, max_points,
                                     correct, time_taken_ms, answered_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        "#,
        user_id,
        answer.question_id,
        answer.version,
        response,
        answer.points as f32,
        answer.max as f32,
        answer.correct,
        answer.time_taken_ms.max(0),
        answered_at,
    )
    .execute(&mut *conn)
    .await
    .context("insert practice answer")?;
    let plan = review::plan(&mut *conn, user_id, exam_code).await?;
    review::record(
        &mut *conn,
        user_id,
        &answer.question_id,
        review::rating(answer.points, answer.max, answer.correct),
        answered_at,
        &plan,
    )
    .await
}

/// Moves what the learner did while signed out (answers, flags, bookmarks) into their account,
/// then empties the session's copy so nothing is merged twice. Answers to questions that no
/// longer exist in the database are dropped.
#[tracing::instrument(skip_all, fields(user_id = user.user_id, answers = practice.history.len()))]
pub async fn merge_session(
    pool: &PgPool,
    user: &User,
    practice: &mut PracticeSession,
    exam_code: &str,
) -> anyhow::Result<()> {
    if practice.history.is_empty() && practice.flagged.is_empty() && practice.bookmarked.is_empty()
    {
        return Ok(());
    }
    let mut tx = pool.begin().await.context("begin merge")?;
    let mut history = std::mem::take(&mut practice.history);
    history.sort_by_key(|a| a.answered_at);
    for answer in &history {
        let known = sqlx::query_scalar!(
            "select exists(select 1 from question_version where question_id = $1 and version = $2) as \"known!\"",
            answer.question_id,
            answer.version,
        )
        .fetch_one(&mut *tx)
        .await
        .context("check question version")?;
        if known {
            insert_answer(&mut tx, user.user_id, exam_code, answer).await?;
        }
    }
    for (set, kind) in [
        (&practice.flagged, "flag"),
        (&practice.bookmarked, "bookmark"),
    ] {
        for question_id in set {
            sqlx::query!(
                r#"
                insert into question_mark (user_id, question_id, kind)
                select $1, question_id, $3 from question where question_id = $2
                on conflict on constraint question_mark_pkey do nothing
                "#,
                user.user_id,
                question_id,
                kind,
            )
            .execute(&mut *tx)
            .await
            .context("merge mark")?;
        }
    }
    tx.commit().await.context("commit merge")?;
    practice.flagged.clear();
    practice.bookmarked.clear();
    Ok(())
}
