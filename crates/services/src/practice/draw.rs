//! Practice sets. A set is drawn on the server (filters, random order, option shuffle) and kept
//! with every answer, so nothing random is decided in the browser and a reload continues where
//! the learner was: with the account when signed in ([`super::sets`]), in the session otherwise.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::practice::learner::History;
use content::questions::{Question, QuestionBank};
use shared::practice::{PracticeFilter, QuestionStatus};
use shared::question::Response;

/// The session key under which practice state is stored.
pub const SESSION_KEY: &str = "practice";
/// Answers kept in a signed-out session (the oldest go first).
const MAX_HISTORY: usize = 2000;

/// One answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub question_id: String,
    pub version: i32,
    pub response: Response,
    pub points: f64,
    pub max: f64,
    pub correct: bool,
    pub time_taken_ms: i32,
    /// Unix time, seconds.
    pub answered_at: i64,
}

/// Unix time in milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

impl AnswerRecord {
    /// The answer to a question given at `now_ms`, timed from when it was first shown (or
    /// zero when that is unknown).
    pub fn new(
        question_id: String,
        version: i32,
        response: Response,
        score: &shared::question::Score,
        now_ms: i64,
        shown_at_ms: Option<i64>,
    ) -> Self {
        Self {
            question_id,
            version,
            response,
            points: score.points,
            max: score.max,
            correct: score.is_correct(),
            time_taken_ms: i32::try_from(now_ms - shown_at_ms.unwrap_or(now_ms))
                .unwrap_or(i32::MAX)
                .max(0),
            answered_at: now_ms / 1000,
        }
    }
}

/// A question of a set, with its presentation order decided when the set was drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetItem {
    pub question_id: String,
    pub version: i32,
    pub order: Vec<String>,
    /// Unix time in milliseconds when the question was first shown.
    pub shown_at_ms: Option<i64>,
    pub answer: Option<AnswerRecord>,
}

/// A practice set in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PracticeSet {
    pub filter: PracticeFilter,
    pub items: Vec<SetItem>,
    pub position: usize,
}

/// Everything practice keeps in a session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PracticeSession {
    pub set: Option<PracticeSet>,
    pub history: Vec<AnswerRecord>,
    pub flagged: BTreeSet<String>,
    pub bookmarked: BTreeSet<String>,
}

impl PracticeSession {
    /// The practice state of a session (empty when it has none).
    ///
    /// It is kept as one JSON string rather than a tree of session values: the session layer
    /// copies and re-encodes its values on every load and save, and a set of 50 questions with
    /// their answers is a tree of hundreds of them (a third of a practice answer's CPU time).
    /// A session written before that, as a tree, still loads.
    pub async fn load(session: &tower_sessions::Session) -> anyhow::Result<Self> {
        Ok(match session.get_value(SESSION_KEY).await? {
            None => Self::default(),
            Some(serde_json::Value::String(text)) => serde_json::from_str(&text)?,
            Some(tree) => serde_json::from_value(tree)?,
        })
    }

    /// Stores the practice state in the session (see `load`).
    pub async fn store(&self, session: &tower_sessions::Session) -> anyhow::Result<()> {
        session
            .insert_value(
                SESSION_KEY,
                serde_json::Value::String(serde_json::to_string(self)?),
            )
            .await?;
        Ok(())
    }

    /// Records an answer in the history, keeping it bounded.
    pub fn remember(&mut self, record: AnswerRecord) {
        self.history.push(record);
        if self.history.len() > MAX_HISTORY {
            let excess = self.history.len() - MAX_HISTORY;
            self.history.drain(..excess);
        }
    }
}

/// The questions a filter selects, in bank order (due reviews: most overdue first).
pub fn matching<'a>(
    bank: &'a QuestionBank,
    filter: &PracticeFilter,
    history: &History,
) -> Vec<&'a Question> {
    if filter.status == QuestionStatus::Due {
        return history
            .due
            .iter()
            .filter_map(|id| bank.get(id))
            .filter(|q| filter_matches(q, filter))
            .collect();
    }
    bank.questions
        .iter()
        .filter(|q| selects(q, filter, history))
        .collect()
}

