//! `/search?q=...`: a plain GET form that works without JavaScript; once the page is
//! interactive, results follow the text as it is typed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::reference::search;
use crate::components::status::ErrorNotice;
use shared::reference::{MAX_QUERY_CHARS, SearchHit};

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let domain = move || query.read().get("domain").unwrap_or_default();
    let results = Resource::new(
        move || (q(), domain()),
        |(q, domain)| search(q, (!domain.is_empty()).then_some(domain)),
    );
    let navigate = use_navigate();
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let go = {
        let navigate = navigate.clone();
        move |url: String| {
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            )
        }
    };
    let on_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let go = go.clone();
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let handle = set_timeout_with_handle(
                move || go(shared::routes::search(&value, &domain())),
                std::time::Duration::from_millis(200),
            )
            .ok();
            pending.set_value(handle);
        }
    };
    let on_domain =
        move |ev: leptos::ev::Event| go(shared::routes::search(&q(), &event_target_value(&ev)));
    view! {
        <Title text="Search" />
        <header class="page-header">
            <h1>"Search"</h1>
            <p class="muted">
                "The reference, the " <a href="/glossary">"glossary"</a>
                ", the diagrams and the practice questions, in your own words."
            </p>
        </header>
        <form class="search-form" method="get" action="/search" role="search">
            <label for="search-q" class="visually-hidden">
                "Search the reference"
            </label>
            <input
                id="search-q"
                type="search"
                name="q"
                data-testid="search-input"
                placeholder="e.g. undo a bad release, log_metric, where should secrets go"
                maxlength=MAX_QUERY_CHARS.to_string()
                value=q
                on:input=on_input
            />
            <Transition fallback=|| ()>
                {move || {
                    let on_domain = on_domain.clone();
                    Suspend::new(async move {
                        let domains = results.await.map(|r| r.domains).unwrap_or_default();
                        let selected = domain();
                        view! {
                            <label for="search-domain" class="visually-hidden">
                                "Exam domain"
                            </label>
                            <select
                                id="search-domain"
                                name="domain"
                                data-testid="search-domain"
                                on:change=on_domain
                            >
                                <option value="" selected=selected.is_empty()>
                                    "All domains"
                                </option>
                                {domains
                                    .into_iter()
                                    .map(|d| {
                                        let chosen = d.id == selected;
                                        view! {
                                            <option value=d.id selected=chosen>
                                                {d.name}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        }
                    })
                }}
            </Transition>
            <button type="submit" class="button">
                "Search"
            </button>
        </form>
        <Transition fallback=|| {
            view! { <p class="loading">"Searching…"</p> }
        }>
            {move || Suspend::new(async move {
                let q = q();
                match results.await {
                    Ok(_) if q.trim().is_empty() => {
                        view! {
                            <p class="muted">
                                "Ask the way you would ask a colleague: “how do I undo a bad release”, “stop paying for idle machines”, or a name such as "
                                <code>"log_metric"</code> "."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(results) if results.groups.is_empty() => {
                        view! {
                            <p class="muted" data-testid="search-empty" aria-live="polite">
                                "Nothing matches “"
                                {q}
                                "”"
                                {(!domain().is_empty()).then_some(" in this domain")}
                                ". Try other words, or browse the "
                                <a href="/glossary">"glossary"</a>
                                "."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(results) => {
                        let count = results.total();
                        view! {
                            <p class="muted" aria-live="polite">
                                {format!("{count} result{}", if count == 1 { "" } else { "s" })}
                            </p>
                            <div class="search-groups" data-testid="search-results">
                                {results
                                    .groups
                                    .into_iter()
                                    .map(|group| {
                                        let slug = group.kind.slug();
                                        let heading_id = format!("results-{slug}");
                                        view! {
                                            <section
                                                class="search-group"
                                                aria-labelledby=format!("results-{slug}")
                                            >
                                                <h2 id=heading_id class="search-group__title">
                                                    {group.kind.group_title()}
                                                    <span class="muted">
                                                        {format!(" ({})", group.hits.len())}
                                                    </span>
                                                </h2>
                                                <ol
                                                    class="search-results"
                                                    data-testid=format!("search-results-{slug}")
                                                >
                                                    {group
                                                        .hits
                                                        .into_iter()
                                                        .map(|hit| view! { <SearchResult hit /> })
                                                        .collect_view()}
                                                </ol>
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
        </Transition>
    }
}

/// One result: what it is, where it is, and the text around the matched words.
#[component]
fn SearchResult(hit: SearchHit) -> impl IntoView {
    view! {
        <li class="search-result">
            <a href=hit.url class="search-result__link">
                <span class="search-result__heading">{hit.heading}</span>
                <span class="search-result__page">{hit.page_title}</span>
            </a>
            <p class="search-result__snippet" inner_html=hit.snippet_html></p>
        </li>
    }
}
