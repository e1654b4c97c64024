//! The light/dark toggle. Without JavaScript the page follows the operating system; once
//! hydrated, the button flips the scheme and remembers it in a cookie the server reads.

use leptos::prelude::*;

/// A button that switches between the light and dark colour schemes.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        flip_theme();
    };
    view! {
        <button
            type="button"
            class="theme-toggle"
            data-testid="theme-toggle"
            aria-label="Switch between light and dark colours"
            title="Switch between light and dark colours"
            on:click=on_click
        >
            <span class="theme-toggle__icon" aria-hidden="true"></span>
        </button>
    }
}

/// Flips `<html data-theme>` from the scheme currently shown and stores the choice for a year.
#[cfg(feature = "hydrate")]
fn flip_theme() {
    use wasm_bindgen::JsCast;

    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let Some(root) = document.document_element() else {
        return;
    };
    let shown_dark = match root.get_attribute("data-theme").as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|query| query.matches()),
    };
    let next = if shown_dark { "light" } else { "dark" };
    let _ = root.set_attribute("data-theme", next);
    if let Ok(html) = document.dyn_into::<web_sys::HtmlDocument>() {
        let cookie = format!(
            "{}={next}; Path=/; Max-Age=31536000; SameSite=Lax",
            shared::theme::THEME_COOKIE
        );
        let _ = html.set_cookie(&cookie);
    }
}
