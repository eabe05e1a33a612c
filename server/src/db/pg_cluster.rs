//! A throw-away PostgreSQL cluster for tests and benchmarks: `initdb` in a temporary directory,
//! a free port on loopback, the unix socket in the same directory, stopped (and the directory
//! removed) when the process that started it ends, however it ends. Needs the server binaries
//! (Debian's `postgresql`: `/usr/lib/postgresql/<version>/bin`, or `ROUNDS_PG_BIN`); touches
//! no other cluster and needs no running service.
//!
//! As root, the binaries run as the `postgres` user (`runuser`), which owns the directory:
//! PostgreSQL refuses to run as root.

use anyhow::{bail, Context};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct PgCluster {
    dir: PathBuf,
    port: u16,
    /// Holds the write end of the watchdog's stdin: when this process ends, the pipe closes and
    /// the watchdog stops the cluster.
    _watchdog: Child,
    next_db: AtomicU32,
}

/// Where the server binaries are: `ROUNDS_PG_BIN`, else the newest Debian install.
pub fn bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("ROUNDS_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed (/usr/lib/postgresql is missing; scripts/setup installs it)")?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).context("no PostgreSQL server binaries under /usr/lib/postgresql")
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
}

/// A command for one of the server binaries, as `postgres` when we are root.
fn pg_command(bin: &Path, program: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(program));
        c
    } else {
        Command::new(bin.join(program))
    }
}

fn run(mut c: Command, what: &str) -> anyhow::Result<()> {
    let out = c.output().with_context(|| format!("cannot run {what}"))?;
    if !out.status.success() {
        bail!("{what} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

impl PgCluster {
    /// Creates and starts a cluster for tests. Its databases compare text bytewise
    /// (`--locale=C`) and it does not fsync: it holds nothing worth a power cut.
    pub fn start() -> anyhow::Result<PgCluster> {
        PgCluster::launch(false)
    }

    /// As [`PgCluster::start`], but syncing every commit to disk as a deployment's PostgreSQL
    /// does (and SQLite's `synchronous=FULL`): for benchmarks, whose figures must not gain from
    /// a durability nobody would run with.
    pub fn start_durable() -> anyhow::Result<PgCluster> {
        PgCluster::launch(true)
    }

    fn launch(durable: bool) -> anyhow::Result<PgCluster> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new().prefix("rounds-pg-").tempdir()?.keep();
        if is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.arg("postgres:postgres").arg(&dir);
                    c
                },
                "chown",
            )?;
        }
        let data = dir.join("data");
        let mut initdb = pg_command(&bin, "initdb");
        initdb.arg("-D").arg(&data).args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        let sync = if durable { "" } else { " -c fsync=off -c synchronous_commit=off" };
        run(initdb, "initdb")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400{sync}", dir.display());
        let mut pg_ctl = pg_command(&bin, "pg_ctl");
        pg_ctl.arg("-D").arg(&data).arg("-o").arg(&options).arg("-l").arg(dir.join("log")).args(["-w", "start"]);
        run(pg_ctl, "pg_ctl start")?;
        // The watchdog waits for its stdin to close (this process ended), then stops the
        // cluster and removes its directory.
        let stop = format!(
            "cat >/dev/null; {} {} -D '{}' -m immediate stop >/dev/null 2>&1; rm -rf '{}'",
            if is_root() { "runuser -u postgres --" } else { "" },
            bin.join("pg_ctl").display(),
            data.display(),
            dir.display()
        );
        let mut watchdog = Command::new("sh").arg("-c").arg(stop).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
        // Nothing is ever written: the pipe only has to stay open.
        if let Some(stdin) = watchdog.stdin.as_mut() {
            stdin.flush()?;
        }
        Ok(PgCluster { dir, port, _watchdog: watchdog, next_db: AtomicU32::new(0) })
    }

    /// The URL of a database of this cluster.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a new empty database and answers its URL.
    pub async fn fresh_database(&self) -> anyhow::Result<String> {
        let name = format!("rounds_{}_{}", std::process::id(), self.next_db.fetch_add(1, Ordering::Relaxed));
        let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url("postgres")).await?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
        sqlx::Connection::close(admin).await?;
        Ok(self.url(&name))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// One cluster per process, started on first use.
pub fn shared() -> anyhow::Result<&'static PgCluster> {
    static CLUSTER: std::sync::OnceLock<Result<PgCluster, String>> = std::sync::OnceLock::new();
    CLUSTER.get_or_init(|| PgCluster::start().map_err(|e| format!("{e:#}"))).as_ref().map_err(|e| anyhow::anyhow!("{e}"))
}
