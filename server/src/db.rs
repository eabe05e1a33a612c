//! Storage: SQLite through sqlx, with embedded migrations and WAL.
//!
//! Durability: every commit is synced to disk (`synchronous=FULL`) before it is answered. A push
//! answered `accepted` makes the phone drop the record from its outbox, so a commit that a power
//! cut could still undo (WAL with `NORMAL` syncs only at checkpoints) would lose a record for
//! good. FULL applies to the whole database rather than to the sync tables alone: SQLite sets it
//! per connection, not per table, and the roster and archive writes are as precious and rare.
//!
//! Every query of the app lives in this module and its children, so a PostgreSQL
//! implementation is a second `Store` with the same methods.

pub mod admin;
pub mod assistance;
pub mod audit;
pub mod duties;
pub mod groups;
pub mod import;
pub mod ledger;
pub mod photos;
pub mod records;
pub mod roster;
pub mod sso;
pub mod standing;
pub mod users;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// See the module's note on durability.
pub const SYNCHRONOUS: SqliteSynchronous = SqliteSynchronous::Full;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Store {
    pub pool: SqlitePool,
    /// SQLite has one writer; taking turns here avoids `SQLITE_BUSY` on lock upgrades.
    write_lock: Arc<tokio::sync::Mutex<()>>,
    /// Everyone's duty facts between compliance reports (see [`duties::FactCache`]).
    facts: Arc<duties::FactCache>,
}

impl Store {
    /// Opens (creating if needed) the database at `url`, e.g. `sqlite://data/rounds.db`.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        Store::connect_with(url, SYNCHRONOUS).await
    }

    /// As [`Store::connect`] with another sync mode: only the bench uses it, to show the cost
    /// of [`SYNCHRONOUS`] against `NORMAL`.
    pub async fn connect_with(url: &str, synchronous: SqliteSynchronous) -> anyhow::Result<Store> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("bad database URL {url}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await.with_context(|| format!("cannot open the database {url}"))?;
        Ok(Store { pool, write_lock: Arc::new(tokio::sync::Mutex::new(())), facts: Arc::default() })
    }

    /// The database file inside a data directory, created if missing.
    pub async fn open_data_dir(dir: &Path) -> anyhow::Result<Store> {
        Store::open_data_dir_with(dir, SYNCHRONOUS).await
    }

    /// As [`Store::open_data_dir`] with another sync mode (the bench's comparison).
    pub async fn open_data_dir_with(dir: &Path, synchronous: SqliteSynchronous) -> anyhow::Result<Store> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        let url = format!("sqlite://{}", dir.join("rounds.db").display());
        Store::connect_with(&url, synchronous).await
    }

    /// The sync mode the connections run with, as SQLite reports it (`PRAGMA synchronous`:
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).
    pub async fn synchronous_mode(&self) -> anyhow::Result<&'static str> {
        let n: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&self.pool).await?;
        Ok(match n {
            0 => "OFF",
            1 => "NORMAL",
            2 => "FULL",
            3 => "EXTRA",
            _ => "unknown",
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        MIGRATOR.run(&self.pool).await.context("database migration failed")?;
        // Version 1 of the duty rules and calendar are the defaults in code, so they are stored here.
        self.ensure_duty_setup().await.context("cannot store the default duty rules")?;
        Ok(())
    }

    /// A write transaction, taken in turn with every other writer.
    pub async fn write(&self) -> anyhow::Result<WriteTx<'_>> {
        let guard = self.write_lock.lock().await;
        let tx = self.pool.begin().await?;
        Ok(WriteTx { tx, _guard: guard })
    }
}

pub struct WriteTx<'a> {
    pub tx: Transaction<'static, Sqlite>,
    _guard: tokio::sync::MutexGuard<'a, ()>,
}

impl WriteTx<'_> {
    pub async fn commit(self) -> anyhow::Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// Takes the next change number; every stored change gets one, so a pull `since` a number
/// misses nothing.
pub async fn next_seq(tx: &mut Transaction<'static, Sqlite>) -> sqlx::Result<i64> {
    sqlx::query_scalar("UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value").fetch_one(&mut **tx).await
}

pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::Store;

    #[tokio::test]
    async fn every_commit_is_synced_to_disk_before_it_is_answered() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_data_dir(dir.path()).await?;
        // Every pooled connection, not just the first: the pragma is per connection.
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut c = store.pool.acquire().await?;
            let n: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *c).await?;
            assert_eq!(n, 2, "synchronous must be FULL (2)");
            held.push(c);
        }
        assert_eq!(store.synchronous_mode().await?, "FULL");
        Ok(())
    }
}
