//! An honest placeholder for sections whose issue has not landed yet.

use leptos::prelude::*;
use leptos_meta::Title;

/// Says plainly that a section is not built yet.
#[component]
pub fn ComingSoon(title: &'static str) -> impl IntoView {
    view! {
        <Title text=title />
        <section class="notice" data-testid="coming-soon">
            <h1>{title}</h1>
            <p>"This part of the platform is not built yet. The reference pages are the place to start."</p>
        </section>
    }
}
