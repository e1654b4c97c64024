//! Relevance search over a small corpus held in memory (a study reference: a few thousand
//! passages). Built once when the content loads, then read by every request without locks.
//!
//! - **Ranking**: BM25 over weighted fields (a heading counts more than body text), with OR
//!   semantics: a passage need not hold every word, but the more of the query's meaning it
//!   covers (weighted by how rare each word is), the higher it ranks; words next to each other
//!   in the query and the passage earn a phrase bonus.
//! - **Words**: English stemming and stop words; code identifiers are kept whole and split
//!   (`mlflow.log_metric`, `online-deployment`, `DefaultAzureCredential`).
//! - **Typos and typing**: an unknown word is matched to known words one or two edits away
//!   (transpositions count once); the last word of a query still being typed matches the known
//!   words it begins.
//! - **Synonyms**: phrases from the content's glossary ("undo a bad release") add the words of
//!   what they mean to the query and lift the passages that teach it.
//!
//! ```
//! let mut builder = searchindex::IndexBuilder::default();
//! let a = builder.add(&[("Safe rollout", 3.0), ("Move traffic between deployments.", 1.0)]);
//! builder.add(&[("Quotas", 3.0), ("Ask for more cores.", 1.0)]);
//! builder.synonym("undo a bad release", "rollout traffic", &[a]);
//! let index = builder.build();
//! let query = index.query("how do I undo a bad relase");
//! assert_eq!(index.search(&query, |_| true, 10)[0].doc, a);
//! ```

mod text;

use std::collections::{HashMap, HashSet};

pub use text::{Analyzer, Token, edit_distance, is_stop_word};

/// A document's number in the index, in the order documents were added.
pub type DocId = u32;

/// BM25 parameters (the usual ones).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Positions of consecutive fields are kept apart, so a phrase never spans two fields.
const FIELD_GAP: u32 = 1_000;
/// How much a word found through a glossary phrase counts, against a word of the query.
const EXPANSION_WEIGHT: f32 = 0.45;
/// Candidates checked for the phrase bonus.
const PHRASE_CANDIDATES: usize = 200;

#[derive(Clone, Debug)]
struct Posting {
    doc: DocId,
    /// Occurrences, each weighted by its field.
    tf: f32,
    positions: Vec<u32>,
}

#[derive(Clone, Debug)]
struct Synonym {
    /// Every one of these terms must be in the query.
    phrase: Vec<String>,
    /// Terms added to the query.
    expansion: Vec<String>,
    /// Passages lifted.
    docs: Vec<DocId>,
}

/// Collects documents, then builds the [`Index`].
#[derive(Debug, Default)]
pub struct IndexBuilder {
    analyzer: Analyzer,
    postings: HashMap<String, Vec<Posting>>,
    doc_len: Vec<f32>,
    synonyms: Vec<Synonym>,
    surfaces: HashMap<String, String>,
}

impl IndexBuilder {
    /// Adds a document made of weighted fields; returns its id.
    pub fn add(&mut self, fields: &[(&str, f32)]) -> DocId {
        let doc = DocId::try_from(self.doc_len.len()).unwrap_or(DocId::MAX);
        let mut terms: HashMap<String, (f32, Vec<u32>)> = HashMap::new();
        let mut len = 0.0f32;
        for (n, (text, weight)) in fields.iter().enumerate() {
            let base = u32::try_from(n).unwrap_or(0).saturating_mul(FIELD_GAP);
            for token in self.analyzer.tokens(text) {
                if !token.compound {
                    len += weight;
                    self.surfaces
                        .entry(token.surface.clone())
                        .or_insert_with(|| token.term.clone());
                }
                let entry = terms.entry(token.term).or_default();
                entry.0 += weight;
                entry.1.push(base + token.position.min(FIELD_GAP - 1));
            }
        }
        for (term, (tf, positions)) in terms {
            self.postings
                .entry(term)
                .or_default()
                .push(Posting { doc, tf, positions });
        }
        self.doc_len.push(len.max(1.0));
        doc
    }

    /// Declares that a query holding every word of `phrase` means `expansion`, taught by
    /// `docs`.
    pub fn synonym(&mut self, phrase: &str, expansion: &str, docs: &[DocId]) {
        // Its words are known words, so a typo in them is corrected too.
        for token in self.analyzer.tokens(phrase) {
            if !token.compound {
                self.surfaces.entry(token.surface).or_insert(token.term);
            }
        }
        let phrase = self.analyzer.terms(phrase);
        if phrase.is_empty() {
            return;
        }
        let expansion = self.analyzer.terms(expansion);
        self.synonyms.push(Synonym {
            phrase,
            expansion,
            docs: docs.to_vec(),
        });
    }

