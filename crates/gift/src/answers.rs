//! The inside of an answer block `{ ... }`: which kind of question it makes
//! and its answers.

use crate::escape;
use crate::source::Block;
use crate::span::Span;
use crate::{Answer, GiftError, Kind, numerical};

/// An answer introduced by `=` or `~`, without its marker.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Marked<'a> {
    pub marker: char,
    pub body: Span<'a>,
}

impl Marked<'_> {
    /// `=` gives full marks unless a `%weight%` says otherwise; `~` gives none.
    pub fn default_weight(self) -> f64 {
        if self.marker == '=' { 100.0 } else { 0.0 }
    }
}

/// The kind and the general feedback (`####`) of an answer block.
pub(crate) fn parse(block: &Block, inside: Span<'_>) -> Result<(Kind, Option<String>), GiftError> {
    let (body, general) = match inside.split_once("####") {
        Some((body, general)) => (body.trim(), general.unescaped_non_empty()),
        None => (inside.trim(), None),
    };
    let brace = inside.start.saturating_sub(1);
    let kind = if body.text.is_empty() {
        Kind::Essay
    } else if body.text.starts_with('#') {
        Kind::Numerical {
            answers: numerical::parse(block, body.slice(1..))?,
        }
    } else {
        choice(block, brace, body)?
    };
    Ok((kind, general))
}

/// Splits at each unescaped `=` and `~`: the text before the first one, then
/// the answers.
pub(crate) fn split_markers(span: Span<'_>) -> (Span<'_>, Vec<Marked<'_>>) {
    let starts: Vec<(usize, char)> = escape::unescaped_chars(span.text)
        .filter(|&(_, c)| c == '=' || c == '~')
        .collect();
    let first = starts.first().map_or(span.text.len(), |&(at, _)| at);
    let answers = starts
        .iter()
        .enumerate()
        .map(|(i, &(at, marker))| {
            let end = starts.get(i + 1).map_or(span.text.len(), |&(next, _)| next);
            Marked {
                marker,
                body: span.slice(at + 1..end),
            }
        })
        .collect();
    (span.slice(..first), answers)
}

/// An answer's text part and its `#feedback`.
pub(crate) fn split_feedback(span: Span<'_>) -> (Span<'_>, Option<String>) {
    match span.split_once("#") {
        Some((text, feedback)) => (text, feedback.unescaped_non_empty()),
        None => (span, None),
    }
}

/// A leading `%weight%`, or `default` when there is none. A `%` with no
/// closing `%` is plain text.
pub(crate) fn weight<'a>(
    block: &Block,
    span: Span<'a>,
    default: f64,
) -> Result<(f64, Span<'a>), GiftError> {
    let span = span.trim_start();
    let Some(close) = span.text.strip_prefix('%').and_then(|rest| rest.find('%')) else {
        return Ok((default, span));
    };
    let raw = &span.text[1..=close];
    let weight = raw
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|weight| weight.is_finite())
        .ok_or_else(|| block.error(span.start, format!("weight %{raw}% is not a number")))?;
    if !(-100.0..=100.0).contains(&weight) {
        return Err(block.error(span.start, format!("weight %{raw}% is outside -100..=100")));
    }
    Ok((weight, span.slice(close + 2..)))
}

/// `=`/`~` answers, or true/false when there are none.
fn choice(block: &Block, brace: usize, body: Span<'_>) -> Result<Kind, GiftError> {
    let (before, marked) = split_markers(body);
    if marked.is_empty() {
        return true_false(block, before);
    }
    if !before.is_blank() {
        return Err(block.error(
            before.start,
            format!(
                "unexpected '{}' before the first answer: answers start with '=' or '~'",
                before.text.trim()
            ),
        ));
    }
    let arrows: Vec<Option<usize>> = marked
        .iter()
        .map(|answer| split_feedback(answer.body).0.find("->"))
        .collect();
    if arrows.iter().any(Option::is_some) {
        return matching(block, brace, &marked, &arrows);
    }
    let answers = marked
        .iter()
        .map(|&answer| choice_answer(block, answer))
        .collect::<Result<Vec<_>, _>>()?;
    if !answers.iter().any(|answer| answer.weight > 0.0) {
        return Err(block.error(
            brace,
            "no right answer: mark one with '=' or give it a positive %weight%",
        ));
    }
    if marked.iter().any(|answer| answer.marker == '~') {
        Ok(Kind::MultipleChoice {
            answers,
            missing_word: false,
        })
    } else {
        Ok(Kind::ShortAnswer { answers })
    }
}

fn choice_answer(block: &Block, answer: Marked<'_>) -> Result<Answer, GiftError> {
    let (text, feedback) = split_feedback(answer.body);
    let (weight, text) = weight(block, text, answer.default_weight())?;
    let text = text.unescaped();
    if text.is_empty() {
        return Err(block.error(
            answer.body.start.saturating_sub(1),
            format!("empty answer after '{}'", answer.marker),
        ));
    }
    Ok(Answer {
        text,
        weight,
        feedback,
    })
}

fn true_false(block: &Block, body: Span<'_>) -> Result<Kind, GiftError> {
    let (word, feedback) = match body.split_once("#") {
        Some((word, feedback)) => (word.trim(), Some(feedback)),
        None => (body.trim(), None),
    };
    let answer = match word.text.to_ascii_uppercase().as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => {
            return Err(block.error(
                word.start,
                format!(
                    "unrecognised answers '{}': expected '=' or '~' answers, '#' for a number, T/TRUE/F/FALSE, or nothing for an essay",
                    word.text
                ),
            ));
        }
    };
    let (feedback_wrong, feedback_right) = match feedback.map(split_feedback) {
        Some((wrong, right)) => (wrong.unescaped_non_empty(), right),
        None => (None, None),
    };
    Ok(Kind::TrueFalse {
        answer,
        feedback_wrong,
        feedback_right,
    })
}

fn matching(
    block: &Block,
    brace: usize,
    marked: &[Marked<'_>],
    arrows: &[Option<usize>],
) -> Result<Kind, GiftError> {
    let mut pairs = Vec::with_capacity(marked.len());
    for (answer, arrow) in marked.iter().zip(arrows) {
        let Some(arrow) = arrow.filter(|_| answer.marker == '=') else {
            return Err(block.error(
                answer.body.start.saturating_sub(1),
                "'->' mixed into non-matching answers: every answer of a matching question is '=left -> right'",
            ));
        };
        if let Some(hash) = answer.body.find("#") {
            return Err(block.error(
                answer.body.start + hash,
                "matching pairs take no '#feedback' (escape a literal # as \\#)",
            ));
        }
        let right = answer.body.slice(arrow + 2..);
        if right.is_blank() {
            return Err(block.error(answer.body.start, "matching pair with nothing after '->'"));
        }
        pairs.push((answer.body.slice(..arrow).unescaped(), right.unescaped()));
    }
    if pairs.len() < 2 {
        return Err(block.error(brace, "matching needs at least 2 '=left -> right' pairs"));
    }
    Ok(Kind::Matching { pairs })
}
