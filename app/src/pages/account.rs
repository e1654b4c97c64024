//! Account pages: `/signup`, `/login`, `/logout`, `/account` and the site admin's
//! `/admin/users`. Forms post to server functions; a wrong field gets its message next to it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::account::{
    AdminSetDisabled, ChangePassword, DeleteAccount, SignIn, SignUp, admin_list_users,
};
use crate::components::forms::{Field, FormError, field_messages, go_to, safe_next};
use crate::components::report::ReportList;
use crate::components::status::ErrorNotice;
use crate::components::user::{SignInPrompt, SignOutButton, use_current_user};
use shared::account::MIN_PASSWORD_CHARS;
use shared::error::AppError;

fn next_param() -> String {
    let query = use_query_map();
    safe_next(query.read_untracked().get("next"))
}

/// `/signup`: email, display name, password.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let next = next_param();
    let action = ServerAction::<SignUp>::new();
    let value = Signal::derive(move || action.value().get());
    let target = next.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            go_to(&target);
        }
    });
    view! {
        <Title text="Create an account" />
        <section class="auth-card">
            <h1>"Create an account"</h1>
            <p class="muted">
                "An account keeps your answers, reading progress and review schedule, and lets you sit mock exams. "
                "Anything you practised before signing up comes along."
            </p>
            <ActionForm action=action attr:class="form" attr:data-testid="signup-form">
                <Field
                    name="email"
                    label="Email"
                    kind="email"
                    autocomplete="email"
                    required=true
                    errors=field_messages(value, "email")
                />
                <Field
                    name="display_name"
                    label="Display name"
                    autocomplete="nickname"
                    required=true
                    hint="Shown to members of your study groups."
                    errors=field_messages(value, "display_name")
                />
                <Field
                    name="password"
                    label="Password"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    hint="At least 12 characters. A few unrelated words work well; common passwords are refused."
                    errors=field_messages(value, "password")
                />
                <FormError value=value fields=&["email", "display_name", "password"] />
                <button
                    class="button"
                    type="submit"
                    data-testid="signup-submit"
                    disabled=move || action.pending().get()
                >
                    {move || if action.pending().get() { "Creating…" } else { "Create account" }}
                </button>
            </ActionForm>
            <p>"Already have one? " <A href=format!("/login?next={next}")>"Sign in"</A></p>
        </section>
    }
}

/// `/login`: email and password; returns to `?next=` afterwards.
#[component]
pub fn LoginPage() -> impl IntoView {
    let next = next_param();
    let action = ServerAction::<SignIn>::new();
    let value = Signal::derive(move || action.value().get());
    let target = next.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            go_to(&target);
        }
    });
    view! {
        <Title text="Sign in" />
        <section class="auth-card">
            <h1>"Sign in"</h1>
            <ActionForm action=action attr:class="form" attr:data-testid="login-form">
                <Field
                    name="email"
                    label="Email"
                    kind="email"
                    autocomplete="username"
                    required=true
                    errors=field_messages(value, "email")
                />
                <Field
                    name="password"
                    label="Password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors=field_messages(value, "password")
                />
                <FormError value=value fields=&["email", "password"] />
                <button
                    class="button"
                    type="submit"
                    data-testid="login-submit"
                    disabled=move || action.pending().get()
                >
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p>"New here? " <A href=format!("/signup?next={next}")>"Create an account"</A></p>
        </section>
    }
}

/// `/logout`: asks before signing out.
#[component]
pub fn LogoutPage() -> impl IntoView {
    view! {
        <Title text="Sign out" />
        <section class="auth-card">
            <h1>"Sign out"</h1>
            <p>"Your answers and progress stay in your account."</p>
            <SignOutButton />
        </section>
    }
}

