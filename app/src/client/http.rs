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

/// A failure whose error body also carries what the server made of the request, as a refused
/// import carries its report (422, `{ "error": {…}, "report": {…} }`).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal<R> {
    pub failure: ApiFailure,
    /// `None` when the body had no report (any other failure).
    pub report: Option<R>,
}

/// The error shape, with the `report` some refusals add (ignored where none is expected).
#[derive(Deserialize)]
struct ErrorBody<R> {
    error: ErrorDetail,
    report: Option<R>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
    #[serde(default)]
    fields: Option<Vec<FieldError>>,
}

/// An answer's JSON body, read as the phone reads all JSON ([`rounds::json::from_str`]: every
/// struct from an object, so no second decoder per struct is built into the wasm).
pub async fn body<T: DeserializeOwned>(resp: &Response) -> Result<T, String> {
    let text = resp.text().await.map_err(|e| e.to_string())?;
    rounds::json::from_str(&text).map_err(|e| e.to_string())
}

async fn decode<T: DeserializeOwned, R: DeserializeOwned>(resp: Response) -> Result<T, Refusal<R>> {
    let status = resp.status();
    let refusal = |failure| Refusal { failure, report: None };
    if resp.ok() {
        return body::<T>(&resp).await.map_err(|message| refusal(ApiFailure { status, code: "bad_response".into(), message, fields: Vec::new() }));
    }
    match body::<ErrorBody<R>>(&resp).await {
        Ok(body) => Err(Refusal {
            failure: ApiFailure { status, code: body.error.code, message: body.error.message, fields: body.error.fields.unwrap_or_default() },
            report: body.report,
        }),
        Err(_) => Err(refusal(ApiFailure { status, code: "http".into(), message: resp.status_text(), fields: Vec::new() })),
    }
}

/// Sends a request and decodes the answer, with the report a refusal carries.
async fn send_for_report<T: DeserializeOwned, R: DeserializeOwned>(req: Result<Request, gloo_net::Error>) -> Result<T, Refusal<R>> {
    let failed = |failure| Refusal { failure, report: None };
    let req = req.map_err(|e| failed(ApiFailure { status: 0, code: "request".into(), message: e.to_string(), fields: Vec::new() }))?;
    let resp = req.send().await.map_err(|e| failed(ApiFailure::offline(e)))?;
    decode(resp).await
}

async fn send<T: DeserializeOwned>(req: Result<Request, gloo_net::Error>) -> Result<T, ApiFailure> {
    send_for_report::<T, serde::de::IgnoredAny>(req).await.map_err(|r| r.failure)
}

pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    send(Ok(Request::get(url).build().map_err(ApiFailure::offline)?)).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiFailure> {
    send(Request::post(url).json(body)).await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiFailure> {
    send(Request::put(url).json(body)).await
}

pub async fn delete<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    send(Ok(Request::delete(url).build().map_err(ApiFailure::offline)?)).await
}

/// Sends raw bytes (a file) with their content type. A refusal comes back with the report its
/// body carries, of the type `R` (a refused import's 422 says why in an `ImportReport`), so the
/// page need not ask again to show it.
pub async fn post_bytes<T: DeserializeOwned, R: DeserializeOwned>(url: &str, content_type: &str, bytes: &[u8]) -> Result<T, Refusal<R>> {
    let body = js_sys::Uint8Array::from(bytes);
    send_for_report(Request::post(url).header("Content-Type", content_type).body(body)).await
}

/// Why a background call (a sync round, the read log's upload) did not go through: the outbox
/// waits on the first two, and shows the third.
#[derive(Debug)]
pub enum SyncError {
    /// No answer: no network, or the server is down. The outbox waits.
    Offline,
    /// The session is gone: the outbox waits for the user to sign in again.
    Unauthorized,
    Other(String),
}

impl SyncError {
    pub fn from_status(status: u16) -> SyncError {
        match check_status(status) {
            Err(e) => e,
            Ok(()) => SyncError::Other(format!("unexpected status {status}")),
        }
    }
}

/// The background calls' reading of an answer's status.
pub fn check_status(status: u16) -> Result<(), SyncError> {
    match status {
        200..=299 => Ok(()),
        401 => Err(SyncError::Unauthorized),
        // A proxy or a restarting server: try again later, like no network.
        502..=504 | 0 => Err(SyncError::Offline),
        s => Err(SyncError::Other(format!("the server answered {s}"))),
    }
}
