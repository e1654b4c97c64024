//! Malformed questions: one clear error each, on the right line, and the good
//! questions around them still read.

use gift::{GiftError, Kind};

/// Parses `source` as: a good question, the bad one on line 3, a good question.
fn sandwiched(bad: &str) -> GiftError {
    let source = format!("Good first? {{T}}\n\n{bad}\n\nGood last? {{F}}\n");
    let parsed = gift::parse(&source);
    let texts: Vec<&str> = parsed.questions.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts, ["Good first?", "Good last?"], "for {bad:?}");
    assert_eq!(parsed.questions[1].line, 3 + bad.lines().count() + 1);
    assert_eq!(parsed.errors.len(), 1, "for {bad:?}: {:?}", parsed.errors);
    parsed.errors[0].clone()
}

fn assert_error(bad: &str, line: usize, needle: &str) {
    let error = sandwiched(bad);
    assert_eq!(error.line, line, "line for {bad:?}: {error}");
    assert!(
        error.message.contains(needle),
        "message for {bad:?} should mention {needle:?}: {error}"
    );
}

#[test]
fn unclosed_brace() {
    assert_error("Mice eat {=cheese ~bread", 3, "unclosed '{'");
    assert_error("Mice eat\n{=cheese\n~bread", 4, "unclosed '{'");
    assert_error("Two blocks {=a ~b {=c ~d}", 3, "unclosed '{'");
}

#[test]
fn stray_closing_brace() {
    assert_error("Nothing opens } this", 3, "without an opening '{'");
    assert_error("Q {=a ~b}\nthen }", 4, "without an opening '{'");
}

#[test]
fn second_answer_block() {
    assert_error("Q {=a ~b} and\n{=c ~d}", 4, "second answer block");
}

#[test]
fn unknown_format_tag() {
    assert_error("::T::[rtf]Question {T}", 3, "unknown format tag [rtf]");
}

#[test]
fn no_right_answer() {
    assert_error("Which?\n{\n~a\n~b\n}", 4, "no right answer");
    assert_error("Which? {~%-50%a ~%0%b}", 3, "no right answer");
    assert_error("Type it {=%0%a}", 3, "no right answer");
}

#[test]
fn malformed_numerical() {
    for bad in [
        "{#abc}", "{#1..x}", "{#5..1}", "{#3:-1}", "{#}", "{#3:1:2}", "{#inf}",
    ] {
        assert_error(&format!("How many? {bad}"), 3, "malformed numerical");
    }
    assert_error(
        "How many? {#\n=3:1\n=oops\n}",
        5,
        "malformed numerical answer 'oops'",
    );
    assert_error("How many? {#3 =4}", 3, "malformed numerical");
}

#[test]
fn bad_weights() {
    assert_error("Which? {=a ~%abc%b}", 3, "weight %abc% is not a number");
    assert_error("Which?\n{\n=a\n~%150%b\n}", 6, "outside -100..=100");
    assert_error("Which? {=%-100.5%a ~b}", 3, "outside -100..=100");
    assert_error("How many? {#=%NaN%3}", 3, "not a number");
}

#[test]
fn matching_needs_two_pairs() {
    assert_error("Match {=a -> b}", 3, "at least 2");
}

#[test]
fn arrow_mixed_into_other_answers() {
    assert_error(
        "Match {=a -> b ~c}",
        3,
        "'->' mixed into non-matching answers",
    );
    assert_error(
        "Match {\n=a -> b\n=c\n}",
        5,
        "'->' mixed into non-matching answers",
    );
    assert_error("Which? {~a -> b =c}", 3, "'->' mixed");
}

#[test]
fn matching_pair_problems() {
    assert_error("Match {=a -> b =c -> #d}", 3, "no '#feedback'");
    assert_error("Match {=a -> b =c ->   }", 3, "nothing after '->'");
}

#[test]
fn unclosed_title() {
    assert_error("::Title without end {=a ~b}", 3, "unclosed ::title");
}

#[test]
fn empty_answer() {
    assert_error("Which? {= ~b}", 3, "empty answer after '='");
    assert_error("Which? {=a ~%50%}", 3, "empty answer after '~'");
}

#[test]
fn unrecognised_answers() {
    assert_error("Which? {maybe}", 3, "unrecognised answers 'maybe'");
    assert_error("Which? {TRUE ~a}", 3, "before the first answer");
}

#[test]
fn problem_lines_inside_long_questions() {
    let source = "// header\n\n::Q::Long\nquestion\n{\n=right\n~%x%wrong\n}\n";
    let parsed = gift::parse(source);
    assert_eq!(parsed.questions, vec![]);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].line, 7);
}

#[test]
fn several_errors_in_one_file() {
    let source = "\
Fine {T}

Broken {=a

::Also fine::Yes {=yes ~no}

// a comment between
::Unclosed {T}

Last {#2}
";
    let parsed = gift::parse(source);
    let lines: Vec<usize> = parsed.errors.iter().map(|error| error.line).collect();
    assert_eq!(lines, [3, 8]);
    let kept: Vec<(usize, &str)> = parsed
        .questions
        .iter()
        .map(|q| (q.line, q.text.as_str()))
        .collect();
    assert_eq!(kept, [(1, "Fine"), (5, "Yes"), (10, "Last")]);
    assert!(matches!(parsed.questions[2].kind, Kind::Numerical { .. }));
}

#[test]
fn errors_display_with_their_line() {
    let error = gift::parse("\n\nQ {~a ~b}").errors.remove(0);
    assert_eq!(error.line, 3);
    assert!(error.to_string().starts_with("line 3: no right answer"));
}
