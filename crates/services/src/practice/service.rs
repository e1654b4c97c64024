//! Practice, step by step: draw a set from a filter, answer the current question (scored at
//! once; a second submit returns the first result), move on, end the set, flag or bookmark a
//! question. Anyone may practise: a signed-out learner's set and answers live in their session
//! (PostgreSQL-backed), a signed-in learner's with the account. Keys and explanations leave
//! the server only once a question is answered.

use content::questions::{Bank, QuestionBank};
use shared::error::AppError;
use shared::practice::{MAX_SET_SIZE, PracticeFilter, PracticeState, QuestionStatus};
use shared::question::Response;
use tower_sessions::Session;

use super::learner::{self, Marks};
use super::view::{place_view, set_view};
use super::{AnswerRecord, PracticeSession, PracticeSet, draw, now_ms, sample_matching, sets};
use crate::Request;
use crate::auth::User;
use crate::integrity::EMBARGO_MESSAGE;

/// The signed-in user (if any) and their practice. A signed-in learner's set is the
/// account's (one still in the session moves there first); without `with_set` it is not
/// loaded (a request that replaces or ends it).
async fn learner(
    req: &Request,
    with_set: bool,
) -> Result<(Option<User>, PracticeSession), AppError> {
    let user = req.user().await?;
    let mut practice = load(&req.session).await?;
    if let Some(user) = &user {
        // A set still in the session (kept there by an older version) moves in first.
        let moved = if with_set {
            sets::adopt(&req.state.pool, user.user_id, &mut practice).await?
        } else {
            practice.set.take().is_some()
        };
        if moved {
            save(&req.session, &practice).await?;
        }
        if with_set {
            practice.set = sets::load(&req.state.pool, user.user_id).await?;
        }
    }
    Ok((user, practice))
}

/// Notes the time the current question is first shown; returns its position and the time
/// when that is now.
fn show_current(practice: &mut PracticeSession) -> Option<(usize, i64)> {
    let set = practice.set.as_mut()?;
    let item = set.items.get_mut(set.position)?;
    if item.shown_at_ms.is_some() {
        return None;
    }
    let now = now_ms();
    item.shown_at_ms = Some(now);
    Some((set.position, now))
}

/// Keeps what a request changed: a signed-out learner's session, or the time a signed-in
/// learner's question was first shown (everything else they change is written as it
/// happens).
async fn persist(
    req: &Request,
    user: Option<&User>,
    practice: &PracticeSession,
    shown: Option<(usize, i64)>,
) -> Result<(), AppError> {
    match (user, shown) {
        (Some(user), Some((position, at_ms))) => {
            sets::mark_shown(&req.state.pool, user.user_id, position, at_ms)
                .await
                .map_err(AppError::internal)
        }
        (Some(_), None) => Ok(()),
        (None, _) => save(&req.session, practice).await,
    }
}

async fn marks(
    req: &Request,
    user: Option<&User>,
    practice: &PracticeSession,
) -> Result<Marks, AppError> {
    learner::marks(&req.state.pool, user, practice)
        .await
        .map_err(AppError::internal)
}

async fn load(session: &Session) -> Result<PracticeSession, AppError> {
    PracticeSession::load(session)
        .await
        .map_err(AppError::internal)
}

async fn save(session: &Session, practice: &PracticeSession) -> Result<(), AppError> {
    practice.store(session).await.map_err(AppError::internal)
}

/// The questions the set can reach: the exam packs', and a group's own when the set draws
/// from one.
async fn bank<'a>(req: &'a Request, practice: &PracticeSession) -> Result<Bank<'a>, AppError> {
    let ids: Vec<&str> = practice
        .set
        .iter()
        .flat_map(|set| set.items.iter().map(|i| i.question_id.as_str()))
        .collect();
    crate::bank::bank_for_ids(&req.state.pool, &req.state.content, ids).await
}

/// The view of the set in progress, if any (the current question now counts as shown).
pub async fn current(req: &Request) -> Result<Option<PracticeState>, AppError> {
    let (user, mut practice) = learner(req, true).await?;
    let shown = show_current(&mut practice);
    let marks = marks(req, user.as_ref(), &practice).await?;
    let bank = bank(req, &practice).await?;
    let view = set_view(req.exam(), &practice, &marks, &bank);
    persist(req, user.as_ref(), &practice, shown).await?;
    Ok(view)
}

