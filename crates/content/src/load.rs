//! Loading an exam pack from its folder and checking it: pages and their front matter,
//! links between pages, objectives, and the sources a page cites.

use super::*;

pub(crate) fn load_pack(dir: &Path, errors: &mut Vec<ContentError>) -> Option<ExamPack> {
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
pub(crate) fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
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
