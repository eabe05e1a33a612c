//! Accounts and sessions: argon2id hashes, a database-backed session behind an HttpOnly
//! SameSite cookie, slowed-down failed logins, and the Origin check on writes.

use crate::error::ApiError;
use crate::state::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::RngCore;
use rounds::UserProfile;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "rounds_session";
pub const SESSION_DAYS: i64 = 30;
/// Failures allowed before sign-ins of that account are delayed.
const FREE_FAILURES: i64 = 5;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Checks a password policy that a person can meet on a phone keyboard.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let mut errors = rounds::ValidationErrors::new();
    rounds::admin::check_password(&mut errors, "password", password);
    match errors.0.into_iter().next() {
        Some(e) => Err(format!("the password {}", e.message)),
        None => Ok(()),
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How long an account must wait after `failures` failed sign-ins: nothing for the first few,
/// then doubling from 30 seconds up to 15 minutes.
pub fn lockout_seconds(failures: i64) -> u64 {
    if failures < FREE_FAILURES {
        0
    } else {
        let steps = (failures - FREE_FAILURES).min(5) as u32;
        (30u64 << steps).min(900)
    }
}

/// Signs a user in: checks the password, opens a session, returns its cookie.
pub async fn login(state: &AppState, username: &str, password: &str) -> Result<(UserProfile, Cookie<'static>), ApiError> {
    let row = state.store.user_by_name(username.trim()).await?;
    let Some(row) = row else {
        // Spend the same effort as for a real account, so timing does not reveal usernames.
        let _ = verify_password(password, &state.dummy_hash);
        return Err(ApiError::BadCredentials);
    };
    if let Some(last) = row.last_failed_at {
        let wait = lockout_seconds(row.failed_logins) as i64;
        let elapsed = (chrono::Utc::now() - last).num_seconds();
        if elapsed < wait {
            return Err(ApiError::TooManyAttempts { retry_after: (wait - elapsed).max(1) as u64 });
        }
    }
    let hash = row.password_hash.clone();
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    if !ok {
        state.store.record_login_failure(row.profile.id).await?;
        return Err(ApiError::BadCredentials);
    }
    // Told only after the right password, so it reveals nothing to a guesser.
    if row.disabled {
        return Err(ApiError::AccountDisabled);
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    state
        .store
        .create_session(row.profile.id, &token_hash(&token), chrono::Duration::days(SESSION_DAYS))
        .await?;
    Ok((row.profile, session_cookie(token, state.config.secure_cookies)))
}

pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(time_days(SESSION_DAYS))
        .build()
}

fn time_days(days: i64) -> cookie::time::Duration {
    cookie::time::Duration::days(days)
}

pub fn removal_cookie() -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, "")).path("/").max_age(time_days(0)).build()
}

pub async fn logout(state: &AppState, jar: &CookieJar) -> Result<(), ApiError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(&token_hash(c.value())).await?;
    }
    Ok(())
}

/// The signed-in user of a request; a handler that takes it answers 401 without a session.
pub struct CurrentUser(pub UserProfile);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Err(ApiError::Unauthorized);
        };
        match state.store.session_user(&token_hash(cookie.value())).await? {
            Some(user) => Ok(CurrentUser(user)),
            None => Err(ApiError::Unauthorized),
        }
    }
}

/// Refuses writes whose Origin is another site's. A browser always sends Origin on a POST or
/// DELETE; programs that send none are let through (they hold no victim's cookie).
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let headers = request.headers();
        if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
            return Err(ApiError::Forbidden("cross-site requests may not write".into()));
        }
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !origin_allowed(origin, host, state.config.public_origin.as_deref()) {
                return Err(ApiError::Forbidden(format!("requests from {origin} may not write here")));
            }
        }
    }
    Ok(next.run(request).await)
}

pub fn origin_allowed(origin: &str, host: &str, public_origin: Option<&str>) -> bool {
    if public_origin.is_some_and(|p| p.trim_end_matches('/') == origin) {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    !host.is_empty() && origin_host == host
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_differ() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("wrong horse", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn lockout_grows_then_caps() {
        assert_eq!(lockout_seconds(0), 0);
        assert_eq!(lockout_seconds(4), 0);
        assert_eq!(lockout_seconds(5), 30);
        assert_eq!(lockout_seconds(6), 60);
        assert_eq!(lockout_seconds(50), 900);
    }

    #[test]
    fn origin_must_match_host() {
        assert!(origin_allowed("http://127.0.0.1:3000", "127.0.0.1:3000", None));
        assert!(!origin_allowed("http://evil.example", "127.0.0.1:3000", None));
        assert!(!origin_allowed("null", "127.0.0.1:3000", None));
        assert!(origin_allowed("https://rounds.school.edu.cn", "10.0.0.5:3000", Some("https://rounds.school.edu.cn/")));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_new_password("1234567").is_err());
        assert!(check_new_password("12345678").is_ok());
    }
}
