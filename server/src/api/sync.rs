//! Signing in and out, and the sync of records: push, pull, and a record's revisions.

use crate::auth::{self, ClientInfo, CurrentUser};
use crate::db::roster::scoped_roster;
use crate::error::{ApiError, ApiJson, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use axum_extra::extract::CookieJar;
use rounds::record::ValidationContext;
use rounds::sync::{
    PullResponse, PushRequest, PushResponse, PushResult, PushStatus, RecordRevision, RevisionHistory, RevisionStatus, MAX_PUSH_BATCH, PULL_PAGE,
};
use rounds::{RecordEnvelope, UserProfile};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub user: UserProfile,
}

/// A pull whose cursor is more than this many change numbers behind (so its answer may hold as
/// many records) is a heavy one (see [`crate::memory::HeavyAnswers`]); a phone syncing every few
/// minutes is far below it, even with 200 phones writing.
const LIGHT_PULL_CHANGES: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PullParams {
    /// The cursor of the previous pull; 0 for everything.
    #[serde(default)]
    pub since: i64,
    /// The `scope` fingerprint of the previous pull. When it no longer matches the user's
    /// scope, the answer starts a full pull (`reset`), whatever `since` says.
    pub scope: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    paths(login, logout, whoami, pull, push, revisions),
    components(schemas(
        LoginRequest,
        SessionResponse,
        RecordEnvelope,
        PushRequest,
        PushResponse,
        PushResult,
        PushStatus,
        PullResponse,
        RevisionHistory,
        RecordRevision,
        RevisionStatus
    ))
)]
pub struct SyncApiDoc;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        // The login page's own form: a real POST, so signing in works before the wasm arrives
        // and no credential ever rides in a URL. The page's GET is the Leptos route.
        .route("/login", post(login_form))
        .route("/api/v1/session", post(login).delete(logout).get(whoami))
        .route("/api/v1/sync/pull", get(pull))
        .route("/api/v1/sync/push", post(push).layer(DefaultBodyLimit::max(state.config.max_push_bytes)))
        .route("/api/v1/records/{id}/revisions", get(revisions))
}

/// Sign in; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(State(state): State<AppState>, client: ClientInfo, jar: CookieJar, ApiJson(req): ApiJson<LoginRequest>) -> ApiResult<impl IntoResponse> {
    let (user, cookie) = auth::login(&state, &req.username, &req.password, &client).await?;
    tracing::info!(user = %user.username, "signed in");
    Ok((jar.add(cookie), Json(SessionResponse { user })))
}

/// The login page's form fields (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
}

/// The login form without JavaScript: sets the cookie and goes to the app (303 to `/`), or back
/// to the login page with the refusal's code, never the username or password, in the URL.
async fn login_form(State(state): State<AppState>, client: ClientInfo, jar: CookieJar, form: Result<Form<LoginForm>, FormRejection>) -> Response {
    let refused = |code: &str| Redirect::to(&format!("/login?error={code}")).into_response();
    let Ok(Form(form)) = form else {
        return refused("sign_in_failed");
    };
    match auth::login(&state, &form.username, &form.password, &client).await {
        Ok((user, cookie)) => {
            tracing::info!(user = %user.username, "signed in (form)");
            (jar.add(cookie), Redirect::to("/")).into_response()
        }
        Err(ApiError::BadCredentials) => refused("bad_credentials"),
        Err(ApiError::TooManyAttempts { .. } | ApiError::Busy { .. }) => refused("too_many_attempts"),
        Err(ApiError::AccountDisabled) => refused("account_disabled"),
        Err(e) => {
            tracing::error!(error = %e, "form sign-in failed");
            refused("sign_in_failed")
        }
    }
}

/// Sign out; ends the session.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204)))]
async fn logout(State(state): State<AppState>, jar: CookieJar) -> ApiResult<impl IntoResponse> {
    auth::logout(&state, &jar).await?;
    Ok((jar.add(auth::removal_cookie()), StatusCode::NO_CONTENT))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/session", responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
async fn whoami(CurrentUser(user): CurrentUser) -> Json<SessionResponse> {
    Json(SessionResponse { user })
}

/// What the user may see that changed after `since`: their roster (when it changed) and records.
#[utoipa::path(get, path = "/api/v1/sync/pull", params(PullParams),
    responses((status = 200, body = PullResponse), (status = 401, body = ErrorBody)))]
