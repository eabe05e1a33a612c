//! The issue ledger as stored: an issue's thread (the issue and its steps are records; see
//! `records::refresh_thread_parties` for who else sees them), the office's due days, and the
//! people of the yearly contact-work report.

use super::{now_text, Store, StoreResult};
use rounds::kinds::issue::{IssueStep, StudentIssue};
use rounds::ledger::IssueDueDays;
use rounds::{RecordBody, RecordEnvelope, UserId};
use std::collections::HashMap;

/// An issue with its raiser and its steps so far.
pub struct IssueThread {
    pub raiser: UserId,
    pub issue: StudentIssue,
    pub steps: Vec<(uuid::Uuid, IssueStep)>,
}

impl Store {
    /// The issue `id` and its current, undeleted steps; `None` when there is no such issue.
    pub async fn issue_thread(&self, id: uuid::Uuid) -> StoreResult<Option<IssueThread>> {
        let rows: Vec<(String, String)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT kind, envelope FROM records WHERE thread_id = $1 AND deleted = FALSE ORDER BY seq")
                .bind(id.to_string())
                .fetch_all(c)
                .await)?;
        let mut issue = None;
        let mut steps = Vec::new();
        for (_, envelope) in rows {
            let env: RecordEnvelope = serde_json::from_str(&envelope)?;
            match env.body {
                RecordBody::StudentIssue(i) if env.id == id => issue = Some((env.author_id, i)),
                RecordBody::IssueStep(s) => steps.push((env.id, s)),
                _ => {}
            }
        }
        Ok(issue.map(|(raiser, issue)| IssueThread { raiser, issue, steps }))
    }

    /// Every current issue and step: the ledger's records.
    pub async fn ledger_records(&self) -> StoreResult<Vec<RecordEnvelope>> {
        let rows: Vec<String> = pool!(self.pool, |c| sqlx::query_scalar(
            "SELECT envelope FROM records WHERE kind IN ('student_issue', 'issue_step') AND deleted = FALSE ORDER BY seq"
        )
        .fetch_all(c)
        .await)?;
        rows.iter().map(|j| Ok(serde_json::from_str(j)?)).collect()
    }

    /// The steps anyone took on the issues `raiser` raised: their summary counts issues by them.
    pub async fn steps_on_issues_of(&self, raiser: UserId) -> StoreResult<Vec<RecordEnvelope>> {
        let rows: Vec<String> = pool!(self.pool, |c| sqlx::query_scalar(
            "SELECT s.envelope FROM records s JOIN records i ON i.id = s.thread_id
             WHERE s.kind = 'issue_step' AND s.deleted = FALSE AND i.kind = 'student_issue' AND i.author_id = $1 ORDER BY s.seq",
        )
        .bind(raiser.0)
        .fetch_all(c)
        .await)?;
        rows.iter().map(|j| Ok(serde_json::from_str(j)?)).collect()
    }

    /// Every account's name, disabled ones too (they raised and resolved issues once).
    pub async fn staff_names(&self) -> StoreResult<HashMap<UserId, String>> {
        let rows: Vec<(i64, String)> = pool!(self.pool, |c| sqlx::query_as("SELECT id, display_name FROM users").fetch_all(c).await)?;
        Ok(rows.into_iter().map(|(id, name)| (UserId(id), name)).collect())
    }

    /// Whether `id` is an active account an issue can be assigned to.
    pub async fn is_active_account(&self, id: UserId) -> StoreResult<bool> {
        Ok(self.active_accounts([id]).await?.contains(&id))
    }

    /// Which of `ids` are active accounts, in one query.
    pub async fn active_accounts(&self, ids: impl IntoIterator<Item = UserId>) -> StoreResult<std::collections::HashSet<UserId>> {
        let ids: std::collections::BTreeSet<i64> = ids.into_iter().map(|u| u.0).collect();
        let found: Vec<i64> = pool!(self.pool, |c| {
            let mut q = sqlx::QueryBuilder::<Db>::new("SELECT id FROM users WHERE disabled = FALSE AND id IN (");
            let mut sep = q.separated(", ");
            for id in &ids {
                sep.push_bind(*id);
            }
            sep.push_unseparated(")");
            q.build_query_scalar().fetch_all(c).await
        })?;
        Ok(found.into_iter().map(UserId).collect())
    }

    /// The office's due days, or the defaults until it saves its own.
    pub async fn due_days(&self) -> StoreResult<IssueDueDays> {
        let saved: Option<String> =
            pool!(self.pool, |c| sqlx::query_scalar("SELECT due_days FROM ledger_settings WHERE id = 1").fetch_optional(c).await)?.flatten();
        Ok(match saved {
            Some(json) => serde_json::from_str(&json)?,
            None => IssueDueDays::default(),
        })
    }

    pub async fn set_due_days(&self, days: &IssueDueDays, by: UserId) -> StoreResult<()> {
        let mut w = self.write().await?;
        tx!(w.tx, |c| sqlx::query("UPDATE ledger_settings SET due_days = $1, updated_by = $2, updated_at = $3 WHERE id = 1")
            .bind(serde_json::to_string(days)?)
            .bind(by.0)
            .bind(now_text())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(())
    }

    /// Leaders and teachers (the `leader` role) with how many classes, rooms, clubs and branches
    /// each is linked to: the people of 002 四(五)'s yearly report.
    pub async fn leaders_with_links(&self) -> StoreResult<Vec<(UserId, String, u32)>> {
        let rows: Vec<(i64, String, i64)> = pool!(self.pool, |c| sqlx::query_as(
            "SELECT u.id, u.display_name, (SELECT COUNT(*) FROM leader_links l WHERE l.user_id = u.id)
             FROM users u WHERE u.role = 'leader' ORDER BY u.display_name, u.id",
        )
        .fetch_all(c)
        .await)?;
        Ok(rows.into_iter().map(|(id, name, links)| (UserId(id), name, links as u32)).collect())
    }
}
