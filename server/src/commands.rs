//! Command-line tools beside `serve`: `server content check`, ...

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use content::ContentStore;

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
            let mut ok = true;
            for exam in &store.exams {
                let headings: usize = exam.pages.iter().map(|p| p.headings.len()).sum();
                println!(
                    "{}: {} reference pages, {headings} headings, {} diagrams, {} glossary terms: ok",
                    exam.meta.code,
                    exam.pages.len(),
                    exam.diagrams.len(),
                    exam.glossary.len()
                );
                ok &= check_relevance(exam);
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
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

/// Scores the pack's search relevance set; false when a query names an unknown section or
/// the top-3 hit rate is under the minimum.
fn check_relevance(exam: &content::ExamPack) -> bool {
    use content::search::{MIN_TOP3_RATE, relevance};
    match relevance(exam) {
        Ok(None) => true,
        Ok(Some(report)) => {
            for (q, expected, got) in &report.misses {
                println!(
                    "  search miss: \"{q}\" expected {} got {}",
                    expected.join(" | "),
                    got.join(", ")
                );
            }
            let rate = report.top3_rate();
            println!(
                "{}: search relevance: {}/{} queries find their section in the top 3 ({:.1}%, \
                 at least {:.0}% needed), {} first",
                exam.meta.code,
                report.top3,
                report.queries,
                100.0 * rate,
                100.0 * MIN_TOP3_RATE,
                report.top1
            );
            rate >= MIN_TOP3_RATE
        }
        Err(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            false
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

/// `server content search QUERY [--domain ID]`: what /search shows for a query, as text.
pub fn content_search(dir: &Path, query: &str, domain: Option<&str>) -> ExitCode {
    let store = match load_content(dir) {
        Ok(store) => store,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let exam = store.default_exam();
    let started = std::time::Instant::now();
    let groups = exam.search.search(exam, query, domain, &Default::default());
    let took = started.elapsed();
    let mut out = std::io::stdout().lock();
    for group in &groups {
        let _ = writeln!(out, "{}", group.kind.group_title());
        for hit in &group.hits {
            let _ = writeln!(out, "  {}  ({})  {}", hit.heading, hit.page_title, hit.url);
        }
    }
    if groups.is_empty() {
        let _ = writeln!(out, "nothing found");
    }
    let _ = writeln!(out, "({} ms)", took.as_secs_f64() * 1000.0);
    ExitCode::SUCCESS
}

/// `server content stats [--json]`: question counts by item type, exam domain, objective and
/// page.
pub fn content_stats(dir: &Path, json: bool) -> ExitCode {
    use std::collections::BTreeMap;
    let store = match load_content(dir) {
        Ok(store) => store,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut report = serde_json::Map::new();
    for exam in &store.exams {
        let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_domain: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_page: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_objective: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_domain_and_type: BTreeMap<String, usize> = BTreeMap::new();
        for page in &exam.pages {
            by_page.insert(&page.front.slug, 0);
        }
        for domain in &exam.meta.domains {
            by_domain.insert(&domain.id, 0);
        }
        for objective in &exam.meta.objectives {
            by_objective.insert(&objective.id, 0);
        }
        for question in &exam.bank.questions {
            *by_type.entry(question.item_type().as_str()).or_default() += 1;
            *by_domain.entry(&question.def.domain).or_default() += 1;
            *by_page.entry(&question.page).or_default() += 1;
            *by_objective.entry(&question.def.objective).or_default() += 1;
            *by_domain_and_type
                .entry(format!(
                    "{} {}",
                    question.def.domain,
                    question.item_type().as_str()
                ))
                .or_default() += 1;
        }
        report.insert(
            exam.meta.code.clone(),
            serde_json::json!({
                "questions": exam.bank.len(),
                "by_item_type": by_type,
                "by_domain": by_domain,
                "by_domain_and_item_type": by_domain_and_type,
                "by_objective": by_objective,
                "by_page": by_page,
            }),
        );
    }
    let out = if json {
        serde_json::to_string_pretty(&report).unwrap_or_default()
    } else {
        let mut text = String::new();
        for (exam, stats) in &report {
            text.push_str(&format!("{exam}: {} questions\n", stats["questions"]));
            for group in [
                "by_item_type",
                "by_domain",
                "by_domain_and_item_type",
                "by_objective",
                "by_page",
            ] {
                text.push_str(&format!("  {}\n", group.replace('_', " ")));
                if let Some(map) = stats[group].as_object() {
                    for (name, count) in map {
                        text.push_str(&format!("    {name:<28} {count}\n"));
                    }
                }
            }
        }
        text
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{}", out.trim_end()).is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `server admin ...`: account management against the configured (or embedded) database.
pub async fn admin(
    cli: &crate::config::Cli,
    command: &crate::config::AdminCommand,
) -> anyhow::Result<()> {
    use crate::config::AdminCommand;
    let (pool, embedded) = crate::startup::connect(cli).await?;
    let result = async {
        services::db::MIGRATOR
            .run(&pool)
            .await
            .map_err(anyhow::Error::from)?;
        match command {
            AdminCommand::CreateUser { email, name, admin } => {
                let mut password = String::new();
                if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                    eprint!("Password (at least 12 characters; shown as you type): ");
                    std::io::stderr().flush().ok();
                }
                std::io::stdin().read_line(&mut password)?;
                let password = password.trim_end_matches(['\r', '\n']).to_string();
                let user_id =
                    services::auth::create_user_cli(&pool, email, name, password, *admin).await?;
                println!(
                    "created {} account {user_id} for {}",
                    if *admin { "site admin" } else { "learner" },
                    email.trim().to_lowercase()
                );
                Ok(())
            }
            AdminCommand::ListUsers => {
                let accounts = services::auth::list_accounts(&pool)
                    .await
                    .map_err(|err| anyhow::anyhow!("{err}"))?;
                println!(
                    "{:>6}  {:<32} {:<24} {:<8} {:<9} {:>7}",
                    "id", "email", "name", "role", "status", "answers"
                );
                for a in accounts {
                    println!(
                        "{:>6}  {:<32} {:<24} {:<8} {:<9} {:>7}",
                        a.user_id,
                        a.email,
                        a.display_name,
                        if a.is_admin { "admin" } else { "learner" },
                        if a.disabled { "disabled" } else { "active" },
                        a.answers
                    );
                }
                Ok(())
            }
        }
    }
    .await;
    pool.close().await;
    if let Some(pg) = embedded {
        pg.stop().await;
    }
    result
}

/// `server bank export`: our bank as GIFT on stdout; what GIFT cannot express on stderr.
pub fn bank_export(dir: &Path) -> ExitCode {
    let store = match load_content(dir) {
        Ok(store) => store,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let (text, skipped) = services::bank::export(store.default_exam());
    print!("{text}");
    for (id, why) in &skipped {
        eprintln!("skipped {id}: {why}");
    }
    ExitCode::SUCCESS
}

/// `server bank import FILE --group ID`: a GIFT file into a group's bank, all or nothing.
pub async fn bank_import(cli: &crate::config::Cli, file: &Path, group: i64) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", file.display()))?;
    let (pool, embedded) = crate::startup::connect(cli).await?;
    let result = async {
        services::db::MIGRATOR.run(&pool).await?;
        let exists: bool =
            sqlx::query_scalar("select exists(select 1 from study_group where group_id = $1)")
                .bind(group)
                .fetch_one(&pool)
                .await?;
        if !exists {
            anyhow::bail!("there is no group {group}");
        }
        match services::bank::import(&pool, group, None, &text).await {
            Ok(summary) => {
                println!(
                    "imported {} question(s) into group {group}",
                    summary.imported
                );
                for line in summary.skipped {
                    println!("skipped {line}");
                }
                Ok(())
            }
            Err(shared::error::AppError::Validation(fields)) => {
                for messages in fields.values() {
                    for message in messages {
                        eprintln!("{}:{}", file.display(), message.trim_start_matches("line "));
                    }
                }
                anyhow::bail!("nothing was imported")
            }
            Err(err) => anyhow::bail!("{err}"),
        }
    }
    .await;
    pool.close().await;
    if let Some(pg) = embedded {
        pg.stop().await;
    }
    result
}
