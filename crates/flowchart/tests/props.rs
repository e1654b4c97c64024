//! Property tests over random charts and random text.

use flowchart::{Layout, Point, Rect, RenderOptions, Shape, layout, parse, render};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "Build",
    "test",
    "deploy",
    "model",
    "data",
    "Évaluer",
    "W",
    "i",
    "long label text",
    "x<br/>y",
    "#35; ok",
    "a &amp; b",
    "checks",
    "MMMM",
    "iiii",
    "数据",
];
const SHAPES: &[(&str, &str)] = &[
    ("[", "]"),
    ("(", ")"),
    ("([", "])"),
    ("[[", "]]"),
    ("[(", ")]"),
    ("((", "))"),
    ("{", "}"),
    ("{{", "}}"),
    (">", "]"),
];
const EDGES: &[&str] = &["-->", "---", "-.->", "-.-", "==>", "===", "--->"];
const DIRS: &[&str] = &["TB", "BT", "LR", "RL"];

#[derive(Debug, Clone)]
struct Spec {
    dir: usize,
    /// (shape, words, subgraph)
    nodes: Vec<(usize, Vec<usize>, Option<usize>)>,
    /// (parent, direction)
    subgraphs: Vec<(Option<usize>, Option<usize>)>,
    /// (from, to, operator, label words)
    edges: Vec<(usize, usize, usize, Option<Vec<usize>>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..=40, 0usize..=5, 0usize..4).prop_flat_map(|(n, ns, dir)| {
        let subgraphs = prop::collection::vec(
            (any::<prop::sample::Index>(), prop::option::of(0usize..4)),
            ns,
        );
        let nodes = prop::collection::vec(
            (
                0..SHAPES.len(),
                prop::collection::vec(0..WORDS.len(), 1..4),
                prop::option::of(0..ns.max(1)),
            ),
            n,
        );
        let edges = prop::collection::vec(
            (
                0..n,
                0..n,
                0..EDGES.len(),
                prop::option::weighted(0.3, prop::collection::vec(0..WORDS.len(), 1..3)),
            ),
            0..=(2 * n),
        );
        (Just(dir), nodes, subgraphs, edges).prop_map(move |(dir, mut nodes, sgs, edges)| {
            let subgraphs: Vec<(Option<usize>, Option<usize>)> = sgs
                .into_iter()
                .enumerate()
                .map(|(i, (p, d))| {
                    // A parent with a smaller index, or none.
                    let parent = if i == 0 {
                        None
                    } else {
                        Some(p.index(i + 1)).filter(|&q| q < i)
                    };
                    (parent, d)
                })
                .collect();
            if ns == 0 {
                for node in &mut nodes {
                    node.2 = None;
                }
            }
            Spec {
                dir,
                nodes,
                subgraphs,
                edges,
            }
        })
    })
}

/// Number of cases: `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn words(ws: &[usize]) -> String {
    ws.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ")
}

fn source(s: &Spec) -> String {
    let mut out = format!("flowchart {}\n", DIRS[s.dir]);
    let node_line = |i: usize| {
        let (shape, ws, _) = &s.nodes[i];
        let (o, c) = SHAPES[*shape];
        format!("N{i}{o}\"{}\"{c}\n", words(ws))
    };
    for i in 0..s.nodes.len() {
        if s.nodes[i].2.is_none() {
            out.push_str(&node_line(i));
        }
    }
    // Subgraphs, nested, written with an explicit stack.
    let roots: Vec<usize> = (0..s.subgraphs.len())
        .filter(|&g| s.subgraphs[g].0.is_none())
        .collect();
    let mut stack: Vec<(usize, bool)> = roots.into_iter().rev().map(|g| (g, false)).collect();
    while let Some((g, done)) = stack.pop() {
        if done {
            out.push_str("end\n");
            continue;
        }
        out.push_str(&format!("subgraph S{g} [Group {g}]\n"));
        if let Some(d) = s.subgraphs[g].1 {
            out.push_str(&format!("direction {}\n", DIRS[d]));
        }
        for i in 0..s.nodes.len() {
            if s.nodes[i].2 == Some(g) {
                out.push_str(&node_line(i));
            }
        }
        stack.push((g, true));
        for c in (0..s.subgraphs.len()).rev() {
            if s.subgraphs[c].0 == Some(g) {
                stack.push((c, false));
            }
        }
    }
    for (a, b, op, label) in &s.edges {
        match label {
            Some(ws) => out.push_str(&format!("N{a} {}|{}| N{b}\n", EDGES[*op], words(ws))),
            None => out.push_str(&format!("N{a} {} N{b}\n", EDGES[*op])),
        }
    }
    out
}

