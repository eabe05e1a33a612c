//! Storage: one `Store` over SQLite (the embedded default) or PostgreSQL (several servers on one
//! database), chosen by the URL.
//!
//! Every query is written once, in SQL both understand (`$1, $2…` placeholders, `ON CONFLICT`,
//! `RETURNING`), and compiled once per backend by [`pool!`] and [`tx!`]: each expands its query
//! in a `match` over the backends, so each copy is type-checked against its own driver's types.
//! One `Store` over an enum rather than a trait with two implementations: the logic around the
//! queries (scopes, revisions, duty facts) exists once, and only the query lines are doubled.
//! `sqlx::Any` is not used: it loses types (no chrono, no BLOB/BYTEA distinction). SQLite
//! binds `$N` by its number like PostgreSQL (sqlx-sqlite reads the parameter's name), so `$1`
//! may appear twice in a query on both.
//!
//! Several servers on one PostgreSQL database: writers take turns on the change counter's row
//! (see [`Store::write`]), so change numbers become visible in order and a pull `since` a
//! cursor never skips one; sessions, sign-in throttling and everything else live in the
//! database, so any server answers any request.
//!
//! Durability on SQLite: every commit is synced to disk (`synchronous=FULL`) before it is
//! answered. A push answered `accepted` makes the phone drop the record from its outbox, so a
//! commit that a power cut could still undo (WAL with `NORMAL` syncs only at checkpoints) would
//! lose a record for good. FULL applies to the whole database rather than to the sync tables
//! alone: SQLite sets it per connection, not per table, and the roster and archive writes are as
//! precious and rare. PostgreSQL's default (`synchronous_commit = on`) gives the same.

/// As [`pool!`] for a query answering rows: they come out as [`Row`]s of either backend.
macro_rules! pool_rows {
    ($pool:expr, |$c:ident| $body:expr) => {
        pool!($pool, |$c| $body.map($crate::db::IntoRows::into_rows))
    };
}

/// Runs one query expression against the store's pool, whichever backend it is: `$c` is the
/// backend's pool, `Db` its `sqlx::Database`. The expression must end in a value both backends
/// share (not a row: see [`pool_rows!`], or map rows inside).
macro_rules! pool {
    ($pool:expr, |$c:ident| $body:expr) => {
        match &$pool {
            $crate::db::Pool::Sqlite($c) => {
                #[allow(dead_code)]
                type Db = sqlx::Sqlite;
                $body
            }
            $crate::db::Pool::Postgres($c) => {
                #[allow(dead_code)]
                type Db = sqlx::Postgres;
                $body
            }
        }
    };
}

/// As [`pool!`] inside a transaction ([`Tx`]): `$c` is the backend's connection.
/// As [`tx!`] for a query answering rows (see [`pool_rows!`]).
macro_rules! tx_rows {
    ($tx:expr, |$c:ident| $body:expr) => {
        tx!($tx, |$c| $body.map($crate::db::IntoRows::into_rows))
    };
}

macro_rules! tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx.backend() {
            $crate::db::Tx::Sqlite(t) => {
                #[allow(dead_code)]
                type Db = sqlx::Sqlite;
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                #[allow(dead_code)]
                type Db = sqlx::Postgres;
                let $c = &mut **t;
                $body
            }
        }
    };
}

pub mod admin;
pub mod assistance;
pub mod audit;
pub mod copy;
pub mod duties;
pub mod groups;
pub mod import;
pub mod ledger;
pub mod pg_cluster;
pub mod photos;
pub mod records;
pub mod roster;
pub mod seed;
pub mod sso;
pub mod standing;
pub mod users;
pub mod visibility;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// See the module's note on durability.
pub const SYNCHRONOUS: SqliteSynchronous = SqliteSynchronous::Full;

/// SQLite's migrations: as they always were, so existing databases open.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
/// PostgreSQL's: the same schema in PostgreSQL's types, one file per SQLite migration it
/// stands for (so a later change is added to both under the same number).
pub static PG_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations_pg");

/// Which database a store works on.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    /// What [`tx!`] matches on, whether it is handed a `Tx` or a `&mut Tx`.
    pub fn backend(&mut self) -> &mut Tx {
        self
    }

    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// What storage answers: what it refused (the API answers 404, 409, 400 or 403 with the
