//! Mock exams assigned to a group: the window, attempts allowed, the review policy, per-member
//! extensions, and the instructors' results with item analysis (as Moodle's quiz statistics:
//! facility index, discrimination index, how often each option was chosen).

use std::collections::BTreeMap;

use sqlx::PgPool;
use time::OffsetDateTime;

use super::{require_manager, role};
use crate::auth::User;
use crate::db::rfc3339;
use crate::exams::{self, StartSpec};
use content::questions::Bank;
use content::{ContentStore, ExamPack};
use shared::error::AppError;
use shared::group::{
    AssignmentResults, AssignmentStatus, AssignmentView, ItemStats, MemberResult, OptionCount,
};
use shared::question::{ItemType, Response};
use shared::when::to_minute;

mod analysis;

pub use analysis::{correlation, csv, results};

/// What the assignment form sends.
#[derive(Clone, Debug, Default)]
pub struct AssignmentForm {
    pub title: String,
    pub questions: String,
    pub domains: Vec<String>,
    pub item_types: Vec<String>,
    pub duration_minutes: String,
    pub opens_at: String,
    pub due_at: String,
    pub attempts_allowed: String,
    pub review_policy: String,
    /// `exam` (the exam's bank, the default) or `group` (the group's own questions).
    pub source: String,
}

/// A date and time from a `datetime-local` field (`YYYY-MM-DDTHH:MM`, read as UTC).
pub fn parse_datetime(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let text = text.trim();
    let text = text.get(..16).unwrap_or(text);
    time::PrimitiveDateTime::parse(text, &format)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

struct Parsed {
    title: String,
    questions: i32,
    domains: Vec<String>,
    item_types: Vec<String>,
    duration: i32,
    opens_at: OffsetDateTime,
    due_at: OffsetDateTime,
    attempts: i32,
    policy: String,
    source: String,
}

fn parse(form: &AssignmentForm, exam: &ExamPack) -> Result<Parsed, AppError> {
    let mut errors = BTreeMap::<String, Vec<String>>::new();
    let mut err = |field: &str, message: &str| {
        errors
            .entry(field.to_string())
            .or_default()
            .push(message.to_string());
    };
    let title = form.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 120 {
        err(
            "title",
            "Give the assignment a title of 1 to 120 characters.",
        );
    } else if let Some(problem) = shared::text::line_problem(&title) {
        err("title", problem);
    }
    let questions = form
        .questions
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=100).contains(n));
    if questions.is_none() {
        err("questions", "Choose 1 to 100 questions.");
    }
    let duration = form
        .duration_minutes
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=600).contains(n));
    if duration.is_none() {
        err("duration_minutes", "Choose a duration of 1 to 600 minutes.");
    }
    let attempts = form
        .attempts_allowed
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=20).contains(n));
    if attempts.is_none() {
        err("attempts_allowed", "Allow 1 to 20 attempts.");
    }
    let opens_at = parse_datetime(&form.opens_at);
    if opens_at.is_none() {
        err("opens_at", "Enter when it opens (date and time, UTC).");
    }
    let due_at = parse_datetime(&form.due_at);
    match (opens_at, due_at) {
        (_, None) => err("due_at", "Enter when it is due (date and time, UTC)."),
        (Some(o), Some(d)) if d <= o => err("due_at", "The due date must come after the opening."),
        _ => {}
    }
    for d in &form.domains {
        if exam.domain_info(d).is_none() {
            err("domains", "Unknown exam domain.");
        }
    }
    for t in &form.item_types {
        if ItemType::parse(t).is_none() {
            err("item_types", "Unknown item type.");
        }
    }
    let source = match form.source.trim() {
        "" | "exam" => "exam",
        "group" => "group",
        _ => {
            err("source", "Choose the exam's questions or the group's own.");
            "exam"
        }
    }
    .to_string();
    if source == "group" && !form.domains.is_empty() {
        err(
            "domains",
            "The group's own questions have no exam domains: leave the domains unticked.",
        );
    }
    let policy = form.review_policy.trim().to_string();
    if !["never", "after_submit", "after_due"].contains(&policy.as_str()) {
        err("review_policy", "Choose when learners may see the answers.");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Parsed {
        title,
        questions: questions.unwrap_or(10),
        domains: form.domains.clone(),
        item_types: form.item_types.clone(),
        duration: duration.unwrap_or(20),
        opens_at: opens_at.unwrap_or(OffsetDateTime::UNIX_EPOCH),
        due_at: due_at.unwrap_or(OffsetDateTime::UNIX_EPOCH),
        attempts: attempts.unwrap_or(1),
        policy,
        source,
    })
}

