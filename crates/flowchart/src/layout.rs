//! Geometry of a laid-out chart, and the glue that lays out subgraphs with
//! their own direction as separate blocks.

use std::collections::BTreeMap;

use crate::model::{Direction, Flowchart};
use crate::shapes::node_size;
use crate::sugiyama::{ScopeCluster, ScopeEdge, ScopeInput, ScopeItem, ScopeOutput, layout_scope};
use crate::text::block_size;

/// Empty space around the drawing.
const MARGIN: f64 = 8.0;
/// Padding inside a subgraph that is laid out on its own.
const BLOCK_PAD: f64 = 12.0;

/// A point, in px from the top-left corner of the drawing.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Horizontal position.
    pub x: f64,
    /// Vertical position (downwards).
    pub y: f64,
}

/// An axis-aligned box: top-left corner and size, in px.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// The centre of the box.
    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }

    /// The right edge.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// The bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// True when the interiors of the two boxes overlap.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    pub(crate) fn centered(c: Point, (width, height): (f64, f64)) -> Rect {
        Rect {
            x: c.x - width / 2.0,
            y: c.y - height / 2.0,
            width,
            height,
        }
    }

    pub(crate) fn spanning(a: Point, b: Point) -> Rect {
        Rect {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
            width: (a.x - b.x).abs(),
            height: (a.y - b.y).abs(),
        }
    }

    fn translated(&self, dx: f64, dy: f64) -> Rect {
        Rect {
            x: self.x + dx,
            y: self.y + dy,
            ..*self
        }
    }
}

/// The route of one edge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeRoute {
    /// Polyline from the source node's border to the target node's border
    /// (the arrowhead, if any, is at the last point).
    pub points: Vec<Point>,
    /// Box of the label, if the edge has one.
    pub label: Option<Rect>,
}

/// The box drawn for a subgraph.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SubgraphBox {
    /// The outer box.
    pub rect: Rect,
    /// The box of the title text, inside `rect`.
    pub title: Rect,
}

/// Where everything goes. Indices match [`Flowchart::nodes`],
/// [`Flowchart::edges`] and [`Flowchart::subgraphs`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Width of the drawing, margins included.
    pub width: f64,
    /// Height of the drawing, margins included.
    pub height: f64,
    /// Box of each node.
    pub nodes: Vec<Rect>,
    /// Route of each edge.
    pub edges: Vec<EdgeRoute>,
    /// Box of each subgraph.
    pub subgraphs: Vec<SubgraphBox>,
}

/// Size of an edge label's box.
pub(crate) fn edge_label_size(label: &str) -> (f64, f64) {
    let (w, h) = block_size(label, false);
    (w + 10.0, h + 4.0)
}

/// Size of a subgraph title's box.
pub(crate) fn title_size(title: &str) -> (f64, f64) {
    let (w, h) = block_size(title, true);
    (w + 10.0, h + 4.0)
}

/// Sizes used by a block subgraph: wrapper size and title size.
fn block_wrapper(content: (f64, f64), title: (f64, f64)) -> (f64, f64) {
    let (cw, ch) = (content.0.max(40.0), content.1.max(16.0));
    (
        cw.max(title.0) + 2.0 * BLOCK_PAD,
        BLOCK_PAD / 2.0 + title.1 + BLOCK_PAD / 2.0 + ch + BLOCK_PAD,
    )
}

#[derive(Clone, Copy)]
enum ItemRef {
    Node(usize),
    Block(usize),
}

struct ScopeResult {
    out: ScopeOutput,
    items: Vec<ItemRef>,
    edges: Vec<usize>,
    clusters: Vec<usize>,
}

