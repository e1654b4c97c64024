//! The `server` binary: reads the configuration and hands over to [`server::run`].

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = server::config::Cli::parse();
    server::run(cli)
}
