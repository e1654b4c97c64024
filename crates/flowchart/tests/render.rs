//! Tests of the SVG and the text alternative.

use flowchart::{Link, RenderOptions, parse, render, render_chart};

fn opts(prefix: &str) -> RenderOptions {
    RenderOptions {
        id_prefix: prefix.to_string(),
        title: "Release flow".to_string(),
        description: "How a change reaches users.".to_string(),
    }
}

#[test]
fn accessible_names_and_unique_ids() {
    let out = render("flowchart LR\nA --> B", &opts("flow-1")).unwrap();
    let svg = &out.svg;
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"flow-1\""));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("aria-labelledby=\"flow-1-title flow-1-desc\""));
    // With a link inside, the chart is a group, so the link stays reachable.
    let linked = render(
        "flowchart LR\nA --> B\nclick B \"/reference/x\"",
        &opts("flow-2"),
    )
    .unwrap();
    assert!(linked.svg.contains("role=\"group\""));
    assert!(svg.contains("<title id=\"flow-1-title\">Release flow</title>"));
    assert!(svg.contains("<desc id=\"flow-1-desc\">How a change reaches users.</desc>"));
    assert!(svg.contains("<marker id=\"flow-1-arrow\""));
    assert!(svg.contains("marker-end=\"url(#flow-1-arrow)\""));
    assert!(svg.contains("#flow-1 .fc-shape{"));
    // A second diagram on the same page shares no id.
    let other = render("flowchart LR\nA --> B", &opts("flow-2")).unwrap();
    assert!(!other.svg.contains("flow-1"));
}

#[test]
fn default_title_and_description() {
    let out = render("flowchart LR\nA --> B --> C", &RenderOptions::default()).unwrap();
    assert!(out.svg.contains("<title id=\"fc-title\">Flowchart</title>"));
    assert!(
        out.svg
            .contains("<desc id=\"fc-desc\">Flowchart with 3 nodes and 2 connections.</desc>")
    );
}

#[test]
fn prefix_is_sanitized() {
    let out = render("flowchart LR\nA", &opts("1 \"><x")).unwrap();
    assert!(out.svg.contains("id=\"fc-1----x\""));
    assert!(!out.svg.contains("\"><x"));
}

#[test]
fn colours_come_from_css_variables() {
    let out = render("flowchart LR\nA -->|l| B", &RenderOptions::default()).unwrap();
    for var in [
        "--fc-node-bg",
        "--fc-node-border",
        "--fc-text",
        "--fc-line",
        "--fc-label-bg",
        "--fc-cluster-bg",
        "--fc-cluster-border",
        "--fc-focus",
        "--fc-font",
    ] {
        assert!(out.svg.contains(&format!("var({var},")), "{var}");
    }
    // No colour is hard-wired in an attribute.
    assert!(!out.svg.contains("fill=\""));
    assert!(!out.svg.contains("stroke=\""));
}

#[test]
fn links_are_wrapped_and_focusable() {
    let src = "flowchart LR\nA[Guide] --> B\nclick A \"/reference/guide#intro\" \"Read the guide\"";
    let out = render(src, &RenderOptions::default()).unwrap();
    assert!(out
        .svg
        .contains("<a class=\"fc-link\" href=\"/reference/guide#intro\"><title>Read the guide</title><g class=\"fc-node"));
    assert!(out.svg.contains(".fc-link:focus-visible"));
    assert!(
        out.text_alternative
            .contains("<li><a href=\"/reference/guide#intro\">Guide</a></li>")
    );
}

#[test]
fn unsafe_links_never_reach_the_svg() {
    assert!(
        render(
            "flowchart LR\nA\nclick A \"javascript:alert(1)\"",
            &RenderOptions::default()
        )
        .is_err()
    );
    // A hand-built chart with a bad link: the link is dropped.
    let mut chart = parse("flowchart LR\nA").unwrap();
    chart.nodes[0].link = Some(Link {
        href: "javascript:alert(1)".to_string(),
        tooltip: None,
    });
    let out = render_chart(&chart, &RenderOptions::default());
    assert!(!out.svg.contains("javascript"));
    assert!(!out.text_alternative.contains("javascript"));
}

