//! Sign-in with the university's account (统一身份认证): CAS 2.0/3.0 and OpenID Connect, beside
//! the local passwords, which stay for small schools.
//!
//! The university's server says who someone is by a staff number (工号, or whatever attribute or
//! claim the school names); the office has put that number on their Rounds account
//! (`users.staff_no`, or the username with `--sso-match username`). An unknown number is refused
//! with a page saying so: nobody gets an account, let alone a role, by signing in. A disabled
//! account is refused too. The session is opened by the same function as a password sign-in.
//!
//! A sign-in under way is kept in the database for a few minutes, found through a random value
//! in an HttpOnly SameSite=Lax cookie (the redirect back from the university carries it), and
//! used once: an answer from the university only counts in the browser that asked for it.
//! Nothing here touches the phone's storage: the app comes back to `/` (or `next`, a path of
//! ours) with its outbox as it was.

pub mod cas;
pub mod config;
pub mod oidc;
mod refusal;

pub use config::{MatchBy, SsoArgs, SsoConfig};
pub use refusal::Refusal;

use crate::auth::Office;
use crate::auth::{self, ClientInfo, CurrentSession};
use crate::db::sso::Pending;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::RngCore;
use rounds::UserId;
use serde::{Deserialize, Serialize};

/// The cookie that ties an answer from the university to the browser that asked.
pub const PENDING_COOKIE: &str = "rounds_sso";
/// Only the sign-in routes need it.
const PENDING_PATH: &str = "/auth/";
/// Long enough to type a password at the university's page, short enough to be useless later.
const PENDING_MINUTES: i64 = 10;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/providers", get(providers))
        .route("/auth/cas/login", get(cas_login))
        // The CAS server posts its single-logout requests to the service URL itself.
        .route("/auth/cas/callback", get(cas_callback).post(cas_single_logout))
        .route("/auth/oidc/login", get(oidc_login))
        .route("/auth/oidc/callback", get(oidc_callback))
        .route("/auth/oidc/backchannel-logout", post(oidc_backchannel_logout))
        .route("/auth/logout-url", get(logout_url))
        .route("/api/v1/admin/accounts/{id}/staff-no", put(set_staff_no))
}

impl Refusal {
    /// The page, without a session; the sign-in under way is forgotten with it.
    fn page(self, state: &AppState, jar: CookieJar) -> Response {
        match &self {
            Refusal::Internal(e) => tracing::error!(error = ?e, "single sign-on failed"),
            other => tracing::warn!(reason = %other, "single sign-on refused"),
        }
        let [(zh_title, zh_text), (en_title, en_text)] = self.words();
        let (zh_title, zh_text, en_title, en_text) = (escape(&zh_title), escape(&zh_text), escape(&en_title), escape(&en_text));
        let css = escape(&state.assets.css);
        let body = format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{zh_title} · 学工巡访</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
             <body><main class=\"card\"><h1>{zh_title}</h1><p>{zh_text}</p>\
             <h2 lang=\"en\">{en_title}</h2><p lang=\"en\">{en_text}</p>\
             <p><a class=\"button\" href=\"/login\">返回登录页 <span lang=\"en\">Back to sign-in</span></a></p></main></body></html>\n"
        );
        let mut response = (self.status(), Html(body)).into_response();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        (jar.remove(pending_removal()), response).into_response()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `next` as given, when it is a path of this site; else the app's start. Never another origin:
/// `//host`, `/\host`, a scheme, or anything a browser would read as one, falls back to `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.len() <= 1024
                && n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.bytes().all(|b| b.is_ascii_graphic())
                // Not back into a sign-in.
                && !n.starts_with(PENDING_PATH) =>
        {
            n.to_string()
        }
        _ => "/".into(),
    }
}

/// A 303 to `location` (an absolute URL of the university's server, or a path of ours).
fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/"))]).into_response(),
    }
}