async fn pull(State(state): State<AppState>, CurrentUser(user): CurrentUser, client: ClientInfo, Query(params): Query<PullParams>) -> ApiResult<Response> {
    let full = state.store.roster().await?;
    let scope = state.store.scope(&user, &full).await?;
    let fingerprint = crate::db::roster::fingerprint(&scope);
    let head = state.store.current_seq().await?;
    // A cursor past the last change: the database was restored from a backup. The phone's
    // cursor would skip the numbers handed out from here on, so it starts over.
    let reset = params.since <= 0 || params.since > head || params.scope.as_deref().is_some_and(|s| s != fingerprint);
    let since = if reset { 0 } else { params.since };
    let roster_changed = since == 0 || state.store.roster_seq().await? > since;
    // An answer with a roster, or with more changes to look through than a phone gathers
    // between two syncs, is built whole in memory (about a megabyte for a counselor's
    // semester): such answers take turns, and are turned into bytes before the turn ends.
    let _turn = if roster_changed || head - since > LIGHT_PULL_CHANGES { Some(state.heavy.turn().await?) } else { None };
    let (records, more) = state.store.pull_records(&scope, since, PULL_PAGE).await?;
    // With more to come, the cursor is the last change sent; otherwise everything up to now.
    let cursor = if more { records.last().map(|r| r.seq).unwrap_or(since) } else { head.max(since) };
    let (institution, time_zone) = state.store.institution().await?;
    let utc_offset_seconds = rounds::school_time::now_in(&rounds::school_time::zone(&time_zone)).offset().local_minus_utc();
    // Sent whole with every pull rather than when changed: two small rows (about 2 KB
    // compressed), and a phone whose cursor passed the last save (an app update, cleared
    // storage) can never miss it.
    let duty_setup = state.store.duty_setup().await?;
    let roster = roster_changed.then(|| scoped_roster(&full, &scope));
    crate::api::audit::log_pull(&state, &user, &client, &records, roster.as_ref()).await?;
    Ok(Json(PullResponse {
        user,
        time_zone,
        utc_offset_seconds,
        institution,
        roster,
        records,
        duty_setup: Some(duty_setup),
        cursor,
        more,
        scope: fingerprint,
        reset,
    })
    .into_response())
}

