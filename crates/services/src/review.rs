//! Spaced review: an FSRS memory state per answered question, scheduled towards a desired
//! retention and, when the learner set one, their exam date.
//!
//! Every practice answer of a signed-in learner is a review: wrong is "again", partly right is
//! "hard", right is "good". With an exam date, a question whose next review would fall on or
//! after the exam day is brought forward to halfway between now and the exam, so every
//! question answered more than a day before the exam comes back at least once before it.

use anyhow::Context;
use rs_fsrs::{Card, FSRS, Parameters, Rating, State};
use sqlx::{PgConnection, PgPool};
use time::{Date, OffsetDateTime};

use shared::error::AppError;
use shared::review::{MAX_RETENTION, MIN_RETENTION, ReviewOverview};

/// A learner's plan for one exam.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    pub exam_date: Option<Date>,
    pub desired_retention: f64,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            exam_date: None,
            desired_retention: 0.9,
        }
    }
}

/// How an answer counts as a review.
pub fn rating(points: f64, max: f64, correct: bool) -> Rating {
    if correct {
        Rating::Good
    } else if points > 0.0 && max > 0.0 {
        Rating::Hard
    } else {
        Rating::Again
    }
}

fn to_chrono(t: OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or_default()
}

fn to_time(t: chrono::DateTime<chrono::Utc>) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.timestamp()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The next memory state of a question after a review at `now`.
pub fn schedule(card: Option<Card>, rating: Rating, now: OffsetDateTime, plan: &Plan) -> Card {
    let parameters = Parameters {
        request_retention: plan.desired_retention.clamp(MIN_RETENTION, MAX_RETENTION),
        ..Parameters::default()
    };
    let chrono_now = to_chrono(now);
    let card = card.unwrap_or_else(|| Card {
        due: chrono_now,
        last_review: chrono_now,
        ..Card::default()
    });
    let mut next = FSRS::new(parameters).next(card, chrono_now, rating).card;
    if let Some(exam_date) = plan.exam_date {
        let exam_start = to_chrono(exam_date.midnight().assume_utc());
        let before_exam = exam_start - chrono_now;
        if next.due >= exam_start && before_exam >= chrono::TimeDelta::days(1) {
            next.due = chrono_now + before_exam / 2;
        }
    }
    next
}

/// A card as `review_card` stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct CardRow {
    pub due: OffsetDateTime,
    pub stability: f64,
    pub difficulty: f64,
    pub elapsed_days: i32,
    pub scheduled_days: i32,
    pub reps: i32,
    pub lapses: i32,
    pub state: i16,
    pub last_review: OffsetDateTime,
}

impl From<CardRow> for Card {
    fn from(r: CardRow) -> Self {
        Card {
            due: to_chrono(r.due),
            stability: r.stability,
            difficulty: r.difficulty,
            elapsed_days: i64::from(r.elapsed_days),
            scheduled_days: i64::from(r.scheduled_days),
            reps: r.reps,
            lapses: r.lapses,
            state: match r.state {
                1 => State::Learning,
                2 => State::Review,
                3 => State::Relearning,
                _ => State::New,
            },
            last_review: to_chrono(r.last_review),
        }
    }
}

impl From<&Card> for CardRow {
    fn from(c: &Card) -> Self {
        CardRow {
            due: to_time(c.due),
            stability: c.stability,
            difficulty: c.difficulty,
            elapsed_days: i32::try_from(c.elapsed_days).unwrap_or(i32::MAX),
            scheduled_days: i32::try_from(c.scheduled_days).unwrap_or(i32::MAX),
            reps: c.reps,
            lapses: c.lapses,
            state: c.state as i16,
            last_review: to_time(c.last_review),
        }
    }
}

/// Records a review of one question in the learner's schedule.
pub async fn record(
    conn: &mut PgConnection,
    user_id: i64,
    question_id: &str,
    rating: Rating,
    now: OffsetDateTime,
    plan: &Plan,
) -> anyhow::Result<()> {
    let row = sqlx::query_as!(
        CardRow,
        r#"
        select due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, state,
               last_review
        from review_card where user_id = $1 and question_id = $2
        for update
        "#,
        user_id,
        question_id,
    )
    .fetch_optional(&mut *conn)
    .await
    .context("load review card")?;
    let next = CardRow::from(&schedule(row.map(Card::from), rating, now, plan));
    sqlx::query!(
        r#"
        insert into review_card (user_id, question_id, due, stability, difficulty, elapsed_days,
                                 scheduled_days, reps, lapses, state, last_review)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        on conflict on constraint review_card_pkey do update set
            due = excluded.due, stability = excluded.stability,
            difficulty = excluded.difficulty, elapsed_days = excluded.elapsed_days,
            scheduled_days = excluded.scheduled_days, reps = excluded.reps,
            lapses = excluded.lapses, state = excluded.state,
            last_review = excluded.last_review
        "#,
        user_id,
        question_id,
        next.due,
        next.stability,
        next.difficulty,
        next.elapsed_days,
        next.scheduled_days,
        next.reps,
        next.lapses,
        next.state,
        next.last_review,
    )
    .execute(&mut *conn)
    .await
    .context("save review card")?;
    Ok(())
}