/// Lays a chart out. Deterministic: the same chart always gives the same
/// layout.
///
/// Subgraphs with a `direction` of their own and no edges to the outside are
/// laid out separately in that direction and placed as one block (mermaid's
/// rule); all other subgraphs are drawn as boxes around their members within
/// the layout of their parent.
pub fn layout(chart: &Flowchart) -> Layout {
    let nn = chart.nodes.len();
    let ns = chart.subgraphs.len();
    let ne = chart.edges.len();
    let parent: Vec<Option<usize>> = chart
        .subgraphs
        .iter()
        .enumerate()
        .map(|(i, s)| s.parent.filter(|&p| p < i))
        .collect();
    let mut depth = vec![1usize; ns];
    for s in 0..ns {
        if let Some(p) = parent[s] {
            depth[s] = depth[p] + 1;
        }
    }
    let node_sg: Vec<Option<usize>> = chart
        .nodes
        .iter()
        .map(|n| n.subgraph.filter(|&s| s < ns))
        .collect();
    let ancestors = |mut s: Option<usize>| {
        let mut v = Vec::new();
        while let Some(x) = s {
            v.push(x);
            s = parent[x];
        }
        v
    };

    // Subgraphs with an edge crossing their border.
    let mut external = vec![false; ns];
    for e in &chart.edges {
        if e.from >= nn || e.to >= nn {
            continue;
        }
        let a = ancestors(node_sg[e.from]);
        let b = ancestors(node_sg[e.to]);
        for s in &a {
            if !b.contains(s) {
                external[*s] = true;
            }
        }
        for s in &b {
            if !a.contains(s) {
                external[*s] = true;
            }
        }
    }
    let mut block = vec![false; ns];
    let mut eff: Vec<Direction> = vec![chart.direction; ns];
    for s in 0..ns {
        let pd = parent[s].map_or(chart.direction, |p| eff[p]);
        match chart.subgraphs[s].direction {
            Some(d) if d != pd && !external[s] => {
                block[s] = true;
                eff[s] = d;
            }
            _ => eff[s] = pd,
        }
    }
    // The block (or the top level, None) whose layout places each subgraph.
    let mut owner: Vec<Option<usize>> = vec![None; ns];
    for s in 0..ns {
        owner[s] = parent[s].and_then(|p| if block[p] { Some(p) } else { owner[p] });
    }
    let node_scope: Vec<Option<usize>> = node_sg
        .iter()
        .map(|sg| sg.and_then(|s| if block[s] { Some(s) } else { owner[s] }))
        .collect();

    let mut order: Vec<usize> = (0..ns).filter(|&s| block[s]).collect();
    order.sort_by_key(|&s| (std::cmp::Reverse(depth[s]), s));
    let mut block_size = vec![(0.0, 0.0); ns];
    let mut results: BTreeMap<Option<usize>, ScopeResult> = BTreeMap::new();
    for scope in order.iter().map(|&s| Some(s)).chain(std::iter::once(None)) {
        let dir = scope.map_or(chart.direction, |s| eff[s]);
        let cl: Vec<usize> = (0..ns)
            .filter(|&t| !block[t] && owner[t] == scope)
            .collect();
        let local: BTreeMap<usize, usize> = cl.iter().enumerate().map(|(i, &t)| (t, i)).collect();
        let clusters: Vec<ScopeCluster> = cl
            .iter()
            .map(|&t| ScopeCluster {
                parent: parent[t].and_then(|p| local.get(&p).copied()),
                title: title_size(&chart.subgraphs[t].title),
            })
            .collect();
        let mut items = Vec::new();
        let mut refs = Vec::new();
        let mut item_of_node: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, node) in chart.nodes.iter().enumerate() {
            if node_scope[i] != scope {
                continue;
            }
            item_of_node.insert(i, items.len());
            items.push(ScopeItem {
                size: node_size(node.shape, &node.label),
                shape: Some(node.shape),
                cluster: node_sg[i].and_then(|s| local.get(&s).copied()),
            });
            refs.push(ItemRef::Node(i));
        }
        for b in 0..ns {
            if block[b] && owner[b] == scope {
                items.push(ScopeItem {
                    size: block_size[b],
                    shape: None,
                    cluster: parent[b].and_then(|p| local.get(&p).copied()),
                });
                refs.push(ItemRef::Block(b));
            }
        }
        let mut edges = Vec::new();
        let mut edge_ids = Vec::new();
        for (k, e) in chart.edges.iter().enumerate() {
            let (Some(&from), Some(&to)) = (item_of_node.get(&e.from), item_of_node.get(&e.to))
            else {
                continue;
            };
            edges.push(ScopeEdge {
                from,
                to,
                label: e.label.as_deref().map(edge_label_size),
                minlen: e.length,
            });
            edge_ids.push(k);
        }
        let out = layout_scope(&ScopeInput {
            dir,
            items,
            edges,
            clusters,
        });
        if let Some(s) = scope {
            block_size[s] = block_wrapper(
                (out.width, out.height),
                title_size(&chart.subgraphs[s].title),
            );
        }
        results.insert(
            scope,
            ScopeResult {
                out,
                items: refs,
                edges: edge_ids,
                clusters: cl,
            },
        );
    }

    // Place the top level, then every block inside the box its owner gave it.
    let mut layout = Layout {
        width: 0.0,
        height: 0.0,
        nodes: vec![Rect::default(); nn],
        edges: vec![EdgeRoute::default(); ne],
        subgraphs: vec![SubgraphBox::default(); ns],
    };
    let mut placement: Vec<(Option<usize>, f64, f64)> = vec![(None, MARGIN, MARGIN)];
    let mut next = 0;
    while let Some(&(scope, dx, dy)) = placement.get(next) {
        next += 1;
        let Some(res) = results.get(&scope) else {
            continue;
        };
        for (k, item) in res.items.iter().enumerate() {
            let Some(r) = res.out.items.get(k) else {
                continue;
            };
            let r = r.translated(dx, dy);
            match *item {
                ItemRef::Node(i) => layout.nodes[i] = r,
                ItemRef::Block(b) => {
                    let title = title_size(&chart.subgraphs[b].title);
                    let content = results
                        .get(&Some(b))
                        .map_or((0.0, 0.0), |c| (c.out.width, c.out.height));
                    let tx = r.x + (r.width - title.0) / 2.0;
                    let ty = r.y + BLOCK_PAD / 2.0;
                    layout.subgraphs[b] = SubgraphBox {
                        rect: r,
                        title: Rect {
                            x: tx,
                            y: ty,
                            width: title.0,
                            height: title.1,
                        },
                    };
                    let cx = r.x + (r.width - content.0) / 2.0;
                    let cy = ty + title.1 + BLOCK_PAD / 2.0;
                    placement.push((Some(b), cx, cy));
                }
            }
        }
        for (k, &e) in res.edges.iter().enumerate() {
            let Some(route) = res.out.edges.get(k) else {
                continue;
            };
            layout.edges[e] = EdgeRoute {
                points: route
                    .points
                    .iter()
                    .map(|p| Point {
                        x: p.x + dx,
                        y: p.y + dy,
                    })
                    .collect(),
                label: route.label.map(|l| l.translated(dx, dy)),
            };
        }
        for (k, &t) in res.clusters.iter().enumerate() {
            let Some((b, title)) = res.out.clusters.get(k) else {
                continue;
            };
            layout.subgraphs[t] = SubgraphBox {
                rect: b.translated(dx, dy),
                title: title.translated(dx, dy),
            };
        }
    }
    if let Some(root) = results.get(&None) {
        layout.width = root.out.width + 2.0 * MARGIN;
        layout.height = root.out.height + 2.0 * MARGIN;
    }
    layout
}
