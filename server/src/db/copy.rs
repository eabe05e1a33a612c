//! Moving house: an institution copied from a SQLite database into an empty PostgreSQL one, with
//! every revision, photo, history and audit entry, ids and change numbers kept, sessions left
//! behind (everyone signs in again on the new server).

use super::{Pool, Store};
use anyhow::{bail, Context};
use futures_util::TryStreamExt;
use sqlx::postgres::{PgConnection, Postgres};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row};

/// The tables copied, parents before children. The history of class assignments comes before
/// the assignments, whose trigger would otherwise write a second "assigned now" row for each.
/// Not copied: sessions, pending single sign-ons and failed sign-ins (they belong to the old
/// server's sign-ins).
const TABLES: &[&str] = &[
    "institution",
    "change_seq",
    "roster_removals",
    "security_settings",
    "ledger_settings",
    "departments",
    "classes",
    "students",
    "buildings",
    "rooms",
    "beds",
    "users",
    "class_assignment_history",
    "class_assignments",
    "clubs",
    "party_branches",
    "leader_links",
    "records",
    "record_revisions",
    "record_parties",
    "photos",
    "photo_uploads",
    "record_photos",
    "duty_rule_sets",
    "school_calendars",
    "standing_history",
    "semester_results",
    "identification_decisions",
    "identification_confirmations",
    "volunteers",
    "lockouts",
    "audit_log",
];

/// PostgreSQL reads a statement's bind parameter count as a 16-bit number.
const MAX_BINDS: usize = u16::MAX as usize;
/// Rows in one INSERT at most: past a few hundred, longer statements save no more round trips
/// worth having, and cost PostgreSQL more to parse.
const MAX_ROWS: usize = 1_000;
/// Bytes of values held for one INSERT at most: photos are in the database, a few hundred KB
/// each, and a batch of them must not hold a school's photos in memory at once.
const MAX_BATCH_BYTES: usize = 4 << 20;

/// How a target column's values are read from SQLite and bound for PostgreSQL.
#[derive(Clone, Copy)]
enum ColumnKind {
    Int,
    /// SQLite keeps flags as integers, PostgreSQL as booleans.
    Bool,
    Float,
    Bytes,
    Text,
}

impl ColumnKind {
    fn of(table: &str, name: &str, data_type: &str) -> anyhow::Result<ColumnKind> {
        Ok(match data_type {
            "bigint" | "integer" | "smallint" => ColumnKind::Int,
            "boolean" => ColumnKind::Bool,
            "double precision" | "real" => ColumnKind::Float,
            "bytea" => ColumnKind::Bytes,
            "text" => ColumnKind::Text,
            other => bail!("{table}.{name}: no copy for the type {other}"),
        })
    }

    fn read(self, row: &SqliteRow, i: usize) -> sqlx::Result<Value> {
        Ok(match self {
            ColumnKind::Int => Value::Int(row.try_get(i)?),
            ColumnKind::Bool => Value::Bool(row.try_get::<Option<i64>, _>(i)?.map(|v| v != 0)),
            ColumnKind::Float => Value::Float(row.try_get(i)?),
            ColumnKind::Bytes => Value::Bytes(row.try_get(i)?),
            ColumnKind::Text => Value::Text(row.try_get(i)?),
        })
    }
}

/// One value on its way from a SQLite row into a PostgreSQL INSERT.
enum Value {
    Int(Option<i64>),
    Bool(Option<bool>),
    Float(Option<f64>),
    Bytes(Option<Vec<u8>>),
    Text(Option<String>),
}

impl Value {
    /// Roughly the bytes it holds, for [`MAX_BATCH_BYTES`].
    fn size(&self) -> usize {
        match self {
            Value::Bytes(Some(b)) => b.len(),
            Value::Text(Some(t)) => t.len(),
            _ => 8,
        }
    }
}

/// Rows of one table waiting to be written, in as few INSERTs as PostgreSQL takes.
struct Batch<'a> {
    table: &'static str,
    columns: &'a str,
    rows_per_insert: usize,
    rows: Vec<Vec<Value>>,
    bytes: usize,
}

