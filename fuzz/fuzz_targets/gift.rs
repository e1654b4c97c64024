//! `gift::parse` on any UTF-8 text, then `write` and `parse` again (the properties of
//! crates/gift/tests/props.rs, on fuzzer input).
//!
//! Checks: no panic; every question and error points at a line of the input; whatever was
//! read is written back in a form that reads without errors as the same questions (but for
//! their lines); writing that again gives the same text.

#![no_main]

use exam_fuzz::line_count;
use gift::Question;
use libfuzzer_sys::fuzz_target;

fn without_lines(questions: &[Question]) -> Vec<Question> {
    questions
        .iter()
        .cloned()
        .map(|question| Question {
            line: 0,
            ..question
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = gift::parse(source);
    let last = line_count(source);
    for line in parsed
        .questions
        .iter()
        .map(|q| q.line)
        .chain(parsed.errors.iter().map(|e| e.line))
    {
        assert!((1..=last).contains(&line), "line {line} outside 1..={last}");
    }

    let written = gift::write(&parsed.questions);
    let again = gift::parse(&written);
    assert_eq!(again.errors, vec![], "written:\n{written}");
    assert_eq!(
        without_lines(&again.questions),
        without_lines(&parsed.questions),
        "written:\n{written}"
    );
    assert_eq!(
        gift::write(&again.questions),
        written,
        "writing is not stable"
    );
});
