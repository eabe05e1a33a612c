//! Accounts and sessions: argon2id hashes (run on `hashing::HashingPool`), a database-backed session behind
//! an HttpOnly SameSite cookie (Secure over HTTPS) with an idle timeout, failed sign-ins
//! throttled per address and account, and the Origin check on writes.

use crate::error::ApiError;
use crate::state::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, Utc};
use rand::RngCore;
use rounds::UserProfile;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "rounds_session";
/// The longest a session lives, used or not; the office's idle timeout ends it sooner.
pub const SESSION_DAYS: i64 = 14;
/// Failures an address may make on one account before its sign-ins there are delayed.
const FREE_FAILURES: i64 = 5;
/// How far back failures count.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
/// An address that failed this often, on at least `SPRAY_ACCOUNTS` accounts, in the window is
/// trying passwords across the staff (a spray): it is stopped for every account.
pub const SPRAY_FAILURES: i64 = 20;
pub const SPRAY_ACCOUNTS: i64 = 5;
const SPRAY_LOCK_SECONDS: i64 = 900;

/// Argon2id at 9 MiB and 4 passes: one of OWASP's equally strong settings (beside the crate's
/// default, 19 MiB and 2 passes) at about the same CPU time and half the memory, which a burst
/// of sign-ins holds once per core (the load bench's sign-in peak). Hashes made with other
/// settings still verify: a hash carries its own.
fn hasher() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(9 * 1024, 4, 1, None).map_err(|e| anyhow::anyhow!("argon2 settings: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?.hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
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

/// What the sessions table keeps of a session token (the token itself never rests there).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How long an address must wait on an account after `failures` failures there: nothing for
/// the first few, then doubling from 30 seconds up to 15 minutes.
pub fn lockout_seconds(failures: i64) -> u64 {
    if failures < FREE_FAILURES {
        0
    } else {
        let steps = (failures - FREE_FAILURES).min(5) as u32;
        (30u64 << steps).min(900)
    }
}

/// Whether a sign-in may be tried now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Throttle {
    Open,
    /// Wait this long; `spray` when the address is stopped for every account.
    Wait {
        seconds: u64,
        spray: bool,
    },
}

/// The throttle: per address and account together, so a stranger who knows a counselor's
/// username slows only their own address, never the counselor's phone; and per address alone
/// when it tries many accounts.
pub fn throttle(c: &FailureCounts, now: DateTime<Utc>) -> Throttle {
    let left = |last: Option<DateTime<Utc>>, wait: i64| last.map(|t| wait - (now - t).num_seconds()).unwrap_or(0);
    if c.address >= SPRAY_FAILURES && c.address_accounts >= SPRAY_ACCOUNTS {
        let seconds = left(c.address_last, SPRAY_LOCK_SECONDS);
        if seconds > 0 {
            return Throttle::Wait { seconds: seconds as u64, spray: true };
        }
    }
    let seconds = left(c.pair_last, lockout_seconds(c.pair) as i64);
    if seconds > 0 {
        Throttle::Wait { seconds: seconds as u64, spray: false }
    } else {
        Throttle::Open
    }
}

pub use crate::db::users::FailureCounts;
pub use rounds::security::{Lockout, SessionInfo};

/// Where a request comes from: the TCP peer, or, behind a proxy the server was told to trust
/// (`--trust-proxy`), the address the proxy appended last to `X-Forwarded-For`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientInfo {
    pub address: String,
    pub user_agent: String,
    /// The request came over HTTPS (directly, or as a trusted proxy says).
    pub https: bool,
}

impl ClientInfo {
    pub fn of(parts: &Parts, config: &crate::state::Config) -> ClientInfo {
        let header_text = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        let forwarded = config
            .trust_proxy
            .then(|| header_text("x-forwarded-for").and_then(|v| v.rsplit(',').next()).map(|a| a.trim().to_string()))
            .flatten()
            .filter(|a| !a.is_empty());
        let https = parts.uri.scheme_str() == Some("https")
            || (config.trust_proxy && header_text("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https")));
        let user_agent: String = header_text("user-agent").unwrap_or_default().chars().take(200).collect();
        ClientInfo { address: forwarded.or(peer).unwrap_or_else(|| "unknown".into()), user_agent, https }
    }
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo::of(parts, &state.config))
    }
}

/// Signs a user in: checks the throttle and the password, opens a session, returns its cookie.
pub async fn login(state: &AppState, username: &str, password: &str, client: &ClientInfo) -> Result<(UserProfile, Cookie<'static>), ApiError> {
    let username = username.trim();
    let now = Utc::now();
    let since = now - chrono::Duration::minutes(FAILURE_WINDOW_MINUTES);
    let before = state.store.login_failures(&client.address, username, since).await?;
    if let Throttle::Wait { seconds, .. } = throttle(&before, now) {
        return Err(ApiError::TooManyAttempts { retry_after: seconds.max(1) });
    }
    let row = state.store.user_by_name(username).await?;
    // An unknown username costs the same as a known one, so timing reveals no usernames.
    let hash = row.as_ref().map(|r| r.password_hash.clone()).unwrap_or_else(|| state.dummy_hash.to_string());
    let pw = password.to_string();
    let ok = state.hashing.run(move || verify_password(&pw, &hash)).await?;
    let Some(row) = row.filter(|_| ok) else {
        state.store.record_login_failure(&client.address, username).await?;
        let after = state.store.login_failures(&client.address, username, since).await?;
        if let Throttle::Wait { seconds, spray } = throttle(&after, now) {
            let lockout = Lockout {
                address: client.address.clone(),
                username: (!spray).then(|| username.to_string()),
                failures: if spray { after.address } else { after.pair },
                locked_until: now + chrono::Duration::seconds(seconds as i64),
                at: now,
            };
            tracing::warn!(address = %lockout.address, username = ?lockout.username, failures = lockout.failures, seconds, "sign-ins locked out");
            state.store.record_lockout(&lockout).await?;
        }
        return Err(ApiError::BadCredentials);
    };
    // Told only after the right password, so it reveals nothing to a guesser.
    if row.disabled {
        return Err(ApiError::AccountDisabled);
    }
    state.store.clear_login_failures(&client.address, username).await?;
    let cookie = open_session(state, &row.profile, client).await?;
    Ok((row.profile, cookie))
}

