//! The one error shape of the API: `{ "error": { "code", "message", "fields"? } }`.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use rounds::{FieldError, ValidationErrors};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("sign in first")]
    Unauthorized,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("too many failed sign-ins; try again in {retry_after} seconds")]
    TooManyAttempts { retry_after: u64 },
    #[error("{0}")]
    Forbidden(String),
    /// Allowed to write, but not these fields (a counselor changing the office's standing
    /// fields): 403 with every field named.
    #[error("{message}")]
    ForbiddenFields { message: String, fields: ValidationErrors },
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// Well-formed, but what it says cannot be (a rule that could never be met, overlapping
    /// semesters): 422 with every field at fault.
    #[error("{0}")]
    Unprocessable(ValidationErrors),
    #[error("not found")]
    NotFound,
    /// The request is sound but collides with what is stored: a taken key, a row still in use.
    #[error("{message}")]
    Conflict { code: &'static str, message: String, fields: Vec<FieldError> },
    #[error("this account is disabled; ask the office to enable it")]
    AccountDisabled,
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("send JSON with the header Content-Type: application/json")]
    UnsupportedMediaType,
    /// Too much work waiting (a flood of sign-ins): come back shortly (503, Retry-After).
    #[error("the server is busy; try again in {retry_after} seconds")]
    Busy { retry_after: u64 },
    #[error("the server could not finish this request")]
    Internal(#[source] anyhow::Error),
}

/// Storage's refusals keep their meaning; its failures are the server's. The one way a storage
/// error becomes an answer: handlers `?` a `StoreResult` and never map it themselves.
impl From<crate::db::StoreError> for ApiError {
    fn from(e: crate::db::StoreError) -> Self {
        use crate::db::StoreError;
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict { code, message, fields } => ApiError::Conflict { code, message, fields },
            StoreError::Invalid(fields) => ApiError::Invalid(fields),
            StoreError::ForbiddenFields { message, fields } => ApiError::ForbiddenFields { message, fields },
            // Failures: logged whole by `into_response`, answered with the fixed `internal`
            // message, so no SQL or stored text reaches the client.
            StoreError::Other(e) => ApiError::Internal(e),
            e @ (StoreError::Database(_)
            | StoreError::Corrupt(_)
            | StoreError::Open { .. }
            | StoreError::DataDir { .. }
            | StoreError::Migration(_)
            | StoreError::Url { .. }) => ApiError::Internal(e.into()),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::BadRequest { code: "malformed_json", message: format!("the body is not valid JSON: {}", e.body_text()) }
            }
            JsonRejection::JsonDataError(e) => ApiError::BadRequest { code: "malformed_request", message: e.body_text() },
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge("the request body is larger than the server accepts".into()),
            other => ApiError::BadRequest { code: "bad_request", message: other.body_text() },
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest { code: "bad_query", message: rejection.body_text() }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Forbidden(_) | ApiError::ForbiddenFields { .. } | ApiError::AccountDisabled => StatusCode::FORBIDDEN,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::BadRequest { .. } | ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::Forbidden(_) | ApiError::ForbiddenFields { .. } => "forbidden",
            ApiError::BadRequest { code, .. } => code,
            ApiError::Invalid(_) | ApiError::Unprocessable(_) => "invalid",
            ApiError::NotFound => "not_found",
            ApiError::Conflict { code, .. } => code,
            ApiError::AccountDisabled => "account_disabled",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Busy { .. } => "busy",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = ?e, "request failed");
        }
        let fields = match &self {
            ApiError::Invalid(errors) | ApiError::Unprocessable(errors) | ApiError::ForbiddenFields { fields: errors, .. } => Some(errors.0.as_slice()),
            ApiError::Conflict { fields, .. } if !fields.is_empty() => Some(fields.as_slice()),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code: self.code().to_string(), message: self.to_string(), fields: fields.map(<[FieldError]>::to_vec) } };
        let mut response = (self.status(), axum::Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after } | ApiError::Busy { retry_after } = self {
            if let Ok(v) = retry_after.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// JSON in, with every rejection answered in the API's error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A query string, with every rejection (a bad date, an unknown status) answered in the API's
/// error shape.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

pub type ApiResult<T> = Result<T, ApiError>;

/// The error shape of every failed request: `{ "error": { "code", "message", "fields"? } }`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// Each refused field with its code, when the refusal is about fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::StoreError;
    use serde_json::{json, Value};

    /// What a client receives for a storage error: status and body.
    async fn answer(e: StoreError) -> anyhow::Result<(StatusCode, Value)> {
        let response = ApiError::from(e).into_response();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        Ok((status, serde_json::from_slice(&body)?))
    }

    fn field(field: &str, code: &str, message: &str) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        e.add(field, code, message);
        e
    }

    #[tokio::test]
    async fn storage_refusals_keep_their_status_code_and_fields() -> anyhow::Result<()> {
        assert_eq!(answer(StoreError::NotFound).await?, (StatusCode::NOT_FOUND, json!({ "error": { "code": "not_found", "message": "not found" } })));

        let taken = StoreError::conflict_on("duplicate", "name", "duplicate", "the name is taken".into());
        let fields = json!([{ "field": "name", "code": "duplicate", "message": "the name is taken" }]);
        assert_eq!(answer(taken).await?, (StatusCode::CONFLICT, json!({ "error": { "code": "duplicate", "message": "the name is taken", "fields": fields } })));
        // A conflict about the whole row names no fields, and the body has no `fields` key.
        let in_use = StoreError::conflict("in_use", "still linked".into());
        assert_eq!(answer(in_use).await?, (StatusCode::CONFLICT, json!({ "error": { "code": "in_use", "message": "still linked" } })));

        let invalid = StoreError::Invalid(field("department_id", "unknown", "is not a known department"));
        let (status, body) = answer(invalid).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "invalid");
        assert_eq!(body["error"]["fields"], json!([{ "field": "department_id", "code": "unknown", "message": "is not a known department" }]));

        let forbidden = StoreError::ForbiddenFields { message: "the office keeps these".into(), fields: field("standing", "forbidden", "the office's") };
        assert_eq!(
            answer(forbidden).await?,
            (
                StatusCode::FORBIDDEN,
                json!({ "error": { "code": "forbidden", "message": "the office keeps these",
                    "fields": [{ "field": "standing", "code": "forbidden", "message": "the office's" }] } })
            )
        );
        Ok(())
    }

    #[tokio::test]
    async fn storage_failures_are_500_and_never_show_their_cause() -> anyhow::Result<()> {
        let secret = "SELECT password_hash FROM users";
        let failures = [
            StoreError::Database(sqlx::Error::Protocol(secret.into())),
            StoreError::Corrupt(secret.into()),
            StoreError::Open { url: secret.into(), source: sqlx::Error::PoolTimedOut },
            StoreError::DataDir { path: secret.into(), source: std::io::Error::other(secret) },
            StoreError::Migration(sqlx::migrate::MigrateError::Execute(sqlx::Error::Protocol(secret.into()))),
            StoreError::Url { url: secret.into(), reason: "no scheme".into() },
            StoreError::bug(secret),
        ];
        for failure in failures {
            let shown = format!("{failure}");
            assert!(shown.contains(secret), "the log keeps the cause: {shown}");
            let (status, body) = answer(failure).await?;
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{shown}");
            assert_eq!(body, json!({ "error": { "code": "internal", "message": "the server could not finish this request" } }), "{shown}");
        }
        Ok(())
    }
}
