//! Mock exams as the browser sees them. While an attempt is open nothing here carries an
//! answer key, an explanation or a hint of correctness: only [`ExamResults`] does, and only
//! once the attempt is submitted.

use serde::{Deserialize, Serialize};

use super::progress::Chart;
use super::question::{Feedback, ItemType, QuestionView, Response};

/// One length a learner can choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamLength {
    pub questions: usize,
    pub minutes: u32,
}

/// A domain's place in the blueprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainShare {
    pub name: String,
    /// The official range, e.g. "15-20%".
    pub official: String,
    /// Share of this mock exam's questions.
    pub share: f64,
}

/// A past or open attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub id: i64,
    /// RFC 3339.
    pub started_at: String,
    pub questions: usize,
    pub open: bool,
    pub scaled: Option<u32>,
    pub passed: Option<bool>,
    pub auto_submitted: bool,
}

/// The start page of the mock exams.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExamIntro {
    pub exam_title: String,
    pub lengths: Vec<ExamLength>,
    pub pass_mark: u32,
    pub coverage_note: String,
    pub domains: Vec<DomainShare>,
    pub signed_in: bool,
    pub open_attempt: Option<i64>,
    pub history: Vec<AttemptSummary>,
    pub trend: Option<Chart>,
}

/// One question of an open attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExamItemView {
    pub position: usize,
    /// 0: the general section; 1: the case study.
    pub section: i16,
    pub question: QuestionView,
    pub response: Option<Response>,
    pub flagged: bool,
    /// A yes/no series question already answered and left.
    pub locked: bool,
}

/// An open attempt, as the exam page needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExamSession {
    pub id: i64,
    pub exam_title: String,
    /// Unix milliseconds: the server's deadline, and the server's clock when this was sent
    /// (the countdown corrects for a wrong browser clock).
    pub deadline_ms: i64,
    pub server_now_ms: i64,
    pub position: usize,
    pub case_closed: bool,
    pub items: Vec<ExamItemView>,
    /// The highest save sequence number seen; the browser numbers its saves above it.
    pub last_seq: i64,
}

/// The answer to an autosave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAck {
    pub position: usize,
    pub seq: i64,
    /// False when a newer save had already arrived (this one changed nothing).
    pub applied: bool,
}

/// Where the learner may go after moving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavState {
    pub position: usize,
    pub case_closed: bool,
    /// Yes/no questions answered and left.
    pub locked: Vec<usize>,
}

/// Score on one part of the exam.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub label: String,
    pub questions: usize,
    /// Points earned (partial credit counts) out of `questions`.
    pub points: f64,
}

impl Breakdown {
    pub fn percent(&self) -> f64 {
        if self.questions == 0 {
            0.0
        } else {
            self.points / self.questions as f64 * 100.0
        }
    }
}

/// One question after submission: the learner's answer, the key and the explanations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub position: usize,
    pub section: i16,
    pub item_type: ItemType,
    pub question: QuestionView,
    pub answered: bool,
    pub points: f64,
    pub max: f64,
    pub correct: bool,
    pub flagged: bool,
    pub feedback: Feedback,
}

/// A submitted attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExamResults {
    pub id: i64,
    pub exam_title: String,
    pub scaled: u32,
    pub pass_mark: u32,
    pub passed: bool,
    /// Share of the available points, 0..=1.
    pub raw: f64,
    pub questions: usize,
    pub answered: usize,
    /// RFC 3339.
    pub started_at: String,
    pub time_used_secs: i64,
    pub time_allowed_secs: i64,
    pub auto_submitted: bool,
    pub by_domain: Vec<Breakdown>,
    pub by_type: Vec<Breakdown>,
    pub items: Vec<ReviewItem>,
    /// Why the answers are not shown (an assignment's review policy), if they are not.
    pub review_note: Option<String>,
}

/// What `/exams/{id}` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AttemptPage {
    Open(ExamSession),
    Done(Box<ExamResults>),
}
