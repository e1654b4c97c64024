//! `/practice`: choose a set of questions by domain, page, item type, difficulty and history;
//! answer one at a time; see right or wrong with the key, an explanation of every option and
//! links to the reference; a summary at the end. Keyboard: digits choose, Enter submits,
//! N goes to the next question.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::practice::{
    end_practice, get_practice_options, get_practice_state, next_practice_question, start_practice,
    submit_practice_answer, toggle_practice_mark,
};
use crate::components::status::ErrorNotice;
use crate::domain::error::AppError;
use crate::domain::practice::{
    MAX_SET_SIZE, PracticeFilter, PracticeOptions, PracticeState, QuestionStatus,
};
use crate::domain::question::{Feedback, ItemType, QuestionView, Response};

/// The practice page.
#[component]
pub fn PracticePage() -> impl IntoView {
    let options = Resource::new(|| (), |()| get_practice_options());
    let state = Resource::new(|| (), |()| get_practice_state());
    view! {
        <Title text="Practice" />
        <Suspense fallback=|| view! { <p class="loading">"Loading practice…"</p> }>
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
    let apply = move |result: Result<PracticeState, AppError>| match result {
        Ok(next) => {
            error.set(None);
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
                view! { <FilterForm options=options.get_value() start=start error=error /> }.into_any()
            }
            Some(current) if current.question.is_none() => {
                view! { <Summary state=current on_new=move || { end.dispatch(()); } /> }.into_any()
            }
            Some(current) => {
                let question_id = current.question.as_ref().map(|q| q.id.clone()).unwrap_or_default();
                view! {
                    <QuestionCard
                        state=current
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
                        pending=Signal::derive(move || submit.pending().get() || next.pending().get())
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
    let item_type = RwSignal::new(initial("type"));
    let difficulty = RwSignal::new(initial("difficulty"));
    let status = RwSignal::new(initial("status"));
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
                .map(|m| view! { <p class="field-error" role="alert">{m}</p> })
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
        start.dispatch(PracticeFilter {
            domain: some(domain.get_untracked()),
            page: some(page.get_untracked()),
            item_type: ItemType::parse(&item_type.get_untracked()),
            difficulty: difficulty.get_untracked().parse().ok(),
            status: QuestionStatus::parse(&status.get_untracked()),
            count: count_value,
            question: None,
        });
    };
    let select = |label: &'static str,
                  id: &'static str,
                  signal: RwSignal<String>,
                  any: &'static str,
                  choices: Vec<(String, String)>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id data-testid=id prop:value=move || signal.get() on:change=move |ev| signal.set(event_target_value(&ev))>
                    <option value="">{any}</option>
                    {choices
                        .into_iter()
                        .map(|(value, text)| {
                            let selected = signal.get_untracked() == value;
                            view! { <option value=value selected=selected>{text}</option> }
                        })
                        .collect_view()}
                </select>
                {field_error(id)}
            </div>
        }
    };
    let with_count = |c: &crate::domain::practice::FilterChoice| {
        (c.value.clone(), format!("{} ({})", c.label, c.count))
    };
    view! {
        <p class="lead">
            {format!("{} original questions in seven exam formats. ", options.total)}
            "Pick what to practise; every answer comes with an explanation of each option and a link to the reference."
        </p>
        {if options.signed_in {
            view! { <p class="muted" data-testid="practice-saved-note">"Signed in: every answer is saved to your account and scheduled for review."</p> }.into_any()
        } else {
            view! { <p class="muted" data-testid="practice-saved-note"><A href="/login?next=/practice">"Sign in"</A> " to keep your answers for good; what you practise now comes along."</p> }.into_any()
        }}
        <form class="filter-form" on:submit=on_submit data-testid="practice-filters">
            {select("Exam domain", "domain", domain, "All domains", options.domains.iter().map(with_count).collect())}
            {select("Reference page", "page", page, "All pages", options.pages.iter().map(with_count).collect())}
            {select("Question type", "type", item_type, "All types", options.types.iter().map(with_count).collect())}
            {select(
                "Difficulty",
                "difficulty",
                difficulty,
                "Any difficulty",
                vec![("1".into(), "Easy".into()), ("2".into(), "Medium".into()), ("3".into(), "Hard".into())],
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
                <button type="submit" class="button" data-testid="start-practice" disabled=move || start.pending().get()>
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
                <dt><kbd>"1"</kbd>" – "<kbd>"9"</kbd></dt>
                <dd>"choose (or unchoose) the option with that number"</dd>
                <dt><kbd>"Enter"</kbd></dt>
                <dd>"submit your answer"</dd>
                <dt><kbd>"N"</kbd></dt>
                <dd>"next question, once you have seen the feedback"</dd>
            </dl>
            <p class="muted">"Ordering questions: move the focused step with its ↑ and ↓ buttons."</p>
        </aside>
    }
}

/// The learner's answer while it is being built.
#[derive(Clone, Copy)]
struct Draft {
    choices: RwSignal<Vec<String>>,
    order: RwSignal<Vec<String>>,
    yes_no: RwSignal<BTreeMap<String, bool>>,
    drill: RwSignal<BTreeMap<String, String>>,
}

impl Draft {
    fn new(question: &QuestionView) -> Self {
        Self {
            choices: RwSignal::new(Vec::new()),
            order: RwSignal::new(question.choices.iter().map(|c| c.id.clone()).collect()),
            yes_no: RwSignal::new(BTreeMap::new()),
            drill: RwSignal::new(BTreeMap::new()),
        }
    }

    /// The response, or a message saying what is missing.
    fn response(&self, question: &QuestionView) -> Result<Response, String> {
        match question.item_type {
            ItemType::Order => Ok(Response::Order(self.order.get())),
            ItemType::Yesno => {
                let given = self.yes_no.get();
                if given.len() == question.choices.len() {
                    Ok(Response::YesNo(given))
                } else {
                    Err("Answer Yes or No for every statement.".to_string())
                }
            }
            ItemType::Drill => {
                let given = self.drill.get();
                if given.len() == question.dimensions.len() {
                    Ok(Response::Drill(given))
                } else {
                    Err("Choose one answer in every part.".to_string())
                }
            }
            _ => {
                let chosen = self.choices.get();
                let needed = usize::from(question.choose.unwrap_or(1));
                if chosen.len() == needed {
                    Ok(Response::Choices(chosen))
                } else if needed == 1 {
                    Err("Choose an answer.".to_string())
                } else {
                    Err(format!(
                        "Select exactly {needed} answers ({} selected).",
                        chosen.len()
                    ))
                }
            }
        }
    }

    /// Chooses (or unchooses) the option at a 0-based position, as the digit keys do.
    fn toggle(&self, question: &QuestionView, index: usize) {
        let Some(choice) = question.choices.get(index) else {
            return;
        };
        let multi = question.item_type == ItemType::Multi;
        self.choices.update(|chosen| {
            if let Some(at) = chosen.iter().position(|c| c == &choice.id) {
                chosen.remove(at);
            } else if multi {
                chosen.push(choice.id.clone());
            } else {
                *chosen = vec![choice.id.clone()];
            }
        });
    }
}

#[component]
fn QuestionCard(
    state: PracticeState,
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
    view! {
        <section class="question-card" data-testid="question" data-type=q.item_type.as_str() data-question-id=q.id.clone() aria-labelledby="question-title">
            <div class="question-card__top">
                <p class="question-card__meta" id="question-title">
                    {format!("Question {} of {}", state.position + 1, state.total)}
                    <span class="badge">{q.item_type.label()}</span>
                    <span class="muted">{format!(" · {} correct so far", state.correct)}</span>
                </p>
                <div class="question-card__marks">
                    <button type="button" class="chip" data-testid="flag" aria-pressed=move || flagged.get().to_string() on:click=move |_| toggle_mark(false)>
                        {move || if flagged.get() { "⚑ Flagged" } else { "⚐ Flag for review" }}
                    </button>
                    <button type="button" class="chip" data-testid="bookmark" aria-pressed=move || bookmarked.get().to_string() on:click=move |_| toggle_mark(true)>
                        {move || if bookmarked.get() { "★ Bookmarked" } else { "☆ Bookmark" }}
                    </button>
                </div>
            </div>
            {q.case.clone().map(|case| view! {
                <details class="case-study" open>
                    <summary>{format!("Case study: {}", case.title)}</summary>
                    <div class="prose" inner_html=case.scenario_html></div>
                </details>
            })}
            {q.diagram_html.clone().map(|html| view! { <div class="question-diagram" inner_html=html></div> })}
            <div class="question-card__stem prose" inner_html=q.stem_html.clone()></div>
            {match state.feedback.clone() {
                None => view! {
                    <form class="answer-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); submit(); }>
                        <AnswerInput question=q.clone() draft=draft />
                        {move || hint.get().map(|m| view! { <p class="field-error" role="alert" data-testid="hint">{m}</p> })}
                        {move || error.get().map(|e| e.field_messages("response")).unwrap_or_default().into_iter().map(|m| view! { <p class="field-error" role="alert">{m}</p> }).collect_view()}
                        <div class="answer-form__actions">
                            <button type="submit" class="button" data-testid="submit" disabled=move || pending.get()>"Submit answer"</button>
                            <button type="button" class="button button--secondary" on:click=move |_| on_end.run(())>"End set"</button>
                        </div>
                    </form>
                }.into_any(),
                Some(feedback) => view! {
                    <FeedbackView feedback=feedback />
                    <div class="answer-form__actions">
                        <button type="button" class="button" data-testid="next" autofocus on:click=move |_| on_next.run(())>
                            {if is_last { "See the summary" } else { "Next question" }}
                        </button>
                    </div>
                }.into_any(),
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
fn AnswerInput(question: QuestionView, draft: Draft) -> impl IntoView {
    match question.item_type {
        ItemType::Order => view! { <OrderInput question=question order=draft.order /> }.into_any(),
        ItemType::Yesno => {
            let rows = question
                .choices
                .iter()
                .enumerate()
                .map(|(i, statement)| {
                    let id = statement.id.clone();
                    let name = format!("yn-{}", statement.id);
                    let (id_yes, id_no) = (id.clone(), id.clone());
                    let is = move |id: String, value: bool| move || draft.yes_no.get().get(&id) == Some(&value);
                    view! {
                        <tr>
                            <td class="statement"><span class="statement__n">{i + 1}". "</span><span inner_html=statement.html.clone()></span></td>
                            <td><label class="yn"><input type="radio" name=name.clone() data-statement=id.clone() data-testid=format!("yes-{}", i + 1) prop:checked=is(id.clone(), true) on:change=move |_| draft.yes_no.update(|m| { m.insert(id_yes.clone(), true); }) />" Yes"</label></td>
                            <td><label class="yn"><input type="radio" name=name data-testid=format!("no-{}", i + 1) prop:checked=is(id.clone(), false) on:change=move |_| draft.yes_no.update(|m| { m.insert(id_no.clone(), false); }) />" No"</label></td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="yes-no">
                    <thead><tr><th scope="col">"Statement"</th><th scope="col">"Yes"</th><th scope="col">"No"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
        ItemType::Drill => question
            .dimensions
            .iter()
            .enumerate()
            .map(|(d, dimension)| {
                let name = dimension.name.clone();
                view! {
                    <fieldset class="choices">
                        <legend>{format!("{}. {}", d + 1, dimension.label)}</legend>
                        {dimension
                            .options
                            .iter()
                            .enumerate()
                            .map(|(i, option)| {
                                let (name_a, name_b, id_a, id_b) = (name.clone(), name.clone(), option.id.clone(), option.id.clone());
                                view! {
                                    <label class="choice">
                                        <input
                                            type="radio"
                                            name=format!("drill-{name}")
                                            data-testid=format!("drill-{name}-{}", i + 1)
                                            data-option=option.id.clone()
                                            prop:checked=move || draft.drill.get().get(&name_a) == Some(&id_a)
                                            on:change=move |_| draft.drill.update(|m| { m.insert(name_b.clone(), id_b.clone()); })
                                        />
                                        <span inner_html=option.html.clone()></span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                }
            })
            .collect_view()
            .into_any(),
        _ => {
            let multi = question.item_type == ItemType::Multi;
            let legend = match question.choose {
                Some(n) if multi => format!("Choose {n}."),
                _ => "Choose one.".to_string(),
            };
            view! {
                <fieldset class="choices">
                    <legend>{legend}</legend>
                    {question
                        .choices
                        .iter()
                        .enumerate()
                        .map(|(i, option)| {
                            let (id_a, id_b) = (option.id.clone(), option.id.clone());
                            let question = question.clone();
                            view! {
                                <label class="choice">
                                    <input
                                        type=if multi { "checkbox" } else { "radio" }
                                        name="choice"
                                        data-testid=format!("choice-{}", i + 1)
                                        data-choice=option.id.clone()
                                        prop:checked=move || draft.choices.get().contains(&id_a)
                                        on:change=move |_| {
                                            let at = question.choices.iter().position(|c| c.id == id_b).unwrap_or(0);
                                            draft.toggle(&question, at);
                                        }
                                    />
                                    <kbd class="choice__key" aria-hidden="true">{i + 1}</kbd>
                                    <span inner_html=option.html.clone()></span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            }
            .into_any()
        }
    }
}

/// A build-list answer: every step has buttons to move it up or down (keyboard operable).
#[component]
fn OrderInput(question: QuestionView, order: RwSignal<Vec<String>>) -> impl IntoView {
    let html_of: BTreeMap<String, String> = question
        .choices
        .iter()
        .map(|c| (c.id.clone(), c.html.clone()))
        .collect();
    let html_of = StoredValue::new(html_of);
    let move_step = move |index: usize, up: bool| {
        order.update(|steps| {
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1)
            };
            if let Some(other) = other.filter(|o| *o < steps.len()) {
                steps.swap(index, other);
            }
        });
    };
    view! {
        <p class="muted">"Put the steps in order, first at the top. Use the arrow buttons to move a step."</p>
        <ol class="order-list" data-testid="order-list">
            {move || {
                let steps = order.get();
                let last = steps.len().saturating_sub(1);
                steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, id)| {
                        let html = html_of.with_value(|m| m.get(&id).cloned().unwrap_or_default());
                        view! {
                            <li class="order-list__item" data-step=id.clone()>
                                <span class="order-list__text" inner_html=html></span>
                                <span class="order-list__buttons">
                                    <button type="button" class="icon-button" aria-label=format!("Move step {} up", i + 1) data-testid=format!("up-{}", i + 1) disabled=i == 0 on:click=move |_| move_step(i, true)>"↑"</button>
                                    <button type="button" class="icon-button" aria-label=format!("Move step {} down", i + 1) data-testid=format!("down-{}", i + 1) disabled=i == last on:click=move |_| move_step(i, false)>"↓"</button>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
    }
}

#[component]
fn FeedbackView(feedback: Feedback) -> impl IntoView {
    let verdict = if feedback.correct {
        "Correct".to_string()
    } else if feedback.max > 1.0 {
        format!("Partly right: {} of {}", feedback.points, feedback.max)
    } else {
        "Not quite".to_string()
    };
    let mut groups: Vec<(String, Vec<crate::domain::question::PartFeedback>)> = Vec::new();
    for part in feedback.parts {
        match groups.last_mut() {
            Some((group, parts)) if *group == part.group => parts.push(part),
            _ => groups.push((part.group.clone(), vec![part])),
        }
    }
    view! {
        <div class="feedback" data-testid="feedback" data-correct=feedback.correct.to_string()>
            <p class="feedback__verdict" class:is-correct=feedback.correct role="status">
                {if feedback.correct { "✓ " } else { "✗ " }}{verdict}
                {feedback.partial.filter(|_| !feedback.correct).map(|p| format!(" ({:.0}% of the steps in the right place)", p * 100.0))}
            </p>
            <div class="feedback__explanation prose" inner_html=feedback.explanation_html></div>
            {groups
                .into_iter()
                .map(|(group, parts)| view! {
                    {(!group.is_empty()).then(|| view! { <h3 class="feedback__group">{group}</h3> })}
                    <ul class="feedback__parts">
                        {parts
                            .into_iter()
                            .map(|part| {
                                let class = if part.right { "part part--right" } else { "part part--wrong" };
                                let key = part.correct && part.expected.is_none();
                                view! {
                                    <li class=class class:part--key=key>
                                        <p class="part__text">
                                            <span inner_html=part.html></span>
                                            {key.then(|| view! { <span class="badge badge--good">"Answer"</span> })}
                                            {part.chosen.map(|c| view! { <span class="badge">{c}</span> })}
                                            {part.expected.map(|e| view! { <span class="badge badge--good">{e}</span> })}
                                        </p>
                                        {(!part.why_html.is_empty()).then(|| view! { <p class="part__why" inner_html=part.why_html></p> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                })
                .collect_view()}
            {(!feedback.refs.is_empty()).then(|| view! {
                <p class="feedback__refs">
                    "Read more: "
                    {feedback.refs.into_iter().map(|r| view! { <A href=r.url attr:class="ref-link">{r.title}</A> }).collect_view()}
                </p>
            })}
        </div>
    }
}

#[component]
fn Summary(
    state: PracticeState,
    on_new: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let on_new_a = on_new.clone();
    view! {
        <section class="summary" data-testid="summary">
            <h2>"Set complete"</h2>
            <p class="summary__score">
                {format!("{} of {} answered correctly", state.correct, state.total)}
            </p>
            <table class="summary__table">
                <thead><tr><th scope="col">"#"</th><th scope="col">"Type"</th><th scope="col">"Topic"</th><th scope="col">"Result"</th></tr></thead>
                <tbody>
                    {state.summary.into_iter().enumerate().map(|(i, item)| view! {
                        <tr>
                            <td>{i + 1}</td>
                            <td>{item.item_type.label()}</td>
                            <td><A href=format!("/reference/{}", item.page)>{item.page_title}</A></td>
                            <td class:is-correct=item.correct>
                                {if item.correct { "✓ Correct".to_string() } else { format!("✗ {} of {}", item.points, item.max) }}
                                {item.flagged.then_some(" ⚑")}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="answer-form__actions">
                <button type="button" class="button" data-testid="new-set" on:click=move |_| on_new_a()>"Start another set"</button>
            </div>
        </section>
    }
}
