//! While a learner has a mock exam open (their own or an assigned one), its questions are
//! embargoed for them: no other route scores or explains those questions to that learner
//! (practice and review, the results of earlier attempts, the account export). The database
//! keeps the list (the `open_exam_question` view), so every instance sees an attempt the
//! moment it is started and forgets it the moment it is submitted or its time is up.
//!
//! What this cannot cover: the exam pack's bank is public (it ships with the source), so a
//! signed-out visitor can practise any of its questions. Assignments that must stay secret
//! draw from a group's own bank with practice for learners turned off.

use std::collections::HashSet;

use sqlx::PgConnection;

use shared::error::AppError;

/// What a learner is told when a route withholds a question of their open mock exam.
pub const EMBARGO_MESSAGE: &str = "This question is part of the mock exam you have open. \
     Its answer and explanation are shown once you submit the exam (or its time is up).";

/// The questions of the learner's open mock exam attempts.
pub async fn embargoed(conn: &mut PgConnection, user_id: i64) -> Result<HashSet<String>, AppError> {
    let ids = sqlx::query_scalar!(
        r#"select question_id as "question_id!" from open_exam_question where user_id = $1"#,
        user_id
    )
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().collect())
}
