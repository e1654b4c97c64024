//! A signed-in learner's progress: reading, the dashboard and spaced review. Each server
//! function builds the request and calls one service.

use leptos::prelude::*;

use shared::error::AppError;
use shared::progress::Dashboard;
use shared::review::ReviewOverview;

/// Marks a reference page read or unread; returns the new state.
#[server(name = SetPageRead, prefix = "/api", endpoint = "progress/read")]
pub async fn set_page_read(slug: String, read: bool) -> Result<bool, AppError> {
    crate::web::respond(
        async move { services::progress::set_read(&crate::web::request().await?, &slug, read).await }
            .await,
    )
}

/// The progress dashboard of the signed-in learner.
#[server(name = GetDashboard, prefix = "/api", endpoint = "progress/dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    crate::web::respond(
        async move { services::dashboard::for_request(&crate::web::request().await?).await }.await,
    )
}

/// What is due for review, and the learner's plan.
#[server(name = GetReviewOverview, prefix = "/api", endpoint = "review/overview")]
pub async fn get_review_overview() -> Result<ReviewOverview, AppError> {
    crate::web::respond(
        async move { services::review::overview(&crate::web::request().await?).await }.await,
    )
}

/// Sets the exam date (empty clears it) and the desired retention (in percent).
#[server(name = SaveStudyPlan, prefix = "/api", endpoint = "review/plan")]
pub async fn save_study_plan(exam_date: String, desired_retention: String) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            services::review::save_plan_form(&req, &exam_date, &desired_retention).await
        }
        .await,
    )
}
