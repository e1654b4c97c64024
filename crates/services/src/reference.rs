//! The reference as a visitor reads it: the exam packs on offer, the index by domain, a page
//! (with whether the signed-in learner has read it), the glossary, the diagram gallery and
//! search. All public: anyone may read them.

use shared::error::AppError;
use shared::reference::{GlossaryView, PageView, ReferenceIndex, SearchResults};

use crate::Request;

/// The exams this site serves, with the one the visitor studies marked.
pub async fn exams(req: &Request) -> Result<Vec<shared::exam_choice::ExamChoice>, AppError> {
    let current = &req.exam().meta.code;
    Ok(req
        .state
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

/// The reference index, grouped by exam domain.
pub async fn index(req: &Request) -> Result<ReferenceIndex, AppError> {
    use shared::reference::PageGroup;
    let exam = req.exam();
    let user = req.user().await?;
    let read: Vec<String> = match &user {
        Some(user) => {
            crate::progress::pages_read(&req.state.pool, user.user_id, &exam.meta.code).await?
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

/// One reference page, or `NotFound`.
pub async fn page(req: &Request, slug: String) -> Result<PageView, AppError> {
    let exam = req.exam();
    let page = exam.page(&slug).ok_or(AppError::NotFound)?;
    let (prev, next) = exam.neighbours(&slug);
    let user = req.user().await?;
    let read = match &user {
        Some(user) => crate::progress::pages_read(&req.state.pool, user.user_id, &exam.meta.code)
            .await?
            .contains(&slug),
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

/// One search over the reference, glossary, diagrams and question stems, within one exam
/// domain when `domain` is given; an empty query finds nothing.
pub async fn search(
    req: &Request,
    query: String,
    domain: Option<String>,
) -> Result<SearchResults, AppError> {
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
    let exam = req.exam();
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
        match crate::auth::session_claim(&req.session).await? {
            Some(claim) => {
                let mut conn = req.state.pool.acquire().await?;
                crate::integrity::embargoed(&mut conn, claim.user_id).await?
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

/// The glossary of the exam the visitor studies, A-Z (public, like the reference).
pub async fn glossary(req: &Request) -> Result<GlossaryView, AppError> {
    Ok(content::glossary::view(req.exam()))
}

/// The diagram gallery (public, like the reference).
pub async fn diagrams(req: &Request) -> Result<Vec<shared::reference::DiagramView>, AppError> {
    let exam = req.exam();
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
