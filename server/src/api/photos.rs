//! Photo bytes over HTTP: `PUT /api/v1/photos/{sha256}` stores them once, `GET` serves them
//! to those who may see them.
//!
//! The phone uploads a record's photos before pushing the record, but the push never waits on
//! them: a record whose photos the server lacks is stored like any other (nothing a counselor
//! saves is refused for a missing upload). Its pull carries the photo list as written; a photo
//! not uploaded yet answers 404 until its bytes arrive.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody, ErrorDetail};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use rounds::photo::{is_sha256_hex, ImageInfo, PhotoRef, PhotoType, PhotoUploaded, MAX_PHOTO_BYTES};
use rounds::FieldError;
use sha2::{Digest, Sha256};

/// A photo never changes under its hash; only the signed-in user's browser may keep it.
pub const CACHE_CONTROL: &str = "private, max-age=31536000, immutable";

pub fn routes(_state: &AppState) -> Router<AppState> {
    Router::new().route("/api/v1/photos/{sha256}", put(upload).get(download).layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES as usize)))
}

/// The photo endpoints' part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(upload, download), components(schemas(PhotoUploaded, PhotoRef, PhotoType)))]
pub struct PhotosApiDoc;

/// What can go wrong with a photo, in the API's one error shape.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// A refusal about one field, named in `fields` as well as by the top-level code.
    #[error("{message}")]
    Field { code: &'static str, field: &'static str, message: String },
    #[error("{0}")]
    UnsupportedType(String),
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<crate::db::StoreError> for PhotoError {
    fn from(e: crate::db::StoreError) -> Self {
        PhotoError::Api(e.into())
    }
}

impl From<anyhow::Error> for PhotoError {
    fn from(e: anyhow::Error) -> Self {
        PhotoError::Api(ApiError::Internal(e))
    }
}

impl IntoResponse for PhotoError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, code, fields) = match self {
            PhotoError::Api(e) => return e.into_response(),
            PhotoError::Field { code, field, message } => {
                (StatusCode::BAD_REQUEST, code, vec![FieldError { field: field.to_string(), code: code.to_string(), message }])
            }
            PhotoError::UnsupportedType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", vec![]),
        };
        let fields = (!fields.is_empty()).then_some(fields);
        (status, Json(ErrorBody { error: ErrorDetail { code: code.to_string(), message, fields } })).into_response()
    }
}

/// Checks an upload and reads what it is: the hash must be the bytes' SHA-256, the bytes a JPEG,
/// WebP or PNG whose header can be read, and of the type the request says.
pub fn check_upload(sha256: &str, content_type: Option<&str>, data: &[u8]) -> Result<ImageInfo, PhotoError> {
    if !is_sha256_hex(sha256) {
        return Err(PhotoError::Field {
            code: "bad_hash",
            field: "sha256",
            message: "name the photo by the SHA-256 of its bytes, in 64 lowercase hex digits".into(),
        });
    }
    let actual = hex::encode(Sha256::digest(data));
    if actual != sha256 {
        return Err(PhotoError::Field {
            code: "hash_mismatch",
            field: "sha256",
            message: format!("the bytes sent hash to {actual}, not {sha256}; the upload was damaged or misnamed"),
        });
    }
    let allowed = PhotoType::ALL.map(|t| t.mime()).join(", ");
    let declared = content_type.and_then(PhotoType::from_mime).ok_or_else(|| {
        PhotoError::UnsupportedType(format!("send the photo with the header Content-Type set to one of {allowed} (got {})", content_type.unwrap_or("none")))
    })?;
    let info = ImageInfo::sniff(data).ok_or_else(|| PhotoError::UnsupportedType(format!("the bytes are not a readable image of type {allowed}")))?;
    if info.content_type != declared {
        return Err(PhotoError::UnsupportedType(format!("the bytes are {}, but the request says {}", info.content_type.mime(), declared.mime())));
    }
    Ok(info)
}