    pub fn build(self) -> Index {
        let total: f32 = self.doc_len.iter().sum();
        let avg_len = if self.doc_len.is_empty() {
            1.0
        } else {
            total / self.doc_len.len() as f32
        };
        let mut vocabulary: Vec<(String, String)> = self.surfaces.into_iter().collect();
        vocabulary.sort();
        let mut postings = self.postings;
        for list in postings.values_mut() {
            list.sort_by_key(|p| p.doc);
        }
        Index {
            analyzer: self.analyzer,
            postings,
            doc_len: self.doc_len,
            avg_len,
            synonyms: self.synonyms,
            vocabulary,
        }
    }
}

/// The built index: read-only, shared by every search.
#[derive(Debug)]
pub struct Index {
    analyzer: Analyzer,
    postings: HashMap<String, Vec<Posting>>,
    doc_len: Vec<f32>,
    avg_len: f32,
    synonyms: Vec<Synonym>,
    /// Every word as written (lowercase) with its term, sorted by word.
    vocabulary: Vec<(String, String)>,
}

/// One way a word of the query may appear in a passage.
#[derive(Clone, Debug, PartialEq)]
struct Alternative {
    term: String,
    weight: f32,
}

/// A word of the query (or a word a synonym added) and the terms that stand for it.
#[derive(Clone, Debug, PartialEq)]
struct Slot {
    alternatives: Vec<Alternative>,
    /// Counts towards how much of the query a passage covers.
    counted: bool,
    /// Its place in the query, for phrases.
    position: u32,
}

/// A query, analysed against the index.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    slots: Vec<Slot>,
    /// Passages lifted by synonyms, with how much of the query the phrase covered.
    boosts: Vec<(DocId, f32)>,
    /// Every term to mark in snippets.
    highlight: HashSet<String>,
}

impl Query {
    /// Whether nothing in the query is known to the index.
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(|s| s.alternatives.is_empty()) && self.boosts.is_empty()
    }

    /// Whether a term (as [`Analyzer::tokens`] gives it) is one the query looks for.
    pub fn matches(&self, term: &str) -> bool {
        self.highlight.contains(term)
    }
}

/// A search result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub doc: DocId,
    pub score: f32,
}

/// A passage's text cut around the words that matched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// Pieces of text in order; `true` marks a matched word.
    pub parts: Vec<(String, bool)>,
}

impl Index {
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    pub fn doc_count(&self) -> usize {
        self.doc_len.len()
    }