/// Creates an assignment (owners and instructors).
pub async fn create(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    group_id: i64,
    form: &AssignmentForm,
) -> Result<i64, AppError> {
    require_manager(pool, user, group_id).await?;
    let exam = super::exam_of(pool, content, group_id).await?;
    let p = parse(form, exam)?;
    if p.source == "group" {
        let mut conn = pool.acquire().await?;
        let types: Vec<ItemType> = p
            .item_types
            .iter()
            .filter_map(|t| ItemType::parse(t))
            .collect();
        let available = crate::bank::group_questions(&mut conn, group_id, false)
            .await?
            .iter()
            .filter(|q| types.is_empty() || types.contains(&q.item_type()))
            .count();
        if available == 0 {
            return Err(AppError::field(
                "source",
                "The group's own bank has no questions of these item types yet: import a GIFT file first.",
            ));
        }
    }
    sqlx::query_scalar!(
        r#"
        insert into assignment (group_id, title, created_by, questions, domains, item_types,
                                duration_minutes, opens_at, due_at, attempts_allowed, review_policy,
                                question_source)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        returning assignment_id
        "#,
        group_id,
        p.title,
        user.user_id,
        p.questions,
        serde_json::json!(p.domains),
        serde_json::json!(p.item_types),
        p.duration,
        p.opens_at,
        p.due_at,
        p.attempts,
        p.policy,
        p.source,
    )
    .fetch_one(pool)
    .await
    .map_err(AppError::internal)
}

pub(crate) struct Row {
    pub assignment_id: i64,
    pub group_id: i64,
    pub title: String,
    pub questions: i32,
    pub domains: serde_json::Value,
    pub item_types: serde_json::Value,
    pub duration_minutes: i32,
    pub opens_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub attempts_allowed: i32,
    pub review_policy: String,
    pub question_source: String,
}

