//! One question block: `::title::`, `[format]`, text and the answer block.

use crate::source::Block;
use crate::span::Span;
use crate::{GiftError, Kind, Question, TextFormat, answers};

/// Marks where the answer block was when text follows it.
pub(crate) const BLANK: &str = "_____";

/// The text around an answer block and the block's inside.
struct Parts<'a> {
    before: Span<'a>,
    inside: Span<'a>,
    after: Span<'a>,
}

pub(crate) fn parse(block: &Block, category: Option<String>) -> Result<Question, GiftError> {
    let (title, rest) = title(block, block.span())?;
    let (format, body) = format(block, rest)?;
    let mut question = Question {
        line: block.first_line(),
        title,
        category,
        format,
        text: String::new(),
        kind: Kind::Description,
        general_feedback: None,
    };
    let Some(parts) = answer_block(block, body)? else {
        question.text = body.unescaped();
        return Ok(question);
    };
    let (mut kind, general_feedback) = answers::parse(block, parts.inside)?;
    question.general_feedback = general_feedback;
    question.text = if parts.after.is_blank() {
        parts.before.unescaped()
    } else {
        if let Kind::MultipleChoice { missing_word, .. } = &mut kind {
            *missing_word = true;
        }
        let joined = format!("{}{BLANK}{}", parts.before.text, parts.after.text);
        crate::escape::unescape(joined.trim())
    };
    question.kind = kind;
    Ok(question)
}

fn title<'a>(block: &Block, span: Span<'a>) -> Result<(Option<String>, Span<'a>), GiftError> {
    let span = span.trim_start();
    if !span.text.starts_with("::") {
        return Ok((None, span));
    }
    match span.slice(2..).split_once("::") {
        Some((title, rest)) => Ok((title.unescaped_non_empty(), rest)),
        None => Err(block.error(
            span.start,
            "unclosed ::title: expected a closing '::' after the title",
        )),
    }
}

/// A `[name]` of letters only is a format tag; anything else in brackets is
/// question text.
fn format<'a>(block: &Block, span: Span<'a>) -> Result<(TextFormat, Span<'a>), GiftError> {
    let span = span.trim_start();
    let Some(close) = span.text.strip_prefix('[').and_then(|rest| rest.find(']')) else {
        return Ok((TextFormat::Moodle, span));
    };
    let name = &span.text[1..=close];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok((TextFormat::Moodle, span));
    }
    match TextFormat::from_tag(name) {
        Some(format) => Ok((format, span.slice(close + 2..))),
        None => Err(block.error(
            span.start,
            format!(
                "unknown format tag [{name}]: expected [html], [markdown], [plain] or [moodle]"
            ),
        )),
    }
}

fn answer_block<'a>(block: &Block, body: Span<'a>) -> Result<Option<Parts<'a>>, GiftError> {
    let Some(open) = body.find("{") else {
        return match body.find("}") {
            Some(close) => Err(stray_close(block, body.start + close)),
            None => Ok(None),
        };
    };
    if let Some(close) = body.slice(..open).find("}") {
        return Err(stray_close(block, body.start + close));
    }
    let inside = body.slice(open + 1..);
    let close = match (inside.find("}"), inside.find("{")) {
        (Some(close), nested) if nested.is_none_or(|nested| nested > close) => close,
        _ => {
            return Err(block.error(
                body.start + open,
                "unclosed '{': the answer block has no closing '}'",
            ));
        }
    };
    let after = inside.slice(close + 1..);
    if let Some(second) = after.find("{") {
        return Err(block.error(
            after.start + second,
            "a second answer block: a question has only one (escape a literal brace as \\{)",
        ));
    }
    if let Some(stray) = after.find("}") {
        return Err(stray_close(block, after.start + stray));
    }
    Ok(Some(Parts {
        before: body.slice(..open),
        inside: inside.slice(..close),
        after,
    }))
}

fn stray_close(block: &Block, offset: usize) -> GiftError {
    block.error(
        offset,
        "'}' without an opening '{' (escape a literal brace as \\})",
    )
}
