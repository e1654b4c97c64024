//! The study content under `content/exams/<code>/`: loaded, validated and rendered once at
//! startup, then served from memory. `server content check` runs the same loader and prints
//! every problem as `file:line: message`.

pub mod blueprint;
pub mod coverage;
pub mod diagrams;
pub mod glossary;
pub mod highlight;
pub mod markdown;
pub mod math;
pub mod originality;
pub mod questions;
pub mod search;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use markdown::{Heading, Link, Rendered, Section, Source};
use shared::reference::{DomainInfo, PageLink, PageSummary, TocEntry};

/// The midpoint of an official weight such as "15-20%" (1 when unreadable).
pub fn weight_midpoint(weight: &str) -> f64 {
    let numbers: Vec<f64> = weight
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter_map(|part| part.parse().ok())
        .collect();
    match numbers.as_slice() {
        [] => 1.0,
        values => values.iter().sum::<f64>() / values.len() as f64,
    }
}

/// A problem in a content file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// `exam.toml`: an exam's identity and official domains.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamMeta {
    pub code: String,
    pub title: String,
    pub short_title: String,
    /// One or two sentences on what the reference covers (the reference index shows it).
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(rename = "domain")]
    pub domains: Vec<DomainMeta>,
    /// The official objectives (skills measured), each in one domain. When a pack lists them,
    /// every question tests one and every page declares the ones it teaches.
    #[serde(default, rename = "objective")]
    pub objectives: Vec<ObjectiveMeta>,
}

/// One official objective of an exam.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveMeta {
    /// Ours, for tagging: `3.2.4`.
    pub id: String,
    pub domain: String,
    pub name: String,
}

/// The fewest questions an objective may have when a pack lists objectives.
pub const MIN_QUESTIONS_PER_OBJECTIVE: usize = 6;

impl ExamMeta {
    pub fn objective(&self, id: &str) -> Option<&ObjectiveMeta> {
        self.objectives.iter().find(|o| o.id == id)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainMeta {
    pub id: String,
    pub name: String,
    pub weight: String,
}

/// The TOML front matter of a reference page, between `+++` lines.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub slug: String,
    pub title: String,
    pub order: u32,
    pub domains: Vec<String>,
    pub summary: String,
    /// The pages the facts rest on (Microsoft Learn, MLflow, ...): at least two, `https://`.
    #[serde(default)]
    pub sources: Vec<String>,
    /// When the facts were last checked against the sources (a TOML date).
    #[serde(default)]
    pub checked: Option<toml::value::Datetime>,
    /// The exam objectives (ids from `exam.toml`) this page teaches.
    #[serde(default)]
    pub objectives: Vec<String>,
}

/// A rendered reference page.
#[derive(Clone, Debug)]
pub struct Page {
    pub front: FrontMatter,
    pub file: PathBuf,
    pub html: String,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    /// Links in the page, checked once every page is loaded.
    pub links: Vec<Link>,
}

/// One exam's content pack.
#[derive(Clone, Debug)]
pub struct ExamPack {
    pub meta: ExamMeta,
    pub dir: PathBuf,
    /// Sorted by `order`.
    pub pages: Vec<Page>,
    /// The diagram gallery, sorted by `order`.
    pub diagrams: Vec<diagrams::Diagram>,
    /// The question bank.
    pub bank: crate::questions::QuestionBank,
    /// The mock exam's shape (`blueprint.toml`).
    pub blueprint: crate::blueprint::Blueprint,
    /// The glossary (`glossary.toml`), sorted A-Z.
    pub glossary: Vec<glossary::GlossaryTerm>,
    /// Search over the pages, glossary, diagrams and questions, built once at load.
    pub search: std::sync::Arc<crate::search::SearchIndex>,
}

/// All exams, in the order of their folder names; the first is the default.
#[derive(Clone, Debug)]
pub struct ContentStore {
    pub exams: Vec<ExamPack>,
}

impl ContentStore {
    /// Loads and renders every exam under `root/exams`. Any problem fails the load, with all
    /// problems listed.
    pub fn load(root: &Path) -> Result<Self, Vec<ContentError>> {
        let mut errors = Vec::new();
        let exams_dir = root.join("exams");
        let mut dirs: Vec<PathBuf> = match std::fs::read_dir(&exams_dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_dir())
                .collect(),
            Err(err) => {
                return Err(vec![ContentError {
                    file: exams_dir,
                    line: 0,
                    message: format!("cannot read the content folder: {err}"),
                }]);
            }
        };
        dirs.sort();
        let mut exams = Vec::new();
        for dir in dirs {
            if let Some(pack) = load_pack(&dir, &mut errors) {
                exams.push(pack);
            }
        }
        // Question ids are global (answers point at them), so two packs may not share one.
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for pack in &exams {
            for q in &pack.bank.questions {
                if let Some(other) = owners.insert(q.id(), &pack.meta.code) {
                    errors.push(ContentError {
                        file: q.file.clone(),
                        line: q.line,
                        message: format!(
                            "question id `{}` is also used by the exam `{other}`; ids must be unique across packs",
                            q.id()
                        ),
                    });
                }
            }
        }
        if exams.is_empty() && errors.is_empty() {
            errors.push(ContentError {
                file: exams_dir,
                line: 0,
                message: "no exam folders found".to_string(),
            });
        }
        if errors.is_empty() {
            Ok(Self { exams })
        } else {
            Err(errors)
        }
    }

