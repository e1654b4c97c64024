//! Property: random well-formed questions of every kind survive `write` then
//! `parse`.

mod common;

use gift::{Answer, Kind, NumericalAnswer, Question, TextFormat};
use proptest::prelude::*;
use proptest::sample::select;

const SOLID: &[char] = &[
    'a', 'b', 'Z', '0', '7', '~', '=', '#', '{', '}', ':', '\\', '%', '[', ']', '/', '_', '.', '-',
    '>', '$', 'n', 'é',
];
const ALPHABET: &[char] = &[
    'a', 'b', 'Z', '0', '7', ' ', ' ', '\n', '~', '=', '#', '{', '}', ':', '\\', '%', '[', ']',
    '/', '_', '.', '-', '>', '$', 'n', 'é',
];

/// A non-empty text with nothing to trim at its ends.
fn text() -> impl Strategy<Value = String> {
    let inner = prop::collection::vec(select(ALPHABET), 0..12);
    prop_oneof![
        1 => select(SOLID).prop_map(String::from),
        4 => (select(SOLID), inner, select(SOLID)).prop_map(|(first, inner, last)| {
            std::iter::once(first).chain(inner).chain(std::iter::once(last)).collect()
        }),
    ]
}

/// `->` would make a choice answer or a matching left side a matching pair.
fn arrowless_text() -> impl Strategy<Value = String> {
    text().prop_filter("no arrow", |text| !text.contains("->"))
}

fn weight() -> impl Strategy<Value = f64> {
    select(&[100.0, 50.0, 33.5, 12.25, 0.0, -0.5, -50.0, -100.0][..])
}

fn answers() -> impl Strategy<Value = Vec<Answer>> {
    let answer = (arrowless_text(), weight(), prop::option::of(text())).prop_map(
        |(text, weight, feedback)| Answer {
            text,
            weight,
            feedback,
        },
    );
    prop::collection::vec(answer, 1..5).prop_map(|mut answers| {
        if !answers.iter().any(|answer| answer.weight > 0.0) {
            answers[0].weight = 100.0;
        }
        answers
    })
}

fn multiple_choice() -> impl Strategy<Value = (String, Kind)> {
    (
        answers(),
        text(),
        prop::option::of((prop::option::of(text()), text())),
    )
        .prop_map(|(answers, text, blank)| match blank {
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
                text,
                Kind::MultipleChoice {
                    answers,
                    missing_word: false,
                },
            ),
        })
}

fn true_false() -> impl Strategy<Value = Kind> {
    (
        any::<bool>(),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(answer, feedback_wrong, feedback_right)| Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        })
}

fn matching() -> impl Strategy<Value = Kind> {
    let left = prop_oneof![1 => Just(String::new()), 4 => arrowless_text()];
    prop::collection::vec((left, text()), 2..5).prop_map(|pairs| Kind::Matching { pairs })
}

fn numerical() -> impl Strategy<Value = Kind> {
    let answer = (
        -1e9..1e9f64,
        0.0..1e3f64,
        weight(),
        prop::option::of(text()),
    )
        .prop_map(|(value, tolerance, weight, feedback)| NumericalAnswer {
            value,
            tolerance,
            weight,
            feedback,
        });
    prop::collection::vec(answer, 1..4).prop_map(|answers| Kind::Numerical { answers })
}

fn short_answer() -> impl Strategy<Value = Kind> {
    answers().prop_map(|answers| Kind::ShortAnswer { answers })
}

fn text_and_kind() -> impl Strategy<Value = (String, Kind)> {
    prop_oneof![
        3 => multiple_choice(),
        2 => (text(), true_false()),
        2 => (text(), matching()),
        1 => (text(), short_answer()),
        1 => (text(), numerical()),
        1 => (text(), Just(Kind::Essay)),
    ]
}

fn category() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        select(&["top", "top/MLOps", "top/MLOps/Week 1", "x y"][..]).prop_map(str::to_owned),
    )
}

fn question() -> impl Strategy<Value = Question> {
    let format = select(
        &[
            TextFormat::Moodle,
            TextFormat::Html,
            TextFormat::Markdown,
            TextFormat::Plain,
        ][..],
    );
    (
        prop::option::of(text()),
        category(),
        format,
        text_and_kind(),
        prop::option::of(text()),
    )
        .prop_map(
            |(title, category, format, (text, kind), general_feedback)| Question {
                line: 0,
                title,
                category,
                format,
                text,
                kind,
                general_feedback,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn well_formed_questions_round_trip(questions in prop::collection::vec(question(), 1..6)) {
        common::assert_round_trip(&questions);
    }
}
