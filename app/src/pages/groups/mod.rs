//! `/groups` (your groups, create, join by code) and `/join/{code}` here; `/groups/{id}`
//! (members, progress, invites, assignments) in [`group`]; `/groups/{id}/assignments/{aid}`
//! (results and item analysis) and `/groups/attempts/{id}` (a member's attempt in detail) in
//! [`assignment`].

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::groups::{
    CreateAssignment, CreateGroup, CreateInvite, DeleteGroup, ExtendAssignment, ImportGift,
    JoinGroup, LeaveGroup, RemoveMember, RevokeInvite, SetLeaderboard, SetMemberRole,
    SetMembersPractise, SetShareProgress, StartAssignment, get_assignment_results, get_group,
    get_group_bank, get_invite, get_member_attempt, list_groups,
};
use crate::components::forms::{Field, FormError, confirm, field_messages, go_to};
use crate::components::status::ErrorNotice;
use crate::components::user::SignInPrompt;
use shared::error::AppError;
use shared::group::{AssignmentStatus, AssignmentView, GroupView, Role};
use shared::when::to_minute as when;

mod assignment;
mod group;

pub use assignment::{AssignmentResultsPage, MemberAttemptPage};
pub use group::{AssignmentList, GroupPage};

fn param(name: &'static str) -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).and_then(|v| v.parse().ok())
}

/// `/groups`.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let create = ServerAction::<CreateGroup>::new();
    let join = ServerAction::<JoinGroup>::new();
    let groups = Resource::new(|| (), |()| list_groups());
    for action in [create.value(), join.value()] {
        Effect::new(move |_| {
            if let Some(Ok(id)) = action.get() {
                go_to(&format!("/groups/{id}"));
            }
        });
    }
    let create_value = Signal::derive(move || create.value().get());
    let join_value = Signal::derive(move || join.value().get());
    view! {
        <Title text="Study groups" />
        <header class="page-header">
            <h1>"Study groups"</h1>
            <p class="lead">
                "Study with a team, or run a class: invite members, follow their progress, assign mock exams and review the results."
            </p>
        </header>
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(list) => {
                        view! {
                            <section aria-labelledby="mine-title">
                                <h2 id="mine-title">"Your groups"</h2>
                                {if list.is_empty() {
                                    view! { <p class="muted">"You are not in a group yet."</p> }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul class="page-list" data-testid="my-groups">
                                            {list
                                                .into_iter()
                                                .map(|g| {
                                                    view! {
                                                        <li class="page-list__item">
                                                            <A
                                                                href=format!("/groups/{}", g.id)
                                                                attr:class="page-list__link"
                                                            >
                                                                <span class="page-list__title">{g.name}</span>
                                                                <span class="page-list__summary">
                                                                    {format!("{} · {} members", g.role.label(), g.members)}
                                                                </span>
                                                            </A>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                            <div class="exam-intro">
                                <section class="account__section">
                                    <h2>"Create a group"</h2>
                                    <ActionForm
                                        action=create
                                        attr:class="form"
                                        attr:data-testid="create-group"
                                    >
                                        <Field
                                            name="name"
                                            label="Name"
                                            required=true
                                            errors=field_messages(create_value, "name")
                                        />
                                        <Field
                                            name="description"
                                            label="Description (optional)"
                                            errors=field_messages(create_value, "description")
                                        />
                                        <FormError
                                            value=create_value
                                            fields=&["name", "description"]
                                        />
                                        <button
                                            class="button"
                                            type="submit"
                                            data-testid="create-group-submit"
                                        >
                                            "Create group"
                                        </button>
                                    </ActionForm>
                                </section>
                                <section class="account__section">
                                    <h2>"Join a group"</h2>
                                    <ActionForm
                                        action=join
                                        attr:class="form"
                                        attr:data-testid="join-group"
                                    >
                                        <Field
                                            name="code"
                                            label="Invite code"
                                            hint="From the invite link someone sent you."
                                            required=true
                                            errors=field_messages(join_value, "code")
                                        />
                                        <FormError value=join_value fields=&["code"] />
                                        <button class="button" type="submit">
                                            "Join"
                                        </button>
                                    </ActionForm>
                                </section>
                            </div>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInPrompt
                                title="Study groups"
                                text="Sign in to create or join a study group."
                                next="/groups"
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

/// `/join/{code}`.
#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let info = Resource::new(code, get_invite);
    let join = ServerAction::<JoinGroup>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = join.value().get() {
            go_to(&format!("/groups/{id}"));
        }
    });
    view! {
        <Title text="Join a group" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok((_, name)) => {
                        view! {
                            <section class="auth-card">
                                <h1>"Join a study group"</h1>
                                <p>"You are invited to " <strong>{name}</strong> "."</p>
                                <ActionForm action=join>
                                    <input type="hidden" name="code" value=code() />
                                    <button class="button" type="submit" data-testid="join-submit">
                                        "Join the group"
                                    </button>
                                </ActionForm>
                                {move || {
                                    join.value()
                                        .get()
                                        .and_then(Result::err)
                                        .map(|err| view! { <ErrorNotice error=err /> })
                                }}
                            </section>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        let next = format!("/join/{}", code());
                        view! {
                            <section class="notice sign-in-prompt" data-testid="sign-in-prompt">
                                <h1>"Join a study group"</h1>
                                <p>
                                    "Sign in (or create an account) first; you will come back here."
                                </p>
                                <p class="hero__actions">
                                    <A href=format!("/login?next={next}") attr:class="button">
                                        "Sign in"
                                    </A>
                                    <A
                                        href=format!("/signup?next={next}")
                                        attr:class="button button--secondary"
                                    >
                                        "Create an account"
                                    </A>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
