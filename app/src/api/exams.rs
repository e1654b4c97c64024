//! Mock exams. Every function needs a signed-in learner and touches only their own attempts
//! (another user's attempt id is "not found"). While an attempt is open no response carries a
//! key, an explanation or a correctness hint.

use leptos::prelude::*;

use shared::error::AppError;
use shared::exam::{AttemptPage, ExamIntro, NavState, SaveAck};
use shared::question::Response;

#[cfg(feature = "ssr")]
mod server {
    use crate::web::state::AppState;
    use services::auth::{self, User};
    use shared::error::AppError;

    pub async fn learner() -> Result<(AppState, User), AppError> {
        let state = crate::web::state::app_state()?;
        let session = crate::web::session().await?;
        let user = auth::require_user(&state.pool, &session).await?;
        Ok((state, user))
    }
}

/// The start page: the blueprint, the lengths on offer, past attempts and their trend.
#[server(name = GetExamIntro, prefix = "/api", endpoint = "exams/intro")]
pub async fn get_exam_intro() -> Result<ExamIntro, AppError> {
    crate::web::respond(
        async move {
            use services::{auth, charts, exams};
            use shared::exam::{DomainShare, ExamLength};
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            let user = auth::current_user(&state.pool, &session).await?;
            let exam = crate::web::current_exam(&state.content);
            let blueprint = &exam.blueprint;
            let weights = exams::domain_weights(exam);
            let total: f64 = weights.iter().map(|(_, w)| w).sum();
            let domains = exam
                .meta
                .domains
                .iter()
                .zip(&weights)
                .map(|(d, (_, w))| DomainShare {
                    name: d.name.clone(),
                    official: d.weight.clone(),
                    share: if total > 0.0 { w / total } else { 0.0 },
                })
                .collect();
            let (open_attempt, history) = match &user {
                Some(user) => (
                    exams::open_attempt(&state.pool, user, &exam.meta.code)
                        .await?,
                    exams::history(&state.pool, user, &exam.meta.code)
                        .await?,
                ),
                None => (None, Vec::new()),
            };
            let done: Vec<_> = history.iter().rev().filter(|a| a.scaled.is_some()).collect();
            let trend = (!done.is_empty()).then(|| {
                let points: Vec<charts::Point> = done
                    .iter()
                    .map(|a| charts::Point {
                        label: a.started_at.get(5..10).unwrap_or_default().replace('-', "/"),
                        value: f64::from(a.scaled.unwrap_or(0)) / 1000.0,
                        count: a.questions,
                    })
                    .collect();
                let last = done.last().and_then(|a| a.scaled).unwrap_or(0);
                shared::progress::Chart {
                    svg: charts::score_chart(
                        "exam-trend",
                        "Mock exam scores",
                        &format!(
                            "Scaled scores of your {} submitted mock exams, oldest first; the latest is {last} (pass mark {}).",
                            done.len(),
                            blueprint.pass_mark
                        ),
                        &points,
                        f64::from(blueprint.pass_mark) / 1000.0,
                    ),
                    caption: "Your mock exam scores (1-1000)".to_string(),
                    columns: vec!["Started".into(), "Questions".into(), "Score".into(), "Result".into()],
                    rows: done
                        .iter()
                        .map(|a| {
                            vec![
                                shared::when::to_minute(&a.started_at),
                                a.questions.to_string(),
                                a.scaled.unwrap_or(0).to_string(),
                                if a.passed == Some(true) { "Pass" } else { "Fail" }.to_string(),
                            ]
                        })
                        .collect(),
                }
            });
            Ok(ExamIntro {
                exam_title: exam.meta.title.clone(),
                lengths: blueprint
                    .lengths()
                    .into_iter()
                    .map(|n| ExamLength {
                        questions: n,
                        minutes: blueprint.minutes_for(n),
                    })
                    .collect(),
                pass_mark: blueprint.pass_mark,
                coverage_note: blueprint.coverage.note.clone(),
                domains,
                signed_in: user.is_some(),
                open_attempt,
                history,
                trend,
            })
        }
        .await,
    )
}

/// Starts a mock exam of `questions` questions (or returns the one already open).
#[server(name = StartExam, prefix = "/api", endpoint = "exams/start")]
pub async fn start_exam(questions: usize) -> Result<i64, AppError> {
    crate::web::respond(
        async move {
            let (state, user) = server::learner().await?;
            let exam = crate::web::current_exam(&state.content);
            services::exams::start(
                &state.pool,
                exam,
                &state.question_versions,
                &user,
                questions,
            )
            .await
        }
        .await,
    )
}

/// An attempt: the questions (no keys) while open, the results once submitted.
#[server(name = GetAttempt, prefix = "/api", endpoint = "exams/attempt")]
pub async fn get_attempt(id: i64) -> Result<AttemptPage, AppError> {
    crate::web::respond(
        async move {
            let (state, user) = server::learner().await?;
            services::exams::page(&state.pool, &state.content, &user, id).await
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
            use services::{auth, exams};
            let state = crate::web::state::app_state()?;
            let session = crate::web::session().await?;
            if let Some(ack) = state
                .autosaver
                .save(
                    &state.content,
                    &session,
                    id,
                    position,
                    response.as_ref(),
                    seq,
                )
                .await?
            {
                return Ok(ack);
            }
            let user = auth::require_user(&state.pool, &session).await?;
            exams::save(
                &state.pool,
                &state.content,
                &user,
                id,
                position,
                response,
                seq,
            )
            .await
        }
        .await,
    )
}

/// Marks a question for review, or clears the mark.
#[server(name = FlagExamQuestion, prefix = "/api", endpoint = "exams/flag")]
pub async fn flag_exam_question(id: i64, position: usize, flagged: bool) -> Result<bool, AppError> {
    crate::web::respond(
        async move {
            let (state, user) = server::learner().await?;
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
            let (state, user) = server::learner().await?;
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
            let (state, user) = server::learner().await?;
            services::exams::submit(&state.pool, &state.content, &user, id, false).await
        }
        .await,
    )
}
