//! The audit log's storage (see the API's `audit` module): entries are only ever inserted. There is no
//! UPDATE or DELETE of `audit_log` in this file or anywhere else, and the table's triggers
//! refuse both (migration 0015).

use super::roster::Scope;
use super::visibility::push_visible_to;
use super::{Binds, DbRow};
use super::{Store, StoreError, StoreResult};
use chrono::{DateTime, SecondsFormat, Utc};
use rounds::audit::{AuditAction, AuditEntry, AuditVia};
use rounds::{StudentId, UserId, UserProfile};
use sqlx::QueryBuilder;

/// Times as stored: UTC with a fixed number of digits, so text order is time order.
pub fn stored_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor: Option<&'a UserProfile>,
    pub address: &'a str,
    pub action: AuditAction,
    pub via: AuditVia,
    pub target: String,
    pub student_id: Option<StudentId>,
    pub record_id: Option<uuid::Uuid>,
    pub item_count: Option<i64>,
    /// A phone's id for its read.
    pub client_id: Option<uuid::Uuid>,
}

impl<'a> NewEntry<'a> {
    /// An entry of something the server sees happen now.
    pub fn now(actor: Option<&'a UserProfile>, address: &'a str, action: AuditAction, target: impl Into<String>) -> NewEntry<'a> {
        NewEntry {
            at: Utc::now(),
            actor,
            address,
            action,
            via: AuditVia::Server,
            target: target.into(),
            student_id: None,
            record_id: None,
            item_count: None,
            client_id: None,
        }
    }
}

/// Which entries the office asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub student_id: Option<StudentId>,
    pub actor_id: Option<UserId>,
    pub action: Option<AuditAction>,
    /// From this instant, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
}

fn push_filter<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, f: &Filter)
where
    i64: Binds<'a, DB>,
    String: Binds<'a, DB>,
    &'static str: Binds<'a, DB>,
{
    q.push(" WHERE 1 = 1");
    if let Some(s) = f.student_id {
        q.push(" AND student_id = ").push_bind(s.0);
    }
    if let Some(u) = f.actor_id {
        q.push(" AND actor_id = ").push_bind(u.0);
    }
    if let Some(a) = f.action {
        q.push(" AND action = ").push_bind(a.as_str());
    }
    if let Some(from) = f.from {
        q.push(" AND at >= ").push_bind(stored_time(from));
    }
    if let Some(until) = f.until {
        q.push(" AND at < ").push_bind(stored_time(until));
    }
}

fn entry_from(row: &impl DbRow) -> StoreResult<AuditEntry> {
    let time = |column: &str| -> StoreResult<DateTime<Utc>> { Ok(DateTime::parse_from_rfc3339(&row.col::<String>(column)?)?.with_timezone(&Utc)) };
    let action: String = row.col("action")?;
    let via: String = row.col("via")?;
    let record: Option<String> = row.col("record_id")?;
    Ok(AuditEntry {
        id: row.col("id")?,
        at: time("at")?,
        logged_at: time("logged_at")?,
        actor_id: row.col::<Option<i64>>("actor_id")?.map(UserId),
        actor_name: row.col("actor_name")?,
        address: row.col("address")?,
        action: AuditAction::parse(&action).ok_or_else(|| StoreError::Corrupt(format!("unknown audit action {action}")))?,
        via: if via == "phone" { AuditVia::Phone } else { AuditVia::Server },
        target: row.col("target")?,
        student_id: row.col::<Option<i64>>("student_id")?.map(StudentId),
        student: row.col("student")?,
        record_id: record.and_then(|r| r.parse().ok()),
        item_count: row.col("item_count")?,
    })
}

