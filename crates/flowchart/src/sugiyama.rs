//! Layered (Sugiyama-style) layout of one scope: the whole chart, or a
//! subgraph that is drawn in its own direction.
//!
//! Everything is computed "top to bottom" (TB space) and transformed for the
//! other directions at the end. Steps:
//!
//! 1. break cycles (DFS back edges are reversed, in index order);
//! 2. rank with longest paths; every edge spans at least two ranks so that
//!    the odd ranks hold edge labels as dummy nodes; nodes with more outgoing
//!    than incoming edges are then pulled down next to their successors;
//! 3. give each subgraph (cluster) a title item, and long edges dummy items;
//! 4. order every layer with barycenter sweeps (a fixed number of them),
//!    keeping each cluster contiguous and clusters in the same relative order
//!    in every layer; the ordering with the fewest crossings wins;
//! 5. assign x with separation constraints between neighbours in a layer and
//!    shared left/right borders per cluster: the constraints form a DAG, and
//!    a few rounds of "move towards the neighbours, then project back onto the
//!    constraints" give a compact, feasible placement;
//! 6. assign y per layer, leaving room for cluster borders;
//! 7. route edges through their dummies: vertical inside layers, diagonal
//!    only in the gaps between layers, so they never cross a node.

use std::collections::{BTreeMap, VecDeque};

use crate::layout::{Point, Rect};
use crate::model::{Direction, Shape};
use crate::shapes::{Side, border_point};

/// Space between consecutive layers (a node layer and a label layer).
const RANK_GAP: f64 = 25.0;
/// Space between two nodes in a layer.
const NODE_SEP: f64 = 30.0;
/// Space between two edges passing through a layer.
const DUMMY_SEP: f64 = 12.0;
/// Space between an edge and a node.
const MIXED_SEP: f64 = 20.0;
/// Space between a cluster's border and its contents.
const PAD: f64 = 12.0;
/// Space between a cluster's border and things outside it.
const CLUSTER_SEP: f64 = 16.0;
/// Straight bit of an edge next to a node, outside the node's layer.
const STUB: f64 = 6.0;
/// Distance between the ports of edges leaving one side of a node.
const PORT_GAP: f64 = 12.0;
/// How far a self-loop sticks out of its node, and the step between loops.
const LOOP_BASE: f64 = 16.0;
const LOOP_STEP: f64 = 10.0;
const LOOP_LABEL_GAP: f64 = 6.0;
/// Size of the invisible item that keeps an empty cluster visible.
const PLACEHOLDER: (f64, f64) = (40.0, 16.0);

/// Something to place: a node or a nested block.
pub(crate) struct ScopeItem {
    /// Final (not TB-space) width and height.
    pub size: (f64, f64),
    /// The outline of a node (blocks have none).
    pub shape: Option<Shape>,
    /// Innermost cluster (index into `ScopeInput::clusters`).
    pub cluster: Option<usize>,
}

/// An edge between two items.
pub(crate) struct ScopeEdge {
    pub from: usize,
    pub to: usize,
    /// Final width and height of the label box.
    pub label: Option<(f64, f64)>,
    /// Minimum length in ranks (before doubling).
    pub minlen: usize,
}

/// A subgraph drawn inline, as a titled box around its items.
pub(crate) struct ScopeCluster {
    /// Enclosing cluster; must have a smaller index.
    pub parent: Option<usize>,
    /// Final width and height of the title box.
    pub title: (f64, f64),
}

pub(crate) struct ScopeInput {
    pub dir: Direction,
    pub items: Vec<ScopeItem>,
    pub edges: Vec<ScopeEdge>,
    pub clusters: Vec<ScopeCluster>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Route {
    pub points: Vec<Point>,
    pub label: Option<Rect>,
}

pub(crate) struct ScopeOutput {
    pub width: f64,
    pub height: f64,
    /// Node/block boxes, per input item.
    pub items: Vec<Rect>,
    /// Routes, per input edge.
    pub edges: Vec<Route>,
    /// (box, title box) per input cluster.
    pub clusters: Vec<(Rect, Rect)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Real,
    Placeholder,
    Title(usize),
    Dummy(usize),
    Label(usize),
}

/// Half extents of an item in TB space, around its centre.
#[derive(Debug, Clone, Copy, Default)]
struct Ext {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Item(usize),
    Open(usize),
    Close(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Nbrs {
    Up,
    Down,
    Both,
}

/// Crossings, layer orders and token streams of one ordering.
type Snapshot = (usize, Vec<Vec<usize>>, Vec<Vec<Tok>>);

#[derive(Debug, Clone, Copy)]
enum Entry {
    Item(usize),
    Cluster(usize),
}

struct Work<'a> {
    inp: &'a ScopeInput,
    n_real: usize,
    nc: usize,
    cparent: Vec<Option<usize>>,
    cdepth: Vec<usize>,
    kind: Vec<Kind>,
    cluster: Vec<Option<usize>>,
    rank: Vec<usize>,
    ext: Vec<Ext>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// Items of each edge from tail to head in TB space (empty for loops).
    chains: Vec<Vec<usize>>,
    reversed: Vec<bool>,
    loops: Vec<Vec<usize>>,
    lo: Vec<usize>,
    hi: Vec<usize>,
    title_item: Vec<usize>,
    layers: Vec<Vec<usize>>,
    toks: Vec<Vec<Tok>>,
    pos: Vec<usize>,
    layer_clusters: Vec<Vec<usize>>,
}

fn tb_size(horizontal: bool, s: (f64, f64)) -> (f64, f64) {
    if horizontal { (s.1, s.0) } else { s }
}

fn ext_of(s: (f64, f64)) -> Ext {
    Ext {
        left: s.0 / 2.0,
        right: s.0 / 2.0,
        top: s.1 / 2.0,
        bottom: s.1 / 2.0,
    }
}

/// Lays out one scope.
pub(crate) fn layout_scope(inp: &ScopeInput) -> ScopeOutput {
    let mut w = Work::new(inp);
    w.rank_items();
    w.cluster_ranges();
    w.make_dummies();
    w.order();
    let x = w.x_coords();
    w.output(&x)
}

impl<'a> Work<'a> {
    fn horizontal(&self) -> bool {
        self.inp.dir.is_horizontal()
    }