/// fields named) or that it failed (500, logged; the client never sees the cause).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A taken key, a row still in use, a stale base version: `code` is the API's.
    #[error("{message}")]
    Conflict { code: &'static str, message: String, fields: Vec<rounds::FieldError> },
    #[error("{0}")]
    Invalid(rounds::ValidationErrors),
    /// Fields the caller may not write.
    #[error("{message}")]
    ForbiddenFields { message: String, fields: rounds::ValidationErrors },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A value that does not convert to or from its stored form (stored JSON, an id, a time, an
    /// audit action written by a later version or by hand): the data or the code is at fault,
    /// never the request.
    #[error("a stored value does not convert: {0}")]
    Corrupt(String),
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("bad database URL {url}: {reason}")]
    Url { url: String, reason: String },
    /// A broken promise of the code itself (a row just written is missing): a bug, not a state.
    #[error(transparent)]
    Other(anyhow::Error),
}

impl StoreError {
    /// A conflict with the field at fault named (a taken key, a stale base version).
    pub fn conflict_on(code: &'static str, field: &str, field_code: &str, message: String) -> StoreError {
        let mut e = rounds::ValidationErrors::new();
        e.add(field, field_code, message.clone());
        StoreError::Conflict { code, message, fields: e.0 }
    }

    /// A conflict about the whole row (a row others still depend on).
    pub fn conflict(code: &'static str, message: String) -> StoreError {
        StoreError::Conflict { code, message, fields: Vec::new() }
    }

    /// A promise the code broke: a bug the log should show, not a state a user caused.
    pub fn bug(message: impl Into<String>) -> StoreError {
        StoreError::Other(anyhow::Error::msg(message.into()))
    }
}

macro_rules! corrupt_from {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Corrupt(e.to_string())
            }
        }
    )*};
}
corrupt_from!(serde_json::Error, uuid::Error, chrono::ParseError);

pub type StoreResult<T> = Result<T, StoreError>;

/// A row of either backend, read by column name into any type both drivers decode: the helpers
/// that turn a row into a domain value are written once.
pub trait DbRow {
    fn col<'r, T: Decodes<'r>>(&'r self, column: &str) -> sqlx::Result<T>;
}

/// A row of either backend, for queries whose rows are read outside [`pool!`] (`pool_rows!`): `try_get` as sqlx's, for any type both drivers decode.
pub enum Row {
    Sqlite(sqlx::sqlite::SqliteRow),
    Postgres(sqlx::postgres::PgRow),
}

impl Row {
    pub fn try_get<'r, T, I>(&'r self, index: I) -> sqlx::Result<T>
    where
        T: Decodes<'r>,
        I: sqlx::ColumnIndex<sqlx::sqlite::SqliteRow> + sqlx::ColumnIndex<sqlx::postgres::PgRow> + std::fmt::Debug,
    {
        match self {
            Row::Sqlite(r) => sqlx::Row::try_get(r, index),
            Row::Postgres(r) => sqlx::Row::try_get(r, index),
        }
    }
}

/// Rows of either backend made [`Row`]s (what [`pool_rows!`] and [`tx_rows!`] do).
pub trait IntoRows {
    type Out;
    fn into_rows(self) -> Self::Out;
}

macro_rules! into_rows {
    ($($from:ty => $variant:ident),*) => {$(
        impl IntoRows for $from {
            type Out = Row;
            fn into_rows(self) -> Row {
                Row::$variant(self)
            }
        }
        impl IntoRows for Vec<$from> {
            type Out = Vec<Row>;
            fn into_rows(self) -> Vec<Row> {
                self.into_iter().map(Row::$variant).collect()
            }
        }
        impl IntoRows for Option<$from> {
            type Out = Option<Row>;
            fn into_rows(self) -> Option<Row> {
                self.map(Row::$variant)
            }
        }
    )*};
}
into_rows!(sqlx::sqlite::SqliteRow => Sqlite, sqlx::postgres::PgRow => Postgres);

/// A type both drivers decode.
pub trait Decodes<'r>: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> {}
impl<'r, T> Decodes<'r> for T where T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> {}

