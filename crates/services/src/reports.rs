//! "Report a problem": filing (signed in, 20 a day, on something that exists), the reporter's
//! own list, the site admins' queue, a group's reports for its owner and instructors, and the
//! answer (a status and a reply). Who may see or answer what:
//! - a reporter sees their own reports only;
//! - site admins see and answer every report;
//! - a group's owner and instructors see and answer the reports on the group's own questions;
//! - anyone else: "not found".

use sqlx::PgPool;
use time::OffsetDateTime;

use super::auth::User;
use super::db::rfc3339;
use content::{ContentStore, ExamPack};
use shared::error::AppError;
use shared::question::Response;
use shared::report::{MAX_REPORT_CHARS, REASONS, REPORTS_PER_DAY, ReportView, STATUSES};

/// What is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Question(String),
    /// A page and a heading id (empty: the page).
    Section {
        page: String,
        heading: String,
    },
}

/// Text a person typed, kept as plain text: control characters (but line breaks and tabs) and
/// text-direction controls are dropped, surrounding space trimmed.
pub fn clean_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            (!c.is_control() || matches!(c, '\n' | '\t')) && !shared::text::is_direction_control(c)
        })
        .collect::<String>()
        .replace("\r\n", "\n")
        .trim()
        .to_string()
}

/// `value` when it is one of the table's values, else `message` beside `field`.
fn one_of<'v>(
    table: &[(&str, &str)],
    field: &str,
    value: &'v str,
    message: &str,
) -> Result<&'v str, AppError> {
    if table.iter().any(|(v, _)| *v == value) {
        Ok(value)
    } else {
        Err(AppError::field(field, message))
    }
}

/// What someone typed into `field`, cleaned ([`clean_text`]) and at most
/// [`MAX_REPORT_CHARS`] long.
fn typed_text(field: &str, text: &str) -> Result<String, AppError> {
    let text = clean_text(text);
    if text.chars().count() > MAX_REPORT_CHARS {
        return Err(AppError::field(
            field,
            format!("Keep it under {MAX_REPORT_CHARS} characters."),
        ));
    }
    Ok(text)
}