async fn row(pool: &PgPool, assignment_id: i64) -> Result<Row, AppError> {
    sqlx::query_as!(
        Row,
        r#"
        select assignment_id, group_id, title, questions, domains, item_types, duration_minutes,
               opens_at, due_at, attempts_allowed, review_policy, question_source
        from assignment where assignment_id = $1
        "#,
        assignment_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// A member's extension: (extra minutes, later due date).
async fn extension(
    pool: &PgPool,
    assignment_id: i64,
    user_id: i64,
) -> Result<(i32, Option<OffsetDateTime>), AppError> {
    let ext = sqlx::query!(
        "select extra_minutes, due_at from assignment_extension where assignment_id = $1 and user_id = $2",
        assignment_id,
        user_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(ext.map_or((0, None), |e| (e.extra_minutes, e.due_at)))
}

struct MyAttempts {
    used: i64,
    open: Option<i64>,
    latest_submitted: Option<i64>,
    best: Option<i32>,
}

async fn my_attempts(
    pool: &PgPool,
    assignment_id: i64,
    user_id: i64,
) -> Result<MyAttempts, AppError> {
    let rows = sqlx::query!(
        r#"
        select attempt_id, submitted_at, scaled_score, deadline from exam_attempt
        where assignment_id = $1 and user_id = $2 order by started_at desc
        "#,
        assignment_id,
        user_id,
    )
    .fetch_all(pool)
    .await?;
    let now = OffsetDateTime::now_utc();
    Ok(MyAttempts {
        used: i64::try_from(rows.len()).unwrap_or_default(),
        open: rows
            .iter()
            .find(|r| r.submitted_at.is_none() && r.deadline > now)
            .map(|r| r.attempt_id),
        latest_submitted: rows
            .iter()
            .find(|r| r.submitted_at.is_some())
            .map(|r| r.attempt_id),
        best: rows.iter().filter_map(|r| r.scaled_score).max(),
    })
}

fn status(
    now: OffsetDateTime,
    opens_at: OffsetDateTime,
    due: OffsetDateTime,
    mine: &MyAttempts,
) -> AssignmentStatus {
    if mine.open.is_some() {
        AssignmentStatus::InProgress
    } else if mine.latest_submitted.is_some() {
        AssignmentStatus::Submitted
    } else if now < opens_at {
        AssignmentStatus::NotOpenYet
    } else if now > due {
        AssignmentStatus::Overdue
    } else {
        AssignmentStatus::NotStarted
    }
}

async fn view(
    pool: &PgPool,
    user: &User,
    r: &Row,
    group_name: &str,
) -> Result<AssignmentView, AppError> {
    let (_, ext_due) = extension(pool, r.assignment_id, user.user_id).await?;
    let due = ext_due.map_or(r.due_at, |d| d.max(r.due_at));
    let mine = my_attempts(pool, r.assignment_id, user.user_id).await?;
    Ok(AssignmentView {
        id: r.assignment_id,
        group_id: r.group_id,
        group_name: group_name.to_string(),
        title: r.title.clone(),
        questions: r.questions,
        duration_minutes: r.duration_minutes,
        opens_at: rfc3339(r.opens_at),
        due_at: rfc3339(r.due_at),
        my_due_at: rfc3339(due),
        attempts_allowed: r.attempts_allowed,
        attempts_used: mine.used,
        review_policy: r.review_policy.clone(),
        group_questions: r.question_source == "group",
        status: status(OffsetDateTime::now_utc(), r.opens_at, due, &mine),
        attempt_id: mine.open.or(mine.latest_submitted),
        best_score: mine.best,
    })
}

/// A group's assignments with the viewer's status in each (members only).
pub async fn for_group(
    pool: &PgPool,
    user: &User,
    group_id: i64,
    group_name: &str,
) -> Result<Vec<AssignmentView>, AppError> {
    let rows = sqlx::query_as!(
        Row,
        r#"
        select assignment_id, group_id, title, questions, domains, item_types, duration_minutes,
               opens_at, due_at, attempts_allowed, review_policy, question_source
        from assignment where group_id = $1 order by due_at desc
        "#,
        group_id
    )
    .fetch_all(pool)
    .await?;
    let mut views = Vec::new();
    for r in &rows {
        views.push(view(pool, user, r, group_name).await?);
    }
    Ok(views)
}

/// Every assignment of every group the user is in (for their dashboard).
pub async fn mine(pool: &PgPool, user: &User) -> Result<Vec<AssignmentView>, AppError> {
    let groups = super::mine(pool, user).await?;
    let mut all = Vec::new();
    for g in groups {
        all.extend(for_group(pool, user, g.id, &g.name).await?);
    }
    all.sort_by(|a, b| a.my_due_at.cmp(&b.my_due_at));
    Ok(all)
}

/// One assignment, as a member sees it.
pub async fn get(
    pool: &PgPool,
    user: &User,
    assignment_id: i64,
) -> Result<AssignmentView, AppError> {
    let r = row(pool, assignment_id).await?;
    role(pool, user, r.group_id).await?;
    let name = sqlx::query_scalar!(
        "select name from study_group where group_id = $1",
        r.group_id
    )
    .fetch_one(pool)
    .await?;
    view(pool, user, &r, &name).await
}

/// Starts (or resumes) the member's attempt, inside the window (with any extension) and the
/// attempts allowed. The attempt ends at the duration (plus extra minutes) or the due date,
/// whichever comes first.
pub async fn start(
    pool: &PgPool,
    content: &ContentStore,
    versions: &BTreeMap<String, i32>,
    user: &User,
    assignment_id: i64,
) -> Result<i64, AppError> {
    let r = row(pool, assignment_id).await?;
    role(pool, user, r.group_id).await?;
    let exam = super::exam_of(pool, content, r.group_id).await?;
    let (extra, ext_due) = extension(pool, assignment_id, user.user_id).await?;
    let due = ext_due.map_or(r.due_at, |d| d.max(r.due_at));
    let mine = my_attempts(pool, assignment_id, user.user_id).await?;
    if let Some(open) = mine.open {
        return Ok(open);
    }
    let now = OffsetDateTime::now_utc();
    if now < r.opens_at {
        return Err(AppError::Conflict(format!(
            "This assignment opens at {} UTC.",
            to_minute(&rfc3339(r.opens_at))
        )));
    }
    if now >= due {
        return Err(AppError::Conflict(
            "This assignment is closed: its due date has passed. Ask your instructor for an extension."
                .to_string(),
        ));
    }
    if mine.used >= i64::from(r.attempts_allowed) {
        return Err(AppError::Conflict(format!(
            "You have used all {} attempt(s) allowed.",
            r.attempts_allowed
        )));
    }
    let minutes = u32::try_from(r.duration_minutes + extra).unwrap_or(1);
    let deadline = (now + time::Duration::minutes(i64::from(minutes))).min(due);
    let spec = StartSpec {
        questions: usize::try_from(r.questions).unwrap_or(10),
        minutes,
        deadline,
        domains: serde_json::from_value(r.domains.clone()).unwrap_or_default(),
        item_types: serde_json::from_value::<Vec<String>>(r.item_types.clone())
            .unwrap_or_default()
            .iter()
            .filter_map(|t| ItemType::parse(t))
            .collect(),
        assignment_id: Some(assignment_id),
        group_bank: (r.question_source == "group").then_some(r.group_id),
    };
    exams::start_with(pool, exam, versions, user, &spec).await
}

/// Gives a member more time per attempt and/or a later due date (owners and instructors).
pub async fn extend(
    pool: &PgPool,
    user: &User,
    assignment_id: i64,
    member_id: i64,
    extra_minutes: &str,
    due_at: &str,
) -> Result<(), AppError> {
    let r = row(pool, assignment_id).await?;
    require_manager(pool, user, r.group_id).await?;
    let is_member = sqlx::query_scalar!(
        "select exists(select 1 from group_member where group_id = $1 and user_id = $2) as \"e!\"",
        r.group_id,
        member_id
    )
    .fetch_one(pool)
    .await?;
    if !is_member {
        return Err(AppError::field("member", "Choose a member of this group."));
    }
    let extra = if extra_minutes.trim().is_empty() {
        Some(0)
    } else {
        extra_minutes
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|m| (0..=600).contains(m))
    };
    let Some(extra) = extra else {
        return Err(AppError::field(
            "extra_minutes",
            "Give 0 to 600 extra minutes.",
        ));
    };
    let due = if due_at.trim().is_empty() {
        None
    } else {
        match parse_datetime(due_at) {
            Some(d) if d > r.due_at => Some(d),
            Some(_) => {
                return Err(AppError::field(
                    "due_at",
                    "An extended due date comes after the assignment's own.",
                ));
            }
            None => return Err(AppError::field("due_at", "Enter a date and time (UTC).")),
        }
    };
    sqlx::query!(
        r#"
        insert into assignment_extension (assignment_id, user_id, extra_minutes, due_at)
        values ($1, $2, $3, $4)
        on conflict on constraint assignment_extension_pkey do update
        set extra_minutes = excluded.extra_minutes, due_at = excluded.due_at
        "#,
        assignment_id,
        member_id,
        extra,
        due,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether `user` manages the group an attempt was made for (instructors see attempts in
/// detail); returns the attempt's owner.
pub async fn attempt_for_manager(
    pool: &PgPool,
    user: &User,
    attempt_id: i64,
) -> Result<i64, AppError> {
    let row = sqlx::query!(
        r#"
        select a.user_id, s.group_id from exam_attempt a
        join assignment s using (assignment_id) where a.attempt_id = $1
        "#,
        attempt_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    match role(pool, user, row.group_id).await {
        Ok(r) if r.manages() => Ok(row.user_id),
        _ => Err(AppError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_fields_are_read_as_utc() {
        let t = parse_datetime("2026-12-01T09:30").unwrap();
        assert_eq!(t, time::macros::datetime!(2026-12-01 9:30 UTC));
        assert!(parse_datetime("tomorrow").is_none());
    }
}
