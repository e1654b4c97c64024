//! Properties of `parse` on arbitrary input: it never panics, it reports only
//! lines of the input, and whatever it reads `write` writes back readably.

mod common;

use common::without_lines;
use proptest::prelude::*;
use proptest::sample::select;

/// Everything GIFT gives a meaning to, and some filler.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "{", "}", "=", "~", "#", "####", "->", "::", "$CATEGORY:", "$CATEGORY: top/a",
    "[html]", "[markdown]", "[plain]", "[moodle]", "[nope]", "[", "]",
    "\\", "\\n", "\\{", "\\:", "%", "%50%", "%-100%", "%abc%", "//", "// note\n",
    "\n", "\n\n", "\r\n", "\r", " ", "\t", "T", "FALSE", "a", "word", "3.5", "..", ":", "1", "-",
    "_____", "é", "日本",
];

/// Pieces of question text and of answers: no braces and no blank lines, so
/// that shaped soups mostly make questions rather than errors.
#[rustfmt::skip]
const TEXT_TOKENS: &[&str] = &[
    "a", "word", " ", "\t", "\n", "\\", "\\{", "\\}", "\\~", "\\=", "\\#", "\\:", "\\-",
    ":", "%", "%50%", "%-100%", "%x%", "[html]", "[", "]", "->", "-", "..", "3.5", "1",
    "T", "true", "F", "_____", "//", "\n// note\n", "é", "$CATEGORY:",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TOKENS), 0..80).prop_map(|tokens| tokens.concat())
}

fn pieces(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(TEXT_TOKENS), 0..max).prop_map(|tokens| tokens.concat())
}

fn optional(strategy: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::option::of(strategy).prop_map(Option::unwrap_or_default)
}

/// Any marker or none, maybe a weight, text, maybe `-> right`, maybe `#feedback`.
fn noisy_answer() -> impl Strategy<Value = String> {
    let marker = select(&["=", "=", "~", "", "#"][..]);
    let weight = select(&["", "", "", "%50%", "%-100%", "%100%", "%x%", "%"][..]);
    let arrow = optional(pieces(3).prop_map(|right| format!(" -> {right}")));
    let feedback = optional(pieces(3).prop_map(|feedback| format!(" #{feedback}")));
    let gap = select(&[" ", "\n", ""][..]);
    (marker, weight, pieces(3), arrow, feedback, gap).prop_map(
        |(marker, weight, text, arrow, feedback, gap)| {
            format!("{marker}{weight}{text}{arrow}{feedback}{gap}")
        },
    )
}

fn noisy_answers() -> impl Strategy<Value = String> {
    prop::collection::vec(noisy_answer(), 0..5).prop_map(|answers| answers.concat())
}

fn choice_answers() -> impl Strategy<Value = String> {
    let marker = select(&["=", "~", "~"][..]);
    let weight = select(&["", "", "%50%", "%-50%"][..]);
    let answer = (marker, weight, pieces(3))
        .prop_map(|(marker, weight, text)| format!("{marker}{weight}{text}\n"));
    prop::collection::vec(answer, 1..5).prop_map(|answers| answers.concat())
}

fn matching_pairs() -> impl Strategy<Value = String> {
    let pair = (pieces(2), pieces(3)).prop_map(|(left, right)| format!("={left} -> {right} "));
    prop::collection::vec(pair, 1..5).prop_map(|pairs| pairs.concat())
}

fn true_false_answer() -> impl Strategy<Value = String> {
    (select(&["T", "FALSE", "t"][..]), pieces(2), pieces(2))
        .prop_map(|(word, wrong, right)| format!("{word}#{wrong}#{right}"))
}

fn numerical_answers() -> impl Strategy<Value = String> {
    let hash = select(&["#", "# "][..]);
    let number = select(&["3", "-2.5:0.5", "1..5", "x", "=%50%3:1 =4"][..]);
    (hash, number).prop_map(|(hash, number)| format!("{hash}{number}"))
}

/// Text, then an answer block, then maybe more text.
fn shaped_question() -> impl Strategy<Value = String> {
    let inside = prop_oneof![
        3 => noisy_answers(),
        3 => choice_answers(),
        2 => matching_pairs(),
        2 => true_false_answer(),
        2 => numerical_answers(),
    ];
    let general = optional(pieces(3).prop_map(|general| format!("####{general}")));
    let title = optional(pieces(3).prop_map(|title| format!("::{title}::")));
    (title, pieces(6), inside, general, pieces(3)).prop_map(
        |(title, text, inside, general, after)| {
            format!("{title}{text}{{{inside}{general}}}{after}")
        },
    )
}

/// Questions separated by blank lines, with categories and comments between.
fn shaped_soup() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        8 => shaped_question(),
        1 => select(&["$CATEGORY: top/a", "$CATEGORY:", "// comment", "Just a description"][..])
            .prop_map(str::to_owned),
    ];
    prop::collection::vec(block, 1..6).prop_map(|blocks| blocks.join("\n\n"))
}

/// Every reported line is a line of the input.
fn assert_lines_inside(source: &str, parsed: &gift::Parsed) {
    let last = source.lines().count().max(1);
    for line in parsed
        .questions
        .iter()
        .map(|q| q.line)
        .chain(parsed.errors.iter().map(|e| e.line))
    {
        assert!((1..=last).contains(&line), "line {line} outside 1..={last}");
    }
}

/// Whatever `parse` makes, `write` writes in a form `parse` reads back the same.
fn assert_rewrite_is_stable(source: &str) {
    let parsed = gift::parse(source);
    let written = gift::write(&parsed.questions);
    let again = gift::parse(&written);
    assert_eq!(again.errors, vec![], "written:\n{written}");
    assert_eq!(
        without_lines(&again.questions),
        without_lines(&parsed.questions),
        "written:\n{written}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics_on_any_string(source in any::<String>()) {
        let parsed = gift::parse(&source);
        assert_lines_inside(&source, &parsed);
    }

    #[test]
    fn whatever_parses_from_any_string_is_written_back_the_same(source in any::<String>()) {
        assert_rewrite_is_stable(&source);
    }

    #[test]
    fn parse_never_panics_on_token_soup(source in token_soup()) {
        let parsed = gift::parse(&source);
        assert_lines_inside(&source, &parsed);
    }

    #[test]
    fn parse_never_panics_on_shaped_soup(source in shaped_soup()) {
        let parsed = gift::parse(&source);
        assert_lines_inside(&source, &parsed);
    }

    #[test]
    fn whatever_parses_from_token_soup_is_written_back_the_same(source in token_soup()) {
        assert_rewrite_is_stable(&source);
    }

    #[test]
    fn whatever_parses_from_shaped_soup_is_written_back_the_same(source in shaped_soup()) {
        assert_rewrite_is_stable(&source);
    }
}
