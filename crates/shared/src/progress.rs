//! The progress dashboard as the browser sees it.

use serde::{Deserialize, Serialize};

/// Progress in one exam domain or on one reference page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicProgress {
    /// Domain id or page slug.
    pub id: String,
    pub title: String,
    /// Questions of the bank on this topic.
    pub total: usize,
    /// Of those, answered at least once.
    pub seen: usize,
    pub answers: usize,
    pub correct: usize,
    /// Mean recall probability over all the topic's questions (unseen ones count as 0).
    pub mastery: f64,
    /// Starts practice on this topic.
    pub practice_url: String,
    /// The reference page (pages only).
    pub reference_url: Option<String>,
}

impl TopicProgress {
    /// Share of answers that were right, if there were any.
    pub fn accuracy(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.correct as f64 / self.answers as f64)
    }
}

/// One line of recent activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// RFC 3339.
    pub at: String,
    pub text: String,
    pub correct: Option<bool>,
    pub url: String,
}

/// A chart drawn on the server, with its numbers as a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub svg: String,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The readiness estimate and what it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    /// 0..=1.
    pub estimate: f64,
    /// A plain statement of how it was worked out.
    pub basis: String,
    pub verdict: String,
}

/// Everything `/progress` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub exam_title: String,
    pub display_name: String,
    pub total_questions: usize,
    pub seen: usize,
    pub answers: usize,
    pub correct: usize,
    pub pages_read: usize,
    pub pages_total: usize,
    pub due_now: usize,
    pub readiness: Readiness,
    pub domains: Vec<TopicProgress>,
    pub pages: Vec<TopicProgress>,
    pub weakest: Vec<TopicProgress>,
    /// Each official objective of the exam (none when the pack lists none).
    #[serde(default)]
    pub objectives: Vec<TopicProgress>,
    /// The three objectives with the lowest mastery among those tried.
    #[serde(default)]
    pub weakest_objectives: Vec<TopicProgress>,
    pub recent: Vec<Activity>,
    pub accuracy_chart: Chart,
    pub domain_chart: Chart,
    /// Submitted mock exams, and the latest one's score and result.
    pub exams_taken: usize,
    pub last_exam: Option<(i64, u32, bool)>,
}
