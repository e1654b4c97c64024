//! "Report a problem" on a question or a reference section, and the answers to reports. Every
//! function checks who is asking first (see `services::reports` for who may see what).

use leptos::prelude::*;

use shared::error::AppError;
use shared::report::ReportView;

#[cfg(feature = "ssr")]
mod server {
    /// An optional form field: empty is none.
    pub fn given(value: Option<String>) -> Option<String> {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }
}

/// Files a report about a question (`question_id`) or a reference page section (`page` and
/// optionally `heading`); returns its id.
#[server(name = FileReport, prefix = "/api", endpoint = "reports/file")]
pub async fn file_report(
    question_id: Option<String>,
    page: Option<String>,
    heading: Option<String>,
    reason: String,
    details: String,
) -> Result<i64, AppError> {
    crate::web::respond(
        async move {
            use services::reports::Target;
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            let target = match (server::given(question_id), server::given(page)) {
                (Some(id), None) => Target::Question(id),
                (None, Some(page)) => Target::Section {
                    page,
                    heading: server::given(heading).unwrap_or_default(),
                },
                _ => {
                    return Err(AppError::field(
                        "form",
                        "Say which question or which page the report is about.",
                    ));
                }
            };
            services::reports::file(
                &state.pool,
                &state.content,
                req.exam(),
                &user,
                target,
                &reason,
                &details,
            )
            .await
        }
        .await,
    )
}

/// The signed-in user's own reports, with their status and replies.
#[server(name = MyReports, prefix = "/api", endpoint = "reports/mine")]
pub async fn my_reports() -> Result<Vec<ReportView>, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::reports::mine(&state.pool, &state.content, &user).await
        }
        .await,
    )
}

/// Every report, filtered by status, page or question (site admins).
#[server(name = AdminReports, prefix = "/api", endpoint = "reports/admin")]
pub async fn admin_reports(
    status: Option<String>,
    page: Option<String>,
    question: Option<String>,
) -> Result<Vec<ReportView>, AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            let state = &req.state;
            services::auth::require_admin(&state.pool, &req.session).await?;
            let filter = services::reports::QueueFilter {
                status: server::given(status),
                page: server::given(page),
                question: server::given(question),
            };
            services::reports::queue(&state.pool, &state.content, &filter).await
        }
        .await,
    )
}

/// The reports on a group's own questions (its owner and instructors).
#[server(name = GroupReports, prefix = "/api", endpoint = "reports/group")]
pub async fn group_reports(group_id: i64) -> Result<Vec<ReportView>, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::reports::for_group(&state.pool, &state.content, &user, group_id).await
        }
        .await,
    )
}

/// Answers a report with a status (open, fixed, rejected) and a reply.
#[server(name = AnswerReport, prefix = "/api", endpoint = "reports/answer")]
pub async fn answer_report(report_id: i64, status: String, reply: String) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::reports::answer(
                &state.pool,
                &state.content,
                &user,
                report_id,
                &status,
                &reply,
            )
            .await
        }
        .await,
    )
}
