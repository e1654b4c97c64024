//! `flowchart::render` on any UTF-8 text.
//!
//! Checks: no panic; an error points at a line of the input (or the end of it); a chart renders to one `<svg>`
//! element that reads as well-formed XML made only of the elements the crate writes, with no
//! event handler and only site-path or fragment links (the `click` rule); the text alternative
//! is well-formed too; sizes and coordinates are finite and everything lies inside the view box;
//! rendering twice gives byte-identical output.

#![no_main]

use exam_fuzz::{
    FLOWCHART_ALT, FLOWCHART_SVG, assert_no_event_handlers, hrefs, last_position_line, read_markup,
};
use flowchart::{RenderOptions, layout, parse, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let opts = RenderOptions {
        id_prefix: "fz chart".into(),
        title: "Fuzz <chart> & \"title\"".into(),
        description: String::new(),
    };
    let out = match render(src, &opts) {
        Ok(out) => out,
        Err(e) => {
            let last = last_position_line(src);
            assert!(
                (1..=last).contains(&e.line) && e.column >= 1,
                "error position {}:{} outside the input ({last} lines)",
                e.line,
                e.column
            );
            return;
        }
    };
    let svg = &out.svg;
    assert!(
        svg.starts_with("<svg"),
        "SVG does not start with <svg: {svg}"
    );
    assert!(
        svg.trim_end().ends_with("</svg>"),
        "SVG does not end with </svg>: {svg}"
    );
    assert!(
        svg.chars().all(|c| matches!(u32::from(c), 0x9 | 0xa | 0xd | 0x20..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff)),
        "character not allowed in XML in the SVG: {svg:?}"
    );
    let elements = read_markup(svg, &FLOWCHART_SVG)
        .unwrap_or_else(|e| panic!("SVG is not well-formed: {e}\nSVG:\n{svg}"));
    assert_eq!(
        elements.iter().filter(|e| e.name == "svg").count(),
        1,
        "{svg}"
    );
    assert_no_event_handlers(&elements, svg);
    let alt = &out.text_alternative;
    let alt_elements = read_markup(alt, &FLOWCHART_ALT)
        .unwrap_or_else(|e| panic!("text alternative is not well-formed: {e}\n{alt}"));
    for href in hrefs(&elements).into_iter().chain(hrefs(&alt_elements)) {
        assert!(
            (href.starts_with('/') || href.starts_with('#')) && !href.starts_with("//"),
            "link {href:?} is not a site path or fragment"
        );
    }

    assert!(
        out.width.is_finite() && out.height.is_finite() && out.width >= 0.0 && out.height >= 0.0,
        "size {} x {}",
        out.width,
        out.height
    );
    let chart = parse(src).expect("render succeeded, so parse does");
    let lay = layout(&chart);
    assert_eq!(lay.nodes.len(), chart.nodes.len());
    assert_eq!(lay.edges.len(), chart.edges.len());
    let inside = |x: f64, y: f64| {
        x.is_finite()
            && y.is_finite()
            && x >= -0.01
            && y >= -0.01
            && x <= lay.width + 0.01
            && y <= lay.height + 0.01
    };
    for route in &lay.edges {
        assert!(route.points.len() >= 2, "edge without a route: {route:?}");
        for p in &route.points {
            assert!(
                inside(p.x, p.y),
                "edge point {p:?} outside {} x {}",
                lay.width,
                lay.height
            );
        }
    }
    let boxes = lay
        .nodes
        .iter()
        .chain(lay.edges.iter().filter_map(|e| e.label.as_ref()))
        .chain(lay.subgraphs.iter().map(|s| &s.rect))
        .chain(lay.subgraphs.iter().map(|s| &s.title));
    for r in boxes {
        assert!(
            inside(r.x, r.y) && inside(r.right(), r.bottom()),
            "{r:?} outside {} x {}",
            lay.width,
            lay.height
        );
    }

    let again = render(src, &opts).expect("rendered once");
    assert!(again == out, "rendering is not deterministic");
});
