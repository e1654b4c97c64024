//! The exam practice server: configuration, telemetry, the embedded PostgreSQL cluster, the
//! axum router around the Leptos app, and the command-line tools (`server content check`, ...).

#![recursion_limit = "256"]

pub mod commands;
pub mod config;
pub mod embedded_pg;
pub mod guards;
pub mod page_cache;
pub mod startup;
pub mod telemetry;

use std::process::ExitCode;

use config::{Cli, Command, ContentCommand};

/// Runs the command the user asked for and turns any failure into one clear message.
pub fn run(cli: Cli) -> ExitCode {
    telemetry::init(&cli.log_level);
    match &cli.command {
        Some(Command::Content(ContentCommand::Check)) => {
            return commands::content_check(&cli.content_dir);
        }
        Some(Command::Content(ContentCommand::Stats { json })) => {
            return commands::content_stats(&cli.content_dir, *json);
        }
        Some(Command::Content(ContentCommand::Search { query, domain })) => {
            return commands::content_search(&cli.content_dir, query, domain.as_deref());
        }
        Some(Command::RenderDiagram { title, text }) => {
            return commands::render_diagram(title, *text);
        }
        Some(Command::Bank(config::BankCommand::Export)) => {
            return commands::bank_export(&cli.content_dir);
        }
        _ => {}
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command.clone().unwrap_or(Command::Serve) {
            Command::Serve => startup::serve(&cli).await,
            Command::Admin(admin) => commands::admin(&cli, &admin).await,
            Command::Bank(config::BankCommand::Import { file, group }) => {
                commands::bank_import(&cli, &file, group).await
            }
            Command::Bank(config::BankCommand::Export) => Ok(()),
            Command::Content(_) | Command::RenderDiagram { .. } => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One message with its causes, for a person to act on; no backtrace noise.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
