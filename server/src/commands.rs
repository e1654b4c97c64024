//! Command-line tools beside `serve`: `server content check`, ...

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use app::backend::content::ContentStore;

/// Loads all content, or fails with every problem listed as `file:line: message`.
pub fn load_content(dir: &Path) -> anyhow::Result<ContentStore> {
    ContentStore::load(dir).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!(
            "the content in {} has {} problem(s):\n{}",
            dir.display(),
            list.len(),
            list.join("\n")
        )
    })
}

/// `server content check`: validates everything the server would load at startup.
pub fn content_check(dir: &Path) -> ExitCode {
    match ContentStore::load(dir) {
        Ok(store) => {
            for exam in &store.exams {
                let headings: usize = exam.pages.iter().map(|p| p.headings.len()).sum();
                println!(
                    "{}: {} reference pages, {headings} headings, {} diagrams: ok",
                    exam.meta.code,
                    exam.pages.len(),
                    exam.diagrams.len()
                );
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            eprintln!("{} problem(s) found", errors.len());
            ExitCode::FAILURE
        }
    }
}

/// `server render-diagram`: flowchart text on stdin, SVG (or its text alternative) on stdout.
pub fn render_diagram(title: &str, text_alternative: bool) -> ExitCode {
    let mut src = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut src) {
        eprintln!("error: cannot read the diagram from stdin: {err}");
        return ExitCode::FAILURE;
    }
    let options = flowchart::RenderOptions {
        id_prefix: "diagram".to_string(),
        title: title.to_string(),
        ..Default::default()
    };
    match flowchart::render(&src, &options) {
        Ok(rendered) => {
            let out = if text_alternative {
                rendered.text_alternative
            } else {
                rendered.svg
            };
            let mut stdout = std::io::stdout().lock();
            if writeln!(stdout, "{out}").is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("<stdin>:{err}");
            ExitCode::FAILURE
        }
    }
}