/// Draws a new set from the filter and shows its first question.
pub async fn start(req: &Request, filter: PracticeFilter) -> Result<PracticeState, AppError> {
    if filter.count == 0 || filter.count > MAX_SET_SIZE {
        return Err(AppError::field(
            "count",
            format!("Choose between 1 and {MAX_SET_SIZE} questions."),
        ));
    }
    if filter.difficulty.is_some_and(|d| !(1..=3).contains(&d)) {
        return Err(AppError::field("difficulty", "Difficulty is 1, 2 or 3."));
    }
    let exam = req.exam();
    if let Some(domain) = &filter.domain
        && exam.domain_info(domain).is_none()
    {
        return Err(AppError::field("domain", "Unknown exam domain."));
    }
    if let Some(page) = &filter.page
        && exam.page(page).is_none()
    {
        return Err(AppError::field("page", "Unknown reference page."));
    }
    if let Some(objective) = &filter.objective
        && exam.meta.objective(objective).is_none()
    {
        return Err(AppError::field("objective", "Unknown exam objective."));
    }
    let (user, mut practice) = learner(req, false).await?;
    let due = filter.status == QuestionStatus::Due;
    if due && user.is_none() {
        return Err(AppError::field(
            "status",
            "Spaced review needs an account: sign in first.",
        ));
    }
    let pool = &req.state.pool;
    let history = learner::history(pool, user.as_ref(), &practice, &exam.meta.code, due).await?;
    // A group's own questions: members only, and none of the exam's filters apply.
    let group_bank = match (filter.group, &user) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(AppError::field(
                "filter",
                "Sign in to practise a study group's questions.",
            ));
        }
        (Some(group_id), Some(user)) => {
            crate::groups::ensure_may_practise(pool, user, group_id).await?;
            let mut conn = pool.acquire().await?;
            Some(QuestionBank::from_questions(
                crate::bank::group_questions(&mut conn, group_id, false).await?,
            ))
        }
    };
    if group_bank.is_some()
        && (filter.domain.is_some() || filter.page.is_some() || filter.objective.is_some())
    {
        return Err(AppError::field(
            "filter",
            "A group's own questions have no exam domains or reference pages.",
        ));
    }
    // Questions of a mock exam the learner has open are not practised meanwhile.
    let in_open_exam = &history.marks.in_open_exam;
    if filter
        .question
        .as_ref()
        .is_some_and(|id| in_open_exam.contains(id))
    {
        return Err(AppError::field("question", EMBARGO_MESSAGE));
    }
    let mut rng = fastrand::Rng::new();
    let mut questions = sample_matching(
        group_bank.as_ref().unwrap_or(&exam.bank),
        &filter,
        &history,
        usize::from(filter.count) + in_open_exam.len(),
        &mut rng,
    );
    questions.retain(|q| !in_open_exam.contains(q.id()));
    if questions.is_empty() {
        let message = if due {
            "Nothing is due for review right now."
        } else {
            "No questions match these filters. Widen them and try again."
        };
        return Err(AppError::field("filter", message));
    }
    // Reviews: the most overdue first (the draw then shuffles the ones it keeps).
    let questions = if due {
        questions[..questions.len().min(usize::from(filter.count))].to_vec()
    } else {
        questions
    };
    let items = draw(
        &questions,
        usize::from(filter.count),
        |id| req.state.question_version(id),
        &mut rng,
    );
    practice.set = Some(PracticeSet {
        filter,
        items,
        position: 0,
    });
    show_current(&mut practice);
    let bank = Bank {
        exams: &req.state.content.exams,
        groups: group_bank.unwrap_or_default(),
    };
    let view = set_view(exam, &practice, &history.marks, &bank).ok_or(AppError::Internal)?;
    match (&user, &practice.set) {
        (Some(user), Some(set)) => sets::replace(pool, user.user_id, set).await?,
        _ => save(&req.session, &practice).await?,
    }
    Ok(view)
}

/// Scores the answer to the current question and returns the feedback. Submitting again for
/// a question already answered returns the first result (a double click changes nothing).
/// The usual answer takes the fast path (one statement, written in batches); anything it
/// cannot decide alone takes the full one below.
pub async fn answer(
    req: &Request,
    question_id: &str,
    response: &Response,
) -> Result<PracticeState, AppError> {
    let exam = req.exam();
    if let Some(place) = req
        .state
        .answerer
        .answer(
            &req.state.content,
            &exam.meta.code,
            &req.session,
            question_id,
            response,
        )
        .await?
        && let Some(view) = place_view(exam, &place, &Bank::of_exams(&req.state.content))
    {
        return Ok(view);
    }
    answer_in_full(req, question_id, response).await
}

