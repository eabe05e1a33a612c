//! `rounds-server backup`: a consistent copy of a live SQLite database, taken while the server
//! runs (PostgreSQL is backed up with `pg_dump`: docs/deploy.md).
//!
//! The copy is SQLite's `VACUUM INTO`: one read transaction, so it is a snapshot of one moment
//! (WAL lets the server go on writing meanwhile), written compacted to a new file, photos
//! included (they are rows). Restoring it is putting the file back as `rounds.db` while the
//! server is stopped. The copy is then opened on its own and checked, so a backup that would not
//! restore is known at once rather than on the day it is needed.

use anyhow::Context;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What a backup wrote, as read back from the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub records: i64,
    pub accounts: i64,
    pub students: i64,
    pub photos: i64,
    /// The highest change number in the copy: a pull `since` it, from the live server, names
    /// what came after the backup.
    pub last_seq: i64,
}

impl std::fmt::Display for BackupReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "wrote {} ({:.1} MB): {} records, {} accounts, {} students, {} photos, up to change {}; integrity checked",
            self.path.display(),
            self.bytes as f64 / 1_048_576.0,
            self.records,
            self.accounts,
            self.students,
            self.photos,
            self.last_seq
        )
    }
}

/// The SQLite URL of the database the other commands open: `database_url` when given, else
/// `rounds.db` in the data directory (as `Store::open_data_dir`).
pub fn sqlite_url(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<String> {
    match database_url {
        Some(url) if url.starts_with("sqlite:") => Ok(url.to_string()),
        Some(url) if url.starts_with("postgres:") || url.starts_with("postgresql:") => {
            anyhow::bail!("rounds-server backup copies a SQLite database; back up PostgreSQL with pg_dump (docs/deploy.md)")
        }
        Some(url) => anyhow::bail!("not a database URL rounds-server knows: {url}"),
        None => Ok(format!("sqlite://{}", data_dir.join("rounds.db").display())),
    }
}

/// Copies the database at `url` (which must exist) to `to` (which must not), and checks the copy.
pub async fn sqlite(url: &str, to: &Path) -> anyhow::Result<BackupReport> {
    // Taking the name first, atomically: two backups to one name cannot both write it, and an
    // existing file is never overwritten. VACUUM INTO accepts an empty file.
    std::fs::OpenOptions::new().write(true).create_new(true).open(to).with_context(|| {
        if to.exists() {
            format!("{} already exists: a backup never overwrites a file; choose a new name", to.display())
        } else {
            format!("cannot create {}", to.display())
        }
    })?;
    match copy_and_check(url, to).await {
        Ok(report) => Ok(report),
        Err(e) => {
            // Nothing half-written is left to be mistaken for a backup.
            let _ = std::fs::remove_file(to);
            Err(e)
        }
    }
}

async fn copy_and_check(url: &str, to: &Path) -> anyhow::Result<BackupReport> {
    // Read-only and never created: a wrong path is an error, not a new empty database.
    let source = SqliteConnectOptions::from_str(url).with_context(|| format!("bad database URL {url}"))?.read_only(true).create_if_missing(false);
    let mut db = source.connect().await.with_context(|| format!("cannot open the database {url}"))?;
    let target = to.to_str().ok_or_else(|| anyhow::anyhow!("the backup path {} is not UTF-8", to.display()))?;
    sqlx::query("VACUUM INTO ?").bind(target).execute(&mut db).await.with_context(|| format!("cannot copy the database to {}", to.display()))?;
    db.close().await?;

    let mut copy =
        SqliteConnectOptions::new().filename(to).read_only(true).connect().await.with_context(|| format!("cannot open the copy {}", to.display()))?;
    let check: String = sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut copy).await?;
    anyhow::ensure!(check == "ok", "the copy {} fails SQLite's check: {check}", to.display());
    let count = |table: &'static str| format!("SELECT COUNT(*) FROM {table}");
    let mut report = BackupReport {
        path: to.to_path_buf(),
        bytes: std::fs::metadata(to)?.len(),
        records: sqlx::query_scalar(&count("records")).fetch_one(&mut copy).await?,
        accounts: sqlx::query_scalar(&count("users")).fetch_one(&mut copy).await?,
        students: sqlx::query_scalar(&count("students")).fetch_one(&mut copy).await?,
        photos: sqlx::query_scalar(&count("photos")).fetch_one(&mut copy).await?,
        last_seq: sqlx::query_scalar("SELECT value FROM change_seq WHERE id = 1").fetch_one(&mut copy).await?,
    };
    copy.close().await?;
    report.path = std::fs::canonicalize(to).unwrap_or(report.path);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_the_data_directory_s_file_or_the_sqlite_url_given() -> anyhow::Result<()> {
        assert_eq!(sqlite_url(Path::new("/var/lib/rounds"), None)?, "sqlite:///var/lib/rounds/rounds.db");
        assert_eq!(sqlite_url(Path::new("data"), Some("sqlite:///srv/r.db"))?, "sqlite:///srv/r.db");
        let pg = sqlite_url(Path::new("data"), Some("postgres://rounds@localhost/rounds")).unwrap_err().to_string();
        assert!(pg.contains("pg_dump"), "{pg}");
        assert!(sqlite_url(Path::new("data"), Some("mysql://x")).is_err());
        Ok(())
    }

    #[tokio::test]
    async fn a_missing_database_is_an_error_and_leaves_no_file() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let to = dir.path().join("copy.db");
        let url = format!("sqlite://{}", dir.path().join("absent.db").display());
        assert!(sqlite(&url, &to).await.is_err());
        assert!(!to.exists(), "a failed backup left {}", to.display());
        assert!(!dir.path().join("absent.db").exists(), "the backup created the database it was to copy");
        Ok(())
    }
}
