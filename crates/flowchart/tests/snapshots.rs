//! Golden SVG snapshots (`tests/snapshots/*.snap`). After an intended
//! change, review the new output and accept it with `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test -p flowchart --test snapshots`).

use flowchart::{RenderOptions, render};

fn svg(name: &str, src: &str) -> String {
    let opts = RenderOptions {
        id_prefix: format!("snap-{name}"),
        title: format!("Snapshot {name}"),
        description: String::new(),
    };
    match render(src, &opts) {
        Ok(out) => format!("{}\n{}", out.svg, out.text_alternative),
        Err(e) => panic!("{name}: {e}"),
    }
}

/// The MLOps loop from the seed content.
pub const MLOPS: &str = "flowchart LR
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

#[test]
fn mlops_loop() {
    insta::assert_snapshot!("mlops_loop", svg("mlops", MLOPS));
}

#[test]
fn shapes_and_strokes() {
    let src = "flowchart TD
    start([Start]) --> input[Read input]
    input --> check{Valid?}
    check -->|yes| store[(Database)]
    check -. no .-> fix(Fix the data)
    fix ==> input
    store --> sub[[Subroutine]]
    sub --> hex{{Prepare}}
    hex --> flag>Notify]
    flag --> done((Done))
    sub --- note[\"A note with (parens) &amp; #quot;quotes#quot;\"]";
    insta::assert_snapshot!("shapes_and_strokes", svg("shapes", src));
}

#[test]
fn subgraphs_styles_and_links() {
    let src = "flowchart TB
    classDef accent fill:#fde68a,stroke:#b45309,color:#1f2937
    classDef default stroke-width:2px
    user((Learner)) --> web
    subgraph app [Web app]
      web[Page] --> api[API]
      subgraph data [Data layer]
        api --> db[(Questions)]
        api --> cache[(Cache)]
      end
    end
    subgraph ops [Operations]
      direction LR
      build[Build] --> ship[Ship] --> watch[Watch]
    end
    api:::accent
    style db fill:#dbeafe,stroke:#1d4ed8
    click web \"/reference/web#pages\" \"How pages are built\"
    click db \"/reference/storage#questions\"";
    insta::assert_snapshot!("subgraphs_styles_and_links", svg("subgraphs", src));
}

#[test]
fn cycles_loops_and_labels() {
    let src = "flowchart BT
    a[Draft] -->|review| b[Review]
    b -->|changes requested| a
    b -->|approved| c[Merged]
    c --> d[Released]
    d -.->|hotfix| a
    b -->|comment| b
    c ==>|tag| d";
    insta::assert_snapshot!("cycles_loops_and_labels", svg("cycles", src));
}

#[test]
fn groups_and_chains_rl() {
    let src = "graph RL
    A & B --> C & D --> E
    E --> F --> G
    A --> G
    B -.- F";
    insta::assert_snapshot!("groups_and_chains_rl", svg("groups", src));
}

#[test]
fn lr_subgraphs_and_escaping() {
    let src = "flowchart LR
    subgraph in [\"Inputs <b>&</b> sources\"]
      direction LR
      csv[CSV files] & api[\"<script>alert(1)</script>\"]
    end
    subgraph proc [Processing]
      clean[Clean<br/>and validate] --> feat[Features]
    end
    csv --> clean
    api --> clean
    feat -- \"score > 0.5\" --> out([Report])
    click out \"#report\" \"Jump to the report\"";
    insta::assert_snapshot!("lr_subgraphs_and_escaping", svg("lr", src));
}
