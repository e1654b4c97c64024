//! A question as one learner sees it in one practice set or mock exam attempt: its choices in
//! the order drawn for that set or attempt, each under an id that names only its place on the
//! screen (`c1`, `c2`, ... from the top; per dimension for drills), never the bank's own id.
//!
//! The bank's ids are written by authors and can carry the key: ordering steps are written in
//! the correct order (`s1`, `s2`, ...), so a client that saw them could sort its way to full
//! marks. Screen ids carry only what the screen already shows, and the order drawn is random
//! (never the correct one for steps), so nothing a client receives while answering lets it
//! derive a key. Answers come back in screen ids and are turned into bank ids here, before
//! scoring and storing; an id the question does not show is refused.
//!
//! Every view, answer and feedback of practice and mock exams goes through [`Shown`].

use std::collections::BTreeMap;

use super::{Part, Question};
use shared::question::{
    Choice, DimensionView, Feedback, ItemType, PartFeedback, QuestionView, RefLink, Response,
    ResponseError, Score,
};

/// The screen id of the choice at `index` (0-based) from the top.
fn screen_id(index: usize) -> String {
    format!("c{}", index + 1)
}

/// A question with the presentation order of one set or attempt.
pub struct Shown<'q> {
    question: &'q Question,
    /// Options, steps or statements, top to bottom.
    parts: Vec<&'q Part>,
    /// Drill dimensions (name, label, options top to bottom).
    dimensions: Vec<(&'q str, &'q str, Vec<&'q Part>)>,
}

impl Question {
    /// The question as shown with this presentation order (ids not in `order` keep their
    /// written order after the others; yes/no statements always keep theirs: they build on
    /// each other).
    pub fn shown(&self, order: &[String]) -> Shown<'_> {
        let rank = |unit: &str| order.iter().position(|o| o == unit).unwrap_or(usize::MAX);
        let mut parts: Vec<&Part> = self.parts.iter().collect();
        if self.def.item_type != ItemType::Yesno {
            parts.sort_by_key(|p| rank(&p.id));
        }
        let dimensions = self
            .dimensions
            .iter()
            .map(|(name, label, options)| {
                let mut options: Vec<&Part> = options.iter().collect();
                options.sort_by_key(|p| rank(&format!("{name}:{}", p.id)));
                (name.as_str(), label.as_str(), options)
            })
            .collect();
        Shown {
            question: self,
            parts,
            dimensions,
        }
    }
}

