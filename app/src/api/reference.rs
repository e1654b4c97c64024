//! Reading the reference and searching it. Reference pages are public: anyone may read them.

use leptos::prelude::*;

use shared::error::AppError;
use shared::reference::{GlossaryView, PageView, ReferenceIndex, SearchResults};

/// The exams this site serves, with the one the visitor studies marked.
#[server(name = GetExams, prefix = "/api", endpoint = "exams/list")]
pub async fn get_exams() -> Result<Vec<shared::exam_choice::ExamChoice>, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            let current = &crate::web::current_exam(&state.content).meta.code;
            Ok(state
                .content
                .exams
                .iter()
                .map(|e| shared::exam_choice::ExamChoice {
                    code: e.meta.code.clone(),
                    short_title: e.meta.short_title.clone(),
                    title: e.meta.title.clone(),
                    current: &e.meta.code == current,
                })
                .collect())
        }
        .await,
    )
}

/// The reference index, grouped by exam domain.
#[server(name = GetReferenceIndex, prefix = "/api", endpoint = "reference/index")]
pub async fn get_reference_index() -> Result<ReferenceIndex, AppError> {
    crate::web::respond(
        async move {
            use shared::reference::PageGroup;
            let state = crate::web::state::app_state()?;
            let exam = crate::web::current_exam(&state.content);
            let session = crate::web::session().await?;
            let user = services::auth::current_user(&state.pool, &session).await?;
            let read: Vec<String> = match &user {
                Some(user) => {
                    services::progress::pages_read(&state.pool, user.user_id, &exam.meta.code)
                        .await?
                }
                None => Vec::new(),
            };
            let summaries = |filter: &dyn Fn(&[String]) -> bool| {
                exam.pages
                    .iter()
                    .filter(|page| filter(&page.front.domains))
                    .map(|page| exam.page_summary(page, read.contains(&page.front.slug)))
                    .collect::<Vec<_>>()
            };
            let mut groups = Vec::new();
            for domain in &exam.meta.domains {
                let pages = summaries(&|domains| domains.len() == 1 && domains[0] == domain.id);
                if !pages.is_empty() {
                    groups.push(PageGroup {
                        title: domain.name.clone(),
                        note: format!("Exam domain, {} of the exam", domain.weight),
                        pages,
                    });
                }
            }
            let shared = summaries(&|domains| domains.len() > 1);
            if !shared.is_empty() {
                groups.push(PageGroup {
                    title: "Across both domains".to_string(),
                    note: "Decision rules, scenario cues and traps that the whole exam draws on"
                        .to_string(),
                    pages: shared,
                });
            }
            Ok(ReferenceIndex {
                exam_title: exam.meta.title.clone(),
                summary: exam.meta.summary.clone(),
                groups,
                signed_in: user.is_some(),
                read_count: read.len(),
                page_count: exam.pages.len(),
            })
        }
        .await,
    )
}

/// One reference page, or `NotFound`.
#[server(name = GetReferencePage, prefix = "/api", endpoint = "reference/page")]
pub async fn get_reference_page(slug: String) -> Result<PageView, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            let exam = crate::web::current_exam(&state.content);
            let page = exam.page(&slug).ok_or(AppError::NotFound)?;
            let (prev, next) = exam.neighbours(&slug);
            let session = crate::web::session().await?;
            let user = services::auth::current_user(&state.pool, &session).await?;
            let read = match &user {
                Some(user) => {
                    services::progress::pages_read(&state.pool, user.user_id, &exam.meta.code)
                        .await?
                        .contains(&slug)
                }
                None => false,
            };
            Ok(PageView {
                slug: page.front.slug.clone(),
                title: page.front.title.clone(),
                summary: page.front.summary.clone(),
                domains: page
                    .front
                    .domains
                    .iter()
                    .filter_map(|id| exam.domain_info(id))
                    .collect(),
                html: page.html.clone(),
                toc: page.toc(),
                prev,
                next,
                signed_in: user.is_some(),
                read,
                question_count: exam
                    .bank
                    .questions
                    .iter()
                    .filter(|q| {
                        q.def
                            .refs
                            .iter()
                            .any(|r| r.split('#').next() == Some(slug.as_str()))
                    })
                    .count(),
                sources: page
                    .front
                    .sources
                    .iter()
                    .map(|url| content::source_link(url))
                    .collect(),
                checked: page.front.checked.as_ref().map(ToString::to_string),
                objectives: page
                    .front
                    .objectives
                    .iter()
                    .filter_map(|id| exam.meta.objective(id))
                    .map(|o| (o.id.clone(), o.name.clone()))
                    .collect(),
            })
        }
        .await,
    )
}

/// One search over the reference, glossary, diagrams and question stems, within one exam
/// domain when `domain` is given; an empty query finds nothing.
#[server(name = Search, prefix = "/api", endpoint = "search")]
pub async fn search(query: String, domain: Option<String>) -> Result<SearchResults, AppError> {
    crate::web::respond(
        async move {
            use shared::reference::MAX_QUERY_CHARS;
            let query = query.trim();
            if query.chars().count() > MAX_QUERY_CHARS {
                return Err(AppError::field(
                    "q",
                    format!("Search for at most {MAX_QUERY_CHARS} characters."),
                ));
            }
            if let Some(problem) = shared::text::line_problem(query) {
                return Err(AppError::field("q", format!("Search: {problem}")));
            }
            let state = crate::web::state::app_state()?;
            let exam = crate::web::current_exam(&state.content);
            let domain = domain.filter(|d| !d.is_empty());
            if let Some(d) = &domain
                && exam.domain_info(d).is_none()
            {
                return Err(AppError::field(
                    "domain",
                    "Pick one of the exam's domains, or all of them.",
                ));
            }
            // The questions of a mock exam the searcher has open are left out, as practice
            // leaves them out: a result would name the question's bank id.
            let hidden = if query.is_empty() {
                Default::default()
            } else {
                match services::auth::session_claim(&crate::web::session().await?).await? {
                    Some(claim) => {
                        let mut conn = state.pool.acquire().await?;
                        services::integrity::embargoed(&mut conn, claim.user_id).await?
                    }
                    None => Default::default(),
                }
            };
            Ok(SearchResults {
                groups: if query.is_empty() {
                    Vec::new()
                } else {
                    exam.search.search(exam, query, domain.as_deref(), &hidden)
                },
                domains: exam
                    .meta
                    .domains
                    .iter()
                    .filter_map(|d| exam.domain_info(&d.id))
                    .collect(),
            })
        }
        .await,
    )
}

/// The glossary of the exam the visitor studies, A-Z (public, like the reference).
#[server(name = GetGlossary, prefix = "/api", endpoint = "glossary")]
pub async fn get_glossary() -> Result<GlossaryView, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            Ok(content::glossary::view(crate::web::current_exam(
                &state.content,
            )))
        }
        .await,
    )
}

/// The diagram gallery (public, like the reference).
#[server(name = GetDiagrams, prefix = "/api", endpoint = "diagrams")]
pub async fn get_diagrams() -> Result<Vec<shared::reference::DiagramView>, AppError> {
    crate::web::respond(
        async move {
            let state = crate::web::state::app_state()?;
            let exam = crate::web::current_exam(&state.content);
            Ok(exam
                .diagrams
                .iter()
                .map(|d| shared::reference::DiagramView {
                    slug: d.slug.clone(),
                    title: d.title.clone(),
                    description: d.description.clone(),
                    html: d.html.clone(),
                })
                .collect())
        }
        .await,
    )
}