/// The learner's plan for an exam (defaults when they never set one).
pub async fn plan(conn: &mut PgConnection, user_id: i64, exam_code: &str) -> anyhow::Result<Plan> {
    let row = sqlx::query!(
        "select exam_date, desired_retention from study_plan where user_id = $1 and exam_code = $2",
        user_id,
        exam_code,
    )
    .fetch_optional(&mut *conn)
    .await
    .context("load study plan")?;
    Ok(row.map_or_else(Plan::default, |r| Plan {
        exam_date: r.exam_date,
        desired_retention: f64::from(r.desired_retention),
    }))
}

/// Saves the learner's plan. Cards already scheduled keep their dates until their next review,
/// except that with an exam date, cards due after it are brought forward now.
pub async fn save_plan(
    pool: &PgPool,
    user_id: i64,
    exam_code: &str,
    plan: &Plan,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        insert into study_plan (user_id, exam_code, exam_date, desired_retention)
        values ($1, $2, $3, $4)
        on conflict on constraint study_plan_pkey do update set
            exam_date = excluded.exam_date, desired_retention = excluded.desired_retention
        "#,
        user_id,
        exam_code,
        plan.exam_date,
        plan.desired_retention as f32,
    )
    .execute(&mut *tx)
    .await
    .context("save study plan")?;
    if let Some(exam_date) = plan.exam_date {
        let exam_start = exam_date.midnight().assume_utc();
        if exam_start - now >= time::Duration::days(1) {
            let midpoint: OffsetDateTime = now + (exam_start - now) / 2;
            sqlx::query!(
                r#"
                update review_card set due = $3
                where user_id = $1 and due >= $2
                  and question_id in (select question_id from question where exam_code = $4)
                "#,
                user_id,
                exam_start,
                midpoint,
                exam_code,
            )
            .execute(&mut *tx)
            .await
            .context("bring reviews forward")?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Questions due for review at `now`, most overdue first.
pub async fn due_questions(
    pool: &PgPool,
    user_id: i64,
    exam_code: &str,
    now: OffsetDateTime,
) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"
        select c.question_id from review_card c join question q using (question_id)
        where c.user_id = $1 and q.exam_code = $2 and q.retired_at is null and c.due <= $3
        order by c.due
        "#,
        user_id,
        exam_code,
        now,
    )
    .fetch_all(pool)
    .await
    .context("list due reviews")
}

/// One question's memory state, for the dashboard.
#[derive(Clone, Debug)]
pub struct Memory {
    pub question_id: String,
    pub due: OffsetDateTime,
    /// Probability of recalling it now (FSRS retrievability).
    pub retrievability: f64,
}

/// The memory state of every question the learner has answered in an exam.
pub async fn memories(
    pool: &PgPool,
    user_id: i64,
    exam_code: &str,
    now: OffsetDateTime,
) -> anyhow::Result<Vec<Memory>> {
    let rows = sqlx::query!(
        r#"
        select c.question_id, c.due, c.stability, c.state, c.last_review
        from review_card c join question q using (question_id)
        where c.user_id = $1 and q.exam_code = $2
        "#,
        user_id,
        exam_code,
    )
    .fetch_all(pool)
    .await
    .context("load review cards")?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let card = Card {
                stability: r.stability,
                state: if r.state == 0 {
                    State::New
                } else {
                    State::Review
                },
                last_review: to_chrono(r.last_review),
                ..Card::default()
            };
            Memory {
                question_id: r.question_id,
                due: r.due,
                retrievability: retrievability(&card, now),
            }
        })
        .collect())
}

/// FSRS retrievability with fractional days (the crate's own rounds down to whole days, which
/// would say "100%" for everything answered today).
fn retrievability(card: &Card, now: OffsetDateTime) -> f64 {
    if card.state == State::New || card.stability <= 0.0 {
        return 0.0;
    }
    let elapsed = (to_chrono(now) - card.last_review).num_seconds().max(0) as f64 / 86_400.0;
    Parameters::forgetting_curve(elapsed, card.stability).clamp(0.0, 1.0)
}

/// What is due for review in the pack the visitor studies, and the signed-in learner's plan.
pub async fn overview(req: &crate::Request) -> Result<ReviewOverview, AppError> {
    let user = req.require_user().await?;
    let exam = req.exam();
    let now = time::OffsetDateTime::now_utc();
    let mut conn = req.state.pool.acquire().await?;
    let plan = plan(&mut conn, user.user_id, &exam.meta.code).await?;
    drop(conn);
    let memories = memories(&req.state.pool, user.user_id, &exam.meta.code, now).await?;
    let due_now = memories.iter().filter(|m| m.due <= now).count();
    let upcoming = (0..7)
        .map(|day| {
            let from = now + time::Duration::days(day);
            let to = from + time::Duration::days(1);
            memories
                .iter()
                .filter(|m| m.due > from && m.due <= to)
                .count()
        })
        .collect();
    Ok(ReviewOverview {
        exam_date: plan.exam_date.map(|d| d.to_string()),
        days_to_exam: plan.exam_date.map(|d| (d - now.date()).whole_days()),
        desired_retention: plan.desired_retention,
        due_now,
        scheduled: memories.len(),
        upcoming,
        unseen: exam.bank.questions.len().saturating_sub(memories.len()),
    })
}