impl Shown<'_> {
    /// What the learner may see while answering: no key, no explanation, screen ids only.
    /// `handle` is what the question is called in this set or attempt (a mock exam uses a
    /// per-attempt handle, never the bank id).
    pub fn view(&self, version: i32, handle: String) -> QuestionView {
        let q = self.question;
        // Element ids inside the rendered HTML (headings, the diagram's) are made from the bank
        // id at load time; under another handle they are made from the handle instead.
        let rename = |html: &str| -> String {
            if handle == q.def.id {
                html.to_string()
            } else {
                html.replace(&format!("q-{}-", q.def.id), &format!("{handle}-"))
                    .replace(&format!("{}-", q.def.id), &format!("{handle}-"))
            }
        };
        let choices = |parts: &[&Part]| -> Vec<Choice> {
            parts
                .iter()
                .enumerate()
                .map(|(index, part)| Choice {
                    id: screen_id(index),
                    html: rename(&part.html),
                })
                .collect()
        };
        QuestionView {
            version,
            item_type: q.def.item_type,
            domain: q.def.domain.clone(),
            difficulty: q.def.difficulty,
            stem_html: rename(&q.stem_html),
            case: q.case.clone(),
            diagram_html: q.diagram_html.as_deref().map(rename),
            choose: q.def.choose,
            choices: choices(&self.parts),
            dimensions: self
                .dimensions
                .iter()
                .map(|(name, label, options)| DimensionView {
                    name: (*name).to_string(),
                    label: (*label).to_string(),
                    options: choices(options),
                })
                .collect(),
            id: handle,
        }
    }

    fn bank_part(&self, screen: &str) -> Option<&str> {
        let index = screen
            .strip_prefix('c')?
            .parse::<usize>()
            .ok()?
            .checked_sub(1)?;
        self.parts.get(index).map(|p| p.id.as_str())
    }

    fn bank_option(&self, dimension: &str, screen: &str) -> Option<&str> {
        let index = screen
            .strip_prefix('c')?
            .parse::<usize>()
            .ok()?
            .checked_sub(1)?;
        let (_, _, options) = self
            .dimensions
            .iter()
            .find(|(name, ..)| *name == dimension)?;
        options.get(index).map(|p| p.id.as_str())
    }

    fn screen_part(&self, bank: &str) -> Option<String> {
        self.parts.iter().position(|p| p.id == bank).map(screen_id)
    }

    fn screen_option(&self, dimension: &str, bank: &str) -> Option<String> {
        let (_, _, options) = self
            .dimensions
            .iter()
            .find(|(name, ..)| *name == dimension)?;
        options.iter().position(|p| p.id == bank).map(screen_id)
    }

    /// An answer in screen ids as the bank's ids. An id the question does not show, more
    /// entries than it has choices, or the wrong kind of answer is refused.
    pub fn to_bank(&self, response: &Response) -> Result<Response, ResponseError> {
        let too_many = match response {
            Response::Choices(ids) | Response::Order(ids) => ids.len() > self.parts.len(),
            Response::YesNo(map) => map.len() > self.parts.len(),
            Response::Drill(map) => map.len() > self.dimensions.len(),
        };
        if too_many {
            return Err(ResponseError::UnknownChoice);
        }
        let part = |id: &String| {
            self.bank_part(id)
                .map(str::to_string)
                .ok_or(ResponseError::UnknownChoice)
        };
        Ok(match response {
            Response::Choices(ids) => {
                Response::Choices(ids.iter().map(part).collect::<Result<_, _>>()?)
            }
            Response::Order(ids) => {
                Response::Order(ids.iter().map(part).collect::<Result<_, _>>()?)
            }
            Response::YesNo(map) => Response::YesNo(
                map.iter()
                    .map(|(id, yes)| Ok((part(id)?, *yes)))
                    .collect::<Result<BTreeMap<_, _>, ResponseError>>()?,
            ),
            Response::Drill(map) => Response::Drill(
                map.iter()
                    .map(|(dimension, id)| {
                        self.bank_option(dimension, id)
                            .map(|bank| (dimension.clone(), bank.to_string()))
                            .ok_or(ResponseError::UnknownChoice)
                    })
                    .collect::<Result<BTreeMap<_, _>, _>>()?,
            ),
        })
    }

    /// A stored answer (bank ids) in screen ids, to show it again (ids the question no longer
    /// has are dropped).
    pub fn to_screen(&self, response: &Response) -> Response {
        match response {
            Response::Choices(ids) => {
                Response::Choices(ids.iter().filter_map(|id| self.screen_part(id)).collect())
            }
            Response::Order(ids) => {
                Response::Order(ids.iter().filter_map(|id| self.screen_part(id)).collect())
            }
            Response::YesNo(map) => Response::YesNo(
                map.iter()
                    .filter_map(|(id, yes)| Some((self.screen_part(id)?, *yes)))
                    .collect(),
            ),
            Response::Drill(map) => Response::Drill(
                map.iter()
                    .filter_map(|(dimension, id)| {
                        Some((dimension.clone(), self.screen_option(dimension, id)?))
                    })
                    .collect(),
            ),
        }
    }

    /// Feedback on a scored answer (bank ids): every part with its explanation, in screen ids.
    /// Options keep the order the learner saw; steps are listed in the correct order (that is
    /// the feedback); statements in their written order.
    pub fn feedback(&self, response: &Response, score: &Score, mut refs: Vec<RefLink>) -> Feedback {
        let q = self.question;
        // The question's own sources follow the reference links.
        refs.extend(q.def.sources.iter().map(|url| {
            let link = crate::source_link(url);
            RefLink {
                title: link.title,
                url: link.url,
            }
        }));
        let screen = |id: &str| self.screen_part(id).unwrap_or_default();
        let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_string();
        let mut parts = Vec::new();
        match response {
            Response::Choices(chosen) => {
                for part in &self.parts {
                    let picked = chosen.contains(&part.id);
                    parts.push(PartFeedback {
                        group: String::new(),
                        id: screen(&part.id),
                        html: part.html.clone(),
                        correct: part.correct,
                        chosen: picked.then(|| "Selected".to_string()),
                        expected: None,
                        right: picked == part.correct,
                        why_html: part.why_html.clone(),
                    });
                }
            }
            Response::Order(given) => {
                for (index, part) in q.parts.iter().enumerate() {
                    let at = given.iter().position(|g| g == &part.id);
                    parts.push(PartFeedback {
                        group: String::new(),
                        id: screen(&part.id),
                        html: part.html.clone(),
                        correct: true,
                        chosen: at.map(|i| format!("You put it at step {}", i + 1)),
                        expected: Some(format!("Step {}", index + 1)),
                        right: at == Some(index),
                        why_html: part.why_html.clone(),
                    });
                }
            }
            Response::YesNo(given) => {
                for part in &self.parts {
                    let answer = given.get(&part.id).copied();
                    parts.push(PartFeedback {
                        group: String::new(),
                        id: screen(&part.id),
                        html: part.html.clone(),
                        correct: part.correct,
                        chosen: answer.map(yes_no),
                        expected: Some(yes_no(part.correct)),
                        right: answer == Some(part.correct),
                        why_html: part.why_html.clone(),
                    });
                }
            }
            Response::Drill(given) => {
                for (name, label, options) in &self.dimensions {
                    for part in options {
                        let picked = given.get(*name) == Some(&part.id);
                        parts.push(PartFeedback {
                            group: (*label).to_string(),
                            id: format!(
                                "{name}:{}",
                                self.screen_option(name, &part.id).unwrap_or_default()
                            ),
                            html: part.html.clone(),
                            correct: part.correct,
                            chosen: picked.then(|| "Selected".to_string()),
                            expected: None,
                            right: picked == part.correct,
                            why_html: part.why_html.clone(),
                        });
                    }
                }
            }
        }
        Feedback {
            question_id: q.def.id.clone(),
            correct: score.is_correct(),
            points: score.points,
            max: score.max,
            partial: score.partial,
            explanation_html: q.explanation_html.clone(),
            parts,
            refs,
        }
    }
}

/// A random presentation order of a question's options (steps never come already in order;
/// drill options are shuffled within each dimension).
pub fn presentation_order(q: &Question, rng: &mut fastrand::Rng) -> Vec<String> {
    let mut order = q.shuffle_units();
    if q.dimensions.is_empty() {
        shuffle_not_identity(&mut order, rng);
    } else {
        for dimension in &q.dimensions {
            let prefix = format!("{}:", dimension.0);
            let mut part: Vec<String> = order
                .iter()
                .filter(|u| u.starts_with(&prefix))
                .cloned()
                .collect();
            rng.shuffle(&mut part);
            order.retain(|u| !u.starts_with(&prefix));
            order.extend(part);
        }
    }
    order
}

fn shuffle_not_identity(order: &mut [String], rng: &mut fastrand::Rng) {
    let original = order.to_vec();
    for _ in 0..8 {
        rng.shuffle(order);
        if order.len() < 2 || order != original.as_slice() {
            return;
        }
    }
    order.rotate_left(1);
}