/// Store a photo's bytes under their SHA-256. The same bytes again change nothing (200 either way).
#[utoipa::path(put, path = "/api/v1/photos/{sha256}", params(("sha256" = String, Path, description = "the SHA-256 of the bytes, 64 lowercase hex digits")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the photo's bytes: JPEG, WebP or PNG, with that Content-Type"),
    responses((status = 200, body = PhotoUploaded), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<PhotoUploaded>, PhotoError> {
    let data = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!("a photo may have at most {MAX_PHOTO_BYTES} bytes"))
        } else {
            ApiError::BadRequest { code: "bad_request", message: rejection.body_text() }
        }
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let info = check_upload(&sha256, content_type, &data)?;
    let created = state.store.put_photo(user.id, &sha256, info, &data).await?;
    // The stored row (the first upload's) is the truth; identical bytes read the same anyway.
    let photo = state.store.photo_ref(&sha256).await?.unwrap_or_else(|| PhotoRef::new(sha256.clone(), info, data.len() as u64));
    tracing::info!(user = %user.username, sha256 = %sha256, bytes = data.len(), created, "photo upload");
    Ok(Json(PhotoUploaded { photo, created }))
}

/// A photo's bytes, for its uploader, the office, and whoever may see a record naming it.
/// Anyone else gets 404, as for a photo that does not exist: its existence is not theirs to know.
#[utoipa::path(get, path = "/api/v1/photos/{sha256}", params(("sha256" = String, Path, description = "the SHA-256 of the bytes")),
    responses((status = 200, description = "the photo's bytes, with its Content-Type", content_type = "image/*"),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn download(State(state): State<AppState>, CurrentUser(user): CurrentUser, Path(sha256): Path<String>) -> Result<Response, ApiError> {
    if !is_sha256_hex(&sha256) {
        return Err(ApiError::NotFound);
    }
    let allowed = user.role.sees_everything() || state.store.uploaded_photo(user.id, &sha256).await? || {
        let full = state.store.roster().await?;
        let scope = state.store.scope(&user, &full).await?;
        state.store.photo_in_scope(&scope, &sha256).await?
    };
    if !allowed {
        return Err(ApiError::NotFound);
    }
    let blob = state.store.photo_blob(&sha256).await?.ok_or(ApiError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(blob.content_type.mime())),
            (header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL)),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        blob.data,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08,
        0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00,
        0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    fn sha(data: &[u8]) -> String {
        hex::encode(Sha256::digest(data))
    }

    fn code(r: Result<ImageInfo, PhotoError>) -> String {
        match r {
            Ok(_) => "ok".into(),
            Err(PhotoError::Field { code, .. }) => code.into(),
            Err(PhotoError::UnsupportedType(_)) => "unsupported".into(),
            Err(PhotoError::Api(e)) => e.code().into(),
        }
    }

    #[test]
    fn a_png_named_by_its_hash_passes() {
        let info = check_upload(&sha(PNG_1X1), Some("image/png"), PNG_1X1).unwrap();
        assert_eq!((info.content_type, info.width, info.height), (PhotoType::Png, 1, 1));
    }

    #[test]
    fn the_name_must_be_the_bytes_hash() {
        assert_eq!(code(check_upload("abc", Some("image/png"), PNG_1X1)), "bad_hash");
        assert_eq!(code(check_upload(&sha(PNG_1X1).to_uppercase(), Some("image/png"), PNG_1X1)), "bad_hash");
        assert_eq!(code(check_upload(&sha(b"other"), Some("image/png"), PNG_1X1)), "hash_mismatch");
    }

    #[test]
    fn the_type_must_be_declared_allowed_and_true() {
        assert_eq!(code(check_upload(&sha(PNG_1X1), None, PNG_1X1)), "unsupported");
        assert_eq!(code(check_upload(&sha(PNG_1X1), Some("image/gif"), PNG_1X1)), "unsupported");
        assert_eq!(code(check_upload(&sha(PNG_1X1), Some("image/jpeg"), PNG_1X1)), "unsupported");
        assert_eq!(code(check_upload(&sha(b"not an image"), Some("image/png"), b"not an image")), "unsupported");
    }

    #[test]
    fn errors_keep_the_api_shape() {
        let resp = PhotoError::Field { code: "hash_mismatch", field: "sha256", message: "m".into() }.into_response();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let resp = PhotoError::UnsupportedType("x".into()).into_response();
        assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let resp = PhotoError::Api(ApiError::NotFound).into_response();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    }
}
