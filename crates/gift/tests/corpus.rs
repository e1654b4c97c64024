//! The corpus file read question by question.

mod common;

use common::*;
use gift::{Question, TextFormat};

const CORPUS: &str = include_str!("corpus.gift");
const WEEK_1: &str = "top/MLOps/Week 1";
const WEEK_2: &str = "top/MLOps/Week 2";

fn week_1() -> Vec<Question> {
    let q = |line, title, text, kind| in_category(question(line, title, text, kind), WEEK_1);
    vec![
        q(
            7,
            Some("Q01 Capital"),
            "What is the capital of France?",
            choice(vec![
                answer("Paris", 100.0, Some("Right, Paris.")),
                answer("London", 0.0, Some("No, London is in England.")),
                wrong("Berlin"),
            ]),
        ),
        q(
            14,
            Some("Q02 Sky"),
            "The sky is blue on a clear day.",
            true_false(true, None, None),
        ),
        q(
            17,
            Some("Q03"),
            "The sun is cold.",
            true_false(
                false,
                Some("It is hot, actually."),
                Some("Right, it is not cold."),
            ),
        ),
        q(
            20,
            None,
            "Python is a programming language.",
            true_false(true, None, None),
        ),
        q(
            23,
            None,
            "Two plus two is five.",
            true_false(false, Some("Count again."), None),
        ),
        q(
            26,
            Some("Q06 Weights"),
            "Which are prime numbers?",
            choice(vec![
                answer("2", 50.0, Some("Yes.")),
                answer("3", 50.0, Some("Yes.")),
                answer("4", -100.0, Some("No, 4 = 2 × 2.")),
                answer("1", -100.0, None),
            ]),
        ),
        q(
            34,
            None,
            "Who wrote \"Hamlet\"?",
            short(vec![
                right("Shakespeare"),
                right("William Shakespeare"),
                answer("Will", 50.0, None),
            ]),
        ),
        q(
            37,
            Some("Q08 Match"),
            "Match the tools to what they do.",
            matching(&[
                ("git", "version control"),
                ("docker", "containers"),
                ("make", "builds"),
            ]),
        ),
        q(
            44,
            None,
            "Pair the numbers.",
            matching(&[("one", "1"), ("two", "2")]),
        ),
        q(
            47,
            Some("Q10"),
            "What is 7 ÷ 4 in decimal?",
            numerical(vec![number(1.75, 0.01, 100.0, None)]),
        ),
        q(
            50,
            None,
            "Pick a whole number from 1 to 5.",
            numerical(vec![number(3.0, 2.0, 100.0, None)]),
        ),
        with_general(
            q(
                53,
                Some("Q12"),
                "When was Ulysses S. Grant born?",
                numerical(vec![
                    number(1822.0, 0.0, 100.0, Some("Exactly right!")),
                    number(1822.0, 2.0, 50.0, Some("Close.")),
                ]),
            ),
            "He was born on 27 April 1822.",
        ),
        q(
            60,
            Some("Q13 Essay"),
            "Describe your deployment pipeline.",
            gift::Kind::Essay,
        ),
        with_general(
            q(63, None, "Explain overfitting.", gift::Kind::Essay),
            "Mention training and test error.",
        ),
        q(
            66,
            Some("Q15 Intro"),
            "This section is about containers.\nRead it carefully.",
            gift::Kind::Description,
        ),
        q(
            70,
            None,
            "Mice eat _____ daily.",
            missing_word(vec![right("cheese"), wrong("bread"), wrong("grass")]),
        ),
        with_general(
            q(
                73,
                Some("Q17"),
                "Which one is a fruit?",
                choice(vec![right("Apple"), wrong("Carrot")]),
            ),
            "Apples grow on trees.",
        ),
    ]
}

fn week_2() -> Vec<Question> {
    let q = |line, title, text, kind| in_category(question(line, title, text, kind), WEEK_2);
    vec![
        with_format(
            q(
                82,
                Some("Q18"),
                "<p>What does <b>CI</b> stand for?</p>",
                choice(vec![
                    right("Continuous Integration"),
                    wrong("Code Inspection"),
                ]),
            ),
            TextFormat::Html,
        ),
        with_format(
            q(
                85,
                Some("Q19"),
                "Is **this** bold?",
                true_false(true, None, None),
            ),
            TextFormat::Markdown,
        ),
        with_format(
            q(
                88,
                None,
                "Name a Linux distribution.",
                short(vec![right("Debian"), right("Ubuntu"), right("Fedora")]),
            ),
            TextFormat::Plain,
        ),
        q(
            91,
            Some("Q21"),
            "Containers share the host kernel.",
            true_false(true, None, Some("Yes, they do.")),
        ),
        q(
            94,
            Some("Q22 Escapes: all"),
            "Which are escaped: ~ = # { } \\ ?",
            choice(vec![
                answer("a ~ tilde", 100.0, Some("feedback with a # hash")),
                wrong("b = equals"),
                wrong("c {braces}"),
                wrong("line one\nline two"),
            ]),
        ),
        q(
            102,
            None,
            "Which statement about\ncontainers is true?",
            choice(vec![
                right("They share the host\nkernel."),
                answer(
                    "They each run a full\nvirtual machine.",
                    0.0,
                    Some("No: that is a VM."),
                ),
            ]),
        ),
        q(
            111,
            None,
            "What does // mean in Python?",
            choice(vec![right("floor division"), wrong("a comment")]),
        ),
        q(
            118,
            Some("Q25"),
            "Pick the right one.",
            choice(vec![
                right("right"),
                answer("wrong", -50.0, None),
                wrong("neutral"),
            ]),
        ),
        q(
            121,
            Some("Q26 Blank"),
            "The _____ brown fox.",
            missing_word(vec![answer("quick", 100.0, Some("Yes.")), wrong("slow")]),
        ),
    ]
}

#[test]
fn corpus_parses_without_errors() {
    let parsed = gift::parse(CORPUS);
    assert_eq!(parsed.errors, vec![]);
    assert!(parsed.questions.len() >= 20);
}

#[test]
fn corpus_questions_are_read_exactly() {
    let parsed = gift::parse(CORPUS);
    let expected: Vec<Question> = week_1().into_iter().chain(week_2()).collect();
    assert_eq!(parsed.questions.len(), expected.len());
    for (got, want) in parsed.questions.iter().zip(&expected) {
        assert_eq!(got, want, "question at line {}", want.line);
    }
}

#[test]
fn corpus_round_trips() {
    assert_round_trip(&gift::parse(CORPUS).questions);
}

#[test]
fn corpus_written_twice_is_stable() {
    let once = gift::write(&gift::parse(CORPUS).questions);
    let twice = gift::write(&gift::parse(&once).questions);
    assert_eq!(once, twice);
}