    fn new(inp: &'a ScopeInput) -> Work<'a> {
        let horizontal = inp.dir.is_horizontal();
        let nc = inp.clusters.len();
        let mut cparent = vec![None; nc];
        let mut cdepth = vec![1usize; nc];
        for (c, cl) in inp.clusters.iter().enumerate() {
            if let Some(p) = cl.parent.filter(|&p| p < c) {
                cparent[c] = Some(p);
                cdepth[c] = cdepth[p] + 1;
            }
        }
        let n_real = inp.items.len();
        let mut kind = Vec::new();
        let mut cluster = Vec::new();
        let mut ext = Vec::new();
        for it in &inp.items {
            kind.push(Kind::Real);
            cluster.push(it.cluster.filter(|&c| c < nc));
            ext.push(ext_of(tb_size(horizontal, it.size)));
        }
        // Empty clusters get an invisible placeholder so that they show.
        let mut has_content = vec![false; nc];
        for c in cluster.iter().flatten() {
            has_content[*c] = true;
        }
        for p in cparent.iter().flatten() {
            has_content[*p] = true;
        }
        for (c, has) in has_content.iter().enumerate() {
            if !has {
                kind.push(Kind::Placeholder);
                cluster.push(Some(c));
                ext.push(ext_of(tb_size(horizontal, PLACEHOLDER)));
            }
        }
        // Self-loops: reserve room on the right (TB space) of their node.
        let mut loops = vec![Vec::new(); n_real];
        for (e, edge) in inp.edges.iter().enumerate() {
            if edge.from == edge.to && edge.from < n_real {
                loops[edge.from].push(e);
            }
        }
        for (v, list) in loops.iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let k = list.len() as f64;
            let mut reserve = LOOP_BASE + LOOP_STEP * (k - 1.0) + 2.0;
            let mut half_h: f64 = 0.0;
            for &e in list {
                if let Some(l) = inp.edges[e].label {
                    let (lw, lh) = tb_size(horizontal, l);
                    reserve += LOOP_LABEL_GAP + lw;
                    half_h = half_h.max(lh / 2.0);
                }
            }
            ext[v].right += reserve;
            ext[v].top = ext[v].top.max(half_h);
            ext[v].bottom = ext[v].bottom.max(half_h);
        }
        let n = kind.len();
        Work {
            inp,
            n_real,
            nc,
            cparent,
            cdepth,
            kind,
            cluster,
            rank: vec![0; n],
            ext,
            up: Vec::new(),
            down: Vec::new(),
            chains: vec![Vec::new(); inp.edges.len()],
            reversed: vec![false; inp.edges.len()],
            loops,
            lo: vec![usize::MAX; nc],
            hi: vec![0; nc],
            title_item: vec![0; nc],
            layers: Vec::new(),
            toks: Vec::new(),
            pos: Vec::new(),
            layer_clusters: Vec::new(),
        }
    }

    /// Edges that take part in ranking: valid and not self-loops.
    fn is_ranked_edge(&self, e: usize) -> bool {
        let edge = &self.inp.edges[e];
        edge.from != edge.to && edge.from < self.n_real && edge.to < self.n_real
    }

    /// (tail, head) of an edge in the acyclic orientation.
    fn oriented(&self, e: usize) -> (usize, usize) {
        let edge = &self.inp.edges[e];
        if self.reversed[e] {
            (edge.to, edge.from)
        } else {
            (edge.from, edge.to)
        }
    }

    fn minlen(&self, e: usize) -> usize {
        2 * self.inp.edges[e].minlen.clamp(1, 64)
    }

    fn rank_items(&mut self) {
        let n = self.kind.len();
        let ne = self.inp.edges.len();
        let mut out = vec![Vec::new(); n];
        for e in 0..ne {
            if self.is_ranked_edge(e) {
                out[self.inp.edges[e].from].push(e);
            }
        }
        // 1. Cycle breaking: iterative DFS in index order; back edges reversed.
        let mut state = vec![0u8; n];
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack = vec![(root, 0usize)];
            while let Some(top) = stack.last_mut() {
                let v = top.0;
                if let Some(&e) = out[v].get(top.1) {
                    top.1 += 1;
                    let w = self.inp.edges[e].to;
                    match state[w] {
                        0 => {
                            state[w] = 1;
                            stack.push((w, 0));
                        }
                        1 => self.reversed[e] = true,
                        _ => {}
                    }
                } else {
                    state[v] = 2;
                    stack.pop();
                }
            }
        }
        // 2. Longest-path ranking over the acyclic orientation.
        let mut oout = vec![Vec::new(); n];
        let mut indeg = vec![0usize; n];
        for e in 0..ne {
            if self.is_ranked_edge(e) {
                let (t, h) = self.oriented(e);
                oout[t].push(e);
                indeg[h] += 1;
            }
        }
        let in_count = indeg.clone();
        let mut queue: VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
        let mut topo = Vec::with_capacity(n);
        let mut seen = vec![false; n];
        while let Some(v) = queue.pop_front() {
            topo.push(v);
            seen[v] = true;
            for &e in &oout[v] {
                let (_, h) = self.oriented(e);
                indeg[h] -= 1;
                if indeg[h] == 0 {
                    queue.push_back(h);
                }
            }
        }
        // Never happens (the orientation is acyclic), but stay total.
        topo.extend((0..n).filter(|&v| !seen[v]));
        let tb_titles = self.inp.dir == Direction::TopBottom;
        for v in 0..n {
            self.rank[v] = match (tb_titles, self.cluster[v]) {
                (true, Some(c)) => self.cdepth[c],
                _ => 0,
            };
        }
        for &v in &topo {
            for &e in &oout[v] {
                let (_, h) = self.oriented(e);
                let r = self.rank[v] + self.minlen(e);
                if r > self.rank[h] {
                    self.rank[h] = r;
                }
            }
        }
        // Pull nodes with more outgoing than incoming edges down towards
        // their successors (shortens edges from sources).
        for &v in topo.iter().rev() {
            if oout[v].is_empty() || in_count[v] >= oout[v].len() {
                continue;
            }
            let target = oout[v]
                .iter()
                .map(|&e| {
                    let (_, h) = self.oriented(e);
                    self.rank[h].saturating_sub(self.minlen(e))
                })
                .min()
                .unwrap_or(self.rank[v]);
            if target > self.rank[v] {
                self.rank[v] = target;
            }
        }
    }

