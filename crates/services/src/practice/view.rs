//! What a learner sees of practice: the filter form's choices, the set in progress (its
//! current question, with feedback once answered) and the summary after the last question.

use content::ExamPack;
use content::questions::Bank;
use shared::error::AppError;
use shared::practice::{FilterChoice, PracticeOptions, PracticeState, SummaryItem};
use shared::question::ItemType;

use super::PracticeSession;
use super::answers::SetPlace;
use super::learner::Marks;
use crate::Request;

/// What the filter form offers, with question counts.
pub async fn options(req: &Request) -> Result<PracticeOptions, AppError> {
    let exam = req.exam();
    let bank = &exam.bank.questions;
    let domains = exam
        .meta
        .domains
        .iter()
        .map(|d| FilterChoice {
            value: d.id.clone(),
            label: d.name.clone(),
            count: bank.iter().filter(|q| q.def.domain == d.id).count(),
        })
        .collect();
    let pages = exam
        .pages
        .iter()
        .map(|p| FilterChoice {
            value: p.front.slug.clone(),
            label: p.front.title.clone(),
            count: bank
                .iter()
                .filter(|q| {
                    q.def
                        .refs
                        .iter()
                        .any(|r| r.split('#').next() == Some(&p.front.slug))
                })
                .count(),
        })
        .collect();
    let objectives = exam
        .meta
        .objectives
        .iter()
        .map(|o| FilterChoice {
            value: o.id.clone(),
            label: format!("{} {}", o.id, o.name),
            count: bank.iter().filter(|q| q.def.objective == o.id).count(),
        })
        .collect();
    let types = ItemType::ALL
        .iter()
        .map(|t| FilterChoice {
            value: t.as_str().to_string(),
            label: t.label().to_string(),
            count: bank.iter().filter(|q| q.item_type() == *t).count(),
        })
        .collect();
    let user = req.user().await?;
    let groups = match &user {
        Some(user) => crate::groups::with_own_questions(&req.state.pool, user)
            .await?
            .into_iter()
            .map(|(id, name, count)| FilterChoice {
                value: id.to_string(),
                label: name,
                count,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(PracticeOptions {
        total: bank.len(),
        signed_in: user.is_some(),
        domains,
        pages,
        types,
        objectives,
        groups,
    })
}

/// The state to show for the set in progress (`None` when there is none).
pub fn set_view(
    exam: &ExamPack,
    practice: &PracticeSession,
    marks: &Marks,
    bank: &Bank<'_>,
) -> Option<PracticeState> {
    let set = practice.set.as_ref()?;
    let answered = set.items.iter().filter(|i| i.answer.is_some()).count();
    let correct = set
        .items
        .iter()
        .filter(|i| i.answer.as_ref().is_some_and(|a| a.correct))
        .count();
    let total = set.items.len();
    if let Some(item) = set.items.get(set.position) {
        return place_view(
            exam,
            &SetPlace {
                position: set.position,
                total,
                item: Some(item.clone()),
                answered,
                correct,
                flagged: marks.flagged.contains(&item.question_id),
                bookmarked: marks.bookmarked.contains(&item.question_id),
                in_open_exam: marks.in_open_exam.contains(&item.question_id),
            },
            bank,
        );
    }
    let summary = set
        .items
        .iter()
        .filter_map(|item| {
            let question = bank.get(&item.question_id)?;
            let answer = item.answer.as_ref();
            Some(SummaryItem {
                question_id: item.question_id.clone(),
                item_type: question.item_type(),
                page: question.page.clone(),
                page_title: exam
                    .page(&question.page)
                    .map(|p| p.front.title.clone())
                    .unwrap_or_default(),
                correct: answer.is_some_and(|a| a.correct),
                points: answer.map_or(0.0, |a| a.points),
                max: answer.map_or(0.0, |a| a.max),
                flagged: marks.flagged.contains(&item.question_id),
            })
        })
        .collect();
    Some(PracticeState {
        position: total,
        total,
        question: None,
        feedback: None,
        notice: None,
        flagged: false,
        bookmarked: false,
        answered,
        correct,
        summary,
    })
}

/// The view of one question of a set (`None` past the last one, or for a question the bank
/// does not hold).
pub fn place_view(exam: &ExamPack, place: &SetPlace, bank: &Bank<'_>) -> Option<PracticeState> {
    let item = place.item.as_ref()?;
    let question = bank.get(&item.question_id)?;
    let shown = question.shown(&item.order);
    // A question of the learner's open mock exam is shown, never explained.
    let answer = item.answer.as_ref().filter(|_| !place.in_open_exam);
    let feedback = answer.map(|answer| {
        let score = shared::question::Score {
            points: answer.points,
            max: answer.max,
            partial: shared::question::score(&question.key, &answer.response)
                .ok()
                .and_then(|s| s.partial),
        };
        shown.feedback(&answer.response, &score, exam.ref_links(&question.def.refs))
    });
    Some(PracticeState {
        position: place.position,
        total: place.total,
        // Practice names questions by their bank id (links, marks); the choices by their
        // place on screen.
        question: Some(shown.view(item.version, item.question_id.clone())),
        feedback,
        notice: place
            .in_open_exam
            .then(|| crate::integrity::EMBARGO_MESSAGE.to_string()),
        flagged: place.flagged,
        bookmarked: place.bookmarked,
        answered: place.answered,
        correct: place.correct,
        summary: Vec::new(),
    })
}
