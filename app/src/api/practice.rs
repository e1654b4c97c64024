//! Practice mode. Anyone may practise; a signed-out learner's sets and answers live in their
//! session (PostgreSQL-backed), so a reload or a restarted server loses nothing. Answer keys
//! and explanations leave the server only after an answer is submitted.

use leptos::prelude::*;

use shared::error::AppError;
use shared::practice::{PracticeFilter, PracticeOptions, PracticeState};
use shared::question::Response;

#[cfg(feature = "ssr")]
mod server {
    use tower_sessions::Session;

    use crate::web::state::AppState;
    use content::questions::Bank;
    use services::auth::User;
    use services::practice::PracticeSession;
    use services::practice::answers::SetPlace;
    use services::practice::learner::Marks;
    use services::practice::sets;
    use shared::error::AppError;
    use shared::practice::{PracticeState, SummaryItem};

    pub use crate::web::session;

    /// The session, the signed-in user (if any) and the practice state of this request. A
    /// signed-in learner's set is the account's (one still in the session moves there).
    pub async fn context(
        state: &AppState,
    ) -> Result<(Session, Option<User>, PracticeSession), AppError> {
        context_with(state, true).await
    }

    /// [`context`], without loading a signed-in learner's set when `with_set` is false (a
    /// request that replaces or ends it).
    pub async fn context_with(
        state: &AppState,
        with_set: bool,
    ) -> Result<(Session, Option<User>, PracticeSession), AppError> {
        let session = session().await?;
        let user = services::auth::current_user(&state.pool, &session).await?;
        let mut practice = load(&session).await?;
        if let Some(user) = &user {
            // A set still in the session (kept there by an older version) moves in first.
            let moved = if with_set {
                sets::adopt(&state.pool, user.user_id, &mut practice).await?
            } else {
                practice.set.take().is_some()
            };
            if moved {
                save(&session, &practice).await?;
            }
            if with_set {
                practice.set = sets::load(&state.pool, user.user_id).await?;
            }
        }
        Ok((session, user, practice))
    }

    /// Notes the time the current question is first shown; returns its position and the time
    /// when that is now.
    pub fn show_current(practice: &mut PracticeSession) -> Option<(usize, i64)> {
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
    pub async fn persist(
        state: &AppState,
        session: &Session,
        user: Option<&User>,
        practice: &PracticeSession,
        shown: Option<(usize, i64)>,
    ) -> Result<(), AppError> {
        match (user, shown) {
            (Some(user), Some((position, at_ms))) => {
                sets::mark_shown(&state.pool, user.user_id, position, at_ms)
                    .await
                    .map_err(AppError::internal)
            }
            (Some(_), None) => Ok(()),
            (None, _) => save(session, practice).await,
        }
    }

    /// The view of the set in progress, if any (the current question now counts as shown).
    pub async fn current_view(state: &AppState) -> Result<Option<PracticeState>, AppError> {
        let (session, user, mut practice) = context(state).await?;
        let shown = show_current(&mut practice);
        let marks = marks(state, user.as_ref(), &practice).await?;
        let bank = bank(state, &practice).await?;
        let view = self::state(state, &practice, &marks, &bank);
        persist(state, &session, user.as_ref(), &practice, shown).await?;
        Ok(view)
    }

    pub async fn marks(
        state: &AppState,
        user: Option<&User>,
        practice: &PracticeSession,
    ) -> Result<Marks, AppError> {
        services::practice::learner::marks(&state.pool, user, practice)
            .await
            .map_err(AppError::internal)
    }

    pub async fn load(session: &Session) -> Result<PracticeSession, AppError> {
        PracticeSession::load(session)
            .await
            .map_err(AppError::internal)
    }

    pub async fn save(session: &Session, practice: &PracticeSession) -> Result<(), AppError> {
        practice.store(session).await.map_err(AppError::internal)
    }

    pub use services::practice::now_ms;

    /// The questions the session's set can reach: the exam's, and a group's own when the
    /// set draws from one.
    pub async fn bank<'a>(
        state: &'a AppState,
        practice: &PracticeSession,
    ) -> Result<Bank<'a>, AppError> {
        let ids: Vec<&str> = practice
            .set
            .iter()
            .flat_map(|set| set.items.iter().map(|i| i.question_id.as_str()))
            .collect();
        services::bank::bank_for_ids(&state.pool, &state.content, ids).await
    }

    /// The state to show for the set in progress.
    pub fn state(
        state: &AppState,
        practice: &PracticeSession,
        marks: &Marks,
        bank: &Bank<'_>,
    ) -> Option<PracticeState> {
        let exam = crate::web::current_exam(&state.content);
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
                state,
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

    /// The view of one question of a set (`None` past the last one, or for a question the
    /// bank does not hold).
    pub fn place_view(
        state: &AppState,
        place: &SetPlace,
        bank: &Bank<'_>,
    ) -> Option<PracticeState> {
        let exam = crate::web::current_exam(&state.content);
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
                .then(|| services::integrity::EMBARGO_MESSAGE.to_string()),
            flagged: place.flagged,
            bookmarked: place.bookmarked,
            answered: place.answered,
            correct: place.correct,
            summary: Vec::new(),
        })
    }
}

