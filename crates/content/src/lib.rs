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

mod load;

use load::load_pack;
pub use load::{check_reference_target, is_web_url, source_link};
pub(crate) use load::{files_with_extension, toml_error};

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

#[cfg(test)]
mod tests {
    use super::load::split_front_matter;
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