    /// Layer range of every cluster, and its title item.
    fn cluster_ranges(&mut self) {
        let horizontal = self.horizontal();
        for v in 0..self.kind.len() {
            if let Some(c) = self.cluster[v] {
                self.lo[c] = self.lo[c].min(self.rank[v]);
                self.hi[c] = self.hi[c].max(self.rank[v]);
            }
        }
        for c in (0..self.nc).rev() {
            if self.lo[c] > self.hi[c] {
                // Cannot happen (every cluster has content); be safe.
                self.lo[c] = 0;
                self.hi[c] = 0;
            }
            let title_layer = match self.inp.dir {
                Direction::TopBottom => self.lo[c].saturating_sub(1),
                Direction::BottomTop => self.hi[c] + 1,
                Direction::LeftRight => self.lo[c],
                Direction::RightLeft => self.hi[c],
            };
            self.lo[c] = self.lo[c].min(title_layer);
            self.hi[c] = self.hi[c].max(title_layer);
            let t = self.kind.len();
            self.kind.push(Kind::Title(c));
            self.cluster.push(Some(c));
            self.rank.push(title_layer);
            self.ext
                .push(ext_of(tb_size(horizontal, self.inp.clusters[c].title)));
            self.title_item[c] = t;
            if let Some(p) = self.cparent[c] {
                self.lo[p] = self.lo[p].min(self.lo[c]);
                self.hi[p] = self.hi[p].max(self.hi[c]);
            }
        }
    }

    fn lca(&self, a: Option<usize>, b: Option<usize>) -> Option<usize> {
        let (mut a, mut b) = (a, b);
        loop {
            match (a, b) {
                (Some(x), Some(y)) => {
                    if x == y {
                        return a;
                    }
                    let (dx, dy) = (self.cdepth[x], self.cdepth[y]);
                    if dx >= dy {
                        a = self.cparent[x];
                    }
                    if dy >= dx {
                        b = self.cparent[y];
                    }
                }
                _ => return None,
            }
        }
    }

