//! Accounts, sessions and class assignments.

use super::{now_text, Store};
use rounds::{ClassId, Role, UserId, UserProfile};
use sqlx::Row;

pub struct UserRow {
    pub profile: UserProfile,
    pub password_hash: String,
    pub failed_logins: i64,
    pub last_failed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Disabled by the office: the account cannot sign in.
    pub disabled: bool,
}

fn profile_from(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<UserProfile> {
    let role: String = row.try_get("role")?;
    Ok(UserProfile {
        id: UserId(row.try_get("id")?),
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
    })
}

impl Store {
    pub async fn create_user(&self, username: &str, display_name: &str, role: Role, password_hash: &str) -> anyhow::Result<UserId> {
        let mut w = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now_text())
        .fetch_one(&mut *w.tx)
        .await?;
        w.commit().await?;
        Ok(UserId(id))
    }

    pub async fn set_password(&self, username: &str, password_hash: &str) -> anyhow::Result<bool> {
        let mut w = self.write().await?;
        let done = sqlx::query("UPDATE users SET password_hash = ?, failed_logins = 0, last_failed_at = NULL WHERE username = ?")
            .bind(password_hash)
            .bind(username)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        // A new password ends every session of the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)")
            .bind(username)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await?;
        Ok(done == 1)
    }

    pub async fn user_by_name(&self, username: &str) -> anyhow::Result<Option<UserRow>> {
        let row = sqlx::query("SELECT * FROM users WHERE username = ?").bind(username).fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        let last: Option<String> = row.try_get("last_failed_at")?;
        Ok(Some(UserRow {
            profile: profile_from(&row)?,
            password_hash: row.try_get("password_hash")?,
            failed_logins: row.try_get("failed_logins")?,
            last_failed_at: last
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&chrono::Utc)),
            disabled: row.try_get("disabled")?,
        }))
    }

    pub async fn user_count(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
    }

    pub async fn record_login_failure(&self, user: UserId) -> anyhow::Result<()> {
        let mut w = self.write().await?;
        sqlx::query("UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE id = ?")
            .bind(now_text())
            .bind(user.0)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await
    }

    pub async fn create_session(&self, user: UserId, token_hash: &str, ttl: chrono::Duration) -> anyhow::Result<()> {
        let now = chrono::Utc::now();
        let mut w = self.write().await?;
        sqlx::query("UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE id = ?")
            .bind(user.0)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < ?").bind(now.to_rfc3339()).execute(&mut *w.tx).await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user.0)
            .bind(now.to_rfc3339())
            .bind((now + ttl).to_rfc3339())
            .execute(&mut *w.tx)
            .await?;
        w.commit().await
    }

    pub async fn session_user(&self, token_hash: &str) -> anyhow::Result<Option<UserProfile>> {
        let row = sqlx::query(
            "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
        )
        .bind(token_hash)
        .bind(now_text())
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(profile_from(&row)?),
            None => None,
        })
    }

    pub async fn delete_session(&self, token_hash: &str) -> anyhow::Result<()> {
        let mut w = self.write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash).execute(&mut *w.tx).await?;
        w.commit().await
    }

    pub async fn assign_class(&self, user: UserId, class: ClassId) -> anyhow::Result<()> {
        let mut w = self.write().await?;
        let seq = super::next_seq(&mut w.tx).await?;
        sqlx::query("INSERT OR REPLACE INTO class_assignments (user_id, class_id, updated_seq) VALUES (?, ?, ?)")
            .bind(user.0)
            .bind(class.0)
            .bind(seq)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await
    }

    pub async fn assigned_classes(&self, user: UserId) -> anyhow::Result<Vec<ClassId>> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT class_id FROM class_assignments WHERE user_id = ? ORDER BY class_id")
            .bind(user.0)
            .fetch_all(&self.pool)
            .await?;
        Ok(ids.into_iter().map(ClassId).collect())
    }
}
