//! The `server` binary: reads the configuration and hands over to [`server::run`].

use clap::Parser;

/// mimalloc instead of the system allocator: with glibc's, a quarter of the CPU time of a
/// request under load went to allocating and freeing across the two worker threads (see
/// bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = server::config::Cli::parse();
    server::run(cli)
}