impl DbRow for sqlx::sqlite::SqliteRow {
    fn col<'r, T: Decodes<'r>>(&'r self, column: &str) -> sqlx::Result<T> {
        sqlx::Row::try_get(self, column)
    }
}

impl DbRow for Row {
    fn col<'r, T: Decodes<'r>>(&'r self, column: &str) -> sqlx::Result<T> {
        self.try_get(column)
    }
}

impl DbRow for sqlx::postgres::PgRow {
    fn col<'r, T: Decodes<'r>>(&'r self, column: &str) -> sqlx::Result<T> {
        sqlx::Row::try_get(self, column)
    }
}

/// A value a query builder of either backend binds (the bound of the helpers that write a
/// piece of a query once for both).
pub trait Binds<'a, DB: sqlx::Database>: 'a + sqlx::Encode<'a, DB> + sqlx::Type<DB> + Send {}
impl<'a, DB: sqlx::Database, T: 'a + sqlx::Encode<'a, DB> + sqlx::Type<DB> + Send> Binds<'a, DB> for T {}

#[derive(Clone)]
pub struct Store {
    pub pool: Pool,
    /// Where it was opened: another server (a test's second one) opens the same.
    url: Arc<str>,
    /// SQLite has one writer; taking turns here avoids `SQLITE_BUSY` on lock upgrades.
    /// PostgreSQL's writers take turns on the database instead (see [`Store::write`]).
    write_lock: Arc<tokio::sync::Mutex<()>>,
    /// Everyone's duty facts between compliance reports (see [`duties::FactCache`]).
    facts: Arc<duties::FactCache>,
    /// The whole roster as last read (see [`roster::RosterCache`]).
    roster: Arc<roster::RosterCache>,
}

impl Store {
    /// Opens the database at `url`: `sqlite://data/rounds.db` (created if missing) or
    /// `postgres://user@host/db` (which must exist).
    pub async fn connect(url: &str) -> StoreResult<Store> {
        Store::connect_with(url, SYNCHRONOUS).await
    }

