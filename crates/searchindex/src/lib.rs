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

// Fx hashing: the keys are the index's own terms and ids, fixed when it is built; a query
// only looks them up, so it cannot grow a table or lengthen its probes.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub use text::{Analyzer, Token, edit_distance, is_stop_word};

/// A document's number in the index, in the order documents were added.
pub type DocId = u32;

/// A term's number in the index.
type TermId = u32;

/// BM25 parameters (the usual ones).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Positions of consecutive fields are kept apart, so a phrase never spans two fields.
const FIELD_GAP: u32 = 1_000;
/// How much a word found through a glossary phrase counts, against a word of the query.
const EXPANSION_WEIGHT: f32 = 0.45;
/// A word a synonym adds must be in at most one document in this many.
const EXPANSION_MAX_SHARE: usize = 20;
/// Candidates checked for the phrase bonus.
const PHRASE_CANDIDATES: usize = 200;

/// A term in a document. Its positions are `positions[start..start + len]` of the term's
/// list: one flat vector per term keeps a large bank small.
#[derive(Clone, Copy, Debug)]
struct Posting {
    doc: DocId,
    /// Occurrences, each weighted by its field.
    tf: f32,
    start: u32,
    len: u32,
}

#[derive(Clone, Debug, Default)]
struct PostingList {
    postings: Vec<Posting>,
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

/// A token of a stored snippet text.
#[derive(Clone, Copy, Debug)]
struct SnippetToken {
    term: TermId,
    start: u32,
    end: u32,
    /// A word (not a whole identifier): what a snippet's length is counted in.
    word: bool,
}

/// Collects documents, then builds the [`Index`].
#[derive(Debug, Default)]
pub struct IndexBuilder {
    analyzer: Analyzer,
    terms: HashMap<String, TermId>,
    lists: Vec<PostingList>,
    doc_len: Vec<f32>,
    synonyms: Vec<Synonym>,
    surfaces: HashMap<String, String>,
    snippets: HashMap<DocId, (String, Vec<SnippetToken>)>,
    scanned: Scanned,
}

/// Documents searched by reading them through rather than through postings: a few bytes a
/// word, for a corpus that may grow large (a question bank of tens of thousands) where the
/// postings would cost several times that in memory.
#[derive(Clone, Debug, Default)]
struct Scanned {
    /// The terms of every document, one after the other.
    terms: Vec<TermId>,
    /// Where each document's terms start in `terms` (one more entry than documents).
    starts: Vec<u32>,
    /// In how many scanned documents each term is (by term id).
    df: Vec<u32>,
}

impl IndexBuilder {
    fn term_id(&mut self, term: &str) -> TermId {
        if let Some(&id) = self.terms.get(term) {
            return id;
        }
        let id = TermId::try_from(self.lists.len()).unwrap_or(TermId::MAX);
        self.terms.insert(term.to_string(), id);
        self.lists.push(PostingList::default());
        id
    }

    /// Adds a document made of weighted fields; returns its id.
    pub fn add(&mut self, fields: &[(&str, f32)]) -> DocId {
        let doc = DocId::try_from(self.doc_len.len()).unwrap_or(DocId::MAX);
        let mut terms: HashMap<TermId, (f32, Vec<u32>)> = HashMap::default();
        let mut len = 0.0f32;
        for (n, (text, weight)) in fields.iter().enumerate() {
            let base = u32::try_from(n).unwrap_or(0).saturating_mul(FIELD_GAP);
            for token in self.analyzer.tokens(text) {
                if !token.compound {
                    len += weight;
                    if !self.surfaces.contains_key(&token.surface) {
                        self.surfaces
                            .insert(token.surface.clone(), token.term.clone());
                    }
                }
                let id = self.term_id(&token.term);
                let entry = terms.entry(id).or_default();
                entry.0 += weight;
                entry.1.push(base + token.position.min(FIELD_GAP - 1));
            }
        }
        let mut terms: Vec<(TermId, (f32, Vec<u32>))> = terms.into_iter().collect();
        terms.sort_by_key(|(id, _)| *id);
        for (id, (tf, mut positions)) in terms {
            positions.sort_unstable();
            positions.dedup();
            let list = &mut self.lists[id as usize];
            list.postings.push(Posting {
                doc,
                tf,
                start: u32::try_from(list.positions.len()).unwrap_or(u32::MAX),
                len: u32::try_from(positions.len()).unwrap_or(0),
            });
            list.positions.extend(positions);
        }
        self.doc_len.push(len.max(1.0));
        doc
    }

