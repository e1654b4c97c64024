//! Answering a question: the draft answer and the inputs for every item type, shared by
//! practice and mock exams.

use std::collections::BTreeMap;

use leptos::prelude::*;

use leptos_router::components::A;

use shared::question::{Feedback, ItemType, QuestionView, Response};

/// The learner's answer while it is being built.
#[derive(Clone, Copy)]
pub struct Draft {
    pub choices: RwSignal<Vec<String>>,
    pub order: RwSignal<Vec<String>>,
    pub yes_no: RwSignal<BTreeMap<String, bool>>,
    pub drill: RwSignal<BTreeMap<String, String>>,
}

impl Draft {
    pub fn new(question: &QuestionView) -> Self {
        Self {
            choices: RwSignal::new(Vec::new()),
            order: RwSignal::new(question.choices.iter().map(|c| c.id.clone()).collect()),
            yes_no: RwSignal::new(BTreeMap::new()),
            drill: RwSignal::new(BTreeMap::new()),
        }
    }

    /// A draft holding a saved answer (a mock exam resumed).
    pub fn with_response(question: &QuestionView, response: Option<&Response>) -> Self {
        let draft = Self::new(question);
        match response {
            Some(Response::Choices(c)) => draft.choices.set(c.clone()),
            Some(Response::Order(o)) if !o.is_empty() => draft.order.set(o.clone()),
            Some(Response::YesNo(m)) => draft.yes_no.set(m.clone()),
            Some(Response::Drill(m)) => draft.drill.set(m.clone()),
            _ => {}
        }
        draft
    }

    /// Whatever has been answered so far (a mock exam saves incomplete answers too); `None`
    /// when nothing has been chosen. Ordering always has an order, so it counts once touched.
    pub fn partial(&self, question: &QuestionView, touched: bool) -> Option<Response> {
        match question.item_type {
            ItemType::Order => touched.then(|| Response::Order(self.order.get())),
            ItemType::Yesno => {
                let given = self.yes_no.get();
                (!given.is_empty()).then_some(Response::YesNo(given))
            }
            ItemType::Drill => {
                let given = self.drill.get();
                (!given.is_empty()).then_some(Response::Drill(given))
            }
            _ => {
                let chosen = self.choices.get();
                (!chosen.is_empty()).then_some(Response::Choices(chosen))
            }
        }
    }