    fn make_dummies(&mut self) {
        let horizontal = self.horizontal();
        for e in 0..self.inp.edges.len() {
            if !self.is_ranked_edge(e) {
                continue;
            }
            let (t, h) = self.oriented(e);
            let (rt, rh) = (self.rank[t], self.rank[h]);
            let (ct, ch) = (self.cluster[t], self.cluster[h]);
            let owner = self.lca(ct, ch);
            // While an edge passes the layers of a cluster that one of its
            // ends is in, its bends stay inside that cluster, so it crosses
            // the cluster's border at the top or bottom, not the sides.
            let inside = |start: Option<usize>, r: usize| {
                let mut c = start;
                while let Some(x) = c {
                    if Some(x) == owner {
                        return None;
                    }
                    if self.lo[x] <= r && r <= self.hi[x] {
                        return Some(x);
                    }
                    c = self.cparent[x];
                }
                None
            };
            let mid = rt + (rh.saturating_sub(rt)) / 2;
            let mut chain = vec![t];
            for r in rt + 1..rh {
                let home = match (inside(ct, r), inside(ch, r)) {
                    (Some(a), Some(b)) => Some(if r - rt <= rh - r { a } else { b }),
                    (Some(a), None) => Some(a),
                    (None, Some(b)) => Some(b),
                    (None, None) => owner,
                };
                let d = self.kind.len();
                let label = if r == mid {
                    self.inp.edges[e].label
                } else {
                    None
                };
                match label {
                    Some(size) => {
                        self.kind.push(Kind::Label(e));
                        self.ext.push(ext_of(tb_size(horizontal, size)));
                    }
                    None => {
                        self.kind.push(Kind::Dummy(e));
                        self.ext.push(Ext::default());
                    }
                }
                self.cluster.push(home);
                self.rank.push(r);
                chain.push(d);
            }
            chain.push(h);
            self.chains[e] = chain;
        }
        let n = self.kind.len();
        self.up = vec![Vec::new(); n];
        self.down = vec![Vec::new(); n];
        for chain in &self.chains {
            for pair in chain.windows(2) {
                if let [a, b] = *pair {
                    self.down[a].push(b);
                    self.up[b].push(a);
                }
            }
        }
        let max_rank = self.rank.iter().copied().max().unwrap_or(0);
        self.layers = vec![Vec::new(); max_rank + 1];
        for v in 0..n {
            self.layers[self.rank[v]].push(v);
        }
        self.layer_clusters = vec![Vec::new(); max_rank + 1];
        for c in 0..self.nc {
            for l in self.lo[c]..=self.hi[c].min(max_rank) {
                self.layer_clusters[l].push(c);
            }
        }
        self.pos = vec![0; n];
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                self.pos[v] = i;
            }
        }
    }

    // ----- ordering ------------------------------------------------------

    /// Orders one layer by `key`, keeping clusters contiguous and ordered
    /// by `ckey`; returns the items and the token stream with cluster borders.
    fn arrange(&self, l: usize, key: &[f64], key2: &[f64], ckey: &[f64]) -> (Vec<usize>, Vec<Tok>) {
        let mut items_by: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
        for &v in &self.layers[l] {
            items_by.entry(self.cluster[v]).or_default().push(v);
        }
        let mut clusters_by: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
        for &c in &self.layer_clusters[l] {
            clusters_by.entry(self.cparent[c]).or_default().push(c);
        }
        let entries = |scope: Option<usize>| -> Vec<Entry> {
            let mut v: Vec<(u8, f64, f64, u8, usize, Entry)> = Vec::new();
            for &i in items_by.get(&scope).map(Vec::as_slice).unwrap_or(&[]) {
                let pinned = matches!(self.kind[i], Kind::Title(_));
                v.push((
                    u8::from(!pinned),
                    key[i],
                    key2[i],
                    0,
                    self.pos[i],
                    Entry::Item(i),
                ));
            }
            for &c in clusters_by.get(&scope).map(Vec::as_slice).unwrap_or(&[]) {
                v.push((1, ckey[c], 0.0, 1, c, Entry::Cluster(c)));
            }
            v.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(a.1.total_cmp(&b.1))
                    .then(a.3.cmp(&b.3))
                    .then(a.2.total_cmp(&b.2))
                    .then(a.4.cmp(&b.4))
            });
            v.into_iter().map(|t| t.5).collect()
        };
        let mut order = Vec::with_capacity(self.layers[l].len());
        let mut toks = Vec::with_capacity(self.layers[l].len() + 2);
        let mut stack: Vec<(Option<usize>, Vec<Entry>, usize)> = vec![(None, entries(None), 0)];
        while let Some(frame) = stack.last_mut() {
            let Some(&entry) = frame.1.get(frame.2) else {
                if let Some(c) = frame.0 {
                    toks.push(Tok::Close(c));
                }
                stack.pop();
                continue;
            };
            frame.2 += 1;
            match entry {
                Entry::Item(i) => {
                    order.push(i);
                    toks.push(Tok::Item(i));
                }
                Entry::Cluster(c) => {
                    toks.push(Tok::Open(c));
                    stack.push((Some(c), entries(Some(c)), 0));
                }
            }
        }
        (order, toks)
    }

    fn bary(&self, v: usize, nbrs: &[usize]) -> f64 {
        if nbrs.is_empty() {
            self.pos[v] as f64
        } else {
            nbrs.iter().map(|&u| self.pos[u] as f64).sum::<f64>() / nbrs.len() as f64
        }
    }

    /// Per cluster: mean over its items of their barycenter (both sides).
    fn cluster_keys(&self) -> Vec<f64> {
        let mut sum = vec![0.0; self.nc];
        let mut cnt = vec![0usize; self.nc];
        for v in 0..self.kind.len() {
            if matches!(self.kind[v], Kind::Title(_)) {
                continue;
            }
            let nb: Vec<usize> = self.up[v].iter().chain(&self.down[v]).copied().collect();
            let b = self.bary(v, &nb);
            let mut c = self.cluster[v];
            while let Some(cc) = c {
                sum[cc] += b;
                cnt[cc] += 1;
                c = self.cparent[cc];
            }
        }
        (0..self.nc)
            .map(|c| {
                if cnt[c] > 0 {
                    sum[c] / cnt[c] as f64
                } else {
                    0.0
                }
            })
            .collect()
    }

    fn crossings(&self) -> usize {
        let mut total = 0usize;
        for l in 0..self.layers.len().saturating_sub(1) {
            let width = self.layers[l + 1].len();
            let mut segs: Vec<(usize, usize)> = Vec::new();
            for &u in &self.layers[l] {
                for &v in &self.down[u] {
                    segs.push((self.pos[u], self.pos[v]));
                }
            }
            segs.sort_unstable();
            // Fenwick tree over positions in layer l + 1.
            let mut tree = vec![0usize; width + 1];
            for (inserted, &(_, b)) in segs.iter().enumerate() {
                let mut i = b + 1;
                let mut le = 0usize;
                while i > 0 {
                    le += tree[i];
                    i &= i - 1;
                }
                total += inserted - le;
                let mut i = b + 1;
                while i <= width {
                    tree[i] += 1;
                    i += i & i.wrapping_neg();
                }
            }
        }
        total
    }

    /// Crossings between the edges of `u` and `v` (in one layer) when `u`
    /// is left of `v`.
    fn pair_crossings(&self, u: usize, v: usize) -> usize {
        let mut c = 0;
        for (nu, nv) in [(&self.up[u], &self.up[v]), (&self.down[u], &self.down[v])] {
            for &a in nu {
                for &b in nv {
                    if self.pos[a] > self.pos[b] {
                        c += 1;
                    }
                }
            }
        }
        c
    }

    /// Swaps neighbours in a layer (within one cluster) while that removes
    /// crossings; a bounded number of passes.
    fn transpose(&mut self, enabled: bool) {
        if !enabled {
            return;
        }
        for _ in 0..4 {
            let mut improved = false;
            for l in 0..self.layers.len() {
                for i in 0..self.toks[l].len().saturating_sub(1) {
                    let (Tok::Item(u), Tok::Item(v)) = (self.toks[l][i], self.toks[l][i + 1])
                    else {
                        continue;
                    };
                    if matches!(self.kind[u], Kind::Title(_))
                        || matches!(self.kind[v], Kind::Title(_))
                    {
                        continue;
                    }
                    if self.pair_crossings(v, u) < self.pair_crossings(u, v) {
                        self.toks[l].swap(i, i + 1);
                        let (pu, pv) = (self.pos[u], self.pos[v]);
                        self.layers[l].swap(pu, pv);
                        self.pos[u] = pv;
                        self.pos[v] = pu;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    fn apply(&mut self, l: usize, order: Vec<usize>, toks: Vec<Tok>) {
        for (i, &v) in order.iter().enumerate() {
            self.pos[v] = i;
        }
        self.layers[l] = order;
        self.toks[l] = toks;
    }

    /// Initial order of every layer: DFS discovery order from the top,
    /// visiting children first-to-last or last-to-first.
    fn initial_order(&mut self, reverse_children: bool) {
        let n = self.kind.len();
        let nl = self.layers.len();
        let mut key = vec![0.0; n];
        let mut seen = vec![false; n];
        let mut counter = 0usize;
        let roots: Vec<usize> = (0..n)
            .filter(|&v| self.up[v].is_empty())
            .chain(0..n)
            .collect();
        for root in roots {
            if seen[root] {
                continue;
            }
            let mut stack = vec![root];
            while let Some(v) = stack.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                key[v] = counter as f64;
                counter += 1;
                let children: Vec<usize> = if reverse_children {
                    self.down[v].clone()
                } else {
                    self.down[v].iter().rev().copied().collect()
                };
                for w in children {
                    if !seen[w] {
                        stack.push(w);
                    }
                }
            }
        }
        let mut sum = vec![0.0; self.nc];
        let mut cnt = vec![0usize; self.nc];
        for (v, k) in key.iter().enumerate() {
            let mut c = self.cluster[v];
            while let Some(cc) = c {
                sum[cc] += k;
                cnt[cc] += 1;
                c = self.cparent[cc];
            }
        }
        let ckey: Vec<f64> = (0..self.nc)
            .map(|c| {
                if cnt[c] > 0 {
                    sum[c] / cnt[c] as f64
                } else {
                    0.0
                }
            })
            .collect();
        self.toks = vec![Vec::new(); nl];
        for l in 0..nl {
            let (order, toks) = self.arrange(l, &key, &key, &ckey);
            self.apply(l, order, toks);
        }
    }

    /// Crossing reduction: barycenter sweeps (down and up, a fixed number),
    /// each followed by adjacent swaps, from two initial orders for small
    /// charts; the ordering with the fewest crossings wins.
    fn order(&mut self) {
        let n = self.kind.len();
        let nl = self.layers.len();
        let (starts, sweeps) = match n {
            0..=1500 => (2, 12),
            1501..=4000 => (1, 8),
            _ => (1, 4),
        };
        let mut best: Option<Snapshot> = None;
        let mut key = vec![0.0; n];
        let mut key2 = vec![0.0; n];
        for start in 0..starts {
            self.initial_order(start == 1);
            let c = self.crossings();
            if best.as_ref().is_none_or(|b| c < b.0) {
                best = Some((c, self.layers.clone(), self.toks.clone()));
            }
            for sweep in 0..sweeps {
                if best.as_ref().is_some_and(|b| b.0 == 0) {
                    break;
                }
                let downward = sweep % 2 == 0;
                let ckey = self.cluster_keys();
                let seq: Vec<usize> = if downward {
                    (0..nl).collect()
                } else {
                    (0..nl).rev().collect()
                };
                for l in seq {
                    // Ties are broken by the barycenter on the other side.
                    for &v in &self.layers[l] {
                        let (nb, other) = if downward {
                            (&self.up[v], &self.down[v])
                        } else {
                            (&self.down[v], &self.up[v])
                        };
                        key[v] = self.bary(v, nb);
                        key2[v] = self.bary(v, other);
                    }
                    let (order, toks) = self.arrange(l, &key, &key2, &ckey);
                    self.apply(l, order, toks);
                }
                self.transpose(n <= 4000);
                let c = self.crossings();
                if best.as_ref().is_none_or(|b| c < b.0) {
                    best = Some((c, self.layers.clone(), self.toks.clone()));
                }
            }
        }
        if let Some((_, layers, toks)) = best {
            self.layers = layers;
            self.toks = toks;
        }
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                self.pos[v] = i;
            }
        }
    }

    // ----- x coordinates ---------------------------------------------------

    /// True for a dummy of an edge that spans more than two ranks.
    fn is_long(&self, v: usize) -> bool {
        match self.kind[v] {
            Kind::Dummy(e) | Kind::Label(e) => self.chains.get(e).is_some_and(|c| c.len() > 3),
            _ => false,
        }
    }

    fn is_chain(&self, v: usize) -> bool {
        matches!(self.kind[v], Kind::Dummy(_) | Kind::Label(_))
    }

    fn tok_var(&self, t: Tok) -> usize {
        let n = self.kind.len();
        match t {
            Tok::Item(i) => i,
            Tok::Open(c) => n + 2 * c,
            Tok::Close(c) => n + 2 * c + 1,
        }
    }

    fn gap(&self, a: Tok, b: Tok) -> f64 {
        match (a, b) {
            (Tok::Item(i), Tok::Item(j)) => {
                let sep = match (
                    matches!(self.kind[i], Kind::Dummy(_)),
                    matches!(self.kind[j], Kind::Dummy(_)),
                ) {
                    (true, true) => DUMMY_SEP,
                    (false, false) => NODE_SEP,
                    _ => MIXED_SEP,
                };
                self.ext[i].right + sep + self.ext[j].left
            }
            (Tok::Item(i), Tok::Open(_)) => self.ext[i].right + CLUSTER_SEP,
            (Tok::Item(i), Tok::Close(_)) => self.ext[i].right + PAD,
            (Tok::Open(_), Tok::Item(j)) => PAD + self.ext[j].left,
            (Tok::Open(c), Tok::Close(d)) if c == d => 2.0 * PAD,
            (Tok::Open(_), _) => PAD,
            (Tok::Close(_), Tok::Close(_)) => PAD,
            (Tok::Close(_), Tok::Item(j)) => CLUSTER_SEP + self.ext[j].left,
            (Tok::Close(_), Tok::Open(_)) => CLUSTER_SEP,
        }
    }

    /// x for every item, then (left, right) border per cluster.
    fn x_coords(&self) -> Vec<f64> {
        let n = self.kind.len();
        let nv = n + 2 * self.nc;
        let mut preds: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nv];
        let mut succs: Vec<Vec<usize>> = vec![Vec::new(); nv];
        for toks in &self.toks {
            for pair in toks.windows(2) {
                if let [a, b] = *pair {
                    let (va, vb) = (self.tok_var(a), self.tok_var(b));
                    let g = self.gap(a, b);
                    preds[vb].push((va, g));
                    succs[va].push(vb);
                }
            }
        }
        // Topological order of the constraint graph (acyclic by construction).
        let mut indeg: Vec<usize> = preds.iter().map(Vec::len).collect();
        let mut queue: VecDeque<usize> = (0..nv).filter(|&v| indeg[v] == 0).collect();
        let mut topo = Vec::with_capacity(nv);
        let mut seen = vec![false; nv];
        while let Some(v) = queue.pop_front() {
            topo.push(v);
            seen[v] = true;
            for &w in &succs[v] {
                indeg[w] -= 1;
                if indeg[w] == 0 {
                    queue.push_back(w);
                }
            }
        }
        topo.extend((0..nv).filter(|&v| !seen[v]));

        // Weight of each variable when projecting: nodes resist being moved
        // more than edge bends; cluster borders just follow.
        let wt: Vec<f64> = (0..nv)
            .map(|v| match self.kind.get(v) {
                Some(Kind::Real) => 4.0,
                Some(Kind::Label(_) | Kind::Dummy(_)) if self.is_long(v) => 0.2,
                Some(Kind::Dummy(_) | Kind::Label(_) | Kind::Title(_) | Kind::Placeholder) => 1.0,
                None => 1e-3,
            })
            .collect();
        // Minimum distance between consecutive items of each layer, borders
        // of clusters in between included.
        let layer_gaps: Vec<Vec<f64>> = self
            .toks
            .iter()
            .map(|toks| {
                let mut gaps = Vec::new();
                let mut acc: Option<f64> = match toks.first() {
                    Some(Tok::Item(_)) => Some(0.0),
                    _ => None,
                };
                for pair in toks.windows(2) {
                    if let [a, b] = *pair {
                        if let Some(g) = acc.as_mut() {
                            *g += self.gap(a, b);
                        }
                        if let Tok::Item(_) = b {
                            if let Some(g) = acc {
                                gaps.push(g);
                            }
                            acc = Some(0.0);
                        }
                    }
                }
                gaps
            })
            .collect();
        let mut x = project(&vec![0.0; nv], &wt, &topo, &preds);
        // Gauss-Seidel sweeps: each layer moves towards its neighbours in the
        // layer above (down sweeps) or below (up sweeps), keeping its order
        // and spacing (pool-adjacent-violators); the last sweeps use both.
        let sweeps = match n {
            0..=3000 => 10,
            _ => 6,
        };
        let nl = self.layers.len();
        for sweep in 0..sweeps {
            let mode = if sweep + 2 >= sweeps {
                Nbrs::Both
            } else if sweep % 2 == 0 {
                Nbrs::Up
            } else {
                Nbrs::Down
            };
            let titles = self.desired(&x);
            let seq: Vec<usize> = if mode == Nbrs::Down {
                (0..nl).rev().collect()
            } else {
                (0..nl).collect()
            };
            for l in seq {
                let layer = &self.layers[l];
                let d: Vec<f64> = layer
                    .iter()
                    .map(|&v| match self.kind[v] {
                        Kind::Title(_) => titles[v],
                        _ => self.neighbour_mean(v, &x, mode).unwrap_or(x[v]),
                    })
                    .collect();
                let w: Vec<f64> = layer.iter().map(|&v| wt[v]).collect();
                let placed = pav(&d, &w, &layer_gaps[l]);
                for (&v, p) in layer.iter().zip(placed) {
                    x[v] = p;
                }
            }
        }
        // Cluster borders and titles, and any constraint the sweeps could
        // not see (borders shared between layers): one global projection.
        let d = self.desired_final(&x);
        project(&d, &wt, &topo, &preds)
    }

    /// Weighted mean position of a node's neighbours.
    fn neighbour_mean(&self, v: usize, x: &[f64], mode: Nbrs) -> Option<f64> {
        let list: Vec<usize> = match mode {
            Nbrs::Up => self.up[v].clone(),
            Nbrs::Down => self.down[v].clone(),
            Nbrs::Both => self.up[v].iter().chain(&self.down[v]).copied().collect(),
        };
        // A node with neighbours over short edges ignores its long edges.
        let any_short = !self.is_chain(v) && list.iter().any(|&u| !self.is_long(u));
        let mut sw = 0.0;
        let mut sx = 0.0;
        for u in list {
            if any_short && self.is_long(u) {
                continue;
            }
            // Long edges should bend around nodes rather than pull them.
            let w = match (self.is_chain(v), self.is_chain(u)) {
                (true, true) => 8.0,
                (false, false) => 1.0,
                (false, true) if self.is_long(u) => 0.25,
                _ => 2.0,
            };
            sw += w;
            sx += w * x[u];
        }
        (sw > 0.0).then(|| sx / sw)
    }

    /// Desired positions for the final projection: items stay where the
    /// sweeps put them; titles and borders follow their cluster.
    fn desired_final(&self, x: &[f64]) -> Vec<f64> {
        self.cluster_targets(x.to_vec())
    }

    /// Where every variable would like to be, given the current placement.
    fn desired(&self, x: &[f64]) -> Vec<f64> {
        let n = self.kind.len();
        let mut d = x.to_vec();
        for (v, dv) in d.iter_mut().enumerate().take(n) {
            if !matches!(self.kind[v], Kind::Title(_))
                && let Some(m) = self.neighbour_mean(v, x, Nbrs::Both)
            {
                *dv = m;
            }
        }
        self.cluster_targets(d)
    }

    /// Sets the desired positions of titles and cluster borders from the
    /// desired positions of the clusters' contents.
    fn cluster_targets(&self, mut d: Vec<f64>) -> Vec<f64> {
        let n = self.kind.len();
        let x = d.clone();
        let mut lo = vec![f64::INFINITY; self.nc];
        let mut hi = vec![f64::NEG_INFINITY; self.nc];
        for (v, dv) in d.iter().enumerate().take(n) {
            if matches!(self.kind[v], Kind::Title(_)) {
                continue;
            }
            if let Some(c) = self.cluster[v] {
                lo[c] = lo[c].min(dv - self.ext[v].left);
                hi[c] = hi[c].max(dv + self.ext[v].right);
            }
        }
        for c in (0..self.nc).rev() {
            let t = self.title_item[c];
            let e = self.ext[t];
            if lo[c] > hi[c] {
                d[t] = x[t];
            } else if self.horizontal() {
                d[t] = lo[c] - NODE_SEP - e.right;
            } else {
                // Left-aligned, so edges can come in through the middle.
                d[t] = lo[c] + e.left;
            }
            lo[c] = lo[c].min(d[t] - e.left);
            hi[c] = hi[c].max(d[t] + e.right);
            d[n + 2 * c] = lo[c] - PAD;
            d[n + 2 * c + 1] = hi[c] + PAD;
            if let Some(p) = self.cparent[c] {
                lo[p] = lo[p].min(lo[c] - PAD);
                hi[p] = hi[p].max(hi[c] + PAD);
            }
        }
        d
    }

    // ----- y coordinates, routing and output ---------------------------

    fn output(&self, x: &[f64]) -> ScopeOutput {
        let inp = self.inp;
        let n = self.kind.len();
        let nl = self.layers.len();
        let horizontal = self.horizontal();
        let dir = inp.dir;

        // Band extents per layer.
        let mut top_ext = vec![0.0f64; nl];
        let mut bot_ext = vec![0.0f64; nl];
        for (l, layer) in self.layers.iter().enumerate() {
            for &v in layer {
                top_ext[l] = top_ext[l].max(self.ext[v].top);
                bot_ext[l] = bot_ext[l].max(self.ext[v].bottom);
            }
        }
        // Room for cluster borders above/below their first/last layer.
        let mut top_extra = vec![PAD; self.nc];
        let mut bot_extra = vec![PAD; self.nc];
        let mut acc_top = vec![0.0f64; self.nc];
        let mut acc_bot = vec![0.0f64; self.nc];
        for c in (0..self.nc).rev() {
            top_extra[c] = PAD + acc_top[c];
            bot_extra[c] = PAD + acc_bot[c];
            if let Some(p) = self.cparent[c] {
                if self.lo[c] == self.lo[p] {
                    acc_top[p] = acc_top[p].max(top_extra[c]);
                }
                if self.hi[c] == self.hi[p] {
                    acc_bot[p] = acc_bot[p].max(bot_extra[c]);
                }
            }
        }
        let mut top_at = vec![0.0f64; nl];
        let mut bot_at = vec![0.0f64; nl];
        for c in 0..self.nc {
            if let Some(t) = top_at.get_mut(self.lo[c]) {
                *t = t.max(top_extra[c]);
            }
            if let Some(b) = bot_at.get_mut(self.hi[c]) {
                *b = b.max(bot_extra[c]);
            }
        }
        let mut y = vec![0.0f64; nl];
        let mut prev: Option<usize> = None;
        for l in 0..nl {
            if self.layers[l].is_empty() {
                continue;
            }
            y[l] = match prev {
                None => top_ext[l],
                Some(p) => y[p] + bot_ext[p] + RANK_GAP + bot_at[p] + top_at[l] + top_ext[l],
            };
            prev = Some(l);
        }
        let band_top = |l: usize| y[l] - top_ext[l];
        let band_bot = |l: usize| y[l] + bot_ext[l];

        let tf = |px: f64, py: f64| -> Point {
            match dir {
                Direction::TopBottom => Point { x: px, y: py },
                Direction::BottomTop => Point { x: px, y: -py },
                Direction::LeftRight => Point { x: py, y: px },
                Direction::RightLeft => Point { x: -py, y: px },
            }
        };
        let (out_side, in_side) = match dir {
            Direction::TopBottom => (Side::Bottom, Side::Top),
            Direction::BottomTop => (Side::Top, Side::Bottom),
            Direction::LeftRight => (Side::Right, Side::Left),
            Direction::RightLeft => (Side::Left, Side::Right),
        };

        // Item boxes (final orientation).
        let mut items: Vec<Rect> = (0..self.n_real)
            .map(|v| Rect::centered(tf(x[v], y[self.rank[v]]), inp.items[v].size))
            .collect();

        // Ports: spread the edges that leave or enter one side of a node.
        let ne = inp.edges.len();
        let mut start_off = vec![0.0f64; ne];
        let mut end_off = vec![0.0f64; ne];
        let mut outs: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.n_real];
        let mut ins: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.n_real];
        for (e, chain) in self.chains.iter().enumerate() {
            if let (Some(&t), Some(&h), Some(&next), Some(&before)) = (
                chain.first(),
                chain.last(),
                chain.get(1),
                chain.len().checked_sub(2).and_then(|i| chain.get(i)),
            ) {
                if t < self.n_real {
                    outs[t].push((self.pos[next], e));
                }
                if h < self.n_real {
                    ins[h].push((self.pos[before], e));
                }
            }
        }
        for v in 0..self.n_real {
            let width = tb_size(horizontal, inp.items[v].size).0;
            for (list, offs) in [(&mut outs[v], &mut start_off), (&mut ins[v], &mut end_off)] {
                list.sort_unstable();
                let k = list.len();
                if k < 2 {
                    continue;
                }
                let step = PORT_GAP.min(0.5 * width / (k - 1) as f64);
                for (i, &(_, e)) in list.iter().enumerate() {
                    offs[e] = (i as f64 - (k - 1) as f64 / 2.0) * step;
                }
            }
        }

        // Edges.
        let mut routes = vec![Route::default(); ne];
        for (e, chain) in self.chains.iter().enumerate() {
            let (Some(&t), Some(&h)) = (chain.first(), chain.last()) else {
                continue;
            };
            if chain.len() < 2 || t >= self.n_real || h >= self.n_real {
                continue;
            }
            let (lt, lh) = (self.rank[t], self.rank[h]);
            let so = start_off[e];
            let eo = end_off[e];
            let mut pts = vec![tf(x[t] + so, y[lt]), tf(x[t] + so, band_bot(lt) + STUB)];
            let mut label = None;
            for &d in chain.iter().take(chain.len() - 1).skip(1) {
                let ld = self.rank[d];
                pts.push(tf(x[d], band_top(ld)));
                if band_bot(ld) > band_top(ld) {
                    pts.push(tf(x[d], band_bot(ld)));
                }
                if let (Kind::Label(_), Some(size)) = (self.kind[d], inp.edges[e].label) {
                    label = Some(Rect::centered(tf(x[d], y[ld]), size));
                }
            }
            pts.push(tf(x[h] + eo, band_top(lh) - STUB));
            pts.push(tf(x[h] + eo, y[lh]));
            let shape_t = inp.items[t].shape.unwrap_or(Shape::Rect);
            let shape_h = inp.items[h].shape.unwrap_or(Shape::Rect);
            if let Some(first) = pts.first_mut() {
                *first = border_point(shape_t, &items[t], out_side, so);
            }
            if let Some(last) = pts.last_mut() {
                *last = border_point(shape_h, &items[h], in_side, eo);
            }
            if self.reversed[e] {
                pts.reverse();
            }
            routes[e] = Route {
                points: simplify(pts),
                label,
            };
        }

        // Self-loops, on the right (TB, BT) or below (LR, RL).
        for (v, list) in self.loops.iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let r = items[v];
            let shape = inp.items[v].shape.unwrap_or(Shape::Rect);
            let k = list.len() as f64;
            let mut cursor = LOOP_BASE + LOOP_STEP * (k - 1.0) + LOOP_LABEL_GAP;
            for (j, &e) in list.iter().enumerate() {
                let reach = LOOP_BASE + LOOP_STEP * j as f64;
                let frac = (0.3 + 0.2 * j as f64).min(0.9);
                let mut label = None;
                let points = if horizontal {
                    let o = r.width / 2.0 * frac;
                    let p1 = border_point(shape, &r, Side::Bottom, -o);
                    let p2 = border_point(shape, &r, Side::Bottom, o);
                    let yy = r.y + r.height + reach;
                    if let Some((lw, lh)) = inp.edges[e].label {
                        label = Some(Rect {
                            x: r.center().x - lw / 2.0,
                            y: r.y + r.height + cursor,
                            width: lw,
                            height: lh,
                        });
                        cursor += lh + LOOP_LABEL_GAP;
                    }
                    vec![p1, Point { x: p1.x, y: yy }, Point { x: p2.x, y: yy }, p2]
                } else {
                    let o = r.height / 2.0 * frac;
                    let p1 = border_point(shape, &r, Side::Right, -o);
                    let p2 = border_point(shape, &r, Side::Right, o);
                    let xx = r.x + r.width + reach;
                    if let Some((lw, lh)) = inp.edges[e].label {
                        label = Some(Rect {
                            x: r.x + r.width + cursor,
                            y: r.center().y - lh / 2.0,
                            width: lw,
                            height: lh,
                        });
                        cursor += lw + LOOP_LABEL_GAP;
                    }
                    vec![p1, Point { x: xx, y: p1.y }, Point { x: xx, y: p2.y }, p2]
                };
                routes[e] = Route { points, label };
            }
        }

        // Clusters.
        let mut clusters = Vec::with_capacity(self.nc);
        for c in 0..self.nc {
            let (l, r) = (x[n + 2 * c], x[n + 2 * c + 1]);
            let top = band_top(self.lo[c]) - top_extra[c];
            let bot = band_bot(self.hi[c]) + bot_extra[c];
            let a = tf(l, top);
            let b = tf(r, bot);
            let bx = Rect::spanning(a, b);
            let t = self.title_item[c];
            let title = Rect::centered(tf(x[t], y[self.rank[t]]), inp.clusters[c].title);
            clusters.push((bx, title));
        }

        // Normalise so that everything starts at (0, 0).
        let mut min = Point {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = Point {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        let mut grow = |r: &Rect| {
            min.x = min.x.min(r.x);
            min.y = min.y.min(r.y);
            max.x = max.x.max(r.x + r.width);
            max.y = max.y.max(r.y + r.height);
        };
        items.iter().for_each(&mut grow);
        for (b, t) in &clusters {
            grow(b);
            grow(t);
        }
        for route in &routes {
            for p in &route.points {
                grow(&Rect {
                    x: p.x,
                    y: p.y,
                    width: 0.0,
                    height: 0.0,
                });
            }
            if let Some(l) = &route.label {
                grow(l);
            }
        }
        if !min.x.is_finite() || !min.y.is_finite() {
            return ScopeOutput {
                width: 0.0,
                height: 0.0,
                items,
                edges: routes,
                clusters,
            };
        }
        let shift = |p: &mut Point| {
            p.x -= min.x;
            p.y -= min.y;
        };
        for r in items.iter_mut() {
            r.x -= min.x;
            r.y -= min.y;
        }
        for (b, t) in clusters.iter_mut() {
            b.x -= min.x;
            b.y -= min.y;
            t.x -= min.x;
            t.y -= min.y;
        }
        for route in routes.iter_mut() {
            route.points.iter_mut().for_each(shift);
            if let Some(l) = route.label.as_mut() {
                l.x -= min.x;
                l.y -= min.y;
            }
        }
        ScopeOutput {
            width: max.x - min.x,
            height: max.y - min.y,
            items,
            edges: routes,
            clusters,
        }
    }
}

