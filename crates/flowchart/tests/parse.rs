//! Parser tests: one per construct, one per error message.

use flowchart::{Direction, Flowchart, Shape, Stroke, parse};

fn ok(src: &str) -> Flowchart {
    match parse(src) {
        Ok(c) => c,
        Err(e) => panic!("{src:?} failed: {e}"),
    }
}

fn err(src: &str) -> String {
    match parse(src) {
        Ok(c) => panic!("{src:?} parsed: {c:?}"),
        Err(e) => e.to_string(),
    }
}

fn labels(c: &Flowchart) -> Vec<&str> {
    c.nodes.iter().map(|n| n.label.as_str()).collect()
}

// ----- header ------------------------------------------------------------

#[test]
fn header_keywords_and_directions() {
    for (src, dir) in [
        ("flowchart TB", Direction::TopBottom),
        ("flowchart TD", Direction::TopBottom),
        ("graph BT", Direction::BottomTop),
        ("graph LR", Direction::LeftRight),
        ("flowchart RL", Direction::RightLeft),
        ("flowchart", Direction::TopBottom),
        ("graph;", Direction::TopBottom),
        (
            "  %% leading comment\n\nflowchart LR %% trailing comment\n",
            Direction::LeftRight,
        ),
    ] {
        let c = ok(src);
        assert_eq!(c.direction, dir, "{src}");
        assert!(c.nodes.is_empty());
    }
}

// ----- nodes ---------------------------------------------------------------

#[test]
fn every_node_shape() {
    let c = ok("flowchart TD
        a[rect]
        b(rounded)
        c([stadium])
        d[[subroutine]]
        e[(cylinder)]
        f((circle))
        g{diamond}
        h{{hexagon}}
        i>asymmetric]
        j");
    let shapes: Vec<Shape> = c.nodes.iter().map(|n| n.shape).collect();
    assert_eq!(
        shapes,
        [
            Shape::Rect,
            Shape::Rounded,
            Shape::Stadium,
            Shape::Subroutine,
            Shape::Cylinder,
            Shape::Circle,
            Shape::Diamond,
            Shape::Hexagon,
            Shape::Asymmetric,
            Shape::Rect
        ]
    );
    assert_eq!(
        labels(&c),
        [
            "rect",
            "rounded",
            "stadium",
            "subroutine",
            "cylinder",
            "circle",
            "diamond",
            "hexagon",
            "asymmetric",
            "j"
        ]
    );
}

#[test]
fn quoted_labels_keep_brackets() {
    let c = ok("flowchart LR\nA[\"text with (parens) and [brackets] | pipes\"] --> B(\"{curly}\")");
    assert_eq!(
        labels(&c),
        ["text with (parens) and [brackets] | pipes", "{curly}"]
    );
}

#[test]
fn line_breaks_and_entities() {
    let c = ok(
        "flowchart LR\nA[one<br/>two<br>three<BR />four]\nB[#35; #quot;q#quot; &amp; &lt;tag&gt; &#35; &#x41; #9829;]\nC[&nope; a#b]",
    );
    assert_eq!(c.nodes[0].label, "one\ntwo\nthree\nfour");
    assert_eq!(c.nodes[1].label, "# \"q\" & <tag> # A ♥");
    assert_eq!(c.nodes[2].label, "&nope; a#b");
}

#[test]
fn redefinition_keeps_the_last_label_and_shape() {
    let c = ok("flowchart TD\nA --> B\nA[First]\nA(Second)");
    assert_eq!(c.nodes.len(), 2);
    assert_eq!(c.nodes[0].label, "Second");
    assert_eq!(c.nodes[0].shape, Shape::Rounded);
    assert_eq!(c.nodes[1].label, "B");
}

#[test]
fn ids_with_dashes_and_unicode() {
    let c = ok("flowchart LR\nmy-node --> über_2\nx-->y");
    let ids: Vec<&str> = c.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["my-node", "über_2", "x", "y"]);
}

// ----- edges -----------------------------------------------------------------

