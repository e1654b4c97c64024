//! `/glossary`: every important term of the exam, A-Z, each with a short definition and a
//! link to the reference section that teaches it. Reference pages link a term's first use
//! here.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::reference::get_glossary;
use crate::components::status::ErrorNotice;
use shared::reference::GlossaryEntry;

/// The glossary page.
#[component]
pub fn GlossaryPage() -> impl IntoView {
    let glossary = Resource::new(|| (), |()| get_glossary());
    view! {
        <Title text="Glossary" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading the glossary…"</p> }
        }>
            {move || Suspend::new(async move {
                match glossary.await {
                    Ok(view) => {
                        let count: usize = view.letters.iter().map(|(_, e)| e.len()).sum();
                        view! {
                            <header class="page-header">
                                <h1>"Glossary"</h1>
                                <p class="lead">
                                    {format!(
                                        "{count} terms of {}, in plain words. ",
                                        view.exam_title,
                                    )} "Each links to the reference section that teaches it; "
                                    <a href="/search">"search"</a> " understands them too."
                                </p>
                            </header>
                            <nav class="glossary-letters" aria-label="Letters">
                                <ul>
                                    {view
                                        .letters
                                        .iter()
                                        .map(|(letter, _)| {
                                            view! {
                                                <li>
                                                    <a href=format!("#letter-{letter}")>{letter.to_string()}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </nav>
                            <div class="glossary" data-testid="glossary">
                                {view
                                    .letters
                                    .into_iter()
                                    .map(|(letter, entries)| {
                                        view! {
                                            <section
                                                class="glossary__letter"
                                                aria-labelledby=format!("letter-{letter}")
                                            >
                                                <h2 id=format!("letter-{letter}")>{letter.to_string()}</h2>
                                                <dl>
                                                    {entries
                                                        .into_iter()
                                                        .map(|entry| view! { <Entry entry /> })
                                                        .collect_view()}
                                                </dl>
                                            </section>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One term: its name (the anchor pages link to), other names, definition and section.
#[component]
fn Entry(entry: GlossaryEntry) -> impl IntoView {
    let aliases = (!entry.aliases.is_empty()).then(|| {
        view! {
            <span class="glossary__aliases">
                " (also "
                {entry
                    .aliases
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        view! {
                            {(i > 0).then_some(", ")}
                            <span>{a.clone()}</span>
                        }
                    })
                    .collect_view()} ")"
            </span>
        }
    });
    view! {
        <div class="glossary__entry" id=entry.id>
            <dt>
                <span class="glossary__term">{entry.term}</span>
                {aliases}
            </dt>
            <dd>
                <p>{entry.definition}</p>
                <p class="glossary__see">
                    "Learn it in " <a href=entry.see_url>{entry.see_label}</a>
                </p>
            </dd>
        </div>
    }
}