/// What the filter form offers, with question counts.
#[server(name = GetPracticeOptions, prefix = "/api", endpoint = "practice/options")]
pub async fn get_practice_options() -> Result<PracticeOptions, AppError> {
    crate::web::respond(
        async move {
            use shared::practice::FilterChoice;
            use shared::question::ItemType;
            let state = crate::web::state::app_state()?;
            let exam = crate::web::current_exam(&state.content);
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
            let session = server::session().await?;
            let user = services::auth::current_user(&state.pool, &session).await?;
            let groups = match &user {
                Some(user) => services::groups::with_own_questions(&state.pool, user)
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
        .await,
    )
}

/// The practice set in progress, if any.
#[server(name = GetPracticeState, prefix = "/api", endpoint = "practice/state")]
pub async fn get_practice_state() -> Result<Option<PracticeState>, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            server::current_view(&state).await
        }
        .await,
    )
}

/// Draws a new set from the filter and shows its first question.
#[server(name = StartPractice, prefix = "/api", endpoint = "practice/start", input = leptos::server_fn::codec::Json)]
pub async fn start_practice(filter: PracticeFilter) -> Result<PracticeState, AppError> {
    crate::web::respond(
        async move {
            use services::practice::{PracticeSet, draw, sample_matching};
            use shared::practice::MAX_SET_SIZE;
            if filter.count == 0 || filter.count > MAX_SET_SIZE {
                return Err(AppError::field(
                    "count",
                    format!("Choose between 1 and {MAX_SET_SIZE} questions."),
                ));
            }
            if filter.difficulty.is_some_and(|d| !(1..=3).contains(&d)) {
                return Err(AppError::field("difficulty", "Difficulty is 1, 2 or 3."));
            }
            let state = crate::web::state::app_state()?;
            let exam = crate::web::current_exam(&state.content);
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
            let (session, user, mut practice) = server::context_with(&state, false).await?;
            if filter.status == shared::practice::QuestionStatus::Due && user.is_none() {
                return Err(AppError::field(
                    "status",
                    "Spaced review needs an account: sign in first.",
                ));
            }
            let history = services::practice::learner::history(
                &state.pool,
                user.as_ref(),
                &practice,
                &exam.meta.code,
                filter.status == shared::practice::QuestionStatus::Due,
            )
            .await?;
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
                    services::groups::ensure_may_practise(&state.pool, user, group_id).await?;
                    let mut conn = state.pool.acquire().await?;
                    Some(content::questions::QuestionBank::from_questions(
                        services::bank::group_questions(&mut conn, group_id, false).await?,
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
                return Err(AppError::field(
                    "question",
                    services::integrity::EMBARGO_MESSAGE,
                ));
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
                let message = if filter.status == shared::practice::QuestionStatus::Due {
                    "Nothing is due for review right now."
                } else {
                    "No questions match these filters. Widen them and try again."
                };
                return Err(AppError::field("filter", message));
            }
            // Reviews: the most overdue first (the draw then shuffles the ones it keeps).
            let questions = if filter.status == shared::practice::QuestionStatus::Due {
                questions[..questions.len().min(usize::from(filter.count))].to_vec()
            } else {
                questions
            };
            let items = draw(
                &questions,
                usize::from(filter.count),
                |id| state.question_version(id),
                &mut rng,
            );
            practice.set = Some(PracticeSet {
                filter,
                items,
                position: 0,
            });
            server::show_current(&mut practice);
            let bank = content::questions::Bank {
                exams: &state.content.exams,
                groups: group_bank.unwrap_or_default(),
            };
            let view = server::state(&state, &practice, &history.marks, &bank)
                .ok_or(AppError::Internal)?;
            match (&user, &practice.set) {
                (Some(user), Some(set)) => {
                    services::practice::sets::replace(&state.pool, user.user_id, set).await?;
                }
                _ => server::save(&session, &practice).await?,
            }
            Ok(view)
        }
        .await,
    )
}

/// Scores the answer to the current question and returns the feedback. Submitting again for
/// a question already answered returns the first result (a double click changes nothing).
#[server(name = SubmitPracticeAnswer, prefix = "/api", endpoint = "practice/answer", input = leptos::server_fn::codec::Json)]
pub async fn submit_practice_answer(
    question_id: String,
    response: Response,
) -> Result<PracticeState, AppError> {
    crate::web::respond(
        async move {
            use content::questions::Bank;
            use services::practice::AnswerRecord;
            let state = crate::web::state::app_state()?;
            let session = server::session().await?;
            if let Some(place) = state
                .answerer
                .answer(
                    &state.content,
                    &crate::web::current_exam(&state.content).meta.code,
                    &session,
                    &question_id,
                    &response,
                )
                .await?
                && let Some(view) =
                    server::place_view(&state, &place, &Bank::of_exams(&state.content))
            {
                return Ok(view);
            }
            let exam = crate::web::current_exam(&state.content);
            let (session, user, mut practice) = server::context(&state).await?;
            // Flags, bookmarks and the questions of an open mock exam: answering changes none.
            let marks = server::marks(&state, user.as_ref(), &practice).await?;
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
                    "This question is no longer the current one; the page was out of date."
                        .to_string(),
                ));
            }
            if item.answer.is_none() {
                if marks.in_open_exam.contains(&item.question_id) {
                    return Err(AppError::Conflict(
                        services::integrity::EMBARGO_MESSAGE.to_string(),
                    ));
                }
                // A study group's question: still a member who may practise it.
                if let Some(group_id) = services::bank::own_group(&state.content, &item.question_id)
                {
                    let Some(user) = &user else {
                        return Err(AppError::Unauthorized);
                    };
                    services::groups::ensure_may_practise(&state.pool, user, group_id).await?;
                }
                let bank = services::bank::bank_for_ids(
                    &state.pool,
                    &state.content,
                    [item.question_id.as_str()],
                )
                .await?;
                let question = bank.get(&item.question_id).ok_or(AppError::NotFound)?;
                // The browser answers in screen ids; the record keeps the bank's.
                let response = question
                    .shown(&item.order)
                    .to_bank(&response)
                    .map_err(|err| AppError::field("response", err))?;
                let score = shared::question::score(&question.key, &response)
                    .map_err(|err| AppError::field("response", err))?;
                let record = AnswerRecord::new(
                    item.question_id.clone(),
                    item.version,
                    response,
                    &score,
                    server::now_ms(),
                    item.shown_at_ms,
                );
                item.answer = Some(record.clone());
                match &user {
                    Some(user) => {
                        let stored = services::practice::learner::record_answer(
                            &state.pool,
                            user.user_id,
                            &exam.meta.code,
                            position,
                            &record,
                        )
                        .await?;
                        // Answered meanwhile (another tab): the first answer stands.
                        if !stored {
                            practice.set =
                                services::practice::sets::load(&state.pool, user.user_id).await?;
                        }
                    }
                    None => practice.remember(record),
                }
            }
            let bank = server::bank(&state, &practice).await?;
            let view = server::state(&state, &practice, &marks, &bank).ok_or(AppError::Internal)?;
            server::persist(&state, &session, user.as_ref(), &practice, None).await?;
            Ok(view)
        }
        .await,
    )
}

