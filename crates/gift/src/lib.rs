//! Moodle's GIFT quiz format: [`parse`] text into [`Question`]s and [`write()`]
//! questions back as GIFT text.
//!
//! ```
//! let parsed = gift::parse(
//!     "$CATEGORY: top/MLOps\n\n::Q1::Mice eat {=cheese#Yes! ~bread} daily.\n\nBroken {=a",
//! );
//! assert_eq!(parsed.questions.len(), 1);
//! let q = &parsed.questions[0];
//! assert_eq!(q.title.as_deref(), Some("Q1"));
//! assert_eq!(q.category.as_deref(), Some("top/MLOps"));
//! assert_eq!(q.text, "Mice eat _____ daily.");
//! assert_eq!(parsed.errors[0].line, 5);
//!
//! let again = gift::parse(&gift::write(&parsed.questions));
//! assert_eq!(again.questions[0].kind, q.kind);
//! ```
//!
//! Parsing never panics and never gives up: each question that can't be read
//! becomes one [`GiftError`] with the line where its problem starts, and the
//! questions around it are still returned.
//!
//! Texts are trimmed and have their escapes (`\~ \= \# \{ \} \: \\ \n`)
//! resolved; an unknown escape such as `\x` is kept as written, as Moodle does.
//! An empty feedback, general feedback or title (`#` followed by nothing) is
//! read as `None`.

mod answers;
mod escape;
mod numerical;
mod question;
mod source;
mod span;
mod writer;

use std::fmt;

pub use writer::write;

/// The result of [`parse`]: the questions that could be read and one error per
/// question that could not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// Good questions, in file order.
    pub questions: Vec<Question>,
    /// One error per rejected question, in file order.
    pub errors: Vec<GiftError>,
}

/// Why a question was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftError {
    /// 1-based line where the problem starts.
    pub line: usize,
    /// What is wrong, in words meant for the author of the file.
    pub message: String,
}

impl fmt::Display for GiftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for GiftError {}

/// One GIFT question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// 1-based line where the question starts (ignored by [`write()`]).
    pub line: usize,
    /// From `::title::`.
    pub title: Option<String>,
    /// The most recent `$CATEGORY:` path before the question, e.g. `top/MLOps/Week 1`.
    pub category: Option<String>,
    /// From a `[html]`, `[markdown]`, `[plain]` or `[moodle]` prefix of the text.
    pub format: TextFormat,
    /// Question text, escapes resolved. When text follows the answer block, the
    /// block's place is marked by `_____`.
    pub text: String,
    /// What kind of question, with its answers.
    pub kind: Kind,
    /// From `####` inside the answer block.
    pub general_feedback: Option<String>,
}

/// Markup of the question text, from its `[tag]` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TextFormat {
    /// `[moodle]`, or no tag.
    #[default]
    Moodle,
    /// `[html]`.
    Html,
    /// `[markdown]`.
    Markdown,
    /// `[plain]`.
    Plain,
}

impl TextFormat {
    /// The name used inside the tag, e.g. `"html"` for `[html]`.
    pub fn tag(self) -> &'static str {
        match self {
            TextFormat::Moodle => "moodle",
            TextFormat::Html => "html",
            TextFormat::Markdown => "markdown",
            TextFormat::Plain => "plain",
        }
    }

    /// The format for a tag name, case-insensitively; `None` for unknown names.
    pub fn from_tag(name: &str) -> Option<Self> {
        [Self::Moodle, Self::Html, Self::Markdown, Self::Plain]
            .into_iter()
            .find(|format| format.tag().eq_ignore_ascii_case(name))
    }
}

/// The kind of a question, with its answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Multiple choice. One right answer: one answer with weight 100 (written "=").
    /// Several right answers: "~%50%..." style weights; right answers have weight > 0.
    MultipleChoice {
        /// In file order.
        answers: Vec<Answer>,
        /// Text followed the answer block, so the text has a `_____` blank.
        missing_word: bool,
    },
    /// `{T}`, `{TRUE}`, `{F}` or `{FALSE}`, with `#feedback_wrong#feedback_right`.
    TrueFalse {
        /// The right answer.
        answer: bool,
        /// Shown when the student's answer is wrong (the first `#`).
        feedback_wrong: Option<String>,
        /// Shown when the student's answer is right (the second `#`).
        feedback_right: Option<String>,
    },
    /// Only `=` answers: any of them typed in is accepted, with its weight.
    ShortAnswer {
        /// In file order.
        answers: Vec<Answer>,
    },
    /// `=left -> right` pairs; an empty left side is an extra distractor.
    Matching {
        /// `(left, right)` in file order.
        pairs: Vec<(String, String)>,
    },
    /// `{#...}`.
    Numerical {
        /// In file order.
        answers: Vec<NumericalAnswer>,
    },
    /// `{}`: a free-text answer graded by hand.
    Essay,
    /// A text with no answer block.
    Description,
}

/// One answer of a multiple-choice or short-answer question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Answer text, escapes resolved.
    pub text: String,
    /// Percent of the mark, -100..=100; `=` is 100, a plain `~` is 0.
    pub weight: f64,
    /// From `#feedback` after the answer.
    pub feedback: Option<String>,
}

/// One accepted value of a numerical question: `#3.1:0.1`, `#1..5` (stored as
/// midpoint 3 and tolerance 2) or `=%50%3:1`.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericalAnswer {
    /// The expected value.
    pub value: f64,
    /// Accepted error either side of `value` (0 when not given).
    pub tolerance: f64,
    /// Percent of the mark, -100..=100.
    pub weight: f64,
    /// From `#feedback` after the answer.
    pub feedback: Option<String>,
}

/// Reads GIFT text. Never panics: questions that can't be read are reported
/// in [`Parsed::errors`] and skipped.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut category = None;
    for lines in source::blocks(text) {
        // A category line may share its block with a question; it applies to it too.
        let lines = match source::category(lines[0].text) {
            Some(path) => {
                category = path;
                &lines[1..]
            }
            None => &lines[..],
        };
        if lines.is_empty() {
            continue;
        }
        let block = source::Block::new(lines);
        match question::parse(&block, category.clone()) {
            Ok(question) => parsed.questions.push(question),
            Err(error) => parsed.errors.push(error),
        }
    }
    parsed
}
