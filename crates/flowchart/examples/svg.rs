//! Renders a flowchart file to SVG on stdout: `cargo run -p flowchart --example svg -- chart.mmd`.
//! With `--alt`, prints the HTML text alternative instead.

use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let alt = args.iter().any(|a| a == "--alt");
    let src = match args.iter().find(|a| !a.starts_with("--")) {
        Some(path) => std::fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(2)
        }),
        None => {
            let mut s = String::new();
            let _ = std::io::stdin().read_to_string(&mut s);
            s
        }
    };
    match flowchart::render(&src, &flowchart::RenderOptions::default()) {
        Ok(out) if alt => print!("{}", out.text_alternative),
        Ok(out) => print!("{}", out.svg),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    }
}
