//! Practice mode as the browser sees it: filters, the current question, feedback, a summary.

use serde::{Deserialize, Serialize};

use super::question::{Feedback, ItemType, QuestionView};

/// Which questions to practise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeFilter {
    pub domain: Option<String>,
    pub page: Option<String>,
    pub item_type: Option<ItemType>,
    pub difficulty: Option<u8>,
    pub status: QuestionStatus,
    /// How many questions in the set.
    pub count: u8,
    /// Practise one question (from a search result).
    #[serde(default)]
    pub question: Option<String>,
    /// Practise a study group's own (imported) questions instead of the exam's bank.
    #[serde(default)]
    pub group: Option<i64>,
    /// One official exam objective (`3.2.4`).
    #[serde(default)]
    pub objective: Option<String>,
}

/// Filter on the learner's own history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionStatus {
    #[default]
    All,
    /// Never answered.
    Unseen,
    /// Last answer was wrong.
    Missed,
    /// Flagged for review or bookmarked.
    Marked,
    /// Due for spaced review (signed in only).
    Due,
}

impl QuestionStatus {
    pub fn parse(value: &str) -> Self {
        match value {
            "unseen" => Self::Unseen,
            "missed" => Self::Missed,
            "marked" => Self::Marked,
            "due" => Self::Due,
            _ => Self::All,
        }
    }
}

/// The most questions one practice set may hold.
pub const MAX_SET_SIZE: u8 = 50;

/// A choice in a filter, with how many questions it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoice {
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// What the filter form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeOptions {
    pub total: usize,
    /// Answers are saved to an account (else they live in the browser session).
    pub signed_in: bool,
    pub domains: Vec<FilterChoice>,
    pub pages: Vec<FilterChoice>,
    pub types: Vec<FilterChoice>,
    /// The exam's official objectives (value: the id).
    #[serde(default)]
    pub objectives: Vec<FilterChoice>,
    /// The viewer's study groups that have their own questions (value: the group id).
    #[serde(default)]
    pub groups: Vec<FilterChoice>,
}

/// One line of the end-of-set summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryItem {
    pub question_id: String,
    pub item_type: ItemType,
    pub page: String,
    pub page_title: String,
    pub correct: bool,
    pub points: f64,
    pub max: f64,
    pub flagged: bool,
}

/// Where the learner is in a practice set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeState {
    /// 0-based position of the current question.
    pub position: usize,
    pub total: usize,
    /// `None` once the set is finished.
    pub question: Option<QuestionView>,
    /// Set once the current question has been answered.
    pub feedback: Option<Feedback>,
    /// Why the current question is shown without its feedback or cannot be answered now
    /// (it is part of the learner's open mock exam).
    #[serde(default)]
    pub notice: Option<String>,
    pub flagged: bool,
    pub bookmarked: bool,
    pub answered: usize,
    pub correct: usize,
    /// Filled when the set is finished.
    pub summary: Vec<SummaryItem>,
}
