//! Sign-in through the university: staff numbers on accounts, sign-ins under way, and which
//! sessions the university's sign-in opened (see the `sso` module).

use super::users::UserRow;
use super::{Store, StoreError, StoreResult};
use rounds::UserId;

/// A sign-in under way at the university's server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// `cas` or `oidc`.
    pub protocol: String,
    /// OpenID Connect's state, nonce and PKCE verifier (empty for CAS).
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// The app's path to land on afterwards, already checked to be one of ours.
    pub next: String,
}

impl Store {
    /// Keeps a sign-in under way for `ttl`, found by `id_hash`; forgets those that ran out.
    pub async fn save_sso_pending(&self, id_hash: &str, p: &Pending, ttl: chrono::Duration) -> StoreResult<()> {
        let now = chrono::Utc::now();
        let mut w = self.write().await?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM sso_pending WHERE expires_at < $1").bind(now.to_rfc3339()).execute(c).await.map(|r| r.rows_affected()))?;
        tx!(w.tx, |c| sqlx::query(
            "INSERT INTO sso_pending (id_hash, protocol, state, nonce, pkce_verifier, next, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id_hash) DO UPDATE SET protocol = excluded.protocol, state = excluded.state, nonce = excluded.nonce,
                 pkce_verifier = excluded.pkce_verifier, next = excluded.next, expires_at = excluded.expires_at"
        )
        .bind(id_hash)
        .bind(&p.protocol)
        .bind(&p.state)
        .bind(&p.nonce)
        .bind(&p.pkce_verifier)
        .bind(&p.next)
        .bind((now + ttl).to_rfc3339())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    /// Takes a sign-in under way: it is gone afterwards whatever comes of it (used once), and
    /// one that ran out is not answered.
    pub async fn take_sso_pending(&self, id_hash: &str) -> StoreResult<Option<Pending>> {
        let mut w = self.write().await?;
        let row: Option<(String, String, String, String, String)> = tx!(w.tx, |c| sqlx::query_as(
            "DELETE FROM sso_pending WHERE id_hash = $1 AND expires_at >= $2 RETURNING protocol, state, nonce, pkce_verifier, next"
        )
        .bind(id_hash)
        .bind(chrono::Utc::now().to_rfc3339())
        .fetch_optional(c)
        .await)?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM sso_pending WHERE id_hash = $1").bind(id_hash).execute(c).await.map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(row.map(|(protocol, state, nonce, pkce_verifier, next)| Pending { protocol, state, nonce, pkce_verifier, next }))
    }

    /// The account the office gave this staff number, if any.
    pub async fn user_by_staff_no(&self, staff_no: &str) -> StoreResult<Option<UserRow>> {
        let username: Option<String> =
            pool!(self.pool, |c| sqlx::query_scalar("SELECT username FROM users WHERE staff_no = $1").bind(staff_no).fetch_optional(c).await)?;
        match username {
            Some(name) => self.user_by_name(&name).await,
            None => Ok(None),
        }
    }

    pub async fn staff_no_of(&self, user: UserId) -> StoreResult<Option<String>> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar("SELECT staff_no FROM users WHERE id = $1").bind(user.0).fetch_optional(c).await)?.flatten())
    }

    /// Gives an account its staff number, or takes it away (`None`): `NotFound` without such an
    /// account, `Conflict` (`staff_no_taken`) when another account has the number.
    pub async fn set_staff_no(&self, user: UserId, staff_no: Option<&str>) -> StoreResult<()> {
        let mut w = self.write().await?;
        let done =
            tx!(w.tx, |c| sqlx::query("UPDATE users SET staff_no = $1 WHERE id = $2").bind(staff_no).bind(user.0).execute(c).await.map(|r| r.rows_affected()));
        match done {
            Ok(0) => Err(StoreError::NotFound),
            Ok(_) => w.commit().await,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::conflict_on("staff_no_taken", "staff_no", "taken", "another account has this staff number".into()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Notes that the university's sign-in opened this session, and the ID token its logout wants.
    pub async fn mark_sso_session(&self, token_hash: &str, protocol: &str, id_token: Option<&str>) -> StoreResult<()> {
        let mut w = self.write().await?;
        tx!(w.tx, |c| sqlx::query("UPDATE sessions SET sso = $1, sso_id_token = $2 WHERE token_hash = $3")
            .bind(protocol)
            .bind(id_token)
            .bind(token_hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    /// Which sign-in opened a session (`None`: a password), with the ID token it kept.
    pub async fn sso_of_session(&self, token_hash: &str) -> StoreResult<Option<(String, Option<String>)>> {
        let row: Option<(Option<String>, Option<String>)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT sso, sso_id_token FROM sessions WHERE token_hash = $1").bind(token_hash).fetch_optional(c).await)?;
        Ok(row.and_then(|(sso, token)| sso.map(|s| (s, token))))
    }

    /// Notes which university session opened a Rounds session, for the university's
    /// back-channel logout: CAS's service ticket, or the OpenID provider's `sid` and `sub`.
    pub async fn mark_sso_origin(&self, token_hash: &str, sso_session: Option<&str>, sso_subject: Option<&str>) -> StoreResult<()> {
        let mut w = self.write().await?;
        tx!(w.tx, |c| sqlx::query("UPDATE sessions SET sso_session = $1, sso_subject = $2 WHERE token_hash = $3")
            .bind(sso_session)
            .bind(sso_subject)
            .bind(token_hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        w.commit().await
    }

    /// Ends the sessions the university's sign-in of `protocol` opened in the university session
    /// `sso_session`, or, when only a subject is named, every session of that subject; with both,
    /// the sessions that match both. Answers how many ended.
    pub async fn end_sso_sessions(&self, protocol: &str, sso_session: Option<&str>, sso_subject: Option<&str>) -> StoreResult<u64> {
        if sso_session.is_none() && sso_subject.is_none() {
            return Ok(0);
        }
        let mut w = self.write().await?;
        let ended =
            tx!(w.tx, |c| sqlx::query("DELETE FROM sessions WHERE sso = $1 AND ($2 IS NULL OR sso_session = $3) AND ($4 IS NULL OR sso_subject = $5)")
                .bind(protocol)
                .bind(sso_session)
                .bind(sso_session)
                .bind(sso_subject)
                .bind(sso_subject)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        w.commit().await?;
        Ok(ended)
    }
}