    /// The exam served by default (the first pack).
    pub fn default_exam(&self) -> &ExamPack {
        &self.exams[0]
    }

    /// An exam by its code.
    pub fn exam(&self, code: &str) -> Option<&ExamPack> {
        self.exams.iter().find(|e| e.meta.code == code)
    }

    /// An exam by its code, or the default one.
    pub fn exam_or_default(&self, code: Option<&str>) -> &ExamPack {
        code.and_then(|c| self.exam(c))
            .unwrap_or_else(|| self.default_exam())
    }

    /// A question of an exam pack's bank (not a group's).
    pub fn question(&self, question_id: &str) -> Option<&crate::questions::Question> {
        self.exams.iter().find_map(|e| e.bank.get(question_id))
    }

    /// The pack whose bank holds this question.
    pub fn pack_of(&self, question_id: &str) -> Option<&ExamPack> {
        self.exams
            .iter()
            .find(|e| e.bank.get(question_id).is_some())
    }
}

impl ExamPack {
    pub fn page(&self, slug: &str) -> Option<&Page> {
        self.pages.iter().find(|page| page.front.slug == slug)
    }

    /// Links to the reference pages (and headings) a question cites (`page-slug#heading-id`).
    pub fn ref_links(&self, refs: &[String]) -> Vec<shared::question::RefLink> {
        refs.iter()
            .filter_map(|target| {
                let (slug, anchor) = target.split_once('#').unwrap_or((target, ""));
                let page = self.page(slug)?;
                let heading = page.headings.iter().find(|h| h.id == anchor);
                Some(shared::question::RefLink {
                    title: match heading {
                        Some(h) => format!("{} › {}", page.front.title, h.text),
                        None => page.front.title.clone(),
                    },
                    url: shared::routes::reference(slug, anchor),
                })
            })
            .collect()
    }

    pub fn page_summary(&self, page: &Page, read: bool) -> PageSummary {
        PageSummary {
            slug: page.front.slug.clone(),
            title: page.front.title.clone(),
            summary: page.front.summary.clone(),
            order: page.front.order,
            domains: page.front.domains.clone(),
            read,
        }
    }

    pub fn domain_info(&self, id: &str) -> Option<DomainInfo> {
        self.meta
            .domains
            .iter()
            .find(|d| d.id == id)
            .map(|d| DomainInfo {
                id: d.id.clone(),
                name: d.name.clone(),
                weight: d.weight.clone(),
            })
    }

    /// The pages before and after `slug` in reading order.
    pub fn neighbours(&self, slug: &str) -> (Option<PageLink>, Option<PageLink>) {
        let Some(index) = self.pages.iter().position(|p| p.front.slug == slug) else {
            return (None, None);
        };
        let link = |page: &Page| PageLink {
            slug: page.front.slug.clone(),
            title: page.front.title.clone(),
        };
        let prev = index
            .checked_sub(1)
            .and_then(|i| self.pages.get(i))
            .map(link);
        let next = self.pages.get(index + 1).map(link);
        (prev, next)
    }
}

