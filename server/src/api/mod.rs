//! The HTTP surface: the versioned JSON API (`/api/v1`), used by the app and by any other
//! program. One module per area, each with its handlers, its routes and its part of the OpenAPI
//! document; this module gathers the routes and the document. What the areas share lives below
//! them: the error shape (`crate::error`), who is calling and the office's guard
//! (`crate::auth`), and spreadsheet downloads ([`xlsx`]).

pub mod admin;
pub mod assistance;
pub mod audit;
pub mod duties;
pub mod groups;
pub mod import;
pub mod ledger;
pub mod photos;
pub mod sessions;
pub mod sync;
pub mod xlsx;

use crate::error::{ApiError, ErrorBody, ErrorDetail};
use crate::state::AppState;
use axum::routing::{any, get};
use axum::{Json, Router};
use utoipa::OpenApi;

/// Every route of the API.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(sync::routes(state))
        .merge(groups::routes())
        .merge(admin::routes())
        .merge(photos::routes(state))
        .merge(import::routes())
        .merge(duties::routes())
        .merge(sessions::routes())
        .merge(assistance::routes())
        .merge(crate::sso::routes())
        .merge(ledger::routes())
        .merge(audit::routes())
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/{*rest}", any(|| async { ApiError::NotFound }))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rounds API",
        version = "1",
        description = "The JSON API of Rounds (学工巡访): session, sync, record history, roster management and import, clubs, branches and leader links, photos"
    ),
    components(schemas(ErrorBody, ErrorDetail))
)]
struct ApiDoc;

/// The whole API in one document: each area keeps its part beside its handlers.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
        .merge_from(sync::SyncApiDoc::openapi())
        .merge_from(admin::AdminDoc::openapi())
        .merge_from(import::ImportApiDoc::openapi())
        .merge_from(groups::GroupsApiDoc::openapi())
        .merge_from(photos::PhotosApiDoc::openapi())
        .merge_from(duties::DutiesApiDoc::openapi())
        .merge_from(sessions::SessionsApiDoc::openapi())
        .merge_from(assistance::AssistanceApiDoc::openapi())
        .merge_from(crate::sso::SsoApiDoc::openapi())
        .merge_from(ledger::LedgerApiDoc::openapi())
        .merge_from(audit::AuditApiDoc::openapi())
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}
