//! Calls to the JSON API from online-only pages (office, import, history). Every failure comes
//! back as one `ApiFailure`, decoded from the server's `{ "error": { code, message, fields } }`.

use gloo_net::http::{Request, Response};
use rounds::FieldError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq)]
pub struct ApiFailure {
    /// The HTTP status; 0 when no answer came (offline, server down).
    pub status: u16,
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl ApiFailure {
    pub fn offline(e: impl std::fmt::Display) -> ApiFailure {
        ApiFailure { status: 0, code: "offline".into(), message: e.to_string(), fields: Vec::new() }
    }

    pub fn is_offline(&self) -> bool {
        self.status == 0
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
    #[serde(default)]
    fields: Option<Vec<FieldError>>,
}

async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ApiFailure> {
    let status = resp.status();
    if resp.ok() {
        return resp
            .json::<T>()
            .await
            .map_err(|e| ApiFailure { status, code: "bad_response".into(), message: e.to_string(), fields: Vec::new() });
    }
    match resp.json::<ErrorBody>().await {
        Ok(body) => Err(ApiFailure {
            status,
            code: body.error.code,
            message: body.error.message,
            fields: body.error.fields.unwrap_or_default(),
        }),
        Err(_) => Err(ApiFailure { status, code: "http".into(), message: resp.status_text(), fields: Vec::new() }),
    }
}

async fn send<T: DeserializeOwned>(req: Result<Request, gloo_net::Error>) -> Result<T, ApiFailure> {
    let req = req.map_err(|e| ApiFailure { status: 0, code: "request".into(), message: e.to_string(), fields: Vec::new() })?;
    let resp = req.send().await.map_err(ApiFailure::offline)?;
    decode(resp).await
}

pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    send(Ok(Request::get(url).build().map_err(|e| ApiFailure::offline(e))?)).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiFailure> {
    send(Request::post(url).json(body)).await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiFailure> {
    send(Request::put(url).json(body)).await
}

pub async fn delete<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    send(Ok(Request::delete(url).build().map_err(|e| ApiFailure::offline(e))?)).await
}

/// Sends raw bytes (a file, a photo) with their content type.
pub async fn post_bytes<T: DeserializeOwned>(url: &str, content_type: &str, bytes: &[u8]) -> Result<T, ApiFailure> {
    let body = js_sys::Uint8Array::from(bytes);
    send(Request::post(url).header("Content-Type", content_type).body(body)).await
}
