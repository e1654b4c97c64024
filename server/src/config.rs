//! Configuration from command-line flags and environment variables, with defaults that make
//! `make run` work on a fresh machine.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Self-hosted exam practice platform (AI-300: MLOps Engineer Associate).
#[derive(Clone, Debug, Parser)]
#[command(name = "server", version, about)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long, env = "BIND_ADDRESS", default_value = "127.0.0.1", global = true)]
    pub bind: IpAddr,

    /// TCP port to listen on (0 picks a free port).
    #[arg(long, env = "PORT", default_value_t = 3000, global = true)]
    pub port: u16,

    /// PostgreSQL connection URL. When unset, a private cluster is started under --data-dir.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Folder for the embedded PostgreSQL cluster and other local state.
    #[arg(long, env = "DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Log filter: a level (error, warn, info, debug, trace) or a tracing directive list.
    #[arg(long, env = "LOG_LEVEL", default_value = "info", global = true)]
    pub log_level: String,

    /// Folder holding the study content (`exams/<code>/...`).
    #[arg(long, env = "CONTENT_DIR", default_value = "content", global = true)]
    pub content_dir: PathBuf,

    /// Folder the built site (wasm, JS, CSS) is served from.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,

    /// The address people use to reach the site (such as https://exam.example.org). With an
    /// https URL the session cookie is marked Secure; cross-site form posts are checked against
    /// its origin.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Sign-ups allowed from one client address in 15 minutes (each costs a password hash);
    /// 0 turns the limit off. Raise it when a whole class signs up behind one address.
    #[arg(
        long,
        env = "SIGN_UPS_PER_ADDRESS",
        default_value_t = 30,
        global = true
    )]
    pub sign_ups_per_address: i64,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do; serving the web app is the default.
#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Work with the study content.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Manage accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Import and export question banks (Moodle GIFT).
    #[command(subcommand)]
    Bank(BankCommand),
    /// Draw a flowchart: mermaid-like text on stdin, SVG on stdout, errors on stderr.
    RenderDiagram {
        /// Title for the SVG's <title> (screen readers).
        #[arg(long, default_value = "Diagram")]
        title: String,
        /// Print the text alternative (HTML lists) instead of the SVG.
        #[arg(long)]
        text: bool,
    },
}

/// `server content ...`
#[derive(Clone, Debug, Subcommand)]
pub enum ContentCommand {
    /// Validate all content; print each problem as file:line: message and exit non-zero.
    Check,
    /// Count the questions by item type, exam domain and reference page.
    Stats {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Search the default exam pack as /search does (for authors checking what a query finds).
    Search {
        /// The query, as a learner would type it.
        query: String,
        /// Only this exam domain (its id in exam.toml).
        #[arg(long)]
        domain: Option<String>,
    },
}

/// `server admin ...`
#[derive(Clone, Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account. The password is read from the first line of stdin, so it never
    /// appears in the shell history or the process list.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Make the account a site admin (can list and disable accounts).
        #[arg(long)]
        admin: bool,
    },
    /// List the accounts.
    ListUsers,
}

/// `server bank ...`
#[derive(Clone, Debug, Subcommand)]
pub enum BankCommand {
    /// Import a GIFT file into a group's private bank (all or nothing; every problem is listed
    /// with its line).
    Import {
        /// The GIFT file.
        file: PathBuf,
        /// The group's id (from its address, /groups/ID).
        #[arg(long)]
        group: i64,
    },
    /// Export the exam's bank as GIFT (the item types GIFT can express) to stdout.
    Export,
}
