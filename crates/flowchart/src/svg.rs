//! SVG drawing and the HTML text alternative.

use std::fmt::Write;

use crate::layout::{Layout, Point, Rect};
use crate::model::{
    Direction, Flowchart, STYLE_PROPERTIES, Shape, Stroke, StyleProp, valid_class_name, valid_href,
    valid_style_value,
};
use crate::shapes::{
    ROUNDED_RADIUS, SUBROUTINE_INSET, cylinder_ry, hexagon_inset, notch, text_center,
};
use crate::text::{FONT_SIZE, LINE_HEIGHT, escape};

/// Formats a coordinate: at most two decimals, no trailing zeros, no `-0`.
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 {
        return "0".to_string();
    }
    format!("{r}")
}

/// Makes `prefix` a valid, CSS-safe id: ASCII letters, digits, `-`, `_`,
/// starting with a letter.
pub(crate) fn sanitize_prefix(prefix: &str) -> String {
    let mut s: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s = format!("fc-{s}");
    }
    s
}

/// Base theme. `#P` is replaced by the diagram's id. Every colour comes from
/// a CSS custom property with a light-theme fallback, so the page decides.
const BASE_CSS: &str = "\
#P{font-family:var(--fc-font,Helvetica,Arial,\"Liberation Sans\",sans-serif);font-size:14px}\
#P .fc-shape{fill:var(--fc-node-bg,#ffffff);stroke:var(--fc-node-border,#5b6270);stroke-width:1.5px}\
#P .fc-shape-line{fill:none;stroke:var(--fc-node-border,#5b6270);stroke-width:1.5px}\
#P .fc-label{fill:var(--fc-text,#1b1f24)}\
#P .fc-cluster>.fc-shape{fill:var(--fc-cluster-bg,#f3f4f6);stroke:var(--fc-cluster-border,#a3a9b3);stroke-width:1px}\
#P .fc-cluster-title{fill:var(--fc-text,#1b1f24);font-weight:600}\
#P .fc-edge{fill:none;stroke:var(--fc-line,#5b6270);stroke-width:1.5px}\
#P .fc-edge-dotted{stroke-dasharray:4 4}\
#P .fc-edge-thick{stroke-width:3px}\
#P .fc-arrowhead{fill:var(--fc-line,#5b6270);stroke:none}\
#P .fc-edge-label-bg{fill:var(--fc-label-bg,#ffffff);opacity:0.92}\
#P .fc-edge-label-text{fill:var(--fc-text,#1b1f24)}\
#P .fc-link{cursor:pointer}\
#P .fc-link .fc-label{text-decoration:underline}\
#P .fc-link:focus-visible{outline:3px solid var(--fc-focus,#1a5fb4);outline-offset:2px}\
#P .fc-link:focus-visible .fc-shape,#P .fc-link:hover .fc-shape{stroke:var(--fc-focus,#1a5fb4);stroke-width:3px}";

/// Parses `#rgb`, `#rrggbb` and `rgb(r, g, b)` colours.
fn parse_color(value: &str) -> Option<(f64, f64, f64)> {
    let v = value.trim().to_ascii_lowercase();
    if let Some(hex) = v.strip_prefix('#') {
        let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>()?;
        return match digits.as_slice() {
            [r, g, b] => Some(((r * 17) as f64, (g * 17) as f64, (b * 17) as f64)),
            [r1, r2, g1, g2, b1, b2] => Some((
                (r1 * 16 + r2) as f64,
                (g1 * 16 + g2) as f64,
                (b1 * 16 + b2) as f64,
            )),
            _ => None,
        };
    }
    let inner = v.strip_prefix("rgb(")?.strip_suffix(')')?;
    let parts: Vec<f64> = inner
        .split(',')
        .map(|p| p.trim().parse::<f64>().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [r, g, b] => Some((*r, *g, *b)),
        _ => None,
    }
}