/// Weighted isotonic regression with minimum gaps (pool adjacent
/// violators): the closest positions to `d` with
/// `x[j + 1] >= x[j] + gaps[j]`.
fn pav(d: &[f64], w: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut shift = Vec::with_capacity(d.len());
    let mut acc = 0.0;
    for j in 0..d.len() {
        if j > 0 {
            acc += gaps.get(j - 1).copied().unwrap_or(0.0);
        }
        shift.push(acc);
    }
    // Blocks of (sum of w * y, sum of w, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for j in 0..d.len() {
        let wj = w.get(j).copied().unwrap_or(1.0).max(1e-6);
        blocks.push((wj * (d[j] - shift[j]), wj, 1));
        while blocks.len() >= 2 {
            let (b, a) = (blocks[blocks.len() - 1], blocks[blocks.len() - 2]);
            if a.0 / a.1 <= b.0 / b.1 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
            }
        }
    }
    let mut out = Vec::with_capacity(d.len());
    for (sy, sw, cnt) in blocks {
        for _ in 0..cnt {
            let j = out.len();
            out.push(sy / sw + shift[j]);
        }
    }
    out
}

/// One block of variables that sit at fixed offsets from each other.
struct Block {
    vars: Vec<usize>,
    wsum: f64,
    /// Sum of weight * (desired - offset); `wdsum / wsum` is the position.
    wdsum: f64,
    /// Constraints (left var, right var, gap) into this block.
    ins: Vec<(usize, usize, f64)>,
}

