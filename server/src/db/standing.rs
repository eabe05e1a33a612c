//! A student's standing (学业预警, 处分, 帮扶 level) and its history. The standing lives in the
//! archive JSON; every write of an archive goes through here or calls [`record_changes`] in its
//! own transaction, so no change of standing is ever stored without its line of history.

use super::Tx;
use super::{next_seq, now_text, Store};
use super::{StoreError, StoreResult};
use rounds::{StandingChange, StandingDecision, StandingEdit, StandingHistoryEntry, Student, StudentArchive, StudentId, UserId};

/// The stored archive of a student, read inside the writing transaction so that the comparison
/// and the write see the same row. `Err(NotFound)` when there is no such student.
pub(super) async fn stored_archive(tx: &mut Tx, id: StudentId) -> StoreResult<Option<StudentArchive>> {
    let json: Option<String> =
        tx!(tx, |conn| sqlx::query_scalar::<_, Option<String>>("SELECT archive FROM students WHERE id = $1").bind(id.0).fetch_optional(conn).await)?
            .ok_or(StoreError::NotFound)?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

/// Adds one line of history per changed field.
pub(super) async fn record_changes(
    tx: &mut Tx,
    student: StudentId,
    changes: &[StandingChange],
    by: UserId,
    decision: Option<&StandingDecision>,
) -> sqlx::Result<()> {
    let at = now_text();
    let basis = decision.map(|d| d.basis.trim()).filter(|b| !b.is_empty());
    let decided = decision.and_then(|d| d.date).map(|d| d.to_string());
    for c in changes {
        tx!(tx, |conn| sqlx::query(
            "INSERT INTO standing_history (student_id, field, old_value, new_value, changed_by, changed_at, decision_on, basis)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(student.0)
        .bind(c.field)
        .bind(&c.old)
        .bind(&c.new)
        .bind(by.0)
        .bind(&at)
        .bind(&decided)
        .bind(basis)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

async fn write_archive(tx: &mut Tx, id: StudentId, archive: &StudentArchive) -> StoreResult<()> {
    let json = serde_json::to_string(archive)?;
    let seq = next_seq(tx).await?;
    tx!(tx, |conn| sqlx::query("UPDATE students SET archive = $1, updated_seq = $2 WHERE id = $3")
        .bind(json)
        .bind(seq)
        .bind(id.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

impl Store {
    /// Replaces a student's archive (the caller has checked who may write it). Unless `office`,
    /// a change of standing is refused with the fields named and nothing is written; the
    /// office's changes are kept in the history.
    pub async fn save_archive(&self, id: StudentId, archive: &StudentArchive, by: UserId, office: bool) -> StoreResult<Student> {
        let mut w = self.write().await?;
        let stored = stored_archive(&mut w.tx, id).await?;
        if !office {
            let refused = archive.standing_refusal(stored.as_ref());
            if !refused.is_empty() {
                return Err(StoreError::ForbiddenFields {
                    message: "the standing (warning, sanction, assistance level) is set by the student-affairs office".into(),
                    fields: refused,
                });
            }
        }
        let changes = archive.standing_changes(stored.as_ref());
        write_archive(&mut w.tx, id, archive).await?;
        record_changes(&mut w.tx, id, &changes, by, None).await?;
        w.commit().await?;
        self.stored_student(id).await?.ok_or(StoreError::NotFound)
    }

    /// The office's change of a student's standing alone: the rest of the archive is left as
    /// stored, so it cannot undo a counselor's edit made meanwhile. `check` validates the
    /// archive the change would leave (a warning date needs a level).
    pub async fn save_standing(
        &self,
        id: StudentId,
        edit: &StandingEdit,
        by: UserId,
        check: impl FnOnce(&StudentArchive) -> rounds::ValidationErrors,
    ) -> StoreResult<Student> {
        let mut w = self.write().await?;
        let stored = stored_archive(&mut w.tx, id).await?;
        let archive = stored.clone().unwrap_or_default().with_standing(&edit.standing);
        check(&archive).into_result().map_err(StoreError::Invalid)?;
        let changes = archive.standing_changes(stored.as_ref());
        if !changes.is_empty() {
            write_archive(&mut w.tx, id, &archive).await?;
            record_changes(&mut w.tx, id, &changes, by, edit.decision.as_ref()).await?;
            w.commit().await?;
        }
        self.stored_student(id).await?.ok_or(StoreError::NotFound)
    }

    /// Every recorded change of a student's standing, oldest first.
    pub async fn standing_history(&self, id: StudentId) -> StoreResult<Vec<StandingHistoryEntry>> {
        let rows = pool_rows!(self.pool, |conn| sqlx::query(
            "SELECT h.field, h.old_value, h.new_value, u.display_name, h.changed_at, h.decision_on, h.basis
             FROM standing_history h LEFT JOIN users u ON u.id = h.changed_by
             WHERE h.student_id = $1 ORDER BY h.id",
        )
        .bind(id.0)
        .fetch_all(conn)
        .await)?;
        rows.iter()
            .map(|r| {
                Ok(StandingHistoryEntry {
                    field: r.try_get("field")?,
                    old_value: r.try_get("old_value")?,
                    new_value: r.try_get("new_value")?,
                    changed_by: r.try_get("display_name")?,
                    changed_at: r.try_get("changed_at")?,
                    decision_on: r.try_get::<Option<String>, _>("decision_on")?.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    basis: r.try_get("basis")?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(StoreError::from)
    }
}
