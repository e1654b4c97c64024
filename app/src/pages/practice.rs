//! `/practice`: choose a set of questions by domain, page, item type, difficulty and history;
//! answer one at a time; see right or wrong with the key, an explanation of every option and
//! links to the reference; a summary at the end. Keyboard: digits choose, Enter submits,
//! N goes to the next question.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::practice::{
    end_practice, get_practice_options, get_practice_state, next_practice_question, start_practice,
    submit_practice_answer, toggle_practice_mark,
};
use crate::components::answer::{AnswerInput, Draft, FeedbackView};
use crate::components::forms::focus_when_lost;
use crate::components::report::ReportProblem;
use crate::components::status::ErrorNotice;
use shared::error::AppError;
use shared::practice::{
    MAX_SET_SIZE, PracticeFilter, PracticeOptions, PracticeState, QuestionStatus,
};
use shared::question::{ItemType, Response};

/// The practice page.
#[component]
pub fn PracticePage() -> impl IntoView {
    let options = Resource::new(|| (), |()| get_practice_options());
    let state = Resource::new(|| (), |()| get_practice_state());
    view! {
        <Title text="Practice" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading practice…"</p> }
        }>
            {move || Suspend::new(async move {
                match (options.await, state.await) {
                    (Ok(options), Ok(state)) => {
                        view! { <Practice options=options initial=state /> }.into_any()
                    }
                    (Err(err), _) | (_, Err(err)) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Practice(options: PracticeOptions, initial: Option<PracticeState>) -> impl IntoView {
    let state = RwSignal::new(initial);
    let error = RwSignal::new(None::<AppError>);
    // Set once the learner has done something: from then on a replaced card takes the focus.
    let acted = StoredValue::new(false);
    let apply = move |result: Result<PracticeState, AppError>| match result {
        Ok(next) => {
            error.set(None);
            acted.set_value(true);
            state.set(Some(next));
        }
        Err(err) => error.set(Some(err)),
    };
    let start = Action::new(|filter: &PracticeFilter| start_practice(filter.clone()));
    let submit = Action::new(|(id, response): &(String, Response)| {
        submit_practice_answer(id.clone(), response.clone())
    });
    let next = Action::new(|_: &()| next_practice_question());
    let end = Action::new(|_: &()| end_practice());
    Effect::new(move |_| {
        if let Some(result) = start.value().get() {
            apply(result);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            apply(result);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = next.value().get() {
            apply(result);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = end.value().get() {
            match result {
                Ok(()) => state.set(None),
                Err(err) => error.set(Some(err)),
            }
        }
    });
    // A search result links to one question: start a set with just that question, then drop
    // the parameter so a reload does not start it again.
    let query = use_query_map();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(id) = query.read_untracked().get("question") {
            start.dispatch(PracticeFilter {
                count: 1,
                question: Some(id),
                ..Default::default()
            });
            navigate(
                "/practice",
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let options = StoredValue::new(options);
    view! {
        <header class="page-header">
            <h1>"Practice"</h1>
        </header>
        {move || {
            error
                .get()
                .filter(|e| !matches!(e, AppError::Validation(_)))
                .map(|err| view! { <ErrorNotice error=err /> })
        }}
        {move || match state.get() {
            None => {
                view! { <FilterForm options=options.get_value() start=start error=error /> }
                    .into_any()
            }
            Some(current) if current.question.is_none() => {
                view! {
                    <Summary
                        state=current
                        focus=acted.get_value()
                        on_new=move || {
                            end.dispatch(());
                        }
                    />
                }
                    .into_any()
            }
            Some(current) => {
                let question_id = current
                    .question
                    .as_ref()
                    .map(|q| q.id.clone())
                    .unwrap_or_default();
                view! {
                    <QuestionCard
                        state=current
                        focus=acted.get_value()
                        error=error
                        on_submit=Callback::new(move |response: Response| {
                            submit.dispatch((question_id.clone(), response));
                        })
                        on_next=Callback::new(move |()| {
                            next.dispatch(());
                        })
                        on_end=Callback::new(move |()| {
                            end.dispatch(());
                        })
                        pending=Signal::derive(move || {
                            submit.pending().get() || next.pending().get()
                        })
                    />
                }
                    .into_any()
            }
        }}
    }
}

/// The filter form that starts a set.
#[component]
fn FilterForm(
    options: PracticeOptions,
    start: Action<PracticeFilter, Result<PracticeState, AppError>>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let query = use_query_map();
    let initial = |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let domain = RwSignal::new(initial("domain"));
    let page = RwSignal::new(initial("page"));
    let objective = RwSignal::new(initial("objective"));
    let item_type = RwSignal::new(initial("type"));
    let difficulty = RwSignal::new(initial("difficulty"));
    let status = RwSignal::new(initial("status"));
    let group = RwSignal::new(initial("group"));
    let from_group = move || !group.get().is_empty();
    let count = RwSignal::new({
        let value = initial("count");
        if value.is_empty() {
            "10".to_string()
        } else {
            value
        }
    });
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .map(|e| e.field_messages(field))
                .unwrap_or_default()
                .into_iter()
                .map(|m| {
                    view! {
                        <p class="field-error" role="alert">
                            {m}
                        </p>
                    }
                })
                .collect_view()
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let some = |s: String| (!s.is_empty()).then_some(s);
        let Ok(count_value) = count.get_untracked().trim().parse::<u8>() else {
            error.set(Some(AppError::field(
                "count",
                format!("Enter a number from 1 to {MAX_SET_SIZE}."),
            )));
            return;
        };
        let group_id = group.get_untracked().parse::<i64>().ok();
        // A group's own questions have no exam domains or reference pages.
        let exam_only = |s: String| if group_id.is_some() { None } else { some(s) };
        start.dispatch(PracticeFilter {
            domain: exam_only(domain.get_untracked()),
            page: exam_only(page.get_untracked()),
            objective: exam_only(objective.get_untracked()),
            item_type: ItemType::parse(&item_type.get_untracked()),
            difficulty: difficulty.get_untracked().parse().ok(),
            status: QuestionStatus::parse(&status.get_untracked()),
            count: count_value,
            question: None,
            group: group_id,
        });
    };
    let select = |label: &'static str,
                  id: &'static str,
                  signal: RwSignal<String>,
                  any: &'static str,
                  choices: Vec<(String, String)>| {
        let exam_filter = matches!(id, "domain" | "page" | "objective");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select
                    id=id
                    data-testid=id
                    prop:value=move || signal.get()
                    disabled=move || exam_filter && from_group()
                    on:change=move |ev| signal.set(event_target_value(&ev))
                >
                    <option value="">{any}</option>
                    {choices
                        .into_iter()
                        .map(|(value, text)| {
                            let selected = signal.get_untracked() == value;
                            view! {
                                <option value=value selected=selected>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {field_error(id)}
            </div>
        }
    };
    let with_count = |c: &shared::practice::FilterChoice| {
        (c.value.clone(), format!("{} ({})", c.label, c.count))
    };
    view! {
        <p class="lead">
            {format!("{} original questions in seven exam formats. ", options.total)}
            "Pick what to practise; every answer comes with an explanation of each option and a link to the reference."
        </p>
        {if options.signed_in {
            view! {
                <p class="muted" data-testid="practice-saved-note">
                    "Signed in: every answer is saved to your account and scheduled for review."
                </p>
            }
                .into_any()
        } else {
            view! {
                <p class="muted" data-testid="practice-saved-note">
                    <A href="/login?next=/practice">"Sign in"</A>
                    " to keep your answers for good; what you practise now comes along."
                </p>
            }
                .into_any()
        }}
        <form class="filter-form" on:submit=on_submit data-testid="practice-filters">
            {(!options.groups.is_empty())
                .then(|| select(
                    "Question bank",
                    "group",
                    group,
                    "This exam's questions",
                    options
                        .groups
                        .iter()
                        .map(|g| (
                            g.value.clone(),
                            format!("{}: the group's own questions ({})", g.label, g.count),
                        ))
                        .collect(),
                ))}
            {select(
                "Exam domain",
                "domain",
                domain,
                "All domains",
                options.domains.iter().map(with_count).collect(),
            )}
            {(!options.objectives.is_empty())
                .then(|| select(
                    "Exam objective",
                    "objective",
                    objective,
                    "All objectives",
                    options.objectives.iter().map(with_count).collect(),
                ))}
            {select(
                "Reference page",
                "page",
                page,
                "All pages",
                options.pages.iter().map(with_count).collect(),
            )}
            {select(
                "Question type",
                "type",
                item_type,
                "All types",
                options.types.iter().map(with_count).collect(),
            )}
            {select(
                "Difficulty",
                "difficulty",
                difficulty,
                "Any difficulty",
                vec![
                    ("1".into(), "Easy".into()),
                    ("2".into(), "Medium".into()),
                    ("3".into(), "Hard".into()),
                ],
            )}
            {select(
                "Which questions",
                "status",
                status,
                "All questions",
                vec![
                    ("unseen".into(), "Not seen yet".into()),
                    ("missed".into(), "Missed before".into()),
                    ("marked".into(), "Flagged or bookmarked".into()),
                    ("due".into(), "Due for review (signed in)".into()),
                ],
            )}
            <div class="field">
                <label for="count">"Questions in the set"</label>
                <input
                    id="count"
                    type="number"
                    min="1"
                    max=MAX_SET_SIZE.to_string()
                    data-testid="count"
                    prop:value=move || count.get()
                    on:input=move |ev| count.set(event_target_value(&ev))
                />
                {field_error("count")}
            </div>
            <div class="filter-form__actions">
                {field_error("filter")}
                <button
                    type="submit"
                    class="button"
                    data-testid="start-practice"
                    disabled=move || start.pending().get()
                >
                    "Start practising"
                </button>
            </div>
        </form>
        <KeyboardHelp />
    }
}

#[component]
fn KeyboardHelp() -> impl IntoView {
    view! {
        <aside class="keyboard-help" aria-labelledby="keyboard-help-title">
            <h2 id="keyboard-help-title">"Keyboard shortcuts"</h2>
            <dl>
                <dt>
                    <kbd>"1"</kbd>
                    " – "
                    <kbd>"9"</kbd>
                </dt>
                <dd>"choose (or unchoose) the option with that number"</dd>
                <dt>
                    <kbd>"Enter"</kbd>
                </dt>
                <dd>"submit your answer"</dd>
                <dt>
                    <kbd>"N"</kbd>
                </dt>
                <dd>"next question, once you have seen the feedback"</dd>
            </dl>
            <p class="muted">
                "Ordering questions: move the focused step with its ↑ and ↓ buttons."
            </p>
        </aside>
    }
}

#[component]
fn QuestionCard(
    state: PracticeState,
    /// Take the focus when it was lost (the previous card was just replaced).
    focus: bool,
    error: RwSignal<Option<AppError>>,
    on_submit: Callback<Response>,
    on_next: Callback<()>,
    on_end: Callback<()>,
    pending: Signal<bool>,
) -> impl IntoView {
    let Some(question) = state.question.clone() else {
        return ().into_any();
    };
    let draft = Draft::new(&question);
    let hint = RwSignal::new(None::<String>);
    let answered = state.feedback.is_some();
    let flagged = RwSignal::new(state.flagged);
    let bookmarked = RwSignal::new(state.bookmarked);
    let question = StoredValue::new(question);
    let submit = move || {
        if answered || pending.get_untracked() {
            return;
        }
        match draft.response(&question.get_value()) {
            Ok(response) => {
                hint.set(None);
                on_submit.run(response);
            }
            Err(message) => hint.set(Some(message)),
        }
    };
    // Keyboard shortcuts, while this question is shown (browser only).
    Effect::new(move |_| {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let key = ev.key();
            if let Some(digit) = key.chars().next().and_then(|c| c.to_digit(10))
                && key.len() == 1
                && (1..=9).contains(&digit)
                && !answered
            {
                let q = question.get_value();
                if matches!(
                    q.item_type,
                    ItemType::Single | ItemType::Multi | ItemType::Case | ItemType::Diagram
                ) {
                    ev.prevent_default();
                    draft.toggle(&q, digit as usize - 1);
                }
            } else if key == "Enter" && !answered && !target_is_control(&ev) {
                ev.prevent_default();
                submit();
            } else if (key == "n" || key == "N") && answered {
                ev.prevent_default();
                on_next.run(());
            }
        });
        on_cleanup(move || handle.remove());
    });
    let toggle_mark = move |bookmark: bool| {
        let id = question.get_value().id;
        leptos::task::spawn_local(async move {
            match toggle_practice_mark(id, bookmark).await {
                Ok(now) if bookmark => bookmarked.set(now),
                Ok(now) => flagged.set(now),
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let q = question.get_value();
    let is_last = state.position + 1 >= state.total;
    // After an answer, focus goes to "Next"; on a new question, to its title.
    focus_when_lost(
        if answered {
            "next-question"
        } else {
            "question-title"
        },
        focus,
    );
    view! {
        <section
            class="question-card"
            data-testid="question"
            data-type=q.item_type.as_str()
            data-question-id=q.id.clone()
            aria-labelledby="question-title"
        >
            <div class="question-card__top">
                <p class="question-card__meta" id="question-title" tabindex="-1">
                    {format!("Question {} of {}", state.position + 1, state.total)}
                    <span class="badge">{q.item_type.label()}</span>
                    <span class="muted">{format!(" · {} correct so far", state.correct)}</span>
                </p>
                <div class="question-card__marks">
                    <button
                        type="button"
                        class="chip"
                        data-testid="flag"
                        aria-pressed=move || flagged.get().to_string()
                        on:click=move |_| toggle_mark(false)
                    >
                        {move || if flagged.get() { "⚑ Flagged" } else { "⚐ Flag for review" }}
                    </button>
                    <button
                        type="button"
                        class="chip"
                        data-testid="bookmark"
                        aria-pressed=move || bookmarked.get().to_string()
                        on:click=move |_| toggle_mark(true)
                    >
                        {move || if bookmarked.get() { "★ Bookmarked" } else { "☆ Bookmark" }}
                    </button>
                </div>
            </div>
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
                .map(|html| view! { <div class="question-diagram" inner_html=html></div> })}
            <div class="question-card__stem prose" inner_html=q.stem_html.clone()></div>
            {match (state.feedback.clone(), state.notice.clone()) {
                (None, Some(notice)) => {
                    view! {
                        <p class="held-note" role="status" data-testid="practice-notice">
                            {notice}
                        </p>
                        <div class="answer-form__actions">
                            <button
                                type="button"
                                class="button"
                                id="next-question"
                                data-testid="next"
                                on:click=move |_| on_next.run(())
                            >
                                {if is_last {
                                    "See the summary"
                                } else {
                                    "Skip to the next question"
                                }}
                            </button>
                        </div>
                    }
                        .into_any()
                }
                (None, None) => {
                    view! {
                        <form
                            class="answer-form"
                            on:submit=move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                submit();
                            }
                        >
                            <AnswerInput question=q.clone() draft=draft />
                            {move || {
                                hint.get()
                                    .map(|m| {
                                        view! {
                                            <p class="field-error" role="alert" data-testid="hint">
                                                {m}
                                            </p>
                                        }
                                    })
                            }}
                            {move || {
                                error
                                    .get()
                                    .map(|e| e.field_messages("response"))
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|m| {
                                        view! {
                                            <p class="field-error" role="alert">
                                                {m}
                                            </p>
                                        }
                                    })
                                    .collect_view()
                            }}
                            <div class="answer-form__actions">
                                <button
                                    type="submit"
                                    class="button"
                                    data-testid="submit"
                                    disabled=move || pending.get()
                                >
                                    "Submit answer"
                                </button>
                                <button
                                    type="button"
                                    class="button button--secondary"
                                    on:click=move |_| on_end.run(())
                                >
                                    "End set"
                                </button>
                            </div>
                        </form>
                    }
                        .into_any()
                }
                (Some(feedback), _) => {
                    view! {
                        <FeedbackView feedback=feedback />
                        <ReportProblem
                            question_id=q.id.clone()
                            next=format!("/practice?question={}", q.id)
                        />
                        <div class="answer-form__actions">
                            <button
                                type="button"
                                class="button"
                                id="next-question"
                                data-testid="next"
                                on:click=move |_| on_next.run(())
                            >
                                {if is_last { "See the summary" } else { "Next question" }}
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
        <p class="keys-line muted">
            "Keys: " <kbd>"1"</kbd>"–"<kbd>"9"</kbd>" choose · " <kbd>"Enter"</kbd>" submit · "
            <kbd>"N"</kbd>" next question"
        </p>
    }
    .into_any()
}

/// Whether a key event comes from a control that handles Enter itself (a button, a link...).
fn target_is_control(ev: &leptos::ev::KeyboardEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(
                    el.tag_name().as_str(),
                    "BUTTON" | "A" | "SELECT" | "TEXTAREA" | "SUMMARY"
                )
            })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

#[component]
fn Summary(
    state: PracticeState,
    focus: bool,
    on_new: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let on_new_a = on_new.clone();
    focus_when_lost("summary-title", focus);
    view! {
        <section class="summary" data-testid="summary">
            <h2 id="summary-title" tabindex="-1">
                "Set complete"
            </h2>
            <p class="summary__score">
                {format!("{} of {} answered correctly", state.correct, state.total)}
            </p>
            <table class="summary__table">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Topic"</th>
                        <th scope="col">"Result"</th>
                    </tr>
                </thead>
                <tbody>
                    {state
                        .summary
                        .into_iter()
                        .enumerate()
                        .map(|(i, item)| {
                            view! {
                                <tr>
                                    <td>{i + 1}</td>
                                    <td>{item.item_type.label()}</td>
                                    <td>
                                        <A href=format!(
                                            "/reference/{}",
                                            item.page,
                                        )>{item.page_title}</A>
                                    </td>
                                    <td class:is-correct=item
                                        .correct>
                                        {if item.correct {
                                            "✓ Correct".to_string()
                                        } else {
                                            format!("✗ {} of {}", item.points, item.max)
                                        }} {item.flagged.then_some(" ⚑")}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <div class="answer-form__actions">
                <button
                    type="button"
                    class="button"
                    data-testid="new-set"
                    on:click=move |_| on_new_a()
                >
                    "Start another set"
                </button>
            </div>
        </section>
    }
}