/// A readable text colour on `fill`: dark on light fills, white on dark ones.
/// Without it, a light `classDef` fill would get the dark theme's light text.
fn contrast_text(fill: &str) -> Option<&'static str> {
    let (r, g, b) = parse_color(fill)?;
    let lin = |c: f64| {
        let c = (c / 255.0).clamp(0.0, 1.0);
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    Some(if luminance > 0.18 {
        "#1b1f24"
    } else {
        "#ffffff"
    })
}

/// Splits properties into declarations for the outline and for the text.
fn declarations(props: &[StyleProp]) -> (String, String) {
    let mut shape = String::new();
    let mut text = String::new();
    let has_color = props.iter().any(|p| p.property == "color");
    if !has_color
        && let Some(fill) = props.iter().rev().find(|p| p.property == "fill")
        && let Some(color) = contrast_text(&fill.value)
    {
        let _ = write!(text, "fill:{color};");
    }
    for p in props {
        if !STYLE_PROPERTIES.contains(&p.property.as_str()) || !valid_style_value(&p.value) {
            continue;
        }
        match p.property.as_str() {
            "color" => {
                let _ = write!(text, "fill:{};", p.value);
            }
            "font-weight" | "font-style" => {
                let _ = write!(text, "{}:{};", p.property, p.value);
            }
            _ => {
                let _ = write!(shape, "{}:{};", p.property, p.value);
            }
        }
    }
    (shape, text)
}

fn push_rules(css: &mut String, p: &str, class_sel: &str, props: &[StyleProp]) {
    let (shape, text) = declarations(props);
    if !shape.is_empty() {
        let _ = write!(
            css,
            "#{p} {class_sel}>.fc-shape,#{p} {class_sel}>.fc-shape-line{{{shape}}}"
        );
    }
    if !text.is_empty() {
        let _ = write!(
            css,
            "#{p} {class_sel}>.fc-label,#{p} {class_sel}>.fc-cluster-title{{{text}}}"
        );
    }
}

fn stylesheet(chart: &Flowchart, p: &str) -> String {
    let mut css = BASE_CSS.replace("#P", &format!("#{p}"));
    // `classDef default` first: the same specificity as other classes, so
    // later rules win.
    for def in chart.class_defs.iter().filter(|d| d.name == "default") {
        push_rules(&mut css, p, ".fc-node", &def.styles);
    }
    for def in chart.class_defs.iter().filter(|d| d.name != "default") {
        if valid_class_name(&def.name) {
            push_rules(&mut css, p, &format!(".fc-class-{}", def.name), &def.styles);
        }
    }
    for (i, sg) in chart.subgraphs.iter().enumerate() {
        if !sg.style.is_empty() {
            push_rules(&mut css, p, &format!(".fc-style-s{i}"), &sg.style);
        }
    }
    for (i, node) in chart.nodes.iter().enumerate() {
        if !node.style.is_empty() {
            push_rules(&mut css, p, &format!(".fc-style-n{i}"), &node.style);
        }
    }
    css
}

/// `<text>` with one `<tspan>` per line, centred on `c`.
fn text_block(o: &mut String, class: &str, c: Point, label: &str) {
    let lines: Vec<&str> = label.split('\n').collect();
    let n = lines.len() as f64;
    let _ = write!(o, "<text class=\"{class}\" text-anchor=\"middle\">");
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let cy = c.y + (i as f64 - (n - 1.0) / 2.0) * LINE_HEIGHT;
        let _ = write!(
            o,
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            num(c.x),
            num(cy + FONT_SIZE * 0.35),
            escape(line)
        );
    }
    o.push_str("</text>");
}

fn polygon(o: &mut String, pts: &[(f64, f64)]) {
    let list: Vec<String> = pts
        .iter()
        .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
        .collect();
    let _ = write!(
        o,
        "<polygon class=\"fc-shape\" points=\"{}\"/>",
        list.join(" ")
    );
}

