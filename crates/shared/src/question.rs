//! Questions as the browser sees them, the answers it sends, and scoring.
//!
//! While a learner answers, the browser gets a [`QuestionView`]: no answer key, no explanation.
//! The server scores a [`Response`] against a [`Key`] with [`score`] and only then returns
//! [`Feedback`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The item types of Microsoft exams that the bank uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemType {
    /// One correct option.
    Single,
    /// Exactly N correct options ("choose N"), scored all or nothing.
    Multi,
    /// Put steps in order, scored on the exact order.
    Order,
    /// A series of yes/no statements about one scenario, each scored.
    Yesno,
    /// A question about a case study (a scenario shared by several questions).
    Case,
    /// A scenario drill: asset, compute, identity, deployment and monitoring, each scored.
    Drill,
    /// A question about a pipeline diagram (a hidden stage or a highlighted edge).
    Diagram,
}

impl ItemType {
    pub const ALL: [ItemType; 7] = [
        Self::Single,
        Self::Multi,
        Self::Order,
        Self::Yesno,
        Self::Case,
        Self::Drill,
        Self::Diagram,
    ];

    /// The name used in content files and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multi => "multi",
            Self::Order => "order",
            Self::Yesno => "yesno",
            Self::Case => "case",
            Self::Drill => "drill",
            Self::Diagram => "diagram",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Single => "Single choice",
            Self::Multi => "Multiple response",
            Self::Order => "Build list (ordering)",
            Self::Yesno => "Yes/No series",
            Self::Case => "Case study",
            Self::Drill => "Scenario drill",
            Self::Diagram => "Diagram",
        }
    }
}

/// The five dimensions of a scenario drill, in order.
pub const DRILL_DIMENSIONS: [(&str, &str); 5] = [
    ("asset", "Azure Machine Learning asset"),
    ("compute", "Compute option"),
    ("identity", "Identity pattern"),
    ("deployment", "Deployment type"),
    ("monitoring", "Monitoring action"),
];

/// A choice shown to the learner (option, step, statement), as rendered HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub html: String,
}

/// One dimension of a scenario drill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionView {
    pub name: String,
    pub label: String,
    pub options: Vec<Choice>,
}

/// A case study scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: String,
    pub title: String,
    pub scenario_html: String,
}

/// A question without its key: safe to send while the learner answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: String,
    pub version: i32,
    pub item_type: ItemType,
    pub domain: String,
    pub difficulty: u8,
    pub stem_html: String,
    pub case: Option<CaseView>,
    pub diagram_html: Option<String>,
    /// For multiple response: how many to select.
    pub choose: Option<u8>,
    /// Options (single, multi, case, diagram), steps (order, in the order shown) or
    /// statements (yes/no).
    pub choices: Vec<Choice>,
    pub dimensions: Vec<DimensionView>,
}

/// What a learner answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Response {
    /// Selected option ids (single, multi, case, diagram).
    Choices(Vec<String>),
    /// Step ids in the order given.
    Order(Vec<String>),
    /// Statement id -> yes (true) or no (false).
    YesNo(BTreeMap<String, bool>),
    /// Dimension name -> option id.
    Drill(BTreeMap<String, String>),
}

/// The answer key of a question: the response that scores full marks (for choose-N, the
/// correct option ids; for ordering, the steps in the correct order).
pub type Key = Response;

/// The score of one response.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub points: f64,
    pub max: f64,
    /// For ordering: the share of steps in the right place (feedback only, never points).
    pub partial: Option<f64>,
}

impl Score {
    pub fn is_correct(&self) -> bool {
        self.max > 0.0 && (self.points - self.max).abs() < f64::EPSILON
    }
}

/// Why a response cannot be scored: it does not fit the question.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    #[error("This answer does not fit this kind of question.")]
    WrongKind,
    #[error("Select exactly {expected} option(s); you selected {got}.")]
    WrongCount { expected: usize, got: usize },
    #[error("Answer every part of the question first.")]
    Incomplete,
    #[error("The answer names an option this question does not have.")]
    UnknownChoice,
}

