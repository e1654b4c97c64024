//! `/search?q=...`: a plain GET form that works without JavaScript; once the page is
//! interactive, results follow the text as it is typed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::reference::search;
use crate::components::status::ErrorNotice;
use crate::domain::reference::MAX_QUERY_CHARS;

/// Percent-encodes a query-string value.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(q, search);
    let navigate = use_navigate();
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let navigate = navigate.clone();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                navigate(
                    &format!("/search?q={}", encode_query_value(&value)),
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            },
            std::time::Duration::from_millis(200),
        )
        .ok();
        pending.set_value(handle);
    };
    view! {
        <Title text="Search" />
        <header class="page-header">
            <h1>"Search"</h1>
        </header>
        <form class="search-form" method="get" action="/search" role="search">
            <label for="search-q" class="visually-hidden">"Search the reference"</label>
            <input
                id="search-q"
                type="search"
                name="q"
                data-testid="search-input"
                placeholder="e.g. batch endpoint, managed identity, F1"
                maxlength=MAX_QUERY_CHARS.to_string()
                value=q
                on:input=on_input
            />
            <button type="submit" class="button">"Search"</button>
        </form>
        <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                let q = q();
                match results.await {
                    Ok(hits) if q.trim().is_empty() => {
                        let _ = hits;
                        view! { <p class="muted">"Type a word or phrase to search the reference."</p> }.into_any()
                    }
                    Ok(hits) if hits.is_empty() => {
                        view! {
                            <p class="muted" data-testid="search-empty">
                                "Nothing matches “" {q} "”. Try fewer or different words."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(hits) => {
                        let count = hits.len();
                        view! {
                            <p class="muted" aria-live="polite">{format!("{count} result{}", if count == 1 { "" } else { "s" })}</p>
                            <ol class="search-results" data-testid="search-results">
                                {hits
                                    .into_iter()
                                    .map(|hit| {
                                        view! {
                                            <li class="search-result">
                                                <a href=hit.url.clone() class="search-result__link">
                                                    <span class="search-result__heading">{hit.heading.clone()}</span>
                                                    <span class="search-result__page">{hit.kind} " · " {hit.page_title}</span>
                                                </a>
                                                <p class="search-result__snippet" inner_html=hit.snippet_html></p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("batch endpoint"), "batch+endpoint");
        assert_eq!(encode_query_value("a&b=c/é"), "a%26b%3Dc%2F%C3%A9");
    }
}
