//! Well-formed questions of every kind, built from the fuzzer's bytes, survive `write` then
//! `parse` (the property of crates/gift/tests/props_round_trip.rs, with the same alphabets and
//! the same shape rules, steered by coverage instead of chosen at random).

#![no_main]

use gift::{Answer, Kind, NumericalAnswer, Question, TextFormat};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const SOLID: &[char] = &[
    'a', 'b', 'Z', '0', '7', '~', '=', '#', '{', '}', ':', '\\', '%', '[', ']', '/', '_', '.', '-',
    '>', '$', 'n', 'é',
];
const ALPHABET: &[char] = &[
    'a', 'b', 'Z', '0', '7', ' ', ' ', '\n', '~', '=', '#', '{', '}', ':', '\\', '%', '[', ']',
    '/', '_', '.', '-', '>', '$', 'n', 'é',
];
const WEIGHTS: &[f64] = &[100.0, 50.0, 33.5, 12.25, 0.0, -0.5, -50.0, -100.0];
const CATEGORIES: &[&str] = &["top", "top/MLOps", "top/MLOps/Week 1", "x y"];
const FORMATS: &[TextFormat] = &[
    TextFormat::Moodle,
    TextFormat::Html,
    TextFormat::Markdown,
    TextFormat::Plain,
];

/// A non-empty text with nothing to trim at its ends.
fn text(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 5)? {
        return Ok(u.choose(SOLID)?.to_string());
    }
    let mut out = String::from(*u.choose(SOLID)?);
    for _ in 0..u.int_in_range(0..=11)? {
        out.push(*u.choose(ALPHABET)?);
    }
    out.push(*u.choose(SOLID)?);
    Ok(out)
}

/// `->` would make a choice answer or a matching left side a matching pair.
fn arrowless_text(u: &mut Unstructured) -> Result<String> {
    let text = text(u)?;
    Ok(if text.contains("->") {
        text.replace("->", "-a")
    } else {
        text
    })
}

fn option<T>(
    u: &mut Unstructured,
    f: impl FnOnce(&mut Unstructured) -> Result<T>,
) -> Result<Option<T>> {
    Ok(if u.arbitrary()? { Some(f(u)?) } else { None })
}

fn weight(u: &mut Unstructured) -> Result<f64> {
    Ok(*u.choose(WEIGHTS)?)
}

fn answers(u: &mut Unstructured) -> Result<Vec<Answer>> {
    let mut answers = Vec::new();
    for _ in 0..u.int_in_range(1..=4)? {
        answers.push(Answer {
            text: arrowless_text(u)?,
            weight: weight(u)?,
            feedback: option(u, text)?,
        });
    }
    if !answers.iter().any(|answer| answer.weight > 0.0) {
        answers[0].weight = 100.0;
    }
    Ok(answers)
}

fn text_and_kind(u: &mut Unstructured) -> Result<(String, Kind)> {
    Ok(match u.int_in_range(0..=9)? {
        0..=2 => {
            let answers = answers(u)?;
            match option(u, |u| Ok((option(u, text)?, text(u)?)))? {
                Some((before, after)) => (
                    format!(
                        "{}_____{after}",
                        before.map(|b| b + " ").unwrap_or_default()
                    ),
                    Kind::MultipleChoice {
                        answers,
                        missing_word: true,
                    },
                ),
                None => (
                    text(u)?,
                    Kind::MultipleChoice {
                        answers,
                        missing_word: false,
                    },
                ),
            }
        }
        3..=4 => (
            text(u)?,
            Kind::TrueFalse {
                answer: u.arbitrary()?,
                feedback_wrong: option(u, text)?,
                feedback_right: option(u, text)?,
            },
        ),
        5..=6 => {
            let mut pairs = Vec::new();
            for _ in 0..u.int_in_range(2..=4)? {
                let left = if u.ratio(1, 5)? {
                    String::new()
                } else {
                    arrowless_text(u)?
                };
                pairs.push((left, text(u)?));
            }
            (text(u)?, Kind::Matching { pairs })
        }
        7 => (
            text(u)?,
            Kind::ShortAnswer {
                answers: answers(u)?,
            },
        ),
        8 => {
            let mut answers = Vec::new();
            for _ in 0..u.int_in_range(1..=3)? {
                // The ranges of the proptest: -1e9..1e9 and 0..1e3, any value in between.
                let value = -1e9 + 2e9 * f64::from(u.arbitrary::<u32>()?) / f64::from(u32::MAX);
                let tolerance = 1e3 * f64::from(u.arbitrary::<u32>()?) / f64::from(u32::MAX);
                answers.push(NumericalAnswer {
                    value: value.clamp(-1e9, 1e9 - 1.0),
                    tolerance: tolerance.min(1e3 - 1e-3),
                    weight: weight(u)?,
                    feedback: option(u, text)?,
                });
            }
            (text(u)?, Kind::Numerical { answers })
        }
        _ => (text(u)?, Kind::Essay),
    })
}

fn question(u: &mut Unstructured) -> Result<Question> {
    let title = option(u, text)?;
    let category = option(u, |u| Ok(u.choose(CATEGORIES)?.to_string()))?;
    let format = *u.choose(FORMATS)?;
    let (text, kind) = text_and_kind(u)?;
    let general_feedback = option(u, text_fn)?;
    Ok(Question {
        line: 0,
        title,
        category,
        format,
        text,
        kind,
        general_feedback,
    })
}

fn text_fn(u: &mut Unstructured) -> Result<String> {
    text(u)
}

fn questions(u: &mut Unstructured) -> Result<Vec<Question>> {
    let mut questions = vec![question(u)?];
    for _ in 0..u.int_in_range(0..=4)? {
        questions.push(question(u)?);
    }
    Ok(questions)
}

fuzz_target!(|data: &[u8]| {
    let Ok(questions) = questions(&mut Unstructured::new(data)) else {
        return;
    };
    let written = gift::write(&questions);
    let parsed = gift::parse(&written);
    assert_eq!(parsed.errors, vec![], "errors reading back:\n{written}");
    let without_lines: Vec<Question> = parsed
        .questions
        .iter()
        .cloned()
        .map(|question| Question {
            line: 0,
            ..question
        })
        .collect();
    assert_eq!(
        without_lines, questions,
        "round trip changed the questions; written:\n{written}"
    );
});
