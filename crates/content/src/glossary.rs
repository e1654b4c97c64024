//! The glossary of an exam pack (`glossary.toml`): each important term with a short
//! definition, its other names, how learners ask for it, and the section that teaches it.
//! It feeds `/glossary`, the links on a term's first use in every reference page, and the
//! synonyms of search.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use super::{ContentError, ExamPack, markdown::slugify, toml_error};

/// The longest definition, in words.
const MAX_DEFINITION_WORDS: usize = 60;

/// One term.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm {
    pub term: String,
    /// Other names of the same thing (acronyms, former names, identifiers).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// How a learner who does not know the term asks for it (search only).
    #[serde(default)]
    pub phrasings: Vec<String>,
    pub definition: String,
    /// `page-slug#heading-id` of the section that teaches it.
    pub see: String,
    /// Whether pages link its first use (false for a name that also means other things in
    /// running text, such as "trace").
    #[serde(default = "linked")]
    pub link: bool,
    /// Longer phrases holding one of its names that mean something else ("Log Analytics
    /// workspace", "stack trace"): never linked.
    #[serde(default)]
    pub not_in: Vec<String>,
    /// Pages where its name means something else: not linked there.
    #[serde(default)]
    pub not_on: Vec<String>,
    /// The anchor on `/glossary` (from the term).
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub line: usize,
}

impl GlossaryTerm {
    /// The page and heading of `see`.
    pub fn target(&self) -> (&str, &str) {
        self.see.split_once('#').unwrap_or((self.see.as_str(), ""))
    }

    /// Its name and other names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    term: Vec<GlossaryTerm>,
}

fn linked() -> bool {
    true
}

/// Reads `glossary.toml` if the pack has one (sorted A-Z); problems go to `errors`.
pub fn load(dir: &Path, errors: &mut Vec<ContentError>) -> Vec<GlossaryTerm> {
    let file = dir.join("glossary.toml");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Vec::new();
    };
    let parsed: GlossaryFile = match toml::from_str(&text) {
        Ok(parsed) => parsed,
        Err(err) => {
            errors.push(toml_error(&file, &text, &err));
            return Vec::new();
        }
    };
    let mut terms = parsed.term;
    let mut problem = |line: usize, message: String| {
        errors.push(ContentError {
            file: file.clone(),
            line,
            message,
        })
    };
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for term in &mut terms {
        term.id = slugify(&term.term);
        term.line = line_of(&text, &term.term);
        if let Some(other) = ids.insert(term.id.clone(), term.term.clone()) {
            problem(
                term.line,
                format!("term `{}` is listed twice (also `{other}`)", term.term),
            );
        }
        for name in term.names() {
            if name.trim().is_empty() {
                problem(term.line, format!("`{}` has an empty alias", term.term));
                continue;
            }
            if let Some(other) = names.insert(name.to_lowercase(), term.term.clone())
                && other != term.term
            {
                problem(
                    term.line,
                    format!("`{name}` names both `{other}` and `{}`", term.term),
                );
            }
        }
        let words = term.definition.split_whitespace().count();
        if words == 0 || words > MAX_DEFINITION_WORDS {
            problem(
                term.line,
                format!(
                    "`{}`: the definition has {words} words (1 to {MAX_DEFINITION_WORDS})",
                    term.term
                ),
            );
        }
        for text in std::iter::once(&term.definition)
            .chain(&term.phrasings)
            .chain(&term.aliases)
        {
            if let Some(message) = shared::text::line_problem(text) {
                problem(term.line, format!("`{}`: {message}", term.term));
            }
        }
        if !term.see.contains('#') {
            problem(
                term.line,
                format!(
                    "`{}`: `see` must be page-slug#heading-id, not `{}`",
                    term.term, term.see
                ),
            );
        }
    }
    terms.sort_by_key(|t| t.term.to_lowercase());
    terms
}

