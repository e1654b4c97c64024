//! Builders shared by the integration tests, so expected questions read like
//! the GIFT they come from.

#![allow(dead_code)]

use gift::{Answer, Kind, NumericalAnswer, Question, TextFormat};

pub fn question(line: usize, title: Option<&str>, text: &str, kind: Kind) -> Question {
    Question {
        line,
        title: title.map(str::to_owned),
        category: None,
        format: TextFormat::Moodle,
        text: text.to_owned(),
        kind,
        general_feedback: None,
    }
}

pub fn answer(text: &str, weight: f64, feedback: Option<&str>) -> Answer {
    Answer {
        text: text.to_owned(),
        weight,
        feedback: feedback.map(str::to_owned),
    }
}

pub fn right(text: &str) -> Answer {
    answer(text, 100.0, None)
}

pub fn wrong(text: &str) -> Answer {
    answer(text, 0.0, None)
}

pub fn choice(answers: Vec<Answer>) -> Kind {
    Kind::MultipleChoice {
        answers,
        missing_word: false,
    }
}

pub fn missing_word(answers: Vec<Answer>) -> Kind {
    Kind::MultipleChoice {
        answers,
        missing_word: true,
    }
}

pub fn true_false(answer: bool, wrong: Option<&str>, right: Option<&str>) -> Kind {
    Kind::TrueFalse {
        answer,
        feedback_wrong: wrong.map(str::to_owned),
        feedback_right: right.map(str::to_owned),
    }
}

pub fn short(answers: Vec<Answer>) -> Kind {
    Kind::ShortAnswer { answers }
}

pub fn matching(pairs: &[(&str, &str)]) -> Kind {
    Kind::Matching {
        pairs: pairs
            .iter()
            .map(|&(left, right)| (left.to_owned(), right.to_owned()))
            .collect(),
    }
}

pub fn number(value: f64, tolerance: f64, weight: f64, feedback: Option<&str>) -> NumericalAnswer {
    NumericalAnswer {
        value,
        tolerance,
        weight,
        feedback: feedback.map(str::to_owned),
    }
}

pub fn numerical(answers: Vec<NumericalAnswer>) -> Kind {
    Kind::Numerical { answers }
}

pub fn in_category(mut question: Question, category: &str) -> Question {
    question.category = Some(category.to_owned());
    question
}

pub fn with_format(mut question: Question, format: TextFormat) -> Question {
    question.format = format;
    question
}

pub fn with_general(mut question: Question, feedback: &str) -> Question {
    question.general_feedback = Some(feedback.to_owned());
    question
}

/// Questions with `line` zeroed, for comparisons where lines are expected to move.
pub fn without_lines(questions: &[Question]) -> Vec<Question> {
    questions
        .iter()
        .cloned()
        .map(|question| Question {
            line: 0,
            ..question
        })
        .collect()
}

/// Parses `write(questions)` and checks it gives back the same questions.
pub fn assert_round_trip(questions: &[Question]) {
    let written = gift::write(questions);
    let parsed = gift::parse(&written);
    assert_eq!(parsed.errors, vec![], "errors reading back:\n{written}");
    assert_eq!(
        without_lines(&parsed.questions),
        without_lines(questions),
        "round trip changed the questions; written:\n{written}"
    );
}
