//! Mock exams: starting an attempt from the blueprint, autosaving answers (a late, older save
//! never overwrites a newer one), the section rules, submitting (by the learner or by the
//! server at the deadline) and scoring on 1-1000.
//!
//! The deadline lives in the database; the browser only counts down to it. Every function
//! here takes the user and touches only that user's attempts: another user's attempt id is
//! "not found".

pub mod autosave;
pub mod blueprint;
pub mod select;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context;
use sqlx::PgPool;
use time::OffsetDateTime;

use self::blueprint::Blueprint;
use super::auth::User;
use super::bank::{bank_for, groups_in};
use super::content::{ContentStore, ExamPack};
use super::db::rfc3339;
use super::questions::{Bank, Question, QuestionBank};
use crate::domain::error::AppError;
use crate::domain::exam::{
    AttemptPage, AttemptSummary, Breakdown, ExamItemView, ExamResults, ExamSession, NavState,
    ReviewItem, SaveAck,
};
use crate::domain::question::{ItemType, Response, ResponseError, Score};

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
        .map(|d| (d.id.clone(), super::dashboard::weight_midpoint(&d.weight)))
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

/// Starts an attempt of `questions` questions (one of the blueprint's lengths), or returns the
/// learner's attempt already open.
#[tracing::instrument(skip_all, fields(user_id = user.user_id, questions))]
pub async fn start(
    pool: &PgPool,
    exam: &ExamPack,
    versions: &BTreeMap<String, i32>,
    user: &User,
    questions: usize,
) -> Result<i64, AppError> {
    let blueprint = &exam.blueprint;
    if !blueprint.lengths().contains(&questions) {
        return Err(AppError::field(
            "questions",
            format!(
                "Choose one of these lengths: {}.",
                blueprint
                    .lengths()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if let Some(id) = open_attempt(pool, user, &exam.meta.code).await? {
        return Ok(id);
    }
    let minutes = blueprint.minutes_for(questions);
    let spec = StartSpec {
        questions,
        minutes,
        deadline: OffsetDateTime::now_utc() + time::Duration::minutes(i64::from(minutes)),
        domains: Vec::new(),
        item_types: Vec::new(),
        assignment_id: None,
        group_bank: None,
    };
    start_with(pool, exam, versions, user, &spec).await
}

/// What an attempt is made of.
#[derive(Clone, Debug)]
pub struct StartSpec {
    pub questions: usize,
    pub minutes: u32,
    pub deadline: OffsetDateTime,
    /// Domain ids to draw from (empty: all of the exam's).
    pub domains: Vec<String>,
    /// Item types to draw from (empty: the blueprint's mix and its case study).
    pub item_types: Vec<ItemType>,
    pub assignment_id: Option<i64>,
    /// Draw from this group's own bank instead of the exam's.
    pub group_bank: Option<i64>,
}

/// Creates an attempt: chooses, orders and shuffles its questions and stores them.
pub async fn start_with(
    pool: &PgPool,
    exam: &ExamPack,
    versions: &BTreeMap<String, i32>,
    user: &User,
    spec: &StartSpec,
) -> Result<i64, AppError> {
    let blueprint = &exam.blueprint;
    let seen: BTreeSet<String> = sqlx::query_scalar!(
        r#"
        select distinct question_id as "question_id!" from practice_answer where user_id = $1
        union
        select distinct i.question_id from exam_item i join exam_attempt a using (attempt_id)
        where a.user_id = $1
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let mut rng = fastrand::Rng::new();
    let group_bank = match spec.group_bank {
        Some(group_id) => {
            let mut conn = pool.acquire().await?;
            QuestionBank::from_questions(
                super::bank::group_questions(&mut conn, group_id, false).await?,
            )
        }
        None => QuestionBank::default(),
    };
    let chosen = if spec.group_bank.is_some() {
        // A group's own questions have no domains or case studies: a random draw of the
        // chosen item types, the unseen first.
        let mut drawn: Vec<&Question> = group_bank
            .questions
            .iter()
            .filter(|q| spec.item_types.is_empty() || spec.item_types.contains(&q.item_type()))
            .collect();
        rng.shuffle(&mut drawn);
        drawn.sort_by_key(|q| seen.contains(q.id()));
        drawn
            .into_iter()
            .take(spec.questions)
            .map(|q| select::Chosen {
                id: q.id().to_string(),
                section: 0,
            })
            .collect()
    } else {
        let candidates: Vec<select::Candidate> = exam
            .bank
            .pools()
            .filter(|(domain, item_type, _)| {
                (spec.domains.is_empty() || spec.domains.iter().any(|d| d == domain))
                    && (spec.item_types.is_empty() || spec.item_types.contains(item_type))
            })
            .flat_map(|(_, item_type, pool)| {
                select::sample_pool(pool, item_type, spec.questions, &mut rng, |i| {
                    !seen.contains(exam.bank.questions[i].id())
                })
            })
            .map(|i| &exam.bank.questions[i])
            .map(|q| select::Candidate {
                id: q.id(),
                domain: &q.def.domain,
                item_type: q.item_type(),
                case: q.def.case.as_deref(),
                seen: seen.contains(q.id()),
            })
            .collect();
        let domains: Vec<(String, f64)> = domain_weights(exam)
            .into_iter()
            .filter(|(d, _)| spec.domains.is_empty() || spec.domains.contains(d))
            .collect();
        let (types, case_studies) = if spec.item_types.is_empty() {
            (blueprint.type_mix(), blueprint.case_studies)
        } else {
            (
                spec.item_types
                    .iter()
                    .filter(|t| **t != ItemType::Case)
                    .map(|t| (*t, 1.0))
                    .collect(),
                usize::from(spec.item_types.contains(&ItemType::Case)),
            )
        };
        let plan = select::Plan {
            questions: spec.questions,
            domains,
            types,
            case_studies,
        };
        select::select(&candidates, &plan, &mut rng)
    };
    if chosen.is_empty() {
        return Err(AppError::Conflict(if spec.group_bank.is_some() {
            "The group's own bank has no questions of these item types.".to_string()
        } else {
            "No questions match this exam's domains and item types.".to_string()
        }));
    }
    let used = Blueprint {
        questions: chosen.len(),
        duration_minutes: spec.minutes,
        ..blueprint.clone()
    };
    let mut tx = pool.begin().await?;
    let attempt_id = sqlx::query_scalar!(
        r#"
        insert into exam_attempt (user_id, exam_code, blueprint, deadline, assignment_id)
        values ($1, $2, $3, $4, $5)
        returning attempt_id
        "#,
        user.user_id,
        exam.meta.code,
        serde_json::to_value(&used)?,
        spec.deadline,
        spec.assignment_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    // Every item in one statement (a 50-question exam used to take 50 round trips).
    let mut positions = Vec::with_capacity(chosen.len());
    let mut question_ids = Vec::with_capacity(chosen.len());
    let mut item_versions = Vec::with_capacity(chosen.len());
    let mut sections = Vec::with_capacity(chosen.len());
    let mut orders = Vec::with_capacity(chosen.len());
    for (position, item) in chosen.iter().enumerate() {
        let Some(question) = exam.bank.get(&item.id).or_else(|| group_bank.get(&item.id)) else {
            continue;
        };
        let order = super::questions::practice::presentation_order(question, &mut rng);
        positions.push(i32::try_from(position).unwrap_or(i32::MAX));
        question_ids.push(item.id.clone());
        item_versions.push(versions.get(&item.id).copied().unwrap_or(1));
        sections.push(item.section);
        orders.push(serde_json::to_value(&order)?);
    }
    sqlx::query!(
        r#"
        insert into exam_item (attempt_id, position, question_id, version, section, option_order)
        select $1, * from unnest($2::int4[], $3::text[], $4::int4[], $5::int2[], $6::jsonb[])
        "#,
        attempt_id,
        &positions,
        &question_ids,
        &item_versions,
        &sections,
        &orders,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        attempt_id,
        assignment_id = spec.assignment_id,
        "mock exam started"
    );
    Ok(attempt_id)
}

struct AttemptRow {
    attempt_id: i64,
    exam_code: String,
    blueprint: serde_json::Value,
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
    option_order: serde_json::Value,
    response: Option<serde_json::Value>,
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
            select attempt_id, exam_code, blueprint, started_at, deadline, submitted_at,
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
            select attempt_id, exam_code, blueprint, started_at, deadline, submitted_at,
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
        select position, question_id, version, section, option_order, response, saved_seq,
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
    serde_json::from_value(row.option_order.clone()).unwrap_or_default()
}

fn response_of(row: &ItemRow) -> Option<Response> {
    row.response
        .clone()
        .and_then(|value| serde_json::from_value(value).ok())
}

/// An attempt as its owner may see it now: open (no keys), or the results. An attempt past
/// its deadline is submitted first.
pub async fn page(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    attempt_id: i64,
) -> Result<AttemptPage, AppError> {
    let mut conn = pool.acquire().await?;
    let row = attempt_row(&mut conn, user.user_id, attempt_id, false).await?;
    drop(conn);
    let now = OffsetDateTime::now_utc();
    if row.submitted_at.is_none() && now > row.deadline + GRACE {
        submit(pool, content, user, attempt_id, true).await?;
    } else if row.submitted_at.is_none() {
        let exam = content.exam(&row.exam_code).ok_or(AppError::NotFound)?;
        let mut conn = pool.acquire().await?;
        let items = item_rows(&mut conn, attempt_id).await?;
        let bank = bank_for(
            &mut conn,
            content,
            groups_in(content, items.iter().map(|i| i.question_id.as_str())),
        )
        .await?;
        let views = items
            .iter()
            .filter_map(|item| {
                let question = bank.get(&item.question_id)?;
                let order = order_of(item);
                let shown = question.shown(&order);
                let position = usize::try_from(item.position).unwrap_or_default();
                Some(ExamItemView {
                    position,
                    section: item.section,
                    // Screen ids and a per-attempt handle: nothing here names the bank.
                    question: shown.view(item.version, handle(position)),
                    response: response_of(item).map(|r| shown.to_screen(&r)),
                    flagged: item.flagged,
                    locked: item.locked,
                })
            })
            .collect();
        return Ok(AttemptPage::Open(ExamSession {
            id: row.attempt_id,
            exam_title: format!("{} mock exam", exam.meta.short_title),
            deadline_ms: ms(row.deadline),
            server_now_ms: ms(now),
            position: usize::try_from(row.position).unwrap_or_default(),
            case_closed: row.case_closed,
            items: views,
            last_seq: items.iter().map(|i| i.saved_seq).max().unwrap_or(0),
        }));
    }
    let mut results = results_of(pool, content, user.user_id, attempt_id).await?;
    withhold_open_questions(pool, user, &mut results).await?;
    if let Some(assignment_id) = row.assignment_id
        && let Some(reason) =
            super::groups::assignments::review_block(pool, user.user_id, assignment_id).await?
    {
        results.items.clear();
        results.review_note = Some(reason);
    }
    Ok(AttemptPage::Done(Box::new(results)))
}

/// What a question is called in an attempt: its place, never its bank id.
pub fn handle(position: usize) -> String {
    format!("q{}", position + 1)
}

/// Takes out of a learner's results the questions of a mock exam they have open now (a
/// retake of an assignment, or another attempt): their keys wait until that one is over.
async fn withhold_open_questions(
    pool: &PgPool,
    user: &User,
    results: &mut ExamResults,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let open = super::integrity::embargoed(&mut conn, user.user_id).await?;
    if open.is_empty() {
        return Ok(());
    }
    let before = results.items.len();
    results
        .items
        .retain(|item| !open.contains(&item.feedback.question_id));
    let withheld = before - results.items.len();
    if withheld > 0 {
        results.review_note = Some(format!(
            "{withheld} question(s) of this attempt are also in the mock exam you have open now; \
             their answers and explanations are shown again once you submit it."
        ));
    }
    Ok(())
}

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
    let mut tx = pool.begin().await?;
    let row = attempt_row(&mut tx, user.user_id, attempt_id, true).await?;
    if is_closed(&row) {
        drop(tx);
        ensure_open(pool, content, user, &row).await?;
        return Err(AppError::Internal);
    }
    let position_i32 = i32::try_from(position).map_err(|_| AppError::NotFound)?;
    // The section rules are `exam_item_writable`, as the autosave's group-commit path asks it.
    let item = sqlx::query!(
        r#"
        select question_id, locked, option_order,
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
                .shown(
                    &serde_json::from_value::<Vec<String>>(item.option_order).unwrap_or_default(),
                )
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
fn check_shape(question: &Question, response: &Response) -> Result<(), ResponseError> {
    match crate::domain::question::score(&question.key, response) {
        Ok(_) | Err(ResponseError::Incomplete | ResponseError::WrongCount { .. }) => Ok(()),
        Err(err) => Err(err),
    }
}

/// Whether an attempt no longer takes answers (submitted, or past its deadline).
fn is_closed(row: &AttemptRow) -> bool {
    row.submitted_at.is_some() || OffsetDateTime::now_utc() > row.deadline + GRACE
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
    let mut tx = pool.begin().await?;
    let row = attempt_row(&mut tx, user.user_id, attempt_id, true).await?;
    if is_closed(&row) {
        drop(tx);
        ensure_open(pool, content, user, &row).await?;
        return Err(AppError::Internal);
    }
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
    let exam = content.exam(&row.exam_code).ok_or(AppError::NotFound)?;
    let blueprint: Blueprint =
        serde_json::from_value(row.blueprint.clone()).unwrap_or_else(|_| exam.blueprint.clone());
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
        crate::domain::question::Key::YesNo(k) => k.len() as f64,
        crate::domain::question::Key::Drill(k) => k.len() as f64,
        _ => 1.0,
    };
    response_of(item)
        .and_then(|r| crate::domain::question::score(&question.key, &r).ok())
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
            select attempt_id, exam_code, blueprint, started_at, deadline, submitted_at,
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

/// The results of a submitted attempt of `owner_id`, with every answer and explanation (the
/// caller has checked who may see them).
pub async fn results_of(
    pool: &PgPool,
    content: &ContentStore,
    owner_id: i64,
    attempt_id: i64,
) -> Result<ExamResults, AppError> {
    let mut conn = pool.acquire().await?;
    let row = attempt_row(&mut conn, owner_id, attempt_id, false).await?;
    let Some(submitted_at) = row.submitted_at else {
        return Err(AppError::Conflict(
            "This exam is still in progress; results come after submitting.".to_string(),
        ));
    };
    let exam = content.exam(&row.exam_code).ok_or(AppError::NotFound)?;
    let blueprint: Blueprint =
        serde_json::from_value(row.blueprint.clone()).unwrap_or_else(|_| exam.blueprint.clone());
    let items = item_rows(&mut conn, attempt_id).await?;
    let bank = bank_for(
        &mut conn,
        content,
        groups_in(content, items.iter().map(|i| i.question_id.as_str())),
    )
    .await?;
    let mut by_domain: BTreeMap<String, Breakdown> = BTreeMap::new();
    let mut by_type: BTreeMap<String, Breakdown> = BTreeMap::new();
    let mut review = Vec::new();
    for item in &items {
        let Some(question) = bank.get(&item.question_id) else {
            continue;
        };
        let points = item.points.unwrap_or(0.0);
        let max = item.max_points.unwrap_or(1.0);
        let share = if max > 0.0 { points / max } else { 0.0 };
        let domain = exam
            .meta
            .domains
            .iter()
            .find(|d| d.id == question.def.domain)
            .map_or(question.def.domain.clone(), |d| d.name.clone());
        for (map, label) in [
            (&mut by_domain, domain),
            (&mut by_type, question.item_type().label().to_string()),
        ] {
            let entry = map.entry(label.clone()).or_insert(Breakdown {
                label,
                questions: 0,
                points: 0.0,
            });
            entry.questions += 1;
            entry.points += share;
        }
        let response = response_of(item);
        let shown = response
            .clone()
            .unwrap_or_else(|| empty_response(question.item_type()));
        let score = Score {
            points,
            max,
            partial: response
                .as_ref()
                .and_then(|r| crate::domain::question::score(&question.key, r).ok())
                .and_then(|s| s.partial),
        };
        let refs = exam.ref_links(&question.def.refs);
        let order = order_of(item);
        let on_screen = question.shown(&order);
        let position = usize::try_from(item.position).unwrap_or_default();
        review.push(ReviewItem {
            position,
            section: item.section,
            item_type: question.item_type(),
            question: on_screen.view(item.version, handle(position)),
            answered: response.is_some(),
            points,
            max,
            correct: item.correct.unwrap_or(false),
            flagged: item.flagged,
            feedback: on_screen.feedback(&shown, &score, refs),
        });
    }
    Ok(ExamResults {
        id: row.attempt_id,
        exam_title: exam.meta.title.clone(),
        scaled: u32::try_from(row.scaled_score.unwrap_or(1)).unwrap_or(1),
        pass_mark: blueprint.pass_mark,
        passed: row.passed.unwrap_or(false),
        raw: row.raw_score.unwrap_or(0.0),
        questions: items.len(),
        answered: items.iter().filter(|i| i.response.is_some()).count(),
        started_at: rfc3339(row.started_at),
        time_used_secs: (submitted_at - row.started_at).whole_seconds().max(0),
        time_allowed_secs: i64::from(blueprint.duration_minutes) * 60,
        auto_submitted: row.auto_submitted,
        by_domain: by_domain.into_values().collect(),
        by_type: by_type.into_values().collect(),
        items: review,
        review_note: None,
    })
}

fn empty_response(item_type: ItemType) -> Response {
    match item_type {
        ItemType::Order => Response::Order(Vec::new()),
        ItemType::Yesno => Response::YesNo(BTreeMap::new()),
        ItemType::Drill => Response::Drill(BTreeMap::new()),
        _ => Response::Choices(Vec::new()),
    }
}

/// The learner's attempts, newest first.
pub async fn history(
    pool: &PgPool,
    user: &User,
    exam_code: &str,
) -> anyhow::Result<Vec<AttemptSummary>> {
    let rows = sqlx::query!(
        r#"
        select a.attempt_id, a.started_at, a.submitted_at, a.scaled_score, a.passed,
               a.auto_submitted, a.deadline,
               (select count(*) from exam_item i where i.attempt_id = a.attempt_id) as "questions!"
        from exam_attempt a
        where a.user_id = $1 and a.exam_code = $2
        order by a.started_at desc limit 50
        "#,
        user.user_id,
        exam_code,
    )
    .fetch_all(pool)
    .await
    .context("list attempts")?;
    Ok(rows
        .into_iter()
        .map(|r| AttemptSummary {
            id: r.attempt_id,
            started_at: rfc3339(r.started_at),
            questions: usize::try_from(r.questions).unwrap_or_default(),
            open: r.submitted_at.is_none(),
            scaled: r.scaled_score.and_then(|s| u32::try_from(s).ok()),
            passed: r.passed,
            auto_submitted: r.auto_submitted,
        })
        .collect())
}
