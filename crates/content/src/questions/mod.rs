//! The question bank: `questions/*.toml` of each exam, loaded and validated at startup (and by
//! `server content check`), rendered once, and synced into PostgreSQL with a new version row
//! whenever a question's content changes.

pub mod shown;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::markdown::{Source, render_markdown};
use crate::{ContentError, ExamPack, check_reference_target, diagrams, toml_error};
use shared::question::{CaseView, DRILL_DIMENSIONS, ItemType, Key};

// ---- The file format (see content/README.md) ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    #[expect(dead_code, reason = "a title for authors; not shown")]
    topic: String,
    #[serde(default)]
    case: Vec<CaseDef>,
    #[serde(default)]
    question: Vec<QuestionDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDef {
    id: String,
    title: String,
    scenario: String,
}

/// One question as written; serialised again (canonically) to detect content changes.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionDef {
    pub id: String,
    #[serde(rename = "type")]
    pub item_type: ItemType,
    pub domain: String,
    pub objective: String,
    pub refs: Vec<String>,
    pub difficulty: u8,
    #[serde(default)]
    pub tags: Vec<String>,
    pub stem: String,
    pub explanation: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choose: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<StatementDef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<DimensionDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagram: Option<String>,
    /// Pages the key rests on beyond the reference (`https://` addresses), shown with the
    /// feedback.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    pub why: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatementDef {
    pub id: String,
    pub text: String,
    pub answer: bool,
    pub why: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionDef {
    pub name: String,
    /// What the learner sees ("Deployment type"); the five MLOps dimensions have theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub options: Vec<OptionDef>,
}

// ---- The loaded bank ----

/// An option, step or statement, rendered.
#[derive(Clone, Debug)]
pub struct Part {
    pub id: String,
    pub html: String,
    pub why_html: String,
    /// Options: part of the key. Statements: the correct answer is "yes".
    pub correct: bool,
}

/// A question ready to serve.
#[derive(Clone, Debug)]
pub struct Question {
    pub def: QuestionDef,
    pub file: PathBuf,
    pub line: usize,
    /// The page of the first reference (where "practice this page" counts it).
    pub page: String,
    pub case: Option<CaseView>,
    pub stem_html: String,
    pub explanation_html: String,
    pub diagram_html: Option<String>,
    pub parts: Vec<Part>,
    pub dimensions: Vec<(String, String, Vec<Part>)>,
    pub key: Key,
    /// Hash of `content()`: a new version is recorded when it changes.
    pub content_hash: String,
}

impl Question {
    pub fn id(&self) -> &str {
        &self.def.id
    }

    pub fn item_type(&self) -> ItemType {
        self.def.item_type
    }

    /// Canonical JSON of the definition, as stored with each version. Made when needed (the
    /// sync), not kept: with a large bank it was a quarter of the memory.
    pub fn content(&self) -> String {
        serde_json::to_string(&self.def).unwrap_or_default()
    }

    /// What search may index: the case title and the stem, never options or explanations.
    pub fn search_text(&self) -> String {
        let case = self
            .case
            .as_ref()
            .map(|c| c.title.as_str())
            .unwrap_or_default();
        format!("{case} {}", self.def.stem).trim().to_string()
    }

    /// The ids a presentation order is made of: options/steps/statements, or for drills
    /// `dimension:option` pairs.
    pub fn shuffle_units(&self) -> Vec<String> {
        if self.dimensions.is_empty() {
            self.parts.iter().map(|p| p.id.clone()).collect()
        } else {
            self.dimensions
                .iter()
                .flat_map(|(name, _, parts)| parts.iter().map(move |p| format!("{name}:{}", p.id)))
                .collect()
        }
    }
}

/// All questions of an exam, in file order.
#[derive(Clone, Debug, Default)]
pub struct QuestionBank {
    pub questions: Vec<Question>,
    index: BTreeMap<String, usize>,
    /// Positions in `questions` by domain and item type, so a draw can go to the part of the
    /// bank it needs without walking all of it.
    pools: BTreeMap<(String, ItemType), Vec<usize>>,
}

impl QuestionBank {
    pub fn get(&self, id: &str) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.questions[i])
    }

    /// The questions of each domain and item type, as positions in `questions`.
    pub fn pools(&self) -> impl Iterator<Item = (&str, ItemType, &[usize])> {
        self.pools
            .iter()
            .map(|((domain, item_type), pool)| (domain.as_str(), *item_type, pool.as_slice()))
    }

    fn add(&mut self, question: Question) {
        let position = self.questions.len();
        self.index.insert(question.id().to_string(), position);
        self.pools
            .entry((question.def.domain.clone(), question.item_type()))
            .or_default()
            .push(position);
        self.questions.push(question);
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// A bank of these questions (a later duplicate id is ignored).
    pub fn from_questions(questions: Vec<Question>) -> Self {
        let mut bank = Self::default();
        for question in questions {
            if !bank.index.contains_key(question.id()) {
                bank.add(question);
            }
        }
        bank
    }
}

