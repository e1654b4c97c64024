//! `/diagrams`: the gallery of pipeline diagrams, drawn on the server as accessible SVG.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::reference::get_diagrams;
use crate::components::status::ErrorNotice;

/// The diagram gallery.
#[component]
pub fn DiagramsPage() -> impl IntoView {
    let diagrams = Resource::new(|| (), |()| get_diagrams());
    view! {
        <Title text="Diagrams" />
        <header class="page-header">
            <h1>"Diagrams"</h1>
            <p class="lead">
                "The MLOps flows of the exam at a glance. Select a step to open the reference section "
                "behind it; each diagram also has a text version."
            </p>
        </header>
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading diagrams…"</p> }
        }>
            {move || Suspend::new(async move {
                match diagrams.await {
                    Ok(diagrams) => {
                        view! {
                            <nav class="diagram-index" aria-label="Diagrams on this page">
                                <ol>
                                    {diagrams
                                        .iter()
                                        .map(|d| {
                                            view! {
                                                <li>
                                                    <a href=format!("#{}", d.slug)>{d.title.clone()}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </nav>
                            <div class="gallery" data-testid="diagram-gallery">
                                {diagrams
                                    .into_iter()
                                    .map(|d| {
                                        view! {
                                            <section
                                                class="gallery__item"
                                                id=d.slug.clone()
                                                aria-labelledby=format!("{}-h", d.slug)
                                            >
                                                <h2 id=format!("{}-h", d.slug)>{d.title}</h2>
                                                <p class="muted">{d.description}</p>
                                                <div inner_html=d.html></div>
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