/// The full path of [`answer`]: every rule checked in Rust against the loaded set.
pub async fn answer_in_full(
    req: &Request,
    question_id: &str,
    response: &Response,
) -> Result<PracticeState, AppError> {
    let exam = req.exam();
    let pool = &req.state.pool;
    let (user, mut practice) = learner(req, true).await?;
    // Flags, bookmarks and the questions of an open mock exam: answering changes none.
    let marks = marks(req, user.as_ref(), &practice).await?;
    let Some(set) = practice.set.as_mut() else {
        return Err(AppError::Conflict(
            "There is no practice set in progress. Start one first.".to_string(),
        ));
    };
    let position = set.position;
    let Some(item) = set.items.get_mut(position) else {
        return Err(AppError::Conflict(
            "This practice set is finished.".to_string(),
        ));
    };
    if item.question_id != question_id {
        return Err(AppError::Conflict(
            "This question is no longer the current one; the page was out of date.".to_string(),
        ));
    }
    if item.answer.is_none() {
        if marks.in_open_exam.contains(&item.question_id) {
            return Err(AppError::Conflict(EMBARGO_MESSAGE.to_string()));
        }
        // A study group's question: still a member who may practise it.
        if let Some(group_id) = crate::bank::own_group(&req.state.content, &item.question_id) {
            let Some(user) = &user else {
                return Err(AppError::Unauthorized);
            };
            crate::groups::ensure_may_practise(pool, user, group_id).await?;
        }
        let bank = crate::bank::bank_for_ids(pool, &req.state.content, [item.question_id.as_str()])
            .await?;
        let question = bank.get(&item.question_id).ok_or(AppError::NotFound)?;
        // The browser answers in screen ids; the record keeps the bank's.
        let response = question
            .shown(&item.order)
            .to_bank(response)
            .map_err(|err| AppError::field("response", err))?;
        let score = shared::question::score(&question.key, &response)
            .map_err(|err| AppError::field("response", err))?;
        let record = AnswerRecord::new(
            item.question_id.clone(),
            item.version,
            response,
            &score,
            now_ms(),
            item.shown_at_ms,
        );
        item.answer = Some(record.clone());
        match &user {
            Some(user) => {
                let stored =
                    learner::record_answer(pool, user.user_id, &exam.meta.code, position, &record)
                        .await?;
                // Answered meanwhile (another tab): the first answer stands.
                if !stored {
                    practice.set = sets::load(pool, user.user_id).await?;
                }
            }
            None => practice.remember(record),
        }
    }
    let bank = bank(req, &practice).await?;
    let view = set_view(exam, &practice, &marks, &bank).ok_or(AppError::Internal)?;
    persist(req, user.as_ref(), &practice, None).await?;
    Ok(view)
}

/// Moves to the next question (or the summary after the last one).
pub async fn next(req: &Request) -> Result<PracticeState, AppError> {
    if let Some(place) = req.state.answerer.next(&req.session).await? {
        if let Some(view) = place_view(req.exam(), &place, &Bank::of_exams(&req.state.content)) {
            return Ok(view);
        }
        // Moved to the summary, or to a study group's question: the full view.
        return current(req).await?.ok_or(AppError::Internal);
    }
    let (user, mut practice) = learner(req, true).await?;
    let Some(set) = practice.set.as_mut() else {
        return Err(AppError::Conflict(
            "There is no practice set in progress. Start one first.".to_string(),
        ));
    };
    if set.position < set.items.len() {
        set.position += 1;
    }
    if let Some(user) = &user {
        sets::advance(&req.state.pool, user.user_id).await?;
    }
    let shown = show_current(&mut practice);
    let marks = marks(req, user.as_ref(), &practice).await?;
    let bank = bank(req, &practice).await?;
    let view = set_view(req.exam(), &practice, &marks, &bank).ok_or(AppError::Internal)?;
    persist(req, user.as_ref(), &practice, shown).await?;
    Ok(view)
}

/// Ends the current set (the answers stay in the history).
pub async fn end(req: &Request) -> Result<(), AppError> {
    let (user, mut practice) = learner(req, false).await?;
    match &user {
        Some(user) => sets::end(&req.state.pool, user.user_id)
            .await
            .map_err(AppError::internal),
        None => {
            practice.set = None;
            save(&req.session, &practice).await
        }
    }
}

/// Flags a question for review, or bookmarks it; returns whether the mark is now set.
pub async fn toggle_mark(
    req: &Request,
    question_id: &str,
    bookmark: bool,
) -> Result<bool, AppError> {
    let pool = &req.state.pool;
    let bank = crate::bank::bank_for_ids(pool, &req.state.content, [question_id]).await?;
    if bank.get(question_id).is_none() {
        return Err(AppError::NotFound);
    }
    let user = req.user().await?;
    // A study group's question: only for members who may practise it (anyone else learns
    // nothing, not even that it exists).
    if let Some(group_id) = crate::bank::own_group(&req.state.content, question_id) {
        let user = user.as_ref().ok_or(AppError::NotFound)?;
        crate::groups::ensure_may_practise(pool, user, group_id)
            .await
            .map_err(|err| match err {
                AppError::Conflict(_) => err,
                _ => AppError::NotFound,
            })?;
    }
    if let Some(user) = &user {
        return learner::toggle_mark(pool, user, question_id, bookmark)
            .await
            .map_err(AppError::internal);
    }
    let mut practice = load(&req.session).await?;
    let marks = if bookmark {
        &mut practice.bookmarked
    } else {
        &mut practice.flagged
    };
    let now_set = if marks.remove(question_id) {
        false
    } else {
        marks.insert(question_id.to_string());
        true
    };
    save(&req.session, &practice).await?;
    Ok(now_set)
}
