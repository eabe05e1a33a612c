//! Moving house: an institution copied from a SQLite database into an empty PostgreSQL one, with
//! every revision, photo, history and audit entry, ids and change numbers kept, sessions left
//! behind (everyone signs in again on the new server).

use super::{Pool, Store};
use anyhow::{bail, Context};
use futures_util::TryStreamExt;
use sqlx::Row;

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

/// What was copied: rows per table.
pub struct CopyReport {
    pub tables: Vec<(&'static str, u64)>,
}

impl Store {
    /// Copies everything of this (SQLite) store into `to` (PostgreSQL, migrated, holding no
    /// accounts yet). Refused when `to` already holds accounts, so running it again changes
    /// nothing. One transaction on the target: a copy cut short leaves it empty.
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
            // The target's column types decide how each value is read and bound (SQLite keeps
            // flags as integers, PostgreSQL as booleans).
            let columns: Vec<(String, String)> =
                sqlx::query_as("SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position")
                    .bind(table)
                    .fetch_all(&mut **tx)
                    .await?;
            if columns.is_empty() {
                bail!("the target has no table {table}: is it migrated?");
            }
            // Rows the migration itself wrote (the counters, the default rules) give way to the
            // source's.
            sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER")).execute(&mut **tx).await?;
            if table != "audit_log" {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut **tx).await?;
            }
            let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
            let list = names.join(", ");
            let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
            let insert = format!("INSERT INTO {table} ({list}) VALUES ({})", placeholders.join(", "));
            let select = format!("SELECT {list} FROM {table}");
            let mut rows = sqlx::query(&select).fetch(from);
            let mut copied = 0;
            while let Some(row) = rows.try_next().await.with_context(|| format!("reading {table}"))? {
                let mut q = sqlx::query(&insert);
                for (i, (name, data_type)) in columns.iter().enumerate() {
                    q = match data_type.as_str() {
                        "bigint" | "integer" | "smallint" => q.bind(row.try_get::<Option<i64>, _>(i)?),
                        "boolean" => q.bind(row.try_get::<Option<i64>, _>(i)?.map(|v| v != 0)),
                        "double precision" | "real" => q.bind(row.try_get::<Option<f64>, _>(i)?),
                        "bytea" => q.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
                        "text" => q.bind(row.try_get::<Option<String>, _>(i)?),
                        other => bail!("{table}.{name}: no copy for the type {other}"),
                    };
                }
                q.execute(&mut **tx).await.with_context(|| format!("writing {table}"))?;
                copied += 1;
            }
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
