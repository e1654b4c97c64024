//! Splitting text into searchable terms: words, code identifiers and their parts, stemmed,
//! without stop words.

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};

/// Characters that join the parts of a code identifier or a compound word: `log_metric`,
/// `online-deployment`, `mlflow.log_metric`, `blue/green`.
fn is_joiner(c: char) -> bool {
    matches!(c, '_' | '-' | '.' | '/')
}

/// English words too common to say anything about a passage. Questions learners type are full
/// of them ("how do I ...", "where should ... go").
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
    "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how",
    "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my",
    "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
    "get", "got", "go", "goes", "going", "use", "using", "used", "want", "need", "way", "thing",
    "things", "let", "make", "eg", "vs", "via",
];

static STOP_SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
    std::sync::LazyLock::new(|| STOP_WORDS.iter().copied().collect());

/// Whether a lowercase word carries no meaning for search.
pub fn is_stop_word(word: &str) -> bool {
    STOP_SET.contains(word)
}

/// One searchable unit of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The stem of a word, or a whole lowercase identifier (`log_metric`, `get-logs`).
    pub term: String,
    /// The word as written, lowercased (for typo and prefix matching); empty for identifiers.
    pub surface: String,
    /// Where it is in the text.
    pub span: Range<usize>,
    /// Its place among the words of the text (identifiers share the place of their first part),
    /// for phrase matching. Stop words take no place, so "undo a release" has "undo" next to
    /// "releas".
    pub position: u32,
    /// A whole identifier rather than a word.
    pub compound: bool,
}

/// Stems words (English Snowball).
pub struct Analyzer {
    stemmer: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzer")
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Self {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Analyzer {
    /// The stem of one lowercase word.
    pub fn stem(&self, word: &str) -> String {
        // Digits and very short words are kept as they are ("f1", "v2", "ml").
        if word.len() <= 2 || word.chars().any(|c| c.is_ascii_digit()) {
            return word.to_string();
        }
        self.stemmer.stem(word).into_owned()
    }

    /// The tokens of a text, in order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut position = 0u32;
        self.each_word(text, |word, span, compound| {
            if compound {
                out.push(Token {
                    term: word.to_string(),
                    surface: String::new(),
                    span,
                    position,
                    compound: true,
                });
            } else {
                out.push(Token {
                    term: self.stem(word),
                    surface: word.to_string(),
                    span,
                    position,
                    compound: false,
                });
                position += 1;
            }
        });
        out
    }

    /// Calls `f` for every token in order, without stemming and without allocating per
    /// token: the word (or whole identifier, and an identifier's dotted pieces) lowercased, its
    /// span, and whether it is an identifier. [`Analyzer::tokens`] is built on it; callers that
    /// look words up rather than analyse them use it directly.
    pub fn each_word(&self, text: &str, mut f: impl FnMut(&str, Range<usize>, bool)) {
        let mut lower = String::new();
        let lowercase = |s: &str, buffer: &mut String| {
            buffer.clear();
            buffer.extend(s.chars().flat_map(char::to_lowercase));
        };
        for run in runs(text) {
            let raw = &text[run.clone()];
            let parts = parts(raw, run.start);
            if parts.len() > 1 {
                lowercase(raw, &mut lower);
                f(&lower, run.clone(), true);
                if raw.contains('.') {
                    let mut start = run.start;
                    for piece in raw.split('.') {
                        let span = start..start + piece.len();
                        start = span.end + 1;
                        if piece.contains(['_', '-', '/']) {
                            lowercase(piece, &mut lower);
                            f(&lower, span, true);
                        }
                    }
                }
            }
            for part in parts {
                lowercase(&text[part.clone()], &mut lower);
                if !is_stop_word(&lower) {
                    f(&lower, part, false);
                }
            }
        }
    }

    /// The distinct terms of a text (for phrases that must all appear).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut terms: Vec<String> = self
            .tokens(text)
            .into_iter()
            .filter(|t| !t.compound)
            .map(|t| t.term)
            .collect();
        terms.sort();
        terms.dedup();
        terms
    }
}

/// Runs of letters, digits and inner joiners; joiners at either end are dropped ("end." ->
/// "end").
fn runs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let close = |start: usize, end: usize, out: &mut Vec<Range<usize>>| {
        let run = &text[start..end];
        let trimmed_start = run.len() - run.trim_start_matches(is_joiner).len();
        let trimmed = run.trim_matches(is_joiner);
        if !trimmed.is_empty() {
            let s = start + trimmed_start;
            out.push(s..s + trimmed.len());
        }
    };
    for (i, c) in text.char_indices() {
        let inside = c.is_alphanumeric() || is_joiner(c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                close(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        close(s, text.len(), &mut out);
    }
    out
}

/// The word parts of a run: split at joiners and at camelCase boundaries
/// (`DefaultAzureCredential` -> Default, Azure, Credential; `MLClient` -> ML, Client).
fn parts(run: &str, offset: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if is_joiner(c) {
            if start < i {
                out.push(offset + start..offset + i);
            }
            start = i + c.len_utf8();
            continue;
        }
        if k == 0 || i == start {
            continue;
        }
        let prev = chars[k - 1].1;
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let camel = (prev.is_lowercase() && c.is_uppercase())
            || (prev.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase));
        if camel {
            out.push(offset + start..offset + i);
            start = i;
        }
    }
    if start < run.len() {
        out.push(offset + start..offset + run.len());
    }
    out
}

