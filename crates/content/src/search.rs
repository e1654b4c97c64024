//! One search over an exam pack: reference sections, glossary terms, diagrams and question
//! stems (never options, keys or explanations), in memory (`crates/searchindex`: BM25,
//! stemming, typos, identifiers, the glossary's phrasings as synonyms), built when the content
//! loads. Question stems are read through rather than indexed (a few bytes a word): a bank
//! grows to tens of thousands of questions, and the server's memory should not grow with it.

use std::collections::BTreeMap;

use searchindex::{DocId, Index, IndexBuilder, Query};

use crate::{ExamPack, markdown::escape};
use shared::reference::{HitKind, SearchGroup, SearchHit};
use shared::routes;

/// Results shown per group.
const PER_GROUP: [(HitKind, usize); 4] = [
    (HitKind::Section, 10),
    (HitKind::Term, 5),
    (HitKind::Diagram, 3),
    (HitKind::Question, 6),
];

/// Words of text shown around the matches.
const SNIPPET_WORDS: usize = 28;

/// A searchable thing and how to show it.
#[derive(Clone, Debug)]
struct Doc {
    kind: HitKind,
    title: String,
    context: String,
    url: String,
    /// `page#heading` for sections (what the relevance set names), the id for questions.
    key: String,
    /// Bit `i` set for the pack's `i`-th domain.
    domains: u64,
}

/// The search of one exam pack.
pub struct SearchIndex {
    index: Index,
    docs: Vec<Doc>,
    /// The pack's domain ids, in the order of the bits of `Doc::domains`.
    domain_ids: Vec<String>,
    /// Per scanned document (a question): its place in the pack's bank and its domain bits.
    questions: Vec<(u32, u64)>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex({} documents)", self.docs.len())
    }
}

impl Default for SearchIndex {
    fn default() -> Self {
        Self {
            index: IndexBuilder::default().build(),
            docs: Vec::new(),
            domain_ids: Vec::new(),
            questions: Vec::new(),
        }
    }
}

impl SearchIndex {
    /// Indexes a loaded pack.
    pub fn build(pack: &ExamPack) -> Self {
        let domain_ids: Vec<String> = pack.meta.domains.iter().map(|d| d.id.clone()).collect();
        let bits = |ids: &[String]| -> u64 {
            ids.iter()
                .filter_map(|id| domain_ids.iter().position(|d| d == id))
                .filter(|&i| i < 64)
                .fold(0u64, |acc, i| acc | (1 << i))
        };
        let mut builder = IndexBuilder::default();
        let mut docs = Vec::new();
        let mut sections: BTreeMap<String, DocId> = BTreeMap::new();
        let mut page_domains: BTreeMap<&str, u64> = BTreeMap::new();
        let mut add = |builder: &mut IndexBuilder, doc: Doc, fields: &[(&str, f32)]| {
            let id = builder.add(fields);
            docs.push(doc);
            id
        };
        for page in &pack.pages {
            let domains = bits(&page.front.domains);
            page_domains.insert(&page.front.slug, domains);
            for section in &page.sections {
                let heading = if section.heading.is_empty() {
                    page.front.title.clone()
                } else {
                    section.heading.clone()
                };
                let anchor = format!("{}#{}", page.front.slug, section.heading_id);
                let url = routes::reference(&page.front.slug, &section.heading_id);
                // The text before the first heading is the page's introduction: its title
                // is its heading.
                let heading_weight = if section.heading.is_empty() { 2.0 } else { 3.0 };
                let id = add(
                    &mut builder,
                    Doc {
                        kind: HitKind::Section,
                        title: heading.clone(),
                        context: page.front.title.clone(),
                        url,
                        key: anchor.clone(),
                        domains,
                    },
                    &[
                        (&page.front.title, 1.0),
                        (&heading, heading_weight),
                        (&section.text, 1.0),
                    ],
                );
                builder.keep_snippet(id, &section.text);
                sections.insert(anchor, id);
            }
        }
        for term in &pack.glossary {
            let (slug, _) = term.target();
            let domains = page_domains.get(slug).copied().unwrap_or(0);
            let aliases = term.aliases.join(" ; ");
            let phrasings = term.phrasings.join(" ; ");
            let id = add(
                &mut builder,
                Doc {
                    kind: HitKind::Term,
                    title: term.term.clone(),
                    context: if term.aliases.is_empty() {
                        "Glossary".to_string()
                    } else {
                        format!("Glossary · also {}", term.aliases.join(", "))
                    },
                    url: routes::glossary_term(&term.id),
                    key: String::new(),
                    domains,
                },
                &[
                    (&term.term, 4.0),
                    (&aliases, 4.0),
                    (&phrasings, 1.5),
                    (&term.definition, 1.0),
                ],
            );
            builder.keep_snippet(id, &term.definition);
            let mut lifted = vec![id];
            lifted.extend(sections.get(&term.see).copied());
            let names: Vec<&str> = term.names().collect();
            let expansion = names.join(" ");
            for phrase in names
                .iter()
                .copied()
                .chain(term.phrasings.iter().map(String::as_str))
            {
                builder.synonym(phrase, &expansion, &lifted);
            }
        }
        for diagram in &pack.diagrams {
            let domains = diagram
                .links
                .iter()
                .filter_map(|link| link.strip_prefix("/reference/"))
                .filter_map(|rest| page_domains.get(rest.split('#').next().unwrap_or(rest)))
                .fold(0u64, |acc, d| acc | d);
            let id = add(
                &mut builder,
                Doc {
                    kind: HitKind::Diagram,
                    title: diagram.title.clone(),
                    context: "Diagram".to_string(),
                    url: routes::diagram(&diagram.slug),
                    key: String::new(),
                    domains,
                },
                &[(&diagram.title, 3.0), (&diagram.description, 1.5)],
            );
            builder.keep_snippet(id, &diagram.description);
        }
        let mut questions = Vec::with_capacity(pack.bank.questions.len());
        for (place, question) in pack.bank.questions.iter().enumerate() {
            builder.add_scanned(&question.search_text());
            questions.push((
                u32::try_from(place).unwrap_or(u32::MAX),
                bits(std::slice::from_ref(&question.def.domain)),
            ));
        }
        Self {
            index: builder.build(),
            docs,
            domain_ids,
            questions,
        }
    }

