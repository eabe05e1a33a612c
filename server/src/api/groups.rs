//! The office's API for clubs, party branches and leader links (002 §四(一): the student-affairs
//! office arranges who is linked to what). Office and administrators only.
//!
//! - `GET    /api/v1/groups`                   everything the office page shows ([`GroupsOverview`])
//! - `POST   /api/v1/groups/clubs`             add a club (`GroupDraft`), 201
//! - `PUT    /api/v1/groups/clubs/{id}`        rename it or change its department
//! - `DELETE /api/v1/groups/clubs/{id}`        remove it (409 while linked or recorded about)
//! - the same under `/api/v1/groups/branches` for party branches
//! - `POST   /api/v1/groups/links`             link a leader (`NewLink`), 201; 409 when linked already
//! - `DELETE /api/v1/groups/links/{id}`        remove a link
//!
//! Removals answer 200 with what was removed.

use crate::auth::Office;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use rounds::groups::{Group, GroupDraft, GroupsOverview, LeaderLink, NewLink};
use rounds::{Club, LinkId, PartyBranch};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/groups", get(overview))
        .route("/api/v1/groups/clubs", post(clubs::create))
        .route("/api/v1/groups/clubs/{id}", put(clubs::update).delete(clubs::remove))
        .route("/api/v1/groups/branches", post(branches::create))
        .route("/api/v1/groups/branches/{id}", put(branches::update).delete(branches::remove))
        .route("/api/v1/groups/links", post(add_link))
        .route("/api/v1/groups/links/{id}", delete(remove_link))
}

/// The groups endpoints' part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(overview, clubs::create, clubs::update, clubs::remove, branches::create, branches::update, branches::remove, add_link, remove_link),
    components(schemas(GroupsOverview, GroupDraft, NewLink, LeaderLink, Club, PartyBranch))
)]
pub struct GroupsApiDoc;

/// The routes of one kind of group, each documented under its own path: OpenAPI describes a
/// path, so the generic handler gets one thin documented handler per kind.
macro_rules! group_routes {
    ($module:ident, $group:ident, $list:tt, $one:tt) => {
        mod $module {
            use super::*;
            use crate::error::ErrorBody;

            /// Add one; office only.
            #[utoipa::path(post, path = $list, request_body = GroupDraft,
                responses((status = 201, body = $group), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
            pub(super) async fn create(state: State<AppState>, user: Office, draft: ApiJson<GroupDraft>) -> ApiResult<(StatusCode, Json<$group>)> {
                super::create::<$group>(state, user, draft).await
            }

            /// Rename one or change its department; office only.
            #[utoipa::path(put, path = $one, params(("id" = i64, Path)), request_body = GroupDraft,
                responses((status = 200, body = $group), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
            pub(super) async fn update(state: State<AppState>, user: Office, id: Path<String>, draft: ApiJson<GroupDraft>) -> ApiResult<Json<$group>> {
                super::update::<$group>(state, user, id, draft).await
            }

            /// Remove one; 409 while a leader is linked to it or a record is about it.
            #[utoipa::path(delete, path = $one, params(("id" = i64, Path)),
                responses((status = 200, body = $group), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
            pub(super) async fn remove(state: State<AppState>, user: Office, id: Path<String>) -> ApiResult<Json<$group>> {
                super::remove::<$group>(state, user, id).await
            }
        }
    };
}

group_routes!(clubs, Club, "/api/v1/groups/clubs", "/api/v1/groups/clubs/{id}");
group_routes!(branches, PartyBranch, "/api/v1/groups/branches", "/api/v1/groups/branches/{id}");

fn path_id(raw: &str) -> ApiResult<i64> {
    raw.parse().map_err(|_| ApiError::BadRequest { code: "bad_id", message: format!("'{raw}' is not an id (a whole number)") })
}

/// Every club, branch and leader link, with the leaders and targets to choose from; office only.
#[utoipa::path(get, path = "/api/v1/groups",
    responses((status = 200, body = GroupsOverview), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn overview(State(state): State<AppState>, _: Office) -> ApiResult<Json<GroupsOverview>> {
    let roster = state.store.roster().await?;
    let links = state.store.links(None).await?;
    let users = state.store.linkable_users().await?;
    Ok(Json(GroupsOverview::build(&roster, links, &users)))
}

async fn validated(state: &AppState, draft: &GroupDraft) -> ApiResult<GroupDraft> {
    let departments = state.store.roster().await?.departments.clone();
    draft.validate(&departments).map_err(ApiError::Invalid)
}

async fn create<G: Group>(State(state): State<AppState>, Office(user): Office, ApiJson(draft): ApiJson<GroupDraft>) -> ApiResult<(StatusCode, Json<G>)> {
    let draft = validated(&state, &draft).await?;
    let group = state.store.create_group::<G>(draft).await?;
    tracing::info!(user = %user.username, kind = ?G::KIND, id = group.raw_id(), "group added");
    Ok((StatusCode::CREATED, Json(group)))
}

async fn update<G: Group>(State(state): State<AppState>, _: Office, Path(id): Path<String>, ApiJson(draft): ApiJson<GroupDraft>) -> ApiResult<Json<G>> {
    let id = path_id(&id)?;
    let draft = validated(&state, &draft).await?;
    state.store.update_group::<G>(id, draft).await?.map(Json).ok_or(ApiError::NotFound)
}

async fn remove<G: Group>(State(state): State<AppState>, Office(user): Office, Path(id): Path<String>) -> ApiResult<Json<G>> {
    let id = path_id(&id)?;
    let removed = state.store.delete_group::<G>(id).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(user = %user.username, kind = ?G::KIND, id, "group removed");
    Ok(Json(removed))
}

/// Link a leader to a class, room, club or branch; office only. 409 when linked already.
#[utoipa::path(post, path = "/api/v1/groups/links", request_body = NewLink,
    responses((status = 201, body = LeaderLink), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn add_link(State(state): State<AppState>, Office(user): Office, ApiJson(new): ApiJson<NewLink>) -> ApiResult<(StatusCode, Json<LeaderLink>)> {
    let roster = state.store.roster().await?;
    let leader = state.store.user_profile(new.user_id).await?;
    new.validate(leader.as_ref(), &roster).into_result().map_err(ApiError::Invalid)?;
    let link = state.store.add_link(new.user_id, new.target).await?;
    tracing::info!(user = %user.username, link = link.id.0, "leader linked");
    Ok((StatusCode::CREATED, Json(link)))
}

/// Remove a leader's link; office only.
#[utoipa::path(delete, path = "/api/v1/groups/links/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = LeaderLink), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn remove_link(State(state): State<AppState>, Office(user): Office, Path(id): Path<String>) -> ApiResult<Json<LeaderLink>> {
    let id = LinkId(path_id(&id)?);
    let removed = state.store.remove_link(id).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(user = %user.username, link = id.0, "leader link removed");
    Ok(Json(removed))
}