/// Scores a response: single choice and choose-N all or nothing; ordering on the exact order
/// (with the share of steps in place as feedback); yes/no per statement; drills per dimension.
pub fn score(key: &Key, response: &Response) -> Result<Score, ResponseError> {
    match (key, response) {
        (Key::Choices(correct), Response::Choices(chosen)) => {
            let mut chosen_sorted = chosen.clone();
            chosen_sorted.sort();
            chosen_sorted.dedup();
            if chosen_sorted.len() != correct.len() {
                return Err(ResponseError::WrongCount {
                    expected: correct.len(),
                    got: chosen_sorted.len(),
                });
            }
            let mut correct_sorted = correct.clone();
            correct_sorted.sort();
            let points = if chosen_sorted == correct_sorted {
                1.0
            } else {
                0.0
            };
            Ok(Score {
                points,
                max: 1.0,
                partial: None,
            })
        }
        (Key::Order(correct), Response::Order(given)) => {
            let mut a = correct.clone();
            let mut b = given.clone();
            a.sort();
            b.sort();
            if a != b {
                return Err(if given.len() == correct.len() {
                    ResponseError::UnknownChoice
                } else {
                    ResponseError::Incomplete
                });
            }
            let in_place = correct.iter().zip(given).filter(|(c, g)| c == g).count();
            let exact = in_place == correct.len();
            Ok(Score {
                points: if exact { 1.0 } else { 0.0 },
                max: 1.0,
                partial: Some(in_place as f64 / correct.len().max(1) as f64),
            })
        }
        (Key::YesNo(correct), Response::YesNo(given)) => {
            if given.keys().any(|k| !correct.contains_key(k)) {
                return Err(ResponseError::UnknownChoice);
            }
            if given.len() != correct.len() {
                return Err(ResponseError::Incomplete);
            }
            let points = correct
                .iter()
                .filter(|(id, answer)| given.get(*id) == Some(answer))
                .count();
            Ok(Score {
                points: points as f64,
                max: correct.len() as f64,
                partial: None,
            })
        }
        (Key::Drill(correct), Response::Drill(given)) => {
            if given.keys().any(|k| !correct.contains_key(k)) {
                return Err(ResponseError::UnknownChoice);
            }
            if given.len() != correct.len() {
                return Err(ResponseError::Incomplete);
            }
            let points = correct
                .iter()
                .filter(|(dim, option)| given.get(*dim) == Some(option))
                .count();
            Ok(Score {
                points: points as f64,
                max: correct.len() as f64,
                partial: None,
            })
        }
        _ => Err(ResponseError::WrongKind),
    }
}

/// Feedback on one part of an answer (an option, step, statement or drill dimension).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartFeedback {
    /// For drills, the dimension label; otherwise empty.
    pub group: String,
    pub id: String,
    pub html: String,
    /// Part of the key (correct option, correct answer "Yes", step in its place...).
    pub correct: bool,
    /// What the learner chose for this part (for yes/no: "Yes"/"No").
    pub chosen: Option<String>,
    /// For yes/no and ordering: the right answer ("Yes", "No", "Step 3").
    pub expected: Option<String>,
    /// Whether the learner got this part right.
    pub right: bool,
    pub why_html: String,
}

/// A link back to the reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefLink {
    pub title: String,
    pub url: String,
}