/// Approximate signed distance from `p` to the outline of a node (negative inside).
fn sdf(shape: Shape, r: &Rect, p: Point) -> f64 {
    let c = r.center();
    let (hw, hh) = (r.width / 2.0, r.height / 2.0);
    let (dx, dy) = ((p.x - c.x).abs(), (p.y - c.y).abs());
    let rounded_box = |bw: f64, bh: f64, rad: f64| {
        let qx = dx - (bw - rad);
        let qy = dy - (bh - rad);
        let outside = qx.max(0.0).hypot(qy.max(0.0));
        outside + qx.max(qy).min(0.0) - rad
    };
    match shape {
        Shape::Rect | Shape::Subroutine => rounded_box(hw, hh, 0.0),
        Shape::Rounded => rounded_box(hw, hh, 8.0f64.min(hw).min(hh)),
        Shape::Stadium => rounded_box(hw, hh, hh.min(hw)),
        Shape::Circle => (dx.hypot(dy)) - hw.min(hh),
        Shape::Diamond => (dx / hw + dy / hh - 1.0) / (1.0 / (hw * hw) + 1.0 / (hh * hh)).sqrt(),
        Shape::Hexagon => {
            let s = r.height / 4.0;
            let side = ((dx - hw) * hh + dy * s) / (hh * hh + s * s).sqrt();
            (dy - hh).max(side)
        }
        Shape::Asymmetric => {
            let n = r.height / 3.0;
            let rect = rounded_box(hw, hh, 0.0);
            if p.x < c.x {
                let xb = r.x + n * (1.0 - dy / hh);
                rect.max((xb - p.x) * hh / (hh * hh + n * n).sqrt())
            } else {
                rect
            }
        }
        Shape::Cylinder => {
            let ry = ((r.width / 2.0) / (2.5 + r.width / 50.0)).clamp(4.0, 12.0);
            let body = {
                let qx = dx - hw;
                let qy = dy - (hh - ry);
                qx.max(0.0).hypot(qy.max(0.0)) + qx.max(qy).min(0.0)
            };
            let ell = |ey: f64| {
                let ny = (p.y - ey) / ry;
                let nx = (p.x - c.x) / hw;
                (nx.hypot(ny) - 1.0) * ry.min(hw)
            };
            body.min(ell(r.y + ry)).min(ell(r.bottom() - ry))
        }
    }
}

fn shrink(r: &Rect, by: f64) -> Rect {
    Rect {
        x: r.x + by,
        y: r.y + by,
        width: (r.width - 2.0 * by).max(0.0),
        height: (r.height - 2.0 * by).max(0.0),
    }
}

fn inside_view(l: &Layout, x: f64, y: f64) -> bool {
    x >= -0.01 && y >= -0.01 && x <= l.width + 0.01 && y <= l.height + 0.01
}