/// Where people reach this server: the callbacks the university sends them back to are under it.
fn public_origin(state: &AppState) -> Result<String, Refusal> {
    match state.config.public_origin.as_deref() {
        Some(o) => Ok(o.trim_end_matches('/').to_string()),
        None => Err(Refusal::Internal(anyhow::anyhow!("single sign-on needs --public-origin"))),
    }
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn pending_removal() -> Cookie<'static> {
    Cookie::build(PENDING_COOKIE).path(PENDING_PATH).build()
}

/// Keeps a sign-in under way and answers the cookie that finds it again.
async fn begin(state: &AppState, client: &ClientInfo, jar: CookieJar, pending: &Pending) -> Result<CookieJar, Refusal> {
    let id = random_hex();
    state.store.save_sso_pending(&auth::token_hash(&id), pending, chrono::Duration::minutes(PENDING_MINUTES)).await?;
    let cookie = Cookie::build((PENDING_COOKIE, id))
        .http_only(true)
        // Lax: the top-level redirect back from the university's site carries it.
        .same_site(SameSite::Lax)
        .secure(auth::cookie_secure(&state.config, client))
        .path(PENDING_PATH)
        .max_age(cookie::time::Duration::minutes(PENDING_MINUTES))
        .build();
    Ok(jar.add(cookie))
}

/// The sign-in this browser started, if it is still good and of this protocol.
async fn resume(state: &AppState, jar: &CookieJar, protocol: &str) -> Result<Pending, Refusal> {
    let Some(cookie) = jar.get(PENDING_COOKIE) else {
        return Err(Refusal::Stale);
    };
    match state.store.take_sso_pending(&auth::token_hash(cookie.value())).await? {
        Some(p) if p.protocol == protocol => Ok(p),
        _ => Err(Refusal::Stale),
    }
}

/// The university vouched for `staff_no`: open the session of its account, or refuse.
async fn finish(state: &AppState, client: &ClientInfo, jar: CookieJar, signed_in: SignedIn<'_>, next: &str) -> Response {
    match open(state, client, signed_in).await {
        Ok(cookie) => (jar.remove(pending_removal()).add(cookie), see_other(next)).into_response(),
        Err(refusal) => refusal.page(state, jar),
    }
}

/// Who the university vouched for, and which of its sessions did (for its back-channel logout).
struct SignedIn<'a> {
    protocol: &'a str,
    staff_no: &'a str,
    id_token: Option<&'a str>,
    /// CAS: the service ticket; OpenID Connect: the ID token's `sid`.
    sso_session: Option<String>,
    /// OpenID Connect: the ID token's `sub`.
    sso_subject: Option<String>,
}

