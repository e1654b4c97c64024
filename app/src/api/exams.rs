//! Mock exams. Every function needs a signed-in learner and touches only their own attempts
//! (another user's attempt id is "not found"). While an attempt is open no response carries a
//! key, an explanation or a correctness hint.

use leptos::prelude::*;

use shared::error::AppError;
use shared::exam::{AttemptPage, ExamIntro, NavState, SaveAck};
use shared::question::Response;

/// The start page: the blueprint, the lengths on offer, past attempts and their trend.
#[server(name = GetExamIntro, prefix = "/api", endpoint = "exams/intro")]
pub async fn get_exam_intro() -> Result<ExamIntro, AppError> {
    crate::web::respond(
        async move { services::exams::intro(&crate::web::request().await?).await }.await,
    )
}

/// Starts a mock exam of `questions` questions (or returns the one already open).
#[server(name = StartExam, prefix = "/api", endpoint = "exams/start")]
pub async fn start_exam(questions: usize) -> Result<i64, AppError> {
    crate::web::respond(
        async move { services::exams::start_for(&crate::web::request().await?, questions).await }
            .await,
    )
}

/// An attempt: the questions (no keys) while open, the results once submitted.
#[server(name = GetAttempt, prefix = "/api", endpoint = "exams/attempt")]
pub async fn get_attempt(id: i64) -> Result<AttemptPage, AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            let user = req.require_user().await?;
            services::exams::page(&req.state.pool, &req.state.content, &user, id).await
        }
        .await,
    )
}

/// Autosaves the answer to one question; `seq` orders the saves of one attempt.
#[server(name = SaveExamAnswer, prefix = "/api", endpoint = "exams/save", input = leptos::server_fn::codec::Json)]
pub async fn save_exam_answer(
    id: i64,
    position: usize,
    response: Option<Response>,
    seq: i64,
) -> Result<SaveAck, AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            services::exams::autosave::save_answer(&req, id, position, response, seq).await
        }
        .await,
    )
}

/// Marks a question for review, or clears the mark.
#[server(name = FlagExamQuestion, prefix = "/api", endpoint = "exams/flag")]
pub async fn flag_exam_question(id: i64, position: usize, flagged: bool) -> Result<bool, AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            let user = req.require_user().await?;
            let state = &req.state;
            services::exams::set_flag(&state.pool, &state.content, &user, id, position, flagged)
                .await
        }
        .await,
    )
}

/// Moves to a question, applying the section rules.
#[server(name = GoToExamQuestion, prefix = "/api", endpoint = "exams/go")]
pub async fn go_to_exam_question(id: i64, position: usize) -> Result<NavState, AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            let user = req.require_user().await?;
            let state = &req.state;
            services::exams::navigate(&state.pool, &state.content, &user, id, position).await
        }
        .await,
    )
}

/// Submits the attempt for scoring.
#[server(name = SubmitExam, prefix = "/api", endpoint = "exams/submit")]
pub async fn submit_exam(id: i64) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let req = crate::web::request().await?;
            let user = req.require_user().await?;
            services::exams::submit(&req.state.pool, &req.state.content, &user, id, false).await
        }
        .await,
    )
}
