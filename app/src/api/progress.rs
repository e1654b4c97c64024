//! A signed-in learner's progress: reading, the dashboard and spaced review.

use leptos::prelude::*;

use shared::error::AppError;
use shared::progress::Dashboard;
use shared::review::ReviewOverview;

/// Marks a reference page read or unread; returns the new state.
#[server(name = SetPageRead, prefix = "/api", endpoint = "progress/read")]
pub async fn set_page_read(slug: String, read: bool) -> Result<bool, AppError> {
    crate::web::respond(
        async move {
            use services::{auth, progress};
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = auth::require_user(&state.pool, &session).await?;
            let exam = crate::web::current_exam(&state.content);
            if exam.page(&slug).is_none() {
                return Err(AppError::NotFound);
            }
            let result = if read {
                progress::mark_page_read(&state.pool, user.user_id, &exam.meta.code, &slug).await
            } else {
                progress::mark_page_unread(&state.pool, user.user_id, &exam.meta.code, &slug).await
            };
            result?;
            Ok(read)
        }
        .await,
    )
}

/// The progress dashboard of the signed-in learner.
#[server(name = GetDashboard, prefix = "/api", endpoint = "progress/dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    crate::web::respond(
        async move {
            use services::auth;
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = auth::require_user(&state.pool, &session).await?;
            let exam = crate::web::current_exam(&state.content);
            services::dashboard::dashboard(
                &state.pool,
                &user,
                exam,
                time::OffsetDateTime::now_utc(),
            )
            .await
            .map_err(AppError::internal)
        }
        .await,
    )
}

/// What is due for review, and the learner's plan.
#[server(name = GetReviewOverview, prefix = "/api", endpoint = "review/overview")]
pub async fn get_review_overview() -> Result<ReviewOverview, AppError> {
    crate::web::respond(
        async move {
            use services::{auth, review};
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = auth::require_user(&state.pool, &session).await?;
            let exam = crate::web::current_exam(&state.content);
            let now = time::OffsetDateTime::now_utc();
            let mut conn = state.pool.acquire().await?;
            let plan = review::plan(&mut conn, user.user_id, &exam.meta.code).await?;
            drop(conn);
            let memories =
                review::memories(&state.pool, user.user_id, &exam.meta.code, now).await?;
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
        .await,
    )
}

/// Sets the exam date (empty clears it) and the desired retention (in percent).
#[server(name = SaveStudyPlan, prefix = "/api", endpoint = "review/plan")]
pub async fn save_study_plan(exam_date: String, desired_retention: String) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            use services::{auth, review};
            use shared::review::{MAX_RETENTION, MIN_RETENTION};
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = auth::require_user(&state.pool, &session).await?;
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
            let plan = review::Plan {
                exam_date,
                desired_retention: retention.unwrap_or(0.9),
            };
            let exam = crate::web::current_exam(&state.content);
            review::save_plan(&state.pool, user.user_id, &exam.meta.code, &plan, now)
                .await
                .map_err(AppError::internal)
        }
        .await,
    )
}
