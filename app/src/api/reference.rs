//! Reading the reference and searching it. Reference pages are public: anyone may read them.

use leptos::prelude::*;

use shared::error::AppError;
use shared::reference::{GlossaryView, PageView, ReferenceIndex, SearchResults};

/// The exams this site serves, with the one the visitor studies marked.
#[server(name = GetExams, prefix = "/api", endpoint = "exams/list")]
pub async fn get_exams() -> Result<Vec<shared::exam_choice::ExamChoice>, AppError> {
    crate::web::respond(
        async move { services::reference::exams(&crate::web::request().await?).await }.await,
    )
}

/// The reference index, grouped by exam domain.
#[server(name = GetReferenceIndex, prefix = "/api", endpoint = "reference/index")]
pub async fn get_reference_index() -> Result<ReferenceIndex, AppError> {
    crate::web::respond(
        async move { services::reference::index(&crate::web::request().await?).await }.await,
    )
}

/// One reference page, or `NotFound`.
#[server(name = GetReferencePage, prefix = "/api", endpoint = "reference/page")]
pub async fn get_reference_page(slug: String) -> Result<PageView, AppError> {
    crate::web::respond(
        async move { services::reference::page(&crate::web::request().await?, slug).await }.await,
    )
}

/// One search over the reference, glossary, diagrams and question stems, within one exam
/// domain when `domain` is given; an empty query finds nothing.
#[server(name = Search, prefix = "/api", endpoint = "search")]
pub async fn search(query: String, domain: Option<String>) -> Result<SearchResults, AppError> {
    crate::web::respond(
        async move { services::reference::search(&crate::web::request().await?, query, domain).await }
            .await,
    )
}

/// The glossary of the exam the visitor studies, A-Z (public, like the reference).
#[server(name = GetGlossary, prefix = "/api", endpoint = "glossary")]
pub async fn get_glossary() -> Result<GlossaryView, AppError> {
    crate::web::respond(
        async move { services::reference::glossary(&crate::web::request().await?).await }.await,
    )
}

/// The diagram gallery (public, like the reference).
#[server(name = GetDiagrams, prefix = "/api", endpoint = "diagrams")]
pub async fn get_diagrams() -> Result<Vec<shared::reference::DiagramView>, AppError> {
    crate::web::respond(
        async move { services::reference::diagrams(&crate::web::request().await?).await }.await,
    )
}
