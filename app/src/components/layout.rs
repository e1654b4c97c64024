//! The site header (navigation) and footer shared by every page.

use leptos::prelude::*;
use leptos_router::components::A;

use super::theme_toggle::ThemeToggle;
use super::user::use_current_user;
use crate::api::reference::get_exams;
use shared::error::AppError;
use shared::exam_choice::ExamChoice;

/// The exams the site serves (the current one marked), loaded once per page load.
#[derive(Clone, Copy)]
pub struct Exams(pub Resource<Result<Vec<ExamChoice>, AppError>>);

/// Provides [`Exams`] to the whole app (called once, in `App`).
pub fn provide_exams() {
    provide_context(Exams(Resource::new(|| (), |()| get_exams())));
}

/// Links of the main navigation, in order.
const NAV: &[(&str, &str)] = &[
    ("/reference", "Reference"),
    ("/diagrams", "Diagrams"),
    ("/practice", "Practice"),
    ("/review", "Review"),
    ("/exams", "Exams"),
    ("/progress", "Progress"),
    ("/groups", "Groups"),
];

/// Site header: brand, main navigation, colour-scheme toggle and sign-in link.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand" attr:data-testid="brand">
                    <Transition fallback=|| {
                        view! {
                            <span class="brand__mark" aria-hidden="true">
                                "EP"
                            </span>
                            <span class="brand__name">"Exam Practice"</span>
                        }
                    }>
                        {move || Suspend::new(async move {
                            let Exams(exams) = expect_context::<Exams>();
                            let short = exams
                                .await
                                .ok()
                                .and_then(|list| list.into_iter().find(|e| e.current))
                                .map_or_else(|| "Exam".to_string(), |e| e.short_title);
                            let mark: String = short
                                .chars()
                                .filter(char::is_ascii_alphabetic)
                                .take(2)
                                .collect::<String>()
                                .to_uppercase();
                            view! {
                                <span class="brand__mark" aria-hidden="true">
                                    {mark}
                                </span>
                                <span class="brand__name">{format!("{short} Practice")}</span>
                            }
                        })}
                    </Transition>
                </A>
                <nav class="site-nav" aria-label="Main">
                    <ul>
                        {NAV
                            .iter()
                            .map(|(href, label)| {
                                view! {
                                    <li>
                                        <A href=*href>{*label}</A>
                                    </li>
                                }
                            })
                            .collect_view()}
                        // The header search box is hidden on narrow screens; this link is not.
                        <li class="site-nav__search">
                            <A href="/search">"Search"</A>
                        </li>
                    </ul>
                </nav>
                <div class="site-header__tools">
                    <form class="header-search" method="get" action="/search" role="search">
                        <input
                            type="search"
                            name="q"
                            placeholder="Search"
                            aria-label="Search the reference"
                            data-testid="header-search"
                        />
                    </form>
                    <ExamPicker />
                    <ThemeToggle />
                    <UserMenu />
                </div>
            </div>
        </header>
    }
}

/// Switches between exams when the site serves more than one: a plain POST form to
/// `/choose-exam`, which remembers the choice in a cookie and comes back to this page.
#[component]
fn ExamPicker() -> impl IntoView {
    let Exams(exams) = expect_context::<Exams>();
    let location = leptos_router::hooks::use_location();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = exams.await.unwrap_or_default();
                (list.len() > 1)
                    .then(|| {
                        view! {
                            <form
                                class="exam-picker"
                                method="post"
                                action="/choose-exam"
                                data-testid="exam-picker"
                            >
                                <label for="exam-picker-code" class="visually-hidden">
                                    "Exam to study"
                                </label>
                                <select
                                    id="exam-picker-code"
                                    name="code"
                                    data-testid="exam-picker-code"
                                >
                                    {list
                                        .into_iter()
                                        .map(|e| {
                                            view! {
                                                <option
                                                    value=e.code.clone()
                                                    selected=e.current
                                                    title=e.title.clone()
                                                >
                                                    {e.short_title.clone()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <input
                                    type="hidden"
                                    name="next"
                                    prop:value=move || location.pathname.get()
                                />
                                <button
                                    type="submit"
                                    class="button button--small button--secondary"
                                    data-testid="exam-picker-submit"
                                >
                                    "Switch"
                                </button>
                            </form>
                        }
                    })
            })}
        </Transition>
    }
}

/// The signed-in user's name (to their account) and sign-out, or a sign-in link.
#[component]
fn UserMenu() -> impl IntoView {
    let user = use_current_user().0;
    let sign_in = || {
        view! {
            <A href="/login" attr:class="button button--small" attr:data-testid="sign-in-link">
                "Sign in"
            </A>
        }
    };
    view! {
        <Suspense fallback=sign_in>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        view! {
                            <A
                                href="/account"
                                attr:class="user-menu__name"
                                attr:data-testid="user-name"
                            >
                                <span class="visually-hidden">"Account: "</span>
                                {user.display_name}
                            </A>
                            <super::user::SignOutButton />
                        }
                            .into_any()
                    }
                    _ => sign_in().into_any(),
                }
            })}
        </Suspense>
    }
}

/// Site footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Independent, open-source exam practice. Not affiliated with Microsoft or any other "
                "exam provider. Questions and reference pages are original."
            </p>
            <nav class="site-footer__links" aria-label="More">
                <a href="/glossary">"Glossary"</a>
                <a href="/diagrams">"Diagrams"</a>
                <a href="/search">"Search"</a>
            </nav>
        </footer>
    }
}
