//! `/groups/{id}`: a group's members, progress, invites, assignments, reports and own bank.

use super::*;

/// `/groups/{id}`.
#[component]
pub fn GroupPage() -> impl IntoView {
    let id = param("id");
    // Any change on the page reloads it.
    let changed = RwSignal::new(0u32);
    let group = Resource::new(
        move || (id(), changed.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_group(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Study group" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading the group…"</p> }
        }>
            {move || Suspend::new(async move {
                match group.await {
                    Ok(g) => view! { <GroupBody g=g changed=changed /> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInPrompt
                                title="Study group"
                                text="Sign in to see your group."
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

/// Bumps `changed` when an action succeeds, and shows its error.
fn refresh_on<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            changed.update(|n| *n += 1);
        }
    });
    move || {
        value
            .get()
            .and_then(Result::err)
            .map(|err| view! { <ErrorNotice error=err /> })
    }
}

#[component]
fn GroupBody(g: GroupView, changed: RwSignal<u32>) -> impl IntoView {
    let manages = g.my_role.manages();
    let owner = g.my_role == Role::Owner;
    let share = ServerAction::<SetShareProgress>::new();
    let leaderboard = ServerAction::<SetLeaderboard>::new();
    let leave = ServerAction::<LeaveGroup>::new();
    let delete = ServerAction::<DeleteGroup>::new();
    let role = ServerAction::<SetMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    for action in [leave.value(), delete.value()] {
        Effect::new(move |_| {
            if let Some(Ok(())) = action.get() {
                go_to("/groups");
            }
        });
    }
    let gid = g.id;
    view! {
        <header class="page-header">
            <p class="eyebrow">
                <A href="/groups">"Study groups"</A>
            </p>
            <h1 data-testid="group-name">{g.name.clone()}</h1>
            <p class="lead">{g.description.clone()}</p>
            <p>
                <span class="badge">{format!("You: {}", g.my_role.label())}</span>
            </p>
        </header>
        <section aria-labelledby="assignments-title">
            <h2 id="assignments-title">"Assigned mock exams"</h2>
            <AssignmentList assignments=g.assignments.clone() manages=manages />
            {manages
                .then(|| {
                    view! {
                        <AssignForm
                            group_id=gid
                            domains=g.domains.clone()
                            item_types=g.item_types.clone()
                            changed=changed
                        />
                    }
                })}
        </section>
        {manages.then(|| view! { <Invites g=g.clone() changed=changed /> })}
        <GroupBank
            group_id=gid
            manages=manages
            owner=owner
            members_practise=g.members_practise
            changed=changed
        />
        {manages.then(|| view! { <GroupReportsSection group_id=gid /> })}
        <section aria-labelledby="members-title">
            <h2 id="members-title">"Members"</h2>
            {refresh_on(Signal::derive(move || role.value().get()), changed)}
            {refresh_on(Signal::derive(move || remove.value().get()), changed)}
            <div class="table-wrap" tabindex="0">
                <table class="summary__table" data-testid="members">
                    <thead>
                        <tr>
                            <th scope="col">"Member"</th>
                            <th scope="col">"Role"</th>
                            {g
                                .domains
                                .iter()
                                .map(|(_, name)| view! { <th scope="col">{name.clone()}</th> })
                                .collect_view()}
                            {owner
                                .then(|| {
                                    view! {
                                        <th scope="col">
                                            <span class="visually-hidden">"Actions"</span>
                                        </th>
                                    }
                                })}
                        </tr>
                    </thead>
                    <tbody>
                        {g
                            .members
                            .clone()
                            .into_iter()
                            .map(|m| {
                                let uid = m.user_id;
                                let progress_cells = match m.progress.clone() {
                                    Some(progress) => {
                                        progress
                                            .into_iter()
                                            .map(|p| {
                                                view! {
                                                    <td>
                                                        {format!("{} of {} tried", p.seen, p.total)} <br />
                                                        <span class="muted">
                                                            {if p.answers > 0 {
                                                                format!(
                                                                    "{:.0}% right",
                                                                    p.correct as f64 * 100.0 / p.answers as f64,
                                                                )
                                                            } else {
                                                                "no answers".to_string()
                                                            }}
                                                        </span>
                                                    </td>
                                                }
                                            })
                                            .collect_view()
                                            .into_any()
                                    }
                                    None => {
                                        g.domains
                                            .iter()
                                            .map(|_| view! { <td class="muted">"Not shared"</td> })
                                            .collect_view()
                                            .into_any()
                                    }
                                };
                                view! {
                                    <tr data-testid="member-row">
                                        <th scope="row">{m.display_name.clone()}</th>
                                        <td>{m.role.label()}</td>
                                        {progress_cells}
                                        {owner
                                            .then(|| {
                                                view! {
                                                    <td>
                                                        {(m.role != Role::Owner)
                                                            .then(|| {
                                                                let name = m.display_name.clone();
                                                                let (next_role, label) = if m.role == Role::Instructor {
                                                                    ("learner", "Make learner")
                                                                } else {
                                                                    ("instructor", "Make instructor")
                                                                };
                                                                view! {
                                                                    <div class="inline-form">
                                                                        <ActionForm action=role>
                                                                            <input type="hidden" name="group_id" value=gid />
                                                                            <input type="hidden" name="user_id" value=uid />
                                                                            <input type="hidden" name="role" value=next_role />
                                                                            <button
                                                                                class="button button--small button--secondary"
                                                                                type="submit"
                                                                                data-testid=format!("role-{uid}")
                                                                            >
                                                                                {label}
                                                                                <span class="visually-hidden">{format!(": {name}")}</span>
                                                                            </button>
                                                                        </ActionForm>
                                                                        <ActionForm action=remove>
                                                                            <input type="hidden" name="group_id" value=gid />
                                                                            <input type="hidden" name="user_id" value=uid />
                                                                            <button
                                                                                class="button button--small button--secondary"
                                                                                type="submit"
                                                                            >
                                                                                "Remove"
                                                                                <span class="visually-hidden">
                                                                                    {format!(" {}", m.display_name.clone())}
                                                                                </span>
                                                                            </button>
                                                                        </ActionForm>
                                                                    </div>
                                                                }
                                                            })}
                                                    </td>
                                                }
                                            })}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <ActionForm action=share attr:class="inline-form">
                <input type="hidden" name="group_id" value=gid />
                <input type="hidden" name="share" value=(!g.my_share).to_string() />
                <span>
                    {if g.my_share {
                        "Other learners can see your progress. "
                    } else {
                        "Only the owner and instructors see your progress. "
                    }}
                </span>
                <button
                    class="button button--small button--secondary"
                    type="submit"
                    data-testid="share-toggle"
                >
                    {if g.my_share { "Stop sharing" } else { "Share my progress with the group" }}
                </button>
            </ActionForm>
            {refresh_on(Signal::derive(move || share.value().get()), changed)}
        </section>
        <section aria-labelledby="leaderboard-title">
            <h2 id="leaderboard-title">"Leaderboard"</h2>
            {if g.leaderboard_on {
                view! {
                    <p class="muted">
                        "Right answers in the last 7 days, among members who share their progress."
                    </p>
                    <ol data-testid="leaderboard">
                        {g
                            .leaderboard
                            .iter()
                            .map(|(name, n)| view! { <li>{format!("{name}: {n}")}</li> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            } else {
                view! { <p class="muted">"Off."</p> }.into_any()
            }}
            {owner
                .then(|| {
                    view! {
                        <ActionForm action=leaderboard>
                            <input type="hidden" name="group_id" value=gid />
                            <input type="hidden" name="on" value=(!g.leaderboard_on).to_string() />
                            <button class="button button--small button--secondary" type="submit">
                                {if g.leaderboard_on {
                                    "Turn the leaderboard off"
                                } else {
                                    "Turn the leaderboard on"
                                }}
                            </button>
                        </ActionForm>
                    }
                })}
            {refresh_on(Signal::derive(move || leaderboard.value().get()), changed)}
        </section>
        <section class="account__section account__danger">
            {if owner {
                view! {
                    <ActionForm
                        action=delete
                        on:submit=move |ev: leptos::ev::SubmitEvent| {
                            if !confirm("Delete this group, its invites and assignments?") {
                                ev.prevent_default();
                            }
                        }
                    >
                        <input type="hidden" name="group_id" value=gid />
                        <button class="button button--danger" type="submit">
                            "Delete the group"
                        </button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <ActionForm action=leave>
                        <input type="hidden" name="group_id" value=gid />
                        <button
                            class="button button--secondary"
                            type="submit"
                            data-testid="leave-group"
                        >
                            "Leave the group"
                        </button>
                    </ActionForm>
                }
                    .into_any()
            }}
            {move || {
                leave
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|err| view! { <ErrorNotice error=err /> })
            }}
        </section>
    }
}

/// A list of assignments with the viewer's status and what they can do.
#[component]
pub fn AssignmentList(assignments: Vec<AssignmentView>, manages: bool) -> impl IntoView {
    let start = ServerAction::<StartAssignment>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            go_to(&format!("/exams/{id}"));
        }
    });
    if assignments.is_empty() {
        return view! { <p class="muted">"No mock exam assigned yet."</p> }.into_any();
    }
    view! {
        {move || {
            start.value().get().and_then(Result::err).map(|err| view! { <ErrorNotice error=err /> })
        }}
        <div class="table-wrap" tabindex="0">
            <table class="summary__table" data-testid="assignments">
                <thead>
                    <tr>
                        <th scope="col">"Assignment"</th>
                        <th scope="col">"Window (UTC)"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {assignments
                        .into_iter()
                        .map(|a| {
                            let can_start = matches!(
                                a.status,
                                AssignmentStatus::NotStarted | AssignmentStatus::InProgress
                            )
                                || (a.status == AssignmentStatus::Submitted
                                    && a.attempts_used < i64::from(a.attempts_allowed));
                            view! {
                                <tr data-testid="assignment-row">
                                    <th scope="row">
                                        {a.title.clone()} <br />
                                        <span class="muted">
                                            {format!(
                                                "{} {}questions · {} min · {} attempt(s){}",
                                                a.questions,
                                                if a.group_questions { "of the group's own " } else { "" },
                                                a.duration_minutes,
                                                a.attempts_allowed,
                                                if a.group_name.is_empty() {
                                                    String::new()
                                                } else {
                                                    format!(" · {}", a.group_name)
                                                },
                                            )}
                                        </span>
                                    </th>
                                    <td>
                                        {format!("{} to {}", when(&a.opens_at), when(&a.my_due_at))}
                                    </td>
                                    <td data-testid="assignment-status">
                                        {a.status.label()}
                                        {a.best_score.map(|s| format!(" · best {s}"))}
                                    </td>
                                    <td>
                                        <div class="inline-form">
                                            {can_start
                                                .then(|| {
                                                    view! {
                                                        <ActionForm action=start>
                                                            <input type="hidden" name="assignment_id" value=a.id />
                                                            <button
                                                                class="button button--small"
                                                                type="submit"
                                                                data-testid="start-assignment"
                                                            >
                                                                {if a.status == AssignmentStatus::InProgress {
                                                                    "Resume"
                                                                } else {
                                                                    "Start"
                                                                }}
                                                            </button>
                                                        </ActionForm>
                                                    }
                                                })}
                                            {(a.status == AssignmentStatus::Submitted)
                                                .then(|| {
                                                    a.attempt_id
                                                        .map(|id| {
                                                            view! { <A href=format!("/exams/{id}")>"Your result"</A> }
                                                        })
                                                })}
                                            {manages
                                                .then(|| {
                                                    view! {
                                                        <A
                                                            href=format!("/groups/{}/assignments/{}", a.group_id, a.id)
                                                            attr:data-testid="assignment-results"
                                                        >
                                                            "Results"
                                                        </A>
                                                    }
                                                })}
                                        </div>
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

#[component]
fn AssignForm(
    group_id: i64,
    domains: Vec<(String, String)>,
    item_types: Vec<(String, String)>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let assign = ServerAction::<CreateAssignment>::new();
    let value = Signal::derive(move || assign.value().get());
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            changed.update(|n| *n += 1);
        }
    });
    let chosen_domains = RwSignal::new(Vec::<String>::new());
    let chosen_types = RwSignal::new(Vec::<String>::new());
    let checkboxes = |options: Vec<(String, String)>,
                      chosen: RwSignal<Vec<String>>,
                      legend: &'static str| {
        view! {
            <fieldset class="choices">
                <legend>{legend}</legend>
                {options
                    .into_iter()
                    .map(|(id, label)| {
                        let (a, b) = (id.clone(), id.clone());
                        view! {
                            <label class="choice">
                                <input
                                    type="checkbox"
                                    prop:checked=move || chosen.get().contains(&a)
                                    on:change=move |_| {
                                        chosen
                                            .update(|c| {
                                                if let Some(at) = c.iter().position(|x| *x == b) {
                                                    c.remove(at);
                                                } else {
                                                    c.push(b.clone());
                                                }
                                            })
                                    }
                                />
                                <span>{label}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    };
    let err = move |field: &'static str| field_messages(value, field);
    view! {
        <details class="account__section" data-testid="assign-form">
            <summary>"Assign a mock exam"</summary>
            <ActionForm action=assign attr:class="form" attr:novalidate=true>
                <input type="hidden" name="group_id" value=group_id />
                <Field name="input[title]" label="Title" required=true errors=err("title") />
                <Field
                    name="input[questions]"
                    label="Questions"
                    kind="number"
                    value="10"
                    min="1"
                    max="100"
                    errors=err("questions")
                />
                <Field
                    name="input[duration_minutes]"
                    label="Minutes per attempt"
                    kind="number"
                    value="20"
                    min="1"
                    max="600"
                    errors=err("duration_minutes")
                />
                <Field
                    name="input[opens_at]"
                    label="Opens (UTC)"
                    kind="datetime-local"
                    errors=err("opens_at")
                />
                <Field
                    name="input[due_at]"
                    label="Due (UTC)"
                    kind="datetime-local"
                    errors=err("due_at")
                />
                <Field
                    name="input[attempts_allowed]"
                    label="Attempts allowed"
                    kind="number"
                    value="1"
                    min="1"
                    max="20"
                    errors=err("attempts_allowed")
                />
                <div class="field">
                    <label for="question-source">"Questions from"</label>
                    <select
                        id="question-source"
                        name="input[source]"
                        data-testid="question-source"
                        aria-describedby="question-source-help"
                    >
                        <option value="exam" selected=true>
                            "this exam's question bank (weighted like the real exam)"
                        </option>
                        <option value="group">
                            "the group's own imported questions (a random draw)"
                        </option>
                    </select>
                    <p class="muted" id="question-source-help">
                        "The group's own questions have no exam domains: leave the domains unticked for them."
                    </p>
                    {move || {
                        err("source")
                            .get()
                            .into_iter()
                            .map(|m| view! { <p class="field-error">{m}</p> })
                            .collect_view()
                    }}
                </div>
                {checkboxes(domains, chosen_domains, "Exam domains (none ticked: all)")}
                <input
                    type="hidden"
                    name="input[domains]"
                    prop:value=move || chosen_domains.get().join(",")
                />
                {checkboxes(
                    item_types,
                    chosen_types,
                    "Item types (none ticked: the blueprint's mix)",
                )}
                <input
                    type="hidden"
                    name="input[item_types]"
                    prop:value=move || chosen_types.get().join(",")
                />
                <div class="field">
                    <label for="review-policy">"Learners see the answers"</label>
                    <select
                        id="review-policy"
                        name="input[review_policy]"
                        data-testid="review-policy"
                    >
                        <option value="after_submit" selected=true>
                            "after submitting"
                        </option>
                        <option value="after_due">"after the due date"</option>
                        <option value="never">"never"</option>
                    </select>
                    {move || {
                        err("review_policy")
                            .get()
                            .into_iter()
                            .map(|m| view! { <p class="field-error">{m}</p> })
                            .collect_view()
                    }}
                </div>
                <FormError
                    value=value
                    fields=&[
                        "title",
                        "questions",
                        "duration_minutes",
                        "opens_at",
                        "due_at",
                        "attempts_allowed",
                        "review_policy",
                        "domains",
                        "item_types",
                        "source",
                    ]
                />
                <button class="button" type="submit" data-testid="assign-submit">
                    "Assign"
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn Invites(g: GroupView, changed: RwSignal<u32>) -> impl IntoView {
    let create = ServerAction::<CreateInvite>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let value = Signal::derive(move || create.value().get());
    // The site's address is known in the browser only: filled in after hydration (a signal,
    // so the server-rendered text and the first client render agree).
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(o) = web_sys::window().and_then(|w| w.location().origin().ok()) {
            origin.set(o);
        }
    });
    view! {
        <section aria-labelledby="invites-title">
            <h2 id="invites-title">"Invites"</h2>
            {refresh_on(value, changed)}
            {refresh_on(Signal::derive(move || revoke.value().get()), changed)}
            <ul class="invites" data-testid="invites">
                {g
                    .invites
                    .clone()
                    .into_iter()
                    .map(|i| {
                        let path = format!("/join/{}", i.code);
                        view! {
                            <li class:is-inactive=!i.active>
                                <code data-testid="invite-link">
                                    {move || format!("{}{path}", origin.get())}
                                </code>
                                <span class="muted">
                                    {format!(
                                        " · used {}{}{}{}",
                                        i.uses,
                                        i.max_uses.map(|m| format!(" of {m}")).unwrap_or_default(),
                                        i
                                            .expires_at
                                            .as_deref()
                                            .map(|e| format!(" · expires {}", when(e)))
                                            .unwrap_or_default(),
                                        if i.active { "" } else { " · inactive" },
                                    )}
                                </span>
                                {i
                                    .active
                                    .then(|| {
                                        view! {
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="invite_id" value=i.id />
                                                <button
                                                    class="button button--small button--secondary"
                                                    type="submit"
                                                >
                                                    "Revoke"
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <ActionForm action=create attr:class="form form--row" attr:data-testid="invite-form">
                <input type="hidden" name="group_id" value=g.id />
                <Field
                    name="expires_in_days"
                    label="Expires after (days, optional)"
                    kind="number"
                    min="1"
                    max="365"
                    errors=field_messages(value, "expires_in_days")
                />
                <Field
                    name="max_uses"
                    label="Uses (optional)"
                    kind="number"
                    min="1"
                    errors=field_messages(value, "max_uses")
                />
                <button class="button" type="submit" data-testid="create-invite">
                    "Create invite link"
                </button>
            </ActionForm>
        </section>
    }
}

/// Reports learners filed on the group's own questions, with a status and reply (owners and
/// instructors).
#[component]
fn GroupReportsSection(group_id: i64) -> impl IntoView {
    let answer = ServerAction::<crate::api::reports::AnswerReport>::new();
    let reports = Resource::new(
        move || answer.version().get(),
        move |_| crate::api::reports::group_reports(group_id),
    );
    view! {
        <section aria-labelledby="group-reports-title">
            <h2 id="group-reports-title">"Problems reported on the group's questions"</h2>
            {move || {
                answer
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|err| view! { <ErrorNotice error=err /> })
            }}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match reports.await {
                        Ok(list) => {
                            view! {
                                <crate::components::report::ReportList
                                    reports=list
                                    answer=answer
                                    testid="group-reports"
                                />
                            }
                                .into_any()
                        }
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The group's own questions, and the GIFT import (owners and instructors). The owner can keep
/// them for assigned exams: learners then neither see nor practise them.
#[component]
fn GroupBank(
    group_id: i64,
    manages: bool,
    owner: bool,
    members_practise: bool,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let import = ServerAction::<ImportGift>::new();
    let practise = ServerAction::<SetMembersPractise>::new();
    let bank = Resource::new(
        move || import.version().get(),
        move |_| get_group_bank(group_id),
    );
    let value = Signal::derive(move || import.value().get());
    if !manages && !members_practise {
        return view! {
            <section aria-labelledby="bank-title">
                <h2 id="bank-title">"Group question bank"</h2>
                <p class="muted" data-testid="bank-kept">
                    "The group keeps its own questions for assigned exams: they cannot be practised."
                </p>
            </section>
        }
        .into_any();
    }
    view! {
        <section aria-labelledby="bank-title">
            <h2 id="bank-title">"Group question bank"</h2>
            {owner
                .then(|| {
                    view! {
                        <ActionForm action=practise attr:class="inline-form">
                            <input type="hidden" name="group_id" value=group_id />
                            <input type="hidden" name="on" value=(!members_practise).to_string() />
                            <p class="muted" data-testid="bank-practice-state">
                                {if members_practise {
                                    "Learners may practise these questions (and then know their keys before an assigned exam that uses them)."
                                } else {
                                    "Kept for assigned exams: learners cannot see or practise these questions."
                                }}
                            </p>
                            <button
                                class="button button--small button--secondary"
                                type="submit"
                                data-testid="bank-practice-toggle"
                            >
                                {if members_practise {
                                    "Keep them for assigned exams"
                                } else {
                                    "Let learners practise them"
                                }}
                            </button>
                        </ActionForm>
                    }
                })}
            {refresh_on(Signal::derive(move || practise.value().get()), changed)}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match bank.await {
                        Ok(items) if items.is_empty() => {
                            view! { <p class="muted">"No questions of the group's own yet."</p> }
                                .into_any()
                        }
                        Ok(items) => {
                            view! {
                                <p>
                                    <a
                                        class="button button--secondary"
                                        href=format!("/practice?group={group_id}")
                                        data-testid="practise-group-bank"
                                    >
                                        "Practise the group's questions"
                                    </a>
                                </p>
                                <details>
                                    <summary data-testid="bank-count">
                                        {format!("{} question(s) imported", items.len())}
                                    </summary>
                                    <ol class="bank-list">
                                        {items
                                            .into_iter()
                                            .map(|q| {
                                                view! {
                                                    <li>
                                                        <span class="muted">
                                                            {format!(
                                                                "{} · {}{}",
                                                                q.id,
                                                                q.item_type,
                                                                q.category.map(|c| format!(" · {c}")).unwrap_or_default(),
                                                            )}
                                                        </span>
                                                        <div class="prose" inner_html=q.stem_html></div>
                                                        <crate::components::report::ReportProblem
                                                            question_id=q.id.clone()
                                                            next=format!("/groups/{group_id}")
                                                        />
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                </details>
                            }
                                .into_any()
                        }
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
            {manages
                .then(|| {
                    view! {
                        <details class="account__section" data-testid="import-form">
                            <summary>"Import questions (Moodle GIFT)"</summary>
                            <ActionForm action=import attr:class="form">
                                <input type="hidden" name="group_id" value=group_id />
                                <div class="field">
                                    <label for="gift-text">"GIFT text (paste the file)"</label>
                                    <textarea
                                        id="gift-text"
                                        name="text"
                                        rows="10"
                                        data-testid="gift-text"
                                    ></textarea>
                                    <div aria-live="polite">
                                        {move || {
                                            field_messages(value, "file")
                                                .get()
                                                .into_iter()
                                                .map(|m| {
                                                    view! {
                                                        <p class="field-error" data-testid="import-error">
                                                            {m}
                                                        </p>
                                                    }
                                                })
                                                .collect_view()
                                        }}
                                    </div>
                                </div>
                                <FormError value=value fields=&["file"] />
                                {move || {
                                    value
                                        .get()
                                        .and_then(Result::ok)
                                        .map(|s| {
                                            view! {
                                                <div
                                                    class="form-success"
                                                    role="status"
                                                    data-testid="import-summary"
                                                >
                                                    {format!("Imported {} question(s).", s.imported)}
                                                    <ul>
                                                        {s
                                                            .skipped
                                                            .into_iter()
                                                            .map(|l| view! { <li>{format!("Skipped {l}")}</li> })
                                                            .collect_view()}
                                                    </ul>
                                                </div>
                                            }
                                        })
                                }}
                                <button class="button" type="submit" data-testid="import-submit">
                                    "Import"
                                </button>
                            </ActionForm>
                            <p class="muted">
                                "Multiple choice (one or several right answers), true/false and missing-word questions come in; short answer, matching, numerical and essay questions are listed as skipped. Nothing is imported if any question has an error."
                            </p>
                        </details>
                    }
                })}
        </section>
    }
    .into_any()
}
