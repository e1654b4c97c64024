//! "Report a problem": a small form under a question's feedback or at the end of a reference
//! page, and the list of reports (for their reporter, site admins and group instructors).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::reports::{AnswerReport, FileReport};
use crate::components::forms::{FormError, field_messages};
use crate::components::user::use_current_user;
use shared::report::{MAX_REPORT_CHARS, REASONS, ReportView, STATUSES, label};

/// The report form for a question (`question_id`) or a page (`page`, with its sections to pick
/// from: id and heading text).
#[component]
pub fn ReportProblem(
    #[prop(optional, into)] question_id: Option<String>,
    #[prop(optional, into)] page: Option<String>,
    #[prop(optional)] sections: Vec<(String, String)>,
    /// Where to come back to after signing in.
    #[prop(into)]
    next: String,
) -> impl IntoView {
    let user = use_current_user().0;
    let action = ServerAction::<FileReport>::new();
    let value = Signal::derive(move || action.value().get());
    // Unique per form on the page.
    let key = question_id
        .clone()
        .or_else(|| page.clone())
        .unwrap_or_default()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let (reason_id, details_id, section_id) = (
        format!("report-reason-{key}"),
        format!("report-details-{key}"),
        format!("report-section-{key}"),
    );
    view! {
        <details class="report" data-testid="report-problem">
            <summary>"Report a problem"</summary>
            <Suspense fallback=|| ()>
                {move || {
                    let (question_id, page, sections, next) = (
                        question_id.clone(),
                        page.clone(),
                        sections.clone(),
                        next.clone(),
                    );
                    let (reason_id, details_id, section_id) = (
                        reason_id.clone(),
                        details_id.clone(),
                        section_id.clone(),
                    );
                    Suspend::new(async move {
                        let signed_in = matches!(user.await, Ok(Some(_)));
                        if !signed_in {
                            return view! {
                                <p class="muted">
                                    <A href=format!("/login?next={next}")>"Sign in"</A>
                                    " to report a problem; you will see our answer on your account page."
                                </p>
                            }
                                .into_any();
                        }
                        view! {
                            <ActionForm action=action attr:class="form report__form">
                                <input
                                    type="hidden"
                                    name="question_id"
                                    value=question_id.clone().unwrap_or_default()
                                />
                                <input
                                    type="hidden"
                                    name="page"
                                    value=page.clone().unwrap_or_default()
                                />
                                {if sections.is_empty() {
                                    view! { <input type="hidden" name="heading" value="" /> }
                                        .into_any()
                                } else {
                                    view! {
                                        <div class="field">
                                            <label for=section_id
                                                .clone()>"Which part of the page"</label>
                                            <select
                                                id=section_id.clone()
                                                name="heading"
                                                data-testid="report-section"
                                            >
                                                <option value="">"The page as a whole"</option>
                                                {sections
                                                    .into_iter()
                                                    .map(|(id, text)| {
                                                        view! { <option value=id>{text}</option> }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </div>
                                    }
                                        .into_any()
                                }}
                                <div class="field">
                                    <label for=reason_id.clone()>"What is wrong"</label>
                                    <select
                                        id=reason_id.clone()
                                        name="reason"
                                        data-testid="report-reason"
                                    >
                                        {REASONS
                                            .iter()
                                            .map(|(v, l)| view! { <option value=*v>{*l}</option> })
                                            .collect_view()}
                                    </select>
                                    {move || {
                                        field_messages(value, "reason")
                                            .get()
                                            .into_iter()
                                            .map(|m| view! { <p class="field-error">{m}</p> })
                                            .collect_view()
                                    }}
                                </div>
                                <div class="field">
                                    <label for=details_id
                                        .clone()>
                                        {format!(
                                            "Details (up to {MAX_REPORT_CHARS} characters; a source helps)",
                                        )}
                                    </label>
                                    <textarea
                                        id=details_id.clone()
                                        name="details"
                                        rows="4"
                                        maxlength=MAX_REPORT_CHARS.to_string()
                                        data-testid="report-details"
                                    ></textarea>
                                    {move || {
                                        field_messages(value, "details")
                                            .get()
                                            .into_iter()
                                            .map(|m| view! { <p class="field-error">{m}</p> })
                                            .collect_view()
                                    }}
                                </div>
                                <FormError value=value fields=&["reason", "details"] />
                                <div aria-live="polite">
                                    {move || {
                                        value
                                            .get()
                                            .and_then(Result::ok)
                                            .map(|_| {
                                                view! {
                                                    <p
                                                        class="form-success"
                                                        role="status"
                                                        data-testid="report-sent"
                                                    >
                                                        "Thank you: the report is in. Its status and our reply appear on "
                                                        <A href="/account">"your account page"</A>
                                                        "."
                                                    </p>
                                                }
                                            })
                                    }}
                                </div>
                                <button
                                    class="button button--small"
                                    type="submit"
                                    data-testid="report-submit"
                                >
                                    "Send the report"
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    })
                }}
            </Suspense>
        </details>
    }
}

/// A list of reports; with `answer`, each gets a form to set its status and reply.
#[component]
pub fn ReportList(
    reports: Vec<ReportView>,
    #[prop(optional)] answer: Option<ServerAction<AnswerReport>>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    if reports.is_empty() {
        return view! {
            <p class="muted" data-testid=testid>
                "No reports."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="reports" data-testid=testid>
            {reports
                .into_iter()
                .map(|r| {
                    let status_id = format!("report-status-{}", r.id);
                    let reply_id = format!("report-reply-{}", r.id);
                    view! {
                        <li class="reports__item" data-testid="report">
                            <p class="reports__head">
                                <span
                                    class=format!(
                                        "badge reports__status reports__status--{}",
                                        r.status,
                                    )
                                    data-testid="report-status"
                                >
                                    {label(&STATUSES, &r.status)}
                                </span>
                                " "
                                {if r.url.is_empty() {
                                    view! { <strong>{r.target.clone()}</strong> }.into_any()
                                } else {
                                    view! { <A href=r.url.clone()>{r.target.clone()}</A> }
                                        .into_any()
                                }}
                                <span class="muted">
                                    {format!(
                                        " · {} · {}",
                                        label(&REASONS, &r.reason),
                                        shared::when::to_minute(&r.created_at),
                                    )}
                                </span>
                                {(!r.reporter.is_empty())
                                    .then(|| {
                                        view! {
                                            <span class="muted">
                                                {format!(" · from {}", r.reporter)}
                                            </span>
                                        }
                                    })}
                            </p>
                            {(!r.details.is_empty())
                                .then(|| {
                                    view! { <p class="reports__details">{r.details.clone()}</p> }
                                })}
                            {r
                                .answered
                                .clone()
                                .map(|a| {
                                    view! {
                                        <p class="muted">
                                            {format!("Last answer before reporting: {a}")}
                                        </p>
                                    }
                                })}
                            {(!r.reply.is_empty())
                                .then(|| {
                                    view! {
                                        <p class="reports__reply" data-testid="report-reply">
                                            <strong>"Reply: "</strong>
                                            {r.reply.clone()}
                                        </p>
                                    }
                                })}
                            {answer
                                .map(|action| {
                                    view! {
                                        <ActionForm
                                            action=action
                                            attr:class="inline-form reports__answer"
                                        >
                                            <input type="hidden" name="report_id" value=r.id />
                                            <label for=status_id.clone()>"Status"</label>
                                            <select
                                                id=status_id.clone()
                                                name="status"
                                                data-testid="report-answer-status"
                                            >
                                                {STATUSES
                                                    .iter()
                                                    .map(|(v, l)| {
                                                        view! {
                                                            <option value=*v selected=*v == r.status>
                                                                {*l}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                            <label for=reply_id.clone()>"Reply"</label>
                                            <textarea
                                                id=reply_id.clone()
                                                name="reply"
                                                rows="2"
                                                maxlength=MAX_REPORT_CHARS.to_string()
                                                data-testid="report-answer-reply"
                                            >
                                                {r.reply.clone()}
                                            </textarea>
                                            <button
                                                class="button button--small button--secondary"
                                                type="submit"
                                                data-testid="report-answer-submit"
                                            >
                                                "Save"
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