/// Store a batch of records; one result per record, in order. A bad record is refused alone.
#[utoipa::path(post, path = "/api/v1/sync/push", request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
async fn push(State(state): State<AppState>, CurrentUser(user): CurrentUser, ApiJson(req): ApiJson<PushRequest>) -> ApiResult<Json<PushResponse>> {
    if req.records.len() > MAX_PUSH_BATCH {
        return Err(ApiError::PayloadTooLarge(format!("{} records in one push; send at most {MAX_PUSH_BATCH} at a time", req.records.len())));
    }
    let full = state.store.roster().await?;
    let scope = state.store.scope(&user, &full).await?;
    let roster = scoped_roster(&full, &scope);
    let (_, tz) = state.store.institution().await?;
    let now = rounds::school_time::now_in(&rounds::school_time::zone(&tz));
    let ctx = ValidationContext { roster: &roster, now };

    // Decide each record alone; only the sound ones reach the database, in one transaction.
    let mut results: Vec<Option<PushResult>> = Vec::with_capacity(req.records.len());
    let mut sound: Vec<(usize, RecordEnvelope)> = Vec::new();
    // Issues raised and steps taken earlier in this push: the next step is checked after them.
    let mut so_far = crate::api::ledger::PushedSoFar::default();
    for (i, value) in req.records.into_iter().enumerate() {
        let id = value.get("id").and_then(|v| v.as_str()).and_then(|s| s.parse().ok());
        let revision = value.get("revision").and_then(|v| v.as_u64()).map(|r| r as u32);
        let refuse = |status: PushStatus, http_status: u16, errors: Vec<rounds::FieldError>| PushResult {
            id,
            revision,
            status,
            http_status,
            seq: None,
            current_revision: None,
            errors,
        };
        let env = match RecordEnvelope::from_json(value) {
            Ok(env) => env,
            Err(errors) => {
                results.push(Some(refuse(PushStatus::Invalid, 400, errors.0)));
                continue;
            }
        };
        if env.author_id != user.id {
            let mut e = rounds::ValidationErrors::new();
            e.add("author_id", "not_you", "must be the signed-in user");
            results.push(Some(refuse(PushStatus::Forbidden, 403, e.0)));
            continue;
        }
        // A kind the office alone writes (an assistance case): the staff who owe its duties cannot.
        if env.body.office_only() && !user.role.sees_everything() {
            let mut e = rounds::ValidationErrors::new();
            e.add("body.kind", "office_only", format!("{} is written by the student-affairs office (由学工部认定)", env.body.kind()));
            results.push(Some(refuse(PushStatus::Forbidden, 403, e.0)));
            continue;
        }
        // Saved offline while the class was still the author's, and pushed after the office
        // took it away: kept (the office sees it, its author still does), never held on the
        // phone for ever. Validated against the whole roster, as the subject is no longer in
        // the author's.
        let kept_for_office = !scope.may_write(&env.body) && state.store.was_assigned_at(user.id, &full, env.body.subject(), env.saved_at).await?;
        if !scope.may_write(&env.body) && !kept_for_office {
            let mut e = rounds::ValidationErrors::new();
            e.add(
                "body.data",
                "out_of_scope",
                "you are not assigned or linked to this room, class, student, club or branch, or may not record this kind about it",
            );
            results.push(Some(refuse(PushStatus::Forbidden, 403, e.0)));
            continue;
        }
        let errors = if kept_for_office { env.validate(&ValidationContext { roster: &full, now }) } else { env.validate(&ctx) };
        if !errors.is_empty() {
            results.push(Some(refuse(PushStatus::Invalid, 400, errors.0)));
            continue;
        }
        // Whoever a record names to act on it must be an account that can.
        // One query for all of them: a plan names up to 2,500.
        let named = env.body.named_parties();
        let active = if named.is_empty() { Default::default() } else { state.store.active_accounts(named.iter().map(|(_, u)| *u)).await? };
        let mut unknown = rounds::ValidationErrors::new();
        for (field, person) in named {
            if !active.contains(&person) {
                unknown.add(field, "unknown_account", "is not an active account");
            }
        }
        if !unknown.is_empty() {
            results.push(Some(refuse(PushStatus::Invalid, 400, unknown.0)));
            continue;
        }
        // An issue's step: the raiser, the assignee or the office, each its own (see `ledger`).
        if let Some((status, http_status, errors)) = crate::api::ledger::step_refusal(&state.store, &user, &env, &so_far).await? {
            results.push(Some(refuse(status, http_status, errors.0)));
            continue;
        }
        so_far.add(&env);
        results.push(None);
        sound.push((i, env));
    }
    let envelopes: Vec<RecordEnvelope> = sound.iter().map(|(_, e)| e.clone()).collect();
    let stored = state.store.apply_records(user.id, &envelopes).await?;
    for ((i, _), r) in sound.into_iter().zip(stored) {
        results[i] = Some(r);
    }
    let results: Vec<PushResult> = results.into_iter().flatten().collect();
    let accepted = results.iter().filter(|r| r.status == PushStatus::Accepted).count();
    tracing::info!(user = %user.username, received = results.len(), accepted, "push");
    Ok(Json(PushResponse { results }))
}

/// Every revision of one record, oldest first: edits, the deletion, and conflicts kept beside
/// the current one. 404 when the record does not exist or is not the user's to see.
#[utoipa::path(get, path = "/api/v1/records/{id}/revisions", params(("id" = uuid::Uuid, Path, description = "The record's id")),
    responses((status = 200, body = RevisionHistory), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revisions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    client: ClientInfo,
    Path(id): Path<String>,
) -> ApiResult<Json<RevisionHistory>> {
    let id: uuid::Uuid = id.parse().map_err(|_| ApiError::BadRequest { code: "bad_id", message: format!("'{id}' is not a record id (a UUID)") })?;
    let full = state.store.roster().await?;
    let scope = state.store.scope(&user, &full).await?;
    let revisions = state.store.revision_history(&scope, id).await?.ok_or(ApiError::NotFound)?;
    crate::api::audit::log_history_read(&state, &user, &client, id, &revisions).await?;
    Ok(Json(RevisionHistory { id, revisions }))
}