    /// As [`Store::connect`] with another SQLite sync mode: only the bench uses it, to show the
    /// cost of [`SYNCHRONOUS`] against `NORMAL`.
    pub async fn connect_with(url: &str, synchronous: SqliteSynchronous) -> StoreResult<Store> {
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Url { url: url.to_string(), reason: e.to_string() })?;
            // Idle connections close after a minute: several servers share the database's
            // connection limit.
            Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(8)
                    .idle_timeout(Duration::from_secs(60))
                    .connect_with(options)
                    .await
                    .map_err(|source| StoreError::Open { url: url.to_string(), source })?,
            )
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Url { url: url.to_string(), reason: e.to_string() })?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // 512 KiB of page cache per connection, not SQLite's 2 MB: with eight connections
                // that was 16 MB of the server's memory, and the system's file cache holds the
                // pages anyway (shared, and not the server's to keep).
                .pragma("cache_size", "-512");
            Pool::Sqlite(
                SqlitePoolOptions::new().max_connections(8).connect_with(options).await.map_err(|source| StoreError::Open { url: url.to_string(), source })?,
            )
        } else {
            return Err(StoreError::Url { url: url.to_string(), reason: "use sqlite://… or postgres://…".into() });
        };
        Ok(Store { pool, url: url.into(), write_lock: Arc::new(tokio::sync::Mutex::new(())), facts: Arc::default(), roster: Arc::default() })
    }

    /// The database file inside a data directory, created if missing.
    pub async fn open_data_dir(dir: &Path) -> StoreResult<Store> {
        Store::open_data_dir_with(dir, SYNCHRONOUS).await
    }

    /// As [`Store::open_data_dir`] with another sync mode (the bench's comparison).
    pub async fn open_data_dir_with(dir: &Path, synchronous: SqliteSynchronous) -> StoreResult<Store> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir { path: dir.display().to_string(), source })?;
        let url = format!("sqlite://{}", dir.join("rounds.db").display());
        Store::connect_with(&url, synchronous).await
    }

    /// The URL a PostgreSQL store was opened with (for another server on the same database);
    /// `None` for SQLite, whose file one process writes.
    pub fn database_url(&self) -> Option<String> {
        matches!(self.pool, Pool::Postgres(_)).then(|| self.url.to_string())
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// The sync mode the connections run with, as SQLite reports it (`PRAGMA synchronous`:
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA); PostgreSQL's `synchronous_commit`.
    pub async fn synchronous_mode(&self) -> StoreResult<&'static str> {
        let n: i64 = match &self.pool {
            Pool::Sqlite(p) => sqlx::query_scalar("PRAGMA synchronous").fetch_one(p).await?,
            Pool::Postgres(p) => {
                let on: String = sqlx::query_scalar("SHOW synchronous_commit").fetch_one(p).await?;
                return Ok(if on == "on" { "FULL" } else { "NORMAL" });
            }
        };
        Ok(match n {
            0 => "OFF",
            1 => "NORMAL",
            2 => "FULL",
            3 => "EXTRA",
            _ => "unknown",
        })
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.pool {
            Pool::Sqlite(p) => MIGRATOR.run(p).await?,
            Pool::Postgres(p) => PG_MIGRATOR.run(p).await?,
        }
        // Version 1 of the duty rules and calendar are the defaults in code, so they are stored here.
        self.ensure_duty_setup().await?;
        Ok(())
    }

    /// Runs one statement of SQL both backends understand, binding text arguments (`$1`…):
    /// for tests that must put the database in a state no API reaches (a session unused for
    /// hours). Answers the rows changed.
    pub async fn execute_sql(&self, sql: &str, args: &[&str]) -> StoreResult<u64> {
        let mut w = self.write().await?;
        let changed = tx!(w.tx, |c| {
            let mut q = sqlx::query::<Db>(sql);
            for a in args {
                q = q.bind(*a);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        w.commit().await?;
        Ok(changed)
    }

    /// A write transaction, taken in turn with every other writer: on SQLite by a lock in this
    /// process (the database has one writer anyway), on PostgreSQL by locking the change
    /// counter's row first, which every server's writers share. Change numbers are therefore
    /// handed out in commit order on both backends: a number is never seen after a larger one,
    /// so a pull `since` a cursor misses nothing (see [`next_seq`]).
    pub async fn write(&self) -> StoreResult<WriteTx<'_>> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let guard = self.write_lock.lock().await;
                let tx = p.begin().await?;
                Ok(WriteTx { tx: Tx::Sqlite(tx), _guard: Some(guard) })
            }
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SELECT value FROM change_seq WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
                Ok(WriteTx { tx: Tx::Postgres(tx), _guard: None })
            }
        }
    }

    /// A write that takes no change number (a session's last use, a failed sign-in, an audit
    /// entry, a photo's bytes): on PostgreSQL it does not wait for the writers of records and
    /// roster (sign-ins and reads go on while pushes commit); on SQLite it is [`Store::write`].
    /// Were [`next_seq`] called in it, numbers would still follow commit order (the counter's
    /// row stays locked from its update to the commit), but writers would no longer take the
    /// counter first, and two could deadlock.
    pub async fn write_unsequenced(&self) -> StoreResult<WriteTx<'_>> {
        match &self.pool {
            Pool::Sqlite(_) => self.write().await,
            Pool::Postgres(p) => Ok(WriteTx { tx: Tx::Postgres(p.begin().await?), _guard: None }),
        }
    }
}

pub struct WriteTx<'a> {
    pub tx: Tx,
    _guard: Option<tokio::sync::MutexGuard<'a, ()>>,
}

impl WriteTx<'_> {
    pub async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await
    }
}

/// Takes the next change number; every stored change gets one, so a pull `since` a number
/// misses nothing. Only inside [`Store::write`]'s transactions, which take turns: the number
/// is visible only once its transaction committed, and no other can take one before.
pub async fn next_seq(tx: &mut Tx) -> StoreResult<i64> {
    Ok(tx!(tx, |c| sqlx::query_scalar("UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value").fetch_one(c).await)?)
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
            let super::Pool::Sqlite(pool) = &store.pool else { anyhow::bail!("a SQLite store") };
            let mut c = pool.acquire().await?;
            let n: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *c).await?;
            assert_eq!(n, 2, "synchronous must be FULL (2)");
            held.push(c);
        }
        assert_eq!(store.synchronous_mode().await?, "FULL");
        Ok(())
    }
}
