//! The landing page: what the platform offers and where to start.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::layout::Exams;

/// Landing page.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero" data-testid="home-hero">
            <Suspense fallback=|| {
                view! { <h1>"Prepare for your exam on your own machine"</h1> }
            }>
                {move || Suspend::new(async move {
                    let Exams(exams) = expect_context::<Exams>();
                    let exam = exams.await.ok().and_then(|l| l.into_iter().find(|e| e.current));
                    let (short, title) = exam
                        .map_or_else(
                            || ("your exam".to_string(), String::new()),
                            |e| (e.short_title, e.title),
                        );
                    view! {
                        <p class="hero__eyebrow">{title}</p>
                        <h1>{format!("Prepare for {short} on your own machine")}</h1>
                    }
                })}
            </Suspense>
            <p class="hero__lead">
                "Study the reference, drill original practice questions with explanations, and sit "
                "timed mock exams that behave like the real one. "
                "Everything runs here, for one learner or a whole class."
            </p>
            <div class="hero__actions">
                <A href="/reference" attr:class="button">
                    "Start reading"
                </A>
                <A href="/practice" attr:class="button button--secondary">
                    "Practise questions"
                </A>
            </div>
        </section>
        <section class="cards" aria-label="What you can do">
            <Card
                href="/reference"
                title="Reference"
                text="The exam's quick reference as readable pages: tables, code patterns, formulas and diagrams, with search and reading progress."
            />
            <Card
                href="/practice"
                title="Practice"
                text="Questions in the exam's formats, each with an explanation of every option and a link back to the reference."
            />
            <Card
                href="/progress"
                title="Progress and review"
                text="Coverage, accuracy and mastery by domain and page, and a spaced-review schedule aimed at your exam date."
            />
            <Card
                href="/exams"
                title="Mock exams"
                text="Timed, blueprint-weighted exams scored on the 1-1000 scale with a report by domain."
            />
            <Card
                href="/groups"
                title="Study groups"
                text="Study with a team, or assign mock exams to a class and review the results."
            />
        </section>
        <ExamDomains />
    }
}

/// The exam's official domains with their weights, each linking to its part of the reference.
#[component]
fn ExamDomains() -> impl IntoView {
    let index = Resource::new(|| (), |_| crate::api::reference::get_reference_index());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let groups: Vec<_> = index
                    .await
                    .map(|i| i.groups)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|g| g.note.starts_with("Exam domain"))
                    .collect();
                (!groups.is_empty())
                    .then(|| {
                        view! {
                            <section
                                class="exam-domains"
                                aria-labelledby="exam-domains-title"
                                data-testid="exam-domains"
                            >
                                <h2 id="exam-domains-title">"What the exam covers"</h2>
                                <ol>
                                    {groups
                                        .into_iter()
                                        .map(|g| {
                                            let weight = g
                                                .note
                                                .trim_start_matches("Exam domain, ")
                                                .to_string();
                                            view! {
                                                <li>
                                                    <span class="exam-domains__name">{g.title}</span>
                                                    <span class="exam-domains__weight">{weight}</span>
                                                    <span class="muted">
                                                        {format!(" · {} reference pages", g.pages.len())}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}

/// A link card on the landing page.
#[component]
fn Card(href: &'static str, title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <A href=href attr:class="card">
            <h2 class="card__title">{title}</h2>
            <p class="card__text">{text}</p>
        </A>
    }
}
