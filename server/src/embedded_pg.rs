//! The embedded database: a private PostgreSQL cluster under the project's data folder, run
//! from the system's PostgreSQL binaries, started with the server and stopped with it.
//!
//! PostgreSQL refuses to run as root, so when the server runs as root the cluster belongs to
//! the `postgres` system user and every PostgreSQL command runs through `runuser`. The cluster
//! only listens on a Unix socket inside the data folder: no TCP port, no clash with another
//! PostgreSQL on the machine, and no password needed.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;

/// Name of the database the app uses inside the embedded cluster.
pub const DATABASE_NAME: &str = "exam";
/// The cluster's superuser; trust authentication over the private socket only.
const SUPERUSER: &str = "postgres";
/// Port number, which for a socket-only cluster only names the socket file.
const PORT: u16 = 5432;
/// The system account that owns the cluster when the server runs as root.
const SYSTEM_USER: &str = "postgres";

/// A private PostgreSQL cluster in `<data-dir>/postgres`.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    cluster_dir: PathBuf,
    socket_dir: PathBuf,
    run_as: Option<&'static str>,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Finds the PostgreSQL binaries: on PATH first, then the newest `/usr/lib/postgresql/*/bin`.
    pub fn locate(data_dir: &Path) -> anyhow::Result<Self> {
        Self::locate_in(
            data_dir,
            std::env::var_os("PATH"),
            Path::new("/usr/lib/postgresql"),
        )
    }

    /// [`Self::locate`] with the search places given (for tests).
    fn locate_in(
        data_dir: &Path,
        path_var: Option<std::ffi::OsString>,
        lib_root: &Path,
    ) -> anyhow::Result<Self> {
        let Some(bin_dir) = find_bin_dir(path_var, lib_root) else {
            bail!(
                "no database configured: DATABASE_URL is not set and no PostgreSQL server binaries \
                 (initdb, pg_ctl) were found on PATH or under /usr/lib/postgresql/*/bin.\n\
                 Fix it either way:\n  \
                 - install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`), or\n  \
                 - point the app at a server: DATABASE_URL=postgres://user:password@host/db make run"
            );
        };
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
        let data_dir = data_dir
            .canonicalize()
            .with_context(|| format!("cannot resolve the data folder {}", data_dir.display()))?;
        let run_as = running_as_root().then_some(SYSTEM_USER);
        Ok(Self {
            bin_dir,
            cluster_dir: data_dir.join("postgres"),
            socket_dir: data_dir.join("run"),
            run_as,
            started_here: false,
        })
    }

    /// Creates the cluster on first use, starts it unless it is already running (a second app
    /// instance shares it), and makes sure the app's database exists.
    #[tracing::instrument(skip_all, fields(cluster = %self.cluster_dir.display()))]
    pub async fn start(&mut self) -> anyhow::Result<PgConnectOptions> {
        self.prepare_folders().await?;
        if !self.cluster_dir.join("PG_VERSION").exists() {
            tracing::info!("creating a new PostgreSQL cluster");
            self.pg_command("initdb")
                .arg("-D")
                .arg(&self.cluster_dir)
                .args([
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ])
                .arg("--no-instructions")
                .run_quietly()
                .await
                .context("initdb failed")?;
        }
        if self.is_running().await {
            tracing::info!("PostgreSQL cluster already running; sharing it");
        } else {
            let log = self.socket_dir.join("postgres.log");
            let options = format!(
                "-k {} -p {PORT} -c listen_addresses=''",
                self.socket_dir.display()
            );
            self.pg_command("pg_ctl")
                .arg("-D")
                .arg(&self.cluster_dir)
                .args(["-o", &options, "-l"])
                .arg(&log)
                .args(["-w", "-t", "60", "start"])
                .run_quietly()
                .await
                .with_context(|| {
                    format!("PostgreSQL did not start; see its log at {}", log.display())
                })?;
            self.started_here = true;
            tracing::info!("PostgreSQL cluster started");
        }
        self.create_database().await?;
        Ok(self.connect_options(DATABASE_NAME))
    }

    /// Stops the cluster if this process started it; a shared cluster is left running.
    pub async fn stop(&self) {
        if !self.started_here {
            return;
        }
        let result = self
            .pg_command("pg_ctl")
            .arg("-D")
            .arg(&self.cluster_dir)
            .args(["-m", "fast", "-w", "stop"])
            .run_quietly()
            .await;
        match result {
            Ok(()) => tracing::info!("PostgreSQL cluster stopped"),
            Err(err) => tracing::warn!(error = %format!("{err:#}"), "could not stop PostgreSQL"),
        }
    }

    /// Connection options for a database of the cluster, over its private socket.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    async fn prepare_folders(&self) -> anyhow::Result<()> {
        for (dir, mode) in [(&self.cluster_dir, 0o700), (&self.socket_dir, 0o755)] {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(mode))
                .with_context(|| format!("cannot set permissions on {}", dir.display()))?;
            if let Some(user) = self.run_as {
                let status = Command::new("chown")
                    .arg("-R")
                    .arg(format!("{user}:{user}"))
                    .arg(dir)
                    .status()
                    .await
                    .context("cannot run chown")?;
                if !status.success() {
                    bail!(
                        "cannot give {} to the `{user}` system user (needed because PostgreSQL \
                         refuses to run as root); does that user exist?",
                        dir.display()
                    );
                }
            }
        }
        Ok(())
    }

    async fn is_running(&self) -> bool {
        self.pg_command("pg_ctl")
            .arg("-D")
            .arg(&self.cluster_dir)
            .arg("status")
            .run_quietly()
            .await
            .is_ok()
    }

    async fn create_database(&self) -> anyhow::Result<()> {
        use sqlx::{ConnectOptions, Connection};
        let mut conn = self
            .connect_options("postgres")
            .connect()
            .await
            .context("cannot connect to the embedded PostgreSQL cluster")?;
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(DATABASE_NAME)
                .fetch_one(&mut conn)
                .await
                .context("cannot list databases")?;
        if !exists {
            sqlx::query(&format!("create database {DATABASE_NAME}"))
                .execute(&mut conn)
                .await
                .context("cannot create the app database")?;
        }
        conn.close().await.ok();
        Ok(())
    }

    /// A PostgreSQL tool, run as the cluster's owner.
    fn pg_command(&self, tool: &str) -> Command {
        let program = self.bin_dir.join(tool);
        match self.run_as {
            Some(user) => {
                let mut cmd = Command::new("runuser");
                cmd.args(["-u", user, "--"]).arg(program);
                cmd
            }
            None => Command::new(program),
        }
    }
}