/// The line of the `term = "..."` entry, for error messages.
fn line_of(text: &str, term: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start().starts_with("term") && line.contains(&format!("\"{term}\""))
        })
        .map_or(0, |i| i + 1)
}

/// Every `see` points at a section of a page of the pack.
pub fn check(pack: &ExamPack, errors: &mut Vec<ContentError>) {
    let file = pack.dir.join("glossary.toml");
    for term in &pack.glossary {
        for slug in &term.not_on {
            if pack.page(slug).is_none() {
                errors.push(ContentError {
                    file: file.clone(),
                    line: term.line,
                    message: format!(
                        "`{}`: `not_on` names `{slug}`, which is not a page",
                        term.term
                    ),
                });
            }
        }
        let (slug, heading) = term.target();
        let found = pack
            .page(slug)
            .is_some_and(|page| heading.is_empty() || page.has_heading(heading));
        if !found {
            errors.push(ContentError {
                file: file.clone(),
                line: term.line,
                message: format!(
                    "`{}`: `see` points at `{}`, which is not a page section",
                    term.term, term.see
                ),
            });
        }
    }
}

/// The glossary as `/glossary` shows it: entries under their first letter.
pub fn view(pack: &ExamPack) -> shared::reference::GlossaryView {
    use shared::reference::GlossaryEntry;
    let mut letters: Vec<(char, Vec<GlossaryEntry>)> = Vec::new();
    for term in &pack.glossary {
        let letter = term
            .term
            .chars()
            .find(|c| c.is_alphanumeric())
            .map_or('#', |c| c.to_ascii_uppercase());
        let letter = if letter.is_ascii_alphabetic() {
            letter
        } else {
            '#'
        };
        let (slug, heading) = term.target();
        let page = pack.page(slug);
        let section = page
            .and_then(|p| p.headings.iter().find(|h| h.id == heading))
            .map(|h| h.text.clone());
        let see_label = match (page, section) {
            (Some(p), Some(s)) => format!("{} › {s}", p.front.title),
            (Some(p), None) => p.front.title.clone(),
            _ => term.see.clone(),
        };
        let entry = GlossaryEntry {
            id: term.id.clone(),
            term: term.term.clone(),
            aliases: term.aliases.clone(),
            definition: term.definition.clone(),
            see_url: shared::routes::reference_target(&term.see),
            see_label,
        };
        match letters.iter_mut().find(|(l, _)| *l == letter) {
            Some((_, entries)) => entries.push(entry),
            None => letters.push((letter, vec![entry])),
        }
    }
    letters.sort_by_key(|(l, _)| (*l == '#', *l));
    shared::reference::GlossaryView {
        exam_title: pack.meta.title.clone(),
        letters,
    }
}

/// Finds the first use of each glossary term in a page's text.
#[derive(Clone, Debug)]
pub struct Linker {
    matcher: Option<AhoCorasick>,
    /// For each pattern: the term's index (`None` for a phrase that must not link), and
    /// whether it must match case exactly (acronyms: "PTU" links, "ptu" in a URL does not).
    patterns: Vec<(Option<usize>, bool, String)>,
    ids: Vec<String>,
    /// Per term, the pages it is not linked on.
    not_on: Vec<Vec<String>>,
}

/// A piece of text after linking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// Text linked to the glossary entry with this anchor.
    Term(&'a str, &'a str),
}

impl Linker {
    pub fn new(terms: &[GlossaryTerm]) -> Self {
        let mut patterns = Vec::new();
        for (index, term) in terms.iter().enumerate().filter(|(_, t)| t.link) {
            for name in term.names() {
                let name = name.trim();
                // Names of one or two letters would link inside too many words.
                if name.chars().count() < 3 {
                    continue;
                }
                let acronym = name.chars().all(|c| !c.is_lowercase());
                patterns.push((Some(index), acronym, name.to_string()));
            }
            // A longer phrase wins over the name it holds (leftmost-longest) and links nothing.
            for phrase in &term.not_in {
                patterns.push((None, false, phrase.trim().to_string()));
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.2.as_str()))
            .ok();
        Self {
            matcher,
            patterns,
            ids: terms.iter().map(|t| t.id.clone()).collect(),
            not_on: terms.iter().map(|t| t.not_on.clone()).collect(),
        }
    }

