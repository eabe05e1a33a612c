//! The one record store for every kind: idempotent upsert by (id, revision, content), the
//! revision history, and the pull by change number.

use super::roster::Scope;
use super::{next_seq, now_text, Store};
use rounds::record::Subject;
use rounds::sync::{PushResult, PushStatus, StoredRecord};
use rounds::{FieldError, RecordEnvelope, UserId};
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row, Sqlite};
use std::collections::HashMap;

/// The hash that tells a replay (same bytes) from a different edit with the same revision number.
pub fn content_hash(env: &RecordEnvelope) -> anyhow::Result<String> {
    let bytes = serde_json::to_vec(env)?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

fn result(env: &RecordEnvelope, status: PushStatus, seq: Option<i64>, current: Option<u32>, errors: Vec<FieldError>) -> PushResult {
    let http_status = match status {
        PushStatus::Accepted | PushStatus::Duplicate => 200,
        PushStatus::Conflict => 409,
        PushStatus::Invalid => 400,
        PushStatus::Forbidden => 403,
    };
    PushResult { id: Some(env.id), revision: Some(env.revision), status, http_status, seq, current_revision: current, errors }
}

fn subject_columns(env: &RecordEnvelope) -> (Option<i64>, Option<i64>, Option<i64>) {
    match env.body.subject() {
        Subject::Room(r) => (Some(r.0), None, None),
        Subject::Class(c) => (None, Some(c.0), None),
        Subject::Student(s) => (None, None, Some(s.0)),
        // Seen only by its author (and the office): no subject columns.
        Subject::Own => (None, None, None),
    }
}

impl Store {
    /// Stores already validated records of one author in one transaction, one result each.
    pub async fn apply_records(&self, author: UserId, records: &[RecordEnvelope]) -> anyhow::Result<Vec<PushResult>> {
        let mut w = self.write().await?;
        let mut results = Vec::with_capacity(records.len());
        for env in records {
            let hash = content_hash(env)?;
            let id = env.id.to_string();
            let envelope = serde_json::to_string(env)?;

            let head: Option<(i64, i64)> = sqlx::query_as("SELECT revision, author_id FROM records WHERE id = ?")
                .bind(&id)
                .fetch_optional(&mut *w.tx)
                .await?;
            let known: Option<String> =
                sqlx::query_scalar("SELECT status FROM record_revisions WHERE id = ? AND revision = ? AND content_hash = ?")
                    .bind(&id)
                    .bind(env.revision)
                    .bind(&hash)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            if known.is_some() {
                let current = head.map(|(r, _)| r as u32);
                results.push(result(env, PushStatus::Duplicate, None, current, vec![]));
                continue;
            }

            match head {
                Some((_, head_author)) if head_author != author.0 => {
                    results.push(result(
                        env,
                        PushStatus::Forbidden,
                        None,
                        None,
                        vec![FieldError { field: "id".into(), code: "not_author".into(), message: "only its author may change a record".into() }],
                    ));
                }
                None => {
                    let seq = next_seq(&mut w.tx).await?;
                    upsert_head(&mut w.tx, env, author, &envelope, seq).await?;
                    insert_revision(&mut w.tx, env, &hash, "current", &envelope, seq).await?;
                    results.push(result(env, PushStatus::Accepted, Some(seq), Some(env.revision), vec![]));
                }
                Some((head_rev, _)) if env.base_revision == Some(head_rev as u32) && env.revision as i64 > head_rev => {
                    let seq = next_seq(&mut w.tx).await?;
                    upsert_head(&mut w.tx, env, author, &envelope, seq).await?;
                    sqlx::query("UPDATE record_revisions SET status = 'superseded' WHERE id = ? AND status = 'current'")
                        .bind(&id)
                        .execute(&mut *w.tx)
                        .await?;
                    insert_revision(&mut w.tx, env, &hash, "current", &envelope, seq).await?;
                    results.push(result(env, PushStatus::Accepted, Some(seq), Some(env.revision), vec![]));
                }
                Some((head_rev, _)) => {
                    // Kept beside the current revision, never over it; the record gets a new
                    // change number so every device learns of the conflict on its next pull.
                    let seq = next_seq(&mut w.tx).await?;
                    insert_revision(&mut w.tx, env, &hash, "conflict", &envelope, seq).await?;
                    sqlx::query("UPDATE records SET seq = ? WHERE id = ?").bind(seq).bind(&id).execute(&mut *w.tx).await?;
                    results.push(result(
                        env,
                        PushStatus::Conflict,
                        Some(seq),
                        Some(head_rev as u32),
                        vec![FieldError {
                            field: "base_revision".into(),
                            code: "outdated_base".into(),
                            message: format!("edited from revision {:?}, but the current one is {head_rev}", env.base_revision),
                        }],
                    ));
                }
            }
        }
        w.commit().await?;
        Ok(results)
    }

    /// The current revisions a scope may see, changed after `since`, oldest change first.
    /// Returns the page and whether more remain.
    pub async fn pull_records(&self, scope: &Scope, since: i64, limit: usize) -> anyhow::Result<(Vec<StoredRecord>, bool)> {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT id, envelope, seq FROM records WHERE seq > ");
        q.push_bind(since);
        if !scope.all {
            q.push(" AND (author_id = ");
            q.push_bind(scope.user.map(|u| u.0).unwrap_or(-1));
            for (column, ids) in [
                ("room_id", scope.rooms.iter().map(|r| r.0).collect::<Vec<_>>()),
                ("class_id", scope.classes.iter().map(|c| c.0).collect()),
                ("student_id", scope.students.iter().map(|s| s.0).collect()),
            ] {
                if !ids.is_empty() {
                    q.push(format!(" OR {column} IN ("));
                    let mut sep = q.separated(", ");
                    for id in ids {
                        sep.push_bind(id);
                    }
                    sep.push_unseparated(")");
                }
            }
            q.push(")");
        }
        q.push(" ORDER BY seq LIMIT ");
        q.push_bind(limit as i64 + 1);
        let rows = q.build().fetch_all(&self.pool).await?;
        let more = rows.len() > limit;
        let mut records = Vec::with_capacity(rows.len().min(limit));
        for row in rows.into_iter().take(limit) {
            let envelope: String = row.try_get("envelope")?;
            records.push(StoredRecord { seq: row.try_get("seq")?, record: serde_json::from_str(&envelope)?, conflicts: vec![] });
        }
        if !records.is_empty() {
            let mut q: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT id, revision FROM record_revisions WHERE status = 'conflict' AND id IN (");
            let mut sep = q.separated(", ");
            for r in &records {
                sep.push_bind(r.record.id.to_string());
            }
            sep.push_unseparated(") ORDER BY revision");
            let mut conflicts: HashMap<String, Vec<u32>> = HashMap::new();
            for row in q.build().fetch_all(&self.pool).await? {
                conflicts.entry(row.try_get("id")?).or_default().push(row.try_get::<i64, _>("revision")? as u32);
            }
            for r in &mut records {
                if let Some(c) = conflicts.remove(&r.record.id.to_string()) {
                    r.conflicts = c;
                }
            }
        }
        Ok((records, more))
    }

    /// The current change number.
    pub async fn current_seq(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("SELECT value FROM change_seq WHERE id = 1").fetch_one(&self.pool).await?)
    }

    /// How many revisions of a record the server holds, by status (for tests and audits).
    pub async fn revision_statuses(&self, id: uuid::Uuid) -> anyhow::Result<Vec<(u32, String)>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT revision, status FROM record_revisions WHERE id = ? ORDER BY seq")
                .bind(id.to_string())
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(r, s)| (r as u32, s)).collect())
    }
}

