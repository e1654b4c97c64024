//! `/reference` (the index, grouped by exam domain) and `/reference/{slug}` (a page with its
//! table of contents, breadcrumbs and previous/next links). Pages are rendered on the server;
//! nothing here needs JavaScript to read.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::reference::{get_reference_index, get_reference_page};
use crate::components::report::ReportProblem;
use crate::components::status::ErrorNotice;
use crate::pages::not_found::NotFound;
use shared::error::AppError;
use shared::reference::{PageGroup, PageView, ReferenceIndex, SourceLink};

/// The reference index.
#[component]
pub fn ReferenceIndexPage() -> impl IntoView {
    let index = Resource::new(|| (), |()| get_reference_index());
    view! {
        <Title text="Reference" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading the reference…"</p> }
        }>
            {move || Suspend::new(async move {
                match index.await {
                    Ok(index) => index_view(index).into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn index_view(index: ReferenceIndex) -> impl IntoView {
    view! {
        <header class="page-header">
            <p class="eyebrow">{index.exam_title.clone()}</p>
            <h1>"Reference"</h1>
            <p class="lead">
                {index
                    .summary
                    .clone()
                    .unwrap_or_else(|| "The whole reference, page by page.".to_string())}
                {format!(" {} pages.", index.page_count)}
            </p>
            {index
                .signed_in
                .then(|| {
                    view! {
                        <p class="reading-progress" data-testid="reading-progress">
                            <span class="meter" aria-hidden="true">
                                <span
                                    class="meter__fill"
                                    style=format!(
                                        "width:{}%",
                                        index.read_count * 100 / index.page_count.max(1),
                                    )
                                ></span>
                            </span>
                            {format!("{} of {} pages read", index.read_count, index.page_count)}
                        </p>
                    }
                })}
        </header>
        <div class="reference-index" data-testid="reference-index">
            {index.groups.into_iter().map(group_view).collect_view()}
        </div>
    }
}

fn group_view(group: PageGroup) -> impl IntoView {
    view! {
        <section class="page-group">
            <h2>{group.title}</h2>
            <p class="page-group__note">{group.note}</p>
            <ol class="page-list">
                {group
                    .pages
                    .into_iter()
                    .map(|page| {
                        let href = format!("/reference/{}", page.slug);
                        view! {
                            <li class="page-list__item" class:is-read=page.read>
                                <A href=href attr:class="page-list__link">
                                    <span class="page-list__title">{page.title}</span>
                                    <span class="page-list__summary">{page.summary}</span>
                                </A>
                                {page
                                    .read
                                    .then(|| {
                                        view! { <span class="badge badge--good">"Read"</span> }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// One reference page.
#[component]
pub fn ReferencePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let page = Resource::new(slug, get_reference_page);
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading the page…"</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => page_view(page).into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn page_view(page: PageView) -> impl IntoView {
    let has_toc = page.toc.len() > 1;
    let toc = page.toc.clone();
    view! {
        <Title text=page.title.clone() />
        <Meta name="description" content=page.summary.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                <li>
                    <A href="/reference">"Reference"</A>
                </li>
                <li aria-current="page">{page.title.clone()}</li>
            </ol>
        </nav>
        <header class="page-header reference-header">
            <h1>{page.title.clone()}</h1>
            <p class="lead">{page.summary.clone()}</p>
            {(page.question_count > 0)
                .then(|| {
                    view! {
                        <p class="practice-link">
                            <A
                                href=format!("/practice?page={}", page.slug)
                                attr:class="button button--small"
                                attr:data-testid="practice-page"
                            >
                                {format!("Practise this page ({} questions)", page.question_count)}
                            </A>
                        </p>
                    }
                })}
            <ul class="tags" aria-label="Exam domains">
                {page
                    .domains
                    .iter()
                    .map(|d| {
                        view! {
                            <li class="tag" title=d.weight.clone()>
                                {d.name.clone()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(!page.objectives.is_empty())
                .then(|| {
                    view! {
                        <details class="page-objectives" data-testid="page-objectives">
                            <summary>
                                {format!("Exam objectives taught here ({})", page.objectives.len())}
                            </summary>
                            <ul>
                                {page
                                    .objectives
                                    .iter()
                                    .map(|(id, name)| {
                                        view! {
                                            <li>
                                                <A href=format!(
                                                    "/practice?objective={id}",
                                                )>{format!("{id} {name}")}</A>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </details>
                    }
                })}
        </header>
        <div class="reference-layout" class:has-toc=has_toc>
            <article class="prose" data-testid="reference-article" on:click=copy_code>
                <div class="prose__body" inner_html=page.html.clone()></div>
                <Sources sources=page.sources.clone() checked=page.checked.clone() />
                <ReportProblem
                    page=page.slug.clone()
                    sections=page.toc.iter().map(|t| (t.id.clone(), t.text.clone())).collect()
                    next=format!("/reference/{}", page.slug)
                />
                <ReadToggle slug=page.slug.clone() read=page.read signed_in=page.signed_in />
                <nav class="pager" aria-label="More pages">
                    {page
                        .prev
                        .clone()
                        .map(|prev| {
                            view! {
                                <A
                                    href=format!("/reference/{}", prev.slug)
                                    attr:class="pager__link pager__link--prev"
                                    attr:rel="prev"
                                >
                                    <span class="pager__label">"Previous"</span>
                                    <span class="pager__title">{prev.title}</span>
                                </A>
                            }
                        })}
                    {page
                        .next
                        .clone()
                        .map(|next| {
                            view! {
                                <A
                                    href=format!("/reference/{}", next.slug)
                                    attr:class="pager__link pager__link--next"
                                    attr:rel="next"
                                >
                                    <span class="pager__label">"Next"</span>
                                    <span class="pager__title">{next.title}</span>
                                </A>
                            }
                        })}
                </nav>
            </article>
            {has_toc
                .then(|| {
                    view! {
                        <aside class="toc" aria-labelledby="toc-title">
                            <details open>
                                <summary id="toc-title">"On this page"</summary>
                                <ol>
                                    {toc
                                        .into_iter()
                                        .map(|entry| {
                                            view! {
                                                <li class=format!("toc__item toc__item--h{}", entry.level)>
                                                    <a href=format!("#{}", entry.id)>{entry.text}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </details>
                        </aside>
                    }
                })}
        </div>
        <CopyButtons />
    }
}

/// The pages a reference page rests on, and when its facts were last checked.
#[component]
fn Sources(sources: Vec<SourceLink>, checked: Option<String>) -> impl IntoView {
    (!sources.is_empty() || checked.is_some()).then(|| {
        view! {
            <section class="sources" aria-labelledby="sources-title" data-testid="sources">
                <h2 id="sources-title">"Sources"</h2>
                <ul>
                    {sources
                        .into_iter()
                        .map(|s| {
                            view! {
                                <li>
                                    <a href=s.url.clone() rel="noopener noreferrer external">
                                        {s.title}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {checked
                    .map(|date| {
                        view! {
                            <p class="muted sources__checked">
                                "Facts last checked against these sources on "
                                <time datetime=date.clone()>{date.clone()}</time> "."
                            </p>
                        }
                    })}
            </section>
        }
    })
}

/// "Mark as read" at the end of a page (signed in), or a prompt to sign in.
#[component]
fn ReadToggle(slug: String, read: bool, signed_in: bool) -> impl IntoView {
    if !signed_in {
        return view! {
            <p class="read-toggle muted">
                <A href=format!("/login?next=/reference/{slug}")>"Sign in"</A>
                " to keep track of the pages you have read."
            </p>
        }
        .into_any();
    }
    let is_read = RwSignal::new(read);
    let toggle =
        Action::new(move |read: &bool| crate::api::progress::set_page_read(slug.clone(), *read));
    Effect::new(move |_| {
        if let Some(Ok(now)) = toggle.value().get() {
            is_read.set(now);
        }
    });
    view! {
        <p class="read-toggle">
            <button
                type="button"
                class="button button--small"
                class:button--secondary=move || is_read.get()
                aria-pressed=move || is_read.get().to_string()
                data-testid="mark-read"
                disabled=move || toggle.pending().get()
                on:click=move |_| {
                    toggle.dispatch(!is_read.get_untracked());
                }
            >
                {move || if is_read.get() { "✓ Read (mark unread)" } else { "Mark as read" }}
            </button>
            {move || toggle.value().get().and_then(Result::err).map(|err| view! { <span class="field-error" role="alert">{err.to_string()}</span> })}
        </p>
    }
    .into_any()
}

/// Reveals the copy buttons of code blocks once the page is interactive.
#[component]
fn CopyButtons() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(document) = web_sys::window().and_then(|w| w.document())
                && let Ok(buttons) = document.query_selector_all("[data-copy]")
            {
                for i in 0..buttons.length() {
                    if let Some(node) = buttons.item(i) {
                        use wasm_bindgen::JsCast;
                        if let Ok(element) = node.dyn_into::<web_sys::Element>() {
                            let _ = element.remove_attribute("hidden");
                        }
                    }
                }
            }
        }
    });
}

/// Copies the code of the block whose copy button was clicked (event delegation: the code
/// blocks are server-rendered HTML).
fn copy_code(event: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(button) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .filter(|el| el.has_attribute("data-copy"))
        else {
            return;
        };
        let code = button
            .closest(".code-block")
            .ok()
            .flatten()
            .and_then(|block| block.query_selector("code").ok().flatten())
            .and_then(|code| code.text_content());
        if let (Some(code), Some(window)) = (code, web_sys::window()) {
            let _ = window.navigator().clipboard().write_text(&code);
            button.set_text_content(Some("Copied"));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}
