//! Mermaid-like flowcharts, parsed, laid out and drawn as accessible SVG on
//! the server, without JavaScript.
//!
//! ```
//! let src = "flowchart LR\n  A[Write code] --> B{Tests pass?}\n  B -->|yes| C([Ship])\n  B -->|no| A\n  click C \"/reference/release#ship\" \"Release notes\"";
//! let out = flowchart::render(src, &flowchart::RenderOptions {
//!     id_prefix: "release-flow".into(),
//!     title: "Release flow".into(),
//!     ..Default::default()
//! }).unwrap();
//! assert!(out.svg.starts_with("<svg"));
//! assert!(out.svg.contains("<a class=\"fc-link\" href=\"/reference/release#ship\">"));
//! assert!(out.text_alternative.contains("Tests pass? -&gt; Ship (yes)"));
//! ```
//!
//! The pieces can also be used one by one: [`parse`] gives a [`Flowchart`],
//! [`layout`] gives node boxes and edge polylines ([`Layout`]), and
//! [`render_chart`] draws a parsed chart.
//!
//! # Language
//!
//! A subset of mermaid's flowchart syntax: the header `flowchart` or `graph`
//! with `TB`/`TD`/`BT`/`LR`/`RL`; node shapes `A[rect]`, `A(rounded)`,
//! `A([stadium])`, `A[[subroutine]]`, `A[(cylinder)]`, `A((circle))`,
//! `A{diamond}`, `A{{hexagon}}`, `A>asymmetric]`; quoted labels
//! `A["text (with parens)"]`; `<br/>` line breaks and entity codes (`#35;`,
//! `#quot;`, `&amp;`, `&#35;`); edges `-->`, `---`, `-.->`, `-.-`, `==>`,
//! `===` (longer forms such as `--->` ask for longer edges) with `|label|` or
//! `-- label -->`, `-. label .->`, `== label ==>`; chains `A --> B --> C`;
//! `A & B --> C & D`; `subgraph id [title] ... end` (or `subgraph title`),
//! nested, with `direction LR` inside; `classDef`, `class`, `A:::name`,
//! `style`; `%%` comments; statements separated by new lines or `;`.
//!
//! One extension: `click A "/reference/page#id" "tooltip"` turns node `A`
//! into a link. Only site paths (`/...`) and fragments (`#...`) are accepted.
//!
//! Anything else is a [`ParseError`] with a line and a column.
//!
//! # Styling
//!
//! The SVG carries a small `<style>` scoped to its id. All colours come from
//! CSS custom properties with light-theme fallbacks, so a page can switch
//! themes by setting them: `--fc-node-bg`, `--fc-node-border`, `--fc-text`,
//! `--fc-line`, `--fc-label-bg`, `--fc-cluster-bg`, `--fc-cluster-border`,
//! `--fc-focus` and `--fc-font`.

#![warn(missing_docs)]

mod layout;
mod model;
mod parse;
mod shapes;
mod sugiyama;
mod svg;
mod text;

pub use layout::{EdgeRoute, Layout, Point, Rect, SubgraphBox, layout};
pub use model::{
    ClassDef, Direction, Edge, Flowchart, Link, Node, Shape, Stroke, StyleProp, Subgraph,
};
pub use parse::{MAX_SUBGRAPH_DEPTH, ParseError, parse};

/// Options for [`render`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Prefix of every id in the SVG (the root's id, `{prefix}-title`,
    /// `{prefix}-desc`, `{prefix}-arrow`). Give each diagram on a page its
    /// own. Characters other than ASCII letters, digits, `-` and `_` become
    /// `-`, and `fc-` is put in front when it does not start with a letter.
    pub id_prefix: String,
    /// Accessible name, put in `<title>`. Defaults to "Flowchart" when empty.
    pub title: String,
    /// Accessible description, put in `<desc>`. When empty, a sentence that
    /// counts the nodes and connections is used.
    pub description: String,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            id_prefix: "fc".to_string(),
            title: String::new(),
            description: String::new(),
        }
    }
}

/// The result of [`render`].
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// A standalone `<svg>` element, also fit for inlining in HTML.
    pub svg: String,
    /// An HTML fragment listing the nodes (with their links) and the
    /// connections, for screen readers.
    pub text_alternative: String,
    /// Width of the drawing in px.
    pub width: f64,
    /// Height of the drawing in px.
    pub height: f64,
}

/// Parses, lays out and draws a flowchart.
///
/// The output depends only on the inputs: rendering the same source with
/// the same options gives byte-identical results.
pub fn render(src: &str, opts: &RenderOptions) -> Result<Rendered, ParseError> {
    let chart = parse(src)?;
    Ok(render_chart(&chart, opts))
}

/// Lays out and draws an already parsed flowchart.
pub fn render_chart(chart: &Flowchart, opts: &RenderOptions) -> Rendered {
    let lay = layout(chart);
    let prefix = svg::sanitize_prefix(&opts.id_prefix);
    let title = if opts.title.trim().is_empty() {
        "Flowchart".to_string()
    } else {
        opts.title.clone()
    };
    let description = if opts.description.trim().is_empty() {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "Flowchart with {} and {}.",
            plural(chart.nodes.len(), "node", "nodes"),
            plural(chart.edges.len(), "connection", "connections")
        )
    } else {
        opts.description.clone()
    };
    Rendered {
        svg: svg::svg(chart, &lay, &prefix, &title, &description),
        text_alternative: svg::text_alternative(chart),
        width: lay.width,
        height: lay.height,
    }
}