    /// Splits `text` (on the page `page`) at the first use of terms not yet in `used` (term
    /// indexes); `None` when nothing in it is linked.
    pub fn link<'a>(
        &'a self,
        text: &'a str,
        page: &str,
        used: &mut BTreeSet<usize>,
    ) -> Option<Vec<Piece<'a>>> {
        let matcher = self.matcher.as_ref()?;
        let mut pieces = Vec::new();
        let mut at = 0;
        for found in matcher.find_iter(text) {
            let (index, exact, pattern) = &self.patterns[found.pattern().as_usize()];
            let Some(index) = index else {
                continue;
            };
            if self.not_on[*index].iter().any(|p| p == page) {
                continue;
            }
            let span = &text[found.start()..found.end()];
            let before = text[..found.start()].chars().next_back();
            let after = text[found.end()..].chars().next();
            let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
            if used.contains(index)
                || (*exact && span != pattern)
                || !boundary(before)
                || !boundary(after)
            {
                continue;
            }
            used.insert(*index);
            pieces.push(Piece::Text(&text[at..found.start()]));
            pieces.push(Piece::Term(span, &self.ids[*index]));
            at = found.end();
        }
        if pieces.is_empty() {
            return None;
        }
        pieces.push(Piece::Text(&text[at..]));
        pieces.retain(|p| !matches!(p, Piece::Text("")));
        Some(pieces)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(name: &str, aliases: &[&str]) -> GlossaryTerm {
        GlossaryTerm {
            term: name.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            phrasings: Vec::new(),
            definition: "d".to_string(),
            see: "p#h".to_string(),
            link: true,
            not_in: vec!["Log Analytics workspace".to_string()],
            not_on: vec!["other-page".to_string()],
            id: slugify(name),
            line: 1,
        }
    }

    #[test]
    fn first_uses_link_once_on_word_boundaries() {
        let terms = [
            term("Key Vault", &[]),
            term("Provisioned throughput unit", &["PTU"]),
            term("MLflow", &[]),
        ];
        let linker = Linker::new(&terms);
        let mut used = BTreeSet::new();
        let pieces = linker
            .link(
                "Keep secrets in key vault, buy PTUs or a PTU; see mlflow.",
                "page",
                &mut used,
            )
            .unwrap();
        assert_eq!(
            pieces,
            [
                Piece::Text("Keep secrets in "),
                Piece::Term("key vault", "key-vault"),
                Piece::Text(", buy PTUs or a "),
                Piece::Term("PTU", "provisioned-throughput-unit"),
                Piece::Text("; see "),
                Piece::Term("mlflow", "mlflow"),
                Piece::Text("."),
            ]
        );
        assert_eq!(linker.link("Key Vault again", "page", &mut used), None);
    }

    #[test]
    fn phrases_and_pages_where_a_name_means_something_else_do_not_link() {
        let terms = [term("Workspace", &[])];
        let linker = Linker::new(&terms);
        let mut used = BTreeSet::new();
        assert_eq!(
            linker.link("logs go to a Log Analytics workspace", "page", &mut used),
            None
        );
        assert_eq!(linker.link("a workspace", "other-page", &mut used), None);
        assert!(linker.link("a workspace", "page", &mut used).is_some());
    }

    #[test]
    fn acronyms_match_their_case_only() {
        let terms = [term("Retrieval-augmented generation", &["RAG"])];
        let linker = Linker::new(&terms);
        assert_eq!(
            linker.link("a rag doll", "page", &mut BTreeSet::new()),
            None
        );
    }
}