impl Page {
    pub fn toc(&self) -> Vec<TocEntry> {
        self.headings
            .iter()
            .filter(|h| h.level <= 3)
            .map(|h| TocEntry {
                level: h.level,
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect()
    }

    pub fn has_heading(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id)
    }
}

fn load_pack(dir: &Path, errors: &mut Vec<ContentError>) -> Option<ExamPack> {
    let meta_path = dir.join("exam.toml");
    let meta: ExamMeta = match std::fs::read_to_string(&meta_path) {
        Ok(text) => match toml::from_str(&text) {
            Ok(meta) => meta,
            Err(err) => {
                errors.push(toml_error(&meta_path, &text, &err));
                return None;
            }
        },
        Err(err) => {
            errors.push(ContentError {
                file: meta_path,
                line: 0,
                message: format!("cannot read: {err}"),
            });
            return None;
        }
    };
    let domain_ids: BTreeSet<&str> = meta.domains.iter().map(|d| d.id.as_str()).collect();
    let mut objective_ids = BTreeSet::new();
    for objective in &meta.objectives {
        if !domain_ids.contains(objective.domain.as_str()) {
            errors.push(ContentError {
                file: meta_path.clone(),
                line: 0,
                message: format!(
                    "objective `{}` is in unknown domain `{}`",
                    objective.id, objective.domain
                ),
            });
        }
        if !objective_ids.insert(objective.id.as_str()) {
            errors.push(ContentError {
                file: meta_path.clone(),
                line: 0,
                message: format!("objective `{}` is listed twice", objective.id),
            });
        }
    }

    let reference_dir = dir.join("reference");
    let files = files_with_extension(&reference_dir, "md");

    let glossary = glossary::load(dir, errors);
    let linker = glossary::Linker::new(&glossary);
    let mut pages = Vec::new();
    let mut slugs: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        let Some(page) = load_page(&file, &meta.code, &linker, errors) else {
            continue;
        };
        for domain in &page.front.domains {
            if !domain_ids.contains(domain.as_str()) {
                errors.push(ContentError {
                    file: file.clone(),
                    line: 1,
                    message: format!(
                        "unknown exam domain `{domain}` (known: {})",
                        domain_ids.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                });
            }
        }
        for objective in &page.front.objectives {
            // Objectives are checked when the pack lists them (a generated bench bank does not).
            if !meta.objectives.is_empty() && !objective_ids.contains(objective.as_str()) {
                errors.push(ContentError {
                    file: file.clone(),
                    line: 1,
                    message: format!("unknown objective `{objective}` (see exam.toml)"),
                });
            }
        }
        if !meta.objectives.is_empty() && page.front.objectives.is_empty() {
            errors.push(ContentError {
                file: file.clone(),
                line: 1,
                message:
                    "list the exam objectives this page teaches: objectives = [\"1.2.3\", ...]"
                        .to_string(),
            });
        }
        if let Some(other) = slugs.insert(page.front.slug.clone(), file.clone()) {
            errors.push(ContentError {
                file: file.clone(),
                line: 1,
                message: format!(
                    "slug `{}` is also used by {}",
                    page.front.slug,
                    other.display()
                ),
            });
        }
        pages.push(page);
    }
    pages.sort_by(|a, b| (a.front.order, &a.front.slug).cmp(&(b.front.order, &b.front.slug)));

    let diagrams = diagrams::load_gallery(&dir.join("diagrams"), &meta.code, errors);
    let mut pack = ExamPack {
        meta,
        dir: dir.to_path_buf(),
        pages,
        diagrams,
        bank: Default::default(),
        blueprint: crate::blueprint::load(dir, errors),
        glossary,
        search: Default::default(),
    };
    check_links(&pack, errors);
    diagrams::check_links(&pack, errors);
    glossary::check(&pack, errors);
    pack.bank = crate::questions::load_bank(&pack, errors);
    pack.search = std::sync::Arc::new(crate::search::SearchIndex::build(&pack));
    check_objectives(&pack, errors);
    coverage::check(&pack, errors);
    originality::check(&pack, errors);
    Some(pack)
}

/// Every objective is taught by a page and tested by enough questions.
fn check_objectives(pack: &ExamPack, errors: &mut Vec<ContentError>) {
    let file = pack.dir.join("exam.toml");
    for objective in &pack.meta.objectives {
        if !pack
            .pages
            .iter()
            .any(|p| p.front.objectives.contains(&objective.id))
        {
            errors.push(ContentError {
                file: file.clone(),
                line: 0,
                message: format!(
                    "objective {} ({}) is taught by no page: add it to a page's `objectives`",
                    objective.id, objective.name
                ),
            });
        }
        let questions = pack
            .bank
            .questions
            .iter()
            .filter(|q| q.def.objective == objective.id)
            .count();
        if questions < MIN_QUESTIONS_PER_OBJECTIVE {
            errors.push(ContentError {
                file: file.clone(),
                line: 0,
                message: format!(
                    "objective {} ({}) has {questions} question(s); it needs at least \
                     {MIN_QUESTIONS_PER_OBJECTIVE}",
                    objective.id, objective.name
                ),
            });
        }
    }
}

fn load_page(
    file: &Path,
    exam: &str,
    linker: &glossary::Linker,
    errors: &mut Vec<ContentError>,
) -> Option<Page> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) => {
            errors.push(ContentError {
                file: file.to_path_buf(),
                line: 0,
                message: format!("cannot read: {err}"),
            });
            return None;
        }
    };
    let Some((front_text, body, body_line)) = split_front_matter(&text) else {
        errors.push(ContentError {
            file: file.to_path_buf(),
            line: 1,
            message: "missing front matter: the file must start with a `+++` line, then TOML \
                      (slug, title, order, domains, summary), then a closing `+++` line"
                .to_string(),
        });
        return None;
    };
    let front: FrontMatter = match toml::from_str(front_text) {
        Ok(front) => front,
        Err(err) => {
            let mut error = toml_error(file, front_text, &err);
            error.line += 1;
            errors.push(error);
            return None;
        }
    };
    let expected_stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if front.slug != expected_stem {
        errors.push(ContentError {
            file: file.to_path_buf(),
            line: 2,
            message: format!(
                "slug `{}` does not match the file name `{expected_stem}.md`",
                front.slug
            ),
        });
    }
    if front.title.trim().is_empty() || front.summary.trim().is_empty() {
        errors.push(ContentError {
            file: file.to_path_buf(),
            line: 2,
            message: "title and summary must not be empty".to_string(),
        });
    }
    for message in check_sources(&front) {
        errors.push(ContentError {
            file: file.to_path_buf(),
            line: 2,
            message,
        });
    }
    let prefix = format!("{exam}-{}-", front.slug);
    let Rendered {
        html,
        headings,
        sections,
        links,
        problems,
    } = markdown::render_markdown(
        &Source {
            markdown: body,
            first_line: body_line,
            id_prefix: &prefix,
            glossary: Some((linker, &front.slug)),
        },
        Some(&diagrams::render_figure),
    );
    for problem in problems {
        if problem
            .message
            .starts_with("diagram: diagrams are not rendered yet")
        {
            continue;
        }
        errors.push(ContentError {
            file: file.to_path_buf(),
            line: problem.line,
            message: problem.message,
        });
    }
    Some(Page {
        front,
        file: file.to_path_buf(),
        html,
        headings,
        sections,
        links,
    })
}