/// Runs a command, keeping its output for the error message instead of the terminal.
trait RunQuietly {
    async fn run_quietly(&mut self) -> anyhow::Result<()>;
}

impl RunQuietly for Command {
    async fn run_quietly(&mut self) -> anyhow::Result<()> {
        let output = self
            .current_dir("/")
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .context("cannot run a PostgreSQL tool")?;
        if output.status.success() {
            Ok(())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            bail!("{}: {}", output.status, stderr.trim())
        }
    }
}

fn find_bin_dir(path_var: Option<std::ffi::OsString>, lib_root: &Path) -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(path) = path_var {
        for dir in std::env::split_paths(&path) {
            if has_tools(&dir) {
                // Resolve symlinks such as /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin.
                let real = dir.join("initdb").canonicalize().ok()?;
                return real.parent().map(Path::to_path_buf);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(lib_root)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn running_as_root() -> bool {
    // The owner of /proc/self is the process's effective user.
    std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_binaries_the_error_says_how_to_fix_it() {
        let empty = std::env::temp_dir().join(format!("no-pg-{}", std::process::id()));
        let err = EmbeddedPostgres::locate_in(&empty, Some(empty.clone().into_os_string()), &empty)
            .unwrap_err()
            .to_string();
        assert!(err.contains("DATABASE_URL"), "{err}");
        assert!(err.contains("apt-get install postgresql"), "{err}");
    }

    #[test]
    fn the_newest_installed_version_is_chosen() {
        let root = std::env::temp_dir().join(format!("pg-versions-{}", std::process::id()));
        for version in ["9", "15", "13"] {
            let bin = root.join(version).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            std::fs::write(bin.join("initdb"), "").unwrap();
            std::fs::write(bin.join("pg_ctl"), "").unwrap();
        }
        let found = find_bin_dir(None, &root).unwrap();
        assert_eq!(found, root.join("15").join("bin"));
        std::fs::remove_dir_all(&root).ok();
    }
}
