//! `/groups/{id}/assignments/{aid}` (results and item analysis) and `/groups/attempts/{id}`
//! (a member's attempt in detail).

use super::*;

/// `/groups/{id}/assignments/{aid}`: results for owners and instructors.
#[component]
pub fn AssignmentResultsPage() -> impl IntoView {
    let aid = param("aid");
    let extend = ServerAction::<ExtendAssignment>::new();
    let results = Resource::new(
        move || (aid(), extend.version().get()),
        |(aid, _)| async move {
            match aid {
                Some(id) => get_assignment_results(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let ext_value = Signal::derive(move || extend.value().get());
    view! {
        <Title text="Assignment results" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading the results…"</p> }
        }>
            {move || Suspend::new(async move {
                let r = match results.await {
                    Ok(r) => r,
                    Err(err) => return view! { <ErrorNotice error=err /> }.into_any(),
                };
                let a = r.assignment.clone();
                view! {
                    <header class="page-header">
                        <p class="eyebrow">
                            <A href=format!("/groups/{}", a.group_id)>{a.group_name.clone()}</A>
                        </p>
                        <h1>{a.title.clone()}</h1>
                        <p class="lead">
                            {format!(
                                "{} {}questions · {} minutes · {} to {} UTC · answers shown {}",
                                a.questions,
                                if a.group_questions { "of the group's own " } else { "" },
                                a.duration_minutes,
                                when(&a.opens_at),
                                when(&a.due_at),
                                a.review_policy.replace('_', " "),
                            )}
                        </p>
                        <p>
                            <a
                                class="button button--secondary"
                                href=format!("/groups/assignments/{}/results.csv", a.id)
                                download
                                rel="external"
                                data-testid="csv"
                            >
                                "Download CSV"
                            </a>
                        </p>
                    </header>
                    <section aria-labelledby="members-results">
                        <h2 id="members-results">"Learners"</h2>
                        <p>
                            {r
                                .mean_score
                                .map_or(
                                    "No submissions yet.".to_string(),
                                    |m| format!("Mean score {m:.0}."),
                                )}
                        </p>
                        <div class="table-wrap" tabindex="0">
                            <table class="summary__table" data-testid="member-results">
                                <thead>
                                    <tr>
                                        <th scope="col">"Learner"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Best score"</th>
                                        <th scope="col">"Result"</th>
                                        <th scope="col">"Time"</th>
                                        <th scope="col">"Attempts"</th>
                                        <th scope="col">
                                            <span class="visually-hidden">"Detail"</span>
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {r
                                        .members
                                        .clone()
                                        .into_iter()
                                        .map(|m| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{m.display_name.clone()}</th>
                                                    <td>{m.status.label()}</td>
                                                    <td>
                                                        {m.best_score.map_or("–".to_string(), |s| s.to_string())}
                                                    </td>
                                                    <td>
                                                        {m
                                                            .passed
                                                            .map_or("–", |p| if p { "Pass" } else { "Fail" })}
                                                    </td>
                                                    <td>
                                                        {m
                                                            .time_used_secs
                                                            .map_or(
                                                                "–".to_string(),
                                                                |s| format!("{}:{:02}", s / 60, s % 60),
                                                            )}
                                                    </td>
                                                    <td>{m.attempts}</td>
                                                    <td>
                                                        {m
                                                            .attempt_id
                                                            .map(|id| {
                                                                view! {
                                                                    <A href=format!(
                                                                        "/groups/attempts/{id}",
                                                                    )>
                                                                        "Answers"
                                                                        <span class="visually-hidden">
                                                                            {format!(" of {}", m.display_name)}
                                                                        </span>
                                                                    </A>
                                                                }
                                                            })}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                    <section aria-labelledby="domain-averages">
                        <h2 id="domain-averages">"Averages by domain"</h2>
                        <ul>
                            {r
                                .domain_averages
                                .clone()
                                .into_iter()
                                .map(|(d, v)| view! { <li>{format!("{d}: {v:.0}%")}</li> })
                                .collect_view()}
                        </ul>
                    </section>
                    {(!r.objective_averages.is_empty())
                        .then(|| {
                            view! {
                                <section aria-labelledby="objective-averages">
                                    <h2 id="objective-averages">"Averages by exam objective"</h2>
                                    <ul data-testid="objective-averages">
                                        {r
                                            .objective_averages
                                            .clone()
                                            .into_iter()
                                            .map(|(o, v)| view! { <li>{format!("{o}: {v:.0}%")}</li> })
                                            .collect_view()}
                                    </ul>
                                </section>
                            }
                        })}
                    <section aria-labelledby="item-analysis">
                        <h2 id="item-analysis">"Item analysis"</h2>
                        <p class="muted">
                            "Facility: the mean score on the question (low is hard). Discrimination: how well the question separates stronger from weaker learners (the correlation of its score with the rest of the test; needs 3 or more attempts; below 0.2 is worth a look)."
                        </p>
                        <div class="table-wrap" tabindex="0">
                            <table class="summary__table" data-testid="item-analysis">
                                <thead>
                                    <tr>
                                        <th scope="col">"Question"</th>
                                        <th scope="col">"Attempts"</th>
                                        <th scope="col">"Facility"</th>
                                        <th scope="col">"Discrimination"</th>
                                        <th scope="col">"Options chosen"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {r
                                        .items
                                        .clone()
                                        .into_iter()
                                        .map(|i| {
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {(!i.objective.is_empty())
                                                            .then(|| {
                                                                view! {
                                                                    <span class="muted">{i.objective.clone()}</span>
                                                                    <br />
                                                                }
                                                            })}
                                                        <span class="muted">
                                                            {format!("{} · {}", i.question_id, i.item_type)}
                                                        </span><br />{i.stem.clone()}
                                                    </th>
                                                    <td>{i.attempts}</td>
                                                    <td>{format!("{:.0}%", i.facility)}</td>
                                                    <td>
                                                        {i
                                                            .discrimination
                                                            .map_or("–".to_string(), |d| format!("{d:.2}"))}
                                                    </td>
                                                    <td>
                                                        <ul class="option-counts">
                                                            {i
                                                                .options
                                                                .clone()
                                                                .into_iter()
                                                                .map(|o| {
                                                                    view! {
                                                                        <li class:is-key=o
                                                                            .correct>
                                                                            {format!(
                                                                                "{}{}: {}",
                                                                                if o.correct { "✓ " } else { "" },
                                                                                o.text.chars().take(60).collect::<String>(),
                                                                                o.chosen,
                                                                            )}
                                                                        </li>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </ul>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                    <section class="account__section" aria-labelledby="extension-title">
                        <h2 id="extension-title">"Extension for one learner"</h2>
                        <ActionForm action=extend attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="assignment_id" value=a.id />
                            <div class="field">
                                <label for="extend-member">"Learner"</label>
                                <select id="extend-member" name="user_id">
                                    {r
                                        .members
                                        .clone()
                                        .into_iter()
                                        .map(|m| {
                                            view! {
                                                <option value=m.user_id>{m.display_name.clone()}</option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                {move || {
                                    ext_value
                                        .get()
                                        .map(|r| {
                                            r.err()
                                                .map(|e| e.field_messages("member"))
                                                .unwrap_or_default()
                                        })
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|m| view! { <p class="field-error">{m}</p> })
                                        .collect_view()
                                }}
                            </div>
                            <Field
                                name="extra_minutes"
                                label="Extra minutes per attempt"
                                kind="number"
                                value="0"
                                min="0"
                                max="600"
                                errors=field_messages(ext_value, "extra_minutes")
                            />
                            <Field
                                name="due_at"
                                label="Later due date (UTC, optional)"
                                kind="datetime-local"
                                errors=field_messages(ext_value, "due_at")
                            />
                            <FormError
                                value=ext_value
                                fields=&["member", "extra_minutes", "due_at"]
                            />
                            {move || {
                                matches!(ext_value.get(), Some(Ok(())))
                                    .then(|| {
                                        view! {
                                            <p class="form-success" role="status">
                                                "Extension saved."
                                            </p>
                                        }
                                    })
                            }}
                            <button class="button" type="submit">
                                "Save extension"
                            </button>
                        </ActionForm>
                    </section>
                }
                    .into_any()
            })}
        </Suspense>
    }
}

/// `/groups/attempts/{id}`: a member's attempt, for the group's owners and instructors.
#[component]
pub fn MemberAttemptPage() -> impl IntoView {
    let id = param("id");
    let results = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_member_attempt(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Attempt" />
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(r) => view! { <crate::pages::exams::Results results=r /> }.into_any(),
                    Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