/// The questions one request can reach: every exam pack's bank (question ids are unique
/// across packs), plus the private banks of the groups whose questions it refers to (loaded
/// from the database for the request).
pub struct Bank<'a> {
    pub exams: &'a [ExamPack],
    pub groups: QuestionBank,
}

impl<'a> Bank<'a> {
    /// The exam packs' banks alone (a group's question needs its bank loaded first).
    pub fn of_exams(content: &'a crate::ContentStore) -> Self {
        Bank {
            exams: &content.exams,
            groups: QuestionBank::default(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Question> {
        self.exams
            .iter()
            .find_map(|pack| pack.bank.get(id))
            .or_else(|| self.groups.get(id))
    }
}

/// Loads `questions/*.toml` of a pack whose pages are already loaded.
pub fn load_bank(pack: &ExamPack, errors: &mut Vec<ContentError>) -> QuestionBank {
    let dir = pack.dir.join("questions");
    let files = crate::files_with_extension(&dir, "toml");
    let mut bank = QuestionBank::default();
    let mut case_ids = BTreeSet::new();
    for file in files {
        load_file(pack, &file, &mut bank, &mut case_ids, errors);
    }
    bank
}

fn load_file(
    pack: &ExamPack,
    file: &Path,
    bank: &mut QuestionBank,
    case_ids: &mut BTreeSet<String>,
    errors: &mut Vec<ContentError>,
) {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) => {
            errors.push(ContentError {
                file: file.to_path_buf(),
                line: 0,
                message: format!("cannot read: {err}"),
            });
            return;
        }
    };
    let parsed: QuestionFile = match toml::from_str(&text) {
        Ok(parsed) => parsed,
        Err(err) => {
            errors.push(toml_error(file, &text, &err));
            return;
        }
    };
    // The first line of each `id = "..."` (one pass: a file of 1,000 questions used to be
    // scanned once per question).
    let mut id_lines: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with("id = ") {
            id_lines.entry(line).or_insert(i + 1);
        }
    }
    let line_of = |needle: &str| id_lines.get(needle).copied().unwrap_or(1);
    let mut cases = BTreeMap::new();
    for case in &parsed.case {
        if !case_ids.insert(case.id.clone()) {
            errors.push(ContentError {
                file: file.to_path_buf(),
                line: line_of(&format!("id = \"{}\"", case.id)),
                message: format!("duplicate case study id `{}`", case.id),
            });
        }
        cases.insert(
            case.id.clone(),
            CaseView {
                id: case.id.clone(),
                title: case.title.clone(),
                scenario_html: markdown_html(&case.scenario, &format!("{}-", case.id)),
            },
        );
    }
    for def in parsed.question {
        let line = line_of(&format!("id = \"{}\"", def.id));
        let mut problems = Vec::new();
        let question = build(pack, def, &cases, &mut problems);
        for message in problems {
            errors.push(ContentError {
                file: file.to_path_buf(),
                line,
                message,
            });
        }
        if let Some(mut question) = question {
            if bank.index.contains_key(question.id()) {
                errors.push(ContentError {
                    file: file.to_path_buf(),
                    line,
                    message: format!("duplicate question id `{}`", question.id()),
                });
                continue;
            }
            question.file = file.to_path_buf();
            question.line = line;
            bank.add(question);
        }
    }
}

