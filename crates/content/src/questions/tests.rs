//! Validator tests: each mistake an author can make is reported with its file and line.

use std::path::{Path, PathBuf};

use crate::ContentStore;
use shared::question::ItemType;

/// A throwaway content folder with one page and the given question file.
fn content_with(name: &str, questions: &str) -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("exam-content-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let exam = root.join("exams/x-100");
    std::fs::create_dir_all(exam.join("reference")).unwrap();
    std::fs::create_dir_all(exam.join("questions")).unwrap();
    std::fs::write(
        exam.join("exam.toml"),
        "code = \"x-100\"\ntitle = \"X\"\nshort_title = \"X\"\n[[domain]]\nid = \"d1\"\nname = \"D one\"\nweight = \"100%\"\n",
    )
    .unwrap();
    std::fs::write(
        exam.join("reference/page.md"),
        "+++\nslug = \"page\"\ntitle = \"Page\"\norder = 1\ndomains = [\"d1\"]\nsummary = \"S\"\nsources = [\"https://learn.microsoft.com/a\", \"https://learn.microsoft.com/b\"]\nchecked = 2026-12-06\n+++\n\n## Batch scoring\n\nText.\n",
    )
    .unwrap();
    std::fs::write(exam.join("questions/q.toml"), questions).unwrap();
    root
}

fn errors_for(name: &str, questions: &str) -> Vec<String> {
    let root = content_with(name, questions);
    let result = ContentStore::load(&root);
    let _ = std::fs::remove_dir_all(&root);
    match result {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

const HEADER: &str = "topic = \"T\"\n";

fn single(id: &str, correct_a: bool, correct_b: bool, refs: &str) -> String {
    format!(
        "[[question]]\nid = \"{id}\"\ntype = \"single\"\ndomain = \"d1\"\nobjective = \"o\"\nrefs = [{refs}]\ndifficulty = 1\nstem = \"S\"\nexplanation = \"E\"\n\
         [[question.options]]\nid = \"a\"\ntext = \"A\"\ncorrect = {correct_a}\nwhy = \"because\"\n\
         [[question.options]]\nid = \"b\"\ntext = \"B\"\ncorrect = {correct_b}\nwhy = \"because\"\n"
    )
}

#[test]
fn a_valid_question_loads() {
    let errors = errors_for(
        "valid",
        &format!(
            "{HEADER}{}",
            single("q1", true, false, "\"page#batch-scoring\"")
        ),
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn an_unknown_type_is_reported_with_its_line() {
    let text = format!("{HEADER}{}", single("q1", true, false, "\"page\""))
        .replace("\"single\"", "\"essay\"");
    let errors = errors_for("type", &text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("q.toml:4:"), "{}", errors[0]);
    assert!(errors[0].contains("essay"), "{}", errors[0]);
}

#[test]
fn a_question_without_a_key_is_reported() {
    let errors = errors_for(
        "nokey",
        &format!("{HEADER}{}", single("q1", false, false, "\"page\"")),
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("q.toml:3:") && e.contains("exactly one option must be correct")),
        "{errors:?}"
    );
}

#[test]
fn a_choose_n_mismatch_is_reported() {
    let text = format!("{HEADER}{}", single("q1", true, false, "\"page\""))
        .replace("\"single\"", "\"multi\"\nchoose = 2");
    let errors = errors_for("choose", &text);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("choose = 2 but 1 option(s) are marked correct")),
        "{errors:?}"
    );
}

#[test]
fn a_dangling_reference_is_reported() {
    let errors = errors_for(
        "ref",
        &format!(
            "{HEADER}{}",
            single("q1", true, false, "\"page#no-such-heading\", \"nopage\"")
        ),
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("dangling reference `page#no-such-heading`")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("dangling reference `nopage`")),
        "{errors:?}"
    );
}

#[test]
fn a_duplicate_id_is_reported() {
    let text = format!(
        "{HEADER}{}{}",
        single("q1", true, false, "\"page\""),
        single("q1", false, true, "\"page\"")
    );
    let errors = errors_for("dup", &text);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("duplicate question id `q1`")),
        "{errors:?}"
    );
}