fn check_layout(src: &str) -> Result<(), TestCaseError> {
    let chart = parse(src).map_err(|e| TestCaseError::fail(format!("parse: {e}")))?;
    let lay = layout(&chart);
    prop_assert_eq!(lay.nodes.len(), chart.nodes.len());
    // No two nodes overlap.
    for i in 0..lay.nodes.len() {
        for j in i + 1..lay.nodes.len() {
            prop_assert!(
                !shrink(&lay.nodes[i], 0.5).overlaps(&shrink(&lay.nodes[j], 0.5)),
                "nodes {} and {} overlap: {:?} {:?}",
                chart.nodes[i].id,
                chart.nodes[j].id,
                lay.nodes[i],
                lay.nodes[j]
            );
        }
    }
    // Edge labels overlap neither nodes nor each other.
    let labels: Vec<Rect> = lay.edges.iter().filter_map(|e| e.label).collect();
    for (k, l) in labels.iter().enumerate() {
        for n in &lay.nodes {
            prop_assert!(
                !shrink(l, 0.5).overlaps(&shrink(n, 0.5)),
                "label {:?} over node {:?}",
                l,
                n
            );
        }
        for m in labels.iter().skip(k + 1) {
            prop_assert!(
                !shrink(l, 0.5).overlaps(&shrink(m, 0.5)),
                "labels overlap: {:?} {:?}",
                l,
                m
            );
        }
    }
    // Every edge starts and ends on its nodes' outlines.
    for (e, route) in chart.edges.iter().zip(&lay.edges) {
        prop_assert!(route.points.len() >= 2, "edge without a route");
        let (Some(first), Some(last)) = (route.points.first(), route.points.last()) else {
            continue;
        };
        let from = &chart.nodes[e.from];
        let to = &chart.nodes[e.to];
        let d1 = sdf(from.shape, &lay.nodes[e.from], *first);
        let d2 = sdf(to.shape, &lay.nodes[e.to], *last);
        prop_assert!(
            d1.abs() <= 1.0,
            "edge {}->{} starts {d1}px off {:?}",
            from.id,
            to.id,
            first
        );
        prop_assert!(
            d2.abs() <= 1.0,
            "edge {}->{} ends {d2}px off {:?}",
            from.id,
            to.id,
            last
        );
        for p in &route.points {
            prop_assert!(inside_view(&lay, p.x, p.y), "edge point {:?} outside", p);
        }
    }
    // Everything is inside the view box.
    let boxes = lay
        .nodes
        .iter()
        .chain(&labels)
        .chain(lay.subgraphs.iter().map(|s| &s.rect))
        .chain(lay.subgraphs.iter().map(|s| &s.title));
    for r in boxes {
        prop_assert!(
            inside_view(&lay, r.x, r.y) && inside_view(&lay, r.right(), r.bottom()),
            "{:?} outside",
            r
        );
    }
    // Subgraph boxes contain their nodes and their nested subgraphs.
    for (i, node) in chart.nodes.iter().enumerate() {
        let mut sg = node.subgraph;
        while let Some(s) = sg {
            let b = lay.subgraphs[s].rect;
            let n = lay.nodes[i];
            prop_assert!(
                n.x >= b.x - 0.01
                    && n.y >= b.y - 0.01
                    && n.right() <= b.right() + 0.01
                    && n.bottom() <= b.bottom() + 0.01,
                "node {} sticks out of subgraph {}",
                node.id,
                s
            );
            sg = chart.subgraphs[s].parent;
        }
    }
    // Rendering is deterministic.
    let opts = RenderOptions::default();
    let a = render(src, &opts).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let b = render(src, &opts).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&a, &b);
    prop_assert_eq!(a.width, lay.width);
    Ok(())
}

proptest! {
    // PROPTEST_CASES=5000 for a longer run.
    #![proptest_config(ProptestConfig { cases: cases(96), ..ProptestConfig::default() })]

    #[test]
    fn random_charts_lay_out_cleanly(s in spec()) {
        check_layout(&source(&s))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_arbitrary_text(src in ".{0,200}") {
        let _ = parse(&src);
        let _ = parse(&format!("flowchart LR\n{src}"));
    }

    #[test]
    fn parser_never_panics_on_token_soup(parts in prop::collection::vec(prop::sample::select(vec![
        "flowchart", "graph", " ", "\n", ";", "TD", "LR", "A", "B", "-->", "---", "-.->", "-.", ".-", "==>", "==", "--",
        "|", "\"", "[", "]", "(", ")", "{", "}", ">", "&", ":::", "subgraph", "end", "direction", "classDef", "class",
        "style", "click", "fill:#fff", ",", "%%", "<br/>", "#35;", "&amp;", "\"/x\"", "é", "\t", "\r\n",
    ]), 0..40)) {
        let src: String = parts.concat();
        let _ = parse(&src);
        if let Ok(chart) = parse(&format!("flowchart TD\n{src}")) {
            let lay = layout(&chart);
            prop_assert!(lay.width.is_finite() && lay.height.is_finite());
        }
    }
}

#[test]
fn tricky_fixed_cases() {
    for src in [
        "flowchart TD\nA --> A\nA --> A\nA -->|loop| A",
        "flowchart LR\nA --> A\nA -->|a long self loop label| A",
        "flowchart TD\nsubgraph S [Empty]\nend",
        "flowchart LR\nsubgraph S [Only]\ndirection TB\nend",
        "flowchart BT\nsubgraph a\nsubgraph b\nsubgraph c\nX\nend\nend\nend\nX --> Y",
        "flowchart RL\nA --> B --> C --> A\nB --> D\nsubgraph S\nC\nD\nend",
        "flowchart TD\nA ---> B\nA --> C --> D --> B",
        "flowchart TD\nA[(cylinder)] --> A\nA --> A\nA --> A\nA -->|x| A",
        "flowchart LR\nA((c)) --> A\nB{d} --> B\nB --> B\nC{{h}} --> C\nD>a] --> D\nE([s]) --> E",
    ] {
        if let Err(e) = check_layout(src) {
            panic!("{src:?}: {e}");
        }
    }
}
