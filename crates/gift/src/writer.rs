//! Writing questions as GIFT text that [`crate::parse`] reads back unchanged.

use std::fmt::Write as _;

use crate::escape::escape;
use crate::question::BLANK;
use crate::{Answer, Kind, NumericalAnswer, Question, TextFormat};

/// Writes questions as GIFT, with a `$CATEGORY:` line whenever the category
/// changes. `parse(&write(questions))` gives back the same questions (but for
/// `line`) as long as they are like the ones `parse` makes: see the crate
/// README for the few that are not (such as `->` inside a choice answer).
pub fn write(questions: &[Question]) -> String {
    let mut out = String::new();
    let mut category = None;
    for question in questions {
        if question.category.as_deref() != category {
            category = question.category.as_deref();
            // Newlines would end the category line early.
            let path = category.unwrap_or_default().replace(['\n', '\r'], " ");
            let _ = writeln!(
                out,
                "$CATEGORY:{}{path}\n",
                if path.is_empty() { "" } else { " " }
            );
        }
        write_question(&mut out, question);
        out.push_str("\n\n");
    }
    out
}

fn write_question(out: &mut String, question: &Question) {
    let title = non_empty(question.title.as_deref());
    if let Some(title) = title {
        let _ = write!(out, "::{}::", escape(title));
    }
    let text = &question.text;
    // A text could otherwise be taken for a format tag or, at the start of a
    // line, a comment; an empty description would otherwise vanish.
    let needs_tag = question.format != TextFormat::Moodle
        || text.starts_with(['[', '/'])
        || (text.is_empty() && question.kind == Kind::Description && title.is_none());
    if needs_tag {
        let _ = write!(out, "[{}]", question.format.tag());
    }
    let block = answer_block(&question.kind, question.general_feedback.as_deref());
    let missing_word = matches!(
        question.kind,
        Kind::MultipleChoice {
            missing_word: true,
            ..
        }
    );
    match (
        block,
        missing_word.then(|| text.split_once(BLANK)).flatten(),
    ) {
        (None, _) => out.push_str(&escape(text)),
        (Some(block), Some((before, after))) => {
            let _ = write!(out, "{}{block}{}", escape(before), escape(after));
        }
        (Some(block), None) if text.is_empty() => out.push_str(&block),
        (Some(block), None) => {
            let _ = write!(out, "{} {block}", escape(text));
        }
    }
}

/// `None` for a description, which has no block.
fn answer_block(kind: &Kind, general: Option<&str>) -> Option<String> {
    let mut block = match kind {
        Kind::Description => return None,
        Kind::Essay => "{".to_owned(),
        Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => true_false(
            *answer,
            feedback_wrong.as_deref(),
            feedback_right.as_deref(),
        ),
        Kind::MultipleChoice { answers, .. } => {
            // Without a '~' the answers would read back as short answers.
            let all_right = answers.iter().all(|answer| answer.weight == 100.0);
            choices(answers, |answer| {
                if answer.weight == 100.0 && !all_right {
                    ('=', 100.0)
                } else {
                    ('~', 0.0)
                }
            })
        }
        Kind::ShortAnswer { answers } => choices(answers, |_| ('=', 100.0)),
        Kind::Matching { pairs } => matching(pairs),
        Kind::Numerical { answers } => numerical(answers),
    };
    let multi_line = block.contains('\n');
    if let Some(general) = general.filter(|general| !general.is_empty()) {
        let separator = if multi_line { "\n" } else { "" };
        let _ = write!(block, "{separator}####{}", escape(general));
    }
    block.push_str(if multi_line { "\n}" } else { "}" });
    Some(block)
}

fn true_false(answer: bool, wrong: Option<&str>, right: Option<&str>) -> String {
    let mut block = format!("{{{}", if answer { "TRUE" } else { "FALSE" });
    let (wrong, right) = (non_empty(wrong), non_empty(right));
    if wrong.is_some() || right.is_some() {
        let _ = write!(block, "#{}", escape(wrong.unwrap_or_default()));
    }
    if let Some(right) = right {
        let _ = write!(block, "#{}", escape(right));
    }
    block
}

/// `marker` gives each answer's marker and the weight that marker implies.
fn choices(answers: &[Answer], marker: impl Fn(&Answer) -> (char, f64)) -> String {
    let mut block = "{".to_owned();
    for answer in answers {
        let (marker, implied) = marker(answer);
        let _ = write!(block, "\n{marker}");
        // A text starting with '%' needs an explicit weight before it.
        if answer.weight != implied || answer.text.starts_with('%') {
            let _ = write!(block, "%{}%", answer.weight);
        }
        block.push_str(&escape(&answer.text));
        push_feedback(&mut block, answer.feedback.as_deref());
    }
    block
}

fn matching(pairs: &[(String, String)]) -> String {
    let mut block = "{".to_owned();
    for (left, right) in pairs {
        let _ = write!(block, "\n={} -> {}", escape(left), escape(right));
    }
    block
}

fn numerical(answers: &[NumericalAnswer]) -> String {
    let mut block = "{#".to_owned();
    if let [answer] = answers
        && answer.weight == 100.0
    {
        let _ = write!(block, "{}:{}", answer.value, answer.tolerance);
        push_feedback(&mut block, answer.feedback.as_deref());
        return block;
    }
    for answer in answers {
        block.push_str("\n=");
        if answer.weight != 100.0 {
            let _ = write!(block, "%{}%", answer.weight);
        }
        let _ = write!(block, "{}:{}", answer.value, answer.tolerance);
        push_feedback(&mut block, answer.feedback.as_deref());
    }
    block
}

fn push_feedback(block: &mut String, feedback: Option<&str>) {
    if let Some(feedback) = non_empty(feedback) {
        let _ = write!(block, " #{}", escape(feedback));
    }
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.is_empty())
}
