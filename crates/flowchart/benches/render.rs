//! Times parse + layout + render on generated charts.
//!
//! Run with `cargo bench -p flowchart`. Prints a table with the median of
//! several runs per chart.

use std::fmt::Write;
use std::time::{Duration, Instant};

const MLOPS: &str = "flowchart LR
A[Source control<br/>code, YAML, tests] --> B[CI validation<br/>lint, unit tests, schema checks]
B --> C[Training pipeline<br/>data, compute, components]
C --> D[Evaluate<br/>metrics, bias, quality gates]
D -->|passes| E[Register asset<br/>model, env, component]
D -->|fails| C
E --> F[Deploy<br/>online or batch endpoint]
F --> G[Monitor<br/>logs, metrics, drift, quality]
G --> H[Trigger retraining<br/>manual or automated]
H --> C
";

/// xorshift64*: a tiny deterministic generator, so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A flowchart-like graph: mostly short forward edges, a few long ones and
/// back edges, some labels, shapes and subgraphs.
fn generate(n: usize, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let shapes = [
        ("[", "]"),
        ("(", ")"),
        ("{", "}"),
        ("([", "])"),
        ("[[", "]]"),
        ("{{", "}}"),
    ];
    let mut s = String::from("flowchart TD\n");
    let mut i = 0;
    while i < n {
        let group = (n - i).min(10);
        let in_subgraph = rng.chance(20);
        if in_subgraph {
            let _ = writeln!(s, "subgraph G{i} [Group {i}]");
        }
        for k in i..i + group {
            let (o, c) = shapes[rng.below(shapes.len() as u64) as usize];
            let _ = writeln!(s, "  N{k}{o}Step {k} does thing {}{c}", rng.below(1000));
        }
        if in_subgraph {
            s.push_str("end\n");
        }
        i += group;
    }
    for k in 0..n {
        if k + 1 < n && rng.chance(75) {
            let _ = writeln!(s, "N{k} --> N{}", k + 1);
        }
        if rng.chance(35) {
            let j = k + 2 + rng.below(6) as usize;
            if j < n {
                if rng.chance(30) {
                    let _ = writeln!(s, "N{k} -->|case {j}| N{j}");
                } else {
                    let _ = writeln!(s, "N{k} -.-> N{j}");
                }
            }
        }
        if k > 3 && rng.chance(4) {
            let j = k - 1 - rng.below(3) as usize;
            let _ = writeln!(s, "N{k} ==>|retry| N{j}");
        }
    }
    s
}

fn median_run(src: &str, runs: usize) -> (Duration, usize) {
    let opts = flowchart::RenderOptions::default();
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let out = flowchart::render(src, &opts).expect("generated charts parse");
        times.push(start.elapsed());
        size = out.svg.len();
        std::hint::black_box(out);
    }
    times.sort();
    (times[times.len() / 2], size)
}

/// The diagrams shipped as content (`content/exams/*/diagrams/*.mmd`), when the checkout has them.
fn content_diagrams() -> Vec<(String, String, usize)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/exams");
    let mut found = Vec::new();
    for exam in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        let dir = exam.path().join("diagrams");
        for file in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "mmd")
                && let Ok(src) = std::fs::read_to_string(&path)
            {
                let name = path.file_stem().unwrap_or_default().to_string_lossy();
                found.push((format!("content: {name}"), src, 21));
            }
        }
    }
    found.sort();
    found
}

fn main() {
    let mut cases: Vec<(String, String, usize)> = content_diagrams();
    cases.extend([
        ("MLOps loop (8 nodes)".to_string(), MLOPS.to_string(), 21),
        ("generated, 10 nodes".to_string(), generate(10, 1), 21),
        ("generated, 100 nodes".to_string(), generate(100, 2), 11),
        ("generated, 1000 nodes".to_string(), generate(1000, 3), 5),
    ]);
    println!("| chart | nodes | edges | runs | median parse+layout+render | SVG size |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, src, runs) in cases {
        let (nodes, edges) = flowchart::parse(&src)
            .map(|c| (c.nodes.len(), c.edges.len()))
            .unwrap_or((0, 0));
        let (t, size) = median_run(&src, runs);
        println!(
            "| {name} | {nodes} | {edges} | {runs} | {:.2} ms | {} KiB |",
            t.as_secs_f64() * 1000.0,
            size / 1024
        );
    }
}
