//! The one record store for every kind: idempotent upsert by (id, revision, content), the
//! revision history, and the pull by change number.

use super::roster::Scope;
use super::visibility::push_visible_to;
use super::Tx;
use super::{next_seq, now_text, Store, StoreResult};
use rounds::access::SubjectColumn;
use rounds::sync::{PushResult, PushStatus, RecordRevision, RevisionStatus, StoredRecord};
use rounds::{FieldError, RecordBody, RecordEnvelope, UserId};
use sha2::{Digest, Sha256};
use sqlx::QueryBuilder;
use std::collections::HashMap;

/// The hash that tells a replay (same bytes) from a different edit with the same revision number.
pub fn content_hash(env: &RecordEnvelope) -> StoreResult<String> {
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

impl Store {
    /// Stores already validated records of one author in one transaction, one result each.
    pub async fn apply_records(&self, author: UserId, records: &[RecordEnvelope]) -> StoreResult<Vec<PushResult>> {
        let mut w = self.write().await?;
        let results = apply_records_in(&mut w.tx, author, records).await?;
        w.commit().await?;
        Ok(results)
    }

    /// The current, undeleted revision of every record of a kind.
    pub async fn current_records_of(&self, kind: &str) -> StoreResult<Vec<RecordEnvelope>> {
        let rows: Vec<String> = pool!(self.pool, |c| sqlx::query_scalar("SELECT envelope FROM records WHERE kind = $1 AND deleted = FALSE ORDER BY seq")
            .bind(kind)
            .fetch_all(c)
            .await)?;
        rows.iter().map(|j| Ok(serde_json::from_str(j)?)).collect()
    }

    /// The current revisions a scope may see, changed after `since`, oldest change first.
    /// Returns the page and whether more remain.
    pub async fn pull_records(&self, scope: &Scope, since: i64, limit: usize) -> StoreResult<(Vec<StoredRecord>, bool)> {
        let rows: Vec<(String, i64)> = pool!(self.pool, |c| {
            let mut q = QueryBuilder::<Db>::new("SELECT envelope, seq FROM records WHERE seq > ");
            q.push_bind(since);
            push_visible_to(&mut q, scope);
            q.push(" ORDER BY seq LIMIT ");
            q.push_bind(limit as i64 + 1);
            q.build_query_as().fetch_all(c).await
        })?;
        let more = rows.len() > limit;
        let mut records = Vec::with_capacity(rows.len().min(limit));
        for (envelope, seq) in rows.into_iter().take(limit) {
            records.push(StoredRecord { seq, record: serde_json::from_str(&envelope)?, conflicts: vec![] });
        }
        if !records.is_empty() {
            let rows: Vec<(String, i64)> = pool!(self.pool, |c| {
                let mut q = QueryBuilder::<Db>::new("SELECT id, revision FROM record_revisions WHERE status = 'conflict' AND id IN (");
                let mut sep = q.separated(", ");
                for r in &records {
                    sep.push_bind(r.record.id.to_string());
                }
                sep.push_unseparated(") ORDER BY revision");
                q.build_query_as().fetch_all(c).await
            })?;
            let mut conflicts: HashMap<String, Vec<u32>> = HashMap::new();
            for (id, revision) in rows {
                conflicts.entry(id).or_default().push(revision as u32);
            }
            for r in &mut records {
                if let Some(c) = conflicts.remove(&r.record.id.to_string()) {
                    r.conflicts = c;
                }
            }
        }
        Ok((records, more))
    }

    /// Every revision of a record, oldest first, if the scope may read the record; `None` when
    /// it does not exist or is not theirs to see (the API answers both with 404).
    pub async fn revision_history(&self, scope: &Scope, id: uuid::Uuid) -> StoreResult<Option<Vec<RecordRevision>>> {
        let visible: Option<String> = pool!(self.pool, |c| {
            let mut q = QueryBuilder::<Db>::new("SELECT id FROM records WHERE id = ");
            q.push_bind(id.to_string());
            push_visible_to(&mut q, scope);
            q.build_query_scalar().fetch_optional(c).await
        })?;
        if visible.is_none() {
            return Ok(None);
        }
        let rows = pool_rows!(self.pool, |c| sqlx::query("SELECT status, received_at, envelope FROM record_revisions WHERE id = $1 ORDER BY seq")
            .bind(id.to_string())
            .fetch_all(c)
            .await)?;
        let mut revisions = Vec::with_capacity(rows.len());
        for row in rows {
            let status = match row.try_get::<String, _>("status")?.as_str() {
                "current" => RevisionStatus::Current,
                "superseded" => RevisionStatus::Superseded,
                _ => RevisionStatus::Conflict,
            };
            let received_at = chrono::DateTime::parse_from_rfc3339(&row.try_get::<String, _>("received_at")?)?;
            let record = serde_json::from_str(&row.try_get::<String, _>("envelope")?)?;
            revisions.push(RecordRevision { status, received_at, record });
        }
        Ok(Some(revisions))
    }

    /// The current change number.
    pub async fn current_seq(&self) -> StoreResult<i64> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar("SELECT value FROM change_seq WHERE id = 1").fetch_one(c).await)?)
    }

    /// How many revisions of a record the server holds, by status (for tests and audits).
    pub async fn revision_statuses(&self, id: uuid::Uuid) -> StoreResult<Vec<(u32, String)>> {
        let rows: Vec<(i64, String)> = pool!(self.pool, |c| sqlx::query_as("SELECT revision, status FROM record_revisions WHERE id = $1 ORDER BY seq")
            .bind(id.to_string())
            .fetch_all(c)
            .await)?;
        Ok(rows.into_iter().map(|(r, s)| (r as u32, s)).collect())
    }
}