    /// Adds a document searched by [`Index::scan`] (one field); returns its number among
    /// the scanned documents. Its words are known to the query analysis (corrections,
    /// completions) like any other.
    pub fn add_scanned(&mut self, text: &str) -> u32 {
        if self.scanned.starts.is_empty() {
            self.scanned.starts.push(0);
        }
        let id = u32::try_from(self.scanned.starts.len() - 1).unwrap_or(u32::MAX);
        let mut seen: Vec<TermId> = Vec::new();
        for token in self.analyzer.tokens(text) {
            if !token.compound && !self.surfaces.contains_key(&token.surface) {
                self.surfaces
                    .insert(token.surface.clone(), token.term.clone());
            }
            let term = self.term_id(&token.term);
            self.scanned.terms.push(term);
            if !seen.contains(&term) {
                seen.push(term);
                let df = &mut self.scanned.df;
                if df.len() <= term as usize {
                    df.resize(term as usize + 1, 0);
                }
                df[term as usize] += 1;
            }
        }
        self.scanned
            .starts
            .push(u32::try_from(self.scanned.terms.len()).unwrap_or(u32::MAX));
        id
    }

    /// Keeps `text` analysed for [`Index::stored_snippet`] (worth it for long passages that
    /// come up often; short ones are cut from their text when shown).
    pub fn keep_snippet(&mut self, doc: DocId, text: &str) {
        let tokens = self
            .analyzer
            .tokens(text)
            .into_iter()
            .map(|t| SnippetToken {
                term: self.terms.get(&t.term).copied().unwrap_or(TermId::MAX),
                start: u32::try_from(t.span.start).unwrap_or(u32::MAX),
                end: u32::try_from(t.span.end).unwrap_or(u32::MAX),
                word: !t.compound,
            })
            .collect();
        self.snippets.insert(doc, (text.to_string(), tokens));
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

    pub fn build(mut self) -> Index {
        let total: f32 = self.doc_len.iter().sum();
        let avg_len = if self.doc_len.is_empty() {
            1.0
        } else {
            total / self.doc_len.len() as f32
        };
        // Words as written, with their term, sorted (for completions) and by length (for
        // corrections). A phrase word no document uses gets a term with no postings.
        let surfaces: Vec<(String, String)> = self.surfaces.drain().collect();
        let mut vocabulary: Vec<(String, TermId)> = surfaces
            .into_iter()
            .map(|(surface, term)| {
                let id = self.term_id(&term);
                (surface, id)
            })
            .collect();
        vocabulary.sort();
        let mut by_length: Vec<Vec<u32>> = Vec::new();
        for (i, (word, _)) in vocabulary.iter().enumerate() {
            let n = word.chars().count();
            if by_length.len() <= n {
                by_length.resize(n + 1, Vec::new());
            }
            by_length[n].push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        let synonyms: Vec<CompiledSynonym> = self
            .synonyms
            .iter()
            .map(|s| CompiledSynonym {
                phrase: s
                    .phrase
                    .iter()
                    .map(|t| self.terms.get(t).copied())
                    .collect(),
                expansion: s
                    .expansion
                    .iter()
                    .filter_map(|t| self.terms.get(t).copied())
                    .collect(),
                docs: s.docs.clone(),
            })
            .collect();
        let mut scanned = self.scanned;
        scanned.terms.shrink_to_fit();
        scanned.starts.shrink_to_fit();
        scanned.df.resize(self.lists.len(), 0);
        let mut synonyms_by_term: HashMap<TermId, Vec<u32>> = HashMap::default();
        for (i, synonym) in synonyms.iter().enumerate() {
            if let Some(Some(first)) = synonym.phrase.first() {
                synonyms_by_term
                    .entry(*first)
                    .or_default()
                    .push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        let mut lists = self.lists;
        for list in &mut lists {
            list.postings.shrink_to_fit();
            list.positions.shrink_to_fit();
        }
        Index {
            analyzer: self.analyzer,
            terms: self.terms,
            lists,
            doc_len: self.doc_len,
            avg_len,
            synonyms,
            synonyms_by_term,
            vocabulary,
            by_length,
            snippets: self.snippets,
            scanned,
        }
    }
}

#[derive(Clone, Debug)]
struct CompiledSynonym {
    /// `None` for a word no document or phrase knows (the synonym can never match).
    phrase: Vec<Option<TermId>>,
    expansion: Vec<TermId>,
    docs: Vec<DocId>,
}

/// The built index: read-only, shared by every search.
#[derive(Debug)]
pub struct Index {
    analyzer: Analyzer,
    terms: HashMap<String, TermId>,
    lists: Vec<PostingList>,
    doc_len: Vec<f32>,
    avg_len: f32,
    synonyms: Vec<CompiledSynonym>,
    /// The synonyms whose phrase starts with each term (by term id): a query checks only the
    /// phrases one of its words could begin, not all of them.
    synonyms_by_term: HashMap<TermId, Vec<u32>>,
    /// Every word as written (lowercase) with its term, sorted by word.
    vocabulary: Vec<(String, TermId)>,
    /// Indexes into `vocabulary` by the word's length in characters.
    by_length: Vec<Vec<u32>>,
    snippets: HashMap<DocId, (String, Vec<SnippetToken>)>,
    scanned: Scanned,
}

/// One way a word of the query may appear in a passage.
#[derive(Clone, Debug, PartialEq)]
struct Alternative {
    term: TermId,
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
    /// Every term to mark in snippets, sorted (looked up for every word of every snippet).
    highlight: Vec<TermId>,
}

impl Query {
    /// Whether nothing in the query is known to the index.
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(|s| s.alternatives.is_empty()) && self.boosts.is_empty()
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
    fn list(&self, term: TermId) -> &PostingList {
        static EMPTY: PostingList = PostingList {
            postings: Vec::new(),
            positions: Vec::new(),
        };
        self.lists.get(term as usize).unwrap_or(&EMPTY)
    }

    fn df(&self, term: TermId) -> usize {
        self.list(term).postings.len()
    }

    /// In how many documents, indexed or scanned, a term is.
    fn uses(&self, term: TermId) -> usize {
        self.df(term) + self.scanned.df.get(term as usize).copied().unwrap_or(0) as usize
    }

    fn idf(&self, term: TermId) -> f32 {
        let n = self.doc_len.len() as f32;
        let df = self.df(term) as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// Known words one or two edits away from an unknown one, closest and commonest first.
    fn corrections(&self, surface: &str) -> Vec<Alternative> {
        let len = surface.chars().count();
        if len < 4 || surface.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        let max = if len >= 8 { 2 } else { 1 };
        // As spell checkers commonly do (Lucene's minimum prefix of one), a candidate starts
        // with the same letter, or with the first two swapped: few typos hit the first
        // letter, and it spares the distance of most of the vocabulary.
        let mut first = surface.chars();
        let (a, b) = (first.next(), first.next());
        let mut found: Vec<(usize, usize, TermId)> = Vec::new();
        for n in len.saturating_sub(max)..=len + max {
            for &i in self.by_length.get(n).map_or(&[][..], Vec::as_slice) {
                let (word, term) = &self.vocabulary[i as usize];
                let mut chars = word.chars();
                let (x, y) = (chars.next(), chars.next());
                if x != a && !(x == b && y == a) {
                    continue;
                }
                if let Some(d) = edit_distance(surface, word, max) {
                    found.push((d, self.uses(*term), *term));
                }
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let best = found.first().map_or(0, |f| f.0);
        let mut out: Vec<Alternative> = Vec::new();
        for (d, _, term) in found.into_iter().filter(|f| f.0 == best) {
            if out.iter().any(|a| a.term == term) {
                continue;
            }
            out.push(Alternative {
                term,
                weight: if d <= 1 { 0.8 } else { 0.6 },
            });
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    /// Known words that begin with a word still being typed, commonest first.
    fn completions(&self, prefix: &str, own: Option<TermId>) -> Vec<Alternative> {
        if prefix.chars().count() < 3 {
            return Vec::new();
        }
        let start = self
            .vocabulary
            .partition_point(|(word, _)| word.as_str() < prefix);
        let mut found: Vec<(usize, TermId)> = self.vocabulary[start..]
            .iter()
            .take_while(|(word, _)| word.starts_with(prefix))
            .filter(|(_, term)| Some(*term) != own)
            .map(|(_, term)| (self.uses(*term), *term))
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        found
            .into_iter()
            .take(4)
            .map(|(_, term)| Alternative { term, weight: 0.7 })
            .collect()
    }

    /// Analyses a query: its words, their typo corrections and completions, and what the
    /// glossary's phrases add.
    pub fn query(&self, text: &str) -> Query {
        let tokens = self.analyzer.tokens(text);
        let still_typing = !text.ends_with(char::is_whitespace);
        let last_word = tokens.iter().rposition(|t| !t.compound);
        let known = |term: &str| {
            self.terms
                .get(term)
                .copied()
                .filter(|&id| self.uses(id) > 0)
        };
        let mut slots: Vec<Slot> = Vec::new();
        // The query's own words, known to the index (for phrases, even with no postings).
        let mut present: HashSet<TermId> = HashSet::default();
        for (i, token) in tokens.iter().enumerate() {
            if let Some(&id) = self.terms.get(&token.term) {
                present.insert(id);
            }
            if token.compound {
                // A known identifier counts on its own; its parts follow as words.
                if let Some(id) = known(&token.term) {
                    slots.push(Slot {
                        alternatives: vec![Alternative {
                            term: id,
                            weight: 1.0,
                        }],
                        counted: false,
                        position: token.position,
                    });
                }
                continue;
            }
            let mut alternatives = Vec::new();
            let own = known(&token.term);
            let typing = still_typing && Some(i) == last_word;
            let completions = if typing {
                self.completions(&token.surface, own)
            } else {
                Vec::new()
            };
            match own {
                Some(id) => alternatives.push(Alternative {
                    term: id,
                    weight: 1.0,
                }),
                // A word still being typed that begins known words is unfinished, not
                // misspelt.
                None if !completions.is_empty() => {}
                None => alternatives.extend(self.corrections(&token.surface)),
            }
            for alt in completions {
                if !alternatives.iter().any(|a| a.term == alt.term) {
                    alternatives.push(alt);
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
        present.extend(
            slots
                .iter()
                .flat_map(|s| s.alternatives.iter().map(|a| a.term)),
        );
        let counted = slots.iter().filter(|s| s.counted).count().max(1) as f32;
        let mut boosts: Vec<(DocId, f32)> = Vec::new();
        let mut added: Vec<TermId> = Vec::new();
        let mut candidates: Vec<u32> = present
            .iter()
            .filter_map(|t| self.synonyms_by_term.get(t))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        for synonym in candidates
            .iter()
            .filter_map(|&i| self.synonyms.get(i as usize))
        {
            if !synonym
                .phrase
                .iter()
                .all(|t| t.is_some_and(|t| present.contains(&t)))
            {
                continue;
            }
            let cover = (synonym.phrase.len() as f32 / counted).min(1.0);
            for &doc in &synonym.docs {
                match boosts.iter_mut().find(|(d, _)| *d == doc) {
                    Some(entry) => entry.1 = entry.1.max(cover),
                    None => boosts.push((doc, cover)),
                }
            }
            for &term in &synonym.expansion {
                // Only the words that say what the phrase means: a word in one passage of
                // twenty or more ("deployment") would bring in everything.
                let df = self.df(term);
                if !present.contains(&term)
                    && !added.contains(&term)
                    && df > 0
                    && df * EXPANSION_MAX_SHARE <= self.doc_len.len()
                {
                    added.push(term);
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
        let mut highlight: Vec<TermId> = slots
            .iter()
            .flat_map(|s| s.alternatives.iter().map(|a| a.term))
            .collect();
        highlight.sort_unstable();
        highlight.dedup();
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

    fn positions(&self, term: TermId, doc: DocId) -> &[u32] {
        let list = self.list(term);
        list.postings
            .binary_search_by_key(&doc, |p| p.doc)
            .ok()
            .map(|i| {
                let p = list.postings[i];
                &list.positions[p.start as usize..(p.start + p.len) as usize]
            })
            .unwrap_or(&[])
    }

    /// Whether any alternative of `a` is followed by any alternative of `b` in the document.
    fn adjacent(&self, a: &Slot, b: &Slot, doc: DocId) -> bool {
        a.alternatives.iter().any(|x| {
            let first = self.positions(x.term, doc);
            !first.is_empty()
                && b.alternatives.iter().any(|y| {
                    let second = self.positions(y.term, doc);
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
                let list = self.list(alt.term);
                if list.postings.is_empty() {
                    continue;
                }
                let idf = self.idf(alt.term);
                slot_idf = slot_idf.max(idf * alt.weight);
                for posting in &list.postings {
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
        let pairs: Vec<(&Slot, &Slot, f32)> = words
            .windows(2)
            .filter(|pair| pair[1].position == pair[0].position + 1)
            .map(|pair| {
                let bonus = 0.5
                    * (self.idf(pair[0].alternatives[0].term)
                        + self.idf(pair[1].alternatives[0].term));
                (pair[0], pair[1], bonus)
            })
            .collect();
        if !pairs.is_empty() {
            for hit in hits.iter_mut().take(PHRASE_CANDIDATES) {
                for (a, b, bonus) in &pairs {
                    if self.adjacent(a, b, hit.doc) {
                        hit.score += bonus;
                    }
                }
            }
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

    /// The best scanned documents (see [`IndexBuilder::add_scanned`]) among those `keep`
    /// accepts, best first: BM25 over their one field, with the same coverage rule as
    /// [`Index::search`] (no phrases, no synonym lifts).
    pub fn scan(&self, query: &Query, keep: impl Fn(u32) -> bool, limit: usize) -> Vec<Hit> {
        let starts = &self.scanned.starts;
        let n = starts.len().saturating_sub(1);
        if n == 0 || query.is_empty() {
            return Vec::new();
        }
        // Each term of the query: its slot and weight (the best when in several), looked up
        // by term id in a dense table (every word of every document is checked).
        let mut slot_of: Vec<(u16, f32)> = vec![(u16::MAX, 0.0); self.lists.len()];
        let mut slot_idf: Vec<f32> = vec![0.0; query.slots.len()];
        let idf = |term: TermId| {
            let df = self.scanned.df.get(term as usize).copied().unwrap_or(0) as f32;
            ((n as f32 - df + 0.5) / (df + 0.5) + 1.0).ln()
        };
        for (i, slot) in query.slots.iter().enumerate() {
            for alt in &slot.alternatives {
                if let Some(entry) = slot_of.get_mut(alt.term as usize)
                    && alt.weight > entry.1
                {
                    *entry = (u16::try_from(i).unwrap_or(u16::MAX - 1), alt.weight);
                }
                slot_idf[i] = slot_idf[i].max(idf(alt.term) * alt.weight);
            }
        }
        let total_weight: f32 = query
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.counted)
            .map(|(i, _)| slot_idf[i])
            .sum();
        let avg_len = self.scanned.terms.len() as f32 / n as f32;
        let mut hits = Vec::new();
        let mut tf: Vec<(TermId, f32)> = Vec::new();
        let mut best = vec![0.0f32; query.slots.len()];
        for doc in 0..n {
            let (from, to) = (starts[doc] as usize, starts[doc + 1] as usize);
            tf.clear();
            for &term in &self.scanned.terms[from..to] {
                if slot_of.get(term as usize).is_some_and(|s| s.0 != u16::MAX) {
                    match tf.iter_mut().find(|(t, _)| *t == term) {
                        Some(entry) => entry.1 += 1.0,
                        None => tf.push((term, 1.0)),
                    }
                }
            }
            if tf.is_empty() || !keep(doc as u32) {
                continue;
            }
            let len = (to - from).max(1) as f32;
            best.iter_mut().for_each(|b| *b = 0.0);
            for &(term, count) in &tf {
                let (slot, weight) = slot_of[term as usize];
                let s = weight * idf(term) * count * (K1 + 1.0)
                    / (count + K1 * (1.0 - B + B * len / avg_len));
                let slot = usize::from(slot);
                best[slot] = best[slot].max(s);
            }
            let covered: f32 = best
                .iter()
                .enumerate()
                .filter(|(i, b)| **b > 0.0 && query.slots[*i].counted)
                .map(|(i, _)| slot_idf[i])
                .sum();
            let coverage = if total_weight > 0.0 {
                covered / total_weight
            } else {
                0.0
            };
            let score: f32 = best.iter().sum();
            hits.push(Hit {
                doc: doc as u32,
                score: score * (0.3 + 0.7 * coverage),
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits.truncate(limit);
        hits
    }

    /// The snippet of a document whose text was kept with [`IndexBuilder::keep_snippet`].
    pub fn stored_snippet(&self, doc: DocId, query: &Query, words: usize) -> Option<Snippet> {
        let (text, tokens) = self.snippets.get(&doc)?;
        Some(cut(text, tokens, query, words))
    }

    /// The snippet of scanned document `scan` (see [`IndexBuilder::add_scanned`]) cut from
    /// `text`, the text it was added with: its words' terms are read from the scan rather than
    /// looked up again. A text that no longer matches the scan is cut like any other.
    pub fn scanned_snippet(&self, scan: u32, text: &str, query: &Query, words: usize) -> Snippet {
        let starts = &self.scanned.starts;
        let Some(terms) = starts
            .get(scan as usize)
            .zip(starts.get(scan as usize + 1))
            .and_then(|(&from, &to)| self.scanned.terms.get(from as usize..to as usize))
        else {
            return self.snippet(text, query, words);
        };
        let mut tokens: Vec<SnippetToken> = Vec::with_capacity(terms.len());
        self.analyzer.each_word(text, |_, span, compound| {
            tokens.push(SnippetToken {
                term: terms.get(tokens.len()).copied().unwrap_or(TermId::MAX),
                start: u32::try_from(span.start).unwrap_or(u32::MAX),
                end: u32::try_from(span.end).unwrap_or(u32::MAX),
                word: !compound,
            });
        });
        if tokens.len() != terms.len() {
            return self.snippet(text, query, words);
        }
        cut(text, &tokens, query, words)
    }

    /// The part of `text` (about `words` words) with the most matched words, marked. Words
    /// are looked up among the known ones (every indexed or scanned text's), not stemmed again.
    pub fn snippet(&self, text: &str, query: &Query, words: usize) -> Snippet {
        let mut tokens: Vec<SnippetToken> = Vec::new();
        self.analyzer.each_word(text, |word, span, compound| {
            let term = if compound {
                self.terms.get(word).copied()
            } else {
                self.vocabulary
                    .binary_search_by(|(known, _)| known.as_str().cmp(word))
                    .ok()
                    .map(|i| self.vocabulary[i].1)
            };
            tokens.push(SnippetToken {
                term: term.unwrap_or(TermId::MAX),
                start: u32::try_from(span.start).unwrap_or(u32::MAX),
                end: u32::try_from(span.end).unwrap_or(u32::MAX),
                word: !compound,
            });
        });
        cut(text, &tokens, query, words)
    }
}

/// Cuts the window of about `words` words holding the most distinct matched terms, with the
/// matches marked.
fn cut(text: &str, tokens: &[SnippetToken], query: &Query, words: usize) -> Snippet {
    let matched = |t: &SnippetToken| query.highlight.binary_search(&t.term).is_ok();
    let plain: Vec<&SnippetToken> = tokens.iter().filter(|t| t.word).collect();
    let mut marked: Vec<(usize, usize)> = tokens
        .iter()
        .filter(|t| matched(t))
        .map(|t| (t.start as usize, t.end as usize))
        .collect();
    marked.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for span in marked {
        match merged.last_mut() {
            Some(last) if span.0 < last.1 => last.1 = last.1.max(span.1),
            _ => merged.push(span),
        }
    }
    let words = words.max(1);
    let (mut best_start, mut best_score) = (0usize, -1i64);
    if plain.len() > words {
        // Windows open two words before a matched word, for context.
        let starts: Vec<usize> = plain
            .iter()
            .enumerate()
            .filter(|(_, t)| matched(t))
            .map(|(i, _)| i.saturating_sub(2).min(plain.len() - words))
            .collect();
        let mut seen: Vec<TermId> = Vec::new();
        for start in starts {
            seen.clear();
            let mut count = 0i64;
            for t in &plain[start..start + words] {
                if matched(t) {
                    count += 1;
                    if !seen.contains(&t.term) {
                        seen.push(t.term);
                    }
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
        let first = plain[best_start];
        let last = plain[best_start + words - 1];
        let from = if best_start == 0 {
            0
        } else {
            first.start as usize
        };
        let to = if best_start + words == plain.len() {
            text.len()
        } else {
            last.end as usize
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
    for &(start, end) in merged.iter().filter(|s| s.0 >= from && s.1 <= to) {
        push(&text[at..start], false, &mut parts);
        push(&text[start..end], true, &mut parts);
        at = end;
    }
    push(&text[at..to], false, &mut parts);
    if to < text.len() {
        push(" …", false, &mut parts);
    }
    Snippet { parts }
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
    fn scanned_documents_rank_like_indexed_ones() {
        let mut b = IndexBuilder::default();
        b.add(&[("Safe rollout", 3.0)]);
        let first = b.add_scanned("A team must move traffic to a new deployment slowly.");
        let second = b.add_scanned("Which compute suits nightly scoring of many files?");
        let index = b.build();
        let hits = index.scan(&index.query("nightly scorin"), |_| true, 5);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [second]);
        // Words only scanned documents use are known (and corrected) too.
        let hits = index.scan(&index.query("trafic deployment"), |d| d != second, 5);
        assert_eq!(hits[0].doc, first);
        assert!(
            index
                .scan(&index.query("traffic"), |d| d != first, 5)
                .is_empty()
        );
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
    fn a_kept_snippet_is_cut_like_one_from_its_text() {
        let mut b = IndexBuilder::default();
        let text = "Idle shutdown stops a compute instance nobody uses, even at night.";
        let doc = b.add(&[(text, 1.0)]);
        b.keep_snippet(doc, text);
        let index = b.build();
        let q = index.query("compute instance");
        assert_eq!(
            index.stored_snippet(doc, &q, 4),
            Some(index.snippet(text, &q, 4))
        );
        assert_eq!(index.stored_snippet(doc + 1, &q, 4), None);
    }

    #[test]
    fn a_scanned_snippet_is_cut_like_one_from_its_text() {
        let mut b = IndexBuilder::default();
        b.add(&[("Batch endpoints score files.", 1.0)]);
        let text = "Call `ml_client.batch_endpoints.invoke` to score a folder of files in batch.";
        let scan = b.add_scanned(text);
        let index = b.build();
        let q = index.query("batch invoke files");
        let cut = index.scanned_snippet(scan, text, &q, 6);
        assert_eq!(cut, index.snippet(text, &q, 6));
        assert!(
            cut.parts
                .iter()
                .any(|(part, marked)| *marked && part == "invoke")
        );
        // A text the scan does not hold, or no scan at all, is cut from its own words.
        let other = "Files go to batch endpoints.";
        assert_eq!(
            index.scanned_snippet(scan, other, &q, 6),
            index.snippet(other, &q, 6)
        );
        assert_eq!(
            index.scanned_snippet(scan + 7, other, &q, 6),
            index.snippet(other, &q, 6)
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
