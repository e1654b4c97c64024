//! `/progress`: the learner's dashboard, and `/review`: spaced review with an exam date.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::practice::start_practice;
use crate::api::progress::{SaveStudyPlan, get_dashboard, get_review_overview};
use crate::components::chart::ChartFigure;
use crate::components::forms::{Field, FormError, field_messages, go_to};
use crate::components::status::ErrorNotice;
use crate::components::user::SignInPrompt;
use shared::error::AppError;
use shared::practice::{MAX_SET_SIZE, PracticeFilter, QuestionStatus};
use shared::progress::{Dashboard, TopicProgress};
use shared::review::{MAX_RETENTION, MIN_RETENTION, ReviewOverview};

fn pct(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// The dashboard page.
#[component]
pub fn ProgressPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |()| get_dashboard());
    let assignments = Resource::new(|| (), |()| crate::api::groups::my_assignments());
    view! {
        <Title text="Progress" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading your progress…"</p> }
        }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(d) => {
                        let assigned = assignments.await.unwrap_or_default();
                        view! {
                            {(!assigned.is_empty())
                                .then(|| {
                                    view! {
                                        <section class="assigned" aria-labelledby="assigned-title">
                                            <h2 id="assigned-title">"Assigned to you"</h2>
                                            <crate::pages::groups::AssignmentList
                                                assignments=assigned
                                                manages=false
                                            />
                                        </section>
                                    }
                                })}
                            <DashboardView d=d />
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInPrompt
                                title="Your progress"
                                text="Sign in to keep your answers and see your coverage, accuracy, mastery and readiness per exam domain and page."
                                next="/progress"
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

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let accuracy = (d.answers > 0).then(|| d.correct as f64 / d.answers as f64);
    view! {
        <header class="page-header">
            <p class="eyebrow">{d.exam_title.clone()}</p>
            <h1>"Your progress"</h1>
        </header>
        <section class="readiness" aria-labelledby="readiness-title" data-testid="readiness">
            <h2 id="readiness-title">"Readiness estimate"</h2>
            <p class="readiness__figure">
                <span data-testid="readiness-value">{pct(d.readiness.estimate)}</span>
            </p>
            <p class="readiness__verdict">{d.readiness.verdict.clone()}</p>
            <p class="readiness__basis muted">
                <strong>"How this is worked out: "</strong>
                {d.readiness.basis.clone()}
            </p>
        </section>
        <ul class="stats" data-testid="stats">
            <li>
                <span class="stats__value" data-testid="stat-seen">
                    {d.seen}
                </span>
                " of "
                {d.total_questions}
                " questions tried"
            </li>
            <li>
                <span class="stats__value" data-testid="stat-answers">
                    {d.answers}
                </span>
                " answers"
            </li>
            <li>
                <span class="stats__value">{accuracy.map_or("–".to_string(), pct)}</span>
                " right"
            </li>
            <li>
                <span class="stats__value" data-testid="stat-pages">
                    {d.pages_read}
                </span>
                " of "
                {d.pages_total}
                " pages read"
            </li>
            <li>
                <A href="/review">
                    <span class="stats__value" data-testid="stat-due">
                        {d.due_now}
                    </span>
                    " due for review"
                </A>
            </li>
            <li>
                {match d.last_exam {
                    Some((id, scaled, passed)) => {
                        view! {
                            <A href=format!("/exams/{id}")>
                                <span class="stats__value" data-testid="stat-exam">
                                    {scaled}
                                </span>
                                {format!(
                                    "last mock exam ({}), {} taken",
                                    if passed { "pass" } else { "fail" },
                                    d.exams_taken,
                                )}
                            </A>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <A href="/exams">
                                <span class="stats__value">"–"</span>
                                "no mock exam yet"
                            </A>
                        }
                            .into_any()
                    }
                }}
            </li>
        </ul>
        <div class="chart-grid">
            <ChartFigure chart=d.accuracy_chart.clone() testid="accuracy-chart" />
            <ChartFigure chart=d.domain_chart.clone() testid="domain-chart" />
        </div>
        <section aria-labelledby="weakest-title">
            <h2 id="weakest-title">"Weakest topics"</h2>
            {if d.weakest.is_empty() {
                view! {
                    <p class="muted">
                        "Answer a few questions and your weakest pages will show here."
                    </p>
                }
                    .into_any()
            } else {
                view! { <WeakestList topics=d.weakest.clone() testid="weakest" /> }.into_any()
            }}
        </section>
        {(!d.weakest_objectives.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="weakest-objectives-title">
                        <h2 id="weakest-objectives-title">"Weakest exam objectives"</h2>
                        <WeakestList
                            topics=d.weakest_objectives.clone()
                            testid="weakest-objectives"
                        />
                    </section>
                }
            })}
        <section aria-labelledby="domains-title">
            <h2 id="domains-title">"By exam domain"</h2>
            <TopicTable topics=d.domains.clone() label="Domain" testid="domain-table" />
        </section>
        {(!d.objectives.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="objectives-title">
                        <h2 id="objectives-title">"By exam objective"</h2>
                        <details>
                            <summary>
                                {format!(
                                    "All {} objectives of the official skills outline",
                                    d.objectives.len(),
                                )}
                            </summary>
                            <TopicTable
                                topics=d.objectives.clone()
                                label="Objective"
                                testid="objective-table"
                            />
                        </details>
                    </section>
                }
            })}
        <section aria-labelledby="activity-title">
            <h2 id="activity-title">"Recent activity"</h2>
            {if d.recent.is_empty() {
                view! {
                    <p class="muted">
                        "Nothing yet. " <A href="/practice">"Start practising"</A> " or "
                        <A href="/reference">"read the reference"</A> "."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="activity" data-testid="activity">
                        {d
                            .recent
                            .clone()
                            .into_iter()
                            .map(|a| {
                                let class = match a.correct {
                                    Some(true) => "activity__mark is-right",
                                    Some(false) => "activity__mark is-wrong",
                                    None => "activity__mark",
                                };
                                let mark = match a.correct {
                                    Some(true) => "✓",
                                    Some(false) => "✗",
                                    None => "•",
                                };
                                view! {
                                    <li>
                                        <span class=class aria-hidden="true">
                                            {mark}
                                        </span>
                                        <A href=a.url.clone()>{a.text.clone()}</A>
                                        <time class="muted" datetime=a.at.clone()>
                                            {format!(" {}", shared::when::to_minute(&a.at))}
                                        </time>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section aria-labelledby="pages-title">
            <h2 id="pages-title">"By reference page"</h2>
            <TopicTable topics=d.pages.clone() label="Page" testid="page-table" />
        </section>
    }
}

/// Topics to work on, each with its mastery and a link that practises it.
#[component]
fn WeakestList(topics: Vec<TopicProgress>, testid: &'static str) -> impl IntoView {
    view! {
        <ul class="weakest" data-testid=testid>
            {topics
                .into_iter()
                .map(|t| {
                    view! {
                        <li>
                            <span class="weakest__title">{t.title.clone()}</span>
                            <span class="muted">
                                {format!(
                                    " mastery {}, {} of {} tried",
                                    pct(t.mastery),
                                    t.seen,
                                    t.total,
                                )}
                            </span>
                            <A href=t.practice_url.clone() attr:class="button button--small">
                                "Practise"
                                <span class="visually-hidden">" "{t.title.clone()}</span>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn TopicTable(
    topics: Vec<TopicProgress>,
    label: &'static str,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="summary__table topic-table" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{label}</th>
                        <th scope="col">"Coverage"</th>
                        <th scope="col">"Accuracy"</th>
                        <th scope="col">"Mastery"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {topics
                        .into_iter()
                        .map(|t| {
                            let coverage = t.seen as f64 / t.total.max(1) as f64;
                            view! {
                                <tr>
                                    <th scope="row">
                                        {
                                            let title = t.title.clone();
                                            match t.reference_url.clone() {
                                                Some(url) => view! { <A href=url>{title}</A> }.into_any(),
                                                None => title.into_any(),
                                            }
                                        }
                                    </th>
                                    <td>
                                        <span class="meter" aria-hidden="true">
                                            <span
                                                class="meter__fill"
                                                style=format!("width:{:.0}%", coverage * 100.0)
                                            ></span>
                                        </span>
                                        {format!("{} of {}", t.seen, t.total)}
                                    </td>
                                    <td>{t.accuracy().map_or("–".to_string(), pct)}</td>
                                    <td>{pct(t.mastery)}</td>
                                    <td>
                                        <A href=t
                                            .practice_url
                                            .clone()>
                                            "Practise"
                                            <span class="visually-hidden">" "{t.title.clone()}</span>
                                        </A>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/review`: what is due, the exam date and the desired retention.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let save = ServerAction::<SaveStudyPlan>::new();
    let overview = Resource::new(move || save.version().get(), |_| get_review_overview());
    view! {
        <Title text="Spaced review" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading your reviews…"</p> }
        }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <ReviewView o=o save=save /> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInPrompt
                                title="Spaced review"
                                text="Sign in to get a review schedule: every question you answer comes back just before you are likely to forget it, and all of them before your exam date."
                                next="/review"
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

#[component]
fn ReviewView(o: ReviewOverview, save: ServerAction<SaveStudyPlan>) -> impl IntoView {
    let start = Action::new(|count: &u8| {
        start_practice(PracticeFilter {
            status: QuestionStatus::Due,
            count: *count,
            ..PracticeFilter::default()
        })
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = start.value().get() {
            go_to("/practice");
        }
    });
    let count = u8::try_from(o.due_now.min(usize::from(MAX_SET_SIZE))).unwrap_or(MAX_SET_SIZE);
    let value = Signal::derive(move || save.value().get());
    let max_upcoming = o.upcoming.iter().copied().max().unwrap_or(0).max(1);
    view! {
        <header class="page-header">
            <h1>"Spaced review"</h1>
            <p class="lead">
                "Questions you have answered come back on a schedule (FSRS) set by how well you knew them, so you review each one just before you would forget it."
            </p>
        </header>
        <section class="review-due" data-testid="review-due">
            <p class="readiness__figure">
                <span data-testid="due-count">{o.due_now}</span>
            </p>
            <p>{if o.due_now == 1 { "question is due now." } else { "questions are due now." }}</p>
            {if o.due_now > 0 {
                view! {
                    <button
                        class="button"
                        data-testid="start-review"
                        on:click=move |_| {
                            start.dispatch(count);
                        }
                    >
                        {format!("Review {count} now")}
                    </button>
                }
                    .into_any()
            } else if o.scheduled == 0 {
                view! {
                    <p>
                        <A href="/practice">"Practise some questions"</A>
                        " to start your schedule."
                    </p>
                }
                    .into_any()
            } else {
                view! { <p class="muted">"All caught up."</p> }.into_any()
            }}
            {move || {
                start
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|err| view! { <ErrorNotice error=err /> })
            }}
            <p class="muted">
                {format!("{} questions scheduled, {} never answered.", o.scheduled, o.unseen)}
            </p>
        </section>
        <section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">"Coming up"</h2>
            <table class="summary__table upcoming" data-testid="upcoming">
                <thead>
                    <tr>
                        <th scope="col">"Day"</th>
                        <th scope="col">"Due"</th>
                    </tr>
                </thead>
                <tbody>
                    {o
                        .upcoming
                        .iter()
                        .enumerate()
                        .map(|(day, n)| {
                            view! {
                                <tr>
                                    <th scope="row">
                                        {match day {
                                            0 => "Next 24 hours".to_string(),
                                            1 => "Tomorrow".to_string(),
                                            d => format!("In {d} days"),
                                        }}
                                    </th>
                                    <td>
                                        <span class="meter" aria-hidden="true">
                                            <span
                                                class="meter__fill"
                                                style=format!("width:{}%", n * 100 / max_upcoming)
                                            ></span>
                                        </span>
                                        {*n}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="plan-title" class="account__section">
            <h2 id="plan-title">"Your plan"</h2>
            {o
                .days_to_exam
                .map(|days| {
                    view! {
                        <p data-testid="days-to-exam">
                            {if days >= 0 {
                                format!(
                                    "{days} days to your exam. Every question you have answered will come back at least once before it.",
                                )
                            } else {
                                "Your exam date has passed; set a new one or clear it.".to_string()
                            }}
                        </p>
                    }
                })}
            <ActionForm
                action=save
                attr:class="form form--inline"
                attr:data-testid="plan-form"
                attr:novalidate=true
            >
                <Field
                    name="exam_date"
                    label="Exam date (optional)"
                    kind="date"
                    value=o.exam_date.clone().unwrap_or_default()
                    hint="Leave empty if you have not booked it."
                    errors=field_messages(value, "exam_date")
                />
                <Field
                    name="desired_retention"
                    label="Desired retention (%)"
                    kind="number"
                    min="70"
                    max="97"
                    step="1"
                    value=format!("{:.0}", o.desired_retention * 100.0)
                    hint="How likely you want to be to remember a question when it comes back: 70 to 97. Higher means more reviews."
                    errors=field_messages(value, "desired_retention")
                />
                <FormError value=value fields=&["exam_date", "desired_retention"] />
                {move || {
                    matches!(value.get(), Some(Ok(())))
                        .then(|| {
                            view! {
                                <p class="form-success" role="status">
                                    "Saved."
                                </p>
                            }
                        })
                }}
                <button class="button" type="submit" data-testid="plan-submit">
                    "Save plan"
                </button>
            </ActionForm>
            <p class="muted">
                {format!("Bounds: {:.0}% to {:.0}%.", MIN_RETENTION * 100.0, MAX_RETENTION * 100.0)}
            </p>
        </section>
    }
}