/// A response (bank ids) in words.
fn answered_text(response: &Response) -> String {
    match response {
        Response::Choices(ids) => format!("Chose {}", ids.join(", ")),
        Response::Order(ids) => format!("Order: {}", ids.join(", ")),
        Response::YesNo(map) => map
            .iter()
            .map(|(id, yes)| format!("{id}: {}", if *yes { "Yes" } else { "No" }))
            .collect::<Vec<_>>()
            .join("; "),
        Response::Drill(map) => map
            .iter()
            .map(|(dimension, id)| format!("{dimension}: {id}"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Files a report for `user`; returns its id. A section is one of `studied`, the exam pack
/// the reporter studies.
pub async fn file(
    pool: &PgPool,
    content: &ContentStore,
    studied: &ExamPack,
    user: &User,
    target: Target,
    reason: &str,
    details: &str,
) -> Result<i64, AppError> {
    let reason = one_of(
        &REASONS,
        "reason",
        reason,
        "Choose what kind of problem it is.",
    )?;
    let details = typed_text("details", details)?;
    // The target must exist (and a group's question be the reporter's group's).
    let (exam_code, question_id, page_slug, heading_id) = match &target {
        Target::Question(id) => {
            let exam_code = match content.pack_of(id) {
                Some(pack) => pack.meta.code.clone(),
                None => {
                    let group_id = super::bank::group_of(id).ok_or(AppError::NotFound)?;
                    super::groups::role(pool, user, group_id).await?;
                    let exists = sqlx::query_scalar!(
                        "select exam_code from question where question_id = $1",
                        id
                    )
                    .fetch_optional(pool)
                    .await?;
                    exists.ok_or(AppError::NotFound)?
                }
            };
            (exam_code, Some(id.clone()), None, String::new())
        }
        Target::Section { page, heading } => {
            let exam = studied;
            let found = exam.page(page).ok_or(AppError::NotFound)?;
            if !heading.is_empty() && !found.headings.iter().any(|h| h.id == *heading) {
                return Err(AppError::NotFound);
            }
            (
                exam.meta.code.clone(),
                None,
                Some(page.clone()),
                heading.clone(),
            )
        }
    };
    let mut tx = pool.begin().await?;
    // One reporter's reports are counted one at a time (two at once cannot both be the 20th).
    super::db::lock(&mut tx, &format!("problem reports {}", user.user_id)).await?;
    let today = sqlx::query!(
        r#"
        select count(*) as "n!",
               extract(epoch from (min(created_at) + interval '1 day' - now()))::float8 as retry
        from problem_report where user_id = $1 and created_at > now() - interval '1 day'
        "#,
        user.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if today.n >= REPORTS_PER_DAY {
        return Err(AppError::RateLimited {
            retry_after_secs: today.retry.unwrap_or(3600.0).ceil().max(1.0) as u64,
        });
    }
    let (version, answered) = match &question_id {
        Some(id) => {
            let version = sqlx::query_scalar!(
                "select current_version from question where question_id = $1",
                id
            )
            .fetch_optional(&mut *tx)
            .await?;
            let answered = sqlx::query_scalar!(
                r#"
                select response from practice_answer where user_id = $1 and question_id = $2
                order by answered_at desc, practice_answer_id desc limit 1
                "#,
                user.user_id,
                id
            )
            .fetch_optional(&mut *tx)
            .await?;
            (version, answered)
        }
        None => (None, None),
    };
    let report_id = sqlx::query_scalar!(
        r#"
        insert into problem_report (user_id, exam_code, question_id, question_version, answered,
                                    page_slug, heading_id, reason, details)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        returning report_id
        "#,
        user.user_id,
        exam_code,
        question_id,
        version,
        answered,
        page_slug,
        heading_id,
        reason,
        details,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(report_id, "problem reported");
    Ok(report_id)
}

struct Row {
    report_id: i64,
    question_id: Option<String>,
    question_version: Option<i32>,
    answered: Option<serde_json::Value>,
    page_slug: Option<String>,
    heading_id: String,
    reason: String,
    details: String,
    status: String,
    reply: String,
    created_at: OffsetDateTime,
    reporter: String,
}

fn view(content: &ContentStore, row: Row, show_reporter: bool) -> ReportView {
    let (target, url) = match (&row.question_id, &row.page_slug) {
        (Some(id), _) => (
            format!(
                "Question {id}{}",
                row.question_version
                    .map(|v| format!(" (version {v})"))
                    .unwrap_or_default()
            ),
            if content.pack_of(id).is_some() {
                format!("/practice?question={id}")
            } else {
                String::new()
            },
        ),
        (None, Some(slug)) => {
            let page = content.exams.iter().find_map(|e| e.page(slug));
            let title = page.map_or(slug.clone(), |p| p.front.title.clone());
            let heading = page
                .and_then(|p| p.headings.iter().find(|h| h.id == row.heading_id))
                .map(|h| format!(" › {}", h.text))
                .unwrap_or_default();
            let anchor = if row.heading_id.is_empty() {
                String::new()
            } else {
                format!("#{}", row.heading_id)
            };
            (
                format!("Page: {title}{heading}"),
                format!("/reference/{slug}{anchor}"),
            )
        }
        (None, None) => (String::new(), String::new()),
    };
    ReportView {
        id: row.report_id,
        target,
        url,
        question_id: row.question_id,
        page: row.page_slug,
        reason: row.reason,
        details: row.details,
        answered: row
            .answered
            .and_then(|value| serde_json::from_value::<Response>(value).ok())
            .map(|r| answered_text(&r)),
        status: row.status,
        reply: row.reply,
        created_at: rfc3339(row.created_at),
        reporter: if show_reporter {
            row.reporter
        } else {
            String::new()
        },
    }
}

/// The reporter's own reports, newest first.
pub async fn mine(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
) -> Result<Vec<ReportView>, AppError> {
    let rows = sqlx::query_as!(
        Row,
        r#"
        select r.report_id, r.question_id, r.question_version, r.answered, r.page_slug,
               r.heading_id, r.reason, r.details, r.status, r.reply, r.created_at,
               u.display_name as reporter
        from problem_report r join app_user u using (user_id)
        where r.user_id = $1
        order by r.created_at desc limit 200
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| view(content, r, false)).collect())
}

/// What the admins' queue shows.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    pub status: Option<String>,
    pub page: Option<String>,
    pub question: Option<String>,
}

/// Every report (site admins), newest first, filtered.
pub async fn queue(
    pool: &PgPool,
    content: &ContentStore,
    filter: &QueueFilter,
) -> Result<Vec<ReportView>, AppError> {
    if let Some(status) = &filter.status
        && !STATUSES.iter().any(|(value, _)| value == status)
    {
        return Err(AppError::field("status", "Unknown status."));
    }
    let rows = sqlx::query_as!(
        Row,
        r#"
        select r.report_id, r.question_id, r.question_version, r.answered, r.page_slug,
               r.heading_id, r.reason, r.details, r.status, r.reply, r.created_at,
               u.display_name as reporter
        from problem_report r join app_user u using (user_id)
        where ($1::text is null or r.status = $1)
          and ($2::text is null or r.page_slug = $2)
          and ($3::text is null or r.question_id = $3)
        order by r.created_at desc limit 500
        "#,
        filter.status,
        filter.page,
        filter.question,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| view(content, r, true)).collect())
}

/// The reports on a group's own questions (its owner and instructors).
pub async fn for_group(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    group_id: i64,
) -> Result<Vec<ReportView>, AppError> {
    super::groups::require_manager(pool, user, group_id).await?;
    let rows = sqlx::query_as!(
        Row,
        r#"
        select r.report_id, r.question_id, r.question_version, r.answered, r.page_slug,
               r.heading_id, r.reason, r.details, r.status, r.reply, r.created_at,
               u.display_name as reporter
        from problem_report r join app_user u using (user_id)
        where r.question_id like 'g' || $1::bigint || '-%'
        order by r.created_at desc limit 500
        "#,
        group_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| view(content, r, true)).collect())
}

/// Answers a report: a site admin any, a group's owner or instructor those on its questions;
/// anyone else gets "not found".
pub async fn answer(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    report_id: i64,
    status: &str,
    reply: &str,
) -> Result<(), AppError> {
    let status = one_of(
        &STATUSES,
        "status",
        status,
        "Choose open, fixed or not a problem.",
    )?;
    let reply = typed_text("reply", reply)?;
    let question = sqlx::query_scalar!(
        "select question_id from problem_report where report_id = $1",
        report_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if !user.is_admin {
        // Only a group's own question gives its managers a say.
        let group_id = question
            .as_deref()
            .and_then(|id| super::bank::own_group(content, id))
            .ok_or(AppError::NotFound)?;
        super::groups::require_manager(pool, user, group_id)
            .await
            .map_err(|_| AppError::NotFound)?;
    }
    sqlx::query!(
        r#"
        update problem_report set status = $2, reply = $3, replied_by = $4, replied_at = now()
        where report_id = $1
        "#,
        report_id,
        status,
        reply,
        user.user_id,
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_is_kept_plain() {
        assert_eq!(clean_text("  a\r\nb\u{0}c\u{202E}d\te  "), "a\nbcd\te");
    }
}