#[test]
fn a_syntax_error_points_at_its_line() {
    let errors = errors_for("syntax", "topic = \"T\"\n[[question]\nid = 1\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("q.toml:2:"), "{}", errors[0]);
}

#[test]
fn the_shipped_bank_meets_its_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let store = ContentStore::load(&root).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let exam = store.default_exam();
    assert!(exam.bank.len() >= 300, "{} questions", exam.bank.len());
    for item_type in ItemType::ALL {
        let count = exam
            .bank
            .questions
            .iter()
            .filter(|q| q.item_type() == item_type)
            .count();
        assert!(count >= 15, "{item_type:?}: {count}");
    }
    for page in &exam.pages {
        let count = exam
            .bank
            .questions
            .iter()
            .filter(|q| q.page == page.front.slug)
            .count();
        assert!(count >= 5, "page {}: {count} questions", page.front.slug);
    }
}

#[test]
fn a_view_never_contains_the_key_or_explanations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let store = ContentStore::load(&root).unwrap();
    for question in &store.default_exam().bank.questions {
        let view = question
            .shown(&question.shuffle_units())
            .view(1, "q1".to_string());
        let json = serde_json::to_string(&view).unwrap();
        // Nothing of the bank's own naming either: not its id, not its parts' ids.
        assert!(!json.contains(question.id()), "{}", question.id());
        for part in &question.parts {
            assert!(
                !json.contains(&format!("\"id\":\"{}\"", part.id)) || part.id.starts_with('c'),
                "{}: part id {} sent",
                question.id(),
                part.id
            );
        }
        assert!(!json.contains("\"correct\""), "{}", question.id());
        assert!(!json.contains("\"answer\""), "{}", question.id());
        assert!(
            !json.contains(&question.explanation_html),
            "{}",
            question.id()
        );
        for part in question
            .parts
            .iter()
            .chain(question.dimensions.iter().flat_map(|d| d.2.iter()))
        {
            if !part.why_html.is_empty() {
                assert!(
                    !json.contains(&part.why_html),
                    "{}: a why leaked",
                    question.id()
                );
            }
        }
    }
}

#[test]
fn screen_ids_name_places_and_carry_answers_there_and_back() {
    use shared::question::{Response, ResponseError, score};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let store = ContentStore::load(&root).unwrap();
    let mut rng = fastrand::Rng::with_seed(17);
    for question in &store.default_exam().bank.questions {
        let order = super::shown::presentation_order(question, &mut rng);
        let shown = question.shown(&order);
        let view = shown.view(1, "q1".to_string());
        let ids: Vec<&str> = view.choices.iter().map(|c| c.id.as_str()).collect();
        let expected: Vec<String> = (1..=ids.len()).map(|i| format!("c{i}")).collect();
        assert_eq!(ids, expected, "{}", question.id());
        // The key, written in screen ids and read back, is the key and scores full marks.
        let on_screen = shown.to_screen(&question.key);
        let back = shown.to_bank(&on_screen).unwrap();
        assert_eq!(back, question.key, "{}", question.id());
        assert!(score(&question.key, &back).unwrap().is_correct());
        // Steps are never shown in the key's order, so sorted screen ids are never the key.
        if let Response::Order(_) = &question.key {
            let mut sorted = ids.iter().map(ToString::to_string).collect::<Vec<_>>();
            sorted.sort();
            let guess = shown.to_bank(&Response::Order(sorted)).unwrap();
            assert!(
                !score(&question.key, &guess).unwrap().is_correct(),
                "{}",
                question.id()
            );
        }
        // Ids the question does not show, and more entries than it has, are refused.
        assert_eq!(
            shown.to_bank(&Response::Choices(vec!["c99".into()])),
            Err(ResponseError::UnknownChoice)
        );
        assert_eq!(
            shown.to_bank(&Response::Choices(vec!["a".into()])),
            Err(ResponseError::UnknownChoice)
        );
        assert_eq!(
            shown.to_bank(&Response::Order(vec!["c1".to_string(); 20_000])),
            Err(ResponseError::UnknownChoice)
        );
    }
}

