//! The HTML document and the router: every page of the site hangs off [`App`].

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::components::layout::{Footer, Header};
use crate::pages::{
    account::{AccountPage, AdminReportsPage, AdminUsersPage, LoginPage, LogoutPage, SignUpPage},
    diagrams::DiagramsPage,
    exams::{AttemptRoute, ExamsPage},
    glossary::GlossaryPage,
    groups::{AssignmentResultsPage, GroupPage, GroupsPage, JoinPage, MemberAttemptPage},
    home::HomePage,
    not_found::NotFound,
    practice::PracticePage,
    progress::{ProgressPage, ReviewPage},
    reference::{ReferenceIndexPage, ReferencePage},
    search::SearchPage,
};

/// The full HTML document rendered by the server around [`App`].
///
/// The colour scheme chosen with the toggle is read from the `theme` cookie here, so the first
/// paint already has the right colours (no flash of the wrong theme).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::web::csp::apply_to_page();
    let theme = crate::web::theme();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme.attribute()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: header, routed main content and footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::user::provide_current_user();
    crate::components::layout::provide_exams();
    view! {
        <Title formatter=|title: String| {
            if title.is_empty() {
                "Exam Practice".to_string()
            } else {
                format!("{title} · Exam Practice")
            }
        } />
        <Router>
            // `rel="external"`: the router would handle the click and scroll without moving focus.
            <a class="skip-link" href="#main" rel="external">
                "Skip to content"
            </a>
            <Header />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage />
                    <Route
                        path=StaticSegment("reference")
                        view=ReferenceIndexPage
                        ssr=SsrMode::Async
                    />
                    // Async: the whole page (and a 404 status) is decided before the first byte.
                    <Route
                        path=(StaticSegment("reference"), ParamSegment("slug"))
                        view=ReferencePage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("diagrams") view=DiagramsPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("glossary") view=GlossaryPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("practice") view=PracticePage />
                    <Route path=StaticSegment("exams") view=ExamsPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("exams"), ParamSegment("id"))
                        view=AttemptRoute
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("progress") view=ProgressPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("review") view=ReviewPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("groups") view=GroupsPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("groups"), ParamSegment("id"))
                        view=GroupPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("groups"),
                            ParamSegment("id"),
                            StaticSegment("assignments"),
                            ParamSegment("aid"),
                        )
                        view=AssignmentResultsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(
                            StaticSegment("groups"),
                            StaticSegment("attempts"),
                            ParamSegment("id"),
                        )
                        view=MemberAttemptPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("join"), ParamSegment("code"))
                        view=JoinPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("login") view=LoginPage />
                    <Route path=StaticSegment("signup") view=SignUpPage />
                    <Route path=StaticSegment("logout") view=LogoutPage />
                    <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("users"))
                        view=AdminUsersPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("reports"))
                        view=AdminReportsPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
