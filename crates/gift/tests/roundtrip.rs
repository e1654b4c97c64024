//! `parse(&write(questions))` gives back the questions, including texts that
//! look like GIFT syntax.

mod common;

use common::*;
use gift::{Kind, Question, TextFormat};

fn every_kind() -> Vec<Question> {
    vec![
        question(
            0,
            Some("MC"),
            "Pick one",
            choice(vec![right("a"), wrong("b")]),
        ),
        question(
            0,
            None,
            "Weighted",
            choice(vec![
                answer("half", 50.0, Some("half right")),
                answer("other half", 50.0, None),
                answer("bad", -100.0, Some("no")),
                answer("third", 33.333_333, None),
            ]),
        ),
        question(0, None, "All right", choice(vec![right("a"), right("b")])),
        question(
            0,
            None,
            "Mice eat _____ daily.",
            missing_word(vec![right("cheese"), wrong("bread")]),
        ),
        question(
            0,
            None,
            "_____ first",
            missing_word(vec![right("x"), wrong("y")]),
        ),
        question(0, None, "True?", true_false(true, None, None)),
        question(
            0,
            None,
            "False?",
            true_false(false, Some("wrong fb"), Some("right fb")),
        ),
        question(
            0,
            None,
            "Right only",
            true_false(false, None, Some("right fb")),
        ),
        question(
            0,
            None,
            "Type",
            short(vec![right("one"), answer("two", 25.0, Some("meh"))]),
        ),
        question(
            0,
            None,
            "Match",
            matching(&[("a", "1"), ("b", "2 -> 3"), ("", "spare")]),
        ),
        question(
            0,
            None,
            "Number",
            numerical(vec![
                number(1.25, 0.01, 100.0, Some("five quarters")),
                number(-1e-9, 0.0, 50.0, None),
                number(1e300, 1e299, -10.0, None),
            ]),
        ),
        question(
            0,
            None,
            "One number",
            numerical(vec![number(42.0, 0.5, 100.0, Some("yes"))]),
        ),
        question(0, None, "Essay", Kind::Essay),
        with_general(question(0, None, "Essay too", Kind::Essay), "general"),
        question(0, Some("Intro"), "Just text", Kind::Description),
        question(0, None, "", Kind::Description),
        question(0, Some("Only a title"), "", Kind::Description),
        question(0, None, "", choice(vec![right("no text"), wrong("at all")])),
    ]
}

#[test]
fn every_kind_round_trips() {
    assert_round_trip(&every_kind());
}

#[test]
fn formats_categories_titles_and_general_feedback_round_trip() {
    let formats = [
        TextFormat::Moodle,
        TextFormat::Html,
        TextFormat::Markdown,
        TextFormat::Plain,
    ];
    let categories = [None, Some("top/a"), Some("top/a"), Some("top/b b"), None];
    let questions: Vec<Question> = every_kind()
        .into_iter()
        .enumerate()
        .map(|(i, mut question)| {
            question.format = formats[i % formats.len()];
            question.category = categories[i % categories.len()].map(str::to_owned);
            if question.kind != Kind::Description {
                question.general_feedback = Some(format!("general {i}"));
            }
            question
        })
        .collect();
    assert_round_trip(&questions);
}

#[test]
fn texts_that_look_like_syntax_round_trip() {
    let tricky = [
        "[html] is not a tag here",
        "// not a comment",
        "$CATEGORY: not a category",
        "::not a title::",
        "braces {} and \\{ escapes \\",
        "ends with a backslash \\",
        "\\-> is not an arrow",
        "line\nbreaks\n",
        "\\n is two characters",
        "hash # tilde ~ equals = colon :",
        "%50% looks like a weight",
        "####",
        "_____ but not missing word",
    ];
    let mut questions = Vec::new();
    for text in tricky {
        questions.push(question(0, Some(text), text, Kind::Description));
        questions.push(question(
            0,
            None,
            text,
            choice(vec![
                answer(text, 100.0, Some(text)),
                answer(&format!("x{text}"), 0.0, None),
            ]),
        ));
        questions.push(question(
            0,
            None,
            text,
            true_false(true, Some(text), Some(text)),
        ));
        questions.push(question(
            0,
            None,
            text,
            matching(&[(text, text), ("b", text)]),
        ));
        questions.push(with_general(question(0, None, text, Kind::Essay), text));
    }
    assert_round_trip(&questions);
}

#[test]
fn written_form_is_plain_gift() {
    let questions = vec![
        in_category(
            question(
                0,
                Some("Q"),
                "Mice eat _____ daily.",
                missing_word(vec![
                    answer("cheese", 100.0, Some("Yes")),
                    answer("bread", 0.0, None),
                ]),
            ),
            "top/x",
        ),
        with_format(
            question(0, None, "Sky blue?", true_false(true, None, None)),
            TextFormat::Html,
        ),
    ];
    assert_eq!(
        gift::write(&questions),
        "$CATEGORY: top/x\n\n::Q::Mice eat {\n=cheese #Yes\n~bread\n} daily.\n\n$CATEGORY:\n\n[html]Sky blue? {TRUE}\n\n"
    );
}
