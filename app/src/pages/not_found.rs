//! The 404 page, served with a real 404 status.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Shown for any path no route matches (and by pages whose item does not exist).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="notice" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>
                "There is nothing at this address. It may have moved, or the link may be mistyped."
            </p>
            <p>
                <A href="/">"Go to the home page"</A>
                " or "
                <A href="/reference">"browse the reference"</A>
                "."
            </p>
        </section>
    }
}