fn shape_elements(o: &mut String, shape: Shape, r: &Rect) {
    let (x, y, w, h) = (r.x, r.y, r.width, r.height);
    let rect = |o: &mut String, radius: f64| {
        let _ = write!(
            o,
            "<rect class=\"fc-shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            num(x),
            num(y),
            num(w),
            num(h)
        );
        if radius > 0.0 {
            let _ = write!(o, " rx=\"{0}\" ry=\"{0}\"", num(radius));
        }
        o.push_str("/>");
    };
    match shape {
        Shape::Rect => rect(o, 0.0),
        Shape::Rounded => rect(o, ROUNDED_RADIUS),
        Shape::Stadium => rect(o, h / 2.0),
        Shape::Subroutine => {
            rect(o, 0.0);
            let _ = write!(
                o,
                "<path class=\"fc-shape-line\" d=\"M{},{}V{}M{},{}V{}\"/>",
                num(x + SUBROUTINE_INSET),
                num(y),
                num(y + h),
                num(x + w - SUBROUTINE_INSET),
                num(y),
                num(y + h)
            );
        }
        Shape::Cylinder => {
            let rx = w / 2.0;
            let ry = cylinder_ry(w);
            let _ = write!(
                o,
                "<path class=\"fc-shape\" d=\"M{x0},{yt}A{rx},{ry} 0 0 1 {x1},{yt}A{rx},{ry} 0 0 1 {x0},{yt}V{yb}A{rx},{ry} 0 0 0 {x1},{yb}V{yt}\"/>",
                x0 = num(x),
                x1 = num(x + w),
                yt = num(y + ry),
                yb = num(y + h - ry),
                rx = num(rx),
                ry = num(ry)
            );
        }
        Shape::Circle => {
            let c = r.center();
            let _ = write!(
                o,
                "<circle class=\"fc-shape\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                num(c.x),
                num(c.y),
                num(w.min(h) / 2.0)
            );
        }
        Shape::Diamond => {
            let c = r.center();
            polygon(o, &[(c.x, y), (x + w, c.y), (c.x, y + h), (x, c.y)]);
        }
        Shape::Hexagon => {
            let s = hexagon_inset(h);
            let cy = y + h / 2.0;
            polygon(
                o,
                &[
                    (x + s, y),
                    (x + w - s, y),
                    (x + w, cy),
                    (x + w - s, y + h),
                    (x + s, y + h),
                    (x, cy),
                ],
            );
        }
        Shape::Asymmetric => {
            let cy = y + h / 2.0;
            polygon(
                o,
                &[
                    (x, y),
                    (x + w, y),
                    (x + w, y + h),
                    (x, y + h),
                    (x + notch(h), cy),
                ],
            );
        }
    }
}

/// Path through `points` with slightly rounded corners. With an arrowhead,
/// the line stops 2px short so the marker's tip lands on the last point.
fn edge_path(points: &[Point], arrow: bool) -> String {
    let mut pts = points.to_vec();
    if arrow && pts.len() >= 2 {
        let n = pts.len();
        if let (Some(a), Some(b)) = (pts.get(n - 2).copied(), pts.get(n - 1).copied()) {
            let len = (b.x - a.x).hypot(b.y - a.y);
            if len > 4.0
                && let Some(last) = pts.last_mut()
            {
                last.x -= (b.x - a.x) / len * 2.0;
                last.y -= (b.y - a.y) / len * 2.0;
            }
        }
    }
    let mut d = String::new();
    let Some(first) = pts.first() else { return d };
    let _ = write!(d, "M{},{}", num(first.x), num(first.y));
    for i in 1..pts.len() {
        let p = pts[i];
        if i + 1 == pts.len() {
            let _ = write!(d, "L{},{}", num(p.x), num(p.y));
            break;
        }
        let a = pts[i - 1];
        let b = pts[i + 1];
        let l1 = (p.x - a.x).hypot(p.y - a.y);
        let l2 = (b.x - p.x).hypot(b.y - p.y);
        let r = 6.0f64.min(l1 / 2.0).min(l2 / 2.0);
        if r < 0.5 {
            let _ = write!(d, "L{},{}", num(p.x), num(p.y));
            continue;
        }
        let s = Point {
            x: p.x - (p.x - a.x) / l1 * r,
            y: p.y - (p.y - a.y) / l1 * r,
        };
        let e = Point {
            x: p.x + (b.x - p.x) / l2 * r,
            y: p.y + (b.y - p.y) / l2 * r,
        };
        let _ = write!(
            d,
            "L{},{}Q{},{} {},{}",
            num(s.x),
            num(s.y),
            num(p.x),
            num(p.y),
            num(e.x),
            num(e.y)
        );
    }
    d
}

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::TopBottom => "tb",
        Direction::BottomTop => "bt",
        Direction::LeftRight => "lr",
        Direction::RightLeft => "rl",
    }
}