#[test]
fn every_edge_operator() {
    let c = ok("flowchart LR
        a --> b
        a --- b
        a -.-> b
        a -.- b
        a ==> b
        a === b
        a ---> b
        a -..-> b");
    let kinds: Vec<(Stroke, bool, usize)> = c
        .edges
        .iter()
        .map(|e| (e.stroke, e.arrow, e.length))
        .collect();
    assert_eq!(
        kinds,
        [
            (Stroke::Solid, true, 1),
            (Stroke::Solid, false, 1),
            (Stroke::Dotted, true, 1),
            (Stroke::Dotted, false, 1),
            (Stroke::Thick, true, 1),
            (Stroke::Thick, false, 1),
            (Stroke::Solid, true, 2),
            (Stroke::Dotted, true, 2)
        ]
    );
    assert!(c.edges.iter().all(|e| e.label.is_none()));
}

#[test]
fn edge_labels_in_every_form() {
    let c = ok("flowchart LR
        a -->|pipe| b
        a -- text --> b
        a -. dotted text .-> b
        a == thick text ==> b
        a ---|open| b
        a -->|\"quoted | pipe\"| b
        a -- \"quoted -->\" --> b
        a -- two<br/>lines --- b
        a-->|tight|b");
    let got: Vec<(Option<&str>, Stroke, bool)> = c
        .edges
        .iter()
        .map(|e| (e.label.as_deref(), e.stroke, e.arrow))
        .collect();
    assert_eq!(
        got,
        [
            (Some("pipe"), Stroke::Solid, true),
            (Some("text"), Stroke::Solid, true),
            (Some("dotted text"), Stroke::Dotted, true),
            (Some("thick text"), Stroke::Thick, true),
            (Some("open"), Stroke::Solid, false),
            (Some("quoted | pipe"), Stroke::Solid, true),
            (Some("quoted -->"), Stroke::Solid, true),
            (Some("two\nlines"), Stroke::Solid, false),
            (Some("tight"), Stroke::Solid, true),
        ]
    );
}

#[test]
fn chains() {
    let c = ok("flowchart LR\nA --> B --> C -.-> D");
    let pairs: Vec<(usize, usize)> = c.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(pairs, [(0, 1), (1, 2), (2, 3)]);
    assert_eq!(c.edges[2].stroke, Stroke::Dotted);
}

#[test]
fn ampersand_groups() {
    let c = ok("flowchart LR\nA & B --> C & D --> E");
    let pairs: Vec<(&str, &str)> = c
        .edges
        .iter()
        .map(|e| (c.nodes[e.from].id.as_str(), c.nodes[e.to].id.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("A", "C"),
            ("A", "D"),
            ("B", "C"),
            ("B", "D"),
            ("C", "E"),
            ("D", "E")
        ]
    );
}

#[test]
fn semicolons_and_comments() {
    let c = ok("graph TD;A-->B;B-->C;\n%% a comment --> ignored\nC --> D %% trailing\n");
    assert_eq!(c.nodes.len(), 4);
    assert_eq!(c.edges.len(), 3);
}

#[test]
fn self_loops_and_cycles_parse() {
    let c = ok("flowchart TD\nA --> A\nA --> B --> A");
    assert_eq!(c.edges.len(), 3);
    assert_eq!((c.edges[0].from, c.edges[0].to), (0, 0));
}

// ----- subgraphs -----------------------------------------------------------

#[test]
fn subgraph_forms() {
    let c = ok("flowchart TB
        subgraph one [First group]
          a1 --> a2
        end
        subgraph two[\"Second (quoted)\"]
          b1
        end
        subgraph three
          c1
        end
        subgraph Title with spaces
          d1
        end
        subgraph \"Quoted title\"
          e1
        end
        a2 --> b1");
    let sg: Vec<(Option<&str>, &str)> = c
        .subgraphs
        .iter()
        .map(|s| (s.id.as_deref(), s.title.as_str()))
        .collect();
    assert_eq!(
        sg,
        [
            (Some("one"), "First group"),
            (Some("two"), "Second (quoted)"),
            (Some("three"), "three"),
            (None, "Title with spaces"),
            (None, "Quoted title"),
        ]
    );
    assert_eq!(c.subgraphs[0].nodes, [0, 1]);
    assert_eq!(c.node("b1").and_then(|n| n.subgraph), Some(1));
    assert_eq!(c.node("e1").and_then(|n| n.subgraph), Some(4));
}

#[test]
fn nested_subgraphs_with_direction() {
    let c = ok("flowchart LR
        subgraph outer [Outer]
          direction TB
          x
          subgraph inner [Inner]
            direction RL
            y --> z
          end
        end
        w --> x");
    assert_eq!(c.subgraphs.len(), 2);
    assert_eq!(c.subgraphs[0].direction, Some(Direction::TopBottom));
    assert_eq!(c.subgraphs[1].direction, Some(Direction::RightLeft));
    assert_eq!(c.subgraphs[1].parent, Some(0));
    assert_eq!(c.node("x").and_then(|n| n.subgraph), Some(0));
    assert_eq!(c.node("y").and_then(|n| n.subgraph), Some(1));
    assert_eq!(c.node("w").and_then(|n| n.subgraph), None);
}

#[test]
fn node_belongs_to_first_subgraph_that_mentions_it() {
    let c = ok("flowchart TD\nA --> B\nsubgraph S\nA\nend\nsubgraph T\nA --> C\nend");
    assert_eq!(c.node("A").and_then(|n| n.subgraph), Some(0));
    assert_eq!(c.node("B").and_then(|n| n.subgraph), None);
    assert_eq!(c.node("C").and_then(|n| n.subgraph), Some(1));
}

#[test]
fn top_level_direction_statement() {
    assert_eq!(
        ok("flowchart TD\ndirection LR\nA").direction,
        Direction::LeftRight
    );
}

// ----- styling and links ---------------------------------------------------

#[test]
fn class_defs_classes_and_styles() {
    let c = ok("flowchart LR
        A:::hot --> B
        classDef hot fill:#f9f,stroke:#333,stroke-width:2px
        classDef cold,calm fill:rgb(10, 20, 30),color:#fff
        classDef default stroke-dasharray:4 2
        class B,C cold
        class grp calm
        style A fill:#0f0,font-weight:bold
        subgraph grp [Group]
          C
        end
        style grp stroke:#00f");
    assert_eq!(c.nodes[0].classes, ["hot"]);
    assert_eq!(c.nodes[1].classes, ["cold"]);
    assert_eq!(
        c.node("C").map(|n| n.classes.clone()),
        Some(vec!["cold".to_string()])
    );
    assert_eq!(c.subgraphs[0].classes, ["calm"]);
    let names: Vec<&str> = c.class_defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["hot", "cold", "calm", "default"]);
    assert_eq!(c.class_defs[1].styles[0].value, "rgb(10, 20, 30)");
    assert_eq!(c.nodes[0].style.len(), 2);
    assert_eq!(c.nodes[0].style[1].property, "font-weight");
    assert_eq!(c.subgraphs[0].style[0].value, "#00f");
}

#[test]
fn click_links() {
    let c = ok("flowchart LR
        A --> B --> C
        click A \"/reference/slug#id\"
        click B \"#local\" \"Jump to the local section\"
        click C href \"/a/b?c=d&e=f\" \"Tip\"");
    let a = c.nodes[0]
        .link
        .as_ref()
        .map(|l| (l.href.as_str(), l.tooltip.as_deref()));
    assert_eq!(a, Some(("/reference/slug#id", None)));
    let b = c.nodes[1]
        .link
        .as_ref()
        .map(|l| (l.href.as_str(), l.tooltip.as_deref()));
    assert_eq!(b, Some(("#local", Some("Jump to the local section"))));
    assert_eq!(
        c.nodes[2].link.as_ref().map(|l| l.href.as_str()),
        Some("/a/b?c=d&e=f")
    );
}

#[test]
fn crlf_line_endings() {
    let c = ok("flowchart LR\r\nA --> B\r\nB --> C\r\n");
    assert_eq!(c.edges.len(), 2);
}

// ----- errors -------------------------------------------------------------------

#[test]
fn error_messages() {
    let cases: &[(&str, &str)] = &[
        (
            "",
            "1:1: expected 'flowchart' or 'graph' at the start of the diagram",
        ),
        (
            "sequenceDiagram\nA->>B: hi",
            "1:1: expected 'flowchart' or 'graph' at the start of the diagram",
        ),
        (
            "flowchart XY",
            "1:11: unknown direction 'XY': expected TB, TD, BT, LR or RL",
        ),
        (
            "flowchart LR extra",
            "1:14: unexpected 'e': expected the end of the statement",
        ),
        ("flowchart LR\nA -->", "2:6: expected a node id after '-->'"),
        (
            "flowchart LR\nA -- label -->",
            "2:15: expected a node id after '-->'",
        ),
        ("flowchart LR\nA & ", "2:5: expected a node id after '&'"),
        ("flowchart LR\n--> B", "2:1: expected a node id, found '-'"),
        (
            "flowchart LR\nA B",
            "2:3: unexpected 'B' after node 'A': expected an edge, '&' or the end of the statement",
        ),
        (
            "flowchart LR\nA[open",
            "2:2: unterminated label: expected ']'",
        ),
        (
            "flowchart LR\nA((circle",
            "2:2: unterminated label: expected '))'",
        ),
        (
            "flowchart LR\nA[a (b) c]",
            "2:5: unexpected '(' in label: put the label in quotes",
        ),
        (
            "flowchart LR\nA[\"open",
            "2:3: unterminated string: expected '\"'",
        ),
        (
            "flowchart LR\nA[\"q\" x]",
            "2:7: expected ']' after the quoted label, found 'x'",
        ),
        (
            "flowchart LR\nA -->|open B",
            "2:6: unterminated edge label: expected '|'",
        ),
        (
            "flowchart LR\nA -->|\"q\" x| B",
            "2:11: expected '|' after the quoted edge label, found 'x'",
        ),
        (
            "flowchart LR\nA -- text B",
            "2:3: unterminated edge text: expected '-->' or '---'",
        ),
        (
            "flowchart LR\nA == text B",
            "2:3: unterminated edge text: expected '==>' or '==='",
        ),
        (
            "flowchart LR\nA -- \"q\" B",
            "2:10: expected '-->' or '---' after the quoted edge text",
        ),
        (
            "flowchart LR\nA -. text B",
            "2:3: unterminated edge text: expected '.->' or '.-'",
        ),
        (
            "flowchart LR\nA -. \"q\" B",
            "2:10: expected '.->' or '.-' after the quoted edge text",
        ),
        (
            "flowchart LR\nA -..x B",
            "2:3: incomplete dotted edge: expected '-.->' or '-.-'",
        ),
        ("flowchart LR\nA -- -->B", "2:3: empty edge text"),
        ("flowchart LR\nA -. .->B", "2:3: empty edge text"),
        (
            "flowchart LR\nA -- x -->|y| B",
            "2:11: this edge already has a label",
        ),
        (
            "flowchart LR\nA:::",
            "2:5: expected a class name after ':::'",
        ),
        (
            "flowchart LR\nend",
            "2:1: 'end' without a matching 'subgraph'",
        ),
        (
            "flowchart LR\nsubgraph one\nA",
            "2:1: subgraph 'one' is not closed: expected 'end'",
        ),
        (
            "flowchart LR\nsubgraph ",
            "2:10: expected a subgraph id or title after 'subgraph'",
        ),
        (
            "flowchart LR\nsubgraph s [Title\nend",
            "2:11: unterminated label: expected ']'",
        ),
        (
            "flowchart LR\nsubgraph s\nend\nsubgraph s\nend",
            "4:10: duplicate subgraph id 's'",
        ),
        (
            "flowchart LR\nA\nsubgraph A\nend",
            "3:10: 'A' is already used as a node id",
        ),
        (
            "flowchart LR\nsubgraph s\nend\nA --> s",
            "4:7: 's' is a subgraph: edges to subgraphs are not supported",
        ),
        (
            "flowchart LR\ndirection XX",
            "2:11: unknown direction 'XX': expected TB, TD, BT, LR or RL",
        ),
        (
            "flowchart LR\ndirection ",
            "2:11: expected a direction: TB, TD, BT, LR or RL",
        ),
        (
            "flowchart LR\nclassDef ",
            "2:10: expected a class name after 'classDef'",
        ),
        (
            "flowchart LR\nclassDef a,",
            "2:12: expected a class name after ','",
        ),
        (
            "flowchart LR\nclassDef a.b fill:#fff",
            "2:11: unexpected '.' in class name",
        ),
        (
            "flowchart LR\nclassDef a",
            "2:11: expected styles such as 'fill:#f9f,stroke:#333'",
        ),
        (
            "flowchart LR\nclassDef a ,",
            "2:13: expected styles such as 'fill:#f9f,stroke:#333'",
        ),
        (
            "flowchart LR\nclassDef a fill",
            "2:12: expected 'property:value' in style, found 'fill'",
        ),
        (
            "flowchart LR\nclassDef a background:red",
            "2:12: unsupported style property 'background': expected one of fill, stroke, stroke-width, stroke-dasharray, opacity, fill-opacity, stroke-opacity, color, font-weight, font-style",
        ),
        (
            "flowchart LR\nclassDef a fill:url(x)",
            "2:17: invalid style value 'url(x)'",
        ),
        (
            "flowchart LR\nclassDef a fill:red}</style>",
            "2:17: invalid style value 'red}</style>'",
        ),
        (
            "flowchart LR\nclass ",
            "2:7: expected a node id after 'class'",
        ),
        (
            "flowchart LR\nclass A,",
            "2:9: expected a node id after ','",
        ),
        (
            "flowchart LR\nclass A",
            "2:8: expected a class name after the node ids",
        ),
        (
            "flowchart LR\nclass A .x",
            "2:9: expected a class name after the node ids",
        ),
        (
            "flowchart LR\nclass Z foo",
            "2:7: unknown node or subgraph 'Z'",
        ),
        (
            "flowchart LR\nstyle ",
            "2:7: expected a node id after 'style'",
        ),
        (
            "flowchart LR\nstyle A",
            "2:8: expected styles such as 'fill:#f9f,stroke:#333'",
        ),
        (
            "flowchart LR\nstyle Z fill:#fff",
            "2:7: unknown node or subgraph 'Z'",
        ),
        (
            "flowchart LR\nclick ",
            "2:7: expected a node id after 'click'",
        ),
        (
            "flowchart LR\nA\nclick A callback",
            "3:9: expected a quoted link such as \"/reference/page#id\" after 'click A'",
        ),
        (
            "flowchart LR\nA\nclick A \"javascript:alert(1)\"",
            "3:9: link 'javascript:alert(1)' must be a site path starting with '/' or '#'",
        ),
        (
            "flowchart LR\nA\nclick A \"//evil.example\"",
            "3:9: link '//evil.example' must be a site path starting with '/' or '#'",
        ),
        (
            "flowchart LR\nA\nclick A \"https://x.y\"",
            "3:9: link 'https://x.y' must be a site path starting with '/' or '#'",
        ),
        (
            "flowchart LR\nA\nclick A \"/ok\" \"tip\" _blank",
            "3:21: unexpected '_': expected the end of the statement",
        ),
        (
            "flowchart LR\nclick Z \"/x\"",
            "2:7: unknown node 'Z' in 'click'",
        ),
        (
            "flowchart LR\nlinkStyle 0 stroke:#f00",
            "2:1: 'linkStyle' is not supported",
        ),
        (
            "flowchart LR\naccTitle: hi",
            "2:1: 'accTitle' is not supported",
        ),
        (
            "flowchart LR\naccDescr: hi",
            "2:1: 'accDescr' is not supported",
        ),
    ];
    let mut wrong = Vec::new();
    for (src, want) in cases {
        let got = err(src);
        if &got != want {
            wrong.push(format!("{src:?}\n   got: {got}\n  want: {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn nesting_limit() {
    let depth = flowchart::MAX_SUBGRAPH_DEPTH;
    let mut src = String::from("flowchart TD\n");
    for i in 0..depth {
        src.push_str(&format!("subgraph s{i}\n"));
    }
    src.push_str("A\n");
    for _ in 0..depth {
        src.push_str("end\n");
    }
    assert_eq!(ok(&src).subgraphs.len(), depth);
    let mut deeper = String::from("flowchart TD\n");
    for i in 0..=depth {
        deeper.push_str(&format!("subgraph s{i}\n"));
    }
    assert_eq!(
        err(&deeper),
        format!(
            "{}:1: subgraphs are nested more than {depth} deep",
            depth + 2
        )
    );
}

#[test]
fn error_fields_are_one_based() {
    let e = parse("flowchart LR\n  A -->\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 8));
    assert_eq!(e.message, "expected a node id after '-->'");
}