/// The files of a folder with one extension, sorted by name (none if the folder is missing).
pub(crate) fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|ext| ext == extension))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Splits `+++\n<toml>\n+++\n<body>`; returns the TOML, the body and the body's first line.
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("+++\n")?;
    let end = rest.find("\n+++\n").map(|i| (i, i + 5)).or_else(|| {
        rest.strip_suffix("\n+++")
            .map(|front| (front.len(), rest.len()))
    })?;
    let front = &rest[..end.0];
    let body = &rest[end.1..];
    let body_line = front.lines().count() + 3;
    Some((front, body, body_line))
}

pub(crate) fn toml_error(file: &Path, text: &str, err: &toml::de::Error) -> ContentError {
    let line = err
        .span()
        .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1)
        .unwrap_or(1);
    ContentError {
        file: file.to_path_buf(),
        line,
        message: err.message().to_string(),
    }
}

/// Every internal link must name an existing page and, with `#id`, an existing heading.
fn check_links(pack: &ExamPack, errors: &mut Vec<ContentError>) {
    for page in &pack.pages {
        for link in &page.links {
            if let Some(problem) = check_reference_target(pack, Some(page), &link.target) {
                errors.push(ContentError {
                    file: page.file.clone(),
                    line: link.line,
                    message: problem,
                });
            }
        }
    }
}

