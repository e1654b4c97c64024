//! Mock exams: starting an attempt from the blueprint, autosaving answers (a late, older save
//! never overwrites a newer one), the section rules, submitting (by the learner or by the
//! server at the deadline) and scoring on 1-1000.
//!
//! The deadline lives in the database; the browser only counts down to it. Every function
//! here takes the user and touches only that user's attempts: another user's attempt id is
//! "not found".

pub mod autosave;
pub use content::blueprint;
pub mod select;

mod answering;
mod intro;
mod release;
mod results;
mod scoring;
mod start;

pub use answering::{navigate, save, set_flag};
pub use intro::intro;
pub use results::{history, page, results_of};
pub use scoring::{submit, submit_overdue};
pub use start::{StartSpec, start, start_for, start_with};

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context;
use sqlx::PgPool;
use sqlx::types::Json;
use time::OffsetDateTime;

use self::blueprint::Blueprint;
use super::auth::User;
use super::bank::{bank_for, groups_in};
use super::db::rfc3339;
use content::questions::{Bank, Question, QuestionBank};
use content::{ContentStore, ExamPack};
use shared::error::AppError;
use shared::exam::{
    AttemptPage, AttemptSummary, Breakdown, ExamItemView, ExamResults, ExamSession, NavState,
    ReviewItem, SaveAck,
};
use shared::question::{ItemType, Response, ResponseError, Score};

/// Saves that arrive this long after the deadline still count (they were sent in time): the
/// same two seconds as the database's `attempt_open` (a test holds them together).
pub const GRACE: time::Duration = time::Duration::seconds(2);

fn ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The domain weights of an exam: the midpoints of the official ranges.
pub fn domain_weights(exam: &ExamPack) -> Vec<(String, f64)> {
    exam.meta
        .domains
        .iter()
        .map(|d| (d.id.clone(), content::weight_midpoint(&d.weight)))
        .collect()
}

/// The learner's open attempt, if any.
pub async fn open_attempt(
    pool: &PgPool,
    user: &User,
    exam_code: &str,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"
        select attempt_id from exam_attempt
        where user_id = $1 and exam_code = $2 and submitted_at is null and assignment_id is null
          and deadline + interval '2 seconds' > now()
        order by started_at desc limit 1
        "#,
        user.user_id,
        exam_code,
    )
    .fetch_optional(pool)
    .await
    .context("find open attempt")
}

struct AttemptRow {
    attempt_id: i64,
    exam_code: String,
    /// The blueprint the attempt was started with (a row that does not decode is an error,
    /// never today's blueprint in its place).
    blueprint: Json<Blueprint>,
    started_at: OffsetDateTime,
    deadline: OffsetDateTime,
    submitted_at: Option<OffsetDateTime>,
    auto_submitted: bool,
    position: i32,
    case_closed: bool,
    scaled_score: Option<i32>,
    raw_score: Option<f64>,
    passed: Option<bool>,
    assignment_id: Option<i64>,
}

struct ItemRow {
    position: i32,
    question_id: String,
    version: i32,
    section: i16,
    option_order: Json<Vec<String>>,
    response: Option<Json<Response>>,
    saved_seq: i64,
    flagged: bool,
    locked: bool,
    points: Option<f64>,
    max_points: Option<f64>,
    correct: Option<bool>,
}

async fn attempt_row(
    conn: &mut sqlx::PgConnection,
    owner_id: i64,
    attempt_id: i64,
    lock: bool,
) -> Result<AttemptRow, AppError> {
    // One query text per mode: `for update` serialises saves, navigation and submission.
    let row = if lock {
        sqlx::query_as!(
            AttemptRow,
            r#"
            select attempt_id, exam_code, blueprint as "blueprint: Json<Blueprint>",
                   started_at, deadline, submitted_at,
                   auto_submitted, position, case_closed, scaled_score, raw_score, passed,
                   assignment_id
            from exam_attempt where attempt_id = $1 and user_id = $2
            for update
            "#,
            attempt_id,
            owner_id,
        )
        .fetch_optional(&mut *conn)
        .await
    } else {
        sqlx::query_as!(
            AttemptRow,
            r#"
            select attempt_id, exam_code, blueprint as "blueprint: Json<Blueprint>",
                   started_at, deadline, submitted_at,
                   auto_submitted, position, case_closed, scaled_score, raw_score, passed,
                   assignment_id
            from exam_attempt where attempt_id = $1 and user_id = $2
            "#,
            attempt_id,
            owner_id,
        )
        .fetch_optional(&mut *conn)
        .await
    };
    row?.ok_or(AppError::NotFound)
}

async fn item_rows(
    conn: &mut sqlx::PgConnection,
    attempt_id: i64,
) -> Result<Vec<ItemRow>, AppError> {
    sqlx::query_as!(
        ItemRow,
        r#"
        select position, question_id, version, section,
               option_order as "option_order: Json<Vec<String>>",
               response as "response: Json<Response>", saved_seq,
               flagged, locked, points, max_points, correct
        from exam_item where attempt_id = $1 order by position
        "#,
        attempt_id,
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(AppError::internal)
}

fn order_of(row: &ItemRow) -> Vec<String> {
    row.option_order.0.clone()
}

fn response_of(row: &ItemRow) -> Option<Response> {
    row.response.as_ref().map(|response| response.0.clone())
}

/// What a question is called in an attempt: its place, never its bank id.
pub fn handle(position: usize) -> String {
    format!("q{}", position + 1)
}

/// Whether an attempt no longer takes answers (submitted, or past its deadline).
fn is_closed(row: &AttemptRow) -> bool {
    row.submitted_at.is_some() || OffsetDateTime::now_utc() > row.deadline + GRACE
}