/// Validates one definition and renders it; problems are pushed as messages.
fn build(
    pack: &ExamPack,
    def: QuestionDef,
    cases: &BTreeMap<String, CaseView>,
    problems: &mut Vec<String>,
) -> Option<Question> {
    let id = def.id.clone();
    let p = |m: String| format!("question `{id}`: {m}");
    if !pack.meta.domains.iter().any(|d| d.id == def.domain) {
        problems.push(p(format!("unknown exam domain `{}`", def.domain)));
    }
    if !pack.meta.objectives.is_empty() {
        match pack.meta.objective(&def.objective) {
            None => problems.push(p(format!(
                "unknown objective `{}`: use an objective id from exam.toml",
                def.objective
            ))),
            Some(objective) if objective.domain != def.domain => problems.push(p(format!(
                "objective {} is in domain `{}`, not `{}`",
                objective.id, objective.domain, def.domain
            ))),
            Some(_) => {}
        }
    }
    if !(1..=3).contains(&def.difficulty) {
        problems.push(p("difficulty must be 1, 2 or 3".to_string()));
    }
    if def.refs.is_empty() {
        problems.push(p("needs at least one reference link in `refs`".to_string()));
    }
    for url in &def.sources {
        if !crate::is_web_url(url) {
            problems.push(p(format!(
                "source `{url}` is not a well-formed https:// address"
            )));
        }
    }
    for target in &def.refs {
        if let Some(problem) = check_reference_target(pack, None, &format!("/reference/{target}")) {
            problems.push(p(format!("dangling reference `{target}`: {problem}")));
        }
    }
    let needs_options = matches!(
        def.item_type,
        ItemType::Single | ItemType::Multi | ItemType::Case | ItemType::Diagram
    );
    if !needs_options && !def.options.is_empty() {
        problems.push(p(format!(
            "a `{}` question has no [[question.options]]",
            def.item_type.as_str()
        )));
    }
    if def.item_type != ItemType::Order && !def.steps.is_empty() {
        problems.push(p(
            "only ordering questions have [[question.steps]]".to_string()
        ));
    }
    if def.item_type != ItemType::Yesno && !def.statements.is_empty() {
        problems.push(p(
            "only yes/no questions have [[question.statements]]".to_string()
        ));
    }
    if def.item_type != ItemType::Drill && !def.dimensions.is_empty() {
        problems.push(p("only drills have [[question.dimensions]]".to_string()));
    }
    if def.item_type != ItemType::Multi && def.choose.is_some() {
        problems.push(p(
            "`choose` is only for multiple-response (`multi`) questions".to_string(),
        ));
    }
    if def.item_type == ItemType::Case {
        match &def.case {
            None => problems.push(p("a case question needs `case = \"<case id>\"`".to_string())),
            Some(case) if !cases.contains_key(case) => problems.push(p(format!(
                "unknown case study `{case}` (define it with [[case]] in the same file)"
            ))),
            Some(_) => {}
        }
    } else if def.case.is_some() {
        problems.push(p("only case questions have `case`".to_string()));
    }
    if def.item_type == ItemType::Diagram && def.diagram.is_none() {
        problems.push(p(
            "a diagram question needs `diagram = \"\"\"flowchart ...\"\"\"`".to_string(),
        ));
    }
    let prefix = format!("{id}-");
    let check_why = |why: &str, what: &str, problems: &mut Vec<String>| {
        if why.trim().is_empty() {
            problems.push(p(format!("{what} needs a `why`")));
        }
    };
    let mut parts = Vec::new();
    let mut dimensions = Vec::new();
    let key = match def.item_type {
        ItemType::Single | ItemType::Case | ItemType::Diagram | ItemType::Multi => {
            let expected = if def.item_type == ItemType::Multi {
                match def.choose {
                    Some(n) if n >= 2 => usize::from(n),
                    _ => {
                        problems.push(p(
                            "a multiple-response question needs `choose = N` (N >= 2)".to_string(),
                        ));
                        0
                    }
                }
            } else {
                1
            };
            if def.options.len() < 2 {
                problems.push(p("needs at least two options".to_string()));
            }
            let correct: Vec<String> = def
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect();
            if expected > 0 && correct.len() != expected {
                problems.push(p(if def.item_type == ItemType::Multi {
                    format!(
                        "choose = {expected} but {} option(s) are marked correct",
                        correct.len()
                    )
                } else {
                    format!("exactly one option must be correct; {} are", correct.len())
                }));
            }
            for option in &def.options {
                check_why(&option.why, &format!("option `{}`", option.id), problems);
                parts.push(Part {
                    id: option.id.clone(),
                    html: inline_html(&option.text, &prefix),
                    why_html: inline_html(&option.why, &prefix),
                    correct: option.correct,
                });
            }
            Key::Choices(correct)
        }
        ItemType::Order => {
            if !(3..=8).contains(&def.steps.len()) {
                problems.push(p("an ordering question needs 3 to 8 steps".to_string()));
            }
            for step in &def.steps {
                parts.push(Part {
                    id: step.id.clone(),
                    html: inline_html(&step.text, &prefix),
                    why_html: step
                        .why
                        .as_deref()
                        .map(|w| inline_html(w, &prefix))
                        .unwrap_or_default(),
                    correct: true,
                });
            }
            Key::Order(def.steps.iter().map(|s| s.id.clone()).collect())
        }
        ItemType::Yesno => {
            if def.statements.len() < 2 {
                problems.push(p(
                    "a yes/no series needs at least two statements".to_string()
                ));
            }
            for statement in &def.statements {
                check_why(
                    &statement.why,
                    &format!("statement `{}`", statement.id),
                    problems,
                );
                parts.push(Part {
                    id: statement.id.clone(),
                    html: inline_html(&statement.text, &prefix),
                    why_html: inline_html(&statement.why, &prefix),
                    correct: statement.answer,
                });
            }
            Key::YesNo(
                def.statements
                    .iter()
                    .map(|s| (s.id.clone(), s.answer))
                    .collect(),
            )
        }
        ItemType::Drill => {
            // The five MLOps dimensions (labels implied), or dimensions of the question's own,
            // each with a label.
            let names: Vec<&str> = def.dimensions.iter().map(|d| d.name.as_str()).collect();
            let classic: Vec<&str> = DRILL_DIMENSIONS.iter().map(|(n, _)| *n).collect();
            let own_labels = def.dimensions.iter().all(|d| d.label.is_some());
            if names != classic && !own_labels {
                problems.push(p(format!(
                    "a drill needs either the dimensions {} in that order, or dimensions of its \
                     own, each with a `label`; found {}",
                    classic.join(", "),
                    names.join(", ")
                )));
            }
            if !(2..=6).contains(&def.dimensions.len()) {
                problems.push(p("a drill needs 2 to 6 dimensions".to_string()));
            }
            let mut dimension_names = BTreeSet::new();
            for name in &names {
                let well_formed = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if !well_formed || !dimension_names.insert(*name) {
                    problems.push(p(format!(
                        "dimension name `{name}` must be unique, in lower case letters, digits and dashes"
                    )));
                }
            }
            let mut key = BTreeMap::new();
            for dimension in &def.dimensions {
                let correct: Vec<&OptionDef> =
                    dimension.options.iter().filter(|o| o.correct).collect();
                if correct.len() != 1 {
                    problems.push(p(format!(
                        "dimension `{}` needs exactly one correct option; {} are",
                        dimension.name,
                        correct.len()
                    )));
                }
                if let Some(option) = correct.first() {
                    key.insert(dimension.name.clone(), option.id.clone());
                }
                let label = dimension.label.clone().unwrap_or_else(|| {
                    DRILL_DIMENSIONS
                        .iter()
                        .find(|(n, _)| *n == dimension.name)
                        .map_or(dimension.name.clone(), |(_, l)| (*l).to_string())
                });
                let options = dimension
                    .options
                    .iter()
                    .map(|o| {
                        check_why(
                            &o.why,
                            &format!("option `{}:{}`", dimension.name, o.id),
                            problems,
                        );
                        Part {
                            id: o.id.clone(),
                            html: inline_html(&o.text, &prefix),
                            why_html: inline_html(&o.why, &prefix),
                            correct: o.correct,
                        }
                    })
                    .collect();
                dimensions.push((dimension.name.clone(), label, options));
            }
            Key::Drill(key)
        }
    };
    let mut seen = BTreeSet::new();
    for part in &parts {
        if !seen.insert(part.id.clone()) {
            problems.push(p(format!("duplicate option id `{}`", part.id)));
        }
    }
    let diagram_html = match &def.diagram {
        Some(src) => match diagrams::render_figure(src, &format!("q-{id}-diagram")) {
            Ok((html, _)) => Some(html),
            Err((line, message)) => {
                problems.push(p(format!("diagram line {line}: {message}")));
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return None;
    }
    let content = serde_json::to_string(&def).unwrap_or_default();
    let content_hash = format!("{:016x}", fnv1a(content.as_bytes()));
    Some(Question {
        page: def.refs[0]
            .split('#')
            .next()
            .unwrap_or_default()
            .to_string(),
        case: def.case.as_ref().and_then(|c| cases.get(c)).cloned(),
        stem_html: markdown_html(&def.stem, &prefix),
        explanation_html: markdown_html(&def.explanation, &prefix),
        diagram_html,
        parts,
        dimensions,
        key,
        content_hash,
        file: PathBuf::new(),
        line: 0,
        def,
    })
}

/// Markdown to HTML for stems, scenarios and explanations.
fn markdown_html(markdown: &str, id_prefix: &str) -> String {
    render_markdown(
        &Source {
            markdown,
            first_line: 1,
            id_prefix,
            glossary: None,
        },
        None,
    )
    .html
}

/// Markdown for a short text (an option): without the paragraph around a single line.
fn inline_html(markdown: &str, id_prefix: &str) -> String {
    let html = markdown_html(markdown, id_prefix);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// FNV-1a, 64 bits: a stable fingerprint of a question's content (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;
