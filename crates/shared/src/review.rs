//! Spaced review as the browser sees it: the learner's plan and what is due.

use serde::{Deserialize, Serialize};

/// The lowest desired retention offered: below it, reviews come so rarely that most answers
/// are forgotten in between.
pub const MIN_RETENTION: f64 = 0.70;
/// The highest: above it, the number of reviews grows steeply for little gain.
pub const MAX_RETENTION: f64 = 0.97;

/// The review page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewOverview {
    /// ISO date (YYYY-MM-DD), if set.
    pub exam_date: Option<String>,
    /// Whole days until the exam (negative once it has passed).
    pub days_to_exam: Option<i64>,
    pub desired_retention: f64,
    /// Questions due now.
    pub due_now: usize,
    /// Questions with a review schedule (answered at least once).
    pub scheduled: usize,
    /// Due in each of the next 7 days (index 0: within 24 hours, not counting `due_now`).
    pub upcoming: Vec<usize>,
    /// Questions of the bank never answered.
    pub unseen: usize,
}
