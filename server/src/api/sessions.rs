//! Sessions a person can see and end, and the office's sign-in settings and lock-outs
//! (issue 14.4, 14.5): "signed in on 2 devices", the idle timeout, who was stopped from where.

use crate::auth::CurrentSession;
use crate::auth::Office;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use rounds::security::{Lockout, SecuritySettings, SessionInfo};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct EndSessions {
    /// End every session but this one.
    #[serde(default)]
    pub others: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ended {
    pub ended: u64,
}

#[derive(OpenApi)]
#[openapi(paths(my_sessions, end_session, end_sessions, settings, save_settings, lockouts), components(schemas(SessionInfo, Ended, SecuritySettings, Lockout)))]
pub struct SessionsApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sessions", get(my_sessions).delete(end_sessions))
        .route("/api/v1/sessions/{id}", delete(end_session))
        .route("/api/v1/admin/security", get(settings).put(save_settings))
        .route("/api/v1/admin/lockouts", get(lockouts))
}

/// The signed-in user's open sessions, the most recently used first.
#[utoipa::path(get, path = "/api/v1/sessions", responses((status = 200, body = Vec<SessionInfo>), (status = 401, body = ErrorBody)))]
async fn my_sessions(State(state): State<AppState>, me: CurrentSession) -> ApiResult<Json<Vec<SessionInfo>>> {
    let rows = state.store.sessions_of(me.user.id).await?;
    Ok(Json(rows.into_iter().map(|s| SessionInfo { current: s.id == me.id, ..s }).collect()))
}

/// Ends one of the user's own sessions (another device); 404 for any other id.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}", params(("id" = String, Path, description = "The session's id")),
    responses((status = 200, body = Ended), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn end_session(State(state): State<AppState>, me: CurrentSession, Path(id): Path<String>) -> ApiResult<Json<Ended>> {
    match state.store.end_sessions(me.user.id, Some(&id), None).await? {
        0 => Err(ApiError::NotFound),
        ended => {
            tracing::info!(user = %me.user.username, ended, "session ended by its owner");
            Ok(Json(Ended { ended }))
        }
    }
}

/// With `others=true`, ends every session of the user but this one.
#[utoipa::path(delete, path = "/api/v1/sessions", params(EndSessions),
    responses((status = 200, body = Ended), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn end_sessions(State(state): State<AppState>, me: CurrentSession, ApiQuery(q): ApiQuery<EndSessions>) -> ApiResult<Json<Ended>> {
    if !q.others {
        return Err(ApiError::BadRequest { code: "others_required", message: "say others=true to end every other session".into() });
    }
    let ended = state.store.end_sessions(me.user.id, None, Some(&me.id)).await?;
    tracing::info!(user = %me.user.username, ended, "other sessions ended by their owner");
    Ok(Json(Ended { ended }))
}

/// The office's sign-in settings.
#[utoipa::path(get, path = "/api/v1/admin/security", responses((status = 200, body = SecuritySettings), (status = 403, body = ErrorBody)))]
async fn settings(State(state): State<AppState>, _: Office) -> ApiResult<Json<SecuritySettings>> {
    Ok(Json(SecuritySettings { idle_timeout_minutes: state.store.idle_timeout_minutes().await? }))
}

/// Changes the idle timeout; it applies to every open session at its next request.
#[utoipa::path(put, path = "/api/v1/admin/security", request_body = SecuritySettings,
    responses((status = 200, body = SecuritySettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_settings(State(state): State<AppState>, Office(me): Office, ApiJson(input): ApiJson<SecuritySettings>) -> ApiResult<Json<SecuritySettings>> {
    let errors = input.validate();
    if !errors.is_empty() {
        return Err(ApiError::Unprocessable(errors));
    }
    state.store.set_idle_timeout_minutes(input.idle_timeout_minutes, me.id).await?;
    tracing::info!(by = %me.username, minutes = input.idle_timeout_minutes, "idle timeout changed");
    Ok(Json(input))
}

/// The last 200 lock-outs, newest first.
#[utoipa::path(get, path = "/api/v1/admin/lockouts", responses((status = 200, body = Vec<Lockout>), (status = 403, body = ErrorBody)))]
async fn lockouts(State(state): State<AppState>, _: Office) -> ApiResult<Json<Vec<Lockout>>> {
    Ok(Json(state.store.recent_lockouts(200).await?))
}