/// Draws the chart. `prefix` must already be sanitized.
pub(crate) fn svg(chart: &Flowchart, lay: &Layout, p: &str, title: &str, desc: &str) -> String {
    let mut o = String::with_capacity(4096 + chart.nodes.len() * 400);
    let (w, h) = (num(lay.width), num(lay.height));
    // An image cannot contain links (its children are presentational), so a chart with
    // clickable nodes is a labelled group whose links stay reachable.
    let role = if chart.nodes.iter().any(|n| n.link.is_some()) {
        "group"
    } else {
        "img"
    };
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{p}\" class=\"fc fc-{dir}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"{role}\" aria-labelledby=\"{p}-title {p}-desc\">",
        dir = direction_name(chart.direction)
    );
    let _ = writeln!(o, "<title id=\"{p}-title\">{}</title>", escape(title));
    let _ = writeln!(o, "<desc id=\"{p}-desc\">{}</desc>", escape(desc));
    let _ = writeln!(o, "<style>{}</style>", stylesheet(chart, p));
    let _ = writeln!(
        o,
        "<defs><marker id=\"{p}-arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path class=\"fc-arrowhead\" d=\"M0,0L10,5L0,10z\"/></marker></defs>"
    );

    o.push_str("<g class=\"fc-clusters\">\n");
    for (i, sg) in chart.subgraphs.iter().enumerate() {
        let Some(b) = lay.subgraphs.get(i) else {
            continue;
        };
        let mut class = String::from("fc-cluster");
        for c in sg.classes.iter().filter(|c| valid_class_name(c)) {
            let _ = write!(class, " fc-class-{c}");
        }
        if !sg.style.is_empty() {
            let _ = write!(class, " fc-style-s{i}");
        }
        let _ = write!(
            o,
            "<g class=\"{class}\"><rect class=\"fc-shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" ry=\"6\"/>",
            num(b.rect.x),
            num(b.rect.y),
            num(b.rect.width),
            num(b.rect.height)
        );
        text_block(&mut o, "fc-cluster-title", b.title.center(), &sg.title);
        o.push_str("</g>\n");
    }
    o.push_str("</g>\n<g class=\"fc-edges\">\n");
    for (i, e) in chart.edges.iter().enumerate() {
        let Some(route) = lay.edges.get(i) else {
            continue;
        };
        if route.points.len() < 2 {
            continue;
        }
        let stroke = match e.stroke {
            Stroke::Solid => "fc-edge-solid",
            Stroke::Dotted => "fc-edge-dotted",
            Stroke::Thick => "fc-edge-thick",
        };
        let _ = write!(
            o,
            "<path class=\"fc-edge {stroke}\" d=\"{}\"",
            edge_path(&route.points, e.arrow)
        );
        if e.arrow {
            let _ = write!(o, " marker-end=\"url(#{p}-arrow)\"");
        }
        o.push_str("/>\n");
    }
    o.push_str("</g>\n<g class=\"fc-edge-labels\">\n");
    for (i, e) in chart.edges.iter().enumerate() {
        let (Some(label), Some(Some(r))) = (&e.label, lay.edges.get(i).map(|r| r.label)) else {
            continue;
        };
        let _ = write!(
            o,
            "<g class=\"fc-edge-label\"><rect class=\"fc-edge-label-bg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" ry=\"3\"/>",
            num(r.x),
            num(r.y),
            num(r.width),
            num(r.height)
        );
        text_block(&mut o, "fc-edge-label-text", r.center(), label);
        o.push_str("</g>\n");
    }
    o.push_str("</g>\n<g class=\"fc-nodes\">\n");
    for (i, node) in chart.nodes.iter().enumerate() {
        let Some(r) = lay.nodes.get(i) else { continue };
        let mut class = format!("fc-node fc-shape-{}", node.shape.name());
        for c in node.classes.iter().filter(|c| valid_class_name(c)) {
            let _ = write!(class, " fc-class-{c}");
        }
        if !node.style.is_empty() {
            let _ = write!(class, " fc-style-n{i}");
        }
        let link = node.link.as_ref().filter(|l| valid_href(&l.href));
        if let Some(link) = link {
            let name = link
                .tooltip
                .clone()
                .unwrap_or_else(|| node.label.replace('\n', " "));
            let _ = write!(
                o,
                "<a class=\"fc-link\" href=\"{}\"><title>{}</title>",
                escape(&link.href),
                escape(&name)
            );
        }
        let _ = write!(o, "<g class=\"{class}\" data-id=\"{}\">", escape(&node.id));
        shape_elements(&mut o, node.shape, r);
        text_block(&mut o, "fc-label", text_center(node.shape, r), &node.label);
        o.push_str("</g>");
        if link.is_some() {
            o.push_str("</a>");
        }
        o.push('\n');
    }
    o.push_str("</g>\n</svg>\n");
    o
}