/// Opens a session for a user already proven to be who they say (a right password, or the
/// university's sign-in) and answers its cookie. The one place sessions are made.
pub async fn open_session(state: &AppState, user: &UserProfile, client: &ClientInfo) -> Result<Cookie<'static>, ApiError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    state.store.create_session(user.id, &token_hash(&token), chrono::Duration::days(SESSION_DAYS), &client.address, &client.user_agent).await?;
    Ok(session_cookie(token, cookie_secure(&state.config, client)))
}

/// The session cookie is `Secure` whenever the app is reached over HTTPS: the public URL says
/// so, the operator said so, or the request (or a trusted proxy) did.
pub fn cookie_secure(config: &crate::state::Config, client: &ClientInfo) -> bool {
    config.secure_cookies || config.public_origin.as_deref().is_some_and(|o| o.starts_with("https://")) || client.https
}

pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token)).http_only(true).same_site(SameSite::Lax).secure(secure).path("/").max_age(time_days(SESSION_DAYS)).build()
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

/// The signed-in user and which of their sessions the request came with.
pub struct CurrentSession {
    pub user: UserProfile,
    /// The session's public id.
    pub id: String,
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Err(ApiError::Unauthorized);
        };
        match state.store.session_user(&token_hash(cookie.value())).await? {
            Some((user, id)) => Ok(CurrentSession { user, id }),
            None => Err(ApiError::Unauthorized),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        CurrentSession::from_request_parts(parts, state).await.map(|s| CurrentUser(s.user))
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

/// A signed-in member of the office, or an administrator; anyone else gets 403.
pub struct Office(pub UserProfile);

impl FromRequestParts<AppState> for Office {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role.sees_everything() {
            Ok(Office(user))
        } else {
            Err(ApiError::Forbidden("only the student-affairs office and administrators may do this".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_at_the_chosen_settings_and_older_hashes_still_verify() -> anyhow::Result<()> {
        let hash = hash_password("rounds-demo")?;
        assert!(hash.starts_with("$argon2id$v=19$m=9216,t=4,p=1$"), "{hash}");
        assert!(verify_password("rounds-demo", &hash));
        assert!(!verify_password("rounds-dem0", &hash));
        // Made with the crate's default settings (19 MiB, 2 passes), as accounts were before.
        let salt = SaltString::generate(&mut OsRng);
        let older = Argon2::default().hash_password(b"rounds-demo", &salt).map_err(|e| anyhow::anyhow!("{e}"))?.to_string();
        assert!(older.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{older}");
        assert!(verify_password("rounds-demo", &older));
        assert!(!verify_password("rounds-dem0", &older));
        Ok(())
    }

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

    fn at(seconds_ago: i64) -> Option<DateTime<Utc>> {
        Some(Utc::now() - chrono::Duration::seconds(seconds_ago))
    }

    #[test]
    fn an_address_is_slowed_on_an_account_only_after_its_own_failures() {
        let now = Utc::now();
        let few = FailureCounts { pair: 4, pair_last: at(1), address: 4, address_accounts: 1, address_last: at(1) };
        assert_eq!(throttle(&few, now), Throttle::Open);
        let five = FailureCounts { pair: 5, ..few };
        assert!(matches!(throttle(&five, now), Throttle::Wait { seconds: 29..=31, spray: false }));
        let waited = FailureCounts { pair_last: at(31), address_last: at(31), ..five };
        assert_eq!(throttle(&waited, now), Throttle::Open, "the wait runs out");
        // Another address has no failures on the account: it is never slowed by the first.
        assert_eq!(throttle(&FailureCounts::default(), now), Throttle::Open);
    }

    #[test]
    fn an_address_trying_many_accounts_is_stopped_for_all() {
        let now = Utc::now();
        let spray = FailureCounts { pair: 0, pair_last: None, address: 20, address_accounts: 5, address_last: at(10) };
        assert!(matches!(throttle(&spray, now), Throttle::Wait { seconds: 889..=891, spray: true }));
        let one_account = FailureCounts { address_accounts: 1, pair: 20, pair_last: at(10), ..spray };
        assert!(matches!(throttle(&one_account, now), Throttle::Wait { spray: false, .. }), "many tries at one account are the pair rule");
        let few = FailureCounts { address: 19, ..spray };
        assert_eq!(throttle(&few, now), Throttle::Open);
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
