//! Sessions a person can see and end, and the office's sign-in settings and lock-outs
//! (issue 14.4, 14.5): "signed in on 2 devices", the idle timeout, who was stopped from where.

use crate::admin::Office;
use crate::api::ErrorBody;
use crate::auth::{CurrentSession, Lockout, SessionRow};
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// One of the user's open sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    #[serde(flatten)]
    pub session: SessionRow,
    /// The session this request came with (this device).
    pub current: bool,
}

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

/// The office's settings of sign-in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SecuritySettings {
    /// A session unused this long ends (minutes, 5 to 43,200 = 30 days).
    pub idle_timeout_minutes: i64,
}

pub const IDLE_MIN: i64 = 5;
pub const IDLE_MAX: i64 = 30 * 24 * 60;

impl SecuritySettings {
    fn validate(&self) -> rounds::ValidationErrors {
        let mut errors = rounds::ValidationErrors::new();
        if !(IDLE_MIN..=IDLE_MAX).contains(&self.idle_timeout_minutes) {
            errors.add("idle_timeout_minutes", "out_of_range", format!("must be between {IDLE_MIN} and {IDLE_MAX} minutes"));
        }
        errors
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(my_sessions, end_session, end_sessions, settings, save_settings, lockouts),
    components(schemas(SessionView, SessionRow, Ended, SecuritySettings, Lockout))
)]
pub struct SessionsApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sessions", get(my_sessions).delete(end_sessions))
        .route("/api/v1/sessions/{id}", delete(end_session))
        .route("/api/v1/admin/security", get(settings).put(save_settings))
        .route("/api/v1/admin/lockouts", get(lockouts))
}

/// The signed-in user's open sessions, the most recently used first.
#[utoipa::path(get, path = "/api/v1/sessions", responses((status = 200, body = Vec<SessionView>), (status = 401, body = ErrorBody)))]
async fn my_sessions(State(state): State<AppState>, me: CurrentSession) -> ApiResult<Json<Vec<SessionView>>> {
    let rows = state.store.sessions_of(me.user.id).await?;
    Ok(Json(rows.into_iter().map(|session| SessionView { current: session.id == me.id, session }).collect()))
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