    fn ranked(&self, query: &Query, keep: impl Fn(&Doc) -> bool) -> Vec<DocId> {
        self.index
            .search(
                query,
                |id| self.docs.get(id as usize).is_some_and(&keep),
                usize::MAX,
            )
            .into_iter()
            .map(|hit| hit.doc)
            .collect()
    }

    /// The results of a query in groups (reference, glossary, diagrams, questions), within
    /// one exam domain when `domain` is given, without the questions in `hidden` (those of a
    /// mock exam the searcher has open: a result would name the question's bank id). `pack`
    /// is the pack this index was built from.
    pub fn search(
        &self,
        pack: &ExamPack,
        text: &str,
        domain: Option<&str>,
        hidden: &std::collections::HashSet<String>,
    ) -> Vec<SearchGroup> {
        let query = self.index.query(text);
        let mask = match domain {
            None => u64::MAX,
            Some(d) => self
                .domain_ids
                .iter()
                .position(|x| x == d)
                .filter(|&i| i < 64)
                .map_or(0, |i| 1 << i),
        };
        let ranked = self.ranked(&query, |doc| doc.domains & mask != 0);
        let mut groups: Vec<SearchGroup> = PER_GROUP
            .iter()
            .filter(|(kind, _)| *kind != HitKind::Question)
            .map(|&(kind, limit)| SearchGroup {
                kind,
                hits: ranked
                    .iter()
                    .map(|&id| (id, &self.docs[id as usize]))
                    .filter(|(_, doc)| doc.kind == kind)
                    .take(limit)
                    .map(|(id, doc)| SearchHit {
                        kind,
                        page_title: doc.context.clone(),
                        heading: doc.title.clone(),
                        url: doc.url.clone(),
                        snippet_html: self.snippet_html(id, &query),
                    })
                    .collect(),
            })
            .collect();
        let question = |scan: u32| {
            self.questions
                .get(scan as usize)
                .and_then(|&(place, domains)| {
                    pack.bank
                        .questions
                        .get(place as usize)
                        .map(|q| (q, domains))
                })
        };
        let limit = PER_GROUP
            .iter()
            .find(|(kind, _)| *kind == HitKind::Question)
            .map_or(8, |(_, n)| *n);
        let questions = self
            .index
            .scan(
                &query,
                |scan| {
                    question(scan)
                        .is_some_and(|(q, domains)| domains & mask != 0 && !hidden.contains(q.id()))
                },
                limit,
            )
            .into_iter()
            .filter_map(|hit| question(hit.doc).map(|(q, _)| (hit.doc, q)))
            .map(|(scan, q)| SearchHit {
                kind: HitKind::Question,
                page_title: q.item_type().label().to_string(),
                heading: format!("Question {}", q.id()),
                url: routes::practice_question(q.id()),
                snippet_html: snippet_html(self.index.scanned_snippet(
                    scan,
                    &q.search_text(),
                    &query,
                    SNIPPET_WORDS,
                )),
            })
            .collect();
        groups.push(SearchGroup {
            kind: HitKind::Question,
            hits: questions,
        });
        groups.retain(|group| !group.hits.is_empty());
        groups
    }

    /// The `page#heading` anchors of the best reference sections (for the relevance set).
    pub fn top_sections(&self, text: &str, n: usize) -> Vec<String> {
        let query = self.index.query(text);
        self.ranked(&query, |doc| doc.kind == HitKind::Section)
            .into_iter()
            .take(n)
            .map(|id| self.docs[id as usize].key.clone())
            .collect()
    }