/// Closest placement (weighted least squares, approximately) to `d` that
/// satisfies `x[r] >= x[l] + gap` for every constraint: the "satisfy" step of
/// the VPSC algorithm (Dwyer, Marriott, Stuckey). Variables are visited in
/// topological order; a variable's block merges with the block on the left
/// of its most violated incoming constraint until nothing is violated.
fn project(d: &[f64], wt: &[f64], topo: &[usize], preds: &[Vec<(usize, f64)>]) -> Vec<f64> {
    let nv = d.len();
    let mut block_of = vec![usize::MAX; nv];
    let mut off = vec![0.0f64; nv];
    let mut blocks: Vec<Block> = Vec::with_capacity(nv);
    for &v in topo {
        let b = blocks.len();
        let w = wt[v].max(1e-6);
        blocks.push(Block {
            vars: vec![v],
            wsum: w,
            wdsum: w * d[v],
            ins: preds[v].iter().map(|&(u, g)| (u, v, g)).collect(),
        });
        block_of[v] = b;
        let mut cur = b;
        loop {
            let posn = |blk: &Block| blk.wdsum / blk.wsum;
            let here = posn(&blocks[cur]);
            let mut worst: Option<(usize, usize, f64)> = None;
            let mut worst_v = 1e-7;
            {
                let block_of = &block_of;
                blocks[cur].ins.retain(|&(l, _, _)| block_of[l] != cur);
            }
            for &(l, r, g) in &blocks[cur].ins {
                let bl = block_of[l];
                let Some(left) = blocks.get(bl) else { continue };
                let viol = posn(left) + off[l] + g - (here + off[r]);
                if viol > worst_v {
                    worst_v = viol;
                    worst = Some((l, r, g));
                }
            }
            let Some((l, r, g)) = worst else { break };
            let bl = block_of[l];
            // Offset of cur's frame inside bl's frame.
            let delta = off[l] + g - off[r];
            if blocks[cur].vars.len() <= blocks[bl].vars.len() {
                let moving = std::mem::replace(
                    &mut blocks[cur],
                    Block {
                        vars: Vec::new(),
                        wsum: 1.0,
                        wdsum: 0.0,
                        ins: Vec::new(),
                    },
                );
                for &x in &moving.vars {
                    off[x] += delta;
                    block_of[x] = bl;
                }
                let target = &mut blocks[bl];
                target.wsum += moving.wsum;
                target.wdsum += moving.wdsum - delta * moving.wsum;
                target.vars.extend(moving.vars);
                target.ins.extend(moving.ins);
                cur = bl;
            } else {
                let moving = std::mem::replace(
                    &mut blocks[bl],
                    Block {
                        vars: Vec::new(),
                        wsum: 1.0,
                        wdsum: 0.0,
                        ins: Vec::new(),
                    },
                );
                for &x in &moving.vars {
                    off[x] -= delta;
                    block_of[x] = cur;
                }
                let target = &mut blocks[cur];
                target.wsum += moving.wsum;
                target.wdsum += moving.wdsum + delta * moving.wsum;
                target.vars.extend(moving.vars);
                target.ins.extend(moving.ins);
            }
        }
    }
    (0..nv)
        .map(|v| match blocks.get(block_of[v]) {
            Some(b) => b.wdsum / b.wsum + off[v],
            None => d[v],
        })
        .collect()
}

/// Drops repeated points and points in the middle of straight runs.
fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if let Some(last) = out.last()
            && (last.x - p.x).abs() < 1e-6
            && (last.y - p.y).abs() < 1e-6
        {
            continue;
        }
        if let (Some(a), Some(b)) = (
            out.len().checked_sub(2).and_then(|i| out.get(i)),
            out.last(),
        ) {
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
            let dot = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y);
            if cross.abs() < 1e-6 && dot >= 0.0 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