/// At least `count` of the questions a filter selects, or all of them when there are fewer,
/// without walking a large bank: positions drawn at random, kept when the filter selects
/// them, until `count` are found. Each selected question is as likely to be kept as in a draw
/// from the whole list. When the filter is narrow (few hits in many tries) or the bank small,
/// it is the whole list (`matching`), which also tells whether nothing matches.
pub fn sample_matching<'a>(
    bank: &'a QuestionBank,
    filter: &PracticeFilter,
    history: &History,
    count: usize,
    rng: &mut fastrand::Rng,
) -> Vec<&'a Question> {
    let tries = count.saturating_mul(SAMPLE_TRIES_PER_QUESTION);
    if filter.status != QuestionStatus::Due && count > 0 && bank.len() > tries {
        let mut tried = std::collections::HashSet::with_capacity(tries);
        let mut kept = Vec::with_capacity(count);
        for _ in 0..tries {
            let i = rng.usize(..bank.len());
            if !tried.insert(i) {
                continue;
            }
            let question = &bank.questions[i];
            if selects(question, filter, history) {
                kept.push(question);
                if kept.len() == count {
                    return kept;
                }
            }
        }
    }
    matching(bank, filter, history)
}

/// Random positions tried per question wanted before `sample_matching` walks the whole bank
/// (a filter that selects under about 1 in 16 questions ends up walking it).
const SAMPLE_TRIES_PER_QUESTION: usize = 16;

/// Whether a filter selects a question (its own fields and the learner's history with it).
fn selects(q: &Question, filter: &PracticeFilter, history: &History) -> bool {
    filter_matches(q, filter)
        && match filter.status {
            QuestionStatus::All | QuestionStatus::Due => true,
            QuestionStatus::Unseen => !history.seen(q.id()),
            QuestionStatus::Missed => history.missed(q.id()),
            QuestionStatus::Marked => {
                history.marks.flagged.contains(q.id()) || history.marks.bookmarked.contains(q.id())
            }
        }
}

/// The filters on the question itself (not on the learner's history).
fn filter_matches(q: &Question, filter: &PracticeFilter) -> bool {
    filter.question.as_ref().is_none_or(|id| q.id() == id)
        && filter.domain.as_ref().is_none_or(|d| &q.def.domain == d)
        && filter
            .page
            .as_ref()
            .is_none_or(|p| q.def.refs.iter().any(|r| r.split('#').next() == Some(p)))
        && filter.item_type.is_none_or(|t| q.item_type() == t)
        && filter
            .objective
            .as_ref()
            .is_none_or(|o| &q.def.objective == o)
        && filter.difficulty.is_none_or(|d| q.def.difficulty == d)
}

/// Draws a set: a random sample of the matching questions (case-study questions of one case
/// kept together), each with shuffled choices.
pub fn draw(
    questions: &[&Question],
    count: usize,
    version_of: impl Fn(&str) -> i32,
    rng: &mut fastrand::Rng,
) -> Vec<SetItem> {
    // A partial shuffle: only the `count` questions kept are moved, so a large bank costs a
    // copy of the list, not a full shuffle of it.
    let mut picked: Vec<&Question> = questions.to_vec();
    let count = count.min(picked.len());
    for i in 0..count {
        let j = rng.usize(i..picked.len());
        picked.swap(i, j);
    }
    picked.truncate(count);
    // Questions of the same case study follow each other, in bank order.
    picked.sort_by_key(|q| {
        q.def
            .case
            .clone()
            .map(|case| (0, case, q.id().to_string()))
            .unwrap_or((1, String::new(), String::new()))
    });
    let (cases, mut singles): (Vec<&Question>, Vec<&Question>) =
        picked.into_iter().partition(|q| q.def.case.is_some());
    rng.shuffle(&mut singles);
    let mut ordered = Vec::with_capacity(cases.len() + singles.len());
    // Put the case blocks at a random place among the other questions.
    let insert_at = rng.usize(..=singles.len());
    ordered.extend(singles.drain(..insert_at));
    ordered.extend(cases);
    ordered.extend(singles);
    ordered
        .into_iter()
        .map(|q| SetItem {
            question_id: q.id().to_string(),
            version: version_of(q.id()),
            order: content::questions::shown::presentation_order(q, rng),
            shown_at_ms: None,
            answer: None,
        })
        .collect()
}
