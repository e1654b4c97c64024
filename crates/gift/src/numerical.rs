//! Numerical answer blocks, after their leading `#`: `3.14:0.01`, `1..5`, or
//! `=%100%3:0 =%50%3:1#feedback` answers.

use crate::answers::{split_feedback, split_markers, weight};
use crate::source::Block;
use crate::span::Span;
use crate::{GiftError, NumericalAnswer};

pub(crate) fn parse(block: &Block, span: Span<'_>) -> Result<Vec<NumericalAnswer>, GiftError> {
    let (before, marked) = split_markers(span);
    if marked.is_empty() {
        return Ok(vec![answer(block, before, 100.0)?]);
    }
    if !before.is_blank() {
        return Err(block.error(
            before.trim().start,
            format!(
                "malformed numerical answer '{}': with several answers, each starts with '='",
                before.text.trim()
            ),
        ));
    }
    marked
        .iter()
        .map(|marked| answer(block, marked.body, marked.default_weight()))
        .collect()
}

fn answer(block: &Block, span: Span<'_>, default: f64) -> Result<NumericalAnswer, GiftError> {
    let (text, feedback) = split_feedback(span);
    let (weight, text) = weight(block, text, default)?;
    let text = text.trim();
    let (value, tolerance) = value(text.text).ok_or_else(|| {
        block.error(
            text.start,
            format!(
                "malformed numerical answer '{}': expected value, value:tolerance or min..max",
                text.text
            ),
        )
    })?;
    Ok(NumericalAnswer {
        value,
        tolerance,
        weight,
        feedback,
    })
}

/// `(value, tolerance)` from `value`, `value:tolerance` or `min..max`.
fn value(raw: &str) -> Option<(f64, f64)> {
    let (value, tolerance) = if let Some((min, max)) = raw.split_once("..") {
        let (min, max) = (number(min)?, number(max)?);
        if min > max {
            return None;
        }
        (min.midpoint(max), max / 2.0 - min / 2.0)
    } else if let Some((value, tolerance)) = raw.split_once(':') {
        (number(value)?, number(tolerance)?)
    } else {
        (number(raw)?, 0.0)
    };
    (tolerance >= 0.0).then_some((value, tolerance))
}

fn number(raw: &str) -> Option<f64> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}
