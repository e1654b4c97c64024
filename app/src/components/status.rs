//! How failures are shown to a person.

use leptos::prelude::*;

use shared::error::AppError;

/// A short, plain message for an error (never internal details).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.to_string()}</p>
        </div>
    }
}
