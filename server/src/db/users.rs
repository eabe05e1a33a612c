//! Accounts, sessions and class assignments.

use super::DbRow;
use super::{now_text, Store, StoreResult};
use rounds::security::{Lockout, SessionInfo};
use rounds::{ClassId, Role, UserId, UserProfile};

pub struct UserRow {
    pub profile: UserProfile,
    pub password_hash: String,
    /// Disabled by the office: the account cannot sign in.
    pub disabled: bool,
}

fn profile_from(row: &impl DbRow) -> sqlx::Result<UserProfile> {
    let role: String = row.col("role")?;
    Ok(UserProfile {
        id: UserId(row.col("id")?),
        username: row.col("username")?,
        display_name: row.col("display_name")?,
        role: Role::parse(&role).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
    })
}

/// An address's failed sign-ins in the last `FAILURE_WINDOW_MINUTES` (see `crate::auth::throttle`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FailureCounts {
    /// On the account being tried, and when the newest was.
    pub pair: i64,
    pub pair_last: Option<chrono::DateTime<chrono::Utc>>,
    /// On any account, on how many accounts, and when the newest was.
    pub address: i64,
    pub address_accounts: i64,
    pub address_last: Option<chrono::DateTime<chrono::Utc>>,
}

impl Store {
    pub async fn create_user(&self, username: &str, display_name: &str, role: Role, password_hash: &str) -> StoreResult<UserId> {
        let mut w = self.write().await?;
        let id: i64 = tx!(w.tx, |c| sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(username)
        .bind(display_name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
        w.commit().await?;
        Ok(UserId(id))
    }

    pub async fn set_password(&self, username: &str, password_hash: &str) -> StoreResult<bool> {
        let mut w = self.write().await?;
        let done = tx!(w.tx, |c| sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2")
            .bind(password_hash)
            .bind(username)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        // A new password ends every session of the old one.
        tx!(w.tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)")
            .bind(username)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(done == 1)
    }

    pub async fn user_by_name(&self, username: &str) -> StoreResult<Option<UserRow>> {
        let row = pool_rows!(self.pool, |c| sqlx::query("SELECT * FROM users WHERE username = $1").bind(username).fetch_optional(c).await)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(UserRow { profile: profile_from(&row)?, password_hash: row.try_get("password_hash")?, disabled: row.try_get("disabled")? }))
    }

    pub async fn user_count(&self) -> StoreResult<i64> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(c).await)?)
    }

    /// Notes a failed sign-in by `address` for `username` (as typed, known or not), and
    /// forgets failures older than a day.
    pub async fn record_login_failure(&self, address: &str, username: &str) -> StoreResult<()> {
        let now = chrono::Utc::now();
        let mut w = self.write_unsequenced().await?;
        tx!(w.tx, |c| sqlx::query("INSERT INTO login_failures (address, username, at) VALUES ($1, $2, $3)")
            .bind(address)
            .bind(username)
            .bind(now.to_rfc3339())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind((now - chrono::Duration::days(1)).to_rfc3339())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    /// What `address` failed since `since`: on `username`, and on any account.
    pub async fn login_failures(&self, address: &str, username: &str, since: chrono::DateTime<chrono::Utc>) -> StoreResult<FailureCounts> {
        let since = since.to_rfc3339();
        let (pair, pair_last): (i64, Option<String>) =
            pool!(self.pool, |c| sqlx::query_as("SELECT COUNT(*), MAX(at) FROM login_failures WHERE address = $1 AND username = $2 AND at >= $3")
                .bind(address)
                .bind(username)
                .bind(&since)
                .fetch_one(c)
                .await)?;
        let (address_failures, accounts, address_last): (i64, i64, Option<String>) =
            pool!(self.pool, |c| sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT username), MAX(at) FROM login_failures WHERE address = $1 AND at >= $2")
                .bind(address)
                .bind(&since)
                .fetch_one(c)
                .await)?;
        let time = |t: Option<String>| t.and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&chrono::Utc));
        Ok(FailureCounts { pair, pair_last: time(pair_last), address: address_failures, address_accounts: accounts, address_last: time(address_last) })
    }

    /// A right password from `address`: its failures on that account are forgiven.
    pub async fn clear_login_failures(&self, address: &str, username: &str) -> StoreResult<()> {
        let mut w = self.write_unsequenced().await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM login_failures WHERE address = $1 AND username = $2")
            .bind(address)
            .bind(username)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    /// Keeps a lock-out for the office's list.
    pub async fn record_lockout(&self, lockout: &Lockout) -> StoreResult<()> {
        let mut w = self.write_unsequenced().await?;
        tx!(w.tx, |c| sqlx::query("INSERT INTO lockouts (address, username, failures, locked_until, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&lockout.address)
            .bind(&lockout.username)
            .bind(lockout.failures)
            .bind(lockout.locked_until.to_rfc3339())
            .bind(lockout.at.to_rfc3339())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    /// The newest lock-outs first.
    pub async fn recent_lockouts(&self, limit: i64) -> StoreResult<Vec<Lockout>> {
        let rows: Vec<(String, Option<String>, i64, String, String)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT address, username, failures, locked_until, at FROM lockouts ORDER BY at DESC, id DESC LIMIT $1")
                .bind(limit)
                .fetch_all(c)
                .await)?;
        rows.into_iter()
            .map(|(address, username, failures, until, at)| {
                Ok(Lockout {
                    address,
                    username,
                    failures,
                    locked_until: chrono::DateTime::parse_from_rfc3339(&until)?.with_timezone(&chrono::Utc),
                    at: chrono::DateTime::parse_from_rfc3339(&at)?.with_timezone(&chrono::Utc),
                })
            })
            .collect()
    }

    /// Opens a session from a device at `address` with `user_agent`; answers its public id (the
    /// id a person sees in their list of devices).
    pub async fn create_session(&self, user: UserId, token_hash: &str, ttl: chrono::Duration, address: &str, user_agent: &str) -> StoreResult<String> {
        let now = chrono::Utc::now();
        let public_id = hex::encode(rand::random::<[u8; 8]>());
        let mut w = self.write_unsequenced().await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now.to_rfc3339()).execute(c).await.map(|r| r.rows_affected()))?;
        tx!(w.tx, |c| sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, public_id, last_seen_at, address, user_agent)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(now.to_rfc3339())
        .bind((now + ttl).to_rfc3339())
        .bind(&public_id)
        .bind(now.to_rfc3339())
        .bind(address)
        .bind(user_agent)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(public_id)
    }

    /// The user of an open session and the session's public id. A session is open while
    /// it has not expired, was used within the office's idle timeout, and its account is
    /// enabled. Its last use is noted at most once a minute, so reads stay reads.
    pub async fn session_user(&self, token_hash: &str) -> StoreResult<Option<(UserProfile, String)>> {
        let now = chrono::Utc::now();
        // One read: the session, its user and the office's idle timeout together.
        let row = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT u.*, s.public_id AS session_id, COALESCE(s.last_seen_at, s.created_at) AS seen,
                    st.idle_timeout_minutes AS idle
             FROM sessions s JOIN users u ON u.id = s.user_id CROSS JOIN security_settings st
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = FALSE",
        )
        .bind(token_hash)
        .bind(now.to_rfc3339())
        .fetch_optional(c)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        let seen: String = row.try_get("seen")?;
        let Ok(seen) = chrono::DateTime::parse_from_rfc3339(&seen).map(|t| t.with_timezone(&chrono::Utc)) else {
            return Ok(None);
        };
        let idle = chrono::Duration::minutes(row.try_get("idle")?);
        if now - seen > idle {
            return Ok(None);
        }
        if now - seen > chrono::Duration::minutes(1) {
            let mut w = self.write_unsequenced().await?;
            tx!(w.tx, |c| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now.to_rfc3339())
                .bind(token_hash)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
            w.commit().await?;
        }
        Ok(Some((profile_from(&row)?, row.try_get("session_id")?)))
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let mut w = self.write_unsequenced().await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
        w.commit().await
    }

    /// A user's open sessions, the most recently used first (none marked current).
    pub async fn sessions_of(&self, user: UserId) -> StoreResult<Vec<SessionInfo>> {
        let rows: Vec<(String, String, Option<String>, String, String)> = pool!(self.pool, |c| sqlx::query_as(
            "SELECT public_id, created_at, last_seen_at, address, user_agent FROM sessions
             WHERE user_id = $1 AND expires_at > $2 ORDER BY COALESCE(last_seen_at, created_at) DESC",
        )
        .bind(user.0)
        .bind(now_text())
        .fetch_all(c)
        .await)?;
        let time = |t: &str| chrono::DateTime::parse_from_rfc3339(t).map(|t| t.with_timezone(&chrono::Utc));
        rows.into_iter()
            .map(|(id, created, seen, address, user_agent)| {
                let created_at = time(&created)?;
                let last_seen_at = match seen {
                    Some(s) => time(&s)?,
                    None => created_at,
                };
                Ok(SessionInfo { id, created_at, last_seen_at, address, user_agent, current: false })
            })
            .collect()
    }

    /// Ends sessions of `user`: the one with `public_id`, or every one but `keep`. Answers how
    /// many ended (a session of someone else is never touched).
    pub async fn end_sessions(&self, user: UserId, only: Option<&str>, keep: Option<&str>) -> StoreResult<u64> {
        let mut w = self.write().await?;
        let ended =
            tx!(w.tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR public_id = $3) AND ($4 IS NULL OR public_id <> $5)")
                .bind(user.0)
                .bind(only)
                .bind(only)
                .bind(keep)
                .bind(keep)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(ended)
    }

    pub async fn idle_timeout_minutes(&self) -> StoreResult<i64> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar("SELECT idle_timeout_minutes FROM security_settings WHERE id = 1").fetch_one(c).await)?)
    }

    pub async fn set_idle_timeout_minutes(&self, minutes: i64, by: UserId) -> StoreResult<()> {
        let mut w = self.write().await?;
        tx!(w.tx, |c| sqlx::query("UPDATE security_settings SET idle_timeout_minutes = $1, updated_by = $2, updated_at = $3 WHERE id = 1")
            .bind(minutes)
            .bind(by.0)
            .bind(now_text())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    pub async fn assign_class(&self, user: UserId, class: ClassId) -> StoreResult<()> {
        let mut w = self.write().await?;
        let seq = super::next_seq(&mut w.tx).await?;
        tx!(w.tx, |c| sqlx::query(
            "INSERT INTO class_assignments (user_id, class_id, updated_seq) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, class_id) DO UPDATE SET updated_seq = excluded.updated_seq"
        )
        .bind(user.0)
        .bind(class.0)
        .bind(seq)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    pub async fn assigned_classes(&self, user: UserId) -> StoreResult<Vec<ClassId>> {
        let ids: Vec<i64> = pool!(self.pool, |c| sqlx::query_scalar("SELECT class_id FROM class_assignments WHERE user_id = $1 ORDER BY class_id")
            .bind(user.0)
            .fetch_all(c)
            .await)?;
        Ok(ids.into_iter().map(ClassId).collect())
    }
}