/// Damerau-Levenshtein (optimal string alignment) distance, or `None` when over `max`.
/// Words up to 32 bytes of ASCII (nearly every word) are compared without allocating: a
/// query's unknown word is compared with thousands of known ones.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    const SHORT: usize = 32;
    if a.is_ascii() && b.is_ascii() && a.len() <= SHORT && b.len() <= SHORT {
        return osa(
            a.as_bytes(),
            b.as_bytes(),
            max,
            &mut [[0usize; SHORT + 1]; 3],
        );
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; 3];
    osa(&a, &b, max, &mut rows)
}

/// Optimal string alignment over three rolling rows (each at least `b.len() + 1` long).
fn osa<T: PartialEq, R: AsMut<[usize]>>(
    a: &[T],
    b: &[T],
    max: usize,
    rows: &mut [R],
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Row 0 (the empty prefix of `a`) is the one the first row reads.
    for (j, cell) in rows[0].as_mut()[..=b.len()].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur].as_mut()[0] = i;
        let mut best = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev].as_mut()[j] + 1)
                .min(rows[cur].as_mut()[j - 1] + 1)
                .min(rows[prev].as_mut()[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2].as_mut()[j - 2] + 1);
            }
            rows[cur].as_mut()[j] = v;
            best = best.min(v);
        }
        if best > max {
            return None;
        }
    }
    let d = rows[a.len() % 3].as_mut()[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Analyzer::default()
            .tokens(text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn words_are_stemmed_and_stop_words_dropped() {
        assert_eq!(terms("How do I undo the deployments?"), ["undo", "deploy"]);
    }

    #[test]
    fn identifiers_are_kept_whole_and_split() {
        assert_eq!(
            terms("call mlflow.log_metric()"),
            [
                "call",
                "mlflow.log_metric",
                "log_metric",
                "mlflow",
                "log",
                "metric"
            ]
        );
        assert_eq!(
            terms("az ml online-deployment get-logs"),
            [
                "az",
                "ml",
                "online-deployment",
                "onlin",
                "deploy",
                "get-logs",
                "log"
            ]
        );
        assert_eq!(
            terms("DefaultAzureCredential"),
            ["defaultazurecredential", "default", "azur", "credenti"]
        );
        assert_eq!(terms("MLClient v2"), ["mlclient", "ml", "client", "v2"]);
    }

    #[test]
    fn sentence_punctuation_is_not_part_of_a_word() {
        assert_eq!(terms("the end. -- next/"), ["end", "next"]);
    }

    #[test]
    fn each_word_sees_the_tokens_unstemmed() {
        let analyzer = Analyzer::default();
        let text = "Deploying to az ml online-deployment, mlflow.log_metric and the end.";
        let mut seen = Vec::new();
        analyzer.each_word(text, |word, span, compound| {
            assert_eq!(text[span].to_lowercase(), word);
            seen.push((word.to_string(), compound));
        });
        let spans: Vec<_> = analyzer
            .tokens(text)
            .into_iter()
            .map(|t| t.compound)
            .collect();
        assert_eq!(seen.iter().map(|s| s.1).collect::<Vec<_>>(), spans);
        assert_eq!(seen[0], ("deploying".to_string(), false));
    }

    #[test]
    fn positions_skip_stop_words() {
        let tokens = Analyzer::default().tokens("undo a bad release");
        let positions: Vec<u32> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2]);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "Käse and mlflow.log_metric";
        for token in Analyzer::default().tokens(text) {
            let _ = &text[token.span];
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("enviroment", "environment", 2), Some(1));
        assert_eq!(edit_distance("deployemnt", "deployment", 2), Some(1));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
        assert_eq!(edit_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance("", "abc", 3), Some(3));
        assert_eq!(edit_distance("ab", "ba", 1), Some(1));
        assert_eq!(edit_distance("abc", "xyz", 2), None);
        assert_eq!(edit_distance("same", "same", 0), Some(0));
        // Past the short fast path, and outside ASCII, the same rule.
        assert_eq!(edit_distance("kä", "ak", 1), None);
        assert_eq!(edit_distance("käse", "kaäse", 1), Some(1));
        let long = "a".repeat(40);
        assert_eq!(edit_distance(&long, &format!("{long}b"), 1), Some(1));
    }
}
