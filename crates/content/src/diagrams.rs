//! Diagrams: mermaid-like flowcharts drawn on the server by the `flowchart` crate, as a
//! `<figure>` with the SVG, a caption and a text alternative. Used for ```mermaid fences in
//! reference pages and for the gallery files `diagrams/<slug>.mmd`.
//!
//! A diagram may start with `%% title: ...`, `%% description: ...` and `%% order: N` lines
//! (mermaid comments, so the file stays valid mermaid).

use std::path::{Path, PathBuf};

use super::markdown::escape;
use super::{ContentError, ExamPack};

/// The metadata comments at the top of a diagram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiagramMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub order: Option<u32>,
}

/// Reads `%% key: value` lines anywhere in the source.
pub fn read_meta(src: &str) -> DiagramMeta {
    let mut meta = DiagramMeta::default();
    for line in src.lines() {
        let Some(comment) = line.trim().strip_prefix("%%") else {
            continue;
        };
        let Some((key, value)) = comment.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match key.trim() {
            "title" => meta.title = Some(value),
            "description" => meta.description = Some(value),
            "order" => meta.order = value.parse().ok(),
            _ => {}
        }
    }
    meta
}

/// A rendered diagram.
#[derive(Clone, Debug)]
pub struct Diagram {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub order: u32,
    /// The `<figure>`.
    pub html: String,
    /// Link targets of clickable nodes, checked once all pages are loaded.
    pub links: Vec<String>,
    pub file: PathBuf,
}

/// Draws a diagram as a figure; on a syntax error returns the line (within `src`) and message.
pub fn render_figure(src: &str, id_prefix: &str) -> Result<(String, Vec<String>), (usize, String)> {
    let meta = read_meta(src);
    let chart = flowchart::parse(src).map_err(|err| (err.line, err.to_string()))?;
    let links = chart
        .nodes
        .iter()
        .filter_map(|node| node.link.as_ref().map(|link| link.href.clone()))
        .collect();
    let title = meta.title.clone().unwrap_or_else(|| "Diagram".to_string());
    let description = meta.description.clone().unwrap_or_else(|| {
        format!(
            "A flowchart with {} steps and {} connections; the text version lists them.",
            chart.nodes.len(),
            chart.edges.len()
        )
    });
    let rendered = flowchart::render_chart(
        &chart,
        &flowchart::RenderOptions {
            id_prefix: id_prefix.to_string(),
            title: title.clone(),
            description,
        },
    );
    let caption = meta
        .title
        .map(|title| format!("<figcaption>{}</figcaption>", escape(&title)))
        .unwrap_or_default();
    let html = format!(
        "<figure class=\"diagram\" id=\"{id}\"><div class=\"diagram__canvas\">{svg}</div>{caption}\
         <details class=\"diagram__text\"><summary>Diagram as text</summary>{alt}</details></figure>\n",
        id = escape(id_prefix),
        svg = rendered.svg,
        alt = rendered.text_alternative,
    );
    Ok((html, links))
}

/// Loads the gallery diagrams of a pack (`diagrams/*.mmd`), sorted by `order`.
pub fn load_gallery(dir: &Path, exam: &str, errors: &mut Vec<ContentError>) -> Vec<Diagram> {
    let files = super::files_with_extension(dir, "mmd");
    let mut diagrams = Vec::new();
    for file in files {
        let slug = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let src = match std::fs::read_to_string(&file) {
            Ok(src) => src,
            Err(err) => {
                errors.push(ContentError {
                    file: file.clone(),
                    line: 0,
                    message: format!("cannot read: {err}"),
                });
                continue;
            }
        };
        let meta = read_meta(&src);
        let (Some(title), Some(description)) = (meta.title.clone(), meta.description.clone())
        else {
            errors.push(ContentError {
                file: file.clone(),
                line: 1,
                message: "a gallery diagram needs `%% title: ...` and `%% description: ...` lines"
                    .to_string(),
            });
            continue;
        };
        match render_figure(&src, &format!("{exam}-diagram-{slug}")) {
            Ok((html, links)) => diagrams.push(Diagram {
                slug,
                title,
                description,
                order: meta.order.unwrap_or(u32::MAX),
                html,
                links,
                file,
            }),
            Err((line, message)) => errors.push(ContentError {
                file: file.clone(),
                line,
                message: format!("diagram: {message}"),
            }),
        }
    }
    diagrams.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    diagrams
}

/// Every clickable node of a gallery diagram must link to an existing page and heading.
pub fn check_links(pack: &ExamPack, errors: &mut Vec<ContentError>) {
    for diagram in &pack.diagrams {
        for target in &diagram.links {
            if let Some(problem) = super::check_reference_target(pack, None, target) {
                let line = std::fs::read_to_string(&diagram.file)
                    .ok()
                    .and_then(|src| src.lines().position(|l| l.contains(target.as_str())))
                    .map_or(1, |i| i + 1);
                errors.push(ContentError {
                    file: diagram.file.clone(),
                    line,
                    message: problem,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_comments_are_read() {
        let meta =
            read_meta("%% title: Loop\n%% description: A loop.\n%% order: 3\nflowchart LR\nA-->B");
        assert_eq!(meta.title.as_deref(), Some("Loop"));
        assert_eq!(meta.description.as_deref(), Some("A loop."));
        assert_eq!(meta.order, Some(3));
    }

    #[test]
    fn a_figure_has_the_svg_a_caption_and_a_text_alternative() {
        let (html, links) = render_figure(
            "%% title: Two steps\nflowchart LR\nA[Train] --> B[Deploy]\nclick B \"/reference/cli-v2\"",
            "t1",
        )
        .unwrap();
        assert!(html.contains("<svg"));
        assert!(html.contains("<figcaption>Two steps</figcaption>"));
        assert!(html.contains("Diagram as text"));
        assert_eq!(links, ["/reference/cli-v2"]);
    }

    #[test]
    fn a_syntax_error_reports_its_line() {
        let (line, message) = render_figure("flowchart LR\nA --> \n", "t2").unwrap_err();
        assert_eq!(line, 2, "{message}");
    }
}
