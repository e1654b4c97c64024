//! The account's own data, as one document (the "export my data" download): everything
//! recorded about a user, except what an open mock exam keeps back.

use anyhow::Context;
use sqlx::PgPool;

use crate::auth::User;

/// Everything recorded about a user, as one JSON document (the "export my data" download).
pub async fn export(pool: &PgPool, user: &User) -> anyhow::Result<serde_json::Value> {
    let account = sqlx::query!(
        "select email, display_name, is_admin, created_at from app_user where user_id = $1",
        user.user_id
    )
    .fetch_one(pool)
    .await
    .context("export account")?;
    let pages = sqlx::query!(
        "select exam_code, page_slug, read_at from page_read where user_id = $1 order by read_at",
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("export pages read")?;
    let answers = sqlx::query!(
        r#"
        select question_id, version, response, points, max_points, correct, time_taken_ms,
               answered_at
        from practice_answer where user_id = $1 order by answered_at, practice_answer_id
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("export answers")?;
    let marks = sqlx::query!(
        "select question_id, kind, marked_at from question_mark where user_id = $1 order by marked_at",
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("export marks")?;
    let cards = sqlx::query!(
        r#"
        select question_id, due, stability, difficulty, reps, lapses, state, last_review
        from review_card where user_id = $1 order by question_id
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("export review cards")?;
    let plans = sqlx::query!(
        "select exam_code, exam_date, desired_retention from study_plan where user_id = $1",
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("export study plans")?;
    let reports = sqlx::query!(
        r#"
        select question_id, question_version, page_slug, heading_id, reason, details, status,
               reply, created_at
        from problem_report where user_id = $1 order by created_at
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("export problem reports")?;
    let set = crate::practice::sets::load(pool, user.user_id).await?;
    // Answers to questions of a mock exam open now wait until it is over (see `integrity`).
    let mut conn = pool.acquire().await.context("export connection")?;
    let in_open_exam = crate::integrity::embargoed(&mut conn, user.user_id)
        .await
        .map_err(|err| anyhow::anyhow!("export open exam questions: {err}"))?;
    drop(conn);
    let ts = crate::db::rfc3339;
    Ok(serde_json::json!({
        "format": "exam-practice-export/1",
        "exported_at": ts(time::OffsetDateTime::now_utc()),
        "account": {
            "email": account.email,
            "display_name": account.display_name,
            "is_admin": account.is_admin,
            "created_at": ts(account.created_at),
        },
        "pages_read": pages.into_iter().map(|p| serde_json::json!({
            "exam": p.exam_code, "page": p.page_slug, "read_at": ts(p.read_at),
        })).collect::<Vec<_>>(),
        "practice_answers": answers.into_iter().map(|a| if in_open_exam.contains(&a.question_id) {
            serde_json::json!({
                "question": a.question_id, "version": a.version,
                "withheld": "part of a mock exam you have open: export again after submitting it",
                "answered_at": ts(a.answered_at),
            })
        } else {
            serde_json::json!({
                "question": a.question_id, "version": a.version, "response": a.response,
                "points": a.points, "max_points": a.max_points, "correct": a.correct,
                "time_taken_ms": a.time_taken_ms, "answered_at": ts(a.answered_at),
            })
        }).collect::<Vec<_>>(),
        "question_marks": marks.into_iter().map(|m| serde_json::json!({
            "question": m.question_id, "kind": m.kind, "marked_at": ts(m.marked_at),
        })).collect::<Vec<_>>(),
        "review_schedule": cards.into_iter().map(|c| serde_json::json!({
            "question": c.question_id, "due": ts(c.due), "stability": c.stability,
            "difficulty": c.difficulty, "reps": c.reps, "lapses": c.lapses, "state": c.state,
            "last_review": ts(c.last_review),
        })).collect::<Vec<_>>(),
        // The practice set in progress (its answers are in `practice_answers` as well).
        "practice_set": set.map(|set| serde_json::json!({
            "filter": set.filter, "position": set.position,
            "questions": set.items.iter().map(|i| serde_json::json!({
                "question": i.question_id, "version": i.version, "option_order": i.order,
                "answered": i.answer.is_some(),
            })).collect::<Vec<_>>(),
        })),
        "problem_reports": reports.into_iter().map(|r| serde_json::json!({
            "question": r.question_id, "question_version": r.question_version,
            "page": r.page_slug, "heading": r.heading_id, "reason": r.reason,
            "details": r.details, "status": r.status, "reply": r.reply,
            "created_at": ts(r.created_at),
        })).collect::<Vec<_>>(),
        "study_plans": plans.into_iter().map(|p| serde_json::json!({
            "exam": p.exam_code, "exam_date": p.exam_date.map(|d| d.to_string()),
            "desired_retention": p.desired_retention,
        })).collect::<Vec<_>>(),
    }))
}