/// What the learner sees after answering.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub question_id: String,
    pub correct: bool,
    pub points: f64,
    pub max: f64,
    pub partial: Option<f64>,
    pub explanation_html: String,
    pub parts: Vec<PartFeedback>,
    pub refs: Vec<RefLink>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(values: &[&str]) -> Vec<String> {
        values.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn single_choice_scores_one_for_the_key_and_zero_otherwise() {
        let key = Key::Choices(ids(&["b"]));
        assert!(
            score(&key, &Response::Choices(ids(&["b"])))
                .unwrap()
                .is_correct()
        );
        let wrong = score(&key, &Response::Choices(ids(&["a"]))).unwrap();
        assert_eq!((wrong.points, wrong.max), (0.0, 1.0));
    }

    #[test]
    fn choose_n_is_all_or_nothing_and_needs_exactly_n_selections() {
        let key = Key::Choices(ids(&["a", "c"]));
        assert!(
            score(&key, &Response::Choices(ids(&["c", "a"])))
                .unwrap()
                .is_correct()
        );
        assert_eq!(
            score(&key, &Response::Choices(ids(&["a", "b"])))
                .unwrap()
                .points,
            0.0
        );
        assert_eq!(
            score(&key, &Response::Choices(ids(&["a"]))),
            Err(ResponseError::WrongCount {
                expected: 2,
                got: 1
            })
        );
        assert_eq!(
            score(&key, &Response::Choices(ids(&["a", "b", "c"]))),
            Err(ResponseError::WrongCount {
                expected: 2,
                got: 3
            })
        );
        // The same option twice counts once.
        assert_eq!(
            score(&key, &Response::Choices(ids(&["a", "a"]))),
            Err(ResponseError::WrongCount {
                expected: 2,
                got: 1
            })
        );
    }

    #[test]
    fn ordering_scores_only_the_exact_order_with_partial_feedback() {
        let key = Key::Order(ids(&["s1", "s2", "s3", "s4"]));
        let exact = score(&key, &Response::Order(ids(&["s1", "s2", "s3", "s4"]))).unwrap();
        assert!(exact.is_correct());
        assert_eq!(exact.partial, Some(1.0));
        let swapped = score(&key, &Response::Order(ids(&["s1", "s3", "s2", "s4"]))).unwrap();
        assert_eq!(swapped.points, 0.0);
        assert_eq!(swapped.partial, Some(0.5));
        assert_eq!(
            score(&key, &Response::Order(ids(&["s1", "s2", "s3"]))),
            Err(ResponseError::Incomplete)
        );
        assert_eq!(
            score(&key, &Response::Order(ids(&["s1", "s2", "s3", "s9"]))),
            Err(ResponseError::UnknownChoice)
        );
    }

    #[test]
    fn yes_no_series_scores_each_statement() {
        let key = Key::YesNo(BTreeMap::from([
            ("y1".to_string(), true),
            ("y2".to_string(), false),
            ("y3".to_string(), true),
        ]));
        let given = BTreeMap::from([
            ("y1".to_string(), true),
            ("y2".to_string(), true),
            ("y3".to_string(), true),
        ]);
        let s = score(&key, &Response::YesNo(given)).unwrap();
        assert_eq!((s.points, s.max), (2.0, 3.0));
        assert!(!s.is_correct());
        let partial = BTreeMap::from([("y1".to_string(), true)]);
        assert_eq!(
            score(&key, &Response::YesNo(partial)),
            Err(ResponseError::Incomplete)
        );
    }

    #[test]
    fn drills_score_each_dimension() {
        let key = Key::Drill(
            DRILL_DIMENSIONS
                .iter()
                .map(|(name, _)| (name.to_string(), "a".to_string()))
                .collect(),
        );
        let mut given: BTreeMap<String, String> = DRILL_DIMENSIONS
            .iter()
            .map(|(name, _)| (name.to_string(), "a".to_string()))
            .collect();
        assert!(
            score(&key, &Response::Drill(given.clone()))
                .unwrap()
                .is_correct()
        );
        given.insert("identity".to_string(), "b".to_string());
        let s = score(&key, &Response::Drill(given)).unwrap();
        assert_eq!((s.points, s.max), (4.0, 5.0));
    }

    #[test]
    fn a_response_of_the_wrong_kind_is_refused() {
        let key = Key::Choices(ids(&["a"]));
        assert_eq!(
            score(&key, &Response::Order(ids(&["a"]))),
            Err(ResponseError::WrongKind)
        );
    }
}