/// A pack whose exam.toml lists objectives: questions must name one of them (in their own
/// domain), pages the ones they teach, and each objective needs a page and 6 questions.
#[test]
fn objectives_are_checked_when_the_pack_lists_them() {
    let root = content_with("objectives", "topic = \"T\"\n");
    let exam = root.join("exams/x-100");
    std::fs::write(
        exam.join("exam.toml"),
        "code = \"x-100\"\ntitle = \"X\"\nshort_title = \"X\"\n\
         [[domain]]\nid = \"d1\"\nname = \"D one\"\nweight = \"60%\"\n\
         [[domain]]\nid = \"d2\"\nname = \"D two\"\nweight = \"40%\"\n\
         [[objective]]\nid = \"1.1\"\ndomain = \"d1\"\nname = \"First\"\n\
         [[objective]]\nid = \"2.1\"\ndomain = \"d2\"\nname = \"Second\"\n",
    )
    .unwrap();
    let page = std::fs::read_to_string(exam.join("reference/page.md")).unwrap();
    std::fs::write(
        exam.join("reference/page.md"),
        page.replace(
            "summary = \"S\"\n",
            "summary = \"S\"\nobjectives = [\"1.1\", \"9.9\"]\n",
        ),
    )
    .unwrap();
    let mut questions = String::from(HEADER);
    for i in 0..6 {
        questions.push_str(
            &single(&format!("q{i}"), true, false, "\"page#batch-scoring\"")
                .replace("objective = \"o\"", "objective = \"1.1\""),
        );
    }
    questions.push_str(
        &single("wrong-id", true, false, "\"page\"")
            .replace("objective = \"o\"", "objective = \"7.7\""),
    );
    questions.push_str(
        &single("wrong-domain", true, false, "\"page\"")
            .replace("objective = \"o\"", "objective = \"2.1\""),
    );
    std::fs::write(exam.join("questions/q.toml"), questions).unwrap();
    let errors: Vec<String> = match ContentStore::load(&root) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    };
    let _ = std::fs::remove_dir_all(&root);
    let has = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(has("unknown objective `9.9`"), "{errors:?}");
    assert!(
        has("question `wrong-id`: unknown objective `7.7`"),
        "{errors:?}"
    );
    assert!(
        has("objective 2.1 is in domain `d2`, not `d1`"),
        "{errors:?}"
    );
    assert!(
        has("objective 2.1 (Second) is taught by no page"),
        "{errors:?}"
    );
    assert!(
        has("objective 2.1 (Second) has 0 question(s)"),
        "{errors:?}"
    );
    assert!(
        !has("objective 1.1 (First)"),
        "1.1 has a page and six questions: {errors:?}"
    );
}

/// A drill may bring dimensions of its own, each with a label; without labels, only the five
/// MLOps dimensions are accepted.
#[test]
fn a_drill_brings_its_own_labelled_dimensions() {
    let drill = |labelled: bool| {
        let label = |l: &str| {
            if labelled {
                format!("label = \"{l}\"\n")
            } else {
                String::new()
            }
        };
        format!(
            "{HEADER}[[question]]\nid = \"d1q\"\ntype = \"drill\"\ndomain = \"d1\"\nobjective = \"o\"\nrefs = [\"page\"]\ndifficulty = 1\nstem = \"S\"\nexplanation = \"E\"\n\
             [[question.dimensions]]\nname = \"deployment-type\"\n{}\
             [[question.dimensions.options]]\nid = \"a\"\ntext = \"Global Standard\"\ncorrect = true\nwhy = \"w\"\n\
             [[question.dimensions.options]]\nid = \"b\"\ntext = \"Developer\"\nwhy = \"w\"\n\
             [[question.dimensions]]\nname = \"billing\"\n{}\
             [[question.dimensions.options]]\nid = \"a\"\ntext = \"Per token\"\ncorrect = true\nwhy = \"w\"\n\
             [[question.dimensions.options]]\nid = \"b\"\ntext = \"Per hour\"\nwhy = \"w\"\n",
            label("Deployment type"),
            label("Billing")
        )
    };
    assert!(errors_for("drill-own", &drill(true)).is_empty());
    let errors = errors_for("drill-unlabelled", &drill(false));
    assert!(
        errors.iter().any(|e| e.contains("each with a `label`")),
        "{errors:?}"
    );
}