/// `/account`: who you are, change password, export, delete.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_current_user().0;
    view! {
        <Title text="Account" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        view! {
                            <div class="account">
                                <header class="page-header">
                                    <h1>"Your account"</h1>
                                    <p class="lead">
                                        {user.display_name.clone()} " · " {user.email.clone()}
                                        {user
                                            .is_admin
                                            .then(|| {
                                                view! {
                                                    " · "
                                                    <span class="badge badge--good">"Site admin"</span>
                                                }
                                            })}
                                    </p>
                                </header>
                                {user
                                    .is_admin
                                    .then(|| {
                                        view! {
                                            <p>
                                                <A href="/admin/users">"Manage accounts"</A>
                                                " · "
                                                <A href="/admin/reports">"Reported problems"</A>
                                            </p>
                                        }
                                    })}
                                <MyReports />
                                <ChangePasswordForm />
                                <section class="account__section">
                                    <h2>"Your data"</h2>
                                    <p>
                                        "Download everything recorded about you (answers, pages read, review schedule, settings) as JSON."
                                    </p>
                                    <a
                                        class="button button--secondary"
                                        href="/account/export"
                                        download
                                        data-testid="export-data"
                                        rel="external"
                                    >
                                        "Export my data"
                                    </a>
                                </section>
                                <DeleteAccountForm />
                                <section class="account__section">
                                    <SignOutButton />
                                </section>
                            </div>
                        }
                            .into_any()
                    }
                    Ok(None) => {
                        view! {
                            <SignInPrompt
                                title="Your account"
                                text="Sign in to manage your account."
                                next="/account"
                            />
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let value = Signal::derive(move || action.value().get());
    view! {
        <section class="account__section">
            <h2>"Change password"</h2>
            <ActionForm action=action attr:class="form" attr:data-testid="password-form">
                <Field
                    name="current_password"
                    label="Current password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors=field_messages(value, "current_password")
                />
                <Field
                    name="new_password"
                    label="New password"
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    hint="At least 12 characters. Your other sessions will be signed out."
                    errors=field_messages(value, "new_password")
                />
                <FormError value=value fields=&["current_password", "new_password"] />
                {move || {
                    matches!(value.get(), Some(Ok(())))
                        .then(|| {
                            view! {
                                <p
                                    class="form-success"
                                    role="status"
                                    data-testid="password-changed"
                                >
                                    "Password changed."
                                </p>
                            }
                        })
                }}
                <button class="button" type="submit" disabled=move || action.pending().get()>
                    "Change password"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DeleteAccountForm() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let value = Signal::derive(move || action.value().get());
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            go_to("/?deleted=1");
        }
    });
    let confirm_errors = field_messages(value, "confirm");
    view! {
        <section class="account__section account__danger">
            <h2>"Delete account"</h2>
            <p>"This deletes your account and everything recorded for it, at once and for good."</p>
            <ActionForm action=action attr:class="form" attr:data-testid="delete-form">
                <Field
                    name="password"
                    label="Password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors=field_messages(value, "password")
                />
                <div class="field field--check">
                    <label>
                        <input
                            type="checkbox"
                            name="confirm"
                            value="yes"
                            data-testid="confirm-input"
                        />
                        " Yes, delete my account and all its data"
                    </label>
                    {move || {
                        confirm_errors
                            .get()
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <p class="field-error" data-testid="confirm-error">
                                        {m}
                                    </p>
                                }
                            })
                            .collect_view()
                    }}
                </div>
                <FormError value=value fields=&["password", "confirm"] />
                <button class="button button--danger" type="submit" data-testid="delete-submit">
                    "Delete my account"
                </button>
            </ActionForm>
        </section>
    }
}