    fn idf(&self, term: &str) -> f32 {
        let n = self.doc_len.len() as f32;
        let df = self.postings.get(term).map_or(0, Vec::len) as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    fn df(&self, term: &str) -> usize {
        self.postings.get(term).map_or(0, Vec::len)
    }

    /// Known words one or two edits away from an unknown one, closest and commonest first.
    fn corrections(&self, surface: &str) -> Vec<Alternative> {
        let len = surface.chars().count();
        if len < 4 || surface.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        let max = if len >= 8 { 2 } else { 1 };
        let mut found: Vec<(usize, usize, &str)> = Vec::new();
        for (word, term) in &self.vocabulary {
            if let Some(d) = edit_distance(surface, word, max) {
                found.push((d, self.df(term), term));
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
        let best = found.first().map_or(0, |f| f.0);
        let mut out: Vec<Alternative> = Vec::new();
        for (d, _, term) in found.into_iter().filter(|f| f.0 == best) {
            if out.iter().any(|a| a.term == term) {
                continue;
            }
            out.push(Alternative {
                term: term.to_string(),
                weight: if d <= 1 { 0.8 } else { 0.6 },
            });
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    /// Known words that begin with a word still being typed, commonest first.
    fn completions(&self, prefix: &str, own: &str) -> Vec<Alternative> {
        if prefix.chars().count() < 3 {
            return Vec::new();
        }
        let start = self
            .vocabulary
            .partition_point(|(word, _)| word.as_str() < prefix);
        let mut found: Vec<(usize, &str)> = self.vocabulary[start..]
            .iter()
            .take_while(|(word, _)| word.starts_with(prefix))
            .filter(|(_, term)| term != own)
            .map(|(_, term)| (self.df(term), term.as_str()))
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        found
            .into_iter()
            .take(4)
            .map(|(_, term)| Alternative {
                term: term.to_string(),
                weight: 0.7,
            })
            .collect()
    }

    /// Analyses a query: its words, their typo corrections and completions, and what the
    /// glossary's phrases add.
    pub fn query(&self, text: &str) -> Query {
        let tokens = self.analyzer.tokens(text);
        let still_typing = !text.ends_with(char::is_whitespace);
        let last_word = tokens.iter().rposition(|t| !t.compound);
        let mut slots: Vec<Slot> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            if token.compound {
                // A known identifier counts on its own; its parts follow as words.
                if self.postings.contains_key(&token.term) {
                    slots.push(Slot {
                        alternatives: vec![Alternative {
                            term: token.term.clone(),
                            weight: 1.0,
                        }],
                        counted: false,
                        position: token.position,
                    });
                }
                continue;
            }
            let mut alternatives = Vec::new();
            let known = self.postings.contains_key(&token.term);
            if known {
                alternatives.push(Alternative {
                    term: token.term.clone(),
                    weight: 1.0,
                });
            } else {
                alternatives.extend(self.corrections(&token.surface));
            }
            if still_typing && Some(i) == last_word {
                for alt in self.completions(&token.surface, &token.term) {
                    if !alternatives.iter().any(|a| a.term == alt.term) {
                        alternatives.push(alt);
                    }
                }
            }
            if slots
                .iter()
                .any(|s| s.counted && s.alternatives == alternatives)
            {
                continue;
            }
            slots.push(Slot {
                alternatives,
                counted: true,
                position: token.position,
            });
        }
        // A phrase may hold words no passage uses ("undo a bad release"): the query's own
        // words count as well as what they were corrected to.
        let present: HashSet<&str> = slots
            .iter()
            .flat_map(|s| s.alternatives.iter().map(|a| a.term.as_str()))
            .chain(tokens.iter().map(|t| t.term.as_str()))
            .collect();
        let counted = slots.iter().filter(|s| s.counted).count().max(1) as f32;
        let mut boosts: Vec<(DocId, f32)> = Vec::new();
        let mut added: Vec<String> = Vec::new();
        for synonym in &self.synonyms {
            if !synonym.phrase.iter().all(|t| present.contains(t.as_str())) {
                continue;
            }
            let cover = (synonym.phrase.len() as f32 / counted).min(1.0);
            for &doc in &synonym.docs {
                match boosts.iter_mut().find(|(d, _)| *d == doc) {
                    Some(entry) => entry.1 = entry.1.max(cover),
                    None => boosts.push((doc, cover)),
                }
            }
            for term in &synonym.expansion {
                if !present.contains(term.as_str())
                    && !added.contains(term)
                    && self.postings.contains_key(term)
                {
                    added.push(term.clone());
                }
            }
        }
        for term in added {
            slots.push(Slot {
                alternatives: vec![Alternative {
                    term,
                    weight: EXPANSION_WEIGHT,
                }],
                counted: false,
                position: u32::MAX,
            });
        }
        let highlight = slots
            .iter()
            .flat_map(|s| s.alternatives.iter().map(|a| a.term.clone()))
            .collect();
        Query {
            slots,
            boosts,
            highlight,
        }
    }

    fn bm25(&self, posting: &Posting, idf: f32) -> f32 {
        let len = self.doc_len[posting.doc as usize];
        let tf = posting.tf;
        idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_len))
    }

    fn positions(&self, term: &str, doc: DocId) -> &[u32] {
        self.postings
            .get(term)
            .and_then(|list| {
                list.binary_search_by_key(&doc, |p| p.doc)
                    .ok()
                    .map(|i| list[i].positions.as_slice())
            })
            .unwrap_or(&[])
    }

    /// Whether any alternative of `a` is followed by any alternative of `b` in the document.
    fn adjacent(&self, a: &Slot, b: &Slot, doc: DocId) -> bool {
        a.alternatives.iter().any(|x| {
            let first = self.positions(&x.term, doc);
            !first.is_empty()
                && b.alternatives.iter().any(|y| {
                    let second = self.positions(&y.term, doc);
                    first.iter().any(|p| second.binary_search(&(p + 1)).is_ok())
                })
        })
    }

    /// The best documents for a query among those `keep` accepts, best first.
    pub fn search(&self, query: &Query, keep: impl Fn(DocId) -> bool, limit: usize) -> Vec<Hit> {
        let n = self.doc_len.len();
        if n == 0 || query.is_empty() {
            return Vec::new();
        }
        let mut score = vec![0.0f32; n];
        let mut covered = vec![0.0f32; n];
        let mut best = vec![0.0f32; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut total_weight = 0.0f32;
        for slot in &query.slots {
            let mut slot_idf = 0.0f32;
            for alt in &slot.alternatives {
                let Some(list) = self.postings.get(&alt.term) else {
                    continue;
                };
                let idf = self.idf(&alt.term);
                slot_idf = slot_idf.max(idf * alt.weight);
                for posting in list {
                    let s = alt.weight * self.bm25(posting, idf);
                    let d = posting.doc as usize;
                    if best[d] == 0.0 {
                        touched.push(d);
                    }
                    best[d] = best[d].max(s);
                }
            }
            if slot.counted {
                total_weight += slot_idf;
            }
            for &d in &touched {
                score[d] += best[d];
                if slot.counted {
                    covered[d] += slot_idf;
                }
                best[d] = 0.0;
            }
            touched.clear();
        }
        let mut hits: Vec<Hit> = (0..n)
            .filter(|&d| score[d] > 0.0 && keep(d as DocId))
            .map(|d| {
                let coverage = if total_weight > 0.0 {
                    covered[d] / total_weight
                } else {
                    0.0
                };
                Hit {
                    doc: d as DocId,
                    score: score[d] * (0.3 + 0.7 * coverage),
                }
            })
            .collect();
        // Phrases: consecutive words of the query next to each other in the passage.
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        let words: Vec<&Slot> = query
            .slots
            .iter()
            .filter(|s| s.counted && !s.alternatives.is_empty())
            .collect();
        for hit in hits.iter_mut().take(PHRASE_CANDIDATES) {
            let mut bonus = 0.0;
            for pair in words.windows(2) {
                if pair[1].position == pair[0].position + 1
                    && self.adjacent(pair[0], pair[1], hit.doc)
                {
                    bonus += 0.5
                        * (self.idf(&pair[0].alternatives[0].term)
                            + self.idf(&pair[1].alternatives[0].term));
                }
            }
            hit.score += bonus;
        }
        // Synonyms: the passages a glossary phrase points at rise towards the top.
        let top = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
        for &(doc, cover) in &query.boosts {
            if !keep(doc) {
                continue;
            }
            let lift = top.max(1.0) * cover;
            match hits.iter_mut().find(|h| h.doc == doc) {
                Some(hit) => hit.score += lift,
                None => hits.push(Hit { doc, score: lift }),
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits.truncate(limit);
        hits
    }

    /// The part of `text` (about `words` words) with the most matched words, marked.
    pub fn snippet(&self, text: &str, query: &Query, words: usize) -> Snippet {
        let tokens = self.analyzer.tokens(text);
        let plain: Vec<&Token> = tokens.iter().filter(|t| !t.compound).collect();
        let marked_spans: Vec<std::ops::Range<usize>> = {
            let mut spans: Vec<std::ops::Range<usize>> = tokens
                .iter()
                .filter(|t| query.matches(&t.term))
                .map(|t| t.span.clone())
                .collect();
            spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
            let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
            for span in spans {
                match merged.last_mut() {
                    Some(last) if span.start < last.end => last.end = last.end.max(span.end),
                    _ => merged.push(span),
                }
            }
            merged
        };
        let words = words.max(1);
        // The window of `words` words holding the most distinct matched terms.
        let (mut best_start, mut best_score) = (0usize, -1i64);
        if plain.len() > words {
            // Windows open two words before a matched word, for context.
            let starts: Vec<usize> = plain
                .iter()
                .enumerate()
                .filter(|(_, t)| query.matches(&t.term))
                .map(|(i, _)| i.saturating_sub(2).min(plain.len() - words))
                .collect();
            for start in starts {
                let mut seen: HashSet<&str> = HashSet::new();
                let mut count = 0i64;
                for t in &plain[start..start + words] {
                    if query.matches(&t.term) {
                        count += 1;
                        seen.insert(&t.term);
                    }
                }
                let s = seen.len() as i64 * 100 + count;
                if s > best_score {
                    best_score = s;
                    best_start = start;
                }
            }
        }
        let (from, to) = if plain.len() > words {
            let first = &plain[best_start];
            let last = &plain[best_start + words - 1];
            let from = if best_start == 0 { 0 } else { first.span.start };
            let to = if best_start + words == plain.len() {
                text.len()
            } else {
                last.span.end
            };
            (from, to)
        } else {
            (0, text.len())
        };
        let mut parts: Vec<(String, bool)> = Vec::new();
        let push = |s: &str, marked: bool, parts: &mut Vec<(String, bool)>| {
            if s.is_empty() {
                return;
            }
            match parts.last_mut() {
                Some((last, m)) if *m == marked => last.push_str(s),
                _ => parts.push((s.to_string(), marked)),
            }
        };
        if from > 0 {
            push("… ", false, &mut parts);
        }
        let mut at = from;
        for span in marked_spans
            .iter()
            .filter(|s| s.start >= from && s.end <= to)
        {
            push(&text[at..span.start], false, &mut parts);
            push(&text[span.clone()], true, &mut parts);
            at = span.end;
        }
        push(&text[at..to], false, &mut parts);
        if to < text.len() {
            push(" …", false, &mut parts);
        }
        Snippet { parts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Index, Vec<DocId>) {
        let mut b = IndexBuilder::default();
        let docs = vec![
            b.add(&[
                ("Safe rollout", 3.0),
                (
                    "Create a green deployment and move traffic to it in steps.",
                    1.0,
                ),
            ]),
            b.add(&[
                ("Logging metrics", 3.0),
                ("Call mlflow.log_metric inside the run.", 1.0),
            ]),
            b.add(&[
                ("Compute instances", 3.0),
                ("Idle shutdown stops a compute instance nobody uses.", 1.0),
            ]),
            b.add(&[
                ("Environments", 3.0),
                (
                    "Pin the environment version so training and scoring match.",
                    1.0,
                ),
            ]),
        ];
        b.synonym("undo a bad release", "rollout traffic", &[docs[0]]);
        (b.build(), docs)
    }

    fn first(index: &Index, q: &str) -> Option<DocId> {
        index
            .search(&index.query(q), |_| true, 5)
            .first()
            .map(|h| h.doc)
    }

    #[test]
    fn any_word_may_match() {
        let (index, docs) = sample();
        assert_eq!(first(&index, "idle machines cost money"), Some(docs[2]));
    }

    #[test]
    fn typos_and_unfinished_words_still_match() {
        let (index, docs) = sample();
        assert_eq!(first(&index, "enviroment version"), Some(docs[3]));
        assert_eq!(first(&index, "pin the envir"), Some(docs[3]));
    }

    #[test]
    fn identifiers_match_whole_or_in_parts() {
        let (index, docs) = sample();
        assert_eq!(first(&index, "log_metric"), Some(docs[1]));
        assert_eq!(first(&index, "mlflow.log_metric"), Some(docs[1]));
        assert_eq!(first(&index, "log a metric"), Some(docs[1]));
    }

    #[test]
    fn synonyms_lift_what_a_phrase_means() {
        let (index, docs) = sample();
        assert_eq!(first(&index, "how to undo a bad release"), Some(docs[0]));
    }

    #[test]
    fn a_filter_keeps_results_out() {
        let (index, docs) = sample();
        let q = index.query("undo a bad release");
        assert!(index.search(&q, |d| d != docs[0], 5).is_empty());
    }

    #[test]
    fn unknown_and_stop_words_find_nothing() {
        let (index, _) = sample();
        assert!(
            index
                .search(&index.query("the of and"), |_| true, 5)
                .is_empty()
        );
        assert!(
            index
                .search(&index.query("zzzzqqq "), |_| true, 5)
                .is_empty()
        );
    }

    #[test]
    fn snippets_mark_matched_words_around_the_best_window() {
        let (index, _) = sample();
        let q = index.query("idle compute");
        let s = index.snippet(
            "Some words first. Then idle shutdown stops a compute instance nobody uses, at night.",
            &q,
            6,
        );
        let text: String = s
            .parts
            .iter()
            .map(|(t, m)| if *m { format!("[{t}]") } else { t.clone() })
            .collect();
        assert_eq!(
            text,
            "Some words first. Then [idle] shutdown stops a [compute] …"
        );
    }
}