/// Moves to the next question (or the summary after the last one).
#[server(name = NextPracticeQuestion, prefix = "/api", endpoint = "practice/next")]
pub async fn next_practice_question() -> Result<PracticeState, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            let session = server::session().await?;
            if let Some(place) = state.answerer.next(&session).await? {
                if let Some(view) = server::place_view(
                    &state,
                    &place,
                    &content::questions::Bank::of_exams(&state.content),
                ) {
                    return Ok(view);
                }
                // Moved to the summary, or to a study group's question: the full view.
                return server::current_view(&state)
                    .await?
                    .ok_or(AppError::Internal);
            }
            let (session, user, mut practice) = server::context(&state).await?;
            let Some(set) = practice.set.as_mut() else {
                return Err(AppError::Conflict(
                    "There is no practice set in progress. Start one first.".to_string(),
                ));
            };
            if set.position < set.items.len() {
                set.position += 1;
            }
            if let Some(user) = &user {
                services::practice::sets::advance(&state.pool, user.user_id).await?;
            }
            let shown = server::show_current(&mut practice);
            let marks = server::marks(&state, user.as_ref(), &practice).await?;
            let bank = server::bank(&state, &practice).await?;
            let view = server::state(&state, &practice, &marks, &bank).ok_or(AppError::Internal)?;
            server::persist(&state, &session, user.as_ref(), &practice, shown).await?;
            Ok(view)
        }
        .await,
    )
}

