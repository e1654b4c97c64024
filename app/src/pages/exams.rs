//! `/exams`: the mock exam start page (blueprint, history, trend), and `/exams/{id}`: taking an
//! attempt (one question at a time, navigator, flags, a countdown to the server's deadline,
//! autosave on every change, a review screen) or, once submitted, its results.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::exams::{
    StartExam, flag_exam_question, get_attempt, get_exam_intro, go_to_exam_question,
    save_exam_answer, submit_exam,
};
use crate::components::answer::{AnswerInput, Draft, FeedbackView};
use crate::components::chart::ChartFigure;
use crate::components::forms::{confirm, focus_when_lost, go_to};
use crate::components::report::ReportProblem;
use crate::components::status::ErrorNotice;
use shared::error::AppError;
use shared::exam::{AttemptPage, ExamIntro, ExamResults, ExamSession};
use shared::question::{ItemType, Response};
use shared::when::to_minute;

/// The start page.
#[component]
pub fn ExamsPage() -> impl IntoView {
    let intro = Resource::new(|| (), |()| get_exam_intro());
    view! {
        <Title text="Mock exams" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match intro.await {
                    Ok(intro) => view! { <Intro intro=intro /> }.into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Intro(intro: ExamIntro) -> impl IntoView {
    let start = ServerAction::<StartExam>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            go_to(&format!("/exams/{id}"));
        }
    });
    let full = intro.lengths.last().cloned();
    view! {
        <header class="page-header">
            <p class="eyebrow">{intro.exam_title.clone()}</p>
            <h1>"Mock exams"</h1>
            <p class="lead">
                {full
                    .map(|l| {
                        format!(
                            "Like the real exam: {} questions in {} minutes, scored from 1 to 1000, {} to pass. ",
                            l.questions,
                            l.minutes,
                            intro.pass_mark,
                        )
                    })}
                "The server chooses the questions by the exam's domain weights and item types, times you, and saves every answer as you give it."
            </p>
        </header>
        <div class="exam-intro">
            <section class="account__section" aria-labelledby="how-title">
                <h2 id="how-title">"How it works"</h2>
                <ul class="rules">
                    <li>
                        "One question at a time; the navigator shows what is answered, unanswered and flagged. Go back to any question of the main section."
                    </li>
                    <li>
                        "A " <strong>"yes/no series"</strong>
                        " question cannot be revisited once you have answered it and moved on."
                    </li>
                    <li>
                        "The " <strong>"case study"</strong>
                        " comes in its own section at the end; once you leave it, you cannot go back in."
                    </li>
                    <li>
                        "The clock is the server's: reloading, closing the tab or losing the network does not stop it, and every saved answer stays saved. At the deadline the exam is submitted with the answers saved by then."
                    </li>
                    <li>
                        "Before you submit, a review screen lists the questions you left unanswered or flagged."
                    </li>
                </ul>
            </section>
            <section class="account__section" aria-labelledby="coverage-title">
                <h2 id="coverage-title">"What it covers"</h2>
                <p>{intro.coverage_note.clone()}</p>
                <table class="summary__table">
                    <thead>
                        <tr>
                            <th scope="col">"Exam domain"</th>
                            <th scope="col">"Official weight"</th>
                            <th scope="col">"Share of these questions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {intro
                            .domains
                            .iter()
                            .map(|d| {
                                view! {
                                    <tr>
                                        <th scope="row">{d.name.clone()}</th>
                                        <td>{d.official.clone()}</td>
                                        <td>{format!("{:.0}%", d.share * 100.0)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        {if !intro.signed_in {
            view! {
                <section class="notice sign-in-prompt" data-testid="sign-in-prompt">
                    <h2>"Sign in to sit a mock exam"</h2>
                    <p>
                        "Mock exams need an account: your answers are saved as you go, your time is kept by the server, and your results are kept so you can see your progress."
                    </p>
                    <p class="hero__actions">
                        <A href="/login?next=/exams" attr:class="button">
                            "Sign in"
                        </A>
                        <A href="/signup?next=/exams" attr:class="button button--secondary">
                            "Create an account"
                        </A>
                    </p>
                </section>
            }
                .into_any()
        } else if let Some(id) = intro.open_attempt {
            view! {
                <section class="review-due" data-testid="resume">
                    <p>
                        <strong>"You have a mock exam in progress."</strong>
                        " Its clock is running."
                    </p>
                    <A
                        href=format!("/exams/{id}")
                        attr:class="button"
                        attr:data-testid="resume-exam"
                    >
                        "Resume the exam"
                    </A>
                </section>
            }
                .into_any()
        } else {
            view! {
                <section class="start-exam" aria-labelledby="start-title">
                    <h2 id="start-title">"Start"</h2>
                    <div class="start-exam__choices">
                        {intro
                            .lengths
                            .clone()
                            .into_iter()
                            .enumerate()
                            .map(|(i, l)| {
                                let label = if i + 1 == intro.lengths.len() {
                                    "Full mock exam"
                                } else {
                                    "Short mock exam"
                                };
                                view! {
                                    <ActionForm action=start attr:class="start-exam__choice">
                                        <input type="hidden" name="questions" value=l.questions />
                                        <p class="start-exam__label">{label}</p>
                                        <p class="muted">
                                            {format!(
                                                "{} questions · {} minutes",
                                                l.questions,
                                                l.minutes,
                                            )}
                                        </p>
                                        <button
                                            class="button"
                                            type="submit"
                                            data-testid=format!("start-{}", l.questions)
                                            disabled=move || start.pending().get()
                                        >
                                            {format!("Start {} questions", l.questions)}
                                        </button>
                                    </ActionForm>
                                }
                            })
                            .collect_view()}
                    </div>
                    {move || {
                        start
                            .value()
                            .get()
                            .and_then(Result::err)
                            .map(|err| view! { <ErrorNotice error=err /> })
                    }}
                </section>
            }
                .into_any()
        }}
        {intro
            .trend
            .clone()
            .map(|chart| {
                view! {
                    <div class="chart-narrow">
                        <ChartFigure chart=chart testid="exam-trend" />
                    </div>
                }
            })}
        {(!intro.history.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="history-title">
                        <h2 id="history-title">"Your attempts"</h2>
                        <div class="table-wrap" tabindex="0">
                            <table class="summary__table" data-testid="exam-history">
                                <thead>
                                    <tr>
                                        <th scope="col">"Started (UTC)"</th>
                                        <th scope="col">"Questions"</th>
                                        <th scope="col">"Score"</th>
                                        <th scope="col">"Result"</th>
                                        <th scope="col">
                                            <span class="visually-hidden">"Open"</span>
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {intro
                                        .history
                                        .clone()
                                        .into_iter()
                                        .map(|a| {
                                            view! {
                                                <tr>
                                                    <td>{to_minute(&a.started_at)}</td>
                                                    <td>{a.questions}</td>
                                                    <td>
                                                        {a.scaled.map_or("–".to_string(), |s| s.to_string())}
                                                    </td>
                                                    <td>
                                                        {match (a.open, a.passed) {
                                                            (true, _) => "In progress".to_string(),
                                                            (_, Some(true)) => "Pass".to_string(),
                                                            _ => "Fail".to_string(),
                                                        }}{a.auto_submitted.then_some(" (time ran out)")}
                                                    </td>
                                                    <td>
                                                        <A href=format!(
                                                            "/exams/{}",
                                                            a.id,
                                                        )>{if a.open { "Resume" } else { "Results" }}</A>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }
            })}
    }
}

/// `/exams/{id}`.
#[component]
pub fn AttemptRoute() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let attempt = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_attempt(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Mock exam" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading the exam…"</p> }
        }>
            {move || Suspend::new(async move {
                match attempt.await {
                    Ok(AttemptPage::Open(session)) => {
                        view! { <Runner session=session /> }.into_any()
                    }
                    Ok(AttemptPage::Done(results)) => {
                        view! { <Results results=*results /> }.into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        view! {
                            <crate::components::user::SignInPrompt
                                title="Mock exam"
                                text="Sign in to take or review your mock exams."
                                next="/exams"
                            />
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or_default())
            .unwrap_or_default()
    }
}

fn clock(ms: i64) -> String {
    let secs = (ms.max(0) + 999) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// How saving is going, for the status line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveStatus {
    Idle,
    Saving,
    Saved,
    Retrying,
}

/// Taking an open attempt.
#[component]
fn Runner(session: ExamSession) -> impl IntoView {
    let id = session.id;
    let total = session.items.len();
    let items = StoredValue::new(session.items.clone());
    let shown_once = StoredValue::new(false);
    let responses = RwSignal::new(
        session
            .items
            .iter()
            .map(|i| i.response.clone())
            .collect::<Vec<_>>(),
    );
    let flagged = RwSignal::new(session.items.iter().map(|i| i.flagged).collect::<Vec<_>>());
    let locked = RwSignal::new(
        session
            .items
            .iter()
            .filter(|i| i.locked)
            .map(|i| i.position)
            .collect::<BTreeSet<_>>(),
    );
    let case_closed = RwSignal::new(session.case_closed);
    let position = RwSignal::new(session.position.min(total.saturating_sub(1)));
    let reviewing = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let status = RwSignal::new(SaveStatus::Idle);
    // Saves are numbered above anything the server has seen, and above the clock, so a newer
    // save always wins even across reloads.
    let seq = StoredValue::new(session.last_seq.max(now_ms()));
    let next_seq = move || {
        let n = (seq.get_value() + 1).max(now_ms());
        seq.set_value(n);
        n
    };
    // The countdown: the server's deadline, corrected for the browser clock's offset.
    let offset = session.server_now_ms - now_ms();
    let deadline = session.deadline_ms;
    let now = RwSignal::new(now_ms() + offset);
    let remaining = move || deadline - now.get();
    let time_up = RwSignal::new(false);
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || now.set(now_ms() + offset),
            std::time::Duration::from_millis(500),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });

    let save = Action::new(
        move |(position, response, seq): &(usize, Option<Response>, i64)| {
            save_exam_answer(id, *position, response.clone(), *seq)
        },
    );
    let pending_retry = StoredValue::new(None::<(usize, Option<Response>)>);
    let send = move |pos: usize, response: Option<Response>| {
        status.set(SaveStatus::Saving);
        save.dispatch((pos, response, next_seq()));
    };
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        match result {
            Ok(_) => {
                if save.pending().get_untracked() {
                    return;
                }
                status.set(SaveStatus::Saved);
            }
            Err(AppError::Conflict(text)) => {
                message.set(Some(text));
                status.set(SaveStatus::Idle);
            }
            Err(_) => {
                // The network or the server is away: try the latest answer again shortly.
                status.set(SaveStatus::Retrying);
                let pos = position.get_untracked();
                pending_retry.set_value(Some((pos, responses.get_untracked()[pos].clone())));
                set_timeout(
                    move || {
                        if let Some((pos, response)) = pending_retry.get_value() {
                            pending_retry.set_value(None);
                            send(pos, response);
                        }
                    },
                    std::time::Duration::from_secs(3),
                );
            }
        }
    });
    let submit = Action::new(move |_: &()| submit_exam(id));
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => go_to(&format!("/exams/{id}")),
        Some(Err(err)) => message.set(Some(err.to_string())),
        None => {}
    });
    // At the deadline: the server submits by itself; show the results.
    Effect::new(move |_| {
        if remaining() <= 0 && !time_up.get_untracked() {
            time_up.set(true);
            set_timeout(
                move || go_to(&format!("/exams/{id}")),
                std::time::Duration::from_secs(3),
            );
        }
    });

    let go = Action::new(move |to: &usize| go_to_exam_question(id, *to));
    Effect::new(move |_| match go.value().get() {
        Some(Ok(nav)) => {
            position.set(nav.position);
            case_closed.set(nav.case_closed);
            locked.set(nav.locked.into_iter().collect());
            reviewing.set(false);
            message.set(None);
        }
        Some(Err(err)) => message.set(Some(err.to_string())),
        None => {}
    });
    let section_of = move |pos: usize| items.with_value(|v| v.get(pos).map_or(0, |i| i.section));
    let reachable = move |pos: usize| {
        let closed_case = section_of(pos) == 1 && case_closed.get();
        !(locked.get().contains(&pos) || closed_case)
    };
    let move_to = move |to: usize| {
        let from = position.get_untracked();
        if to >= total {
            return;
        }
        if to == from && !reviewing.get_untracked() {
            return;
        }
        let leaving_case =
            section_of(from) == 1 && section_of(to) == 0 && !reviewing.get_untracked();
        if leaving_case
            && !confirm(
                "You are leaving the case study. You will not be able to come back to it. Continue?",
            )
        {
            return;
        }
        let from_yesno = items.with_value(|v| v.get(from).map(|i| i.question.item_type))
            == Some(ItemType::Yesno);
        if from_yesno
            && to != from
            && responses.get_untracked()[from].is_some()
            && !locked.get_untracked().contains(&from)
            && !reviewing.get_untracked()
            && !confirm("Once you leave this yes/no question you cannot come back to it. Continue?")
        {
            return;
        }
        go.dispatch(to);
    };
    let toggle_flag = move || {
        let pos = position.get_untracked();
        let now_flagged = !flagged.get_untracked()[pos];
        flagged.update(|f| f[pos] = now_flagged);
        leptos::task::spawn_local(async move {
            if let Err(err) = flag_exam_question(id, pos, now_flagged).await {
                message.set(Some(err.to_string()));
            }
        });
    };

    view! {
        <div class="exam" data-testid="exam" data-attempt=id>
            <div class="exam__bar" role="region" aria-label="Exam status">
                <p class="exam__title">{session.exam_title.clone()}</p>
                <p
                    class="exam__clock"
                    class:is-low=move || remaining() < 5 * 60 * 1000
                    data-testid="countdown"
                >
                    <span class="visually-hidden">"Time left: "</span>
                    {move || clock(remaining())}
                </p>
                <p class="exam__save muted" aria-live="polite" data-testid="save-status">
                    {move || match status.get() {
                        SaveStatus::Idle => "",
                        SaveStatus::Saving => "Saving…",
                        SaveStatus::Saved => "All answers saved",
                        SaveStatus::Retrying => "Not saved yet: retrying…",
                    }}
                </p>
            </div>
            {move || {
                time_up
                    .get()
                    .then(|| {
                        view! {
                            <p class="notice--error" role="alert">
                                "Time is up. Your exam has been submitted with the answers saved; showing your results…"
                            </p>
                        }
                    })
            }}
            {move || {
                message
                    .get()
                    .map(|m| {
                        view! {
                            <p class="notice--error" role="alert" data-testid="exam-message">
                                {m}
                            </p>
                        }
                    })
            }}
            <nav class="navigator" aria-label="Questions">
                <ol>
                    {(0..total)
                        .map(|pos| {
                            let section = section_of(pos);
                            let first_case = section == 1 && (pos == 0 || section_of(pos - 1) == 0);
                            view! {
                                {first_case
                                    .then(|| {
                                        view! { <li class="navigator__section">"Case study"</li> }
                                    })}
                                <li>
                                    <button
                                        type="button"
                                        class="navigator__item"
                                        class:is-current=move || {
                                            position.get() == pos && !reviewing.get()
                                        }
                                        class:is-answered=move || responses.get()[pos].is_some()
                                        class:is-flagged=move || flagged.get()[pos]
                                        class:is-locked=move || !reachable(pos)
                                        aria-current=move || {
                                            (position.get() == pos && !reviewing.get())
                                                .then_some("step")
                                        }
                                        disabled=move || !reachable(pos)
                                        data-testid=format!("nav-{}", pos + 1)
                                        on:click=move |_| move_to(pos)
                                    >
                                        {pos + 1}
                                        <span class="visually-hidden">
                                            {move || {
                                                let mut parts = vec![
                                                    if responses.get()[pos].is_some() {
                                                        "answered"
                                                    } else {
                                                        "unanswered"
                                                    },
                                                ];
                                                if flagged.get()[pos] {
                                                    parts.push("flagged");
                                                }
                                                if !reachable(pos) {
                                                    parts.push("closed");
                                                }
                                                format!(" ({})", parts.join(", "))
                                            }}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </nav>
            {move || {
                if reviewing.get() {
                    view! {
                        <ReviewScreen
                            total=total
                            responses=responses
                            flagged=flagged
                            reachable=Callback::new(move |p: usize| reachable(p))
                            on_go=Callback::new(move |p: usize| move_to(p))
                            on_submit=Callback::new(move |()| {
                                submit.dispatch(());
                            })
                        />
                    }
                        .into_any()
                } else {
                    let pos = position.get();
                    focus_when_lost("question-title", shown_once.get_value());
                    shown_once.set_value(true);
                    let item = items.with_value(|v| v[pos].clone());
                    let q = item.question.clone();
                    let saved = responses.with_untracked(|r| r[pos].clone());
                    let draft = Draft::with_response(&q, saved.as_ref());
                    let initial_order = draft.order.get_untracked();
                    let closed = !reachable(pos);
                    let qv = StoredValue::new(q.clone());
                    Effect::new(move |first: Option<()>| {
                        let order_touched = draft.order.get() != initial_order;
                        let partial = draft.partial(&qv.get_value(), order_touched);
                        if first.is_none() || closed {
                            return;
                        }
                        if responses.with_untracked(|r| r[pos] == partial) {
                            return;
                        }
                        responses.update(|r| r[pos] = partial.clone());
                        send(pos, partial);
                    });
                    // A question replacing another (or the review screen) takes the focus that was
                    // lost with it; the first one, on page load, does not.
                    // Autosave: every change of the draft is sent (numbered, so order is kept).
                    view! {
                        <section
                            class="question-card"
                            data-testid="question"
                            data-type=q.item_type.as_str()
                            data-question-id=q.id.clone()
                            data-position=pos
                            aria-labelledby="question-title"
                        >
                            <div class="question-card__top">
                                <p class="question-card__meta" id="question-title" tabindex="-1">
                                    {format!("Question {} of {}", pos + 1, total)}
                                    <span class="badge">{q.item_type.label()}</span>
                                    {(item.section == 1)
                                        .then(|| {
                                            view! { <span class="badge">"Case study section"</span> }
                                        })}
                                </p>
                                <div class="question-card__marks">
                                    <button
                                        type="button"
                                        class="chip"
                                        data-testid="flag"
                                        aria-pressed=move || flagged.get()[pos].to_string()
                                        on:click=move |_| toggle_flag()
                                    >
                                        {move || {
                                            if flagged.get()[pos] {
                                                "⚑ Marked for review"
                                            } else {
                                                "⚐ Mark for review"
                                            }
                                        }}
                                    </button>
                                </div>
                            </div>
                            {(q.item_type == ItemType::Yesno)
                                .then(|| {
                                    view! {
                                        <p class="callout callout--note">
                                            "This question is part of a series. Once you answer it and move on, you cannot come back to it."
                                        </p>
                                    }
                                })}
                            {q
                                .case
                                .clone()
                                .map(|case| {
                                    view! {
                                        <details class="case-study" open>
                                            <summary>{format!("Case study: {}", case.title)}</summary>
                                            <div class="prose" inner_html=case.scenario_html></div>
                                        </details>
                                    }
                                })}
                            {q
                                .diagram_html
                                .clone()
                                .map(|html| {
                                    view! { <div class="question-diagram" inner_html=html></div> }
                                })}
                            <div
                                class="question-card__stem prose"
                                inner_html=q.stem_html.clone()
                            ></div>
                            <fieldset class="exam__answer" disabled=closed>
                                <AnswerInput question=q.clone() draft=draft />
                            </fieldset>
                            <div class="answer-form__actions">
                                <button
                                    type="button"
                                    class="button button--secondary"
                                    data-testid="prev"
                                    disabled=move || pos == 0 || !reachable(pos - 1)
                                    on:click=move |_| move_to(pos - 1)
                                >
                                    "← Previous"
                                </button>
                                {if pos + 1 < total {
                                    view! {
                                        <button
                                            type="button"
                                            class="button"
                                            data-testid="next"
                                            on:click=move |_| move_to(pos + 1)
                                        >
                                            "Next →"
                                        </button>
                                    }
                                        .into_any()
                                } else {
                                    ().into_any()
                                }}
                                <button
                                    type="button"
                                    class="button button--secondary"
                                    data-testid="review"
                                    on:click=move |_| reviewing.set(true)
                                >
                                    "Review and submit"
                                </button>
                            </div>
                        </section>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// The screen before submitting: what is unanswered or flagged, and the submit button.
#[component]
fn ReviewScreen(
    total: usize,
    responses: RwSignal<Vec<Option<Response>>>,
    flagged: RwSignal<Vec<bool>>,
    reachable: Callback<usize, bool>,
    on_go: Callback<usize>,
    on_submit: Callback<()>,
) -> impl IntoView {
    // Opened from a button of the card it replaces: focus would be lost.
    focus_when_lost("review-title", true);
    let unanswered = move || {
        (0..total)
            .filter(|p| responses.get()[*p].is_none())
            .collect::<Vec<_>>()
    };
    let marked = move || (0..total).filter(|p| flagged.get()[*p]).collect::<Vec<_>>();
    let list = move |positions: Vec<usize>, testid: &'static str| {
        view! {
            <ul class="review-list" data-testid=testid>
                {positions
                    .into_iter()
                    .map(|p| {
                        view! {
                            <li>
                                {if reachable.run(p) {
                                    view! {
                                        <button
                                            type="button"
                                            class="chip"
                                            on:click=move |_| on_go.run(p)
                                        >
                                            {format!("Question {}", p + 1)}
                                        </button>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <span class="chip is-locked">
                                            {format!("Question {} (closed)", p + 1)}
                                        </span>
                                    }
                                        .into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    };
    view! {
        <section
            class="question-card review-screen"
            data-testid="review-screen"
            aria-labelledby="review-title"
        >
            <h2 id="review-title" tabindex="-1">
                "Review before submitting"
            </h2>
            <p>
                {move || format!("{} of {} questions answered.", total - unanswered().len(), total)}
            </p>
            <h3>{move || format!("Unanswered ({})", unanswered().len())}</h3>
            {move || {
                if unanswered().is_empty() {
                    view! { <p class="muted">"None."</p> }.into_any()
                } else {
                    list(unanswered(), "unanswered-list").into_any()
                }
            }}
            <h3>{move || format!("Marked for review ({})", marked().len())}</h3>
            {move || {
                if marked().is_empty() {
                    view! { <p class="muted">"None."</p> }.into_any()
                } else {
                    list(marked(), "flagged-list").into_any()
                }
            }}
            <div class="answer-form__actions">
                <button
                    type="button"
                    class="button"
                    data-testid="submit-exam"
                    on:click=move |_| {
                        let left = unanswered().len();
                        let text = if left > 0 {
                            format!(
                                "Submit the exam with {left} unanswered question(s)? You cannot change answers afterwards.",
                            )
                        } else {
                            "Submit the exam? You cannot change answers afterwards.".to_string()
                        };
                        if confirm(&text) {
                            on_submit.run(());
                        }
                    }
                >
                    "Submit exam"
                </button>
            </div>
        </section>
    }
}

fn minutes(secs: i64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A submitted attempt.
#[component]
pub fn Results(results: ExamResults) -> impl IntoView {
    let breakdown = |title: &'static str,
                     heading: &'static str,
                     rows: Vec<shared::exam::Breakdown>,
                     testid: &'static str| {
        view! {
            <section class="account__section" aria-label=title>
                <h2>{title}</h2>
                <div class="table-wrap" tabindex="0" role="region" aria-label=title>
                    <table class="summary__table" data-testid=testid>
                        <thead>
                            <tr>
                                <th scope="col">{heading}</th>
                                <th scope="col">"Questions"</th>
                                <th scope="col">"Score"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|b| {
                                    view! {
                                        <tr>
                                            <th scope="row">{b.label.clone()}</th>
                                            <td>{b.questions}</td>
                                            <td>
                                                <span class="meter" aria-hidden="true">
                                                    <span
                                                        class="meter__fill"
                                                        style=format!("width:{:.0}%", b.percent())
                                                    ></span>
                                                </span>
                                                {format!("{:.0}%", b.percent())}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    };
    view! {
        <div class="results" data-testid="results">
            <header class="page-header">
                <p class="eyebrow">{results.exam_title.clone()}</p>
                <h1>"Mock exam results"</h1>
            </header>
            <section class="readiness" aria-label="Score">
                <p class="readiness__figure" data-testid="scaled-score">
                    {results.scaled}
                </p>
                <p class="readiness__verdict">
                    {if results.passed {
                        view! {
                            <span class="badge badge--good" data-testid="verdict">
                                "Pass"
                            </span>
                        }
                            .into_any()
                    } else {
                        view! {
                            <span class="badge badge--bad" data-testid="verdict">
                                "Fail"
                            </span>
                        }
                            .into_any()
                    }} {format!(" {} needed to pass, on a scale of 1 to 1000.", results.pass_mark)}
                </p>
                <p class="readiness__basis muted">
                    {format!(
                        "{} of {} questions answered; {:.0}% of the available points. Time used {} of {}.",
                        results.answered,
                        results.questions,
                        results.raw * 100.0,
                        minutes(results.time_used_secs),
                        minutes(results.time_allowed_secs),
                    )}
                    {results
                        .auto_submitted
                        .then_some(" Submitted by the server when the time ran out.")}
                    " The scale is linear: 70% of the points is 700."
                </p>
            </section>
            <p class="no-print">
                <button
                    type="button"
                    class="button button--secondary"
                    on:click=move |_| {
                        #[cfg(feature = "hydrate")]
                        if let Some(w) = web_sys::window() {
                            let _ = w.print();
                        }
                    }
                >
                    "Print results"
                </button>
                " "
                <A href="/exams">"Back to mock exams"</A>
            </p>
            <div class="chart-grid">
                {breakdown("By exam domain", "Exam domain", results.by_domain.clone(), "by-domain")}
                {breakdown("By item type", "Item type", results.by_type.clone(), "by-type")}
            </div>
            {results
                .review_note
                .clone()
                .map(|note| {
                    view! {
                        <p class="callout callout--note" data-testid="review-note">
                            {note}
                        </p>
                    }
                })}
            <section aria-labelledby="review-items-title">
                <h2 id="review-items-title">"Question by question"</h2>
                <ol class="result-items">
                    {results
                        .items
                        .into_iter()
                        .map(|item| {
                            let q = item.question.clone();
                            let bank_id = item.feedback.question_id.clone();
                            let next = format!("/exams/{}", results.id);
                            view! {
                                <li
                                    class="result-item"
                                    data-testid="result-item"
                                    data-correct=item.correct.to_string()
                                >
                                    <details open=!item.correct>
                                        <summary>
                                            {format!(
                                                "Question {} · {}",
                                                item.position + 1,
                                                item.item_type.label(),
                                            )}
                                            {if !item.answered {
                                                " · unanswered".to_string()
                                            } else if item.correct {
                                                " · right".to_string()
                                            } else if item.points > 0.0 {
                                                format!(" · {} of {}", item.points, item.max)
                                            } else {
                                                " · wrong".to_string()
                                            }} {item.flagged.then_some(" · ⚑ marked")}
                                        </summary>
                                        {q
                                            .case
                                            .clone()
                                            .map(|case| {
                                                view! {
                                                    <p class="muted">{format!("Case study: {}", case.title)}</p>
                                                }
                                            })}
                                        {q
                                            .diagram_html
                                            .clone()
                                            .map(|html| {
                                                view! {
                                                    <div class="question-diagram" inner_html=html></div>
                                                }
                                            })}
                                        <div
                                            class="question-card__stem prose"
                                            inner_html=q.stem_html.clone()
                                        ></div>
                                        <FeedbackView feedback=item.feedback />
                                        <ReportProblem question_id=bank_id next=next />
                                    </details>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
        </div>
    }
}