    /// The snippet of a section, term or diagram (each keeps its text analysed in the index;
    /// a question's stem is cut from the bank when shown, so a large bank is not held twice).
    fn snippet_html(&self, id: DocId, query: &Query) -> String {
        snippet_html(
            self.index
                .stored_snippet(id, query, SNIPPET_WORDS)
                .unwrap_or_default(),
        )
    }
}

/// A snippet as HTML: escaped text with `<mark>` around the matched words.
fn snippet_html(snippet: searchindex::Snippet) -> String {
    let mut html = String::new();
    for (part, marked) in snippet.parts {
        if marked {
            html.push_str("<mark>");
            html.push_str(&escape(&part));
            html.push_str("</mark>");
        } else {
            html.push_str(&escape(&part));
        }
    }
    html
}

/// The lowest top-3 hit rate of the relevance set that passes.
pub const MIN_TOP3_RATE: f64 = 0.90;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RelevanceFile {
    query: Vec<RelevanceQuery>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RelevanceQuery {
    q: String,
    expect: Vec<String>,
}

/// How the pack's search does on its relevance set (`search-queries.toml`).
#[derive(Clone, Debug, Default)]
pub struct Relevance {
    pub queries: usize,
    /// Queries with an expected section among the first three reference results.
    pub top3: usize,
    /// Queries with one first.
    pub top1: usize,
    /// Queries that missed: the query, what it expected, the first three it got.
    pub misses: Vec<(String, Vec<String>, Vec<String>)>,
}

impl Relevance {
    pub fn top3_rate(&self) -> f64 {
        if self.queries == 0 {
            1.0
        } else {
            self.top3 as f64 / self.queries as f64
        }
    }
}

/// Scores the pack's relevance set; `None` when the pack has none. A query naming a section
/// that does not exist is a content error.
pub fn relevance(pack: &ExamPack) -> Result<Option<Relevance>, Vec<crate::ContentError>> {
    let file = pack.dir.join("search-queries.toml");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Ok(None);
    };
    let parsed: RelevanceFile =
        toml::from_str(&text).map_err(|err| vec![crate::toml_error(&file, &text, &err)])?;
    let anchors: std::collections::BTreeSet<&str> = pack
        .search
        .docs
        .iter()
        .filter(|d| d.kind == HitKind::Section)
        .map(|d| d.key.as_str())
        .collect();
    let mut errors = Vec::new();
    let mut report = Relevance::default();
    for query in &parsed.query {
        for expected in &query.expect {
            if !anchors.contains(expected.as_str()) {
                errors.push(crate::ContentError {
                    file: file.clone(),
                    line: 0,
                    message: format!(
                        "query `{}` expects `{expected}`, which is not a page section",
                        query.q
                    ),
                });
            }
        }
        let got = pack.search.top_sections(&query.q, 3);
        report.queries += 1;
        if got.first().is_some_and(|g| query.expect.contains(g)) {
            report.top1 += 1;
        }
        if got.iter().any(|g| query.expect.contains(g)) {
            report.top3 += 1;
        } else {
            report
                .misses
                .push((query.q.clone(), query.expect.clone(), got));
        }
    }
    if errors.is_empty() {
        Ok(Some(report))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The relevance set of the shipped pack: learners' everyday queries find their section
    /// among the first three results.
    #[test]
    fn the_relevance_set_finds_its_sections() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        let store = crate::ContentStore::load(&root)
            .unwrap_or_else(|_| panic!("the shipped content loads"));
        let report = relevance(store.default_exam())
            .unwrap_or_else(|errors| panic!("{errors:?}"))
            .unwrap_or_else(|| panic!("the shipped pack has a relevance set"));
        for (q, expected, got) in &report.misses {
            eprintln!("miss: {q:?} expected one of {expected:?}, got {got:?}");
        }
        eprintln!(
            "search relevance: top-3 {}/{} ({:.1}%), top-1 {}",
            report.top3,
            report.queries,
            100.0 * report.top3_rate(),
            report.top1
        );
        assert!(report.queries >= 60, "at least 60 queries");
        assert!(
            report.top3_rate() >= MIN_TOP3_RATE,
            "top-3 hit rate {:.1}% is under {:.0}%",
            100.0 * report.top3_rate(),
            100.0 * MIN_TOP3_RATE
        );
    }

    #[test]
    fn snippets_are_escaped_inside_and_outside_marks() {
        let mut builder = IndexBuilder::default();
        builder.add(&[("use <rg> with batch endpoints", 1.0)]);
        let index = builder.build();
        let query = index.query("batch");
        assert_eq!(
            snippet_html(index.snippet("use <rg> with batch & endpoints", &query, 30)),
            "use &lt;rg&gt; with <mark>batch</mark> &amp; endpoints"
        );
    }
}