/// Ends the current set (the answers stay in the history).
#[server(name = EndPractice, prefix = "/api", endpoint = "practice/end")]
pub async fn end_practice() -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            let (session, user, mut practice) = server::context_with(&state, false).await?;
            match &user {
                Some(user) => services::practice::sets::end(&state.pool, user.user_id)
                    .await
                    .map_err(AppError::internal),
                None => {
                    practice.set = None;
                    server::save(&session, &practice).await
                }
            }
        }
        .await,
    )
}

/// Flags a question for review, or bookmarks it; returns whether the mark is now set.
#[server(name = TogglePracticeMark, prefix = "/api", endpoint = "practice/mark")]
pub async fn toggle_practice_mark(question_id: String, bookmark: bool) -> Result<bool, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            let bank =
                services::bank::bank_for_ids(&state.pool, &state.content, [question_id.as_str()])
                    .await?;
            if bank.get(&question_id).is_none() {
                return Err(AppError::NotFound);
            }
            let session = server::session().await?;
            let user = services::auth::current_user(&state.pool, &session).await?;
            // A study group's question: only for members who may practise it (anyone else
            // learns nothing, not even that it exists).
            if let Some(group_id) = services::bank::own_group(&state.content, &question_id) {
                let user = user.as_ref().ok_or(AppError::NotFound)?;
                services::groups::ensure_may_practise(&state.pool, user, group_id)
                    .await
                    .map_err(|err| match err {
                        AppError::Conflict(_) => err,
                        _ => AppError::NotFound,
                    })?;
            }
            if let Some(user) = &user {
                return services::practice::learner::toggle_mark(
                    &state.pool,
                    user,
                    &question_id,
                    bookmark,
                )
                .await
                .map_err(AppError::internal);
            }
            let mut practice = server::load(&session).await?;
            let marks = if bookmark {
                &mut practice.bookmarked
            } else {
                &mut practice.flagged
            };
            let now_set = if marks.remove(&question_id) {
                false
            } else {
                marks.insert(question_id);
                true
            };
            server::save(&session, &practice).await?;
            Ok(now_set)
        }
        .await,
    )
}