/// Sets the learner's exam date (empty clears it) and desired retention (in percent, as
/// typed in the form), each checked with a message beside its field.
pub async fn save_plan_form(
    req: &crate::Request,
    exam_date: &str,
    desired_retention: &str,
) -> Result<(), AppError> {
    let user = req.require_user().await?;
    let now = time::OffsetDateTime::now_utc();
    let mut errors = std::collections::BTreeMap::<String, Vec<String>>::new();
    let exam_date = match exam_date.trim() {
        "" => None,
        text => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            match time::Date::parse(text, &format) {
                Ok(date) if date < now.date() => {
                    errors.insert(
                        "exam_date".into(),
                        vec!["The exam date is in the past.".into()],
                    );
                    None
                }
                Ok(date) if date > now.date() + time::Duration::days(3 * 365) => {
                    errors.insert(
                        "exam_date".into(),
                        vec!["Choose a date within the next three years.".into()],
                    );
                    None
                }
                Ok(date) => Some(date),
                Err(_) => {
                    errors.insert(
                        "exam_date".into(),
                        vec!["Enter the date as YYYY-MM-DD.".into()],
                    );
                    None
                }
            }
        }
    };
    let retention = desired_retention
        .trim()
        .trim_end_matches('%')
        .parse::<f64>()
        .ok()
        .map(|pct| pct / 100.0)
        .filter(|r| (MIN_RETENTION - 1e-9..=MAX_RETENTION + 1e-9).contains(r));
    if retention.is_none() {
        errors.insert(
            "desired_retention".into(),
            vec![format!(
                "Choose a retention between {:.0}% and {:.0}%.",
                MIN_RETENTION * 100.0,
                MAX_RETENTION * 100.0
            )],
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let plan = Plan {
        exam_date,
        desired_retention: retention.unwrap_or(0.9),
    };
    let exam = req.exam();
    save_plan(&req.state.pool, user.user_id, &exam.meta.code, &plan, now)
        .await
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-11-26 12:00 UTC);

    #[test]
    fn a_right_answer_waits_longer_than_a_wrong_one() {
        let plan = Plan::default();
        let good = schedule(None, Rating::Good, NOW, &plan);
        let again = schedule(None, Rating::Again, NOW, &plan);
        assert!(good.due > again.due);
        // A second right answer a day later pushes it out by days.
        let later = NOW + time::Duration::days(1);
        let second = schedule(Some(good), Rating::Good, later, &plan);
        assert!(to_time(second.due) - later >= time::Duration::days(2));
    }

    #[test]
    fn higher_retention_means_earlier_reviews() {
        let low = Plan {
            desired_retention: 0.75,
            ..Plan::default()
        };
        let high = Plan {
            desired_retention: 0.97,
            ..Plan::default()
        };
        let mut a = schedule(None, Rating::Good, NOW, &low);
        let mut b = schedule(None, Rating::Good, NOW, &high);
        let mut t = NOW;
        for _ in 0..3 {
            t += time::Duration::days(3);
            a = schedule(Some(a), Rating::Good, t, &low);
            b = schedule(Some(b), Rating::Good, t, &high);
        }
        assert!(a.due > b.due, "{:?} vs {:?}", a.due, b.due);
    }

    #[test]
    fn with_an_exam_date_every_question_comes_back_before_it() {
        let plan = Plan {
            exam_date: Some(time::macros::date!(2026 - 12 - 10)),
            desired_retention: 0.9,
        };
        let exam_start = datetime!(2026-12-10 0:00 UTC);
        let mut card = None;
        let mut t = NOW;
        for _ in 0..6 {
            let next = schedule(card, Rating::Good, t, &plan);
            let due = to_time(next.due);
            if exam_start - t >= time::Duration::days(1) {
                assert!(due < exam_start, "due {due} is not before the exam");
            }
            t = due.max(t + time::Duration::hours(1));
            card = Some(next);
        }
    }

    #[test]
    fn ratings_follow_the_score() {
        assert_eq!(rating(1.0, 1.0, true), Rating::Good);
        assert_eq!(rating(0.5, 1.0, false), Rating::Hard);
        assert_eq!(rating(0.0, 1.0, false), Rating::Again);
    }

    #[test]
    fn memory_fades_over_days() {
        let card = schedule(None, Rating::Good, NOW, &Plan::default());
        let soon = retrievability(&card, NOW + time::Duration::hours(1));
        let later = retrievability(&card, NOW + time::Duration::days(30));
        assert!(soon > 0.9 && later < soon, "{soon} {later}");
    }
}
