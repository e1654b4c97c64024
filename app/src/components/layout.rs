//! The site header (navigation) and footer shared by every page.

use leptos::prelude::*;
use leptos_router::components::A;

use super::theme_toggle::ThemeToggle;
use super::user::use_current_user;

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
                    <span class="brand__mark" aria-hidden="true">"AI"</span>
                    <span class="brand__name">"AI-300 Practice"</span>
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
                    <ThemeToggle />
                    <UserMenu />
                </div>
            </div>
        </header>
    }
}

/// The signed-in user's name (to their account) and sign-out, or a sign-in link.
#[component]
fn UserMenu() -> impl IntoView {
    let user = use_current_user().0;
    let sign_in = || view! { <A href="/login" attr:class="button button--small" attr:data-testid="sign-in-link">"Sign in"</A> };
    view! {
        <Suspense fallback=sign_in>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! {
                        <A href="/account" attr:class="user-menu__name" attr:data-testid="user-name">
                            <span class="visually-hidden">"Account: "</span>
                            {user.display_name}
                        </A>
                        <crate::pages::account::SignOutButton />
                    }.into_any(),
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
                "Independent, open-source practice for Microsoft AI-300 (MLOps Engineer Associate). "
                "Not affiliated with Microsoft. Questions and reference pages are original."
            </p>
        </footer>
    }
}