/// The problems this user reported, with their status and our reply.
#[component]
fn MyReports() -> impl IntoView {
    let reports = Resource::new(|| (), |_| crate::api::reports::my_reports());
    view! {
        <section class="account__section" aria-labelledby="my-reports-title">
            <h2 id="my-reports-title">"Problems you reported"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match reports.await {
                        Ok(list) => {
                            view! { <ReportList reports=list testid="my-reports" /> }.into_any()
                        }
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/admin/reports`: every reported problem, filtered by status, page or question, each with
/// a status and a reply (site admins only).
#[component]
pub fn AdminReportsPage() -> impl IntoView {
    use shared::report::STATUSES;
    let answer = ServerAction::<crate::api::reports::AnswerReport>::new();
    let status = RwSignal::new("open".to_string());
    let page = RwSignal::new(String::new());
    let question = RwSignal::new(String::new());
    let reports = Resource::new(
        move || {
            (
                answer.version().get(),
                status.get(),
                page.get(),
                question.get(),
            )
        },
        |(_, status, page, question)| {
            let some = |s: String| (!s.trim().is_empty()).then_some(s);
            crate::api::reports::admin_reports(some(status), some(page), some(question))
        },
    );
    view! {
        <Title text="Reported problems" />
        <header class="page-header">
            <h1>"Reported problems"</h1>
            <p class="lead">
                "What learners say is wrong with a question or a reference section. Set a status and reply: the reporter sees both on their account page."
            </p>
        </header>
        <form class="filter-form" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field">
                <label for="report-filter-status">"Status"</label>
                <select
                    id="report-filter-status"
                    data-testid="report-filter-status"
                    on:change=move |ev| status.set(event_target_value(&ev))
                >
                    <option value="">"All"</option>
                    {STATUSES
                        .iter()
                        .map(|(v, l)| {
                            view! {
                                <option value=*v selected=*v == "open">
                                    {*l}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="report-filter-page">"Page (slug)"</label>
                <input
                    id="report-filter-page"
                    type="text"
                    on:change=move |ev| page.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="report-filter-question">"Question id"</label>
                <input
                    id="report-filter-question"
                    type="text"
                    data-testid="report-filter-question"
                    on:change=move |ev| question.set(event_target_value(&ev))
                />
            </div>
        </form>
        {move || {
            answer
                .value()
                .get()
                .and_then(Result::err)
                .map(|err| view! { <ErrorNotice error=err /> })
        }}
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match reports.await {
                    Ok(list) => {
                        view! { <ReportList reports=list answer=answer testid="report-queue" /> }
                            .into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInPrompt
                                title="Reported problems"
                                text="Sign in as a site admin to answer reports."
                                next="/admin/reports"
                            />
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/admin/users`: every account, with disable and enable (site admins only).
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let toggle = ServerAction::<AdminSetDisabled>::new();
    let accounts = Resource::new(move || toggle.version().get(), |_| admin_list_users());
    view! {
        <Title text="Accounts" />
        <header class="page-header">
            <h1>"Accounts"</h1>
            <p class="lead">
                "Disable an account to sign it out everywhere and stop it signing in."
            </p>
        </header>
        {move || {
            toggle
                .value()
                .get()
                .and_then(Result::err)
                .map(|err| view! { <ErrorNotice error=err /> })
        }}
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) => {
                        view! {
                            <div class="table-wrap" tabindex="0">
                                <table class="summary__table" data-testid="accounts">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Email"</th>
                                            <th scope="col">"Role"</th>
                                            <th scope="col">"Created"</th>
                                            <th scope="col">"Answers"</th>
                                            <th scope="col">"Status"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|a| {
                                                let disable = !a.disabled;
                                                view! {
                                                    <tr>
                                                        <td>{a.display_name.clone()}</td>
                                                        <td>{a.email.clone()}</td>
                                                        <td>{if a.is_admin { "Site admin" } else { "Learner" }}</td>
                                                        <td>
                                                            {a.created_at.get(..10).unwrap_or_default().to_string()}
                                                        </td>
                                                        <td>{a.answers}</td>
                                                        <td>
                                                            <ActionForm action=toggle attr:class="inline-form">
                                                                <input type="hidden" name="user_id" value=a.user_id />
                                                                <input
                                                                    type="hidden"
                                                                    name="disabled"
                                                                    value=disable.to_string()
                                                                />
                                                                {if a.disabled { "Disabled " } else { "Active " }}
                                                                <button
                                                                    class="button button--small button--secondary"
                                                                    type="submit"
                                                                >
                                                                    {if disable { "Disable" } else { "Enable" }}
                                                                    <span class="visually-hidden">" " {a.email.clone()}</span>
                                                                </button>
                                                            </ActionForm>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInPrompt
                                title="Accounts"
                                text="Sign in as a site admin to manage accounts."
                                next="/admin/users"
                            />
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
        <p class="muted">
            {format!(
                "Passwords need at least {MIN_PASSWORD_CHARS} characters. Create more site admins on the server with ",
            )} <code>"server admin create-user --admin"</code>"."
        </p>
    }
}