#[test]
fn text_is_escaped_everywhere() {
    let src = "flowchart LR\nA[\"<script>alert('x')</script> & co\"] -->|\"<b>\"| B\nsubgraph s [\"</style><i>\"]\nB\nend";
    let out = render(src, &opts("p")).unwrap();
    for bad in ["<script", "<b>", "</style><i>", "<i>"] {
        assert!(!out.svg.contains(bad), "svg contains {bad}");
        assert!(!out.text_alternative.contains(bad), "alt contains {bad}");
    }
    assert!(
        out.svg
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co")
    );
}

#[test]
fn text_alternative_lists_nodes_and_edges() {
    let src = "flowchart LR\nA[Source<br/>code] -->|passes| B[Build]\nB --- C\nsubgraph g [Group]\nC\nend";
    let out = render(src, &RenderOptions::default()).unwrap();
    let alt = &out.text_alternative;
    assert!(alt.starts_with("<div class=\"fc-text-alternative\">"));
    assert!(alt.contains("<ul class=\"fc-alt-nodes\">"));
    assert!(alt.contains("<li>Source — code</li>"));
    assert!(alt.contains("<li>C (in Group)</li>"));
    assert!(alt.contains("<li>Source — code -&gt; Build (passes)</li>"));
    assert!(alt.contains("<li>Build -- C</li>"));
}

#[test]
fn class_defs_become_scoped_rules() {
    let src = "flowchart LR
        classDef hot fill:#fde68a,stroke:#b45309
        classDef dark fill:#1e293b,color:#e2e8f0
        classDef default stroke-width:2px
        A:::hot --> B:::dark --> C
        style C fill:#fff
        subgraph s [S]
          D
        end
        class s hot";
    let out = render(src, &opts("x")).unwrap();
    let svg = &out.svg;
    assert!(svg.contains(
        "#x .fc-class-hot>.fc-shape,#x .fc-class-hot>.fc-shape-line{fill:#fde68a;stroke:#b45309;}"
    ));
    // Light fill without a colour gets dark text, so it stays readable in dark themes.
    assert!(
        svg.contains(
            "#x .fc-class-hot>.fc-label,#x .fc-class-hot>.fc-cluster-title{fill:#1b1f24;}"
        )
    );
    assert!(svg.contains(
        "#x .fc-class-dark>.fc-label,#x .fc-class-dark>.fc-cluster-title{fill:#e2e8f0;}"
    ));
    assert!(svg.contains("#x .fc-node>.fc-shape,#x .fc-node>.fc-shape-line{stroke-width:2px;}"));
    assert!(svg.contains("#x .fc-style-n2>.fc-shape"));
    assert!(svg.contains("class=\"fc-node fc-shape-rect fc-class-hot\""));
    assert!(svg.contains("class=\"fc-cluster fc-class-hot\""));
    // `default` comes first so that named classes override it.
    let default_at = svg.find("#x .fc-node>.fc-shape").unwrap();
    let hot_at = svg.find("#x .fc-class-hot>.fc-shape").unwrap();
    assert!(default_at < hot_at);
}

#[test]
fn rendering_is_deterministic_and_sized() {
    let src =
        "flowchart TD\nA --> B & C --> D\nD --> A\nsubgraph s [S]\ndirection LR\nE --> F\nend";
    let a = render(src, &RenderOptions::default()).unwrap();
    let b = render(src, &RenderOptions::default()).unwrap();
    assert_eq!(a, b);
    assert!(a.width > 0.0 && a.height > 0.0);
    let attr = |name: &str| -> f64 {
        let key = format!(" {name}=\"");
        let at = a.svg.find(&key).unwrap() + key.len();
        let end = a.svg[at..].find('"').unwrap();
        a.svg[at..at + end].parse().unwrap()
    };
    assert!((attr("width") - a.width).abs() < 0.01);
    assert!((attr("height") - a.height).abs() < 0.01);
}

#[test]
fn empty_chart_renders() {
    let out = render("flowchart LR", &RenderOptions::default()).unwrap();
    assert!(out.svg.contains("</svg>"));
    assert!(out.text_alternative.contains("The flowchart is empty."));
}
