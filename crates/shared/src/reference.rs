//! What the browser receives about reference pages and search results.

use serde::{Deserialize, Serialize};

/// One exam domain (a part of the official skills outline).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainInfo {
    pub id: String,
    pub name: String,
    pub weight: String,
}

/// A reference page as listed in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: u32,
    pub domains: Vec<String>,
    /// Whether the signed-in reader has marked the page read.
    pub read: bool,
}

/// Pages of one group of the index (a domain, or "both domains").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageGroup {
    pub title: String,
    pub note: String,
    pub pages: Vec<PageSummary>,
}

/// The reference index: pages grouped by exam domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceIndex {
    pub exam_title: String,
    /// What the reference covers, from the pack (`exam.toml`'s `summary`).
    pub summary: Option<String>,
    pub groups: Vec<PageGroup>,
    pub signed_in: bool,
    pub read_count: usize,
    pub page_count: usize,
}

/// An entry of a page's table of contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to a neighbouring page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLink {
    pub slug: String,
    pub title: String,
}

/// A reference page ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub domains: Vec<DomainInfo>,
    /// Rendered on the server from our own content.
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    pub signed_in: bool,
    pub read: bool,
    /// Questions that refer to this page.
    pub question_count: usize,
    /// The pages the facts rest on.
    pub sources: Vec<SourceLink>,
    /// When the facts were last checked (YYYY-MM-DD).
    pub checked: Option<String>,
    /// The official exam objectives the page teaches: (id, name).
    #[serde(default)]
    pub objectives: Vec<(String, String)>,
}

/// A page a reference page rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLink {
    pub url: String,
    pub title: String,
}

/// What a search result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HitKind {
    /// A section of a reference page.
    Section,
    /// A glossary entry.
    Term,
    Diagram,
    /// A question's stem (never its options or key).
    Question,
}

impl HitKind {
    /// The heading of its group of results.
    pub fn group_title(self) -> &'static str {
        match self {
            Self::Section => "Reference",
            Self::Term => "Glossary",
            Self::Diagram => "Diagrams",
            Self::Question => "Practice questions",
        }
    }

    /// For ids and test ids.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Section => "reference",
            Self::Term => "glossary",
            Self::Diagram => "diagrams",
            Self::Question => "questions",
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: HitKind,
    /// Where it is: the page, "Glossary", "Diagram" or the item type.
    pub page_title: String,
    /// What it is: the section heading, the term, the diagram's title or "Question <id>".
    pub heading: String,
    pub url: String,
    /// Escaped text with `<mark>` around the matched words.
    pub snippet_html: String,
}

/// Results of one kind, best first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchGroup {
    pub kind: HitKind,
    pub hits: Vec<SearchHit>,
}

/// What a search returns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Only the groups with results, in a fixed order.
    pub groups: Vec<SearchGroup>,
    /// The exam's domains, for the filter.
    pub domains: Vec<DomainInfo>,
}

impl SearchResults {
    pub fn total(&self) -> usize {
        self.groups.iter().map(|g| g.hits.len()).sum()
    }
}

/// One glossary entry as `/glossary` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryEntry {
    /// The anchor (`/glossary#id`).
    pub id: String,
    pub term: String,
    pub aliases: Vec<String>,
    pub definition: String,
    /// The section that teaches it, and its "Page › Section" label.
    pub see_url: String,
    pub see_label: String,
}

/// The glossary page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryView {
    pub exam_title: String,
    /// Entries under their first letter, A-Z.
    pub letters: Vec<(char, Vec<GlossaryEntry>)>,
}

/// The longest search query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// A diagram of the gallery, drawn on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagramView {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The `<figure>` with the SVG and its text alternative.
    pub html: String,
}