    /// The response, or a message saying what is missing.
    pub fn response(&self, question: &QuestionView) -> Result<Response, String> {
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
    pub fn toggle(&self, question: &QuestionView, index: usize) {
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

/// The inputs of a question: options, statements, drill parts or steps to order.
#[component]
pub fn AnswerInput(question: QuestionView, draft: Draft) -> impl IntoView {
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
                    let is = move |id: String, value: bool| {
                        move || draft.yes_no.get().get(&id) == Some(&value)
                    };
                    view! {
                        <tr>
                            <td class="statement">
                                <span class="statement__n">{i + 1}". "</span>
                                <span inner_html=statement.html.clone()></span>
                            </td>
                            <td>
                                <label class="yn">
                                    <input
                                        type="radio"
                                        name=name.clone()
                                        data-statement=id.clone()
                                        data-testid=format!("yes-{}", i + 1)
                                        prop:checked=is(id.clone(), true)
                                        on:change=move |_| {
                                            draft
                                                .yes_no
                                                .update(|m| {
                                                    m.insert(id_yes.clone(), true);
                                                })
                                        }
                                    />
                                    " Yes"
                                </label>
                            </td>
                            <td>
                                <label class="yn">
                                    <input
                                        type="radio"
                                        name=name
                                        data-testid=format!("no-{}", i + 1)
                                        prop:checked=is(id.clone(), false)
                                        on:change=move |_| {
                                            draft
                                                .yes_no
                                                .update(|m| {
                                                    m.insert(id_no.clone(), false);
                                                })
                                        }
                                    />
                                    " No"
                                </label>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="yes-no">
                    <thead>
                        <tr>
                            <th scope="col">"Statement"</th>
                            <th scope="col">"Yes"</th>
                            <th scope="col">"No"</th>
                        </tr>
                    </thead>
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
                                let (name_a, name_b, id_a, id_b) = (
                                    name.clone(),
                                    name.clone(),
                                    option.id.clone(),
                                    option.id.clone(),
                                );
                                view! {
                                    <label class="choice">
                                        <input
                                            type="radio"
                                            name=format!("drill-{name}")
                                            data-testid=format!("drill-{name}-{}", i + 1)
                                            data-option=option.id.clone()
                                            prop:checked=move || {
                                                draft.drill.get().get(&name_a) == Some(&id_a)
                                            }
                                            on:change=move |_| {
                                                draft
                                                    .drill
                                                    .update(|m| {
                                                        m.insert(name_b.clone(), id_b.clone());
                                                    })
                                            }
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
                                            let at = question
                                                .choices
                                                .iter()
                                                .position(|c| c.id == id_b)
                                                .unwrap_or(0);
                                            draft.toggle(&question, at);
                                        }
                                    />
                                    <kbd class="choice__key" aria-hidden="true">
                                        {i + 1}
                                    </kbd>
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
        <p class="muted">
            "Put the steps in order, first at the top. Use the arrow buttons to move a step."
        </p>
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
                                    <button
                                        type="button"
                                        class="icon-button"
                                        aria-label=format!("Move step {} up", i + 1)
                                        data-testid=format!("up-{}", i + 1)
                                        disabled=i == 0
                                        on:click=move |_| move_step(i, true)
                                    >
                                        "↑"
                                    </button>
                                    <button
                                        type="button"
                                        class="icon-button"
                                        aria-label=format!("Move step {} down", i + 1)
                                        data-testid=format!("down-{}", i + 1)
                                        disabled=i == last
                                        on:click=move |_| move_step(i, false)
                                    >
                                        "↓"
                                    </button>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
    }
}

/// The verdict, the key, why each option is right or wrong, and links to the reference.
#[component]
pub fn FeedbackView(feedback: Feedback) -> impl IntoView {
    let verdict = if feedback.correct {
        "Correct".to_string()
    } else if feedback.max > 1.0 {
        format!("Partly right: {} of {}", feedback.points, feedback.max)
    } else {
        "Not quite".to_string()
    };
    let mut groups: Vec<(String, Vec<shared::question::PartFeedback>)> = Vec::new();
    for part in feedback.parts {
        match groups.last_mut() {
            Some((group, parts)) if *group == part.group => parts.push(part),
            _ => groups.push((part.group.clone(), vec![part])),
        }
    }
    view! {
        <div class="feedback" data-testid="feedback" data-correct=feedback.correct.to_string()>
            <p class="feedback__verdict" class:is-correct=feedback.correct role="status">
                {if feedback.correct { "✓ " } else { "✗ " }}
                {verdict}
                {feedback
                    .partial
                    .filter(|_| !feedback.correct)
                    .map(|p| format!(" ({:.0}% of the steps in the right place)", p * 100.0))}
            </p>
            <div class="feedback__explanation prose" inner_html=feedback.explanation_html></div>
            {groups
                .into_iter()
                .map(|(group, parts)| {
                    view! {
                        {(!group.is_empty())
                            .then(|| view! { <h3 class="feedback__group">{group}</h3> })}
                        <ul class="feedback__parts">
                            {parts
                                .into_iter()
                                .map(|part| {
                                    let class = if part.right {
                                        "part part--right"
                                    } else {
                                        "part part--wrong"
                                    };
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
                    }
                })
                .collect_view()}
            {(!feedback.refs.is_empty())
                .then(|| {
                    view! {
                        <p class="feedback__refs">
                            "Read more: "
                            {feedback
                                .refs
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <A href=r.url attr:class="ref-link">
                                            {r.title}
                                        </A>
                                    }
                                })
                                .collect_view()}
                        </p>
                    }
                })}
        </div>
    }
}