/// Makes this revision the record's current one, whether the record is new or not.
async fn upsert_head(
    tx: &mut sqlx::Transaction<'static, Sqlite>,
    env: &RecordEnvelope,
    author: UserId,
    envelope: &str,
    seq: i64,
) -> sqlx::Result<()> {
    let (room, class, student) = subject_columns(env);
    sqlx::query(
        "INSERT INTO records (id, kind, revision, author_id, room_id, class_id, student_id, occurred_at, deleted, envelope, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, room_id = excluded.room_id,
             class_id = excluded.class_id, student_id = excluded.student_id, occurred_at = excluded.occurred_at,
             deleted = excluded.deleted, envelope = excluded.envelope, seq = excluded.seq",
    )
    .bind(env.id.to_string())
    .bind(env.body.kind())
    .bind(env.revision)
    .bind(author.0)
    .bind(room)
    .bind(class)
    .bind(student)
    .bind(env.body.occurred_at().to_rfc3339())
    .bind(env.deleted)
    .bind(envelope)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_revision(
    tx: &mut sqlx::Transaction<'static, Sqlite>,
    env: &RecordEnvelope,
    hash: &str,
    status: &str,
    envelope: &str,
    seq: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO record_revisions (id, revision, content_hash, base_revision, status, author_id, envelope, seq, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(env.id.to_string())
    .bind(env.revision)
    .bind(hash)
    .bind(env.base_revision)
    .bind(status)
    .bind(env.author_id.0)
    .bind(envelope)
    .bind(seq)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    // Whoever may see this revision may fetch the photos it names.
    super::photos::link_record(tx, env).await
}
