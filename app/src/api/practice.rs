//! Practice mode's server functions. Each builds the request once and calls one function of
//! `services::practice` (the rules live there: who may practise what, the fast and the full
//! answer, what the learner sees).

use leptos::prelude::*;

use shared::error::AppError;
use shared::practice::{PracticeFilter, PracticeOptions, PracticeState};
use shared::question::Response;

/// What the filter form offers, with question counts.
#[server(name = GetPracticeOptions, prefix = "/api", endpoint = "practice/options")]
pub async fn get_practice_options() -> Result<PracticeOptions, AppError> {
    crate::web::respond(
        async move { services::practice::view::options(&crate::web::request().await?).await }.await,
    )
}

/// The practice set in progress, if any.
#[server(name = GetPracticeState, prefix = "/api", endpoint = "practice/state")]
pub async fn get_practice_state() -> Result<Option<PracticeState>, AppError> {
    crate::web::respond(
        async move { services::practice::service::current(&crate::web::request().await?).await }
            .await,
    )
}

/// Draws a new set from the filter and shows its first question.
#[server(name = StartPractice, prefix = "/api", endpoint = "practice/start", input = leptos::server_fn::codec::Json)]
pub async fn start_practice(filter: PracticeFilter) -> Result<PracticeState, AppError> {
    crate::web::respond(
        async move {
            services::practice::service::start(&crate::web::request().await?, filter).await
        }
        .await,
    )
}

/// Scores the answer to the current question and returns the feedback. Submitting again for
/// a question already answered returns the first result (a double click changes nothing).
#[server(name = SubmitPracticeAnswer, prefix = "/api", endpoint = "practice/answer", input = leptos::server_fn::codec::Json)]
pub async fn submit_practice_answer(
    question_id: String,
    response: Response,
) -> Result<PracticeState, AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            services::practice::service::answer(&req, &question_id, &response).await
        }
        .await,
    )
}

/// Moves to the next question (or the summary after the last one).
#[server(name = NextPracticeQuestion, prefix = "/api", endpoint = "practice/next")]
pub async fn next_practice_question() -> Result<PracticeState, AppError> {
    crate::web::respond(
        async move { services::practice::service::next(&crate::web::request().await?).await }.await,
    )
}

/// Ends the current set (the answers stay in the history).
#[server(name = EndPractice, prefix = "/api", endpoint = "practice/end")]
pub async fn end_practice() -> Result<(), AppError> {
    crate::web::respond(
        async move { services::practice::service::end(&crate::web::request().await?).await }.await,
    )
}

/// Flags a question for review, or bookmarks it; returns whether the mark is now set.
#[server(name = TogglePracticeMark, prefix = "/api", endpoint = "practice/mark")]
pub async fn toggle_practice_mark(question_id: String, bookmark: bool) -> Result<bool, AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            services::practice::service::toggle_mark(&req, &question_id, bookmark).await
        }
        .await,
    )
}
