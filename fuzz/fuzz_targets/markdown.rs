//! `render_markdown` on any UTF-8 text, with the real diagram renderer for mermaid fences.
//!
//! Checks: no panic; the HTML reads as well-formed markup made only of the elements the
//! renderer, syntect, math-core and the diagrams write (raw HTML in the source is escaped, so
//! no `<script>`, no event handler); one `<hN id="...">` per heading returned; heading ids are
//! unique unless a duplicate was reported; every heading, link and problem points at a source line (or the end of the source).

#![no_main]

use content::diagrams::render_figure;
use content::markdown::{Source, render_markdown};
use exam_fuzz::{MARKDOWN_HTML, assert_no_event_handlers, last_position_line, read_markup};
use libfuzzer_sys::fuzz_target;

/// Added to every line number, as the front matter above a page body is.
const FIRST_LINE: usize = 4;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        markdown,
        first_line: FIRST_LINE,
        id_prefix: "fz-",
        glossary: None,
    };
    let out = render_markdown(&source, Some(&render_figure));
    let html = &out.html;

    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "raw <script> in the HTML:\n{html}"
    );
    let elements = read_markup(html, &MARKDOWN_HTML)
        .unwrap_or_else(|e| panic!("HTML is not well-formed: {e}\nHTML:\n{html}"));
    assert_no_event_handlers(&elements, html);

    let heading_tags = elements
        .iter()
        .filter(|e| {
            matches!(e.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                && e.attributes.iter().any(|(name, _)| name == "id")
        })
        .count();
    assert_eq!(
        heading_tags,
        out.headings.len(),
        "headings vs <hN id>:\n{html}"
    );

    let duplicate_reported = out
        .problems
        .iter()
        .any(|p| p.message.starts_with("duplicate heading id"));
    if !duplicate_reported {
        let mut ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(
            ids.len(),
            before,
            "duplicate heading ids without a problem: {:?}",
            out.headings
        );
    }

    let last = FIRST_LINE + last_position_line(markdown) - 1;
    for line in out
        .headings
        .iter()
        .map(|h| h.line)
        .chain(out.links.iter().map(|l| l.line))
        .chain(out.problems.iter().map(|p| p.line))
    {
        assert!(
            (FIRST_LINE..=last).contains(&line),
            "line {line} outside {FIRST_LINE}..={last}: headings {:?} links {:?} problems {:?}",
            out.headings,
            out.links,
            out.problems
        );
    }
});
