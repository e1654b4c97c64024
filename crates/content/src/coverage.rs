//! The coverage map, `coverage.toml`: which page and heading covers each section of the seed
//! quick reference. Every mapped `slug#id` must exist; when the seed file is available (see
//! [`SEED_ENV`]), every `seed` line must be a line of it.

use std::path::PathBuf;

use serde::Deserialize;

use super::{ContentError, ExamPack};

/// Environment variable naming the seed file to check `seed` lines against.
pub const SEED_ENV: &str = "CONTENT_SEED_FILE";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverageFile {
    /// Where the seed lives relative to the repository (documentation; the check reads
    /// [`SEED_ENV`]).
    #[serde(rename = "seed")]
    _seed: Option<String>,
    /// Documentation; pages are found through the pack.
    #[serde(rename = "reference_dir")]
    _reference_dir: Option<String>,
    section: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    title: String,
    parent: Option<String>,
    /// 1-based line of the seed where the section starts.
    seed_line: usize,
    /// The text that seed line starts with: a title, or a table's header row.
    seed_anchor: String,
    covered_by: Vec<Target>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    page: String,
    /// The exact text of a heading on that page.
    heading: String,
}

/// Checks `coverage.toml` of a pack, if the pack has one.
pub fn check(pack: &ExamPack, errors: &mut Vec<ContentError>) {
    let path = pack.dir.join("coverage.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let file: CoverageFile = match toml::from_str(&text) {
        Ok(file) => file,
        Err(err) => {
            errors.push(super::toml_error(&path, &text, &err));
            return;
        }
    };
    let mut error = |needle: &str, message: String| {
        let line = text
            .lines()
            .position(|line| line.contains(needle))
            .map_or(1, |i| i + 1);
        errors.push(ContentError {
            file: path.clone(),
            line,
            message,
        });
    };
    let seed_lines: Option<Vec<String>> = std::env::var_os(SEED_ENV)
        .map(PathBuf::from)
        .and_then(|seed| std::fs::read_to_string(seed).ok())
        .map(|seed| seed.lines().map(|l| l.trim().to_string()).collect());
    let ids: Vec<&str> = file.section.iter().map(|e| e.id.as_str()).collect();
    for (i, entry) in file.section.iter().enumerate() {
        let needle = format!("id = \"{}\"", entry.id);
        if ids[..i].contains(&entry.id.as_str()) {
            error(&needle, format!("duplicate section id `{}`", entry.id));
        }
        if let Some(parent) = &entry.parent
            && !ids.contains(&parent.as_str())
        {
            error(
                &needle,
                format!("`{}`: unknown parent `{parent}`", entry.id),
            );
        }
        if entry.covered_by.is_empty() {
            error(
                &needle,
                format!("seed section `{}` is not mapped to any page", entry.title),
            );
        }
        if let Some(lines) = &seed_lines {
            let at_line = entry.seed_line.checked_sub(1).and_then(|i| lines.get(i));
            if !at_line.is_some_and(|line| line.starts_with(entry.seed_anchor.trim())) {
                error(
                    &needle,
                    format!(
                        "`{}`: line {} of the seed does not start with `{}`",
                        entry.id, entry.seed_line, entry.seed_anchor
                    ),
                );
            }
        }
        for target in &entry.covered_by {
            let problem = match pack.page(&target.page) {
                None => Some(format!(
                    "`{}`: no page with slug `{}`",
                    entry.id, target.page
                )),
                Some(page) if !page.headings.iter().any(|h| h.text == target.heading) => {
                    Some(format!(
                        "`{}`: page `{}` has no heading `{}`",
                        entry.id, target.page, target.heading
                    ))
                }
                Some(_) => None,
            };
            if let Some(message) = problem {
                error(&format!("\"{}\"", target.heading), message);
            }
        }
    }
    if let Some(lines) = &seed_lines {
        for (title, header) in seed_tables(lines) {
            let mapped = |line: &str| {
                file.section.iter().any(|e| {
                    line.starts_with(e.seed_anchor.trim()) && !e.seed_anchor.trim().is_empty()
                })
            };
            if !mapped(header) && !title.is_some_and(mapped) {
                error(
                    "[[section]]",
                    format!(
                        "the seed table `{header}` (under `{}`) is not mapped: add a [[section]] \
                         whose `seed_anchor` is its title or header line",
                        title.unwrap_or("-")
                    ),
                );
            }
        }
    }
}

/// Every table of the seed: (the line above it, when that is a title, and its header row).
fn seed_tables(lines: &[String]) -> Vec<(Option<&str>, &str)> {
    let mut tables = Vec::new();
    for (i, pair) in lines.windows(2).enumerate() {
        let (header, rule) = (&pair[0], &pair[1]);
        if header.starts_with('|') && rule.starts_with("|---") {
            let title = i
                .checked_sub(1)
                .and_then(|j| lines.get(j))
                .filter(|line| !line.starts_with('|') && !line.is_empty())
                .map(String::as_str);
            tables.push((title, header.as_str()));
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_tables_are_found_with_their_titles() {
        let lines: Vec<String> = [
            "Compute choices",
            "| Need | Choose |",
            "|---|",
            "| a | b |",
            "| X | Y |",
            "|---|",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let tables = seed_tables(&lines);
        assert_eq!(
            tables,
            vec![
                (Some("Compute choices"), "| Need | Choose |"),
                (None, "| X | Y |")
            ]
        );
    }
}