/// A node's label on one line, for lists.
fn one_line(label: &str, id: &str) -> String {
    let parts: Vec<&str> = label.split('\n').filter(|l| !l.is_empty()).collect();
    if parts.is_empty() {
        id.to_string()
    } else {
        parts.join(" — ")
    }
}

/// HTML lists of the nodes (with links) and of the edges.
pub(crate) fn text_alternative(chart: &Flowchart) -> String {
    let mut o = String::from("<div class=\"fc-text-alternative\">\n");
    if chart.nodes.is_empty() {
        o.push_str("<p>The flowchart is empty.</p>\n</div>\n");
        return o;
    }
    o.push_str("<p>Nodes:</p>\n<ul class=\"fc-alt-nodes\">\n");
    for node in &chart.nodes {
        let label = escape(&one_line(&node.label, &node.id));
        o.push_str("<li>");
        match node.link.as_ref().filter(|l| valid_href(&l.href)) {
            Some(link) => {
                let _ = write!(o, "<a href=\"{}\">{label}</a>", escape(&link.href));
            }
            None => o.push_str(&label),
        }
        if let Some(sg) = node.subgraph.and_then(|s| chart.subgraphs.get(s)) {
            let _ = write!(o, " (in {})", escape(&one_line(&sg.title, "subgraph")));
        }
        o.push_str("</li>\n");
    }
    o.push_str("</ul>\n");
    if !chart.edges.is_empty() {
        o.push_str("<p>Connections:</p>\n<ul class=\"fc-alt-edges\">\n");
        for e in &chart.edges {
            let (Some(a), Some(b)) = (chart.nodes.get(e.from), chart.nodes.get(e.to)) else {
                continue;
            };
            let arrow = if e.arrow { "->" } else { "--" };
            let _ = write!(
                o,
                "<li>{} {} {}",
                escape(&one_line(&a.label, &a.id)),
                escape(arrow),
                escape(&one_line(&b.label, &b.id))
            );
            if let Some(label) = &e.label {
                let _ = write!(o, " ({})", escape(&one_line(label, "")));
            }
            o.push_str("</li>\n");
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</div>\n");
    o
}
