//! Our own words: no reference page, glossary definition and no question (stem, explanation,
//! options, statements, steps and every "why") repeats a run of [`RUN`] words of the seed quick reference the
//! content was first written from. Checked when the seed is available (`CONTENT_SEED_FILE`, as
//! for the coverage map). Code is left out on both sides (fenced blocks and `inline code`):
//! a command or a YAML key is the same in every text that teaches it.

use std::collections::HashSet;
use std::path::PathBuf;

use super::coverage::SEED_ENV;
use super::{ContentError, ExamPack};

/// The longest run of words a text may share with the seed, plus one.
pub const RUN: usize = 10;

/// Markdown without its code: fenced blocks and inline code spans go.
fn prose(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Inline code: every other backtick-delimited part.
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
                out.push(' ');
            }
        }
        out.push('\n');
    }
    out
}

/// The words of a text, lower-cased (letters and digits; everything else separates).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn runs(words: &[String]) -> impl Iterator<Item = String> + '_ {
    words.windows(RUN).map(|w| w.join(" "))
}

/// The runs of the seed, when it is available.
fn seed_runs() -> Option<HashSet<String>> {
    let seed = std::env::var_os(SEED_ENV)
        .map(PathBuf::from)
        .and_then(|path| std::fs::read_to_string(path).ok())?;
    Some(runs(&words(&prose(&seed))).collect())
}

/// The first run of `text` (Markdown) that the seed also has.
fn shared_run(text: &str, seed: &HashSet<String>) -> Option<String> {
    runs(&words(&prose(text))).find(|run| seed.contains(run))
}

/// Reports every page and question that repeats the seed.
pub fn check(pack: &ExamPack, errors: &mut Vec<ContentError>) {
    let Some(seed) = seed_runs() else {
        return;
    };
    for page in &pack.pages {
        let Ok(text) = std::fs::read_to_string(&page.file) else {
            continue;
        };
        if let Some(run) = shared_run(&text, &seed) {
            let line = text
                .lines()
                .position(|l| {
                    words(l)
                        .join(" ")
                        .contains(run.split(' ').next().unwrap_or(""))
                })
                .map_or(1, |i| i + 1);
            errors.push(ContentError {
                file: page.file.clone(),
                line,
                message: format!(
                    "repeats {RUN} words of the seed in a row: \"{run}\": write it in our own words"
                ),
            });
        }
    }
    for term in &pack.glossary {
        if let Some(run) = shared_run(&term.definition, &seed) {
            errors.push(ContentError {
                file: pack.dir.join("glossary.toml"),
                line: term.line,
                message: format!(
                    "`{}` repeats {RUN} words of the seed in a row: \"{run}\": write it in our \
                     own words",
                    term.term
                ),
            });
        }
    }
    for question in &pack.bank.questions {
        let def = &question.def;
        let mut texts = vec![def.stem.as_str(), def.explanation.as_str()];
        for option in &def.options {
            texts.extend([option.text.as_str(), option.why.as_str()]);
        }
        for step in &def.steps {
            texts.push(step.text.as_str());
            texts.extend(step.why.as_deref());
        }
        for statement in &def.statements {
            texts.extend([statement.text.as_str(), statement.why.as_str()]);
        }
        for dimension in &def.dimensions {
            for option in &dimension.options {
                texts.extend([option.text.as_str(), option.why.as_str()]);
            }
        }
        if let Some(run) = texts.iter().find_map(|t| shared_run(t, &seed)) {
            errors.push(ContentError {
                file: question.file.clone(),
                line: question.line,
                message: format!(
                    "question `{}` repeats {RUN} words of the seed in a row: \"{run}\": write it \
                     in our own words",
                    def.id
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_run_is_found_outside_code_only() {
        let seed: HashSet<String> = runs(&words(
            "one two three four five six seven eight nine ten eleven",
        ))
        .collect();
        assert_eq!(
            shared_run(
                "Here: One two, three four five six seven eight nine ten!",
                &seed
            )
            .as_deref(),
            Some("one two three four five six seven eight nine ten")
        );
        assert_eq!(
            shared_run(
                "```text\none two three four five six seven eight nine ten\n```",
                &seed
            ),
            None
        );
        assert_eq!(
            shared_run("`one two three four five six seven eight nine ten`", &seed),
            None
        );
        assert_eq!(
            shared_run("one two three four five six seven eight nine", &seed),
            None
        );
    }
}
