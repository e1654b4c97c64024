//! Command-line tools beside `serve`: `server content check`, ...

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
                    "{}: {} reference pages, {headings} headings: ok",
                    exam.meta.code,
                    exam.pages.len()
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
