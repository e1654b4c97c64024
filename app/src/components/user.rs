//! The signed-in user, loaded once per page and shared through context.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::account::{SignOut, get_current_user};
use crate::components::forms::go_to;
use shared::account::UserView;
use shared::error::AppError;

/// The current user (or `None` when signed out), as a resource.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<UserView>, AppError>>);

/// Loads the current user and provides it to every component below.
pub fn provide_current_user() {
    provide_context(CurrentUser(Resource::new(|| (), |()| get_current_user())));
}

/// The current user resource.
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

/// What a signed-out visitor sees on a page that needs an account.
#[component]
pub fn SignInPrompt(
    title: &'static str,
    text: &'static str,
    /// Where to come back to after signing in.
    next: &'static str,
) -> impl IntoView {
    view! {
        <section class="notice sign-in-prompt" data-testid="sign-in-prompt">
            <h1>{title}</h1>
            <p>{text}</p>
            <p class="hero__actions">
                <A href=format!("/login?next={next}") attr:class="button">
                    "Sign in"
                </A>
                <A href=format!("/signup?next={next}") attr:class="button button--secondary">
                    "Create an account"
                </A>
            </p>
        </section>
    }
}

/// The sign-out button (a form: signing out changes state, so it is never a plain link).
#[component]
pub fn SignOutButton(#[prop(optional)] class: &'static str) -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    let value = Signal::derive(move || action.value().get());
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            go_to("/");
        }
    });
    view! {
        <ActionForm action=action attr:class="sign-out-form">
            <button
                type="submit"
                class=format!("button button--small button--secondary {class}")
                data-testid="sign-out"
            >
                "Sign out"
            </button>
        </ActionForm>
    }
}