async fn open(state: &AppState, client: &ClientInfo, signed_in: SignedIn<'_>) -> Result<Cookie<'static>, Refusal> {
    let SignedIn { protocol, staff_no, id_token, sso_session, sso_subject } = signed_in;
    let staff_no = staff_no.trim();
    if staff_no.is_empty() {
        return Err(Refusal::NoStaffNumber("empty".into()));
    }
    let row = match state.config.sso.match_by {
        MatchBy::StaffNo => state.store.user_by_staff_no(staff_no).await?,
        MatchBy::Username => state.store.user_by_name(staff_no).await?,
    };
    let Some(row) = row else {
        return Err(Refusal::UnknownAccount(staff_no.to_string()));
    };
    if row.disabled {
        return Err(Refusal::Disabled);
    }
    let cookie = auth::open_session(state, &row.profile, client).await?;
    state.store.mark_sso_session(&auth::token_hash(cookie.value()), protocol, id_token).await?;
    state.store.mark_sso_origin(&auth::token_hash(cookie.value()), sso_session.as_deref(), sso_subject.as_deref()).await?;
    tracing::info!(user = %row.profile.username, protocol, "signed in (single sign-on)");
    Ok(cookie)
}

/// Which sign-ins the login page offers (`{"cas": bool, "oidc": bool}`).
async fn providers(State(state): State<AppState>) -> Json<rounds_app::pages::login::SsoOffer> {
    Json(state.config.sso.offer())
}

#[derive(Debug, Deserialize)]
struct LoginParams {
    next: Option<String>,
}

/// Off to the CAS server's login page; it sends the browser back with a ticket.
async fn cas_login(State(state): State<AppState>, client: ClientInfo, jar: CookieJar, Query(q): Query<LoginParams>) -> Response {
    let start = async {
        let cas = state.config.sso.cas.as_ref().ok_or(Refusal::NotConfigured)?;
        let service = cas::service_url(&public_origin(&state)?);
        let pending =
            Pending { protocol: "cas".into(), state: String::new(), nonce: String::new(), pkce_verifier: String::new(), next: safe_next(q.next.as_deref()) };
        let jar = begin(&state, &client, jar.clone(), &pending).await?;
        Ok::<_, Refusal>((jar, cas.login_url(&service)?))
    };
    match start.await {
        Ok((jar, url)) => (jar, see_other(&url)).into_response(),
        Err(refusal) => refusal.page(&state, jar),
    }
}

#[derive(Debug, Deserialize)]
struct CasCallback {
    ticket: Option<String>,
}

/// Back from the CAS server: the ticket is checked with it directly, then the account is found.
async fn cas_callback(State(state): State<AppState>, client: ClientInfo, jar: CookieJar, Query(q): Query<CasCallback>) -> Response {
    let check = async {
        let cas = state.config.sso.cas.as_ref().ok_or(Refusal::NotConfigured)?;
        let pending = resume(&state, &jar, "cas").await?;
        let ticket = q.ticket.as_deref().filter(|t| !t.is_empty()).ok_or_else(|| Refusal::NotConfirmed("no ticket".into()))?;
        let identity = cas.validate(&cas::service_url(&public_origin(&state)?), ticket).await?;
        let staff_no = cas.staff_number(&identity)?;
        Ok::<_, Refusal>((staff_no, ticket.to_string(), pending.next))
    };
    match check.await {
        Ok((staff_no, ticket, next)) => {
            let signed_in = SignedIn { protocol: "cas", staff_no: &staff_no, id_token: None, sso_session: Some(ticket), sso_subject: None };
            finish(&state, &client, jar, signed_in, &next).await
        }
        Err(refusal) => refusal.page(&state, jar),
    }
}

/// Off to the OpenID provider's authorization endpoint (code flow, PKCE, state and nonce).
async fn oidc_login(State(state): State<AppState>, client: ClientInfo, jar: CookieJar, Query(q): Query<LoginParams>) -> Response {
    let start = async {
        let oidc = state.config.sso.oidc.as_ref().ok_or(Refusal::NotConfigured)?;
        let request = oidc.authorize(&oidc::redirect_url(&public_origin(&state)?)).await?;
        let pending = Pending {
            protocol: "oidc".into(),
            state: request.state,
            nonce: request.nonce,
            pkce_verifier: request.pkce_verifier,
            next: safe_next(q.next.as_deref()),
        };
        let jar = begin(&state, &client, jar.clone(), &pending).await?;
        Ok::<_, Refusal>((jar, request.url))
    };
    match start.await {
        Ok((jar, url)) => (jar, see_other(&url)).into_response(),
        Err(refusal) => refusal.page(&state, jar),
    }
}

#[derive(Debug, Deserialize)]
struct OidcCallback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Back from the OpenID provider: the state must be this browser's, the code is exchanged and
/// the ID token checked (signature against the JWKS, issuer, audience, expiry, nonce).
async fn oidc_callback(State(state): State<AppState>, client: ClientInfo, jar: CookieJar, Query(q): Query<OidcCallback>) -> Response {
    let check = async {
        let oidc = state.config.sso.oidc.as_ref().ok_or(Refusal::NotConfigured)?;
        let pending = resume(&state, &jar, "oidc").await?;
        // Compared before anything else: an answer meant for another sign-in is not looked at.
        if q.state.as_deref() != Some(pending.state.as_str()) {
            return Err(Refusal::Stale);
        }
        if let Some(error) = &q.error {
            return Err(Refusal::NotConfirmed(format!("{error}: {}", q.error_description.as_deref().unwrap_or(""))));
        }
        let code = q.code.as_deref().filter(|c| !c.is_empty()).ok_or_else(|| Refusal::NotConfirmed("no code".into()))?;
        let signed_in = oidc.exchange(&oidc::redirect_url(&public_origin(&state)?), code, &pending.pkce_verifier, &pending.nonce).await?;
        Ok::<_, Refusal>((signed_in, pending.next))
    };
    match check.await {
        Ok((checked, next)) => {
            let of = oidc::session_of_verified_token(&checked.id_token);
            let signed_in =
                SignedIn { protocol: "oidc", staff_no: &checked.staff_no, id_token: Some(&checked.id_token), sso_session: of.sid, sso_subject: of.sub };
            finish(&state, &client, jar, signed_in, &next).await
        }
        Err(refusal) => refusal.page(&state, jar),
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct LogoutUrl {
    /// Where the browser goes after the app has signed out, to end the university's session too;
    /// `None` when the session came from a password (or the provider offers no logout).
    pub url: Option<String>,
}

/// The university's logout for this session (single logout). The app asks before it ends its
/// session, then goes there: CAS's `/logout?service=…`, or the OpenID provider's
/// end_session_endpoint with the ID token as id_token_hint; both come back to `/login`.
async fn logout_url(State(state): State<AppState>, _: CurrentSession, jar: CookieJar) -> ApiResult<Json<LogoutUrl>> {
    let Some(cookie) = jar.get(auth::SESSION_COOKIE) else {
        return Err(ApiError::Unauthorized);
    };
    let sso = state.store.sso_of_session(&auth::token_hash(cookie.value())).await?;
    let back = |origin: String| format!("{origin}/login");
    let url = match (sso, state.config.public_origin.as_deref()) {
        (Some((protocol, _)), Some(origin)) if protocol == "cas" => match &state.config.sso.cas {
            Some(cas) => cas.logout_url(&back(origin.trim_end_matches('/').to_string())).ok(),
            None => None,
        },
        (Some((protocol, id_token)), Some(origin)) if protocol == "oidc" => match &state.config.sso.oidc {
            Some(oidc) => oidc.logout_url(id_token.as_deref(), &back(origin.trim_end_matches('/').to_string())).await,
            None => None,
        },
        _ => None,
    };
    Ok(Json(LogoutUrl { url }))
}

#[derive(Debug, Deserialize)]
struct CasLogoutForm {
    #[serde(rename = "logoutRequest")]
    logout_request: Option<String>,
}

/// CAS single logout (CAS 3.0, 2.3.3): when someone signs out at the CAS server, it posts a
/// SAML `logoutRequest` to each service they used, naming the service ticket as
/// `SessionIndex`; the Rounds sessions that ticket opened end. The request is not signed in
/// CAS: the ticket, known only to the CAS server, the phone and Rounds, is what it proves.
async fn cas_single_logout(State(state): State<AppState>, body: Result<axum::Form<CasLogoutForm>, axum::extract::rejection::FormRejection>) -> Response {
    if state.config.sso.cas.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(request) = body.ok().and_then(|f| f.0.logout_request) else {
        return (StatusCode::BAD_REQUEST, "send logoutRequest").into_response();
    };
    match cas::logout_session_index(&request) {
        Some(ticket) => match state.store.end_sso_sessions("cas", Some(&ticket), None).await {
            Ok(ended) => {
                tracing::info!(ended, "signed out by the CAS server (single logout)");
                StatusCode::OK.into_response()
            }
            Err(e) => {
                tracing::error!(error = ?e, "CAS single logout failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        None => (StatusCode::BAD_REQUEST, "the logoutRequest names no SessionIndex").into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct BackchannelForm {
    logout_token: Option<String>,
}

/// OpenID Connect Back-Channel Logout 1.0: the provider posts a signed `logout_token`; once it
/// verifies (signature, issuer, audience, issue time, the logout event, `sid` or `sub`, no
/// nonce), the Rounds sessions of that provider session, or of that subject, end. 200 when done
/// (also when no session matched), 400 with an OAuth-style error otherwise, never cached.
async fn oidc_backchannel_logout(
    State(state): State<AppState>,
    body: Result<axum::Form<BackchannelForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let no_store = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    let refuse = |why: String| {
        tracing::warn!(reason = %why, "back-channel logout refused");
        (StatusCode::BAD_REQUEST, no_store.clone(), Json(serde_json::json!({ "error": "invalid_request", "error_description": why }))).into_response()
    };
    let Some(oidc) = state.config.sso.oidc.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(token) = body.ok().and_then(|f| f.0.logout_token).filter(|t| !t.is_empty() && t.len() <= 16 * 1024) else {
        return refuse("send logout_token".into());
    };
    let of = match oidc.verify_logout_token(&token).await {
        Ok(of) => of,
        Err(why) => return refuse(why),
    };
    match state.store.end_sso_sessions("oidc", of.sid.as_deref(), of.sub.as_deref()).await {
        Ok(ended) => {
            tracing::info!(ended, "signed out by the OpenID provider (back-channel logout)");
            (StatusCode::OK, no_store).into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "back-channel logout failed");
            (StatusCode::INTERNAL_SERVER_ERROR, no_store).into_response()
        }
    }
}

/// The part of the OpenAPI document that is single sign-on's: the office's staff numbers. (The
/// `/auth/…` routes are pages and redirects for browsers, not API.)
#[derive(utoipa::OpenApi)]
#[openapi(paths(set_staff_no), components(schemas(StaffNoUpdate)))]
pub struct SsoApiDoc;

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StaffNoUpdate {
    /// The staff number (工号) as the university's sign-in sends it; `null` or empty removes it.
    pub staff_no: Option<String>,
}

/// Record the staff number (工号) with which the university's sign-in names this account, or
/// remove it (`null`). Its sessions are not touched.
#[utoipa::path(put, path = "/api/v1/admin/accounts/{id}/staff-no", params(("id" = i64, Path, description = "The id in the path")), request_body = StaffNoUpdate,
    responses((status = 200, body = StaffNoUpdate), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn set_staff_no(
    State(state): State<AppState>,
    Office(me): Office,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StaffNoUpdate>,
) -> ApiResult<Json<StaffNoUpdate>> {
    let staff_no = input.staff_no.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if staff_no.is_some_and(|s| s.chars().count() > 64 || s.chars().any(char::is_control)) {
        let mut e = rounds::ValidationErrors::new();
        e.add("staff_no", "invalid", "a staff number has at most 64 characters and no control characters");
        return Err(ApiError::Invalid(e));
    }
    state.store.set_staff_no(UserId(id), staff_no).await?;
    tracing::info!(by = %me.username, account = id, "staff number changed");
    Ok(Json(StaffNoUpdate { staff_no: state.store.staff_no_of(UserId(id)).await? }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/records?kind=dorm_check")), "/records?kind=dorm_check");
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/ok\r\nSet-Cookie: x=1",
            "/\tevil",
            "/auth/oidc/login",
            "/页面",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
    }

    #[test]
    fn refusal_pages_escape_what_the_university_sent() {
        let [(_, zh), (_, en)] = Refusal::UnknownAccount("<script>".into()).words();
        assert!(zh.contains("<script>") && en.contains("<script>"), "the words carry the number; the page escapes it");
        assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn half_an_oidc_configuration_is_an_error() {
        let args = SsoArgs { oidc_issuer: Some("https://idp.example.edu.cn".into()), ..SsoArgs::default() };
        assert!(args.config().is_err());
        assert!(!SsoArgs::default().config().map(|c| c.configured()).unwrap_or(true));
    }
}
