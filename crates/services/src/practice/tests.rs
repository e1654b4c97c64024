//! Practice draws over the shipped bank.

use std::path::Path;

use content::ContentStore;
use shared::question::ItemType;

#[test]
fn a_sampled_practice_draw_keeps_to_the_filter_and_falls_back_when_it_is_narrow() {
    use crate::practice::learner::History;
    use crate::practice::{matching, sample_matching};
    use shared::practice::{PracticeFilter, QuestionStatus};

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let store = ContentStore::load(&root).unwrap_or_else(|_| panic!("the shipped content loads"));
    let bank = &store.default_exam().bank;
    let history = History::default();
    let mut filter = PracticeFilter {
        domain: None,
        page: None,
        item_type: Some(ItemType::Single),
        difficulty: None,
        status: QuestionStatus::All,
        count: 5,
        question: None,
        group: None,
        objective: None,
    };
    let mut rng = fastrand::Rng::with_seed(9);
    let singles = matching(bank, &filter, &history).len();
    // Plenty of single-choice questions: exactly 5, all of them single, no repeats; and over
    // many draws every single-choice question turns up (a sample of all of them, not a prefix).
    let mut seen = std::collections::BTreeSet::new();
    // (About 400 single-choice questions: 3,000 draws of 5 miss one with odds below 1 in 10^14.)
    for _ in 0..3000 {
        let drawn = sample_matching(bank, &filter, &history, 5, &mut rng);
        assert_eq!(drawn.len(), 5);
        assert!(drawn.iter().all(|q| q.item_type() == ItemType::Single));
        let ids: std::collections::BTreeSet<&str> = drawn.iter().map(|q| q.id()).collect();
        assert_eq!(ids.len(), 5);
        seen.extend(ids);
    }
    assert_eq!(seen.len(), singles);
    // One question: too narrow to find by chance, so the whole list (of one) comes back.
    let one = bank.questions[7].id().to_string();
    filter.item_type = None;
    filter.question = Some(one.clone());
    let drawn = sample_matching(bank, &filter, &history, 5, &mut rng);
    assert_eq!(drawn.iter().map(|q| q.id()).collect::<Vec<_>>(), vec![one]);
    // Nothing matches: empty, not a partial sample.
    filter.question = Some("no-such-question".to_string());
    assert!(sample_matching(bank, &filter, &history, 5, &mut rng).is_empty());
}