/// [`Store::apply_records`] inside a transaction the caller holds, so a write of the server's own
/// (an identification opening cases) and its records commit together.
pub(super) async fn apply_records_in(tx: &mut Tx, author: UserId, records: &[RecordEnvelope]) -> StoreResult<Vec<PushResult>> {
    let mut results = Vec::with_capacity(records.len());
    for env in records {
        let hash = content_hash(env)?;
        let id = env.id.to_string();
        let envelope = serde_json::to_string(env)?;

        let head: Option<(i64, i64, String)> =
            tx!(tx, |c| sqlx::query_as("SELECT revision, author_id, kind FROM records WHERE id = $1").bind(&id).fetch_optional(c).await)?;
        let known: Option<String> =
            tx!(tx, |c| sqlx::query_scalar("SELECT status FROM record_revisions WHERE id = $1 AND revision = $2 AND content_hash = $3")
                .bind(&id)
                .bind(i64::from(env.revision))
                .bind(&hash)
                .fetch_optional(c)
                .await)?;
        if known.is_some() {
            let current = head.map(|(r, _, _)| r as u32);
            results.push(result(env, PushStatus::Duplicate, None, current, vec![]));
            continue;
        }

        match head {
            Some((_, head_author, _)) if head_author != author.0 => {
                results.push(result(
                    env,
                    PushStatus::Forbidden,
                    None,
                    None,
                    vec![FieldError { field: "id".into(), code: "not_author".into(), message: "only its author may change a record".into() }],
                ));
            }
            // Refused alone, before it could become the head or a conflict beside it: the
            // rest of the batch is kept.
            Some((head_rev, _, kind)) if !env.kind_change(&kind).is_empty() => {
                results.push(result(env, PushStatus::Invalid, None, Some(head_rev as u32), env.kind_change(&kind).0));
            }
            None => {
                let seq = next_seq(tx).await?;
                upsert_head(tx, env, author, &envelope, seq).await?;
                insert_revision(tx, env, &hash, "current", &envelope, seq).await?;
                refresh_thread_parties(tx, env).await?;
                set_named_parties(tx, env).await?;
                results.push(result(env, PushStatus::Accepted, Some(seq), Some(env.revision), vec![]));
            }
            Some((head_rev, _, _)) if env.base_revision == Some(head_rev as u32) && env.revision as i64 > head_rev => {
                let seq = next_seq(tx).await?;
                upsert_head(tx, env, author, &envelope, seq).await?;
                tx!(tx, |c| sqlx::query("UPDATE record_revisions SET status = 'superseded' WHERE id = $1 AND status = 'current'")
                    .bind(&id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))?;
                insert_revision(tx, env, &hash, "current", &envelope, seq).await?;
                refresh_thread_parties(tx, env).await?;
                set_named_parties(tx, env).await?;
                results.push(result(env, PushStatus::Accepted, Some(seq), Some(env.revision), vec![]));
            }
            Some((head_rev, _, _)) => {
                // Kept beside the current revision, never over it; the record gets a new
                // change number so every device learns of the conflict on its next pull.
                let seq = next_seq(tx).await?;
                insert_revision(tx, env, &hash, "conflict", &envelope, seq).await?;
                tx!(tx, |c| sqlx::query("UPDATE records SET seq = $1 WHERE id = $2").bind(seq).bind(&id).execute(c).await.map(|r| r.rows_affected()))?;
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
    Ok(results)
}

/// Gives every record of `env`'s issue thread to the thread's parties: the raiser and everyone
/// the issue was ever assigned to (an assignee keeps what they worked on). A record newly given
/// to someone gets a new change number, so their next pull brings it though it is older than
/// their cursor.
async fn refresh_thread_parties(tx: &mut Tx, env: &RecordEnvelope) -> StoreResult<()> {
    let Some(thread) = env.body.issue_thread(env.id).map(|t| t.to_string()) else { return Ok(()) };
    let Some(raiser): Option<i64> =
        tx!(tx, |c| sqlx::query_scalar("SELECT author_id FROM records WHERE id = $1 AND kind = 'student_issue'").bind(&thread).fetch_optional(c).await)?
    else {
        return Ok(());
    };
    let steps: Vec<String> =
        tx!(tx, |c| sqlx::query_scalar("SELECT envelope FROM records WHERE thread_id = $1 AND kind = 'issue_step' AND deleted = FALSE ORDER BY seq")
            .bind(&thread)
            .fetch_all(c)
            .await)?;
    let mut parties = std::collections::BTreeSet::from([raiser]);
    for step in steps {
        if let RecordBody::IssueStep(s) = serde_json::from_str::<RecordEnvelope>(&step)?.body {
            parties.extend(s.assignee_id.map(|a| a.0));
        }
    }
    let members: Vec<String> = tx!(tx, |c| sqlx::query_scalar("SELECT id FROM records WHERE thread_id = $1 ORDER BY seq").bind(&thread).fetch_all(c).await)?;
    for member in members {
        let mut given = false;
        for party in &parties {
            let done = tx!(tx, |c| sqlx::query("INSERT INTO record_parties (record_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(&member)
                .bind(party)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
            given |= done > 0;
        }
        if given {
            let seq = next_seq(tx).await?;
            tx!(tx, |c| sqlx::query("UPDATE records SET seq = $1 WHERE id = $2").bind(seq).bind(&member).execute(c).await.map(|r| r.rows_affected()))?;
        }
    }
    Ok(())
}

/// The parties a record names itself (a home visit plan's staff), as its current revision names
/// them: someone taken off the plan no longer receives it. The revision has a new change
/// number, so someone added pulls it.
async fn set_named_parties(tx: &mut Tx, env: &RecordEnvelope) -> StoreResult<()> {
    if !env.body.names_parties() {
        return Ok(());
    }
    let id = env.id.to_string();
    tx!(tx, |c| sqlx::query("DELETE FROM record_parties WHERE record_id = $1").bind(&id).execute(c).await.map(|r| r.rows_affected()))?;
    let named: std::collections::BTreeSet<i64> = env.body.named_parties().into_iter().map(|(_, u)| u.0).collect();
    for user in named {
        tx!(tx, |c| sqlx::query("INSERT INTO record_parties (record_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&id)
            .bind(user)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Makes this revision the record's current one, whether the record is new or not.
async fn upsert_head(tx: &mut Tx, env: &RecordEnvelope, author: UserId, envelope: &str, seq: i64) -> sqlx::Result<()> {
    let [room, class, student, club, branch] = SubjectColumn::values(env.body.subject());
    tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO records (id, kind, revision, author_id, room_id, class_id, student_id, club_id, branch_id, occurred_at, deleted, envelope, seq, activity, thread_id, counterpart)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, room_id = excluded.room_id,
             class_id = excluded.class_id, student_id = excluded.student_id, club_id = excluded.club_id,
             branch_id = excluded.branch_id, occurred_at = excluded.occurred_at,
             deleted = excluded.deleted, envelope = excluded.envelope, seq = excluded.seq, activity = excluded.activity,
             counterpart = excluded.counterpart",
    )
    .bind(env.id.to_string())
    .bind(env.body.kind())
    .bind(i64::from(env.revision))
    .bind(author.0)
    .bind(room)
    .bind(class)
    .bind(student)
    .bind(club)
    .bind(branch)
    .bind(env.body.occurred_at().to_rfc3339())
    .bind(env.deleted)
    .bind(envelope)
    .bind(seq)
    .bind(env.body.activity().map(i64::from))
    .bind(env.body.issue_thread(env.id).map(|t| t.to_string()))
    .bind(env.body.counterpart())
    .execute(c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

async fn insert_revision(tx: &mut Tx, env: &RecordEnvelope, hash: &str, status: &str, envelope: &str, seq: i64) -> StoreResult<()> {
    tx!(tx, |c| sqlx::query(
        "INSERT INTO record_revisions (id, revision, content_hash, base_revision, status, author_id, envelope, seq, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(env.id.to_string())
    .bind(i64::from(env.revision))
    .bind(hash)
    .bind(env.base_revision.map(i64::from))
    .bind(status)
    .bind(env.author_id.0)
    .bind(envelope)
    .bind(seq)
    .bind(now_text())
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    // Whoever may see this revision may fetch the photos it names.
    super::photos::link_record(tx, env).await
}