impl<'a> Batch<'a> {
    fn new(table: &'static str, columns: &'a str, column_count: usize) -> Batch<'a> {
        Batch { table, columns, rows_per_insert: (MAX_BINDS / column_count).clamp(1, MAX_ROWS), rows: Vec::new(), bytes: 0 }
    }

    fn full(&self) -> bool {
        self.rows.len() >= self.rows_per_insert || self.bytes >= MAX_BATCH_BYTES
    }

    fn push(&mut self, row: Vec<Value>) {
        self.bytes += row.iter().map(Value::size).sum::<usize>();
        self.rows.push(row);
    }

    /// Writes the rows held (if any) in one multi-row INSERT and empties the batch.
    async fn write(&mut self, tx: &mut PgConnection) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut insert = QueryBuilder::<Postgres>::new(format!("INSERT INTO {} ({}) ", self.table, self.columns));
        insert.push_values(self.rows.drain(..), |mut row, values| {
            for value in values {
                match value {
                    Value::Int(v) => row.push_bind(v),
                    Value::Bool(v) => row.push_bind(v),
                    Value::Float(v) => row.push_bind(v),
                    Value::Bytes(v) => row.push_bind(v),
                    Value::Text(v) => row.push_bind(v),
                };
            }
        });
        self.bytes = 0;
        insert.build().execute(tx).await.with_context(|| format!("writing {}", self.table))?;
        Ok(())
    }
}

/// What was copied: rows per table.
pub struct CopyReport {
    pub tables: Vec<(&'static str, u64)>,
}

impl Store {
    /// Copies everything of this (SQLite) store into `to` (PostgreSQL, migrated, holding no
    /// accounts yet). Refused when `to` already holds accounts, so running it again changes
    /// nothing. One transaction on the target: a copy cut short leaves it empty.
    ///
    /// Rows go in multi-row INSERTs (up to [`MAX_ROWS`] rows, [`MAX_BINDS`] values and about
    /// [`MAX_BATCH_BYTES`] each) rather than one round trip per row. Not `COPY … FROM STDIN`:
    /// it would need our own text escaping (or binary encoding) of NULLs, bytea and text, where
    /// bound parameters have the driver's encoding, and the batches already take the round trips
    /// out of the copy's time (see docs/performance.md, issue 12).
    pub async fn copy_into(&self, to: &Store) -> anyhow::Result<CopyReport> {
        let Pool::Sqlite(from) = &self.pool else { bail!("copy reads a SQLite database (--from sqlite:…)") };
        let Pool::Postgres(_) = &to.pool else { bail!("copy writes a PostgreSQL database (--to postgres://…)") };
        if to.user_count().await? > 0 {
            bail!("the target database already holds an institution (it has accounts); copy goes into an empty one, so nothing was copied");
        }
        let mut w = to.write().await?;
        let super::Tx::Postgres(tx) = &mut w.tx else { bail!("a PostgreSQL transaction") };
        let mut report = CopyReport { tables: Vec::new() };
        for &table in TABLES {
            // The target's column types decide how each value is read and bound.
            let columns: Vec<(String, String)> =
                sqlx::query_as("SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position")
                    .bind(table)
                    .fetch_all(&mut **tx)
                    .await?;
            if columns.is_empty() {
                bail!("the target has no table {table}: is it migrated?");
            }
            let kinds = columns.iter().map(|(name, data_type)| ColumnKind::of(table, name, data_type)).collect::<anyhow::Result<Vec<_>>>()?;
            // Rows the migration itself wrote (the counters, the default rules) give way to the
            // source's.
            sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER")).execute(&mut **tx).await?;
            if table != "audit_log" {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut **tx).await?;
            }
            let list = columns.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
            let select = format!("SELECT {list} FROM {table}");
            let mut rows = sqlx::query(&select).fetch(from);
            let mut batch = Batch::new(table, &list, columns.len());
            let mut copied = 0;
            while let Some(row) = rows.try_next().await.with_context(|| format!("reading {table}"))? {
                let values = kinds.iter().enumerate().map(|(i, kind)| kind.read(&row, i)).collect::<sqlx::Result<Vec<_>>>()?;
                batch.push(values);
                copied += 1;
                if batch.full() {
                    batch.write(tx).await?;
                }
            }
            batch.write(tx).await?;
            sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER USER")).execute(&mut **tx).await?;
            // Ids given from now on follow the copied ones.
            if columns.iter().any(|(n, t)| n == "id" && t == "bigint") {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table} WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
                ))
                .execute(&mut **tx)
                .await?;
            }
            report.tables.push((table, copied));
        }
        w.commit().await?;
        Ok(report)
    }
}