impl Store {
    /// Appends an entry. For a phone's read (`client_id`), answers false when that read was
    /// written before (the phone sent it again), and writes nothing.
    pub async fn append_audit(&self, e: &NewEntry<'_>) -> StoreResult<bool> {
        let actor_name = e.actor.map(|u| format!("{} ({})", u.display_name, u.username)).unwrap_or_default();
        let mut w = self.write_unsequenced().await?;
        let done = tx!(w.tx, |c| sqlx::query(
            "INSERT INTO audit_log
                (at, logged_at, actor_id, actor_name, address, action, via, target, student_id, student, record_id, item_count, client_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                COALESCE((SELECT name || ' ' || student_no FROM students WHERE id = $10), ''), $11, $12, $13)
             ON CONFLICT DO NOTHING",
        )
        .bind(stored_time(e.at))
        .bind(stored_time(Utc::now()))
        .bind(e.actor.map(|u| u.id.0))
        .bind(actor_name)
        .bind(e.address)
        .bind(e.action.as_str())
        .bind(match e.via {
            AuditVia::Server => "server",
            AuditVia::Phone => "phone",
        })
        .bind(&e.target)
        .bind(e.student_id.map(|s| s.0))
        .bind(e.student_id.map(|s| s.0))
        .bind(e.record_id.map(|r| r.to_string()))
        .bind(e.item_count)
        .bind(e.client_id.map(|c| c.to_string()))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(done == 1)
    }

    /// Entries matching `f`, newest first, `limit` from `offset`, and how many match in all.
    pub async fn audit_entries(&self, f: &Filter, offset: i64, limit: i64) -> StoreResult<(Vec<AuditEntry>, i64)> {
        let total: i64 = pool!(self.pool, |c| {
            let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM audit_log");
            push_filter(&mut count, f);
            count.build_query_scalar().fetch_one(c).await
        })?;
        let entries = pool!(self.pool, |c| {
            let mut q = QueryBuilder::<Db>::new(
                "SELECT id, at, logged_at, actor_id, actor_name, address, action, via, target, student_id, student, record_id, item_count FROM audit_log",
            );
            push_filter(&mut q, f);
            q.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
            q.build().fetch_all(c).await?.iter().map(entry_from).collect::<StoreResult<Vec<_>>>()
        })?;
        Ok((entries, total))
    }

    /// How many distinct staff read the student's file (archive or a confidential record) since `since`.
    pub async fn file_readers(&self, student: StudentId, since: DateTime<Utc>) -> StoreResult<i64> {
        let reads: Vec<&str> = AuditAction::ALL.iter().filter(|a| a.reads_a_file()).map(|a| a.as_str()).collect();
        Ok(pool!(self.pool, |c| {
            let mut q = QueryBuilder::<Db>::new("SELECT COUNT(DISTINCT actor_id) FROM audit_log WHERE student_id = ");
            q.push_bind(student.0).push(" AND at >= ").push_bind(stored_time(since)).push(" AND actor_id IS NOT NULL AND action IN (");
            let mut sep = q.separated(", ");
            for r in &reads {
                sep.push_bind(*r);
            }
            q.push(")");
            q.build_query_scalar().fetch_one(c).await
        })?)
    }

    /// A record's kind and student when `scope` may see it (the one visibility rule of `records`).
    pub async fn visible_record(&self, scope: &Scope, id: uuid::Uuid) -> StoreResult<Option<(String, Option<StudentId>)>> {
        let row: Option<(String, Option<i64>)> = pool!(self.pool, |c| {
            let mut q = QueryBuilder::<Db>::new("SELECT kind, student_id FROM records WHERE id = ");
            q.push_bind(id.to_string());
            push_visible_to(&mut q, scope);
            q.build_query_as().fetch_optional(c).await
        })?;
        Ok(row.map(|(kind, student)| (kind, student.map(StudentId))))
    }

    /// Whether a record with this id is stored at all (seen by anyone).
    pub async fn record_exists(&self, id: uuid::Uuid) -> StoreResult<bool> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM records WHERE id = $1").bind(id.to_string()).fetch_one(c).await)? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On both backends: SQLite's triggers (0015), PostgreSQL's (UPDATE, DELETE and TRUNCATE).
    #[tokio::test]
    async fn the_log_refuses_to_be_edited_even_by_hand() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let sqlite = Store::open_data_dir(dir.path()).await?;
        let postgres = Store::connect(&crate::db::pg_cluster::shared()?.fresh_database().await?).await?;
        for store in [sqlite, postgres] {
            refuses_edits(&store).await?;
        }
        Ok(())
    }

    async fn refuses_edits(store: &Store) -> anyhow::Result<()> {
        store.migrate().await?;
        let written = store.append_audit(&NewEntry::now(None, "127.0.0.1", AuditAction::RosterChange, "POST /api/v1/admin/departments")).await?;
        assert!(written);
        for edit in ["UPDATE audit_log SET actor_name = 'nobody'", "DELETE FROM audit_log"] {
            let refused = store.execute_sql(edit, &[]).await;
            assert!(refused.is_err_and(|e| format!("{e:#}").contains("append-only")), "{} let through: {edit}", store.backend_name());
        }
        if store.backend_name() == "postgres" {
            let refused = store.execute_sql("TRUNCATE audit_log", &[]).await;
            assert!(refused.is_err_and(|e| format!("{e:#}").contains("append-only")));
        }
        let (entries, total) = store.audit_entries(&Filter::default(), 0, 10).await?;
        assert_eq!(total, 1);
        assert_eq!(entries[0].target, "POST /api/v1/admin/departments");

        // A phone's read is written once, however often it is sent.
        let read = uuid::Uuid::now_v7();
        let mut e = NewEntry::now(None, "127.0.0.1", AuditAction::ArchiveRead, "archive");
        e.client_id = Some(read);
        e.via = AuditVia::Phone;
        assert!(store.append_audit(&e).await?);
        assert!(!store.append_audit(&e).await?);
        assert_eq!(store.audit_entries(&Filter::default(), 0, 10).await?.1, 2);
        Ok(())
    }
}