/// Checks one link target; `None` when it resolves (or points outside the reference).
/// `from` is the page the link is on, for same-page `#anchor` links.
pub fn check_reference_target(
    pack: &ExamPack,
    from: Option<&Page>,
    target: &str,
) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    let page = if path.is_empty() {
        from?
    } else if let Some(slug) = path.strip_prefix("/reference/") {
        match pack.page(slug.trim_end_matches('/')) {
            Some(page) => page,
            None => return Some(format!("link to an unknown page `{target}`")),
        }
    } else {
        return None;
    };
    match anchor {
        Some(id) if !page.has_heading(id) => Some(format!(
            "link to a missing heading `#{id}` on page `{}`",
            page.front.slug
        )),
        _ => None,
    }
}

/// The fewest sources a reference page may list.
pub const MIN_SOURCES: usize = 2;

/// What is wrong with a page's `sources` and `checked` (nothing: empty).
fn check_sources(front: &FrontMatter) -> Vec<String> {
    let mut problems = Vec::new();
    if front.sources.len() < MIN_SOURCES {
        problems.push(format!(
            "`sources` lists {} page(s): list at least {MIN_SOURCES} the facts rest on",
            front.sources.len()
        ));
    }
    for url in &front.sources {
        if !is_web_url(url) {
            problems.push(format!(
                "source `{url}` is not a well-formed https:// address"
            ));
        }
    }
    match &front.checked {
        None => problems.push(
            "`checked` is missing: the date the facts were last checked (checked = 2026-12-06)"
                .to_string(),
        ),
        Some(date) if date.date.is_none() || date.time.is_some() => {
            problems.push("`checked` must be a plain date such as 2026-12-06".to_string())
        }
        Some(_) => {}
    }
    problems
}

/// An `https://host/...` address with a host of letters, digits, dots and dashes and nothing
/// that needs escaping (spaces, quotes, angle brackets, control characters).
pub fn is_web_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with(['.', '-'])
        && url.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(c, '"' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^')
        })
}

/// A source as a link: its address and a label made from it ("Microsoft Learn: how to
/// troubleshoot online endpoints").
pub fn source_link(url: &str) -> shared::reference::SourceLink {
    let rest = url.trim_start_matches("https://");
    let host = rest.split('/').next().unwrap_or_default();
    let site = match host {
        "learn.microsoft.com" => "Microsoft Learn",
        "mlflow.org" => "MLflow",
        "github.com" => "GitHub",
        other => other,
    };
    let last = rest
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/')
        .rsplit('/')
        .find(|segment| !segment.is_empty() && *segment != host)
        .unwrap_or_default()
        .trim_end_matches(".html")
        .replace(['-', '_'], " ");
    shared::reference::SourceLink {
        url: url.to_string(),
        title: if last.is_empty() {
            site.to_string()
        } else {
            format!("{site}: {last}")
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_read_as_their_midpoint() {
        assert_eq!(weight_midpoint("15-20%"), 17.5);
        assert_eq!(weight_midpoint("25–30%"), 27.5);
        assert_eq!(weight_midpoint("?"), 1.0);
    }

    #[test]
    fn front_matter_splits_from_the_body_with_the_body_line() {
        let (front, body, line) = split_front_matter("+++\na = 1\nb = 2\n+++\nHello\n").unwrap();
        assert_eq!(front, "a = 1\nb = 2");
        assert_eq!(body, "Hello\n");
        assert_eq!(line, 5);
    }

    #[test]
    fn a_file_without_front_matter_is_refused() {
        assert!(split_front_matter("# Title\n").is_none());
    }

    #[test]
    fn the_shipped_content_loads_without_problems() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        match ContentStore::load(&root) {
            Ok(store) => assert!(!store.default_exam().pages.is_empty()),
            Err(errors) => panic!(
                "content problems:\n{}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }

    #[test]
    fn two_packs_sharing_a_question_id_are_refused() {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../server/tests/fixtures/packs/exams/sample-101")
            .canonicalize()
            .unwrap();
        let root = std::env::temp_dir().join(format!("packs-dup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("exams")).unwrap();
        std::os::unix::fs::symlink(&sample, root.join("exams/one")).unwrap();
        std::os::unix::fs::symlink(&sample, root.join("exams/two")).unwrap();
        let errors = ContentStore::load(&root).unwrap_err();
        std::fs::remove_dir_all(&root).unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("ids must be unique across packs")),
            "{errors:?}"
        );
    }
}
